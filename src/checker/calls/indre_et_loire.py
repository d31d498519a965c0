"""Préfecture d'Indre-et-Loire, lettre France Relance « Spécial numérique » (18 February 2021).

One letter, four measures, four calls: the fund's departmental envelope (ietl_fitn), the national
call for a digital base in primary schools (ietl_ecoles), the conseillers numériques France
Services (ietl_cnfs) and Aidants Connect (ietl_aidants). The letter is short: where it leaves a
figure or a date unsaid (no closing date for three measures, no rate per expense, no SMIC
amount), the rule says "à vérifier" and cites the clause instead of guessing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..dates import fr_date
from ..dossier import Dossier, MissingData
from ..model import Outcome, ko, ok, to_check
from ..money import euros, number, percent
from ..params import Params
from ..rules import Call, FigureValue, RuleSet
from ..standard_rules import (budget_consistency_rules, deadline_rule, declared_expenses_rule, eligible_base,
                              excluded_expense_rule, expenses_in, filing_moment, identifier_rules, marginal_share_rule,
                              resource_lines, sum_amounts, total_expenses)
from ..vocabulary import LOCAL_AUTHORITIES, applicant_label

LETTER = "la lettre du 18 février 2021"


def no_deadline_rule(rules: RuleSet, id: str, clause: str, what: str) -> None:
    """For a measure the letter gives no closing date: say so, never invent one (advisory)."""

    @rules.rule(id, "Date limite de dépôt", clause, blocking=False)
    def stated_deadline(d: Dossier) -> Outcome:
        moment, _ = filing_moment(d)
        return to_check(f"{what} : {LETTER} ne fixe aucune date limite de dépôt. Dépôt le {fr_date(moment.date())} : "
                        "vérifiez auprès du service instructeur que les candidatures étaient encore reçues à cette date.")


def departement_advice(rules: RuleSet, id: str, clause: str, departement: str, programme: str) -> None:
    """A national programme relayed by the prefecture: outside Indre-et-Loire, only a warning."""

    @rules.rule(id, "Porteur situé en Indre-et-Loire (département de la lettre)", clause, blocking=False)
    def relayed_here(d: Dossier) -> Outcome:
        code = d.get("applicant.departement")
        if code == departement:
            return ok(f"Porteur situé en Indre-et-Loire ({departement}), où {LETTER} relaie {programme}.")
        return to_check(f"Porteur situé dans le département {code} : {programme} est national, mais {LETTER} "
                        f"ne vaut que pour l'Indre-et-Loire ({departement}) ; adressez-vous à votre préfecture.")


def share(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole else Decimal(0)


def resources_from(d: Dossier, kinds: set[str]) -> Decimal:
    return sum_amounts([r for r in resource_lines(d) if r["funder_kind"] in kinds])



def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def all_true(d: Dossier, fields: dict[str, str]) -> tuple[bool, str]:
    """Whether every flag holds, and the French labels of those that do not."""
    missing = [label for path, label in fields.items() if not d.flag(path)]
    return not missing, " ; ".join(missing)


# ---------------------------------------------------------------------------------------------
# 1) Fonds pour l'innovation et la transformation numérique : volet territorialisé (departmental)
# ---------------------------------------------------------------------------------------------

FITN = Params.load("indre_et_loire_fonds_transformation_numerique")
FITN_SCHEMA = "indre-et-loire-fonds-transformation-numerique.schema.json"
fitn = RuleSet()
NON_AUTHORITY_KINDS = frozenset({"gip", "porteur_france_services", "association_ess", "autre"})
FITN_THEMES = {"accompagnement_expert": "accompagnement par un expert du numérique (axe 3 A)",
               "formation_agents": "formation au numérique des agents (axe 3 B)",
               "projet_transformation": "projet de transformation numérique (axe 3 C)"}

no_deadline_rule(fitn, "ietl_fitn.date_limite", "procedure-candidature", "Volet territorialisé du fonds")


def fitn_requested(d: Dossier) -> Decimal:
    return d.money("funding.requested")


def fitn_eligible_cost(d: Dossier) -> Decimal:
    """The project's cost less the lines of agents' equipment, which the fund never pays."""
    return eligible_base(d, FITN.excluded_agent_equipment)


@fitn.rule("ietl_fitn.porteur", "Candidat : collectivité, groupement, ou personne morale financée par des collectivités",
           clause="criteres-eligibilite-porteur")
def fitn_applicant(d: Dossier) -> Outcome:
    """« Le candidat est une collectivité, un groupement de collectivités, ou une personne morale dont les
    financements ne proviennent que de collectivités locales (hors éventuelles subventions Etat ou européennes) »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in LOCAL_AUTHORITIES:
        return ok(f"{label} : collectivité ou groupement de collectivités, candidat admis.")
    if d.flag("eligibility.funded_only_by_local_authorities"):
        return ok(f"{label} dont les financements ne proviennent que de collectivités locales : candidat admis.")
    return ko(f"{label} dont les financements ne proviennent pas que de collectivités locales : candidat non admis.")


