"""Every built page, served under a sub-path in headless Chromium: nothing from another origin,
no 404, no console error, and no axe-core violation (WCAG 2.1 A and AA)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import site_pages

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _visit(context, url):
    """Load url; return (requests to other origins, failed responses, console errors)."""
    origin = urlparse(url).netloc
    foreign, failed, errors = [], [], []
    page = context.new_page()
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc not in (origin, "") and not r.url.startswith(("data:", "blob:")) else None)
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


def test_catalog_filters_and_status_work_without_a_server(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    cards = page.locator("[data-carte]")
    total = cards.count()
    assert total >= 5
    dated = page.locator("[data-carte]:not([data-cloture=''])").count()
    assert page.locator("[data-carte] .statut--clos").count() == dated  # every dated call here has closed
    page.select_option("#filtre-statut", "ouvert")
    assert page.locator("[data-carte]:visible").count() == 0
    assert "0 sur" in page.locator("[data-compte]").inner_text()
    page.select_option("#filtre-statut", "clos")
    page.select_option("#filtre-porteur", "departement")
    visible = page.locator("[data-carte]:visible")
    assert 0 < visible.count() < total
    for i in range(visible.count()):
        assert "departement" in visible.nth(i).get_attribute("data-porteurs").split()
    page.select_option("#filtre-porteur", "")
    page.select_option("#tri", "desc")
    dates = page.locator("[data-carte]").evaluate_all("els => els.map(e => e.dataset.cloture)")
    dated = [d for d in dates if d]
    assert dates[: len(dated)] == dated, "calls without a closing date come last"
    assert dated == sorted(dated, key=lambda d: __import__("datetime").datetime.fromisoformat(d), reverse=True)
    context.close()
