"""What the per-call tests share: loading a fixture dossier (full, or a case built on a base),
changing one field of a copy, reading one rule's verdict, comparing French messages."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from checker.engine import check
from checker.model import Verdict
from checker.schemas import load_json

DOSSIERS = Path(__file__).parent / "dossiers"


def load_dossier(call_id: str, name: str) -> dict:
    """A full dossier of tests/dossiers/<call>/ or a case of the call's cases.yaml (built from its
    base), numbers as Decimal like the checker reads them."""
    return load_json(dossier_text(call_id, name))


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


# --- cases: a base dossier plus the fields it changes, with the verdicts it must give ---------------
#
# src/checker/calls/<call_id with - as _>/cases.yaml lists the cases of one call, OpenFisca- and
# Publicodes-style:
#
#   - name: depot-apres-la-cloture
#     description: Dépôt le 23 octobre 2021, après la clôture du 22 octobre.   # one line: what it tests
#     base: eligible-commune-tournus      # a full dossier of tests/dossiers/<call>/, or another case
#     set:                                # path → new value (null included); objects and lists are replaced whole
#       project.filing_date: '2021-10-23'
#     unset: [project.filing_time]        # fields (or list items) the case removes
#     disqualifying: true                 # optional: what `set` gives refuses the applicant on its own, whatever
#                                         # else the dossier says (tests/test_missing_data.py checks it on a
#                                         # dossier holding only that one field); every call has one such case
#     expected:
#       eligible: false                   # true, false, or null (à compléter / à vérifier)
#       verdicts: {fitn7.date_limite: ko} # the status of each rule named
#       schema_errors: []                 # the paths of the schema errors, in order (default: none)
#
# Paths are dotted ("budget.expenses.0.amount") or JSON pointers ("/budget/expenses/0/amount", for a
# key holding a dot). Every path names a place of the base: `set` is applied first, in order, then
# `unset`. In `set`, missing objects on the way are created, and a list index equal to the list's
# length (or "-") appends an item. A full dossier keeps its expectation in <name>.expected.json beside it.

CALLS_DIR = Path(__file__).resolve().parents[1] / "src" / "checker" / "calls"
CASE_KEYS = {"name", "description", "base", "set", "unset", "expected", "disqualifying"}
EXPECTED_KEYS = {"eligible", "verdicts", "schema_errors"}


class CaseError(Exception):
    """A case that cannot be built: unknown base, a path the base does not have, a cycle…"""


def _yaml_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """YAML without the implicit timestamps: an unquoted 2021-10-15 stays the string a dossier holds."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def cases_file(call_id: str) -> Path:
    return CALLS_DIR / call_id.replace("-", "_") / "cases.yaml"


def case_files() -> dict[str, Path]:
    """call id → its cases.yaml, for every call that has one."""
    return {path.parent.name.replace("_", "-"): path for path in sorted(CALLS_DIR.glob("*/cases.yaml"))}


def full_dossiers(call_id: str) -> list[str]:
    """The names of the full dossiers of tests/dossiers/<call>/ (those a test reads as a file)."""
    return sorted(p.stem for p in (DOSSIERS / call_id).glob("*.json") if not p.name.endswith(".expected.json"))


@lru_cache(maxsize=None)
def _cases(call_id: str) -> tuple[dict, ...]:
    import yaml

    path = cases_file(call_id)
    if not path.exists():
        return ()
    cases = yaml.load(path.read_text("utf-8"), Loader=_yaml_loader()) or []
    where = path.relative_to(CALLS_DIR.parents[2])
    if not isinstance(cases, list):
        raise CaseError(f"{where}: a list of cases is expected")
    names = set()
    for case in cases:
        if not isinstance(case, dict) or not isinstance(case.get("name"), str):
            raise CaseError(f"{where}: a case without a name: {case!r}")
        if set(case) - CASE_KEYS:
            raise CaseError(f"{where}: case {case['name']}: unknown keys {sorted(set(case) - CASE_KEYS)}")
        if set(case.get("expected") or {}) - EXPECTED_KEYS:
            raise CaseError(
                f"{where}: case {case['name']}: unknown expected keys {sorted(set(case['expected']) - EXPECTED_KEYS)}"
            )
        if case["name"] in names:
            raise CaseError(f"{where}: two cases are named {case['name']}")
        names.add(case["name"])
    return tuple(cases)


def cases_of(call_id: str) -> list[dict]:
    """The cases of cases.yaml, as written (a fresh copy)."""
    return copy.deepcopy(list(_cases(call_id)))


def case_of(call_id: str, name: str) -> dict | None:
    return next((c for c in cases_of(call_id) if c["name"] == name), None)


def case_names(call_id: str) -> list[str]:
    """Every dossier name of the call: its full dossiers, then its cases."""
    return full_dossiers(call_id) + [c["name"] for c in _cases(call_id)]


def expected_of(call_id: str, name: str) -> dict:
    """What the dossier must give: from <name>.expected.json for a full dossier, else from its case."""
    path = DOSSIERS / call_id / f"{name}.expected.json"
    if (DOSSIERS / call_id / f"{name}.json").exists():
        return json.loads(path.read_text("utf-8")) if path.exists() else {}
    case = case_of(call_id, name)
    if case is None:
        raise CaseError(f"{call_id}: no full dossier nor case named {name}")
    return case.get("expected") or {}


