"""FITN7 axe 3, guichet départemental de Saône-et-Loire (2021): the cahier des charges as rules."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from ...budget import eligible_base, expense_lines, expenses_in, resource_lines, resources_from, total_expenses
from ...dates import fr_date
from ...dossier import Dossier
from ...model import Outcome, ko, ok, to_check
from ...money import CENT, euros, percent
from ...rules import Call, FigureValue, RuleSet
from ...standard_rules import (
    budget_consistency_rules,
    deadline_rule,
    declared_expenses_rule,
    excluded_expense_rule,
    flag_rule,
    identifier_rules,
    marginal_share_rule,
)
from ...vocabulary import EPCI_WITH_OWN_TAX, LOCAL_AUTHORITIES, applicant_label

rules = RuleSet.of(__name__, prefix="fitn7")
P = rules.params

EXCLUDED_KINDS = frozenset({"communaute_d_agglomeration", "departement"})
SMALL_OR_MEDIUM_KINDS = frozenset({"commune", "communaute_de_communes", "syndicat_de_communes", "syndicat_mixte"})
# Larger than the excluded communautés d'agglomération and départements, yet not named by the
# text: whether they are "petites ou moyennes" is the prefecture's call, not ours.
UNNAMED_LARGER_KINDS = LOCAL_AUTHORITIES - EXCLUDED_KINDS - SMALL_OR_MEDIUM_KINDS
FRANCE_SERVICES_KIND = "porteur_france_services"
# In law (CGCT L. 5210-1-1 A) the syndicats de communes are EPCI too, and the Métropole de Lyon
# is a collectivité à statut particulier, not an EPCI; the Métropole du Grand Paris is one.
EPCI_KINDS = EPCI_WITH_OWN_TAX | {"metropole_du_grand_paris", "syndicat_de_communes"}
AXIS_LABELS = {
    "3a": "3a (accompagnement par un expert du numérique)",
    "3b": "3b (formation au numérique des agents)",
    "3c": "3c (relation à l'utilisateur)",
}
ONLINE = "demarches_simplifiees"
# The categories of expense lines the grant never pays: agents' equipment and personnel.
EXCLUDED = tuple(P.excluded_agent_equipment) + tuple(P.excluded_personnel)

deadline_rule(rules, "date_limite", P["deadline"])


def requested(d: Dossier) -> Decimal:
    return d.money("request.amount")


def eligible_expenses(d: Dossier) -> Decimal:
    """Total expenses less the lines the guichet never pays: agents' equipment and personnel."""
    return eligible_base(d, EXCLUDED)


def rate_ceiling(d: Dossier) -> Decimal:
    # Rounded down to the cent: a grant rounded up would exceed the rate by a fraction of a cent.
    return (eligible_expenses(d) * P.rate).quantize(CENT, rounding=ROUND_DOWN)


@rules.rule("depot_en_ligne", "Dépôt uniquement en ligne sur démarches-simplifiées", clause="depot-en-ligne")
def online_only(d: Dossier) -> Outcome:
    """« Les candidatures se font uniquement en ligne via démarches-simplifiées » ; « tout dossier envoyé
    par courriel ou par voie postale ne sera pas instruit »."""
    channel = d.get("submission.channel")
    if channel == ONLINE:
        return ok("Dossier déposé en ligne sur démarches-simplifiées.")
    shown = {"courriel": "par courriel", "voie_postale": "par voie postale"}.get(channel, f"par « {channel} »")
    return ko(f"Dossier envoyé {shown} : il ne sera pas instruit ; seul le dépôt sur démarches-simplifiées est admis.")


@rules.rule("territoire", "Porteur situé en Saône-et-Loire (enveloppe départementale)", clause=P["departement"].clause)
def territory(d: Dossier) -> Outcome:
    """« Cette enveloppe départementale » : le guichet de la préfecture de Saône-et-Loire."""
    code = d.get("applicant.departement")
    if code == P.departement:
        return ok(f"Porteur situé dans le département {code} (Saône-et-Loire).")
    return ko(
        f"Porteur situé dans le département {code} : ce guichet est réservé à la Saône-et-Loire ({P.departement}) ; "
        "adressez-vous à la préfecture de votre département."
    )


