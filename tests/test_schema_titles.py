"""Every field of every call schema has a French title, and the reader only ever sees those titles.

The schemas are walked here on their own (not with checker.schemas' walker): every path a dossier can
have, through properties, $ref (into common.schema.json), allOf, anyOf, oneOf, if/then/else, items
and dependentRequired. Then each call's schema validates an empty dossier and malformed ones (wrong
types, bad dates, unknown choices, out-of-range numbers, branches switched on) and no JSON key may
show in a message, each field gets one message, and the messages come in the order of the form.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from checker.engine import all_calls
from checker.schemas import french_message, load_schema, registry, schema_dir, title_at, validate

# common.schema.json has no field of its own: its blocks are walked through the calls' $ref.
CALL_SCHEMAS = sorted(
    p.name for p in schema_dir().glob("*.schema.json") if p.name not in ("metadata.schema.json", "common.schema.json")
)
CALLS = sorted(all_calls())
QUOTED = re.compile(r"« (.+?) »")


# --- an independent walk of a schema ------------------------------------------------------------


def expand(node, resolver, with_if=True):
    """The node and every subschema applying to the same value, in declaration order."""
    if not isinstance(node, dict):
        return []
    found = [(node, resolver)]
    if "$ref" in node:
        target = resolver.lookup(node["$ref"])
        found += expand(target.contents, target.resolver, with_if)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []):
            found += expand(sub, resolver, with_if)
    for key in ("if", "then", "else") if with_if else ("then", "else"):
        found += expand(node.get(key), resolver, with_if)
    for sub in node.get("dependentSchemas", {}).values():
        found += expand(sub, resolver, with_if)
    return found


def root_nodes(name, with_if=True):
    schema = load_schema(name)
    return expand(schema, registry().resolver(base_uri=schema["$id"]), with_if)


def member_names(nodes):
    """Property names an object can hold, in form order: declared ones first, then names only required."""
    names = {}
    for node, _ in nodes:
        names.update(dict.fromkeys(node.get("properties", {})))
    for node, _ in nodes:
        names.update(dict.fromkeys(node.get("required", [])))
        for key, dependents in node.get("dependentRequired", {}).items():
            names.update(dict.fromkeys([key, *dependents]))
    return list(names)


def children(nodes, name, with_if=True):
    return [
        pair
        for node, res in nodes
        if name in node.get("properties", {})
        for pair in expand(node["properties"][name], res, with_if)
    ]


def items(nodes, with_if=True):
    return [
        pair
        for node, res in nodes
        if isinstance(node.get("items"), dict)
        for pair in expand(node["items"], res, with_if)
    ]


def all_paths(nodes, prefix=()):
    """(path, node set) of every member a dossier can have; list items appear as index 0."""
    for name in member_names(nodes):
        path = prefix + (name,)
        sub = children(nodes, name)
        yield path, sub
        yield from all_paths(sub, path)
    sub = items(nodes)
    if sub:
        yield prefix + ("0",), sub
        yield from all_paths(sub, prefix + ("0",))


def pointer(path):
    return "/" + "/".join(path) if path else "/"


def property_names(name):
    return {path[-1] for path, _ in all_paths(root_nodes(name)) if not path[-1].isdigit()}


# --- 1. every path has a French title ------------------------------------------------------------


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_every_path_of_every_schema_has_a_french_title(name):
    paths = list(all_paths(root_nodes(name)))
    assert len(paths) > 10
    wrong = []
    for path, _ in paths:
        title = title_at(name, pointer(path))
        if not title or title == path[-1] or "_" in title or not title[0].isupper():
            wrong.append(f"{pointer(path)} → {title!r}")
        elif title_at(name, ".".join(path)) != title:  # the dotted path rules read gives the same title
            wrong.append(f"{'.'.join(path)} → {title_at(name, '.'.join(path))!r} ≠ {title!r}")
    assert not wrong, "paths without a French title:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_no_two_fields_share_a_name(name):
    """A message names a field by its title and, inside a list, by the list's title and the row: two
    fields that share both would be ambiguous to the reader."""
    seen = {}
    for path, _ in all_paths(root_nodes(name)):
        title = title_at(name, pointer(path))
        rows = tuple(title_at(name, pointer(path[:i])) for i, p in enumerate(path) if p.isdigit())
        seen.setdefault((title, rows), []).append(pointer(path))
    assert not {k: v for k, v in seen.items() if len(v) > 1}


def test_title_at_follows_refs_branches_items_and_every_path_notation():
    fitn7 = "fitn7-saone-et-loire.schema.json"
    # Through $ref: the call's own title of a block wins over the common one.
    assert title_at(fitn7, "/applicant") == "Demandeur"
    assert title_at(fitn7, "/project/start_date") == "Date de début d'exécution"
    assert (
        title_at(fitn7, "project.start_date")
        == title_at(fitn7, ["project", "start_date"])
        == "Date de début d'exécution"
    )
    # Array items: by index, through the items' $ref.
    assert title_at(fitn7, "/budget/expenses/3") == "Dépense"
    assert title_at(fitn7, "/budget/resources/0/funder_kind") == "Type de financeur"
    # The main declaration wins over the if branch's description of a condition.
    assert title_at(fitn7, "/applicant/kind") == "Nature juridique du porteur"
    assert title_at(fitn7, "/eligibility/local_funding_only") == "Financée uniquement par des collectivités locales"
    # The whole dossier, and a path the schema does not describe (its last key, as a last resort).
    assert title_at(fitn7, "/").startswith("Demande de financement")
    assert title_at(fitn7, "/project/inconnu") == "inconnu"
    # A schema given as such: its own $defs, and the common ones.
    schema = {
        "$id": "https://appels-numeriques.example/schemas/essai.schema.json",
        "properties": {"a": {"$ref": "#/$defs/a"}, "b": {"$ref": "common.schema.json#/$defs/money"}},
        "$defs": {"a": {"title": "Champ A", "type": "string"}},
    }
    assert title_at(schema, "/a") == "Champ A" and title_at(schema, "/b") == "Montant (€)"


# --- 2. messages: no key, one per field, form order ----------------------------------------------


def types_of(nodes):
    found = set()
    for node, _ in nodes:
        kind = node.get("type")
        found.update([kind] if isinstance(kind, str) else kind or [])
    return found


def object_like(nodes):
    return "object" in types_of(nodes) or any("properties" in n or "required" in n for n, _ in nodes)


def build(nodes, leaf):
    """An instance shaped like the schema: every object with all its members, every list with one row,
    each leaf given by leaf(nodes) (None: leave the member out)."""
    if object_like(nodes):
        members = {name: build(children(nodes, name, with_if=False), leaf) for name in member_names(nodes)}
        return {k: v for k, v in members.items() if v is not None}
    row = items(nodes, with_if=False)
    if row and object_like(row):
        return [build(row, leaf)]
    return leaf(nodes)


def wrong_type(nodes):
    kinds = types_of(nodes)
    for value, kind in ((12345, "integer"), ("texte", "string"), (True, "boolean"), ({"x": 1}, "object")):
        if kind not in kinds and not (kind == "integer" and "number" in kinds):
            return value
    return None


def bad_value(variant):
    def leaf(nodes):
        merged = {}
        for node, _ in nodes:
            for key, value in node.items():
                merged.setdefault(key, value)
        kinds = types_of(nodes)
        row = items(nodes, with_if=False)
        if "array" in kinds:
            return [["inconnu", "inconnu"], [], ["inconnu"] * 50][variant] if row else []
        if "enum" in merged:
            return "choix-inconnu"
        if merged.get("const") is True:
            return False
        if "const" in merged:
            return "autre-appel"
        if merged.get("format") == "date":
            return ["2021-02-30", "30/01/2021", "2021-1-5"][variant]
        if merged.get("format") == "email":
            return "pas-une-adresse"
        if "pattern" in merged:
            return "??"
        if kinds & {"number", "integer"}:
            return [Decimal("-1"), Decimal("1e12"), Decimal("0.001")][variant]
        if "string" in kinds:
            return ["", "x" * 6000, "\n"][variant]
        return wrong_type(nodes)

    return leaf


def skeleton_leaf(nodes):
    return None


def switches(nodes, prefix=()):
    """(path, value) of every choice that can switch a branch on: each enum value, each boolean."""
    for path, sub in all_paths(nodes, prefix):
        merged = {}
        for node, _ in sub:
            for key, value in node.items():
                merged.setdefault(key, value)
        if "enum" in merged and "properties" not in merged:
            yield from ((path, v) for v in merged["enum"])
        elif "boolean" in types_of(sub) or "const" in merged:
            yield from ((path, v) for v in (True, False, merged.get("const")) if v is not None)


def put(data, path, value):
    data = copy.deepcopy(data)
    node = data
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if part.isdigit():
            part = int(part)
            while len(node) <= part:
                node.append({})
            node = node[part]
            continue
        if not isinstance(node.get(part), (dict, list)):
            node[part] = [] if nxt.isdigit() else {}
        node = node[part]
    node[path[-1]] = value
    return data


def dossiers(name):
    nodes = root_nodes(name, with_if=False)
    skeleton = build(nodes, skeleton_leaf)
    yield "vide", {}
    yield "squelette", skeleton
    yield "types faux", build(nodes, wrong_type)
    yield "blocs de type faux", {key: "texte" for key in member_names(nodes)}
    for variant in range(3):
        yield f"valeurs fausses {variant}", build(nodes, bad_value(variant))
    for path, value in switches(root_nodes(name)):
        if not any(p.isdigit() for p in path):
            yield f"{'.'.join(path)} = {value!r}", put(skeleton, path, value)


def order_key(name, path_pointer):
    """The form's order, computed from the independent walk: declaration order, rows by index."""
    nodes, key = root_nodes(name), []
    for part in [p for p in path_pointer.split("/") if p]:
        names = member_names(nodes)
        if part in names:
            key.append(names.index(part))
            nodes = children(nodes, part)
        elif part.isdigit():
            key.append(int(part))
            nodes = items(nodes)
        else:
            key.append(len(names))
            nodes = []
    return tuple(key)


