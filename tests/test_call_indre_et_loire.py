"""Préfecture d'Indre-et-Loire, lettre « Spécial numérique » (18 février 2021): pages, schemas, rules."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pages import published
from support import load_dossier, plain, set_path

from checker.calls import (
    indre_et_loire_aidants_connect,
    indre_et_loire_conseillers_numeriques,
    indre_et_loire_fonds_transformation_numerique,
    indre_et_loire_socle_numerique_ecoles,
)
from checker.engine import all_calls, check
from checker.money import euros, percent
from checker.schemas import load_json

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "appels" / "indre-et-loire"
DOSSIERS = Path(__file__).parent / "dossiers"
SEED = ROOT / "sources" / "004_08e927fde5113940.txt"

FITN = "indre-et-loire-fonds-transformation-numerique"
ECOLES = "indre-et-loire-socle-numerique-ecoles"
CNFS = "indre-et-loire-conseillers-numeriques"
AIDANTS = "indre-et-loire-aidants-connect"
BASE = {
    FITN: "amboise-portail-citoyen-eligible",
    ECOLES: "chinon-trois-ecoles-eligible",
    CNFS: "cc-touraine-vallee-indre-deux-conseillers",
    AIDANTS: "blere-france-services-eligible",
}
PAGE_OF = {
    FITN: "fonds-transformation-numerique.md",
    ECOLES: "socle-numerique-ecoles.md",
    CNFS: "conseillers-numeriques.md",
    AIDANTS: "aidants-connect.md",
}
# The letter gives no closing date for these measures: no date_cloture, a cloture_precision instead.
NO_STATED_DEADLINE = {FITN, CNFS, AIDANTS}


flat = plain


def base(call: str) -> dict:
    return load_dossier(call, BASE[call])


def with_(dossier: dict, **changes) -> dict:
    """A copy with dotted paths (written with '__') set to new values; None removes the key."""
    for path, value in changes.items():
        value = Decimal(value) if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value) else value
        dossier = set_path(dossier, path, value, sep="__")
    return dossier


def verdict(call: str, dossier: dict, rule: str):
    report = check(call, dossier)
    return next(v for v in report.verdicts if v.rule == rule), report


def status(call: str, dossier: dict, rule: str) -> str:
    return verdict(call, dossier, rule)[0].status


def page_ids(call: str) -> set[str]:
    text = (PAGES / PAGE_OF[call]).read_text("utf-8")
    return set(re.findall(r"\{:?\s*#([a-z0-9-]+)", text)) | set(re.findall(r'<span id="([^"]+)"', text))


def front_matter(name: str) -> dict:
    """The page's metadata as published: its front matter completed from params.json."""
    return published(PAGES / name)


# --- structure: four calls, pages, anchors, front matter ------------------------------------------

MEASURES = [
    indre_et_loire_fonds_transformation_numerique.CALL,
    indre_et_loire_socle_numerique_ecoles.CALL,
    indre_et_loire_conseillers_numeriques.CALL,
    indre_et_loire_aidants_connect.CALL,
]


def test_the_letter_is_four_calls_with_their_own_folders_and_rule_sets():
    assert [c.id for c in MEASURES] == [FITN, ECOLES, CNFS, AIDANTS]
    assert len({id(c.rules) for c in MEASURES}) == 4
    for call in MEASURES:
        assert all_calls()[call.id] is call
        assert call.page == f"appels/indre-et-loire/{PAGE_OF[call.id][:-3]}/"
        prefix = {FITN: "ietl_fitn.", ECOLES: "ietl_ecoles.", CNFS: "ietl_cnfs.", AIDANTS: "ietl_aidants."}[call.id]
        assert all(r.id.startswith(prefix) for r in call.rules)
        assert all(f.id.startswith(prefix) for f in call.rules.figures)


@pytest.mark.parametrize("call", [FITN, ECOLES, CNFS, AIDANTS])
def test_every_rule_and_parameter_cites_an_anchor_of_its_page(call):
    ids = page_ids(call)
    report = check(call, base(call))
    for v in report.verdicts:
        page, _, anchor = v.clause.partition("#")
        assert page == all_calls()[call].page and anchor in ids, (v.rule, v.clause)
    for param in all_calls()[call].params:
        assert param.clause in ids, (param.id, param.clause)


