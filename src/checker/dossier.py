"""Read access to a dossier for rule functions: dotted paths, typed, with missing data signalled.

Whatever the dossier holds, what a rule reads is safe to print: the Dossier keeps a cleaned copy
of the data (texts with their control characters made visible and lone surrogates replaced,
floats as exact decimals, what JSON cannot hold or the checker cannot bound as an unreadable
marker), and its readers check types, so a rule never formats a Python list, a bool or a
Decimal('…') into a French message. `shown()` is the same guarantee for any other message that
quotes the dossier (schema errors, the text report, the command line).
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date
from decimal import Decimal
from typing import Any

from .dates import iso_date
from .money import MAX_EXPONENT, number, to_decimal

# Limits, well above any real dossier (nesting 5 levels deep, a few hundred values): past them
# the input is refused as unreadable rather than risking the stack or the time of the checker.
MAX_DEPTH = 64  # nested objects and lists
MAX_VALUES = 100_000  # JSON values of all kinds, containers included
MAX_INT_BITS = 340  # an integer of more than about 10^102 is no figure of any dossier
SHOWN_LENGTH = 80  # characters of a dossier's text quoted in a message

_ABSENT = object()
_UNSEEN = object()  # a path not looked up yet (_ABSENT: looked up, and absent)


class MissingData(Exception):
    """A rule needs a field the dossier does not (yet) have: its verdict is « à compléter ».

    `kind` says what the reader expected ("boolean", "number", "date", "list"), so the engine can
    stand a value of that kind in while it looks for the rule's other missing fields; `why`, when
    given, is a French sentence the report adds after the field's title.
    """

    def __init__(self, path: str, kind: str | None = None, why: str | None = None) -> None:
        super().__init__(path)
        self.path = path
        self.kind = kind
        self.why = why


# --- printing what the dossier says --------------------------------------------------------

# C0 controls and DEL as their Unicode pictures (a newline shows as ␊), so a value can neither
# break a line of the report nor hide what it holds; C1 controls, bidirectional overrides and
# isolates, line and paragraph separators and lone surrogates (not encodable in UTF-8) as U+FFFD.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_PICTURES = {chr(c): chr(0x2400 + c) for c in range(0x20)} | {"\x7f": "\u2421"}
_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """The text with nothing that could break a line, hide or reorder what follows, or fail UTF-8."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: _PICTURES.get(m.group(), "\ufffd"), text)


def no_surrogates(text: str) -> str:
    """Lone surrogates (from a JSON escape like "\\ud800") as U+FFFD: the text is valid UTF-8 then."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """Any value of a dossier as a message may quote it: French, one line, bounded, never a Python repr.

    A text is printable() and cut at `limit` characters; numbers are French (« 12 500,5 »);
    true / false are « oui » / « non »; a list or an object is named, not dumped.
    """
    if isinstance(value, str):
        text = printable(value)
        return text if len(text) <= limit else text[:limit].rstrip() + "…"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value is None:
        return "vide"
    if isinstance(value, (int, float, Decimal)):
        exact = exact_number(value)
        return number(exact) if isinstance(exact, (int, Decimal)) else "nombre illisible"
    if isinstance(value, (list, tuple)):
        count = len(value)
        return (
            "une liste vide"
            if not count
            else "une liste d'un élément"
            if count == 1
            else f"une liste de {number(count)} éléments"
        )
    if isinstance(value, dict):
        return "un ensemble de champs"
    return "valeur illisible"


class Unreadable:
    """Stands in the cleaned data for a value the checker cannot read: nested too deep, not JSON,
    a number without bounds. Its text is French, in case a rule prints it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "valeur illisible"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __copy__(self) -> "Unreadable":
        return self

    def __deepcopy__(self, memo) -> "Unreadable":
        return self


UNREADABLE = Unreadable()


# --- the shape of a dossier: bounds and JSON types -------------------------------------------


