"""The self-assessment form rendered from each call schema (no browser): labels, ids, enums, conditions."""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker import form_tree
from checker.engine import all_calls
from checker.schemas import SchemaNode, load_schema, registry, schema_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))  # the build hook that draws the form

import forms  # noqa: E402

CALLS = sorted(all_calls().values(), key=lambda c: c.id)
CONTROLS = {"input", "select", "textarea"}


class Markup(HTMLParser):
    """Every element with its attributes and the text of each label, template rows included."""

    def __init__(self):
        super().__init__()
        self.elements, self.labels, self._label, self.stack = [], {}, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs, list(self.stack)))
        if tag not in {"input", "br", "meta", "link", "img"}:
            self.stack.append((tag, attrs))
        if tag == "label":
            self._label = attrs.get("for")
            self.labels.setdefault(self._label, "")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data


@pytest.fixture(scope="module")
def env():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml")).theme.get_env()


def rendered(env, call) -> Markup:
    parser = Markup()
    parser.feed(str(forms.render_form(env, call)))
    return parser


def test_there_are_calls_to_render():
    assert CALLS, "no call module found under src/checker/calls"


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_every_control_has_a_bound_label_and_described_by(env, call):
    html = rendered(env, call)
    ids = {a["id"] for _, a, _ in html.elements if "id" in a}
    for tag, attrs, _ in html.elements:
        if tag not in CONTROLS or attrs.get("type") == "hidden":
            continue
        assert attrs.get("id") in html.labels and html.labels[attrs["id"]].strip(), f"{call.id}: no label for {attrs}"
        if "data-pointer" in attrs and attrs.get("type") != "radio":  # a radio group's fieldset carries it
            described = attrs.get("aria-describedby", "").split()
            assert any(d.endswith("-erreur") for d in described), f"{call.id}: error not linked to {attrs['id']}"
            assert all(d in ids for d in described), f"{call.id}: aria-describedby of {attrs['id']} points nowhere"


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_ids_are_unique_and_derive_from_pointers(env, call):
    html = rendered(env, call)
    seen = [a["id"] for _, a, _ in html.elements if "id" in a]
    assert len(seen) == len(set(seen)), sorted({i for i in seen if seen.count(i) > 1})
    for tag, attrs, _ in html.elements:
        if "data-pointer" in attrs and tag in CONTROLS and attrs.get("type") not in ("hidden", "radio", "checkbox"):
            assert attrs["id"] == "champ" + attrs["data-pointer"]
            assert attrs["name"] == attrs["data-pointer"]


def _leaves(node: SchemaNode, pointer=""):
    """(pointer, merged keywords) of every property the schema declares, allOf/then/else included."""
    yield pointer, node.merged
    branches = [side for branch in node.branches() for side in (branch.then, branch.otherwise) if side is not None]
    for part in [node, *branches]:
        for name, sub in part.properties().items():
            yield from _leaves(sub, f"{pointer}/{name}")
    if "items" in node:
        yield from _leaves(node.items(), f"{pointer}/{form_tree.ROW}")


def declared(call):
    found = {}
    for pointer, schema in _leaves(schema_view(call.schema).root):
        if "title" in schema or "enum" in schema:
            found.setdefault(pointer, schema)
    return found


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_every_enum_value_appears_with_its_french_label(env, call):
    html = rendered(env, call)
    options = {}
    for tag, attrs, stack in html.elements:
        if tag == "option":
            select = next(a for t, a in reversed(stack) if t == "select")
            options.setdefault(select["data-pointer"], set()).add(attrs["value"])
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox") and "value" in attrs:
            options.setdefault(attrs["data-pointer"], set()).add(attrs["value"])
    labels = " ".join(html.labels.values()) + " ".join(str(forms.render_form(env, call)).split("<option")[1:])
    checked = 0
    for pointer, schema in declared(call).items():
        items = schema.get("items", {})
        enum_schema = schema if "enum" in schema else items if isinstance(items, dict) and "enum" in items else None
        if pointer.endswith("/" + form_tree.ROW) or enum_schema is None or "title" not in schema:
            continue
        assert set(map(str, enum_schema["enum"])) <= options.get(pointer, set()), f"{call.id}: {pointer} misses values"
        for value in enum_schema["enum"]:
            label = enum_schema.get("x-enum-labels", {}).get(value)
            assert label and label.replace("'", "&#39;") in labels or label in labels, (
                f"{call.id}: no label « {label} » for {pointer}={value}"
            )
        checked += 1
    assert checked, f"{call.id}: no enum found (applicant kind at least)"


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_required_fields_are_marked(env, call):
    root, _ = form_tree.build_form(call.schema)
    html = str(forms.render_form(env, call))
    kind = next(c for c in root.children if c.pointer == "/applicant").children[0]
    assert kind.required, "applicant.kind is required by the common schema"
    assert (
        f'for="{kind.id}">{kind.title}<span class="champ__requis" data-required-marker> (obligatoire)' in html
        or f'<legend class="champ__libelle">{kind.title}<span class="champ__requis" data-required-marker> (obligatoire)'
        in html
    )
    filing = next(
        c
        for c in next(c for c in root.children if c.pointer == "/project").children
        if c.pointer.endswith("/filing_date")
    )
    # Never filled in silently: the reader may press « Aujourd'hui ».
    assert (
        f'data-today="{filing.pointer}"' in html
        and 'value="20' not in html
        and filing.required
        and filing.kind == "date"
    )


