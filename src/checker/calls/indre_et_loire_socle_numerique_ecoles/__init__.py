"""Préfecture d'Indre-et-Loire, lettre du 18 février 2021, mesure 2: the national call for a digital
base (socle numérique) in primary schools, relayed by the letter."""

from __future__ import annotations

from decimal import Decimal

from ...budget import expenses_in, resources_from, share, total_expenses
from ...dossier import Dossier
from ...model import Outcome, ko, ok, to_check
from ...money import euros, percent
from ...rules import FigureValue, RuleSet
from ...standard_rules import (
    budget_consistency_rules,
    deadline_rule,
    declared_expenses_rule,
    flag_rule,
    identifier_rules,
)
from ...vocabulary import LOCAL_AUTHORITIES, applicant_label
from .._indre_et_loire_common import all_true, departement_advice_rule, measure_call

rules = RuleSet.of(__name__, prefix="ietl_ecoles")
P = rules.params
OWN_FUNDS = {"autofinancement", "bloc_communal"}


# « doivent être déposés avant le 31 mars » : the year is the letter's (18 February 2021), and
# "avant le 31" closes at the end of the 30th (CONTRIBUTING.md).
deadline_rule(rules, "date_limite", P["deadline"])


def volets_base(d: Dossier) -> Decimal:
    """The expense lines of the three volets (their category): the base the 50 %–70 % aid applies to."""
    return expenses_in(d, P.volets)


@rules.rule("porteur", "Projet porté par une collectivité locale", clause="projet-conjoint")
def applicant(d: Dossier) -> Outcome:
    """« Les projets sont construits conjointement par les collectivités locales concernées et les équipes
    pédagogiques »."""
    kind = d.get("applicant.kind")
    if kind in LOCAL_AUTHORITIES:
        return ok(f"{applicant_label(kind)} : collectivité locale, porteur admis.")
    return ko(
        f"{applicant_label(kind)} : les projets sont construits par les collectivités locales concernées ; "
        "ce porteur n'en est pas une."
    )


@rules.rule("niveau_ecoles", "Écoles élémentaires et primaires (cycles 2 & 3)", clause="ecoles-eligibles")
def school_levels(d: Dossier) -> Outcome:
    """« l'ensemble des écoles élémentaires et primaires (cycles 2 & 3) »."""
    schools = d.rows("schools")
    levels = [d.get(f"schools.{n}.level") for n in range(len(schools))]
    others = [s.get("name", "?") for s, level in zip(schools, levels) if level not in P.school_levels]
    if others:
        return ko(f"Hors du périmètre (ni élémentaire ni primaire) : {', '.join(others)}.")
    return ok(
        f"{len(schools)} école élémentaire ou primaire (cycles 2 et 3)."
        if len(schools) == 1
        else f"{len(schools)} écoles, toutes élémentaires ou primaires (cycles 2 et 3)."
    )


@rules.rule("socle_non_atteint", "Écoles n'ayant pas atteint le socle numérique de base", clause="ecoles-eligibles")
def below_base(d: Dossier) -> Outcome:
    """« … qui n'ont pas atteint le socle numérique de base »."""
    schools = d.rows("schools")
    reached = [s.get("name", "?") for n, s in enumerate(schools) if d.flag(f"schools.{n}.socle_reached")]
    if reached:
        return ko(
            f"Socle numérique de base déjà atteint : {', '.join(reached)} ; "
            + ("ces écoles ne sont pas visées." if len(reached) > 1 else "cette école n'est pas visée.")
        )
    return ok("Aucune des écoles n'a atteint le socle numérique de base.")


@rules.rule(
    "projet_conjoint", "Projet conjoint, diagnostic partagé, objectifs validés par tous", clause="projet-conjoint"
)
def joint_project(d: Dossier) -> Outcome:
    """« construits conjointement par les collectivités locales concernées et les équipes pédagogiques sur la base
    d'un diagnostic partagé et d'objectifs validés par tous »."""
    good, missing = all_true(
        d,
        {
            "eligibility.joint_project": "construction conjointe avec les équipes pédagogiques",
            "eligibility.shared_diagnosis": "diagnostic partagé",
            "eligibility.objectives_validated": "objectifs validés par tous",
        },
    )
    if good:
        return ok(
            "Projet construit avec les équipes pédagogiques, sur un diagnostic partagé et des objectifs validés par tous."
        )
    return ko(f"Manque : {missing}.")


@rules.rule("volets", "Dépenses relevant des trois volets du projet", clause=P["volets"].clause)
def three_volets(d: Dossier) -> Outcome:
    """« projets fondés sur trois volets essentiels » : équipement ; services et ressources numériques ;
    accompagnement à la prise en main. The letter does not say what becomes of other expenses."""
    volets, total = volets_base(d), total_expenses(d)
    if volets == total:
        return ok(f"Toutes les lignes de dépenses ({euros(total)}) relèvent des trois volets.")
    return to_check(
        f"Lignes de dépenses hors des trois volets : {euros(total - volets)} sur {euros(total)} ; "
        "la lettre ne dit pas si elles sont aidées : à vérifier."
    )


