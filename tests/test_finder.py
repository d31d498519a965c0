"""The finder applies every call's own rules to a collectivité picked from the official data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.engine import all_calls, check
from checker.finder import _decision, dossier_for, find, judge
from checker.model import ko
from checker.rules import Rule
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
    assert fitn7.badge == "clos"  # never « à compléter » next to « Appel clos »


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

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "checker", "finder", *args], env=env, capture_output=True, text=True
        )

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


# ---- what the finder can decide, and what it cannot ------------------------------------------------

AMOUNTS = ("1", "500", "40000", "5000000", "1000000000")


def profiles(territory):
    macon = territory.by_siren("217102706")
    return [
        macon,
        territory.epci_of(macon),
        territory.by_departement("71"),
        territory.by_departement("37"),
        next(e for e in territory.search("Tours") if e.kind == "commune" and e.departement == "37"),
    ]


def test_typing_the_cost_never_makes_a_call_ineligible_on_the_budget(territory):
    for entity in profiles(territory):
        without = {f.call: f for f in find(entity.applicant())}
        for amount in AMOUNTS:
            for f in find(entity.applicant(), "formation des agents au numérique", amount):
                if f.verdict == "non_eligible":
                    assert without[f.call].verdict == "non_eligible", (entity.name, amount, f)
                    assert f.reason == without[f.call].reason
                assert "ressources" not in (f.reason or "") and "dépenses" not in (f.reason or ""), (
                    entity.name,
                    amount,
                    f,
                )


def test_a_rule_that_reads_what_the_finder_does_not_know_is_undecided_not_failed():
    """However a call's rule is written: resources the finder never filled in (read as an empty list
    here, as a text may let absent lines count as none) cannot make it fail."""

    def resources_cover_the_cost(d):
        funded = sum(line.get("amount", 0) for line in d.items("budget.resources"))
        return ko(f"Les ressources ({funded} €) ne couvrent pas les dépenses.")

    rule = Rule("essai.equilibre", "Budget équilibré", "budget", True, resources_cover_the_cost)
    data = dossier_for({"kind": "commune", "name": "Mâcon", "departement": "71"}, "formation", "40000")
    assert (
        _decision(
            rule,
            data,
            {
                "applicant",
                "applicant.kind",
                "applicant.name",
                "applicant.departement",
                "project",
                "project.filing_date",
                "budget",
                "budget.expenses",
            },
        )
        is None
    )

    def commune_only(d):
        return ko("Réservé aux départements.") if d.get("applicant.kind") == "commune" else ko("?")

    rule = Rule("essai.porteur", "Porteur", "porteurs", True, commune_only)
    assert _decision(rule, data, {"applicant.kind"}) == "ko"  # the profile alone decides it


def test_a_commune_is_told_that_pass_numeriques_takes_communes_only_as_a_groupement(territory):
    macon = territory.by_siren("217102706")
    for amount in (None, "40000"):
        passes = by_call(find(macon.applicant(), "Pass numériques", amount))["pass-numeriques-2020"]
        assert passes.verdict == "a_completer" and passes.reason is None, passes
        first = passes.conditions[0]
        assert first.rule == "pass.communes_en_groupement" and "groupement" in first.label
        assert first.clause == "appels/pass-numeriques-2020/#candidature-communes-groupement"


def test_a_departement_is_not_asked_the_communes_condition(territory):
    passes = by_call(find(territory.by_departement("71").applicant()))["pass-numeriques-2020"]
    assert "pass.communes_en_groupement" not in {c.rule for c in passes.conditions}
    assert "Les communes candidatent uniquement en groupement" in passes.held


def test_closed_calls_say_clos_and_come_after_the_open_ones(territory):
    findings = find(territory.by_siren("217102706").applicant())
    closed = [f.closed for f in findings]
    assert closed == sorted(closed) and any(closed) and not all(closed)
    for f in findings:
        assert f.badge == ("clos" if f.closed else f.verdict), f
        assert f.badge != "a_completer" or not f.closed


def test_the_finder_agrees_with_the_form_filled_with_the_same_applicant(territory):
    """The form the finder opens knows the applicant and nothing else: where the finder refuses, it
    refuses for the same first reason; where the finder waits for answers, it does not refuse."""
    for entity in profiles(territory):
        applicant = entity.applicant()
        for f in find(applicant):
            form = check(f.call, {"applicant": applicant})
            first_failure = next((v for v in form.verdicts[1:] if v.blocking and v.status == "ko"), None)
            if f.verdict == "non_eligible":
                assert form.verdict == "non_eligible" and first_failure.message == f.reason, (entity.name, f.call)
            else:
                assert form.verdict != "non_eligible", (entity.name, f.call, first_failure)


def test_every_call_is_judged_in_one_finding(territory):
    findings = find(territory.by_departement("37").applicant())
    assert sorted(f.call for f in findings) == sorted(all_calls())
    assert all(
        judge(all_calls()[f.call], dossier_for(territory.by_departement("37").applicant())).badge == f.badge
        for f in findings
    )


@pytest.mark.parametrize("day, closed", [("2021-10-22", False), ("2021-10-23", True)])
def test_a_call_is_closed_by_its_window_the_day_after_it_closes(day, closed):
    from datetime import date

    mairie = {"kind": "commune", "name": "Mâcon", "departement": "71", "siren": "217102706"}
    fitn7 = by_call(find(mairie, on=date.fromisoformat(day)))["fitn7-saone-et-loire"]
    assert fitn7.closed is closed and (fitn7.badge == "clos") is closed
    aidants = by_call(find(mairie, on=date.fromisoformat(day)))["indre-et-loire-aidants-connect"]
    assert not aidants.closed  # no closing date in the letter: never closed
