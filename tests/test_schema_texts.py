"""A call's figures are typed once, in its params.json: the help texts of its JSON Schema (titles and
descriptions) quote them by name (« plafond de {cap} »), and load_schema fills them in, printed as
the rule labels and the page print them.

The raw files are scanned for what looks like a figure (an amount, a rate, a date, an hour) and
for any number that equals one of the call's parameters; what is left typed is listed below, each
with its reason."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from checker.params import PLACEHOLDER, Params
from checker.schemas import TEXT_KEYS, call_params, fill_texts, load_json, load_schema, schema_dir, schema_text

CALL_SCHEMAS = sorted(p.name for p in schema_dir().glob("*.schema.json") if call_params(p.name) is not None)
OTHER_SCHEMAS = ("common.schema.json", "metadata.schema.json")

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
NUMBER = r"(?<![\w.,])\d+(?:[  \u202f]\d{3})*(?:,\d+)?(?!\w)"
# What reads as a figure of a call: an amount, a rate, a day (with or without its year), an hour.
FIGURE = re.compile(
    rf"{NUMBER}[  \u202f]?(?:€|M€|euros?\b|millions?\b|%)"
    rf"|\b\d{{1,2}}(?:er)? (?:{MONTHS})(?: \d{{4}})?"
    rf"|\b\d{{1,2}} h\b"
)

# Typed on purpose, per schema: the phrase as the raw file has it, and why it is no parameter. Only
# what the two scans below flag is listed (« axe 3 », « phase 1 », « (2021) » are names, not figures).
ALLOWED = {
    "bdt-inclusion-numerique-tpe.schema.json": {
        "{deadline_methodological:date} à 12 h": "the hour after the date, as labels and page prose type it "
        "(Params prints a date-time's hour only within « 7 décembre 2021 à 12 h 00 »)",
        "{deadline_financial:date} à 12 h": "same: the hour of the second phase's deadline",
        "loi 78-17 du 6 janvier 1978": "a law's reference, not a figure of the call",
    },
    "pass-numeriques-2020.schema.json": {
        "{deadline:date} à 23 h": "the hour after the date, as the deadline's label and the page type it "
        "(the parameter is 22:59:59, the last second admitted)",
        "(ex. carnets de 10 Pass de 10 €)": "an example of an expense line, not a figure of the call",
    },
    "tani-promotion-2.schema.json": {
        "promotion 2": "the promotion's name",
        "(annexe 2)": "an annex' number",
        "(annexe 3)": "an annex' number",
        "l'article 2 de la Charte": "an article's number",
    },
}


def texts(node, path=()):
    """Every (path, title or description) of a schema, as the file has it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield path + (key,), value
            else:
                yield from texts(value, path + (key,))
    elif isinstance(node, list):
        for n, item in enumerate(node):
            yield from texts(item, path + (str(n),))


def raw_texts(name):
    return list(texts(json.loads((schema_dir() / name).read_text("utf-8"))))


def number_values(params: Params) -> set[Decimal]:
    """The call's figures as numbers: amounts and counts, rates in percent, numeric codes."""
    values = set()
    for param in params:
        if param.type in ("money", "number", "integer"):
            values.add(Decimal(param.value))
        elif param.type == "rate":
            values.add(param.value * 100)
        elif param.type == "text" and str(param.value).isdigit():
            values.add(Decimal(param.value))
    return values


def without_allowed(name, text):
    for phrase in ALLOWED.get(name, {}):
        text = text.replace(phrase, "")
    return text


def test_the_call_schemas_are_found():
    assert len(CALL_SCHEMAS) >= 8
    assert not set(OTHER_SCHEMAS) & set(CALL_SCHEMAS)


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_no_figure_is_typed_in_a_help_text(name):
    found = [
        (path, match.group(0))
        for path, text in raw_texts(name)
        for match in FIGURE.finditer(without_allowed(name, text))
    ]
    assert not found, f"{name}: figures typed, to quote by their params.json name ({{cap}}): {found}"


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_no_number_of_a_help_text_equals_a_parameter(name):
    values = number_values(call_params(name))
    found = [
        (path, match.group(0))
        for path, text in raw_texts(name)
        for match in re.finditer(NUMBER, without_allowed(name, text))
        if Decimal(re.sub(r"\s", "", match.group(0)).replace(",", ".")) in values
    ]
    assert not found, f"{name}: numbers equal to a parameter of the call, to quote by its name: {found}"


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_every_allowed_phrase_is_still_there(name):
    """An allow-list entry whose phrase is gone is dropped, so the list stays the list of what is typed."""
    joined = "\n".join(text for _, text in raw_texts(name))
    assert [phrase for phrase in ALLOWED[name] if phrase not in joined] == []


