"""Every call's self-assessment as a new reader meets it, in headless Chromium with the real
checker: « Vérifier mon éligibilité » from the summary card; no red and no « Non éligible »
before any answer; the one disqualifying answer the ranked questions offer gives « Non
éligible » with its reason at the top; on a fresh draft, answering only the questions the
checker asks reaches « Éligible »; a reload keeps the draft."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from support import DOSSIERS, INELIGIBLE
from test_browser_form import CHECK_MS, READY_MS, built_calls, eligible_fixture

from checker.engine import check
from checker.pointers import lookup, place
from checker.schemas import load_json

pytestmark = pytest.mark.browser

LATE = "2099-01-01"
MAX_ANSWERS = 80  # far more than any call needs (bench/bench_answers.py)


@pytest.fixture(scope="module")
def calls(built_site):
    return built_calls(built_site)


def with_answer(dossier: dict, pointer: str, value) -> dict:
    return place(json.loads(json.dumps(dossier, default=str)), pointer, value)


def start(page, url: str) -> None:
    page.goto(url)
    page.locator(".fiche [data-start-checker]").click()
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    assert page.locator("[data-checker]").get_attribute("data-runtime") == "ready", page.locator(
        "[data-progress]"
    ).text_content()


def checks_done(page) -> int:
    return int(page.locator("[data-checker]").get_attribute("data-checks") or 0)


def settle(page, before: int) -> None:
    """Wait for the report of the last answer (the form checks 300 ms after the last keystroke)."""
    page.wait_for_function(
        f"Number(document.querySelector('[data-checker]').dataset.checks || 0) > {before}", timeout=CHECK_MS
    )
    page.wait_for_timeout(400)
    page.wait_for_function("!document.querySelector('[data-checker]').dataset.pending", timeout=CHECK_MS)


def shown_questions(page) -> list[str]:
    return page.locator("[data-questions-list] [data-question]").evaluate_all("els => els.map(e => e.dataset.question)")


def choices(page, pointer: str) -> list:
    """The values a reader can pick for a question in the panel (a late date for a date)."""
    block = page.locator(f'[data-questions-list] [data-question="{pointer}"]')
    if block.locator("select").count():
        return [v for v in block.locator("select option").evaluate_all("os => os.map(o => o.value)") if v]
    radios = block.locator("input[type=radio]").evaluate_all("rs => rs.map(r => r.value)")
    if radios:
        return [json.loads(v) if v in ("true", "false") else v for v in radios if v]
    if block.locator("input[type=date]").count():
        return [LATE]
    return []


def answer(page, pointer: str, value) -> None:
    """Answer a question where the panel shows it; a list is filled in its step of the dossier."""
    block = page.locator(f'[data-questions-list] [data-question="{pointer}"]')
    if block.locator("[data-goto]").count():
        block.locator("[data-goto]").click()
        fill_rows(page, pointer, value)
    elif block.locator("select").count():
        block.locator("select").select_option(str(value))
    elif block.locator("input[type=radio]").count():
        shown = json.dumps(value) if isinstance(value, bool) else str(value)
        block.locator(f'input[type=radio][value="{shown}"]').check()
    elif block.locator("input[type=checkbox]").count():
        box = block.locator("input[type=checkbox]")
        if isinstance(value, list):
            for i in range(box.count()):
                box.nth(i).set_checked(box.nth(i).get_attribute("value") in value)
        else:
            box.set_checked(bool(value))
    else:
        control = block.locator("input, textarea").first
        control.fill(format(value, "f") if isinstance(value, Decimal) else str(value))
        control.blur()


def fill_rows(page, pointer: str, rows: list) -> None:
    for i, row in enumerate(rows):
        before = checks_done(page)
        page.locator(f'[data-add-row="{pointer}"]').focus()
        page.keyboard.press("Enter")  # as a keyboard user adds a line
        page.locator(f'[data-rows="{pointer}"] > *').nth(i).wait_for()
        if i:
            settle(page, before)  # the previous line's report is in: nothing redraws under the typing
        for key, value in row.items() if isinstance(row, dict) else [("", row)]:
            target = f"{pointer}/{i}/{key}" if key else f"{pointer}/{i}"
            control = page.locator(f'[data-form] [data-kind][data-pointer="{target}"]')
            if not control.count():
                continue
            kind = control.first.get_attribute("data-kind")
            tag = control.first.evaluate("e => e.tagName")
            if tag == "SELECT":
                control.first.select_option(str(value))
            elif control.first.get_attribute("type") == "radio":
                shown = json.dumps(value) if isinstance(value, bool) else str(value)
                page.locator(f'[data-form] [data-pointer="{target}"][value="{shown}"]').evaluate(
                    "(r) => { if (!r.checked) r.click(); }"
                )
            elif control.first.get_attribute("type") == "checkbox":
                control.first.evaluate("(box, wanted) => { if (box.checked !== wanted) box.click(); }", bool(value))
            elif kind in ("money", "number", "integer"):
                control.first.fill(format(Decimal(str(value)), "f").replace(".", ","))
            else:
                control.first.fill(str(value))


def assert_no_red(page) -> None:
    assert page.locator("[data-checker]").get_attribute("data-result") in (None, "attente"), page.locator(
        "p[data-verdict]"
    ).text_content()
    assert "Non éligible" not in page.locator("p[data-verdict]").text_content()
    assert page.locator(".champ__erreur:visible").count() == 0
    assert page.locator("[aria-invalid=true]").count() == 0
    assert page.locator(".regle--ko:not(.regle--indicative):visible, .verdict--ko:visible").count() == 0
    # Advisory notes are never red.
    assert all(
        c != "rgb(138, 28, 28)"
        for c in page.locator(".regle--indicative .regle__statut").evaluate_all(
            "els => els.map(e => getComputedStyle(e).color)"
        )
    )


def disqualifying(call_id: str, page) -> tuple[str, object, str] | None:
    """Among the questions the panel shows, one answer that alone makes the dossier ineligible."""
    for pointer in shown_questions(page):
        for value in choices(page, pointer):
            report = check(call_id, load_json(json.dumps(with_answer({"call": call_id}, pointer, value))))
            failed = [v for v in report.verdicts if v.blocking and v.status == "ko"]
            if report.to_json()["verdict"] == "non_eligible" and failed:
                return pointer, value, failed[0].rule
    return None


def follow(page, call_id: str, source: dict, until: str, problems: list | None = None) -> dict:
    """Answer the questions the panel shows, the first first, with a real dossier's values, until
    the verdict is `until` (data-result); returns the dossier answered so far."""
    sent = {"call": call_id}
    for _ in range(MAX_ANSWERS):
        if page.locator("[data-checker]").get_attribute("data-result") == until:
            break
        pending = [
            p
            for p in shown_questions(page)
            if lookup(source, p) is not None
            and page.locator(f'[data-questions-list] [data-question="{p}"]').get_attribute("data-answered") is None
        ]
        if not pending:
            if problems is not None:
                problems.append(f"{call_id}: stuck at « {page.locator('p[data-verdict]').text_content()} »")
            break
        before = checks_done(page)
        answer(page, pending[0], lookup(source, pending[0]))
        place(sent, pending[0], lookup(source, pending[0]))
        settle(page, before)
    return sent


def test_a_reader_reaches_each_verdict_from_the_questions_that_decide(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block", bypass_csp=True)  # for wait_for_function
    problems = []
    for call in calls:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        start(page, site_url + call.page)
        page.wait_for_timeout(500)
        assert_no_red(page)
        assert shown_questions(page), f"{call.id}: no question shown"

        found = disqualifying(call.id, page)
        if found:  # one answer the panel offers disqualifies on its own
            pointer, value, rule = found
            before = checks_done(page)
            answer(page, pointer, value)
            settle(page, before)
            sent = with_answer({"call": call.id}, pointer, value)
        else:  # the call's most common ineligible profile, answered in the panel's order
            sent = follow(
                page,
                call.id,
                load_json((DOSSIERS / call.id / f"{INELIGIBLE[call.id]}.json").read_text("utf-8")),
                until="ko",
            )
        assert page.locator("[data-checker]").get_attribute("data-result") == "ko", page.locator(
            "p[data-verdict]"
        ).text_content()
        failed = [
            v
            for v in check(call.id, load_json(json.dumps(sent, default=str))).verdicts
            if v.blocking and v.status == "ko"
        ]
        top = page.locator("[data-groups] > :first-child")
        assert top.locator(f'li[data-rule="{failed[0].rule}"][data-status=ko]').count() == 1
        assert failed[0].message in page.locator("p[data-verdict]").text_content() + top.text_content()

        before = checks_done(page)
        page.locator("[data-clear]").click()
        settle(page, before)  # the emptied form's report, before its questions are read
        follow(page, call.id, load_json(eligible_fixture(call.id).read_text("utf-8")), until="ok", problems=problems)
        assert page.locator("[data-checker]").get_attribute("data-result") == "ok", (
            call.id,
            page.locator("p[data-verdict]").text_content(),
        )

        start(page, site_url + call.page)  # a new visit of the page: the draft is back
        page.locator("[data-checker][data-result=ok]").wait_for(timeout=CHECK_MS)
        assert errors == [], errors
        page.close()
    context.close()
    assert not problems, problems


def test_without_javascript_every_step_of_the_dossier_is_shown_and_usable(chromium, site_url, calls):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + calls[0].page)
    steps = page.locator("[data-form-step]")
    assert steps.count() >= 2
    for i in range(steps.count()):
        assert steps.nth(i).is_visible()
    assert not page.locator("[data-questions]").is_visible()  # it needs the checker
    assert not page.locator("[data-steps-nav]").is_visible()
    name = page.locator('[data-form] [data-pointer="/applicant/name"]')
    name.fill("Commune de Test")
    assert name.input_value() == "Commune de Test"
    context.close()
