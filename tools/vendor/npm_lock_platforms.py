"""Complete package-lock.json with rollup's per-platform optional packages the npm mirror lacks.

This machine's npm mirror only serves rollup's linux-x64/arm64-gnu binaries, so `npm install`
writes a lockfile without the other platforms' entries, and `npm ci` then refuses it as out of
sync. The missing entries are restored here with the os/cpu/libc fields rollup publishes; on
this machine npm skips them (wrong platform), elsewhere it fetches them from the registry.
Run after any `npm install` that rewrites the lockfile:  python tools/vendor/npm_lock_platforms.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[2] / "package-lock.json"
CPUS = {
    "arm": "arm",
    "arm64": "arm64",
    "x64": "x64",
    "ia32": "ia32",
    "loong64": "loong64",
    "ppc64": "ppc64",
    "riscv64": "riscv64",
    "s390x": "s390x",
}
LIBCS = {"gnu": "glibc", "gnueabihf": "glibc", "musl": "musl", "musleabihf": "musl"}


def platform_fields(name: str) -> dict:
    """'@rollup/rollup-linux-arm-musleabihf' -> os linux, cpu arm, libc musl."""
    match = re.fullmatch(r"@rollup/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z0-9]+))?", name)
    if not match or match[2] not in CPUS:
        raise ValueError(f"unexpected rollup platform package: {name}")
    fields = {"cpu": [CPUS[match[2]]], "os": [match[1]]}
    if match[1] == "linux" and match[3]:
        fields["libc"] = [LIBCS[match[3]]]
    return fields


def main() -> int:
    lock = json.loads(LOCK.read_text("utf-8"))
    packages = lock["packages"]
    added = []
    for path, entry in list(packages.items()):
        if not path.endswith("node_modules/rollup"):
            continue
        for name, version in entry.get("optionalDependencies", {}).items():
            key = f"node_modules/{name}"
            if key not in packages:
                fields = {**platform_fields(name), "dev": True, "license": "MIT", "optional": True}
                packages[key] = {"version": version, **dict(sorted(fields.items()))}  # npm's own order
                added.append(name)
    lock["packages"] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != "", kv[0])))
    LOCK.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(added)} entries added to {LOCK.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