@pytest.mark.parametrize("call_id", CALLS)
def test_messages_name_fields_by_title_once_each_in_form_order(call_id):
    schema = all_calls()[call_id].schema
    keys = property_names(schema)
    seen = 0
    for label, data in dossiers(schema):
        errors = validate(schema, data)
        seen += len(errors)
        where = f"{call_id}, dossier « {label} »"
        paths = [e.path for e in errors]
        assert len(paths) == len(set(paths)), f"{where}: several messages for one field: {paths}"
        assert paths == sorted(paths, key=lambda p: order_key(schema, p)), f"{where}: not in form order: {paths}"
        for error in errors:
            shown = QUOTED.findall(error.message)
            leaked = [s for s in shown if s in keys or "_" in s]
            assert not leaked, f"{where}: JSON key shown at {error.path}: {error.message}"
            assert not re.search(r"\w\((s|x|e|es)\)|\bà les\b|\bde les\b|\bde le\b", error.message), error.message
            assert error.message.endswith(".") and error.message.lstrip("« ")[0].isupper(), error.message
    assert seen > 50


def test_fitn7_project_fields_required_by_the_call_are_named_in_french_once_each():
    """The call's `project` adds start_date and end_date to the common required list, on a $ref node
    that has no properties: each field is named by its title, once, in the form's order."""
    errors = validate("fitn7-saone-et-loire.schema.json", {"project": {}})
    project = [(e.path, e.message) for e in errors if e.path.startswith("/project/")]
    assert project == [
        ("/project/title", "Champ obligatoire : « Intitulé du projet »."),
        ("/project/summary", "Champ obligatoire : « Présentation du projet »."),
        ("/project/start_date", "Champ obligatoire : « Date de début d'exécution »."),
        ("/project/end_date", "Champ obligatoire : « Date d'achèvement »."),
        ("/project/filing_date", "Champ obligatoire : « Date de dépôt du dossier »."),
    ]