@pytest.mark.parametrize("call", [FITN, ECOLES, CNFS, AIDANTS])
def test_front_matter_is_valid_and_its_anchors_exist(call):
    meta = front_matter(PAGE_OF[call])
    assert meta["id"] == call and meta["parent"] == "indre-et-loire"
    schema = json.loads((ROOT / "schemas" / "metadata.schema.json").read_text("utf-8"))
    errors = [e.message for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(meta)]
    assert errors == []
    if call in NO_STATED_DEADLINE:
        assert "date_cloture" not in meta and "date limite" in meta["cloture_precision"]
    else:
        assert meta["date_cloture"] == "2021-03-30T23:59:59+02:00"
    cited = set(meta["ancres"].values()) | {m["ancre"] for m in meta.get("montants", [])}
    cited |= {p["ancre"] for p in meta.get("phases", [])}
    assert cited <= page_ids(call)


def test_index_page_is_the_letter_and_links_the_four_measures():
    text = (PAGES / "index.md").read_text("utf-8")
    assert set(front_matter("index.md")) == {"title"}
    assert len(re.findall(r"^# ", text, re.M)) == 1
    for name in PAGE_OF.values():
        assert f"]({name})" in text


def _clean(text: str) -> str:
    text = re.sub(r"<span id=\"[^\"]+\"></span>", "", text)
    text = re.sub(r"\s*\{:?\s*#[^}]+\}", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https://[^>]+)>", r"\1", text).replace("**", "").replace("\\(", "(").replace("\\)", ")")
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+ |- x |- |\d+\) |\d+\. )", "", line)
        line = re.sub(r"^(\d+\) )", "", line).strip().rstrip(".")
        if line:
            lines.append(line)
    return "\n".join(lines)


def _body(page: Path) -> str:
    """The page without its front matter nor the editorial note, which are not the letter's words."""
    text = page.read_text("utf-8").split("---", 2)[2]
    return re.sub(r'^!!! note "Note de la rédaction"\n(    .*\n)+', "", text, flags=re.M)


def test_every_line_of_the_letter_is_on_exactly_one_page():
    published = [line for page in sorted(PAGES.glob("*.md")) for line in _clean(_body(page)).splitlines()]
    seed_lines = _clean(SEED.read_text("utf-8")).splitlines()
    for line in set(seed_lines):
        assert published.count(line) == seed_lines.count(line), line


def test_placeholder_links_are_plain_text_and_real_urls_are_links():
    for page in PAGES.glob("*.md"):
        text = page.read_text("utf-8")
        assert "](#)" not in text
    assert "<https://aidantsconnect.beta.gouv.fr/habilitation>" in (PAGES / "aidants-connect.md").read_text("utf-8")


# --- fixtures are valid against their schemas ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(p for p in DOSSIERS.glob("indre-et-loire-*/*.json") if not p.name.endswith(".expected.json")),
    ids=lambda p: p.stem,
)
def test_fixtures_are_valid_against_the_schema(path):
    report = check(path.parent.name, load_json(path.read_text("utf-8")))
    assert report.schema_errors == []


# --- deadlines --------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", sorted(NO_STATED_DEADLINE))
def test_no_deadline_is_invented_where_the_letter_gives_none(call):
    v, report = verdict(call, base(call), all_calls()[call].rules.rules[0].id)
    assert report.verdicts[0] is v and v.status == "a_verifier" and not v.blocking
    assert "aucune date limite" in v.message and base(call)["project"]["filing_date"][:4] in v.message
    assert report.eligible is True


