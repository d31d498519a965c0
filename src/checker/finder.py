"""Which calls fit a collectivité: every call's own rules, run on the applicant block alone.

The finder knows nothing of any call: it fills the shared applicant block from the official
data, runs each call's checker, and reads the report. The deadline (always a call's first
rule) gives the status by today's date; the other blocking rules say whether the entity may
apply, and the first one that fails is the reason given, with its clause.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from .dates import today_paris
from .engine import all_calls, check
from .model import Status
from .money import to_decimal


@dataclass(frozen=True)
class Finding:
    call: str
    title: str
    page: str
    closed: bool
    status_message: str
    verdict: str  # "eligible" | "non_eligible" | "a_completer"
    reason: str | None
    clause: str | None
    to_complete: int
    held: list[str]  # labels of the blocking conditions this applicant already meets


    def to_json(self) -> dict:
        return asdict(self)


def dossier_for(applicant: dict, nature: str | None = None, amount=None, on: date | None = None) -> dict:
    """The dossier the finder checks: the applicant block, today's filing date, the optional project."""
    project = {"filing_date": (on or today_paris()).isoformat()}
    if nature:
        project["title"] = nature
        project["summary"] = nature
    dossier: dict = {"applicant": applicant, "project": project}
    if amount:
        value = to_decimal(amount)
        dossier["budget"] = {"expenses": [{"label": nature or "Projet", "amount": value}], "resources": []}
    return dossier


def find(applicant: dict, nature: str | None = None, amount=None, on: date | None = None) -> list[Finding]:
    """Every call's verdict for this applicant; amount is a Decimal (or a numeric string)."""
    dossier = dossier_for(applicant, nature, amount, on)
    findings = []
    for call in all_calls().values():
        report = check(call.id, dossier)
        deadline, *others = report.verdicts
        blocking = [v for v in others if v.blocking]
        failed = next((v for v in blocking if v.status == Status.KO.value), None)
        # Missing answers (the finder fills only the applicant) and judgements left to the instructor alike.
        unsure = [v for v in blocking if v.status in (Status.TO_CHECK.value, Status.TO_COMPLETE.value)]
        verdict = "non_eligible" if failed else ("a_completer" if unsure else "eligible")
        findings.append(Finding(
            call=call.id, title=call.title, page=call.page,
            closed=deadline.status == Status.KO.value, status_message=deadline.message,
            verdict=verdict, reason=failed.message if failed else None,
            clause=failed.clause if failed else None, to_complete=len(unsure),
            held=[v.label for v in blocking if v.status == Status.OK.value]))
    return findings
