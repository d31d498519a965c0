"""`checker new-call <id>` writes a call that builds and passes the project's tests as it is.

This work tree (its tracked files and the new ones not ignored, as they are on disk) is copied
into a temporary folder, the scaffold writes « essai-appel » there, and in that copy, its own src/
first on the path (the venv's checker is installed editable from this work tree), the site is
built strictly and the tests that go over every call run. The browser runtime's third-party
wheels and the npm packages are this work tree's (build/vendor/deps-*, node_modules): only the
checker's own wheel is rebuilt, since it holds the new call.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from checker.cli import main
from checker.scaffold import ScaffoldError, create

ROOT = Path(__file__).resolve().parents[1]
CALL_ID, MODULE, TITLE = "essai-appel", "essai_appel", "Appel d'essai du squelette"
# The tests that read every call (its page, schema, rules, parameters, cases, text), run in the copy.
CALL_TESTS = [
    "tests/test_cases.py",
    "tests/test_anchors.py",
    "tests/test_metadata_consistency.py",
    "tests/test_schema_titles.py",
    "tests/test_schemas.py",
    "tests/test_open_data.py",
    "tests/test_etalab_mapping.py",
    "tests/test_sources.py",
    "tests/test_fidelity.py",
    "tests/test_missing_data.py",
    "tests/test_questions.py",
    "tests/test_excluded_expenses.py",
    "tests/test_rule_bugs.py",
    "tests/test_form_render.py",
    "tests/test_site_build.py",
]
SECOND_BUILD = "not reproducible and not public_address"  # the tests that build the site once more


def copy_work_tree(target: Path) -> None:
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a file deleted in the work tree is still in the index
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)  # test_sources lists the files git would track
    for shared in ("node_modules", ".venv312"):
        if (ROOT / shared).exists():
            (target / shared).symlink_to(ROOT / shared)
    # The cached third-party wheels (and their downloads), not the bundles: the copy builds its own.
    vendor = target / "build" / "vendor"
    vendor.mkdir(parents=True)
    for cached in [*(ROOT / "build" / "vendor").glob("deps-*"), ROOT / "build" / "vendor" / "downloads"]:
        if cached.is_dir():
            (vendor / cached.name).symlink_to(cached)


def environment(tree: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_DIR", "SITE_URL", "PYTHONPATH", "CHECKER_TERRITOIRE")}
    return {**env, "PYTHONPATH": str(tree / "src"), **extra}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> tuple[Path, Path, str]:
    """(the copy with the new call, its built site, what the command printed)."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to list the work tree's files")
    tree = tmp_path_factory.mktemp("depot")
    copy_work_tree(tree)
    made = subprocess.run(
        [sys.executable, "-m", "checker", "new-call", CALL_ID, "--title", TITLE, "--root", str(tree)],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    return tree, site, made.stdout


def test_the_copy_runs_its_own_checker(scaffolded):
    tree, _, _ = scaffolded
    found = subprocess.run(
        [sys.executable, "-c", "import checker; print(checker.__file__)"],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found).resolve().is_relative_to(tree.resolve()), found


def test_the_scaffold_writes_every_file_of_a_call_and_says_what_is_left(scaffolded):
    tree, _, printed = scaffolded
    for name in (
        f"docs/appels/{CALL_ID}.md",
        f"schemas/{CALL_ID}.schema.json",
        f"src/checker/calls/{MODULE}/__init__.py",
        f"src/checker/calls/{MODULE}/params.json",
        f"src/checker/calls/{MODULE}/cases.yaml",
        f"tests/dossiers/{CALL_ID}/eligible-commune.json",
        f"sources/005_{CALL_ID}.txt",
    ):
        assert (tree / name).is_file(), name
        assert name in printed
    assert json.loads((tree / f"src/checker/calls/{MODULE}/params.json").read_text("utf-8"))["title"] == TITLE
    page = (tree / f"docs/appels/{CALL_ID}.md").read_text("utf-8")
    assert "TODO" in page and "{: #date-limite-depot }" in page and '<span id="criteres-eligibilite-projet">' in page
    assert "Reste à faire" in printed
    assert not (ROOT / f"docs/appels/{CALL_ID}.md").exists()  # the work tree is left alone


def test_the_new_call_page_has_its_summary_card_and_its_form(scaffolded):
    _, site, _ = scaffolded
    html = (site / "appels" / CALL_ID / "index.html").read_text("utf-8")
    assert TITLE in unescape(html)
    assert 'class="fiche"' in html and "data-cloture=" in html and "Texte d'origine" in html
    assert f'data-checker="{CALL_ID}"' in html and "data-form" in html
    assert 'id="date-limite-depot"' in html and 'id="criteres-eligibilite-projet"' in html
    extended = json.loads((site / "donnees" / "appels-etendu.json").read_text("utf-8"))
    assert CALL_ID in {d["identifiant"] for d in extended["dispositifs"]}


def test_the_new_call_passes_the_tests_that_read_every_call(scaffolded):
    tree, site, _ = scaffolded
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
            "-m",
            "not browser and not pyodide",
            "-k",
            SECOND_BUILD,
            *CALL_TESTS,
        ],
        cwd=tree,
        env=environment(tree, SITE_DIR=str(site)),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The new call is among those tested, not skipped for lack of a case.
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "tests/test_cases.py",
            "tests/test_missing_data.py",
        ],
        cwd=tree,
        env=environment(tree),
        capture_output=True,
        text=True,
    ).stdout
    for test in (
        f"test_case_gives_expected_report[{CALL_ID}/depot-apres-la-cloture]",
        f"test_the_single_disqualifying_answer_is_enough_to_refuse[{CALL_ID}]",
    ):
        assert test in listed, test


