"""Read access to a dossier for rule functions: dotted paths, typed, with missing data signalled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .money import to_decimal

_ABSENT = object()


class MissingData(Exception):
    """A rule needs a field the dossier does not (yet) have: its verdict is 'à vérifier'."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


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

    def money(self, path: str) -> Decimal:
        try:
            return to_decimal(self.get(path))
        except ValueError:
            raise MissingData(path) from None

    def date(self, path: str) -> date:
        try:
            return date.fromisoformat(self.get(path))
        except (TypeError, ValueError):
            raise MissingData(path) from None

    def flag(self, path: str) -> bool:
        value = self.get(path)
        if not isinstance(value, bool):
            raise MissingData(path)
        return value

    def items(self, path: str) -> list:
        value = self.opt(path, [])
        return value if isinstance(value, list) else []
