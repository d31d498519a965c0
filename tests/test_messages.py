"""French messages come from a keyword → message table (schemas.MESSAGES) that reads each error's
structured fields (validator_value, instance, schema, path), never jsonschema's English text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from checker.schemas import MAX_LISTED, MESSAGES, MISSING, french_message, french_messages, validator

SCHEMA = {
    "$id": "https://appels-numeriques.example/schemas/essai-messages.schema.json",
    "type": "object",
    "additionalProperties": False,
    "required": ["a", "b", "c"],
    "properties": {
        "a": {"title": "Champ « A »", "type": ["string", "null"], "minLength": 3, "maxLength": 5},
        "b": {"title": "B", "type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 3},
        "c": {"title": "C", "type": "number", "maximum": 100, "multipleOf": Decimal("0.01")},
        "c2": {"title": "C2", "type": "number", "minimum": 1, "multipleOf": 1},
        "d": {"title": "D", "const": "x", "x-enum-labels": {"x": "Iks"}},
        "d2": {"title": "D2", "const": False},
        "d3": {"title": "D3", "const": True},
        "e": {
            "title": "E",
            "type": "array",
            "uniqueItems": True,
            "maxItems": 3,
            "items": {"enum": ["p", "q", 1], "x-enum-labels": {"p": "Pé"}},
        },
        "e2": {"title": "E2", "type": "array", "minItems": 2, "items": {"type": "object"}},
        "f": {"title": "F", "format": "date-time"},
        "f2": {"title": "F2", "format": "email"},
        "g": {"title": "G", "pattern": "^[0-9]{3}$", "x-pattern-message": "trois chiffres"},
        "h": {"title": "H", "anyOf": [{"type": "string"}, {"type": "integer"}]},
        "h2": {"title": "H2", "oneOf": [{"type": "string"}, {"type": "string"}]},
        "h3": {"title": "H3", "not": {"type": "string"}},
        "i": {
            "title": "Bloc",
            "type": "object",
            "additionalProperties": False,
            "properties": {"j": {"type": "boolean"}},
        },
        "k": {"title": "K", "type": "string"},
        "l": {"title": "L", "type": "string"},
        "m": {"title": "M", "type": "string"},
    },
    "dependentRequired": {"k": ["l", "m"]},
}
BAD = {
    "a": "",
    "b": 11,
    "c": Decimal("100.001"),
    "c2": Decimal("1.5"),
    "d": "y",
    "d2": True,
    "d3": False,
    "e": ["p", "p", "z", 1],
    "e2": [{}],
    "f": "2021-01-01",
    "f2": "x@y",
    "g": "12",
    "h": 1.5,
    "h2": "s",
    "h3": "t",
    "i": {"j": 1, "w": 2},
    "k": "z",
}
EXPECTED = {
    ("/a", "« Champ “A” » : au moins 3 caractères."),
    ("/b", "« B » : valeur invraisemblable (moins de 10)."),
    ("/b", "« B » : un multiple de 3 est attendu."),
    ("/c", "« C » : montant invraisemblable (au plus 100)."),
    ("/c", "« C » : au plus deux décimales (les centimes)."),
    ("/c2", "« C2 » : un nombre entier est attendu."),
    ("/d", "« D » : la valeur attendue est « Iks »."),
    ("/d2", "« D2 » : cette case ne doit pas être cochée."),
    ("/d3", "« D3 » : cette case doit être cochée."),
    ("/e", "« E » : au plus 3 choix."),
    ("/e", "« E » : une même valeur ne peut figurer qu'une fois."),
    ("/e/2", "« E » : valeur non prévue. Choix possibles : « Pé », « q », « 1 »."),
    ("/e2", "« E2 » : au moins 2 lignes."),
    ("/f", "« F » : une date et une heure avec fuseau (AAAA-MM-JJTHH:MM+01:00) sont attendues."),
    ("/f2", "« F2 » : une adresse électronique valide (nom@domaine.fr) est attendue."),
    ("/g", "« G » : trois chiffres."),
    ("/h", "« H » ne correspond à aucun des cas prévus."),
    ("/h2", "« H2 » ne correspond à aucun des cas prévus."),
    ("/h3", "« H3 » : valeur non valide."),
    ("/i", "Champ inconnu dans « Bloc » : « w »."),
    ("/i/j", "« j » : une réponse oui ou non est attendue."),
    ("/l", "Champ obligatoire dès que « K » est renseigné : « L »."),
    ("/m", "Champ obligatoire dès que « K » est renseigné : « M »."),
}


def errors(instance):
    # The checker's own validator class (formats, exact multipleOf), on this test's schema.
    return list(validator("common.schema.json").evolve(schema=SCHEMA).iter_errors(instance))


def all_messages(found):
    return {message for error in found for message in french_messages(error, SCHEMA)}


def test_every_keyword_of_the_table_gives_its_french_message():
    found = errors(BAD)
    assert all_messages(found) == EXPECTED
    assert {e.validator for e in found} - {"required", "dependentRequired", "not"} <= set(MESSAGES)


def test_messages_never_read_jsonschemas_english_text():
    found = errors(BAD)
    before = all_messages(found)
    for error in found:
        error.message = "garbage: 'a' is a required property of 'k'"
    assert all_messages(found) == before


def test_one_required_error_names_every_property_its_object_lacks_in_the_schemas_order():
    [error] = [e for e in Draft202012Validator(SCHEMA).iter_errors({"b": 3}) if e.validator == "required"][:1]
    assert french_messages(error, SCHEMA) == [
        ("/a", "Champ obligatoire : « Champ “A” »."),
        ("/c", "Champ obligatoire : « C »."),
    ]
    assert french_message(error, SCHEMA) == ("/a", "Champ obligatoire : « Champ “A” ».")


def test_each_dependent_names_the_field_that_triggers_it():
    schema = {
        "type": "object",
        "properties": {"k": {"title": "K"}, "n": {"title": "N"}, "l": {"title": "L"}},
        "dependentRequired": {"k": ["l"], "n": ["l", "o"]},
    }
    [error] = list(Draft202012Validator(schema).iter_errors({"k": 1, "n": 2}))[:1]
    assert french_messages(error, schema) == [
        ("/l", "Champ obligatoire dès que « K » est renseigné : « L »."),
        ("/l", "Champ obligatoire dès que « N » est renseigné : « L »."),
        ("/o", "Champ obligatoire dès que « N » est renseigné : « o »."),
    ]
    assert set(MISSING) == {"required", "dependentRequired"}


FIRST_TEN = ", ".join(f"« x{i} »" for i in range(MAX_LISTED))


@pytest.mark.parametrize(
    "extra, listed",
    [
        (1, "Champ inconnu dans le dossier : « x0 »."),
        (MAX_LISTED + 1, f"Champs inconnus dans le dossier : {FIRST_TEN} et 1 autre."),
        (MAX_LISTED + 3, f"Champs inconnus dans le dossier : {FIRST_TEN} et 3 autres."),
    ],
)
def test_unknown_fields_are_listed_then_counted(extra, listed):
    schema = {"type": "object", "additionalProperties": False, "properties": {"a": {"title": "A"}}}
    [error] = list(Draft202012Validator(schema).iter_errors({f"x{i}": i for i in range(extra)}))
    assert french_messages(error, schema) == [("/", listed)]


def test_a_keyword_the_table_does_not_know_is_still_named_in_french():
    schema = {"type": "object", "properties": {"a": {"title": "Bloc A", "minProperties": 2}}}
    [error] = list(Draft202012Validator(schema).iter_errors({"a": {"x": 1}}))
    assert "minProperties" not in MESSAGES
    assert french_message(error, schema) == ("/a", "« Bloc A » : valeur non valide.")


def test_without_the_root_schema_a_field_is_named_by_the_failing_subschema():
    [error] = [e for e in errors({**BAD, "c": 5}) if e.validator == "pattern"]
    assert french_message(error) == ("/g", "« G » : trois chiffres.")