@fitn.rule("ietl_fitn.petites_moyennes", "Volet destiné aux petites et moyennes collectivités",
           clause=FITN["territorial_envelope"].clause, blocking=False)
def fitn_size(d: Dossier) -> Outcome:
    """« un volet territorialisé de 34 M€ est destiné aux petites et moyennes collectivités » : no size given."""
    population = d.opt("applicant.population")
    shown = f"{number(population)} habitants" if isinstance(population, int) else "population non indiquée"
    return to_check(f"Le volet territorialisé ({euros(FITN.territorial_envelope)}) est destiné aux petites et moyennes "
                    f"collectivités, sans seuil dans {LETTER} ({applicant_label(d.get('applicant.kind'))}, {shown}) : "
                    "à confirmer auprès de la préfecture.")


@fitn.rule("ietl_fitn.territoire", "Porteur situé en Indre-et-Loire (fonds déconcentrés)", clause=FITN["departement"].clause)
def fitn_territory(d: Dossier) -> Outcome:
    """« Quatre thématiques présentées peuvent être soutenues via ces fonds déconcentrés » : the Indre-et-Loire
    prefecture's letter presents its own share of the territorial envelope."""
    code = d.get("applicant.departement")
    if code == FITN.departement:
        return ok(f"Porteur situé en Indre-et-Loire ({code}) : relève des fonds déconcentrés gérés par cette préfecture.")
    return ko(f"Porteur situé dans le département {code} : les fonds déconcentrés présentés par la préfecture "
              f"d'Indre-et-Loire ({FITN.departement}) ne le concernent pas ; adressez-vous à votre préfecture.")


@fitn.rule("ietl_fitn.engagement_decisionnel", "Projet porté avec un engagement à un niveau décisionnel",
           clause="criteres-eligibilite-engagement-decisionnel")
def fitn_commitment(d: Dossier) -> Outcome:
    """« Le projet est porté avec un engagement à un niveau décisionnel »."""
    if d.flag("commitments.decision_level"):
        return ok("Le projet est porté avec un engagement à un niveau décisionnel.")
    return ko("Aucun engagement à un niveau décisionnel : critère d'éligibilité non rempli.")


@fitn.rule("ietl_fitn.transformation", "Projet de transformation, d'innovation ou de modernisation numérique",
           clause="criteres-eligibilite-transformation")
def fitn_transformation(d: Dossier) -> Outcome:
    """« Le projet vise la transformation, l'innovation ou la modernisation numérique »."""
    if d.flag("eligibility.digital_transformation"):
        return ok("Le projet vise la transformation, l'innovation ou la modernisation numérique.")
    return ko("Le projet ne vise ni la transformation, ni l'innovation, ni la modernisation numérique.")


@fitn.rule("ietl_fitn.thematique", "Projet relevant d'une thématique soutenue", clause="thematiques")
def fitn_theme(d: Dossier) -> Outcome:
    """« Quatre thématiques présentées peuvent être soutenues » — the letter lists three of them."""
    theme = d.get("eligibility.theme")
    if theme in FITN_THEMES:
        return ok(f"Thématique : {FITN_THEMES[theme]}.")
    return to_check(f"{LETTER[0].upper() + LETTER[1:]} annonce quatre thématiques mais n'en présente que trois "
                    "(axes 3 A, 3 B et 3 C) : un projet hors de ces trois axes est à vérifier auprès de la préfecture.")


@fitn.rule("ietl_fitn.resultats_fin_2022", "Résultats tangibles avant fin 2022",
           clause=FITN["results_by"].clause)
def fitn_results_in_time(d: Dossier) -> Outcome:
    """« Le projet donne des résultats tangibles avant fin 2022 »."""
    limit, filed, end = FITN.results_by, d.date("project.filing_date"), d.date("project.end_date")
    if filed > limit:
        return ko(f"Dépôt le {fr_date(filed)}, après la fin 2022 ({fr_date(limit)}) : le projet ne peut plus donner "
                  "de résultats tangibles avant fin 2022.")
    if end <= limit:
        return ok(f"Achèvement prévu le {fr_date(end)}, au plus tard le {fr_date(limit)} : résultats avant fin 2022.")
    return ko(f"Achèvement prévu le {fr_date(end)}, après le {fr_date(limit)} : pas de résultats tangibles avant fin 2022.")


