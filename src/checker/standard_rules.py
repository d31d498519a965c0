"""Rules that every call states the same way: the deadline, a yes/no condition, the budget's own
arithmetic, identifiers, and the expenses a text excludes or limits (read from the budget lines
and their categories).

Every builder has one signature, the decorator's with the rule set first:
`builder(rules, id, source, *, label=…, blocking=…, applies=…, quote=…, <its own options>)`.
`id` is the rule's id within the call (the RuleSet adds the call's prefix); `source` is the
parameter the rule enforces (its clause and its value) or, for a rule without a figure, the anchor
of its clause; `label` may interpolate the call's parameters; `quote`, the sentence of the text the
rule encodes, becomes its docstring. The two rule sets at the end (`budget_consistency_rules`,
`identifier_rules`) declare rules of fixed ids and labels, the same in every call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from decimal import Decimal

from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from .budget import categorised_expenses, eligible_base, expenses_in, total_expenses, total_resources
from .dates import fr_date, fr_datetime, paris
from .dossier import Dossier, MissingData
from .model import Outcome, ko, ok, to_check
from .money import euros, percent
from .params import Param
from .rules import Applies, RuleSet
from .schemas import title_at
from .vocabulary import expense_categories

Source = Param | str  # the parameter a rule enforces, or the anchor of its clause


def clause_of(source: Source) -> str:
    return source.clause if isinstance(source, Param) else source


def filing_moment(d: Dossier) -> tuple[datetime, bool]:
    """When the dossier is filed (Paris time), and whether the hour was given."""
    day = d.date("project.filing_date")
    hour = d.opt("project.filing_time")
    if hour:
        hh, mm = (int(x) for x in hour.split(":"))
        return paris(day, time(hh, mm)), True
    return paris(day), False


def deadline_check(deadline: datetime, opening: datetime | None = None) -> Callable[[Dossier], Outcome]:
    """The check of a closing date (and an opening date) against the dossier's filing date and hour."""

    def check_deadline(d: Dossier) -> Outcome:
        moment, has_hour = filing_moment(d)
        if opening is not None and moment.date() < opening.date():
            return ko(
                f"Appel pas encore ouvert : ouverture le {fr_date(opening.date())}, dépôt le {fr_date(moment.date())}."
            )
        if moment.date() > deadline.date():
            return ko(
                f"Appel clos : la date limite était le {fr_datetime(deadline)} ; dépôt le {fr_date(moment.date())}."
            )
        if moment.date() < deadline.date():
            return ok(f"Dépôt le {fr_date(moment.date())}, avant la date limite du {fr_datetime(deadline)}.")
        if deadline.time() >= time(23, 59):
            return ok(f"Dépôt le jour de la clôture ({fr_date(moment.date())}), admis jusqu'à la fin de la journée.")
        if not has_hour:
            raise MissingData(
                "project.filing_time",
                why=f"Dépôt le jour de la clôture : la limite est le {fr_datetime(deadline)} ; "
                "indiquez l'heure de dépôt.",
            )
        if moment <= deadline:
            return ok(f"Dépôt le {fr_datetime(moment)}, avant la limite du {fr_datetime(deadline)}.")
        return ko(f"Dépôt le {fr_datetime(moment)}, après la limite du {fr_datetime(deadline)}.")

    return check_deadline


def deadline_rule(
    rules: RuleSet,
    id: str,
    source: Source,
    deadline: datetime | None = None,
    *,
    label: str = "Date limite de dépôt",
    opening: Param | datetime | None = None,
    quote: str | None = None,
) -> None:
    """The call's closing date (the parameter `source`), judged against the dossier's filing date.
    Declare it first. A toy call may give a clause and the date (`deadline`) instead of a parameter."""
    closing = source.value if deadline is None else deadline
    opens = opening.value if isinstance(opening, Param) else opening
    rules.rule(id, label, clause_of(source), doc=quote)(deadline_check(closing, opens))


def unticked(d: Dossier, fields: dict[str, str]) -> list[str]:
    """The labels of the yes/no answers at `fields` (path → label) that do not hold, in order."""
    return [label for path, label in fields.items() if not d.flag(path)]


def flag_rule(
    rules: RuleSet,
    id: str,
    source: Source,
    *,
    label: str,
    field: str,
    held: str,
    unmet: str,
    blocking: bool = True,
    applies: Applies | None = None,
    quote: str | None = None,
) -> None:
    """A yes/no condition of the text: the answer at `field` holds (`held`) or not (`unmet`)."""

    @rules.rule(id, label, clause_of(source), blocking=blocking, applies=applies, doc=quote)
    def check(d: Dossier) -> Outcome:
        return ok(held) if d.flag(field) else ko(unmet)


