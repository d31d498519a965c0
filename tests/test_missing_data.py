"""A rule without its data is « à compléter » and names every field it still needs; an empty or
partly filled dossier is never refused for what it has not said yet."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from support import all_case_names, apply_overlay, cases_of, dossier_text, expected_of

from checker.dossier import Dossier, MissingData
from checker.engine import all_calls, check, get_call
from checker.missing import MAX_ROUNDS, dotted_of, field_at, needed_fields, pointer_of, stand_in_for
from checker.model import eligible_of
from checker.schemas import load_json, validate

# Every dossier of the tests, as (call id, name): the full ones and every call's cases.
FIXTURES = all_case_names()
CALLS = sorted(all_calls())
FITN7 = "fitn7-saone-et-loire"
SCHEMA = "fitn7-saone-et-loire.schema.json"


# For each call, one answer that disqualifies the applicant whatever else the dossier says: the case of
# its cases.yaml marked `disqualifying: true`, as (that one answer on an empty dossier, the rule it fails).
def disqualifying_answers() -> dict[str, tuple[dict, str]]:
    found = {}
    for call_id in CALLS:
        for case in cases_of(call_id):
            if not case.get("disqualifying"):
                continue
            where = f"{call_id}/{case['name']}"
            assert len(case.get("set") or {}) == 1 and not case.get("unset"), (
                f"{where}: a disqualifying case sets one field"
            )
            verdicts = (case.get("expected") or {}).get("verdicts", {})
            failed = [rule for rule, status in verdicts.items() if status == "ko"]
            assert len(failed) == 1, f"{where}: a disqualifying case names the one rule it fails (« ko »)"
            found[call_id] = (apply_overlay({}, case["set"], None), failed[0])
    return found


DISQUALIFYING = disqualifying_answers()


def verdict(report, rule: str):
    return next(v for v in report.verdicts if v.rule == rule)


def fixture(case: tuple[str, str]) -> tuple[str, dict]:
    call_id, name = case
    return call_id, load_json(dossier_text(call_id, name))


def case_id(case: tuple[str, str]) -> str:
    return "/".join(case)


# --- every missing field, not only the first ---------------------------------------------------


def test_a_rule_missing_two_fields_lists_both_pointers():
    report = check(FITN7, {"project": {"filing_date": "2021-09-01"}})
    closing = verdict(report, "fitn7.cloture_financiere")
    assert closing.status == "a_completer"
    assert closing.missing == ["/project/end_date", "/project/start_date"]
    assert closing.message.startswith("Données manquantes : « ") and " et « " in closing.message
    not_started = verdict(report, "fitn7.non_engage_avant_depot")
    assert not_started.missing == ["/project/start_date"]  # the filing date is there


def test_a_rule_that_reads_five_answers_lists_the_five():
    _, data = fixture(("tani-promotion-2", "cc-coeur-de-loire-eligible"))  # first category
    del data["criteria_category_1"]
    criteria = verdict(check("tani-promotion-2", data), "tani.criteres_categorie_1")
    assert criteria.missing == [
        f"/criteria_category_1/{key}"
        for key in (
            "pass_numeriques",
            "schemas_territoriaux",
            "equipe_dediee",
            "demarche_partenariale",
            "reseau_mediation",
        )
    ]


def test_a_rule_missing_a_whole_list_names_the_list_and_a_row_without_amount_names_the_row():
    report = check(FITN7, {"request": {"amount": Decimal("1000")}})
    assert "/budget/expenses" in verdict(report, "fitn7.taux").missing
    assert not any(p.startswith("/budget/expenses/") for q in report.questions for p in [q.pointer])
    rows = {
        "budget": {
            "expenses": [
                {"label": "Étude", "category": "etudes_strategie", "amount": Decimal("100")},
                {"label": "Formation", "category": "competences_agents"},
            ]
        },
        "request": {"amount": Decimal("1000")},
    }
    assert verdict(check(FITN7, rows), "fitn7.taux").missing == ["/budget/expenses/1/amount"]


def test_a_decided_rule_has_no_missing_field():
    for case in FIXTURES:
        call_id, data = fixture(case)
        for v in check(call_id, data).verdicts:
            if v.status != "a_completer":
                assert v.missing == [], (case, v.rule)


@pytest.mark.parametrize("call_id", CALLS)
def test_every_missing_pointer_is_a_field_of_the_calls_schema(call_id):
    """Rules read the fields their schema declares: a typo in a rule's path would show here."""
    schema = get_call(call_id).schema
    dossiers = [{}] + [fixture(case)[1] for case in FIXTURES if case[0] == call_id]
    for data in dossiers:
        for v in check(call_id, data).verdicts:
            for pointer in v.missing:
                assert field_at(schema, dotted_of(pointer)) is not None, (v.rule, pointer)
            if v.status == "a_completer":
                assert v.missing or "invalide" in v.message, v.rule


# --- an empty dossier is to complete, never refused ---------------------------------------------


@pytest.mark.parametrize("call_id", CALLS)
@pytest.mark.parametrize("empty", ["nothing", "only the call"])
def test_a_pristine_dossier_is_to_complete_never_non_eligible(call_id, empty):
    report = check(call_id, {} if empty == "nothing" else {"call": call_id})
    assert report.verdict == "a_completer" and report.eligible is None
    assert not [v.rule for v in report.verdicts if v.blocking and v.status == "ko"]
    undecided = [v for v in report.verdicts if v.blocking and v.status == "a_completer"]
    assert undecided and report.questions
    asked = {q.pointer for q in report.questions}
    assert all(set(v.missing) <= asked for v in undecided)


