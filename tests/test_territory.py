"""The territory index is built from the official data, whole, and resolves SIRENs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.territory import Territory, build_index

DATA = Path(__file__).resolve().parents[1] / "node_modules" / "@etalab" / "decoupage-administratif" / "data"


@pytest.fixture(scope="module")
def territory() -> Territory:
    if not DATA.exists():
        pytest.fail("node_modules/@etalab/decoupage-administratif is missing: run the README's test command.")
    return Territory(build_index(DATA, "test"))


def test_index_has_every_commune_and_epci_of_the_package(territory):
    communes = {
        c["siren"]
        for c in json.loads((DATA / "communes.json").read_text("utf-8"))
        if c["type"] == "commune-actuelle" and c.get("siren")
    }
    epcis = {e["code"] for e in json.loads((DATA / "epci.json").read_text("utf-8"))}
    indexed = {e.siren for e in territory.entities if e.siren}
    assert communes <= indexed and epcis <= indexed
    assert sum(e.kind == "departement" for e in territory.entities) == len(
        json.loads((DATA / "departements.json").read_text("utf-8"))
    )


def test_a_siren_resolves_to_its_commune_and_its_intercommunality(territory):
    macon = territory.by_siren("217 102 706")
    assert (macon.name, macon.kind, macon.departement, macon.region) == ("Mâcon", "commune", "71", "27")
    agglo = territory.epci_of(macon)
    assert agglo.kind == "communaute_d_agglomeration" and "Mâconnais" in agglo.name
    assert macon.applicant() == {
        "kind": "commune",
        "name": "Mâcon",
        "siren": "217102706",
        "departement": "71",
        "region": "27",
        "population": macon.population,
    }


def test_a_wrong_checksum_is_refused_with_a_french_message(territory):
    with pytest.raises(ValueError, match="clé de contrôle"):
        territory.by_siren("217102707")
    with pytest.raises(ValueError, match="Aucune commune"):
        territory.by_siren("732829320")  # a valid SIREN, not a collectivité


def test_search_by_name_postcode_and_accents(territory):
    assert territory.search("macon")[0].name == "Mâcon"
    assert any(e.name == "Mâcon" for e in territory.search("71000"))
    assert territory.search("Saône-et-Loire")[0].kind == "departement"
    grand_paris = territory.by_siren("200054781")
    assert grand_paris.kind == "metropole_du_grand_paris"
