"""Vendor the browser runtime: Pyodide's core (from npm) plus the wheels the checker needs.

Everything is served by the site itself (no CDN): under `assets/pyodide/` sit Pyodide's core
files, a site-local `pyodide-lock.json` listing only our wheels, and those wheels, trimmed to
what runs. Third-party wheels are pure (py3-none-any) from PyPI, pinned with hashes in
requirements-browser.txt; the checker's own wheel is built from this repository.

Built wheels are cached in build/vendor/, keyed by a hash of every input, so a build where
nothing changed only copies files. Used by overrides/hooks/vendor_runtime.py and the tests;
`python tools/vendor/vendor.py DIR` installs the runtime into DIR/assets/pyodide/ by hand.
"""

from __future__ import annotations

import ast
import base64
import fnmatch
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-browser.txt"
TOOLS_REQUIREMENTS = HERE / "requirements-tools.txt"
BUILD = ROOT / "build" / "vendor"
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
TOOLS_VENV = ROOT / ".venv312"
RUNTIME_DIR = "assets/pyodide"  # relative to the site root; the worker and the tests use it too
PYODIDE_MAJOR = "314."
# Only what a module worker needs: the ES module loader, the Emscripten glue, the interpreter
# and the standard library. Source maps, the classic-script loader and the consoles stay out.
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
STDLIB = "python_stdlib.zip"  # of the core; the bundle holds a copy with bytecode (compile_stdlib)
WORKER = "checker-worker.js"  # in docs/assets/javascripts/
BUDGET = 1_100_000  # bytes, gzip, for everything beyond Pyodide's core (bytecode, not sources: see compile_bytecode)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: same inputs, same bytes

HOW_TO_INSTALL = (
    "lancez `./dev serve` ou `./dev test` (installe node_modules via `npm ci` et .venv312) / "
    "run `./dev serve` or `./dev test` (installs node_modules with `npm ci`, and .venv312)"
)

# The rpds-py stand-in, as pyrsistent-as-rpds-py's README describes (extra/fake_rpds in its
# sdist): a distribution named rpds-py whose `rpds` module re-exports the pyrsistent version.
STAND_IN = {
    "name": "rpds-py",
    "version": "0.25.1",
    "module": "rpds",
    "source": "from pyrsistent_as_rpds.pure import *  # noqa: F401,F403\n",
    "requires": ["pyrsistent-as-rpds-py", "pyrsistent"],
}


class VendorError(RuntimeError):
    """A build prerequisite is missing or a limit is exceeded; the message says what to do."""


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    hashes: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    name: str
    raw: int
    gzip: int


# --- inputs -----------------------------------------------------------------------------------


def pins() -> list[Pin]:
    """The pinned requirements (name==version, one or more --hash), continuation lines joined."""
    text = re.sub(r"\\\n", " ", REQUIREMENTS.read_text("utf-8"))
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line)
        if not match:
            raise VendorError(f"{REQUIREMENTS.name}: ligne non épinglée / unpinned line: {line}")
        hashes = tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        found.append(Pin(normalize(match[1]), match[2], hashes))
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyodide_core() -> tuple[Path, str]:
    """node_modules/pyodide and its version; a clear error when `npm ci` has not been run."""
    manifest = PYODIDE_NPM / "package.json"
    if not manifest.is_file() or not all((PYODIDE_NPM / f).is_file() for f in CORE_FILES):
        raise VendorError(f"Pyodide absent de node_modules / Pyodide missing from node_modules: {HOW_TO_INSTALL}.")
    version = json.loads(manifest.read_text("utf-8"))["version"]
    if not version.startswith(PYODIDE_MAJOR):
        raise VendorError(f"Pyodide {version} installé, {PYODIDE_MAJOR}x attendu / expected: {HOW_TO_INSTALL}.")
    return PYODIDE_NPM, version


def checker_inputs() -> list[Path]:
    """What the checker wheel is built from, per pyproject.toml (packages + force-include)."""
    config = _wheel_config()
    files = [ROOT / "pyproject.toml"]
    for source in list(config["packages"]) + list(config["force_include"]):
        files += sorted(p for p in (ROOT / source).rglob("*") if p.is_file() and _shippable(p))
    return files


# Never read in the browser: a call's cases (its tests), the form builder (the site's build), the
# new-call scaffold (a contributor's tool).
NOT_SHIPPED = {"cases.yaml", "form_tree.py", "scaffold.py"}


