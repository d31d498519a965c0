"""Every built page, served under a sub-path in headless Chromium: nothing from another origin,
no 404, no console error, and no axe-core violation (WCAG 2.1 A and AA)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import SUBPATH, _SubPathHandler, build_site, site_pages
from playwright.sync_api import expect

from checker.engine import all_calls

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _visit(context, url):
    """Load url; return (requests to other origins, failed responses, console errors)."""
    origin = urlparse(url).netloc
    foreign, failed, errors = [], [], []
    page = context.new_page()
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlparse(r.url).netloc not in (origin, "") and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, foreign, failed, errors


def test_pages_stay_on_their_origin_without_404_or_console_error(chromium, built_site, site_url):
    context = chromium.new_context(service_workers="block")
    problems = []
    for path in site_pages(built_site):
        page, foreign, failed, errors = _visit(context, site_url + path)
        problems += [f"{path}: other origin {u}" for u in foreign]
        problems += [f"{path}: {f}" for f in failed]
        problems += [f"{path}: console error {e}" for e in errors]
        page.close()
    context.close()
    assert not problems, "\n".join(problems)


def test_every_page_passes_axe_core_wcag_2_1_aa(chromium, built_site, site_url):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = chromium.new_context(service_workers="block", bypass_csp=True)
    violations = []
    for path in site_pages(built_site):
        page = context.new_page()
        page.goto(site_url + path, wait_until="networkidle")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        for v in results.response["violations"]:
            targets = [n["target"] for n in v["nodes"]][:3]
            violations.append(f"{path or '/'}: {v['id']} ({v['impact']}) {v['help']} → {targets}")
        page.close()
    context.close()
    assert not violations, "\n".join(violations)


def _catalog(context, site_url, query=""):
    page = context.new_page()
    page.goto(site_url + query, wait_until="networkidle")
    page.locator("[data-filtres]:not([hidden])").wait_for()
    return page


def _shown_ids(page):
    return page.locator("[data-carte]:visible").evaluate_all("els => els.map(e => e.dataset.id)")


def test_catalog_filters_and_status_work_without_a_server(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = _catalog(context, site_url)
    cards = page.locator("[data-carte]")
    total = cards.count()
    assert total >= 5
    dated = page.locator("[data-carte]:not([data-cloture=''])").count()
    assert page.locator("[data-carte] .statut--clos").count() == dated  # every dated call here has closed
    page.select_option("#filtre-statut", "clos")
    page.select_option("#filtre-porteur", "departement")
    visible = page.locator("[data-carte]:visible")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert "departement" in visible.nth(i).get_attribute("data-porteurs").split()
    page.select_option("#filtre-porteur", "")
    page.select_option("#tri", "recent")
    dates = page.locator("[data-carte]").evaluate_all("els => els.map(e => e.dataset.cloture)")
    dated = [d for d in dates if d]
    assert dates[: len(dated)] == dated, "calls without a closing date come last"
    assert dated == sorted(dated, key=datetime.fromisoformat, reverse=True)
    context.close()


def test_catalog_puts_open_calls_first_then_the_latest_closed(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = _catalog(context, site_url)
    rows = page.locator("[data-carte]").evaluate_all(
        "els => els.map(e => [e.dataset.statutCalcule, e.dataset.cloture])"
    )
    rank = {"ouvert": 0, "a-venir": 1, "sans-date": 2, "clos": 3}
    assert [rank[s] for s, _ in rows] == sorted(rank[s] for s, _ in rows)
    closed = [c for s, c in rows if s == "clos"]
    assert closed == sorted(closed, key=datetime.fromisoformat, reverse=True), "the latest closed first, not 2019"
    # The same order as the page without JavaScript, as far as the build can tell.
    static = context.new_page()
    static.route("**/*.js", lambda route: route.abort())
    static.goto(site_url)
    assert static.locator("[data-carte]").evaluate_all("els => els.map(e => e.dataset.id)") == page.locator(
        "[data-carte]"
    ).evaluate_all("els => els.map(e => e.dataset.id)")
    context.close()


def test_catalog_filters_survive_a_reload_through_the_address(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = _catalog(context, site_url)
    page.select_option("#filtre-statut", "clos")
    page.select_option("#filtre-porteur", "departement")
    page.select_option("#tri", "ancien")
    query = parse_qs(urlparse(page.url).query)
    assert query == {"statut": ["clos"], "porteur": ["departement"], "tri": ["ancien"]}
    shown = _shown_ids(page)
    page.reload(wait_until="networkidle")
    assert page.locator("#filtre-statut").input_value() == "clos"
    assert page.locator("#filtre-porteur").input_value() == "departement"
    assert page.locator("#tri").input_value() == "ancien"
    assert _shown_ids(page) == shown
    # A shared address opens on the same view; a value the catalog does not know is ignored.
    other = _catalog(context, site_url, "?financeur=anct&porteur=inconnu")
    assert other.locator("#filtre-financeur").input_value() == "anct"
    assert other.locator("#filtre-porteur").input_value() == ""
    for i in range(other.locator("[data-carte]:visible").count()):
        assert "anct" in other.locator("[data-carte]:visible").nth(i).get_attribute("data-financeurs").split()
    context.close()


def test_an_empty_catalog_offers_to_reset_the_filters(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = _catalog(context, site_url, "?statut=ouvert&porteur=commune")
    assert page.locator("[data-carte]:visible").count() == 0
    expect(page.locator("[data-compte]")).to_contain_text("Aucun des")
    reset = page.locator("[data-vide] [data-reinitialiser]")
    expect(reset).to_be_visible()
    reset.click()
    assert page.locator("[data-carte]:visible").count() == page.locator("[data-carte]").count()
    assert urlparse(page.url).query == ""
    expect(page.locator("[data-vide]")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "filtre-statut"  # the focus is not lost
    context.close()


def test_the_funder_filter_names_each_funder_once_and_no_card_has_an_empty_funder(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = _catalog(context, site_url)
    names = page.locator("#filtre-financeur option").all_inner_texts()[1:]
    assert len(names) == len(set(names)) and sum("ANCT" in n for n in names) == 1, names
    for card in page.locator("[data-carte]").all():
        infos = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts()))
        funder = infos.get("Financeur") or infos.get("Financeurs")
        assert funder and funder.strip(), card.get_attribute("data-id")
        assert not re.search(r"\b(financeur|instructeur|diffuseur)\b", " ".join(infos.values())), infos
    context.close()


PAGE_WIDTHS = [320, 390]


@pytest.mark.parametrize("width", PAGE_WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(chromium, built_site, site_url, width):
    context = chromium.new_context(service_workers="block", viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = []
    for path in site_pages(built_site) + ["404.html"]:
        page.goto(site_url + path, wait_until="networkidle")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            culprits = page.evaluate(
                """(w) => [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).position !== 'fixed')
              .slice(-3).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))""",
                width,
            )
            wide.append(f"{path or '/'}: {overflow} px {culprits}")
    context.close()
    assert not wide, "\n".join(wide)


def _search(page, text):
    page.keyboard.press("s")  # the theme's shortcut opens the search dialog
    box = page.locator("input.md-search__input")
    box.fill("")
    box.type(text, delay=20)
    page.locator(".md-search-result__meta", has_text="document").wait_for()
    return page.locator(".md-search-result__item")


def test_search_folds_accents_and_keeps_amounts_whole(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    dialog = page.locator("[data-md-component=search][role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog has an accessible name"
    for query in ("macon", "Mâcon", "MACON"):
        results = _search(page, query)
        expect(results.first).to_contain_text("Mâcon")
    results = _search(page, "saone et loire")
    expect(results.first).to_contain_text("Saône-et-Loire")
    results = _search(page, "30 000")
    assert "Aucun" not in page.locator(".md-search-result__meta").inner_text()
    texts = results.all_inner_texts()
    assert any("30 000" in " ".join(t.split()) or "30\u202f000" in t for t in texts), texts
    assert "FITN7" in texts[0] or "Saône-et-Loire" in texts[0], texts[0]
    context.close()


def test_the_catalog_shows_in_search_as_separate_entries(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    texts = " ".join(_search(page, "Territoires").all_inner_texts())
    assert "promotion 2Déploiement" not in texts and "CommuneCommunauté" not in texts
    context.close()


def test_a_call_page_whose_deadline_has_passed_says_so_at_its_top(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url + "appels/fitn7-saone-et-loire/", wait_until="networkidle")
    banner = page.locator("[data-bandeau-clos]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Appel clos depuis le 22 octobre 2021")
    assert page.locator("article > *:visible").first.get_attribute("data-bandeau-clos") is not None  # the very top
    # A call without a deadline has no banner.
    page.goto(site_url + "appels/indre-et-loire/aidants-connect/", wait_until="networkidle")
    assert page.locator("[data-bandeau-clos]").count() == 0
    context.close()
    # Computed by the reader's date: before the deadline, no banner.
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.clock.set_fixed_time(datetime(2021, 10, 1, 12, 0, tzinfo=timezone.utc))
    page.goto(site_url + "appels/fitn7-saone-et-loire/", wait_until="networkidle")
    expect(page.locator("[data-bandeau-clos]")).to_be_hidden()
    expect(page.locator(".fiche [data-statut]")).to_contain_text("Ouvert")
    context.close()


def test_every_call_page_offers_to_report_an_error(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    for call in all_calls().values():
        page.goto(site_url + call.page, wait_until="domcontentloaded")
        link = page.locator("[data-signaler]")
        expect(link).to_have_text("Signaler une erreur dans ce texte")
        assert link.get_attribute("href")
    context.close()


class _PagesHandler(_SubPathHandler):
    """As GitHub Pages does: an address the site does not have gets its 404.html, status 404."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_404_page_is_in_french_with_ways_out(chromium, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    # Deployed, the site has its address (SITE_URL): the 404 page's links name it, from any depth.
    os.environ["SITE_URL"], saved = base, os.environ.get("SITE_URL")
    try:
        result = build_site(tmp_path / "site")
    finally:
        os.environ.pop("SITE_URL") if saved is None else os.environ.__setitem__("SITE_URL", saved)
    assert result.returncode == 0, result.stderr
    server.RequestHandlerClass = functools.partial(_PagesHandler, directory=str(tmp_path / "site"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = chromium.new_context(service_workers="block")
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        response = page.goto(base + "appels/nulle-part/ni-ici/", wait_until="networkidle")
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == "fr"
        expect(page.locator("h1")).to_have_text("Page introuvable")
        assert "Not found" not in page.locator("article").inner_text()
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # styled
        links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".introuvable__sorties a").all()}
        assert set(links) == {
            "Accueil : tous les appels et mesures",
            "Quels appels pour ma collectivité ?",
            "Rechercher dans le site",
        }
        page.locator(".introuvable__sorties a", has_text="Quels appels").click()
        page.wait_for_url(base + "trouver/")
        page.goto(base + "nulle-part", wait_until="networkidle")
        page.locator(".introuvable__sorties a", has_text="Rechercher").click()
        expect(page.locator("input.md-search__input")).to_be_focused()
        page.goto(base + "nulle-part", wait_until="networkidle")
        page.locator(".introuvable__sorties a", has_text="Accueil").click()
        page.locator("[data-catalogue]").wait_for()
        assert not errors, errors
        context.close()
    finally:
        server.shutdown()