@rules.rule(
    "porteur",
    "Candidat éligible (petite ou moyenne collectivité, porteur France Services, "
    "personne morale financée par des collectivités)",
    clause="criteres-eligibilite-porteur",
)
def applicant_kind(d: Dossier) -> Outcome:
    """« le candidat est une petite ou moyenne collectivité territoriale (les communautés d'agglomération et les
    conseils départementaux ne sont pas éligibles) ou un porteur de MSAP ou de maison France Services ou une
    personne morale dont les financements ne proviennent que de collectivités locales »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in EXCLUDED_KINDS:
        return ko(f"{label} : les communautés d'agglomération et les conseils départementaux ne sont pas éligibles.")
    if kind in SMALL_OR_MEDIUM_KINDS:
        return ok(f"{label} : petite ou moyenne collectivité territoriale, catégorie éligible.")
    if kind == FRANCE_SERVICES_KIND:
        return ok(f"{label} : les porteurs d'une MSAP ou d'une maison France Services sont éligibles.")
    if kind in UNNAMED_LARGER_KINDS:
        return to_check(
            f"{label} : le texte réserve le guichet aux petites et moyennes collectivités sans fixer de seuil "
            "et n'exclut expressément que les communautés d'agglomération et les conseils départementaux ; "
            "éligibilité à confirmer auprès de la préfecture."
        )
    if d.flag("eligibility.local_funding_only"):
        return ok(f"{label} dont les financements ne proviennent que de collectivités locales : éligible.")
    return ko(
        f"{label} dont les financements ne proviennent pas que de collectivités locales (hors subventions de "
        "l'État ou européennes) : non éligible."
    )


@rules.rule(
    "portage_decisionnel", "Projet porté à un niveau décisionnel", clause="criteres-eligibilite-niveau-decisionnel"
)
def decision_level(d: Dossier) -> Outcome:
    """« Le projet est porté avec un engagement à un niveau décisionnel chez le candidat »."""
    who = f"{d.opt('commitments.signatory_name', 'signataire non indiqué')}, {d.opt('commitments.signatory_function', 'fonction non indiquée')}"
    if d.flag("commitments.decision_level"):
        return ok(f"Projet porté à un niveau décisionnel ({who}).")
    return ko(
        f"Le projet n'est pas porté à un niveau décisionnel chez le candidat ({who}) : c'est une condition d'éligibilité."
    )


flag_rule(
    rules,
    "engagement_signataire",
    "engagement-porteur",
    label="Engagement du signataire (formulaire de demande)",
    field="commitments.personal_commitment",
    held="Le signataire s'engage à mettre en œuvre les conditions du déploiement et à suivre personnellement le projet.",
    unmet="L'engagement du formulaire de demande n'est pas pris : il doit être signé pour que la demande soit complète.",
    quote="« Je m'engage à mettre en œuvre les conditions propices au bon déploiement du projet, à y consacrer les "
    "ressources nécessaires et à m'impliquer personnellement dans le suivi du projet. »",
)
flag_rule(
    rules,
    "projet_transformation",
    "criteres-eligibilite-transformation",
    label="Projet de transformation, d'innovation ou de modernisation numérique",
    field="eligibility.transformation_project",
    held="Projet de transformation, d'innovation ou de modernisation numérique.",
    unmet="Le projet n'est pas un projet de transformation, d'innovation ou de modernisation numérique.",
    quote="« Le projet est un projet de transformation, d'innovation ou de modernisation numérique ».",
)


@rules.rule("thematique", "Projet relevant de l'axe 3a, 3b ou 3c", clause=P["axes"].clause)
def axis(d: Dossier) -> Outcome:
    """« Trois thématiques […] peuvent être soutenues via ce guichet départemental » : axes 3a, 3b, 3c."""
    chosen = d.get("request.axis")
    if chosen in P.axes:
        return ok(f"Projet relevant de l'axe {AXIS_LABELS[chosen]}.")
    return ko(f"« {chosen} » n'est pas l'une des thématiques du guichet ({', '.join(P.axes)}).")


flag_rule(
    rules,
    "priorite_vie_quotidienne",
    "priorite-vie-quotidienne",
    blocking=False,
    label="Priorité : effet sur la vie quotidienne des citoyens",
    field="eligibility.daily_life_impact",
    held="Le projet a un effet sur la vie quotidienne des citoyens : il relève de la priorité du guichet.",
    unmet="Le projet n'a pas d'effet direct sur la vie quotidienne des citoyens : il reste éligible mais n'est pas "
    "prioritaire.",
    quote="« La priorité est donnée aux projets avec un effet sur la vie quotidienne des citoyens et sur leurs "
    "relations avec l'administration locale » : une priorité, pas une condition.",
)


@rules.rule("debut_execution", "Projet commencé au plus tard le {start_latest}", clause=P["start_latest"].clause)
def start_in_time(d: Dossier) -> Outcome:
    """« Le projet devra être commencé au plus tard le 31 décembre 2021 »."""
    start = d.date("project.start_date")
    if start <= P.start_latest:
        return ok(f"Début d'exécution le {fr_date(start)}, au plus tard le {fr_date(P.start_latest)}.")
    return ko(
        f"Début d'exécution le {fr_date(start)} : le projet doit être commencé au plus tard le {fr_date(P.start_latest)}."
    )


@rules.rule(
    "cloture_financiere", "Projet financièrement clôturé le {financial_close}", clause=P["financial_close"].clause
)
def closed_in_time(d: Dossier) -> Outcome:
    """« et être financièrement clôturé le 31 décembre 2022 » ; « résultats tangibles avant fin 2022 »."""
    end, start = d.date("project.end_date"), d.date("project.start_date")
    if end < start:
        return ko(
            f"Date d'achèvement ({fr_date(end)}) antérieure au début d'exécution ({fr_date(start)}) : calendrier incohérent."
        )
    if end <= P.financial_close:
        return ok(f"Clôture financière prévue le {fr_date(end)}, au plus tard le {fr_date(P.financial_close)}.")
    return ko(
        f"Clôture financière prévue le {fr_date(end)} : elle doit intervenir au plus tard le {fr_date(P.financial_close)}."
    )


@rules.rule(
    "non_engage_avant_depot", "Projet non engagé avant le dépôt du dossier", clause="criteres-eligibilite-non-engage"
)
def not_started_before_filing(d: Dossier) -> Outcome:
    """« Le projet ne doit pas avoir été engagé avant dépôt du dossier (engagement possible après dépôt sur
    démarches-simplifiées d'un dossier complet) »."""
    start, filed = d.date("project.start_date"), d.date("project.filing_date")
    if start < filed:
        return ko(
            f"Projet engagé le {fr_date(start)}, avant le dépôt du dossier le {fr_date(filed)} : il n'est pas éligible."
        )
    # Dates carry no hour: a start on the filing day is admitted, provided it follows the filing.
    same_day = " (le jour même, après le dépôt)" if start == filed else ""
    return ok(
        f"Engagement prévu le {fr_date(start)}{same_day}, après le dépôt du {fr_date(filed)} : "
        "possible dès lors que le dossier déposé est complet."
    )


@rules.rule(
    "justificatifs_cout", "Documents justifiant le coût estimatif (devis)", clause="pieces-justificatives-devis"
)
def quotes(d: Dossier) -> Outcome:
    """« Les documents permettant de justifier le coût estimatif du projet (devis, etc) […] doivent être transmis »."""
    if d.flag("pieces.cost_justification"):
        # The cost is shown when known; the pieces do not wait for the budget.
        lines = d.items("budget.expenses")
        known = lines and all(d.has(f"budget.expenses.{n}.amount") for n in range(len(lines)))
        cost = f" ({euros(total_expenses(d))})" if known else ""
        return ok(f"Devis et justificatifs du coût estimatif{cost} joints.")
    return ko(
        "Les documents justifiant le coût estimatif du projet (devis, etc.) doivent être transmis sur démarches-simplifiées."
    )


@rules.rule(
    "plan_financement",
    "Plan de financement (toutes les dépenses et recettes)",
    clause="pieces-justificatives-plan-financement",
)
def financing_plan(d: Dossier) -> Outcome:
    """« un plan de financement mettant en évidence toutes les dépenses et les recettes (notamment autres
    subventions éventuelles) doivent être transmis »."""
    if not d.flag("pieces.financing_plan"):
        return ko(
            "Le plan de financement (toutes les dépenses et les recettes, autres subventions comprises) doit être transmis."
        )
    # Both lists must show in the plan: an empty one is an answer still to give (« à compléter »).
    expense_lines(d), resource_lines(d)
    return ok(
        f"Plan de financement joint : {len(d.items('budget.expenses'))} "
        f"ligne{'s' if len(d.items('budget.expenses')) > 1 else ''} de dépenses, {len(d.items('budget.resources'))} "
        f"ligne{'s' if len(d.items('budget.resources')) > 1 else ''} de recettes."
    )


budget_consistency_rules(rules, "pieces-justificatives-plan-financement")


@rules.rule(
    "subvention_au_plan",
    "La subvention demandée figure au plan de financement",
    clause="pieces-justificatives-plan-financement",
)
def grant_in_plan(d: Dossier) -> Outcome:
    """Le plan de financement met en évidence « toutes les recettes » : la subvention demandée, une recette de l'État, en fait partie."""
    asked = requested(d)
    state = resources_from(d, {"etat"})
    if asked <= state:
        return ok(f"Subvention demandée ({euros(asked)}) couverte par les recettes de l'État du plan ({euros(state)}).")
    return ko(
        f"Subvention demandée : {euros(asked)} ; recettes de l'État inscrites au plan de financement : {euros(state)}. "
        "Inscrivez la subvention FITN7 parmi les recettes, avec le type de financeur « État »."
    )


marginal_share_rule(
    rules,
    "licences_extra_communautaires",
    P["marginal_licences"],
    label="Licences d'éditeurs extra-communautaires : partie marginale",
    requested=requested,
    instructor="la préfecture",
    quote="« Les achats de licences logicielles d'éditeurs extra-communautaires ne sauraient représenter "
    "qu'une partie marginale des financements accordés » : le texte ne chiffre pas cette partie.",
)
excluded_expense_rule(
    rules,
    "equipements_agents",
    P["excluded_agent_equipment"],
    label="Achats d'équipements informatiques pour les agents exclus",
    every_excluded=EXCLUDED,
    requested=requested,
    quote="« Les achats d'équipements informatiques pour les agents sont exclus ».",
)
excluded_expense_rule(
    rules,
    "depenses_personnel",
    P["excluded_personnel"],
    label="Dépenses de personnel non financées",
    every_excluded=EXCLUDED,
    requested=requested,
    quote="« Les dépenses de personnel ne sont pas financées par France Relance ».",
)
declared_expenses_rule(
    rules,
    "concordance_restrictions",
    "restrictions-depenses",
    label="Récapitulatif des restrictions conforme aux lignes de dépenses",
    declared={
        "restrictions.extra_eu_licences": P.marginal_licences,
        "restrictions.agent_equipment": P.excluded_agent_equipment,
        "restrictions.personnel": P.excluded_personnel,
    },
)


@rules.rule(
    "taux",
    "Subvention au plus {rate} des dépenses éligibles (barème indicatif)",
    clause=P["rate"].clause,
    blocking=False,
)
def rate(d: Dossier) -> Outcome:
    """« Le taux d'intervention tiendra compte de l'adéquation du projet avec les critères de sélection et s'appuiera
    sur le barème indicatif suivant : Taux de 70 % des dépenses éligibles » : un repère, pas une condition."""
    asked, base, ceiling = requested(d), eligible_expenses(d), rate_ceiling(d)
    bareme = f"barème indicatif : {percent(P.rate)} × {euros(base)} de dépenses éligibles = {euros(ceiling)}"
    if base <= 0:
        return ko(
            f"Subvention demandée : {euros(asked)} ; {bareme} : aucune dépense éligible une fois retirées les lignes "
            "exclues (équipements des agents, personnel)."
        )
    message = f"Subvention demandée : {euros(asked)}, soit {percent(asked / base)} des dépenses éligibles ; {bareme}."
    if asked <= ceiling:
        return ok(message)
    return ko(
        f"{message} Au-delà du barème de {euros(asked - ceiling)} : non éliminatoire, le taux « tiendra compte de "
        f"l'adéquation du projet avec les critères de sélection » ; une demande de {euros(ceiling)} s'en tient au barème."
    )


@rules.rule(
    "plafond", "Subvention plafonnée à {cap} par porteur (barème indicatif)", clause=P["cap"].clause, blocking=False
)
def cap(d: Dossier) -> Outcome:
    """« barème indicatif […] Plafond de 30 000€ de subvention par porteur » : un repère, pas une condition ;
    l'exception des EPCI est jugée par fitn7.plafond_epci."""
    asked, kind = requested(d), d.get("applicant.kind")
    if asked <= P.cap:
        return ok(
            f"Subvention demandée : {euros(asked)}, dans le plafond de {euros(P.cap)} par porteur (barème indicatif)."
        )
    if kind in EPCI_KINDS:
        return ok(
            f"Subvention demandée : {euros(asked)}, au-delà du plafond de {euros(P.cap)} du barème indicatif ; "
            f"le porteur ({applicant_label(kind)}) est un EPCI : dépassement possible selon les crédits disponibles "
            "(voir l'avertissement)."
        )
    return ko(
        f"Subvention demandée : {euros(asked)} ; barème indicatif : plafond de {euros(P.cap)} par porteur, dépassé "
        f"de {euros(asked - P.cap)}. Non éliminatoire, mais le texte ne prévoit une subvention supérieure que pour "
        f"les EPCI, selon les crédits disponibles : une demande de {euros(P.cap)} s'en tient au barème."
    )


@rules.rule(
    "plafond_epci",
    "EPCI au-delà du plafond : selon les crédits disponibles",
    clause="plafond-subvention-epci",
    blocking=False,
)
def epci_above_cap(d: Dossier) -> Outcome:
    """« Une subvention supérieure pourra être accordée aux EPCI en fonction des crédits disponibles »."""
    asked, kind = requested(d), d.get("applicant.kind")
    if asked <= P.cap:
        return ok(f"Subvention demandée ({euros(asked)}) dans le plafond de {euros(P.cap)} : pas de dépassement.")
    if kind not in EPCI_KINDS:
        return ok(
            f"{applicant_label(kind)} : pas un EPCI, le plafond indicatif de {euros(P.cap)} le concerne (voir la règle du "
            "plafond)."
        )
    return ko(
        f"Avertissement : {euros(asked)} demandés, {euros(asked - P.cap)} au-delà du plafond de {euros(P.cap)} du barème "
        "indicatif ; une subvention supérieure « pourra être accordée aux EPCI en fonction des crédits disponibles » : "
        "rien n'est garanti."
    )


@rules.rule("enveloppe", "Demande dans la limite de l'enveloppe départementale", clause=P["envelope"].clause)
def envelope(d: Dossier) -> Outcome:
    """« Cette enveloppe départementale, qui s'élève à 297 029,75 euros » : aucune subvention ne peut la dépasser."""
    asked = requested(d)
    if asked <= P.envelope:
        return ok(
            f"Subvention demandée ({euros(asked)}) dans la limite de l'enveloppe départementale ({euros(P.envelope)})."
        )
    return ko(
        f"Subvention demandée ({euros(asked)}) supérieure à toute l'enveloppe départementale ({euros(P.envelope)}) : impossible."
    )


identifier_rules(rules, "demande-financement-demandeur")


@rules.figure("depenses_eligibles", "Dépenses éligibles")
def eligible_figure(d: Dossier) -> FigureValue:
    total = total_expenses(d)
    equipment, staff = expenses_in(d, P.excluded_agent_equipment), expenses_in(d, P.excluded_personnel)
    base = total - equipment - staff
    return FigureValue(
        base,
        f"{euros(total)} de dépenses − {euros(equipment)} d'équipements informatiques pour les agents − "
        f"{euros(staff)} de personnel (lignes exclues) = {euros(base)}",
    )


@rules.figure("subvention_max", "Subvention selon le barème indicatif")
def max_grant(d: Dossier) -> FigureValue:
    base, by_rate = eligible_expenses(d), rate_ceiling(d)
    value = max(min(by_rate, P.cap), Decimal(0))
    formula = (
        f"Barème indicatif : {percent(P.rate)} × {euros(base)} = {euros(by_rate)}, plafonné à {euros(P.cap)} "
        f"par porteur → {euros(value)}"
    )
    if d.opt("applicant.kind") in EPCI_KINDS and by_rate > P.cap:
        formula += " (un EPCI peut obtenir davantage selon les crédits disponibles)"
    return FigureValue(value, formula)


@rules.figure("reste_a_charge", "Autres financements à réunir")
def remaining(d: Dossier) -> FigureValue:
    total, asked = total_expenses(d), requested(d)
    return FigureValue(
        total - asked, f"{euros(total)} de coût global − {euros(asked)} de subvention demandée = {euros(total - asked)}"
    )


CALL = Call.of(__name__, rules)
