// Checks many dossiers in one Pyodide session, through the site's worker.
// Usage: node run_checks.mjs SITE_ROOT CASES.json OUT.json
//   CASES.json: [{"id": "...", "call": "<call-id>", "dossier": "<JSON text>"}
//                or {"id": "...", "find": {"applicant": {...}, "nature": str|null, "amount": str|null}}]
//   OUT.json:   {"ready": <ready or failed message, with its progress texts>, "results": {id: message},
//                "versions": <the runtime's versions, asked for once every check is done>}
// Each dossier text is parsed here, as the page does, and posted as an object.
import { readFile, writeFile } from "node:fs/promises";
import { startWorker, baseURL, waitReady } from "./worker_harness.mjs";

const [siteRoot, casesFile, outFile] = process.argv.slice(2);
const cases = JSON.parse(await readFile(casesFile, "utf-8"));
const worker = await startWorker(siteRoot);
worker.send({ type: "init", base: baseURL(siteRoot) });
// The first check is posted before "ready": the worker must queue it.
const message = (item) => (item.find
  ? { type: "find", id: item.id, ...item.find }
  : { type: "check", id: item.id, call: item.call, dossier: JSON.parse(item.dossier) });
const [first, ...rest] = cases;
if (first) worker.send(message(first));
const ready = await waitReady(worker);
const results = {};
if (first) results[first.id] = await worker.next();
for (const item of rest) {
  worker.send(message(item));
  results[item.id] = await worker.next();
}
worker.send({ type: "versions", id: "versions" });
const { versions } = await worker.next();
await writeFile(outFile, JSON.stringify({ ready, results, versions }));
process.exit(0);