@fitn.rule("ietl_fitn.effet_deux_ans", "Effet concret sous 2 ans", clause=FITN["effect_within_years"].clause)
def fitn_effect_within_two_years(d: Dossier) -> Outcome:
    """« L'enveloppe doit financer des projets numériques qui auront un effet concret sous 2 ans » : the letter
    does not say from when; any start it could mean (decision, start of works) is on or after the filing."""
    filed, end = d.date("project.filing_date"), d.date("project.end_date")
    horizon = add_years(filed, FITN.effect_within_years)
    if end <= horizon:
        return ok(f"Achèvement prévu le {fr_date(end)}, dans les {FITN.effect_within_years} ans suivant le dépôt "
                  f"(au plus tard le {fr_date(horizon)}) : effet concret sous 2 ans.")
    return to_check(f"Achèvement prévu le {fr_date(end)}, plus de {FITN.effect_within_years} ans après le dépôt du "
                    f"{fr_date(filed)} (le {fr_date(horizon)}) : {LETTER} ne dit pas à partir de quand courent les "
                    "2 ans ; à vérifier.")


# The same sentences as FITN7's cahier des charges: the same shared rules, with this letter's clauses.
excluded_expense_rule(fitn, "ietl_fitn.equipements_agents", "Achats d'équipements informatiques pour les agents exclus",
                      FITN["excluded_agent_equipment"], every_excluded=FITN.excluded_agent_equipment,
                      requested=fitn_requested, schema=FITN_SCHEMA,
                      quote="« Les achats d'équipements informatiques pour les agents sont exclus ».")
marginal_share_rule(fitn, "ietl_fitn.licences_extra_communautaires", "Licences d'éditeurs extra-communautaires : part marginale",
                    FITN["marginal_licences"], requested=fitn_requested, schema=FITN_SCHEMA, instructor="la préfecture",
                    quote="« Les achats de licences logicielles d'éditeurs extra-communautaires ne sauraient représenter "
                          "qu'une partie marginale des financements accordés » : « marginale » n'est pas chiffrée.")
declared_expenses_rule(fitn, "ietl_fitn.concordance_restrictions", "Récapitulatif des dépenses restreintes conforme aux lignes",
                       "thematiques-projet-transformation", schema=FITN_SCHEMA,
                       declared={"restrictions.agent_equipment": FITN.excluded_agent_equipment,
                                 "restrictions.extra_eu_licences": FITN.marginal_licences})


@fitn.rule("ietl_fitn.taux", "Financement au plus 100 % du coût du projet", clause=FITN["max_rate"].clause)
def fitn_rate(d: Dossier) -> Outcome:
    """« Le financement accordé peut atteindre 100% du coût du projet » (the lines of agents' equipment excluded)."""
    asked, cost = fitn_requested(d), fitn_eligible_cost(d)
    ceiling = cost * FITN.max_rate
    message = (f"Subvention demandée : {euros(asked)} ; plafond : {euros(ceiling)} ({percent(FITN.max_rate)} du coût "
               f"du projet hors équipements des agents, {euros(cost)}).")
    return ok(message) if asked <= ceiling else ko(message)


@fitn.rule("ietl_fitn.priorite", "Priorité : effet sur la vie quotidienne des citoyens", clause="priorite-vie-quotidienne",
           blocking=False)
def fitn_priority(d: Dossier) -> Outcome:
    """« La priorité est accordée aux projets avec un effet sur la vie quotidienne des citoyens et sur leurs
    relations avec l'administration locale »."""
    if d.flag("eligibility.citizen_impact"):
        return ok("Projet prioritaire : effet sur la vie quotidienne des citoyens et leurs relations avec l'administration locale.")
    return ko("Projet sans effet déclaré sur la vie quotidienne des citoyens : il n'est pas prioritaire (non éliminatoire).")


@fitn.rule("ietl_fitn.competences_mutualisation", "Montée en compétences et mutualisation recherchées",
           clause="competences-mutualisation", blocking=False)
def fitn_skills_and_pooling(d: Dossier) -> Outcome:
    """« La montée en compétences des collectivités et la mutualisation des initiatives doivent être recherchées »."""
    good, missing = all_true(d, {"eligibility.skills_building": "montée en compétences",
                                 "eligibility.pooling": "mutualisation des initiatives"})
    if good:
        return ok("Le projet recherche la montée en compétences et la mutualisation des initiatives.")
    return ko(f"Non recherché par le projet : {missing} (attendu par la lettre, non éliminatoire).")


