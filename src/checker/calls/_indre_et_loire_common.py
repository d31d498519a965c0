"""What the four measures of the Préfecture d'Indre-et-Loire's letter share (lettre France Relance
« Spécial numérique », 18 February 2021): their page folder, the letter's name in messages, and the
rules the letter states the same way for several measures.

One letter, four measures, four calls (folders beside this module): the fund's departmental
envelope (ietl_fitn), the national call for a digital base in primary schools (ietl_ecoles), the
conseillers numériques France Services (ietl_cnfs) and Aidants Connect (ietl_aidants). The letter is
short: where it leaves a figure or a date unsaid (no closing date for three measures, no rate per
expense, no SMIC amount), the rule says "à vérifier" and cites the clause instead of guessing.
Not a call itself (its name starts with « _ »): the engine does not look for a CALL here.
"""

from __future__ import annotations

from datetime import date

from ..dates import fr_date
from ..dossier import Dossier
from ..model import Outcome, ok, to_check
from ..rules import Call, RuleSet
from ..standard_rules import Source, clause_of, filing_moment, unticked

LETTER = "la lettre du 18 février 2021"
FOLDER = "indre-et-loire"  # docs/appels/indre-et-loire/: the letter's page and its four measures'


def measure_call(module: str, rules: RuleSet) -> Call:
    """A measure's call: its page is docs/appels/indre-et-loire/<its id without the letter's>.md."""
    return Call.of(module, rules, letter=FOLDER)


def no_deadline_rule(
    rules: RuleSet, id: str, source: Source, *, what: str, label: str = "Date limite de dépôt"
) -> None:
    """For a measure the letter gives no closing date: say so, never invent one (advisory)."""

    @rules.rule(id, label, clause_of(source), blocking=False)
    def stated_deadline(d: Dossier) -> Outcome:
        moment, _ = filing_moment(d)
        return to_check(
            f"{what} : {LETTER} ne fixe aucune date limite de dépôt. Dépôt le "
            f"{fr_date(moment.date())} : vérifiez auprès du service instructeur que les candidatures "
            "étaient encore reçues à cette date."
        )


def departement_advice_rule(
    rules: RuleSet,
    id: str,
    source: Source,
    *,
    departement: str,
    programme: str,
    label: str = "Porteur situé en Indre-et-Loire (département de la lettre)",
) -> None:
    """A national programme relayed by the prefecture: outside Indre-et-Loire, only a warning."""

    @rules.rule(id, label, clause_of(source), blocking=False)
    def relayed_here(d: Dossier) -> Outcome:
        code = d.get("applicant.departement")
        if code == departement:
            return ok(f"Porteur situé en Indre-et-Loire ({departement}), où {LETTER} relaie {programme}.")
        return to_check(
            f"Porteur situé dans le département {code} : {programme} est national, mais {LETTER} "
            f"ne vaut que pour l'Indre-et-Loire ({departement}) ; adressez-vous à votre préfecture."
        )


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def all_true(d: Dossier, fields: dict[str, str]) -> tuple[bool, str]:
    """Whether every flag holds, and the French labels of those that do not."""
    missing = unticked(d, fields)
    return not missing, " ; ".join(missing)