@pytest.mark.parametrize(
    "day, hour, expected",
    [
        ("2021-03-29", None, "ok"),
        ("2021-03-30", None, "ok"),
        ("2021-03-30", "23:59", "ok"),
        ("2021-03-31", None, "ko"),
        ("2021-03-31", "00:01", "ko"),
        ("2021-02-18", None, "ok"),
    ],
)
def test_ecoles_deadline_is_before_31_march_2021(day, hour, expected):
    """« doivent être déposés avant le 31 mars » : 2021 (the letter's year); the 30th is the last day."""
    dossier = with_(base(ECOLES), project__filing_date=day, project__filing_time=hour)
    v, report = verdict(ECOLES, dossier, "ietl_ecoles.date_limite")
    assert report.verdicts[0] is v and v.status == expected and v.blocking
    assert "30 mars 2021" in v.message


# --- fonds (1) ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("requested, expected", [("35000", "ok"), ("34999.99", "ok"), ("35000.01", "ko")])
def test_fitn_funding_up_to_100_percent_of_the_cost(requested, expected):
    v, _ = verdict(FITN, with_(base(FITN), funding__requested=requested), "ietl_fitn.taux")
    assert v.status == expected
    assert euros(Decimal("35000")) in v.message and percent(Decimal("1")) in v.message


def test_fitn_max_grant_figure_excludes_agents_equipment():
    dossier = base(FITN)
    dossier["budget"]["expenses"].append(
        {"label": "Portables des agents", "category": "equipements_agents", "amount": 5000}
    )
    dossier = with_(dossier, restrictions__agent_equipment=5000, budget__total_expenses=40000)
    figures = {f.id: f for f in check(FITN, dossier).figures}
    assert flat(figures["ietl_fitn.subvention_max"].value) == "35 000 €"
    assert (
        flat(figures["ietl_fitn.cout_eligible"].formula)
        == "Coût du projet 40 000 € − équipements des agents 5 000 € = 35 000 €"
    )
    assert status(FITN, with_(dossier, funding__requested="35000.01"), "ietl_fitn.taux") == "ko"


def with_laptops(requested, declared=None) -> dict:
    """Amboise's 35 000 € project plus 12 000 € of laptops for the agents, self-financed; `requested` asked."""
    dossier = base(FITN)
    dossier["budget"]["expenses"].append(
        {"label": "Ordinateurs portables pour les agents", "category": "equipements_agents", "amount": Decimal(12000)}
    )
    dossier["budget"]["resources"].append(
        {"label": "Autofinancement", "funder_kind": "autofinancement", "amount": Decimal(12000)}
    )
    return with_(
        dossier,
        budget__total_expenses=47000,
        funding__requested=Decimal(requested),
        restrictions__agent_equipment=declared,
    )


@pytest.mark.parametrize("requested, expected", [("34999.99", "ok"), ("35000", "ok"), ("35000.01", "ko")])
def test_fitn_agents_equipment_is_deducted_and_refused_only_if_the_grant_would_pay_it(requested, expected):
    """« Les achats d'équipements informatiques pour les agents sont exclus » : out of the base, not out of the project."""
    v, report = verdict(FITN, with_laptops(requested), "ietl_fitn.equipements_agents")
    assert v.status == expected and v.blocking
    assert "47 000 € de dépenses − 12 000 € de dépenses exclues = 35 000 € de dépenses éligibles" in flat(v.message)
    assert report.eligible is (expected == "ok")


def test_fitn_agents_equipment_line_counts_even_when_the_recap_says_zero():
    v, report = verdict(FITN, with_laptops("35000.01", declared=0), "ietl_fitn.equipements_agents")
    assert v.status == "ko" and report.eligible is False
    recap, _ = verdict(FITN, with_laptops("35000", declared=0), "ietl_fitn.concordance_restrictions")
    assert recap.status == "ko" and not recap.blocking
    assert "0 € au récapitulatif, mais 12 000 € en lignes" in flat(recap.message)


def with_licences(amount) -> dict:
    """Part of the portal's 24 000 € bought as licences of an editor outside the European Union."""
    dossier = base(FITN)
    lines = dossier["budget"]["expenses"]
    lines[1]["amount"] = Decimal(24000) - Decimal(amount)
    lines.append(
        {
            "label": "Licences (éditeur extra-communautaire)",
            "category": "licences_extra_communautaires",
            "amount": Decimal(amount),
        }
    )
    return dossier


