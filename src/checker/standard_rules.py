"""Rules that every call states the same way: the deadline, the budget's own arithmetic, identifiers.

Each builder declares a rule in a call's RuleSet; the call passes its own ids, clause anchors
and parameters, so the report still cites that call's text.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from .dates import fr_date, fr_datetime, paris
from .dossier import Dossier, MissingData
from .model import Outcome, ko, ok
from .money import euros, to_decimal
from .rules import RuleSet


def sum_amounts(lines: list) -> Decimal:
    """Sum of the 'amount' of budget lines; a malformed amount raises ValueError."""
    return sum((to_decimal(line["amount"]) for line in lines if isinstance(line, dict) and "amount" in line), Decimal(0))


def expense_lines(d: Dossier) -> list:
    """The expense lines, each with its amount: MissingData for an absent or empty list, or a line
    without an amount (its pointer: budget.expenses.<n>.amount)."""
    lines = d.rows("budget.expenses")
    for n in range(len(lines)):
        d.money(f"budget.expenses.{n}.amount")
    return lines


def resource_lines(d: Dossier) -> list:
    """The resource lines, each with its funder kind and its amount (MissingData otherwise)."""
    lines = d.rows("budget.resources")
    for n in range(len(lines)):
        d.get(f"budget.resources.{n}.funder_kind")
        d.money(f"budget.resources.{n}.amount")
    return lines


def total_expenses(d: Dossier) -> Decimal:
    return sum_amounts(expense_lines(d))


def total_resources(d: Dossier) -> Decimal:
    return sum_amounts(resource_lines(d))


def filing_moment(d: Dossier) -> tuple[datetime, bool]:
    """When the dossier is filed (Paris time), and whether the hour was given."""
    day = d.date("project.filing_date")
    hour = d.opt("project.filing_time")
    if hour:
        hh, mm = (int(x) for x in hour.split(":"))
        return paris(day, time(hh, mm)), True
    return paris(day), False


def deadline_rule(rules: RuleSet, id: str, clause: str, deadline: datetime, opening: datetime | None = None,
                  label: str = "Date limite de dépôt") -> None:
    """The call's closing date, judged against the dossier's filing date. Declare it first."""

    @rules.rule(id, label, clause)
    def check_deadline(d: Dossier) -> Outcome:
        moment, has_hour = filing_moment(d)
        if opening is not None and moment.date() < opening.date():
            return ko(f"Appel pas encore ouvert : ouverture le {fr_date(opening.date())}, dépôt le {fr_date(moment.date())}.")
        if moment.date() > deadline.date():
            return ko(f"Appel clos : la date limite était le {fr_datetime(deadline)} ; dépôt le {fr_date(moment.date())}.")
        if moment.date() < deadline.date():
            return ok(f"Dépôt le {fr_date(moment.date())}, avant la date limite du {fr_datetime(deadline)}.")
        if deadline.time() >= time(23, 59):
            return ok(f"Dépôt le jour de la clôture ({fr_date(moment.date())}), admis jusqu'à la fin de la journée.")
        if not has_hour:
            raise MissingData("project.filing_time", why=f"Dépôt le jour de la clôture : la limite est le {fr_datetime(deadline)} ; "
                                                         "indiquez l'heure de dépôt.")
        if moment <= deadline:
            return ok(f"Dépôt le {fr_datetime(moment)}, avant la limite du {fr_datetime(deadline)}.")
        return ko(f"Dépôt le {fr_datetime(moment)}, après la limite du {fr_datetime(deadline)}.")


def budget_consistency_rules(rules: RuleSet, prefix: str, clause: str, balance_required: bool = True) -> None:
    """Declared totals equal the sum of their lines; resources cover exactly the expenses."""

    @rules.rule(f"{prefix}.total_depenses", "Le coût global égale la somme des dépenses", clause)
    def declared_total_matches(d: Dossier) -> Outcome:
        lines = total_expenses(d)
        if not d.has("budget.total_expenses"):
            return ok(f"Coût global calculé : {euros(lines)} (somme des lignes de dépenses).")
        declared = d.money("budget.total_expenses")
        if declared == lines:
            return ok(f"Coût global déclaré : {euros(declared)} = somme des lignes de dépenses.")
        return ko(f"Coût global déclaré : {euros(declared)} ; somme des lignes de dépenses : {euros(lines)} (écart {euros(abs(declared - lines))}).")

    @rules.rule(f"{prefix}.equilibre", "Le plan de financement est équilibré (ressources = dépenses)", clause,
                blocking=balance_required)
    def balanced(d: Dossier) -> Outcome:
        spent, funded = total_expenses(d), total_resources(d)
        if spent == funded:
            return ok(f"Ressources : {euros(funded)} = dépenses : {euros(spent)}.")
        side = "excèdent" if funded > spent else "ne couvrent pas"
        return ko(f"Les ressources ({euros(funded)}) {side} les dépenses ({euros(spent)}) : écart de {euros(abs(funded - spent))}.")


def identifier_rules(rules: RuleSet, prefix: str, clause: str) -> None:
    """SIREN and SIRET checksums (Luhn), by python-stdnum; advisory: a typo is not ineligibility."""

    @rules.rule(f"{prefix}.siren", "Le numéro SIREN est valide", clause, blocking=False)
    def valid_siren(d: Dossier) -> Outcome:
        number = d.get("applicant.siren")
        try:
            siren_number.validate(number)
        except NumberError:
            return ko(f"Le numéro SIREN {number} est invalide (clé de contrôle fausse) : vérifiez-le sur l'avis de situation INSEE.")
        siret = d.opt("applicant.siret")
        if siret:
            try:
                siret_number.validate(siret)
            except NumberError:
                return ko(f"Le numéro SIRET {siret} est invalide (clé de contrôle fausse).")
            if not siret.startswith(number):
                return ko(f"Le SIRET {siret} ne commence pas par le SIREN {number}.")
        return ok(f"SIREN {number} valide" + (f", SIRET {siret} valide." if siret else "."))
