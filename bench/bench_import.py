"""Importing a dossier file into a call's form, in Chromium: time from choosing the file to every
line in the form, and to the checker's report on screen, for 20 budget lines (the baseline, in
the same run) and 200 (the schema's limit).

    .venv/bin/python bench/bench_import.py [--site DIR]   (default: builds the site into a temp dir)

Prints numbers and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_browser import CALL, CHROMIUM, CHROMIUM_ARGS, DOSSIER, READY, READY_MS, build_site, serve  # noqa: E402

SIZES = (20, 200)
RUNS = 3


def dossier_with(lines: int, folder: Path) -> Path:
    data = json.loads(DOSSIER.read_text("utf-8"))
    data["budget"]["expenses"] = [{"label": f"Poste {i}", "amount": 100} for i in range(lines)]
    path = folder / f"{lines}.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def one_import(browser, url: str, path: Path, lines: int) -> tuple[float, float]:
    context = browser.new_context(service_workers="block", bypass_csp=True)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(url)
    page.locator("[data-form]").scroll_into_view_if_needed()
    page.locator(READY).wait_for(timeout=READY_MS)
    checks = int(page.locator("[data-checker]").get_attribute("data-checks") or 0)
    started = time.perf_counter()
    page.locator("[data-import]").set_input_files(str(path))
    page.wait_for_function(f"document.querySelectorAll('[data-rows=\"/budget/expenses\"] > *').length === {lines}")
    in_form = time.perf_counter() - started
    page.wait_for_function(
        f"Number(document.querySelector('[data-checker]').dataset.checks) > {checks}"
        " && !document.querySelector('[data-checker]').dataset.pending"
    )
    reported = time.perf_counter() - started
    context.close()
    return in_form, reported


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = args.site or folder / "site"
        if not args.site:
            build_site(site)
        url, server = serve(site)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results = {}
            for lines in SIZES:
                runs = [
                    one_import(browser, url + f"appels/{CALL}/", dossier_with(lines, folder), lines)
                    for _ in range(RUNS)
                ]
                results[lines] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            browser.close()
        server.shutdown()
    base = results[SIZES[0]]
    for lines, (in_form, reported) in results.items():
        print(
            f"{lines:4} lignes : dans le formulaire {in_form:.2f} s ({in_form / base[0]:.1f} ×), "
            f"rapport affiché {reported:.2f} s ({reported / base[1]:.1f} ×)  [médiane de {RUNS}]"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