@pytest.mark.parametrize("amount, expected", [(0, "ok"), ("0.01", "a_verifier"), (4000, "a_verifier")])
def test_fitn_extra_eu_licences_marginal_share_is_to_check(amount, expected):
    v, report = verdict(FITN, with_licences(amount), "ietl_fitn.licences_extra_communautaires")
    assert v.status == expected
    if amount == 4000:
        assert "4 000 €" in flat(v.message) and "11,43 %" in flat(v.message) and report.eligible is None


@pytest.mark.parametrize(
    "kind, funded_locally, expected",
    [
        ("commune", None, "ok"),
        ("communaute_de_communes", None, "ok"),
        ("syndicat_mixte", None, "ok"),
        ("departement", None, "ok"),
        ("gip", True, "ok"),
        ("autre", True, "ok"),
        ("association_ess", False, "ko"),
        ("autre", None, "a_completer"),
    ],
)
def test_fitn_who_may_apply(kind, funded_locally, expected):
    dossier = with_(base(FITN), applicant__kind=kind, eligibility__funded_only_by_local_authorities=funded_locally)
    assert status(FITN, dossier, "ietl_fitn.porteur") == expected


@pytest.mark.parametrize("departement, expected", [("37", "ok"), ("41", "ko"), ("71", "ko")])
def test_fitn_deconcentrated_funds_of_indre_et_loire(departement, expected):
    assert status(FITN, with_(base(FITN), applicant__departement=departement), "ietl_fitn.territoire") == expected


def test_fitn_small_and_medium_authorities_have_no_threshold_in_the_text():
    v, report = verdict(FITN, base(FITN), "ietl_fitn.petites_moyennes")
    assert v.status == "a_verifier" and not v.blocking
    assert "34 000 000 €" in flat(v.message) and "12 900 habitants" in flat(v.message)


@pytest.mark.parametrize("end, expected", [("2022-12-30", "ok"), ("2022-12-31", "ok"), ("2023-01-01", "ko")])
def test_fitn_results_before_end_of_2022(end, expected):
    v, _ = verdict(FITN, with_(base(FITN), project__end_date=end), "ietl_fitn.resultats_fin_2022")
    assert v.status == expected and "31 décembre 2022" in v.message


@pytest.mark.parametrize("filed, expected", [("2022-12-31", "ok"), ("2023-01-01", "ko")])
def test_fitn_filing_after_2022_cannot_give_results_before_end_of_2022(filed, expected):
    dossier = with_(base(FITN), project__filing_date=filed, project__end_date=filed)
    assert status(FITN, dossier, "ietl_fitn.resultats_fin_2022") == expected


@pytest.mark.parametrize(
    "filed, end, expected",
    [
        ("2021-03-15", "2023-03-14", "ok"),
        ("2021-03-15", "2023-03-15", "ok"),
        ("2021-03-15", "2023-03-16", "a_verifier"),
        ("2020-02-29", "2022-02-28", "ok"),
        ("2020-02-29", "2022-03-01", "a_verifier"),
    ],
)
def test_fitn_concrete_effect_within_two_years(filed, end, expected):
    dossier = with_(base(FITN), project__filing_date=filed, project__end_date=end)
    assert status(FITN, dossier, "ietl_fitn.effet_deux_ans") == expected


@pytest.mark.parametrize(
    "path, rule",
    [
        ("commitments__decision_level", "ietl_fitn.engagement_decisionnel"),
        ("eligibility__digital_transformation", "ietl_fitn.transformation"),
        ("pieces__application_form", "ietl_fitn.depot"),
        ("pieces__demarches_simplifiees", "ietl_fitn.depot"),
    ],
)
def test_fitn_blocking_criteria(path, rule):
    assert status(FITN, base(FITN), rule) == "ok"
    v, report = verdict(FITN, with_(base(FITN), **{path: False}), rule)
    assert v.status == "ko" and v.blocking and report.eligible is False


