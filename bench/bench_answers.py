"""How many answers a reader gives before the self-assessment reaches a verdict, per call.

Follows the checker's ranked questions (report.questions) as the form's « Questions qui
décident » does: answer the first one with the value a real dossier of tests/dossiers/ holds,
check again, until the verdict is no longer « à compléter ». A list (budget lines) counts one
answer per value in its rows. Before this measure existed, the form showed every question at
once: the "before" column is the number of values a reader typed to fill the whole dossier.

    PYTHONPATH=src python bench/bench_answers.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from support import INELIGIBLE  # noqa: E402

from checker.engine import all_calls, check  # noqa: E402
from checker.pointers import lookup, place  # noqa: E402
from checker.schemas import load_json  # noqa: E402

MAX_ROUNDS = 200


def leaves(value) -> int:
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value) or 1
    return 1


def journey(call_id: str, source: dict) -> tuple[int, str, list[str]]:
    """Answers given, the verdict reached, and the pointers asked, in order."""
    dossier: dict = {"call": call_id}
    answers, asked = 0, []
    for _ in range(MAX_ROUNDS):
        report = check(call_id, dossier).to_json()
        if report["verdict"] != "a_completer":
            return answers, report["verdict"], asked
        known = [
            q for q in report["questions"] if lookup(source, q["pointer"]) is not None and q["pointer"] not in asked
        ]
        if not known:
            return answers, "a_completer (le dossier source ne répond pas aux questions restantes)", asked
        pointer = known[0]["pointer"]
        value = lookup(source, pointer)
        place(dossier, pointer, value)
        asked.append(pointer)
        answers += leaves(value)
    return answers, "a_completer (trop de tours)", asked


def eligible_fixture(call_id: str) -> Path:
    for expected in sorted((ROOT / "tests" / "dossiers" / call_id).glob("*.expected.json")):
        if '"eligible": true' in expected.read_text("utf-8"):
            return expected.with_name(expected.name.replace(".expected.json", ".json"))
    raise SystemExit(f"{call_id}: no eligible fixture")


def main() -> None:
    print(f"{'appel':48} {'profil':9} {'avant':>6} {'après':>6} {'ratio':>6}  verdict")
    for call_id in sorted(all_calls()):
        for profile, path in (
            ("éligible", eligible_fixture(call_id)),
            ("inéligible", ROOT / "tests" / "dossiers" / call_id / f"{INELIGIBLE[call_id]}.json"),
        ):
            source = load_json(path.read_text("utf-8"))
            before = leaves({k: v for k, v in source.items() if k != "call"})
            after, verdict, _ = journey(call_id, source)
            print(f"{call_id:48} {profile:9} {before:6} {after:6} {after / before:6.2f}  {verdict} ({path.stem})")


if __name__ == "__main__":
    main()
