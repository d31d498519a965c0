"""No input breaks the checker: whatever the dossier holds, the command line, the batch, the browser's
bridge and engine.check() answer in French, within bounds, with valid UTF-8 and no Python repr.

Property-based tests (Hypothesis) draw dossiers from every call's schema (hypothesis-jsonschema, over
a copy of the schema with common.schema.json bundled in), then spoil them anywhere with odd values
(lone surrogates, control characters, NaN, huge numbers, lists where a text is expected, odd keys),
and draw arbitrary JSON text and nesting. The profile "default" is short and always the same;
HYPOTHESIS_PROFILE=long runs thousands of random examples (tests/conftest.py). The regression tests
below them are named after the case each one proves.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import io
import json
import math
import re
import shutil
import tempfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from support import load_dossier, set_path

from checker import bridge
from checker.batch import run as run_batch
from checker.cli import main
from checker.dossier import MAX_DEPTH, MAX_VALUES, Dossier, MissingData, printable, shown
from checker.engine import all_calls, check
from checker.inputs import MAX_COLUMNS, InputError, csv_entries, parse_dossier, read_json
from checker.model import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, TO_COMPLETE, Report, dossier_verdict, eligible_of
from checker.schemas import ecma_regex, load_json, schema_dir, validate
from checker.text_report import render

CALLS = sorted(all_calls())
FITN7 = "fitn7-saone-et-loire"
COMMON = "common.schema.json"
VERDICTS = {ELIGIBLE, NOT_ELIGIBLE, TO_COMPLETE, TO_CHECK}
WORK = Path(tempfile.mkdtemp(prefix="checker-robustness-"))  # one file rewritten by each example
atexit.register(shutil.rmtree, WORK, ignore_errors=True)

# What no message may hold: C0 and C1 controls, DEL, bidirectional overrides, line separators, lone surrogates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# --- what every answer must be ------------------------------------------------------------------


def _texts(value: Any, found: list[str]) -> list[str]:
    """Every text of a dossier, keys included, as messages would print it."""
    if isinstance(value, str):
        found.append(printable(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                found.append(printable(key))
            _texts(item, found)
    elif isinstance(value, list):
        for item in value:
            _texts(item, found)
    return found


def _reprs(value: Any, found: set[str]) -> set[str]:
    """The Python reprs a careless message would show: of the dossier's lists, objects, numbers, bools."""
    if isinstance(value, (list, dict)) and value:
        try:
            text = repr(value)
        except ValueError:  # an integer too long to convert to text: no message can show it either
            text = ""
        if 0 < len(text) < 300:
            found.add(text)
        for item in value.values() if isinstance(value, dict) else value:
            _reprs(item, found)
    elif isinstance(value, Decimal):
        found.add(f"Decimal('{value}')")
    return found


def assert_clean(text: str, data: Any = None) -> None:
    """A message: no control character, no surrogate, no Python repr of the dossier's values."""
    assert not UNSAFE.search(text), ascii(text)
    haystack = "\n".join(_texts(data, []))
    for marker in ("Decimal(", "True", "False", "None"):
        if marker not in haystack:
            assert not re.search(rf"\b{re.escape(marker)}\b" if marker[0].isalpha() else re.escape(marker), text), text
    for shown_repr in _reprs(data, set()):
        if shown_repr not in haystack:
            assert shown_repr not in text, text


def assert_sound(report: Report, data: Any = None) -> dict:
    """The report keeps its contract: a verdict consistent with its rules, UTF-8 JSON, clean messages."""
    assert isinstance(report, Report)
    assert report.verdict in VERDICTS
    assert report.verdict == dossier_verdict(report.verdicts, report.schema_errors)
    assert report.eligible is eligible_of(report.verdict)
    as_json = report.to_json()
    text = json.dumps(as_json, ensure_ascii=False)
    text.encode("utf-8")  # strict: a lone surrogate would raise here
    for verdict in report.verdicts:
        for piece in (verdict.label, verdict.message, verdict.clause):
            assert_clean(piece, data)
        assert verdict.status in ("ok", "ko", "a_verifier", "a_completer")
        assert all(isinstance(p, str) and p.startswith("/") for p in verdict.missing)
    for error in report.schema_errors:
        assert_clean(error.message, data)
        error.path.encode("utf-8")
    for question in report.questions:
        assert_clean(question.title, data)
    for figure in report.figures:
        assert_clean(figure.value, data)
        assert_clean(figure.formula, data)
    return as_json


