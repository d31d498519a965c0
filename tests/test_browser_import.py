"""Importing a dossier file never loses what the reader typed: a file with nothing usable, one
beyond the schema's limits, one the reader declines to let replace their answers, or one that
cannot be saved on the device leaves the form and the saved draft exactly as they were."""

from __future__ import annotations

import json

import pytest
from test_browser_form import READY_MS, eligible_fixture

pytestmark = pytest.mark.browser

FITN7 = "fitn7-saone-et-loire"
PAGE = "appels/fitn7-saone-et-loire/"


def open_page(context, url, dialogs="accept"):
    page = context.new_page()
    page.on("dialog", lambda d: d.accept() if dialogs == "accept" else d.dismiss())
    page.goto(url)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    return page


def draft(page) -> str | None:
    return page.evaluate("() => Object.entries(localStorage).find(([k]) => k.includes('brouillon.fitn7'))?.[1] ?? null")


def typed(page, text="Commune de Test"):
    name = page.locator('[data-form] [data-pointer="/applicant/name"]')
    name.fill(text)
    page.wait_for_timeout(100)
    return name


def import_text(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    page.locator("[data-import]").set_input_files(str(path))
    page.locator("[data-message]:not(:empty)").wait_for()
    return page.locator("[data-message]").text_content()


@pytest.fixture
def context(chromium):
    context = chromium.new_context(service_workers="block")
    yield context
    context.close()


def test_a_file_with_no_usable_field_changes_nothing(context, site_url, tmp_path):
    page = open_page(context, site_url + PAGE)
    name = typed(page)
    saved = draft(page)
    for file_name, text in {
        "proto.json": '{"__proto__": {"polluted": true}}',
        "vide.json": "{}",
        "inconnu.json": '{"call": "fitn7-saone-et-loire", "autre": {"x": 1}}',
    }.items():
        message = import_text(page, tmp_path, file_name, text)
        assert "Import impossible" in message and "aucune donnée" in message and "n'a pas changé" in message
        assert name.input_value() == "Commune de Test" and draft(page) == saved
    assert page.evaluate("() => ({}).polluted") is None


def test_a_list_beyond_the_schemas_limit_is_refused(context, site_url, tmp_path):
    page = open_page(context, site_url + PAGE)
    name = typed(page)
    saved = draft(page)
    dossier = json.loads(eligible_fixture(FITN7).read_text("utf-8"))
    dossier["budget"]["expenses"] = [{"label": f"Poste {i}", "amount": 10} for i in range(201)]
    message = import_text(page, tmp_path, "trop.json", json.dumps(dossier))
    assert "Import impossible" in message and "201 lignes" in message and "200 au plus" in message
    assert name.input_value() == "Commune de Test" and draft(page) == saved
    assert page.locator('[data-rows="/budget/expenses"] > *').count() == 0


def test_replacing_answers_asks_first_and_declining_keeps_them(chromium, site_url, tmp_path):
    context = chromium.new_context(service_workers="block")
    page = open_page(context, site_url + PAGE, dialogs="dismiss")
    name = typed(page)
    saved = draft(page)
    message = import_text(page, tmp_path, "dossier.json", eligible_fixture(FITN7).read_text("utf-8"))
    assert "Import annulé" in message and "n'a pas changé" in message
    assert name.input_value() == "Commune de Test" and draft(page) == saved
    context.close()


def test_an_import_that_cannot_be_saved_is_undone(context, site_url, tmp_path):
    page = open_page(context, site_url + PAGE)
    name = typed(page)
    saved = draft(page)
    page.evaluate(
        "() => { Storage.prototype.setItem = () => { throw new DOMException('plein', 'QuotaExceededError'); }; }"
    )
    message = import_text(page, tmp_path, "dossier.json", eligible_fixture(FITN7).read_text("utf-8"))
    assert "Import annulé" in message and "n'a pas pu être enregistré" in message
    assert name.input_value() == "Commune de Test" and draft(page) == saved


def test_two_hundred_budget_lines_load(context, site_url, tmp_path):
    """The schema's limit, reached: every line is in the form (timings: bench/bench_import.py)."""
    page = open_page(context, site_url + PAGE)
    dossier = json.loads(eligible_fixture(FITN7).read_text("utf-8"))
    dossier["budget"]["expenses"] = [{"label": f"Poste {i}", "amount": 10} for i in range(200)]
    message = import_text(page, tmp_path, "deux-cents.json", json.dumps(dossier))
    assert "importé" in message
    assert page.locator('[data-rows="/budget/expenses"] > *').count() == 200
    assert page.locator('[data-pointer="/budget/expenses/199/label"]').input_value() == "Poste 199"
