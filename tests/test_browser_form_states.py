"""The states a reader meets in a call's self-assessment, in headless Chromium with the real
checker: no error on a pristine form, a field's error once the reader has left it, every error
after « Vérifier mon dossier »; a clause link and the way back to the same rule (the return link
and the browser's Back); one accessible name per clause link; the byte progress bar while the
checker loads; the notice of a closed call; the print stylesheet; axe-core in every state, on a
desktop and a phone."""

from __future__ import annotations

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_browser_form import (
    CHECK_MS,
    READY_MS,
    built_calls,
    eligible_fixture,
    exported,
    failing_fixture,
    import_file,
    open_form,
    settled,
    step_ids,
    unfold_results,
    wait_verdict,
)

from checker.engine import check
from checker.schemas import load_json

pytestmark = pytest.mark.browser

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WIDTHS = {"bureau": 1280, "telephone": 390}
CLAUSE_CALL = "fitn7-saone-et-loire"  # its clauses are on its own page


@pytest.fixture(scope="module")
def calls(built_site):
    found = built_calls(built_site)
    assert found, "no call page in the built site"
    return found


def checks_done(page) -> int:
    return int(page.locator("[data-checker]").get_attribute("data-checks") or 0)


def checked_after(page, before: int):
    """Wait for a report newer than the `before`-th (a check the page ran without an edit)."""
    deadline = time.monotonic() + CHECK_MS / 1000
    while checks_done(page) <= before:
        assert time.monotonic() < deadline, "no new report"
        page.wait_for_timeout(50)
    settled(page)


def first_check(page):
    """Once the checker is ready the page checks the dossier as it is: wait for that report."""
    settled(page)


def follow_link(page, url: str):
    """Go to another page of the site as a reader following a link does: instant navigation keeps
    the document, and with it the checker already started."""
    page.evaluate(
        """url => { const a = document.createElement('a'); a.href = url; a.textContent = url;
        document.body.append(a); a.click(); a.remove(); }""",
        url,
    )
    page.wait_for_url(url)


def each_form(context, site_url, calls):
    """Every call's form in one tab, one after the other: the first page loads the checker, the next
    ones come by instant navigation and reuse it (a start of Pyodide is ~10 s on 2 cores)."""
    page = None
    for call in calls:
        if page is None:
            page = open_form(context, site_url + call.page)
        else:
            follow_link(page, site_url + call.page)
        page.locator(f"[data-checker='{call.id}'][data-runtime=ready][data-checks]:not([data-pending])").wait_for(
            state="attached", timeout=READY_MS
        )
        page.locator("[data-form]").scroll_into_view_if_needed()
        yield call, page
    assert page.errors == [], page.errors
    page.close()


def shown_errors(page) -> list[str]:
    return page.locator("[data-errors] > li").all_text_contents()


def answer_first_choice(page, pointer: str) -> str:
    """Answer a closed question of the dossier with its first choice; returns the value sent."""
    control = page.locator(f'[data-form] [data-pointer="{pointer}"][data-kind]')
    if control.first.evaluate("e => e.tagName") == "SELECT":
        value = control.first.locator("option").nth(1).get_attribute("value")
        control.first.select_option(value)
        return value
    radio = page.locator(f'[data-form] input[type=radio][data-pointer="{pointer}"]:not([value=""])').first
    radio.check()
    return radio.get_attribute("value")


def closing_day(closing: str) -> str:
    """« 15 mai 2020 », « 1er avril 2021 »: the deadline's day in Paris, as the notice writes it."""
    when = datetime.fromisoformat(closing).astimezone(ZoneInfo("Europe/Paris"))
    return f"{'1er' if when.day == 1 else when.day} {MONTHS[when.month - 1]} {when.year}"


# ---- errors ------------------------------------------------------------------------------------------


