"""Banque des Territoires, AMI « Inclusion numérique des TPE »: every rule passes and fails, thresholds, clauses."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import pytest
from support import load_dossier, plain, set_path

from checker.engine import check, get_call
from checker.money import euros

CALL_ID = "bdt-inclusion-numerique-tpe"
ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "appels" / f"{CALL_ID}.md"
FIXTURES = Path(__file__).parent / "dossiers" / CALL_ID


def fixture(name: str) -> dict:
    return load_dossier(CALL_ID, name)


PHASE1 = fixture("commune-rurale-accompagnement")
PHASE2 = fixture("agglo-appui-financier")


def report(dossier: dict):
    return check(CALL_ID, dossier)


def verdicts(dossier: dict) -> dict:
    return {v.rule: v for v in report(dossier).verdicts}


def changed(base: dict, **paths) -> dict:
    """A copy of base with dotted paths set ('__' stands for '.'); None deletes the key."""
    for dotted, value in paths.items():
        base = set_path(base, dotted, value, sep="__")
    return base


def with_resources(base: dict, bdt: str, others: list[tuple[str, str, bool]]) -> dict:
    """Phase 2 dossier whose budget balances: one expense line equal to the resources."""
    d = copy.deepcopy(base)
    lines = [{"label": "Banque des Territoires", "funder_kind": "caisse_des_depots", "amount": Decimal(bdt)}]
    lines += [
        {"label": f"Financeur {i}", "funder_kind": kind, "amount": Decimal(amount), "in_kind": in_kind}
        for i, (kind, amount, in_kind) in enumerate(others)
    ]
    total = sum((line["amount"] for line in lines), Decimal(0))
    d["budget"] = {
        "expenses": [{"label": "Ateliers et formations des TPE", "category": "ateliers_formations", "amount": total}],
        "resources": lines,
        "total_expenses": total,
    }
    return d


# (rule, dossier that passes, dossier that fails)
PASS_FAIL = {
    "bdt.date_limite": (PHASE1, changed(PHASE1, project__filing_date="2021-12-08")),
    "bdt.porteur": (PHASE1, changed(PHASE1, applicant__kind="association_ess")),
    "bdt.metropole_quartiers": (
        changed(PHASE1, applicant__kind="metropole", targeting__fragile_priority_districts=True),
        changed(PHASE1, applicant__kind="metropole", targeting__fragile_priority_districts=False),
    ),
    "bdt.cibles_prioritaires": (PHASE1, changed(PHASE1, targeting__priority_targets=[])),
    "bdt.chef_de_projet": (PHASE1, changed(PHASE1, eligibility__operational_project_lead=False)),
    "bdt.accompagnement_suivi": (PHASE2, changed(PHASE2, eligibility__methodological_support_followed=False)),
    "bdt.pieces_accompagnement": (PHASE1, changed(PHASE1, pieces__application_form=False)),
    "bdt.pieces_appui_financier": (PHASE2, changed(PHASE2, pieces__administrative_documents=False)),
    "bdt.plan_financement": (PHASE2, changed(PHASE2, budget__resources=[])),
    "bdt.montant_total": (PHASE2, changed(PHASE2, budget__total_expenses=Decimal("0"))),
    "bdt.cofinancement": (PHASE2, with_resources(PHASE2, "30000", [])),
    "bdt.subvention_indicative": (PHASE2, with_resources(PHASE2, "40000.01", [("region", "10000", False)])),
    # The 18 000 € of workshops become an expense the BdT does not pay: 22 000 € remain for a 28 000 € grant.
    "bdt.depenses_exclues": (PHASE2, changed(PHASE2, budget__expenses__0__category="competences_avancees")),
    "bdt.fonctionnement_deja_finance": (
        PHASE2,
        changed(PHASE2, budget__expenses__0__category="fonctionnement_dispositif_finance"),
    ),
    "bdt.concordance_exclusions": (PHASE2, changed(PHASE2, exclusions__advanced_skills=True)),
    "bdt.budget.total_depenses": (PHASE2, changed(PHASE2, budget__total_expenses=Decimal("40000.01"))),
    "bdt.budget.equilibre": (PHASE2, changed(PHASE2, budget__resources__0__amount=Decimal("28000.01"))),
    "bdt.selection_etat_des_lieux": (PHASE1, changed(PHASE1, selection_methodological__issues_and_inventory=False)),
    "bdt.selection_partenaires_identifies": (
        PHASE1,
        changed(PHASE1, selection_methodological__partners_identified=False),
    ),
    "bdt.selection_projet_besoins": (PHASE1, changed(PHASE1, selection_methodological__project_meets_needs=False)),
    "bdt.selection_partenaires_mobilises": (PHASE2, changed(PHASE2, selection_financial__partners_mobilised=False)),
    "bdt.selection_projet_affine": (PHASE2, changed(PHASE2, selection_financial__indicators_defined=False)),
    "bdt.engagements_suivi": (PHASE2, changed(PHASE2, commitments__final_reporting=False)),
    "bdt.engagement_mise_en_oeuvre": (PHASE2, changed(PHASE2, commitments__implement_project=False)),
    "bdt.protection_donnees": (PHASE1, changed(PHASE1, commitments__data_protection=False)),
    "bdt.identifiants.siren": (PHASE1, changed(PHASE1, applicant__siren="211202081")),
}


# Rules that only check an answer is given: without it they are « à compléter », never « non respectée ».
FAILS_AS_MISSING = {"bdt.plan_financement"}


def failed_status(rule: str) -> str:
    return "a_completer" if rule in FAILS_AS_MISSING else "ko"


def test_every_rule_has_a_passing_and_a_failing_case():
    assert set(PASS_FAIL) == {r.id for r in get_call(CALL_ID).rules}


@pytest.mark.parametrize("rule", sorted(PASS_FAIL))
def test_rule_passes_then_fails(rule):
    passing, failing = PASS_FAIL[rule]
    assert verdicts(passing)[rule].status == "ok", verdicts(passing)[rule].message
    assert verdicts(failing)[rule].status == failed_status(rule), verdicts(failing)[rule].message


@pytest.mark.parametrize("rule", sorted(PASS_FAIL))
def test_a_blocking_failure_makes_the_dossier_ineligible(rule):
    passing, failing = PASS_FAIL[rule]
    blocking = next(r.blocking for r in get_call(CALL_ID).rules if r.id == rule)
    assert report(passing).eligible is True
    assert report(failing).eligible is (None if rule in FAILS_AS_MISSING else False if blocking else True)


def test_advisory_rules_are_the_priorities_the_indicative_amount_and_the_selection_criteria():
    advisory = {r.id for r in get_call(CALL_ID).rules if not r.blocking}
    assert advisory == {
        "bdt.cibles_prioritaires",
        "bdt.subvention_indicative",
        "bdt.budget.equilibre",
        "bdt.concordance_exclusions",
        "bdt.selection_etat_des_lieux",
        "bdt.selection_partenaires_identifies",
        "bdt.selection_projet_besoins",
        "bdt.selection_partenaires_mobilises",
        "bdt.selection_projet_affine",
        "bdt.identifiants.siren",
    }


# --- deadlines: each phase its own, at 12 h Paris time -------------------------------------------


@pytest.mark.parametrize(
    "base, day, hour, status",
    [
        (PHASE1, "2021-11-02", None, "ko"),  # before the launch
        (PHASE1, "2021-11-03", None, "ok"),  # launch day
        (PHASE1, "2021-12-06", None, "ok"),
        (PHASE1, "2021-12-07", "11:59", "ok"),
        (PHASE1, "2021-12-07", "12:00", "ok"),
        (PHASE1, "2021-12-07", "12:01", "ko"),
        (PHASE1, "2021-12-07", None, "a_completer"),  # the hour is asked
        (PHASE1, "2021-12-08", None, "ko"),
        (PHASE1, "2022-02-01", None, "ko"),  # phase 1 closed although phase 2 is open
        (PHASE2, "2022-02-17", None, "ok"),
        (PHASE2, "2022-02-18", "11:59", "ok"),
        (PHASE2, "2022-02-18", "12:00", "ok"),
        (PHASE2, "2022-02-18", "12:01", "ko"),
        (PHASE2, "2022-02-19", None, "ko"),
    ],
)
def test_deadline_of_the_phase(base, day, hour, status):
    d = changed(base, project__filing_date=day, project__filing_time=hour)
    assert verdicts(d)["bdt.date_limite"].status == status


def test_deadline_messages_name_the_phase_and_its_hour():
    late1 = verdicts(changed(PHASE1, project__filing_date="2021-12-08"))["bdt.date_limite"].message
    late2 = verdicts(changed(PHASE2, project__filing_date="2022-02-19"))["bdt.date_limite"].message
    assert "Accompagnement méthodologique" in late1 and "7 décembre 2021 à 12 h 00" in late1
    assert "Appui financier" in late2 and "18 février 2022 à 12 h 00" in late2


def test_without_a_phase_the_call_is_reported_closed_after_the_last_deadline():
    closed = changed(PHASE1, phase=None, project__filing_date="2026-11-23")
    assert verdicts(closed)["bdt.date_limite"].status == "ko"
    assert report(closed).verdicts[0].rule == "bdt.date_limite"
    open_ = changed(PHASE1, phase=None, project__filing_date="2021-11-26")
    assert verdicts(open_)["bdt.date_limite"].status == "a_completer"
    assert verdicts(open_)["bdt.date_limite"].missing == ["/phase"]


# --- who may apply ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, status",
    [
        ("commune", "ok"),
        ("syndicat_de_communes", "ok"),
        ("communaute_de_communes", "ok"),
        ("communaute_d_agglomeration", "ok"),
        ("metropole", "ok"),
        ("metropole_de_lyon", "ok"),
        ("metropole_du_grand_paris", "ok"),
        ("communaute_urbaine", "a_verifier"),
        ("syndicat_mixte", "a_verifier"),
        ("departement", "a_verifier"),
        ("region", "a_verifier"),
        ("collectivite_statut_particulier", "a_verifier"),
        ("gip", "ko"),
        ("porteur_france_services", "ko"),
        ("association_ess", "ko"),
        ("autre", "ko"),
    ],
)
def test_applicant_kinds(kind, status):
    d = changed(PHASE1, applicant__kind=kind, targeting__fragile_priority_districts=True)
    assert verdicts(d)["bdt.porteur"].status == status


@pytest.mark.parametrize("kind", ["metropole", "metropole_de_lyon", "metropole_du_grand_paris"])
@pytest.mark.parametrize("fragile, status", [(True, "ok"), (False, "ko")])
def test_every_metropole_targets_fragile_districts(kind, fragile, status):
    """The Métropole de Lyon is a collectivité à statut particulier, not an EPCI, but a « métropole candidate » all the same."""
    d = changed(PHASE1, applicant__kind=kind, targeting__fragile_priority_districts=fragile)
    assert verdicts(d)["bdt.metropole_quartiers"].status == status
    assert verdicts(d)["bdt.porteur"].status == "ok"


def test_metropole_rule_does_not_apply_to_a_commune():
    assert "Sans objet" in verdicts(PHASE1)["bdt.metropole_quartiers"].message


def test_overseas_departement_is_a_priority_target_by_its_code():
    d = changed(PHASE1, applicant__departement="974", targeting__priority_targets=[])
    v = verdicts(d)["bdt.cibles_prioritaires"]
    assert v.status == "ok" and "outre-mer" in v.message
    assert verdicts(changed(d, applicant__departement="975"))["bdt.cibles_prioritaires"].status == "ko"


# --- money: indicative grant, co-financing, budget ---------------------------------------------------


@pytest.mark.parametrize("asked, status", [("39999.99", "ok"), ("40000", "ok"), ("40000.01", "ko")])
def test_indicative_grant_threshold(asked, status):
    v = verdicts(with_resources(PHASE2, asked, [("region", "10000", False)]))["bdt.subvention_indicative"]
    assert v.status == status
    assert euros(Decimal(asked)) in v.message and euros(Decimal("40000")) in v.message


def test_above_the_indicative_grant_is_a_warning_not_a_refusal():
    r = report(with_resources(PHASE2, "45000", [("region", "10000", False)]))
    v = {x.rule: x for x in r.verdicts}["bdt.subvention_indicative"]
    assert v.status == "ko" and not v.blocking and r.eligible is True
    assert "5 000 €" in plain(v.message)


@pytest.mark.parametrize("other, status", [("0", "ko"), ("0.01", "ok"), ("10000", "ok")])
def test_cofinancing_threshold(other, status):
    d = with_resources(PHASE2, "30000", [("prive", other, False)])
    assert verdicts(d)["bdt.cofinancement"].status == status


def test_in_kind_contributions_count_as_cofinancing():
    """« Les apports en nature pourront être valorisés dans le cadre de ce co-financement. »"""
    v = verdicts(with_resources(PHASE2, "30000", [("prive", "5000", True)]))["bdt.cofinancement"]
    assert v.status == "ok"
    assert "dont 5 000 € en nature" in plain(v.message) and "30 000 €" in plain(v.message)


def test_own_funds_alone_are_to_be_checked():
    v = verdicts(with_resources(PHASE2, "30000", [("autofinancement", "10000", False)]))["bdt.cofinancement"]
    assert v.status == "a_verifier" and "10 000 €" in plain(v.message)


def test_no_cofinancing_needed_for_the_methodological_phase():
    """« Une absence de co-financement à ce jour n'empêchera pas […] un accompagnement méthodologique. »"""
    assert "budget" not in PHASE1
    r = report(PHASE1)
    assert r.eligible is True and {v.rule: v.status for v in r.verdicts}["bdt.cofinancement"] == "ok"


