"""Build hook: the checker's browser runtime and the offline service worker, after the build.

on_post_build puts under site/assets/pyodide/ Pyodide's core (from node_modules, installed by
`npm ci`), the vendored wheels and the site-local pyodide-lock.json (tools/vendor/vendor.py,
cached in build/vendor/), prints each part's size raw and gzip against the budget, then
generates site/sw.js with Workbox (tools/sw/generate.mjs), precaching the whole site.

Without `npm ci` the build fails and says which command to run: a site whose checker cannot
start must not be published silently.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = ROOT / "tools" / "vendor"
SW_SCRIPT = ROOT / "tools" / "sw" / "generate.mjs"
SW_CACHE = ROOT / "build" / "sw"
WORKBOX = ROOT / "node_modules" / "workbox-build" / "package.json"
log = logging.getLogger("mkdocs.hooks.vendor_runtime")
_serving = False

# During `mkdocs serve`, a precaching worker would show yesterday's pages after every edit:
# the dev server gets a worker that removes itself and its caches instead.
KILL_SWITCH = """// mkdocs serve: no offline cache while editing; this worker removes itself and its caches.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const key of await caches.keys()) await caches.delete(key);
  await self.registration.unregister();
})()));
"""


def _vendor():
    """tools/vendor/vendor.py (tools/ is not a package: its folder goes on the path)."""
    if str(VENDOR_DIR) not in sys.path:
        sys.path.insert(0, str(VENDOR_DIR))
    import vendor

    return vendor


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


@event_priority(-100)  # last: the worker precaches the finished site (csp.py, search_fr.py… write to it first)
def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    vendor = _vendor()
    started = time.perf_counter()
    try:
        core, vendored = vendor.install(site)
    except vendor.VendorError as error:
        raise PluginError(f"vendor_runtime: {error}") from None
    for line in vendor.report(core, vendored):
        log.info(line)
    log.info(f"Runtime vendored into {vendor.RUNTIME_DIR}/ in {time.perf_counter() - started:.2f} s")
    runtime_size(site / vendor.RUNTIME_DIR)
    started = time.perf_counter()
    if _serving:
        (site / "sw.js").write_text(KILL_SWITCH, "utf-8")
        return
    count = service_worker(site)
    log.info(f"Service worker: sw.js precaches {count} in {time.perf_counter() - started:.2f} s")


# What the worker fetches (its scripts come by import(), not by fetch, and are not counted).
FETCHED = ("*.wasm", "*.zip", "*.whl", "pyodide-lock.json")


def runtime_size(runtime: Path) -> None:
    """runtime-size.json: the bytes the checker's worker fetches, for the form's progress bar;
    every file of the runtime, which the page asks the service worker to keep for offline use; and
    the SHA-256 of them all (names and bytes), which names the worker's memory snapshots: a
    snapshot is only ever restored into the very runtime that made it."""
    total = sum(p.stat().st_size for pattern in FETCHED for p in runtime.glob(pattern))
    present = sorted(p for p in runtime.iterdir() if p.is_file() and p.name != "runtime-size.json")
    digest = hashlib.sha256()
    for path in present:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    files = sorted([p.name for p in present] + ["runtime-size.json"])
    sizes = {"bytes": total, "files": files, "sha256": digest.hexdigest()}
    (runtime / "runtime-size.json").write_text(json.dumps(sizes), "utf-8")


def service_worker(site: Path) -> str:
    """Run Workbox's generateSW, or reuse its output when the site's files have not changed."""
    if not WORKBOX.is_file():
        raise PluginError(
            f"vendor_runtime: workbox-build absent de node_modules / missing: {_vendor().HOW_TO_INSTALL}."
        )
    if shutil.which("node") is None:
        raise PluginError("vendor_runtime: Node.js (>= 20) est requis / is required to build the service worker.")
    key = _site_digest(site)
    cached = SW_CACHE / f"sw-{key}.js"
    if cached.is_file():
        shutil.copyfile(cached, site / "sw.js")
        return "the unchanged site (cached)"
    result = subprocess.run(["node", str(SW_SCRIPT), str(site)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise PluginError(f"vendor_runtime: la génération de sw.js a échoué / failed:\n{result.stderr[-3000:]}")
    for line in result.stderr.splitlines():
        log.warning(line)
    SW_CACHE.mkdir(parents=True, exist_ok=True)
    for old in SW_CACHE.glob("sw-*.js"):
        old.unlink()
    shutil.copyfile(site / "sw.js", cached)
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    return f"{stats['count']} files ({_vendor().kb(stats['size'])})"


def _site_digest(site: Path) -> str:
    """Every file's path and bytes (sw.js aside), plus the generator and Workbox's version."""
    h = hashlib.sha256(SW_SCRIPT.read_bytes() + WORKBOX.read_bytes())
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != "sw.js"):
        h.update(path.relative_to(site).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:20]
