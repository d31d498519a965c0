// Offline support: a service worker precaching the site (pages, styles, scripts), and caching
// the checker's runtime (Pyodide, wheels) and the territory index the first time they are used:
// a reader of text pages never downloads Pyodide; after one use of the checker, it works offline.
// Usage: node tools/sw/generate.mjs SITE_DIR   (run by overrides/hooks/vendor_runtime.py)
//
// sw.js sits at the site root, so its scope is the site root wherever the site is served
// (a sub-path on GitHub Pages included); every precached URL is relative to it.
import { generateSW } from "workbox-build";
import path from "node:path";
import { createHash } from "node:crypto";
import { appendFile, readdir, readFile } from "node:fs/promises";

/** A hash of every file under dir: the runtime cache's name changes whenever its content does. */
async function contentHash(dir) {
  const hash = createHash("sha256");
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (a.parentPath + a.name).localeCompare(b.parentPath + b.name))) {
    hash.update(entry.name);
    hash.update(await readFile(path.join(entry.parentPath, entry.name)));
  }
  return hash.digest("hex").slice(0, 12);
}

const siteDir = path.resolve(process.argv[2] ?? "site");
const runtimeVersion = (await contentHash(path.join(siteDir, "assets/pyodide"))) + (await contentHash(path.join(siteDir, "assets/data")));
const runtimeCache = `appels-numeriques-runtime-${runtimeVersion}`;
const { count, size, warnings } = await generateSW({
  globDirectory: siteDir,
  globPatterns: ["**/*"],
  // The worker itself and the compressed sitemap are never fetched by a page.
  // The runtime and the territory index are cached on first use (runtimeCaching below).
  globIgnores: ["sw.js", "**/*.map", "sitemap.xml.gz", "assets/pyodide/**", "assets/data/**"],
  runtimeCaching: [{
    urlPattern: ({ url }) => url.pathname.includes("/assets/pyodide/") || url.pathname.includes("/assets/data/"),
    handler: "CacheFirst",
    options: { cacheName: runtimeCache },
  }],
  swDest: path.join(siteDir, "sw.js"),
  cacheId: "appels-numeriques",
  maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
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

// The checker's worker starts before any service worker controls the page, so its downloads of
// the runtime reach the HTTP cache only. Once ready, the page sends {type: "keep-runtime", urls}
// and the service worker copies them into the runtime cache (from the HTTP cache, as a rule):
// the next visit, even offline, starts from there. Only the site's own runtime files are kept.
await appendFile(path.join(siteDir, "sw.js"), `
self.addEventListener("message", (event) => {
  const { type, urls } = event.data || {};
  if (type !== "keep-runtime" || !Array.isArray(urls)) return;
  const runtime = new URL("assets/pyodide/", self.registration.scope).href;
  const wanted = urls.filter((url) => typeof url === "string" && url.startsWith(runtime) && !url.includes(".."));
  event.waitUntil(caches.open(${JSON.stringify(runtimeCache)}).then(async (cache) => {
    for (const url of wanted) if (!(await cache.match(url))) await cache.add(url).catch(() => {});
  }));
});
`);
console.log(JSON.stringify({ count, size }));