def _nodes(node):
    yield node
    for child in node.children:
        yield from _nodes(child)
    if node.item:
        yield from _nodes(node.item)


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_conditional_parts_carry_their_conditions(env, call):
    root, conditions = form_tree.build_form(call.schema)
    html = rendered(env, call)
    section = next(a for t, a, _ in html.elements if t == "section" and "data-checker" in a)
    assert json.loads(section["data-conditions"]) == conditions
    wrappers = {a["data-field"]: a for t, a, _ in html.elements if "data-field" in a}
    for node in _nodes(root):
        for ref in node.show_when + node.required_when:
            cid, scope = ref.lstrip("!").split(":", 1)
            assert cid in conditions and root.pointer <= scope and node.pointer.startswith(scope)
        if node.show_when:
            assert wrappers[node.pointer]["data-when"].split() == node.show_when
        if node.required_when:
            assert wrappers[node.pointer]["data-required-when"].split() == node.required_when
    for spec in conditions.values():
        if "if" in spec:
            assert _keywords(spec["if"]) <= form_tree.CONDITION_KEYWORDS, "checker-page.js cannot evaluate this `if`"


def _keywords(schema) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key in ("properties",):
        for sub in schema.get(key, {}).values():
            found |= _keywords(sub)
    for key in ("items", "contains", "not"):
        found |= _keywords(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            found |= _keywords(sub)
    return found


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_every_branch_condition_is_rendered(call):
    """Each if/then of the schema yields at least one conditional part or conditional requirement."""
    schema = load_schema(call.schema)
    ifs = [part for part in [schema] + schema.get("allOf", []) if "if" in part and ("then" in part or "else" in part)]
    root, conditions = form_tree.build_form(call.schema)
    refs = {ref.lstrip("!").split(":")[0] for node in _nodes(root) for ref in node.show_when + node.required_when}
    assert len([c for c in conditions.values() if "if" in c]) >= len({json.dumps(p["if"], sort_keys=True) for p in ifs})
    assert {cid for cid, c in conditions.items() if "if" in c} <= refs


SYNTHETIC = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://appels-numeriques.example/schemas/zz-form-test.schema.json",
    "type": "object",
    "required": ["mode", "lines"],
    "properties": {
        "mode": {
            "title": "Mode",
            "type": "string",
            "enum": ["a", "b"],
            "x-enum-labels": {"a": "Mode A", "b": "Mode B"},
        },
        "group": {"title": "Groupement", "type": "boolean"},
        "members": {"title": "Membres", "type": "array", "items": {"$ref": "common.schema.json#/$defs/member"}},
        "lines": {"title": "Lignes", "type": "array", "items": {"$ref": "common.schema.json#/$defs/expense"}},
        "ok": {"title": "J'accepte", "const": True},
        "tags": {
            "title": "Étiquettes",
            "type": "array",
            "items": {"type": "string", "enum": ["x", "y"], "x-enum-labels": {"x": "Ex", "y": "Igrec"}},
        },
    },
    "dependentRequired": {"group": ["members"]},
    "allOf": [
        {
            "if": {"properties": {"mode": {"const": "b"}}, "required": ["mode"]},
            "then": {
                "required": ["detail"],
                "properties": {"detail": {"title": "Détail", "type": "string", "maxLength": 2000}},
            },
            "else": {"properties": {"ok": {"title": "J'accepte"}}},
        }
    ],
}


def test_synthetic_schema_uses_every_construct(tmp_path, monkeypatch):
    target = tmp_path / "zz-form-test.schema.json"
    target.write_text(json.dumps(SYNTHETIC), "utf-8")
    for name in ("common.schema.json",):
        (tmp_path / name).write_text((ROOT / "schemas" / name).read_text("utf-8"), "utf-8")
    import checker.schemas as schemas

    monkeypatch.setattr(schemas, "schema_dir", lambda: tmp_path)
    schemas.load_schema.cache_clear()
    registry.cache_clear()
    schema_view.cache_clear()
    try:
        root, conditions = form_tree.build_form("zz-form-test.schema.json")
    finally:
        schemas.load_schema.cache_clear()
        registry.cache_clear()
        schema_view.cache_clear()
    kinds = {n.pointer: n.kind for n in _nodes(root)}
    # A yes/no question has three states (« oui », « non », not yet answered): two radios, none ticked.
    assert kinds["/mode"] == "radio" and kinds["/group"] == "yesno" and kinds["/ok"] == "consent"
    assert kinds["/members"] == "array" and kinds["/members/#/kind"] == "select" and kinds["/tags"] == "choices"
    assert kinds["/lines/#/amount"] == "money" and kinds["/detail"] == "textarea"
    nodes = {n.pointer: n for n in _nodes(root)}
    by_spec = {json.dumps(spec, sort_keys=True): cid for cid, spec in conditions.items()}
    mode_b = by_spec[json.dumps({"if": {"properties": {"mode": {"const": "b"}}, "required": ["mode"]}}, sort_keys=True)]
    grouped = by_spec[json.dumps({"present": "group"})]
    assert nodes["/detail"].show_when == nodes["/detail"].required_when == [f"{mode_b}:"]
    assert nodes["/members"].show_when == [f"{grouped}:"]
    assert nodes["/mode"].show_when == [] and nodes["/mode"].required and nodes["/ok"].show_when == []
