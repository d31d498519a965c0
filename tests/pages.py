"""The call pages' metadata as the site publishes it: each page's front matter, completed from its
call's params.json (name, window, amounts, phase dates, figures in the prose) by
overrides/hooks/page_meta.py."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from checker.engine import get_call

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

from page_meta import page_meta  # noqa: E402  (overrides/hooks/page_meta.py)

APPELS = ROOT / "docs" / "appels"


def front_matter(path: Path) -> dict:
    """The front matter as typed in the page."""
    text = path.read_text("utf-8")
    return (yaml.safe_load(text.split("---", 2)[1]) or {}) if text.startswith("---") else {}


def published(path: Path) -> dict:
    """The page's metadata as published (a page without an `id` is no call page: its front matter)."""
    front = front_matter(path)
    return page_meta(front, get_call(front["id"])) if "id" in front else front


def call_pages() -> dict[str, tuple[Path, dict]]:
    """Every call page: id → (its Markdown file, its published metadata)."""
    found = {}
    for path in sorted(APPELS.rglob("*.md")):
        meta = published(path)
        if "id" in meta:
            found[meta["id"]] = (path, meta)
    return found
