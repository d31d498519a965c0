// Runs tests/node/jsonschema_suite.py in Pyodide, loaded from a built (or staged) site the way
// the browser loads it: assets/pyodide/pyodide.mjs, then the site-local lockfile and wheels.
// Usage: node run_jsonschema_suite.mjs SITE_ROOT HARNESS.py PAYLOAD.json OUT.json
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [siteRoot, harness, payloadFile, outFile] = process.argv.slice(2);
const runtime = path.join(path.resolve(siteRoot), "assets", "pyodide", "pyodide.mjs");
const { loadPyodide } = await import(pathToFileURL(runtime).href);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
const errors = [];
await pyodide.loadPackage(["jsonschema"], { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
if (errors.length) throw new Error(errors.join("\n"));
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(harness, "utf-8"), { globals: namespace });
const results = namespace.get("run")(await readFile(payloadFile, "utf-8"));
const versions = pyodide.runPython(
  "import json, sys, jsonschema\nfrom importlib.metadata import version\n" +
  "json.dumps({'python': sys.version.split()[0], 'jsonschema': version('jsonschema'), 'rpds-py': version('rpds-py')})");
await writeFile(outFile, JSON.stringify({ versions: JSON.parse(versions), results: JSON.parse(results) }));
process.exit(0);
