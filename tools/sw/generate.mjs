// Offline support: a service worker precaching the whole built site, Pyodide included.
// Usage: node tools/sw/generate.mjs SITE_DIR   (run by overrides/hooks/vendor_runtime.py)
//
// sw.js sits at the site root, so its scope is the site root wherever the site is served
// (a sub-path on GitHub Pages included); every precached URL is relative to it.
import { generateSW } from "workbox-build";
import path from "node:path";

const siteDir = path.resolve(process.argv[2] ?? "site");
const { count, size, warnings } = await generateSW({
  globDirectory: siteDir,
  globPatterns: ["**/*"],
  // The worker itself and the compressed sitemap are never fetched by a page.
  globIgnores: ["sw.js", "**/*.map", "sitemap.xml.gz"],
  swDest: path.join(siteDir, "sw.js"),
  cacheId: "appels-numeriques",
  // The interpreter is ~10 MB: the whole point is to have it offline.
  maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  // mkdocs writes pages as folder/index.html and links to folder/.
  directoryIndex: "index.html",
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: "production",
  disableDevLogs: true,
});
for (const warning of warnings) console.error(`workbox: ${warning}`);
console.log(JSON.stringify({ count, size }));
