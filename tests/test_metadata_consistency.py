"""A call's page and its checker agree: same deadline, same opening, same title."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.cli import call_window
from checker.dates import parse_datetime
from checker.engine import all_calls

DOCS = Path(__file__).resolve().parents[1] / "docs"


def front_matters() -> dict[str, dict]:
    found = {}
    for md in sorted((DOCS / "appels").rglob("*.md")):
        text = md.read_text("utf-8")
        meta = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
        if meta and "id" in meta:
            found[meta["id"]] = {**meta, "_path": md.relative_to(DOCS).with_suffix("").as_posix()}
    return found


PAGES = front_matters()


def test_every_call_has_one_page_and_every_page_one_call():
    assert set(PAGES) == set(all_calls())


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_page_and_checker_agree_on_the_calendar(call_id):
    meta, call = PAGES[call_id], all_calls()[call_id]
    opens, closes = call_window(call)
    if "date_cloture" in meta:
        assert closes == parse_datetime(meta["date_cloture"]), (closes, meta["date_cloture"])
    else:
        assert closes is None and meta["cloture_precision"]
    if "date_ouverture" in meta and opens is not None:
        assert opens == parse_datetime(meta["date_ouverture"])


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_rules_cite_the_page_of_their_call(call_id):
    page = PAGES[call_id]["_path"]
    page = page[: -len("/index")] if page.endswith("/index") else page
    assert all_calls()[call_id].page == page + "/"
