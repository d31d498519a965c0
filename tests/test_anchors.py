"""Every clause a rule or a summary card cites exists, as an explicit id, on its built page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.engine import all_calls

DOCS = Path(__file__).resolve().parents[1] / "docs"
ID = re.compile(r'\bid="([^"]+)"')


def ids_of(site: Path, page: str) -> set[str]:
    html = site / page / "index.html"
    assert html.exists(), f"no built page {page}"
    return set(ID.findall(html.read_text("utf-8")))


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_every_rule_clause_exists_on_the_page(built_site, call_id):
    call = all_calls()[call_id]
    ids = ids_of(built_site, call.page)
    missing = [f"{r.id} → #{r.clause}" for r in call.rules if r.clause not in ids]
    assert not missing, f"anchors missing on {call.page}: {missing}"


def test_every_card_anchor_exists_on_its_page(built_site):
    from pages import call_pages

    for md, meta in call_pages().values():
        page = all_calls()[meta["id"]].page
        ids = ids_of(built_site, page)
        cited = set(meta["ancres"].values()) | {m["ancre"] for m in meta.get("montants", [])}
        cited |= {p["ancre"] for p in meta.get("phases", [])}
        assert cited <= ids, f"{md}: {sorted(cited - ids)}"


def test_anchor_ids_follow_the_naming_convention():
    explicit = re.compile(r"\{:?\s*#([^\s}]+)|<span id=\"([^\"]+)\"")
    for md in sorted(DOCS.rglob("*.md")):
        for match in explicit.finditer(md.read_text("utf-8")):
            anchor = match.group(1) or match.group(2)
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor), f"{md}: #{anchor}"
