"""Read access to a dossier for rule functions: dotted paths, typed, with missing data signalled."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from .money import to_decimal

_ABSENT = object()


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


class Dossier:
    def __init__(self, data: Any) -> None:
        self.data = data if isinstance(data, dict) else {}

    def _lookup(self, path: str) -> Any:
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
        """The value at path; MissingData when absent or empty."""
        if not self.has(path):
            raise MissingData(path)
        return self._lookup(path)

    def opt(self, path: str, default: Any = None) -> Any:
        return self._lookup(path) if self.has(path) else default

    def money(self, path: str, default: Decimal | None = None) -> Decimal:
        """An amount; `default` (e.g. Decimal(0)) when the field is absent and the text lets it be
        zero unless said otherwise. A malformed amount is missing, default or not."""
        if default is not None and not self.has(path):
            return default
        try:
            return to_decimal(self.get(path))
        except (MissingData, ValueError):
            raise MissingData(path, "number") from None

    def date(self, path: str) -> date:
        try:
            return date.fromisoformat(self.get(path))
        except (MissingData, TypeError, ValueError):
            raise MissingData(path, "date") from None

    def flag(self, path: str) -> bool:
        value = self._lookup(path)
        if not isinstance(value, bool):
            raise MissingData(path, "boolean")
        return value

    def items(self, path: str) -> list:
        """The list at path, [] when absent: for lists that may legitimately be empty."""
        value = self.opt(path, [])
        return value if isinstance(value, list) else []

    def rows(self, path: str) -> list:
        """The list at path, which the rule cannot judge without: MissingData when absent or empty."""
        value = self._lookup(path)
        if not isinstance(value, list) or not value:
            raise MissingData(path, "list")
        return value

    def with_value(self, path: str, value: Any) -> "Dossier":
        """A copy of the dossier with `value` at the dotted path (objects and rows created as needed)."""
        return Dossier(_set(copy.deepcopy(self.data), path.split("."), value))


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