@fitn.rule("ietl_fitn.crte", "Contractualisation dans un CRTE (modèle privilégié)",
           clause="contrat-relance-transition-ecologique", blocking=False)
def fitn_crte(d: Dossier) -> Outcome:
    """« La contractualisation dans le cadre des contrats de relance et de transition écologique est le modèle
    privilégié »."""
    if d.flag("funding.crte"):
        return ok("Projet inscrit dans un contrat de relance et de transition écologique : modèle privilégié.")
    return ko("Projet hors contrat de relance et de transition écologique : possible, mais ce n'est pas le modèle privilégié.")


@fitn.rule("ietl_fitn.depot", "Formulaire de candidature déposé sur « démarches simplifiées »",
           clause="depot-demarches-simplifiees")
def fitn_filing(d: Dossier) -> Outcome:
    """« Télécharger ici le formulaire de candidature » ; « Déposez votre demande sur le site « démarches
    simplifiées » »."""
    good, missing = all_true(d, {"pieces.application_form": "formulaire de candidature",
                                 "pieces.demarches_simplifiees": "dépôt sur « démarches simplifiées »"})
    if good:
        return ok("Formulaire de candidature rempli et demande déposée sur « démarches simplifiées ».")
    return ko(f"Manque : {missing}.")


budget_consistency_rules(fitn, "ietl_fitn", "procedure-budgetaire", balance_required=False)
identifier_rules(fitn, "ietl_fitn", "procedure-candidature")


@fitn.figure("ietl_fitn.cout_eligible", "Coût du projet finançable")
def fitn_cost_figure(d: Dossier) -> FigureValue:
    total, excluded = total_expenses(d), expenses_in(d, FITN.excluded_agent_equipment)
    return FigureValue(total - excluded, f"Coût du projet {euros(total)} − équipements des agents {euros(excluded)} "
                                         f"= {euros(total - excluded)}")


@fitn.figure("ietl_fitn.subvention_max", "Subvention maximale")
def fitn_max_grant(d: Dossier) -> FigureValue:
    cost = fitn_eligible_cost(d)
    return FigureValue(cost * FITN.max_rate, f"{percent(FITN.max_rate)} × {euros(cost)} = {euros(cost * FITN.max_rate)}")


FITN_CALL = Call(id="indre-et-loire-fonds-transformation-numerique",
                 title="Fonds pour l'innovation et la transformation numérique des collectivités — volet territorialisé (Indre-et-Loire)",
                 page="appels/indre-et-loire/fonds-transformation-numerique/",
                 schema=FITN_SCHEMA, rules=fitn, params=FITN)


# ---------------------------------------------------------------------------------------------
# 2) Socle numérique dans les écoles élémentaires (national call relayed by the letter)
# ---------------------------------------------------------------------------------------------

ECOLES = Params.load("indre_et_loire_socle_numerique_ecoles")
ECOLES_SCHEMA = "indre-et-loire-socle-numerique-ecoles.schema.json"
ecoles = RuleSet()
OWN_FUNDS = {"autofinancement", "bloc_communal"}


# « doivent être déposés avant le 31 mars » : the year is the letter's (18 February 2021), and
# "avant le 31" closes at the end of the 30th (CONTRIBUTING.md).
deadline_rule(ecoles, "ietl_ecoles.date_limite", ECOLES["deadline"].clause, ECOLES.deadline)


def ecoles_base(d: Dossier) -> Decimal:
    """The expense lines of the three volets (their category): the base the 50 %–70 % aid applies to."""
    return expenses_in(d, ECOLES.volets)


@ecoles.rule("ietl_ecoles.porteur", "Projet porté par une collectivité locale", clause="projet-conjoint")
def ecoles_applicant(d: Dossier) -> Outcome:
    """« Les projets sont construits conjointement par les collectivités locales concernées et les équipes
    pédagogiques »."""
    kind = d.get("applicant.kind")
    if kind in LOCAL_AUTHORITIES:
        return ok(f"{applicant_label(kind)} : collectivité locale, porteur admis.")
    return ko(f"{applicant_label(kind)} : les projets sont construits par les collectivités locales concernées ; "
              "ce porteur n'en est pas une.")


@ecoles.rule("ietl_ecoles.niveau_ecoles", "Écoles élémentaires et primaires (cycles 2 & 3)", clause="ecoles-eligibles")
def ecoles_levels(d: Dossier) -> Outcome:
    """« l'ensemble des écoles élémentaires et primaires (cycles 2 & 3) »."""
    schools = d.rows("schools")
    levels = [d.get(f"schools.{n}.level") for n in range(len(schools))]
    others = [s.get("name", "?") for s, level in zip(schools, levels) if level not in ECOLES.school_levels]
    if others:
        return ko(f"Hors du périmètre (ni élémentaire ni primaire) : {', '.join(others)}.")
    return ok(f"{len(schools)} école élémentaire ou primaire (cycles 2 et 3)." if len(schools) == 1
              else f"{len(schools)} écoles, toutes élémentaires ou primaires (cycles 2 et 3).")


