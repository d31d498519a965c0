"""Rules that every call states the same way: the deadline, the budget's own arithmetic, identifiers,
and the expenses a text excludes or limits (read from the budget lines and their categories).

Each builder declares a rule in a call's RuleSet; the call passes its own ids, clause anchors
and parameters, so the report still cites that call's text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from decimal import Decimal

from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from .dates import fr_date, fr_datetime, paris
from .dossier import Dossier, MissingData
from .model import Outcome, ko, ok, to_check
from .money import euros, percent, to_decimal
from .params import Param
from .rules import RuleSet
from .schemas import title_at
from .vocabulary import expense_categories


def sum_amounts(lines: list) -> Decimal:
    """Sum of the 'amount' of budget lines; a malformed amount raises ValueError."""
    return sum((to_decimal(line["amount"]) for line in lines if isinstance(line, dict) and "amount" in line), Decimal(0))


def expense_lines(d: Dossier) -> list:
    """The expense lines, each with its amount: MissingData for an absent or empty list, or a line
    without an amount (its pointer: budget.expenses.<n>.amount)."""
    lines = d.rows("budget.expenses")
    for n in range(len(lines)):
        d.money(f"budget.expenses.{n}.amount")
    return lines


def resource_lines(d: Dossier) -> list:
    """The resource lines, each with its funder kind and its amount (MissingData otherwise)."""
    lines = d.rows("budget.resources")
    for n in range(len(lines)):
        d.get(f"budget.resources.{n}.funder_kind")
        d.money(f"budget.resources.{n}.amount")
    return lines


def total_expenses(d: Dossier) -> Decimal:
    return sum_amounts(expense_lines(d))


def total_resources(d: Dossier) -> Decimal:
    return sum_amounts(resource_lines(d))


def filing_moment(d: Dossier) -> tuple[datetime, bool]:
    """When the dossier is filed (Paris time), and whether the hour was given."""
    day = d.date("project.filing_date")
    hour = d.opt("project.filing_time")
    if hour:
        hh, mm = (int(x) for x in hour.split(":"))
        return paris(day, time(hh, mm)), True
    return paris(day), False


def deadline_rule(rules: RuleSet, id: str, clause: str, deadline: datetime, opening: datetime | None = None,
                  label: str = "Date limite de dépôt") -> None:
    """The call's closing date, judged against the dossier's filing date. Declare it first."""

    @rules.rule(id, label, clause)
    def check_deadline(d: Dossier) -> Outcome:
        moment, has_hour = filing_moment(d)
        if opening is not None and moment.date() < opening.date():
            return ko(f"Appel pas encore ouvert : ouverture le {fr_date(opening.date())}, dépôt le {fr_date(moment.date())}.")
        if moment.date() > deadline.date():
            return ko(f"Appel clos : la date limite était le {fr_datetime(deadline)} ; dépôt le {fr_date(moment.date())}.")
        if moment.date() < deadline.date():
            return ok(f"Dépôt le {fr_date(moment.date())}, avant la date limite du {fr_datetime(deadline)}.")
        if deadline.time() >= time(23, 59):
            return ok(f"Dépôt le jour de la clôture ({fr_date(moment.date())}), admis jusqu'à la fin de la journée.")
        if not has_hour:
            raise MissingData("project.filing_time", why=f"Dépôt le jour de la clôture : la limite est le {fr_datetime(deadline)} ; "
                                                         "indiquez l'heure de dépôt.")
        if moment <= deadline:
            return ok(f"Dépôt le {fr_datetime(moment)}, avant la limite du {fr_datetime(deadline)}.")
        return ko(f"Dépôt le {fr_datetime(moment)}, après la limite du {fr_datetime(deadline)}.")


def budget_consistency_rules(rules: RuleSet, prefix: str, clause: str, balance_required: bool = True) -> None:
    """Declared totals equal the sum of their lines; resources cover exactly the expenses."""

    @rules.rule(f"{prefix}.total_depenses", "Le coût global égale la somme des dépenses", clause)
    def declared_total_matches(d: Dossier) -> Outcome:
        lines = total_expenses(d)
        if not d.has("budget.total_expenses"):
            return ok(f"Coût global calculé : {euros(lines)} (somme des lignes de dépenses).")
        declared = d.money("budget.total_expenses")
        if declared == lines:
            return ok(f"Coût global déclaré : {euros(declared)} = somme des lignes de dépenses.")
        return ko(f"Coût global déclaré : {euros(declared)} ; somme des lignes de dépenses : {euros(lines)} (écart {euros(abs(declared - lines))}).")

    @rules.rule(f"{prefix}.equilibre", "Le plan de financement est équilibré (ressources = dépenses)", clause,
                blocking=balance_required)
    def balanced(d: Dossier) -> Outcome:
        spent, funded = total_expenses(d), total_resources(d)
        if spent == funded:
            return ok(f"Ressources : {euros(funded)} = dépenses : {euros(spent)}.")
        side = "excèdent" if funded > spent else "ne couvrent pas"
        return ko(f"Les ressources ({euros(funded)}) {side} les dépenses ({euros(spent)}) : écart de {euros(abs(funded - spent))}.")


def identifier_rules(rules: RuleSet, prefix: str, clause: str) -> None:
    """SIREN and SIRET checksums (Luhn), by python-stdnum; advisory: a typo is not ineligibility."""

    @rules.rule(f"{prefix}.siren", "Le numéro SIREN est valide", clause, blocking=False)
    def valid_siren(d: Dossier) -> Outcome:
        number = d.get("applicant.siren")
        try:
            siren_number.validate(number)
        except NumberError:
            return ko(f"Le numéro SIREN {number} est invalide (clé de contrôle fausse) : vérifiez-le sur l'avis de situation INSEE.")
        siret = d.opt("applicant.siret")
        if siret:
            try:
                siret_number.validate(siret)
            except NumberError:
                return ko(f"Le numéro SIRET {siret} est invalide (clé de contrôle fausse).")
            if not siret.startswith(number):
                return ko(f"Le SIRET {siret} ne commence pas par le SIREN {number}.")
        return ok(f"SIREN {number} valide" + (f", SIRET {siret} valide." if siret else "."))


# ---- expense lines by category --------------------------------------------------------------
# A call's schema gives each budget line one of the expense categories its text names
# ($defs/expense). What the text excludes or limits is read from those lines, whatever a dossier
# declares elsewhere: a self-declared total is at most a recap that must agree with them.


def categorised_expenses(d: Dossier) -> list[tuple[str, Decimal]]:
    """(category, amount) of every expense line: MissingData for an absent or empty list, or for a
    line without its category or its amount (budget.expenses.<n>.category, .amount)."""
    lines = d.rows("budget.expenses")
    return [(d.get(f"budget.expenses.{n}.category"), d.money(f"budget.expenses.{n}.amount")) for n in range(len(lines))]


def expenses_in(d: Dossier, categories: Iterable[str]) -> Decimal:
    """The total of the expense lines whose category is one of `categories`."""
    wanted = set(categories)
    return sum((amount for category, amount in categorised_expenses(d) if category in wanted), Decimal(0))


def eligible_base(d: Dossier, excluded: Iterable[str]) -> Decimal:
    """Every expense line but those in an excluded category: the base a grant may pay."""
    return total_expenses(d) - expenses_in(d, excluded)


def named_categories(schema: str, categories: Iterable[str]) -> str:
    """« Libellé A » ou « Libellé B », as the call's schema names its categories."""
    labels = expense_categories(schema)
    shown = [f"« {labels.get(c, c)} »" for c in categories]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} ou {shown[-1]}"


