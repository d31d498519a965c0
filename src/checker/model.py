"""The report: plain data that serialises to the JSON contract other tools rely on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Status(str, Enum):
    OK = "ok"
    KO = "ko"
    TO_CHECK = "a_verifier"


STATUS_LABELS = {Status.OK: "respectée", Status.KO: "non respectée", Status.TO_CHECK: "à vérifier"}


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


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    value: str
    formula: str


@dataclass(frozen=True)
class SchemaError:
    path: str
    message: str


@dataclass
class Report:
    call: str
    eligible: bool | None
    verdicts: list[Verdict] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    schema_errors: list[SchemaError] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def overall(verdicts: list[Verdict], schema_errors: list[SchemaError]) -> bool | None:
    """False on any blocking failure; None while anything blocking is unsure or data is invalid."""
    blocking = [v for v in verdicts if v.blocking]
    if any(v.status == Status.KO.value for v in blocking):
        return False
    if schema_errors or any(v.status == Status.TO_CHECK.value for v in blocking):
        return None
    return True
