"""The finder page in Chromium: pick a collectivité by name and see every call judged by its rules;
the collectivité picker behaves as a WAI-ARIA combobox, from the keyboard and for screen readers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = "#finder-suggestions [role=option]"


@pytest.fixture(scope="module")
def finder(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "trouver/", wait_until="networkidle")
    yield page, errors
    context.close()


@pytest.fixture()
def field(finder):
    """The collectivité field, empty and closed."""
    page, _ = finder
    box = page.locator("#finder-q")
    box.fill("")
    box.press("Escape")
    return page, box


def type_in(page, box, text: str):
    box.fill("")
    box.type(text, delay=20)


def option_starting(page, text: str) -> int:
    """The index of the first suggestion whose line starts with text (waits for it)."""
    page.locator(OPTIONS, has_text=text).first.wait_for()
    lines = page.locator(OPTIONS).all_inner_texts()
    return next(i for i, line in enumerate(lines) if line.startswith(text))


def pick(page, text: str, option: str):
    box = page.locator("#finder-q")
    type_in(page, box, text)
    index = option_starting(page, option)
    for _ in range(index + 1):  # keyboard only: down to the option, then Enter
        box.press("ArrowDown")
    box.press("Enter")
    name = option.split(" — ")[0]
    page.locator("#finder-resultats-titre", has_text=name).wait_for(timeout=60_000)
    return page.locator(".finder__appel")


def card(page, title_part: str):
    return page.locator(".finder__appel", has=page.locator("h3", has_text=title_part))


def active_option(page):
    """(the option aria-activedescendant names, the ids of the options marked aria-selected)."""
    return page.evaluate("""() => {
      const input = document.querySelector('#finder-q');
      const id = input.getAttribute('aria-activedescendant');
      const selected = [...document.querySelectorAll('#finder-suggestions [aria-selected=true]')].map((o) => o.id);
      return [id && document.getElementById(id)?.textContent, id, selected];
    }""")


# ---- the combobox ----------------------------------------------------------------------------------


def test_macon_without_accent_finds_macon_first(field):
    page, box = field
    type_in(page, box, "macon")
    page.locator(OPTIONS).first.wait_for()
    assert page.locator(OPTIONS).first.inner_text().startswith("Mâcon — commune, Saône-et-Loire (71)")
    expect(page.locator("[data-territory-status]")).to_have_text("8 suggestions")
    # Hyphens, capitals and a postcode or SIREN find the same places.
    type_in(page, box, "CHARNAY LES MACON")
    assert page.locator(OPTIONS).first.inner_text().startswith("Charnay-lès-Mâcon — commune")
    type_in(page, box, "217102706")
    expect(page.locator(OPTIONS)).to_have_count(1)
    expect(page.locator("[data-territory-status]")).to_have_text("1 suggestion")


def test_combobox_roles_and_states(field):
    page, box = field
    listbox = page.locator("#finder-suggestions")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-controls") == "finder-suggestions"
    assert listbox.get_attribute("role") == "listbox"
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    type_in(page, box, "macon")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_be_visible()
    assert box.get_attribute("aria-activedescendant") is None  # typing never moves into the list
    ids = page.locator(OPTIONS).evaluate_all("(options) => options.map((o) => o.id)")
    assert len(ids) == 8 and len(set(ids)) == 8 and all(ids)


def test_arrows_home_end_move_the_active_option(field):
    page, box = field
    type_in(page, box, "macon")
    page.locator(OPTIONS).first.wait_for()
    lines = page.locator(OPTIONS).all_inner_texts()
    box.press("ArrowDown")
    text, first_id, selected = active_option(page)
    assert text.startswith("Mâcon — commune") and selected == [first_id]
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert active_option(page)[0] == lines[2]
    box.press("ArrowUp")
    assert active_option(page)[0] == lines[1]
    box.press("End")
    text, last_id, selected = active_option(page)
    assert text == lines[-1] and selected == [last_id]
    box.press("Home")
    assert active_option(page)[0] == lines[0]
    assert len(active_option(page)[2]) == 1  # one option at a time is aria-selected
    assert box.evaluate("(input) => document.activeElement === input")  # the focus stays in the field


def test_escape_closes_then_clears(field):
    page, box = field
    type_in(page, box, "macon")
    page.locator(OPTIONS).first.wait_for()
    box.press("ArrowDown")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#finder-suggestions")).to_be_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "macon"
    box.press("Escape")
    assert box.input_value() == ""
    # ArrowDown opens the list again on the typed text.
    type_in(page, box, "macon")
    box.press("Escape")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    assert active_option(page)[0].startswith("Mâcon — commune")


def test_enter_picks_and_tab_leaves_without_picking(field):
    page, box = field
    type_in(page, box, "tours")
    index = option_starting(page, "Tours — commune")
    box.press("ArrowDown")
    box.press("Tab")
    assert not box.evaluate("(input) => document.activeElement === input")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == "tours"
    box.focus()
    box.press("ArrowDown")  # opens on "tours" and goes to the first option
    for _ in range(index):
        box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Tours"
    expect(box).to_have_attribute("aria-expanded", "false")
    page.locator("#finder-resultats-titre", has_text="Tours").wait_for(timeout=60_000)


def test_a_click_or_tap_picks(field):
    page, box = field
    type_in(page, box, "saone et loire")
    page.locator(OPTIONS, has_text="Saône-et-Loire — département").click()
    assert box.input_value() == "Saône-et-Loire"
    expect(page.locator("#finder-suggestions")).to_be_hidden()
    page.locator("#finder-resultats-titre", has_text="Saône-et-Loire").wait_for(timeout=60_000)


def test_the_live_region_counts_in_french(field):
    page, box = field
    status = page.locator("[data-territory-status]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    type_in(page, box, "xqzwv")
    expect(status).to_have_text("Aucune collectivité ne correspond")
    expect(box).to_have_attribute("aria-expanded", "false")
    type_in(page, box, "saone")
    expect(status).to_have_text(re.compile(r"^[2-8] suggestions$"))
    assert status.text_content() == f"{page.locator(OPTIONS).count()} suggestions"
    type_in(page, box, "217102706")  # Mâcon's SIREN
    expect(status).to_have_text("1 suggestion")


def test_the_list_floats_over_the_page(field):
    page, box = field
    below = page.locator("#finder-nature")
    before = below.bounding_box()
    type_in(page, box, "macon")
    listbox = page.locator("#finder-suggestions")
    expect(listbox).to_be_visible()
    assert below.bounding_box() == before  # not in the page flow
    style = listbox.evaluate("(l) => { const s = getComputedStyle(l); return [s.position, s.overflowY, s.zIndex]; }")
    assert style[0] == "absolute" and style[1] == "auto" and int(style[2]) > 0
    top, field_box = listbox.bounding_box(), box.bounding_box()
    assert top["y"] >= field_box["y"] + field_box["height"] - 1 and abs(top["x"] - field_box["x"]) < 1
    # The hovered option's text and the active one keep their contrast.
    box.press("ArrowDown")
    assert contrast(page, "#finder-suggestions [aria-selected=true]") >= 4.5


# ---- how it looks ----------------------------------------------------------------------------------

CONTRAST = """(el, prop) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = el, back = 'rgb(255, 255, 255)';
  for (; bg; bg = bg.parentElement) { const c = getComputedStyle(bg).backgroundColor; if (!/rgba\\(.*, 0\\)|transparent/.test(c)) { back = c; break; } }
  const front = getComputedStyle(el)[prop];
  const [a, b] = [lum(front), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def contrast(page, selector: str, prop: str = "color") -> float:
    return page.locator(selector).first.evaluate(CONTRAST, prop)


@pytest.mark.parametrize("selector", ["#finder-q", "#finder-nature", "#finder-montant"])
def test_the_fields_are_real_form_controls(finder, selector):
    page, _ = finder
    control = page.locator(selector)
    size = control.evaluate(
        "(c) => { const s = getComputedStyle(c); return [parseFloat(s.fontSize), parseFloat(s.borderTopWidth)]; }"
    )
    assert size[0] >= 16 and size[1] >= 1
    assert control.bounding_box()["height"] >= 40
    assert contrast(page, selector, "borderTopColor") >= 3
    control.focus()
    ring = control.evaluate(
        "(c) => { const s = getComputedStyle(c); return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2
    assert contrast(page, selector, "outlineColor") >= 3


def test_verdicts_are_badges_in_words_and_colour(finder):
    page, _ = finder
    pick(page, "Mâcon", "Mâcon — commune")
    badges = page.locator(".finder__appel .finder__verdict")
    assert badges.count() == page.locator(".finder__appel").count() > 0
    words = {" ".join(text.split()) for text in badges.all_text_contents()}
    assert words <= {"✓ Éligible", "✗ Non éligible", "? À compléter", "⊘ Appel clos"}, words
    for verdict in ("eligible", "non_eligible", "a_completer", "clos"):
        if page.locator(f".finder__verdict--{verdict}").count():
            assert contrast(page, f".finder__verdict--{verdict}") >= 4.5
    assert "pour Mâcon :" in page.locator("[data-finder-etat]").text_content()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_sideways_scroll_and_no_axe_violation(chromium, site_url, width):
    from axe_playwright_python.sync_playwright import Axe

    context = chromium.new_context(service_workers="block", bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "trouver/", wait_until="networkidle")
    box = page.locator("#finder-q")
    type_in(page, box, "macon")
    page.locator(OPTIONS).first.wait_for()
    box.press("ArrowDown")
    overflow = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0

    def run():
        return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})

    violations = [
        f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in run().response["violations"]
    ]
    box.press("Enter")
    page.locator("#finder-resultats-titre").wait_for(timeout=90_000)
    assert page.evaluate(overflow) <= 0
    violations += [
        f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in run().response["violations"]
    ]
    context.close()
    assert not violations, "\n".join(violations)


