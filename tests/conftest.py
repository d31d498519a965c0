"""Shared fixtures: the built site (once per session), served under a sub-path, and Chromium."""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPATH = "/appels-numeriques/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
]

# In a page of the site: wait (up to a minute) until the service worker holds every runtime file
# runtime-size.json lists, the copy the page asks it to make once the checker is ready
# (checker-client.js); resolves to the names still missing ([] once all are kept). The argument
# is the site root's URL.
RUNTIME_KEPT_JS = """async (root) => {
    const { files } = await (await fetch(root + "assets/pyodide/runtime-size.json")).json();
    let absent = files;
    for (let i = 0; i < 600 && absent.length; i++) {
        if (i) await new Promise((resolve) => setTimeout(resolve, 100));
        const held = new Set();
        for (const key of (await caches.keys()).filter((k) => k.includes("runtime"))) {
            const cache = await caches.open(key);
            for (const name of files) if (await cache.match(root + "assets/pyodide/" + name)) held.add(name);
        }
        absent = files.filter((name) => !held.has(name));
    }
    return absent;
}"""


def _hypothesis_profiles() -> None:
    """Property-based tests (tests/test_robustness.py): "default" is short and the same on every
    run (a few seconds in all); HYPOTHESIS_PROFILE=long runs thousands of random examples."""
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # a venv not yet updated from requirements.txt: the other tests still run
        return
    quiet = [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ]
    settings.register_profile(
        "default",
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=quiet,
        print_blob=True,
    )
    settings.register_profile(
        "long", max_examples=2000, deadline=None, database=None, suppress_health_check=quiet, print_blob=True
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


_hypothesis_profiles()


def build_site(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once with --strict (or SITE_DIR, when the test command already built it)."""
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
    target = tmp_path_factory.mktemp("site")
    result = build_site(target)
    assert result.returncode == 0, result.stderr
    return target


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
    }

    def translate_path(self, path):
        if not path.startswith(SUBPATH):
            return "/nonexistent-outside-subpath"
        return super().translate_path("/" + path[len(SUBPATH) :])

    def send_head(self):
        # The sitemap names the deployed host (site_url), or, built without SITE_URL, each page
        # relative to the site root; GitHub Pages serves it from that host, so this stand-in
        # names its own: instant navigation only follows links the sitemap lists.
        if self.path.split("?")[0] == SUBPATH + "sitemap.xml":
            text = Path(self.translate_path(self.path)).read_text("utf-8")
            host = f"http://{self.headers['Host']}"
            body = re.sub(
                r"<loc>([^<]*)</loc>",
                lambda m: (
                    "<loc>"
                    + (
                        re.sub(r"^https?://[^/]+", host, m[1])
                        if re.match(r"https?://", m[1])
                        else urljoin(host + SUBPATH, m[1])
                    )
                    + "</loc>"
                ),
                text,
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """Base URL of the built site served under a sub-path, as GitHub Pages serves a project."""
    handler = functools.partial(_SubPathHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run the README's test command (it installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def site_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to its root ('' for the home page)."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if rel.startswith("assets"):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
