// The checker in the browser: a module Web Worker running Python (Pyodide) off the main thread.
//
// Protocol (the form relies on it):
//   page → worker  {type: "init", base: "<absolute URL of the site root, ending with />", call}
//                  (call: the id of the page's call, whose rules are prepared before "ready";
//                  null on the finder, which prepares every call)
//   worker → page  {type: "progress", text} and {type: "bytes", loaded, total}  (several),
//                  then {type: "ready", versions, ms, startedAt, marks}
//                  (startedAt: epoch ms when the worker began; marks: ms spent in each phase,
//                  {boot, wheels, imports}, where boot and wheels overlap: see start())
//                  or {type: "failed", message}
//   page → worker  {type: "check", id, call, dossier}   (queued until ready)
//   worker → page  {type: "report", id, report, ms}  or  {type: "error", id, message}
//   page → worker  {type: "find", id, applicant, nature, amount}   (the finder page)
//   worker → page  {type: "found", id, findings, ms}  or  {type: "error", id, message}
//
// Every file comes from `base` (assets/pyodide/: Pyodide's core, the site-local lockfile and
// the vendored wheels), so the checker works offline once the service worker has cached them.

const RUNTIME = "assets/pyodide/";
const SIZES = "runtime-size.json"; // written by the build: the bytes the runtime fetches, in all
const BYTES_EVERY_MS = 100;

let bridge = null; // checker.bridge, once Python is ready
let failure = null; // French message, once startup has failed
let started = false;
const queue = [];

const post = (message) => self.postMessage(message);
const progress = (text) => post({ type: "progress", text });

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "init") {
    if (!started) {
      started = true;
      start(message.base, message.call);
    }
  } else if (message.type === "check" || message.type === "find") {
    if (bridge || failure) handle(message);
    else queue.push(message);
  }
});

async function start(base, call) {
  const t0 = performance.now();
  const startedAt = performance.timeOrigin + t0;
  const marks = {};
  const lap = (name, since) => { marks[name] = Math.round(performance.now() - since); return performance.now(); };
  try {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
      throw new StartupError("Ce navigateur ne prend pas en charge WebAssembly : le vérificateur ne peut pas s'y exécuter.");
    }
    const indexURL = new URL(RUNTIME, base).href;
    await countBytes(indexURL);
    progress("Chargement de Python…");
    const { loadPyodide } = await import(indexURL + "pyodide.mjs");
    // No URLs passed: Pyodide takes its folder from where pyodide.mjs was loaded, and reads
    // the site-local pyodide-lock.json there (resolving the wheels next to it). Passing them
    // would break the Node test harness, where Pyodide wants paths rather than file: URLs.
    // `packages`: the wheels download while the interpreter compiles and starts, not after.
    const loadErrors = [];
    const pyodide = await loadPyodide({
      stdout: () => {},
      stderr: (line) => { if (/error|fail/i.test(line)) loadErrors.push(line); },
      packages: ["checker"],
    });
    let t = lap("boot_and_wheels", t0);
    if (!pyodide.loadedPackages.checker) throw new Error(loadErrors.join(" ; ") || "paquet checker non chargé");
    progress("Préparation des règles…");
    const module = pyodide.pyimport("checker.bridge");
    const versions = JSON.parse(module.versions());
    // The page's call imported and checked once (the finder: every call), French data and time
    // zone loaded: a broken runtime fails here, and the first real check is as quick as the others.
    module.warm_up(call || undefined);
    lap("imports_and_first_check", t);
    bridge = module;
    post({ type: "ready", versions, ms: Math.round(performance.now() - t0), startedAt, marks });
  } catch (error) {
    failure = error instanceof StartupError
      ? error.message
      : `Le vérificateur n'a pas pu démarrer (${lastLine(error)}). Rechargez la page ; si le problème persiste, utilisez la version en ligne de commande.`;
    post({ type: "failed", message: failure });
  }
  queue.splice(0).forEach(handle);
}

function handle({ type, id, call, dossier, applicant, nature, amount }) {
  if (!bridge) {
    post({ type: "error", id, message: failure });
    return;
  }
  const t0 = performance.now();
  try {
    const result = type === "find"
      // undefined, not null: Pyodide hands JavaScript's null to Python as jsnull, not None.
      ? JSON.parse(bridge.find(JSON.stringify(applicant ?? {}), nature || undefined, amount || undefined))
      : JSON.parse(bridge.run(String(call), JSON.stringify(dossier ?? {})));
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    if (!result.ok) post({ type: "error", id, message: result.message });
    else if (type === "find") post({ type: "found", id, findings: result.findings, ms });
    else post({ type: "report", id, report: result.report, ms });
  } catch (error) {
    post({ type: "error", id, message: `Erreur interne du vérificateur : ${lastLine(error)}` });
  }
}

class StartupError extends Error {}

/**
 * Count the bytes of every response the runtime fetches (Pyodide's core, the wheels) and report
 * them against the total the build measured, for the page's progress bar. Without the sizes
 * file (an old build), nothing is counted.
 */
async function countBytes(indexURL) {
  let total = 0;
  try {
    total = (await (await fetch(indexURL + SIZES)).json()).bytes;
  } catch {
    return;
  }
  if (!total) return;
  let loaded = 0;
  let last = 0;
  const report = (force) => {
    const now = performance.now();
    if (force || now - last > BYTES_EVERY_MS) { last = now; post({ type: "bytes", loaded, total }); }
  };
  const realFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    if (!response.ok || !response.body) return response;
    const reader = response.body.getReader();
    const counted = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) { report(true); controller.close(); return; }
        loaded += value.byteLength;
        report(false);
        controller.enqueue(value);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    const copy = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(copy, "url", { value: response.url });
    return copy;
  };
  report(true);
}

// A Python traceback's useful part is its last line ("KeyError: …").
function lastLine(error) {
  const text = String((error && error.message) || error).trim();
  return text.split("\n").pop();
}