def exact_number(value: Any) -> int | Decimal | None:
    """The number as an exact int or Decimal within the checker's bounds; None when it has none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value.bit_length() <= MAX_INT_BITS else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = Decimal(repr(value))  # the decimal a reader sees, not the binary noise
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if not value:
            return Decimal(0) if abs(value.as_tuple().exponent) > MAX_EXPONENT else value
        return value if abs(value.adjusted()) <= MAX_EXPONENT else None
    return None


def problems(data: Any, limit: int = 20) -> list[tuple[list, str]]:
    """What makes the dossier unreadable as a whole or in places, as (path parts, kind):

    "size" (more than MAX_VALUES values), "depth" (nested deeper than MAX_DEPTH), "type" (a value
    JSON cannot hold: a set, bytes, an object key that is not a text), "number" (NaN, an infinity
    or a magnitude past 10^±MAX_EXPONENT). At most `limit` of them; [] for a sound dossier.
    """
    found: list[tuple[list, str]] = []
    count = 1  # values met so far, the root included: an object or list counts its members at once
    stack: list[tuple[Any, list]] = [(data, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, (dict, list)):
            if len(parts) >= MAX_DEPTH:
                found.append((parts[:1], "depth"))
                continue
            count += len(node)
            if count > MAX_VALUES:
                return [([], "size")]
            if isinstance(node, dict):
                if not all(isinstance(key, str) for key in node):
                    found.append((parts, "type"))
                    continue
                stack.extend((value, parts + [key]) for key, value in node.items())
            else:
                stack.extend((value, parts + [index]) for index, value in enumerate(node))
        elif isinstance(node, (int, float, Decimal)) and not isinstance(node, bool):
            if exact_number(node) is None:
                found.append((parts, "number"))
        elif not (node is None or isinstance(node, (str, bool))):
            found.append((parts, "type"))
    unique = dict.fromkeys((tuple(parts), kind) for parts, kind in found)
    return [(list(parts), kind) for parts, kind in unique][:limit]


def clean(data: Any) -> Any:
    """The copy of the data rules read: printable texts and keys, exact numbers, UNREADABLE for
    what is not JSON, past MAX_DEPTH or without bounds; {} for a dossier past MAX_VALUES."""
    if problems(data, limit=1) == [([], "size")]:
        return {}
    return _clean(data, 0)


def _clean(node: Any, depth: int) -> Any:
    if isinstance(node, str):
        return printable(node)
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, (int, float, Decimal)):
        exact = exact_number(node)
        return UNREADABLE if exact is None else exact
    if isinstance(node, (dict, list)) and depth >= MAX_DEPTH:
        return UNREADABLE
    if isinstance(node, dict):
        return {printable(key): _clean(value, depth + 1) for key, value in node.items() if isinstance(key, str)}
    if isinstance(node, list):
        return [_clean(value, depth + 1) for value in node]
    return UNREADABLE


class Choices(list):
    """A list of texts as get() returns it (the choices of a multiple-choice question): a list to
    compare and iterate over, which prints as French text, never as a Python list."""

    def __str__(self) -> str:
        if not self:
            return "aucun choix"
        return self[0] if len(self) == 1 else f"{', '.join(self[:-1])} et {self[-1]}"

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _plain(value: Any) -> bool:
    """A value a rule may compare and print as it is: a text, an integer, a list of texts."""
    if isinstance(value, str):
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class Dossier:
    """A dossier as the rules read it, never changed (with_value makes a copy): what a path leads
    to is found once, then remembered, since a check asks for the same fields again and again
    (the budget's lines, a few hundred times for a dossier)."""

    def __init__(self, data: Any) -> None:
        self.data = clean(data) if isinstance(data, dict) else {}
        self._found: dict[str, Any] = {}

    @classmethod
    def _cleaned(cls, data: dict) -> "Dossier":
        """A Dossier over data already cleaned (with_value's copies): not cleaned twice."""
        dossier = cls.__new__(cls)
        dossier.data = data
        dossier._found = {}
        return dossier

    def _lookup(self, path: str) -> Any:
        found = self._found.get(path, _UNSEEN)
        if found is _UNSEEN:
            found = self._found[path] = self._walk(path)
        return found

    def _walk(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if isinstance(node, dict):
                node = node.get(part, _ABSENT)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return _ABSENT
            if node is _ABSENT:
                return _ABSENT
        return node

    def has(self, path: str) -> bool:
        value = self._lookup(path)
        return value is not _ABSENT and value is not None and value != ""

    def get(self, path: str) -> Any:
        """The value at path: a text, an integer or a list of texts (Choices). MissingData when absent or
        empty, and when it is of another kind (a malformed value is a missing one: the schema
        errors say what is wrong with it)."""
        if not self.has(path):
            raise MissingData(path)
        value = self._lookup(path)
        if not _plain(value):
            raise MissingData(path)
        return Choices(value) if isinstance(value, list) else value

    def opt(self, path: str, default: Any = None) -> Any:
        """The value at path, or `default` when it is absent, empty or malformed. A bool is a value
        only where the default is a bool (a yes/no answer); elsewhere a text, an integer or a list
        of texts, as get() returns."""
        if not self.has(path):
            return default
        value = self._lookup(path)
        if isinstance(default, bool):
            return value if isinstance(value, bool) else default
        if not _plain(value):
            return default
        return Choices(value) if isinstance(value, list) else value

    def money(self, path: str, default: Decimal | None = None) -> Decimal:
        """An amount; `default` (e.g. Decimal(0)) when the field is absent and the text lets it be
        zero unless said otherwise. A malformed amount is missing, default or not."""
        if default is not None and not self.has(path):
            return default
        try:
            return to_decimal(self.get_any(path))
        except (MissingData, ValueError):
            raise MissingData(path, "number") from None

    def date(self, path: str) -> date:
        """A date written exactly AAAA-MM-JJ (no week date, no compact form, nothing after)."""
        value = self._lookup(path)
        if not isinstance(value, str):
            raise MissingData(path, "date")
        try:
            return iso_date(value)
        except ValueError:
            raise MissingData(path, "date") from None

    def flag(self, path: str) -> bool:
        value = self._lookup(path)
        if not isinstance(value, bool):
            raise MissingData(path, "boolean")
        return value

    def items(self, path: str) -> list:
        """The list at path, [] when absent: for lists that may legitimately be empty."""
        value = self._lookup(path)
        return value if isinstance(value, list) else []

    def rows(self, path: str) -> list:
        """The list at path, which the rule cannot judge without: MissingData when absent or empty."""
        value = self._lookup(path)
        if not isinstance(value, list) or not value:
            raise MissingData(path, "list")
        return value

    def get_any(self, path: str) -> Any:
        """The value at path whatever its type (an amount, a yes/no, an object); MissingData when
        absent or empty. For readers that check the type themselves."""
        if not self.has(path):
            raise MissingData(path)
        return self._lookup(path)

    def with_value(self, path: str, value: Any) -> "Dossier":
        """A copy of the dossier with `value` at the dotted path (objects and rows created as needed)."""
        return Dossier._cleaned(_set(copy.deepcopy(self.data), path.split("."), _clean(value, 0)))


def _set(node: Any, parts: list[str], value: Any) -> Any:
    """node with value at parts: a digit indexes a list, anything else a key; what is in the way is replaced."""
    if not parts:
        return value
    part, rest = parts[0], parts[1:]
    if part.isdigit() and isinstance(node, list):
        index = int(part)
        node.extend({} for _ in range(index + 1 - len(node)))
        node[index] = _set(node[index], rest, value)
        return node
    if part.isdigit() and not isinstance(node, dict):
        return _set([], parts, value)
    if not isinstance(node, dict):
        node = {}
    node[part] = _set(node.get(part), rest, value)
    return node
