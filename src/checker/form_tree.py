"""The self-assessment form of a call, as a tree of plain nodes built from the call's JSON Schema.

The schema is read once, through schemas.SchemaView, into Nodes: what to draw, where it sits in
the dossier as a JSON pointer, when it applies. Names and ids derive from JSON pointers so that
the checker's schema errors (path = pointer) land on their field. Parts that only apply in some
cases (if/then/else, dependentRequired) carry `data-when` references to conditions that
checker-page.js evaluates in the browser. Drawing is the theme's business (overrides/hooks/forms.py
and the Jinja2 macros of partials/form/): nothing here needs mkdocs.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from .schemas import SchemaNode, resolve, schema_view

ROW = "#"  # placeholder index of an array row in the row template's pointers
TEXTAREA_FROM = 300  # strings allowed longer than this get a multi-line box
RADIO_MAX = 4  # up to this many choices, radio buttons; beyond, a select
# Keywords checker-page.js knows how to evaluate inside an `if` (see matches() there).
CONDITION_KEYWORDS = {
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "items",
    "contains",
    "not",
    "allOf",
    "anyOf",
    "oneOf",
}
ANNOTATIONS = {
    "x-always-shown",
    "x-step",
    "title",
    "description",
    "$comment",
    "x-enum-labels",
    "x-pattern-message",
    "default",
    "x-default",
    "examples",
}

# The dossier is built in this order: who applies, what the project is, what it costs, what is
# attached and promised. A top-level property goes to the step its name says, unless its schema
# names one with `x-step`; an unknown name belongs to the project.
STEPS = (("candidat", "Candidat"), ("projet", "Projet"), ("budget", "Budget"), ("pieces", "Pièces et engagements"))
STEP_OF = {
    "applicant": "candidat",
    "grouping": "candidat",
    "budget": "budget",
    "request": "budget",
    "restrictions": "budget",
    "funding": "budget",
    "passes": "budget",
    "engineering": "budget",
    "volets": "budget",
    "exclusions": "budget",
    "selection_financial": "budget",
    "pieces": "pieces",
    "commitments": "pieces",
    "elected_support": "pieces",
    "referent": "pieces",
    "charter": "pieces",
    "documentation": "pieces",
    "submission": "pieces",
    "procedure": "pieces",
    "description": "pieces",
}


@dataclass
class Node:
    kind: str  # object, array, choices, select, radio, yesno, checkbox, consent, const, text, textarea, date, email, money, number, integer
    pointer: str
    title: str
    description: str = ""
    required: bool = False
    show_when: list[str] = field(default_factory=list)  # "c3:/scope" or "!c3:/scope"; shown if any holds
    required_when: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    item: "Node | None" = None
    options: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)
    default: object = None
    step: str = "projet"

    @property
    def id(self) -> str:
        return "champ" + self.pointer

    @property
    def when(self) -> str:
        return " ".join(self.show_when)

    @property
    def required_if(self) -> str:
        return " ".join(self.required_when)


class FormBuilder:
    """One call schema → a Node tree plus the conditions its data-when attributes refer to."""

    def __init__(self, schema_name: str) -> None:
        self.view = schema_view(schema_name)
        self.schema = self.view.schema
        self.conditions: dict[str, dict] = {}
        self.triggers: set[str] = set()  # pointers an `if` reads: never hidden, or nothing could show them

    def build(self) -> Node:
        return self.node(self.view.root, "", "Dossier", required=True)

    # -- conditions -------------------------------------------------------------------------

    def inline(self, schema, resolver):
        """A copy of schema with every $ref replaced by its target (for the browser's evaluator)."""
        schema, resolver = resolve(schema, resolver) if isinstance(schema, dict) else (schema, resolver)
        if isinstance(schema, list):
            return [self.inline(s, resolver) for s in schema]
        if not isinstance(schema, dict):
            return copy.deepcopy(schema)
        out = {}
        for key, value in schema.items():
            if key in ANNOTATIONS:
                continue
            if key == "properties":
                out[key] = {name: self.inline(sub, resolver) for name, sub in value.items()}
            elif key in ("items", "contains", "not"):
                out[key] = self.inline(value, resolver)
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self.inline(sub, resolver) for sub in value]
            else:
                out[key] = copy.deepcopy(value)
        return out

    def condition(self, spec: dict) -> str:
        key = json.dumps(spec, sort_keys=True, ensure_ascii=False)
        for cid, known in self.conditions.items():
            if json.dumps(known, sort_keys=True, ensure_ascii=False) == key:
                return cid
        cid = f"c{len(self.conditions) + 1}"
        self.conditions[cid] = spec
        return cid

    def note_triggers(self, schema: dict, pointer: str) -> None:
        for name in schema.get("required", []):
            self.triggers.add(f"{pointer}/{name}")
        for name, sub in schema.get("properties", {}).items():
            self.triggers.add(f"{pointer}/{name}")
            if isinstance(sub, dict):
                self.note_triggers(sub, f"{pointer}/{name}")
        for sub in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
            self.note_triggers(sub, pointer)

    # -- nodes ------------------------------------------------------------------------------

    def node(self, schema: SchemaNode, pointer, name, required=False, show_when=(), required_when=(), inherited=()):
        kind = self.kind(schema)
        node = Node(
            kind,
            pointer,
            schema.get("title") or name,
            schema.get("description", ""),
            required,
            list(show_when),
            list(required_when),
            default=schema.get("x-default", schema.get("default")),
        )
        if kind == "object":
            node.children = self.object_children(schema, pointer, inherited)
        elif kind == "array":
            node.item = self.node(schema.items(), f"{pointer}/{ROW}", "Ligne", required=True)
            node.attrs = {k: schema.get(k) for k in ("minItems", "maxItems") if k in schema}
        elif kind == "choices":
            node.options = self.enum_options(schema.items())
        elif kind in ("select", "radio"):
            node.options = self.enum_options(schema)
        elif kind == "const":
            node.attrs = {"value": json.dumps(schema.get("const"), ensure_ascii=False)}
        else:
            node.attrs = self.input_attrs(schema, kind)
        return node

    @staticmethod
    def kind(schema: SchemaNode) -> str:
        types = schema.get("type", [])
        kind = next((t for t in ([types] if isinstance(types, str) else types) if t != "null"), None)
        if schema.get("const") is True:
            return "consent"
        if "const" in schema:
            return "const"
        if "enum" in schema:
            return "radio" if len(schema.get("enum")) <= RADIO_MAX else "select"
        if kind == "object" or "properties" in schema:
            return "object"
        if kind == "array":
            return "choices" if "enum" in schema.items() else "array"
        if kind == "boolean":
            # A question is unanswered until answered: « oui », « non », or nothing yet. Only a box
            # the schema gives a default to (« coché si… ») stays a single checkbox.
            return "checkbox" if "default" in schema else "yesno"
        if kind == "integer":
            return "integer"
        if kind == "number":
            return "money" if str(schema.get("multipleOf")) == "0.01" else "number"
        if schema.get("format") in ("date", "email"):
            return schema.get("format")
        return "textarea" if schema.get("maxLength", 0) > TEXTAREA_FROM else "text"

    @staticmethod
    def enum_options(schema: SchemaNode) -> list[tuple[str, str]]:
        labels = schema.get("x-enum-labels", {})
        return [
            (v if isinstance(v, str) else json.dumps(v), labels.get(v, str(v)) if isinstance(v, str) else str(v))
            for v in schema.get("enum")
        ]

    @staticmethod
    def input_attrs(schema: SchemaNode, kind: str) -> dict:
        attrs = {}
        if kind in ("text", "textarea", "email") and "maxLength" in schema:
            attrs["maxlength"] = schema.get("maxLength")
        if kind == "text" and "pattern" in schema:
            attrs["data-pattern"] = schema.get("pattern")
        for key in ("minimum", "maximum"):
            if key in schema and kind in ("money", "number", "integer"):
                attrs[f"data-{key}"] = str(schema.get(key))
        return attrs

    def object_children(self, schema: SchemaNode, pointer: str, inherited) -> list[Node]:
        """The fields of an object: its own properties, then those only a branch declares. A field
        a branch requires shows (and is required) when the branch's condition holds; a base field a
        branch refines passes the refinement on to its own fields."""
        props = schema.properties()
        required = set(schema.required)
        branches: list[tuple[str, SchemaNode]] = list(inherited)
        show: dict[str, list[str]] = {}
        need: dict[str, list[str]] = {}
        passed: dict[str, list[tuple[str, SchemaNode]]] = {}
        for part in schema.always:
            branch = part.branch()
            if branch is not None:
                spec = self.inline(branch.condition.schema, branch.condition.resolver)
                cid = self.condition({"if": spec})
                self.note_triggers(spec, pointer)
                branches += [(f"{cid}:{pointer}", branch.then)] if branch.then is not None else []
                branches += [(f"!{cid}:{pointer}", branch.otherwise)] if branch.otherwise is not None else []
            for key, dependents in (part.schema.get("dependentRequired") or {}).items():
                ref = f"{self.condition({'present': key})}:{pointer}"
                self.triggers.add(f"{pointer}/{key}")
                for name in dependents:
                    show.setdefault(name, []).append(ref)
                    need.setdefault(name, []).append(ref)
        extra: dict[str, SchemaNode] = {}
        for ref, branch in branches:
            for name in branch.required:
                show.setdefault(name, []).append(ref)
                need.setdefault(name, []).append(ref)
            for name, sub in branch.properties().items():
                if name in props:
                    passed.setdefault(name, []).append((ref, sub))
                else:
                    extra.setdefault(name, sub)
                    show.setdefault(name, []).append(ref)
        children = []
        for name, sub in {**props, **extra}.items():
            child_pointer = f"{pointer}/{name}"
            static = name in required
            hidden_by = [] if static or child_pointer in self.triggers else sorted(set(show.get(name, [])))
            if name in props and name not in need:
                hidden_by = []  # a base property only refined by a branch stays visible
            if sub.get("x-always-shown"):
                hidden_by = []  # the schema says this part concerns every dossier, required or not
            children.append(
                self.node(
                    sub,
                    child_pointer,
                    name,
                    static,
                    hidden_by,
                    [] if static else sorted(set(need.get(name, []))),
                    passed.get(name, ()),
                )
            )
        return children


def build_form(schema_name: str) -> tuple[Node, dict]:
    """The form's tree for a call schema, and the conditions its parts refer to (id → spec)."""
    builder = FormBuilder(schema_name)
    root = builder.build()
    for child in root.children:
        name = child.pointer.rsplit("/", 1)[-1]
        child.step = builder.schema.get("properties", {}).get(name, {}).get("x-step") or STEP_OF.get(name, "projet")
    return root, builder.conditions


@dataclass
class Step:
    id: str
    title: str
    number: int
    children: list[Node]


def steps(root: Node) -> list[Step]:
    """The top-level parts of the dossier grouped into the steps it is built in; empty steps dropped."""
    hidden = [c for c in root.children if c.kind == "const"]
    grouped = [[c for c in root.children if c.kind != "const" and c.step == sid] for sid, _ in STEPS]
    found = [(sid, title, children) for (sid, title), children in zip(STEPS, grouped) if children]
    result = [Step(sid, title, i + 1, children) for i, (sid, title, children) in enumerate(found)]
    if result:
        result[0].children = hidden + result[0].children
    return result
