"""A call's figures (rates, caps, floors, dates) as data, each with the clause that states it.

Like OpenFisca parameters: rules read `P.rate`, never a literal 0.70 in code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from .dates import parse_date, parse_datetime

_CONVERTERS = {
    "money": Decimal,
    "rate": Decimal,
    "number": Decimal,
    "integer": int,
    "date": parse_date,
    "datetime": parse_datetime,
    "text": str,
    "list": list,
}


@dataclass(frozen=True)
class Param:
    id: str
    label: str
    value: Any
    clause: str
    type: str


class Params:
    def __init__(self, params: dict[str, Param]) -> None:
        self._params = params

    @classmethod
    def load(cls, module: str) -> "Params":
        """Load calls/<module>.params.json, converting each value by its declared type."""
        text = resources.files("checker.calls").joinpath(f"{module}.params.json").read_text("utf-8")
        raw = json.loads(text)
        params = {}
        for key, spec in raw.items():
            kind = spec["type"]
            if kind not in _CONVERTERS:
                raise ValueError(f"{module}: parameter {key} has unknown type {kind}")
            params[key] = Param(key, spec["label"], _CONVERTERS[kind](spec["value"]), spec["clause"], kind)
        return cls(params)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._params[key].value
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> Param:
        return self._params[key]

    def __iter__(self):
        return iter(self._params.values())
