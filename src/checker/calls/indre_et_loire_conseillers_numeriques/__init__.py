"""Préfecture d'Indre-et-Loire, lettre du 18 février 2021, mesure 3: the conseillers numériques France
Services (national ANCT programme), with the departmental contingent the letter states."""

from __future__ import annotations

from decimal import Decimal

from ...dossier import Dossier, MissingData
from ...model import Outcome, ko, ok, to_check
from ...money import euros, percent
from ...rules import FigureValue, RuleSet
from ...standard_rules import budget_consistency_rules, flag_rule, identifier_rules
from ...vocabulary import LOCAL_AUTHORITIES, applicant_label
from .._indre_et_loire_common import departement_advice_rule, measure_call, no_deadline_rule

rules = RuleSet.of(__name__, prefix="ietl_cnfs")
P = rules.params
ASSOCIATIVE = "association_ess"

no_deadline_rule(
    rules,
    "date_limite",
    "candidature-au-fil-de-l-eau",
    what="Candidatures « au fil de l'eau » sur la plateforme nationale",
)


def grant(d: Dossier) -> Decimal:
    return P.grant_per_advisor * d.get("recruitment.advisors")


@rules.rule(
    "porteur", "Structure : collectivité territoriale, association ou structure de l'ESS", clause="structures-eligibles"
)
def applicant(d: Dossier) -> Outcome:
    """« les Conseillers numériques sont recrutés par les collectivités territoriales et les structures
    associatives et de l'ESS volontaires » ; yet « Les structures privées et publiques peuvent candidater »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in LOCAL_AUTHORITIES or kind == ASSOCIATIVE:
        return ok(f"{label} : structure qui peut recruter des conseillers numériques.")
    return to_check(
        f"{label} : ni collectivité territoriale ni structure associative ou de l'ESS, que la lettre "
        "nomme ; elle admet pourtant « les structures privées et publiques » : à vérifier auprès de l'ANCT."
    )


@rules.rule("subvention", "Subvention au plus {grant_per_advisor} par conseiller", clause=P["grant_per_advisor"].clause)
def grant_cap(d: Dossier) -> Outcome:
    """« Subvention de 50 000€ par conseiller, financée sur 24 mois, versée en 3 tranches »."""
    asked, advisors = d.money("funding.requested"), d.get("recruitment.advisors")
    cap = grant(d)
    message = (
        f"Subvention demandée : {euros(asked)} ; maximum : {euros(cap)} ({advisors} conseiller{'s' if advisors > 1 else ''} × "
        f"{euros(P.grant_per_advisor)})."
    )
    return ok(message) if asked <= cap else ko(message)


@rules.rule("remuneration_smic", "Conseiller rémunéré au moins au SMIC", clause="remuneration-smic")
def minimum_wage(d: Dossier) -> Outcome:
    """« … qui aura pour charge de rémunérer le conseiller à hauteur du SMIC au minimum » : the letter gives
    no SMIC amount, so the dossier has to state the one in force."""
    pay = d.money("recruitment.monthly_gross_pay")
    if not d.has("recruitment.smic_monthly_gross"):
        raise MissingData(
            "recruitment.smic_monthly_gross",
            "number",
            why=f"Rémunération prévue : {euros(pay)} brut par mois ; la lettre ne donne pas le montant du SMIC : "
            "indiquez le SMIC brut mensuel en vigueur pour le vérifier.",
        )
    smic = d.money("recruitment.smic_monthly_gross")
    message = f"Rémunération prévue : {euros(pay)} brut par mois ; SMIC indiqué : {euros(smic)} brut par mois."
    return ok(message) if pay >= smic else ko(message + " Le conseiller doit être rémunéré au SMIC au minimum.")


@rules.rule(
    "contingent",
    "Dans le contingent de {contingent} postes de l'Indre-et-Loire",
    clause=P["contingent"].clause,
    blocking=False,
)
def contingent(d: Dossier) -> Outcome:
    """« Le chiffre de 35 postes de conseiller numérique a été retenu en Indre-et-Loire. Ce contingent est
    susceptible de révision ultérieure. »"""
    advisors, code = d.get("recruitment.advisors"), d.get("applicant.departement")
    if code != P.departement:
        return to_check(
            f"Porteur situé dans le département {code} : le contingent de {P.contingent} postes est celui "
            "de l'Indre-et-Loire ; celui de votre département n'est pas dans cette lettre."
        )
    if advisors <= P.contingent:
        return ok(
            f"{advisors} {'postes demandés' if advisors > 1 else 'poste demandé'}, dans le contingent de {P.contingent} postes de l'Indre-et-Loire."
        )
    return ko(
        f"{advisors} postes demandés, au-delà du contingent de {P.contingent} postes de l'Indre-et-Loire "
        "(susceptible de révision) : avertissement, non éliminatoire."
    )


flag_rule(
    rules,
    "plateforme",
    "candidature-au-fil-de-l-eau",
    label="Candidature sur la plateforme nationale",
    field="pieces.national_platform",
    held="Candidature déposée sur la plateforme nationale.",
    unmet="La candidature se fait sur la plateforme nationale de l'ANCT.",
    quote="« Les structures privées et publiques peuvent candidater au fil de l'eau, via la plateforme nationale ».",
)


departement_advice_rule(
    rules,
    "territoire",
    "avis-prefecture",
    departement=P.departement,
    programme="le programme des conseillers numériques France Services",
)
budget_consistency_rules(rules, "financement", balance_required=False)
identifier_rules(rules, "candidature-au-fil-de-l-eau")


@rules.figure("subvention_totale", "Subvention maximale")
def grant_figure(d: Dossier) -> FigureValue:
    advisors, total = d.get("recruitment.advisors"), grant(d)
    return FigureValue(
        total,
        f"{advisors} conseiller{'s' if advisors > 1 else ''} × {euros(P.grant_per_advisor)} = {euros(total)}, financés "
        f"sur {P.grant_months} mois et versés en {P.grant_instalments} tranches",
    )


@rules.figure("formation", "Frais de formation et de certification pris en charge")
def training_figure(d: Dossier) -> FigureValue:
    costs = d.money("recruitment.training_costs")
    return FigureValue(
        costs * P.training_rate, f"{percent(P.training_rate)} × {euros(costs)} = {euros(costs * P.training_rate)}"
    )


CALL = measure_call(__name__, rules)
