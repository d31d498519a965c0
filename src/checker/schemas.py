"""The JSON Schemas of the dossiers: loading, cross-references, the one view of a schema that every
reader goes through (SchemaView), and French error messages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

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
from .params import Params, params_file


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
    """A schema of schemas/; a call's (<call id>.schema.json) with its help texts filled from its params.json."""
    schema = load_json((schema_dir() / name).read_text("utf-8"))
    params = call_params(name)
    return schema if params is None else fill_texts(schema, params, name)


def schema_text(name: str) -> str:
    """A schema as published (`checker schema` prints it): its file as written, $refs and key order
    kept, with a call's help texts filled from its params.json (the files are written as json.dumps
    writes them, indent 2: tests/test_schema_texts.py checks it)."""
    text = (schema_dir() / name).read_text("utf-8")
    params = call_params(name)
    if params is None:
        return text
    return json.dumps(fill_texts(json.loads(text), params, name), ensure_ascii=False, indent=2) + "\n"


CALL_SCHEMA = re.compile(r"([a-z][a-z0-9-]*)\.schema\.json")
TEXT_KEYS = ("title", "description")


def call_params(name: str) -> Params | None:
    """The parameters of the call whose dossier `name` describes (« fitn7-saone-et-loire.schema.json » →
    calls/fitn7_saone_et_loire/params.json); None for a schema of no call (common, metadata, etalab/)."""
    found = CALL_SCHEMA.fullmatch(name)
    if found is None:
        return None
    module = found.group(1).replace("-", "_")
    return Params.load(module) if params_file(module).is_file() else None


def fill_texts(schema: Any, params: Params, name: str, path: tuple = ()) -> Any:
    """`schema` with every placeholder of its titles and descriptions printed as the call's labels and
    page print them (« plafond de {cap} » → « plafond de 30 000 € »): a figure of the call is typed
    once, in params.json. Other braces are literal. An unknown name fails, with the schema and the path."""
    if isinstance(schema, list):
        return [fill_texts(item, params, name, path + (n,)) for n, item in enumerate(schema)]
    if not isinstance(schema, dict):
        return schema
    filled = {}
    for key, value in schema.items():
        if key in TEXT_KEYS and isinstance(value, str):
            try:
                value = params.fill(value)
            except (KeyError, ValueError, AttributeError, IndexError) as error:
                reason = error.args[0] if isinstance(error, KeyError) and error.args else error
                raise ValueError(
                    f"schemas/{name}, {pointer(path + (key,))} : {reason} "
                    "(les noms entre accolades sont ceux du params.json de l'appel)"
                ) from None
            filled[key] = value
        else:
            filled[key] = fill_texts(value, params, name, path + (key,))
    return filled


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
            out.append(pattern[i : i + 2])
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


# (id of the registry, base URI, reference) → (that registry, where the reference leads).
_RESOLVED: dict[tuple, tuple] = {}
_RESOLVED_MAX = 4096  # a call's schemas hold a few dozen references; schemas built on the fly may add more


def _ref(validator, ref: str, instance: Any, schema: dict):
    """$ref with its target looked up once, then reused: `referencing` joins URLs and walks the JSON
    pointer at every use, a tenth of a dossier's whole check. A registry and a base URI fix where a
    reference leads, so the target, and every error under it, are the same. (These schemas have no
    $dynamicRef, the one keyword that reads the dynamic scope a reused resolver keeps from its first
    lookup.) Anything unusual goes the stock way."""
    resolver = None if validator._ref_resolver is not None else validator._resolver
    registry_ = getattr(resolver, "_registry", None)
    base = getattr(resolver, "_base_uri", None)
    if registry_ is None or base is None:
        yield from validator._validate_reference(ref=ref, instance=instance)
        return
    key = (id(registry_), base, ref)
    found = _RESOLVED.get(key)
    if found is None or found[0] is not registry_:
        try:
            resolved = resolver.lookup(ref)
        except Unresolvable:
            yield from validator._validate_reference(ref=ref, instance=instance)  # fails as jsonschema fails
            return
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        found = _RESOLVED[key] = (registry_, resolved)  # the registry is kept: its id stays its own
    yield from validator.descend(instance, found[1].contents, resolver=found[1].resolver)


