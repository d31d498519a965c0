"""A fresh clone is all one needs: the repository's HEAD, cloned into an empty folder with
nothing beside it, passes the fast tests that read the call texts and the vendored schema.

What is tested is what was committed (HEAD), as a user who clones gets it. The clone uses this
interpreter and its packages (requirements.txt) and nothing else of this work tree: no site
build (node_modules is not there), no sibling folder, no path of this machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAST = [
    "tests/test_fidelity.py",
    "tests/test_sources.py",
    "tests/test_etalab_mapping.py",
    "tests/test_call_fitn7_saone_et_loire.py",
    "tests/test_call_indre_et_loire.py",
    "tests/test_metadata_consistency.py",
    "tests/test_dev_prerequisites.py",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to clone")
def test_a_clone_with_nothing_beside_it_passes_the_fast_tests(tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    clone = alone / "appels-numeriques"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True
    )
    assert [p.name for p in alone.iterdir()] == [clone.name]  # nothing beside the clone to read
    present = [f for f in FAST if (clone / f).is_file()]
    assert present == FAST, f"not in HEAD (commit them): {sorted(set(FAST) - set(present))}"
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_DIR", "SITE_URL", "PYTHONPATH")}
    env["PYTHONPATH"] = str(clone / "src")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not pyodide", *FAST],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
