"""What a rule still needs, and which answers would decide the most: the report's `missing` and `questions`.

A rule that lacks a field raises MissingData at the first one it reads. To name all the fields it
needs, the rule is run again on a copy of the dossier where that field holds a stand-in value of
the right type, taken from the call's JSON Schema (first choice of a list, « oui », zero, a date,
a short text); whatever it asks for next is recorded in turn, until it concludes or stops making
progress. The stand-in outcome is thrown away: only the list of fields is kept.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from .dossier import Dossier, MissingData
from .model import Question, Status, Verdict
from .money import to_decimal
from .schemas import SchemaNode, schema_view, title_at

MAX_ROUNDS = 40  # a rule reads a few dozen fields at most; past this, stop looking
MAX_DEPTH = 8  # nesting of the stand-in objects built from the schema
_NONE = object()  # no stand-in can be found: stop
STAND_IN_DATE = "2000-01-01"
STAND_IN_TEXT = "…"
# Short texts tried, in order, against a field's pattern (an hour, a code, a SIREN, a SIRET…).
_PATTERN_CANDIDATES = ("12:00", "00", "71", "000000000", "00000000000000", "0385000000", "x", "A")


# --- JSON pointers and dotted paths ---------------------------------------------------------


def pointer_of(dotted: str) -> str:
    """'budget.expenses.0.amount' → '/budget/expenses/0/amount' (RFC 6901 escapes)."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in dotted.split("."))


def dotted_of(pointer: str) -> str:
    parts = pointer.lstrip("/").split("/") if pointer not in ("", "/") else []
    return ".".join(p.replace("~1", "/").replace("~0", "~") for p in parts)


# --- the schema at a dotted path --------------------------------------------------------------


def field_at(name: str, dotted: str) -> SchemaNode | None:
    """The schema of the field at a dotted path of a call's dossier (schemas.SchemaView), or None if
    the schema has none."""
    return schema_view(name).node_at(dotted.split("."))


# --- stand-in values ---------------------------------------------------------------------------


def _type(node: dict) -> str | None:
    types = node.get("type")
    if isinstance(types, list):
        return next((t for t in types if t != "null"), None)
    if types is None and "properties" in node:
        return "object"
    return types


def stand_in(field: SchemaNode, depth: int = 0) -> Any:
    """A value the schema admits, of the field's type: what a rule needs to read on."""
    node = field.merged
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    kind = _type(node)
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        # Zero, or the least value the schema admits when that is more.
        low = max(to_decimal(node.get("minimum", 0)), Decimal(0))
        if "exclusiveMinimum" in node:
            low = max(low, to_decimal(node["exclusiveMinimum"]) + 1)
        return int(low) if kind == "integer" else low
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date":
            return STAND_IN_DATE
        if fmt == "date-time":
            return f"{STAND_IN_DATE}T00:00:00+01:00"
        if fmt == "email":
            return "nom@exemple.fr"
        if "pattern" in node:
            try:
                pattern = re.compile(node["pattern"])
            except re.error:
                return STAND_IN_TEXT
            return next((c for c in _PATTERN_CANDIDATES if pattern.search(c)), STAND_IN_TEXT)
        return STAND_IN_TEXT
    if depth >= MAX_DEPTH:
        return _NONE
    if kind == "array":
        items = field.items()
        item = stand_in(items, depth + 1) if items else _NONE
        return [item] if item is not _NONE else []
    if kind == "object":
        value = {}
        for name in field.required:
            child = field.member(name)
            child = stand_in(child, depth + 1) if child is not None else _NONE
            if child is not _NONE:
                value[name] = child
        return value
    return _NONE


def _fits(value: Any, kind: str | None) -> bool:
    """Whether the reader that raised MissingData (d.flag, d.money, d.date, d.rows) accepts the value."""
    if value is _NONE or value is None or value == "":
        return False
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        try:
            to_decimal(value)
        except ValueError:
            return False
        return True
    if kind == "date":
        try:
            return isinstance(value, str) and bool(date.fromisoformat(value))
        except ValueError:
            return False
    if kind == "list":
        return isinstance(value, list) and bool(value)
    return True


_FALLBACKS = {"boolean": True, "number": 0, "date": STAND_IN_DATE, "list": [{}], None: STAND_IN_TEXT}


@lru_cache(maxsize=4096)
def _stand_in_for(name: str, dotted: str, kind: str | None) -> Any:
    found = field_at(name, dotted)
    value = stand_in(found) if found else _NONE
    return value if _fits(value, kind) else _FALLBACKS.get(kind, _NONE)


