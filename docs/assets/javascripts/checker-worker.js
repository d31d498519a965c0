// The checker in the browser: a module Web Worker running Python (Pyodide) off the main thread.
//
// Protocol (the form relies on it):
//   page → worker  {type: "init", base: "<absolute URL of the site root, ending with />", call}
//                  (call: the id of the page's call, whose rules are prepared before "ready";
//                  null on the finder, which prepares every call)
//   worker → page  {type: "progress", text} and {type: "bytes", loaded, total}  (several),
//                  then {type: "ready", ms, startedAt, marks, files}
//                  (files: the runtime's file names, which the page asks the service worker to keep)
//                  (startedAt: epoch ms when the worker began; marks: how it started and the ms
//                  spent in each phase: {snapshot: false, boot_and_wheels, imports_and_first_check}
//                  from scratch, {snapshot: true, read_snapshot, restore_and_wheels,
//                  imports_and_first_check} from a memory snapshot (see below); plus
//                  snapshot_rejected, the ms lost on a snapshot found unusable, then discarded)
//                  or {type: "failed", message}
//   page → worker  {type: "check", id, call, dossier}   (queued until ready)
//   worker → page  {type: "report", id, report, ms}  or  {type: "error", id, message}
//   page → worker  {type: "find", id, applicant, nature, amount}   (the finder page)
//   worker → page  {type: "found", id, findings, ms}  or  {type: "error", id, message}
//   page → worker  {type: "versions", id}   (Python's, Pyodide's and every wheel's; the tests ask)
//   worker → page  {type: "versions", id, versions}  or  {type: "error", id, message}
//
// Every file comes from `base` (assets/pyodide/: Pyodide's core, the site-local lockfile and
// the vendored wheels), so the checker works offline once the service worker has cached them.
//
// Memory snapshots (repeat visits). Starting from scratch is CPU, not network: compiling the
// wasm, starting Python, importing and warming up the checker. So after a start from scratch,
// once "ready" is posted, the worker saves Pyodide's memory (Python with the checker imported and
// warmed up) in Cache Storage, and the next visit restores it instead. This uses Pyodide's
// private API (_makeSnapshot, makeMemorySnapshot, _loadSnapshot), tied to the pinned version:
// - a snapshot holds the wasm memory only, not Emscripten's file system: the wheels are installed
//   again on a restore (while the wasm compiles, as from scratch), so whatever Python reads from
//   a file later (another call's rules, a schema, the finder's list of calls, Babel's data) is
//   there, and a restored checker answers byte for byte as a fresh one (tests/test_browser_snapshot.py);
// - its key names Pyodide's version, SNAPSHOT_FORMAT and the SHA-256 of every runtime file (the
//   build writes it in runtime-size.json): a snapshot holds Python's memory, including what it
//   read of python_stdlib.zip and the wheels, so a new runtime or checker never restores an old one;
// - the snapshot's own SHA-256 is stored with it and checked before use; a snapshot that fails
//   anything (digest, restore, the checker's warm-up and first check) is deleted, and the worker
//   starts from scratch, then saves a new one;
// - without Cache Storage or WebCrypto (the Node test harness, an insecure context), no snapshot.

const RUNTIME = "assets/pyodide/";
const SIZES = "runtime-size.json"; // written by the build: the bytes the runtime fetches, its files, their digest
const BYTES_EVERY_MS = 100;
const SNAPSHOTS = "checker-memory-snapshots"; // the Cache Storage cache holding them
const SNAPSHOT_FORMAT = 1; // bump whenever what a snapshot holds or how it is made changes
// The network as this file found it: countBytes wraps self.fetch, and runtime-size.json is not
// part of the runtime's bytes. (No fetch in the Node test harness's `self`.)
const rawFetch = typeof self.fetch === "function" ? self.fetch.bind(self) : null;

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
  } else if (message.type === "check" || message.type === "find" || message.type === "versions") {
    if (bridge || failure) handle(message);
    else queue.push(message);
  }
});

