"""One schema walker: schemas.SchemaView follows $ref, allOf, anyOf/oneOf and if/then/else, merges
`required` once, and every reader of a schema goes through it: the titles in messages, the CSV typing,
the questions' stand-ins and the form builder. These tests pin its merge rule and check that the
readers agree with each other on every call schema."""

from __future__ import annotations

import json

import pytest

from checker import form_tree
from checker.inputs import field_types
from checker.missing import field_at
from checker.schemas import _MEMBER_CACHE, SchemaNode, SchemaView, schema_dir, schema_view, title_at

CALL_SCHEMAS = sorted(
    p.name for p in schema_dir().glob("*.schema.json") if p.name not in ("metadata.schema.json", "common.schema.json")
)
FITN7 = "fitn7-saone-et-loire.schema.json"
BASE = "https://appels-numeriques.example/schemas/"


def form_nodes(node):
    yield node
    for child in node.children:
        yield from form_nodes(child)
    if node.item:
        yield from form_nodes(node.item)


# --- the merge rule ------------------------------------------------------------------------------


def test_the_referring_node_wins_over_its_ref_target_and_required_adds_up():
    view = schema_view(FITN7)
    applicant = view.node_at("/applicant")
    assert applicant.title == "Demandeur"  # the call's own title, not the common block's
    assert applicant.get("type") == "object" and "kind" in applicant.properties()  # from the common block
    # The call's `project` adds start_date and end_date to the common required list.
    assert view.node_at("project").required == ["title", "summary", "filing_date", "start_date", "end_date"]


def test_every_path_notation_reaches_the_same_node():
    view = schema_view(FITN7)
    by_pointer = view.node_at("/budget/expenses/3/amount")
    assert by_pointer.parts == view.node_at("budget.expenses.3.amount").parts
    assert by_pointer.parts == view.node_at(["budget", "expenses", 3, "amount"]).parts
    assert by_pointer.title == "Montant (€)" and by_pointer.types == {"number"}


def test_allof_members_and_then_branches_describe_the_same_value():
    view = schema_view(FITN7)
    row = view.node_at("budget/expenses/0".split("/"))
    assert row.property_names == ["label", "category", "amount"]  # the call's row, then its allOf (common) member
    assert any("allOf" in part.via for part in row.always)
    [branch] = view.root.branches()
    assert branch.then.required == ["eligibility"] and branch.otherwise is None
    assert branch.condition.schema["required"] == ["applicant"]
    # A field only a branch requires is still found, with its title.
    only_in_branch = view.node_at("/eligibility/local_funding_only")
    assert only_in_branch.title == "Financée uniquement par des collectivités locales"
    # `if` tests and describes nothing: its title of a condition never names the field.
    assert view.node_at("/applicant/kind").title == "Nature juridique du porteur"


def test_a_path_the_schema_does_not_describe_has_no_node():
    view = schema_view(FITN7)
    assert view.node_at("/project/inconnu") is None and view.node_at("no.such.field") is None
    assert len(view.levels("/project/inconnu/x")) == 2  # the root, then project: the walk stops there
    assert view.node_at("/") is view.root and view.node_at("") is view.root


def test_a_sibling_properties_block_keeps_the_targets_other_properties():
    """`{"$ref": block, "properties": {one refined}}`: the validator applies both, so does the view."""
    schema = {
        "$id": BASE + "essai-vue.schema.json",
        "type": "object",
        "properties": {
            "budget": {
                "$ref": "common.schema.json#/$defs/budget",
                "title": "Budget à moi",
                "required": ["total_expenses"],
                "properties": {"expenses": {"title": "Mes dépenses", "type": "array"}},
            }
        },
    }
    budget = SchemaView(schema).node_at("budget")
    assert list(budget.properties()) == ["expenses", "resources", "total_expenses", "total_resources"]
    assert budget.properties()["expenses"].title == "Mes dépenses"
    assert budget.properties()["expenses"].get("maxItems") == 200  # the common declaration fills in what the call omits
    assert budget.required == ["total_expenses", "expenses", "resources"]
    assert title_at(schema, "budget") == "Budget à moi"
    assert title_at(schema, "budget.resources.0.amount") == "Montant (€)"


