"""Every case gives the report it states: the cases of src/checker/calls/<call>/cases.yaml (a base
dossier plus the fields it changes) and the full dossiers of tests/dossiers/<call>/ with their
<name>.expected.json. The format is described in tests/support.py."""

from __future__ import annotations

import pytest
from support import (
    DOSSIERS,
    CaseError,
    case_files,
    case_names,
    cases_of,
    expected_of,
    full_dossiers,
    load_dossier,
    path_parts,
)

from checker.engine import all_calls, check
from checker.missing import field_at
from checker.model import Report, Status

CALLS = sorted(set(all_calls()) | set(case_files()) | {p.name for p in DOSSIERS.iterdir() if p.is_dir()})
ALL = [(call_id, name) for call_id in CALLS for name in case_names(call_id)]
WRITTEN = [(call_id, case) for call_id in CALLS for case in cases_of(call_id)]
STATUSES = {s.value for s in Status}
IMPOSSIBLE = "Impossible de conclure"

_reports: dict[tuple[str, str], Report] = {}


def report_of(call_id: str, name: str) -> Report:
    if (call_id, name) not in _reports:
        _reports[call_id, name] = check(call_id, load_dossier(call_id, name))
    return _reports[call_id, name]


def params(pairs) -> list:
    """One pytest parameter per (call id, name or case), with the id `<call-id>/<case-name>`."""
    return [
        pytest.param(call_id, case, id=f"{call_id}/{case if isinstance(case, str) else case['name']}")
        for call_id, case in pairs
    ]


# --- the calls and their cases ----------------------------------------------------------------------


def test_every_call_has_cases():
    assert {call_id for call_id, _ in ALL} >= set(all_calls()), (
        f"calls without any case: {sorted(set(all_calls()) - {c for c, _ in ALL})}"
    )


def test_every_cases_file_and_dossier_folder_belongs_to_a_call():
    unknown = sorted(set(CALLS) - set(all_calls()))
    assert not unknown, f"cases.yaml or tests/dossiers/ folder of no call: {unknown}"


def test_no_case_has_the_name_of_a_full_dossier():
    for call_id in CALLS:
        both = set(full_dossiers(call_id)) & {c["name"] for c in cases_of(call_id)}
        assert not both, f"{call_id}: {sorted(both)} is both a full dossier and a case"


@pytest.mark.parametrize("call_id, name", params((c, n) for c in CALLS for n in full_dossiers(c)))
def test_every_full_dossier_says_what_it_tests(call_id, name):
    path = DOSSIERS / call_id / f"{name}.expected.json"
    assert path.exists(), f"{call_id}/{name}.json has no {path.name}"
    expected = expected_of(call_id, name)
    assert isinstance(expected.get("description"), str) and expected["description"].strip(), (
        f"{path.name}: no « description » saying what the dossier tests"
    )
    assert "eligible" in expected, f"{path.name}: no « eligible »"


@pytest.mark.parametrize("call_id, case", params(WRITTEN))
def test_every_case_is_well_formed(call_id, case):
    """A description, a base that exists, paths the call's schema declares (a typo in a path would
    otherwise test nothing), rules of the call and real statuses."""
    where = f"{call_id}/{case['name']}"
    description = case.get("description")
    assert isinstance(description, str) and description.strip() and "\n" not in description.strip(), (
        f"{where}: the « description » must say, in one line, what the case tests"
    )
    base = case.get("base")
    assert base in case_names(call_id), f"{where}: base « {base} » is neither a full dossier nor a case of {call_id}"
    assert case.get("set") or case.get("unset"), f"{where}: the case changes nothing in its base « {base} »"
    assert isinstance(case.get("set") or {}, dict), f"{where}: « set » must map paths to values"
    assert isinstance(case.get("unset") or [], list), f"{where}: « unset » must list paths"
    schema = all_calls()[call_id].schema
    for path in [*(case.get("set") or {}), *(case.get("unset") or [])]:
        dotted = ".".join("0" if part == "-" else part for part in path_parts(path))
        assert field_at(schema, dotted) is not None, f"{where}: « {path} » is not a field of {schema}"
    expected = case.get("expected") or {}
    assert "eligible" in expected and expected["eligible"] in (True, False, None), (
        f"{where}: « expected » must give « eligible »: true, false or null"
    )
    rules = {r.id for r in all_calls()[call_id].rules}
    for rule, status in (expected.get("verdicts") or {}).items():
        assert rule in rules, f"{where}: « {rule} » is not a rule of {call_id}"
        assert status in STATUSES, f"{where}: {rule}: « {status} » is not a status ({sorted(STATUSES)})"
    try:
        load_dossier(call_id, case["name"])
    except CaseError as error:
        pytest.fail(str(error))


# --- what each case must give -------------------------------------------------------------------------


@pytest.mark.parametrize("call_id, name", params(ALL))
def test_case_gives_expected_report(call_id, name):
    expected = expected_of(call_id, name)
    report = report_of(call_id, name)
    statuses = {v.rule: v.status for v in report.verdicts}
    errors = [e.path for e in report.schema_errors]
    where = f"{call_id}/{name}"
    assert errors == expected.get("schema_errors", []), (
        f"{where}: schema errors {[(e.path, e.message) for e in report.schema_errors]}, "
        f"expected {expected.get('schema_errors', [])}"
    )
    assert report.eligible == expected["eligible"], (
        f"{where}: eligible is {report.eligible} (verdict {report.verdict}), expected {expected['eligible']}; "
        f"not ok: { {r: s for r, s in statuses.items() if s != 'ok'} }"
    )
    wrong = {
        rule: (statuses.get(rule, "no such verdict"), status)
        for rule, status in (expected.get("verdicts") or {}).items()
        if statuses.get(rule) != status
    }
    assert not wrong, f"{where}: rule: (given, expected): {wrong}"


@pytest.mark.parametrize("call_id, name", params(ALL))
def test_no_schema_valid_case_is_impossible_to_conclude(call_id, name):
    """« Impossible de conclure » is for data the schema refuses; on a dossier the schema accepts,
    it hides a bug of the rule."""
    report = report_of(call_id, name)
    if report.schema_errors:
        pytest.skip("the dossier has schema errors")
    impossible = {v.rule: v.message for v in report.verdicts if v.message.startswith(IMPOSSIBLE)}
    assert not impossible, f"{call_id}/{name}: schema-valid, yet {impossible}"