DossierValidator = extend(Draft202012Validator, {"pattern": _pattern, "multipleOf": _multiple_of, "$ref": _ref})


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
PRIORITY = {
    "required": 0,
    "dependentRequired": 0,
    "type": 1,
    "const": 2,
    "enum": 2,
    "additionalProperties": 3,
    "format": 4,
    "pattern": 4,
    "anyOf": 9,
    "oneOf": 9,
    "not": 9,
}
DEFAULT_PRIORITY = 5
CENT = Decimal("0.01")


MAX_LISTED = 10  # unknown fields named in one message; the others are counted


def french_messages(error: ValidationError, schema: str | dict | None = None) -> list[tuple[str, str]]:
    """(JSON pointer of the field, French message) for each field one jsonschema error is about.

    The message comes from MESSAGES, by the failed keyword, and reads the error's structured
    fields (validator_value, instance, schema, path), never jsonschema's English text. A `required`
    or `dependentRequired` error is about every property its object lacks: one message for each.
    `schema` is the root schema the error comes from (a file name in schemas/, or the schema
    itself). Field names are its titles, found at the error's path through the SchemaView: a
    field required by a branch, or refined by a branch that gives no title, is named as the form
    names it. Without `schema`, the failing subschema's own title.
    """
    parts = list(error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in MISSING:
        found = []
        properties = node.get("properties", {})
        for missing, trigger in MISSING[error.validator](error):
            field = _field(schema, parts + [missing], properties.get(missing))
            if trigger is None:
                message = f"Champ obligatoire : {field}."
            else:
                because = _field(schema, parts + [trigger], properties.get(trigger))
                message = f"Champ obligatoire dès que {because} est renseigné : {field}."
            found.append((pointer(parts + [missing]), message))
        if found:
            return found
    name = _field(schema, parts, node)
    return [(pointer(parts), MESSAGES.get(error.validator, _not_valid)(error, name))]


def french_message(error: ValidationError, schema: str | dict | None = None) -> tuple[str, str]:
    """The first of french_messages(error, schema): for a `required` error, the first property its object lacks."""
    return french_messages(error, schema)[0]


# --- the fields a required / dependentRequired error is about: (missing property, its trigger) ---


def _present(error: ValidationError) -> dict:
    return error.instance if isinstance(error.instance, dict) else {}


def _required_fields(error: ValidationError) -> list[tuple[str, str | None]]:
    present = _present(error)
    return [(name, None) for name in dict.fromkeys(error.validator_value) if name not in present]


def _dependent_fields(error: ValidationError) -> list[tuple[str, str | None]]:
    present = _present(error)
    return [
        (each, key)
        for key, dependents in error.validator_value.items()
        if key in present
        for each in dict.fromkeys(dependents)
        if each not in present
    ]


MISSING = {"required": _required_fields, "dependentRequired": _dependent_fields}


# --- one French message per failed keyword: (error, « quoted field title ») → message ---------


def _node(error: ValidationError) -> dict:
    return error.schema if isinstance(error.schema, dict) else {}


def _type(error: ValidationError, name: str) -> str:
    expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
    what, agreed = TYPE_NAMES.get(expected, ("une autre sorte de valeur", "attendue"))
    return f"{name} : {what} est {agreed}."


def _enum(error: ValidationError, name: str) -> str:
    choices = ", ".join(f"« {_choice(_node(error), v)} »" for v in error.validator_value)
    return f"{name} : valeur non prévue. Choix possibles : {choices}."


def _const(error: ValidationError, name: str) -> str:
    if error.validator_value is True:
        return f"{name} : cette case doit être cochée."
    if error.validator_value is False:
        return f"{name} : cette case ne doit pas être cochée."
    return f"{name} : la valeur attendue est « {_choice(_node(error), error.validator_value)} »."


def _format(error: ValidationError, name: str) -> str:
    return f"{name} : {FORMAT_HINTS.get(error.validator_value, 'valeur dans un format non reconnu')}."


def _lower_bound(error: ValidationError, name: str) -> str:
    op = "supérieure ou égale à" if error.validator == "minimum" else "strictement supérieure à"
    return f"{name} : la valeur doit être {op} {shown(error.validator_value)}."


def _upper_bound(error: ValidationError, name: str) -> str:
    what = "montant" if _node(error).get("multipleOf") == CENT else "valeur"
    bound = "au plus" if error.validator == "maximum" else "moins de"
    return f"{name} : {what} invraisemblable ({bound} {shown(error.validator_value)})."


def _multiple(error: ValidationError, name: str) -> str:
    if error.validator_value == CENT:
        return f"{name} : au plus deux décimales (les centimes)."
    if error.validator_value == 1:
        return f"{name} : un nombre entier est attendu."
    return f"{name} : un multiple de {shown(error.validator_value)} est attendu."


def _pattern_message(error: ValidationError, name: str) -> str:
    return f"{name} : {_node(error).get('x-pattern-message', 'format non reconnu')}."


def _min_length(error: ValidationError, name: str) -> str:
    if error.validator_value == 1:
        return f"{name} ne doit pas être vide."
    return f"{name} : au moins {_count(error.validator_value, 'caractère')}."


def _max_length(error: ValidationError, name: str) -> str:
    return f"{name} : au plus {_count(error.validator_value, 'caractère')}."


def _item_count(error: ValidationError, name: str) -> str:
    unit = "choix" if "enum" in (_node(error).get("items") or {}) else "ligne"
    bound = "au moins" if error.validator == "minItems" else "au plus"
    return f"{name} : {bound} {_count(error.validator_value, unit)}."


def _unique(error: ValidationError, name: str) -> str:
    return f"{name} : une même valeur ne peut figurer qu'une fois."


def _unknown(error: ValidationError, name: str) -> str:
    extra = _unknown_keys(_node(error), error.instance)
    listed = ", ".join(f"« {_inner(shown(k))} »" for k in extra[:MAX_LISTED])
    if len(extra) > MAX_LISTED:
        more = len(extra) - MAX_LISTED
        listed += f" et {number(more)} {'autre' if more == 1 else 'autres'}"
    where = name if error.absolute_path else "le dossier"
    return f"{'Champs inconnus' if len(extra) > 1 else 'Champ inconnu'} dans {where} : {listed}."


def _no_case(error: ValidationError, name: str) -> str:
    return f"{name} ne correspond à aucun des cas prévus."


def _not_valid(error: ValidationError, name: str) -> str:
    return f"{name} : valeur non valide."


MESSAGES = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "format": _format,
    "minimum": _lower_bound,
    "exclusiveMinimum": _lower_bound,
    "maximum": _upper_bound,
    "exclusiveMaximum": _upper_bound,
    "multipleOf": _multiple,
    "pattern": _pattern_message,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minItems": _item_count,
    "maxItems": _item_count,
    "uniqueItems": _unique,
    "additionalProperties": _unknown,
    "anyOf": _no_case,
    "oneOf": _no_case,
}


