"""Banque des Territoires, AMI « Inclusion numérique des TPE » (novembre 2021).

Two phases with their own deadlines: the methodological support (phase 1) and the financial
support (phase 2), open only to those who followed phase 1. The dossier says which phase it
applies to; rules that concern only the other phase are « sans objet » (`applies=`).
"""

from __future__ import annotations

from decimal import Decimal

from ...budget import expense_lines, resource_lines, resources_besides, resources_of, sum_amounts, total_expenses
from ...dates import fr_datetime
from ...dossier import Dossier, MissingData
from ...model import Outcome, ko, ok, to_check
from ...money import euros
from ...rules import Applies, Call, FigureValue, RuleSet
from ...standard_rules import (
    Source,
    budget_consistency_rules,
    deadline_check,
    declared_expenses_rule,
    excluded_expense_rule,
    filing_moment,
    flag_rule,
    identifier_rules,
    unticked,
)
from ...vocabulary import LOCAL_AUTHORITIES, applicant_label

rules = RuleSet.of(__name__, prefix="bdt")
P = rules.params

METHODOLOGICAL, FINANCIAL = "accompagnement_methodologique", "appui_financier"
PHASE_NAMES = {METHODOLOGICAL: "l'accompagnement méthodologique (phase 1)", FINANCIAL: "l'appui financier (phase 2)"}
PHASE_TITLES = {METHODOLOGICAL: "Accompagnement méthodologique (phase 1)", FINANCIAL: "Appui financier (phase 2)"}
BDT = "caisse_des_depots"
OWN_FUNDS = "autofinancement"


def phase(d: Dossier) -> str:
    value = d.get("phase")
    if value not in PHASE_NAMES:
        raise ValueError(value)
    return value


def in_phase(wanted: str) -> Applies:
    """A rule of one phase: « Sans objet pour l'appui financier (phase 2). » in the other."""
    return Applies(lambda d: phase(d) == wanted, lambda d: f"pour {PHASE_NAMES[phase(d)]}.")


METHODOLOGICAL_ONLY, FINANCIAL_ONLY = in_phase(METHODOLOGICAL), in_phase(FINANCIAL)
IS_METROPOLE = Applies(
    lambda d: d.get("applicant.kind") in P.metropole_kinds,
    lambda d: f": le porteur n'est pas une métropole ({applicant_label(d.get('applicant.kind'))}).",
)

# The standard deadline check, once per phase; the dossier's phase picks which one applies.
_PHASE_CHECKS = {
    METHODOLOGICAL: deadline_check(P.deadline_methodological, P.opening),
    FINANCIAL: deadline_check(P.deadline_financial, P.opening),
}


@rules.rule("date_limite", "Date limite de dépôt de la phase demandée", clause="calendrier-ami")
def deadline(d: Dossier) -> Outcome:
    """« 07 décembre 2021 à 12 H » (appui méthodologique) ; « 18 février 2022 à 12h » (appui financier)."""
    if not d.has("phase"):
        moment, _ = filing_moment(d)
        if moment.date() > P.deadline_financial.date():
            return ko(
                f"AMI clos pour les deux phases : accompagnement méthodologique jusqu'au "
                f"{fr_datetime(P.deadline_methodological)}, appui financier jusqu'au {fr_datetime(P.deadline_financial)}."
            )
    outcome = _PHASE_CHECKS[phase(d)](d)
    return Outcome(outcome.status, f"{PHASE_TITLES[phase(d)]}. {outcome.message}")


