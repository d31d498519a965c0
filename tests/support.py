"""What the per-call tests share: loading a fixture dossier, changing one field of a copy,
reading one rule's verdict, comparing French messages."""

from __future__ import annotations

import copy
from pathlib import Path

from checker.engine import check
from checker.model import Verdict
from checker.schemas import load_json

DOSSIERS = Path(__file__).parent / "dossiers"


def load_dossier(call_id: str, name: str) -> dict:
    """A fixture of tests/dossiers/<call>/, numbers as Decimal like the checker reads them."""
    return load_json((DOSSIERS / call_id / f"{name}.json").read_text("utf-8"))


def set_path(dossier: dict, path: str, value, sep: str = ".") -> dict:
    """A copy with one field set: `path` is dotted ('budget.expenses.0.amount'); missing objects
    are created; None removes the field."""
    d = copy.deepcopy(dossier)
    *parents, last = path.split(sep)
    node = d
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return d


def verdict_of(call_id: str, dossier: dict, rule: str) -> Verdict:
    return next(v for v in check(call_id, dossier).verdicts if v.rule == rule)


def plain(text: str) -> str:
    """Babel's narrow and non-breaking spaces as plain spaces, to compare messages."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def rule_case_tests(call_id: str, cases: dict, dossier_for, failed: dict | None = None):
    """The three tests every call's rule table gets: each rule has a case, passes with its
    passing value and fails (or is « à vérifier » or « à compléter », per `failed`) with its failing one.

    cases: rule id → (dotted path, passing value, failing value); dossier_for(rule, value) → dossier.
    Assign the result in the test module: `test_a, test_b, test_c = rule_case_tests(...)`.
    """
    import pytest

    from checker.engine import get_call

    failed = failed or {}

    def test_every_rule_of_the_call_has_a_case():
        assert set(cases) == {r.id for r in get_call(call_id).rules}

    @pytest.mark.parametrize("rule", sorted(cases))
    def test_rule_passes(rule):
        v = verdict_of(call_id, dossier_for(rule, cases[rule][1]), rule)
        assert v.status == "ok", v.message

    @pytest.mark.parametrize("rule", sorted(cases))
    def test_rule_fails(rule):
        v = verdict_of(call_id, dossier_for(rule, cases[rule][2]), rule)
        assert v.status == failed.get(rule, "ko"), v.message

    return test_every_rule_of_the_call_has_a_case, test_rule_passes, test_rule_fails


# The most common ineligible profile of each call, as its text makes it: a real fixture
# (bench/bench_answers.py and the browser journey follow the ranked questions with it).
INELIGIBLE = {
    "bdt-inclusion-numerique-tpe": "association-porteur",
    "fitn7-saone-et-loire": "hors-saone-et-loire",
    "indre-et-loire-aidants-connect": "blere-avec-benevole",
    "indre-et-loire-conseillers-numeriques": "cc-hors-plateforme",
    "indre-et-loire-fonds-transformation-numerique": "commune-loir-et-cher-hors-departement",
    "indre-et-loire-socle-numerique-ecoles": "association-parents-porteur",
    "pass-numeriques-2020": "commune-seule",
    "tani-promotion-2": "commune-joue-les-tours-echelle",
}
