// The finder page: the reader picks a collectivité (territory-picker.js), then every call's own
// rules, run by the Python checker in the worker, say whether it may apply, and why not.
// Does nothing on pages without the finder form.
// The picker's modules are imported only where the finder is, so other pages never fetch them.
import { PREFILL_KEY, getChecker, siteRoot } from "./checker-client.js";

/** The badge of each finding: words and a sign, never colour alone. A closed call says so, whatever the verdict. */
const VERDICTS = {
  eligible: { text: "Éligible", sign: "✓" },
  non_eligible: { text: "Non éligible", sign: "✗" },
  a_completer: { text: "À compléter", sign: "?" },
  clos: { text: "Appel clos", sign: "⊘" },
};
const plural = new Intl.PluralRules("fr-FR");
const count = (n, one, many) => `${n} ${plural.select(n) === "one" ? one : many}`;

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

function badge(kind) {
  const { text, sign } = VERDICTS[kind] ?? VERDICTS.a_completer;
  const mark = el("span", { className: "finder__signe", textContent: sign });
  mark.setAttribute("aria-hidden", "true");
  return el("p", { className: `finder__verdict finder__verdict--${kind}` }, mark, ` ${text}`);
}

/** « 8 appels et mesures vérifiés pour Mâcon : 3 ouverts ou sans date limite (1 non éligible, 2 à compléter) ; 5 clos. » */
function summary(entity, findings) {
  const open = findings.filter((f) => !f.closed);
  const n = (verdict) => open.filter((f) => f.verdict === verdict).length;
  const parts = [
    n("eligible") && count(n("eligible"), "éligible", "éligibles"),
    n("non_eligible") && count(n("non_eligible"), "non éligible", "non éligibles"),
    n("a_completer") && `${n("a_completer")} à compléter`,
  ].filter(Boolean);
  const closed = findings.length - open.length;
  const opened = open.length ? `${count(open.length, "ouvert", "ouverts")} ou sans date limite (${parts.join(", ")})` : "aucun ouvert";
  return `${findings.length} appels et mesures vérifiés pour ${entity.name} : ${opened}${closed ? ` ; ${closed} clos` : ""}.`;
}

const clauseLink = (clause) => el("a", { href: new URL(clause, siteRoot()).href, textContent: "Voir la clause" });

/** What the finder could not decide, the conditions this kind of applicant brings first. */
function conditions(f, kindName) {
  if (!f.conditions?.length) return null;
  const intro = f.closed ? `Pour mémoire, condition propre à votre collectivité (${kindName}) :` : `Condition propre à votre collectivité (${kindName}) :`;
  return el("div", { className: "finder__conditions" }, el("p", { textContent: intro }),
    el("ul", {}, ...f.conditions.map((c) => el("li", {}, `${c.label}${c.message ? ` — ${c.message}` : ""} `, clauseLink(c.clause)))));
}