@pytest.mark.parametrize("declared, status", [("39999.99", "ko"), ("40000", "ok"), ("40000.01", "ko")])
def test_declared_total_must_match_the_lines(declared, status):
    v = verdicts(changed(PHASE2, budget__total_expenses=Decimal(declared)))["bdt.budget.total_depenses"]
    assert v.status == status and euros(Decimal(declared)) in v.message


@pytest.mark.parametrize("bdt, status", [("27999.99", "ko"), ("28000", "ok"), ("28000.01", "ko")])
def test_balance_is_exact_to_the_cent(bdt, status):
    v = verdicts(changed(PHASE2, budget__resources__0__amount=Decimal(bdt)))["bdt.budget.equilibre"]
    assert v.status == status


def test_zero_total_is_not_a_stated_project_amount():
    assert verdicts(changed(PHASE2, budget__total_expenses=Decimal("0")))["bdt.montant_total"].status == "ko"


def test_an_unstated_total_or_an_absent_plan_is_to_complete_not_a_refusal():
    unstated = verdicts(changed(PHASE2, budget__total_expenses=None))["bdt.montant_total"]
    assert unstated.status == "a_completer" and unstated.missing == ["/budget/total_expenses"]
    no_plan = report(changed(PHASE2, budget=None))
    plan = next(v for v in no_plan.verdicts if v.rule == "bdt.plan_financement")
    assert plan.status == "a_completer" and plan.missing == ["/budget/expenses", "/budget/resources"]
    assert no_plan.verdict == "a_completer"


