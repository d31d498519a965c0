"""The report: plain data that serialises to the JSON contract other tools rely on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Status(str, Enum):
    OK = "ok"
    KO = "ko"
    TO_CHECK = "a_verifier"  # the text leaves the judgement to the instructor
    TO_COMPLETE = "a_completer"  # the dossier lacks an answer the rule needs


STATUS_LABELS = {
    Status.OK: "respectée",
    Status.KO: "non respectée",
    Status.TO_CHECK: "à vérifier",
    Status.TO_COMPLETE: "à compléter",
}
STATUS_PLURALS = {
    Status.OK: "respectées",
    Status.KO: "non respectées",
    Status.TO_CHECK: "à vérifier",
    Status.TO_COMPLETE: "à compléter",
}

# The dossier's verdict, from the most to the least decisive.
NOT_ELIGIBLE, TO_COMPLETE, TO_CHECK, ELIGIBLE = "non_eligible", "a_completer", "a_verifier", "eligible"


@dataclass(frozen=True)
class Outcome:
    """What a rule function returns: a status and a French message with its figures."""

    status: Status
    message: str


def ok(message: str) -> Outcome:
    return Outcome(Status.OK, message)


def ko(message: str) -> Outcome:
    return Outcome(Status.KO, message)


def to_check(message: str) -> Outcome:
    return Outcome(Status.TO_CHECK, message)


@dataclass(frozen=True)
class Verdict:
    rule: str
    label: str
    status: str
    blocking: bool
    message: str
    clause: str
    missing: list[str] = field(default_factory=list)  # JSON pointers the rule still needs; [] once decided


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    value: str
    formula: str


@dataclass(frozen=True)
class SchemaError:
    """One field's problem: `missing` (a field the dossier must have before it is filed) or
    `invalid` (a value the checker cannot read as the schema says)."""

    path: str
    message: str
    kind: str = "invalid"

    @property
    def blocks_verdict(self) -> bool:
        # A missing contact or title does not make a project more or less eligible: only a
        # missing answer a rule needs does (its rule is « à compléter »), or an unreadable value.
        return self.kind != "missing"


@dataclass(frozen=True)
class Question:
    """An answer the dossier still lacks: the field, and the undecided rules waiting for it."""

    pointer: str
    title: str
    rules: list[str]
    blocking: int  # how many undecided blocking rules need it


@dataclass
class Report:
    call: str
    eligible: bool | None
    verdicts: list[Verdict] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    schema_errors: list[SchemaError] = field(default_factory=list)
    verdict: str | None = None  # "eligible" | "non_eligible" | "a_completer" | "a_verifier"; derived when omitted
    questions: list[Question] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.verdict is None:
            self.verdict = _verdict_for(self.eligible, dossier_verdict(self.verdicts, self.schema_errors))

    def to_json(self) -> dict:
        data = asdict(self)
        order = ("call", "verdict", "eligible", "verdicts", "questions", "figures", "schema_errors")
        return {key: data[key] for key in order}


def dossier_verdict(verdicts: list[Verdict], schema_errors: list) -> str:
    """A decided blocking failure first, even while answers are missing; then what is missing; then
    what the instructor must judge; eligible only when every blocking condition holds."""
    statuses = {v.status for v in verdicts if v.blocking}
    if Status.KO.value in statuses:
        return NOT_ELIGIBLE
    if any(getattr(e, "blocks_verdict", True) for e in schema_errors) or Status.TO_COMPLETE.value in statuses:
        return TO_COMPLETE
    if Status.TO_CHECK.value in statuses:
        return TO_CHECK
    return ELIGIBLE


def overall(verdicts: list[Verdict], schema_errors: list) -> bool | None:
    """The `eligible` of the report: False on any blocking failure; True only for an eligible
    dossier; None while anything blocking is missing or unsure, or the data is invalid."""
    return eligible_of(dossier_verdict(verdicts, schema_errors))


def eligible_of(verdict: str) -> bool | None:
    return True if verdict == ELIGIBLE else False if verdict == NOT_ELIGIBLE else None


def _verdict_for(eligible: bool | None, computed: str) -> str:
    """A report built by hand with only `eligible` keeps it; otherwise the verdicts decide."""
    if eligible is True:
        return ELIGIBLE
    if eligible is False:
        return NOT_ELIGIBLE
    return computed if computed in (TO_COMPLETE, TO_CHECK) else TO_COMPLETE
