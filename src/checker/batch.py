"""Many dossiers, one report line each, in constant memory: a stream in, a stream out.

Each output line is `{"line": n, **Report.to_json()}`, or `{"line": n, "call": id,
"eligible": null, "error": "…"}` for a line that cannot be read; the last line is
`{"summary": {…}}`. Nothing is kept but the counts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import BinaryIO, Iterator, TextIO

from .dossier import no_surrogates
from .engine import check, get_call
from .inputs import MAX_LINE_BYTES, Entry, csv_entries, jsonl_entries
from .model import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK
from .money import number

FORMATS = ("jsonl", "csv")


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

        return (f"{number(n)} dossier{s(n)} : {number(self.eligibles)} éligible{s(self.eligibles)}, "
                f"{number(self.non_eligibles)} non éligible{s(self.non_eligibles)}, {number(self.a_completer)} à compléter, "
                f"{number(self.a_verifier)} à vérifier, "
                f"{number(self.illisibles)} illisible{s(self.illisibles)}.")


def format_for(name: str, requested: str | None = None) -> str:
    """The declared format, else the file's extension; stdin without --format is JSON Lines."""
    if requested:
        return requested
    return "csv" if name.lower().endswith(".csv") else "jsonl"


def entries(call_id: str, stream: BinaryIO, fmt: str, limit: int = MAX_LINE_BYTES) -> Iterator[Entry]:
    if fmt == "csv":
        return csv_entries(stream, get_call(call_id).schema, limit)
    return jsonl_entries(stream, limit)


def report_line(call_id: str, entry: Entry) -> tuple[dict, str | None, bool]:
    """(the JSON object to print, the dossier's verdict, readable) for one entry."""
    if entry.data is None:
        return {"line": entry.line, "call": call_id, "eligible": None, "error": entry.error}, None, False
    try:
        report = check(call_id, entry.data)
    except RecursionError:
        error = f"Ligne {entry.line} : dossier imbriqué trop profondément."
        return {"line": entry.line, "call": call_id, "eligible": None, "error": error}, None, False
    return {"line": entry.line, **report.to_json()}, report.verdict, True


def run(call_id: str, stream: BinaryIO, out: TextIO, fmt: str = "jsonl", limit: int = MAX_LINE_BYTES) -> Summary:
    """Check every dossier of the stream, writing one line per dossier as soon as it is judged."""
    get_call(call_id)  # an unknown call fails before any output
    summary = Summary(call_id)
    for entry in entries(call_id, stream, fmt, limit):
        line, verdict, readable = report_line(call_id, entry)
        summary.count(verdict, readable)
        out.write(no_surrogates(json.dumps(line, ensure_ascii=False)) + "\n")
    out.write(json.dumps({"summary": asdict(summary)}, ensure_ascii=False) + "\n")
    return summary
