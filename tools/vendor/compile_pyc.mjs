// Bytecode for the browser's Python: compiles every .py of the wheels in a folder with the
// interpreter that will run them (Pyodide's own, under Node), as `pyodide py-compile` does with
// a host Python of the same version — which this machine lacks. Usage:
//   node tools/vendor/compile_pyc.mjs PYODIDE_DIR WHEEL_FOLDER
// Prints one JSON object: {"<wheel file>": {"<archive path of a .pyc>": "<base64>"}}.
// Each module.py becomes module.pyc, as in Pyodide's own packages: the wheels stay as small as
// before (a .pyc beside its source would double them), and Python imports it without compiling.
// Tracebacks keep the file and line; they lose the source text (the checker never shows them).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const [pyodideDir, folder] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", stdout: () => {}, stderr: (line) => console.error(line) });
pyodide.runPython(`
import base64, importlib.util, io, sys, sysconfig, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

SITE = sysconfig.get_paths()["purelib"]

def compiled(wheel, optimize: int) -> dict:
    found = {}
    with zipfile.ZipFile(io.BytesIO(wheel.to_bytes())) as archive:
        for name in archive.namelist():
            if not name.endswith(".py") or ".dist-info/" in name:
                continue
            source = archive.read(name)
            code = compile(source, f"{SITE}/{name}", "exec", dont_inherit=True, optimize=optimize)
            target = name + "c"  # beside the module, replacing it: a sourceless import
            found[target] = base64.b64encode(_code_to_hash_pyc(code, importlib.util.source_hash(source), False)).decode()
    return found
`);
const compiledOf = pyodide.globals.get("compiled");
const result = {};
for (const name of (await readdir(folder)).filter((n) => n.endsWith(".whl")).sort()) {
  const bytes = await readFile(path.join(folder, name));
  // The checker's own code reads no docstring and asserts nothing: compiled without them (-OO),
  // its wheel stays as light as its sources. Third-party code is compiled as written.
  const optimize = name.startsWith("checker-") ? 2 : 0;
  const found = compiledOf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), optimize);
  result[name] = found.toJs({ dict_converter: Object.fromEntries });
  found.destroy();
}
// A pipe's write is asynchronous: exit only once it is flushed, or the JSON is cut.
await new Promise((resolve) => process.stdout.write(JSON.stringify(result), resolve));
process.exit(0);
