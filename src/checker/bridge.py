"""The browser's entry point: JSON text in, JSON text out, across the Pyodide boundary.

The web worker (docs/assets/javascripts/checker-worker.js) calls these functions; they run
`checker.engine.check`, the very function the command line calls, so a dossier gets the same
report in the browser as in CPython (tests/test_pyodide_parity.py holds them to it).
Strings cross the boundary rather than proxies: one copy, no JS objects to free.
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import date
from decimal import Decimal
from importlib import metadata

from . import __version__, finder
from .dates import fr_datetime, paris
from .engine import all_calls, check
from .inputs import convert_cell
from .money import euros
from .schemas import load_json

# What the browser ships, by distribution name; the parity test compares them with CPython's.
DISTRIBUTIONS = ("jsonschema", "referencing", "jsonschema-specifications", "attrs", "babel", "python-stdnum",
                 "tzdata", "rpds-py", "pyrsistent", "pyrsistent-as-rpds-py")


def check_json(call_id: str, dossier_json: str) -> str:
    """The report of one dossier, as the JSON object `checker check --json` prints."""
    return _dumps(check(call_id, load_json(dossier_json)).to_json())


def run(call_id: str, dossier_json: str) -> str:
    """check_json for the worker: {"ok": true, "report": …} or {"ok": false, "message": "<French>"}.

    Expected failures (unknown call, unreadable dossier) get a French message rather than a
    Python traceback; anything else is a bug and propagates.
    """
    try:
        data = load_json(dossier_json)
    except ValueError as error:  # json.JSONDecodeError is a ValueError too
        return _dumps({"ok": False, "message": f"Dossier illisible : {error}"})
    if not isinstance(data, dict):
        return _dumps({"ok": False, "message": "Le dossier doit être un objet JSON ({…})."})
    try:
        report = check(call_id, data)
    except KeyError as error:  # get_call's message is already French
        return _dumps({"ok": False, "message": str(error.args[0])})
    return _dumps({"ok": True, "report": report.to_json()})


def find(applicant_json: str, nature: str | None, amount: str | None) -> str:
    """The finder's answer for an applicant block: {"ok": true, "findings": […]} or a French message."""
    try:
        applicant = load_json(applicant_json)
        value = convert_cell(amount, frozenset({"number"})) if amount else None
        if isinstance(value, str):
            raise ValueError(f"montant illisible : « {amount} » (exemple : 40 000 ou 12 500,50)")
    except ValueError as error:
        return _dumps({"ok": False, "message": f"Recherche impossible : {error}"})
    return _dumps({"ok": True, "findings": [f.to_json() for f in finder.find(applicant, nature or None, value)]})


def warm_up() -> None:
    """Import every call, load Babel's French data and the Paris time zone, before "ready".

    The first check is then as quick as the others, and a runtime missing a piece (a trimmed
    locale, tzdata) fails at startup with one message rather than on every check.
    """
    all_calls()
    euros(Decimal("1234.5"))
    fr_datetime(paris(date(2021, 10, 22)))


def versions() -> str:
    """Python, the checker and every vendored distribution, as a JSON object of version strings."""
    found: dict[str, str | None] = {
        "python": platform.python_version(),
        "platform": sys.platform,
        "checker": __version__,
    }
    if sys.platform == "emscripten":
        import pyodide  # only exists inside Pyodide

        found["pyodide"] = pyodide.__version__
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return _dumps(found)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
