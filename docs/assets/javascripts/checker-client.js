// The one checker worker of a visit, shared by every page script (form, finder).
// ES modules are instantiated once per document, and mkdocs-material's instant navigation
// keeps the document: the worker started by the first call page serves every later one.

/** localStorage key of the applicant the finder hands to a call's form: {call, applicant}. */
export const PREFILL_KEY = "checker-prefill";

let client = null;
let worker = null;
let started = 0;
let nextId = 1;
const listeners = new Set();
const byteListeners = new Set();
const pending = new Map(); // request id → {resolve, reject}
let settle;
const settled = new Promise((resolve) => { settle = resolve; });

/** Absolute URL of the site root (works under a sub-path such as /<repo>/). */
export function siteRoot() {
  return new URL("../../", import.meta.url); // this file is assets/javascripts/checker-client.js
}

function unsupported() {
  if (typeof WebAssembly !== "object") return "Votre navigateur n'exécute pas WebAssembly : la vérification automatique est indisponible.";
  if (typeof Worker !== "function") return "Votre navigateur ne permet pas les Web Workers : la vérification automatique est indisponible.";
  return null;
}

/**
 * Once the service worker is active, ask it to keep the runtime files the checker's worker
 * fetched: that worker started at once, before any service worker controlled the page, so its
 * downloads went to the HTTP cache only. The service worker copies them from there (cache.add),
 * and the next visit, even offline, starts from its cache.
 */
function keepRuntimeOffline(root, files) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !files?.length) return;
  const urls = files.map((name) => new URL(`assets/pyodide/${name}`, root).href);
  navigator.serviceWorker.ready
    .then((registration) => registration.active?.postMessage({ type: "keep-runtime", urls }))
    .catch(() => {}); // no offline copy this time: the next visit downloads the runtime again
}

function startWorker(call, resolve, reject) {
  const root = siteRoot();
  const w = new Worker(new URL("assets/javascripts/checker-worker.js", root), { type: "module" });
  w.addEventListener("message", ({ data }) => {
    if (data.type === "progress") listeners.forEach((fn) => fn(data.text));
    else if (data.type === "bytes") byteListeners.forEach((fn) => fn({ loaded: data.loaded, total: data.total }));
    else if (data.type === "ready") {
      client.readyMs = Math.round(performance.now() - started); // as the page waited for it
      // The worker's own marks, on its clock; "waiting" is what passed before it began.
      client.marks = { waiting: Math.max(0, Math.round(data.startedAt - performance.timeOrigin - started)), ...data.marks };
      resolve(data);
      keepRuntimeOffline(root, data.files);
    } else if (data.type === "failed") reject(new Error(data.message));
    else if (data.type === "report" || data.type === "found" || data.type === "error") {
      const waiter = pending.get(data.id);
      pending.delete(data.id);
      if (data.type === "error") waiter?.reject(new Error(data.message));
      else waiter?.resolve(data);
    }
  });
  w.addEventListener("error", () => reject(new Error("Le vérificateur n'a pas pu démarrer (erreur de chargement).")));
  w.postMessage({ type: "init", base: root.href, call });
  return w;
}

/** Resolves once this visit's checker is ready or has failed (waits for it to be started). */
export function checkerSettled() {
  return settled;
}

/** Whether this visit's checker has been started (by checker-start.js, or by a form). */
export function checkerStarted() {
  return client !== null;
}

/**
 * The checker client: { ready: Promise, readyMs, marks, check(call, dossier), find(...), onProgress(fn) }.
 * `ready` rejects with a French message when the checker cannot run here. `call` is the call the
 * page checks: the worker prepares its rules only (the finder, with no call, prepares them all).
 */
export function getChecker(call = null) {
  if (client) return client;
  started = performance.now();
  const ready = new Promise((resolve, reject) => {
    const reason = unsupported();
    if (reason) reject(new Error(reason));
    else worker = startWorker(call, resolve, reject);
  });
  ready.then(settle, settle);
  const request = (message) => ready.then(() => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...message, id });
  }));
  client = {
    ready,
    readyMs: null,
    marks: null,
    onProgress(fn) { listeners.add(fn); return () => listeners.delete(fn); },
    /** fn({loaded, total}): the runtime's bytes fetched so far, out of the total the build measured. */
    onBytes(fn) { byteListeners.add(fn); return () => byteListeners.delete(fn); },
    /** The report of one dossier: resolves to { report, ms }. */
    check(call, dossier) {
      return request({ type: "check", call, dossier }).then(({ report, ms }) => ({ report, ms }));
    },
    /** The finder's verdict of every call for an applicant block: resolves to the findings. */
    find(applicant, nature, amount) {
      return request({ type: "find", applicant, nature: nature || null, amount: amount || null }).then(({ findings }) => findings);
    },
  };
  return client;
}