@pytest.mark.parametrize(
    "path, rule",
    [
        ("eligibility__citizen_impact", "ietl_fitn.priorite"),
        ("eligibility__skills_building", "ietl_fitn.competences_mutualisation"),
        ("eligibility__pooling", "ietl_fitn.competences_mutualisation"),
        ("funding__crte", "ietl_fitn.crte"),
    ],
)
def test_fitn_priorities_are_advisory(path, rule):
    assert status(FITN, base(FITN), rule) == "ok"
    v, report = verdict(FITN, with_(base(FITN), **{path: False}), rule)
    assert v.status == "ko" and not v.blocking and report.eligible is True


@pytest.mark.parametrize(
    "theme, expected",
    [
        ("accompagnement_expert", "ok"),
        ("formation_agents", "ok"),
        ("projet_transformation", "ok"),
        ("autre", "a_verifier"),
    ],
)
def test_fitn_themes_listed_by_the_letter(theme, expected):
    assert status(FITN, with_(base(FITN), eligibility__theme=theme), "ietl_fitn.thematique") == expected


def test_fitn_budget_consistency():
    assert status(FITN, base(FITN), "ietl_fitn.total_depenses") == "ok"
    assert status(FITN, with_(base(FITN), budget__total_expenses="35000.01"), "ietl_fitn.total_depenses") == "ko"
    v, report = verdict(FITN, with_(base(FITN), budget__resources__0__amount="34999.99"), "ietl_fitn.equilibre")
    assert v.status == "ko" and not v.blocking and "0,01 €" in flat(v.message)


def test_fitn_siren_checksum():
    assert status(FITN, base(FITN), "ietl_fitn.siren") == "ok"
    assert status(FITN, with_(base(FITN), applicant__siren="213700033"), "ietl_fitn.siren") == "ko"


# --- écoles (2) ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("requested, expected", [("28000", "ok"), ("27999.99", "ok"), ("28000.01", "ko")])
def test_ecoles_state_aid_at_most_70_percent(requested, expected):
    v, _ = verdict(ECOLES, with_(base(ECOLES), funding__requested=requested), "ietl_ecoles.taux_max")
    assert v.status == expected and v.blocking
    assert "28 000 €" in flat(v.message) and "40 000 €" in flat(v.message) and "70 %" in flat(v.message)


@pytest.mark.parametrize(
    "requested, expected, words",
    [
        ("28000", "a_verifier", "dans la fourchette"),
        ("20000", "a_verifier", "dans la fourchette"),
        ("19999.99", "a_verifier", "en deçà du taux minimal"),
        ("28000.01", "ko", "au-delà"),
    ],
)
def test_ecoles_rate_per_expense_is_not_given(requested, expected, words):
    """« L'aide de l'État est comprise entre 50% et 70% selon la nature de la dépense … »."""
    v, _ = verdict(ECOLES, with_(base(ECOLES), funding__requested=requested), "ietl_ecoles.taux")
    assert v.status == expected and not v.blocking and words in v.message
    if expected == "a_verifier":
        assert "entre 20 000 € (50 %) et 28 000 € (70 %)" in flat(v.message)


def test_ecoles_figures_bracket_the_aid():
    figures = {f.id: f for f in check(ECOLES, base(ECOLES)).figures}
    assert flat(figures["ietl_ecoles.aide_min"].value) == "20 000 €"
    assert flat(figures["ietl_ecoles.aide_max"].value) == "28 000 €"
    assert flat(figures["ietl_ecoles.aide_max"].formula) == "70 % × 40 000 € (dépenses des trois volets) = 28 000 €"
    assert flat(figures["ietl_ecoles.reste_a_charge_min"].value) == "12 000 €"


def with_other_expense(amount) -> dict:
    """`amount` of the 4 000 € of accompaniment moved to a line outside the three volets."""
    dossier = base(ECOLES)
    lines = dossier["budget"]["expenses"]
    lines[3]["amount"] = Decimal(4000) - Decimal(amount)
    lines.append({"label": "Mobilier de la salle informatique", "category": "autre", "amount": Decimal(amount)})
    return dossier