def test_excluded_expenses_are_named():
    d = changed(
        PHASE2,
        budget__expenses__0__category="solutions_territoriales",
        budget__expenses__1__category="equipement_logiciels_tpe",
    )
    message = verdicts(d)["bdt.depenses_exclues"].message
    assert "casiers connectés" in message and "équipement ou de logiciels" in message
    assert "40 000 € de dépenses − 27 000 € de dépenses exclues = 13 000 € de dépenses éligibles" in plain(message)


@pytest.mark.parametrize(
    "rule, category",
    [
        ("bdt.depenses_exclues", "solutions_territoriales"),
        ("bdt.fonctionnement_deja_finance", "fonctionnement_dispositif_finance"),
    ],
)
@pytest.mark.parametrize("bdt, status", [("27999.99", "ok"), ("28000", "ok"), ("28000.01", "ko")])
def test_an_expense_the_bdt_does_not_fund_may_stay_in_a_cofinanced_project(rule, category, bdt, status):
    """12 000 € of the 40 000 € are not for the BdT to pay: its grant may pay the other 28 000 €, not one cent more."""
    d = changed(
        PHASE2,
        budget__expenses__0__amount=Decimal("15000"),
        budget__expenses__1__amount=Decimal("12000"),
        budget__expenses__1__category=category,
        budget__resources__0__amount=Decimal(bdt),
        budget__resources__3__amount=Decimal("2000") - (Decimal(bdt) - Decimal("28000")),
    )
    r = report(d)
    v = next(v for v in r.verdicts if v.rule == rule)
    assert v.status == status and v.blocking
    assert "40 000 € de dépenses − 12 000 € de dépenses exclues = 28 000 € de dépenses éligibles" in plain(v.message)
    assert r.eligible is (status == "ok")