@ecoles.rule("ietl_ecoles.socle_non_atteint", "Écoles n'ayant pas atteint le socle numérique de base",
             clause="ecoles-eligibles")
def ecoles_below_base(d: Dossier) -> Outcome:
    """« … qui n'ont pas atteint le socle numérique de base »."""
    schools = d.rows("schools")
    reached = [s.get("name", "?") for n, s in enumerate(schools) if d.flag(f"schools.{n}.socle_reached")]
    if reached:
        return ko(f"Socle numérique de base déjà atteint : {', '.join(reached)} ; "
                  + ("ces écoles ne sont pas visées." if len(reached) > 1 else "cette école n'est pas visée."))
    return ok("Aucune des écoles n'a atteint le socle numérique de base.")


@ecoles.rule("ietl_ecoles.projet_conjoint", "Projet conjoint, diagnostic partagé, objectifs validés par tous",
             clause="projet-conjoint")
def ecoles_joint_project(d: Dossier) -> Outcome:
    """« construits conjointement par les collectivités locales concernées et les équipes pédagogiques sur la base
    d'un diagnostic partagé et d'objectifs validés par tous »."""
    good, missing = all_true(d, {"eligibility.joint_project": "construction conjointe avec les équipes pédagogiques",
                                 "eligibility.shared_diagnosis": "diagnostic partagé",
                                 "eligibility.objectives_validated": "objectifs validés par tous"})
    if good:
        return ok("Projet construit avec les équipes pédagogiques, sur un diagnostic partagé et des objectifs validés par tous.")
    return ko(f"Manque : {missing}.")


@ecoles.rule("ietl_ecoles.volets", "Dépenses relevant des trois volets du projet", clause=ECOLES["volets"].clause)
def ecoles_volets(d: Dossier) -> Outcome:
    """« projets fondés sur trois volets essentiels » : équipement ; services et ressources numériques ;
    accompagnement à la prise en main. The letter does not say what becomes of other expenses."""
    volets, total = ecoles_base(d), total_expenses(d)
    if volets == total:
        return ok(f"Toutes les lignes de dépenses ({euros(total)}) relèvent des trois volets.")
    return to_check(f"Lignes de dépenses hors des trois volets : {euros(total - volets)} sur {euros(total)} ; "
                    "la lettre ne dit pas si elles sont aidées : à vérifier.")


declared_expenses_rule(ecoles, "ietl_ecoles.concordance_volets", "Récapitulatif par volet conforme aux lignes de dépenses",
                       ECOLES["volets"].clause, schema=ECOLES_SCHEMA,
                       declared={f"volets.{volet}": [volet] for volet in ECOLES.volets})


@ecoles.rule("ietl_ecoles.taux_max", "Aide de l'État au plus 70 %", clause=ECOLES["max_rate"].clause)
def ecoles_max_rate(d: Dossier) -> Outcome:
    """« L'aide de l'État est comprise entre 50% et 70% » : above 70 % is certainly refused."""
    asked, base = d.money("funding.requested"), ecoles_base(d)
    ceiling = base * ECOLES.max_rate
    message = (f"Aide demandée : {euros(asked)} ({percent(share(asked, base))} des dépenses des trois volets, "
               f"{euros(base)}) ; maximum : {euros(ceiling)} ({percent(ECOLES.max_rate)}).")
    return ok(message) if asked <= ceiling else ko(message)


@ecoles.rule("ietl_ecoles.taux", "Taux d'aide selon la nature de la dépense", clause=ECOLES["min_rate"].clause,
             blocking=False)
def ecoles_rate(d: Dossier) -> Outcome:
    """« … selon la nature de la dépense et le montant engagé par la collectivité » : the rate per expense is
    not given, so the aid actually granted can only be bracketed."""
    asked, base = d.money("funding.requested"), ecoles_base(d)
    low, high = base * ECOLES.min_rate, base * ECOLES.max_rate
    bracket = f"entre {euros(low)} ({percent(ECOLES.min_rate)}) et {euros(high)} ({percent(ECOLES.max_rate)})"
    if asked > high:
        return ko(f"Aide demandée : {euros(asked)}, au-delà de {euros(high)} ({percent(ECOLES.max_rate)}).")
    where = "dans la fourchette" if asked >= low else "en deçà du taux minimal"
    return to_check(f"Aide demandée : {euros(asked)}, {where} ; l'aide sera {bracket}, selon la nature de chaque "
                    "dépense et le montant engagé par la collectivité, taux que la lettre ne détaille pas : à vérifier.")


