"""A Report as plain French text, for a person reading a terminal.

Every piece of text that may come from the dossier (messages quoting it, field paths, the
applicant's name) goes through dossier.printable: one report line is one line, whatever a name
holds (a newline cannot forge a second « Résultat : » line, an escape sequence cannot clear the
terminal), and nothing fails to encode.
"""

from __future__ import annotations

from collections import Counter

from .dossier import printable as _p
from .model import ELIGIBLE, NOT_ELIGIBLE, STATUS_LABELS, STATUS_PLURALS, TO_CHECK, Report, Status

_MARKS = {
    Status.OK.value: "[ok]",
    Status.KO.value: "[KO]",
    Status.TO_CHECK.value: "[ ? ]",
    Status.TO_COMPLETE.value: "[ _ ]",
}
_LABELS = {s.value: label for s, label in STATUS_LABELS.items()}
_PLURALS = {s.value: label for s, label in STATUS_PLURALS.items()}


def plural(count: int, singular: str, several: str | None = None) -> str:
    """'1 réponse', '3 réponses', '0 réponse' (French: zero and one take the singular)."""
    return f"{count} {singular if count <= 1 else several or singular + 's'}"


def verdict_line(report: Report | bool | None) -> str:
    """The first thing the reader sees: the dossier's verdict and why, in one sentence."""
    if not isinstance(report, Report):  # a bare `eligible`, as before the dossier verdict existed
        report = Report("", report)
    blocking = [v for v in report.verdicts if v.blocking]
    if report.verdict == ELIGIBLE:
        return "ÉLIGIBLE : toutes les conditions bloquantes sont respectées."
    if report.verdict == NOT_ELIGIBLE:
        failed = sum(v.status == Status.KO.value for v in blocking)
        if failed > 1:
            return f"NON ÉLIGIBLE : {failed} conditions bloquantes ne sont pas respectées."
        return (
            "NON ÉLIGIBLE : au moins une condition bloquante n'est pas respectée."
            if not failed
            else "NON ÉLIGIBLE : une condition bloquante n'est pas respectée."
        )
    if report.verdict == TO_CHECK:
        unsure = sum(v.status == Status.TO_CHECK.value for v in blocking)
        return (
            f"À VÉRIFIER : aucune condition bloquante n'est refusée, mais {plural(unsure, 'condition')} "
            f"{'relève' if unsure <= 1 else 'relèvent'} de l'appréciation du service instructeur."
        )
    parts = []
    deciding = [q for q in report.questions if q.blocking]
    if deciding:
        parts.append(
            f"{plural(len(deciding), 'réponse')} {'manque' if len(deciding) == 1 else 'manquent'} pour conclure"
        )
    invalid = [e for e in report.schema_errors if e.blocks_verdict]
    if invalid:
        parts.append(f"le formulaire contient {plural(len(invalid), 'erreur')} à corriger")
    if not parts:
        parts.append("des données sont à compléter ou à corriger")
    return f"À COMPLÉTER : {' ; '.join(parts)}."


