"""How a call's rules are declared: one small unit per rule, its clause beside its code.

A rule is an id, a French label, the anchor of the clause it enforces on the call's page,
a severity, and a pure function of the dossier returning an Outcome. A figure is a budget
amount the call lets us compute (a ceiling, a maximum grant), with its formula in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from .dossier import Dossier
from .model import Outcome


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    clause: str  # anchor id on the call's page, without '#'
    blocking: bool
    check: Callable[[Dossier], Outcome]


@dataclass(frozen=True)
class FigureValue:
    value: Decimal | str
    formula: str


@dataclass(frozen=True)
class FigureRule:
    id: str
    label: str
    compute: Callable[[Dossier], FigureValue | None]


class RuleSet:
    """The ordered rules and figures of one call; declaration order is report order."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.figures: list[FigureRule] = []

    def rule(self, id: str, label: str, clause: str, blocking: bool = True):
        def register(check: Callable[[Dossier], Outcome]) -> Callable[[Dossier], Outcome]:
            self.add(Rule(id, label, clause, blocking, check))
            return check

        return register

    def add(self, rule: Rule) -> None:
        if any(r.id == rule.id for r in self.rules):
            raise ValueError(f"duplicate rule id {rule.id}")
        self.rules.append(rule)

    def figure(self, id: str, label: str):
        def register(compute: Callable[[Dossier], FigureValue | None]):
            self.figures.append(FigureRule(id, label, compute))
            return compute

        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)


@dataclass(frozen=True)
class Call:
    """A call (or a measure of a letter): its schema plus its list of rules."""

    id: str
    title: str
    page: str  # site path of the call's page, e.g. 'appels/fitn7-saone-et-loire/'
    schema: str  # file name in schemas/
    rules: RuleSet
    params: "Params"

    def clause_url(self, anchor: str) -> str:
        return f"{self.page}#{anchor}"


from .params import Params  # noqa: E402  (type used above in a string annotation)
