"""The self-assessment form of every call page in headless Chromium, against the real checker
(Pyodide in its worker), served under a sub-path: eligible dossier, a failing rule, drafts,
export / clear / import, offline after a first visit, no other origin, no markup injection.
The dossier is in steps (one shown at a time): `reveal` opens the step of a field before it is
filled; yes/no questions are two radios, « true » / « false », none ticked until answered."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import RUNTIME_KEPT_JS

from checker.engine import all_calls, check
from checker.schemas import load_json

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
READY_MS = 180_000  # first start of Pyodide on a 2-core machine
CHECK_MS = 30_000
PAYLOADS = ["<img src=x onerror=\"document.title='xss'\">", "<script>document.title='xss'</script>"]
LATE = "2099-01-01"  # after every deadline


def eligible_fixture(call_id: str) -> Path | None:
    for expected in sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.expected.json")):
        if json.loads(expected.read_text("utf-8")).get("eligible") is True:
            return expected.with_name(expected.name.replace(".expected.json", ".json"))
    return None


def failing_fixture(call_id: str) -> tuple[Path, str]:
    for expected in sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.expected.json")):
        data = json.loads(expected.read_text("utf-8"))
        ko = [rule for rule, status in data.get("verdicts", {}).items() if status == "ko"]
        if data.get("eligible") is False and ko:
            return expected.with_name(expected.name.replace(".expected.json", ".json")), ko[0]
    pytest.fail(f"{call_id}: no fixture fails a named blocking rule")


def rule_failed_by_late_filing(call_id: str, fixture: Path) -> str | None:
    """The blocking rule the CPython checker fails when the eligible dossier is filed too late
    (None for a call with no deadline, such as a measure open « au fil de l'eau »)."""
    dossier = load_json(fixture.read_text("utf-8"))
    dossier["project"]["filing_date"] = LATE
    failed = [v.rule for v in check(call_id, dossier).verdicts if v.status == "ko" and v.blocking]
    return failed[0] if failed else None


def built_calls(built_site: Path) -> list:
    return [
        c for c in sorted(all_calls().values(), key=lambda c: c.id) if (built_site / c.page / "index.html").exists()
    ]


@pytest.fixture(scope="module")
def calls(built_site):
    found = built_calls(built_site)
    assert found, "no call page in the built site"
    return found


class Recorder:
    """Every request of a browser context; the ones to another origin are failures."""

    def __init__(self, context, site_url):
        self.origin = urlparse(site_url).netloc
        self.urls, self.bytes = [], 0
        context.on("request", self.request)
        context.on("requestfinished", self.finished)

    def request(self, request):
        self.urls.append(request.url)

    def finished(self, request):
        try:
            self.bytes += request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        except Exception:  # a request torn down with its page: its size is unknowable
            pass

    def foreign(self) -> list[str]:
        return [u for u in self.urls if urlparse(u).netloc != self.origin and not u.startswith(("data:", "blob:"))]


def open_form(context, url):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(url)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    assert page.locator("[data-checker]").get_attribute("data-runtime") == "ready", page.locator(
        "[data-progress]"
    ).text_content()
    page.errors = errors
    return page


def wait_verdict(page, expected: str):
    page.locator(f"[data-checker][data-result={expected}]").wait_for(timeout=CHECK_MS)


def import_file(page, path: Path):
    page.locator("[data-import]").set_input_files(str(path))


def exact(text: str):
    return json.loads(text, parse_float=Decimal)


def defaulted_boxes(page) -> set[str]:
    """The pointers (row indices as "#") of the boxes that stay checkboxes because the schema gives
    them a default of `false` (such as `in_kind`): unticked, they send that default."""
    return set(
        page.evaluate("""() => [...document.querySelectorAll('[data-form] input[type=checkbox][data-default=false]'),
        ...[...document.querySelectorAll('[data-form] template')].flatMap((t) => [...t.content.querySelectorAll('input[type=checkbox][data-default=false]')])]
        .map((box) => box.dataset.pointer.replace(/\\/\\d+(?=\\/|$)/g, '/#'))""")
    )


def defaults_dropped(exported, original, boxes: set[str], pointer: str = ""):
    """The exported dossier without the `false` that a box with a schema default of `false` sends
    where the original left it out (the same dossier for the schema). A yes/no question is never
    one of those boxes: unanswered, it is absent."""
    if isinstance(exported, dict) and isinstance(original, dict):
        return {
            k: defaults_dropped(v, original.get(k), boxes, f"{pointer}/{k}")
            for k, v in exported.items()
            if not (v is False and k not in original and f"{pointer}/{k}" in boxes)
        }
    if isinstance(exported, list) and isinstance(original, list) and len(exported) == len(original):
        return [defaults_dropped(e, o, boxes, f"{pointer}/#") for e, o in zip(exported, original)]
    return exported


def reveal(page, pointer: str):
    """Open the step of the dossier that holds the field at `pointer` (one step shows at a time)."""
    field = page.locator(f'[data-form] [data-pointer="{pointer}"]').first
    step = field.evaluate("e => e.closest('[data-form-step]')?.dataset.formStep ?? null")
    if step and not page.locator(f'[data-form-step="{step}"]').is_visible():
        page.locator(f'[data-steps-nav] [data-step-go="{step}"]').click()
        page.locator(f'[data-form-step="{step}"]').wait_for()


def step_ids(page) -> list[str]:
    return page.locator("[data-form] [data-form-step]").evaluate_all("els => els.map(e => e.dataset.formStep)")


def answer_yes_no(page, pointer: str, value: bool):
    """A yes/no question of the dossier: tick « Oui » (value "true") or « Non » ("false")."""
    reveal(page, pointer)
    page.locator(f'[data-form] input[type=radio][data-pointer="{pointer}"][value="{json.dumps(value)}"]').check()


def unfold_results(page):
    """Open the folded groups of the results (« En attente de vos réponses », « Conditions remplies »)."""
    summaries = page.locator("[data-results] details:not([open]) > summary")
    for _ in range(10):
        if not summaries.count():
            return
        summaries.first.click()
    assert not summaries.count(), "a group of the results does not stay open"


def settled(page):
    """The report of the last answer is shown (no check due)."""
    page.locator("[data-checker][data-checks]:not([data-pending])").wait_for(state="attached", timeout=CHECK_MS)


def test_every_call_page_checks_an_eligible_dossier_then_a_failing_rule(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    recorder = Recorder(context, site_url)
    missing = [c.id for c in calls if eligible_fixture(c.id) is None]
    assert not missing, f"no eligible fixture for {missing}"
    for call in calls:
        page = open_form(context, site_url + call.page)
        import_file(page, eligible_fixture(call.id))
        wait_verdict(page, "ok")
        assert "Éligible" in page.locator("p[data-verdict]").text_content()
        rule = rule_failed_by_late_filing(call.id, eligible_fixture(call.id))
        if rule:
            reveal(page, "/project/filing_date")
            page.locator('[data-form] [data-pointer="/project/filing_date"]').fill(LATE)
        else:  # no deadline to miss: a dossier of the call's fixtures fails a named rule instead
            path, rule = failing_fixture(call.id)
            import_file(page, path)
        page.locator(f'[data-rules] > li[data-rule="{rule}"][data-status=ko]').wait_for(timeout=CHECK_MS)
        wait_verdict(page, "ko")
        assert page.errors == [], page.errors
        page.close()
    context.close()
    assert not recorder.foreign(), recorder.foreign()


def test_draft_survives_reload_and_export_clear_import_round_trips(chromium, site_url, calls, tmp_path):
    context = chromium.new_context(service_workers="block", accept_downloads=True)
    recorder = Recorder(context, site_url)
    for call in calls:
        fixture = eligible_fixture(call.id)
        page = open_form(context, site_url + call.page)
        import_file(page, fixture)
        wait_verdict(page, "ok")
        name = page.locator('[data-pointer="/applicant/name"]')
        typed = name.input_value()
        assert typed == json.loads(fixture.read_text("utf-8"))["applicant"]["name"]

        page.reload()
        page.locator("[data-form]").scroll_into_view_if_needed()
        assert page.locator('[data-pointer="/applicant/name"]').input_value() == typed
        wait_verdict(page, "ok")

        with page.expect_download() as download:
            page.locator("[data-export]").click()
        exported = tmp_path / f"{call.id}.json"
        download.value.save_as(exported)
        data = exact(exported.read_text("utf-8"))
        assert data["call"] == call.id
        # Three-state answers: what the fixture leaves out stays out (an unanswered question is not
        # « non »); only a box with a schema default sends it, the same dossier for the schema.
        assert defaults_dropped(data, exact(fixture.read_text("utf-8")), defaulted_boxes(page)) == {
            **exact(fixture.read_text("utf-8")),
            "call": call.id,
        }

        page.locator("[data-clear]").click()  # the dialog is accepted by open_form's handler
        assert page.locator('[data-pointer="/applicant/name"]').input_value() == ""
        page.locator("[data-checker]:not([data-result=ok])").wait_for(timeout=CHECK_MS)

        import_file(page, exported)
        wait_verdict(page, "ok")
        assert page.locator('[data-pointer="/applicant/name"]').input_value() == typed
        page.close()
    context.close()
    assert not recorder.foreign(), recorder.foreign()


def test_bad_imports_leave_the_draft_untouched(chromium, site_url, calls, tmp_path):
    call, other = calls[0], (calls[1] if len(calls) > 1 else None)
    context = chromium.new_context(service_workers="block")
    page = open_form(context, site_url + call.page)
    page.locator('[data-pointer="/applicant/name"]').fill("Commune de Test")
    cases = {
        "pas-json.json": "{ ceci n'est pas du JSON",
        "liste.json": "[1, 2, 3]",
        "autre-appel.json": json.dumps(
            {"call": other.id if other else "un-autre-appel", "applicant": {"name": "Autre"}}
        ),
    }
    for file_name, text in cases.items():
        path = tmp_path / file_name
        path.write_text(text, "utf-8")
        import_file(page, path)
        message = page.locator("[data-message]")
        message.filter(has_text="Import impossible").wait_for(timeout=5000)
        assert "brouillon n'a pas changé" in message.text_content()
        assert page.locator('[data-pointer="/applicant/name"]').input_value() == "Commune de Test"
    context.close()


def test_french_numbers_are_normalised_and_unreadable_ones_kept_and_reported(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block", accept_downloads=True)
    for call in calls:  # the first call whose budget lines show on an empty form
        page = open_form(context, site_url + call.page)
        if page.locator('[data-add-row="/budget/expenses"]').count():
            reveal(page, "/budget/expenses")
        if page.locator('[data-add-row="/budget/expenses"]').is_visible():
            break
        page.close()
    else:
        pytest.fail("no call page shows budget lines on an empty form")
    page.locator('[data-add-row="/budget/expenses"]').click()
    amount = page.locator('[data-pointer="/budget/expenses/0/amount"]')
    assert page.evaluate("document.activeElement.dataset.pointer") == "/budget/expenses/0/label"
    amount.fill("12 500,50")
    page.locator('[data-pointer="/budget/expenses/0/label"]').fill("Formation")
    with page.expect_download() as download:
        page.locator("[data-export]").click()
    text = Path(download.value.path()).read_text("utf-8")
    assert '"amount": 12500.50' in text
    amount.fill("12,5,0")
    error = page.locator('[id="champ/budget/expenses/0/amount-erreur"]')
    error.filter(has_text="nombre non reconnu").wait_for(timeout=CHECK_MS)
    assert amount.input_value() == "12,5,0" and amount.get_attribute("aria-invalid") == "true"
    page.locator("[data-remove-row]").click()
    assert page.locator('[data-rows="/budget/expenses"] > *').count() == 0
    assert page.evaluate("document.activeElement.dataset.addRow") == "/budget/expenses"
    context.close()


def test_markup_typed_in_text_fields_never_becomes_html(chromium, site_url, calls):
    context = chromium.new_context(service_workers="block")
    recorder = Recorder(context, site_url)
    for call in calls:
        page = open_form(context, site_url + call.page)
        import_file(page, eligible_fixture(call.id))
        wait_verdict(page, "ok")
        filled = 0
        for step in step_ids(page):  # every step of the dossier, one after the other
            page.locator(f'[data-steps-nav] [data-step-go="{step}"]').click()
            shown = f'[data-form-step="{step}"]'
            fields = page.locator(
                f"{shown} input[data-kind=text]:visible, {shown} textarea:visible, {shown} input[data-kind=email]:visible"
            )
            for i in range(fields.count()):
                fields.nth(i).fill(PAYLOADS[filled % 2])
                filled += 1
        assert filled
        page.locator("[data-checker][data-result]:not([data-result=ok])").wait_for(timeout=CHECK_MS)
        page.wait_for_timeout(500)
        assert (
            page.locator("[data-results] img, [data-results] script, [data-questions] img, [data-form] img").count()
            == 0
        )
        assert page.locator("img[src=x]").count() == 0 and page.title() != "xss"
        page.close()
    context.close()
    assert not recorder.foreign(), recorder.foreign()


def test_a_call_page_starts_its_checker_without_waiting_for_the_service_worker(chromium, site_url, calls):
    """A first visit: the reader only reads (no scroll, no click), and the worker is created at
    once, while no service worker controls the page yet (the offline copy is made afterwards)."""
    context = chromium.new_context()
    context.add_init_script("""(() => {
        const Native = window.Worker;
        window.__workers = [];
        window.Worker = class extends Native {
            constructor(url, options) {
                super(url, options);
                window.__workers.push({ url: String(url), controlled: Boolean(navigator.serviceWorker?.controller) });
            }
        };
    })()""")
    page = context.new_page()
    page.goto(site_url + calls[0].page)
    page.locator("[data-checker][data-runtime=ready]").wait_for(timeout=READY_MS)
    workers = [w for w in page.evaluate("window.__workers") if "checker-worker" in w["url"]]
    assert [w["controlled"] for w in workers] == [False], workers
    context.close()


# Records when the page registers its service worker, and when its checker posts "ready".
REGISTRATIONS = """(() => {
    window.__registered = [];
    const container = navigator.serviceWorker;
    if (!container) return;
    const native = container.register.bind(container);
    container.register = (...args) => {
        const section = document.querySelector("[data-checker]");
        window.__registered.push({ at: performance.now(), runtime: section ? section.dataset.runtime : null });
        return native(...args);
    };
})()"""


def test_a_call_page_installs_its_service_worker_once_its_checker_is_ready(chromium, site_url, calls):
    """The service worker's install precaches the site: on a call page it would compete with
    Python's boot on a first visit, so it waits for the checker (bench/bench_readiness.py)."""
    context = chromium.new_context()
    context.add_init_script(REGISTRATIONS)
    page = context.new_page()
    page.goto(site_url + calls[0].page)
    page.locator("[data-checker][data-runtime=ready]").wait_for(timeout=READY_MS)
    page.wait_for_function("window.__registered.length > 0", timeout=READY_MS)
    assert [r["runtime"] for r in page.evaluate("window.__registered")] == ["ready"]
    context.close()


def test_a_text_page_installs_its_service_worker_once_loaded(chromium, site_url):
    context = chromium.new_context()
    context.add_init_script(REGISTRATIONS)
    page = context.new_page()
    page.goto(site_url + "a-propos/")
    page.wait_for_function("window.__registered.length > 0", timeout=READY_MS)
    assert [r["runtime"] for r in page.evaluate("window.__registered")] == [None]
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.close()


def test_checker_works_offline_after_a_first_visit(chromium, site_url, calls):
    call = calls[0]
    context = chromium.new_context()
    recorder = Recorder(context, site_url)
    page = open_form(context, site_url + call.page)
    # `ready` resolves once the worker is active, i.e. after it has precached the site.
    active = page.evaluate(
        "Promise.race([navigator.serviceWorker.ready.then(() => true),"
        " new Promise((resolve) => setTimeout(() => resolve(false), 60000))])"
    )
    assert active, "no service worker became active within a minute: the site cannot work offline"
    # The worker started before the service worker controlled the page: the page then asks the
    # service worker to keep every runtime file (runtime-size.json lists them). Wait for them all.
    missing = page.evaluate(RUNTIME_KEPT_JS, site_url)
    assert missing == [], f"runtime files the service worker did not keep within a minute: {missing}"
    context.set_offline(True)
    page.reload()
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    assert page.locator("[data-checker]").get_attribute("data-runtime") == "ready"
    import_file(page, eligible_fixture(call.id))
    wait_verdict(page, "ok")
    context.close()
    assert not recorder.foreign(), recorder.foreign()


def test_text_pages_never_download_the_checker(chromium, site_url):
    """Pyodide loads only when a reader reaches a form (timings: bench/bench_browser.py)."""
    context = chromium.new_context(service_workers="block")
    recorder = Recorder(context, site_url)
    for path in ("", "a-propos/", "accessibilite/"):
        page = context.new_page()
        page.goto(site_url + path, wait_until="networkidle")
        page.close()
    context.close()
    assert recorder.urls and not [u for u in recorder.urls if "/pyodide/" in u or u.endswith("checker-worker.js")]


def test_instant_navigation_keeps_one_checker_for_the_visit(chromium, site_url, calls):
    """mkdocs-material's instant navigation keeps the document: the next call page reuses the
    worker the first one started, and the runtime is downloaded once."""
    first, second = calls[0], calls[1]
    context = chromium.new_context(service_workers="block")
    recorder = Recorder(context, site_url)
    page = open_form(context, site_url + first.page)
    page.locator(f"nav a.md-nav__link[href$='{second.page.rstrip('/').split('/')[-1]}/']").first.click()
    page.wait_for_url(f"**/{second.page}")
    page.locator(f"[data-checker='{second.id}'][data-runtime=ready]").wait_for(timeout=CHECK_MS)
    import_file(page, eligible_fixture(second.id))
    wait_verdict(page, "ok")
    workers = [u for u in recorder.urls if u.endswith("checker-worker.js")]
    wasm = [u for u in recorder.urls if u.endswith(".wasm")]
    assert len(workers) == 1 and len(wasm) == 1, (workers, wasm)
    assert page.errors == [], page.errors
    context.close()


def test_without_webassembly_the_form_is_still_filled_saved_and_exported(chromium, site_url, calls, tmp_path):
    call = calls[0]
    context = chromium.new_context(service_workers="block", accept_downloads=True)
    context.add_init_script("delete globalThis.WebAssembly")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + call.page)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator("[data-checker][data-runtime=failed]").wait_for(timeout=CHECK_MS)
    assert "WebAssembly" in page.locator("[data-progress]").text_content()
    assert "exporter" in page.locator("[data-progress]").text_content()
    page.locator('[data-pointer="/applicant/name"]').fill("Commune de Test")
    page.reload()
    page.locator("[data-form]").scroll_into_view_if_needed()
    assert page.locator('[data-pointer="/applicant/name"]').input_value() == "Commune de Test"
    with page.expect_download() as download:
        page.locator("[data-export]").click()
    exported = tmp_path / "sans-wasm.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text("utf-8"))["applicant"]["name"] == "Commune de Test"
    assert errors == [], errors
    context.close()


def test_printing_shows_the_dossier_and_its_verdicts_without_the_tools(chromium, site_url, calls):
    call = calls[0]
    context = chromium.new_context(service_workers="block")
    page = open_form(context, site_url + call.page)
    import_file(page, eligible_fixture(call.id))
    wait_verdict(page, "ok")
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")  # what the browser does before it prints
    assert page.locator("[data-results]").is_visible()
    assert page.locator("p[data-verdict]").is_visible()
    rules = page.locator("[data-rules] > li")
    assert rules.count() > 0
    folded = [rules.nth(i).get_attribute("data-rule") for i in range(rules.count()) if not rules.nth(i).is_visible()]
    assert not folded, f"verdicts left out of the printout (folded groups stay closed): {folded}"
    for step in step_ids(page):
        assert page.locator(f'[data-form-step="{step}"]').is_visible(), step
    assert page.locator('[data-form] [data-pointer="/applicant/name"]').is_visible()
    assert page.locator('[data-form] [data-pointer="/project/filing_date"]').is_visible()
    assert not page.locator("[data-tools]").is_visible()
    assert not page.locator(".md-header").is_visible()
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    context.close()


def exported(page, tmp_path: Path) -> dict:
    with page.expect_download() as download:
        page.locator("[data-export]").click()
    target = tmp_path / "export.json"
    download.value.save_as(target)
    return json.loads(target.read_text("utf-8"))


def error_paths(page) -> list[str]:
    """The pointers whose error shows in its field."""
    return page.locator("[data-form] [data-error-for]:not([hidden])").evaluate_all(
        "els => els.map(e => e.dataset.errorFor)"
    )


def test_parts_that_apply_only_in_some_cases_show_and_hide_with_the_answers(chromium, site_url, calls, tmp_path):
    """Pass numériques: the groupement block exists for a commune only (« les communes ne peuvent
    candidater qu'en groupement »), the porteur unique once it is a groupement; the ingénierie
    amounts once the annex is requested. A hidden part is neither sent nor required."""
    call = next(c for c in calls if c.id == "pass-numeriques-2020")
    context = chromium.new_context(service_workers="block", accept_downloads=True)
    page = open_form(context, site_url + call.page)
    kind = page.locator('[data-form] [data-pointer="/applicant/kind"]')
    grouping = page.locator('[data-field="/grouping"]')
    single = page.locator('[data-field="/grouping/single_porteur"]')
    engineering = page.locator('[data-field="/engineering/amount"]')

    kind.select_option("communaute_d_agglomeration")
    grouping.wait_for(state="hidden")
    kind.select_option("commune")
    grouping.wait_for(state="visible")
    assert grouping.locator("[data-required-marker]").first.is_visible()
    assert "grouping" not in exported(page, tmp_path)  # shown, not yet answered: « pas encore répondu » is not « non »
    page.locator("[data-check-all]").click()
    page.locator('[data-form] [data-error-for="/grouping"]:not([hidden])').wait_for(timeout=CHECK_MS)
    kind.select_option("departement")
    grouping.wait_for(state="hidden")
    settled(page)
    assert "grouping" not in exported(page, tmp_path)  # a hidden part is neither sent…
    assert not [p for p in error_paths(page) if p.startswith("/grouping")]  # …nor required
    assert "groupement de communes »" not in page.locator("[data-errors]").text_content()

    kind.select_option("commune")
    grouping.wait_for(state="visible")
    assert not single.is_visible()
    answer_yes_no(page, "/grouping/applies_as_group", True)
    single.wait_for(state="visible")
    assert exported(page, tmp_path)["grouping"] == {"applies_as_group": True}
    page.locator('[data-form] [data-error-for="/grouping/single_porteur"]:not([hidden])').wait_for(timeout=CHECK_MS)
    answer_yes_no(page, "/grouping/applies_as_group", False)
    single.wait_for(state="hidden")
    settled(page)
    assert exported(page, tmp_path)["grouping"] == {"applies_as_group": False}
    assert "/grouping/single_porteur" not in error_paths(page)

    reveal(page, "/engineering/requested")
    assert not engineering.is_visible()
    answer_yes_no(page, "/engineering/requested", True)
    engineering.wait_for(state="visible")
    answer_yes_no(page, "/engineering/requested", False)
    engineering.wait_for(state="hidden")
    assert exported(page, tmp_path)["engineering"] == {"requested": False}
    assert page.errors == [], page.errors
    context.close()


def test_filled_forms_with_results_and_errors_pass_axe_core(chromium, site_url, calls):
    """The states a reader reaches (verdicts, figures, field errors, added rows) stay WCAG 2.1 AA."""
    from axe_playwright_python.sync_playwright import Axe
    from test_site_browser import AXE_TAGS

    axe = Axe()
    context = chromium.new_context(service_workers="block", bypass_csp=True)
    violations = []
    for call in calls:
        page = open_form(context, site_url + call.page)
        path, rule = failing_fixture(call.id)
        import_file(page, path)
        page.locator(f'[data-rules] > li[data-rule="{rule}"][data-status=ko]').wait_for(timeout=CHECK_MS)
        page.locator('[data-pointer="/applicant/name"]').fill("")
        page.locator('[data-error-for="/applicant/name"]:not([hidden])').wait_for(timeout=CHECK_MS)
        results = axe.run(
            page,
            context="[data-checker]",
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations += [
            f"{call.id}: {v['id']} {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        page.close()
    context.close()
    assert not violations, "\n".join(violations)


def test_a_rule_links_to_its_clause_rows_work_by_keyboard_and_clearing_asks_first(chromium, site_url, calls):
    call = next(c for c in calls if c.id == "fitn7-saone-et-loire")
    context = chromium.new_context(service_workers="block")
    page = context.new_page()
    page.on("dialog", lambda d: d.dismiss())  # the reader answers « Annuler »
    page.goto(site_url + call.page)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator("[data-checker][data-runtime=ready]").wait_for(timeout=READY_MS)
    import_file(page, eligible_fixture(call.id))
    wait_verdict(page, "ok")

    unfold_results(page)  # an eligible dossier's conditions are folded under « Conditions remplies »
    link = page.locator("[data-rules] > li[data-rule='fitn7.territoire'] a[data-clause]")
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    page.locator(".clause-highlight").wait_for()
    assert page.evaluate("document.activeElement.id") == anchor
    assert page.locator(f"[id='{anchor}']").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )

    reveal(page, "/budget/expenses")
    rows = page.locator('[data-group=array][data-pointer="/budget/expenses"] > [data-rows] > *')
    before = rows.count()
    page.locator('[data-add-row="/budget/expenses"]').focus()
    page.keyboard.press("Enter")
    assert rows.count() == before + 1
    assert page.evaluate("document.activeElement.dataset.pointer") == f"/budget/expenses/{before}/label"
    rows.nth(before).locator("[data-remove-row]").focus()
    page.keyboard.press("Enter")
    assert rows.count() == before
    wait_verdict(page, "ok")

    name = page.locator('[data-form] [data-pointer="/applicant/name"]').input_value()
    page.locator("[data-clear]").click()
    assert page.locator('[data-form] [data-pointer="/applicant/name"]').input_value() == name, (
        "clearing without confirmation"
    )
    context.close()
