"""AMI TANI promotion 2: every rule passes and fails, the deadline at its edges, clauses on the page."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pages import published
from support import load_dossier, set_path, verdict_of

from checker.dates import PARIS
from checker.engine import check, get_call

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "appels" / "tani-promotion-2.md"
FIXTURES = ROOT / "tests" / "dossiers" / "tani-promotion-2"
CALL = get_call("tani-promotion-2")
ANCHOR = re.compile(r"\{:?\s*#([a-z0-9][a-z0-9-]*)[\s}]|<span id=\"([a-z0-9-]+)\"></span>")


def page_ids() -> set[str]:
    return {a or b for a, b in ANCHOR.findall(PAGE.read_text("utf-8"))}


def front_matter() -> dict:
    """The page's metadata as published: its front matter completed from params.json."""
    return published(PAGE)


def fixture(name: str = "cc-coeur-de-loire-eligible") -> dict:
    return load_dossier("tani-promotion-2", name)


def run(data: dict):
    return check("tani-promotion-2", data)


def verdict(data: dict, rule: str):
    return verdict_of("tani-promotion-2", data, rule)


with_ = set_path


# --- the page, its front matter and the clauses -------------------------------------------------


def test_page_starts_with_a_single_h1_and_has_the_two_footnotes():
    body = PAGE.read_text("utf-8").split("---", 2)[2]
    assert body.lstrip().startswith("# ")
    assert len(re.findall(r"^# ", body, re.M)) == 1
    assert "[^1]: Schémas départementaux d'amélioration de l'accessibilité des services au public." in body
    assert "[^2]: Stratégie de Développement des Usages et Services Numériques." in body
    assert "](#)" not in body and "<sup>1</sup>" not in body


def test_front_matter_is_valid_and_its_anchors_exist():
    meta = front_matter()
    schema = json.loads((ROOT / "schemas" / "metadata.schema.json").read_text("utf-8"))
    errors = [e.message for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(meta)]
    assert not errors
    cited = set(meta["ancres"].values()) | {p["ancre"] for p in meta["phases"]}
    assert cited <= page_ids()
    assert datetime.fromisoformat(meta["date_cloture"]) == CALL.params.deadline


def test_every_rule_and_parameter_cites_an_anchor_of_the_page():
    ids = page_ids()
    assert {r.clause for r in CALL.rules} <= ids
    assert {p.clause for p in CALL.params} <= ids
    clauses = {r.id: r.clause for r in CALL.rules}
    for v in run(fixture()).verdicts:
        assert v.clause == f"appels/tani-promotion-2/#{clauses[v.rule]}"
        assert clauses[v.rule] in ids
        assert v.rule.startswith("tani.")


def test_deadline_is_the_eve_of_5_october_in_paris_time():
    assert CALL.params.deadline == datetime(2019, 10, 4, 23, 59, 59, tzinfo=PARIS)
    assert CALL.params.deadline.utcoffset().total_seconds() == 2 * 3600
    assert CALL.rules.rules[0].id == "tani.date_limite"


# --- the deadline: day before, last day, day after ----------------------------------------------


@pytest.mark.parametrize(
    "day, hour, status",
    [
        ("2019-10-03", None, "ok"),
        ("2019-10-04", None, "ok"),
        ("2019-10-04", "23:59", "ok"),
        ("2019-10-05", None, "ko"),
        ("2019-10-05", "00:00", "ko"),
    ],
)
def test_deadline_admits_filings_strictly_before_5_october(day, hour, status):
    data = with_(with_(fixture(), "project.filing_date", day), "project.filing_time", hour)
    result = verdict(data, "tani.date_limite")
    assert result.status == status
    assert "4 octobre 2019" in result.message


def test_a_closed_call_still_evaluates_every_rule():
    report = run(fixture("cc-depot-5-octobre"))
    assert report.eligible is False
    assert len(report.verdicts) == len(CALL.rules.rules)
    assert all(v.status == "ok" for v in report.verdicts[1:])


# --- who may apply, at what scale ---------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, status",
    [
        ("communaute_de_communes", "ok"),
        ("communaute_d_agglomeration", "ok"),
        ("communaute_urbaine", "ok"),
        ("metropole", "ok"),
        ("metropole_de_lyon", "ok"),
        ("metropole_du_grand_paris", "ok"),
        ("departement", "ok"),
        ("commune", "ko"),
        ("region", "ko"),
        ("syndicat_mixte", "ok"),
        ("syndicat_de_communes", "ok"),
        ("gip", "ok"),
    ],
)
def test_territorial_scale_by_kind(kind, status):
    assert verdict(with_(fixture(), "applicant.kind", kind), "tani.echelle_territoriale").status == status


