"""Dates and deadlines, always in Europe/Paris, printed the French way by Babel."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

PARIS = ZoneInfo("Europe/Paris")
LOCALE = "fr_FR"


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


def fr_date(day: date) -> str:
    """'22 octobre 2021'."""
    return _first(format_date(day, format="d MMMM y", locale=LOCALE), day.day)


def fr_datetime(moment: datetime) -> str:
    """'7 décembre 2021 à 12 h 00' in Paris time."""
    local = moment.astimezone(PARIS)
    return _first(format_datetime(local, format="d MMMM y 'à' HH 'h' mm", tzinfo=PARIS, locale=LOCALE), local.day)
