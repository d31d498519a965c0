"""Every schema is valid 2020-12, has an $id, and speaks French on every property and enum."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from checker.engine import all_calls
from checker.schemas import load_schema, registry, schema_dir

SCHEMAS = sorted(p.name for p in schema_dir().glob("*.schema.json"))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_against_the_2020_12_meta_schema(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)


def _walk(node, path="#"):
    """Every subschema with the path that leads to it."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("enum", "const", "x-enum-labels", "examples", "default", "required"):
                continue
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


@pytest.mark.parametrize("name", [n for n in SCHEMAS if n != "metadata.schema.json"])
def test_every_property_has_a_french_title_and_description(name):
    missing = []
    for path, node in _walk(load_schema(name)):
        for prop, sub in node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else []:
            if not (isinstance(sub, dict) and sub.get("title") and sub.get("description")):
                missing.append(f"{path}/properties/{prop}")
    assert not missing, f"properties without title or description: {missing}"


@pytest.mark.parametrize("name", [n for n in SCHEMAS if n != "metadata.schema.json"])
def test_every_enum_value_has_a_french_label(name):
    for path, node in _walk(load_schema(name)):
        if "enum" in node:
            labels = node.get("x-enum-labels", {})
            assert set(node["enum"]) <= set(labels), f"{path}: enum values without a label"


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_every_call_schema_exists_and_uses_the_common_blocks(call_id):
    call = all_calls()[call_id]
    schema = load_schema(call.schema)
    for block in ("applicant", "project", "budget"):
        ref = schema["properties"][block]["$ref"]
        assert ref.startswith("common.schema.json#/$defs/"), f"{block} must reuse the common block"
        registry().resolver(base_uri=schema["$id"]).lookup(ref)


def test_one_applicant_profile_fills_every_call():
    """The same applicant block is valid for every call: one profile fills every form."""
    from checker.schemas import validator

    applicant = {
        "kind": "communaute_de_communes",
        "name": "Communauté de communes du Clunisois",
        "siren": "217102706",
        "departement": "71",
        "population": 14000,
        "contact": {"name": "Claire Martin", "function": "Cheffe de projet", "email": "c.martin@example.fr"},
    }
    for call in all_calls().values():
        errors = [
            e
            for e in validator(call.schema).iter_errors({"applicant": applicant})
            if list(e.absolute_path)[:1] == ["applicant"]
        ]
        assert not errors, (call.id, [e.message for e in errors])