def render(report: Report, title: str | None = None) -> str:
    """The verdict first; then what fails, what the instructor must judge, the answers still missing
    (the most decisive first), the form's errors; then what holds, and the computed amounts."""
    lines = [
        f"Appel : {_p(report.call)}" + (f" — {_p(title)}" if title else ""),
        "",
        f"Résultat : {verdict_line(report)}",
    ]
    lines += _counts(report)
    failed = [v for v in report.verdicts if v.status == Status.KO.value and v.blocking]
    warnings = [v for v in report.verdicts if v.status == Status.KO.value and not v.blocking]
    unsure = [v for v in report.verdicts if v.status == Status.TO_CHECK.value]
    held = [v for v in report.verdicts if v.status == Status.OK.value]
    undecided = [v for v in report.verdicts if v.status == Status.TO_COMPLETE.value]
    lines += _section(f"Conditions bloquantes non respectées ({len(failed)}) :", failed)
    lines += _section(f"Conditions indicatives non respectées ({len(warnings)}) :", warnings)
    lines += _section(f"À vérifier ({len(unsure)}) :", unsure)
    if report.questions:
        count = len(report.questions)
        verb = "manque" if count == 1 else "manquent"
        goal = "pour conclure" if any(q.blocking for q in report.questions) else "aux conditions indicatives"
        lines += ["", f"{plural(count, 'réponse')} {verb} {goal}, les plus décisives d'abord :"]
        for rank, q in enumerate(report.questions, 1):
            lines.append(f"  {rank}. « {_p(q.title)} » ({_p(q.pointer)}) — {_needed_by(len(q.rules), q.blocking)}")
    invalid = [v for v in undecided if not v.missing]
    lines += _section(f"Conditions à compléter faute de données valides ({len(invalid)}) :", invalid)
    invalid = [e for e in report.schema_errors if e.blocks_verdict]
    if invalid:
        lines += ["", f"Erreurs du formulaire ({len(invalid)}) :"]
        lines += [f"  - {_p(error.message)} (champ {_p(error.path)})" for error in invalid]
    missing = [e for e in report.schema_errors if not e.blocks_verdict]
    if missing:
        lines += ["", f"À remplir avant le dépôt ({len(missing)}) :"]
        lines += [f"  - {_p(error.message)} (champ {_p(error.path)})" for error in missing]
    lines += _section(f"Conditions respectées ({len(held)}) :", held)
    if report.figures:
        lines += ["", "Montants calculés :"]
        for f in report.figures:
            lines.append(f"  - {_p(f.label)} : {_p(f.value)}")
            lines.append(f"        {_p(f.formula)}")
    return "\n".join(lines) + "\n"


def _section(heading: str, verdicts: list) -> list[str]:
    if not verdicts:
        return []
    lines = ["", heading]
    for v in verdicts:
        kind = "bloquante" if v.blocking else "indicative"
        lines.append(
            f"  {_p(_MARKS.get(v.status, v.status)):5} {_p(v.label)} — {_p(_LABELS.get(v.status, v.status))} ({kind})"
        )
        lines.append(f"        {_p(v.message)}")
        lines.append(f"        Texte : {_p(v.clause)}")
    return lines


def _needed_by(rules: int, blocking: int) -> str:
    """« requise par 3 conditions, dont 2 bloquantes »."""
    if rules == 1:
        return f"requise par 1 condition {'bloquante' if blocking else 'indicative'}"
    if blocking == rules:
        return f"requise par {rules} conditions bloquantes"
    if not blocking:
        return f"requise par {rules} conditions indicatives"
    return f"requise par {rules} conditions, dont {plural(blocking, 'bloquante')}"


def _counts(report: Report) -> list[str]:
    counts = Counter(v.status for v in report.verdicts)
    parts = [
        f"{counts[s.value]} {_PLURALS[s.value] if counts[s.value] > 1 else _LABELS[s.value]}"
        for s in Status
        if counts[s.value]
    ]
    return [f"Conditions : {', '.join(parts)}."] if parts else []


_FINDING_LABELS = {"eligible": "rien ne l'exclut", "non_eligible": "NON ÉLIGIBLE", "a_completer": "à compléter"}


def render_findings(entity, epci, findings) -> str:
    """The finder's answer: for each call, its status today and this applicant's verdict."""
    where = f"département {_p(str(entity.departement))}" if entity.departement else f"région {_p(str(entity.region))}"
    lines = [
        f"Porteur : {_p(str(entity.name))} ({_p(str(entity.kind))}, {where}"
        + (f", SIREN {_p(str(entity.siren))}" if entity.siren else "")
        + ")"
    ]
    if epci:
        lines.append(f"Intercommunalité : {_p(str(epci.name))} (SIREN {_p(str(epci.siren))})")
    for f in findings:
        lines += [
            "",
            f"{_p(f.title)} [{_p(f.call)}]",
            f"  Calendrier : {_p(f.status_message)}",
            f"  Pour ce porteur : {_FINDING_LABELS.get(f.verdict, _p(str(f.verdict)))}",
        ]
        if f.reason:
            lines += [f"  Motif : {_p(f.reason)}", f"  Texte : {_p(str(f.clause))}"]
        elif f.to_complete:
            lines.append(f"  {f.to_complete} condition{'s' if f.to_complete > 1 else ''} à compléter dans le dossier.")
        if f.held:
            lines.append(f"  Conditions déjà remplies : {' ; '.join(_p(h) for h in f.held)}.")
    return "\n".join(lines) + "\n"
