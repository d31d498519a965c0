"""The checker's core: money, the deadline and budget rules every call uses, French schema errors."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from checker.dossier import Dossier, MissingData
from checker.engine import get_call
from checker.model import Status, Verdict, dossier_verdict, ko, ok, overall
from checker.money import euros, percent, to_decimal
from checker.params import Param, Params, call_file
from checker.rules import Applies, RuleSet
from checker.schemas import load_json, validate
from checker.standard_rules import budget_consistency_rules, deadline_rule, flag_rule, identifier_rules


def plain(text: str) -> str:
    """Babel's narrow and non-breaking spaces as ordinary spaces, for readable assertions."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_amounts_and_rates_are_printed_the_french_way():
    assert plain(euros(Decimal("20000"))) == "20 000 €"
    assert plain(euros(Decimal("1234.5"))) == "1 234,50 €"
    assert plain(euros(Decimal("3000000"))) == "3 000 000 €"
    assert plain(percent(Decimal("0.70"))) == "70 %"
    assert plain(percent(Decimal("0.1"))) == "10 %"


def test_json_numbers_are_exact_decimals_and_nan_is_refused():
    data = load_json('{"a": 0.1, "b": 12500.50, "c": 3}')
    assert data["a"] == Decimal("0.1") and isinstance(data["b"], Decimal) and data["c"] == 3
    for bad in ('{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}'):
        with pytest.raises(ValueError):
            load_json(bad)


@pytest.mark.parametrize("bad", [float("nan"), 0.1, True, "abc", Decimal("Infinity")])
def test_to_decimal_refuses_what_is_not_an_exact_finite_amount(bad):
    with pytest.raises(ValueError):
        to_decimal(bad)


def test_dossier_signals_missing_and_empty_fields():
    d = Dossier({"a": {"b": "", "c": "x", "n": Decimal("5")}, "l": [{"amount": 1}]})
    assert d.get("a.c") == "x" and d.money("a.n") == Decimal("5") and d.get("l.0.amount") == 1
    for path in ("a.b", "a.z", "z.y", "l.3.amount"):
        with pytest.raises(MissingData):
            d.get(path)


def _deadline_rules(deadline: str) -> RuleSet:
    rules = RuleSet()
    deadline_rule(rules, "t.date_limite", "date-limite", datetime.fromisoformat(deadline))
    return rules


def _judge(rules: RuleSet, data: dict) -> tuple[str, str]:
    try:
        outcome = rules.rules[0].check(Dossier(data))
    except MissingData as missing:
        return "a_completer", plain(missing.why or "")
    return outcome.status.value, plain(outcome.message)


@pytest.mark.parametrize(
    "day, hour, expected",
    [
        ("2021-12-06", None, "ok"),  # the day before
        ("2021-12-07", None, "a_completer"),  # the day itself, no hour: noon may have passed, the hour is asked
        ("2021-12-07", "12:00", "ok"),  # exactly at the limit
        ("2021-12-07", "11:59", "ok"),  # just under
        ("2021-12-07", "12:01", "ko"),  # just over
        ("2021-12-08", None, "ko"),  # the day after
    ],
)
def test_deadline_with_an_hour_is_judged_to_the_minute_in_paris_time(day, hour, expected):
    rules = _deadline_rules("2021-12-07T12:00:00+01:00")
    project = {"filing_date": day, **({"filing_time": hour} if hour else {})}
    status, message = _judge(rules, {"project": project})
    assert status == expected
    assert "7 décembre 2021" in message


def test_deadline_of_a_whole_day_admits_the_whole_day():
    rules = _deadline_rules("2021-10-22T23:59:59+02:00")
    assert _judge(rules, {"project": {"filing_date": "2021-10-22"}})[0] == "ok"
    status, message = _judge(rules, {"project": {"filing_date": "2026-11-23"}})
    assert status == "ko" and message.startswith("Appel clos")


def test_budget_must_balance_and_declared_total_must_match_lines():
    rules = RuleSet(prefix="t")
    budget_consistency_rules(rules, "budget")
    total, balance = rules.rules

    def budget(expenses, resources, declared=None):
        b = {
            "expenses": [{"label": "x", "amount": Decimal(a)} for a in expenses],
            "resources": [{"label": "y", "funder_kind": "etat", "amount": Decimal(a)} for a in resources],
        }
        if declared is not None:
            b["total_expenses"] = Decimal(declared)
        return Dossier({"budget": b})

    assert balance.check(budget(["100", "50.50"], ["150.50"])).status is Status.OK
    assert balance.check(budget(["100", "50.50"], ["150.49"])).status is Status.KO
    assert balance.check(budget(["100", "50.50"], ["150.51"])).status is Status.KO
    assert total.check(budget(["100", "50.50"], [], declared="150.50")).status is Status.OK
    outcome = total.check(budget(["100", "50.50"], [], declared="150.51"))
    assert outcome.status is Status.KO and "0,01" in outcome.message