# ---- the picker elsewhere: several on a page, instant navigation, no Pyodide ----------------------

SECOND_PICKER = """async (siteRoot) => {
  const root = document.createElement('div');
  root.className = 'picker';
  root.innerHTML = `<label for="autre-q">Autre collectivité</label>
    <div class="picker__zone"><input id="autre-q" class="picker__input" type="text" data-territory-input>
    <ul id="autre-liste" class="picker__listbox" data-territory-listbox aria-label="Collectivités" hidden></ul></div>
    <p class="picker__etat" data-territory-status role="status" aria-live="polite"></p>`;
  document.querySelector('article').append(root);
  const { attachTerritoryPicker } = await import(siteRoot + 'assets/javascripts/territory-picker.js');
  window.picks = [];
  const picker = attachTerritoryPicker(root, { onPick: (e, block) => window.picks.push(block), onClear: () => window.picks.push(null) });
  return picker === attachTerritoryPicker(root) && document.querySelector('#autre-q').getAttribute('role');
}"""


def test_a_picker_on_another_page_fills_the_applicant_without_pyodide(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "a-propos/", wait_until="networkidle")
    assert page.evaluate(SECOND_PICKER, site_url) == "combobox"
    box = page.locator("#autre-q")
    box.click()
    box.type("macon", delay=20)
    page.locator("#autre-liste [role=option]").first.wait_for()
    assert page.locator("#autre-q").get_attribute("aria-controls") == "autre-liste"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "autre-liste-option-0"
    box.press("Enter")
    block = page.evaluate("window.picks[0]")
    assert block["kind"] == "commune" and block["name"] == "Mâcon" and block["departement"] == "71"
    assert block["region"] == "27" and re.fullmatch(r"2171\d{5}", block["siren"]) and block["population"] > 30_000
    box.press("End")  # the caret, not the list: nothing to do
    box.type("x")
    assert page.evaluate("window.picks") == [block, None]  # editing the text withdraws the pick
    assert any(u.endswith("assets/data/territoire.json") for u in requests)
    assert not [u for u in requests if "pyodide" in u or "checker-worker" in u], "the picker started the checker"
    context.close()