def excluded_expense_rule(rules: RuleSet, id: str, label: str, excluded: Param, *, every_excluded: Iterable[str],
                          requested: Callable[[Dossier], Decimal], schema: str, quote: str) -> None:
    """An expense the text excludes (« … sont exclus », « ne seront pas financés … »): the lines of
    `excluded`'s categories leave the eligible base, whatever the dossier declares elsewhere. The
    request is refused only when it would pay for them, that is when it exceeds the eligible base
    (every expense less every excluded line of the call, `every_excluded`); otherwise the lines are
    deducted and the rule holds. `excluded` is the call's parameter: its categories and its clause."""
    categories, every = tuple(excluded.value), tuple(every_excluded)

    @rules.rule(id, label, excluded.clause)
    def check(d: Dossier) -> Outcome:
        lines = categorised_expenses(d)
        present = [c for c in categories if any(category == c for category, _ in lines)]
        amount = expenses_in(d, categories)
        if amount == 0:
            return ok(f"Aucune ligne de dépenses {named_categories(schema, categories)} : rien à retirer de l'assiette.")
        named = named_categories(schema, present)
        total, out, base = total_expenses(d), expenses_in(d, every), eligible_base(d, every)
        asked = requested(d)
        deduction = (f"{euros(total)} de dépenses − {euros(out)} de dépenses exclues = {euros(base)} de dépenses "
                     "éligibles")
        if asked <= base:
            return ok(f"{euros(amount)} de lignes {named}, retirées de l'assiette ({deduction}) ; la subvention "
                      f"demandée ({euros(asked)}) n'excède pas les dépenses éligibles : elle ne les paie pas.")
        remedy = (f"Demandez au plus {euros(base)}, ou retirez ces dépenses du projet financé." if base > 0 else
                  "Le projet n'a aucune autre dépense : la subvention ne paierait que des dépenses exclues.")
        return ko(f"Subvention demandée : {euros(asked)}, au-delà des dépenses éligibles ({deduction}) : elle paierait "
                  f"une partie des {euros(amount)} de lignes {named}, que le texte exclut. {remedy}")

    check.__doc__ = quote