def _count(n: Any, unit: str) -> str:
    """« 1 ligne », « 2 lignes » (French: the plural starts at 2); « choix » is invariable."""
    plural = unit if unit.endswith(("s", "x", "z")) else unit + "s"
    return f"{shown(n)} {plural if n >= 2 else unit}"


def _choice(node: dict, value: Any) -> str:
    labels = node.get("x-enum-labels", {})
    return _inner(labels.get(value, value)) if isinstance(value, str) else shown(value)


def _unknown_keys(node: dict, instance: Any) -> list[str]:
    known = node.get("properties", {})
    patterns = node.get("patternProperties", {})
    return [
        k
        for k in (instance if isinstance(instance, dict) else {})
        if k not in known and not any(ecma_regex(p).search(k) for p in patterns)
    ]


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
            rank = (PRIORITY.get(error.validator, DEFAULT_PRIORITY), index)
            for path, message in french_messages(error, name):
                if path not in best or rank < best[path][0]:
                    best[path] = (rank, message, "missing" if error.validator in MISSING else "invalid")
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


# ---- one view of a schema: what describes the value at a path ----
#
# A place of the dossier may be described in several spots of the schema: a property and the
# block its $ref points to, an allOf member, an if/then/else branch, an anyOf alternative. The
# SchemaView gathers them once, and every reader of the schema goes through it: the titles in
# messages, the form's order, the typing of CSV cells (inputs.field_types) and the form builder
# (form_tree). One merge rule: among the subschemas that always apply (the node, its $ref target,
# its allOf members), the first to give a keyword wins, except `required`, whose names add up.