def test_the_finder_works_after_instant_navigation(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP refusal, say
    page.goto(site_url + "a-propos/", wait_until="networkidle")
    for _ in range(2):  # there, away and back: one set of listeners each time
        page.locator("a.md-nav__link:visible", has_text="Quels appels pour ma collectivité").first.click()
        page.wait_for_url(re.compile(r"/trouver/$"))
        box = page.locator("#finder-q")
        box.click()
        box.type("macon", delay=20)
        expect(page.locator(OPTIONS)).to_have_count(8)
        box.press("ArrowDown")
        box.press("Enter")
        assert box.input_value() == "Mâcon"
        page.locator("a.md-nav__link:visible", has_text="À propos").first.click()
        page.wait_for_url(re.compile(r"/a-propos/$"))
    assert page.evaluate("typeof document$") != "undefined"  # instant navigation was in use
    assert not errors, errors


# ---- what the finder says ----------------------------------------------------------------------------


def test_macon_is_judged_by_the_saone_et_loire_guichet(finder):
    page, errors = finder
    pick(page, "Mâcon", "Mâcon — commune")
    fitn7 = card(page, "Saône-et-Loire")
    assert fitn7.count() == 1
    assert "Non éligible" not in fitn7.inner_text()
    # Status and verdict never contradict: a closed call says « Appel clos », not « À compléter ».
    expect(fitn7.locator(".finder__verdict")).to_have_text(re.compile(r"Appel clos$"))
    assert "À compléter" not in fitn7.inner_text() and "Clos depuis le 22 octobre 2021" in fitn7.inner_text()
    assert not errors, errors


def test_closed_calls_come_after_the_open_ones(finder):
    page, _ = finder
    pick(page, "Mâcon", "Mâcon — commune")
    badges = page.locator(".finder__appel").evaluate_all("els => els.map((e) => e.dataset.badge)")
    closed = [b == "clos" for b in badges]
    assert closed == sorted(closed) and any(closed) and not all(closed), badges
    assert "5 clos" in page.locator("[data-finder-etat]").text_content()


def test_a_commune_is_told_the_real_reason_for_pass_numeriques(finder):
    page, _ = finder
    pick(page, "Mâcon", "Mâcon — commune")
    passes = page.locator(".finder__appel[data-call=pass-numeriques-2020]")
    text = passes.inner_text()
    assert "Les communes candidatent uniquement en groupement" in text, text
    assert "ressources" not in text and "dépenses" not in text
    link = passes.locator(".finder__conditions a", has_text="Voir la clause")
    assert link.get_attribute("href").endswith("appels/pass-numeriques-2020/#candidature-communes-groupement")


def test_typing_the_cost_changes_no_verdict_into_non_eligible(chromium, site_url):
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url + "trouver/", wait_until="networkidle")
    pick(page, "Mâcon", "Mâcon — commune")
    verdicts = lambda: page.locator(".finder__appel").evaluate_all(  # noqa: E731
        "els => Object.fromEntries(els.map((e) => [e.dataset.call, e.dataset.verdict]))"
    )
    before = verdicts()
    page.fill("#finder-nature", "formation des agents au numérique")
    page.fill("#finder-montant", "40 000")
    page.locator("#finder-montant").press("Tab")  # change
    expect(page.locator("[data-finder-etat]")).to_contain_text("vérifiés pour Mâcon", timeout=60_000)
    page.wait_for_function("() => document.querySelector('[data-finder-etat]').textContent.includes('vérifiés')")
    after = verdicts()
    assert after == before, (before, after)
    assert "ne couvrent pas" not in page.locator("[data-finder-resultats]").inner_text()
    context.close()