@pytest.mark.parametrize("call_id", sorted(DISQUALIFYING))
def test_the_single_disqualifying_answer_is_enough_to_refuse(call_id):
    data, rule = DISQUALIFYING[call_id]
    report = check(call_id, data)
    assert verdict(report, rule).status == "ko" and verdict(report, rule).blocking
    assert report.verdict == "non_eligible" and report.eligible is False
    assert report.questions  # what is still unanswered is still listed


def test_every_call_has_its_disqualifying_answer():
    missing = sorted(set(CALLS) - set(DISQUALIFYING))
    assert not missing, f"calls without a case marked « disqualifying: true » in their cases.yaml: {missing}"


def removable(node, prefix=()):
    """Every answer of a dossier that can be left out: object keys, whole lists included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from removable(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from removable(value, prefix + (index,))


def without(data: dict, path: tuple) -> dict:
    copied = copy.deepcopy(data)
    node = copied
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return copied


@pytest.mark.parametrize("case", FIXTURES, ids=case_id)
def test_leaving_an_answer_out_never_refuses_the_dossier(case):
    """Whatever answer a fixture leaves out, no blocking condition fails that did not fail with it."""
    call_id, data = fixture(case)
    failed_before = {v.rule for v in check(call_id, data).verdicts if v.status == "ko"}
    for answer in removable(data):
        report = check(call_id, without(data, answer))
        newly = [v.rule for v in report.verdicts if v.blocking and v.status == "ko" and v.rule not in failed_before]
        assert not newly, (answer, newly)


@pytest.mark.parametrize("case", FIXTURES, ids=case_id)
def test_the_verdict_and_eligible_agree(case):
    call_id, data = fixture(case)
    report = check(call_id, data)
    assert report.eligible is eligible_of(report.verdict)
    expected = expected_of(*case)
    if expected["eligible"] is None:
        assert report.verdict in ("a_completer", "a_verifier")


# --- zero unless said otherwise ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call_id, fields",
    [
        (FITN7, ("restrictions.agent_equipment", "restrictions.personnel", "restrictions.extra_eu_licences")),
        (
            "indre-et-loire-fonds-transformation-numerique",
            ("restrictions.agent_equipment", "restrictions.extra_eu_licences"),
        ),
    ],
)
def test_amounts_filled_in_only_when_there_are_some_are_not_mandatory(call_id, fields):
    eligible = next(case for case in FIXTURES if case[0] == call_id and expected_of(*case)["eligible"] is True)
    _, data = fixture(eligible)
    data.pop("restrictions", None)
    assert validate(get_call(call_id).schema, data) == []
    report = check(call_id, data)
    assert report.verdict == "eligible"
    for dotted in fields:
        assert not any(pointer_of(dotted) in v.missing for v in report.verdicts)


# --- the reader and the stand-ins -------------------------------------------------------------


def test_dossier_readers_say_what_kind_of_value_is_missing():
    d = Dossier({"a": {"n": "abc", "t": "oui", "l": []}})
    for read, path, kind in (
        (d.money, "a.n", "number"),
        (d.flag, "a.t", "boolean"),
        (d.date, "a.z", "date"),
        (d.rows, "a.l", "list"),
        (d.get, "a.z", None),
    ):
        with pytest.raises(MissingData) as missing:
            read(path)
        assert (missing.value.path, missing.value.kind) == (path, kind)
    assert d.money("a.z", Decimal(0)) == 0
    with pytest.raises(MissingData):
        d.money("a.n", Decimal(0))  # a malformed amount is not an absent one
    assert d.items("a.l") == [] and d.items("a.z") == []


def test_with_value_changes_a_copy_and_builds_what_is_missing():
    d = Dossier({"budget": {"expenses": [{"amount": 1}]}})
    other = d.with_value("budget.expenses.1.amount", 2).with_value("request.amount", 3)
    assert other.data == {"budget": {"expenses": [{"amount": 1}, {"amount": 2}]}, "request": {"amount": 3}}
    assert d.data == {"budget": {"expenses": [{"amount": 1}]}}


def test_stand_ins_follow_the_schema():
    assert stand_in_for(SCHEMA, "applicant.kind") == "commune"  # the first choice
    assert stand_in_for(SCHEMA, "commitments.decision_level", "boolean") is True
    assert stand_in_for(SCHEMA, "request.amount", "number") == 0
    assert stand_in_for(SCHEMA, "project.start_date", "date") == "2000-01-01"
    assert stand_in_for(SCHEMA, "applicant.departement") == "71"  # matches the code's pattern
    assert stand_in_for(SCHEMA, "project.filing_time") == "12:00"
    assert stand_in_for(SCHEMA, "commitments.signatory_name") == "…"
    row = stand_in_for(SCHEMA, "budget.resources", "list")
    assert row == [{"label": "…", "funder_kind": "etat", "amount": 0}]
    assert stand_in_for(SCHEMA, "nowhere.to.be.found", "boolean") is True  # the reader's kind when the schema is silent


def test_the_search_for_missing_fields_is_bounded():
    def endless(d: Dossier):
        raise MissingData(f"x{len(d.data)}")

    found = needed_fields(endless, Dossier({}), SCHEMA, MissingData("x0"))
    assert len(found) == MAX_ROUNDS + 1

    def stubborn(d: Dossier):
        raise MissingData("x")  # the stand-in does not help: no progress, stop

    assert needed_fields(stubborn, Dossier({}), SCHEMA, MissingData("x")) == ["x"]


def test_pointers_and_dotted_paths():
    assert pointer_of("budget.expenses.0.amount") == "/budget/expenses/0/amount"
    assert dotted_of("/budget/expenses/0/amount") == "budget.expenses.0.amount"
    assert pointer_of("a/b.c~d") == "/a~1b/c~0d" and dotted_of("/a~1b/c~0d") == "a/b.c~d"
