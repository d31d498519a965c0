"""Préfecture d'Indre-et-Loire, lettre du 18 février 2021, mesure 1: the Fonds pour l'innovation et la
transformation numérique des collectivités, its departmental (volet territorialisé) envelope."""

from __future__ import annotations

from decimal import Decimal

from ...budget import eligible_base, expenses_in, total_expenses
from ...dates import fr_date
from ...dossier import Dossier
from ...model import Outcome, ko, ok, to_check
from ...money import euros, number, percent
from ...rules import FigureValue, RuleSet
from ...standard_rules import (
    budget_consistency_rules,
    declared_expenses_rule,
    excluded_expense_rule,
    flag_rule,
    identifier_rules,
    marginal_share_rule,
)
from ...vocabulary import LOCAL_AUTHORITIES, applicant_label
from .._indre_et_loire_common import LETTER, add_years, all_true, measure_call, no_deadline_rule

rules = RuleSet.of(__name__, prefix="ietl_fitn")
P = rules.params
NON_AUTHORITY_KINDS = frozenset({"gip", "porteur_france_services", "association_ess", "autre"})
THEMES = {
    "accompagnement_expert": "accompagnement par un expert du numérique (axe 3 A)",
    "formation_agents": "formation au numérique des agents (axe 3 B)",
    "projet_transformation": "projet de transformation numérique (axe 3 C)",
}

no_deadline_rule(rules, "date_limite", "procedure-candidature", what="Volet territorialisé du fonds")


def requested(d: Dossier) -> Decimal:
    return d.money("funding.requested")


def eligible_cost(d: Dossier) -> Decimal:
    """The project's cost less the lines of agents' equipment, which the fund never pays."""
    return eligible_base(d, P.excluded_agent_equipment)


@rules.rule(
    "porteur",
    "Candidat : collectivité, groupement, ou personne morale financée par des collectivités",
    clause="criteres-eligibilite-porteur",
)
def applicant(d: Dossier) -> Outcome:
    """« Le candidat est une collectivité, un groupement de collectivités, ou une personne morale dont les
    financements ne proviennent que de collectivités locales (hors éventuelles subventions Etat ou européennes) »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in LOCAL_AUTHORITIES:
        return ok(f"{label} : collectivité ou groupement de collectivités, candidat admis.")
    if d.flag("eligibility.funded_only_by_local_authorities"):
        return ok(f"{label} dont les financements ne proviennent que de collectivités locales : candidat admis.")
    return ko(f"{label} dont les financements ne proviennent pas que de collectivités locales : candidat non admis.")


@rules.rule(
    "petites_moyennes",
    "Volet destiné aux petites et moyennes collectivités",
    clause=P["territorial_envelope"].clause,
    blocking=False,
)
def size(d: Dossier) -> Outcome:
    """« un volet territorialisé de 34 M€ est destiné aux petites et moyennes collectivités » : no size given."""
    population = d.opt("applicant.population")
    shown = f"{number(population)} habitants" if isinstance(population, int) else "population non indiquée"
    return to_check(
        f"Le volet territorialisé ({euros(P.territorial_envelope)}) est destiné aux petites et moyennes "
        f"collectivités, sans seuil dans {LETTER} ({applicant_label(d.get('applicant.kind'))}, {shown}) : "
        "à confirmer auprès de la préfecture."
    )


@rules.rule("territoire", "Porteur situé en Indre-et-Loire (fonds déconcentrés)", clause=P["departement"].clause)
def territory(d: Dossier) -> Outcome:
    """« Quatre thématiques présentées peuvent être soutenues via ces fonds déconcentrés » : the Indre-et-Loire
    prefecture's letter presents its own share of the territorial envelope."""
    code = d.get("applicant.departement")
    if code == P.departement:
        return ok(
            f"Porteur situé en Indre-et-Loire ({code}) : relève des fonds déconcentrés gérés par cette préfecture."
        )
    return ko(
        f"Porteur situé dans le département {code} : les fonds déconcentrés présentés par la préfecture "
        f"d'Indre-et-Loire ({P.departement}) ne le concernent pas ; adressez-vous à votre préfecture."
    )


