"""The next questions: every answer an undecided rule still needs, the most decisive first — a
single answer before a list of lines, then the answer that alone decides the most blocking rules,
then the most undecided blocking rules, then the most rules of any kind, then the form's order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.engine import all_calls, check, get_call
from checker.missing import dotted_of, form_order, form_rank, is_list, rank_questions
from checker.model import Verdict
from checker.schemas import title_at

FITN7 = "fitn7-saone-et-loire"
SCHEMA = get_call(FITN7).schema


def undecided(rule: str, *pointers: str, blocking: bool = True, status: str = "a_completer") -> Verdict:
    return Verdict(rule, rule, status, blocking, "Donnée manquante.", f"appels/{FITN7}/#x", list(pointers))


def pointers(verdicts: list[Verdict]) -> list[str]:
    return [q.pointer for q in rank_questions(SCHEMA, verdicts)]


def test_an_answer_that_alone_decides_a_rule_comes_before_one_that_only_helps():
    ranked = rank_questions(
        SCHEMA,
        [
            undecided("a", "/commitments/decision_level"),
            undecided("b", "/commitments/decision_level", "/applicant/kind"),
            undecided("c", "/submission/channel"),
        ],
    )
    # decision_level alone decides a (and helps b); channel alone decides c; kind decides nothing alone.
    assert [q.pointer for q in ranked] == ["/commitments/decision_level", "/submission/channel", "/applicant/kind"]
    assert ranked[0].rules == ["a", "b"] and ranked[0].blocking == 2


def test_at_equal_power_alone_the_most_undecided_blocking_rules_first():
    assert pointers(
        [
            undecided("a", "/submission/channel"),
            undecided("b", "/applicant/kind"),
            undecided("c", "/applicant/kind", "/submission/channel"),
            undecided("d", "/applicant/kind", "/request/amount"),
        ]
    ) == ["/applicant/kind", "/submission/channel", "/request/amount"]


def test_a_list_a_blocking_rule_waits_for_comes_before_an_answer_only_advice_needs():
    assert pointers([undecided("a", "/budget/expenses"), undecided("b", "/applicant/kind", blocking=False)]) == [
        "/budget/expenses",
        "/applicant/kind",
    ]


def test_a_list_of_lines_comes_after_every_single_answer():
    assert pointers(
        [
            undecided("a", "/budget/expenses"),
            undecided("b", "/budget/expenses"),
            undecided("c", "/budget/expenses"),
            undecided("d", "/applicant/kind", "/request/amount"),
        ]
    ) == ["/applicant/kind", "/request/amount", "/budget/expenses"]


def test_one_blocking_rule_outweighs_any_number_of_advisory_ones():
    verdicts = [undecided(f"advice{n}", "/applicant/kind", blocking=False) for n in range(5)]
    verdicts.append(undecided("condition", "/commitments/personal_commitment"))
    ranked = rank_questions(SCHEMA, verdicts)
    assert [q.pointer for q in ranked] == ["/commitments/personal_commitment", "/applicant/kind"]
    assert (ranked[0].blocking, ranked[1].blocking, len(ranked[1].rules)) == (1, 0, 5)


def test_at_equal_blocking_count_the_answer_feeding_more_rules_comes_first():
    assert pointers(
        [
            undecided("a", "/applicant/kind"),
            undecided("b", "/submission/channel"),
            undecided("c", "/submission/channel", blocking=False),
        ]
    ) == ["/submission/channel", "/applicant/kind"]


def test_ties_follow_the_form_order_through_the_common_schema():
    shuffled = [
        "/commitments/decision_level",
        "/budget/resources",
        "/project/start_date",
        "/applicant/departement",
        "/request/amount",
        "/budget/expenses/1/amount",
        "/applicant/kind",
        "/budget/expenses/0/amount",
        "/applicant/contact/email",
        "/eligibility/local_funding_only",
    ]
    assert pointers([undecided(f"r{n}", p) for n, p in enumerate(shuffled)]) == [
        "/applicant/kind",
        "/applicant/departement",
        "/applicant/contact/email",
        "/project/start_date",
        "/budget/expenses/0/amount",
        "/budget/expenses/1/amount",
        "/request/amount",
        "/eligibility/local_funding_only",
        "/commitments/decision_level",
        "/budget/resources",
    ]


def test_form_order_knows_the_fields_of_references_and_conditional_branches():
    order = form_order(SCHEMA)
    assert order["applicant"] < order["applicant.kind"] < order["applicant.contact.email"] < order["project"]
    assert order["project.filing_date"] < order["budget"] < order["budget.expenses.*.amount"] < order["request"]
    tani = form_order(get_call("tani-promotion-2").schema)
    assert "eligibility.territorial_scale" in tani and "charter.measures" in tani


def test_a_field_the_schema_does_not_know_sorts_right_after_its_parent():
    order = form_order(SCHEMA)
    assert form_rank(SCHEMA, "applicant.unknown")[0] == order["applicant"]
    assert form_rank(SCHEMA, "applicant") < form_rank(SCHEMA, "applicant.unknown") < form_rank(SCHEMA, "project")


def test_only_rules_still_to_complete_ask_questions():
    assert (
        pointers(
            [undecided("a", "/applicant/kind", status="a_verifier"), undecided("b", "/applicant/kind", status="ko")]
        )
        == []
    )


def test_a_question_carries_the_fields_french_title():
    ranked = rank_questions(SCHEMA, [undecided("a", "/request/amount"), undecided("b", "/budget/expenses/0/amount")])
    assert [q.title for q in ranked] == [
        f"{title_at(SCHEMA, 'budget.expenses')}, ligne 1 : {title_at(SCHEMA, 'budget.expenses.0.amount')}",
        title_at(SCHEMA, "request.amount"),
    ]
    assert all(q.title and not q.title.startswith("/") for q in ranked)


@pytest.mark.parametrize("call_id", sorted(all_calls()))
@pytest.mark.parametrize(
    "dossier", [{}, {"applicant": {"kind": "commune", "departement": "71"}}], ids=["vide", "porteur-seul"]
)
def test_the_reports_questions_are_ranked_and_counted_from_its_verdicts(call_id, dossier):
    report = check(call_id, dossier)
    schema = get_call(call_id).schema
    needing = {}
    for v in report.verdicts:
        if v.status == "a_completer":
            for pointer in v.missing:
                needing.setdefault(pointer, []).append(v)
    assert {q.pointer for q in report.questions} == set(needing)
    for q in report.questions:
        assert q.rules == [v.rule for v in needing[q.pointer]]
        assert q.blocking == sum(v.blocking for v in needing[q.pointer])
    alone = {
        q.pointer: sum(v.blocking and v.missing == [q.pointer] for v in needing[q.pointer]) for q in report.questions
    }
    keys = [
        (
            q.blocking == 0,
            is_list(schema, dotted_of(q.pointer)),
            -alone[q.pointer],
            -q.blocking,
            -len(q.rules),
            form_rank(schema, dotted_of(q.pointer)),
        )
        for q in report.questions
    ]
    assert keys == sorted(keys)


def test_the_most_decisive_question_of_an_empty_fitn7_dossier_is_the_start_date():
    """The start date decides three conditions; the amount asked feeds more rules, but its 70 % and its
    30 000 € are a « barème indicatif » that advises: it decides fewer blocking rules."""
    report = check(FITN7, {})
    first, second = report.questions[:2]
    assert first.pointer == "/project/start_date" and first.blocking == 3
    assert second.pointer == "/request/amount" and len(second.rules) > len(first.rules)
    assert "/budget/expenses" in [q.pointer for q in report.questions]  # the whole list, not a row of it
    deciding = [q for q in report.questions if q.blocking]
    assert all(q.blocking for q in report.questions[: len(deciding)])  # advisory-only questions last
    lists = [i for i, q in enumerate(deciding) if is_list(SCHEMA, dotted_of(q.pointer))]
    assert lists == list(range(len(deciding) - len(lists), len(deciding)))  # then lists after single answers


def test_answering_a_question_removes_it():
    before = {q.pointer for q in check(FITN7, {}).questions}
    after = {q.pointer for q in check(FITN7, {"request": {"amount": Decimal("20000"), "axis": "3a"}}).questions}
    assert "/request/amount" in before and "/request/amount" not in after and "/request/axis" not in after
