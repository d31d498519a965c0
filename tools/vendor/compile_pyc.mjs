// Bytecode for the browser's Python, compiled by the interpreter that will run it (Pyodide's own,
// under Node), as `pyodide py-compile` does with a host Python of the same version — which this
// machine lacks. Each module.py becomes a sourceless module.pyc, as in Pyodide's own packages:
// Python imports it without compiling it first. Tracebacks keep the file and line; they lose the
// source text (the checker never shows them). Two uses:
//
//   node tools/vendor/compile_pyc.mjs wheels PYODIDE_DIR WHEEL_FOLDER
//     Every .py of the wheels in the folder. Prints one JSON object:
//     {"<wheel file>": {"<archive path of a .pyc>": "<base64>"}}.
//
//   node tools/vendor/compile_pyc.mjs stdlib PYODIDE_DIR WHEEL_FOLDER OUT_ZIP
//     Pyodide's python_stdlib.zip holds sources, so every start compiled each standard module it
//     imported: most of the boot's time. This runs what a start runs (Pyodide's boot, the
//     installation of the folder's wheels, the checker warmed up for every call and for the
//     finder, one check of each) and writes a copy of the archive in which every standard module
//     imported along the way is a .pyc (zipimport reads module.pyc before module.py). The
//     others stay sources, compiled if ever imported, as before: the archive grows by the
//     bytecode of those modules only. Prints {"compiled": n, "entries": total}.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const [mode, pyodideDir, folder, outZip] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.runPython(`
import base64, importlib.util, io, sys, sysconfig, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

SITE = sysconfig.get_paths()["purelib"]
STDLIB = sys.path[0] if sys.path[0].endswith(".zip") else next(p for p in sys.path if p.endswith(".zip"))
FIXED = (1980, 1, 1, 0, 0, 0)  # same inputs, same bytes

def bytecode(source: bytes, filename: str, optimize: int) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), False)

def compiled(wheel, optimize: int) -> dict:
    found = {}
    with zipfile.ZipFile(io.BytesIO(wheel.to_bytes())) as archive:
        for name in archive.namelist():
            if not name.endswith(".py") or ".dist-info/" in name:
                continue
            target = name + "c"  # beside the module, replacing it: a sourceless import
            found[target] = base64.b64encode(bytecode(archive.read(name), f"{SITE}/{name}", optimize)).decode()
    return found

def imported_from_stdlib() -> set:
    """The archive paths of the standard modules imported so far."""
    prefix = STDLIB + "/"
    origins = (getattr(getattr(m, "__spec__", None), "origin", None) for m in list(sys.modules.values()))
    return {o[len(prefix):] for o in origins if isinstance(o, str) and o.startswith(prefix) and o.endswith(".py")}

def stdlib_archive(original, wanted: set) -> dict:
    out = io.BytesIO()
    count = 0
    with zipfile.ZipFile(io.BytesIO(original.to_bytes())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            name = info.filename
            if name in wanted:
                name, data = name + "c", bytecode(data, f"{STDLIB}/{name}", 0)
                count += 1
            entry = zipfile.ZipInfo(name, FIXED)
            entry.external_attr = info.external_attr
            target.writestr(entry, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return {"bytes": out.getvalue(), "compiled": count, "entries": len(source.infolist())}
`);

const wheels = (await readdir(folder)).filter((n) => n.endsWith(".whl")).sort();
const view = (bytes) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

if (mode === "wheels") {
  const compiledOf = pyodide.globals.get("compiled");
  const result = {};
  for (const name of wheels) {
    // The checker's own code reads no docstring and asserts nothing: compiled without them (-OO),
    // its wheel stays as light as its sources. Third-party code is compiled as written.
    const optimize = name.startsWith("checker-") ? 2 : 0;
    const found = compiledOf(view(await readFile(path.join(folder, name))), optimize);
    result[name] = found.toJs({ dict_converter: Object.fromEntries });
    found.destroy();
  }
  await print(result);
} else if (mode === "stdlib") {
  await pyodide.loadPackage(wheels.map((name) => path.resolve(folder, name)), { messageCallback: () => {} });
  pyodide.runPython(`
import checker.bridge as bridge
from checker.engine import all_calls
for call in sorted(all_calls()):
    bridge.warm_up(call)
    bridge.run(call, "{}")
bridge.warm_up()
bridge.find("{}", None, None)
bridge.versions()
`);
  const wanted = pyodide.globals.get("imported_from_stdlib")();
  const original = view(await readFile(path.join(pyodideDir, "python_stdlib.zip")));
  const built = pyodide.globals.get("stdlib_archive")(original, wanted).toJs({ dict_converter: Object.fromEntries });
  await writeFile(outZip, built.bytes);
  await print({ compiled: built.compiled, entries: built.entries });
} else {
  console.error("usage: node compile_pyc.mjs wheels PYODIDE_DIR WHEEL_FOLDER | stdlib PYODIDE_DIR WHEEL_FOLDER OUT_ZIP");
  process.exit(2);
}
process.exit(0);

// A pipe's write is asynchronous: exit only once it is flushed, or the JSON is cut.
function print(value) {
  return new Promise((resolve) => process.stdout.write(JSON.stringify(value), resolve));
}