@ecoles.rule("ietl_ecoles.engagement_collectivite", "Montant engagé par la collectivité", clause=ECOLES["max_rate"].clause,
             blocking=False)
def ecoles_local_share(d: Dossier) -> Outcome:
    """« L'aide de l'État est comprise entre 50% et 70% selon la nature de la dépense et le montant engagé par la
    collectivité » : the amount committed sets the rate; the letter does not make it a condition (advisory)."""
    own, base = resources_from(d, OWN_FUNDS), ecoles_base(d)
    if own > 0:
        return ok(f"Montant engagé par la collectivité : {euros(own)} ({percent(share(own, base))} des dépenses des trois volets).")
    return ko("Aucun montant engagé par la collectivité (autofinancement ou commune/intercommunalité) : l'aide de l'État, "
              f"entre {percent(ECOLES.min_rate)} et {percent(ECOLES.max_rate)}, dépend de ce montant. La lettre n'en fait pas "
              "une condition (non éliminatoire), mais le taux accordé en tiendra compte.")


@ecoles.rule("ietl_ecoles.depot", "Dépôt sur l'application « démarches simplifiées »", clause="depot-demarches-simplifiees")
def ecoles_filing(d: Dossier) -> Outcome:
    """« l'application « démarches simplifiées » a été retenue pour candidater »."""
    if d.flag("pieces.demarches_simplifiees"):
        return ok("Projet déposé sur « démarches simplifiées ».")
    return ko("Le projet doit être déposé sur l'application « démarches simplifiées ».")


departement_advice(ecoles, "ietl_ecoles.territoire", ECOLES["relay_departement"].clause, ECOLES.relay_departement,
                   "l'appel à projets pour un socle numérique dans les écoles élémentaires")
budget_consistency_rules(ecoles, "ietl_ecoles", ECOLES["volets"].clause, balance_required=False)
identifier_rules(ecoles, "ietl_ecoles", "depot-demarches-simplifiees")


@ecoles.figure("ietl_ecoles.aide_min", "Aide de l'État minimale (50 %)")
def ecoles_min_aid(d: Dossier) -> FigureValue:
    base = ecoles_base(d)
    return FigureValue(base * ECOLES.min_rate, f"{percent(ECOLES.min_rate)} × {euros(base)} (dépenses des trois volets) "
                                               f"= {euros(base * ECOLES.min_rate)}")


@ecoles.figure("ietl_ecoles.aide_max", "Aide de l'État maximale (70 %)")
def ecoles_max_aid(d: Dossier) -> FigureValue:
    base = ecoles_base(d)
    return FigureValue(base * ECOLES.max_rate, f"{percent(ECOLES.max_rate)} × {euros(base)} (dépenses des trois volets) "
                                               f"= {euros(base * ECOLES.max_rate)}")


@ecoles.figure("ietl_ecoles.reste_a_charge_min", "Part restant à financer hors aide de l'État, au moins")
def ecoles_min_rest(d: Dossier) -> FigureValue:
    base = ecoles_base(d)
    rest = base - base * ECOLES.max_rate
    return FigureValue(rest, f"{euros(base)} − {percent(ECOLES.max_rate)} × {euros(base)} = {euros(rest)}")


ECOLES_CALL = Call(id="indre-et-loire-socle-numerique-ecoles",
                   title="Socle numérique dans les écoles élémentaires (appel relayé en Indre-et-Loire)",
                   page="appels/indre-et-loire/socle-numerique-ecoles/",
                   schema=ECOLES_SCHEMA, rules=ecoles, params=ECOLES)


# ---------------------------------------------------------------------------------------------
# 3) Conseillers numériques France Services (national ANCT programme; departmental contingent)
# ---------------------------------------------------------------------------------------------

CNFS = Params.load("indre_et_loire_conseillers_numeriques")
cnfs = RuleSet()
ASSOCIATIVE = "association_ess"

no_deadline_rule(cnfs, "ietl_cnfs.date_limite", "candidature-au-fil-de-l-eau",
                 "Candidatures « au fil de l'eau » sur la plateforme nationale")


def cnfs_grant(d: Dossier) -> Decimal:
    return CNFS.grant_per_advisor * d.get("recruitment.advisors")


@cnfs.rule("ietl_cnfs.porteur", "Structure : collectivité territoriale, association ou structure de l'ESS",
           clause="structures-eligibles")
