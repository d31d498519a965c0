"""What a text excludes is read from the budget lines and their categories, by one shared rule; the
figures a text calls indicative advise and never refuse; a description is not a condition.

FITN7 (Saône-et-Loire) and the Indre-et-Loire fund say the same sentence, « Les achats d'équipements
informatiques pour les agents sont exclus »: one rule, which takes the lines out of the eligible base
and refuses only a request that would pay for them, whatever the dossier declares beside its lines.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from support import load_dossier, plain

from checker.dossier import Dossier, MissingData
from checker.engine import all_calls, check, get_call
from checker.model import Status
from checker.params import Param
from checker.rules import RuleSet
from checker.schemas import load_schema
from checker.standard_rules import declared_expenses_rule, excluded_expense_rule
from checker.vocabulary import expense_categories

D = Decimal
FITN7 = "fitn7-saone-et-loire"
IETL = "indre-et-loire-fonds-transformation-numerique"
AIDANTS = "indre-et-loire-aidants-connect"
SCHEMA = "fitn7-saone-et-loire.schema.json"


# --- the shared rule on its own ------------------------------------------------------------------


def shared_rule(every=("equipements_agents", "personnel")) -> RuleSet:
    rules = RuleSet()
    excluded_expense_rule(
        rules,
        "t.equipements",
        Param("excluded", "Équipements", ["equipements_agents"], "clause-exclusion", "list"),
        label="Équipements des agents exclus",
        every_excluded=every,
        requested=lambda d: d.money("request.amount"),
        schema=SCHEMA,
        quote="« Les achats d'équipements informatiques pour les agents sont exclus ».",
    )
    return rules


def lines_dossier(asked: str, *lines: tuple[str, str], **extra) -> Dossier:
    return Dossier(
        {
            "budget": {
                "expenses": [{"label": f"Ligne {n}", "category": c, "amount": D(a)} for n, (c, a) in enumerate(lines)]
            },
            "request": {"amount": D(asked)},
            **extra,
        }
    )


@pytest.mark.parametrize("asked, status", [("29999.99", Status.OK), ("30000", Status.OK), ("30000.01", Status.KO)])
def test_the_shared_rule_refuses_only_a_request_above_the_eligible_base(asked, status):
    """40 000 € of which 10 000 € of tablets: 30 000 € of eligible expenses; a request up to that pays no tablet."""
    outcome = (
        shared_rule()
        .rules[0]
        .check(lines_dossier(asked, ("relation_usagers", "30000"), ("equipements_agents", "10000")))
    )
    assert outcome.status == status
    assert "40 000 € de dépenses − 10 000 € de dépenses exclues = 30 000 € de dépenses éligibles" in plain(
        outcome.message
    )


@pytest.mark.parametrize("asked, status", [("24999.99", Status.OK), ("25000", Status.OK), ("25000.01", Status.KO)])
def test_the_base_leaves_out_every_excluded_category_of_the_call(asked, status):
    """Tablets and staff both leave the base: the tablets' rule refuses a request above 40 000 − 15 000 €."""
    outcome = (
        shared_rule()
        .rules[0]
        .check(
            lines_dossier(asked, ("relation_usagers", "25000"), ("equipements_agents", "10000"), ("personnel", "5000"))
        )
    )
    assert outcome.status == status


def test_without_an_excluded_line_the_rule_holds_whatever_the_request():
    outcome = shared_rule().rules[0].check(lines_dossier("99999", ("relation_usagers", "30000")))
    assert outcome.status == Status.OK and "rien à retirer" in outcome.message


def test_a_line_without_its_category_is_to_complete_not_a_guess():
    rule = shared_rule().rules[0]
    dossier = Dossier(
        {"budget": {"expenses": [{"label": "Tablettes", "amount": D("10000")}]}, "request": {"amount": D(1)}}
    )
    with pytest.raises(MissingData) as missing:
        rule.check(dossier)
    assert missing.value.path == "budget.expenses.0.category"


def test_the_same_sentence_is_one_rule_in_both_calls():
    """FITN7's and the Indre-et-Loire fund's exclusion of agents' equipment run the same code."""
    fitn7 = next(r for r in get_call(FITN7).rules if r.id == "fitn7.equipements_agents")
    ietl = next(r for r in get_call(IETL).rules if r.id == "ietl_fitn.equipements_agents")
    assert fitn7.check.__code__ is ietl.check.__code__ is shared_rule().rules[0].check.__code__
    assert fitn7.blocking and ietl.blocking
    licences = [
        next(r for r in get_call(c).rules if r.id.endswith(".licences_extra_communautaires")) for c in (FITN7, IETL)
    ]
    assert licences[0].check.__code__ is licences[1].check.__code__


# --- both calls, the same dossier shape -----------------------------------------------------------