declared_expenses_rule(
    rules,
    "concordance_volets",
    P["volets"],
    label="Récapitulatif par volet conforme aux lignes de dépenses",
    declared={f"volets.{volet}": [volet] for volet in P.volets},
)


@rules.rule("taux_max", "Aide de l'État au plus {max_rate}", clause=P["max_rate"].clause)
def max_rate(d: Dossier) -> Outcome:
    """« L'aide de l'État est comprise entre 50% et 70% » : above 70 % is certainly refused."""
    asked, base = d.money("funding.requested"), volets_base(d)
    ceiling = base * P.max_rate
    message = (
        f"Aide demandée : {euros(asked)} ({percent(share(asked, base))} des dépenses des trois volets, "
        f"{euros(base)}) ; maximum : {euros(ceiling)} ({percent(P.max_rate)})."
    )
    return ok(message) if asked <= ceiling else ko(message)


@rules.rule("taux", "Taux d'aide selon la nature de la dépense", clause=P["min_rate"].clause, blocking=False)
def rate(d: Dossier) -> Outcome:
    """« … selon la nature de la dépense et le montant engagé par la collectivité » : the rate per expense is
    not given, so the aid actually granted can only be bracketed."""
    asked, base = d.money("funding.requested"), volets_base(d)
    low, high = base * P.min_rate, base * P.max_rate
    bracket = f"entre {euros(low)} ({percent(P.min_rate)}) et {euros(high)} ({percent(P.max_rate)})"
    if asked > high:
        return ko(f"Aide demandée : {euros(asked)}, au-delà de {euros(high)} ({percent(P.max_rate)}).")
    where = "dans la fourchette" if asked >= low else "en deçà du taux minimal"
    return to_check(
        f"Aide demandée : {euros(asked)}, {where} ; l'aide sera {bracket}, selon la nature de chaque "
        "dépense et le montant engagé par la collectivité, taux que la lettre ne détaille pas : à vérifier."
    )


@rules.rule(
    "engagement_collectivite", "Montant engagé par la collectivité", clause=P["max_rate"].clause, blocking=False
)
def local_share(d: Dossier) -> Outcome:
    """« L'aide de l'État est comprise entre 50% et 70% selon la nature de la dépense et le montant engagé par la
    collectivité » : the amount committed sets the rate; the letter does not make it a condition (advisory)."""
    own, base = resources_from(d, OWN_FUNDS), volets_base(d)
    if own > 0:
        return ok(
            f"Montant engagé par la collectivité : {euros(own)} ({percent(share(own, base))} des dépenses des trois volets)."
        )
    return ko(
        "Aucun montant engagé par la collectivité (autofinancement ou commune/intercommunalité) : l'aide de l'État, "
        f"entre {percent(P.min_rate)} et {percent(P.max_rate)}, dépend de ce montant. La lettre n'en fait pas "
        "une condition (non éliminatoire), mais le taux accordé en tiendra compte."
    )


flag_rule(
    rules,
    "depot",
    "depot-demarches-simplifiees",
    label="Dépôt sur l'application « démarches simplifiées »",
    field="pieces.demarches_simplifiees",
    held="Projet déposé sur « démarches simplifiées ».",
    unmet="Le projet doit être déposé sur l'application « démarches simplifiées ».",
    quote="« l'application « démarches simplifiées » a été retenue pour candidater ».",
)


departement_advice_rule(
    rules,
    "territoire",
    P["relay_departement"],
    departement=P.relay_departement,
    programme="l'appel à projets pour un socle numérique dans les écoles élémentaires",
)
budget_consistency_rules(rules, P["volets"], balance_required=False)
identifier_rules(rules, "depot-demarches-simplifiees")


def aid_at(d: Dossier, rate: Decimal) -> FigureValue:
    """The State's aid at `rate` of the three volets' expenses, with its computation."""
    base = volets_base(d)
    return FigureValue(
        base * rate, f"{percent(rate)} × {euros(base)} (dépenses des trois volets) = {euros(base * rate)}"
    )


@rules.figure("aide_min", "Aide de l'État minimale ({min_rate})")
def min_aid(d: Dossier) -> FigureValue:
    return aid_at(d, P.min_rate)


@rules.figure("aide_max", "Aide de l'État maximale ({max_rate})")
def max_aid(d: Dossier) -> FigureValue:
    return aid_at(d, P.max_rate)


@rules.figure("reste_a_charge_min", "Part restant à financer hors aide de l'État, au moins")
def min_rest(d: Dossier) -> FigureValue:
    base = volets_base(d)
    rest = base - base * P.max_rate
    return FigureValue(rest, f"{euros(base)} − {percent(P.max_rate)} × {euros(base)} = {euros(rest)}")


CALL = measure_call(__name__, rules)
