// Registers the offline service worker (sw.js, generated at build time by Workbox).
// This module is served from <site root>/assets/javascripts/, so the site root is two levels
// up from its own URL: that holds under a sub-path (GitHub Pages) as at a domain's root.
//
// On a call page the checker starts at the first paint (checker-start.js). Installing the
// service worker precaches the site (about 3 MB), which competes with Python's boot for the
// processor: a first visit's checker was ready about a second later (bench/bench_readiness.py).
// There it registers once the checker is ready or has failed, and at the latest LATEST_MS after
// the load; the page then asks it to keep the runtime the checker fetched (checker-client.js).
const siteRoot = new URL("../../", import.meta.url);
const LATEST_MS = 60_000;

let registered = false;
function register() {
  if (registered) return;
  registered = true;
  navigator.serviceWorker
    .register(new URL("sw.js", siteRoot), { scope: siteRoot.pathname })
    .catch((error) => console.warn("Service worker non enregistré : hors-ligne indisponible.", error));
}

/** Whether checker-start.js starts this page's checker at once (not when saving data). */
function checkerStartsAtOnce() {
  return Boolean(document.querySelector('meta[name="checker-call"]')) && !navigator.connection?.saveData;
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    if (!checkerStartsAtOnce()) {
      register();
      return;
    }
    setTimeout(register, LATEST_MS);
    import("./checker-client.js").then(({ checkerSettled }) => checkerSettled().then(register), register);
  }, { once: true });
}
