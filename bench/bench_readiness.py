"""How soon the checker is ready on a call page, against the floor it is judged by: bare Pyodide
with jsonschema, built in this run from the site's own vendored core and wheels.

The baseline page boots the same Pyodide core in a module worker, loads only jsonschema and its
dependencies from a site-local lockfile (the site's, cut down to them) and validates one small
object. It is built twice: with the site's core as it is (its python_stdlib.zip holds bytecode for
the modules a start imports: tools/vendor/compile_pyc.mjs), and with Pyodide's archive as
published (sources only), the « bare Pyodide » the site is judged against. All are served by one
local server and opened in turn in cold Chromium contexts. Printed:
- first visit: the medians, the call page's ratio to each baseline (the call page: navigation →
  « Vérificateur prêt », with the form scrolled into view as soon as the page is parsed);
- repeat visit (the same context: service worker and HTTP cache), network on and off, against
  the baseline's cold median;
- the wait for the first result of a reader who reads for 3 s, then types in the form;
- the project's time, from the worker's own marks: waiting, boot, wheels, imports, first check.

    .venv/bin/python bench/bench_readiness.py [--site DIR] [--pairs 5] [--call fitn7-saone-et-loire]

Prints numbers and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, RUNTIME_KEPT_JS, SUBPATH, _SubPathHandler, build_site  # noqa: E402

BASELINE = "/baseline/"
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
TIMEOUT_MS = 300_000
READ_FOR_MS = 3000

BASELINE_PAGE = """<!doctype html><html lang="fr"><meta charset="utf-8"><title>Pyodide + jsonschema</title>
<p>Pyodide + jsonschema</p>
<script type="module">
const worker = new Worker(new URL("worker.js", location.href), { type: "module" });
worker.onmessage = ({ data }) => {
  if (data.ready) document.documentElement.dataset.readyAt = String(performance.now());
  else document.documentElement.dataset.failed = data.error;
};
</script>
"""
BASELINE_WORKER = """const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", location.href).href);
try {
  const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  await pyodide.loadPackage(["jsonschema"], { messageCallback: () => {} });
  pyodide.runPython("import jsonschema; jsonschema.validate({'a': 1}, {'type': 'object'})");
  self.postMessage({ ready: true });
} catch (error) {
  self.postMessage({ ready: false, error: String(error) });
}
"""

# Run in every page before its scripts: when the checker's section says « ready », and when the
# reader's first keystroke and the first result after it happen, on the page's own clock.
WATCH = """(() => {
  const marks = (window.__bench = {});
  new MutationObserver(() => {
    const section = document.querySelector("[data-checker]");
    if (!section) return;
    if (section.dataset.runtime === "ready" && marks.readyAt === undefined) {
      marks.readyAt = performance.now();
      marks.worker = section.dataset.readyMarks ? JSON.parse(section.dataset.readyMarks) : null;
    }
    if (marks.typedAt !== undefined && marks.resultAt === undefined && section.dataset.checks && !section.dataset.pending) {
      marks.resultAt = performance.now();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-runtime", "data-checks", "data-pending", "data-ready-marks"] });
  addEventListener("input", () => {
    if (marks.typedAt === undefined) marks.typedAt = performance.now();
    if (marks.resultAt === undefined) marks.lastTypedAt = performance.now();
  }, true);
})();"""


PUBLISHED_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"


# Wait (up to a minute) until the worker has saved its memory snapshot (checker-worker.js).
SNAPSHOT_SAVED_JS = """async () => {
    for (let i = 0; i < 600; i++, await new Promise((resolve) => setTimeout(resolve, 100))) {
        const cache = await caches.open("checker-memory-snapshots");
        if ((await cache.keys()).length) return true;
    }
    return false;
}"""


def build_baseline(site: Path, target: Path, stdlib: Path | None = None) -> None:
    """Pyodide's core and the jsonschema closure of the site's lockfile, nothing else; the core's
    standard library archive replaced by `stdlib` when given."""
    runtime = site / "assets" / "pyodide"
    lock = json.loads((runtime / "pyodide-lock.json").read_text("utf-8"))
    wanted, todo = set(), ["jsonschema"]
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(lock["packages"][name]["depends"])
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in wanted}
    folder = target / "pyodide"
    folder.mkdir(parents=True)
    for name in CORE:
        shutil.copyfile(stdlib if stdlib and name == "python_stdlib.zip" else runtime / name, folder / name)
    for package in lock["packages"].values():
        shutil.copyfile(runtime / package["file_name"], folder / package["file_name"])
    (folder / "pyodide-lock.json").write_text(json.dumps(lock), "utf-8")
    (target / "index.html").write_text(BASELINE_PAGE, "utf-8")
    (target / "worker.js").write_text(BASELINE_WORKER, "utf-8")


class Handler(_SubPathHandler):
    """The site under SUBPATH, as the tests serve it, and the baseline under BASELINE."""

    baseline_dir = ""

    def translate_path(self, path):
        if path.startswith(BASELINE):
            relative = unquote(path[len(BASELINE) :].split("?")[0].split("#")[0]) or "index.html"
            return str(Path(self.baseline_dir) / relative)
        return super().translate_path(path)


def serve(site: Path, baseline: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = type("BenchHandler", (Handler,), {"baseline_dir": str(baseline)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def baseline_ms(browser, url: str) -> float:
    context = browser.new_context(service_workers="block", bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "document.documentElement.dataset.readyAt || document.documentElement.dataset.failed", timeout=TIMEOUT_MS
    )
    failed = page.evaluate("document.documentElement.dataset.failed")
    if failed:
        raise SystemExit(f"baseline failed: {failed}")
    ms = float(page.evaluate("document.documentElement.dataset.readyAt"))
    context.close()
    return ms


def ready(page) -> dict:
    page.wait_for_function("window.__bench && window.__bench.readyAt !== undefined", timeout=TIMEOUT_MS)
    return page.evaluate("window.__bench")


def open_call_page(page, url: str) -> dict:
    page.goto(url, wait_until="domcontentloaded")
    page.locator("[data-form]").scroll_into_view_if_needed()
    return ready(page)


def call_page_visits(browser, url: str) -> tuple[dict, dict | None, dict | None]:
    """A cold first visit, then the same reader coming back, network on, then off."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(WATCH)
    page = context.new_page()
    first = open_call_page(page, url)
    repeat = offline = None
    try:
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.evaluate(RUNTIME_KEPT_JS, f"{url.split(SUBPATH)[0]}{SUBPATH}")  # asked for once the checker is ready
        page.evaluate(SNAPSHOT_SAVED_JS)  # saved in the background once the checker is ready
        page.close()
        page = context.new_page()
        repeat = open_call_page(page, url)
        page.close()
        context.set_offline(True)
        page = context.new_page()
        offline = open_call_page(page, url)
    except Exception as error:  # noqa: BLE001 — a failed repeat visit is printed, not fatal
        print(f"  (visite répétée impossible : {str(error).splitlines()[0]})")
    context.close()
    return first, repeat, offline


def wait_after_typing(browser, url: str) -> tuple[float, float]:
    """A reader who reads the top of the page for 3 s, then types a word in the form: the first
    result's delay after the first keystroke, and after the last (the form checks once the reader
    pauses: checker-page.js's DEBOUNCE_MS)."""
    context = browser.new_context(service_workers="block", bypass_csp=True)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    now = page.evaluate("performance.now()")
    page.wait_for_timeout(max(0, READ_FOR_MS - now))
    field = page.locator("[data-form] input[type=text]:visible").first
    field.click()
    field.press_sequentially("Projet", delay=30)
    page.wait_for_function("window.__bench.resultAt !== undefined", timeout=TIMEOUT_MS)
    marks = page.evaluate("window.__bench")
    context.close()
    return marks["resultAt"] - marks["typedAt"], marks["resultAt"] - marks["lastTypedAt"]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--call", default="fitn7-saone-et-loire")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-readiness-"))
    site = args.site
    if site is None:
        site = work / "site"
        result = build_site(site)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return 2
    build_baseline(site, work / "baseline" / "site-core")
    build_baseline(site, work / "baseline" / "published", stdlib=PUBLISHED_STDLIB)
    host, server = serve(site, work / "baseline")
    same_core, published = f"{host}{BASELINE}site-core/", f"{host}{BASELINE}published/"
    page_url = f"{host}{SUBPATH}{page_path(site, args.call)}"
    from playwright.sync_api import sync_playwright

    base, stock, cold, repeats, offlines, workers, waits, repeat_marks = [], [], [], [], [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        baseline_ms(browser, same_core)  # one unmeasured round: the disk cache of this machine
        baseline_ms(browser, published)
        for _ in range(args.pairs):
            base.append(baseline_ms(browser, same_core))
            stock.append(baseline_ms(browser, published))
            first, repeat, offline = call_page_visits(browser, page_url)
            cold.append(first["readyAt"])
            workers.append(first.get("worker"))
            if repeat:
                repeats.append(repeat["readyAt"])
                repeat_marks.append(repeat.get("worker"))
            if offline:
                offlines.append(offline["readyAt"])
        waits = [wait_after_typing(browser, page_url) for _ in range(3)]
        browser.close()
    server.shutdown()

    b, bp = median(base), median(stock)

    def ratios(values: list[float]) -> str:
        return f"→ {median(values) / bp:.2f}× bare Pyodide as published, {median(values) / b:.2f}× with the site's core"

    print(f"Chromium {CHROMIUM}; site {site}; call page {page_url}")
    print(f"baseline, Pyodide as published + jsonschema, cold: median {bp:.0f} ms  {fmt(stock)}")
    print(f"baseline, the site's core + jsonschema, cold:      median {b:.0f} ms  {fmt(base)}")
    print(f"call page, first visit:           median {median(cold):.0f} ms  {fmt(cold)}  {ratios(cold)}")
    print(
        f"call page, repeat visit:          median {median(repeats):.0f} ms  {fmt(repeats)}  {ratios(repeats)} (cold)"
    )
    print(
        f"call page, repeat visit offline:  median {median(offlines):.0f} ms  {fmt(offlines)}  {ratios(offlines)} (cold)"
    )
    firsts, lasts = [w[0] for w in waits], [w[1] for w in waits]
    print(
        f"read 3 s, then type a word: first result {median(firsts):.0f} ms after the first keystroke  {fmt(firsts)},"
        f" {median(lasts):.0f} ms after the last  {fmt(lasts)}"
    )
    marks = [w for w in workers if w]
    if marks:
        numbers = sorted({k for m in marks for k, v in m.items() if not isinstance(v, bool)})
        parts = ", ".join(f"{k} {median([m[k] for m in marks if k in m]):.0f} ms" for k in numbers)
        print(f"the project's time, first visit (worker marks, medians): {parts}")
    else:
        print("the project's time: this build's worker gives no marks")
    restored = [m for m in repeat_marks if m]
    if restored:
        numbers = sorted({k for m in restored for k, v in m.items() if not isinstance(v, bool)})
        parts = ", ".join(f"{k} {median([m[k] for m in restored if k in m]):.0f} ms" for k in numbers)
        print(
            f"repeat visit (worker marks, medians; from a memory snapshot in {sum(bool(m.get('snapshot')) for m in restored)}"
            f" of {len(restored)}): {parts}"
        )
    return 0


def page_path(site: Path, call_id: str) -> str:
    for index in site.rglob("index.html"):
        if f'data-checker="{call_id}"' in index.read_text("utf-8", errors="replace"):
            return index.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"no page of {call_id} in {site}")


def fmt(values: list[float]) -> str:
    return "[" + " / ".join(f"{v:.0f}" for v in values) + "]"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