def budget_consistency_rules(
    rules: RuleSet,
    source: Source,
    *,
    within: str | None = None,
    balance_required: bool = True,
    applies: Applies | None = None,
) -> None:
    """Declared totals equal the sum of their lines; resources cover exactly the expenses.
    Ids `total_depenses` and `equilibre`, under `within.` when given."""
    group = f"{within}." if within else ""

    @rules.rule(
        f"{group}total_depenses", "Le coût global égale la somme des dépenses", clause_of(source), applies=applies
    )
    def declared_total_matches(d: Dossier) -> Outcome:
        lines = total_expenses(d)
        if not d.has("budget.total_expenses"):
            return ok(f"Coût global calculé : {euros(lines)} (somme des lignes de dépenses).")
        declared = d.money("budget.total_expenses")
        if declared == lines:
            return ok(f"Coût global déclaré : {euros(declared)} = somme des lignes de dépenses.")
        return ko(
            f"Coût global déclaré : {euros(declared)} ; somme des lignes de dépenses : {euros(lines)} (écart {euros(abs(declared - lines))})."
        )

    @rules.rule(
        f"{group}equilibre",
        "Le plan de financement est équilibré (ressources = dépenses)",
        clause_of(source),
        blocking=balance_required,
        applies=applies,
    )
    def balanced(d: Dossier) -> Outcome:
        spent, funded = total_expenses(d), total_resources(d)
        if spent == funded:
            return ok(f"Ressources : {euros(funded)} = dépenses : {euros(spent)}.")
        side = "excèdent" if funded > spent else "ne couvrent pas"
        return ko(
            f"Les ressources ({euros(funded)}) {side} les dépenses ({euros(spent)}) : écart de {euros(abs(funded - spent))}."
        )


def identifier_rules(rules: RuleSet, source: Source, *, within: str | None = None) -> None:
    """SIREN and SIRET checksums (Luhn), by python-stdnum; advisory: a typo is not ineligibility.
    Id `siren`, under `within.` when given."""

    @rules.rule(
        f"{within}.siren" if within else "siren", "Le numéro SIREN est valide", clause_of(source), blocking=False
    )
    def valid_siren(d: Dossier) -> Outcome:
        number = d.get("applicant.siren")
        try:
            siren_number.validate(number)
        except NumberError:
            return ko(
                f"Le numéro SIREN {number} est invalide (clé de contrôle fausse) : vérifiez-le sur l'avis de situation INSEE."
            )
        siret = d.opt("applicant.siret")
        if siret:
            try:
                siret_number.validate(siret)
            except NumberError:
                return ko(f"Le numéro SIRET {siret} est invalide (clé de contrôle fausse).")
            if not siret.startswith(number):
                return ko(f"Le SIRET {siret} ne commence pas par le SIREN {number}.")
        return ok(f"SIREN {number} valide" + (f", SIRET {siret} valide." if siret else "."))


# ---- expense lines by category (budget.py): what a text excludes, limits or asks to recap ----------


def named_categories(schema: str, categories: Iterable[str]) -> str:
    """« Libellé A » ou « Libellé B », as the call's schema names its categories."""
    labels = expense_categories(schema)
    shown = [f"« {labels.get(c, c)} »" for c in categories]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} ou {shown[-1]}"


