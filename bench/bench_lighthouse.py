"""Lighthouse (npm `lighthouse`, mobile preset, simulated throttling) on the home page, a call page
and the finder: the four scores of each page (performance, accessibility, best practices, SEO),
with the metrics and the audits that cost performance. Median of --runs runs per page.

    .venv/bin/python bench/bench_lighthouse.py [--site DIR] [--runs 3] [--page appels/…/] [--raw]

The site is served under its sub-path as GitHub Pages serves it: compressed (gzip) when the
browser asks, with the sitemap naming this server (tests/conftest.py's stand-in); --raw serves
it uncompressed, as the tests' server does. Lighthouse runs
Debian's Chromium (CHROME_PATH=/usr/bin/chromium) and never downloads a browser.

Prints numbers; asserts nothing about time (scores vary from run to run on a busy machine).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, SUBPATH, _SubPathHandler, build_site  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"accueil": "", "page d'appel": "appels/fitn7-saone-et-loire/", "trouver": "trouver/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".py", ".wasm")


class _GzipHandler(_SubPathHandler):
    """The tests' sub-path server, compressing text files as GitHub Pages does."""

    def send_head(self):
        path = self.path.split("?")[0].split("#")[0]
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            local = local / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants or not local.is_file() or not local.name.endswith(COMPRESSED) or path.endswith("sitemap.xml"):
            return super().send_head()
        body = gzip.compress(local.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(local)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, raw: bool = False) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = _SubPathHandler if raw else _GzipHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", server


def lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    return json.loads(out.read_text("utf-8"))


def summary(report: dict) -> dict:
    audits = report["audits"]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    metrics = {m: audits[m]["displayValue"] for m in METRICS if m in audits}
    costs = {}
    for audit in ("render-blocking-resources", "unused-css-rules", "unused-javascript"):
        details = audits.get(audit, {}).get("details") or {}
        items = details.get("items") or []
        costs[audit] = (
            audits[audit].get("displayValue") or "",
            [i.get("url", "").rsplit("/", 1)[-1] for i in items][:6],
        )
    dom = audits.get("dom-size", {}).get("numericValue")
    failed = [
        f"{c}: {a['id']}"
        for c in CATEGORIES[1:]
        for a in report["categories"][c]["auditRefs"]
        if a.get("weight") and audits[a["id"]]["score"] is not None and audits[a["id"]]["score"] < 1
    ]
    return {"scores": scores, "metrics": metrics, "costs": costs, "dom": dom, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temp dir)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", action="append", help="a page path instead of the three (repeatable)")
    parser.add_argument(
        "--raw", action="store_true", help="serve uncompressed (the tests' server), not as GitHub Pages"
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse is missing: run `npm ci`.")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            result = build_site(site)
            if result.returncode:
                sys.exit(result.stderr)
        url, server = serve(site, args.raw)
        pages = {p: p for p in args.page} if args.page else PAGES
        try:
            for name, path in pages.items():
                runs = [summary(lighthouse(url + path, Path(tmp) / f"lh-{i}.json")) for i in range(args.runs)]
                median = {c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES}
                print(
                    f"{name} ({path or '/'}) — médiane de {len(runs)} : "
                    + ", ".join(f"{c} {median[c]:g}" for c in CATEGORIES)
                    + f"  [performance par essai : {', '.join(str(r['scores']['performance']) for r in runs)}]"
                )
                last = runs[-1]
                print(
                    "   " + ", ".join(f"{k} {v}" for k, v in last["metrics"].items()) + f", DOM {last['dom']:g} nœuds"
                )
                for audit, (value, files) in last["costs"].items():
                    if value or files:
                        print(f"   {audit}: {value} {files}")
                for failed in last["failed"]:
                    print(f"   audit non réussi : {failed}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