def test_a_pristine_form_shows_no_error_once_the_checker_is_ready(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    problems = []
    for call, page in each_form(context, site_url, calls):
        page.wait_for_timeout(300)
        text = page.locator("[data-checker]").text_content()
        if "Champ obligatoire" in text:
            problems.append(f"{call.id}: « Champ obligatoire » on a pristine form")
        invalid = page.locator("[aria-invalid]").evaluate_all(
            "els => els.map(e => e.id || e.dataset.pointer || e.outerHTML.slice(0, 80))"
        )
        if invalid:
            problems.append(f"{call.id}: aria-invalid on {invalid}")
        if page.locator("[data-errors-block]").is_visible() or page.locator(".champ__erreur:visible").count():
            problems.append(f"{call.id}: errors shown on a pristine form")
    context.close()
    assert not problems, "\n".join(problems)


def test_a_field_left_empty_shows_its_error_and_checking_the_dossier_shows_every_error(
    chromium, site_url, calls, tmp_path
):
    call = next(c for c in calls if c.id == CLAUSE_CALL)
    context = chromium.new_context(service_workers="block", accept_downloads=True)
    page = open_form(context, site_url + call.page)
    first_check(page)
    answer_first_choice(page, "/applicant/kind")  # the applicant block now exists: its own fields are due
    settled(page)
    name = page.locator('[data-form] [data-pointer="/applicant/name"]')
    slot = page.locator('[data-form] [data-error-for="/applicant/name"]')
    assert slot.is_hidden() and name.get_attribute("aria-invalid") is None  # not left yet: no error

    name.focus()
    page.keyboard.press("Tab")  # the reader leaves the field empty
    slot.filter(has_text="Champ obligatoire").wait_for(timeout=CHECK_MS)
    assert name.get_attribute("aria-invalid") == "true"
    assert slot.get_attribute("id") in name.get_attribute("aria-describedby").split()
    assert shown_errors(page) == [slot.text_content()], "only the field the reader left shows its error"

    dossier = exported(page, tmp_path)
    expected = check(call.id, load_json(json.dumps(dossier))).to_json()["schema_errors"]
    assert len(expected) > 1
    before = checks_done(page)
    page.locator("[data-check-all]").click()
    checked_after(page, before)
    shown = shown_errors(page)
    assert sorted(shown) == sorted(e["message"] for e in expected), f"shown: {shown}\nexpected: {expected}"
    assert page.evaluate("document.activeElement.hasAttribute('data-results')")  # the reader is taken to the result
    for error in expected:  # each in its field, once its step is open
        field_slot = page.locator(f'[data-form] [data-error-for="{error["path"]}"]')
        if field_slot.count():
            assert field_slot.get_attribute("hidden") is None, error["path"]
            assert error["message"] in field_slot.text_content()
    for step in step_ids(page):
        page.locator(f'[data-steps-nav] [data-step-go="{step}"]').click()
        for error in expected:
            field_slot = page.locator(f'[data-form-step="{step}"] [data-error-for="{error["path"]}"]')
            if field_slot.count():
                assert field_slot.is_visible(), error["path"]
    # Listed in the order of the form as the reader goes through it (its steps), each error where its field is.
    slots = page.locator("[data-form] [data-error-for]").evaluate_all("els => els.map(e => e.dataset.errorFor)")
    in_form = sorted((e for e in expected if e["path"] in slots), key=lambda e: slots.index(e["path"]))
    assert [m for m in shown if m in {e["message"] for e in in_form}] == [e["message"] for e in in_form], (
        f"not in the form's order:\nshown: {shown}\nform order: {[(e['path'], e['message']) for e in in_form]}"
    )
    assert page.errors == [], page.errors
    context.close()


# ---- clause links ------------------------------------------------------------------------------------


def follow_clause(page, rule: str) -> str:
    """Follow a rule's clause link; returns the clause's anchor, checked highlighted and offered a way back."""
    item = page.locator(f'[data-rules] > li[data-rule="{rule}"]')
    if not item.is_visible():
        unfold_results(page)
    link = item.locator("a[data-clause]")
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    page.locator(".clause-highlight").wait_for()
    assert page.evaluate("document.activeElement.id") == anchor
    assert page.locator(f"[id='{anchor}']").evaluate("e => !!e.closest('.clause-highlight')")
    back = page.locator(".clause-retour a")
    assert back.is_visible() and back.text_content().strip() == "Revenir à mon dossier"
    return anchor


def assert_back_on_rule(page, rule: str, result: str):
    page.wait_for_url(f"**#regle-{rule}")
    page.locator(f"[data-checker][data-result={result}]:not([data-pending])").wait_for(
        state="attached", timeout=CHECK_MS
    )
    page.wait_for_timeout(1000)  # a late re-render would take the reader's place away
    assert page.evaluate("document.activeElement.id") == f"regle-{rule}", (
        f"back from the clause, the focus is on <{page.evaluate('document.activeElement.tagName')} "
        f"id={page.evaluate('document.activeElement.id')!r}>, not on the rule regle-{rule}"
    )
    assert page.locator(f"[id='regle-{rule}']").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }"
    )
    assert page.locator(".clause-retour").count() == 0


