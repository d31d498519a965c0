"""Money and percentages: Decimal end to end, printed the French way by Babel."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
CENT = Decimal("0.01")
# No figure of a dossier comes near 10^100 (nor 10^-100): past that a number is refused as
# unreadable, and every number within it is printed and rounded exactly.
MAX_EXPONENT = 100


def to_decimal(value: object) -> Decimal:
    """Turn a JSON value (already Decimal, int or numeric string) into a finite Decimal."""
    if isinstance(value, bool):
        raise ValueError("un booléen n'est pas un montant")
    if isinstance(value, float):
        # Floats never reach here from our JSON loader; refuse rather than inherit binary noise.
        raise ValueError("montant en virgule flottante refusé")
    if isinstance(value, int) and value.bit_length() > 4 * MAX_EXPONENT:
        raise ValueError("montant démesuré refusé")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError("montant illisible") from exc
    if not number.is_finite():
        raise ValueError("montant non fini refusé")
    if number and abs(number.adjusted()) > MAX_EXPONENT:
        raise ValueError("montant démesuré refusé")
    return number


def _printable(value: Decimal | int) -> Decimal | int | None:
    """The number with -0 as 0; None for one too large to print (or not a number at all)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    if isinstance(value, int):
        return value if value.bit_length() <= 4 * MAX_EXPONENT else None
    if not value.is_finite() or (value and abs(value.adjusted()) > 2 * MAX_EXPONENT):
        return None
    return Decimal(0) if not value else value


def round_cents(value: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = max(context.prec, max(value.adjusted(), 0) + 10) if value.is_finite() else context.prec
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(value: Decimal) -> str:
    """'20 000 €', or '1 234,50 €' when there are cents."""
    if isinstance(value, Decimal) and value.is_finite():
        return _euros_of_amount(value)
    return _euros(value)


# A report formats the same few amounts dozens of times (labels, messages, figures), and Babel's
# formatting is a third of a check: the last amounts are remembered. typed=True: a float or a
# bool never shares an entry with the Decimal it equals.
@lru_cache(maxsize=4096, typed=True)
def _euros_of_amount(value: Decimal) -> str:
    return _euros(value)


def _euros(value: Decimal) -> str:
    shown = _printable(value)
    if shown is None:
        return "montant démesuré"
    with localcontext() as context:
        context.prec = _precision(shown)
        value = round_cents(Decimal(shown))
        if value == value.to_integral_value():
            return format_currency(value, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False)
        return format_currency(value, "EUR", locale=LOCALE)


def percent(rate: Decimal) -> str:
    """A rate given as a fraction (Decimal('0.7')) printed as '70 %'."""
    shown = _printable(rate)
    if shown is None:
        return "taux démesuré"
    with localcontext() as context:
        context.prec = _precision(shown)
        return format_percent(shown, format="#,##0.##\u00a0%", locale=LOCALE)


def number(value: Decimal | int) -> str:
    shown = _printable(value)
    if shown is None:
        return "nombre démesuré"
    with localcontext() as context:
        context.prec = _precision(shown)
        return format_decimal(shown, locale=LOCALE)


def _precision(value: Decimal | int) -> int:
    """Digits enough for Babel to quantize `value` without rounding it (or raising)."""
    if isinstance(value, int):
        return max(28, value.bit_length() // 3 + 10)
    return max(28, max(value.adjusted(), 0) - min(value.as_tuple().exponent, 0) + 10)
