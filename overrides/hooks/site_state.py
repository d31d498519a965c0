"""What the build hooks share, in one typed object (not a hook: mkdocs.yml does not list it).

Every value one hook computes and another hook or a template reads lives in `STATE`, each field
with the hook and the event that fill it. The hooks import it by name (`from site_state import
STATE`): mkdocs puts a hook's folder on sys.path while it loads the hook, so the first hook to
import this module registers it in sys.modules and every other hook gets that same module (a
file listed under `hooks:` would instead be loaded a second time, under its path). The templates
read it as the Jinja global `site_state` (jinja_filters.install).

The order of events is declared, not taken from the `hooks:` list: the writers' handlers carry
`@event_priority` (metadata.py's on_files first, then sources.py's), and a field read before its
writer has run stops the build and names that writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mkdocs.exceptions import PluginError

T = TypeVar("T")


class StateError(PluginError):
    """A field of the shared state read before the hook that fills it has run."""


class Slot(Generic[T]):
    """A field filled once per build by one hook, in one event; reading it earlier is an error."""

    def __init__(self, filled_by: str) -> None:
        self.filled_by = filled_by

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, holder: Any, owner: type | None = None) -> T:
        if holder is None:
            return self  # type: ignore[return-value]  (the class attribute: the slot itself)
        try:
            return holder.__dict__[self.name]
        except KeyError:
            raise StateError(
                f"site_state : « {self.name} » est lu avant d'être rempli par {self.filled_by} / "
                f"read before {self.filled_by} filled it"
            ) from None

    def __set__(self, holder: Any, value: T) -> None:
        holder.__dict__[self.name] = value


@dataclass
class PublishedCall:
    """A call page as the site publishes it."""

    meta: dict  # its front matter completed from params.json, validated (page_meta.py)
    url: str  # the page's address from the site root
    src_uri: str  # its Markdown file under docs/
    # Its original text: sources/sources.json's entry plus `page`, `brut` and `taille` (a class
    # attribute, not a dataclass field: the constructor leaves it unfilled).
    texte_origine = Slot[dict]("sources.py (on_files)")


@dataclass(frozen=True)
class Agenda:
    """A call's iCalendar file."""

    path: str  # from the site root
    events: int


class SiteState:
    """The values the hooks and the templates share during one build."""

    # Every call page, by id, the calls without a closing date last.
    calls: Slot[dict[str, PublishedCall]] = Slot("metadata.py (on_files)")
    # Each call's organisations by role (financeur, instructeur, diffuseur), by call id.
    organisations: Slot[dict[str, dict[str, list]]] = Slot("catalog.py (on_files)")
    # The calls that have a calendar, by id (a call with no date has none).
    agendas: Slot[dict[str, Agenda]] = Slot("agenda.py (on_files)")
    # The version of @etalab/decoupage-administratif the territory index was built from.
    territory_version: Slot[str] = Slot("territory.py (on_files)")

    def reset(self) -> None:
        """Forget the previous build (mkdocs serve rebuilds in the same process)."""
        self.__dict__.clear()


STATE = SiteState()
