"""Collectivités from the official data (@etalab/decoupage-administratif), and SIREN resolution.

`build_index` turns the package's JSON files into one compact index, shared by the browser
(lazy-loaded by the finder page) and by CPython (`checker finder`). Each entity becomes the
shared applicant block of every form: kind, name, SIREN, population, département, région.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from stdnum.exceptions import ValidationError as NumberError
from stdnum.fr import siren as siren_number

# One row per entity: [kind, name, siren, postcodes, population, place, epci?] where place is the
# département code (the région code for a région). Région and zone come from the département
# table, kinds are indexes into KINDS: the index stays small enough for a phone.
KINDS = [
    "commune",
    "communaute_de_communes",
    "communaute_d_agglomeration",
    "communaute_urbaine",
    "metropole",
    "metropole_de_lyon",
    "metropole_du_grand_paris",
    "departement",
    "region",
]
EPCI_KINDS = {
    "CC": "communaute_de_communes",
    "CA": "communaute_d_agglomeration",
    "CU": "communaute_urbaine",
    "METRO": "metropole",
    "MET69": "metropole_de_lyon",
}
GRAND_PARIS_SIREN = "200054781"  # listed as METRO in the data; its own kind in our vocabulary


@dataclass(frozen=True)
class Entity:
    kind: str
    name: str
    siren: str | None
    postcodes: str
    population: int | None
    departement: str | None
    region: str | None
    zone: str | None
    epci: str | None = None

    def applicant(self) -> dict:
        """The shared applicant block of every call's form, filled from the official data."""
        block = {"kind": self.kind, "name": self.name}
        if self.siren:
            block["siren"] = self.siren
        if self.departement:
            block["departement"] = self.departement
        if self.region:
            block["region"] = self.region
        if self.population is not None:
            block["population"] = self.population
        return block


def build_index(data_dir: Path, version: str) -> dict:
    """The compact index from the package's data folder (communes, EPCI, départements, régions)."""
    load = lambda name: json.loads((data_dir / f"{name}.json").read_text("utf-8"))  # noqa: E731
    communes = [c for c in load("communes") if c["type"] == "commune-actuelle"]
    epcis, departements, regions = load("epci"), load("departements"), load("regions")
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    dep_population: dict[str, int] = {}
    for c in communes:
        dep_population[c["departement"]] = dep_population.get(c["departement"], 0) + (c.get("population") or 0)
    k = KINDS.index
    rows = []
    for c in communes:
        row = [
            k("commune"),
            c["nom"],
            c.get("siren"),
            " ".join(c.get("codesPostaux", [])),
            c.get("population"),
            c["departement"],
        ]
        rows.append(row + [epci_of[c["code"]]] if c["code"] in epci_of else row)
    commune_dep = {c["code"]: c["departement"] for c in communes}
    for e in epcis:
        kind = "metropole_du_grand_paris" if e["code"] == GRAND_PARIS_SIREN else EPCI_KINDS[e["type"]]
        rows.append(
            [k(kind), e["nom"], e["code"], "", e.get("populationMunicipale"), _majority_departement(e, commune_dep)]
        )
    for d in departements:
        rows.append([k("departement"), d["nom"], None, "", dep_population.get(d["code"]), d["code"]])
    for r in regions:
        population = sum(dep_population.get(d["code"], 0) for d in departements if d["region"] == r["code"])
        rows.append([k("region"), r["nom"], None, "", population, r["code"]])
    return {
        "source": "@etalab/decoupage-administratif",
        "version": version,
        "kinds": KINDS,
        "departements": {d["code"]: [d["nom"], d["region"], d["zone"]] for d in departements},
        "regions": {r["code"]: [r["nom"], r["zone"]] for r in regions},
        "entities": rows,
    }


def _majority_departement(epci: dict, commune_dep: dict) -> str | None:
    """An EPCI spanning several départements belongs, here, to the one of most of its inhabitants."""
    weight: dict[str, int] = {}
    for m in epci["membres"]:
        if m["code"] in commune_dep:
            dep = commune_dep[m["code"]]
            weight[dep] = weight.get(dep, 0) + (m.get("populationMunicipale") or 0)
    return max(weight, key=weight.get) if weight else None


class Territory:
    def __init__(self, index: dict) -> None:
        self.version = index["version"]
        self.kinds = index["kinds"]
        self.departements = index["departements"]
        self.regions = index["regions"]
        self.entities = [self._entity(row) for row in index["entities"]]
        self._by_siren = {e.siren: e for e in self.entities if e.siren}

    def _entity(self, row: list) -> Entity:
        kind, name, siren, postcodes, population, place, *epci = row
        kind = self.kinds[kind]
        if kind == "region":
            return Entity(kind, name, None, postcodes, population, None, place, self.regions[place][1])
        _, region, zone = self.departements[place]
        return Entity(kind, name, siren, postcodes, population, place, region, zone, epci[0] if epci else None)

    @classmethod
    def load(cls, path: Path) -> "Territory":
        return cls(json.loads(Path(path).read_text("utf-8")))

    def by_siren(self, number: str) -> Entity:
        """The entity with that SIREN; ValueError with a French message otherwise."""
        compact = siren_number.compact(number)
        try:
            siren_number.validate(compact)
        except NumberError:
            raise ValueError(
                f"Le numéro SIREN « {number} » est invalide : 9 chiffres dont une clé de contrôle (Luhn) juste sont attendus."
            ) from None
        if compact not in self._by_siren:
            raise ValueError(
                f"Aucune commune ni intercommunalité de SIREN {compact} dans les données officielles (version {self.version})."
            )
        return self._by_siren[compact]

    def by_departement(self, code: str) -> Entity:
        for e in self.entities:
            if e.kind == "departement" and e.departement == code.upper():
                return e
        raise ValueError(f"Département inconnu : « {code} ».")

    def epci_of(self, commune: Entity) -> Entity | None:
        return self._by_siren.get(commune.epci) if commune.epci else None

    def search(self, text: str, limit: int = 10) -> list[Entity]:
        """By name (accents and case ignored), postcode or SIREN; exact names first, then bigger places."""
        query = fold(text)
        if not query:
            return []
        found = []
        for e in self.entities:
            name = fold(e.name)
            if query == name or query in e.postcodes.split() or query == e.siren:
                found.append((0, -(e.population or 0), e))
            elif name.startswith(query) or f" {query}" in f" {name}":
                found.append((1, -(e.population or 0), e))
        return [e for *_, e in sorted(found, key=lambda t: (t[0], t[1]))[:limit]]


def fold(text: str) -> str:
    """Lowercase, no accents, hyphens and apostrophes as spaces: 'Mâcon' and 'macon' match."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("-", " ").replace("'", " ").split())


def index_path() -> Path:
    """Where CPython finds the index: $CHECKER_TERRITOIRE, else the build folder of the repository."""
    if os.environ.get("CHECKER_TERRITOIRE"):
        return Path(os.environ["CHECKER_TERRITOIRE"])
    return Path(__file__).resolve().parents[2] / "build" / "territoire.json"
