"""What a call's page publishes from the call's params.json, so that no figure is typed twice
(not a hook: metadata.py uses it, and so do the tests; it stays out of the browser's checker wheel).

The page's front matter holds the prose (promesse, description, eligibilite…) and the structure
(phases, ancres); the call's params.json holds its name, its window and its figures. `page_meta`
joins them into the metadata the site publishes (summary card, catalog, open data, iCalendar):

- `titre`, `date_ouverture`, `date_cloture` come from the call (its title and window);
- `montants` are the parameters with a `publish` entry (`{"id": "plafond", "type": "plafond"}`),
  with their label, value, unit and clause;
- a phase that names a parameter (`parametre: deadline`) gets its date and its anchor from it;
- the prose may quote a figure by its parameter's name: « plafonnée à {cap} par porteur ».

The front matter may not restate what params.json holds: a page that types one of those fields
is refused, with the reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.params import Param, Params, end_of_day
from checker.rules import Call

# Fields the build writes from params.json: a front matter that types them restates a figure.
FROM_PARAMS = {
    "titre": "le titre de l'appel (« title »)",
    "date_ouverture": "l'ouverture (« window.opens »)",
    "date_cloture": "la clôture (« window.closes »)",
    "montants": "les montants (« publish »)",
}
PROSE = ("promesse", "promesse_courte", "description", "cloture_precision")
UNITS = {"money": "EUR", "rate": "%"}


class PageError(ValueError):
    """What is wrong with a call page's front matter, as French lines (field by field)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def page_meta(front: dict, call: Call) -> dict:
    """The metadata a call page publishes: its front matter, its prose with the call's figures written
    in, and the name, window, amounts and phase dates of the call's params.json."""
    problems = [
        f"champ « {key} » : {what} se déclare dans params.json, pas dans la page"
        for key, what in FROM_PARAMS.items()
        if key in front
    ]
    params = call.params

    def fill(field: str, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        try:
            return params.format(text)
        except (KeyError, ValueError, AttributeError, IndexError) as error:
            problems.append(f"champ « {field} » : {_reason(error)}")
            return text

    meta: dict = {"id": front.get("id"), "titre": call.title}
    for key, value in front.items():
        if key in meta or key in FROM_PARAMS:
            continue
        if key in PROSE:
            value = fill(key, value)
        elif key == "eligibilite" and isinstance(value, list):
            value = [fill(f"eligibilite.{n}", item) for n, item in enumerate(value)]
        elif key == "eligibilite_geographique" and isinstance(value, list):
            value = [
                {**zone, "nom": fill(f"eligibilite_geographique.{n}.nom", zone.get("nom"))}
                if isinstance(zone, dict)
                else zone
                for n, zone in enumerate(value)
            ]
        elif key == "phases" and isinstance(value, list):
            value = [_phase(phase, n, params, fill, problems) for n, phase in enumerate(value)]
        meta[key] = value
    if call.opens is not None:
        meta["date_ouverture"] = call.opens.isoformat()
    if call.closes is not None:
        meta["date_cloture"] = call.closes.isoformat()
    amounts = [_amount(param) for param in params if param.publish]
    if amounts:
        meta["montants"] = amounts
    if problems:
        raise PageError(problems)
    return meta


def _phase(phase: Any, n: int, params: Params, fill, problems: list[str]) -> Any:
    if not isinstance(phase, dict):
        return phase
    where = f"phases.{n}"
    shown = {**phase, "titre": fill(f"{where}.titre", phase.get("titre"))}
    if "date_cloture" in phase:
        problems.append(
            f"champ « {where}.date_cloture » : une date se déclare dans params.json ; nommez son paramètre "
            "(« parametre: … »)"
        )
    name = shown.pop("parametre", None)
    if name is None:
        return shown
    if name not in params or params[name].type not in ("date", "datetime"):
        problems.append(f"champ « {where}.parametre » : « {name} » n'est pas une date de params.json")
        return shown
    if "ancre" in phase:
        problems.append(f"champ « {where}.ancre » : l'ancre d'une phase datée est la clause de son paramètre")
    param = params[name]
    return {**shown, "date_cloture": end_of_day(param.value).isoformat(), "ancre": param.clause}


def _amount(param: Param) -> dict:
    """A published parameter as the front matter's `montants` item: a rate in percent, money in euros."""
    value = param.value * 100 if param.type == "rate" else param.value
    return {
        "id": param.publish["id"],
        "libelle": param.label,
        "type": param.publish["type"],
        "valeur": format(Decimal(value).normalize(), "f"),
        "unite": UNITS.get(param.type, param.type),
        "ancre": param.clause,
    }


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"{error.args[0]} (les noms entre accolades sont ceux de params.json)"
    return f"{error} (les noms entre accolades sont ceux de params.json)"
