// The one checker worker of a visit, shared by every page script (form, finder).
// ES modules are instantiated once per document, and mkdocs-material's instant navigation
// keeps the document: the worker started by the first call page serves every later one.

let client = null;

/** Absolute URL of the site root (works under a sub-path such as /<repo>/). */
export function siteRoot() {
  if (typeof __md_scope !== "undefined") return new URL(__md_scope.href ?? __md_scope, location.href);
  return new URL(".", new URL(document.querySelector("script[src*='assets/javascripts/']").src).href + "/../../");
}

function unsupported() {
  if (typeof WebAssembly !== "object") return "Votre navigateur n'exécute pas WebAssembly : la vérification automatique est indisponible, mais vous pouvez remplir, enregistrer et exporter votre dossier.";
  if (typeof Worker !== "function") return "Votre navigateur ne permet pas les Web Workers : la vérification automatique est indisponible, mais vous pouvez remplir, enregistrer et exporter votre dossier.";
  return null;
}

/**
 * Resolves once a service worker controls the page (or after `ms`): the checker's worker, started
 * then, has its runtime downloads cached for offline use, even on the very first visit.
 */
function serviceWorkerControl(ms = 3000) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext || navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
    setTimeout(resolve, ms);
  });
}

/**
 * The checker client: { ready: Promise, check(call, dossier): Promise<report>, onProgress(fn) }.
 * `ready` rejects with a French message when the checker cannot run here.
 */
export function getChecker() {
  if (client) return client;
  const listeners = new Set();
  const pending = new Map();
  let nextId = 1;
  let worker = null;
  const ready = new Promise((resolve, reject) => {
    const reason = unsupported();
    if (reason) { reject(new Error(reason)); return; }
    const root = siteRoot();
    serviceWorkerControl().then(() => {
    worker = new Worker(new URL("assets/javascripts/checker-worker.js", root), { type: "module" });
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "progress") listeners.forEach((fn) => fn(data.text));
      else if (data.type === "ready") resolve(data);
      else if (data.type === "failed") reject(new Error(data.message));
      else if (data.type === "report" || data.type === "found" || data.type === "error") {
        const waiter = pending.get(data.id);
        pending.delete(data.id);
        if (!waiter) return;
        if (data.type === "error") waiter.reject(new Error(data.message));
        else waiter.resolve(data);
      }
    });
    worker.addEventListener("error", () => reject(new Error("Le vérificateur n'a pas pu démarrer (erreur de chargement).")));
    worker.postMessage({ type: "init", base: root.href });
    });
  });
  ready.catch(() => {});
  const request = (message) => ready.then(() => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...message, id });
  }));
  client = {
    ready,
    onProgress(fn) { listeners.add(fn); return () => listeners.delete(fn); },
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