flag_rule(
    rules,
    "engagement_decisionnel",
    "criteres-eligibilite-engagement-decisionnel",
    label="Projet porté avec un engagement à un niveau décisionnel",
    field="commitments.decision_level",
    held="Le projet est porté avec un engagement à un niveau décisionnel.",
    unmet="Aucun engagement à un niveau décisionnel : critère d'éligibilité non rempli.",
    quote="« Le projet est porté avec un engagement à un niveau décisionnel ».",
)


flag_rule(
    rules,
    "transformation",
    "criteres-eligibilite-transformation",
    label="Projet de transformation, d'innovation ou de modernisation numérique",
    field="eligibility.digital_transformation",
    held="Le projet vise la transformation, l'innovation ou la modernisation numérique.",
    unmet="Le projet ne vise ni la transformation, ni l'innovation, ni la modernisation numérique.",
    quote="« Le projet vise la transformation, l'innovation ou la modernisation numérique ».",
)


@rules.rule("thematique", "Projet relevant d'une thématique soutenue", clause="thematiques")
def supported_theme(d: Dossier) -> Outcome:
    """« Quatre thématiques présentées peuvent être soutenues » — the letter lists three of them."""
    theme = d.get("eligibility.theme")
    if theme in THEMES:
        return ok(f"Thématique : {THEMES[theme]}.")
    return to_check(
        f"{LETTER[0].upper() + LETTER[1:]} annonce quatre thématiques mais n'en présente que trois "
        "(axes 3 A, 3 B et 3 C) : un projet hors de ces trois axes est à vérifier auprès de la préfecture."
    )


@rules.rule("resultats_fin_2022", "Résultats tangibles avant fin {results_by.year}", clause=P["results_by"].clause)
def results_in_time(d: Dossier) -> Outcome:
    """« Le projet donne des résultats tangibles avant fin 2022 »."""
    limit, filed, end = P.results_by, d.date("project.filing_date"), d.date("project.end_date")
    if filed > limit:
        return ko(
            f"Dépôt le {fr_date(filed)}, après la fin 2022 ({fr_date(limit)}) : le projet ne peut plus donner "
            "de résultats tangibles avant fin 2022."
        )
    if end <= limit:
        return ok(f"Achèvement prévu le {fr_date(end)}, au plus tard le {fr_date(limit)} : résultats avant fin 2022.")
    return ko(
        f"Achèvement prévu le {fr_date(end)}, après le {fr_date(limit)} : pas de résultats tangibles avant fin 2022."
    )


@rules.rule("effet_deux_ans", "Effet concret sous {effect_within_years} ans", clause=P["effect_within_years"].clause)
def effect_within_two_years(d: Dossier) -> Outcome:
    """« L'enveloppe doit financer des projets numériques qui auront un effet concret sous 2 ans » : the letter
    does not say from when; any start it could mean (decision, start of works) is on or after the filing."""
    filed, end = d.date("project.filing_date"), d.date("project.end_date")
    horizon = add_years(filed, P.effect_within_years)
    if end <= horizon:
        return ok(
            f"Achèvement prévu le {fr_date(end)}, dans les {P.effect_within_years} ans suivant le dépôt "
            f"(au plus tard le {fr_date(horizon)}) : effet concret sous 2 ans."
        )
    return to_check(
        f"Achèvement prévu le {fr_date(end)}, plus de {P.effect_within_years} ans après le dépôt du "
        f"{fr_date(filed)} (le {fr_date(horizon)}) : {LETTER} ne dit pas à partir de quand courent les "
        "2 ans ; à vérifier."
    )


# The same sentences as FITN7's cahier des charges: the same shared rules, with this letter's clauses.
excluded_expense_rule(
    rules,
    "equipements_agents",
    P["excluded_agent_equipment"],
    label="Achats d'équipements informatiques pour les agents exclus",
    every_excluded=P.excluded_agent_equipment,
    requested=requested,
    quote="« Les achats d'équipements informatiques pour les agents sont exclus ».",
)
marginal_share_rule(
    rules,
    "licences_extra_communautaires",
    P["marginal_licences"],
    label="Licences d'éditeurs extra-communautaires : part marginale",
    requested=requested,
    instructor="la préfecture",
    quote="« Les achats de licences logicielles d'éditeurs extra-communautaires ne sauraient représenter "
    "qu'une partie marginale des financements accordés » : « marginale » n'est pas chiffrée.",
)
declared_expenses_rule(
    rules,
    "concordance_restrictions",
    "thematiques-projet-transformation",
    label="Récapitulatif des dépenses restreintes conforme aux lignes",
    declared={
        "restrictions.agent_equipment": P.excluded_agent_equipment,
        "restrictions.extra_eu_licences": P.marginal_licences,
    },
)


