"""Money and percentages: Decimal end to end, printed the French way by Babel."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal:
    """Turn a JSON value (already Decimal, int or numeric string) into a finite Decimal."""
    if isinstance(value, bool):
        raise ValueError("un booléen n'est pas un montant")
    if isinstance(value, float):
        # Floats never reach here from our JSON loader; refuse rather than inherit binary noise.
        raise ValueError("montant en virgule flottante refusé")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"montant illisible : {value!r}") from exc
    if not number.is_finite():
        raise ValueError("montant non fini refusé")
    return number


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(value: Decimal) -> str:
    """'20 000 €', or '1 234,50 €' when there are cents."""
    value = round_cents(value)
    if value == value.to_integral_value():
        return format_currency(value, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False)
    return format_currency(value, "EUR", locale=LOCALE)


def percent(rate: Decimal) -> str:
    """A rate given as a fraction (Decimal('0.7')) printed as '70 %'."""
    return format_percent(rate, format="#,##0.##\u00a0%", locale=LOCALE)


def number(value: Decimal | int) -> str:
    return format_decimal(value, locale=LOCALE)
