"""Banque des Territoires, AMI « Inclusion numérique des TPE » (novembre 2021).

Two phases with their own deadlines: the methodological support (phase 1) and the financial
support (phase 2), open only to those who followed phase 1. The dossier says which phase it
applies to; rules that concern only the other phase answer "sans objet".
"""

from __future__ import annotations

from decimal import Decimal

from ..dates import fr_datetime
from ..dossier import Dossier
from ..model import Outcome, ko, ok, to_check
from ..money import euros
from ..params import Params
from ..rules import Call, FigureValue, RuleSet
from ..standard_rules import (budget_consistency_rules, deadline_rule, filing_moment, identifier_rules,
                              sum_amounts, total_expenses)
from ..vocabulary import LOCAL_AUTHORITIES, applicant_label

P = Params.load("bdt_inclusion_numerique_tpe")
rules = RuleSet()

METHODOLOGICAL, FINANCIAL = "accompagnement_methodologique", "appui_financier"
PHASE_NAMES = {METHODOLOGICAL: "l'accompagnement méthodologique (phase 1)",
               FINANCIAL: "l'appui financier (phase 2)"}
BDT = "caisse_des_depots"
OWN_FUNDS = "autofinancement"


def phase(d: Dossier) -> str:
    value = d.get("phase")
    if value not in PHASE_NAMES:
        raise ValueError(value)
    return value


def not_applicable(d: Dossier) -> Outcome:
    return ok(f"Sans objet pour {PHASE_NAMES[phase(d)]}.")


def resources_of(d: Dossier, *kinds: str, exclude: bool = False) -> list:
    lines = [r for r in d.items("budget.resources") if isinstance(r, dict)]
    return [r for r in lines if (r.get("funder_kind") in kinds) != exclude]


# The standard deadline check, once per phase; the dossier's phase picks which one applies.
_PHASE_DEADLINES = {METHODOLOGICAL: P.deadline_methodological, FINANCIAL: P.deadline_financial}
_PHASE_CHECKS = {}
for _phase, _deadline in _PHASE_DEADLINES.items():
    _private = RuleSet()
    deadline_rule(_private, f"bdt.date_limite.{_phase}", "calendrier-ami", _deadline, opening=P.opening)
    _PHASE_CHECKS[_phase] = _private.rules[0].check


@rules.rule("bdt.date_limite", "Date limite de dépôt de la phase demandée", clause="calendrier-ami")
def deadline(d: Dossier) -> Outcome:
    """« 07 décembre 2021 à 12 H » (appui méthodologique) ; « 18 février 2022 à 12h » (appui financier)."""
    if not d.has("phase"):
        moment, _ = filing_moment(d)
        if moment.date() > P.deadline_financial.date():
            return ko(f"AMI clos pour les deux phases : accompagnement méthodologique jusqu'au "
                      f"{fr_datetime(P.deadline_methodological)}, appui financier jusqu'au {fr_datetime(P.deadline_financial)}.")
    outcome = _PHASE_CHECKS[phase(d)](d)
    return type(outcome)(outcome.status, f"{PHASE_NAMES[phase(d)].capitalize()} : {outcome.message}")


