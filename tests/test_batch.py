"""Batch checking: one report line per dossier, a summary, exit codes, constant memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

import checker.engine
from checker.batch import Summary, format_for, run
from checker.dates import parse_datetime
from checker.dossier import Dossier
from checker.engine import check
from checker.model import Outcome, ko, ok
from checker.params import Param, Params
from checker.rules import Call, RuleSet
from checker.schemas import load_json
from checker.standard_rules import deadline_rule

DOSSIERS = Path(__file__).parent / "dossiers"
FITN7 = "fitn7-saone-et-loire"


def toy_call() -> Call:
    """A call of two rules over a schema that accepts any object: its verdicts are ours to choose."""
    deadline = Param("deadline", "Date limite", parse_datetime("2021-10-22T23:59:59+02:00"),
                     "date-limite", "datetime")
    rules = RuleSet()
    deadline_rule(rules, "essai.date_limite", "date-limite", deadline.value)

    @rules.rule("essai.plafond", "Montant au plus 100 €", clause="plafond")
    def ceiling(d: Dossier) -> Outcome:
        amount = d.money("amount")
        return ok(f"{amount} ≤ 100") if amount <= 100 else ko(f"{amount} > 100")

    return Call("essai", "Appel d'essai", "appels/essai/", "common.schema.json", rules, Params({"deadline": deadline}))


@pytest.fixture
def toy(monkeypatch):
    call = toy_call()
    monkeypatch.setattr(checker.engine, "all_calls", lambda: {call.id: call})
    return call


def dossier(amount=None) -> dict:
    data = {"project": {"filing_date": "2021-10-01"}}
    return data if amount is None else {**data, "amount": amount}


def jsonl(*items) -> io.BytesIO:
    lines = [item if isinstance(item, str) else json.dumps(item) for item in items]
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def batch(call_id: str, stream, fmt: str = "jsonl", **kwargs) -> tuple[list[dict], Summary]:
    out = io.StringIO()
    summary = run(call_id, stream, out, fmt, **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()], summary


def test_one_report_line_per_dossier_then_a_summary(toy):
    lines, summary = batch("essai", jsonl(dossier(50), dossier(500), "", dossier(), "{oops", [1]))
    reports, last = lines[:-1], lines[-1]
    assert [r["line"] for r in reports] == [1, 2, 4, 5, 6]
    assert [r["eligible"] for r in reports] == [True, False, None, None, None]
    assert reports[0] == {"line": 1, **check("essai", dossier(50)).to_json()}
    assert reports[1]["verdicts"][1] == {"rule": "essai.plafond", "label": "Montant au plus 100 €", "status": "ko",
                                         "blocking": True, "message": "500 > 100", "clause": "appels/essai/#plafond",
                                         "missing": []}
    assert [r.get("verdict") for r in reports] == ["eligible", "non_eligible", "a_completer", None, None]
    assert reports[2]["verdicts"][1]["missing"] == ["/amount"] and reports[2]["questions"][0]["pointer"] == "/amount"
    assert reports[3] == {"line": 5, "call": "essai", "eligible": None,
                          "error": "Ligne 5 : JSON mal formé, colonne 2 : un nom de champ entre guillemets doubles est attendu."}
    assert "error" not in reports[2] and "verdicts" not in reports[4]
    assert last == {"summary": {"call": "essai", "dossiers": 5, "eligibles": 1, "non_eligibles": 1,
                                "a_completer": 1, "a_verifier": 0, "illisibles": 2}}
    assert summary.exit_code() == 2
    assert "5 dossiers : 1 éligible, 1 non éligible, 1 à compléter, 0 à vérifier, 2 illisibles." == summary.in_french()


@pytest.mark.parametrize("items, code", [
    ([dossier(1), dossier(100)], 0),
    ([dossier(1), dossier(101)], 1),
    ([dossier(1), dossier()], 1),
    ([dossier(1), "{"], 2),
    ([], 2),
    (["", "  "], 2),
])
def test_exit_code(toy, items, code):
    assert batch("essai", jsonl(*items))[1].exit_code() == code


def test_an_unknown_call_fails_before_any_output(toy):
    out = io.StringIO()
    with pytest.raises(KeyError, match="Appels disponibles : essai"):
        run("inconnu", jsonl(dossier(1)), out)
    assert out.getvalue() == ""


def test_the_summary_counts_missing_answers_apart_from_judgements_left_to_the_instructor():
    summary = Summary("essai")
    for verdict in ("eligible", "non_eligible", "a_completer", "a_completer", "a_verifier", None, True, False):
        summary.count(verdict)
    summary.count(None, readable=False)
    assert (summary.eligibles, summary.non_eligibles, summary.a_completer, summary.a_verifier, summary.illisibles) == \
        (2, 2, 3, 1, 1)
    assert summary.exit_code() == 2
    assert summary.in_french() == "9 dossiers : 2 éligibles, 2 non éligibles, 3 à compléter, 1 à vérifier, 1 illisible."


def test_format_comes_from_the_option_then_the_extension():
    assert format_for("lot.CSV") == "csv" and format_for("lot.jsonl") == "jsonl" and format_for("-") == "jsonl"
    assert format_for("-", "csv") == "csv" and format_for("lot.txt", "csv") == "csv"


class NullSink:
    def write(self, text: str) -> int:
        return len(text)


def peak_memory(count: int) -> int:
    stream = jsonl(*(dossier(i % 200) for i in range(count)))
    tracemalloc.start()
    summary = run("essai", stream, NullSink())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert summary.dossiers == count
    return peak


def test_memory_does_not_grow_with_the_number_of_dossiers(toy):
    """Keeping each report would cost megabytes here; the interpreter's own free lists and caches
    settle a few hundred kilobytes above the first dossiers, whatever the count."""
    peak_memory(20)  # Babel and the schema load once, outside the measure
    small, large = peak_memory(500), peak_memory(5000)
    assert large < small + 1024 * 1024, (small, large)


# --- a real call: CSV gives the same reports as JSON ---------------------------------------


def flatten(node, prefix: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from flatten(value, f"{prefix}.{index}")
    else:
        yield prefix, node


def as_cell(value) -> str:
    """As a French spreadsheet writes it: oui/non, decimal comma."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def fixtures(call_id: str) -> list[Path]:
    return sorted(p for p in (DOSSIERS / call_id).glob("*.json") if not p.name.endswith(".expected.json"))


