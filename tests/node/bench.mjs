// Startup and check times of the browser runtime, measured in Node, phase by phase, with the
// same calls the worker makes. Usage: node bench.mjs SITE_ROOT CALL DOSSIER.json RUNS
// Prints one JSON object: {core_ms, packages_ms, import_ms, checks_ms: [...]}.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [siteRoot, call, dossierFile, runs = "50"] = process.argv.slice(2);
const dossier = JSON.stringify(JSON.parse(await readFile(dossierFile, "utf-8")));
const runtime = pathToFileURL(path.join(path.resolve(siteRoot), "assets", "pyodide", "pyodide.mjs")).href;

let t = performance.now();
const lap = () => { const now = performance.now(); const ms = now - t; t = now; return Math.round(ms * 10) / 10; };
const { loadPyodide } = await import(runtime);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
const core_ms = lap();
await pyodide.loadPackage(["checker"], { messageCallback: () => {} });
const packages_ms = lap();
const bridge = pyodide.pyimport("checker.bridge");
bridge.warm_up(); // as the worker does before "ready"
const import_ms = lap();
const checks_ms = [];
for (let i = 0; i < Number(runs); i++) {
  const answer = JSON.parse(bridge.run(call, dossier));
  if (!answer.ok) throw new Error(answer.message);
  checks_ms.push(lap());
}
console.log(JSON.stringify({ core_ms, packages_ms, import_ms, checks_ms, versions: JSON.parse(bridge.versions()) }));
process.exit(0);