def test_a_schema_that_refers_to_itself_is_walked_without_end():
    schema = {
        "$id": BASE + "essai-cycle.schema.json",
        "$defs": {
            "node": {
                "title": "Nœud",
                "type": "object",
                "allOf": [{"$ref": "#/$defs/node"}],
                "properties": {"child": {"$ref": "#/$defs/node"}, "name": {"title": "Nom", "type": "string"}},
            }
        },
        "$ref": "#/$defs/node",
    }
    view = SchemaView(schema)
    assert view.node_at("child/child/child/name".split("/")).title == "Nom"
    assert view.node_at("/child/child").types == {"object"}


def test_a_dossiers_odd_keys_are_not_all_remembered():
    schema = {"$id": BASE + "essai-cles.schema.json", "type": "object", "additionalProperties": {"type": "integer"}}
    root = SchemaView(schema).root
    for index in range(3 * _MEMBER_CACHE):
        assert root.member(f"clé-{index}").types == {"integer"}
    assert len(root._members) == _MEMBER_CACHE


def test_an_empty_node_says_nothing():
    empty = SchemaNode()
    assert not empty and empty.title is None and empty.types == frozenset() and empty.required == []
    assert empty.properties() == {} and not empty.items() and empty.branches() == []


# --- the readers agree ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_the_form_labels_each_field_with_the_title_messages_use(name):
    root, _ = form_tree.build_form(name)
    for node in form_nodes(root):
        if node.pointer:
            assert node.title == title_at(name, node.pointer.replace(f"/{form_tree.ROW}", "/0")), node.pointer


CONTROL_TYPES = {
    "money": {"number"},
    "number": {"number"},
    "integer": {"integer"},
    "yesno": {"boolean"},
    "checkbox": {"boolean"},
    "consent": {"boolean"},
    "text": {"string"},
    "textarea": {"string"},
    "date": {"string"},
    "email": {"string"},
    "array": {"array"},
    "choices": {"array"},
    "object": {"object"},
}


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_a_csv_cell_is_typed_as_the_form_asks_for_it(name):
    root, _ = form_tree.build_form(name)
    checked = 0
    for node in form_nodes(root):
        if not node.pointer or node.kind not in CONTROL_TYPES:
            continue
        dotted = node.pointer.strip("/").replace("/", ".").replace(form_tree.ROW, "0")
        assert CONTROL_TYPES[node.kind] <= field_types(name, dotted), (node.pointer, node.kind)
        assert field_at(name, dotted) is not None
        checked += 1
    assert checked > 10


def base_nodes(node: SchemaNode, pointer=""):
    """(pointer, node) of what applies whatever the answers: properties() and items(), no branch."""
    yield pointer, node
    for name, sub in node.properties().items():
        yield from base_nodes(sub, f"{pointer}/{name}")
    if node.items():
        yield from base_nodes(node.items(), f"{pointer}/{form_tree.ROW}")


@pytest.mark.parametrize("name", CALL_SCHEMAS)
def test_the_form_marks_required_what_the_view_always_requires(name):
    root, _ = form_tree.build_form(name)
    objects = {n.pointer: n for n in form_nodes(root) if n.kind == "object"}
    checked = 0
    for pointer, node in base_nodes(schema_view(name).root):
        if pointer in objects:
            form_required = {c.pointer.rsplit("/", 1)[-1] for c in objects[pointer].children if c.required}
            assert form_required == set(node.required), pointer
            checked += 1
    assert checked >= 3


def test_the_view_of_a_schema_file_is_built_once():
    assert schema_view(FITN7) is schema_view(FITN7)
    assert json.dumps(schema_view(FITN7).schema, default=str) == json.dumps(SchemaView(FITN7).schema, default=str)
