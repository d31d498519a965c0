// Runs the site's real checker-worker.js inside Node, with the one global a worker has and Node
// lacks (`self`): the same file, the same protocol, the same URLs under `base` as in a browser.
import { pathToFileURL } from "node:url";
import path from "node:path";

export async function startWorker(siteRoot) {
  const listeners = [];
  const waiting = [];
  const inbox = [];
  globalThis.self = {
    addEventListener: (type, listener) => type === "message" && listeners.push(listener),
    postMessage: (message) => {
      const structured = structuredClone(message);
      const waiter = waiting.shift();
      if (waiter) waiter(structured);
      else inbox.push(structured);
    },
  };
  const worker = path.join(siteRoot, "assets", "javascripts", "checker-worker.js");
  await import(pathToFileURL(worker).href);
  return {
    send: (data) => listeners.forEach((listener) => listener({ data: structuredClone(data) })),
    next: () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve))),
  };
}

// The site root as a worker's `base`: an absolute URL ending with a slash.
export function baseURL(siteRoot) {
  return pathToFileURL(path.resolve(siteRoot)).href.replace(/\/?$/, "/");
}

export async function waitReady(worker) {
  const progress = [];
  for (;;) {
    const message = await worker.next();
    if (message.type === "progress") progress.push(message.text);
    else return { ...message, progress };
  }
}