def _shippable(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo") and path.name not in NOT_SHIPPED


def digest(paths: list[Path], *extra: str) -> str:
    h = hashlib.sha256()
    for value in extra:
        h.update(value.encode() + b"\0")
    for path in paths:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


# --- wheels -----------------------------------------------------------------------------------


def record_line(name: str, data: bytes) -> str:
    sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={sha},{len(data)}"


def write_wheel(path: Path, files: dict[str, bytes], dist_info: str) -> Path:
    """A wheel from {archive name: bytes}, with a RECORD that matches what it holds."""
    record_name = f"{dist_info}/RECORD"
    files = {k: v for k, v in files.items() if k != record_name}
    record = "\n".join([record_line(n, files[n]) for n in sorted(files)] + [f"{record_name},,", ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(files) + [record_name]:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name] if name != record_name else record.encode())
    return path


def metadata(name: str, version: str, summary: str, requires: list[str], requires_python: str = "") -> bytes:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    lines += [f"Requires-Python: {requires_python}"] if requires_python else []
    lines += [f"Requires-Dist: {r}" for r in requires]
    return ("\n".join(lines) + "\n").encode()


WHEEL_FILE = b"Wheel-Version: 1.0\nGenerator: tools/vendor/vendor.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _wheel_config() -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    return {
        "project": project["project"],
        "packages": wheel["packages"],
        "force_include": wheel.get("force-include", {}),
    }


def build_checker_wheel(out: Path) -> Path:
    """The checker as a pure wheel, laid out as hatchling would from pyproject.toml."""
    config = _wheel_config()
    project = config["project"]
    files: dict[str, bytes] = {}
    for package in config["packages"]:
        source = ROOT / package
        for path in sorted(source.rglob("*")):
            if path.is_file() and _shippable(path):
                files[f"{source.name}/{path.relative_to(source).as_posix()}"] = path.read_bytes()
    for source, target in config["force_include"].items():
        for path in sorted((ROOT / source).rglob("*")):
            if path.is_file() and _shippable(path):
                files[f"{target}/{path.relative_to(ROOT / source).as_posix()}"] = path.read_bytes()
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = metadata(
        name,
        version,
        project.get("description", ""),
        project.get("dependencies", []),
        project.get("requires-python", ""),
    )
    files[f"{dist_info}/WHEEL"] = WHEEL_FILE
    return write_wheel(out / f"{name}-{version}-py3-none-any.whl", files, dist_info)


def build_stand_in(out: Path) -> Path:
    name, version = STAND_IN["name"].replace("-", "_"), STAND_IN["version"]
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{STAND_IN['module']}/__init__.py": STAND_IN["source"].encode(),
        f"{dist_info}/METADATA": metadata(
            STAND_IN["name"], version, "rpds-py stand-in over pyrsistent (Pyodide)", STAND_IN["requires"]
        ),
        f"{dist_info}/WHEEL": WHEEL_FILE,
    }
    return write_wheel(out / f"{name}-{version}-py3-none-any.whl", files, dist_info)


# --- trimming ---------------------------------------------------------------------------------

# What each trimmed wheel keeps (its .dist-info always stays, RECORD rewritten). A file the
# checker needs but that is trimmed away shows as an error in the Pyodide parity test.
TRIMS: dict[str, dict[str, list[str]]] = {
    # Babel: the code (not the gettext tooling) and the French locale data alone.
    "babel": {
        "keep": [
            "babel/*.py",
            "babel/localtime/*.py",
            "babel/py.typed",
            "babel/global.dat",
            "babel/locale-data/fr.dat",
            "babel/locale-data/fr_FR.dat",
            "babel/locale-data/root.dat",
            "babel/locale-data/LICENSE.unicode",
        ]
    },
    # Pyodide has no system time-zone database, so zoneinfo reads tzdata: Paris and UTC only.
    "tzdata": {
        "keep": [
            "tzdata/__init__.py",
            "tzdata/zoneinfo/__init__.py",
            "tzdata/zoneinfo/UTC",
            "tzdata/zoneinfo/Europe/__init__.py",
            "tzdata/zoneinfo/Europe/Paris",
            "tzdata/zoneinfo/Etc/__init__.py",
            "tzdata/zoneinfo/Etc/UTC",
        ]
    },
    # python-stdnum: the import closure of what the checker uses, plus IBAN (and the per-country
    # IBAN checks iban.py loads dynamically, so a foreign IBAN is judged as on CPython).
    "python-stdnum": {"closure": ["stdnum.fr.siren", "stdnum.fr.siret", "stdnum.iban", "stdnum.*.iban"]},
    "jsonschema": {"drop": ["jsonschema/tests/**", "jsonschema/benchmarks/**"]},
    "referencing": {"drop": ["referencing/tests/**"]},
    "jsonschema-specifications": {"drop": ["jsonschema_specifications/tests/**"]},
}
DROP_EVERYWHERE = ["**.pyi"]  # type stubs: read by type checkers, never run