def test_siren_and_siret_checksums_use_stdnum():
    rules = RuleSet(prefix="t")
    identifier_rules(rules, "porteur")
    rule = rules.rules[0]
    assert rule.blocking is False
    assert rule.check(Dossier({"applicant": {"siren": "217102706"}})).status is Status.OK  # a valid Luhn key
    assert rule.check(Dossier({"applicant": {"siren": "217102708"}})).status is Status.KO
    ok_siret = rule.check(Dossier({"applicant": {"siren": "217102706", "siret": "21710270600017"}}))
    assert ok_siret.status is Status.OK
    other = rule.check(Dossier({"applicant": {"siren": "217102706", "siret": "73282932000074"}}))
    assert other.status is Status.KO


def test_overall_verdict():
    def v(status, blocking=True):
        return Verdict("r", "l", status, blocking, "m", "p#a")

    assert overall([v("ok"), v("ko", blocking=False)], []) is True
    assert overall([v("ok"), v("ko")], []) is False
    assert overall([v("ok"), v("a_verifier")], []) is None
    assert overall([v("a_verifier"), v("ko")], []) is False
    assert overall([v("ok")], [object()]) is None
    assert overall([v("ok"), v("a_completer")], []) is None
    assert overall([v("a_completer"), v("ko")], []) is False


def test_dossier_verdict_a_decided_failure_first_then_what_is_missing_then_what_to_check():
    def v(status, blocking=True):
        return Verdict("r", "l", status, blocking, "m", "p#a")

    assert dossier_verdict([v("a_completer"), v("a_verifier"), v("ko")], []) == "non_eligible"
    assert dossier_verdict([v("a_completer"), v("a_verifier"), v("ok")], []) == "a_completer"
    assert dossier_verdict([v("a_verifier"), v("ok")], [object()]) == "a_completer"  # schema errors
    assert dossier_verdict([v("a_verifier"), v("ok"), v("a_completer", blocking=False)], []) == "a_verifier"
    assert dossier_verdict([v("ok"), v("ko", blocking=False), v("a_completer", blocking=False)], []) == "eligible"
    assert dossier_verdict([], []) == "eligible"


def test_the_deadline_day_without_an_hour_asks_for_the_hour():
    """« indiquez l'heure de dépôt » is an answer to give, not a judgement left to the instructor."""
    rules = _deadline_rules("2021-12-07T12:00:00+01:00")
    with pytest.raises(MissingData) as missing:
        rules.rules[0].check(Dossier({"project": {"filing_date": "2021-12-07"}}))
    assert missing.value.path == "project.filing_time" and "7 décembre 2021" in plain(missing.value.why)


def test_schema_errors_are_french_and_point_at_the_field():
    errors = validate("common.schema.json", {})  # the common schema has no root constraint
    assert errors == []
    from checker.schemas import validator

    bad_applicant = {
        "kind": "mairie",
        "name": "",
        "departement": "999",
        "population": -1,
        "contact": {"name": "A", "function": "B", "email": "pas-une-adresse"},
    }
    v = validator("common.schema.json")
    sub = {"$ref": "#/$defs/applicant"}
    errs = list(v.evolve(schema={**v.schema, **sub}).iter_errors(bad_applicant))
    from checker.schemas import french_message

    messages = dict(french_message(e) for e in errs)
    assert "Choix possibles" in messages["/kind"] and "« Commune »" in messages["/kind"]
    assert messages["/name"] == "« Nom de la structure » ne doit pas être vide."
    assert "code de département" in messages["/departement"]
    assert messages["/population"] == "« Population » : la valeur doit être supérieure ou égale à 0."
    assert "adresse électronique" in messages["/contact/email"]


def test_dates_are_french_with_the_first_of_the_month_as_an_ordinal():
    from datetime import date

    from checker.dates import fr_date, fr_datetime

    assert fr_date(date(2021, 3, 1)) == "1er mars 2021"
    assert fr_date(date(2021, 10, 22)) == "22 octobre 2021"
    assert plain(fr_datetime(datetime.fromisoformat("2021-12-07T12:00:00+01:00"))) == "7 décembre 2021 à 12 h 00"
    assert plain(fr_datetime(datetime.fromisoformat("2021-11-30T23:30:00+00:00"))) == "1er décembre 2021 à 00 h 30"


def test_absurd_amounts_are_schema_errors_not_crashes():
    for absurd in ("1e30", "123456789012345678901234567890.5", "1e99"):
        messages = validate_money(load_json(absurd))
        assert len(messages) == 1 and "invraisemblable" in messages[0].message
    assert "deux décimales" in validate_money(load_json("10.005"))[0].message
    assert validate_money(load_json("10.05")) == []
    for monstrous in ("1e101", "1" * 101):
        with pytest.raises(ValueError, match="démesuré"):
            load_json(monstrous)


