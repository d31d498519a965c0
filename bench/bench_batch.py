"""Batch throughput and memory: N dossiers, then 10 × N, through `checker batch`'s own code path.

Prints dossiers per second (untraced run) and the peak of Python allocations (tracemalloc run)
for each size, and the ratio of the peaks: constant memory means a ratio near 1. Asserts nothing.

    PYTHONPATH=src python bench/bench_batch.py [--call fitn7-saone-et-loire] [-n 2000]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from checker.batch import run  # noqa: E402
from checker.schemas import load_json  # noqa: E402


class NullSink:
    """Counts what batch writes without keeping it, so the output does not weigh on the peak."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def sample_dossier(call_id: str) -> dict:
    fixtures = sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.json"))
    fixtures = [f for f in fixtures if not f.name.endswith(".expected.json")]
    if not fixtures:
        sys.exit(f"Aucun dossier d'exemple dans tests/dossiers/{call_id}/.")
    return load_json(fixtures[0].read_text("utf-8"))


def write_jsonl(base: dict, count: int, target: Path) -> None:
    """Varied dossiers: each scales the first expense, so no two reports are identical."""
    with target.open("w", encoding="utf-8") as out:
        for i in range(count):
            dossier = copy.deepcopy(base)
            expenses = dossier.get("budget", {}).get("expenses") or []
            if expenses and "amount" in expenses[0]:
                expenses[0]["amount"] = Decimal(expenses[0]["amount"]) + i % 1000
            out.write(json.dumps(dossier, ensure_ascii=False, default=str) + "\n")


def measure(call_id: str, path: Path, traced: bool) -> tuple[float, int, int]:
    """(seconds, peak bytes or 0, dossiers) for one batch run over the file."""
    sink = NullSink()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    with path.open("rb") as stream:
        summary = run(call_id, stream, sink)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    return elapsed, peak, summary.dossiers


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure du traitement par lots (débit et mémoire).")
    parser.add_argument("--call", default="fitn7-saone-et-loire")
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    base = sample_dossier(args.call)
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.jsonl"
        write_jsonl(base, 50, warm)
        measure(args.call, warm, traced=False)  # load schemas, validators and Babel data before measuring
        for count in (args.n, 10 * args.n):
            path = Path(tmp) / f"dossiers-{count}.jsonl"
            write_jsonl(base, count, path)
            seconds, _, done = measure(args.call, path, traced=False)
            _, peak, _ = measure(args.call, path, traced=True)
            peaks.append(peak)
            size = path.stat().st_size / 1e6
            print(f"{done:>7} dossiers ({size:.1f} Mo) : {done / seconds:8.0f} dossiers/s, "
                  f"pic mémoire (tracemalloc) {peak / 1e6:.2f} Mo")
    print(f"rapport des pics mémoire 10×N / N : {peaks[1] / peaks[0]:.2f} (proche de 1 : mémoire constante)")


if __name__ == "__main__":
    main()
