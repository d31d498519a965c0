"""Which calls fit a collectivité: every call's own rules, run on what the finder knows.

The finder knows nothing of any call: it fills the shared applicant block from the official
data, adds today's filing date and, when the reader gave them, the nature of the project and its
cost, runs each call's checker and reads the report. The call's window (its params.json) says
whether it is closed by today's date, and its deadline rule (always a call's first) says so in
words; the other blocking rules say whether the entity may apply.

The finder judges only what it can decide. A rule is decided by the finder when every field it
read is one the finder filled in; a rule that read anything else — an answer the dossier has not
given yet, such as the resources of a budget of which the finder knows only the cost — is
undecided (« à compléter »), whatever it concluded. So typing the cost never makes a call
« Non éligible » because the resources, which nobody typed, do not cover it.

- `non_eligible`: a decided blocking rule fails; the first one is the reason, with its clause.
- `a_completer`: some blocking rule is undecided. Among them, `conditions` names those this
  kind of applicant brings: decided and met for another kind, undecided for this one (a commune
  may apply to the Pass numériques only as a groupement). They come first, with their clause.
- `eligible`: every blocking rule is decided and met.

Closed calls keep that verdict for the record, but their `badge` is « clos »: nothing can be
completed for them any more. They are listed after the open ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from .dates import today_paris
from .dossier import Dossier
from .engine import all_calls, check
from .model import Status
from .money import to_decimal
from .rules import Call, Rule
from .vocabulary import applicant_kinds

DECIDED = (Status.OK.value, Status.KO.value, Status.TO_CHECK.value)


@dataclass(frozen=True)
class Condition:
    """A condition this kind of applicant brings, still to answer: the rule's label and clause, and
    what the rule says when the text leaves it to the instructor (else None: answers are missing)."""

    rule: str
    label: str
    clause: str
    message: str | None = None


@dataclass(frozen=True)
class Finding:
    call: str
    title: str
    page: str
    closed: bool
    status_message: str
    verdict: str  # the applicant's, even for a closed call: "eligible" | "non_eligible" | "a_completer"
    reason: str | None  # the first decided blocking failure (non_eligible only)
    clause: str | None
    to_complete: int  # blocking conditions the finder cannot decide
    held: list[str]  # labels of the blocking conditions this applicant already meets
    badge: str = ""  # what the finder shows: "clos" for a closed call, else the verdict
    conditions: list[Condition] = field(default_factory=list)  # brought by this kind of applicant

    def to_json(self) -> dict:
        return asdict(self)


def dossier_for(applicant: dict, nature: str | None = None, amount=None, on: date | None = None) -> dict:
    """The dossier the finder checks: the applicant block, today's filing date, the optional project.
    The cost is one expense line; the resources are left out, since the finder does not know them."""
    project = {"filing_date": (on or today_paris()).isoformat()}
    if nature:
        project["title"] = nature
        project["summary"] = nature
    dossier: dict = {"applicant": applicant, "project": project}
    if amount:
        value = to_decimal(amount)
        dossier["budget"] = {"expenses": [{"label": nature or "Projet", "amount": value}]}
    return dossier


class _Reading(Dossier):
    """A dossier that notes every path a rule looks up, present or not."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def _lookup(self, path: str) -> Any:
        self.read.add(path)
        return super()._lookup(path)


def known_paths(data: Any, prefix: str = "") -> set[str]:
    """Every dotted path the finder's dossier holds a value at (containers included)."""
    found: set[str] = set()
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        path = f"{prefix}{key}"
        if value is None or value == "":
            continue
        found.add(path)
        found |= known_paths(value, path + ".")
    return found


def _decision(rule: Rule, data: dict, known: set[str]) -> str | None:
    """The rule's status when it reads only what the finder knows; None when it is undecided."""
    dossier = _Reading(data)
    try:
        outcome = rule.check(dossier)
    except Exception:  # noqa: BLE001 — missing or unreadable data: the rule cannot conclude here
        return None
    return outcome.status.value if dossier.read <= known else None


def _brought_by_kind(rule: Rule, data: dict) -> bool:
    """Is the rule decided and met for some other kind of applicant? Then this kind brings it."""
    kind = data.get("applicant", {}).get("kind")
    for other in applicant_kinds():
        if other == kind:
            continue
        variant = {**data, "applicant": {**data["applicant"], "kind": other}}
        if _decision(rule, variant, known_paths(variant)) == Status.OK.value:
            return True
    return False


def judge(call: Call, data: dict) -> Finding:
    """One call's finding for the finder's dossier."""
    report = check(call.id, data)
    rules = {rule.id: rule for rule in call.rules}
    known = known_paths(data)
    deadline, *others = report.verdicts
    filed = data.get("project", {}).get("filing_date")
    day = date.fromisoformat(filed) if filed else today_paris()
    closed = call.closes is not None and day > call.closes.date()
    failed, held, undecided = None, [], []
    for verdict in (v for v in others if v.blocking):
        status = _decision(rules[verdict.rule], data, known) if verdict.status in DECIDED else None
        if status == Status.KO.value and failed is None:
            failed = verdict
        elif status == Status.OK.value:
            held.append(verdict.label)
        elif status != Status.KO.value:
            undecided.append(verdict)
    conditions = [
        Condition(v.rule, v.label, v.clause, v.message if v.status == Status.TO_CHECK.value else None)
        for v in undecided
        if _brought_by_kind(rules[v.rule], data)
    ]
    verdict = "non_eligible" if failed else ("a_completer" if undecided else "eligible")
    return Finding(
        call=call.id,
        title=call.title,
        page=call.page,
        closed=closed,
        status_message=deadline.message,
        verdict=verdict,
        reason=failed.message if failed else None,
        clause=failed.clause if failed else None,
        to_complete=len(undecided),
        held=held,
        badge="clos" if closed else verdict,
        conditions=[] if failed else conditions,
    )


def find(applicant: dict, nature: str | None = None, amount=None, on: date | None = None) -> list[Finding]:
    """Every call's finding for this applicant, open calls first; amount is a Decimal (or a numeric string)."""
    data = dossier_for(applicant, nature, amount, on)
    findings = [judge(call, data) for call in all_calls().values()]
    return sorted(findings, key=lambda f: f.closed)
