"""JSON pointers (RFC 6901) over plain dossiers: the report's `missing`, `questions` and
`schema_errors` name fields this way; these read and write a dossier at one."""

from __future__ import annotations

import copy
from typing import Any


def parts(pointer: str) -> list[str]:
    """'/budget/expenses/0/amount' → ['budget', 'expenses', '0', 'amount'] (~1 and ~0 decoded)."""
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def lookup(data: Any, pointer: str) -> Any:
    """The value at pointer, or None when any step is absent."""
    node = data
    for part in parts(pointer):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def place(data: dict, pointer: str, value: Any) -> dict:
    """Put a copy of value at pointer in data (objects created on the way); returns data."""
    *parents, last = parts(pointer)
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = copy.deepcopy(value)
    else:
        node[last] = copy.deepcopy(value)
    return data
