"""A Report as plain French text, for a person reading a terminal."""

from __future__ import annotations

from collections import Counter

from .model import STATUS_LABELS, Report, Status

_MARKS = {Status.OK.value: "[ok]", Status.KO.value: "[KO]", Status.TO_CHECK.value: "[ ? ]"}
_LABELS = {s.value: label for s, label in STATUS_LABELS.items()}
_PLURALS = {Status.OK.value: "respectées", Status.KO.value: "non respectées", Status.TO_CHECK.value: "à vérifier"}


def verdict_line(eligible: bool | None) -> str:
    if eligible is True:
        return "ÉLIGIBLE : toutes les conditions bloquantes sont respectées."
    if eligible is False:
        return "NON ÉLIGIBLE : au moins une condition bloquante n'est pas respectée."
    return "À COMPLÉTER : des conditions restent à vérifier ou le dossier contient des erreurs."


def render(report: Report, title: str | None = None) -> str:
    lines = [f"Appel : {report.call}" + (f" — {title}" if title else ""), "", f"Résultat : {verdict_line(report.eligible)}"]
    lines += _counts(report)
    if report.schema_errors:
        lines += ["", f"Erreurs du formulaire ({len(report.schema_errors)}) :"]
        lines += [f"  - {error.message} (champ {error.path})" for error in report.schema_errors]
    if report.verdicts:
        lines += ["", "Conditions :"]
        for v in report.verdicts:
            kind = "bloquante" if v.blocking else "indicative"
            lines.append(f"  {_MARKS.get(v.status, v.status):5} {v.label} — {_LABELS.get(v.status, v.status)} ({kind})")
            lines.append(f"        {v.message}")
            lines.append(f"        Texte : {v.clause}")
    if report.figures:
        lines += ["", "Montants calculés :"]
        for f in report.figures:
            lines.append(f"  - {f.label} : {f.value}")
            lines.append(f"        {f.formula}")
    return "\n".join(lines) + "\n"


def _counts(report: Report) -> list[str]:
    counts = Counter(v.status for v in report.verdicts)
    parts = [f"{counts[s.value]} {_PLURALS[s.value] if counts[s.value] > 1 else _LABELS[s.value]}" for s in Status if counts[s.value]]
    return [f"Conditions : {', '.join(parts)}."] if parts else []


_FINDING_LABELS = {"eligible": "rien ne l'exclut", "non_eligible": "NON ÉLIGIBLE", "a_completer": "à compléter"}


def render_findings(entity, epci, findings) -> str:
    """The finder's answer: for each call, its status today and this applicant's verdict."""
    where = f"département {entity.departement}" if entity.departement else f"région {entity.region}"
    lines = [f"Porteur : {entity.name} ({entity.kind}, {where}" + (f", SIREN {entity.siren}" if entity.siren else "") + ")"]
    if epci:
        lines.append(f"Intercommunalité : {epci.name} (SIREN {epci.siren})")
    for f in findings:
        lines += ["", f"{f.title} [{f.call}]", f"  Calendrier : {f.status_message}",
                  f"  Pour ce porteur : {_FINDING_LABELS[f.verdict]}"]
        if f.reason:
            lines += [f"  Motif : {f.reason}", f"  Texte : {f.clause}"]
        elif f.to_complete:
            lines.append(f"  {f.to_complete} condition(s) à compléter dans le dossier.")
        if f.held:
            lines.append(f"  Conditions déjà remplies : {' ; '.join(f.held)}.")
    return "\n".join(lines) + "\n"
