"""The checker in Chromium, as a reader meets it: bytes of a text page and of a call page, time to
"checker ready" on a first visit, with the HTTP cache, and from the service worker's cache
(network off), then one check (median of the round trip page → worker → page). Baselines in the
same run: the text page for bytes, the first visit for start-up, CPython for one check.

    .venv/bin/python bench/bench_browser.py [--site DIR]   (default: builds the site into a temp dir)

Prints numbers and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, RUNTIME_KEPT_JS, SUBPATH, _SubPathHandler, build_site  # noqa: E402

from checker.engine import all_calls, check  # noqa: E402
from checker.schemas import load_json  # noqa: E402

CALL = "fitn7-saone-et-loire"
DOSSIER = next(
    e.with_name(e.name.replace(".expected.json", ".json"))  # the first eligible fixture
    for e in sorted((ROOT / "tests" / "dossiers" / CALL).glob("*.expected.json"))
    if json.loads(e.read_text("utf-8"))["eligible"] is True
)
CHECKS = 20
READY = "[data-checker][data-runtime=ready]"
READY_MS = 300_000


class Bytes:
    """The files a browser context downloaded, weighed as served raw and as GitHub Pages serves
    them (gzip): the test server does not compress, so sizes come from the built files."""

    def __init__(self, context, site: Path, url: str):
        self.site, self.url = site, url
        self.urls: list[str] = []
        context.on("requestfinished", lambda request: self.urls.append(request.url))

    def files(self) -> list[Path]:
        found = []
        for u in dict.fromkeys(self.urls):
            path = u.split("?")[0].split("#")[0].removeprefix(self.url)
            file = self.site / path
            found.append(file / "index.html" if file.is_dir() else file)
        return [f for f in found if f.is_file()]

    def sizes(self) -> tuple[int, int]:
        data = [f.read_bytes() for f in self.files()]
        return sum(map(len, data)), sum(len(gzip.compress(d, 6)) for d in data)


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", server


def time_to_ready(page, url: str, reload: bool = False) -> float:
    t0 = time.monotonic()
    page.reload() if reload else page.goto(url)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator(READY).wait_for(timeout=READY_MS)
    return time.monotonic() - t0


def check_round_trips(page, url: str, dossier: dict) -> list[float]:
    # The page's own module instance (same URL), so the worker already started is the one measured.
    return page.evaluate(
        """async ([client, call, dossier, n]) => {
        const { getChecker } = await import(client);
        const checker = getChecker();
        await checker.ready;
        const times = [];
        for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            await checker.check(call, dossier);
            times.push(performance.now() - t0);
        }
        return times;
    }""",
        [url + "assets/javascripts/checker-client.js", CALL, dossier, CHECKS],
    )


def cpython_check_ms(dossier_text: str) -> float:
    times = []
    for _ in range(CHECKS):
        t0 = time.perf_counter()
        check(CALL, load_json(dossier_text))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path)
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="site-"))
        result = build_site(site)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return 2
    url, server = serve(site)
    page_path = all_calls()[CALL].page
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        context = browser.new_context(service_workers="block")
        text = Bytes(context, site, url)
        context.new_page().goto(url + "a-propos/", wait_until="networkidle")
        pyodide_on_text_page = any("pyodide" in u for u in text.urls)
        context.close()

        context = browser.new_context(service_workers="block")
        call = Bytes(context, site, url)
        page = context.new_page()
        first = time_to_ready(page, url + page_path)
        page.wait_for_load_state("networkidle")
        call_raw, call_gz = call.sizes()
        http_cached = time_to_ready(page, url + page_path, reload=True)
        round_trips = check_round_trips(page, url, json.loads(DOSSIER.read_text("utf-8")))
        context.close()

        context = browser.new_context()
        page = context.new_page()
        time_to_ready(page, url + page_path)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.evaluate(RUNTIME_KEPT_JS, url)  # the copy the page asks for once the checker is ready
        context.set_offline(True)
        offline = time_to_ready(page, url + page_path, reload=True)
        context.close()
        browser.close()
    server.shutdown()

    check_ms = statistics.median(round_trips)
    cpython = cpython_check_ms(DOSSIER.read_text("utf-8"))
    print(f"Chromium {CHROMIUM}, site {site}")
    text_raw, text_gz = text.sizes()
    print(
        f"text page (a-propos/): {text_raw / 1024:.0f} KiB raw, {text_gz / 1024:.0f} KiB gzip;"
        f" Pyodide downloaded: {'yes' if pyodide_on_text_page else 'no'}"
    )
    print(
        f"call page with the checker: {call_raw / 1024:.0f} KiB raw, {call_gz / 1024:.0f} KiB gzip"
        f" ({call_gz / text_gz:.0f}× the text page)"
    )
    heaviest = sorted(call.files(), key=lambda f: -f.stat().st_size)[:5]
    print(
        "heaviest files of the call page: "
        + ", ".join(f"{f.relative_to(site)} {f.stat().st_size / 1024:.0f} KiB" for f in heaviest)
    )
    print(
        f"checker ready: first visit {first:.1f} s; HTTP cache {http_cached:.1f} s ({http_cached / first:.2f}×);"
        f" service worker, network off {offline:.1f} s ({offline / first:.2f}×)"
    )
    print(
        f"one check ({CALL}, round trip): median {check_ms:.1f} ms over {CHECKS}"
        f" (min {min(round_trips):.1f}, max {max(round_trips):.1f}); CPython {cpython:.1f} ms;"
        f" Chromium / CPython {check_ms / cpython:.1f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
