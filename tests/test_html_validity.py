"""The Nu HTML Checker (vnu-jar from npm, on the machine's Java) reports no error on the built site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_built_site_has_no_html_error(built_site):
    if not VNU.exists():
        pytest.fail("vnu-jar is missing: run the README's test command (npm ci installs it).")
    pages = [str(p) for p in sorted(built_site.rglob("*.html")) if "assets" not in p.parts]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).relative_to(built_site.resolve()) if m.get('url', '').startswith('/') else m.get('url')}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors[:50])