def test_commune_and_region_are_told_why():
    commune = verdict(with_(fixture(), "applicant.kind", "commune"), "tani.echelle_territoriale").message
    region = verdict(with_(fixture(), "applicant.kind", "region"), "tani.echelle_territoriale").message
    assert "en deçà de l'intercommunalité" in commune
    assert "au-delà du département" in region


@pytest.mark.parametrize(
    "scale, status",
    [
        ("communale", "ko"),
        ("intercommunale", "ok"),
        ("departementale", "ok"),
        ("regionale", "ko"),
        (None, "a_completer"),
    ],
)
def test_scale_of_a_collectivite_a_statut_particulier(scale, status):
    data = with_(fixture("collectivite-martinique-departementale"), "eligibility.territorial_scale", scale)
    assert verdict(data, "tani.echelle_territoriale").status == status


@pytest.mark.parametrize(
    "kind",
    [
        "commune",
        "departement",
        "region",
        "communaute_urbaine",
        "syndicat_mixte",
        "gip",
        "collectivite_statut_particulier",
    ],
)
def test_collectivites_cooperation_structures_and_gip_are_eligible_kinds(kind):
    assert verdict(with_(fixture(), "applicant.kind", kind), "tani.porteur_eligible").status == "ok"


@pytest.mark.parametrize("kind", ["association_ess", "porteur_france_services", "autre"])
@pytest.mark.parametrize("public, status", [(True, "ok"), (False, "ko"), (None, "a_completer")])
def test_other_structures_need_public_participation(kind, public, status):
    data = with_(with_(fixture(), "applicant.kind", kind), "eligibility.public_participation", public)
    assert verdict(data, "tani.porteur_eligible").status == status


# --- selection criteria -------------------------------------------------------------------------

KEYS_1 = ["pass_numeriques", "schemas_territoriaux", "equipe_dediee", "demarche_partenariale", "reseau_mediation"]


@pytest.mark.parametrize("met, status", [(0, "ko"), (1, "ko"), (2, "ok"), (3, "ok"), (5, "ok")])
def test_category_1_needs_at_least_2_of_the_5_criteria(met, status):
    criteria = {key: i < met for i, key in enumerate(KEYS_1)}
    result = verdict(with_(fixture(), "criteria_category_1", criteria), "tani.criteres_categorie_1")
    assert result.status == status
    criteria_met = f"{met} critères remplis" if met > 1 else f"{met} critère rempli"
    assert f"{criteria_met} sur 5" in result.message and "au moins 2" in result.message


def test_category_1_without_its_answers_is_to_complete():
    data = with_(fixture(), "criteria_category_1", None)
    result = verdict(data, "tani.criteres_categorie_1")
    assert result.status == "a_completer"
    assert result.missing == [f"/criteria_category_1/{key}" for key in KEYS_1]  # all five, not only the first
    assert run(data).eligible is None and run(data).verdict == "a_completer"


def test_each_category_ignores_the_other_categorys_criteria():
    assert verdict(fixture(), "tani.criteres_categorie_2").message.startswith("Sans objet")
    assert verdict(fixture("departement-indre-et-loire-categorie-2"), "tani.criteres_categorie_1").status == "ok"


@pytest.mark.parametrize(
    "key, label", [("interest", "intérêt"), ("means", "moyens d'action"), ("action_plan", "plan d'action")]
)
def test_category_2_needs_each_of_its_three_criteria(key, label):
    base = fixture("departement-indre-et-loire-categorie-2")
    assert verdict(base, "tani.criteres_categorie_2").status == "ok"
    result = verdict(with_(base, f"criteria_category_2.{key}", False), "tani.criteres_categorie_2")
    assert result.status == "ko" and label in result.message and "2 sur 3" in result.message


# --- elected official, referent, participation, pieces ------------------------------------------


@pytest.mark.parametrize("supported, status", [(True, "ok"), (False, "ko"), (None, "a_completer")])
def test_support_of_an_elected_official_is_mandatory(supported, status):
    data = with_(fixture(), "elected_support.supported", supported)
    result = verdict(data, "tani.soutien_elu")
    assert result.status == status and result.blocking
    if status == "ok":
        assert "Jean-Pierre Château" in result.message


