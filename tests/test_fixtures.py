"""What every call's fixtures share. Each dossier's own expectations (the full dossiers of
tests/dossiers/ and the cases of each call's cases.yaml) are checked by tests/test_cases.py."""

from __future__ import annotations

import pytest

from checker.engine import all_calls, check


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_deadline_verdict_comes_first(call_id):
    """A closed call is reported as such, first; every other rule is still evaluated."""
    call = all_calls()[call_id]
    report = check(call_id, {"project": {"filing_date": "2026-11-23"}})
    assert report.verdicts[0].rule == call.rules.rules[0].id
    assert "date" in report.verdicts[0].label.lower() or "clôture" in report.verdicts[0].label.lower()
    assert len(report.verdicts) == len(call.rules.rules)