def failing_page(context, site_url, calls):
    call = next(c for c in calls if c.id == CLAUSE_CALL)
    path, rule = failing_fixture(call.id)
    page = open_form(context, site_url + call.page)
    import_file(page, path)
    page.locator(f'[data-rules] > li[data-rule="{rule}"][data-status=ko]').wait_for(timeout=CHECK_MS)
    wait_verdict(page, "ko")
    held = page.locator("[data-rules=ok] > li").first.get_attribute("data-rule")
    return page, rule, held


def test_a_clause_link_highlights_the_clause_and_the_return_link_comes_back_to_the_same_rule(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    page, failed, held = failing_page(context, site_url, calls)
    for rule in (failed, held):  # a rule not met, shown open; a rule met, folded under « Conditions remplies »
        follow_clause(page, rule)
        page.locator(".clause-retour a").click()
        assert_back_on_rule(page, rule, "ko")
    assert page.errors == [], page.errors
    context.close()


def test_the_back_button_after_a_clause_comes_back_to_the_same_rule(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    page, failed, held = failing_page(context, site_url, calls)
    for rule in (failed, held):
        follow_clause(page, rule)
        page.go_back()
        assert_back_on_rule(page, rule, "ko")
    assert page.errors == [], page.errors
    context.close()


def test_every_clause_link_of_the_results_has_its_own_accessible_name(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    problems = []
    for call, page in each_form(context, site_url, calls):
        unfold_results(page)  # every rule of the report, folded or not
        results = page.locator("[data-results]")
        links = results.locator("a[data-clause]")
        names = links.evaluate_all("els => els.map(e => e.textContent.replace(/\\s+/g, ' ').trim())")
        assert names, f"{call.id}: no clause link in the results"
        for i, name in enumerate(names):
            visible = links.nth(i).evaluate(
                "e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()"
            )
            if visible != "Lire la clause du texte":
                problems.append(f"{call.id}: a clause link reads « {visible} »")
            # Playwright computes the accessible name (visually hidden text included, as a screen reader hears it).
            same = results.get_by_role("link", name=name, exact=True).count()
            if same != 1:
                problems.append(f"{call.id}: {same} links named « {name} »")
    context.close()
    assert not problems, "\n".join(problems)


# ---- loading, closed calls, print --------------------------------------------------------------------


# Installed before the page's scripts: a call page starts its checker by itself once painted.
SAMPLER = """(() => {
  window.__bar = [];
  const sample = () => {
    const section = document.querySelector('[data-checker]');
    const bar = document.querySelector('[data-progress-bar]');
    if (section && bar) window.__bar.push([section.dataset.runtime, bar.hidden, bar.max, bar.hasAttribute('value') ? bar.value : null]);
  };
  setInterval(sample, 5);
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(sample).observe(document.querySelector('[data-checker]'), {attributes: true, subtree: true});
  });
})()"""


def test_the_progress_bar_counts_the_bytes_of_the_checker_while_it_loads(chromium, site_url, calls, built_site):
    total = json.loads((built_site / "assets" / "pyodide" / "runtime-size.json").read_text("utf-8"))["bytes"]
    context = chromium.new_context(service_workers="block")  # a fresh context: nothing in the HTTP cache
    context.add_init_script(SAMPLER)
    page = context.new_page()
    page.goto(site_url + calls[0].page)
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    assert page.locator("[data-checker]").get_attribute("data-runtime") == "ready"
    samples = page.evaluate("window.__bar")
    loading = [(hidden, maximum, value) for runtime, hidden, maximum, value in samples if runtime == "loading"]
    assert loading, "the runtime never showed as loading"
    assert not any(hidden for hidden, _, _ in loading), "the bar hides while the checker loads"
    counted = [value for _, maximum, value in loading if value is not None and maximum == total]
    assert total > 0 and counted, (
        f"the bar's max never became the runtime's size ({total} bytes): {sorted(set(loading))[:5]}"
    )
    assert counted == sorted(counted), "the bytes fetched went backwards"
    assert len(set(counted)) >= 3 and counted[-1] > counted[0], f"the bar did not grow: {sorted(set(counted))}"
    assert all(0 <= v <= total for v in counted)
    assert page.locator("[data-progress-bar]").is_hidden()  # ready: the bar is gone
    context.close()


def test_a_closed_call_says_so_at_the_top_of_the_form(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    closed = 0
    for call in calls:
        page = context.new_page()
        page.goto(site_url + call.page)
        closing = page.locator("[data-checker]").get_attribute("data-closing")
        notice = page.locator("[data-checker] [data-closed]")
        if not closing:  # a measure open « au fil de l'eau »: nothing to say
            page.wait_for_timeout(300)
            assert notice.is_hidden(), call.id
            page.close()
            continue
        assert datetime.fromisoformat(closing) < datetime.now().astimezone(), (
            f"{call.id}: still open, the test needs a closed call"
        )
        notice.wait_for()
        assert notice.text_content().startswith(f"Cet appel est clos depuis le {closing_day(closing)}"), (
            notice.text_content()
        )
        order = notice.evaluate("""n => ['[data-questions]', '[data-results]', '[data-form]']
            .every((s) => n.compareDocumentPosition(document.querySelector(s)) & Node.DOCUMENT_POSITION_FOLLOWING)""")
        assert order, f"{call.id}: the notice comes after the questions, the result or the dossier"
        assert notice.bounding_box()["y"] < page.locator("[data-form]").bounding_box()["y"]
        closed += 1
        page.close()
    context.close()
    assert closed, "no closed call among the built pages"


def test_the_print_stylesheet_shows_every_step_and_hides_the_questions_and_the_tools(chromium, site_url, calls):
    """The stylesheet alone, without the page's beforeprint handler (a browser printing without it)."""
    context = chromium.new_context(service_workers="block")
    page = open_form(context, site_url + calls[0].page)
    first_check(page)
    steps = step_ids(page)
    assert len(steps) > 1
    assert [page.locator(f'[data-form-step="{s}"]').is_visible() for s in steps].count(True) == 1  # on screen: one step
    assert page.locator("[data-questions]").is_visible()
    page.emulate_media(media="print")
    for step in steps:
        assert page.locator(f'[data-form-step="{step}"]').is_visible(), step
    for tool in (
        "[data-questions]",
        "[data-tools]",
        "[data-steps-nav]",
        "[data-step-buttons]",
        "[data-check-all]",
        "[data-progress]",
        "[data-progress-bar]",
        "[data-today]",
        "[data-add-row]",
    ):
        shown = page.locator(tool).evaluate_all("els => els.filter(e => e.checkVisibility()).length")
        assert shown == 0, f"{tool} printed"
    assert page.locator("[data-results]").is_visible() and page.locator("p[data-verdict]").is_visible()
    context.close()


# ---- axe-core ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
def test_every_state_of_the_form_passes_axe_core(chromium, site_url, calls, width):
    """Pristine with the questions panel, errors shown (every step), not eligible, eligible: WCAG 2.1 AA."""
    from axe_playwright_python.sync_playwright import Axe
    from test_site_browser import AXE_TAGS

    axe = Axe()
    context = chromium.new_context(service_workers="block", bypass_csp=True, viewport={"width": width, "height": 900})
    violations = []

    def run(page, call, state):
        page.mouse.move(0, 0)  # no hover colour on what axe measures
        results = axe.run(
            page,
            context="[data-checker]",
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations.extend(
            f"{width} px, {call.id}, {state}: {v['id']} {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        )

    for call, page in each_form(context, site_url, calls):
        assert page.locator("[data-questions]").is_visible(), f"{call.id}: no questions panel on a pristine form"
        run(page, call, "pristine, questions panel")

        before = checks_done(page)
        page.locator("[data-check-all]").click()
        checked_after(page, before)
        assert page.locator("[data-errors-block]").is_visible()
        for step in step_ids(page):
            page.locator(f'[data-steps-nav] [data-step-go="{step}"]').click()
            run(page, call, f"errors shown, step {step}")

        path, rule = failing_fixture(call.id)
        import_file(page, path)
        page.locator(f'[data-rules] > li[data-rule="{rule}"][data-status=ko]').wait_for(timeout=CHECK_MS)
        wait_verdict(page, "ko")
        unfold_results(page)
        run(page, call, "non eligible")

        import_file(page, eligible_fixture(call.id))
        wait_verdict(page, "ok")
        unfold_results(page)
        if page.locator("[data-questions-done]").is_visible():
            page.locator("[data-questions-done] > summary").click()
        run(page, call, "eligible")
    context.close()
    assert not violations, "\n".join(violations)