def test_a_csv_batch_gives_the_reports_of_the_json_dossiers():
    paths = fixtures(FITN7)
    if not paths:
        pytest.skip(f"no fixture dossiers for {FITN7} yet")
    dossiers = [load_json(p.read_text("utf-8")) for p in paths]
    rows = [dict(flatten(d)) for d in dossiers]
    header = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([as_cell(row[k]) if k in row else "" for k in header])
    lines, summary = batch(FITN7, io.BytesIO(text.getvalue().encode("utf-8")), "csv")
    assert summary.dossiers == len(dossiers) and summary.illisibles == 0
    for data, line in zip(dossiers, lines):
        assert {k: v for k, v in line.items() if k != "line"} == check(FITN7, data).to_json()
    assert sum(line.get("eligible") is True for line in lines[:-1]) == summary.eligibles


def test_every_fixture_of_every_call_in_one_jsonl_batch():
    """Each call's fixtures on one JSON Lines stream give, line by line, what `check` gives."""
    calls = checker.engine.all_calls()
    for call_dir in sorted(d for d in DOSSIERS.iterdir() if d.is_dir() and d.name in calls):
        paths = fixtures(call_dir.name)
        stream = io.BytesIO(b"\n".join(p.read_bytes().replace(b"\n", b" ") for p in paths))
        lines, summary = batch(call_dir.name, stream)
        assert [line["line"] for line in lines[:-1]] == list(range(1, len(paths) + 1))
        for path, line in zip(paths, lines):
            expected = check(call_dir.name, load_json(path.read_text("utf-8"))).to_json()
            assert {k: v for k, v in line.items() if k != "line"} == json.loads(json.dumps(expected)), path.name
        got = [line["eligible"] for line in lines[:-1]]
        assert summary.dossiers == len(paths) and summary.illisibles == 0
        assert summary.eligibles == got.count(True) and summary.non_eligibles == got.count(False)
        verdicts = [line["verdict"] for line in lines[:-1]]
        assert summary.a_completer == verdicts.count("a_completer") and summary.a_verifier == verdicts.count("a_verifier")
        assert summary.exit_code() == (0 if all(g is True for g in got) else 1)
