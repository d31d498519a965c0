// Registers the offline service worker (sw.js, generated at build time by Workbox).
// This module is served from <site root>/assets/javascripts/, so the site root is two levels
// up from its own URL: that holds under a sub-path (GitHub Pages) as at a domain's root.
const siteRoot = new URL("../../", import.meta.url);

if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register(new URL("sw.js", siteRoot), { scope: siteRoot.pathname })
      .catch((error) => console.warn("Service worker non enregistré : hors-ligne indisponible.", error));
  });
}