def test_the_finder_by_keyboard_alone(chromium, site_url):
    """From the page's start: Tab to the field, type, arrows, Enter; Tab to a result and Enter opens
    the self-assessment with the collectivité filled in. No mouse."""
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url + "trouver/", wait_until="networkidle")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "finder-q":
            break
    assert page.evaluate("document.activeElement.id") == "finder-q"
    page.keyboard.type("macon", delay=20)
    page.locator(OPTIONS).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("#finder-resultats-titre", has_text="Mâcon").wait_for(timeout=90_000)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('finder__ouvrir')"):
            break
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#verification$"))
    assert page.url == target
    page.locator("[data-pointer='/applicant/name']").first.wait_for(state="attached")
    assert page.locator("[data-pointer='/applicant/name']").first.input_value() == "Mâcon"
    context.close()


def test_a_communes_verdicts_in_the_finder_agree_with_the_forms(chromium, site_url):
    """Every call, opened from Mâcon's results: where the finder refuses, the form refuses for the
    same reason; where it waits for answers, the form does not refuse; a closed call's page says
    « Appel clos » at its top, as the finder does."""
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_url + "trouver/", wait_until="networkidle")
    pick(page, "Mâcon", "Mâcon — commune")
    findings = page.locator(
        ".finder__appel"
    ).evaluate_all("""els => els.map((e) => ({call: e.dataset.call,
      verdict: e.dataset.verdict, badge: e.dataset.badge, motif: e.querySelector('.finder__motif')?.textContent ?? ''}))""")
    assert len(findings) >= 8
    disagree = []
    for f in findings:
        if page.locator("#finder-resultats-titre").count() == 0:
            page.goto(site_url + "trouver/", wait_until="networkidle")
            pick(page, "Mâcon", "Mâcon — commune")
        page.locator(f".finder__appel[data-call='{f['call']}'] a.finder__ouvrir").click()
        page.wait_for_url(re.compile(r"#verification$"))
        page.locator("[data-checker][data-runtime=ready]").wait_for(timeout=60_000)
        outcome = page.locator("[data-outcome]").first
        expect(outcome).not_to_have_attribute("data-outcome", "")
        page.wait_for_function("() => document.querySelector('[data-outcome]')?.dataset.outcome")
        form = outcome.get_attribute("data-outcome")
        verdict_text = page.locator("[data-verdict]").first.inner_text()
        if f["verdict"] == "non_eligible":
            reason = (
                f["motif"].split("conditions : ", 1)[-1].removeprefix("Motif : ").removesuffix("Voir la clause").strip()
            )
            if (
                form != "non_eligible"
                or reason[:60] not in verdict_text + page.locator("[data-rules]").first.inner_text()
            ):
                disagree.append((f, form, verdict_text))
        elif form == "non_eligible":
            disagree.append((f, form, verdict_text))
        banner = page.locator("[data-bandeau-clos]")
        shows_closed = banner.count() > 0 and banner.is_visible()
        if shows_closed != (f["badge"] == "clos"):
            disagree.append((f, "banner", shows_closed))
    context.close()
    assert not disagree, disagree


