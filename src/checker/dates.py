"""Dates and deadlines, always in Europe/Paris, printed the French way by Babel."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

PARIS = ZoneInfo("Europe/Paris")
LOCALE = "fr_FR"


# What a dossier's dates must look like, exactly: a calendar date AAAA-MM-JJ; a date and time with
# its offset (RFC 3339, seconds optional as in the form's fields). Nothing else: no week date, no
# compact form, no trailing newline; and the same answer in every Python (fromisoformat accepts
# more from one version to the next). ASCII digits only.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))"
)


def iso_date(text: str) -> date:
    """The date written exactly AAAA-MM-JJ; ValueError for anything else (or an impossible day)."""
    found = _ISO_DATE.fullmatch(text) if isinstance(text, str) else None
    if not found:
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return date(*(int(part) for part in found.groups()))


def iso_datetime(text: str) -> datetime:
    """The date and time written exactly AAAA-MM-JJTHH:MM[:SS[.fraction]] with Z or ±HH:MM."""
    found = _ISO_DATETIME.fullmatch(text) if isinstance(text, str) else None
    if not found:
        raise ValueError("date et heure attendues au format AAAA-MM-JJTHH:MM+01:00")
    year, month, day, hour, minute, second, fraction, utc, sign, off_h, off_m = found.groups()
    if int(off_h or 0) > 23 or int(off_m or 0) > 59:
        raise ValueError("décalage horaire impossible")
    offset = timedelta(0) if utc else (1 if sign == "+" else -1) * timedelta(hours=int(off_h), minutes=int(off_m))
    micro = int((fraction or "0").ljust(6, "0")[:6])
    return datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=timezone(offset)
    )


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 date-time; a naive one is taken as Paris local time."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def paris(day: date, at: time = time(0, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


def today_paris() -> date:
    return datetime.now(PARIS).date()


def _first(text: str, day: int) -> str:
    """French writes the first day of a month as an ordinal: '1er mars 2021'."""
    return "1er" + text[1:] if day == 1 else text


@lru_cache(maxsize=4096, typed=True)  # the same few dates (a call's deadlines) in every report
def fr_date(day: date) -> str:
    """'22 octobre 2021'."""
    return _first(format_date(day, format="d MMMM y", locale=LOCALE), day.day)


def fr_datetime(moment: datetime) -> str:
    """'7 décembre 2021 à 12 h 00' in Paris time."""
    local = moment.astimezone(PARIS)
    return _first(format_datetime(local, format="d MMMM y 'à' HH 'h' mm", tzinfo=PARIS, locale=LOCALE), local.day)
