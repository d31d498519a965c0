"""Every fixture dossier gives the verdicts its .expected.json states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.engine import all_calls, check
from checker.schemas import load_json

DOSSIERS = Path(__file__).parent / "dossiers"
FIXTURES = sorted(p for p in DOSSIERS.glob("*/*.json") if not p.name.endswith(".expected.json"))


def test_there_are_fixtures_for_every_call():
    covered = {p.parent.name for p in FIXTURES}
    assert set(all_calls()) <= covered, f"calls without fixtures: {set(all_calls()) - covered}"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_gives_expected_report(path):
    expected_path = path.with_name(path.stem + ".expected.json")
    assert expected_path.exists(), f"{path.name} has no .expected.json"
    expected = json.loads(expected_path.read_text("utf-8"))
    report = check(path.parent.name, load_json(path.read_text("utf-8"))).to_json()
    statuses = {v["rule"]: v["status"] for v in report["verdicts"]}
    assert report["eligible"] == expected["eligible"], (report["eligible"], statuses, report["schema_errors"])
    for rule, status in expected.get("verdicts", {}).items():
        assert statuses.get(rule) == status, (rule, statuses.get(rule), status)


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_deadline_verdict_comes_first(call_id):
    """A closed call is reported as such, first; every other rule is still evaluated."""
    call = all_calls()[call_id]
    report = check(call_id, {"project": {"filing_date": "2026-11-23"}})
    assert report.verdicts[0].rule == call.rules.rules[0].id
    assert "date" in report.verdicts[0].label.lower() or "clôture" in report.verdicts[0].label.lower()
    assert len(report.verdicts) == len(call.rules.rules)