# --- refusals, and a text given as received ----------------------------------------------------


@pytest.mark.parametrize(
    "call_id",
    ["Essai", "essai_appel", "essai appel", "-essai", "essai-", "essai--appel", "1-essai", "éssai", "", "a" * 61],
)
def test_an_id_that_is_not_lowercase_ascii_with_dashes_is_refused_in_french(call_id, capsys):
    assert main(["new-call", "--root", str(ROOT), "--", call_id]) == 2
    error = capsys.readouterr().err
    assert "identifiant non valide" in error and "minuscules sans accent" in error


@pytest.mark.parametrize("call_id", ["fitn7-saone-et-loire", "indre-et-loire-aidants-connect", "indre-et-loire"])
def test_an_id_that_exists_is_refused_in_french(call_id, capsys):
    before = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    assert main(["new-call", call_id, "--root", str(ROOT)]) == 2
    assert f"l'appel « {call_id} » existe déjà" in capsys.readouterr().err
    assert subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout == before


def test_a_prefix_of_another_call_and_a_folder_that_is_no_repository_are_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="préfixe « fitn7 » est déjà"):
        create(ROOT, "essai-appel", prefix="fitn7")
    with pytest.raises(ScaffoldError, match="n'est pas la racine du dépôt"):
        create(tmp_path, "essai-appel")


def test_a_text_given_as_received_is_copied_byte_for_byte_with_its_provenance(tmp_path):
    for folder in ("src/checker/calls", "docs/appels", "tests/dossiers", "sources"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("schemas/common.schema.json", "sources/sources.json", "sources/README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    received = ROOT / "sources" / "003_53b6d9cc59e78403.txt"
    create(tmp_path, "essai-appel", source=received)
    copied = tmp_path / "sources" / "000_essai-appel.txt"
    assert copied.read_bytes() == received.read_bytes()
    entry = json.loads((tmp_path / "sources" / "sources.json").read_text("utf-8"))["textes"][-1]
    assert entry["fichier"] == copied.name and entry["appels"] == ["essai-appel"]
    assert entry["sha256"] == hashlib.sha256(received.read_bytes()).hexdigest()
    assert f"| `{copied.name}` |" in (tmp_path / "sources" / "README.md").read_text("utf-8")
    page = (tmp_path / "docs" / "appels" / "essai-appel.md").read_text("utf-8")
    assert received.read_text("utf-8").strip() in page  # the text to put in shape, word for word