def assert_bridge_answer(answer: str, data: Any = None) -> dict:
    assert isinstance(answer, str)
    answer.encode("utf-8")
    result = json.loads(answer)
    assert result["ok"] in (True, False)
    if result["ok"]:
        report = result["report"]
        assert report["verdict"] in VERDICTS
        assert report["eligible"] is eligible_of(report["verdict"])
        for verdict in report["verdicts"]:
            assert_clean(verdict["message"], data)
        for error in report["schema_errors"]:
            assert_clean(error["message"], data)
    else:
        assert result["message"] != bridge.INTERNAL_ERROR
        assert_clean(result["message"], data)
    return result


def run_cli(*args: str) -> tuple[int, str, str]:
    """checker … in this process: (exit code, stdout, stderr); a traceback would fail the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


def json_text(value: Any) -> str:
    """JSON text of a drawn value: Decimals as their digits, NaN and infinities as the bare words."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return "NaN" if value.is_nan() else str(value)
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else json.dumps(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 10_000:
        return "1" * 5000
    return json.dumps(value)


# --- drawing dossiers -----------------------------------------------------------------------------


def bundled(name: str) -> dict:
    """The call's schema with every $ref replaced by what it points to (into common.schema.json or the
    file itself): what hypothesis-jsonschema needs. Annotations (titles, x-…) are left out; property
    names are kept. So are conditions (if / then / else): in these schemas they only make more
    fields required, and hypothesis-jsonschema takes seconds to merge them; the drawn dossiers lack
    some of those fields then."""
    documents = {n: json.loads((schema_dir() / n).read_text("utf-8")) for n in (COMMON, name)}

    def target(ref: str, document: str) -> tuple[Any, str]:
        file, _, fragment = ref.partition("#")
        file = file or document
        node = documents[file]
        for part in fragment.strip("/").split("/") if fragment.strip("/") else []:
            node = node[int(part)] if isinstance(node, list) else node[part.replace("~1", "/").replace("~0", "~")]
        return node, file

    def inline(node: Any, document: str, names: bool = False) -> Any:
        if isinstance(node, list):
            return [inline(item, document) for item in node]
        if not isinstance(node, dict):
            return node
        if names:
            return {key: inline(value, document) for key, value in node.items()}
        out: dict = {}
        if isinstance(node.get("$ref"), str):
            out.update(inline(*target(node["$ref"], document)))
        for key, value in node.items():
            if key.startswith("x-") or key in (
                "$ref",
                "$defs",
                "$id",
                "$schema",
                "title",
                "description",
                "default",
                "if",
                "then",
                "else",
            ):
                continue
            out[key] = inline(value, document, key == "properties")
        return out

    return inline(documents[name], name)


@lru_cache(maxsize=None)
def dossiers_of(call_id: str) -> st.SearchStrategy:
    return from_schema(bundled(all_calls()[call_id].schema))


schema_dossiers = st.sampled_from(CALLS).flatmap(lambda call_id: st.tuples(st.just(call_id), dossiers_of(call_id)))

ODD_TEXTS = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(categories=["Cc", "Cs", "Cf", "Zl", "Zp"]), max_size=6),
    st.sampled_from(
        [
            "\ud800",
            "a\udfffb",
            "Mairie\nRésultat : ÉLIGIBLE : forgé",
            "\x1b[2J\x1b[31m",
            "\u202egnp.exe",
            "l'adresse",
            "'",
            "",
            " ",
            "~1/~0",
            "217102706\n",
            "2021-W42-5",
            "20211015xx",
            "2021-10-15\n",
            "None",
            "True",
            "[1, True, None]",
            "1e999999",
            "NaN",
            "commune",
            "9" * 400,
        ]
    ),
)
ODD_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.decimals(),
    st.builds(
        lambda digits, exponent: Decimal(f"{digits}E{exponent}"),  # any exponent, whatever the context
        st.integers(-(10**30), 10**30),
        st.integers(-(10**6), 10**6),
    ),
    st.sampled_from(
        [
            0.0,
            -0.0,
            Decimal("-0"),
            Decimal("0E+999999"),
            Decimal("-1.36E+23"),
            Decimal("NaN"),
            Decimal("-Infinity"),
            float("inf"),
        ]
    ),
    st.builds(lambda: 10**5000),  # more digits than Python converts to text
)
ODD_SCALARS = st.one_of(st.none(), st.booleans(), ODD_NUMBERS, ODD_TEXTS)
ODD_VALUES = st.recursive(
    ODD_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(ODD_TEXTS, inner, max_size=4)),
    max_leaves=12,
)


