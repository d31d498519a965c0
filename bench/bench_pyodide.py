"""Browser runtime benchmark, under Node: startup (Pyodide core, vendored packages, checker
import), one check (median of 50), the sizes, and the ratio startup / check.

    .venv/bin/python bench/bench_pyodide.py [DOSSIER.json]   (default: the first fixture dossier)

It prints numbers; it asserts nothing about time. Compared with CPython on the same dossier.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools" / "vendor"))  # tools/ is not a package
RUNS = 50

import vendor  # noqa: E402


def cpython_check_ms(call: str, text: str) -> float:
    from checker.bridge import run

    run(call, text)  # imports and caches, as the worker's warm-up does
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run(call, text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    fixtures = sorted(
        p for p in (ROOT / "tests" / "dossiers").glob("*/*.json") if not p.name.endswith(".expected.json")
    )
    dossier = Path(argv[0]) if argv else (fixtures[0] if fixtures else None)
    if dossier is None:
        print("no dossier: pass one, or add fixtures under tests/dossiers/", file=sys.stderr)
        return 2
    call = dossier.parent.name
    with tempfile.TemporaryDirectory(prefix="bench-pyodide-") as site:
        start = time.perf_counter()
        core, vendored = vendor.stage(Path(site))
        staging_s = time.perf_counter() - start
        result = subprocess.run(
            ["node", str(ROOT / "tests" / "node" / "bench.mjs"), site, call, str(dossier), str(RUNS)],
            capture_output=True,
            text=True,
            check=True,
        )
    m = json.loads(result.stdout.strip().splitlines()[-1])
    startup = m["core_ms"] + m["packages_ms"] + m["import_ms"]
    check = statistics.median(m["checks_ms"])
    print(f"dossier: {dossier.relative_to(ROOT)} (call {call})")
    print(f"runtime: Pyodide {m['versions']['pyodide']}, Python {m['versions']['python']}, Node {node_version()}")
    print(f"staging assets/pyodide (cached wheels): {staging_s:.2f} s")
    print("\n".join(vendor.report(core, vendored)))
    print(
        f"startup: core {m['core_ms']:.0f} ms + packages {m['packages_ms']:.0f} ms + import {m['import_ms']:.0f} ms"
        f" = {startup:.0f} ms"
    )
    print(
        f"check: median {check:.1f} ms over {RUNS} (min {min(m['checks_ms']):.1f}, max {max(m['checks_ms']):.1f});"
        f" first {m['checks_ms'][0]:.1f} ms"
    )
    cpython = cpython_check_ms(call, dossier.read_text("utf-8"))
    print(f"CPython {sys.version.split()[0]} check: median {cpython:.1f} ms; Pyodide / CPython: {check / cpython:.1f}×")
    print(f"ratio startup / check: {startup / check:.0f}")
    return 0


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
