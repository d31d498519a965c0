"""Many dossiers, one report line each, in constant memory: a stream in, a stream out.

Each output line is `{"line": n, **Report.to_json()}`, or `{"line": n, "call": id,
"eligible": null, "error": "…"}` for a line that cannot be read; the last line is
`{"summary": {…}}`. Nothing is kept but the counts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import BinaryIO, Iterator, TextIO

from .engine import check, get_call
from .inputs import MAX_LINE_BYTES, Entry, csv_entries, jsonl_entries
from .money import number

FORMATS = ("jsonl", "csv")


@dataclass
class Summary:
    call: str
    dossiers: int = 0
    eligibles: int = 0
    non_eligibles: int = 0
    a_completer: int = 0
    illisibles: int = 0

    def count(self, eligible: bool | None, readable: bool = True) -> None:
        self.dossiers += 1
        if not readable:
            self.illisibles += 1
        elif eligible is True:
            self.eligibles += 1
        elif eligible is False:
            self.non_eligibles += 1
        else:
            self.a_completer += 1

    def exit_code(self) -> int:
        """0: all eligible; 1: one is not, or is undetermined; 2: a line (or the input) is unreadable."""
        if self.illisibles or not self.dossiers:
            return 2
        return 0 if self.eligibles == self.dossiers else 1

    def in_french(self) -> str:
        n = self.dossiers
        return (f"{number(n)} dossier{'s' if n > 1 else ''} : {number(self.eligibles)} éligible(s), "
                f"{number(self.non_eligibles)} non éligible(s), {number(self.a_completer)} à compléter, "
                f"{number(self.illisibles)} illisible(s).")


def format_for(name: str, requested: str | None = None) -> str:
    """The declared format, else the file's extension; stdin without --format is JSON Lines."""
    if requested:
        return requested
    return "csv" if name.lower().endswith(".csv") else "jsonl"


def entries(call_id: str, stream: BinaryIO, fmt: str, limit: int = MAX_LINE_BYTES) -> Iterator[Entry]:
    if fmt == "csv":
        return csv_entries(stream, get_call(call_id).schema, limit)
    return jsonl_entries(stream, limit)


def report_line(call_id: str, entry: Entry) -> tuple[dict, bool | None, bool]:
    """(the JSON object to print, eligibility, readable) for one entry."""
    if entry.data is None:
        return {"line": entry.line, "call": call_id, "eligible": None, "error": entry.error}, None, False
    try:
        report = check(call_id, entry.data)
    except RecursionError:
        error = f"Ligne {entry.line} : dossier imbriqué trop profondément."
        return {"line": entry.line, "call": call_id, "eligible": None, "error": error}, None, False
    return {"line": entry.line, **report.to_json()}, report.eligible, True


def run(call_id: str, stream: BinaryIO, out: TextIO, fmt: str = "jsonl", limit: int = MAX_LINE_BYTES) -> Summary:
    """Check every dossier of the stream, writing one line per dossier as soon as it is judged."""
    get_call(call_id)  # an unknown call fails before any output
    summary = Summary(call_id)
    for entry in entries(call_id, stream, fmt, limit):
        line, eligible, readable = report_line(call_id, entry)
        summary.count(eligible, readable)
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.write(json.dumps({"summary": asdict(summary)}, ensure_ascii=False) + "\n")
    return summary
