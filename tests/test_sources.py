"""The project carries everything it reads: the call texts as received, with their provenance,
and no tracked file points outside the repository (a sibling folder, a path of one machine)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
PROVENANCE = json.loads((SOURCES / "sources.json").read_text("utf-8"))["textes"]

# What a fresh clone does not have: the folder beside the repository that the texts first came
# from, and the folders of one machine (home, working copy, a pyenv install…). Written in pieces
# so that this file does not name them itself.
BESIDE = "sha" + "red"  # the folder the texts came from, next to the working copy
OUTSIDE = re.compile(
    "|".join(
        [
            r"\.\./" + BESIDE,
            r"/" + BESIDE + "/seeds",
            r"(?<![\w.-])/(?:" + "|".join(["work", "root", "home", "Users", "opt", "mnt", "srv"]) + r")/",
            r"\.py" + "env/",
            r"~/\.",
        ]
    )
)


def tracked_files() -> list[Path]:
    """Tracked files, and new ones not ignored (they are tracked once committed)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_every_text_is_the_one_received():
    for text in PROVENANCE:
        data = (SOURCES / text["fichier"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == text["sha256"], f"sources/{text['fichier']} was edited"


def test_every_text_has_its_provenance_and_every_call_its_text():
    listed = {t["fichier"] for t in PROVENANCE}
    assert listed == {p.name for p in SOURCES.glob("*.txt")}
    for text in PROVENANCE:
        for field in ("titre", "emetteur", "date", "publication"):
            assert len(text[field]) > 3, (text["fichier"], field)
    made = [call_id for t in PROVENANCE for call_id in t["appels"]]
    assert sorted(made) == sorted(all_calls()), "each call comes from exactly one text"


def test_the_readme_names_every_text():
    readme = (SOURCES / "README.md").read_text("utf-8")
    assert all(f"`{t['fichier']}`" in readme for t in PROVENANCE)


def test_the_etalab_schema_is_vendored_unchanged_with_its_provenance():
    """schemas/etalab/SOURCE.md gives each vendored file's SHA-256: the files are Etalab's, untouched."""
    folder = ROOT / "schemas" / "etalab"
    source = (folder / "SOURCE.md").read_text("utf-8")
    hashes = dict(re.findall(r"\| `([^`]+)` \|[^|]*\| `([0-9a-f]{64})` \|", source))
    assert set(hashes) == {"schema.json", "README.md", "exemple.csv", "LICENSE.md"}
    for name, expected in hashes.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected, name
    assert "Licence Ouverte" in (folder / "LICENSE.md").read_text("utf-8") and "94da691" in source


def test_no_tracked_file_refers_outside_the_repository():
    found = []
    for path in tracked_files():
        if not path.is_file():
            continue  # deleted in the work tree, not yet in the index
        data = path.read_bytes()
        if b"\0" in data[:8000]:
            continue  # binary
        for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not found, "tracked files that read outside the repository:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "parts",
    [
        ("..", BESIDE, "seeds", "x.txt"),
        ('Path("', "work", BESIDE, 'seeds")'),
        ('"$HOME', ".pyenv", "versions", "3.12.1", "bin", 'python"'),
        ("", "root", ".cache"),
        ("", "home", "dev", "project"),
    ],
)
def test_the_guard_sees_what_a_fresh_clone_lacks(parts):
    assert OUTSIDE.search("/".join(parts))  # joined here, so that this file does not match itself


@pytest.mark.parametrize(
    "line",
    [
        "babel/locale-data/root.dat",
        "/usr/bin/chromium",
        "appels/fitn7-saone-et-loire/",
        "https://github.com/etalab/schema-dispositif-aide",
    ],
)
def test_the_guard_lets_ordinary_paths_be(line):
    assert not OUTSIDE.search(line)


def test_the_summary_card_links_the_text_of_every_call():
    """The build gives each call its text (overrides/hooks/sources.py); the card shows it."""
    card = (ROOT / "overrides" / "partials" / "summary-card.html").read_text("utf-8")
    assert "<dt>Texte d'origine</dt>" in card and "call.texte_origine.page" in card
    for md in (ROOT / "docs" / "appels").rglob("*.md"):
        meta = yaml.safe_load(md.read_text("utf-8").split("---", 2)[1]) or {}
        if "id" in meta:
            assert any(meta["id"] in t["appels"] for t in PROVENANCE), md
