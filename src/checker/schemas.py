"""The JSON Schemas of the dossiers: loading, cross-references, and French error messages."""

from __future__ import annotations

import json
import re
from decimal import Decimal, localcontext
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .dates import iso_date, iso_datetime
from .dossier import MAX_DEPTH, MAX_VALUES, exact_number, no_surrogates, printable, problems, shown
from .model import SchemaError
from .money import MAX_EXPONENT, number


def schema_dir() -> Path:
    """schemas/ as shipped inside the wheel, or the repository's top-level folder in development."""
    packaged = resources.files("checker").joinpath("schemas")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas"


VALIDATION_PRECISION = 2 * MAX_EXPONENT + 50  # multipleOf divides numbers up to 10^MAX_EXPONENT by 0.01 exactly


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


# Formats are exact: the whole value has the form, in every Python the checker runs in (see
# dates.iso_date: no week date, no compact date, no trailing newline).
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(iso_date(value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or bool(iso_datetime(value))


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    """nom@domaine.fr: one @, a dotted domain, no space, no control or invisible character."""
    return not isinstance(value, str) or bool(_EMAIL.fullmatch(value)) and printable(value) == value


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern:
    """A schema's `pattern` with the meaning JSON Schema gives it (ECMA-262, as the browser reads it):
    `$` is the very end of the text, never before a final newline (Python's `$` would let
    "217102706\\n" through `^[0-9]{9}$`); \\d and \\w are ASCII. Unanchored parts stay unanchored."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out), re.ASCII)


def _pattern(validator, pattern: str, instance: Any, schema: dict):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{shown(instance)} does not match {pattern}")


def _multiple_of(validator, divisor: Any, instance: Any, schema: dict):
    """multipleOf in exact decimal arithmetic, for an int, a Decimal or a float alike (a float from a
    Python caller is read as the decimal it prints as); a number past the bounds is no multiple."""
    if not validator.is_type(instance, "number"):
        return
    value, step = exact_number(instance), exact_number(divisor)
    failed = True
    if value is not None and step:
        with localcontext() as exact:
            exact.prec = VALIDATION_PRECISION
            try:
                failed = Decimal(value) % Decimal(step) != 0
            except ArithmeticError:
                failed = True
    if failed:
        yield ValidationError(f"{shown(instance)} is not a multiple of {shown(divisor)}")


DossierValidator = extend(Draft202012Validator, {"pattern": _pattern, "multipleOf": _multiple_of})


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    return DossierValidator(load_schema(name), registry=registry(), format_checker=FORMATS)


def pointer(parts) -> str:
    """The JSON pointer (RFC 6901) of a path: '/' for the whole dossier. A lone surrogate in a key
    becomes U+FFFD, so the pointer is valid UTF-8."""
    return no_surrogates("".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)) or "/"


# What a value of each JSON type is called, and the participle that agrees with it.
TYPE_NAMES = {
    "string": ("un texte", "attendu"),
    "number": ("un nombre", "attendu"),
    "integer": ("un nombre entier", "attendu"),
    "boolean": ("une réponse oui ou non", "attendue"),
    "object": ("un ensemble de champs", "attendu"),
    "array": ("une liste", "attendue"),
    "null": ("une valeur vide", "attendue"),
}
FORMAT_HINTS = {
    "date": "une date au format AAAA-MM-JJ est attendue",
    "date-time": "une date et une heure avec fuseau (AAAA-MM-JJTHH:MM+01:00) sont attendues",
    "email": "une adresse électronique valide (nom@domaine.fr) est attendue",
}
ROOT_NAME = "Dossier"

# Several errors on one field: the reader gets the most useful one. A missing field first, then a
# wrong type (which makes every other check moot), a wrong choice, a wrong format or bound; the
# wrap-up of anyOf / oneOf (« ne correspond à aucun des cas prévus ») last.
PRIORITY = {"required": 0, "dependentRequired": 0, "type": 1, "const": 2, "enum": 2, "additionalProperties": 3,
            "format": 4, "pattern": 4, "anyOf": 9, "oneOf": 9, "not": 9}
DEFAULT_PRIORITY = 5
CENT = Decimal("0.01")


MAX_LISTED = 10  # unknown fields named in one message; the others are counted


def french_message(error: ValidationError, schema: str | dict | None = None) -> tuple[str, str]:
    """(JSON pointer of the field, French message) for one jsonschema error.

    `schema` is the root schema the error comes from (a file name in schemas/, or the schema
    itself). Field names are its titles, found at the error's path through $ref, allOf, anyOf,
    oneOf and then/else: a field required by a branch, or refined by a branch that gives no
    title, is named as the form names it. Without `schema`, the failing subschema's own title.
    """
    parts = list(error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    kind, arg = error.validator, error.validator_value
    if kind in ("required", "dependentRequired"):
        missing = _missing(error)
        field = _field(schema, parts + [missing], node.get("properties", {}).get(missing))
        if kind == "dependentRequired":
            trigger = next((p for p in arg if error.message.endswith(f"of {p!r}")), None)
            if trigger is not None:
                because = _field(schema, parts + [trigger], node.get("properties", {}).get(trigger))
                return pointer(parts + [missing]), f"Champ obligatoire dès que {because} est renseigné : {field}."
        return pointer(parts + [missing]), f"Champ obligatoire : {field}."
    name = _field(schema, parts, node)
    return pointer(parts), _describe(kind, arg, node, name, error.instance)


def _describe(kind: str, arg: Any, node: dict, name: str, instance: Any) -> str:
    """The French message of one failed keyword, `name` being the field's quoted title."""
    if kind == "type":
        expected = arg if isinstance(arg, str) else arg[0]
        what, agreed = TYPE_NAMES.get(expected, ("une autre sorte de valeur", "attendue"))
        return f"{name} : {what} est {agreed}."
    if kind == "enum":
        choices = ", ".join(f"« {_choice(node, v)} »" for v in arg)
        return f"{name} : valeur non prévue. Choix possibles : {choices}."
    if kind == "const":
        if arg is True:
            return f"{name} : cette case doit être cochée."
        if arg is False:
            return f"{name} : cette case ne doit pas être cochée."
        return f"{name} : la valeur attendue est « {_choice(node, arg)} »."
    if kind == "format":
        return f"{name} : {FORMAT_HINTS.get(arg, 'valeur dans un format non reconnu')}."
    if kind in ("minimum", "exclusiveMinimum"):
        op = "supérieure ou égale à" if kind == "minimum" else "strictement supérieure à"
        return f"{name} : la valeur doit être {op} {shown(arg)}."
    if kind in ("maximum", "exclusiveMaximum"):
        what = "montant" if node.get("multipleOf") == CENT else "valeur"
        bound = "au plus" if kind == "maximum" else "moins de"
        return f"{name} : {what} invraisemblable ({bound} {shown(arg)})."
    if kind == "multipleOf":
        if arg == CENT:
            return f"{name} : au plus deux décimales (les centimes)."
        if arg == 1:
            return f"{name} : un nombre entier est attendu."
        return f"{name} : un multiple de {shown(arg)} est attendu."
    if kind == "pattern":
        return f"{name} : {node.get('x-pattern-message', 'format non reconnu')}."
    if kind == "minLength":
        return f"{name} ne doit pas être vide." if arg == 1 else f"{name} : au moins {_count(arg, 'caractère')}."
    if kind == "maxLength":
        return f"{name} : au plus {_count(arg, 'caractère')}."
    if kind in ("minItems", "maxItems"):
        unit = "choix" if "enum" in (node.get("items") or {}) else "ligne"
        bound = "au moins" if kind == "minItems" else "au plus"
        return f"{name} : {bound} {_count(arg, unit)}."
    if kind == "uniqueItems":
        return f"{name} : une même valeur ne peut figurer qu'une fois."
    if kind == "additionalProperties":
        extra = _unknown_keys(node, instance)
        listed = ", ".join(f"« {_inner(shown(k))} »" for k in extra[:MAX_LISTED])
        if len(extra) > MAX_LISTED:
            more = len(extra) - MAX_LISTED
            listed += f" et {number(more)} {'autre' if more == 1 else 'autres'}"
        where = "le dossier" if name == f"« {ROOT_NAME} »" else name
        return f"{'Champs inconnus' if len(extra) > 1 else 'Champ inconnu'} dans {where} : {listed}."
    if kind in ("anyOf", "oneOf"):
        return f"{name} ne correspond à aucun des cas prévus."
    return f"{name} : valeur non valide."


def _count(n: Any, unit: str) -> str:
    """« 1 ligne », « 2 lignes » (French: the plural starts at 2); « choix » is invariable."""
    plural = unit if unit.endswith(("s", "x", "z")) else unit + "s"
    return f"{shown(n)} {plural if n >= 2 else unit}"


def _choice(node: dict, value: Any) -> str:
    labels = node.get("x-enum-labels", {})
    return _inner(labels.get(value, value)) if isinstance(value, str) else shown(value)


def _missing(error: ValidationError) -> str:
    """The property a required / dependentRequired error is about (jsonschema names it in its message)."""
    arg = error.validator_value
    names = arg if error.validator == "required" else [d for deps in arg.values() for d in deps]
    return next((n for n in names if error.message.startswith(f"{n!r} ")), names[0] if names else "")


def _unknown_keys(node: dict, instance: Any) -> list[str]:
    known = node.get("properties", {})
    patterns = node.get("patternProperties", {})
    return [k for k in (instance if isinstance(instance, dict) else {})
            if k not in known and not any(ecma_regex(p).search(k) for p in patterns)]


def _field(schema: str | dict | None, parts: list, node: Any = None) -> str:
    """« Title » of the field at `parts`, with the rows that lead to it: « Montant (€) » (Dépenses, ligne 2)."""
    if not parts:
        return f"« {ROOT_NAME} »"
    if schema is None:
        own = node.get("title") if isinstance(node, dict) else None
        return f"« {_inner(shown(own if isinstance(own, str) and own else str(parts[-1]), TITLE_LENGTH))} »"
    title = _inner(shown(title_at(schema, parts), TITLE_LENGTH))
    rows = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            table = _inner(shown(title_at(schema, parts[:i]), TITLE_LENGTH))
            if table != title:
                rows.append(f"{table}, ligne {part + 1}")
    return f"« {title} »" + (f" ({' ; '.join(rows)})" if rows else "")


TITLE_LENGTH = 200  # a schema's titles are shorter; a key of the dossier named as a field is cut there


def _inner(title: str) -> str:
    """Quotes inside a quoted title become second-level quotes: « Déposée sur “démarches simplifiées” »."""
    return title.replace("« ", "“").replace("«\u00a0", "“").replace(" »", "”").replace("\u00a0»", "”")


MISSING_KEYWORDS = frozenset({"required", "dependentRequired"})


def validate(name: str, instance: Any) -> list[SchemaError]:
    """The dossier's schema errors in French: one per field (the most useful), in the form's order.

    A dossier the checker cannot bound (dossier.problems: too many values, nested too deep, a value
    JSON cannot hold, a number without bounds) gets those errors alone, without the schema's.
    """
    unreadable = problems(instance)
    if unreadable:
        return [SchemaError(pointer(parts), _problem_message(name, parts, kind)) for parts, kind in unreadable]
    best: dict[str, tuple] = {}
    with localcontext() as exact:
        # multipleOf computes instance % 0.01: give Decimal room for any admitted magnitude.
        exact.prec = VALIDATION_PRECISION
        for index, error in enumerate(validator(name).iter_errors(instance)):
            path, message = french_message(error, name)
            rank = (PRIORITY.get(error.validator, DEFAULT_PRIORITY), index)
            if path not in best or rank < best[path][0]:
                best[path] = (rank, message, "missing" if error.validator in MISSING_KEYWORDS else "invalid")
    ordered = sorted(best, key=lambda path: (form_order(name, path), path))
    return [SchemaError(path, best[path][1], best[path][2]) for path in ordered]


_PROBLEMS = {
    "size": f"trop de données (plus de {number(MAX_VALUES)} valeurs, quand un dossier en compte quelques centaines) ; "
            "le dossier n'a pas été lu",
    "depth": f"données imbriquées sur plus de {MAX_DEPTH} niveaux (un dossier en compte cinq) ; elles n'ont pas été lues",
    "number": f"nombre illisible (NaN, infini, ou de plus de {MAX_EXPONENT} chiffres, ce qu'aucune donnée d'un dossier "
              "n'approche)",
    "type": "valeur que JSON ne connaît pas (un texte, un nombre, oui ou non, une liste ou un ensemble de champs est attendu)",
}


def _problem_message(name: str, parts: list, kind: str) -> str:
    return f"{_field(name, parts)} : {_PROBLEMS[kind]}."


# ---- walking a schema along an instance path ----


def title_at(schema: str | dict, where: str | list | tuple) -> str:
    """The French title of the field at `where`, looked up in the whole schema.

    `schema` is a file name in schemas/ or a schema; `where` a JSON pointer ('/project/start_date',
    '/budget/expenses/0/amount'), a dotted path ('project.start_date', as rules read fields) or a
    list of parts. The path is followed through properties, items, $ref, allOf, anyOf, oneOf and
    then/else (not `if`, which only tests); the first title met wins, so the call's own title of a
    block comes before the common one and the main declaration before a branch's refinement. An
    array item without a title of its own is named after its list. A path the schema does not
    describe gives its last key: tests/test_schema_titles.py makes sure no call schema needs that.
    """
    parts = _parts(where)
    if isinstance(schema, str) and _cacheable(parts):
        return _cached_title(schema, parts)
    return _title(schema, parts)


def form_order(schema: str | dict, where: str | list | tuple) -> tuple:
    """A sort key putting fields in the order the form shows them: properties in the order the
    schema declares them (following $ref into common.schema.json, then the branches), list rows
    by index; a field the schema does not know after the known ones."""
    parts = _parts(where)
    if isinstance(schema, str) and _cacheable(parts):
        return _cached_order(schema, parts)
    return _order(schema, parts)


UNKNOWN_RANK = 1_000_000


def _parts(where: str | list | tuple) -> tuple[str, ...]:
    if isinstance(where, (list, tuple)):
        return tuple(str(p) for p in where)
    if where in ("", "/"):
        return ()
    if where.startswith("/"):
        return tuple(p.replace("~1", "/").replace("~0", "~") for p in where[1:].split("/"))
    return tuple(where.split("."))


def _cacheable(parts: tuple[str, ...]) -> bool:
    """Paths the schema can describe are kept in the caches; a dossier's odd long keys are not."""
    return len(parts) <= MAX_DEPTH and all(len(part) <= 64 for part in parts)


@lru_cache(maxsize=8192)
def _cached_title(name: str, parts: tuple[str, ...]) -> str:
    return _title(name, parts)


@lru_cache(maxsize=8192)
def _cached_order(name: str, parts: tuple[str, ...]) -> tuple:
    return _order(name, parts)


def _title(schema: str | dict, parts: tuple[str, ...]) -> str:
    levels = _levels(schema, parts)
    if len(levels) <= len(parts):
        return parts[-1]
    title = _first_title(levels[-1])
    if title:
        return title
    if parts and parts[-1].isdigit():
        return _first_title(levels[-2]) or parts[-1]
    return parts[-1] if parts else ""


def _order(schema: str | dict, parts: tuple[str, ...]) -> tuple:
    levels = _levels(schema, parts)
    key = []
    for i, part in enumerate(parts):
        names = _property_names(levels[i]) if i < len(levels) else []
        if part in names:
            key.append(names.index(part))
        elif part.isdigit():
            key.append(int(part))
        else:
            key.append(UNKNOWN_RANK)
    return tuple(key)


def _first_title(nodes: list) -> str | None:
    return next((node["title"] for node, _ in nodes if isinstance(node.get("title"), str) and node["title"]), None)


def _property_names(nodes: list) -> list[str]:
    names: dict[str, None] = {}
    for node, _ in nodes:
        if isinstance(node.get("properties"), dict):
            names.update(dict.fromkeys(node["properties"]))
    return list(names)


def _levels(schema: str | dict, parts: tuple[str, ...]) -> list[list]:
    """For the root and each part of the path while the schema describes it: the (subschema,
    resolver) pairs that apply to the value there, in declaration order."""
    root = load_schema(schema) if isinstance(schema, str) else schema
    levels = [_expand(root, _resolver(root))]
    for part in parts:
        children = _children(levels[-1], part)
        if not children:
            break
        levels.append([pair for child in children for pair in _expand(*child)])
    return levels


def _resolver(root: Any):
    base = root.get("$id", "") if isinstance(root, dict) else ""
    known = registry()
    if base not in known:  # a schema outside schemas/ (tests build some): resolve its own $refs too
        known = known.with_resource(base, Resource(contents=root, specification=DRAFT202012))
    return known.resolver(base_uri=base)


IN_PLACE = ("allOf", "anyOf", "oneOf", "then", "else")


def _expand(node: Any, resolver, depth: int = 0) -> list:
    """The node and every subschema that applies in place to the same value: $ref, allOf, anyOf,
    oneOf, then, else, dependentSchemas (not `if`: its titles describe a condition, not a field)."""
    if not isinstance(node, dict) or depth > 32:
        return []
    found = [(node, resolver)]
    if isinstance(node.get("$ref"), str):
        try:
            target = resolver.lookup(node["$ref"])
        except Unresolvable:
            pass
        else:
            found += _expand(target.contents, target.resolver, depth + 1)
    for key in IN_PLACE:
        subs = node.get(key)
        for sub in subs if isinstance(subs, list) else [subs]:
            found += _expand(sub, resolver, depth + 1)
    for sub in (node.get("dependentSchemas") or {}).values():
        found += _expand(sub, resolver, depth + 1)
    return found


def _children(nodes: list, part: str) -> list:
    """The subschemas that describe the member `part` (a property name or an array index) of a value."""
    found = []
    for node, resolver in nodes:
        properties = node.get("properties") or {}
        if part in properties:
            found.append((properties[part], resolver))
            continue
        matching = [sub for pattern, sub in (node.get("patternProperties") or {}).items() if ecma_regex(pattern).search(part)]
        if matching:
            found += [(sub, resolver) for sub in matching]
            continue
        if part.isdigit() and ("items" in node or "prefixItems" in node):
            prefix = node.get("prefixItems") or []
            item = prefix[int(part)] if int(part) < len(prefix) else node.get("items")
            if isinstance(item, dict):
                found.append((item, resolver))
            continue
        if isinstance(node.get("additionalProperties"), dict):
            found.append((node["additionalProperties"], resolver))
    return found