def test_a_field_required_by_a_then_branch_gets_its_title_from_the_whole_schema():
    data = {"applicant": {"kind": "gip"}, "eligibility": {}}
    messages = {e.path: e.message for e in validate("fitn7-saone-et-loire.schema.json", data)}
    assert (
        messages["/eligibility/local_funding_only"]
        == "Champ obligatoire : « Financée uniquement par des collectivités locales »."
    )


def test_top_level_errors_follow_the_schema_order_not_the_alphabet():
    schema = load_schema("fitn7-saone-et-loire.schema.json")
    paths = [e.path for e in validate("fitn7-saone-et-loire.schema.json", {})]
    assert paths == [f"/{key}" for key in schema["properties"] if key in schema["required"]]
    assert paths[:3] == ["/applicant", "/project", "/budget"]


def test_rows_are_in_index_order_and_named_with_their_list():
    data = {
        "budget": {
            "expenses": [
                {"label": "a", "category": "autre", "amount": 1},
                {"category": "autre", "amount": -1},
                {"label": "c", "category": "autre", "amount": "x"},
            ],
            "resources": [{"label": "État", "funder_kind": "etat"}],
        }
    }
    errors = [e for e in validate("fitn7-saone-et-loire.schema.json", data) if e.path.startswith("/budget")]
    assert [(e.path, e.message) for e in errors] == [
        ("/budget/expenses/1/label", "Champ obligatoire : « Libellé de la dépense » (Dépenses, ligne 2)."),
        (
            "/budget/expenses/1/amount",
            "« Montant (€) » (Dépenses, ligne 2) : la valeur doit être supérieure ou égale à 0.",
        ),
        ("/budget/expenses/2/amount", "« Montant (€) » (Dépenses, ligne 3) : un nombre est attendu."),
        ("/budget/resources/0/amount", "Champ obligatoire : « Montant (€) » (Ressources, ligne 1)."),
    ]


