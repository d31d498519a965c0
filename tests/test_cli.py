"""The command line: French help and errors, the report contract, exit codes, no traceback ever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

import checker.cli
import checker.engine
from checker.cli import call_window, main
from checker.dates import PARIS, parse_datetime
from checker.engine import all_calls, check
from checker.model import Figure, Question, Report, SchemaError, Verdict
from checker.params import Param, Params
from checker.rules import Call, RuleSet
from checker.schemas import load_json, load_schema, schema_text
from checker.standard_rules import deadline_rule
from checker.text_report import render

ROOT = Path(__file__).resolve().parents[1]
FITN7 = "fitn7-saone-et-loire"
CONTRACT_KEYS = {"call", "verdict", "eligible", "verdicts", "questions", "figures", "schema_errors"}


def fixture_with(call_id: str, eligible: bool | None) -> Path:
    """A fixture dossier of the call whose expected verdict is `eligible` (skip if there is none yet)."""
    for expected in sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.expected.json")):
        if json.loads(expected.read_text("utf-8")).get("eligible", "absent") is eligible:
            return expected.with_name(expected.name.replace(".expected.json", ".json"))
    pytest.skip(f"no fixture of {call_id} with eligible={eligible} yet")


def cli(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], input=stdin, capture_output=True, env=env, timeout=timeout, cwd=ROOT
    )


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


# --- end to end, through `python -m checker` -----------------------------------------------


def test_check_json_prints_exactly_the_report_contract():
    path = fixture_with(FITN7, True)
    result = cli("check", FITN7, str(path), "--json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)  # one object, nothing before or after
    assert set(report) == CONTRACT_KEYS and report["call"] == FITN7 and report["eligible"] is True
    assert report == json.loads(json.dumps(check(FITN7, load_json(path.read_text("utf-8"))).to_json()))
    assert set(report["verdicts"][0]) == {"rule", "label", "status", "blocking", "message", "clause", "missing"}
    assert report["verdict"] == "eligible" and report["questions"] == []
    assert all(v["missing"] == [] for v in report["verdicts"] if v["status"] != "a_completer")
    assert report["verdicts"][0]["clause"].startswith(f"appels/{FITN7}/#")


def test_check_of_an_ineligible_dossier_exits_1_with_french_text():
    result = cli("check", FITN7, str(fixture_with(FITN7, False)))
    text = result.stdout.decode("utf-8")
    assert result.returncode == 1
    assert "Résultat : NON ÉLIGIBLE" in text and "[KO]" in text and "non respectée (bloquante)" in text


def test_bad_input_exits_2_with_a_french_message_and_no_traceback(tmp_path):
    bad = tmp_path / "mal.json"
    bad.write_text('{"applicant": {"kind": "commune",}}', "utf-8")
    big = tmp_path / "enorme.json"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    cases = {
        str(bad): "JSON mal formé, ligne 1, colonne 34 : un nom de champ entre guillemets doubles est attendu",
        str(big): "dépasse la taille maximale d'un dossier (5 Mo)",
        str(tmp_path / "absent.json"): "Fichier introuvable",
        str(tmp_path): "est un dossier du disque",
    }
    for name, expected in cases.items():
        result = cli("check", FITN7, name)
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2 and expected in err and "Traceback" not in err, (name, err)
        assert result.stdout == b""


def test_absurd_amounts_are_schema_errors_not_crashes():
    path = fixture_with(FITN7, True)
    data = json.loads(path.read_text("utf-8"))
    data["budget"]["expenses"][0]["amount"] = 10**15
    data["applicant"]["population"] = "beaucoup"
    result = cli("check", FITN7, "-", "--json", stdin=json.dumps(data).encode())
    report = json.loads(result.stdout)
    messages = {e["path"]: e["message"] for e in report["schema_errors"]}
    assert result.returncode == 1 and report["eligible"] is not True
    assert "montant invraisemblable" in messages["/budget/expenses/0/amount"]
    assert "un nombre entier est attendu" in messages["/applicant/population"]


def test_batch_from_stdin_streams_reports_and_a_summary():
    lines = [
        fixture_with(FITN7, True).read_bytes().replace(b"\n", b" "),
        b"{oops",
        fixture_with(FITN7, False).read_bytes().replace(b"\n", b" "),
    ]
    result = cli("batch", FITN7, "-", stdin=b"\n".join(lines) + b"\n")
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [o.get("line") for o in out] == [1, 2, 3, None]
    assert [o["eligible"] for o in out[:3]] == [True, None, False]
    assert out[3]["summary"] == {
        "call": FITN7,
        "dossiers": 3,
        "eligibles": 1,
        "non_eligibles": 1,
        "a_completer": 0,
        "a_verifier": 0,
        "illisibles": 1,
    }
    assert result.returncode == 2
    assert (
        "3 dossiers : 1 éligible, 1 non éligible, 0 à compléter, 0 à vérifier, 1 illisible." in result.stderr.decode()
    )


def test_batch_exit_codes_end_to_end(tmp_path):
    good = fixture_with(FITN7, True).read_bytes().replace(b"\n", b" ")
    bad = fixture_with(FITN7, False).read_bytes().replace(b"\n", b" ")
    (tmp_path / "ok.jsonl").write_bytes(good + b"\n" + good)
    (tmp_path / "mixte.jsonl").write_bytes(good + b"\n" + bad)
    (tmp_path / "binaire.jsonl").write_bytes(b"\x00\x01\x02\xff" * 100)
    assert cli("batch", FITN7, str(tmp_path / "ok.jsonl")).returncode == 0
    assert cli("batch", FITN7, str(tmp_path / "mixte.jsonl")).returncode == 1
    binary = cli("batch", FITN7, str(tmp_path / "binaire.jsonl"))
    assert binary.returncode == 2 and b"contenu binaire" in binary.stdout and b"Traceback" not in binary.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_ends_batch_quietly(tmp_path, jobs):
    """One process, or the parent of two: `checker batch … | head -1` stops without a traceback."""
    line = fixture_with(FITN7, True).read_bytes().replace(b"\n", b" ")
    (tmp_path / "lot.jsonl").write_bytes(b"\n".join([line] * 600))  # far more than a pipe holds
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "checker", "batch", FITN7, str(tmp_path / "lot.jsonl"), "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert json.loads(process.stdout.readline())["line"] == 1
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) != 0 and "Traceback" not in err and "Exception ignored" not in err


def test_a_bad_csv_header_makes_batch_exit_2(tmp_path):
    (tmp_path / "lot.csv").write_text("applicant.kind;applicant.kind\ncommune;commune\n", "utf-8")
    result = cli("batch", FITN7, str(tmp_path / "lot.csv"))
    assert result.returncode == 2 and result.stdout == b""
    assert "En-tête CSV : la colonne « applicant.kind » apparaît deux fois." in result.stderr.decode("utf-8")


def test_python_m_checker_without_a_command_is_a_french_usage_error():
    result = cli()
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert err.startswith("utilisation : checker") and "erreur : argument obligatoire manquant : commande" in err


# --- direct calls ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            ["frobnicate"],
            "argument commande : choix non valide : 'frobnicate' (choix possibles : 'calls', 'schema', 'check', 'batch', 'finder', 'new-call')",
        ),
        (["check", FITN7], "argument obligatoire manquant : FICHIER"),
        (["check", FITN7, "x.json", "--bavard"], "argument non reconnu : --bavard"),
        (["check", FITN7, "x.json", "--bavard", "--verbeux"], "arguments non reconnus : --bavard --verbeux"),
        (["calls", "--date", "22/10/2021"], "argument --date : date attendue au format AAAA-MM-JJ"),
        (["batch", FITN7, "x", "--format", "xml"], "argument --format : choix non valide : 'xml'"),
        (["schema"], "argument obligatoire manquant : APPEL"),
    ],
)
def test_usage_errors_are_french_and_exit_2(capsys, args, expected):
    code, out, err = run_main(capsys, *args)
    assert code == 2 and expected in err and "utilisation : checker" in err and out == ""


def test_help_is_french(capsys):
    code, out, _ = run_main(capsys, "batch", "--help")
    assert code == 0
    for words in (
        "utilisation : checker batch",
        "affiche cette aide et quitte",
        "budget.expenses.0.amount",
        "oui/non",
        "une cellule vide est un champ absent",
        "codes de sortie",
    ):
        assert words in out


def test_an_unknown_call_lists_the_known_ones(capsys):
    code, out, err = run_main(capsys, "schema", "appel-imaginaire")
    assert code == 2 and out == ""
    assert "Appel inconnu : « appel-imaginaire »" in err
    assert all(call_id in err for call_id in all_calls())


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_schema_is_printed_as_published(capsys, call_id):
    code, out, _ = run_main(capsys, "schema", call_id)
    assert code == 0
    # The file as written, its help texts filled from params.json: the schema the checker validates with.
    assert out == schema_text(all_calls()[call_id].schema)
    assert load_json(out) == load_schema(all_calls()[call_id].schema)
    assert '"$ref"' in out


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_every_call_is_listed_with_its_status(capsys, call_id):
    opens, closes = call_window(all_calls()[call_id])
    assert closes is None or closes.tzinfo is not None
    assert opens is None or closes is None or opens < closes
    code, out, _ = run_main(capsys, "calls", "--date", "2000-01-01")
    line = next(line for line in out.splitlines() if line.startswith(call_id + " "))
    # None of these texts had closed by 2000; a call "au fil de l'eau" has no closing date.
    expected = ("sans date limite",) if closes is None else ("ouvert", "à venir")
    assert any(word in line for word in expected) and all_calls()[call_id].title in line


# --- `checker calls` on a call of our own ----------------------------------------------------


def toy_call(opening: str | None = "2021-09-01T00:00:00+02:00") -> Call:
    """A call whose params.json would say: closes at the deadline, opens at the opening (when given)."""
    deadline = parse_datetime("2021-10-22T12:00:00+02:00")
    params = {"deadline": Param("deadline", "Date limite", deadline, "date-limite", "datetime")}
    if opening:
        params["opening"] = Param("opening", "Ouverture", parse_datetime(opening), "ouverture", "datetime")
    rules = RuleSet()
    deadline_rule(rules, "essai.date_limite", "date-limite", deadline)
    return Call(
        "essai",
        "Appel d'essai",
        "appels/essai/",
        "common.schema.json",
        rules,
        Params(params),
        opens=parse_datetime(opening) if opening else None,
        closes=deadline,
    )


def use_calls(monkeypatch, *calls: Call) -> None:
    registry = {call.id: call for call in calls}
    monkeypatch.setattr(checker.engine, "all_calls", lambda: registry)
    monkeypatch.setattr(checker.cli, "all_calls", lambda: registry)


@pytest.mark.parametrize(
    "day, status",
    [
        ("2021-08-31", "à venir (ouverture le 1er septembre 2021 à 00 h 00)"),
        ("2021-09-01", "ouvert (jusqu'au 22 octobre 2021 à 12 h 00)"),
        ("2021-10-22", "ouvert (jusqu'au 22 octobre 2021 à 12 h 00)"),
        ("2021-10-23", "clos (depuis le 22 octobre 2021 à 12 h 00)"),
    ],
)
def test_calls_status_by_date(capsys, monkeypatch, day, status):
    use_calls(monkeypatch, toy_call())
    code, out, _ = run_main(capsys, "calls", "--date", day)
    assert code == 0 and out.split() == ["essai", *status.split(), "Appel", "d'essai"]


def test_the_window_is_the_one_the_call_declares_never_guessed_from_its_params():
    base = toy_call(opening=None)
    assert call_window(base) == (None, parse_datetime("2021-10-22T12:00:00+02:00"))
    undeclared = replace(base, closes=None)  # a deadline parameter alone does not close a call
    assert call_window(undeclared) == (None, None)
    declared = replace(base, closes=datetime(2022, 1, 31, 18, 0, tzinfo=PARIS))
    assert call_window(declared)[1] == datetime(2022, 1, 31, 18, 0, tzinfo=PARIS)


def test_a_call_s_window_comes_from_its_params_json():
    bdt, fitn7 = all_calls()["bdt-inclusion-numerique-tpe"], all_calls()["fitn7-saone-et-loire"]
    assert call_window(bdt) == (bdt.params.opening, bdt.params.deadline_financial)  # open until its last phase
    assert call_window(fitn7) == (None, fitn7.params.deadline)
    assert call_window(all_calls()["indre-et-loire-aidants-connect"]) == (None, None)  # no date in the letter


def test_calls_now_uses_paris_time(capsys, monkeypatch):
    use_calls(monkeypatch, toy_call())
    code, out, _ = run_main(capsys, "calls")
    assert code == 0 and "clos (depuis le 22 octobre 2021 à 12 h 00)" in out


# --- the readable report ---------------------------------------------------------------------


def test_text_report_shows_everything_in_french():
    report = Report(
        "essai",
        None,
        [
            Verdict("a", "Date limite", "ok", True, "Dépôt le 1 octobre 2021.", "appels/essai/#date-limite"),
            Verdict("b", "Plafond", "ok", True, "Sous le plafond.", "appels/essai/#plafond"),
            Verdict("c", "Priorité", "ko", False, "Hors priorité.", "appels/essai/#priorite"),
            Verdict("d", "Taux", "a_verifier", True, "Donnée manquante : « Montant ».", "appels/essai/#taux"),
        ],
        [Figure("f", "Subvention maximale", "28 000 €", "70 % × 40 000 €")],
        [SchemaError("/applicant/kind", "Champ obligatoire : « Nature juridique du porteur ».")],
    )
    text = render(report, "Appel d'essai")
    assert text.startswith("Appel : essai — Appel d'essai\n")
    assert "Résultat : À COMPLÉTER" in text
    assert "Conditions : 2 respectées, 1 non respectée, 1 à vérifier." in text
    assert (
        "Erreurs du formulaire (1) :\n  - Champ obligatoire : « Nature juridique du porteur ». (champ /applicant/kind)"
        in text
    )
    assert (
        "[KO]  Priorité — non respectée (indicative)\n        Hors priorité.\n        Texte : appels/essai/#priorite"
        in text
    )
    assert "[ ? ] Taux — à vérifier (bloquante)" in text
    assert "Montants calculés :\n  - Subvention maximale : 28 000 €\n        70 % × 40 000 €" in text
    assert "Résultat : ÉLIGIBLE" in render(Report("essai", True))
    assert "Résultat : NON ÉLIGIBLE" in render(Report("essai", False))


def test_text_report_orders_the_verdict_failures_judgements_missing_answers_then_what_holds():
    report = Report(
        "essai",
        False,
        [
            Verdict("a", "Date limite", "ok", True, "Dépôt le 1 octobre 2021.", "appels/essai/#date-limite"),
            Verdict("b", "Porteur", "ko", True, "Communauté d'agglomération : exclue.", "appels/essai/#porteur"),
            Verdict("c", "Seuil", "a_verifier", True, "Pas de seuil dans le texte.", "appels/essai/#seuil"),
            Verdict(
                "d",
                "Taux",
                "a_completer",
                True,
                "Données manquantes : « Montant » et « Dépenses ».",
                "appels/essai/#taux",
                ["/request/amount", "/budget/expenses"],
            ),
            Verdict(
                "e",
                "Plafond",
                "a_completer",
                True,
                "Donnée manquante : « Montant ».",
                "appels/essai/#plafond",
                ["/request/amount"],
            ),
        ],
        questions=[
            Question("/request/amount", "Montant", ["d", "e"], 2),
            Question("/budget/expenses", "Dépenses", ["d"], 1),
        ],
    )
    text = render(report)
    assert report.verdict == "non_eligible"
    assert "Résultat : NON ÉLIGIBLE : une condition bloquante n'est pas respectée." in text
    assert "Conditions : 1 respectée, 1 non respectée, 1 à vérifier, 2 à compléter." in text
    assert (
        "2 réponses manquent pour conclure, les plus décisives d'abord :\n"
        "  1. « Montant » (/request/amount) — requise par 2 conditions bloquantes\n"
        "  2. « Dépenses » (/budget/expenses) — requise par 1 condition bloquante\n" in text
    )
    order = [
        text.index(s)
        for s in (
            "Résultat :",
            "Conditions bloquantes non respectées (1) :",
            "[KO]  Porteur",
            "À vérifier (1) :",
            "[ ? ] Seuil",
            "2 réponses manquent",
            "Conditions respectées (1) :",
            "[ok]  Date limite",
        )
    ]
    assert order == sorted(order)


def test_text_report_of_a_dossier_to_complete_says_how_many_answers_decide():
    text = render(check(FITN7, {}))
    deciding = sum(1 for q in check(FITN7, {}).questions if q.blocking)
    assert f"Résultat : À COMPLÉTER : {deciding} réponses manquent pour conclure.\n" in text
    # Fields a dossier needs before filing, but no rule reads, are listed apart: they decide nothing.
    assert "À remplir avant le dépôt" in text and "Champ obligatoire : « Demandeur »" in text
    assert "(s)" not in text


def test_missing_fields_no_rule_reads_do_not_hold_back_the_verdict():
    dossier = load_json((ROOT / "tests" / "dossiers" / FITN7 / "eligible-commune-tournus.json").read_text("utf-8"))
    del dossier["applicant"]["contact"]
    report = check(FITN7, dossier)
    assert report.verdict == "eligible" and report.eligible is True
    assert [(e.path, e.kind) for e in report.schema_errors] == [("/applicant/contact", "missing")]
    dossier["applicant"]["departement"] = "soixante et onze"  # unreadable: the verdict waits
    assert check(FITN7, dossier).verdict in ("a_completer", "non_eligible")


def test_check_json_of_an_empty_dossier_lists_what_is_missing(tmp_path):
    path = tmp_path / "vide.json"
    path.write_text("{}", "utf-8")
    result = cli("check", FITN7, str(path), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["verdict"] == "a_completer" and report["eligible"] is None
    assert report["questions"][0] == {
        "pointer": "/project/start_date",
        "title": report["questions"][0]["title"],
        "rules": report["questions"][0]["rules"],
        "blocking": report["questions"][0]["blocking"],
    }
    assert all(
        v["status"] == "a_completer" and v["missing"]
        for v in report["verdicts"]
        if v["blocking"] and v["status"] != "ok"
    )
