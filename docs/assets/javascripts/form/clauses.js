// A rule's clause link: show the clause in the text and highlight it, with a « Revenir à mon
// dossier » link back to the same rule; the browser's Back button returns there too.

import { el } from "./pointers.js";

const HIGHLIGHT_MS = 6000;
let returnLink = null;

export function showClause(event, link) {
  const url = new URL(link.href);
  if (url.pathname !== location.pathname) return; // another page: let the browser navigate
  const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  event.stopPropagation(); // instant navigation would otherwise reload the page for this link
  const origin = link.closest("[id]");
  // The current history entry becomes « this rule in the results », the clause a new one.
  if (origin) history.replaceState(history.state, "", `#${origin.id}`);
  history.pushState(history.state, "", url.hash);
  const block = target.closest("p, li, tr, h1, h2, h3, h4, h5, h6, dd, dt, blockquote, table, section, div") ?? target;
  target.scrollIntoView({ block: "center" });
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
  document.querySelectorAll(".clause-highlight").forEach((b) => b.classList.remove("clause-highlight"));
  block.classList.add("clause-highlight");
  setTimeout(() => block.classList.remove("clause-highlight"), HIGHLIGHT_MS);
  if (origin) offerReturn(block, origin);
}

function offerReturn(block, origin) {
  returnLink?.remove();
  returnLink = el("p", "clause-retour");
  const back = el("a", "md-button md-button--primary", "Revenir à mon dossier");
  back.href = `#${origin.id}`;
  back.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    history.back(); // the entry before the clause is the rule: Back and this link agree
  });
  returnLink.append(back);
  block.after(returnLink);
}

/** After Back (or the return link), put the reader on the rule they left. */
export function returnToRule() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id.startsWith("regle-")) return;
  const rule = document.getElementById(id);
  if (!rule) return;
  rule.closest("details")?.setAttribute("open", "");
  rule.scrollIntoView({ block: "center" });
  rule.focus({ preventScroll: true });
  returnLink?.remove();
  returnLink = null;
}
