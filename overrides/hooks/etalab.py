"""Our front matter → Etalab's schema « dispositif-aide » v0.2.0 (schemas/etalab/), not a hook.

The one place where this project's vocabulary meets Etalab's: the summary card, the catalog and
the checker keep the richer vocabulary of the front matter (16 applicant kinds, zones with
names…); the open data (donnees/appels.csv and .json, built by catalog.py) says it in Etalab's
terms through the tables and functions below. tests/test_open_data.py checks that every value of
our vocabularies maps and validates the built CSV against the vendored schema with frictionless.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "etalab" / "schema.json"
PARIS = ZoneInfo("Europe/Paris")
SEPARATOR = "|"  # the schema's separator for lists held in one column

# Stable identifiers: a UUIDv5 of the call id in this project's namespace. It depends on nothing
# else (not the build, not the site's address), so a catalog that imported a call recognises it.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://appels-numeriques.example/appels/")

# --- Etalab's vocabularies -------------------------------------------------------------------
# `cibles`: the four values of the schema's own pattern, in its order.
CIBLES = ("professionnels", "particuliers", "associations", "secteur public")
# `types_aides` and the porteurs' roles: the schema points to its Grist document for the lists;
# these are the values published with the schema's examples and data models.
TYPES_AIDES = ("assistance", "avantage fiscal", "conseil", "étude", "financement", "formation", "information", "prêt")
ROLES = ("diffuseur", "financeur", "instructeur")

# --- our vocabulary → Etalab's ---------------------------------------------------------------
# Applicant kinds (schemas/common.schema.json, applicant_kind) → `cibles`.
APPLICANT_KINDS: dict[str, tuple[str, ...]] = {
    "commune": ("secteur public",),
    "communaute_de_communes": ("secteur public",),
    "communaute_d_agglomeration": ("secteur public",),
    "communaute_urbaine": ("secteur public",),
    "metropole": ("secteur public",),
    "metropole_de_lyon": ("secteur public",),
    "metropole_du_grand_paris": ("secteur public",),
    "syndicat_de_communes": ("secteur public",),
    "syndicat_mixte": ("secteur public",),
    "departement": ("secteur public",),
    "region": ("secteur public",),
    "collectivite_statut_particulier": ("secteur public",),
    "gip": ("secteur public",),
    # A maison France Services is run by a collectivité, an association or a public operator.
    "porteur_france_services": ("secteur public", "associations"),
    # Associations, and the other structures of the ESS (coopératives, entreprises d'insertion…).
    "association_ess": ("associations", "professionnels"),
    # « Autre personne morale »: in our calls, the bodies funded by local authorities alone
    # (SPL, SEM, établissements publics) that the FITN texts admit.
    "autre": ("secteur public",),
}
# Aid types (front matter `types_aides`) → `types_aides`.
AID_TYPES: dict[str, tuple[str, ...]] = {
    "Subvention": ("financement",),
    "Financière": ("financement",),
    "Prêt": ("prêt",),
    "Avance récupérable": ("prêt",),
    "Technique": ("conseil",),  # accompagnement, expertise, ingénierie
    "Administrative": ("information",),  # « information : légales, administratives »
    "Autre": ("information",),
}
# Porteurs' roles: the same three words on both sides.
PORTEUR_ROLES: dict[str, str] = {role: role for role in ROLES}
# Zones (front matter `eligibilite_geographique`) → codes of the Code officiel géographique in the
# schema's notation (`PAYS-99100`, `REG-84`, `DEP-71`).
COUNTRIES = {"FR": "PAYS-99100"}
OVERSEAS_DEPARTMENTS = ("971", "972", "973", "974", "976")
GEO_TYPES = ("pays", "region", "departement", "outre-mer")


class MappingError(ValueError):
    """A value of our vocabulary that has no Etalab equivalent: the build stops and says which."""


@lru_cache(maxsize=None)
def schema() -> dict:
    return json.loads(SCHEMA.read_text("utf-8"))


def fields() -> list[str]:
    """The schema's columns, in its order: the CSV's header, nothing more."""
    return [f["name"] for f in schema()["fields"]]


def call_uuid(call_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, call_id))


def _joined(values, table: dict[str, tuple[str, ...]], what: str, order: tuple[str, ...]) -> str:
    mapped: set[str] = set()
    for value in values:
        if value not in table:
            raise MappingError(
                f"{what} « {value} » : aucune correspondance dans le vocabulaire Etalab (overrides/hooks/etalab.py)"
            )
        mapped.update(table[value])
    return SEPARATOR.join(v for v in order if v in mapped)


def cibles(kinds: list[str]) -> str:
    return _joined(kinds, APPLICANT_KINDS, "Porteur admis", CIBLES)


def types_aides(types: list[str]) -> str:
    return _joined(types, AID_TYPES, "Type d'aide", TYPES_AIDES)


def zone_code(zone: dict) -> str:
    kind, code = zone.get("type"), str(zone.get("code") or "")
    if kind == "pays" and code in COUNTRIES:
        return COUNTRIES[code]
    if kind == "region" and code.isdigit():
        return f"REG-{code}"
    if kind == "departement" and code.isdigit():
        return f"DEP-{code}"
    if kind == "outre-mer" and code in OVERSEAS_DEPARTMENTS:
        return f"DEP-{code}"
    raise MappingError(
        f"Zone « {zone.get('nom')} » ({kind}, code « {code} ») : pas de code géographique Etalab connu "
        "(overrides/hooks/etalab.py)"
    )


def zones(items: list[dict] | None) -> str:
    return SEPARATOR.join(dict.fromkeys(zone_code(z) for z in items or []))


def porteurs(items: list[dict]) -> str:
    """`[{"nom": …, "siren": …, "roles": […]}]` as JSON, the SIREN only where it is known."""
    out = []
    for p in items:
        roles = [r for r in p["roles"] if r not in PORTEUR_ROLES]
        if roles:
            raise MappingError(f"Rôle « {roles[0]} » de « {p['nom']} » : aucune correspondance Etalab")
        out.append(
            {
                "nom": p["nom"],
                **({"siren": p["siren"]} if p.get("siren") else {}),
                "roles": [PORTEUR_ROLES[r] for r in p["roles"]],
            }
        )
    return json.dumps(out, ensure_ascii=False)


def updated(value) -> str:
    """The front matter's review date (a day) as the schema's date-time: midnight in Paris."""
    day = value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value)[:10])
    return datetime.combine(day, time(0), PARIS).isoformat()


def eligibility(items: list[str]) -> str:
    """One criterion per bullet, as the field documentation asks (criteria hold commas)."""
    return "\n".join(f"• {item}" for item in items)


def record(meta: dict) -> dict[str, str]:
    """One call's row: every column of the schema, in its order, as text (empty when unknown)."""
    row = {
        "id": call_uuid(meta["id"]),
        "titre": meta["titre"],
        "promesse": meta["promesse_courte"],
        "description": " ".join(meta["description"].split()),
        "eligibilite": eligibility(meta["eligibilite"]),
        "types_aides": types_aides(meta["types_aides"]),
        "porteurs": porteurs(meta["porteurs"]),
        "programmes_parents": SEPARATOR.join(meta.get("programmes_parents") or []),
        "url_source": meta.get("url_source") or "",
        "cibles": cibles(meta["cibles"]),
        "eligibilite_geographique": zones(meta["eligibilite_geographique"]),
        "eligibilite_geographique_exclusions": zones(meta.get("eligibilite_geographique_exclusions")),
        "date_ouverture": meta.get("date_ouverture") or "",
        "date_cloture": meta.get("date_cloture") or "",
        "date_mise_a_jour": updated(meta["date_mise_a_jour"]),
    }
    if list(row) != fields():
        raise MappingError("overrides/hooks/etalab.py : les colonnes produites ne sont pas celles du schéma vendorisé")
    return row