function renderFindings(container, entity, applicant, findings, calls, kindLabel, statusOf) {
  const pages = new Map(calls.map((c) => [c.id, c]));
  const kindName = kindLabel(entity.kind).toLowerCase();
  container.replaceChildren(el("h2", { id: "finder-resultats-titre", tabIndex: -1, textContent: `Résultats pour ${entity.name} (${kindLabel(entity.kind)})` }));
  const list = el("ul", { className: "finder__liste" });
  for (const f of findings) {
    const call = pages.get(f.call);
    const kind = f.badge || (f.closed ? "clos" : f.verdict);
    // A real link: instant navigation keeps this document, so the checker started here serves the form.
    const open = el("a", { className: "md-button finder__ouvrir", href: new URL(call.href + "#verification", location.href).href,
      textContent: f.closed ? "Ouvrir l'auto-diagnostic avec ce porteur (appel clos)" : "Ouvrir l'auto-diagnostic avec ce porteur" });
    open.addEventListener("click", () => {
      try { localStorage.setItem(PREFILL_KEY, JSON.stringify({ call: f.call, applicant })); } catch { /* storage off: the form opens empty */ }
    });
    const reason = f.reason ? el("p", { className: "finder__motif" }, f.closed ? `Pour mémoire, votre collectivité n'en remplissait pas les conditions : ${f.reason} ` : `Motif : ${f.reason} `,
      clauseLink(f.clause)) : null;
    const pending = f.verdict === "a_completer" && !f.closed
      ? el("p", { textContent: `${count(f.to_complete, "condition", "conditions")} à compléter dans le dossier.` }) : null;
    const held = f.held.length ? el("details", { className: "finder__remplies" },
      el("summary", { textContent: `Conditions déjà remplies (${f.held.length})` }),
      el("ul", {}, ...f.held.map((label) => el("li", { textContent: label })))) : null;
    const item = el("li", { className: `finder__appel finder__appel--${kind}` },
      el("div", { className: "finder__entete" },
        el("h3", { className: "finder__titre" }, el("a", { href: call.href, textContent: call.title || f.title })),
        badge(kind)),
      el("p", { className: "finder__statut", textContent: statusOf(call, f) }),
      reason, conditions(f, kindName), pending, held, open);
    Object.assign(item.dataset, { call: f.call, verdict: f.verdict, badge: kind });
    list.append(item);
  }
  container.append(list);
}

async function setupFinder(root) {
  const form = root.querySelector("[data-finder]");
  if (!form || form.dataset.ready) return;
  form.dataset.ready = "true";
  form.addEventListener("submit", (event) => event.preventDefault());
  const status = form.querySelector("[data-finder-etat]");
  let modules;
  try {
    modules = await Promise.all([import("./territory-picker.js"), import("./territory.js"), import("./site.js")]);
  } catch {
    status.textContent = "La recherche de collectivité n'a pas pu se charger. Rechargez la page pour réessayer.";
    return;
  }
  const [{ attachTerritoryPicker }, { kindLabel }, { callStatus, statusText }] = modules;
  // The call's status as the catalog and its page say it (« Clos depuis le … »), by today's date here.
  const statusOf = (call, f) => {
    const now = new Date();
    const status = callStatus(call.ouverture, call.cloture, now);
    return f.closed && status !== "clos" ? f.status_message : statusText(status, call.ouverture, call.cloture, now);
  };
  const results = root.querySelector("[data-finder-resultats]");
  const calls = JSON.parse(form.dataset.appels); // [{id, title, href, ouverture, cloture}]
  let picked = null; // { entity, applicant }
  let runSeq = 0;

  // The checker (Pyodide) starts as soon as the reader comes to the form, not before.
  const warmUp = () => {
    const checker = getChecker();
    checker.onProgress((text) => { status.textContent = text; });
    checker.ready.then(() => { if (!picked) status.textContent = "Vérificateur prêt."; }, (err) => { status.textContent = err.message; });
  };
  form.addEventListener("focusin", warmUp, { once: true });

  const run = async () => {
    if (!picked) return;
    const { entity, applicant } = picked;
    const mine = ++runSeq;
    status.textContent = `Vérification des ${calls.length} appels et mesures pour ${entity.name}…`;
    try {
      const findings = await getChecker().find(applicant, form.nature.value, form.montant.value);
      if (mine !== runSeq) return;
      renderFindings(results, entity, applicant, findings, calls, kindLabel, statusOf);
      status.textContent = summary(entity, findings);
    } catch (err) {
      if (mine === runSeq) status.textContent = err.message;
    }
  };

  attachTerritoryPicker(form.querySelector("[data-territory-picker]"), {
    onPick(entity, applicant) {
      picked = { entity, applicant };
      run();
    },
    onClear() {
      picked = null;
      runSeq++;
      results.replaceChildren();
      status.textContent = "";
    },
  });
  form.nature.addEventListener("change", run);
  form.montant.addEventListener("change", run);
}

if (typeof document$ !== "undefined") document$.subscribe(() => setupFinder(document));
else setupFinder(document);