def test_the_help_texts_quote_parameters():
    quoted = [
        match.group(0) for name in CALL_SCHEMAS for _, text in raw_texts(name) for match in PLACEHOLDER.finditer(text)
    ]
    assert len(quoted) >= 20


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_load_schema_fills_every_placeholder(name):
    params = call_params(name)
    loaded = dict(texts(load_schema(name)))
    for path, text in raw_texts(name):
        assert loaded[path] == params.fill(text)
        # No call schema has a literal brace: one left is a placeholder that was not filled.
        assert "{" not in loaded[path] and "}" not in loaded[path], (name, path, loaded[path])


def test_a_placeholder_prints_as_a_rule_label_prints_it():
    loaded = dict(texts(load_schema("fitn7-saone-et-loire.schema.json")))
    amount = loaded[("properties", "request", "properties", "amount", "description")]
    assert "Barème indicatif : 70 % des dépenses éligibles, plafond de 30 000 € par porteur" in amount
    project = loaded[("properties", "project", "description")]
    assert "au plus tard le 31 décembre 2021, clôture financière au plus tard le 31 décembre 2022." in project


@pytest.mark.parametrize("name", OTHER_SCHEMAS)
def test_a_schema_of_no_call_is_read_as_written(name):
    assert call_params(name) is None
    assert load_schema(name) == load_json((schema_dir() / name).read_text("utf-8"))
    assert schema_text(name) == (schema_dir() / name).read_text("utf-8")


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_the_published_text_is_the_loaded_schema(name):
    """`checker schema` prints the file as json.dumps writes it (so the files are written that way)."""
    raw = (schema_dir() / name).read_text("utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n"
    assert load_json(schema_text(name)) == load_schema(name)


def test_an_unknown_placeholder_fails_naming_the_schema_the_path_and_the_name():
    params = call_params("fitn7-saone-et-loire.schema.json")
    schema = {"properties": {"request": {"allOf": [{"description": "Plafond de {capp} par porteur."}]}}}
    with pytest.raises(ValueError) as error:
        fill_texts(schema, params, "fitn7-saone-et-loire.schema.json")
    message = str(error.value)
    assert "schemas/fitn7-saone-et-loire.schema.json" in message
    assert "/properties/request/allOf/0/description" in message
    assert "« capp »" in message


def test_an_unknown_placeholder_fails_in_load_schema(tmp_path, monkeypatch):
    name = "fitn7-saone-et-loire.schema.json"
    schema = json.loads((schema_dir() / name).read_text("utf-8"))
    schema["title"] = "Demande au titre de l'axe {axe}"
    (tmp_path / name).write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    monkeypatch.setattr("checker.schemas.schema_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match=r"fitn7-saone-et-loire\.schema\.json, /title : .*« axe »"):
        load_schema.__wrapped__(name)  # the cached load_schema keeps the real file


def test_an_unknown_format_fails():
    params = call_params("fitn7-saone-et-loire.schema.json")
    with pytest.raises(ValueError, match=r"/title .*unknown format « euros »"):
        fill_texts({"title": "Plafond : {cap:euros}"}, params, "fitn7-saone-et-loire.schema.json")


def test_braces_that_are_no_placeholder_stay_as_typed():
    params = call_params("fitn7-saone-et-loire.schema.json")
    schema = {
        "description": 'Format : { nom , siren, rôles[] } [] ; « publish » ({"id", "type"}) ; {}',
        "properties": {"title": {"type": "string", "pattern": "^[0-9]{9}$", "description": "au plus {cap}"}},
    }
    filled = fill_texts(schema, params, "fitn7-saone-et-loire.schema.json")
    assert filled["description"] == 'Format : { nom , siren, rôles[] } [] ; « publish » ({"id", "type"}) ; {}'
    assert filled["properties"]["title"] == {
        "type": "string",
        "pattern": "^[0-9]{9}$",
        "description": "au plus 30 000 €",
    }
