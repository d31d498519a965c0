"""A call's figures (rates, caps, floors, dates) as data, each with the clause that states it.

Like OpenFisca parameters: rules read `P.rate`, never a literal 0.70 in code. Each call's folder
holds them in `params.json`, the one place a figure or a date of the call is typed:

    {"title": "…",                                   the call's one name
     "window": {"opens": "opening", "closes": "deadline"},   the parameters that open and close it
     "params": {"rate": {"label": "Taux d'intervention", "value": "0.70", "type": "rate",
                         "clause": "taux-intervention", "publish": {"id": "taux", "type": "taux"}}}}

Everything else reads them: rule labels and the page's prose interpolate them (« plafonnée à
{cap} », `Params.format`), the page's summary card shows those with `publish`, the window gives
the call's status. A label's figures are printed with plain spaces, as typed prose has them.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from .dates import PARIS, fr_date, fr_datetime, parse_date, parse_datetime
from .money import euros, number, percent

CALLS_PACKAGE = "checker.calls"

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
    publish: dict | None = None  # {"id", "type"}: shown among the page's amounts (front matter `montants`)


def package_of(module: str) -> str:
    """'fitn7_saone_et_loire' or 'checker.calls.fitn7_saone_et_loire[.rules]' → the call's package."""
    if "." not in module:
        return f"{CALLS_PACKAGE}.{module}"
    parts = module.split(".")
    return ".".join(parts[:3]) if module.startswith(CALLS_PACKAGE + ".") else module


def params_file(module: str):
    """The call's params.json (a Traversable), found without importing the call's package: its rules
    read its schema, and the schema's help texts read this file (schemas.load_schema)."""
    package = package_of(module)
    if package.startswith(CALLS_PACKAGE + "."):
        return resources.files(CALLS_PACKAGE).joinpath(package.split(".")[2]).joinpath("params.json")
    return resources.files(package).joinpath("params.json")


@lru_cache(maxsize=None)
def call_file(module: str) -> dict:
    """The call's params.json, as written (its title, its window and its parameters)."""
    return json.loads(params_file(module).read_text("utf-8"))


def end_of_day(value: date | datetime | None, at: time = time(23, 59, 59)) -> datetime | None:
    """A date as the moment it ends (or starts, with `at`) in Paris; a date-time as it is."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, at, tzinfo=PARIS)


class Params:
    def __init__(self, params: dict[str, Param]) -> None:
        self._params = params

    @classmethod
    def load(cls, module: str) -> "Params":
        """Load the call's params.json, converting each value by its declared type."""
        raw = call_file(module)["params"]
        params = {}
        for key, spec in raw.items():
            kind = spec["type"]
            if kind not in _CONVERTERS:
                raise ValueError(f"{module}: parameter {key} has unknown type {kind}")
            params[key] = Param(
                key, spec["label"], _CONVERTERS[kind](spec["value"]), spec["clause"], kind, spec.get("publish")
            )
        # A label may quote a figure, its own or another's: « Montant minimal ({min_porteur} porteur + …) ».
        typed = cls(params)
        return cls({key: replace(param, label=typed.format(param.label)) for key, param in params.items()})

    def __getattr__(self, key: str) -> Any:
        try:
            return self._params[key].value
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> Param:
        return self._params[key]

    def __contains__(self, key: str) -> bool:
        return key in self._params

    def __iter__(self):
        return iter(self._params.values())

    def format(self, template: str) -> str:
        """`template` with each {name} replaced by that parameter, printed the French way: « plafonnée à
        {cap} » → « plafonnée à 30 000 € ». A spec picks another form: {deadline:date} (the day only),
        {cap:M} (« 1,5 M€ »), {cap:millions} (« 3 millions d'euros »), {rate:nombre} (« 70 »);
        {results_by.year} reads an attribute of the value. An unknown name raises KeyError."""
        return _Formatter(self).format(template)

    def fill(self, text: str) -> str:
        """`text` with each placeholder ({name}, {name:spec}, {name.attribute}) printed by `format`;
        any other brace is literal (« { nom, siren } » stays as typed). An unknown name raises
        KeyError, naming it. The JSON Schemas' help texts are filled this way (schemas.load_schema)."""
        if "{" not in text:
            return text
        return PLACEHOLDER.sub(lambda found: self.format(found.group(0)), text)


def shown(param: Param, spec: str = "") -> str:
    """A parameter's value in French, with plain spaces (labels and prose are typed that way)."""
    value = param.value
    if spec == "nombre":
        text = number(value * 100 if param.type == "rate" else value)
    elif spec in ("M", "millions"):
        millions = number(value / Decimal(1_000_000))
        text = f"{millions} M€" if spec == "M" else f"{millions} millions d'euros"
    elif spec == "date":
        text = fr_date(value.astimezone(PARIS).date() if isinstance(value, datetime) else value)
    elif spec:
        raise ValueError(f"parameter {param.id}: unknown format « {spec} »")
    elif param.type == "money":
        text = euros(value)
    elif param.type == "rate":
        text = percent(value)
    elif param.type == "number":
        text = number(value)
    elif param.type == "datetime":
        text = fr_datetime(value)
    elif param.type == "date":
        text = fr_date(value)
    elif param.type == "list":
        text = ", ".join(str(v) for v in value)
    else:  # integer, text: as typed (a year is « 2020 », not « 2 020 »)
        text = str(value)
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# A placeholder: a parameter's name, maybe an attribute of its value, maybe a format spec.
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*(?:\.\w+)*(?::[^{}]*)?\}")


class _Formatter(string.Formatter):
    def __init__(self, params: Params) -> None:
        super().__init__()
        self.params = params

    def get_field(self, field_name: str, args, kwargs):
        if field_name in self.params:
            return self.params[field_name], field_name
        return super().get_field(field_name, args, kwargs)

    def get_value(self, key, args, kwargs):
        if isinstance(key, int) or key not in self.params:
            raise KeyError(f"paramètre inconnu : « {key} »")
        return self.params[key].value

    def format_field(self, value, format_spec: str) -> str:
        if isinstance(value, Param):
            return shown(value, format_spec)
        return str(value) if not format_spec else format(value, format_spec)