async function start(base, call) {
  const t0 = performance.now();
  const startedAt = performance.timeOrigin + t0;
  const marks = {};
  let pyodide = null;
  let snapshots = null;
  try {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
      throw new StartupError("Ce navigateur ne prend pas en charge WebAssembly : le vérificateur ne peut pas s'y exécuter.");
    }
    const indexURL = new URL(RUNTIME, base).href;
    const sizes = countBytes(indexURL);
    progress("Chargement de Python…");
    const { loadPyodide, version } = await import(indexURL + "pyodide.mjs");
    snapshots = await openSnapshots(indexURL, version, sizes);
    let module = null;
    if (snapshots?.found) {
      const t = performance.now();
      try {
        ({ pyodide, module } = await restore(loadPyodide, indexURL, snapshots, call, marks));
      } catch {
        // Whatever went wrong (digest, restore, the checker's first check), start from scratch.
        pyodide = module = null;
        for (const name of Object.keys(marks)) delete marks[name];
        await snapshots.discard();
        marks.snapshot_rejected = Math.round(performance.now() - t);
      }
    }
    if (!pyodide) ({ pyodide, module } = await coldStart(loadPyodide, call, Boolean(snapshots), marks));
    bridge = module;
    const { files = [] } = await sizes;
    post({ type: "ready", ms: Math.round(performance.now() - t0), startedAt, marks, files });
  } catch (error) {
    failure = error instanceof StartupError
      ? error.message
      : `Le vérificateur n'a pas pu démarrer (${lastLine(error)}). Rechargez la page ; si le problème persiste, utilisez la version en ligne de commande.`;
    post({ type: "failed", message: failure });
  }
  queue.splice(0).forEach(handle);
  // After a start from scratch, and the checks that waited for it: save this state for the next
  // visit. In the background: "ready" is not delayed, and a failure leaves nothing behind.
  if (bridge && snapshots && marks.snapshot === false) setTimeout(() => saveSnapshot(pyodide, snapshots));
}

/** A start from scratch: Python boots while the wheels download, then the checker warms up. */
async function coldStart(loadPyodide, call, forSnapshot, marks) {
  let t = performance.now();
  // No URLs passed: Pyodide takes its folder from where pyodide.mjs was loaded, and reads
  // the site-local pyodide-lock.json there (resolving the wheels next to it). Passing them
  // would break the Node test harness, where Pyodide wants paths rather than file: URLs.
  // `packages`: the wheels download while the interpreter compiles and starts, not after.
  // `_makeSnapshot`: this state may be saved once ready (it makes Python see `js` through a
  // recording proxy, so that the objects it holds can be found again after a restore).
  const loadErrors = [];
  const pyodide = await loadPyodide({
    stdout: () => {},
    stderr: (line) => { if (/error|fail/i.test(line)) loadErrors.push(line); },
    packages: ["checker"],
    ...(forSnapshot ? { _makeSnapshot: true } : {}),
  });
  marks.snapshot = false;
  t = lap(marks, "boot_and_wheels", t);
  if (!pyodide.loadedPackages.checker) throw new Error(loadErrors.join(" ; ") || "paquet checker non chargé");
  progress("Préparation des règles…");
  const module = pyodide.pyimport("checker.bridge");
  // The page's call imported and checked once (the finder: every call), French data and time
  // zone loaded: a broken runtime fails here, and the first real check is as quick as the others.
  module.warm_up(call || undefined);
  lap(marks, "imports_and_first_check", t);
  return { pyodide, module };
}

/** A start from the saved snapshot; throws on anything unexpected (the caller starts from scratch). */
async function restore(loadPyodide, indexURL, snapshots, call, marks) {
  let t = performance.now();
  let bytes = await snapshots.read(); // digest checked
  const size = bytes.length;
  t = lap(marks, "read_snapshot", t);
  const createModule = (await import(indexURL + "pyodide.asm.mjs")).default;
  const loadErrors = [];
  const pyodide = await loadPyodide({
    stdout: () => {},
    stderr: (line) => { if (/error|fail/i.test(line)) loadErrors.push(line); },
    // The wheels again: the snapshot has no file system (see the top of this file).
    packages: ["checker"],
    // Handed over once, then forgotten: Pyodide keeps its options, not 38 MB more of memory.
    _loadSnapshot: { then(resolve) { resolve(bytes); bytes = null; } },
    // This build ignores INITIAL_MEMORY (pyodide#6254): grow the memory before the copy into it.
    createPyodideModule: async (settings) => {
      const module = await createModule(settings);
      module.growMemory(size);
      return module;
    },
  });
  bytes = null;
  t = lap(marks, "restore_and_wheels", t);
  if (!pyodide.loadedPackages.checker) throw new Error(loadErrors.join(" ; ") || "paquet checker non chargé");
  progress("Préparation des règles…");
  const module = pyodide.pyimport("checker.bridge");
  module.warm_up(call || undefined); // already done for the call whose page made the snapshot
  // A cheap proof that the restored interpreter works: an empty dossier gets a report (the
  // finder, which has no call: an empty applicant gets its findings).
  const probe = JSON.parse(call ? module.run(call, "{}") : module.find("{}", undefined, undefined));
  if (!probe.ok) throw new Error(probe.message);
  lap(marks, "imports_and_first_check", t);
  marks.snapshot = true;
  return { pyodide, module };
}

