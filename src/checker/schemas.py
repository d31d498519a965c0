"""The JSON Schemas of the dossiers: loading, cross-references, and French error messages."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal, localcontext
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .model import SchemaError
from .money import number


def schema_dir() -> Path:
    """schemas/ as shipped inside the wheel, or the repository's top-level folder in development."""
    packaged = resources.files("checker").joinpath("schemas")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas"


MAX_EXPONENT = 100  # far beyond any amount, well within the precision validation runs at
VALIDATION_PRECISION = 2 * MAX_EXPONENT + 50


def _number(token: str) -> Decimal:
    value = Decimal(token)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"nombre démesuré refusé : {token[:20]}…")
    return value


def _integer(token: str) -> int:
    if len(token.lstrip("-")) > MAX_EXPONENT:
        raise ValueError(f"nombre démesuré refusé : {token[:20]}…")
    return int(token)


def load_json(text: str) -> Any:
    """Parse JSON keeping every number exact (Decimal), refusing NaN, Infinity and absurd magnitudes."""

    def refuse(token: str) -> Any:
        raise ValueError(f"valeur numérique non admise : {token}")

    return json.loads(text, parse_float=_number, parse_int=_integer, parse_constant=refuse)


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return load_json((schema_dir() / name).read_text("utf-8"))


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources_ = []
    for path in sorted(schema_dir().glob("*.schema.json")):
        schema = load_schema(path.name)
        resources_.append((schema["$id"], Resource(contents=schema, specification=DRAFT202012)))
    return Registry().with_resources(resources_)


FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value)) and len(value) == 10


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and " " not in value


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), registry=registry(), format_checker=FORMATS)


def pointer(parts) -> str:
    return "".join(f"/{p}" for p in parts) or "/"


TYPE_NAMES = {
    "string": "un texte",
    "number": "un nombre",
    "integer": "un nombre entier",
    "boolean": "oui ou non",
    "object": "un ensemble de champs",
    "array": "une liste",
    "null": "une valeur vide",
}
FORMAT_HINTS = {
    "date": "une date au format AAAA-MM-JJ",
    "date-time": "une date et une heure avec fuseau (AAAA-MM-JJTHH:MM+01:00)",
    "email": "une adresse électronique valide (nom@domaine.fr)",
}


def _title(schema: Any, fallback: str) -> str:
    if isinstance(schema, dict) and schema.get("title"):
        return schema["title"]
    return fallback


def _shown(value: Any) -> str:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return number(value)
    return str(value)


def french_message(error: ValidationError) -> tuple[str, str]:
    """(JSON pointer of the field, French message) for one jsonschema error."""
    path = list(error.absolute_path)
    name = _title(error.schema, str(path[-1]) if path else "Dossier")
    kind, arg = error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1]
        props = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        return pointer(path + [missing]), f"Champ obligatoire : « {_title(props.get(missing), missing)} »."
    if kind == "type":
        expected = arg if isinstance(arg, str) else arg[0]
        return pointer(path), f"« {name} » : {TYPE_NAMES.get(expected, expected)} est attendu."
    if kind == "enum":
        labels = error.schema.get("x-enum-labels", {})
        choices = ", ".join(f"« {labels.get(v, v)} »" for v in arg)
        return pointer(path), f"« {name} » : valeur non prévue. Choix possibles : {choices}."
    if kind == "const":
        return pointer(path), f"« {name} » : cette case doit être cochée." if arg is True else f"« {name} » : valeur attendue {arg}."
    if kind == "format":
        return pointer(path), f"« {name} » : {FORMAT_HINTS.get(arg, 'format ' + arg)} est attendue."
    if kind in ("minimum", "exclusiveMinimum"):
        op = "supérieur ou égal à" if kind == "minimum" else "strictement supérieur à"
        return pointer(path), f"« {name} » doit être {op} {_shown(arg)}."
    if kind in ("maximum", "exclusiveMaximum"):
        op = "inférieur ou égal à" if kind == "maximum" else "strictement inférieur à"
        return pointer(path), f"« {name} » doit être {op} {_shown(arg)} : montant invraisemblable."
    if kind == "multipleOf":
        return pointer(path), f"« {name} » : au plus deux décimales (les centimes)."
    if kind == "pattern":
        hint = error.schema.get("x-pattern-message", "format non reconnu")
        return pointer(path), f"« {name} » : {hint}."
    if kind == "minLength":
        return pointer(path), f"« {name} » ne doit pas être vide." if arg == 1 else f"« {name} » : {arg} caractères au moins."
    if kind == "maxLength":
        return pointer(path), f"« {name} » : {arg} caractères au plus."
    if kind == "minItems":
        return pointer(path), f"« {name} » : au moins {arg} ligne(s)."
    if kind == "maxItems":
        return pointer(path), f"« {name} » : au plus {arg} ligne(s)."
    if kind == "additionalProperties":
        extra = ", ".join(f"« {p} »" for p in error.message.split("'")[1::2])
        return pointer(path), f"Champ inconnu dans « {name} » : {extra}."
    if kind in ("anyOf", "oneOf"):
        return pointer(path), f"« {name} » ne correspond à aucun des cas prévus."
    return pointer(path), f"« {name} » : valeur non valide."


def validate(name: str, instance: Any) -> list[SchemaError]:
    errors = []
    with localcontext() as exact:
        # multipleOf computes instance % 0.01: give Decimal room for any admitted magnitude.
        exact.prec = VALIDATION_PRECISION
        for error in validator(name).iter_errors(instance):
            path, message = french_message(error)
            errors.append(SchemaError(path, message))
    unique = {(e.path, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: e.path)


def title_at(name: str, dotted: str) -> str:
    """The French title of the field at a dotted path, following $ref, for 'missing data' messages."""
    node: Any = load_schema(name)
    resolver = registry().resolver(base_uri=node["$id"])
    title = dotted
    for part in dotted.split("."):
        node, resolver = _deref(node, resolver)
        if part.isdigit():
            node = node.get("items", {})
        else:
            node = _property(node, part, resolver)
        if node is None:
            return dotted
        node, resolver = _deref(node, resolver)
        title = node.get("title", title) if isinstance(node, dict) else title
    return title


def _deref(node, resolver):
    while isinstance(node, dict) and "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        merged = {**resolved.contents, **{k: v for k, v in node.items() if k != "$ref"}}
        node, resolver = merged, resolved.resolver
    return node, resolver


def _property(node, part, resolver):
    if not isinstance(node, dict):
        return None
    if part in node.get("properties", {}):
        return node["properties"][part]
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []):
            sub, _ = _deref(sub, resolver)
            found = _property(sub, part, resolver)
            if found is not None:
                return found
    for key in ("then", "else"):
        if key in node:
            found = _property(_deref(node[key], resolver)[0], part, resolver)
            if found is not None:
                return found
    return None