def spots(data: Any, parts: tuple = ()) -> list[tuple]:
    """Every place of a dossier where a value may be replaced or added: (path to a container, key)."""
    found = []
    if isinstance(data, dict):
        found.append((parts, None))
        for key, value in data.items():
            found.append((parts, key))
            found += spots(value, parts + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.append((parts, index))
            found += spots(value, parts + (index,))
    return found


@st.composite
def spoiled_dossiers(draw) -> tuple[str, dict]:
    """A dossier a call's schema describes, with one to three odd values put anywhere in it."""
    call_id, data = draw(schema_dossiers)
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        parts, key = draw(st.sampled_from(spots(data)))
        node = data
        for part in parts:
            node = node[part]
        value = draw(ODD_VALUES)
        if key is None:
            node[draw(ODD_TEXTS)] = value
        else:
            node[key] = value
    return call_id, data


def nested(depth: int, kind: str) -> tuple[Any, str]:
    """A value nested `depth` levels deep, and its JSON text (built without recursion)."""
    value: Any = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    opening, closing = ("[", "]") if kind == "list" else ('{"a":', "}")
    return value, opening * depth + "1" + closing * depth


# --- the properties -------------------------------------------------------------------------------


@given(schema_dossiers)
def test_a_dossier_any_call_schema_describes_gets_a_consistent_report_everywhere(drawn):
    call_id, data = drawn
    report = check(call_id, data)
    assert_sound(report, data)
    text = json_text(data)
    assert_bridge_answer(bridge.run(call_id, text), data)
    try:
        parsed = parse_dossier(text, "Essai")
    except InputError as refused:  # a drawn integer of more than 20 digits, where the schema sets no maximum
        assert "nombre démesuré" in str(refused)
    else:
        assert_sound(check(call_id, parsed), parsed)


@given(spoiled_dossiers())
def test_odd_values_anywhere_in_a_dossier_never_break_check_the_bridge_or_the_command_line(drawn):
    call_id, data = drawn
    assert_sound(check(call_id, data), data)
    text = json_text(data)
    assert_bridge_answer(bridge.run(call_id, text), data)
    path = WORK / "dossier.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code, out, err = run_cli("check", call_id, str(path), "--json")
    assert code in (0, 1, 2), err
    if code == 2:
        assert err.startswith("checker : erreur : ") and not UNSAFE.search(err.rstrip("\n"))
    else:
        report = json.loads(out)
        out.encode("utf-8")
        assert (code == 0) == (report["eligible"] is True)
        code, out, err = run_cli("check", call_id, str(path))
        assert sum(line.startswith("Résultat :") for line in out.splitlines()) == 1
        assert not UNSAFE.search(out.replace("\n", ""))


@given(
    st.one_of(
        ODD_VALUES.map(json_text),
        st.text(max_size=60),
        st.text(st.sampled_from('[]{}",:0123456789.eE+-ntrufalsNIfiy \\u'), max_size=80),
    )
)
def test_any_text_gets_a_french_answer_from_the_bridge_the_parser_and_the_batch(text):
    assert_bridge_answer(bridge.run(FITN7, text), text)  # messages may quote the text's own words
    answer = json.loads(bridge.find(text, text[:20], text[-20:]))
    assert answer["ok"] in (True, False)
    try:
        data = parse_dossier(text, "Essai")
    except InputError as refused:
        assert str(refused).startswith("Essai : ") and not UNSAFE.search(str(refused))
    else:
        assert_sound(check(FITN7, data), data)
    out = io.StringIO()
    summary = run_batch(FITN7, io.BytesIO(text.encode("utf-8", "surrogatepass")), out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "summary" in lines[-1] and summary.dossiers == len(lines) - 1
    out.getvalue().encode("utf-8")


@given(st.integers(0, 3 * MAX_DEPTH), st.sampled_from(["list", "object"]))
def test_nesting_is_read_up_to_the_limit_and_refused_in_french_beyond(depth, kind):
    value, text = nested(depth, kind)
    dossier_text = '{"budget":' + text + "}"
    deep = depth + 1 > MAX_DEPTH
    try:
        read_json(dossier_text)
    except InputError as refused:
        assert deep and "imbriqué trop profondément" in str(refused)
    else:
        assert not deep
    answer = assert_bridge_answer(bridge.run(FITN7, dossier_text))
    assert answer["ok"] is not deep
    report = check(FITN7, {"budget": value})
    assert_sound(report)
    assert deep == any("imbriquées" in e.message for e in report.schema_errors)


@given(
    st.from_regex(r"-?(0|[1-9][0-9]{0,400})(\.[0-9]{1,400})?([eE][+-]?[0-9]{1,12})?", fullmatch=True)
    | st.sampled_from(["NaN", "-Infinity", "Infinity", "1e400", "-0", "0e-999999999", "1" * 5000])
)
def test_any_number_is_read_exactly_or_refused_in_french(token):
    text = '{"budget": {"expenses": [{"label": "x", "amount": ' + token + '}]}, "request": {"amount": ' + token + "}}"
    assert_bridge_answer(bridge.run(FITN7, text))
    try:
        data = parse_dossier(text, "Essai")
    except InputError as refused:
        assert "nombre" in str(refused) or "numérique" in str(refused)
    else:
        assert_sound(check(FITN7, data), data)


# --- regression tests: each case fuzzing found ----------------------------------------------------


def fixture(call_id: str = FITN7) -> dict:
    return load_dossier(
        call_id,
        next(
            p.stem
            for p in sorted((Path(__file__).parent / "dossiers" / call_id).glob("*.json"))
            if not p.stem.endswith(".expected")
        ),
    )


@pytest.mark.parametrize("amount", [0.0, 0.1, -0.0, 1e300, float("nan"), float("inf"), 12.345])
def test_a_float_amount_is_judged_not_raised_in_multiple_of(amount):
    data = set_path(fixture(), "budget.expenses.0.amount", amount)
    report = check(FITN7, data)
    assert_sound(report, data)


def test_a_float_that_is_a_multiple_of_a_cent_passes_multiple_of():
    assert not [
        e
        for e in validate(all_calls()[FITN7].schema, set_path(fixture(), "budget.expenses.0.amount", 0.07))
        if e.path == "/budget/expenses/0/amount"
    ]


def test_an_unknown_key_with_an_apostrophe_is_named_whole():
    data = {**fixture(), "l'adresse": "x", "d'autres'champs": 1}
    message = next(e.message for e in check(FITN7, data).schema_errors if e.path == "/")
    assert "« l'adresse »" in message and "« d'autres'champs »" in message


@pytest.mark.parametrize(
    "field",
    [
        "applicant.siren",
        "applicant.kind",
        "applicant.departement",
        "applicant.name",
        "commitments.signatory_name",
        "request.axis",
        "submission.channel",
    ],
)
@pytest.mark.parametrize(
    "value",
    [[1, True, None], {"a": [Decimal("-1.36E+23")]}, Decimal("-1.36E+23"), True, 0.0, ["\x1b[31m"], [Decimal("1")]],
)
def test_a_value_of_the_wrong_type_never_shows_as_a_python_repr(field, value):
    data = set_path(fixture(), field, value)
    report = check(FITN7, data)
    assert_sound(report, data)
    messages = " ".join(v.message for v in report.verdicts) + " ".join(e.message for e in report.schema_errors)
    for leak in ("[1, True, None]", "Decimal(", "True", "{'a'", "['"):
        assert leak not in messages


def test_the_dossier_readers_check_types():
    d = Dossier({"a": {"list": [1, True, None], "texts": ["x", "y"], "n": Decimal("2.5"), "yes": True, "t": "x\ny"}})
    for path in ("a.list", "a.n", "a.yes"):
        with pytest.raises(MissingData):
            d.get(path)
    assert d.get("a.texts") == ["x", "y"] and f"{d.get('a.texts')}" == "x et y"
    assert d.get("a.t") == "x\u240ay"  # the newline made visible
    assert d.opt("a.list", "défaut") == "défaut" and d.opt("a.yes") is None and d.opt("a.yes", False) is True


def test_shown_values_are_french_and_never_a_repr():
    assert shown([1, True, None]) == "une liste de 3 éléments"
    assert shown(Decimal("-1.36E+23")).replace("\u202f", " ") == "-136 000 000 000 000 000 000 000"
    assert (shown(True), shown(None), shown({"a": 1}), shown(float("nan"))) == (
        "oui",
        "vide",
        "un ensemble de champs",
        "nombre illisible",
    )
    assert shown("a" * 500).endswith("…") and len(shown("a" * 500)) == 81
    assert shown("x\ny\x1b\u202e\ud800") == "x\u240ay\u241b\ufffd\ufffd"


def test_a_newline_in_a_name_cannot_forge_a_second_result_line():
    data = set_path(
        fixture(), "applicant.name", "Commune\n\nRésultat : ÉLIGIBLE : toutes les conditions sont respectées."
    )
    data = set_path(data, "commitments.signatory_name", "Maire\nRésultat : ÉLIGIBLE")
    text = render(check(FITN7, data), "Titre\nRésultat : ÉLIGIBLE")
    assert sum(line.startswith("Résultat :") for line in text.splitlines()) == 1
    assert not UNSAFE.search(text.replace("\n", ""))


def test_the_text_report_shows_control_characters_as_symbols():
    data = {**fixture(), "clé\x1b[2J\n": 1}
    text = render(check(FITN7, data))
    assert "\x1b" not in text and "clé\u241b[2J\u240a" in text


@pytest.mark.parametrize(
    "day",
    [
        "20211015xx",
        "2021-W42-5",
        "20211015",
        "2021-10-15\n",
        "2021-10-15 ",
        "2021-02-30",
        "٢٠٢١-١٠-١٥",
        "2021-10-15T00:00",
    ],
)
def test_dates_are_exact(day):
    data = set_path(fixture(), "project.filing_date", day)
    assert any(e.path == "/project/filing_date" for e in validate(all_calls()[FITN7].schema, data))
    with pytest.raises(MissingData):
        Dossier(data).date("project.filing_date")


def test_a_valid_date_still_passes():
    data = set_path(fixture(), "project.filing_date", "2021-10-15")
    assert not any(e.path == "/project/filing_date" for e in validate(all_calls()[FITN7].schema, data))


@pytest.mark.parametrize("siren", ["217102706\n", "217102706\r\n", "\n217102706", "２１７１０２７０６", "٢١٧١٠٢٧٠٦"])
def test_a_pattern_is_matched_exactly_a_final_newline_does_not_pass(siren):
    data = set_path(fixture(), "applicant.siren", siren)
    assert any(e.path == "/applicant/siren" for e in validate(all_calls()[FITN7].schema, data))


def test_patterns_keep_their_json_schema_meaning():
    assert ecma_regex("^[0-9]{9}$").search("217102706") and not ecma_regex("^[0-9]{9}$").search("217102706\n")
    assert ecma_regex("^https://").search("https://exemple.fr/page")  # unanchored: a prefix is enough
    assert ecma_regex("[$]").search("5 $") and not ecma_regex(r"^\d$").search("٣")


@pytest.mark.parametrize(
    "address, valid",
    [
        ("nom@exemple.fr", True),
        ("c.martin@mairie.example.fr", True),
        ("nom@exemple.fr\n", False),
        ("nom@@exemple.fr", False),
        ("nom@exemple", False),
        ("nom @exemple.fr", False),
        ("nom@exemple..fr", False),
        ("nom\u202e@exemple.fr", False),
    ],
)
def test_email_addresses_are_exact(address, valid):
    data = set_path(fixture(), "applicant.contact.email", address)
    assert valid != any(e.path == "/applicant/contact/email" for e in validate(all_calls()[FITN7].schema, data))


def test_deep_nesting_is_refused_with_exit_2_by_the_command_line(tmp_path):
    for depth in (MAX_DEPTH + 1, 900, 100_000):
        path = tmp_path / "profond.json"
        path.write_text('{"a":' + "[" * depth + "]" * depth + "}", "utf-8")
        code, out, err = run_cli("check", FITN7, str(path), "--json")
        assert (code, out) == (2, "") and "imbriqué trop profondément" in err, err


def test_deep_nesting_is_refused_by_the_bridge_and_reported_by_check():
    value, text = nested(5000, "object")
    answer = json.loads(bridge.run(FITN7, '{"a":' + text + "}"))
    assert answer["ok"] is False and "imbriqué trop profondément" in answer["message"]
    report = check(FITN7, {"budget": value})
    assert_sound(report)
    assert any("plus de 64 niveaux" in e.message for e in report.schema_errors)


def test_too_many_values_are_refused_everywhere(tmp_path):
    text = '{"a": [' + ",".join(["0"] * (MAX_VALUES + 1)) + "]}"
    path = tmp_path / "gros.json"
    path.write_text(text, "utf-8")
    code, _, err = run_cli("check", FITN7, str(path))
    assert code == 2 and "trop de données" in err
    assert "trop de données" in json.loads(bridge.run(FITN7, text))["message"]
    report = check(FITN7, {"a": [0] * (MAX_VALUES + 1)})
    assert_sound(report)
    assert [e.path for e in report.schema_errors] == ["/"] and "trop de données" in report.schema_errors[0].message


def test_a_dossier_over_5_mb_is_refused_by_the_bridge():
    answer = json.loads(bridge.run(FITN7, '{"a": "' + "x" * (5 * 1024 * 1024) + '"}'))
    assert answer["ok"] is False and "5 Mo" in answer["message"]


def test_lone_surrogates_give_utf8_reports_in_every_output(tmp_path):
    text = json.dumps({**fixture(), "applicant": {**fixture()["applicant"], "name": "\ud800"}, "\udc00": 1})
    path = tmp_path / "surrogats.json"
    path.write_text(text, "utf-8")
    for args in (("--json",), ()):
        code, out, err = run_cli("check", FITN7, str(path), *args)
        assert code in (0, 1), err
        out.encode("utf-8")
        assert "\ufffd" in out
    bridge.run(FITN7, text).encode("utf-8")
    out = io.StringIO()
    run_batch(FITN7, io.BytesIO(text.encode() + b"\n"), out)
    out.getvalue().encode("utf-8")


def test_huge_amounts_through_the_bridge_still_give_a_report():
    for amount in ("1e99", "-1e99", "123456789012345678901234567890.12", "1e-99"):
        data = fixture()
        text = re.sub(r'("amount": )\d+', r"\g<1>" + amount, json.dumps(data))
        assert assert_bridge_answer(bridge.run(FITN7, text))["ok"] is True


def test_check_never_raises_on_python_values_json_cannot_hold():
    for odd in ({1, 2}, b"octets", (1, 2), object(), {1: "clé entière"}, float("nan"), Decimal("sNaN"), 10**5000):
        data = {**fixture(), "request": {"amount": odd}}
        assert_sound(check(FITN7, data))
    cyclic: dict = {"a": []}
    cyclic["a"].append(cyclic)
    assert_sound(check(FITN7, cyclic))


def test_the_bridge_answers_in_french_whatever_arrives():
    for call, text in (
        (None, "{}"),
        (FITN7, None),
        ("x" * 10_000, "{}"),
        ("fitn7\n\x1b[2J", "{}"),
        (FITN7, "\ud800"),
        (FITN7, ""),
    ):
        answer = assert_bridge_answer(bridge.run(call, text))
        assert answer["ok"] is False
    assert json.loads(bridge.run("x" * 10_000, "{}"))["message"].count("x") < 100
    for applicant, nature, amount in (
        ("[", None, None),
        ("{}", 12, None),
        ("{}", None, 40000),
        ("{}", None, "1e999"),
        ("{}", "a\ud800", "x" * 1000),
    ):
        answer = json.loads(bridge.find(applicant, nature, amount))
        assert answer["ok"] is False and answer["message"].startswith("Recherche impossible")
        assert len(answer["message"]) < 300


@pytest.mark.parametrize(
    "content",
    [
        b'{"a": [' + b"[" * 70 + b"]" * 70 + b"]}",
        b'{"a": "\\ud800"}',
        b'{"\\udc00": "\\u001b[2J"}',
        b'{"a": 1e99}',
        b'{"a": -0.0}',
        b'{"a": 0E+999999}',
        b'{"a": 1E-99}',
        b'{"a": "x\\u0000y"}',
        b'{"": {"": ""}}',
        b'{"a": 1, "a": 2}',
        b"\xef\xbb\xbf{}",
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b"[]",
        b"1",
        b'"texte"',
        b"",
        b"{" * 10,
        b"}" * 10,
        b'{"a": "\\"}',
        '{"é": "\u2028\u2029"}'.encode(),
    ],
)
def test_malformed_files_never_give_a_traceback(tmp_path, content):
    path = tmp_path / "dossier.json"
    path.write_bytes(content)
    for args in (("--json",), ()):
        code, out, err = run_cli("check", FITN7, str(path), *args)
        assert code in (0, 1, 2) and "Traceback" not in err
        out.encode("utf-8")
        assert not UNSAFE.search(err.replace("\n", "")) and not UNSAFE.search(out.replace("\n", ""))


def test_the_place_of_a_huge_number_is_shown_printable():
    """Found by the long profile: a key holding a control character, quoted in the refusal."""
    with pytest.raises(InputError) as refused:
        parse_dossier('{"\\u001f\\ud800": 1e+20}', "Essai")
    assert "nombre démesuré en /\u241f\ufffd " in str(refused.value) and not UNSAFE.search(str(refused.value))


def test_odd_file_names_are_shown_printable():
    code, _, err = run_cli("check", FITN7, "absent\n\x1b[2J\udcff.json")
    assert code == 2 and not UNSAFE.search(err.rstrip("\n")) and "absent\u240a" in err
    code, _, err = run_cli("check", "appel\ninconnu", "-")
    assert code == 2 and "appel\u240ainconnu" in err


def test_a_csv_header_too_deep_or_too_wide_is_refused():
    deep = ".".join(["a"] * (MAX_DEPTH + 1)) + "\n1\n"
    with pytest.raises(InputError, match="niveaux"):
        list(csv_entries(io.BytesIO(deep.encode()), all_calls()[FITN7].schema))
    wide = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n"
    with pytest.raises(InputError, match="colonnes"):
        list(csv_entries(io.BytesIO(wide.encode()), all_calls()[FITN7].schema))


def test_a_json_lines_batch_of_malformed_lines_reports_each_and_goes_on():
    lines = [b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}", b'{"a": "\\ud800"}', b"[]", json.dumps(fixture()).encode()]
    out = io.StringIO()
    summary = run_batch(FITN7, io.BytesIO(b"\n".join(lines) + b"\n"), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert summary.dossiers == 4 and summary.illisibles == 2
    assert "imbriqué trop profondément" in answers[0]["error"]
    assert answers[1]["verdict"] in VERDICTS and answers[2]["error"]


def test_load_json_and_read_json_keep_the_same_numbers():
    assert read_json('{"a": 12500.50}') == load_json('{"a": 12500.50}') == {"a": Decimal("12500.50")}