def tournus(asked: str, declared=None) -> dict:
    """FITN7's Tournus: 30 000 € of service design and 10 000 € of tablets for the agents."""
    d = load_dossier(FITN7, "equipements-agents-hors-assiette")
    d["request"]["amount"] = D(asked)
    d["budget"]["resources"][0]["amount"] = D(asked)
    d["budget"]["resources"][1]["amount"] = D(40000) - D(asked)
    d["restrictions"] = {} if declared is None else {"agent_equipment": D(declared)}
    return d


def loches(asked: str, declared=None) -> dict:
    """The Indre-et-Loire fund's Loches: 35 000 € of project and 12 000 € of laptops for the agents."""
    d = load_dossier(IETL, "cc-loches-equipements-agents")
    d["funding"]["requested"] = D(asked)
    d["budget"]["resources"][0]["amount"] = D(asked)
    d["budget"]["resources"][1]["amount"] = D(47000) - D(asked)
    d["restrictions"] = {} if declared is None else {"agent_equipment": D(declared)}
    return d


CASES = [(FITN7, "fitn7.equipements_agents", tournus, "30000"), (IETL, "ietl_fitn.equipements_agents", loches, "35000")]


def verdict(call: str, dossier: dict, rule: str):
    report = check(call, dossier)
    return next(v for v in report.verdicts if v.rule == rule), report


@pytest.mark.parametrize("call, rule, dossier, base", CASES)
@pytest.mark.parametrize("cents, status", [("-0.01", "ok"), ("0", "ok"), ("0.01", "ko")])
def test_both_calls_deduct_and_refuse_only_a_request_that_would_pay_the_equipment(
    call, rule, dossier, base, cents, status
):
    v, report = verdict(call, dossier(str(D(base) + D(cents))), rule)
    assert v.status == status and v.blocking
    assert report.eligible is (status == "ok")


@pytest.mark.parametrize("call, rule, dossier, base", CASES)
def test_a_line_of_equipment_counts_even_with_a_zero_declaration(call, rule, dossier, base):
    """The text excludes the expense whatever is declared: the line is out of the base, the recap is pointed out."""
    v, report = verdict(call, dossier(str(D(base) + D("0.01")), declared="0"), rule)
    assert v.status == "ko" and report.eligible is False
    v, report = verdict(call, dossier(base, declared="0"), rule)
    assert v.status == "ok" and report.eligible is True
    recap = next(r for r in report.verdicts if r.rule.endswith(".concordance_restrictions"))
    assert recap.status == "ko" and not recap.blocking
    assert "0 € au récapitulatif, mais" in plain(recap.message) and "Ce sont les lignes qui comptent" in recap.message


@pytest.mark.parametrize("call, rule, dossier, base", CASES)
def test_an_empty_recap_disagrees_with_nothing(call, rule, dossier, base):
    v, report = verdict(call, dossier(base), rule)
    recap = next(r for r in report.verdicts if r.rule.endswith(".concordance_restrictions"))
    assert v.status == "ok" and recap.status == "ok" and report.eligible is True


def test_figures_leave_the_excluded_lines_out():
    fitn7 = {f.id: f for f in check(FITN7, tournus("21000", declared="0")).figures}
    assert plain(fitn7["fitn7.depenses_eligibles"].value) == "30 000 €"
    assert "− 10 000 € d'équipements informatiques pour les agents" in plain(fitn7["fitn7.depenses_eligibles"].formula)
    assert plain(fitn7["fitn7.subvention_max"].value) == "21 000 €"
    assert "70 % × 30 000 € = 21 000 €" in plain(fitn7["fitn7.subvention_max"].formula)
    ietl = {f.id: f for f in check(IETL, loches("35000", declared="0")).figures}
    assert plain(ietl["ietl_fitn.cout_eligible"].value) == "35 000 €"
    assert plain(ietl["ietl_fitn.subvention_max"].value) == "35 000 €"


# --- the recap rule on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "declared, status", [(None, Status.OK), ("9999.99", Status.KO), ("10000", Status.OK), ("10000.01", Status.KO)]
)
def test_a_declared_amount_must_equal_its_lines(declared, status):
    rules = RuleSet()
    declared_expenses_rule(
        rules,
        "t.recap",
        "clause",
        label="Récapitulatif",
        schema=SCHEMA,
        declared={"restrictions.agent_equipment": ["equipements_agents"]},
    )
    extra = {} if declared is None else {"restrictions": {"agent_equipment": D(declared)}}
    outcome = rules.rules[0].check(
        lines_dossier("1", ("relation_usagers", "30000"), ("equipements_agents", "10000"), **extra)
    )
    assert outcome.status == status and not rules.rules[0].blocking


# --- every call's categories come from its text, in its schema --------------------------------------


