"""The budget's shared quantities, named once and read by every call: the expense and resource
lines, the total expenses, what each kind of funder brings, the expenses of some categories, the
eligible base once a text's exclusions are taken out, and a share of a whole.

Each reads the lines as the dossier gives them and raises MissingData for an answer a figure
needs: an absent or empty list, a line without its amount, its funder kind or its category.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .dossier import Dossier
from .money import to_decimal


def sum_amounts(lines: list) -> Decimal:
    """Sum of the 'amount' of budget lines; a malformed amount raises ValueError."""
    amounts = (to_decimal(line["amount"]) for line in lines if isinstance(line, dict) and "amount" in line)
    return sum(amounts, Decimal(0))


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


# ---- resources by kind of funder (common.schema.json#/$defs/resource, funder_kind) ---------------


def resources_of(d: Dossier, kinds: Iterable[str]) -> list:
    """The resource lines whose funder is of one of `kinds`."""
    wanted = set(kinds)
    return [r for r in resource_lines(d) if r["funder_kind"] in wanted]


def resources_besides(d: Dossier, kinds: Iterable[str]) -> list:
    """The resource lines whose funder is of none of `kinds`."""
    left_out = set(kinds)
    return [r for r in resource_lines(d) if r["funder_kind"] not in left_out]


def resources_from(d: Dossier, kinds: Iterable[str]) -> Decimal:
    """What the funders of `kinds` bring (« les recettes de l'État », « l'autofinancement »)."""
    return sum_amounts(resources_of(d, kinds))


def share(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole, 0 for an empty whole."""
    return part / whole if whole else Decimal(0)


# ---- expense lines by category --------------------------------------------------------------
# A call's schema gives each budget line one of the expense categories its text names
# ($defs/expense). What the text excludes or limits is read from those lines, whatever a dossier
# declares elsewhere: a self-declared total is at most a recap that must agree with them.


def categorised_expenses(d: Dossier) -> list[tuple[str, Decimal]]:
    """(category, amount) of every expense line: MissingData for an absent or empty list, or for a
    line without its category or its amount (budget.expenses.<n>.category, .amount)."""
    lines = d.rows("budget.expenses")
    return [(d.get(f"budget.expenses.{n}.category"), d.money(f"budget.expenses.{n}.amount")) for n in range(len(lines))]


def expenses_in(d: Dossier, categories: Iterable[str]) -> Decimal:
    """The total of the expense lines whose category is one of `categories`."""
    wanted = set(categories)
    return sum((amount for category, amount in categorised_expenses(d) if category in wanted), Decimal(0))


def eligible_base(d: Dossier, excluded: Iterable[str]) -> Decimal:
    """Every expense line but those in an excluded category: the base a grant may pay."""
    return total_expenses(d) - expenses_in(d, excluded)
