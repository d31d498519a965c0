"""Batch checking: one report line per dossier, a summary, exit codes, constant memory."""

from __future__ import annotations

import copy
import csv
import io
import json
import multiprocessing
import os
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

import checker.batch as batch_module
import checker.cli
import checker.engine
from checker.batch import Summary, format_for, report_text, run
from checker.dates import parse_datetime
from checker.dossier import Dossier, no_surrogates
from checker.engine import check
from checker.inputs import Entry
from checker.model import Outcome, ko, ok
from checker.params import Param, Params
from checker.rules import Call, RuleSet
from checker.schemas import load_json
from checker.standard_rules import deadline_rule

DOSSIERS = Path(__file__).parent / "dossiers"
FITN7 = "fitn7-saone-et-loire"


def toy_call() -> Call:
    """A call of two rules over a schema that accepts any object: its verdicts are ours to choose."""
    deadline = Param("deadline", "Date limite", parse_datetime("2021-10-22T23:59:59+02:00"), "date-limite", "datetime")
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
    assert reports[1]["verdicts"][1] == {
        "rule": "essai.plafond",
        "label": "Montant au plus 100 €",
        "status": "ko",
        "blocking": True,
        "message": "500 > 100",
        "clause": "appels/essai/#plafond",
        "missing": [],
    }
    assert [r.get("verdict") for r in reports] == ["eligible", "non_eligible", "a_completer", None, None]
    assert reports[2]["verdicts"][1]["missing"] == ["/amount"] and reports[2]["questions"][0]["pointer"] == "/amount"
    assert reports[3] == {
        "line": 5,
        "call": "essai",
        "eligible": None,
        "error": "Ligne 5 : JSON mal formé, colonne 2 : un nom de champ entre guillemets doubles est attendu.",
    }
    assert "error" not in reports[2] and "verdicts" not in reports[4]
    assert last == {
        "summary": {
            "call": "essai",
            "dossiers": 5,
            "eligibles": 1,
            "non_eligibles": 1,
            "a_completer": 1,
            "a_verifier": 0,
            "illisibles": 2,
        }
    }
    assert summary.exit_code() == 2
    assert "5 dossiers : 1 éligible, 1 non éligible, 1 à compléter, 0 à vérifier, 2 illisibles." == summary.in_french()


@pytest.mark.parametrize(
    "items, code",
    [
        ([dossier(1), dossier(100)], 0),
        ([dossier(1), dossier(101)], 1),
        ([dossier(1), dossier()], 1),
        ([dossier(1), "{"], 2),
        ([], 2),
        (["", "  "], 2),
    ],
)
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
    assert (summary.eligibles, summary.non_eligibles, summary.a_completer, summary.a_verifier, summary.illisibles) == (
        2,
        2,
        3,
        1,
        1,
    )
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
        assert summary.a_completer == verdicts.count("a_completer") and summary.a_verifier == verdicts.count(
            "a_verifier"
        )
        assert summary.exit_code() == (0 if all(g is True for g in got) else 1)


# --- several processes: the same bytes, in the same order, reading a bounded window ahead --------


def mixed_jsonl(call_id: str, copies: int = 12) -> bytes:
    """The call's fixtures and variants of them (a first expense changed, a block removed, which gives
    « à compléter »), among lines batch cannot read: malformed JSON, a list, a text, a number, a lone
    surrogate, blank lines. Enough lines for many chunks in flight."""
    bases = [load_json(p.read_text("utf-8")) for p in fixtures(call_id)]
    lines = []
    for i in range(copies):
        for base in bases:
            data = copy.deepcopy(base)
            expenses = (data.get("budget") or {}).get("expenses") or []
            if expenses and isinstance(expenses[0], dict) and "amount" in expenses[0]:
                expenses[0]["amount"] = Decimal(expenses[0]["amount"]) + 1000 * i
            if i % 3 == 1:
                data.pop(sorted(data)[i % len(data)], None)
            lines.append(json.dumps(data, ensure_ascii=False, default=str))
        lines += ["{oops", "[1, 2]", '"un texte"', "42", "", '{"applicant": "\\ud800"}', "   "][i % 7 : i % 7 + 2]
    return "\n".join(lines).encode("utf-8")


