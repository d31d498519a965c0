"""Repeat visits start the checker from a memory snapshot (docs/assets/javascripts/checker-worker.js):
the first visit starts Python from scratch, then saves the worker's memory in Cache Storage; the next
one restores it. A restored checker must answer exactly as a fresh one, on every call's page, and a
snapshot that cannot be trusted must give way to a start from scratch, never to a wrong report.

One browser context plays the reader: a first visit of a call page (from scratch) checks every
fixture dossier of every call, through the page's own checker; later visits compare their reports,
as JSON text, with those. Its service worker is blocked: the snapshot does not depend on it. The
offline repeat visit has a context of its own, with the service worker."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import RUNTIME_KEPT_JS
from support import FINDER_QUESTIONS

from checker.engine import all_calls

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
READY_MS = 180_000  # a start from scratch on a busy 2-core machine
SAVED_MS = 60_000
SNAPSHOTS = "checker-memory-snapshots"  # the worker's Cache Storage cache

CASES = [
    (f"{p.parent.name}/{p.name}", p.parent.name, p.read_text("utf-8"))
    for p in sorted((ROOT / "tests" / "dossiers").glob("*/*.json"))
    if not p.name.endswith(".expected.json")
]
# The finder's questions (tests/support.py), as the page asks them: id, applicant, nature, amount.
FINDS = [(q["id"], q["find"]["applicant"], q["find"]["nature"], q["find"]["amount"]) for q in FINDER_QUESTIONS]

# Every case checked and every finder question asked by the page's checker (the module instance
# the page loaded: one worker per visit), each answer as the JSON text of what the worker posted,
# or the error's message.
REPORTS_JS = """async ([client, cases, finds]) => {
    const { getChecker } = await import(client);
    const checker = getChecker();
    await checker.ready;
    const out = {};
    const answer = async (id, promise) => {
        try { out[id] = JSON.stringify(await promise); } catch (error) { out[id] = "error: " + error.message; }
    };
    for (const [id, call, text] of cases) await answer(id, checker.check(call, JSON.parse(text)).then((r) => r.report));
    for (const [id, applicant, nature, amount] of finds) await answer("find: " + id, checker.find(applicant, nature, amount));
    return out;
}"""

# The snapshot stored, once there is one other than `unlike` (a digest): {url, digest, bytes}.
SAVED_JS = """async ([name, unlike, timeout]) => {
    for (const end = Date.now() + timeout; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
        const cache = await caches.open(name);
        const keys = (await cache.keys()).filter((request) => request.url.includes("/memory-snapshot/"));
        if (keys.length !== 1) continue;
        const response = await cache.match(keys[0]);
        const digest = response.headers.get("x-sha256");
        if (digest && digest !== unlike) return { url: keys[0].url, digest, bytes: (await response.arrayBuffer()).byteLength };
    }
    return null;
}"""

# Overwrite the stored snapshot with 1 MB of garbage, under its own digest (the bytes are altered)
# or under the garbage's digest (the digest check passes: Pyodide's restore itself must fail).
CORRUPT_JS = """async ([name, digestOfGarbage]) => {
    const cache = await caches.open(name);
    const [request] = (await cache.keys()).filter((r) => r.url.includes("/memory-snapshot/"));
    const garbage = new Uint8Array(1 << 20);
    for (let i = 0; i < garbage.length; i += 65536) crypto.getRandomValues(garbage.subarray(i, i + 65536));
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
    const digest = digestOfGarbage
        ? hex(await crypto.subtle.digest("SHA-256", garbage))
        : (await cache.match(request)).headers.get("x-sha256");
    await cache.put(request, new Response(garbage, { headers: { "x-sha256": digest } }));
    return digest;
}"""


def call_pages(built_site: Path) -> dict[str, str]:
    """Call id → the path of its page, for the calls whose page the site has."""
    return {
        c.id: c.page
        for c in sorted(all_calls().values(), key=lambda c: c.id)
        if (built_site / c.page / "index.html").exists()
    }


def visit(context, url: str) -> tuple:
    """Open a call page in a new tab; its checker's ready marks once ready."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    section = page.locator("[data-checker]")
    page.locator("[data-checker][data-runtime=ready], [data-checker][data-runtime=failed]").wait_for(timeout=READY_MS)
    assert section.get_attribute("data-runtime") == "ready", page.locator("[data-progress]").text_content()
    page.locator("[data-checker][data-ready-marks]").wait_for(state="attached")
    page.errors = errors
    return page, json.loads(section.get_attribute("data-ready-marks"))


def reports(page, site_url: str) -> dict[str, str]:
    return page.evaluate(REPORTS_JS, [site_url + "assets/javascripts/checker-client.js", CASES, FINDS])


def saved(page, unlike: str | None = None) -> dict:
    found = page.evaluate(SAVED_JS, [SNAPSHOTS, unlike, SAVED_MS])
    assert found, f"no snapshot saved within {SAVED_MS // 1000} s of the start from scratch"
    return found