def cnfs_applicant(d: Dossier) -> Outcome:
    """« les Conseillers numériques sont recrutés par les collectivités territoriales et les structures
    associatives et de l'ESS volontaires » ; yet « Les structures privées et publiques peuvent candidater »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in LOCAL_AUTHORITIES or kind == ASSOCIATIVE:
        return ok(f"{label} : structure qui peut recruter des conseillers numériques.")
    return to_check(f"{label} : ni collectivité territoriale ni structure associative ou de l'ESS, que la lettre "
                    "nomme ; elle admet pourtant « les structures privées et publiques » : à vérifier auprès de l'ANCT.")


@cnfs.rule("ietl_cnfs.subvention", "Subvention au plus 50 000 € par conseiller",
           clause=CNFS["grant_per_advisor"].clause)
def cnfs_grant_cap(d: Dossier) -> Outcome:
    """« Subvention de 50 000€ par conseiller, financée sur 24 mois, versée en 3 tranches »."""
    asked, advisors = d.money("funding.requested"), d.get("recruitment.advisors")
    cap = cnfs_grant(d)
    message = (f"Subvention demandée : {euros(asked)} ; maximum : {euros(cap)} ({advisors} conseiller{'s' if advisors > 1 else ''} × "
               f"{euros(CNFS.grant_per_advisor)}).")
    return ok(message) if asked <= cap else ko(message)


@cnfs.rule("ietl_cnfs.remuneration_smic", "Conseiller rémunéré au moins au SMIC", clause="remuneration-smic")
def cnfs_minimum_wage(d: Dossier) -> Outcome:
    """« … qui aura pour charge de rémunérer le conseiller à hauteur du SMIC au minimum » : the letter gives
    no SMIC amount, so the dossier has to state the one in force."""
    pay = d.money("recruitment.monthly_gross_pay")
    if not d.has("recruitment.smic_monthly_gross"):
        raise MissingData("recruitment.smic_monthly_gross", "number",
                          why=f"Rémunération prévue : {euros(pay)} brut par mois ; la lettre ne donne pas le montant du SMIC : "
                              "indiquez le SMIC brut mensuel en vigueur pour le vérifier.")
    smic = d.money("recruitment.smic_monthly_gross")
    message = f"Rémunération prévue : {euros(pay)} brut par mois ; SMIC indiqué : {euros(smic)} brut par mois."
    return ok(message) if pay >= smic else ko(message + " Le conseiller doit être rémunéré au SMIC au minimum.")


@cnfs.rule("ietl_cnfs.contingent", "Dans le contingent de 35 postes de l'Indre-et-Loire",
           clause=CNFS["contingent"].clause, blocking=False)
def cnfs_contingent(d: Dossier) -> Outcome:
    """« Le chiffre de 35 postes de conseiller numérique a été retenu en Indre-et-Loire. Ce contingent est
    susceptible de révision ultérieure. »"""
    advisors, code = d.get("recruitment.advisors"), d.get("applicant.departement")
    if code != CNFS.departement:
        return to_check(f"Porteur situé dans le département {code} : le contingent de {CNFS.contingent} postes est celui "
                        "de l'Indre-et-Loire ; celui de votre département n'est pas dans cette lettre.")
    if advisors <= CNFS.contingent:
        return ok(f"{advisors} {'postes demandés' if advisors > 1 else 'poste demandé'}, dans le contingent de {CNFS.contingent} postes de l'Indre-et-Loire.")
    return ko(f"{advisors} postes demandés, au-delà du contingent de {CNFS.contingent} postes de l'Indre-et-Loire "
              "(susceptible de révision) : avertissement, non éliminatoire.")


@cnfs.rule("ietl_cnfs.plateforme", "Candidature sur la plateforme nationale", clause="candidature-au-fil-de-l-eau")
def cnfs_platform(d: Dossier) -> Outcome:
    """« Les structures privées et publiques peuvent candidater au fil de l'eau, via la plateforme nationale »."""
    if d.flag("pieces.national_platform"):
        return ok("Candidature déposée sur la plateforme nationale.")
    return ko("La candidature se fait sur la plateforme nationale de l'ANCT.")


departement_advice(cnfs, "ietl_cnfs.territoire", "avis-prefecture", CNFS.departement,
                   "le programme des conseillers numériques France Services")
budget_consistency_rules(cnfs, "ietl_cnfs", "financement", balance_required=False)
identifier_rules(cnfs, "ietl_cnfs", "candidature-au-fil-de-l-eau")


@cnfs.figure("ietl_cnfs.subvention_totale", "Subvention maximale")
def cnfs_grant_figure(d: Dossier) -> FigureValue:
    advisors, total = d.get("recruitment.advisors"), cnfs_grant(d)
    return FigureValue(total, f"{advisors} conseiller{'s' if advisors > 1 else ''} × {euros(CNFS.grant_per_advisor)} = {euros(total)}, financés "
                              f"sur {CNFS.grant_months} mois et versés en {CNFS.grant_instalments} tranches")