ALWAYS = frozenset({"$ref", "allOf"})  # the subschemas reached through these apply whatever the value
MAX_SCHEMA_DEPTH = 32  # $ref and in-place nesting: a cycle stops here
_MEMBER_CACHE = 256  # members remembered per node: a dossier's odd keys are not all kept


@dataclass(frozen=True)
class Part:
    """One subschema that applies in place to a value, with the resolver of its $refs, and the
    keywords that lead to it from the place's own declaration: () for the declaration itself,
    ("$ref",), ("allOf", "$ref"), ("then",)… Never `if`, whose subschema tests and describes nothing."""

    schema: dict
    resolver: Any
    via: tuple[str, ...] = ()

    @property
    def always(self) -> bool:
        return ALWAYS.issuperset(self.via)

    def branch(self) -> "Branch | None":
        """The part's if/then/else, if it has one."""
        if not isinstance(self.schema.get("if"), dict):
            return None
        return Branch(
            Part(self.schema["if"], self.resolver),
            SchemaNode([(self.schema["then"], self.resolver)]) if "then" in self.schema else None,
            SchemaNode([(self.schema["else"], self.resolver)]) if "else" in self.schema else None,
        )


@dataclass(frozen=True)
class Branch:
    """An if/then/else of a part that always applies: the `if` to evaluate, and what each outcome adds."""

    condition: Part
    then: "SchemaNode | None"
    otherwise: "SchemaNode | None"