def validate_money(value):
    """Schema errors of one amount, through a call-like schema that references the common money."""
    from checker import schemas

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://appels-numeriques.example/schemas/t.schema.json",
        "$ref": "common.schema.json#/$defs/money",
    }
    v = schemas.DossierValidator(schema, registry=schemas.registry(), format_checker=schemas.FORMATS)
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = schemas.VALIDATION_PRECISION
        return [schemas.SchemaError(*schemas.french_message(e)) for e in v.iter_errors(value)]


# --- the rules' vocabulary: prefix, labels from params, applies=, flag_rule, derived calls -----------


def _essai_params() -> Params:
    return Params(
        {
            "cap": Param("cap", "Plafond", Decimal("1500000"), "plafond", "money"),
            "rate": Param("rate", "Taux", Decimal("0.70"), "taux", "rate"),
            "deadline": Param(
                "deadline", "Date limite", datetime.fromisoformat("2021-10-22T23:59:59+02:00"), "date", "datetime"
            ),
            "results_by": Param("results_by", "Résultats", date(2022, 12, 31), "resultats", "date"),
        }
    )


def test_labels_quote_the_params_as_typed_prose_writes_them():
    params = _essai_params()
    assert params.format("au plus {rate}, plafonnée à {cap}") == "au plus 70 %, plafonnée à 1 500 000 €"
    assert params.format("{cap:M} ; {cap:millions} ; {rate:nombre}") == "1,5 M€ ; 1,5 millions d'euros ; 70"
    assert (
        params.format("jusqu'au {deadline:date} ({deadline}), fin {results_by.year}")
        == "jusqu'au 22 octobre 2021 (22 octobre 2021 à 23 h 59), fin 2022"
    )
    with pytest.raises(KeyError, match="plafond"):
        params.format("{plafond}")


def test_a_rule_set_puts_the_call_s_prefix_before_its_ids_and_fills_its_labels():
    rules = RuleSet(_essai_params(), prefix="essai")

    @rules.rule("plafond", "Subvention plafonnée à {cap}", clause="plafond")
    def cap(d: Dossier):
        return ok("ok")

    rules.figure("subvention_max", "Subvention maximale ({rate})")(lambda d: None)
    assert [(r.id, r.label) for r in rules] == [("essai.plafond", "Subvention plafonnée à 1 500 000 €")]
    assert [(f.id, f.label) for f in rules.figures] == [("essai.subvention_max", "Subvention maximale (70 %)")]


def test_a_rule_that_does_not_apply_holds_as_sans_objet_without_running():
    ran = []
    communes = Applies(lambda d: d.get("applicant.kind") == "commune", lambda d: ": le porteur n'est pas une commune.")
    rules = RuleSet(prefix="essai")

    @rules.rule("groupement", "Les communes candidatent en groupement", clause="groupement", applies=communes)
    def grouped(d: Dossier):
        ran.append(d)
        return ko("Une commune seule ne peut pas candidater.")

    rule = rules.rules[0]
    outcome = rule.check(Dossier({"applicant": {"kind": "departement"}}))
    assert (outcome.status, outcome.message) == (
        Status.OK,
        "Sans objet : le porteur n'est pas une commune.",
    ) and not ran
    assert rule.check(Dossier({"applicant": {"kind": "commune"}})).status is Status.KO and ran
    with pytest.raises(MissingData):  # whether it applies is itself an answer to give
        rule.check(Dossier({}))


def test_a_flag_rule_is_a_yes_no_condition_with_its_two_sentences():
    rules = RuleSet(prefix="essai")
    flag_rule(
        rules,
        "engagement",
        "engagement",
        label="Engagement pris",
        field="commitments.signed",
        held="Engagement pris.",
        unmet="Engagement non pris.",
        blocking=False,
        quote="« Je m'engage »",
    )
    rule = rules.rules[0]
    assert (rule.id, rule.blocking, rule.check.__doc__) == ("essai.engagement", False, "« Je m'engage »")
    assert rule.check(Dossier({"commitments": {"signed": True}})).message == "Engagement pris."
    assert rule.check(Dossier({"commitments": {"signed": False}})).message == "Engagement non pris."
    with pytest.raises(MissingData):  # unanswered is « à compléter », never a refusal
        rule.check(Dossier({}))


def test_a_call_s_id_page_schema_title_and_window_are_derived_from_its_folder_and_params():
    fitn7 = get_call("fitn7-saone-et-loire")
    assert (fitn7.page, fitn7.schema) == ("appels/fitn7-saone-et-loire/", "fitn7-saone-et-loire.schema.json")
    assert fitn7.title == call_file("fitn7_saone_et_loire")["title"]
    assert (fitn7.opens, fitn7.closes) == (None, fitn7.params.deadline)
    measure = get_call("indre-et-loire-aidants-connect")
    assert measure.page == "appels/indre-et-loire/aidants-connect/" and measure.closes is None
    bdt = get_call("bdt-inclusion-numerique-tpe")
    assert bdt.opens == bdt.params.opening and bdt.closes == bdt.params.deadline_financial
