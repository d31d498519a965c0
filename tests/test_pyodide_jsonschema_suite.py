"""The official JSON-Schema-Test-Suite (draft 2020-12) gives the same results in Pyodide as in CPython.

The browser validates with jsonschema over a pure-Python stand-in for rpds-py; this holds it to
the CPython venv (real rpds-py) test by test. The suite ships in jsonschema's source
distribution on PyPI (json/tests/), downloaded once with pip, hash-checked, into build/.
Skipped the same way in both runtimes: optional/format/ (format assertion is opt-in). Remote
references resolve from the suite's json/remotes/, registered up front, so none needs a network.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from test_pyodide_parity import NODE_SCRIPTS, ROOT, run_node, staged_site, vendor

pytestmark = pytest.mark.pyodide

DRAFT = "draft2020-12"
CACHE = ROOT / "build" / "jsonschema-suite"
HARNESS = NODE_SCRIPTS / "jsonschema_suite.py"
# jsonschema does not implement $vocabulary (its own test suite skips this case too).
KNOWN_UNSUPPORTED = {
    "vocabulary.json::0:schema that uses custom metaschema with with no validation vocabulary::"
    "2:no validation: invalid number, but it still validates"
}


def suite_sdist() -> Path:
    pin = next(p for p in vendor.pins() if p.name == "jsonschema")
    found = sorted(CACHE.glob(f"jsonschema-{pin.version}.tar.gz"))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    requirement = CACHE / "requirement.txt"
    requirement.write_text(f"jsonschema=={pin.version} " + " ".join(f"--hash=sha256:{h}" for h in pin.hashes) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--require-hashes",
            "-r",
            str(requirement),
            "-d",
            str(CACHE),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return next(CACHE.glob(f"jsonschema-{pin.version}.tar.gz"))


def suite_payload() -> dict:
    """{"remotes": {uri: schema}, "cases": [{"id", "schema", "tests"}]} from the sdist."""
    remotes, cases = {}, []
    with tarfile.open(suite_sdist()) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            parts = member.name.split("/")
            if not member.isfile() or not member.name.endswith(".json") or parts[1:2] != ["json"]:
                continue
            if parts[2] == "remotes":
                remotes["http://localhost:1234/" + "/".join(parts[3:])] = json.load(tar.extractfile(member))
            elif parts[2:4] == ["tests", DRAFT] and parts[4:6] != ["optional", "format"]:
                name = "/".join(parts[4:])
                for index, group in enumerate(json.load(tar.extractfile(member))):
                    cases.append(
                        {
                            "id": f"{name}::{index}:{group['description']}",
                            "schema": group["schema"],
                            "tests": group["tests"],
                        }
                    )
    return {"remotes": remotes, "cases": cases}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict:
    site = staged_site(tmp_path_factory)
    work = tmp_path_factory.mktemp("suite")
    payload = json.dumps(suite_payload())
    (work / "payload.json").write_text(payload, "utf-8")
    run_node("run_jsonschema_suite.mjs", site, HARNESS, work / "payload.json", work / "out.json")
    pyodide = json.loads((work / "out.json").read_text("utf-8"))
    cpython = json.loads(runpy.run_path(str(HARNESS))["run"](payload))
    return {"cpython": cpython, "pyodide": pyodide["results"], "versions": pyodide["versions"]}


def test_the_suite_ran_under_pyodide_with_the_stand_in(outcomes):
    pin = next(p for p in vendor.pins() if p.name == "jsonschema")
    assert outcomes["versions"]["python"].startswith("3.14.")
    assert outcomes["versions"]["jsonschema"] == pin.version
    assert outcomes["versions"]["rpds-py"] == vendor.STAND_IN["version"]


def test_the_suite_is_substantial_and_mostly_passes(outcomes):
    """Guards against a vacuous comparison (both runtimes erroring the same way on everything)."""
    required = {k: v for k, v in outcomes["cpython"].items() if not k.startswith("optional/")}
    assert len(required) > 1000
    failing = {k: v for k, v in required.items() if v != "pass"}
    assert set(failing) == KNOWN_UNSUPPORTED, failing


def test_pyodide_passes_and_fails_exactly_the_same_cases(outcomes):
    cpython, pyodide = outcomes["cpython"], outcomes["pyodide"]
    assert set(pyodide) == set(cpython)
    differ = {k: (cpython[k], pyodide[k]) for k in cpython if cpython[k] != pyodide[k]}
    assert not differ, f"{len(differ)} cases differ (CPython, Pyodide): {dict(list(differ.items())[:20])}"