@rules.rule(
    "porteur", "Candidature portée par une collectivité territoriale ou un groupement", clause="porteurs-eligibles"
)
def applicant_kind(d: Dossier) -> Outcome:
    """« portées par les collectivités territoriales et leurs groupements, et plus spécifiquement les communes,
    les syndicats de communes, les communautés de communes, les communautés d'agglomération » ;
    « Les métropoles candidates cibleront… »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    # The Métropole de Lyon (collectivité à statut particulier) is a collectivité territoriale and a
    # « métropole candidate » in the text's words: it is treated as the other métropoles.
    if kind in P.named_kinds:
        return ok(f"{label} : porteur cité par l'AMI.")
    if kind in P.metropole_kinds:
        return ok(
            f"{label} : les métropoles peuvent candidater en ciblant des quartiers particulièrement fragiles et prioritaires."
        )
    if kind in LOCAL_AUTHORITIES:
        return to_check(
            f"{label} : collectivité territoriale ou groupement, mais pas au nombre des porteurs cités "
            "« plus spécifiquement » (communes, syndicats de communes, communautés de communes, "
            "communautés d'agglomération) : recevabilité à confirmer auprès de la Banque des Territoires."
        )
    return ko(f"{label} : l'AMI est réservé aux collectivités territoriales et à leurs groupements.")


flag_rule(
    rules,
    "metropole_quartiers",
    P["metropole_kinds"],
    applies=IS_METROPOLE,
    label="Une métropole cible des quartiers particulièrement fragiles et prioritaires",
    field="targeting.fragile_priority_districts",
    held="La métropole cible des quartiers particulièrement fragiles et prioritaires.",
    unmet="Une métropole candidate doit cibler des quartiers particulièrement fragiles et prioritaires.",
    quote="« Les métropoles candidates cibleront des quartiers particulièrement fragiles et prioritaires. »",
)


TARGET_LABELS = {
    "petite_ville_rurale": "petite ville de zone rurale",
    "ville_moyenne_peripherique": "ville moyenne périphérique",
    "quartier_prioritaire": "quartier prioritaire de la ville",
    "outre_mer": "département ou région d'outre-mer",
}


@rules.rule(
    "cibles_prioritaires", "Territoire parmi les cibles prioritaires", clause="cibles-prioritaires", blocking=False
)
def priority_targets(d: Dossier) -> Outcome:
    """« La Banque des Territoires souhaite cibler plus particulièrement les petites villes de zone rurale,
    les villes moyennes périphériques, les Quartiers Prioritaires de la Ville, et les départements et régions d'outre-mer. »"""
    targets = set()
    if d.get("applicant.departement") in P.drom_departements:
        targets.add("outre_mer")
    if not targets:
        targets = {t for t in d.get("targeting.priority_targets") if t in P.priority_targets}
    if targets:
        return ok("Cible prioritaire : " + ", ".join(TARGET_LABELS[t] for t in sorted(targets)) + ".")
    return ko(
        "Le territoire ne relève d'aucune cible prioritaire (petites villes rurales, villes moyennes périphériques, "
        "QPV, outre-mer) : la candidature reste possible, mais n'est pas prioritaire."
    )


@rules.rule("chef_de_projet", "Dossier porté par un chef de projet opérationnel", clause="chef-de-projet")
def project_lead(d: Dossier) -> Outcome:
    """« Le dossier de candidature sera porté par un chef de projet opérationnel, interlocuteur privilégié
    de la Banque des Territoires. »"""
    if not d.flag("eligibility.operational_project_lead"):
        return ko("Le dossier doit être porté par un chef de projet opérationnel.")
    name, function = d.get("applicant.contact.name"), d.get("applicant.contact.function")
    return ok(f"Chef de projet opérationnel : {name} ({function}).")


flag_rule(
    rules,
    "accompagnement_suivi",
    "condition-accompagnement-prealable",
    applies=FINANCIAL_ONLY,
    label="L'appui financier suppose d'avoir suivi l'accompagnement méthodologique",
    field="eligibility.methodological_support_followed",
    held="La collectivité a suivi l'accompagnement méthodologique.",
    unmet="Seules les collectivités ayant suivi l'accompagnement méthodologique peuvent demander l'appui financier.",
    quote="« La démarche pour bénéficier d'un appui financier est conditionnée par la participation à la première "
    "phase d'accompagnement du dispositif, c'est-à-dire l'appui méthodologique. »",
)
flag_rule(
    rules,
    "pieces_accompagnement",
    "pieces-accompagnement-methodologique-dossier",
    applies=METHODOLOGICAL_ONLY,
    label="Dossier de candidature complété (phase 1)",
    field="pieces.application_form",
    held="Dossier de candidature complété : fourni.",
    unmet="Pièce manquante : le dossier de candidature complété.",
    quote="« Pièces à fournir dans le cadre de l'accompagnement méthodologique : Dossier de candidature complété ».",
)


@rules.rule(
    "pieces_appui_financier",
    "Précisions de mise en œuvre et pièces administratives (phase 2)",
    clause="dossier-appui-financier",
    applies=FINANCIAL_ONLY,
)
def financial_pieces(d: Dossier) -> Outcome:
    """« un dossier alimenté de précisions sur les modalités de mise en œuvre de leur projet et des pièces
    administratives nécessaires au versement de la subvention » (liste communiquée ultérieurement)."""
    missing = unticked(
        d,
        {
            "pieces.implementation_details": "les précisions sur les modalités de mise en œuvre",
            "pieces.administrative_documents": "les pièces administratives nécessaires au versement",
        },
    )
    if missing:
        return ko(("Pièces manquantes : " if len(missing) > 1 else "Pièce manquante : ") + " ; ".join(missing) + ".")
    return ok(
        "Précisions sur la mise en œuvre et pièces administratives (liste communiquée après la phase 1) : fournies."
    )


