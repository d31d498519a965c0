"""Many dossiers, one report line each, in constant memory: a stream in, a stream out.

Each output line is `{"line": n, **Report.to_json()}`, or `{"line": n, "call": id,
"eligible": null, "error": "…"}` for a line that cannot be read; the last line is
`{"summary": {…}}`. Nothing is kept but the counts.

With `jobs` > 1, worker processes check the dossiers while this process reads the next ones. The
input is read and parsed here, in order, exactly as with one process, and sent CHUNK entries at
a time; at most WINDOW chunks per worker are in flight, and the oldest chunk's lines are written
as soon as it is done. The output is the same, byte for byte, whatever the number of processes.
"""

from __future__ import annotations

import json
import os
import signal
import traceback
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool  # noqa: F401 (the CLI names it from here)
from dataclasses import asdict, dataclass, fields, is_dataclass
from itertools import islice
from typing import Any, BinaryIO, Iterable, Iterator, TextIO

from .dossier import no_surrogates
from .engine import check, get_call
from .inputs import MAX_LINE_BYTES, Entry, csv_entries, jsonl_entries
from .model import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, Report
from .money import number

FORMATS = ("jsonl", "csv")
CHUNK = 16  # entries sent to a worker at once: tens of milliseconds of work for one exchange
WINDOW = 2  # chunks in flight per worker: one being checked, the next one already there
MAX_JOBS = 256  # more processes than that is a typo, not a machine


@dataclass
class Summary:
    call: str
    dossiers: int = 0
    eligibles: int = 0
    non_eligibles: int = 0
    a_completer: int = 0  # answers missing, or the form has errors
    a_verifier: int = 0  # every blocking condition decided or left to the instructor, none refused
    illisibles: int = 0

    def count(self, verdict: str | bool | None, readable: bool = True) -> None:
        """Count one dossier by its report's verdict ("eligible", "non_eligible", "a_completer",
        "a_verifier"); a bare `eligible` (True, False, None) is still understood, None as « à compléter »."""
        self.dossiers += 1
        if not readable:
            self.illisibles += 1
        elif verdict is True or verdict == ELIGIBLE:
            self.eligibles += 1
        elif verdict is False or verdict == NOT_ELIGIBLE:
            self.non_eligibles += 1
        elif verdict == TO_CHECK:
            self.a_verifier += 1
        else:
            self.a_completer += 1

    def exit_code(self) -> int:
        """0: all eligible; 1: one is not, or is undetermined; 2: a line (or the input) is unreadable."""
        if self.illisibles or not self.dossiers:
            return 2
        return 0 if self.eligibles == self.dossiers else 1

    def in_french(self) -> str:
        n = self.dossiers

        def s(count: int) -> str:
            return "s" if count > 1 else ""

        return (
            f"{number(n)} dossier{s(n)} : {number(self.eligibles)} éligible{s(self.eligibles)}, "
            f"{number(self.non_eligibles)} non éligible{s(self.non_eligibles)}, {number(self.a_completer)} à compléter, "
            f"{number(self.a_verifier)} à vérifier, "
            f"{number(self.illisibles)} illisible{s(self.illisibles)}."
        )


def format_for(name: str, requested: str | None = None) -> str:
    """The declared format, else the file's extension; stdin without --format is JSON Lines."""
    if requested:
        return requested
    return "csv" if name.lower().endswith(".csv") else "jsonl"


def entries(call_id: str, stream: BinaryIO, fmt: str, limit: int = MAX_LINE_BYTES) -> Iterator[Entry]:
    if fmt == "csv":
        return csv_entries(stream, get_call(call_id).schema, limit)
    return jsonl_entries(stream, limit)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# --- one entry, one output line ---------------------------------------------------------------

# The report's keys in Report.to_json()'s order, read from it so the two cannot drift apart.
REPORT_KEYS = tuple(Report("", None).to_json())
_FIELDS: dict[type, tuple[str, ...]] = {}


def _as_object(value: Any) -> dict:
    """json.dumps' `default`: a Verdict, Figure, SchemaError or Question as the fields asdict() gives,
    without asdict()'s deep copy (a fifth of a batch line's time)."""
    names = _FIELDS.get(type(value))
    if names is None:
        if not is_dataclass(value) or isinstance(value, type):
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    return {name: getattr(value, name) for name in names}


def _text(line: dict) -> str:
    return no_surrogates(json.dumps(line, ensure_ascii=False, default=_as_object))


def report_text(call_id: str, entry: Entry) -> tuple[str, str | None, bool]:
    """(the output line without its newline, the dossier's verdict, readable) for one entry: the
    JSON of {"line": n, **report.to_json()}, or of the line's error."""
    if entry.data is None:
        return _text({"line": entry.line, "call": call_id, "eligible": None, "error": entry.error}), None, False
    try:
        report = check(call_id, entry.data)
    except RecursionError:
        error = f"Ligne {entry.line} : dossier imbriqué trop profondément."
        return _text({"line": entry.line, "call": call_id, "eligible": None, "error": error}), None, False
    except Exception:  # noqa: BLE001 — a bug of the checker: this line says so, the batch goes on
        traceback.print_exc()  # on stderr, for the report to the maintainers
        error = f"Ligne {entry.line} : erreur interne du vérificateur, ce dossier n'a pas pu être vérifié (merci de la signaler)."
        return _text({"line": entry.line, "call": call_id, "eligible": None, "error": error}), None, False
    return _text({"line": entry.line, **{key: getattr(report, key) for key in REPORT_KEYS}}), report.verdict, True


def _report_chunk(call_id: str, chunk: list[Entry]) -> list[tuple[str, str | None, bool]]:
    return [report_text(call_id, entry) for entry in chunk]


def _worker_start(call_id: str) -> None:
    """A worker leaves Ctrl-C to the parent, which stops them all, and loads its call before its first chunk."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    get_call(call_id)


# --- the stream --------------------------------------------------------------------------------


def run(
    call_id: str, stream: BinaryIO, out: TextIO, fmt: str = "jsonl", limit: int = MAX_LINE_BYTES, jobs: int = 1
) -> Summary:
    """Check every dossier of the stream, writing one line per dossier, in input order, as soon as it is
    judged. `jobs`: processes that check dossiers (1: this one alone; 0: one per available core)."""
    get_call(call_id)  # an unknown call fails before any output
    summary = Summary(call_id)
    jobs = available_cores() if jobs == 0 else jobs
    lines = entries(call_id, stream, fmt, limit)
    judged = _judged_in_workers(call_id, lines, jobs) if jobs > 1 else (report_text(call_id, e) for e in lines)
    try:
        for text, verdict, readable in judged:
            summary.count(verdict, readable)
            out.write(text + "\n")
    finally:
        judged.close()  # a write that fails (closed pipe) stops the workers at once
    out.write(json.dumps({"summary": asdict(summary)}, ensure_ascii=False) + "\n")
    return summary


def _chunks(items: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _judged_in_workers(call_id: str, lines: Iterator[Entry], jobs: int) -> Iterator[tuple[str, str | None, bool]]:
    """report_text() of every entry, in input order, computed by `jobs` worker processes. The entries
    are read only as far as WINDOW chunks per worker ahead of what is written: memory stays bounded."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(call_id,))
    try:
        pending: deque = deque()
        for chunk in _chunks(lines, CHUNK):
            pending.append(pool.submit(_report_chunk, call_id, chunk))
            if len(pending) >= WINDOW * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        # Normal end, a closed pipe, Ctrl-C or a failed read: no chunk is left to run.
        pool.shutdown(wait=True, cancel_futures=True)