def test_the_agglomeration_of_macon_is_refused_with_its_clause(finder):
    page, _ = finder
    pick(page, "Mâconnais Beaujolais", "CA Mâconnais Beaujolais")
    fitn7 = card(page, "Saône-et-Loire")
    text = fitn7.inner_text()
    # Closed: « Appel clos », and the reason it would have been refused, for the record.
    assert fitn7.get_attribute("data-verdict") == "non_eligible" and fitn7.get_attribute("data-badge") == "clos"
    assert "n'en remplissait pas les conditions" in text and "agglomération" in text
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
    assert fitn7.get_attribute("data-verdict") == "non_eligible" and "Appel clos" in text
    assert "n'en remplissait pas les conditions" in text and "71" in text
    # The Indre-et-Loire fund, without a deadline, is judged for Tours: no refusal for territory.
    fund = page.locator(".finder__appel[data-call=indre-et-loire-fonds-transformation-numerique]")
    assert fund.get_attribute("data-badge") != "clos" and "département 37" not in fund.inner_text()


def test_editing_the_pick_clears_the_results(finder):
    page, _ = finder
    pick(page, "Tours", "Tours — commune")
    page.locator("#finder-q").press("Backspace")
    expect(page.locator(".finder__appel")).to_have_count(0)
    expect(page.locator("[data-finder-etat]")).to_have_text("")


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
    page.locator("[data-rules] > li[data-rule='fitn7.territoire'][data-status=ok]").wait_for(
        state="attached", timeout=30_000
    )