def test_the_answers_on_excluded_expenses_must_agree_with_the_lines():
    """The yes/no recap stays optional; when given, it is checked against the lines, advisory."""
    lines = changed(PHASE2, budget__expenses__0__category="competences_avancees")
    v = verdicts(lines)["bdt.concordance_exclusions"]
    assert v.status == "ko" and not v.blocking and "« non », mais 18 000 € en lignes" in plain(v.message)
    assert verdicts(changed(lines, exclusions__advanced_skills=True))["bdt.concordance_exclusions"].status == "ok"
    assert verdicts(changed(PHASE2, exclusions=None))["bdt.concordance_exclusions"].status == "ok"


def test_phase_two_rules_do_not_apply_to_phase_one():
    v = verdicts(PHASE1)
    for rule in (
        "bdt.accompagnement_suivi",
        "bdt.plan_financement",
        "bdt.depenses_exclues",
        "bdt.engagements_suivi",
        "bdt.budget.total_depenses",
        "bdt.budget.equilibre",
    ):
        assert v[rule].status == "ok" and "Sans objet" in v[rule].message


# --- the text's worked examples ------------------------------------------------------------------------


def test_example_projects_of_the_text_are_eligible_and_figures_are_computed():
    r = report(PHASE2)
    assert r.eligible is True and not r.schema_errors
    figures = {f.id: f for f in r.figures}
    assert plain(figures["bdt.cout_total"].value) == "40 000 €"
    assert "18 000 € + 9 000 € + 6 000 € + 4 000 € + 3 000 € = 40 000 €" in plain(figures["bdt.cout_total"].formula)
    assert plain(figures["bdt.subvention_demandee"].value) == "28 000 €"
    assert "jusqu'à 40 000 €" in plain(figures["bdt.subvention_demandee"].formula)
    assert plain(figures["bdt.cofinancement"].value) == "12 000 €"
    assert "dont 4 000 € en nature" in plain(figures["bdt.cofinancement"].formula)