@rules.rule(
    "plan_financement",
    "Plan de financement et budget prévisionnel présentés (phase 2)",
    clause="plan-financement",
    applies=FINANCIAL_ONLY,
)
def financing_plan(d: Dossier) -> Outcome:
    """« la collectivité devra présenter le plan de financement de son projet et un budget prévisionnel. »"""
    # Both must be presented: an empty list is an answer still to give (« à compléter »).
    expenses, resources = expense_lines(d), resource_lines(d)
    return ok(
        f"Budget prévisionnel : {len(expenses)} poste{'s' if len(expenses) > 1 else ''}, {euros(total_expenses(d))} ; "
        f"plan de financement : {len(resources)} ressource{'s' if len(resources) > 1 else ''}."
    )


@rules.rule(
    "montant_total", "Montant total du projet précisé (phase 2)", clause="montant-total-projet", applies=FINANCIAL_ONLY
)
def total_amount(d: Dossier) -> Outcome:
    """« Il sera attendu de part de la collectivité territoriale de préciser le montant total du projet. »"""
    total = d.money("budget.total_expenses")
    if total <= 0:
        return ko(f"Montant total du projet : {euros(total)} : un montant positif est attendu.")
    return ok(f"Montant total du projet : {euros(total)}.")


def cofinancing(d: Dossier) -> tuple[Decimal, Decimal, Decimal]:
    """(third parties, of which in kind, the applicant's own funds): everything beyond the BdT envelope."""
    third = resources_besides(d, {BDT, OWN_FUNDS})
    in_kind = [r for r in third if r.get("in_kind") is True]
    return sum_amounts(third), sum_amounts(in_kind), sum_amounts(resources_of(d, {OWN_FUNDS}))


@rules.rule(
    "cofinancement", "Projet co-financé par des acteurs publics ou privés (phase 2)", clause="cofinancement-obligatoire"
)
def mandatory_cofinancing(d: Dossier) -> Outcome:
    """« Au-delà de l'enveloppe de la Banque des Territoires, le projet devra être impérativement co-financé par des
    acteurs publics ou privés. Les apports en nature pourront être valorisés dans le cadre de ce co-financement. »
    « Une absence de co-financement à ce jour n'empêchera pas […] un accompagnement méthodologique. »"""
    if phase(d) != FINANCIAL:
        return ok("Co-financement non exigé pour l'accompagnement méthodologique (phase 1).")
    bdt = sum_amounts(resources_of(d, {BDT}))
    third, in_kind, own = cofinancing(d)
    if third > 0:
        return ok(
            f"Co-financement par d'autres acteurs : {euros(third)} (dont {euros(in_kind)} en nature), "
            f"au-delà de l'enveloppe Banque des Territoires de {euros(bdt)}."
        )
    if own > 0:
        return to_check(
            f"Seul l'autofinancement de la collectivité ({euros(own)}) complète l'enveloppe Banque des Territoires "
            f"({euros(bdt)}) : le texte exige un co-financement « par des acteurs publics ou privés » sans dire "
            "si l'apport propre du porteur suffit ; à confirmer auprès de la Banque des Territoires."
        )
    return ko(
        f"Aucun co-financement : hors Banque des Territoires ({euros(bdt)}), les ressources sont de {euros(third + own)}."
    )


@rules.rule(
    "subvention_indicative",
    "Subvention demandée dans le montant indicatif",
    clause=P["indicative_grant"].clause,
    blocking=False,
    applies=FINANCIAL_ONLY,
)
def indicative_grant(d: Dossier) -> Outcome:
    """« A titre indicatif, la subvention peut s'élever jusqu'à 40 000€. » (montant défini par la Banque des Territoires)"""
    lines = resources_of(d, {BDT})
    if not lines:
        raise MissingData(
            "budget.resources",
            "list",
            why="Aucune ressource « Banque des Territoires » dans le plan de "
            "financement : indiquez la subvention demandée.",
        )
    asked = sum_amounts(lines)
    if asked <= P.indicative_grant:
        return ok(f"Subvention demandée : {euros(asked)} ; montant indicatif : jusqu'à {euros(P.indicative_grant)}.")
    return ko(
        f"Subvention demandée : {euros(asked)}, au-delà du montant indicatif de {euros(P.indicative_grant)} "
        f"(écart {euros(asked - P.indicative_grant)}) : non éliminatoire, le montant est défini par la Banque des "
        "Territoires."
    )