def test_two_processes_write_the_same_bytes_as_one_in_input_order():
    calls = checker.engine.all_calls()
    call_id = FITN7 if FITN7 in calls and fixtures(FITN7) else next(c for c in sorted(calls) if fixtures(c))
    data = mixed_jsonl(call_id)
    limit = max(len(line) for line in data.splitlines()) + 100
    data += b"\n" + b'{"long": "' + b"x" * limit + b'"}\n{oops'
    outputs, summaries = [], []
    for jobs in (1, 2):
        out = io.StringIO()
        summaries.append(run(call_id, io.BytesIO(data), out, limit=limit, jobs=jobs))
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert summaries[0] == summaries[1]
    lines = [json.loads(line) for line in outputs[1].splitlines()]
    numbers = [line["line"] for line in lines[:-1]]
    assert numbers == sorted(numbers) and len(numbers) > 4 * batch_module.CHUNK  # many chunks, in input order
    errors = [line["error"] for line in lines[:-1] if "error" in line]
    assert any("JSON mal formé" in e for e in errors) and any("ligne trop longue" in e for e in errors)
    assert {line.get("verdict") for line in lines[:-1]} >= {"a_completer", None}
    assert summaries[1].illisibles == len(errors) and summaries[1].dossiers == len(numbers)


def test_two_processes_give_the_csv_reports_of_one():
    paths = fixtures(FITN7)
    if not paths:
        pytest.skip(f"no fixture dossiers for {FITN7} yet")
    rows = [dict(flatten(load_json(p.read_text("utf-8")))) for p in paths] * 20
    header = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([as_cell(row[k]) if k in row else "" for k in header])
    writer.writerow(["pas un montant"] * len(header))
    data = text.getvalue().encode("utf-8")
    one, two = io.StringIO(), io.StringIO()
    assert run(FITN7, io.BytesIO(data), one, "csv") == run(FITN7, io.BytesIO(data), two, "csv", jobs=2)
    assert one.getvalue() == two.getvalue() and len(one.getvalue().splitlines()) == len(rows) + 2


def test_a_report_line_is_the_json_of_report_to_json_byte_for_byte():
    """Batch writes the report's fields without Report.to_json()'s deep copy: the same text all the same."""
    calls = checker.engine.all_calls()
    for call_id in sorted(c for c in calls if fixtures(c)):
        for number, path in enumerate(fixtures(call_id), 1):
            data = load_json(path.read_text("utf-8"))
            expected = no_surrogates(json.dumps({"line": number, **check(call_id, data).to_json()}, ensure_ascii=False))
            assert report_text(call_id, Entry(number, data))[0] == expected, path.name


class Watched:
    """Entries as a lazy source, counting how many were taken; the sink checks, at each write, how far
    ahead of the output the input has been read."""

    def __init__(self, count: int) -> None:
        self.count, self.taken, self.written, self.ahead = count, 0, 0, 0

    def entries(self, *args, **kwargs):
        for line in range(1, self.count + 1):
            self.taken += 1
            yield Entry(line, None, f"Ligne {line} : illisible.")

    def write(self, text: str) -> int:
        self.ahead = max(self.ahead, self.taken - self.written)  # read, and not yet written out
        self.written += text.count("\n")
        return len(text)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_input_is_read_only_a_bounded_window_ahead_of_the_output(monkeypatch, jobs):
    watched = Watched(50 * batch_module.CHUNK)
    monkeypatch.setattr(batch_module, "entries", watched.entries)
    summary = run(FITN7, io.BytesIO(b""), watched, jobs=jobs)
    assert summary.dossiers == watched.count == watched.written - 1
    bound = 1 if jobs == 1 else (batch_module.WINDOW * jobs + 1) * batch_module.CHUNK
    assert 0 < watched.ahead <= bound


def test_jobs_option_counts_processes_zero_or_auto_meaning_every_core(capsys):
    parse = checker.cli.build_parser().parse_args
    assert parse(["batch", FITN7, "lot.jsonl"]).jobs == 1
    assert parse(["batch", FITN7, "lot.jsonl", "--jobs", "3"]).jobs == 3
    assert (
        parse(["batch", FITN7, "lot.jsonl", "--jobs", "auto"]).jobs
        == 0
        == parse(["batch", FITN7, "-", "--jobs", "0"]).jobs
    )
    for wrong in ("deux", "-1", "1.5", str(batch_module.MAX_JOBS + 1)):
        with pytest.raises(SystemExit) as stop:
            parse(["batch", FITN7, "lot.jsonl", "--jobs", wrong])
        assert stop.value.code == 2
        assert "argument --jobs : nombre de processus attendu, de 0 à 256, ou auto" in capsys.readouterr().err


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the workers must inherit the patched check")
def test_a_worker_that_dies_ends_the_batch_with_a_french_message(tmp_path, monkeypatch, capsys):
    (tmp_path / "lot.jsonl").write_bytes(fixtures(FITN7)[0].read_bytes().replace(b"\n", b" "))
    monkeypatch.setattr(batch_module, "check", lambda call_id, data: os._exit(3))  # as if killed for lack of memory
    assert checker.cli.main(["batch", FITN7, str(tmp_path / "lot.jsonl"), "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "checker : erreur : un processus de vérification s'est arrêté brutalement" in err and "Traceback" not in err