@pytest.mark.parametrize("available, status", [(True, "ok"), (False, "ko")])
def test_referent_must_have_time_in_2020(available, status):
    result = verdict(with_(fixture(), "referent.available_2020", available), "tani.referent")
    assert result.status == status and "2020" in result.message and "Élodie Marchand" in result.message


@pytest.mark.parametrize("key, words", [("phone_meetings", "points téléphoniques"), ("tani_meetings", "3 mois")])
def test_participation_in_calls_and_meetings(key, words):
    result = verdict(with_(fixture(), f"commitments.{key}", False), "tani.participation_animations")
    assert result.status == "ko" and words in result.message


@pytest.mark.parametrize(
    "key, label",
    [
        ("presentation", "présentation du territoire"),
        ("support_letter", "lettre de soutien"),
        ("motivation_letter", "lettre de motivation"),
        ("documentation_sheet", "fiche de documentation"),
    ],
)
def test_each_piece_of_the_file_is_required(key, label):
    result = verdict(with_(fixture(), f"pieces.{key}", False), "tani.pieces")
    assert result.status == "ko" and label in result.message
    assert run(with_(fixture(), f"pieces.{key}", False)).eligible is False


# --- the charter: advice, not exclusion ---------------------------------------------------------


@pytest.mark.parametrize(
    "measures, status",
    [
        ([], "ko"),
        (["pix"], "ko"),
        (["pix", "pass_numerique"], "ok"),
        (["outils_usagers", "aidants_numeriques", "pix", "pass_numerique", "cartographie", "gouvernance_locale"], "ok"),
    ],
)
def test_charter_needs_at_least_two_of_the_six_measures(measures, status):
    data = with_(fixture(), "charter.measures", measures)
    result = verdict(data, "tani.charte_dispositifs")
    assert result.status == status and not result.blocking
    planned = "dispositifs de la Charte prévus" if len(measures) > 1 else "dispositif de la Charte prévu"
    assert f"{len(measures)} {planned} sur 6" in result.message
    assert run(data).eligible is True


@pytest.mark.parametrize(
    "path, rule",
    [
        ("charter.document_approach", "tani.charte_engagements"),
        ("charter.tool_feedback", "tani.charte_engagements"),
        ("charter.open_licence", "tani.charte_licence"),
        ("charter.partnership", "tani.charte_partenariale"),
    ],
)
def test_charter_commitments_warn_without_excluding(path, rule):
    assert verdict(fixture(), rule).status == "ok"
    data = with_(fixture(), path, False)
    assert verdict(data, rule).status == "ko"
    assert run(data).eligible is True


def test_without_a_charter_block_its_rules_are_to_complete_and_eligibility_holds():
    report = run(with_(fixture(), "charter", None))
    charter = [v for v in report.verdicts if v.rule.startswith("tani.charte_")]
    assert len(charter) == 4 and all(v.status == "a_completer" for v in charter)
    assert report.eligible is True and report.verdict == "eligible"  # advisory rules never hold eligibility back
    assert {q.pointer for q in report.questions} == {
        "/charter/measures",
        "/charter/document_approach",
        "/charter/tool_feedback",
        "/charter/open_licence",
        "/charter/partnership",
    }
    assert all(q.blocking == 0 for q in report.questions)


def test_a_wrong_siren_is_a_warning():
    result = verdict(with_(fixture(), "applicant.siren", "200068089"), "tani.siren")
    assert result.status == "ko" and not result.blocking


# --- the schema ---------------------------------------------------------------------------------


def test_the_eligible_dossiers_fill_the_schema_without_errors():
    for name in ("cc-coeur-de-loire-eligible", "departement-indre-et-loire-categorie-2", "gip-e-cote-d-or"):
        report = run(fixture(name))
        assert report.schema_errors == [] and report.eligible is True, name


def test_budget_is_optional_but_category_answers_are_required():
    assert run(fixture()).schema_errors == []
    errors = run(with_(fixture(), "criteria_category_1", None)).schema_errors
    assert [e.path for e in errors] == ["/criteria_category_1"]
    errors = run(
        with_(fixture("collectivite-martinique-departementale"), "eligibility.territorial_scale", None)
    ).schema_errors
    assert [e.path for e in errors] == ["/eligibility/territorial_scale"]