@cnfs.figure("ietl_cnfs.formation", "Frais de formation et de certification pris en charge")
def cnfs_training_figure(d: Dossier) -> FigureValue:
    costs = d.money("recruitment.training_costs")
    return FigureValue(costs * CNFS.training_rate, f"{percent(CNFS.training_rate)} × {euros(costs)} = "
                                                   f"{euros(costs * CNFS.training_rate)}")


CNFS_CALL = Call(id="indre-et-loire-conseillers-numeriques",
                 title="Conseillers numériques France Services (contingent de l'Indre-et-Loire)",
                 page="appels/indre-et-loire/conseillers-numeriques/",
                 schema="indre-et-loire-conseillers-numeriques.schema.json", rules=cnfs, params=CNFS)


# ---------------------------------------------------------------------------------------------
# 4) Aidants Connect (national service relayed by the letter)
# ---------------------------------------------------------------------------------------------

AIDANTS = Params.load("indre_et_loire_aidants_connect")
aidants = RuleSet()
ROLE_LABELS = {"travailleur_social": "travailleur social", "agent_public_accueil": "agent public d'accueil",
               "mediateur_numerique": "médiateur numérique", "autre_professionnel": "autre aidant professionnel",
               "benevole": "bénévole"}

no_deadline_rule(aidants, "ietl_aidants.date_limite", "procedure", "Aidants Connect, service public numérique")


# The letter describes why the service exists (structures asked to help with online formalities) and how
# it works (a mandate signed through FranceConnect, then the aidant's professional account): information,
# not conditions. Its one condition is the audience: professional aidants.
@aidants.rule("ietl_aidants.aidants_professionnels", "Aidants professionnels", clause="aidants-professionnels")
def aidants_are_professionals(d: Dossier) -> Outcome:
    """« Aidants Connect s'adresse à une diversité d'aidants professionnels : travailleurs sociaux, agents
    publics d'accueil, médiateurs numériques... » (an open list: other professionals count)."""
    people = d.rows("aidants")
    roles_of = [d.get(f"aidants.{n}.role") for n in range(len(people))]
    amateurs = [a.get("name", "?") for a, role in zip(people, roles_of) if role not in AIDANTS.professional_roles]
    if amateurs:
        return ko(f"Aidants non professionnels : {', '.join(amateurs)} ; Aidants Connect s'adresse aux aidants professionnels.")
    roles = sorted({ROLE_LABELS.get(role, role) for role in roles_of})
    return ok(f"{len(people)} {'aidants professionnels' if len(people) > 1 else 'aidant professionnel'} : {', '.join(roles)}.")


@aidants.rule("ietl_aidants.formalites", "Structure sollicitée pour des formalités en ligne (information)",
              clause="formalites-en-ligne", blocking=False)
def aidants_online_help(d: Dossier) -> Outcome:
    """« de plus en plus de services de proximité sont sollicités pour une aide à la réalisation de formalités en
    ligne … C'est pour sécuriser ces pratiques qu'a été imaginé le dispositif "Aidants Connect" » : why the service
    exists, not a condition."""
    journey = (f"Le parcours se fait en {AIDANTS.steps} étapes : un mandat signé en ligne par l'usager via FranceConnect, "
               "puis la démarche de l'aidant depuis son compte professionnel.")
    if d.flag("eligibility.online_formalities"):
        return ok(f"La structure aide des usagers à réaliser des formalités en ligne : Aidants Connect sécurise cette "
                  f"pratique. {journey}")
    return ko("La structure n'aide pas d'usagers à réaliser des formalités en ligne : Aidants Connect a été imaginé pour "
              f"sécuriser cette aide, mais la lettre n'en fait pas une condition (information, non éliminatoire). {journey}")


departement_advice(aidants, "ietl_aidants.territoire", AIDANTS["relay_departement"].clause, AIDANTS.relay_departement,
                   "le service Aidants Connect")
identifier_rules(aidants, "ietl_aidants", "aidants-connect")

AIDANTS_CALL = Call(id="indre-et-loire-aidants-connect", title="Aidants Connect (dispositif relayé en Indre-et-Loire)",
                    page="appels/indre-et-loire/aidants-connect/",
                    schema="indre-et-loire-aidants-connect.schema.json", rules=aidants, params=AIDANTS)

CALLS = [FITN_CALL, ECOLES_CALL, CNFS_CALL, AIDANTS_CALL]