@pytest.mark.parametrize("other, expected", [(0, "ok"), ("0.01", "a_verifier"), (4000, "a_verifier")])
def test_ecoles_expenses_in_the_three_volets(other, expected):
    v, _ = verdict(ECOLES, with_other_expense(other), "ietl_ecoles.volets")
    assert v.status == expected and "40 000 €" in flat(v.message)


def test_ecoles_rate_base_is_the_three_volets():
    dossier = with_other_expense(4000)
    v, _ = verdict(ECOLES, dossier, "ietl_ecoles.taux_max")
    assert v.status == "ko" and "36 000 €" in flat(v.message) and "25 200 €" in flat(v.message)
    assert status(ECOLES, dossier, "ietl_ecoles.volets") == "a_verifier"


@pytest.mark.parametrize(
    "declared, expected",
    [(Decimal("4000"), "ok"), (Decimal("3999.99"), "ko"), (Decimal("4000.01"), "ko"), (None, "ok")],
)
def test_ecoles_recap_per_volet_must_agree_with_the_lines_advisory(declared, expected):
    """The volets are the lines' categories; the recap per volet, optional, is only checked against them."""
    dossier = with_(base(ECOLES), volets__accompagnement=declared)
    v, report = verdict(ECOLES, dossier, "ietl_ecoles.concordance_volets")
    assert v.status == expected and not v.blocking and report.eligible is True
    assert status(ECOLES, dossier, "ietl_ecoles.taux_max") == "ok"  # the base is the lines, not the recap


@pytest.mark.parametrize(
    "level, reached, rule, expected",
    [
        ("elementaire", False, "ietl_ecoles.niveau_ecoles", "ok"),
        ("primaire", False, "ietl_ecoles.niveau_ecoles", "ok"),
        ("maternelle", False, "ietl_ecoles.niveau_ecoles", "ko"),
        ("autre", False, "ietl_ecoles.niveau_ecoles", "ko"),
        ("elementaire", True, "ietl_ecoles.socle_non_atteint", "ko"),
        ("primaire", None, "ietl_ecoles.socle_non_atteint", "a_completer"),
    ],
)
def test_ecoles_schools_of_cycles_2_and_3_below_the_base(level, reached, rule, expected):
    dossier = with_(base(ECOLES), schools__0__level=level, schools__0__socle_reached=reached)
    assert status(ECOLES, dossier, rule) == expected


@pytest.mark.parametrize(
    "path", ["eligibility__joint_project", "eligibility__shared_diagnosis", "eligibility__objectives_validated"]
)
def test_ecoles_joint_project_on_a_shared_diagnosis(path):
    assert status(ECOLES, base(ECOLES), "ietl_ecoles.projet_conjoint") == "ok"
    assert status(ECOLES, with_(base(ECOLES), **{path: False}), "ietl_ecoles.projet_conjoint") == "ko"


@pytest.mark.parametrize("own, expected", [(0, "ko"), ("0.01", "ok"), (12000, "ok")])
def test_ecoles_amount_committed_by_the_collectivite(own, expected):
    dossier = with_(base(ECOLES), budget__resources__1__amount=own)
    assert status(ECOLES, dossier, "ietl_ecoles.engagement_collectivite") == expected


def test_ecoles_amount_committed_sets_the_rate_it_is_no_condition():
    """« … selon la nature de la dépense et le montant engagé par la collectivité » : how the rate is set."""
    dossier = with_(base(ECOLES), budget__resources__1__funder_kind="prive")
    v, report = verdict(ECOLES, dossier, "ietl_ecoles.engagement_collectivite")
    assert v.status == "ko" and not v.blocking and report.eligible is True
    assert "n'en fait pas une condition" in v.message


@pytest.mark.parametrize(
    "kind, expected", [("commune", "ok"), ("syndicat_de_communes", "ok"), ("association_ess", "ko"), ("autre", "ko")]
)
def test_ecoles_project_carried_by_a_local_authority(kind, expected):
    assert status(ECOLES, with_(base(ECOLES), applicant__kind=kind), "ietl_ecoles.porteur") == expected