def requested_grant_amount(d: Dossier) -> Decimal:
    """The grant asked of the Banque des Territoires: its lines in the financing plan."""
    return sum_amounts(resources_of(d, {BDT}))


# « Ne seront notamment pas financés … » and « n'aura pas vocation à financer les frais de fonctionnement … » :
# what the BdT grant does not pay, read from the expense lines (the project may still hold them, paid by
# its co-financers). The same shared rule as FITN7's and the Indre-et-Loire fund's exclusions; phase 2 only.
EXCLUDED = tuple(P.excluded_expenses) + tuple(P.excluded_running_costs)
excluded_expense_rule(
    rules,
    "depenses_exclues",
    P["excluded_expenses"],
    applies=FINANCIAL_ONLY,
    label="Dépenses que l'AMI ne finance pas : hors de la subvention (phase 2)",
    every_excluded=EXCLUDED,
    requested=requested_grant_amount,
    quote="« Ne seront notamment pas financés les investissements dans des solutions numériques "
    "territoriales spécifiques […], le co-financement d'un ETP d'animation commerciale, "
    "l'accompagnement numérique sur des compétences avancées […], ou l'achat d'équipement ou de "
    "logiciels pour les TPE ».",
)
excluded_expense_rule(
    rules,
    "fonctionnement_deja_finance",
    P["excluded_running_costs"],
    applies=FINANCIAL_ONLY,
    label="Fonctionnement d'un dispositif déjà financé : hors de la subvention (phase 2)",
    every_excluded=EXCLUDED,
    requested=requested_grant_amount,
    quote="« L'appui financier […] n'aura pas vocation à financer les frais de fonctionnement de "
    "dispositifs d'inclusion numérique pour lesquels la collectivité territoriale aura déjà "
    "bénéficié d'un appui financier ».",
)
declared_expenses_rule(
    rules,
    "concordance_exclusions",
    "depenses-exclues",
    applies=FINANCIAL_ONLY,
    label="Réponses sur les dépenses non financées conformes aux lignes",
    declared={
        "exclusions.territorial_digital_solutions": ["solutions_territoriales"],
        "exclusions.commercial_animation_fte": ["etp_animation_commerciale"],
        "exclusions.advanced_skills": ["competences_avancees"],
        "exclusions.equipment_software_for_tpe": ["equipement_logiciels_tpe"],
        "exclusions.running_costs_funded_schemes": ["fonctionnement_dispositif_finance"],
    },
)

# The text does not require the plan to balance (advisory), and phase 1 has no budget at all.
budget_consistency_rules(rules, "plan-financement", within="budget", balance_required=False, applies=FINANCIAL_ONLY)


def selection_rule(
    rules: RuleSet, id: str, source: Source, *, label: str, phase: str, field: str, missing: str
) -> None:
    """One yes/no selection criterion of a phase: the text ranks candidates on it, it does not bar them (advisory)."""
    flag_rule(
        rules,
        id,
        source,
        label=label,
        field=field,
        blocking=False,
        applies=in_phase(phase),
        held=f"Critère de sélection rempli : {label[0].lower()}{label[1:]}.",
        unmet=f"Critère de sélection non rempli : {missing}.",
    )


selection_rule(
    rules,
    "selection_etat_des_lieux",
    "criteres-accompagnement-methodologique-etat-des-lieux",
    label="Connaissance des enjeux et état des lieux des actions menées",
    phase=METHODOLOGICAL,
    field="selection_methodological.issues_and_inventory",
    missing="le dossier ne présente pas d'état des lieux des actions menées (la maturité, elle, n'est pas un critère)",
)
selection_rule(
    rules,
    "selection_partenaires_identifies",
    "criteres-accompagnement-methodologique-partenaires",
    label="Premiers partenaires identifiés",
    phase=METHODOLOGICAL,
    field="selection_methodological.partners_identified",
    missing="aucun premier partenaire à mobiliser n'est identifié",
)
selection_rule(
    rules,
    "selection_projet_besoins",
    "criteres-accompagnement-methodologique-projet",
    label="Projet reflétant les besoins du territoire",
    phase=METHODOLOGICAL,
    field="selection_methodological.project_meets_needs",
    missing="le projet ne reflète pas les besoins du territoire en inclusion numérique des TPE",
)
selection_rule(
    rules,
    "selection_partenaires_mobilises",
    "criteres-appui-financier-partenaires",
    label="Partenaires privés et / ou publics mobilisés",
    phase=FINANCIAL,
    field="selection_financial.partners_mobilised",
    missing="aucun partenaire privé ou public n'est mobilisé",
)

