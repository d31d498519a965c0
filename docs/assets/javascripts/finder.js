// The finder page: the reader picks a collectivité (territory-picker.js), then every call's own
// rules, run by the Python checker in the worker, say whether it may apply, and why not.
// Does nothing on pages without the finder form.
// The picker's modules are imported only where the finder is, so other pages never fetch them.
import { PREFILL_KEY, getChecker, siteRoot } from "./checker-client.js";

/** The badge of each verdict: words and a sign, never colour alone. */
const VERDICTS = {
  eligible: { text: "Éligible", sign: "✓" },
  non_eligible: { text: "Non éligible", sign: "✗" },
  a_completer: { text: "À compléter", sign: "?" },
};
const plural = new Intl.PluralRules("fr-FR");
const count = (n, one, many) => `${n} ${plural.select(n) === "one" ? one : many}`;

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

function badge(verdict) {
  const { text, sign } = VERDICTS[verdict];
  const mark = el("span", { className: "finder__signe", textContent: sign });
  mark.setAttribute("aria-hidden", "true");
  return el("p", { className: `finder__verdict finder__verdict--${verdict}` }, mark, ` ${text}`);
}

/** « 9 appels et mesures vérifiés pour Mâcon : 5 éligibles, 3 non éligibles, 1 à compléter. » */
function summary(entity, findings) {
  const n = (verdict) => findings.filter((f) => f.verdict === verdict).length;
  const parts = [
    n("eligible") && count(n("eligible"), "éligible", "éligibles"),
    n("non_eligible") && count(n("non_eligible"), "non éligible", "non éligibles"),
    n("a_completer") && `${n("a_completer")} à compléter`,
  ].filter(Boolean);
  return `${findings.length} appels et mesures vérifiés pour ${entity.name} : ${parts.join(", ")}.`;
}

function renderFindings(container, entity, applicant, findings, calls, kindLabel) {
  const pages = new Map(calls.map((c) => [c.id, c]));
  container.replaceChildren(el("h2", { id: "finder-resultats-titre", tabIndex: -1, textContent: `Résultats pour ${entity.name} (${kindLabel(entity.kind)})` }));
  const list = el("ul", { className: "finder__liste" });
  for (const f of findings) {
    const call = pages.get(f.call);
    // A real link: instant navigation keeps this document, so the checker started here serves the form.
    const open = el("a", { className: "md-button finder__ouvrir", href: new URL(call.href + "#verification", location.href).href,
      textContent: "Ouvrir l'auto-diagnostic avec ce porteur" });
    open.addEventListener("click", () => {
      localStorage.setItem(PREFILL_KEY, JSON.stringify({ call: f.call, applicant }));
    });
    const reason = f.reason ? el("p", { className: "finder__motif" }, `Motif : ${f.reason} `,
      el("a", { href: new URL(f.clause, siteRoot()).href, textContent: "Voir la clause" })) : null;
    const pending = f.verdict === "a_completer"
      ? el("p", { textContent: `${count(f.to_complete, "condition", "conditions")} à compléter dans le dossier.` }) : null;
    const held = f.held.length ? el("details", { className: "finder__remplies" },
      el("summary", { textContent: `Conditions déjà remplies (${f.held.length})` }),
      el("ul", {}, ...f.held.map((label) => el("li", { textContent: label })))) : null;
    list.append(el("li", { className: `finder__appel finder__appel--${f.verdict}` },
      el("div", { className: "finder__entete" },
        el("h3", { className: "finder__titre" }, el("a", { href: call.href, textContent: f.title })),
        badge(f.verdict)),
      el("p", { className: "finder__statut", textContent: f.status_message }),
      reason, pending, held, open));
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
    modules = await Promise.all([import("./territory-picker.js"), import("./territory.js")]);
  } catch {
    status.textContent = "La recherche de collectivité n'a pas pu se charger. Rechargez la page pour réessayer.";
    return;
  }
  const [{ attachTerritoryPicker }, { kindLabel }] = modules;
  const results = root.querySelector("[data-finder-resultats]");
  const calls = JSON.parse(form.dataset.appels); // [{id, title, href}]
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
      renderFindings(results, entity, applicant, findings, calls, kindLabel);
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
