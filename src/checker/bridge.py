"""The browser's entry point: JSON text in, JSON text out, across the Pyodide boundary.

The web worker (docs/assets/javascripts/checker-worker.js) calls these functions; they run
`checker.engine.check`, the very function the command line calls, so a dossier gets the same
report in the browser as in CPython (tests/test_pyodide_parity.py holds them to it).
Strings cross the boundary rather than proxies: one copy, no JS objects to free.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal

from . import __version__
from .dates import fr_datetime, paris
from .dossier import no_surrogates, shown
from .engine import all_calls, check, get_call
from .inputs import MAX_DOSSIER_BYTES, InputError, convert_cell, read_json
from .money import euros
from .schemas import load_json

# What the browser ships, by distribution name; the parity test compares them with CPython's.
DISTRIBUTIONS = (
    "jsonschema",
    "referencing",
    "jsonschema-specifications",
    "attrs",
    "babel",
    "python-stdnum",
    "tzdata",
    "rpds-py",
    "pyrsistent",
    "pyrsistent-as-rpds-py",
)


def check_json(call_id: str, dossier_json: str) -> str:
    """The report of one dossier, as the JSON object `checker check --json` prints."""
    return _dumps(check(call_id, load_json(dossier_json)).to_json())


INTERNAL_ERROR = (
    "Erreur interne du vérificateur : ce dossier n'a pas pu être vérifié. "
    "Vous pouvez utiliser la version en ligne de commande et signaler le problème."
)


def run(call_id: str, dossier_json: str) -> str:
    """check_json for the worker: {"ok": true, "report": …} or {"ok": false, "message": "<French>"}.

    Whatever arrives (an unknown call, text that is not JSON, a dossier past the checker's bounds:
    inputs.read_json and MAX_DOSSIER_BYTES, the limits of the command line), the answer is one of
    these two objects: no exception crosses into the worker, and the text is valid UTF-8.
    """
    try:
        try:
            get_call(
                call_id
                if isinstance(call_id, str) and call_id.isprintable() and len(call_id) <= 100
                else shown(call_id)
            )
        except KeyError as error:  # get_call's message is already French, and quotes a printable id
            return _dumps({"ok": False, "message": str(error.args[0])})
        try:
            data = _read(dossier_json)
        except InputError as error:
            return _dumps({"ok": False, "message": f"Dossier illisible : {error}."})
        if not isinstance(data, dict):
            return _dumps({"ok": False, "message": "Le dossier doit être un objet JSON ({…})."})
        return _dumps({"ok": True, "report": check(call_id, data).to_json()})
    except Exception:  # noqa: BLE001 — a bug of the checker still gets a French answer, not a traceback
        return _dumps({"ok": False, "message": INTERNAL_ERROR})


def find(applicant_json: str, nature: str | None, amount: str | None) -> str:
    """The finder's answer for an applicant block: {"ok": true, "findings": […]} or a French message."""
    try:
        try:
            applicant = _read(applicant_json)
            if nature is not None and not isinstance(nature, str):
                raise InputError("nature du projet illisible (un texte est attendu)")
            if amount is not None and not isinstance(amount, str):
                raise InputError("montant illisible (exemple : 40 000 ou 12 500,50)")
            value = convert_cell(amount, frozenset({"number"})) if amount else None
            if isinstance(value, str):
                raise InputError(f"montant illisible : « {shown(amount)} » (exemple : 40 000 ou 12 500,50)")
        except InputError as error:
            return _dumps({"ok": False, "message": f"Recherche impossible : {error}"})
        from . import finder  # the finder page's only: a call page never pays for its import

        return _dumps({"ok": True, "findings": [f.to_json() for f in finder.find(applicant, nature or None, value)]})
    except Exception:  # noqa: BLE001 — as in run()
        return _dumps({"ok": False, "message": INTERNAL_ERROR})


def _read(text: str):
    """JSON text from the worker, within the bounds of the command line's dossier files."""
    if not isinstance(text, str):
        raise InputError("un texte JSON est attendu")
    if len(text) > MAX_DOSSIER_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_DOSSIER_BYTES:
        raise InputError(f"plus de {MAX_DOSSIER_BYTES // (1024 * 1024)} Mo, la taille maximale d'un dossier")
    if not text.strip():
        raise InputError("texte vide")
    return read_json(text)


def warm_up(call_id: str | None = None) -> None:
    """Import the page's call (every call for the finder), load Babel's French data and the Paris
    time zone, and check an empty dossier, before "ready".

    The first check is then as quick as the others, and a runtime missing a piece (a trimmed
    locale, tzdata) fails at startup with one message rather than on every check.
    """
    if call_id:
        check(call_id, {})
    else:
        from . import finder  # noqa: F401 — imported here, so the first search is as quick as the next

        all_calls()
    euros(Decimal("1234.5"))
    fr_datetime(paris(date(2021, 10, 22)))


_versions: str | None = None  # versions(), once computed: they cannot change while Python runs


def versions() -> str:
    """Python, the checker and every vendored distribution, as a JSON object of version strings.

    Asked for on demand (the worker's "versions" message; the parity tests), never on the way to
    "ready": reading the distributions' metadata imports the email parser, a tenth of a second in
    the browser. Computed once, then cached.
    """
    import platform
    from importlib import metadata

    global _versions
    if _versions is not None:
        return _versions
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
    _versions = _dumps(found)
    return _versions


def _dumps(value: object) -> str:
    # A lone surrogate left in a string would make the text unencodable for the worker: U+FFFD.
    return no_surrogates(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