def marginal_share_rule(rules: RuleSet, id: str, label: str, limited: Param, *,
                        requested: Callable[[Dossier], Decimal], schema: str, quote: str, instructor: str) -> None:
    """« … ne sauraient représenter qu'une partie marginale des financements accordés » : the lines of
    `limited`'s categories stay in the base, but the text gives no figure for « marginale », so any
    such line leaves the judgement to the instructor (« à vérifier », with its share of the request)."""
    categories = tuple(limited.value)

    @rules.rule(id, label, limited.clause)
    def check(d: Dossier) -> Outcome:
        named = named_categories(schema, categories)
        amount = expenses_in(d, categories)
        if amount == 0:
            return ok(f"Aucune ligne de dépenses {named}.")
        asked = requested(d)
        share = f", soit {percent(amount / asked)} de la subvention demandée ({euros(asked)})" if asked else ""
        return to_check(f"Lignes {named} : {euros(amount)}{share}. Le texte n'en admet qu'une « partie marginale » des "
                        f"financements accordés, sans la chiffrer : appréciation de {instructor}.")

    check.__doc__ = quote


def declared_expenses_rule(rules: RuleSet, id: str, label: str, clause: str, *, declared: dict[str, Iterable[str]],
                           schema: str) -> None:
    """A recap a dossier may give beside its lines: an amount (« Dont … (€) ») or a yes/no answer
    (« Le projet comprend-il … ? »), each standing for the lines of some categories (`declared`:
    dotted path → categories). The lines decide what the text excludes or funds; a recap that says
    otherwise is pointed out, advisory: the text asks for no recap, only for the expense to be left
    out. A recap left empty says nothing, and disagrees with nothing."""

    @rules.rule(id, label, clause, blocking=False)
    def check(d: Dossier) -> Outcome:
        given = [path for path in declared if d.has(path)]
        if not given:
            return ok("Aucun récapitulatif déclaré : les lignes de dépenses et leurs catégories font foi.")
        differ, agree = [], []
        for path in given:
            named, lines = named_categories(schema, declared[path]), expenses_in(d, declared[path])
            field = f"« {title_at(schema, path)} »"
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
            return ko("Récapitulatif en désaccord avec les lignes de dépenses : " + " ; ".join(differ) + ". Ce sont les "
                      "lignes qui comptent : corrigez le récapitulatif, ou la catégorie des lignes.")
        return ok("Récapitulatif conforme aux lignes de dépenses : " + " ; ".join(agree) + ".")