function lap(marks, name, since) {
  const now = performance.now();
  marks[name] = Math.round(now - since);
  return now;
}

/**
 * The snapshots of this runtime in Cache Storage, or null where there is no Cache Storage or
 * WebCrypto. `found`: whether one of this site's is stored (the key is only computed if so, or
 * when saving: a first visit does not wait for it).
 */
async function openSnapshots(indexURL, pyodideVersion, sizes) {
  if (typeof caches === "undefined" || !rawFetch || !self.crypto?.subtle) return null;
  try {
    const cache = await caches.open(SNAPSHOTS);
    const prefix = `${indexURL}memory-snapshot/`; // never fetched: a key in this cache only
    const ours = async () => (await cache.keys()).filter((request) => request.url.startsWith(prefix));
    let key = null;
    const keyURL = () => (key ??= (async () => {
      const { sha256: runtime } = await sizes;
      if (!/^[0-9a-f]{64}$/.test(runtime ?? "")) throw new Error(`${SIZES}: no runtime digest`);
      return `${prefix}${pyodideVersion}-${SNAPSHOT_FORMAT}-${runtime}`;
    })());
    return {
      found: (await ours()).length > 0,
      /** The current snapshot's bytes, its digest checked; throws when absent or altered. */
      async read() {
        const response = await cache.match(await keyURL());
        if (!response) throw new Error("no snapshot for this runtime");
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (await sha256(bytes) !== response.headers.get("x-sha256")) throw new Error("snapshot altered");
        return bytes;
      },
      /** Store `bytes` as the current snapshot, the only one of this site. */
      async write(bytes, digest) {
        const url = await keyURL();
        for (const request of await ours()) if (request.url !== url) await cache.delete(request);
        await cache.put(url, new Response(bytes, {
          headers: { "content-type": "application/octet-stream", "x-sha256": digest },
        }));
      },
      /** Delete every snapshot of this site. */
      async discard() {
        try {
          for (const request of await ours()) await cache.delete(request);
        } catch {
          // nothing more to do: a later start tries again, and fails again, from scratch
        }
      },
    };
  } catch {
    return null;
  }
}

/**
 * Save the memory of this worker's Python, once ready, for the next visit. Pyodide checks the
 * JavaScript objects Python holds, and wants its record of loaded packages empty then (the
 * restore starts with an empty one, and installs the wheels again): emptied and refilled around
 * the synchronous snapshot, so no check runs in between. Any failure: no snapshot stored.
 */
async function saveSnapshot(pyodide, snapshots) {
  try {
    const loaded = pyodide.loadedPackages;
    const kept = { ...loaded };
    let bytes;
    try {
      for (const name of Object.keys(loaded)) delete loaded[name];
      bytes = pyodide.makeMemorySnapshot();
    } finally {
      Object.assign(loaded, kept);
    }
    await snapshots.write(bytes, await sha256(bytes));
  } catch {
    await snapshots.discard(); // none rather than a doubtful one
  }
}

async function sha256(data) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function handle({ type, id, call, dossier, applicant, nature, amount }) {
  if (!bridge) {
    post({ type: "error", id, message: failure });
    return;
  }
  const t0 = performance.now();
  try {
    if (type === "versions") {
      post({ type: "versions", id, versions: JSON.parse(bridge.versions()) });
      return;
    }
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
 * them against the total the build measured, for the page's progress bar. The sizes file is read
 * beside the boot, not before it; until it arrives (or without it: an old build, the Node
 * harness), nothing is reported. Resolves to that file ({bytes, files}), or {}.
 */
function countBytes(indexURL) {
  if (!rawFetch) return Promise.resolve({});
  let total = 0;
  let loaded = 0;
  let last = 0;
  const report = (force) => {
    const now = performance.now();
    if (total && (force || now - last > BYTES_EVERY_MS)) { last = now; post({ type: "bytes", loaded, total }); }
  };
  const sizes = rawFetch(indexURL + SIZES).then((response) => response.json()).catch(() => ({}));
  sizes.then(({ bytes }) => { total = Number(bytes) || 0; report(true); });
  self.fetch = async (input, init) => {
    const response = await rawFetch(input, init);
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
  return sizes;
}

// A Python traceback's useful part is its last line ("KeyError: …").
function lastLine(error) {
  const text = String((error && error.message) || error).trim();
  return text.split("\n").pop();
}
