"""Build hook: the self-assessment form of every call page, rendered from the call's JSON Schema.

The schema is walked once here into a tree of plain nodes (what to draw, where it sits in the
dossier as a JSON pointer, when it applies); the Jinja2 macros in partials/form/ only draw.
Names and ids derive from JSON pointers so that the checker's schema errors (path = pointer)
land on their field. Parts that only apply in some cases (if/then/else, dependentRequired)
carry `data-when` references to conditions that checker-page.js evaluates in the browser.
"""

from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from checker.engine import all_calls, check  # noqa: E402
from checker.schemas import load_schema, registry  # noqa: E402

ROW = "#"  # placeholder index of an array row in the row template's pointers
TEXTAREA_FROM = 300  # strings allowed longer than this get a multi-line box
RADIO_MAX = 4  # up to this many choices, radio buttons; beyond, a select
# Keywords checker-page.js knows how to evaluate inside an `if` (see matches() there).
CONDITION_KEYWORDS = {
    "type", "const", "enum", "properties", "required", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "items",
    "contains", "not", "allOf", "anyOf", "oneOf",
}
ANNOTATIONS = {"x-always-shown", "x-step", "title", "description", "$comment", "x-enum-labels", "x-pattern-message", "default",
               "x-default", "examples"}

# The dossier is built in this order: who applies, what the project is, what it costs, what is
# attached and promised. A top-level property goes to the step its name says, unless its schema
# names one with `x-step`; an unknown name belongs to the project.
STEPS = (("candidat", "Candidat"), ("projet", "Projet"), ("budget", "Budget"), ("pieces", "Pièces et engagements"))
STEP_OF = {
    "applicant": "candidat", "grouping": "candidat",
    "budget": "budget", "request": "budget", "restrictions": "budget", "funding": "budget", "passes": "budget",
    "engineering": "budget", "volets": "budget", "exclusions": "budget", "selection_financial": "budget",
    "pieces": "pieces", "commitments": "pieces", "elected_support": "pieces", "referent": "pieces",
    "charter": "pieces", "documentation": "pieces", "submission": "pieces", "procedure": "pieces",
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
        self.schema = load_schema(schema_name)
        self.conditions: dict[str, dict] = {}
        self.triggers: set[str] = set()  # pointers an `if` reads: never hidden, or nothing could show them

    def build(self) -> Node:
        resolver = registry().resolver(base_uri=self.schema["$id"])
        return self.node(self.schema, resolver, "", "Dossier", required=True)

    # -- $ref -------------------------------------------------------------------------------

    def resolve(self, schema, resolver):
        """Follow $ref; sibling annotations win, sibling `required` adds to the target's."""
        while isinstance(schema, dict) and "$ref" in schema:
            target = resolver.lookup(schema["$ref"])
            merged = {**target.contents, **{k: v for k, v in schema.items() if k != "$ref"}}
            if "required" in schema and "required" in target.contents:
                merged["required"] = list(dict.fromkeys(target.contents["required"] + schema["required"]))
            schema, resolver = merged, target.resolver
        return schema, resolver

    def inline(self, schema, resolver):
        """A copy of schema with every $ref replaced by its target (for the browser's evaluator)."""
        schema, resolver = self.resolve(schema, resolver)
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

    # -- conditions -------------------------------------------------------------------------

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

    def flatten(self, schema, resolver):
        """The schema and its allOf members (recursively), each resolved."""
        schema, resolver = self.resolve(schema, resolver)
        yield schema, resolver
        for sub in schema.get("allOf", []):
            yield from self.flatten(sub, resolver)

    # -- nodes ------------------------------------------------------------------------------

    def node(self, schema, resolver, pointer, name, required=False, show_when=(), required_when=(), inherited=()):
        schema, resolver = self.resolve(schema, resolver)
        kind = self.kind(schema, resolver)
        node = Node(kind, pointer, schema.get("title") or name, schema.get("description", ""), required,
                    list(show_when), list(required_when), default=schema.get("x-default", schema.get("default")))
        if kind == "object":
            node.children = self.object_children(schema, resolver, pointer, inherited)
        elif kind == "array":
            node.item = self.node(schema.get("items", {}), resolver, f"{pointer}/{ROW}", "Ligne", required=True)
            node.attrs = {k: schema[k] for k in ("minItems", "maxItems") if k in schema}
        elif kind == "choices":
            items, _ = self.resolve(schema["items"], resolver)
            node.options = self.enum_options(items)
        elif kind in ("select", "radio"):
            node.options = self.enum_options(schema)
        elif kind == "const":
            node.attrs = {"value": json.dumps(schema["const"], ensure_ascii=False)}
        else:
            node.attrs = self.input_attrs(schema, kind)
        return node

    def kind(self, schema: dict, resolver) -> str:
        types = schema.get("type", [])
        kind = next((t for t in ([types] if isinstance(types, str) else types) if t != "null"), None)
        if schema.get("const") is True:
            return "consent"
        if "const" in schema:
            return "const"
        if "enum" in schema:
            return "radio" if len(schema["enum"]) <= RADIO_MAX else "select"
        if kind == "object" or "properties" in schema:
            return "object"
        if kind == "array":
            items, _ = self.resolve(schema.get("items", {}), resolver)
            return "choices" if "enum" in items else "array"
        if kind == "boolean":
            # A question is unanswered until answered: « oui », « non », or nothing yet. Only a box
            # the schema gives a default to (« coché si… ») stays a single checkbox.
            return "checkbox" if "default" in schema else "yesno"
        if kind == "integer":
            return "integer"
        if kind == "number":
            return "money" if str(schema.get("multipleOf")) == "0.01" else "number"
        if schema.get("format") in ("date", "email"):
            return schema["format"]
        return "textarea" if schema.get("maxLength", 0) > TEXTAREA_FROM else "text"

    @staticmethod
    def enum_options(schema: dict) -> list[tuple[str, str]]:
        labels = schema.get("x-enum-labels", {})
        return [(v if isinstance(v, str) else json.dumps(v), labels.get(v, str(v)) if isinstance(v, str) else str(v))
                for v in schema["enum"]]

    @staticmethod
    def input_attrs(schema: dict, kind: str) -> dict:
        attrs = {}
        if kind in ("text", "textarea", "email") and "maxLength" in schema:
            attrs["maxlength"] = schema["maxLength"]
        if kind == "text" and "pattern" in schema:
            attrs["data-pattern"] = schema["pattern"]
        for key in ("minimum", "maximum"):
            if key in schema and kind in ("money", "number", "integer"):
                attrs[f"data-{key}"] = str(schema[key])
        return attrs

    def object_children(self, schema, resolver, pointer, inherited) -> list[Node]:
        props, required, branches = {}, set(), list(inherited)
        show, need, passed = {}, {}, {}
        for part, res in self.flatten(schema, resolver):
            for name, sub in part.get("properties", {}).items():
                props.setdefault(name, (sub, res))
            required |= set(part.get("required", []))
            if "if" in part:
                cid = self.condition({"if": self.inline(part["if"], res)})
                self.note_triggers(self.inline(part["if"], res), pointer)
                branches += [(f"{cid}:{pointer}", part["then"], res)] if "then" in part else []
                branches += [(f"!{cid}:{pointer}", part["else"], res)] if "else" in part else []
            for key, dependents in part.get("dependentRequired", {}).items():
                ref = f"{self.condition({'present': key})}:{pointer}"
                self.triggers.add(f"{pointer}/{key}")
                for name in dependents:
                    show.setdefault(name, []).append(ref)
                    need.setdefault(name, []).append(ref)
        extra = {}
        for ref, branch, res in branches:
            for part, pres in self.flatten(branch, res):
                for name in part.get("required", []):
                    show.setdefault(name, []).append(ref)
                    need.setdefault(name, []).append(ref)
                for name, sub in part.get("properties", {}).items():
                    if name in props:
                        passed.setdefault(name, []).append((ref, sub, pres))
                    else:
                        extra.setdefault(name, (sub, pres))
                        show.setdefault(name, []).append(ref)
        children = []
        for name, (sub, res) in {**props, **extra}.items():
            child_pointer = f"{pointer}/{name}"
            static = name in required
            hidden_by = [] if static or child_pointer in self.triggers else sorted(set(show.get(name, [])))
            if name in props and name not in need:
                hidden_by = []  # a base property only refined by a branch stays visible
            if self.resolve(sub, res)[0].get("x-always-shown"):
                hidden_by = []  # the schema says this part concerns every dossier, required or not
            children.append(self.node(sub, res, child_pointer, name, static, hidden_by,
                                      [] if static else sorted(set(need.get(name, []))), passed.get(name, ())))
        return children


def build_form(schema_name: str) -> tuple[Node, dict]:
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


def render_form(env, call, closing: str | None = None) -> str:
    root, conditions = build_form(call.schema)
    template = env.get_template("partials/form/form.html")
    # The report of the empty dossier: its ranked questions show before the checker has loaded.
    initial = json.dumps(check(call.id, {"call": call.id}).to_json(), ensure_ascii=False, separators=(",", ":"))
    return template.module.form(steps(root), call.id, json.dumps(conditions, ensure_ascii=False, sort_keys=True),
                                closing or "", initial)


_cache: dict[str, str] = {}


def on_pre_build(config):
    _cache.clear()


def on_page_context(context, page, config, nav):
    call_id = (page.meta or {}).get("id")
    call = all_calls().get(call_id) if call_id else None
    if call is None:
        return context
    if call.id not in _cache:
        _cache[call.id] = render_form(config.theme.get_env(), call, (page.meta or {}).get("date_cloture"))
    context["checker_form"] = _cache[call.id]
    context["checker_call"] = call.id
    _add_to_toc(page)
    return context


def _add_to_toc(page) -> None:
    """The form is drawn by the theme, not written in the page: give it its entry in the table of contents."""
    from mkdocs.structure.toc import AnchorLink

    if page.toc is not None and not any(item.id == "verification" for item in page.toc.items):
        items = page.toc.items[0].children if len(page.toc.items) == 1 and page.toc.items[0].level == 1 else page.toc.items
        items.append(AnchorLink("Vérifier mon éligibilité", "verification", 2))