@rules.rule("taux", "Financement au plus {max_rate} du coût du projet", clause=P["max_rate"].clause)
def rate(d: Dossier) -> Outcome:
    """« Le financement accordé peut atteindre 100% du coût du projet » (the lines of agents' equipment excluded)."""
    asked, cost = requested(d), eligible_cost(d)
    ceiling = cost * P.max_rate
    message = (
        f"Subvention demandée : {euros(asked)} ; plafond : {euros(ceiling)} ({percent(P.max_rate)} du coût "
        f"du projet hors équipements des agents, {euros(cost)})."
    )
    return ok(message) if asked <= ceiling else ko(message)


flag_rule(
    rules,
    "priorite",
    "priorite-vie-quotidienne",
    blocking=False,
    label="Priorité : effet sur la vie quotidienne des citoyens",
    field="eligibility.citizen_impact",
    held="Projet prioritaire : effet sur la vie quotidienne des citoyens et leurs relations avec l'administration locale.",
    unmet="Projet sans effet déclaré sur la vie quotidienne des citoyens : il n'est pas prioritaire (non éliminatoire).",
    quote="« La priorité est accordée aux projets avec un effet sur la vie quotidienne des citoyens et sur "
    "leurs relations avec l'administration locale ».",
)


@rules.rule(
    "competences_mutualisation",
    "Montée en compétences et mutualisation recherchées",
    clause="competences-mutualisation",
    blocking=False,
)
def skills_and_pooling(d: Dossier) -> Outcome:
    """« La montée en compétences des collectivités et la mutualisation des initiatives doivent être recherchées »."""
    good, missing = all_true(
        d,
        {
            "eligibility.skills_building": "montée en compétences",
            "eligibility.pooling": "mutualisation des initiatives",
        },
    )
    if good:
        return ok("Le projet recherche la montée en compétences et la mutualisation des initiatives.")
    return ko(f"Non recherché par le projet : {missing} (attendu par la lettre, non éliminatoire).")


flag_rule(
    rules,
    "crte",
    "contrat-relance-transition-ecologique",
    blocking=False,
    label="Contractualisation dans un CRTE (modèle privilégié)",
    field="funding.crte",
    held="Projet inscrit dans un contrat de relance et de transition écologique : modèle privilégié.",
    unmet="Projet hors contrat de relance et de transition écologique : possible, mais ce n'est pas le modèle privilégié.",
    quote="« La contractualisation dans le cadre des contrats de relance et de transition écologique est "
    "le modèle privilégié ».",
)


@rules.rule(
    "depot", "Formulaire de candidature déposé sur « démarches simplifiées »", clause="depot-demarches-simplifiees"
)
def filing(d: Dossier) -> Outcome:
    """« Télécharger ici le formulaire de candidature » ; « Déposez votre demande sur le site « démarches
    simplifiées » »."""
    good, missing = all_true(
        d,
        {
            "pieces.application_form": "formulaire de candidature",
            "pieces.demarches_simplifiees": "dépôt sur « démarches simplifiées »",
        },
    )
    if good:
        return ok("Formulaire de candidature rempli et demande déposée sur « démarches simplifiées ».")
    return ko(f"Manque : {missing}.")


budget_consistency_rules(rules, "procedure-budgetaire", balance_required=False)
identifier_rules(rules, "procedure-candidature")


@rules.figure("cout_eligible", "Coût du projet finançable")
def cost_figure(d: Dossier) -> FigureValue:
    total, excluded = total_expenses(d), expenses_in(d, P.excluded_agent_equipment)
    return FigureValue(
        total - excluded,
        f"Coût du projet {euros(total)} − équipements des agents {euros(excluded)} = {euros(total - excluded)}",
    )


@rules.figure("subvention_max", "Subvention maximale")
def max_grant(d: Dossier) -> FigureValue:
    cost = eligible_cost(d)
    return FigureValue(cost * P.max_rate, f"{percent(P.max_rate)} × {euros(cost)} = {euros(cost * P.max_rate)}")


CALL = measure_call(__name__, rules)
