"""Our vocabulary → Etalab's schema « dispositif-aide » v0.2.0 (overrides/hooks/etalab.py): every
value maps, every call's record is what the field documentation asks. No build needed: the
fresh-clone test runs this file."""

from __future__ import annotations

import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from frictionless import Resource, Schema
from pages import call_pages
from stdnum.fr import siren

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import etalab  # noqa: E402  (overrides/hooks/etalab.py: the mapping)

METADATA = json.loads((ROOT / "schemas" / "metadata.schema.json").read_text("utf-8"))["properties"]
COMMON = json.loads((ROOT / "schemas" / "common.schema.json").read_text("utf-8"))["$defs"]


def front_matters() -> dict[str, dict]:
    """Every call page's metadata as published (its front matter completed from params.json)."""
    return {call_id: meta for call_id, (_, meta) in call_pages().items()}


def validate(folder: Path, name: str):
    """frictionless against the vendored schema; a report whose errors say row, field and rule."""
    schema = Schema.from_descriptor(json.loads(etalab.SCHEMA.read_text("utf-8")))
    return Resource(path=name, basepath=str(folder), schema=schema).validate()


def errors_of(report) -> list[str]:
    return [e.message for task in report.tasks for e in task.errors]


def test_every_applicant_kind_maps_to_etalab_cibles():
    ours = set(COMMON["applicant_kind"]["enum"]) | set(METADATA["cibles"]["items"]["enum"])
    assert ours == set(etalab.APPLICANT_KINDS), "a kind without its Etalab cible, or a stale entry"
    for kind, cibles in etalab.APPLICANT_KINDS.items():
        assert cibles and set(cibles) <= set(etalab.CIBLES), kind


def test_every_aid_type_role_and_zone_type_maps():
    assert set(METADATA["types_aides"]["items"]["enum"]) == set(etalab.AID_TYPES)
    assert all(v and set(v) <= set(etalab.TYPES_AIDES) for v in etalab.AID_TYPES.values())
    roles = METADATA["porteurs"]["items"]["properties"]["roles"]["items"]["enum"]
    assert set(roles) == set(etalab.PORTEUR_ROLES) and set(etalab.PORTEUR_ROLES.values()) <= set(etalab.ROLES)
    zone_types = METADATA["eligibilite_geographique"]["items"]["properties"]["type"]["enum"]
    assert set(zone_types) == set(etalab.GEO_TYPES)
    samples = {
        "pays": ("FR", "PAYS-99100"),
        "region": ("27", "REG-27"),
        "departement": ("71", "DEP-71"),
        "outre-mer": ("974", "DEP-974"),
    }
    for kind in zone_types:
        code, expected = samples[kind]
        assert etalab.zone_code({"type": kind, "code": code, "nom": "…"}) == expected


@pytest.mark.parametrize(
    "zone",
    [
        {"type": "departement", "code": "2A", "nom": "Corse-du-Sud"},
        {"type": "pays", "code": "BE", "nom": "Belgique"},
        {"type": "outre-mer", "code": "988", "nom": "Nouvelle-Calédonie"},
    ],
)
def test_a_zone_without_a_known_code_stops_the_build_and_says_which(zone):
    with pytest.raises(etalab.MappingError, match=zone["nom"]):
        etalab.zone_code(zone)


def test_every_call_maps_and_its_promesse_is_what_the_field_documentation_asks():
    """« 6 à 15 mots », an imperative first, addressing the reader, no final stop, 180 characters at most."""
    metas = front_matters()
    assert set(metas) == set(all_calls())
    for call_id, meta in metas.items():
        row = etalab.record(meta)
        words = row["promesse"].split()
        assert 6 <= len(words) <= 15 and len(row["promesse"]) <= 180, (call_id, row["promesse"])
        assert not row["promesse"].endswith(".") and re.search(r"\b(vous|vos|votre)\b", row["promesse"]), call_id
        assert words[0].endswith(("ez", "ez-vous")) or words[0] in ("Faites",), (call_id, words[0])
        assert meta["promesse"] != row["promesse"], "the summary card keeps the long promesse"


def test_ids_are_stable_uuids_derived_from_the_call_id():
    """Published ids never change: a catalog that imported a call recognises it at the next import."""
    value = etalab.call_uuid("fitn7-saone-et-loire")
    assert value == "59fe179a-e822-59ee-8f87-d9e1a1492aa3" and uuid.UUID(value).version == 5
    assert len({etalab.call_uuid(c) for c in all_calls()}) == len(all_calls())


def test_porteurs_carry_a_valid_siren_where_known():
    known = 0
    for meta in front_matters().values():
        for porteur in json.loads(etalab.record(meta)["porteurs"]):
            assert set(porteur) <= {"nom", "siren", "roles"} and porteur["roles"]
            if "siren" in porteur:
                known += 1
                assert siren.is_valid(porteur["siren"]), porteur
    assert known >= 5


def test_the_mapping_writes_lists_with_the_schema_separator():
    meta = front_matters()["indre-et-loire-aidants-connect"]
    row = etalab.record(meta)
    assert row["types_aides"] == "conseil|information"
    assert row["cibles"] == "professionnels|associations|secteur public"
    assert row["eligibilite"].count("\n• ") == len(meta["eligibilite"]) - 1
    assert row["date_mise_a_jour"] == "2025-01-15T00:00:00+01:00"
    assert etalab.record(front_matters()["fitn7-saone-et-loire"])["eligibilite_geographique"] == "DEP-71"


def test_the_schema_own_example_passes_the_validator():
    report = validate(etalab.SCHEMA.parent, "exemple.csv")
    assert report.valid, errors_of(report)
