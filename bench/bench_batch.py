"""Batch throughput against bare jsonschema, and memory: `checker batch`'s own code path.

On the same N dossiers (the call's fixtures, each one's first expense varied so no two reports are
identical), in one run, prints:
  - the time per dossier of bare jsonschema validation: jsonschema's Draft202012Validator, built
    once, on the same schema and registry (no format assertion, no French messages, no rules);
  - the time per dossier of the checker's own validator alone (the same schema, $refs resolved
    once, formats checked), and the most dossiers per second it allows on this machine's cores
    before any rule runs: the ceiling of any batch that validates every dossier with jsonschema;
  - the time per dossier of checker.engine.check alone, and its ratio to bare validation;
  - for batch.run (read, parse, check, write) with --jobs 1 and --jobs N: dossiers per second
    (elapsed time), the processor time per dossier of all its processes, and its ratio to bare;
  - the peak of Python allocations (tracemalloc, this process only) for M and 10 × M dossiers:
    a ratio near 1 means constant memory.
Times in one process are processor time (time.process_time), which other programs running on the
machine barely disturb; dossiers per second is elapsed time, the only measure of parallel work.
Each figure is the best of --repeat runs. Asserts nothing: numbers and ratios only.

    PYTHONPATH=src python bench/bench_batch.py [--call fitn7-saone-et-loire] [-n 2000] [--jobs 2]
                                               [--repeat 3] [--memoire 500]
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jsonschema import Draft202012Validator  # noqa: E402

from checker.batch import available_cores, run  # noqa: E402
from checker.engine import check, get_call  # noqa: E402
from checker.schemas import load_json, load_schema, registry, validator  # noqa: E402


class NullSink:
    """Counts what batch writes without keeping it, so the output does not weigh on the peak."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def sample_dossiers(call_id: str) -> list[dict]:
    fixtures = sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.json"))
    fixtures = [f for f in fixtures if not f.name.endswith(".expected.json")]
    if not fixtures:
        sys.exit(f"Aucun dossier d'exemple dans tests/dossiers/{call_id}/.")
    return [load_json(f.read_text("utf-8")) for f in fixtures]


def write_jsonl(bases: list[dict], count: int, target: Path) -> None:
    """The fixtures in turn, each with its first expense scaled: no two reports are identical."""
    with target.open("w", encoding="utf-8") as out:
        for i in range(count):
            dossier = copy.deepcopy(bases[i % len(bases)])
            expenses = dossier.get("budget", {}).get("expenses") or []
            if expenses and isinstance(expenses[0], dict) and "amount" in expenses[0]:
                expenses[0]["amount"] = Decimal(expenses[0]["amount"]) + i % 1000
            out.write(json.dumps(dossier, ensure_ascii=False, default=str) + "\n")


def per_dossier(path: Path, work: Callable[[dict], object]) -> float:
    """Processor seconds per dossier spent in `work` alone, the file read and parsed outside the clock."""
    spent, count = 0.0, 0
    with path.open("rb") as lines:
        for line in lines:
            data = load_json(line.decode("utf-8"))
            start = time.process_time()
            work(data)
            spent += time.process_time() - start
            count += 1
    return spent / count


def children_cpu() -> float:
    """Processor seconds of the ended worker processes (they end when batch.run returns)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch_run(call_id: str, path: Path, jobs: int, traced: bool = False) -> tuple[float, float, int, int]:
    """(elapsed seconds, processor seconds of every process, peak bytes or 0, dossiers) for one batch run."""
    sink = NullSink()
    if traced:
        tracemalloc.start()
    start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    with path.open("rb") as stream:
        summary = run(call_id, stream, sink, jobs=jobs)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu + children_cpu() - children
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    return elapsed, cpu, peak, summary.dossiers


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mesure du traitement par lots : débit, rapport à jsonschema seul, mémoire."
    )
    parser.add_argument("--call", default="fitn7-saone-et-loire")
    parser.add_argument("-n", type=int, default=2000, help="dossiers des mesures de débit")
    parser.add_argument("--jobs", type=int, default=2, help="processus de la seconde mesure (0 : un par cœur)")
    parser.add_argument("--repeat", type=int, default=3, help="la meilleure de R mesures")
    parser.add_argument(
        "--memoire", type=int, default=500, help="M : pics mémoire pour M et 10 × M dossiers (0 : aucun)"
    )
    args = parser.parse_args()
    call = get_call(args.call)
    jobs = args.jobs or available_cores()
    bases = sample_dossiers(args.call)
    bare = Draft202012Validator(load_schema(call.schema), registry=registry())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dossiers.jsonl"
        write_jsonl(bases, args.n, path)
        size = path.stat().st_size / 1e6
        print(
            f"{args.call} : {args.n} dossiers ({len(bases)} dossiers d'exemple variés, {size:.1f} Mo), "
            f"{available_cores()} cœurs, meilleure de {args.repeat} mesures"
        )
        warm = Path(tmp) / "warm.jsonl"
        write_jsonl(bases, 50, warm)
        batch_run(args.call, warm, 1)  # schemas, validators, Babel data: loaded before the clock

        bare_s = min(per_dossier(path, lambda d: list(bare.iter_errors(d))) for _ in range(args.repeat))
        ours = validator(call.schema)
        ours_s = min(per_dossier(path, lambda d: list(ours.iter_errors(d))) for _ in range(args.repeat))
        check_s = min(per_dossier(path, lambda d: check(args.call, d)) for _ in range(args.repeat))
        cores = available_cores()
        print(f"jsonschema seul (Draft202012Validator réutilisé) : {bare_s * 1e3:6.3f} ms processeur par dossier")
        print(
            f"validateur du vérificateur seul                  : {ours_s * 1e3:6.3f} ms processeur par dossier, "
            f"{ours_s / bare_s:.2f} × jsonschema seul ; plafond sur {cores} cœurs avant toute règle : "
            f"{cores / ours_s:.0f} dossiers/s"
        )
        print(
            f"checker.engine.check seul                        : {check_s * 1e3:6.3f} ms processeur par dossier, "
            f"{check_s / bare_s:.2f} × jsonschema seul"
        )
        for count in dict.fromkeys((1, jobs)):
            runs = [batch_run(args.call, path, count) for _ in range(args.repeat)]
            elapsed, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            print(
                f"batch --jobs {count:<3} : {args.n / elapsed:6.0f} dossiers/s ({elapsed / args.n * 1e3:.3f} ms écoulée "
                f"par dossier) ; {cpu / args.n * 1e3:.3f} ms processeur par dossier, tous processus compris, "
                f"{cpu / args.n / bare_s:.2f} × jsonschema seul"
            )

        if args.memoire:
            for count in dict.fromkeys((1, jobs)):
                peaks = []
                for size_ in (args.memoire, 10 * args.memoire):
                    target = Path(tmp) / f"memoire-{size_}.jsonl"
                    if not target.exists():
                        write_jsonl(bases, size_, target)
                    _, _, peak, _ = batch_run(args.call, target, count, traced=True)
                    peaks.append(peak)
                print(
                    f"batch --jobs {count:<3} : pic mémoire (tracemalloc, ce processus) : "
                    f"{peaks[0] / 1e6:.2f} Mo pour {args.memoire}, {peaks[1] / 1e6:.2f} Mo pour {10 * args.memoire} "
                    f"dossiers ; rapport {peaks[1] / peaks[0]:.2f} (proche de 1 : mémoire constante)"
                )


if __name__ == "__main__":
    main()
