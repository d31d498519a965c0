"""The browser runs the very same checker: same versions, same reports, byte for byte.

Pyodide runs under Node, once for the whole module: tests/node/run_checks.mjs loads the site's
real checker-worker.js, which loads Pyodide and the vendored wheels from assets/pyodide/ through
the site-local lockfile, exactly as in a browser, and checks every fixture dossier.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from support import FINDER_QUESTIONS, all_case_names, dossier_text

import checker
from checker import bridge
from checker.engine import all_calls, check
from checker.schemas import load_json

ROOT = Path(__file__).resolve().parents[1]
NODE_SCRIPTS = Path(__file__).parent / "node"
# Every dossier of the tests: the full ones of tests/dossiers/ and every call's cases.yaml.
FIXTURES = all_case_names()

sys.path.insert(0, str(ROOT / "tools" / "vendor"))  # tools/ is not a package
import vendor  # noqa: E402

pytestmark = pytest.mark.pyodide


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def staged_site(tmp_path_factory) -> Path:
    """A site root holding assets/pyodide/ and the worker: the built site, or a fresh staging."""
    if not (ROOT / "node_modules" / "pyodide").is_dir():
        pytest.skip("node_modules absent : lancez `./dev test` (il exécute `npm ci`) / run `./dev test`")
    if shutil.which("node") is None:
        pytest.fail("Node.js est requis pour tester le runtime Pyodide / Node.js is required")
    built = os.environ.get("SITE_DIR")
    if built and (Path(built) / vendor.RUNTIME_DIR / "pyodide-lock.json").is_file():
        return Path(built)
    root = tmp_path_factory.mktemp("pyodide-site")
    vendor.stage(root)
    return root


def run_node(script: str, *args: Path | str) -> None:
    result = subprocess.run(
        ["node", str(NODE_SCRIPTS / script), *map(str, args)], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-4000:]


# --- cases: every fixture, plus a few the form can send -----------------------------------------


def cases() -> list[dict]:
    found = [
        {"id": f"{call_id}/{name}", "call": call_id, "dossier": dossier_text(call_id, name)}
        for call_id, name in FIXTURES
    ]
    for call_id in sorted(all_calls()):
        found.append({"id": f"{call_id}/(vide)", "call": call_id, "dossier": "{}"})
        found.append(
            {
                "id": f"{call_id}/(date seule)",
                "call": call_id,
                "dossier": '{"project": {"filing_date": "2026-11-23", "filing_time": "12:00"}}',
            }
        )
        # A first answer, as the form's « Questions qui décident » sends it: the ranked questions,
        # each rule's missing pointers and the verdict must agree too.
        found.append(
            {
                "id": f"{call_id}/(porteur seul)",
                "call": call_id,
                "dossier": '{"call": "%s", "applicant": {"kind": "commune", "departement": "71"}}' % call_id,
            }
        )
    found.append({"id": "(appel inconnu)", "call": "appel-inexistant", "dossier": "{}"})
    found += FINDER_QUESTIONS
    found.append(
        {
            "id": "(finder) montant illisible",
            "find": {"applicant": {"kind": "commune", "name": "Tours"}, "nature": None, "amount": "beaucoup"},
        }
    )
    found.append({"id": "(pas un objet)", "call": next(iter(sorted(all_calls())), "x"), "dossier": "[1, 2]"})
    return found


CASES = cases()


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory) -> dict:
    site = staged_site(tmp_path_factory)
    work = tmp_path_factory.mktemp("parity")
    (work / "cases.json").write_text(json.dumps(CASES, ensure_ascii=False), "utf-8")
    run_node("run_checks.mjs", site, work / "cases.json", work / "out.json")
    return json.loads((work / "out.json").read_text("utf-8"))


def test_the_worker_starts_and_reports_progress_in_french(pyodide_run):
    ready = pyodide_run["ready"]
    assert ready["type"] == "ready", ready
    assert ready["progress"][:2] == [
        "Chargement de Python…",
        "Préparation des règles…",
    ]  # the wheels load during the boot
    assert isinstance(ready["ms"], int) and ready["ms"] > 0


def test_a_broken_runtime_fails_at_startup_in_french(tmp_path_factory):
    """A wheel missing from the site: "failed" with a French message, and queued checks get it too."""
    site = staged_site(tmp_path_factory)
    broken = tmp_path_factory.mktemp("broken-site")
    shutil.copytree(site / "assets", broken / "assets", ignore=shutil.ignore_patterns("babel-*.whl"))
    work = tmp_path_factory.mktemp("broken")
    (work / "cases.json").write_text(json.dumps(CASES[:1]), "utf-8")
    run_node("run_checks.mjs", broken, work / "cases.json", work / "out.json")
    out = json.loads((work / "out.json").read_text("utf-8"))
    assert out["ready"]["type"] == "failed"
    assert out["ready"]["message"].startswith("Le vérificateur n'a pas pu démarrer")
    assert out["results"][CASES[0]["id"]] == {"type": "error", "id": CASES[0]["id"], "message": out["ready"]["message"]}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_same_answer_as_cpython(pyodide_run, case):
    """The worker's report equals CPython's checker.engine.check, byte for byte once sorted."""
    answer = pyodide_run["results"][case["id"]]
    if "find" in case:
        query = case["find"]
        expected = json.loads(bridge.find(json.dumps(query["applicant"]), query["nature"], query["amount"]))
        if expected["ok"]:
            assert answer["type"] == "found", answer
            assert canonical(answer["findings"]) == canonical(expected["findings"])
        else:
            assert answer == {"type": "error", "id": case["id"], "message": expected["message"]}
        return
    expected = json.loads(bridge.run(case["call"], case["dossier"]))
    if expected["ok"]:
        assert expected["report"] == check(case["call"], load_json(case["dossier"])).to_json()
        assert answer["type"] == "report", answer
        assert canonical(answer["report"]) == canonical(expected["report"])
    else:
        assert answer == {"type": "error", "id": case["id"], "message": expected["message"]}


def test_every_fixture_was_checked(pyodide_run):
    assert FIXTURES, "no fixture dossier under tests/dossiers/ nor case in a cases.yaml"
    assert {f"{call_id}/{name}" for call_id, name in FIXTURES} <= set(pyodide_run["results"])


# --- versions: the pins, CPython and Pyodide agree -----------------------------------------------

BROWSER_ONLY = {"pyrsistent", "pyrsistent-as-rpds-py"}  # the rpds-py stand-in's own dependencies


def test_browser_pins_match_cpython():
    """requirements-browser.txt pins what the CPython venv runs (and requirements.txt pins)."""
    pinned = {p.name: p.version for p in vendor.pins()}
    cpython_pins = {
        vendor.normalize(row[0]): row[1]
        for row in (
            line.split("==")
            for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines()
            if "==" in line and not line.startswith("#")
        )
    }
    for name, version in pinned.items():
        if name in BROWSER_ONLY:
            continue
        assert metadata.version(name) == version, f"{name}: CPython {metadata.version(name)}, browser {version}"
        assert cpython_pins.get(name) == version, (
            f"{name}: requirements.txt {cpython_pins.get(name)}, browser {version}"
        )


def test_pyodide_runs_the_pinned_versions(pyodide_run):
    runtime = pyodide_run["versions"]
    pinned = {p.name: p.version for p in vendor.pins()}
    assert runtime["python"].startswith("3.14."), runtime
    assert runtime["pyodide"] == json.loads((ROOT / "node_modules/pyodide/package.json").read_text())["version"]
    assert runtime["checker"] == checker.__version__ == vendor._wheel_config()["project"]["version"]
    assert runtime["rpds-py"] == vendor.STAND_IN["version"]
    assert {k: runtime[k] for k in pinned} == pinned
    cpython = json.loads(bridge.versions())
    shared = set(pinned) - BROWSER_ONLY
    assert {k: cpython[k] for k in shared} == {k: runtime[k] for k in shared}


# --- the bridge on CPython, and the vendored wheels ---------------------------------------------


def test_bridge_returns_the_engine_report():
    call_id, name = FIXTURES[0] if FIXTURES else pytest.skip("no fixture yet")
    text = dossier_text(call_id, name)
    assert bridge.check_json(call_id, text) == json.dumps(
        check(call_id, load_json(text)).to_json(), ensure_ascii=False, separators=(",", ":")
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "Dossier illisible"),
        ('{"a": NaN}', "Dossier illisible"),
        ("[]", "Le dossier doit être un objet JSON"),
    ],
)
def test_bridge_refuses_unreadable_dossiers_in_french(text, message):
    answer = json.loads(bridge.run(next(iter(all_calls()), "x"), text))
    assert answer["ok"] is False and answer["message"].startswith(message)


def test_bridge_names_the_known_calls_when_the_call_is_unknown():
    answer = json.loads(bridge.run("inconnu", "{}"))
    assert answer["ok"] is False
    assert answer["message"].startswith("Appel inconnu : « inconnu »")
    assert all(call_id in answer["message"] for call_id in all_calls())


@pytest.fixture(scope="module")
def vendored(tmp_path_factory) -> tuple[Path, list]:
    if not (ROOT / "node_modules" / "pyodide").is_dir():
        pytest.skip("node_modules absent : lancez `./dev test` / run `./dev test`")
    root = tmp_path_factory.mktemp("vendored")
    _, parts = vendor.install(root)
    return root / vendor.RUNTIME_DIR, parts


def test_vendored_parts_fit_the_budget(vendored):
    _, parts = vendored
    assert sum(p.gzip for p in parts) <= vendor.BUDGET


def test_every_vendored_wheel_has_a_true_record(vendored):
    folder, _ = vendored
    for wheel in folder.glob("*.whl"):
        with zipfile.ZipFile(wheel) as z:
            record = next(n for n in z.namelist() if n.endswith(".dist-info/RECORD"))
            rows = {row[0]: row for row in csv.reader(io.StringIO(z.read(record).decode()))}
            assert set(rows) == set(z.namelist()), wheel.name
            for name, digest, size in rows.values():
                if name == record:
                    continue
                data = z.read(name)
                sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert (digest, int(size)) == (f"sha256={sha}", len(data)), (wheel.name, name)


def test_babel_ships_the_french_locale_alone(vendored):
    folder, _ = vendored
    with zipfile.ZipFile(next(folder.glob("babel-*.whl"))) as z:
        data = sorted(n for n in z.namelist() if n.endswith(".dat"))
    assert data == [
        "babel/global.dat",
        "babel/locale-data/fr.dat",
        "babel/locale-data/fr_FR.dat",
        "babel/locale-data/root.dat",
    ]


# Modules every start imports (Pyodide's boot and package loader, jsonschema, Babel, the checker),
# and modules none does.
STARTUP_MODULES = (
    "json/__init__",
    "re/__init__",
    "typing",
    "tarfile",
    "zipfile/__init__",
    "decimal",
    "pickle",
    "zoneinfo/__init__",
    "email/message",
    "ipaddress",
)
UNUSED_MODULES = ("smtplib", "ftplib", "imaplib")


def test_the_standard_library_a_start_imports_ships_as_bytecode(vendored):
    """tools/vendor/compile_pyc.mjs `stdlib`: what a start imports is a sourceless .pyc, compiled
    by Pyodide's Python (one magic number, hash-based unchecked); nothing of the published
    archive is missing; what no start imports stays as published."""
    folder, _ = vendored
    published = zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / vendor.STDLIB)
    shipped = zipfile.ZipFile(folder / vendor.STDLIB)
    names = set(shipped.namelist())

    def module(name: str) -> str:
        return name[:-4] if name.endswith(".pyc") else name[:-3] if name.endswith(".py") else name

    assert {module(n) for n in names} == {module(n) for n in published.namelist()}
    compiled = sorted(n for n in names if n.endswith(".pyc"))
    assert len(compiled) >= 100 and not {n[:-1] for n in compiled} & names  # sourceless
    assert {f"{m}.pyc" for m in STARTUP_MODULES} <= names
    assert {f"{m}.py" for m in UNUSED_MODULES} <= names
    for name in {f"{m}.py" for m in UNUSED_MODULES}:
        assert shipped.read(name) == published.read(name)
    headers = {shipped.read(n)[:8] for n in compiled}
    assert len(headers) == 1 and int.from_bytes(next(iter(headers))[4:8], "little") == 0b01, headers


def test_lockfile_lists_only_vendored_wheels(vendored):
    folder, _ = vendored
    lock = json.loads((folder / "pyodide-lock.json").read_text("utf-8"))
    files = {p["file_name"] for p in lock["packages"].values()}
    assert files == {p.name for p in folder.glob("*.whl")}
    for package in lock["packages"].values():
        assert hashlib.sha256((folder / package["file_name"]).read_bytes()).hexdigest() == package["sha256"]
    assert re.fullmatch(r"3\.14\.\d+", lock["info"]["python"])


# --- the build hook ------------------------------------------------------------------------------


def _hook():
    spec = importlib.util.spec_from_file_location(
        "vendor_runtime_hook", ROOT / "overrides" / "hooks" / "vendor_runtime.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_fails_and_says_what_to_run_without_npm_install(tmp_path, monkeypatch):
    from mkdocs.exceptions import PluginError

    monkeypatch.setattr(vendor, "PYODIDE_NPM", tmp_path / "node_modules" / "pyodide")
    with pytest.raises(PluginError) as raised:
        _hook().on_post_build({"site_dir": str(tmp_path / "site")})
    assert "./dev serve" in str(raised.value) and "npm ci" in str(raised.value)
    assert not (tmp_path / "site" / vendor.RUNTIME_DIR).exists()


def test_the_build_fails_over_budget(tmp_path, monkeypatch, vendored):
    monkeypatch.setattr(vendor, "BUDGET", sum(p.gzip for p in vendored[1]) - 1)
    with pytest.raises(vendor.VendorError, match="Budget dépassé"):
        vendor.install(tmp_path)
