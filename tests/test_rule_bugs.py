"""A bug in a rule fails loudly: only a dossier the schema already rejects may read « Impossible de conclure »."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import support

import checker.engine
import checker.schemas as schemas
from checker.dossier import Dossier
from checker.engine import all_calls, check
from checker.model import Outcome, ok
from checker.params import Params
from checker.rules import Call, FigureValue, RuleSet
from checker.schemas import load_json, schema_dir, validate

DOSSIERS = Path(__file__).parent / "dossiers"
CANNOT_CONCLUDE = "Impossible de conclure"


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://appels-numeriques.example/schemas/zz-essai.schema.json",
    "title": "Dossier d'essai",
    "type": "object",
    "required": ["amount", "rows"],
    "properties": {
        "amount": {"$ref": "common.schema.json#/$defs/money", "title": "Montant demandé (€)"},
        "rows": {"title": "Dépenses", "type": "array", "items": {"$ref": "common.schema.json#/$defs/expense"}},
    },
}
VALID = {"amount": 100, "rows": [{"label": "Formation", "amount": 60}, {"label": "Matériel", "amount": 40}]}
INVALID = {**VALID, "amount": "cent"}  # a schema error


def buggy_call(where: str) -> Call:
    """A call over SCHEMA with one rule and one figure; `where` ("rule" or "figure") puts a typo in one."""
    rules = RuleSet()

    @rules.rule("essai.montant", "Montant demandé lisible", clause="plafond")
    def amount(d: Dossier) -> Outcome:
        if where == "rule":
            return ok(f"{d.monney('amount')} €")  # the typo: no such method
        return ok(f"{d.money('amount')} €")

    @rules.figure("essai.total", "Total des dépenses")
    def total(d: Dossier) -> FigureValue:
        rows = d.rows("rows")
        if where == "figure":
            return FigureValue(sum(r["amout"] for r in rows), "somme des lignes")  # the typo: a key no row has
        return FigureValue(sum(d.money(f"rows.{i}.amount") for i in range(len(rows))), "somme des lignes")

    return Call("essai", "Appel d'essai", "appels/essai/", "zz-essai.schema.json", rules, Params({}))


@pytest.fixture
def install(monkeypatch, tmp_path):
    """The call is the only one known, and its schema sits beside the common one."""
    (tmp_path / "zz-essai.schema.json").write_text(json.dumps(SCHEMA), "utf-8")
    (tmp_path / "common.schema.json").write_text((schema_dir() / "common.schema.json").read_text("utf-8"), "utf-8")
    monkeypatch.setattr(schemas, "schema_dir", lambda: tmp_path)
    caches = (schemas.load_schema, schemas.registry, schemas.schema_view, schemas.validator)
    for cache in caches:
        cache.cache_clear()

    def use(call: Call) -> Call:
        monkeypatch.setattr(checker.engine, "all_calls", lambda: {call.id: call})
        monkeypatch.setattr(checker.engine, "get_call", lambda call_id: call)
        assert validate(call.schema, VALID) == [] and validate(call.schema, INVALID)
        return call

    yield use
    for cache in caches:
        cache.cache_clear()


def test_the_sound_version_of_the_toy_call_concludes(install):
    install(buggy_call("nowhere"))
    report = check("essai", VALID)
    assert [v.status for v in report.verdicts] == ["ok"] and [f.id for f in report.figures] == ["essai.total"]


@pytest.mark.parametrize("where, error", [("rule", AttributeError), ("figure", KeyError)])
def test_a_buggy_rule_on_a_schema_valid_dossier_raises(install, where, error):
    install(buggy_call(where))
    with pytest.raises(error):
        check("essai", VALID)


def test_a_buggy_rule_on_a_dossier_with_schema_errors_cannot_conclude(install):
    install(buggy_call("rule"))
    report = check("essai", INVALID)
    assert report.schema_errors
    assert report.verdicts[0].status == "a_completer" and report.verdicts[0].message.startswith(CANNOT_CONCLUDE)


def test_a_buggy_figure_on_a_dossier_with_schema_errors_is_left_out(install):
    install(buggy_call("figure"))
    report = check("essai", INVALID)
    assert report.schema_errors and report.figures == []


def _dossiers() -> list:
    """(call id, name, dossier) of every test dossier: support's cases when it builds them, else the full files."""
    if hasattr(support, "case_dossiers"):
        return [pytest.param(c, d, id=f"{c}/{n}") for c, n, d in support.case_dossiers()]
    return [
        pytest.param(folder.name, load_json(path.read_text("utf-8")), id=f"{folder.name}/{path.stem}")
        for folder in sorted(p for p in DOSSIERS.iterdir() if p.is_dir())
        for path in sorted(folder.glob("*.json"))
        if not path.name.endswith(".expected.json")
    ]


@pytest.mark.parametrize("call_id, data", _dossiers())
def test_no_verdict_of_a_schema_valid_fixture_says_it_cannot_conclude(call_id, data):
    if call_id not in all_calls() or validate(all_calls()[call_id].schema, data):
        pytest.skip("the dossier has schema errors (or names no known call): « Impossible de conclure » is allowed")
    report = check(call_id, data)
    assert not [v.rule for v in report.verdicts if v.message.startswith(CANNOT_CONCLUDE)], json.dumps(
        report.to_json(), ensure_ascii=False
    )[:500]


# --- the command line and the batch say so in French -------------------------------------------


def _broken_check(call_id, data):
    raise KeyError("a rule's typo")


def test_the_command_line_reports_a_bug_in_french_with_its_own_exit_code(monkeypatch, capsys):
    import checker.cli as cli

    monkeypatch.setattr(cli, "check", _broken_check)
    dossier = str(DOSSIERS / "fitn7-saone-et-loire" / "eligible-commune-tournus.json")
    assert cli.main(["check", "fitn7-saone-et-loire", dossier]) == cli.INTERNAL_ERROR
    out, err = capsys.readouterr()
    assert out == "" and "erreur interne du vérificateur" in err and "Traceback" not in err


def test_a_batch_line_whose_check_hits_a_bug_says_so_and_the_batch_goes_on(monkeypatch, capsys):
    import io

    import checker.batch as batch

    calls = iter([_broken_check, check])
    monkeypatch.setattr(batch, "check", lambda call_id, data: next(calls)(call_id, data))
    text = (DOSSIERS / "fitn7-saone-et-loire" / "eligible-commune-tournus.json").read_text("utf-8")
    line = json.dumps(json.loads(text), ensure_ascii=False) + "\n"
    out = io.StringIO()
    batch.run("fitn7-saone-et-loire", io.BytesIO((line * 2).encode("utf-8")), out)
    first, second = (json.loads(row) for row in out.getvalue().splitlines()[:2])
    assert first["error"].startswith("Ligne 1 : erreur interne du vérificateur") and first["eligible"] is None
    assert second["eligible"] is True
    assert "KeyError" in capsys.readouterr().err  # the detail, for the maintainers, on stderr
