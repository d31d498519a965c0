// The checker runtime of the visit (one worker, checker-client.js), as the form sees it: its
// state, the bytes fetched out of the total while it loads, and the page to tell when it changes.

import { getChecker } from "../checker-client.js";

const STILL_USABLE = "Vous pouvez tout de même remplir, enregistrer et exporter votre dossier.";

export const runtime = { client: null, call: null, state: "idle", text: "", bytes: null, readyMs: null, marks: null, page: null };

export function startRuntime() {
  if (runtime.state !== "idle") return;
  runtime.state = "loading";
  runtime.text = "Démarrage du vérificateur… Vous pouvez déjà répondre.";
  runtime.client = getChecker(runtime.call);
  runtime.client.onProgress((text) => {
    runtime.text = text;
    runtime.page?.showProgress();
  });
  runtime.client.onBytes?.((bytes) => {
    runtime.bytes = bytes;
    runtime.page?.showProgress();
  });
  runtime.client.ready.then(() => {
    runtime.state = "ready";
    runtime.readyMs = runtime.client.readyMs;
    runtime.marks = runtime.client.marks;
    runtime.page?.showProgress();
    runtime.page?.checkNow();
  }, (error) => {
    runtime.state = "failed";
    runtime.text = `${error.message} ${STILL_USABLE}`;
    runtime.page?.showProgress();
  });
  runtime.page?.showProgress();
}

/**
 * Start once the page has loaded and the main thread is idle: a reader who reads the call before
 * answering finds the checker ready. Not when the reader asked the browser to save data: then
 * the first sign of intent (the card's action, the form in view, a focus in it) starts it.
 */
export function startWhenIdle(signal) {
  if (navigator.connection?.saveData) return;
  const whenIdle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
  const idle = () => whenIdle(() => { if (!signal.aborted) startRuntime(); }, { timeout: 2000 });
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true, signal });
}

const megabytes = (n) => (n / 1e6).toLocaleString("fr-FR", { maximumFractionDigits: 1 });

/** Show the runtime's state in a section: its sentence, its progress bar, data-runtime. */
export function showRuntime(section, ui) {
  const { state, bytes, readyMs, marks } = runtime;
  let text = runtime.text || ui.progress.textContent;
  if (state === "ready") {
    text = `Vérificateur prêt${readyMs !== null ? ` (chargé en ${(readyMs / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} s)` : ""}.`;
  } else if (state === "loading" && bytes?.total) {
    text = `${text} ${megabytes(Math.min(bytes.loaded, bytes.total))} Mo sur ${megabytes(bytes.total)} Mo.`;
  }
  ui.progress.textContent = text;
  const bar = ui.progressBar;
  bar.hidden = state !== "loading";
  if (state === "loading" && bytes?.total) {
    bar.max = bytes.total;
    bar.value = Math.min(bytes.loaded, bytes.total);
  } else if (state === "loading") {
    bar.removeAttribute("value"); // indeterminate until the first bytes arrive
  }
  section.dataset.runtime = state;
  if (readyMs !== null) section.dataset.readyMs = String(readyMs);
  if (marks) section.dataset.readyMarks = JSON.stringify(marks); // where the wait went (bench/bench_readiness.py)
}