def _expand(schema: Any, resolver, via: tuple[str, ...], found: list[Part], seen: set[int], depth: int = 0) -> None:
    """`schema` and, depth first in declaration order, every subschema that applies in place to the
    same value: its $ref target, allOf, anyOf and oneOf members, then and else, dependentSchemas."""
    if not isinstance(schema, dict) or depth > MAX_SCHEMA_DEPTH or id(schema) in seen:
        return
    seen.add(id(schema))
    found.append(Part(schema, resolver, via))
    if isinstance(schema.get("$ref"), str):
        try:
            target = resolver.lookup(schema["$ref"])
        except Unresolvable:
            pass
        else:
            _expand(target.contents, target.resolver, via + ("$ref",), found, seen, depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        subs = schema.get(key)
        for sub in subs if isinstance(subs, list) else ():
            _expand(sub, resolver, via + (key,), found, seen, depth + 1)
    for key in ("then", "else"):
        _expand(schema.get(key), resolver, via + (key,), found, seen, depth + 1)
    dependent = schema.get("dependentSchemas")
    for sub in dependent.values() if isinstance(dependent, dict) else ():
        _expand(sub, resolver, via + ("dependentSchemas",), found, seen, depth + 1)


def _merge(parts: Iterable[Part]) -> dict:
    """The keywords of the parts, the first to give one winning; `required` adds up, in order."""
    merged: dict = {}
    required: list | None = None
    for part in parts:
        for key, value in part.schema.items():
            if key == "required" and isinstance(value, list):
                required = (required or []) + value
                merged.setdefault(key, value)
            elif key != "$ref":
                merged.setdefault(key, value)
    if required is not None:
        merged["required"] = list(dict.fromkeys(required))
    return merged


def resolve(schema: Any, resolver) -> tuple[dict, Any]:
    """A subschema with its $ref chain merged in (the referring node's keywords win, `required` adds
    up), and the resolver of the last target: the form builder inlines `if` conditions with it."""
    parts: list[Part] = []
    _expand(schema, resolver, (), parts, set())
    chain = [part for part in parts if all(step == "$ref" for step in part.via)]
    return _merge(chain), chain[-1].resolver if chain else resolver


class SchemaNode:
    """What the schema says of the value at one place: every subschema that applies there (the
    declarations met on the way, each expanded in place), read through the one merge rule.

    A member's declarations are gathered from every part of its parent, branches included, and
    are peers: `required`, `get` and `merged` tell all the schema says of the member wherever it
    says it (the questions' stand-ins want that). What applies whatever the answers, and what only
    under a condition, the form builder reads from properties(), items() and branches()."""

    def __init__(self, declarations: Iterable[tuple[Any, Any]] = ()) -> None:
        found: list[Part] = []
        seen: set[int] = set()
        for schema, resolver in declarations:
            _expand(schema, resolver, (), found, seen)
        self.parts: tuple[Part, ...] = tuple(found)
        self.always: tuple[Part, ...] = tuple(part for part in found if part.always)
        self._members: dict[str, SchemaNode | None] = {}

    def __bool__(self) -> bool:
        return bool(self.parts)

    @cached_property
    def merged(self) -> dict:
        """The keywords of the subschemas that always apply, merged (see _merge)."""
        return _merge(self.always)

    def get(self, key: str, default: Any = None) -> Any:
        return self.merged.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.merged

    @property
    def required(self) -> list[str]:
        return self.merged.get("required", [])

    @cached_property
    def title(self) -> str | None:
        """The first title met, branches included: the main declaration's before a branch's refinement."""
        titles = (part.schema.get("title") for part in self.parts)
        return next((title for title in titles if isinstance(title, str) and title), None)

    @cached_property
    def types(self) -> frozenset[str]:
        """Every JSON type some subschema allows here; a boolean `const` counts as "boolean"."""
        found: set[str] = set()
        for part in self.parts:
            declared = part.schema.get("type", [])
            found.update([declared] if isinstance(declared, str) else declared)
            if isinstance(part.schema.get("const"), bool):
                found.add("boolean")
        return frozenset(found)

    @cached_property
    def property_names(self) -> list[str]:
        """The properties some subschema declares here, in declaration order."""
        names: dict[str, None] = {}
        for part in self.parts:
            if isinstance(part.schema.get("properties"), dict):
                names.update(dict.fromkeys(part.schema["properties"]))
        return list(names)

    def member(self, key: str) -> "SchemaNode | None":
        """The node of the member `key` of the value (a property name, or an array index as digits),
        from every subschema here, branches included; None where the schema does not describe it."""
        if key in self._members:
            return self._members[key]
        declarations = []
        for part in self.parts:
            schema = part.schema
            properties = schema.get("properties") or {}
            if key in properties:
                declarations.append((properties[key], part.resolver))
                continue
            matching = [
                sub
                for pattern, sub in (schema.get("patternProperties") or {}).items()
                if ecma_regex(pattern).search(key)
            ]
            if matching:
                declarations += [(sub, part.resolver) for sub in matching]
                continue
            if key.isdigit() and ("items" in schema or "prefixItems" in schema):
                prefix = schema.get("prefixItems") or []
                item = prefix[int(key)] if int(key) < len(prefix) else schema.get("items")
                if isinstance(item, dict):
                    declarations.append((item, part.resolver))
                continue
            if isinstance(schema.get("additionalProperties"), dict):
                declarations.append((schema["additionalProperties"], part.resolver))
        found = SchemaNode(declarations) if declarations else None
        if len(self._members) < _MEMBER_CACHE:
            self._members[key] = found
        return found

    def properties(self) -> dict[str, "SchemaNode"]:
        """The properties the subschemas that always apply declare, each from all its declarations there."""
        declared: dict[str, list] = {}
        for part in self.always:
            for name, sub in (part.schema.get("properties") or {}).items():
                declared.setdefault(name, []).append((sub, part.resolver))
        return {name: SchemaNode(subs) for name, subs in declared.items()}

    def items(self) -> "SchemaNode":
        """The node of a row of the list, from the subschemas that always apply (empty if none says)."""
        return SchemaNode(
            (part.schema["items"], part.resolver) for part in self.always if isinstance(part.schema.get("items"), dict)
        )

    def branches(self) -> list[Branch]:
        """The if/then/else of the subschemas that always apply, in declaration order."""
        return [branch for branch in (part.branch() for part in self.always) if branch is not None]


class SchemaView:
    """A schema (a file name in schemas/, or the schema itself) read place by place: node_at(where)."""

    def __init__(self, schema: str | dict) -> None:
        self.schema = load_schema(schema) if isinstance(schema, str) else schema
        self.root = SchemaNode([(self.schema, _resolver(self.schema))])

    def levels(self, where: str | list | tuple) -> list[SchemaNode]:
        """The root's node and the node of each part of the path, as far as the schema describes it."""
        levels = [self.root]
        for part in _parts(where):
            found = levels[-1].member(part)
            if found is None:
                break
            levels.append(found)
        return levels

    def node_at(self, where: str | list | tuple) -> SchemaNode | None:
        """The node at a JSON pointer, a dotted path or a list of parts; None where the schema says nothing."""
        levels = self.levels(where)
        return levels[-1] if len(levels) == len(_parts(where)) + 1 else None


@lru_cache(maxsize=None)
def schema_view(name: str) -> SchemaView:
    """The view of a schema of schemas/, built once."""
    return SchemaView(name)


def _view(schema: str | dict) -> SchemaView:
    return schema_view(schema) if isinstance(schema, str) else SchemaView(schema)


def _resolver(root: Any):
    base = root.get("$id", "") if isinstance(root, dict) else ""
    known = registry()
    if base not in known:  # a schema outside schemas/ (tests build some): resolve its own $refs too
        known = known.with_resource(base, Resource(contents=root, specification=DRAFT202012))
    return known.resolver(base_uri=base)


# ---- titles and form order, read through the view ----


def title_at(schema: str | dict, where: str | list | tuple) -> str:
    """The French title of the field at `where`, looked up in the whole schema.

    `schema` is a file name in schemas/ or a schema; `where` a JSON pointer ('/project/start_date',
    '/budget/expenses/0/amount'), a dotted path ('project.start_date', as rules read fields) or a
    list of parts. The path is followed through the SchemaView (properties, items, $ref, allOf,
    anyOf, oneOf and then/else, not `if`, which only tests); the first title met wins, so the call's
    own title of a block comes before the common one and the main declaration before a branch's
    refinement. An array item without a title of its own is named after its list. A path the schema
    does not describe gives its last key: tests/test_schema_titles.py makes sure no call schema needs that.
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
    levels = _view(schema).levels(parts)
    if len(levels) <= len(parts):
        return parts[-1]
    if levels[-1].title:
        return levels[-1].title
    if parts and parts[-1].isdigit():
        return levels[-2].title or parts[-1]
    return parts[-1] if parts else ""


def _order(schema: str | dict, parts: tuple[str, ...]) -> tuple:
    levels = _view(schema).levels(parts)
    key = []
    for i, part in enumerate(parts):
        names = levels[i].property_names if i < len(levels) else []
        if part in names:
            key.append(names.index(part))
        elif part.isdigit():
            key.append(int(part))
        else:
            key.append(UNKNOWN_RANK)
    return tuple(key)