def test_ecoles_filing_on_demarches_simplifiees_and_national_scope():
    assert status(ECOLES, with_(base(ECOLES), pieces__demarches_simplifiees=False), "ietl_ecoles.depot") == "ko"
    v, report = verdict(ECOLES, with_(base(ECOLES), applicant__departement="86"), "ietl_ecoles.territoire")
    assert v.status == "a_verifier" and not v.blocking and report.eligible is True


# --- conseillers numériques (3) --------------------------------------------------------------------------


@pytest.mark.parametrize("requested, expected", [("100000", "ok"), ("99999.99", "ok"), ("100000.01", "ko")])
def test_cnfs_50000_euros_per_advisor(requested, expected):
    v, _ = verdict(CNFS, with_(base(CNFS), funding__requested=requested), "ietl_cnfs.subvention")
    assert v.status == expected and "100 000 €" in flat(v.message) and "50 000 €" in flat(v.message)


def test_cnfs_worked_example_one_advisor():
    """« Subvention de 50 000€ par conseiller, financée sur 24 mois, versée en 3 tranches »."""
    dossier = with_(base(CNFS), recruitment__advisors=1, funding__requested=50000)
    figures = {f.id: f for f in check(CNFS, dossier).figures}
    assert flat(figures["ietl_cnfs.subvention_totale"].value) == "50 000 €"
    assert flat(figures["ietl_cnfs.subvention_totale"].formula) == (
        "1 conseiller × 50 000 € = 50 000 €, financés sur 24 mois et versés en 3 tranches"
    )
    assert flat(figures["ietl_cnfs.formation"].value) == "7 000 €"
    assert status(CNFS, with_(dossier, funding__requested="50000.01"), "ietl_cnfs.subvention") == "ko"


@pytest.mark.parametrize("pay, expected", [("1554.58", "ok"), ("1554.57", "ko"), ("1554.59", "ok")])
def test_cnfs_pay_at_least_the_smic_given_by_the_dossier(pay, expected):
    v, _ = verdict(CNFS, with_(base(CNFS), recruitment__monthly_gross_pay=pay), "ietl_cnfs.remuneration_smic")
    assert v.status == expected and "1 554,58 €" in flat(v.message)


def test_cnfs_smic_amount_is_not_in_the_letter():
    v, report = verdict(CNFS, with_(base(CNFS), recruitment__smic_monthly_gross=None), "ietl_cnfs.remuneration_smic")
    assert v.status == "a_completer" and v.blocking and "1 600 €" in flat(v.message) and report.eligible is None
    assert v.missing == ["/recruitment/smic_monthly_gross"] and report.verdict == "a_completer"


@pytest.mark.parametrize(
    "advisors, departement, expected", [(34, "37", "ok"), (35, "37", "ok"), (36, "37", "ko"), (2, "41", "a_verifier")]
)
def test_cnfs_contingent_of_35_posts_is_advisory(advisors, departement, expected):
    dossier = with_(
        base(CNFS),
        recruitment__advisors=advisors,
        applicant__departement=departement,
        funding__requested=50000 * advisors,
    )
    v, report = verdict(CNFS, dossier, "ietl_cnfs.contingent")
    assert v.status == expected and not v.blocking and report.eligible is True
    assert "35 postes" in v.message


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("commune", "ok"),
        ("departement", "ok"),
        ("association_ess", "ok"),
        ("gip", "a_verifier"),
        ("autre", "a_verifier"),
    ],
)
def test_cnfs_structures_that_recruit(kind, expected):
    assert status(CNFS, with_(base(CNFS), applicant__kind=kind), "ietl_cnfs.porteur") == expected


def test_cnfs_national_platform_and_prefecture_opinion():
    assert status(CNFS, base(CNFS), "ietl_cnfs.plateforme") == "ok"
    assert status(CNFS, with_(base(CNFS), pieces__national_platform=False), "ietl_cnfs.plateforme") == "ko"
    assert status(CNFS, base(CNFS), "ietl_cnfs.territoire") == "ok"
    assert status(CNFS, with_(base(CNFS), applicant__departement="45"), "ietl_cnfs.territoire") == "a_verifier"


