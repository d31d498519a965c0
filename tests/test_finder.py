"""The finder applies every call's own rules to a collectivité picked from the official data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.finder import find
from checker.territory import Territory, build_index

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data"


@pytest.fixture(scope="module")
def index_file(tmp_path_factory) -> Path:
    if not DATA.exists():
        pytest.fail("node_modules/@etalab/decoupage-administratif is missing: run the README's test command.")
    path = tmp_path_factory.mktemp("territoire") / "territoire.json"
    path.write_text(json.dumps(build_index(DATA, "test")), "utf-8")
    return path


@pytest.fixture(scope="module")
def territory(index_file) -> Territory:
    return Territory.load(index_file)


def by_call(findings):
    return {f.call: f for f in findings}


def test_macon_is_judged_by_the_saone_et_loire_guichet(territory):
    macon = territory.by_siren("217102706")
    fitn7 = by_call(find(macon.applicant()))["fitn7-saone-et-loire"]
    assert fitn7.closed and fitn7.verdict != "non_eligible", fitn7


def test_the_agglomeration_of_macon_is_refused_with_the_clause_that_excludes_it(territory):
    agglo = territory.epci_of(territory.by_siren("217102706"))
    fitn7 = by_call(find(agglo.applicant()))["fitn7-saone-et-loire"]
    assert fitn7.verdict == "non_eligible"
    assert "agglomération" in fitn7.reason and fitn7.clause.startswith("appels/fitn7-saone-et-loire/#")


def test_a_departement_is_at_the_scale_tani_asks(territory):
    from checker.engine import check
    from checker.finder import dossier_for

    report = check("tani-promotion-2", dossier_for(territory.by_departement("71").applicant()))
    scale = next(v for v in report.verdicts if v.rule == "tani.echelle_territoriale")
    assert scale.status == "ok"


def test_a_commune_of_another_departement_is_refused_by_the_saone_et_loire_guichet_for_territory(territory):
    tours = next(e for e in territory.search("Tours") if e.kind == "commune" and e.departement == "37")
    fitn7 = by_call(find(tours.applicant()))["fitn7-saone-et-loire"]
    assert fitn7.verdict == "non_eligible" and "71" in fitn7.reason, fitn7


def test_finder_command_line(index_file):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CHECKER_TERRITOIRE": str(index_file)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "checker", "finder", *args], env=env,  # noqa: E731
                                       capture_output=True, text=True)
    result = run("--siren", "200070308", "--json")
    data = json.loads(result.stdout)
    assert data["entity"]["kind"] == "communaute_d_agglomeration"
    assert {f["call"]: f["verdict"] for f in data["findings"]}["fitn7-saone-et-loire"] == "non_eligible"
    wrong = run("--siren", "200070309")
    assert wrong.returncode == 2 and "clé de contrôle" in wrong.stderr and "Traceback" not in wrong.stderr
    text = run("--departement", "71")
    assert "Saône-et-Loire" in text.stdout and text.returncode in (0, 1)


def test_findings_list_the_conditions_already_met(territory):
    tani = by_call(find(territory.by_departement("71").applicant()))["tani-promotion-2"]
    assert any("échelle" in label for label in tani.held), tani.held
