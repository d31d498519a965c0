"""`./dev` stops before installing anything when a prerequisite is missing, and says what and how."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="./dev is a bash script")
def test_dev_names_each_missing_prerequisite_and_how_to_get_it(tmp_path):
    """A PATH with Python but neither Node.js, npm nor git: ./dev test stops at once, exit 1."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "env", "cat", "grep", "sort", "sha256sum", "cut", "id"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": os.environ.get("LANG", "C.UTF-8")}
    result = subprocess.run(
        [str(bin_dir / "bash"), str(ROOT / "dev"), "test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "il manque / missing" in result.stderr
    assert "Node.js >= 20 et npm" in result.stderr and "apt-get install nodejs npm" in result.stderr
    assert "git" in result.stderr and "apt-get install git" in result.stderr
    assert "== " not in result.stderr, "nothing was installed or run before the check"