CATEGORY_CALLS = {
    FITN7: {"equipements_agents", "personnel", "licences_extra_communautaires", "autre"},
    IETL: {"equipements_agents", "licences_extra_communautaires", "etudes_besoin_faisabilite", "autre"},
    "indre-et-loire-socle-numerique-ecoles": {"equipement", "services_ressources", "accompagnement", "autre"},
    "indre-et-loire-conseillers-numeriques": {"remuneration_conseiller", "formation_certification", "autre"},
    "pass-numeriques-2020": {"achat_pass", "ingenierie", "autre"},
    "bdt-inclusion-numerique-tpe": {
        "solutions_territoriales",
        "etp_animation_commerciale",
        "competences_avancees",
        "equipement_logiciels_tpe",
        "fonctionnement_dispositif_finance",
        "autre",
    },
}


@pytest.mark.parametrize("call_id", sorted(CATEGORY_CALLS))
def test_each_call_names_its_expense_categories_with_french_labels(call_id):
    schema = get_call(call_id).schema
    labels = expense_categories(schema)
    assert CATEGORY_CALLS[call_id] <= set(labels) and all(labels.values())
    expense = load_schema(schema)["$defs"]["expense"]
    assert "category" in expense["required"]
    assert expense["allOf"] == [{"$ref": "common.schema.json#/$defs/expense"}]


@pytest.mark.parametrize("call_id", sorted(CATEGORY_CALLS))
def test_every_category_a_parameter_names_is_one_of_the_schema(call_id):
    labels = expense_categories(get_call(call_id).schema)
    for param in get_call(call_id).params:
        if param.type == "list" and "catégories de dépenses" in param.label:
            assert set(param.value) <= set(labels), param.id


def test_calls_whose_text_names_no_expense_keep_the_free_category():
    for call_id in ("tani-promotion-2", AIDANTS):
        assert expense_categories(get_call(call_id).schema) == {}


# --- indicative figures advise; they never refuse ---------------------------------------------------


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_rules_on_indicative_figures_never_block(call_id):
    call = get_call(call_id)
    indicative = {p.clause for p in call.params if "indicati" in p.label.lower()}
    for rule in call.rules:
        if "indicati" in rule.label.lower() or rule.clause in indicative:
            assert not rule.blocking, rule.id


@pytest.mark.parametrize("asked, rate_status, cap_status", [("29000", "ko", "ok"), ("35000", "ok", "ko")])
def test_above_fitn7_s_indicative_bareme_a_commune_is_warned_not_refused(asked, rate_status, cap_status):
    """72,5 % of 40 000 €; then 70 % of 50 000 €, 35 000 € above the 30 000 € cap: beyond the barème, no refusal."""
    d = load_dossier(FITN7, "eligible-commune-tournus")
    d["request"]["amount"] = D(asked)
    d["budget"]["expenses"] = [
        {"label": "Prise de rendez-vous en ligne", "category": "relation_usagers", "amount": D("40000")}
        if asked == "29000"
        else {"label": "Refonte du site", "category": "relation_usagers", "amount": D("50000")}
    ]
    total = d["budget"]["total_expenses"] = d["budget"]["expenses"][0]["amount"]
    d["budget"]["resources"] = [
        {"label": "État", "funder_kind": "etat", "amount": D(asked)},
        {"label": "Commune", "funder_kind": "autofinancement", "amount": total - D(asked)},
    ]
    report = check(FITN7, d)
    statuses = {v.rule: v.status for v in report.verdicts}
    assert statuses["fitn7.taux"] == rate_status and statuses["fitn7.plafond"] == cap_status
    assert report.verdict == "eligible"
    rate = next(v for v in report.verdicts if v.rule == "fitn7.taux")
    assert "barème indicatif : 70 % ×" in plain(rate.message)


# --- a description is not a condition: Aidants Connect ----------------------------------------------


def test_aidants_connect_blocks_only_on_its_audience():
    """The letter's one condition is « une diversité d'aidants professionnels »; online formalities, the
    mandate through FranceConnect and the professional account describe the service."""
    call = get_call(AIDANTS)
    assert [r.id for r in call.rules if r.blocking] == ["ietl_aidants.aidants_professionnels"]
    base = load_dossier(AIDANTS, "blere-france-services-eligible")
    described = copy.deepcopy(base)
    described["eligibility"] = {"online_formalities": False}
    assert check(AIDANTS, described).verdict == "eligible"
    volunteer = copy.deepcopy(base)
    volunteer["aidants"][0]["role"] = "benevole"
    report = check(AIDANTS, volunteer)
    assert report.verdict == "non_eligible"
    assert [v.rule for v in report.verdicts if v.blocking and v.status == "ko"] == [
        "ietl_aidants.aidants_professionnels"
    ]