REFINED_PROJECT = {
    "objectives_identified": "les objectifs",
    "approach_described": "la démarche",
    "indicators_defined": "les indicateurs",
    "budget_items_described": "la description des postes du budget",
}


@rules.rule(
    "selection_projet_affine",
    "Projet affiné : objectifs, démarche, indicateurs, postes du budget",
    clause="criteres-appui-financier-projet-affine",
    blocking=False,
    applies=FINANCIAL_ONLY,
)
def refined_project(d: Dossier) -> Outcome:
    """« Présenter un projet affiné […] (Identification des objectifs, de la démarche, des indicateurs, description des postes du budget) »."""
    missing = [label for key, label in REFINED_PROJECT.items() if not d.flag(f"selection_financial.{key}")]
    if missing:
        return ko("Critère de sélection non rempli : le projet affiné ne présente pas " + ", ".join(missing) + ".")
    return ok("Projet affiné : objectifs, démarche, indicateurs et postes du budget présentés.")


@rules.rule(
    "engagements_suivi",
    "Partage d'expérience et reporting final (phase 2)",
    clause="suivi-actions",
    applies=FINANCIAL_ONLY,
)
def follow_up_commitments(d: Dossier) -> Outcome:
    """« Participeront activement aux sessions de partage d'expérience […] ; Partageront un reporting final […] »."""
    missing = unticked(
        d,
        {
            "commitments.experience_sharing": "participer aux sessions de partage d'expérience",
            "commitments.final_reporting": "partager un reporting final avec indicateurs",
        },
    )
    if missing:
        return ko(
            ("Engagements non pris : " if len(missing) > 1 else "Engagement non pris : ") + " ; ".join(missing) + "."
        )
    return ok("Engagements de suivi pris : sessions de partage d'expérience et reporting final.")


flag_rule(
    rules,
    "engagement_mise_en_oeuvre",
    "engagement-mise-en-oeuvre",
    applies=FINANCIAL_ONLY,
    label="Engagement à mettre en œuvre le projet conventionné (phase 2)",
    field="commitments.implement_project",
    held="Engagement pris de mettre en œuvre le projet décrit dans la convention.",
    unmet="Engagement non pris : mettre en œuvre le projet décrit dans la convention.",
    quote="« les lauréats s'engagent à mettre en œuvre le projet décrit dans leur convention ».",
)
flag_rule(
    rules,
    "protection_donnees",
    "engagement-protection-donnees",
    label="Engagement de protection des données personnelles",
    field="commitments.data_protection",
    held="Engagement pris de respecter le RGPD (UE) 2016/679 et la loi 78-17 du 6 janvier 1978 modifiée.",
    unmet="Engagement non pris : respecter la réglementation sur la protection des données personnelles.",
    quote="« le porteur de projet s'engage à respecter la réglementation relative à la protection des données à "
    "caractère personnel ».",
)

identifier_rules(rules, "porteurs-eligibles", within="identifiants")


@rules.figure("cout_total", "Montant total du projet")
def total_cost(d: Dossier) -> FigureValue | None:
    lines = [line for line in d.items("budget.expenses") if isinstance(line, dict)]
    if not lines:
        return None
    total = total_expenses(d)
    terms = " + ".join(euros(sum_amounts([line])) for line in lines)
    return FigureValue(total, f"Somme des postes de dépenses : {terms} = {euros(total)}")


@rules.figure("subvention_demandee", "Subvention demandée à la Banque des Territoires")
def requested_grant(d: Dossier) -> FigureValue | None:
    lines = resources_of(d, {BDT})
    if not lines:
        return None
    asked = sum_amounts(lines)
    return FigureValue(
        asked,
        f"Ressources « Banque des Territoires » : {euros(asked)} "
        f"(à titre indicatif, jusqu'à {euros(P.indicative_grant)})",
    )


@rules.figure("cofinancement", "Co-financement hors Banque des Territoires")
def cofinancing_figure(d: Dossier) -> FigureValue | None:
    if not d.items("budget.resources"):
        return None
    third, in_kind, own = cofinancing(d)
    return FigureValue(
        third + own,
        f"Autres financeurs {euros(third)} (dont {euros(in_kind)} en nature) "
        f"+ autofinancement {euros(own)} = {euros(third + own)}",
    )


CALL = Call.of(__name__, rules)