def excluded_expense_rule(
    rules: RuleSet,
    id: str,
    source: Param,
    *,
    label: str,
    every_excluded: Iterable[str],
    requested: Callable[[Dossier], Decimal],
    quote: str,
    applies: Applies | None = None,
    schema: str | None = None,
) -> None:
    """An expense the text excludes (« … sont exclus », « ne seront pas financés … »): the lines of
    `source`'s categories leave the eligible base, whatever the dossier declares elsewhere. The
    request is refused only when it would pay for them, that is when it exceeds the eligible base
    (every expense less every excluded line of the call, `every_excluded`); otherwise the lines are
    deducted and the rule holds. `source` is the call's parameter: its categories and its clause;
    `schema` (by default the call's) names the categories."""
    categories, every = tuple(source.value), tuple(every_excluded)

    @rules.rule(id, label, source.clause, applies=applies, doc=quote)
    def check(d: Dossier) -> Outcome:
        names = schema or rules.schema
        lines = categorised_expenses(d)
        present = [c for c in categories if any(category == c for category, _ in lines)]
        amount = expenses_in(d, categories)
        if amount == 0:
            return ok(f"Aucune ligne de dépenses {named_categories(names, categories)} : rien à retirer de l'assiette.")
        named = named_categories(names, present)
        total, out, base = total_expenses(d), expenses_in(d, every), eligible_base(d, every)
        asked = requested(d)
        deduction = (
            f"{euros(total)} de dépenses − {euros(out)} de dépenses exclues = {euros(base)} de dépenses éligibles"
        )
        if asked <= base:
            return ok(
                f"{euros(amount)} de lignes {named}, retirées de l'assiette ({deduction}) ; la subvention "
                f"demandée ({euros(asked)}) n'excède pas les dépenses éligibles : elle ne les paie pas."
            )
        remedy = (
            f"Demandez au plus {euros(base)}, ou retirez ces dépenses du projet financé."
            if base > 0
            else "Le projet n'a aucune autre dépense : la subvention ne paierait que des dépenses exclues."
        )
        return ko(
            f"Subvention demandée : {euros(asked)}, au-delà des dépenses éligibles ({deduction}) : elle paierait "
            f"une partie des {euros(amount)} de lignes {named}, que le texte exclut. {remedy}"
        )


def marginal_share_rule(
    rules: RuleSet,
    id: str,
    source: Param,
    *,
    label: str,
    requested: Callable[[Dossier], Decimal],
    instructor: str,
    quote: str,
    schema: str | None = None,
) -> None:
    """« … ne sauraient représenter qu'une partie marginale des financements accordés » : the lines of
    `source`'s categories stay in the base, but the text gives no figure for « marginale », so any
    such line leaves the judgement to the instructor (« à vérifier », with its share of the request)."""
    categories = tuple(source.value)

    @rules.rule(id, label, source.clause, doc=quote)
    def check(d: Dossier) -> Outcome:
        named = named_categories(schema or rules.schema, categories)
        amount = expenses_in(d, categories)
        if amount == 0:
            return ok(f"Aucune ligne de dépenses {named}.")
        asked = requested(d)
        share = f", soit {percent(amount / asked)} de la subvention demandée ({euros(asked)})" if asked else ""
        return to_check(
            f"Lignes {named} : {euros(amount)}{share}. Le texte n'en admet qu'une « partie marginale » des "
            f"financements accordés, sans la chiffrer : appréciation de {instructor}."
        )


def declared_expenses_rule(
    rules: RuleSet,
    id: str,
    source: Source,
    *,
    label: str,
    declared: dict[str, Iterable[str]],
    applies: Applies | None = None,
    schema: str | None = None,
) -> None:
    """A recap a dossier may give beside its lines: an amount (« Dont … (€) ») or a yes/no answer
    (« Le projet comprend-il … ? »), each standing for the lines of some categories (`declared`:
    dotted path → categories). The lines decide what the text excludes or funds; a recap that says
    otherwise is pointed out, advisory: the text asks for no recap, only for the expense to be left
    out. A recap left empty says nothing, and disagrees with nothing."""

    @rules.rule(id, label, clause_of(source), blocking=False, applies=applies)
    def check(d: Dossier) -> Outcome:
        names = schema or rules.schema
        given = [path for path in declared if d.has(path)]
        if not given:
            return ok("Aucun récapitulatif déclaré : les lignes de dépenses et leurs catégories font foi.")
        differ, agree = [], []
        for path in given:
            named, lines = named_categories(names, declared[path]), expenses_in(d, declared[path])
            field = f"« {title_at(names, path)} »"
            try:
                value: bool | Decimal = d.flag(path)
            except MissingData:
                value = d.money(path)
            if isinstance(value, bool):
                if value == (lines > 0):
                    agree.append(f"{field} : « {'oui' if value else 'non'} »")
                elif value:
                    differ.append(f"{field} : « oui », mais aucune ligne {named}")
                else:
                    differ.append(f"{field} : « non », mais {euros(lines)} en lignes {named}")
                continue
            if value == lines:
                agree.append(f"{field} : {euros(value)}")
            else:
                differ.append(f"{field} : {euros(value)} au récapitulatif, mais {euros(lines)} en lignes {named}")
        if differ:
            return ko(
                "Récapitulatif en désaccord avec les lignes de dépenses : " + " ; ".join(differ) + ". Ce sont les "
                "lignes qui comptent : corrigez le récapitulatif, ou la catégorie des lignes."
            )
        return ok("Récapitulatif conforme aux lignes de dépenses : " + " ; ".join(agree) + ".")
