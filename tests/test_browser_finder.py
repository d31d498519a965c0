"""The finder page in Chromium: pick a collectivité by name and see every call judged by its rules."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def finder(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url + "trouver/", wait_until="networkidle")
    yield page, errors
    context.close()


def pick(page, text: str, option: str):
    box = page.locator("#finder-q")
    box.fill("")
    box.type(text, delay=20)
    page.locator("#finder-suggestions [role=option]", has_text=option).first.wait_for()
    # Keyboard only: down to the option, then Enter.
    options = page.locator("#finder-suggestions [role=option]")
    index = next(i for i in range(options.count()) if option in options.nth(i).inner_text())
    for _ in range(index + 1):
        box.press("ArrowDown")
    box.press("Enter")
    name = option.split(" — ")[0]
    page.locator("#finder-resultats-titre", has_text=name).wait_for(timeout=60_000)
    return page.locator(".finder__appel")


def card(page, title_part: str):
    return page.locator(".finder__appel", has=page.locator("h3", has_text=title_part))


def test_macon_is_judged_by_the_saone_et_loire_guichet(finder):
    page, errors = finder
    pick(page, "Mâcon", "Mâcon — commune")
    fitn7 = card(page, "Saône-et-Loire")
    assert fitn7.count() == 1
    assert "Non éligible" not in fitn7.inner_text()
    assert "Clos" in fitn7.inner_text() or "clos" in fitn7.inner_text()
    assert not errors, errors


def test_the_agglomeration_of_macon_is_refused_with_its_clause(finder):
    page, _ = finder
    pick(page, "Mâconnais Beaujolais", "CA Mâconnais Beaujolais")
    fitn7 = card(page, "Saône-et-Loire")
    text = fitn7.inner_text()
    assert "Non éligible" in text and "agglomération" in text
    link = fitn7.locator("a", has_text="Voir la clause")
    assert re.search(r"appels/fitn7-saone-et-loire/#criteres-eligibilite", link.get_attribute("href"))


def test_a_departement_passes_the_tani_scale_rule(finder):
    page, _ = finder
    pick(page, "Saône-et-Loire", "Saône-et-Loire — département")
    tani = card(page, "Territoires d")
    tani.locator("summary").click()
    assert "échelle" in tani.inner_text()
    assert "Non éligible" not in tani.inner_text()


def test_a_commune_of_another_departement_is_refused_for_territory(finder):
    page, _ = finder
    pick(page, "Tours", "Tours — commune")
    fitn7 = card(page, "Saône-et-Loire")
    text = fitn7.inner_text()
    assert "Non éligible" in text and "71" in text


def test_open_the_self_assessment_with_the_applicant_filled(finder):
    page, _ = finder
    pick(page, "Mâcon", "Mâcon — commune")
    card(page, "Saône-et-Loire").locator("a", has_text="Ouvrir l'auto-diagnostic").click()
    page.wait_for_url(re.compile(r"fitn7-saone-et-loire/#verification$"))
    field = lambda name: page.locator(f"[data-pointer='/applicant/{name}']").first  # noqa: E731
    field("name").wait_for(state="attached")
    assert field("name").input_value() == "Mâcon"
    assert field("kind").input_value() == "commune"
    assert field("departement").input_value() == "71"
    assert re.fullmatch(r"2171\d{5}", field("siren").input_value())  # communes' SIRENs start with 21 + INSEE code
    assert "recherche par collectivité" in page.locator("[data-message]").text_content()
    # Consumed once: the next visit of the page keeps its own draft, not the finder's pick.
    assert page.evaluate("localStorage.getItem('checker-prefill')") is None
    # The checker the finder started serves the form at once, and judges the picked applicant.
    page.locator("[data-checker][data-runtime=ready]").wait_for(timeout=10_000)
    page.locator("[data-rules] > li[data-rule='fitn7.territoire'][data-status=ok]").wait_for(timeout=30_000)
