"""The one entry point both runtimes call: a dossier in, a report out.

Validate against the call's schema (French messages), then run every rule, whatever the
schema said, so the reader sees all that holds and all that fails at once.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Any

from . import calls as calls_package
from .dossier import Dossier, MissingData
from .missing import field_title, needed_fields, pointer_of, rank_questions
from .model import Figure, Report, Status, Verdict, dossier_verdict, eligible_of
from .money import euros
from .rules import Call
from .schemas import validate


@lru_cache(maxsize=1)
def all_calls() -> dict[str, Call]:
    """Every call module under checker.calls exposes CALL; discovered, not listed by hand."""
    found: dict[str, Call] = {}
    for info in sorted(pkgutil.iter_modules(calls_package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{calls_package.__name__}.{info.name}")
        for call in getattr(module, "CALLS", [getattr(module, "CALL", None)]):
            if call is not None:
                found[call.id] = call
    return found


def get_call(call_id: str) -> Call:
    """The call of this id, importing its own module only when the id names one (checker.calls.<id>)."""
    call = _own_module_call(call_id)
    if call is not None:
        return call
    try:
        return all_calls()[call_id]
    except KeyError:
        known = ", ".join(sorted(all_calls()))
        raise KeyError(f"Appel inconnu : « {call_id} ». Appels disponibles : {known}.") from None


@lru_cache(maxsize=64)
def _own_module_call(call_id: str) -> Call | None:
    # A page checks one call: importing the other calls' rules would only delay its first report.
    name = call_id.replace("-", "_")
    if not name.isidentifier() or name.startswith("_"):
        return None
    try:
        module = importlib.import_module(f"{calls_package.__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{calls_package.__name__}.{name}":
            raise
        return None
    call = getattr(module, "CALL", None)
    return call if call is not None and call.id == call_id else None


def check(call_id: str, data: Any) -> Report:
    call = get_call(call_id)
    schema_errors = validate(call.schema, data)
    dossier = Dossier(data)
    verdicts = [_judge(call, rule, dossier, bool(schema_errors)) for rule in call.rules]
    figures = [f for f in (_compute(call, fig, dossier, bool(schema_errors)) for fig in call.rules.figures) if f]
    verdict = dossier_verdict(verdicts, schema_errors)
    return Report(
        call.id, eligible_of(verdict), verdicts, figures, schema_errors, verdict, rank_questions(call.schema, verdicts)
    )


def _judge(call: Call, rule, dossier: Dossier, malformed: bool) -> Verdict:
    """The rule's verdict on the dossier. `malformed`: the dossier has schema errors. Only then may a
    rule that trips on a value (TypeError, KeyError…) answer « Impossible de conclure »: on a dossier
    the schema accepts, that exception is a bug of the rule, and it propagates rather than pass for a verdict."""
    missing: list[str] = []
    try:
        outcome = rule.check(dossier)
        status, message = outcome.status, outcome.message
    except MissingData as absent:
        # Every field the rule needs, not only the first it read: the reader answers them all at once.
        paths = needed_fields(rule.check, dossier, call.schema, absent)
        message = missing_message(call, paths) + (f" {absent.why}" if absent.why else "")
        status, missing = Status.TO_COMPLETE, [pointer_of(p) for p in paths]
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError):
        if not malformed:
            raise
        # The schema errors already say what is malformed; the rule just cannot conclude until it is corrected.
        status = Status.TO_COMPLETE
        message = "Impossible de conclure : une donnée utilisée par cette règle est invalide (voir les erreurs du formulaire)."
    return Verdict(rule.id, rule.label, status.value, rule.blocking, message, call.clause_url(rule.clause), missing)


def missing_message(call: Call, paths: list[str]) -> str:
    """« Donnée manquante : « A ». » or « Données manquantes : « A », « B » et « C ». »"""
    titles = list(dict.fromkeys(f"« {field_title(call.schema, path)} »" for path in paths))
    if len(titles) == 1:
        return f"Donnée manquante : {titles[0]}."
    return f"Données manquantes : {', '.join(titles[:-1])} et {titles[-1]}."


def _compute(call: Call, figure, dossier: Dossier, malformed: bool) -> Figure | None:
    """The figure, or None while data is missing; as in _judge, a figure that trips on a value is left
    out only when the dossier has schema errors (`malformed`), and is a bug otherwise."""
    try:
        result = figure.compute(dossier)
    except MissingData:
        return None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError):
        if not malformed:
            raise
        return None
    if result is None:
        return None
    value = result.value if isinstance(result.value, str) else euros(result.value)
    return Figure(figure.id, figure.label, value, result.formula)