def test_one_message_per_field_the_most_useful_one():
    """An unknown choice of the wrong type fails `type` and `enum`: the type is what to fix first."""
    messages = [
        e
        for e in validate("fitn7-saone-et-loire.schema.json", {"request": {"axis": 3, "amount": "2021"}})
        if e.path.startswith("/request/")
    ]
    assert [(e.path, e.message) for e in messages] == [
        ("/request/axis", "« Nature du projet pour lequel un financement est demandé » : un texte est attendu."),
        ("/request/amount", "« Financement demandé (€) » : un nombre est attendu."),
    ]


def test_dates_and_types_agree_in_french():
    messages = {
        e.path: e.message
        for e in validate(
            "fitn7-saone-et-loire.schema.json",
            {
                "project": {"start_date": "2021-02-30", "end_date": 20211231},
                "budget": {"expenses": {}, "resources": []},
            },
        )
    }
    assert (
        messages["/project/start_date"] == "« Date de début d'exécution » : une date au format AAAA-MM-JJ est attendue."
    )
    assert messages["/project/end_date"] == "« Date d'achèvement » : un texte est attendu."
    assert messages["/budget/expenses"] == "« Dépenses » : une liste est attendue."


@pytest.mark.parametrize("minimum, expected", [(1, "au moins 1 ligne"), (2, "au moins 2 lignes")])
def test_counts_are_singular_or_plural_never_with_parentheses(minimum, expected):
    schema = {
        "$id": "https://appels-numeriques.example/schemas/essai.schema.json",
        "type": "object",
        "properties": {
            "rows": {"title": "Lignes du tableau", "type": "array", "minItems": minimum, "items": {"type": "object"}}
        },
    }
    errors = list(Draft202012Validator(schema).iter_errors({"rows": []}))
    assert [french_message(e, schema) for e in errors] == [("/rows", f"« Lignes du tableau » : {expected}.")]
    aidants = validate("indre-et-loire-aidants-connect.schema.json", {"aidants": []})
    assert "« Aidants à habiliter » : au moins 1 ligne." in [e.message for e in aidants]


def test_unknown_fields_and_fields_required_by_another_are_named():
    schema = {
        "$id": "https://appels-numeriques.example/schemas/essai.schema.json",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "has_site": {"title": "Site internet", "type": "boolean"},
            "site_url": {"title": "Adresse du site", "type": "string"},
            "block": {"title": "Bloc « essai »", "type": "object", "additionalProperties": False},
        },
        "dependentRequired": {"has_site": ["site_url"]},
    }
    errors = Draft202012Validator(schema).iter_errors({"has_site": True, "inconnu": 1, "autre": 2, "block": {"x": 1}})
    assert sorted(french_message(e, schema) for e in errors) == [
        ("/", "Champs inconnus dans le dossier : « inconnu », « autre »."),
        ("/block", "Champ inconnu dans « Bloc “essai” » : « x »."),
        ("/site_url", "Champ obligatoire dès que « Site internet » est renseigné : « Adresse du site »."),
    ]