def stand_in_for(name: str, dotted: str, kind: str | None = None) -> Any:
    """The stand-in of the field at `dotted` in call schema `name`, acceptable to the reader `kind`."""
    value = _stand_in_for(name, dotted, kind)
    return value if value is _NONE else copy.deepcopy(value)


# --- every field a rule needs ----------------------------------------------------------------


def needed_fields(check: Callable[[Dossier], Any], dossier: Dossier, schema: str, first: MissingData) -> list[str]:
    """The dotted paths of every field the rule needs and the dossier lacks, `first` first."""
    found = [first.path]
    overlay, absent = dossier, first
    for _ in range(MAX_ROUNDS):
        value = stand_in_for(schema, absent.path, absent.kind)
        if value is _NONE:
            break
        overlay = overlay.with_value(absent.path, value)
        try:
            check(overlay)
        except MissingData as more:
            if more.path in found:
                break  # the stand-in did not satisfy the rule: no progress
            found.append(more.path)
            absent = more
            continue
        except Exception:  # noqa: BLE001 — a stand-in the rule cannot use ends the search, nothing more
            break
        break
    return found


# --- the ranked questions --------------------------------------------------------------------


def field_title(schema: str, dotted: str) -> str:
    """The field's French title; a field of a list's row says which: « Dépenses, ligne 2 : Montant (€) »."""
    parts = dotted.split(".")
    rows = [i for i, part in enumerate(parts) if part.isdigit()]
    if not rows:
        return title_at(schema, dotted)
    last = rows[-1]
    row = f"{title_at(schema, '.'.join(parts[:last]))}, ligne {int(parts[last]) + 1}"
    return row if last == len(parts) - 1 else f"{row} : {title_at(schema, dotted)}"


@lru_cache(maxsize=None)
def form_order(name: str) -> dict[str, int]:
    """Every field of a call's dossier, as a dotted path ('*' for a row), numbered in schema order:
    the order its properties appear, following $ref into common.schema.json."""
    order: dict[str, int] = {}

    def walk(field: SchemaNode, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        items = field.items()
        if items:
            walk(items, f"{prefix}.*" if prefix else "*", depth + 1)
            return
        for child in field.property_names:
            path = f"{prefix}.{child}" if prefix else child
            order.setdefault(path, len(order))
            walk(field.member(child), path, depth + 1)

    walk(schema_view(name).root, "", 0)
    return order


def form_rank(name: str, dotted: str) -> tuple:
    """Sort key of a field in form order; a field the schema does not know sorts after its parent."""
    order = form_order(name)
    parts = dotted.split(".")
    rows = tuple(int(p) for p in parts if p.isdigit())
    general = ["*" if p.isdigit() else p for p in parts]
    for cut in range(len(general), 0, -1):
        key = ".".join(general[:cut])
        if key in order:
            return (order[key], len(general) - cut, rows, dotted)
    return (len(order), len(general), rows, dotted)


def is_list(schema: str, dotted: str) -> bool:
    field = field_at(schema, dotted)
    return field is not None and _type(field.merged) in ("array", "object")


def rank_questions(schema: str, verdicts: list[Verdict]) -> list[Question]:
    """Every field an undecided rule still needs, the one answer that decides most first.

    An answer some blocking rule waits for comes before one only advisory rules need; then a single
    answer before a list of lines (a budget costs many answers); then the answer
    that alone decides the most blocking rules (their only missing field), then the one most
    undecided blocking rules wait for, then the most rules of any kind, then the form's order.
    """
    needs: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.status == Status.TO_COMPLETE.value:
            for pointer in verdict.missing:
                needs.setdefault(pointer, []).append(verdict)
    questions = []
    for pointer, waiting in needs.items():
        dotted = dotted_of(pointer)
        alone = sum(v.blocking and v.missing == [pointer] for v in waiting)
        questions.append(
            (
                (
                    not any(v.blocking for v in waiting),
                    is_list(schema, dotted),
                    -alone,
                    -sum(v.blocking for v in waiting),
                    -len(waiting),
                    form_rank(schema, dotted),
                ),
                Question(
                    pointer, field_title(schema, dotted), [v.rule for v in waiting], sum(v.blocking for v in waiting)
                ),
            )
        )
    return [question for _, question in sorted(questions, key=lambda pair: pair[0])]