@rules.rule("bdt.porteur", "Candidature portée par une collectivité territoriale ou un groupement", clause="porteurs-eligibles")
def applicant_kind(d: Dossier) -> Outcome:
    """« portées par les collectivités territoriales et leurs groupements, et plus spécifiquement les communes,
    les syndicats de communes, les communautés de communes, les communautés d'agglomération » ;
    « Les métropoles candidates cibleront… »."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in P.named_kinds:
        return ok(f"{label} : porteur cité par l'AMI.")
    if kind in P.metropole_kinds:
        return ok(f"{label} : les métropoles peuvent candidater en ciblant des quartiers particulièrement fragiles et prioritaires.")
    if kind in LOCAL_AUTHORITIES:
        return to_check(f"{label} : collectivité territoriale ou groupement, mais pas au nombre des porteurs cités "
                        "« plus spécifiquement » (communes, syndicats de communes, communautés de communes, "
                        "communautés d'agglomération) : recevabilité à confirmer auprès de la Banque des Territoires.")
    return ko(f"{label} : l'AMI est réservé aux collectivités territoriales et à leurs groupements.")


@rules.rule("bdt.metropole_quartiers", "Une métropole cible des quartiers particulièrement fragiles et prioritaires",
            clause="metropoles-quartiers-fragiles")
def metropole_districts(d: Dossier) -> Outcome:
    """« Les métropoles candidates cibleront des quartiers particulièrement fragiles et prioritaires. »"""
    kind = d.get("applicant.kind")
    if kind not in P.metropole_kinds:
        return ok(f"Sans objet : le porteur n'est pas une métropole ({applicant_label(kind)}).")
    if d.flag("targeting.fragile_priority_districts"):
        return ok("La métropole cible des quartiers particulièrement fragiles et prioritaires.")
    return ko("Une métropole candidate doit cibler des quartiers particulièrement fragiles et prioritaires.")


TARGET_LABELS = {"petite_ville_rurale": "petite ville de zone rurale", "ville_moyenne_peripherique": "ville moyenne périphérique",
                 "quartier_prioritaire": "quartier prioritaire de la ville", "outre_mer": "département ou région d'outre-mer"}


@rules.rule("bdt.cibles_prioritaires", "Territoire parmi les cibles prioritaires", clause="cibles-prioritaires", blocking=False)
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
    return ko("Le territoire ne relève d'aucune cible prioritaire (petites villes rurales, villes moyennes périphériques, "
              "QPV, outre-mer) : la candidature reste possible, mais n'est pas prioritaire.")


@rules.rule("bdt.chef_de_projet", "Dossier porté par un chef de projet opérationnel", clause="chef-de-projet")
def project_lead(d: Dossier) -> Outcome:
    """« Le dossier de candidature sera porté par un chef de projet opérationnel, interlocuteur privilégié
    de la Banque des Territoires. »"""
    if not d.flag("eligibility.operational_project_lead"):
        return ko("Le dossier doit être porté par un chef de projet opérationnel.")
    name, function = d.get("applicant.contact.name"), d.get("applicant.contact.function")
    return ok(f"Chef de projet opérationnel : {name} ({function}).")


@rules.rule("bdt.accompagnement_suivi", "L'appui financier suppose d'avoir suivi l'accompagnement méthodologique",
            clause="condition-accompagnement-prealable")
def followed_phase_one(d: Dossier) -> Outcome:
    """« La démarche pour bénéficier d'un appui financier est conditionnée par la participation à la première
    phase d'accompagnement du dispositif, c'est-à-dire l'appui méthodologique. »"""
    if phase(d) != FINANCIAL:
        return not_applicable(d)
    if d.flag("eligibility.methodological_support_followed"):
        return ok("La collectivité a suivi l'accompagnement méthodologique.")
    return ko("Seules les collectivités ayant suivi l'accompagnement méthodologique peuvent demander l'appui financier.")


@rules.rule("bdt.pieces_accompagnement", "Dossier de candidature complété (phase 1)",
            clause="pieces-accompagnement-methodologique")
def methodological_pieces(d: Dossier) -> Outcome:
    """« Pièces à fournir dans le cadre de l'accompagnement méthodologique : Dossier de candidature complété »."""
    if phase(d) != METHODOLOGICAL:
        return not_applicable(d)
    if d.flag("pieces.application_form"):
        return ok("Dossier de candidature complété : fourni.")
    return ko("Pièce manquante : le dossier de candidature complété.")


@rules.rule("bdt.pieces_appui_financier", "Précisions de mise en œuvre et pièces administratives (phase 2)",
            clause="dossier-appui-financier")
def financial_pieces(d: Dossier) -> Outcome:
    """« un dossier alimenté de précisions sur les modalités de mise en œuvre de leur projet et des pièces
    administratives nécessaires au versement de la subvention » (liste communiquée ultérieurement)."""
    if phase(d) != FINANCIAL:
        return not_applicable(d)
    missing = [label for path, label in (("pieces.implementation_details", "les précisions sur les modalités de mise en œuvre"),
                                         ("pieces.administrative_documents", "les pièces administratives nécessaires au versement"))
               if not d.flag(path)]
    if missing:
        return ko("Pièces manquantes : " + " ; ".join(missing) + ".")
    return ok("Précisions sur la mise en œuvre et pièces administratives (liste communiquée après la phase 1) : fournies.")


@rules.rule("bdt.plan_financement", "Plan de financement et budget prévisionnel présentés (phase 2)", clause="plan-financement")
def financing_plan(d: Dossier) -> Outcome:
    """« la collectivité devra présenter le plan de financement de son projet et un budget prévisionnel. »"""
    if phase(d) != FINANCIAL:
        return not_applicable(d)
    expenses, resources = d.items("budget.expenses"), d.items("budget.resources")
    if expenses and resources:
        return ok(f"Budget prévisionnel : {len(expenses)} poste(s), {euros(total_expenses(d))} ; "
                  f"plan de financement : {len(resources)} ressource(s).")
    absent = [name for name, lines in (("le budget prévisionnel (dépenses)", expenses), ("le plan de financement (ressources)", resources))
              if not lines]
    return ko("Manque " + " et ".join(absent) + ".")


@rules.rule("bdt.montant_total", "Montant total du projet précisé (phase 2)", clause="montant-total-projet")
def total_amount(d: Dossier) -> Outcome:
    """« Il sera attendu de part de la collectivité territoriale de préciser le montant total du projet. »"""
    if phase(d) != FINANCIAL:
        return not_applicable(d)
    if not d.has("budget.total_expenses"):
        return ko("Le montant total du projet (coût global) n'est pas précisé.")
    total = d.money("budget.total_expenses")
    if total <= 0:
        return ko(f"Montant total du projet : {euros(total)} : un montant positif est attendu.")
    return ok(f"Montant total du projet : {euros(total)}.")