def path_parts(path: str) -> list[str]:
    """A dotted path or a JSON pointer, as its keys."""
    if path.startswith("/"):
        return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
    return path.split(".")


def _index(node: list, part: str, path: str, append: bool) -> int:
    if part == "-" and append:
        return len(node)
    if not part.isdigit() or int(part) > len(node) - (0 if append else 1):
        raise CaseError(f"{path}: no item {part} in a list of {len(node)}")
    return int(part)


def _container(root, parts: list[str], path: str, create: bool):
    node = root
    for part in parts:
        if isinstance(node, list):
            node = node[_index(node, part, path, append=False)]
        elif isinstance(node, dict):
            if part not in node:
                if not create:
                    raise CaseError(f"{path}: the base has no « {part} »")
                node[part] = {}
            node = node[part]
        else:
            raise CaseError(f"{path}: « {part} » is inside a value that is neither an object nor a list")
    return node


def apply_overlay(dossier: dict, set_: dict | None = None, unset: list | None = None) -> dict:
    """A copy of the dossier with the `set` values, then without the `unset` fields (see above)."""
    data = copy.deepcopy(dossier)
    for path, value in (set_ or {}).items():
        *parents, last = path_parts(path)
        node = _container(data, parents, path, create=True)
        if isinstance(node, list):
            i = _index(node, last, path, append=True)
            node[i : i + 1] = [copy.deepcopy(value)]
        elif isinstance(node, dict):
            node[last] = copy.deepcopy(value)
        else:
            raise CaseError(f"{path}: cannot set a field inside {node!r}")
    removals = []
    for path in unset or []:
        *parents, last = path_parts(path)
        node = _container(data, parents, path, create=False)
        if isinstance(node, list):
            removals.append((node, _index(node, last, path, append=False)))
        elif isinstance(node, dict) and last in node:
            removals.append((node, last))
        else:
            raise CaseError(f"{path}: the base has no such field to remove")
    # Every path names a place of the base: remove list items from the last one.
    for node, key in sorted(removals, key=lambda r: r[1] if isinstance(r[1], int) else -1, reverse=True):
        del node[key]
    return data


def _plain(call_id: str, name: str, seen: tuple = ()) -> dict:
    """The dossier as json.loads reads it: a full dossier's file, or a case's base with its overlay."""
    if name in seen:
        raise CaseError(f"cases based on each other: {' → '.join(seen + (name,))}")
    path = DOSSIERS / call_id / f"{name}.json"
    if path.exists():
        return json.loads(path.read_text("utf-8"))
    case = next((c for c in _cases(call_id) if c["name"] == name), None)
    if case is None:
        of = f" (base of « {seen[-1]} »)" if seen else ""
        raise CaseError(f"no full dossier nor case named « {name} »{of}")
    if not case.get("base"):
        raise CaseError(f"case « {name} » has no base")
    base = _plain(call_id, case["base"], seen + (name,))
    try:
        return apply_overlay(base, case.get("set"), case.get("unset"))
    except CaseError as error:
        raise CaseError(f"case « {name} »: {error}") from None


def dossier_text(call_id: str, name: str) -> str:
    """A full dossier's JSON, or a case's built from its base: what a user would upload."""
    path = DOSSIERS / call_id / f"{name}.json"
    if path.exists():
        return path.read_text("utf-8")
    try:
        return json.dumps(_plain(call_id, name), ensure_ascii=False, indent=2)
    except CaseError as error:
        raise CaseError(f"{call_id}/{name}: {error}") from None


def all_case_names() -> list[tuple[str, str]]:
    """(call id, name) of every full dossier and every case, call by call: what the tests that go
    over « every fixture » iterate (with dossier_text for the JSON, load_dossier for the dict)."""
    calls = sorted({p.name for p in DOSSIERS.iterdir() if p.is_dir()} | set(case_files()))
    return [(call_id, name) for call_id in calls for name in case_names(call_id)]


def case_dossiers(call_id: str | None = None) -> list[tuple[str, str, dict]]:
    """(call id, name, dossier) for every full dossier and every case, of one call or of all."""
    return [(c, name, load_dossier(c, name)) for c, name in all_case_names() if call_id in (None, c)]


# Questions to the finder, as its page asks them: applicant blocks as the official data fills them
# (Mâcon, its agglomération, a département), with and without a project. The parity and snapshot
# tests ask each of the browser's checker.
FINDER_QUESTIONS = [
    {
        "id": "(finder) Mâcon",
        "find": {
            "applicant": {
                "kind": "commune",
                "name": "Mâcon",
                "siren": "217102706",
                "departement": "71",
                "region": "27",
                "population": 35177,
            },
            "nature": "Formation des agents",
            "amount": "40 000",
        },
    },
    {
        "id": "(finder) CA Mâconnais",
        "find": {
            "applicant": {
                "kind": "communaute_d_agglomeration",
                "name": "CA Mâconnais Beaujolais Agglomération",
                "siren": "200070308",
                "departement": "71",
                "region": "27",
            },
            "nature": None,
            "amount": None,
        },
    },
    {
        "id": "(finder) Saône-et-Loire",
        "find": {
            "applicant": {"kind": "departement", "name": "Saône-et-Loire", "departement": "71", "region": "27"},
            "nature": None,
            "amount": None,
        },
    },
]