def glob_match(name: str, pattern: str) -> bool:
    """Glob on archive paths: `*` stays within one folder, `**` crosses folders."""
    regex = "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
        for part in re.split(r"(\*\*|\*)", pattern)
    )
    return re.fullmatch(regex, name) is not None


def import_closure(files: dict[str, bytes], roots: list[str]) -> set[str]:
    """Archive names of the modules reachable by import from roots, their packages and data."""
    modules = {n[:-3].replace("/", ".").removesuffix(".__init__"): n for n in files if n.endswith(".py")}
    top = roots[0].split(".")[0]
    todo = [m for root in roots for m in modules if fnmatch.fnmatchcase(m, root)]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen or module not in modules:
            continue
        seen.add(module)
        parts = module.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        package = module if modules[module].endswith("__init__.py") else ".".join(parts[:-1])
        todo += [n for n in _imported(files[modules[module]], package) if n.split(".")[0] == top]
    keep = {modules[m] for m in seen}
    for name in list(keep):  # numdb.get('iban') reads stdnum/iban.dat
        for data in re.findall(rb"numdb\.get\(['\"]([\w/]+)['\"]\)", files[name]):
            keep.add(f"{top}/{data.decode()}.dat")
    return keep


def _imported(source: bytes, package: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            base = ".".join(base + ([node.module] if node.module else []))
            names += [base] + [f"{base}.{a.name}" for a in node.names]
    return names


def trim_wheel(source: Path, out: Path, dist: str) -> Path:
    with zipfile.ZipFile(source) as z:
        files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    dist_info = next(n.split("/")[0] for n in files if n.split("/")[0].endswith(".dist-info"))
    kept = {
        n: data
        for n, data in files.items()
        if n.startswith(dist_info + "/") or n in _wanted(files, TRIMS.get(dist, {}))
    }
    return write_wheel(out / source.name, kept, dist_info)


def _wanted(files: dict[str, bytes], rule: dict[str, list[str]]) -> set[str]:
    if "closure" in rule:
        names = import_closure(files, rule["closure"])
    elif "keep" in rule:
        names = {n for n in files if any(glob_match(n, p) for p in rule["keep"])}
    else:
        names = {n for n in files if not any(glob_match(n, p) for p in rule.get("drop", []))}
    return {n for n in names if not any(glob_match(n, p) for p in DROP_EVERYWHERE)}


# --- building (cached) ------------------------------------------------------------------------


def download(pinned: list[Pin]) -> dict[str, Path]:
    """The pinned wheels, from pip's download into build/vendor/downloads (hash-checked)."""
    dest = BUILD / "downloads"
    dest.mkdir(parents=True, exist_ok=True)
    found = {p.name: _downloaded(dest, p) for p in pinned}
    missing = [p for p in pinned if found[p.name] is None]
    if missing:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
            req.writelines(
                f"{p.name}=={p.version} " + " ".join(f"--hash=sha256:{h}" for h in p.hashes) + "\n" for p in missing
            )
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--only-binary=:all:",
            "--no-deps",
            "--python-version",
            "3.14",
            "--implementation",
            "py",
            "--abi",
            "none",
            "--platform",
            "any",
            "--require-hashes",
            "-r",
            req.name,
            "-d",
            str(dest),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        os.unlink(req.name)
        if result.returncode:
            raise VendorError(f"pip download a échoué / failed:\n{result.stderr[-2000:]}")
        found = {p.name: _downloaded(dest, p) for p in pinned}
    absent = [p.name for p in pinned if found[p.name] is None]
    if absent:
        raise VendorError(f"Roues introuvables / wheels not found: {absent}")
    return found  # type: ignore[return-value]


def _downloaded(dest: Path, pin: Pin) -> Path | None:
    stem = f"{pin.name.replace('-', '_')}-{pin.version}-"
    for path in dest.glob("*.whl"):
        if path.name.lower().startswith(stem) and hashlib.sha256(path.read_bytes()).hexdigest() in pin.hashes:
            return path
    return None


def third_party_wheels() -> list[Path]:
    """Trimmed third-party wheels plus the rpds-py stand-in, cached by requirements + this script."""
    key = digest([REQUIREMENTS, Path(__file__).resolve()])
    target = BUILD / f"deps-{key}"
    if not target.is_dir():
        pinned = pins()
        staging = Path(tempfile.mkdtemp(prefix="deps-", dir=_mkdir(BUILD)))
        for name, wheel in download(pinned).items():
            trim_wheel(wheel, staging, name)
        build_stand_in(staging)
        _publish(staging, target, "deps-")
    return sorted(target.glob("*.whl"))


def bundle() -> Path:
    """build/vendor/bundle-<key>/: every vendored wheel, the site-local lockfile, their sizes."""
    core, version = pyodide_core()
    inputs = [REQUIREMENTS, TOOLS_REQUIREMENTS, Path(__file__).resolve(), COMPILE_SCRIPT] + checker_inputs()
    target = BUILD / f"bundle-{digest(inputs, version)}"
    if (target / "manifest.json").is_file():
        return target
    staging = Path(tempfile.mkdtemp(prefix="bundle-", dir=_mkdir(BUILD)))
    for wheel in third_party_wheels():
        shutil.copyfile(wheel, staging / wheel.name)
    build_checker_wheel(staging)
    compile_bytecode(core, staging)
    write_lockfile(core, staging)
    compile_stdlib(core, staging)
    parts = [measure(p) for p in sorted(staging.iterdir()) if p.name != STDLIB]
    manifest = {"pyodide": version, "parts": [p.__dict__ for p in parts], "stdlib": measure(staging / STDLIB).__dict__}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    _publish(staging, target, "bundle-")
    return target


COMPILE_SCRIPT = HERE / "compile_pyc.mjs"


def compile_bytecode(core: Path, folder: Path) -> None:
    """Replace every module of every wheel by its bytecode, compiled by Pyodide's Python itself (Node).

    Pyodide runs with sys.dont_write_bytecode: without .pyc in the wheels, each visit compiles
    every module it imports. `pyodide py-compile` needs a host Python of Pyodide's version (3.14),
    which the build machine may not have; the interpreter that will run the code has it.
    """
    for wheel_name, compiled in _compile("wheels", core, folder).items():
        wheel = folder / wheel_name
        with zipfile.ZipFile(wheel) as z:
            files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
        dist_info = next(n.split("/")[0] for n in files if n.split("/")[0].endswith(".dist-info"))
        for name, data in compiled.items():
            del files[name[:-1]]  # module.pyc replaces module.py
            files[name] = base64.b64decode(data)
        write_wheel(wheel, files, dist_info)


def compile_stdlib(core: Path, folder: Path) -> None:
    """folder/python_stdlib.zip: Pyodide's standard library with bytecode for every module a start
    imports (Pyodide's boot, the wheels' installation, the checker and the finder warmed up).

    Pyodide's archive holds sources, so each start compiled every standard module it imported:
    about two thirds of the boot. The modules no start imports stay sources (the archive grows by
    the others' bytecode only); the installed wheels of `folder` are the ones whose imports count.
    """
    _compile("stdlib", core, folder, folder / STDLIB)


def _compile(mode: str, core: Path, folder: Path, *out: Path) -> dict:
    """Run compile_pyc.mjs in `mode`; its JSON answer, or VendorError with Node's last lines."""
    command = ["node", str(COMPILE_SCRIPT), mode, str(core), str(folder), *map(str, out)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        readable = "\n".join(
            line for line in result.stderr.splitlines() if len(line) < 500
        )  # not Pyodide's minified source
        raise VendorError(f"compilation en bytecode échouée / bytecode compilation failed:\n{readable[-2000:]}")
    return json.loads(result.stdout)


def write_lockfile(core: Path, folder: Path) -> None:
    """A lockfile that knows only our wheels (file names relative to it), by pyodide-lock."""
    tool = TOOLS_VENV / "bin" / "pyodide"
    if not tool.is_file():
        raise VendorError(
            f"pyodide-lock absent de .venv312 / missing from .venv312: {HOW_TO_INSTALL} (ou / or `tools/vendor/setup`)."
        )
    info = json.loads((core / "pyodide-lock.json").read_text("utf-8"))["info"]
    base = folder / "base-lock.json"
    base.write_text(json.dumps({"info": info, "packages": {}}), "utf-8")
    wheels = sorted(str(p) for p in folder.glob("*.whl"))
    command = [
        str(tool),
        "lockfile",
        "add-wheels",
        "--input",
        str(base),
        "--output",
        str(folder / "pyodide-lock.json"),
        "--base-path",
        str(folder),
        *wheels,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    base.unlink()
    if result.returncode:
        raise VendorError(
            f"pyodide lockfile add-wheels a échoué / failed:\n{result.stdout[-1500:]}{result.stderr[-1500:]}"
        )


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _publish(staging: Path, target: Path, prefix: str) -> None:
    """Atomically move a finished build into place and drop stale ones of the same kind."""
    try:
        staging.rename(target)
    except OSError:  # a concurrent build published the same key first
        shutil.rmtree(staging, ignore_errors=True)
    for old in BUILD.glob(f"{prefix}*"):
        if old != target and old.is_dir() and old.name.count("-") == 1 and len(old.name) == len(target.name):
            shutil.rmtree(old, ignore_errors=True)


# --- installing and measuring -----------------------------------------------------------------


def measure(path: Path) -> Part:
    data = path.read_bytes()
    return Part(path.name, len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def core_parts(core: Path, version: str, stdlib: Part) -> list[Part]:
    """Sizes of the core files the site serves, `stdlib` the bundle's; the others computed once per
    Pyodide version (gzip of 10 MB is slow)."""
    cache = BUILD / f"core-sizes-{version}.json"
    if cache.is_file():
        parts = [Part(**p) for p in json.loads(cache.read_text("utf-8"))]
    else:
        parts = [measure(core / name) for name in CORE_FILES]
        _mkdir(BUILD)
        cache.write_text(json.dumps([p.__dict__ for p in parts]), "utf-8")
    return [stdlib if p.name == STDLIB else p for p in parts]


def install(site_dir: Path) -> tuple[list[Part], list[Part]]:
    """Copy the core and the vendored bundle into site_dir/assets/pyodide; return their sizes."""
    core, version = pyodide_core()
    folder = bundle()
    target = site_dir / RUNTIME_DIR
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copyfile(folder / STDLIB if name == STDLIB else core / name, target / name)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for part in manifest["parts"]:
        shutil.copyfile(folder / part["name"], target / part["name"])
    vendored = [Part(**p) for p in manifest["parts"]]
    total = sum(p.gzip for p in vendored)
    if total > BUDGET:
        raise VendorError(
            f"Budget dépassé / budget exceeded: {kb(total)} gzip > {kb(BUDGET)}.\n" + "\n".join(size_table(vendored))
        )
    return core_parts(core, version, Part(**manifest["stdlib"])), vendored


def stage(site_root: Path) -> tuple[list[Part], list[Part]]:
    """A minimal site for the Node tests and the bench: the runtime plus the worker, same layout."""
    sizes = install(site_root)
    worker = site_root / "assets" / "javascripts"
    worker.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "docs" / "assets" / "javascripts" / WORKER, worker / WORKER)
    return sizes


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB".replace(",", " ")


def size_table(parts: list[Part], title: str = "") -> list[str]:
    lines = [title] if title else []
    lines += [f"  {p.name:<52} {kb(p.raw):>12} raw {kb(p.gzip):>12} gzip" for p in parts]
    lines.append(f"  {'total':<52} {kb(sum(p.raw for p in parts)):>12} raw {kb(sum(p.gzip for p in parts)):>12} gzip")
    return lines


def report(core: list[Part], vendored: list[Part]) -> list[str]:
    total = sum(p.gzip for p in vendored)
    return (
        size_table(core, "Pyodide core (node_modules/pyodide; python_stdlib.zip with bytecode, compile_stdlib):")
        + size_table(vendored, "Vendored (wheels + pyodide-lock.json):")
        + [f"  budget: {kb(total)} gzip of {kb(BUDGET)} ({100 * total / BUDGET:.0f} %)"]
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tools/vendor/vendor.py SITE_ROOT  (installs SITE_ROOT/assets/pyodide/)", file=sys.stderr)
        return 2
    try:
        core, vendored = install(Path(argv[0]))
    except VendorError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(report(core, vendored)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
