"""How a call's rules are declared: one small unit per rule, its clause beside its code.

A rule is an id, a French label, the anchor of the clause it enforces on the call's page,
a severity, and a pure function of the dossier returning an Outcome. A figure is a budget
amount the call lets us compute (a ceiling, a maximum grant), with its formula in French.

A call's RuleSet knows the call's parameters and its rule-id prefix: `rules.rule("taux", "Au
plus {rate} des dépenses", …)` declares « fitn7.taux », labelled « Au plus 70 % des dépenses ».
A rule that concerns only some dossiers says so with `applies=`: elsewhere it is « sans objet ».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from functools import wraps
from typing import Callable, Iterator

from .dossier import Dossier
from .model import Outcome, ok
from .params import Params, call_file, end_of_day, package_of


@dataclass(frozen=True)
class Applies:
    """When a rule concerns a dossier. Where `test` is false, the rule holds as « Sans objet », followed
    by `reason(d)`: « pour l'appui financier (phase 2). », « : le porteur n'est pas une commune. »"""

    test: Callable[[Dossier], bool]
    reason: Callable[[Dossier], str]


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    clause: str  # anchor id on the call's page, without '#'
    blocking: bool
    check: Callable[[Dossier], Outcome]
    applies: Applies | None = None


@dataclass(frozen=True)
class FigureValue:
    value: Decimal | str
    formula: str


@dataclass(frozen=True)
class FigureRule:
    id: str
    label: str
    compute: Callable[[Dossier], FigureValue | None]


def call_id_of(module: str) -> str:
    """checker.calls.fitn7_saone_et_loire[.rules] → 'fitn7-saone-et-loire'."""
    return package_of(module).rsplit(".", 1)[-1].replace("_", "-")


def _scoped(check: Callable[[Dossier], Outcome], applies: Applies) -> Callable[[Dossier], Outcome]:
    @wraps(check)
    def scoped(d: Dossier) -> Outcome:
        if not applies.test(d):
            return ok(f"Sans objet {applies.reason(d)}")
        return check(d)

    return scoped


class RuleSet:
    """The ordered rules and figures of one call; declaration order is report order.

    `params`: the call's parameters, which labels interpolate; `prefix`: the call's rule-id prefix
    (« fitn7 »), put before every id declared here. A bare RuleSet() takes ids and labels as given."""

    def __init__(self, params: Params | None = None, prefix: str = "", schema: str | None = None) -> None:
        self.params = params
        self.prefix = prefix
        self.schema = schema  # the call's schema, where shared rules find its category labels and titles
        self.rules: list[Rule] = []
        self.figures: list[FigureRule] = []

    @classmethod
    def of(cls, module: str, prefix: str) -> "RuleSet":
        """The rule set of the call whose folder holds `module`: its parameters, its prefix, its schema."""
        return cls(Params.load(module), prefix, schema=f"{call_id_of(module)}.schema.json")

    def full_id(self, id: str) -> str:
        return f"{self.prefix}.{id}" if self.prefix else id

    def label(self, text: str) -> str:
        return self.params.format(text) if self.params is not None else text

    def rule(
        self,
        id: str,
        label: str,
        clause: str,
        blocking: bool = True,
        applies: Applies | None = None,
        doc: str | None = None,
    ):
        """Declare the decorated function as a rule; `doc` replaces its docstring (a builder's quote)."""

        def register(check: Callable[[Dossier], Outcome]) -> Callable[[Dossier], Outcome]:
            if doc is not None:
                check.__doc__ = doc
            run = _scoped(check, applies) if applies is not None else check
            self.add(Rule(self.full_id(id), self.label(label), clause, blocking, run, applies))
            return check

        return register

    def add(self, rule: Rule) -> None:
        if any(r.id == rule.id for r in self.rules):
            raise ValueError(f"duplicate rule id {rule.id}")
        self.rules.append(rule)

    def figure(self, id: str, label: str):
        def register(compute: Callable[[Dossier], FigureValue | None]):
            self.figures.append(FigureRule(self.full_id(id), self.label(label), compute))
            return compute

        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)


@dataclass(frozen=True)
class Call:
    """A call (or a measure of a letter): its schema plus its list of rules, and its window."""

    id: str
    title: str
    page: str  # site path of the call's page, e.g. 'appels/fitn7-saone-et-loire/'
    schema: str  # file name in schemas/
    rules: RuleSet
    params: Params
    opens: datetime | None = None  # None: open from the start (or the text gives no date)
    closes: datetime | None = None  # None: no closing date (candidatures au fil de l'eau)

    def clause_url(self, anchor: str) -> str:
        return f"{self.page}#{anchor}"

    @classmethod
    def of(cls, module: str, rules: RuleSet, letter: str | None = None) -> "Call":
        """The call of a folder calls/<id with _ for ->/: its id, page and schema follow from the folder's
        name, its title and window from its params.json. A measure of a letter with several measures
        (`letter`, the letter's folder in docs/appels/) has its page in that folder, named after the rest of its id."""
        package, call_id = package_of(module), call_id_of(module)
        if rules.params is None:
            raise ValueError(f"{call_id}: the RuleSet must be given the call's Params")
        page = f"appels/{call_id}/"
        if letter is not None:
            if not call_id.startswith(letter + "-"):
                raise ValueError(f"{call_id}: a measure's id starts with its letter's ({letter})")
            page = f"appels/{letter}/{call_id[len(letter) + 1 :]}/"
        data = call_file(package)
        window = data.get("window", {})
        moment = {edge: rules.params[window[edge]].value if edge in window else None for edge in ("opens", "closes")}
        return cls(
            id=call_id,
            title=data["title"],
            page=page,
            schema=f"{call_id}.schema.json",
            rules=rules,
            params=rules.params,
            opens=end_of_day(moment["opens"], at=time(0, 0)),
            closes=end_of_day(moment["closes"]),
        )