# --- Aidants Connect (4) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        ("travailleur_social", "ok"),
        ("agent_public_accueil", "ok"),
        ("mediateur_numerique", "ok"),
        ("autre_professionnel", "ok"),
        ("benevole", "ko"),
    ],
)
def test_aidants_are_professionals(role, expected):
    v, _ = verdict(AIDANTS, with_(base(AIDANTS), aidants__0__role=role), "ietl_aidants.aidants_professionnels")
    assert v.status == expected


def test_aidants_list_cannot_be_empty():
    v, _ = verdict(AIDANTS, with_(base(AIDANTS), aidants=[]), "ietl_aidants.aidants_professionnels")
    assert v.status == "a_completer" and v.missing == ["/aidants"]


def test_a_school_or_an_aidant_without_its_answer_is_to_complete_at_its_row():
    school, _ = verdict(ECOLES, with_(base(ECOLES), schools__1__socle_reached=None), "ietl_ecoles.socle_non_atteint")
    assert school.status == "a_completer" and school.missing == ["/schools/1/socle_reached"]
    aidant, _ = verdict(AIDANTS, with_(base(AIDANTS), aidants__0__role=None), "ietl_aidants.aidants_professionnels")
    assert aidant.status == "a_completer" and aidant.missing == ["/aidants/0/role"]


def test_restricted_amounts_left_empty_count_as_zero():
    dossier = with_(base(FITN), restrictions=None)
    report = check(FITN, dossier)
    assert not [e for e in report.schema_errors if e.path.startswith("/restrictions")]
    for rule in ("ietl_fitn.equipements_agents", "ietl_fitn.licences_extra_communautaires", "ietl_fitn.taux"):
        assert status(FITN, dossier, rule) == "ok", rule


def test_aidants_blocking_rules_are_only_the_audience():
    """The letter's one condition is its audience, professional aidants; the rest describes the service."""
    rules = {r.id: r.blocking for r in all_calls()[AIDANTS].rules}
    assert [rule for rule, blocking in rules.items() if blocking] == ["ietl_aidants.aidants_professionnels"]
    assert not {"ietl_aidants.mandat", "ietl_aidants.demarche"} & set(rules)


def test_aidants_online_formalities_are_information():
    dossier = with_(base(AIDANTS), eligibility__online_formalities=False)
    v, report = verdict(AIDANTS, dossier, "ietl_aidants.formalites")
    assert v.status == "ko" and not v.blocking and report.eligible is True
    assert "n'en fait pas une condition" in v.message and "FranceConnect" in v.message
    v, report = verdict(AIDANTS, with_(base(AIDANTS), eligibility=None), "ietl_aidants.formalites")
    assert v.status == "a_completer" and not v.blocking and report.eligible is True and report.schema_errors == []


def test_aidants_the_procedure_is_not_asked():
    """The two steps (mandate through FranceConnect, professional account) are how the service works."""
    schema = load_json((ROOT / "schemas" / "indre-et-loire-aidants-connect.schema.json").read_text("utf-8"))
    assert "procedure" not in schema["properties"] and schema["required"] == ["applicant", "project", "aidants"]
    report = check(AIDANTS, base(AIDANTS))
    assert report.verdict == "eligible" and report.schema_errors == []


@pytest.mark.parametrize(
    "role, expected, verdict_", [("mediateur_numerique", "ok", "eligible"), ("benevole", "ko", "non_eligible")]
)
def test_aidants_blocking_only_on_the_audience(role, expected, verdict_):
    dossier = with_(base(AIDANTS), aidants__0__role=role, eligibility=None)
    v, report = verdict(AIDANTS, dossier, "ietl_aidants.aidants_professionnels")
    assert v.status == expected and v.blocking and report.verdict == verdict_


def test_aidants_national_scope():
    assert status(AIDANTS, base(AIDANTS), "ietl_aidants.territoire") == "ok"
    v, report = verdict(AIDANTS, with_(base(AIDANTS), applicant__departement="41"), "ietl_aidants.territoire")
    assert v.status == "a_verifier" and not v.blocking and report.eligible is True