def test_phase_one_has_no_budget_figures():
    assert report(PHASE1).figures == []


# --- schema ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.json") if not p.stem.endswith(".expected")))
def test_fixtures_match_the_schema_unless_they_lack_a_required_piece(name):
    errors = report(fixture(name)).schema_errors
    if name == "syndicat-sans-plan-financement":
        assert [e.path for e in errors] == ["/budget/total_expenses"]
    else:
        assert not errors, errors


def test_schema_requires_phase_two_answers_and_metropole_targeting():
    errors = {e.path for e in report(changed(PHASE2, eligibility__methodological_support_followed=None)).schema_errors}
    assert "/eligibility/methodological_support_followed" in errors
    metro = changed(PHASE1, applicant__kind="metropole")
    assert "/targeting/fragile_priority_districts" in {e.path for e in report(metro).schema_errors}


# --- clauses --------------------------------------------------------------------------------------------


def page_ids() -> set[str]:
    text = PAGE.read_text("utf-8")
    return set(re.findall(r"\{:?\s*#([a-z0-9-]+)\s*\}", text)) | set(re.findall(r'<span id="([a-z0-9-]+)"', text))


def test_every_clause_cited_exists_on_the_page():
    call, ids = get_call(CALL_ID), page_ids()
    for verdict in report(PHASE2).verdicts:
        page, anchor = verdict.clause.split("#")
        assert page == "appels/bdt-inclusion-numerique-tpe/" and anchor in ids, verdict.clause
    assert {p.clause for p in call.params} <= ids


def test_page_starts_with_a_single_title_and_keeps_no_placeholder_link():
    body = PAGE.read_text("utf-8").split("---", 2)[2]
    assert body.lstrip().startswith("# ") and len(re.findall(r"^# ", body, re.M)) == 1
    assert "](#)" not in body and "mailto:inclusionnum.tpe@caissedesdepots.fr" in body