@pytest.fixture(scope="module")
def reader(chromium, site_url, built_site):
    """A browser context after a first visit of the first call page: the reports of a start from
    scratch for every case, then the snapshot that visit saved."""
    pages = call_pages(built_site)
    assert len(pages) >= 2, "the snapshot is shared by call pages: two are needed"
    context = chromium.new_context(service_workers="block")
    first_call = next(iter(pages))
    page, marks = visit(context, site_url + pages[first_call])
    assert marks["snapshot"] is False, marks
    reference = reports(page, site_url)
    assert not [k for k, v in reference.items() if v.startswith("error: ")], reference
    assert len(json.loads(reference["find: (finder) Mâcon"])) >= 2, reference[
        "find: (finder) Mâcon"
    ]  # findings to compare
    snapshot = saved(page)
    page.close()
    yield {"context": context, "pages": pages, "first": first_call, "reference": reference, "snapshot": snapshot}
    context.close()


def test_the_first_visit_saves_a_snapshot_named_after_the_runtime(reader, built_site):
    runtime = built_site / "assets" / "pyodide"
    digest = hashlib.sha256()
    for path in sorted(p for p in runtime.iterdir() if p.is_file() and p.name != "runtime-size.json"):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    assert json.loads((runtime / "runtime-size.json").read_text("utf-8"))["sha256"] == digest.hexdigest()
    snapshot = reader["snapshot"]
    assert snapshot["url"].endswith("-" + digest.hexdigest()), snapshot["url"]
    assert "/assets/pyodide/memory-snapshot/" in snapshot["url"]
    assert 8_000_000 < snapshot["bytes"] < 200_000_000, snapshot  # Pyodide's memory, with the checker in it


def test_a_repeat_visit_restores_the_snapshot_and_reports_as_the_first_visit(reader, site_url):
    page, marks = visit(reader["context"], site_url + reader["pages"][reader["first"]])
    assert marks["snapshot"] is True and "snapshot_rejected" not in marks, marks
    assert {"read_snapshot", "restore_and_wheels", "imports_and_first_check"} <= marks.keys(), marks
    assert reports(page, site_url) == reader["reference"]
    assert page.errors == [], page.errors
    page.close()


def test_a_snapshot_made_on_one_call_page_serves_another_call_page(reader, site_url):
    """The snapshot holds the first page's call; another call's page imports its own rules after
    the restore (from the wheels installed again: a snapshot has no files), then every call's
    dossiers get the reports of the start from scratch."""
    other = [call for call in reader["pages"] if call != reader["first"]][0]
    page, marks = visit(reader["context"], site_url + reader["pages"][other])
    assert marks["snapshot"] is True and "snapshot_rejected" not in marks, marks
    assert reports(page, site_url) == reader["reference"]
    assert page.errors == [], page.errors
    page.close()


def test_the_finder_page_restores_the_snapshot_and_answers_as_a_call_page_from_scratch(reader, site_url):
    """The finder starts its checker with no call: after the restore, every call's rules are
    imported from the wheels installed again, and its findings are those of the first visit."""
    page = reader["context"].new_page()
    page.goto(site_url + "trouver/")
    answers = reports(page, site_url)  # starts the finder's checker if the page has not yet
    marks = page.evaluate(
        "async (client) => (await import(client)).getChecker().marks", site_url + "assets/javascripts/checker-client.js"
    )
    assert marks["snapshot"] is True and "snapshot_rejected" not in marks, marks
    assert answers == reader["reference"]
    page.close()


@pytest.mark.parametrize("digest_of_garbage", [False, True], ids=["altered-bytes", "garbage-with-its-digest"])
def test_a_corrupted_snapshot_falls_back_to_a_start_from_scratch_and_is_replaced(reader, site_url, digest_of_garbage):
    """Altered bytes fail the digest check; garbage under its own digest fails Pyodide's restore.
    Either way the visit starts from scratch, reports as the first one, and saves a sound snapshot
    in place of the bad one, which the next visit restores."""
    context, url = reader["context"], site_url + reader["pages"][reader["first"]]
    page = context.new_page()
    page.goto(site_url + "a-propos/")  # a text page: no checker running while the snapshot is spoilt
    # A sound snapshot is there (a previous test may still be saving one), then spoilt.
    page.evaluate(SAVED_JS, [SNAPSHOTS, None, SAVED_MS])
    bad = page.evaluate(CORRUPT_JS, [SNAPSHOTS, digest_of_garbage])
    page.close()

    page, marks = visit(context, url)
    assert marks["snapshot"] is False and "snapshot_rejected" in marks, marks
    assert reports(page, site_url) == reader["reference"]
    replaced = saved(page, unlike=bad)
    assert replaced["bytes"] > 8_000_000, replaced
    page.close()

    page, marks = visit(context, url)
    assert marks["snapshot"] is True and "snapshot_rejected" not in marks, marks
    page.close()


def test_an_offline_repeat_visit_restores_the_snapshot(chromium, reader, site_url):
    """The service worker keeps the runtime, the worker keeps its snapshot: offline, the key is
    still found (runtime-size.json comes from the service worker) and the snapshot restored."""
    context = chromium.new_context()
    url = site_url + reader["pages"][reader["first"]]
    page, marks = visit(context, url)
    assert marks["snapshot"] is False, marks
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate(RUNTIME_KEPT_JS, site_url) == [], "the service worker did not keep the runtime within a minute"
    saved(page)
    page.close()
    context.set_offline(True)
    page, marks = visit(context, url)
    assert marks["snapshot"] is True and "snapshot_rejected" not in marks, marks
    assert reports(page, site_url) == reader["reference"]
    context.close()
