// The finder page: pick a collectivité from the official data, then every call's own rules
// (run by the Python checker in the worker) say whether it may apply, and why not.
import { PREFILL_KEY, getChecker, siteRoot } from "./checker-client.js";

const MAX_SUGGESTIONS = 8;
const VERDICTS = { eligible: "Rien ne vous exclut", non_eligible: "Non éligible", a_completer: "À compléter" };
let territory = null;

const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
  .replace(/[-'’]/g, " ").split(/\s+/).filter(Boolean).join(" ");

async function loadTerritory() {
  if (territory) return territory;
  const response = await fetch(new URL("assets/data/territoire.json", siteRoot()));
  if (!response.ok) throw new Error("Les données territoriales n'ont pas pu être chargées.");
  const index = await response.json();
  const entities = index.entities.map(([kind, name, siren, postcodes, population, place, epci]) => {
    const isRegion = index.kinds[kind] === "region";
    const dep = isRegion ? null : index.departements[place];
    return {
      kind: index.kinds[kind], name, siren, postcodes: postcodes ? postcodes.split(" ") : [], population,
      departement: isRegion ? null : place, region: isRegion ? place : dep?.[1], epci, folded: fold(name),
      where: isRegion ? "région" : `${dep?.[0] ?? ""} (${place})`,
    };
  });
  territory = { version: index.version, entities, bySiren: new Map(entities.filter((e) => e.siren).map((e) => [e.siren, e])) };
  return territory;
}

export function search(entities, text) {
  const query = fold(text);
  if (!query) return [];
  const scored = [];
  for (const e of entities) {
    if (e.folded === query || e.postcodes.includes(query) || e.siren === query.replace(/ /g, "")) scored.push([0, e]);
    else if (e.folded.startsWith(query) || (" " + e.folded).includes(" " + query)) scored.push([1, e]);
  }
  scored.sort((a, b) => a[0] - b[0] || (b[1].population ?? 0) - (a[1].population ?? 0));
  return scored.slice(0, MAX_SUGGESTIONS).map(([, e]) => e);
}

function applicantOf(e) {
  const block = { kind: e.kind, name: e.name };
  if (e.siren) block.siren = e.siren;
  if (e.departement) block.departement = e.departement;
  if (e.region) block.region = e.region;
  if (e.population != null) block.population = e.population;
  return block;
}

function kindLabel(kind) {
  return { commune: "commune", departement: "département", region: "région", metropole: "métropole",
    communaute_de_communes: "communauté de communes", communaute_d_agglomeration: "communauté d'agglomération",
    communaute_urbaine: "communauté urbaine", metropole_de_lyon: "Métropole de Lyon",
    metropole_du_grand_paris: "Métropole du Grand Paris" }[kind] ?? kind;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

function renderFindings(container, entity, findings, calls) {
  const pages = new Map(calls.map((c) => [c.id, c]));
  container.replaceChildren(el("h2", { id: "finder-resultats-titre", tabIndex: -1, textContent: `Résultats pour ${entity.name} (${kindLabel(entity.kind)})` }));
  const list = el("ul", { className: "finder__liste" });
  for (const f of findings) {
    const call = pages.get(f.call);
    // A real link: instant navigation keeps this document, so the checker started here serves the form.
    const open = el("a", { className: "md-button", href: new URL(call.href + "#verification", location.href).href,
      textContent: "Ouvrir l'auto-diagnostic avec ce porteur" });
    open.addEventListener("click", () => {
      localStorage.setItem(PREFILL_KEY, JSON.stringify({ call: f.call, applicant: applicantOf(entity) }));
    });
    const reason = f.reason ? el("p", {}, `Motif : ${f.reason} `, el("a", { href: new URL(f.clause, siteRoot()).href, textContent: "Voir la clause" })) : null;
    const pending = f.verdict === "a_completer" ? el("p", { textContent: `${f.to_complete} condition(s) à compléter dans le dossier.` }) : null;
    const held = f.held.length ? el("details", { className: "finder__remplies" },
      el("summary", { textContent: `Conditions déjà remplies (${f.held.length})` }),
      el("ul", {}, ...f.held.map((label) => el("li", { textContent: label })))) : null;
    list.append(el("li", { className: `finder__appel finder__appel--${f.verdict}` },
      el("h3", {}, el("a", { href: call.href, textContent: f.title })),
      el("p", { className: "finder__statut", textContent: f.status_message }),
      el("p", { className: "finder__verdict", textContent: VERDICTS[f.verdict] }),
      reason, pending, held, open));
  }
  container.append(list);
}

function setupFinder(root) {
  const form = root.querySelector("[data-finder]");
  if (!form) return;
  const input = form.querySelector("#finder-q");
  const box = form.querySelector("#finder-suggestions");
  const status = form.querySelector("[data-finder-etat]");
  const results = root.querySelector("[data-finder-resultats]");
  const calls = JSON.parse(root.querySelector("#finder-appels").textContent);
  let options = [];
  let active = -1;
  let picked = null;

  const warmUp = () => {
    loadTerritory().catch((err) => { status.textContent = err.message; });
    const checker = getChecker();
    checker.onProgress((text) => { status.textContent = text; });
    checker.ready.then(() => { status.textContent = "Vérificateur prêt."; }, (err) => { status.textContent = err.message; });
  };
  form.addEventListener("focusin", warmUp, { once: true });
  form.addEventListener("submit", (event) => event.preventDefault());

  const close = () => { box.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
  const highlight = (i) => {
    active = i;
    [...box.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", box.children[i].id);
  };
  const suggest = async () => {
    const t = await loadTerritory();
    options = search(t.entities, input.value);
    box.replaceChildren(...options.map((e, i) => {
      const li = el("li", { id: `finder-option-${i}`, role: "option", textContent: `${e.name} — ${kindLabel(e.kind)}, ${e.where}${e.postcodes.length ? ", " + e.postcodes[0] : ""}` });
      li.setAttribute("aria-selected", "false");
      li.addEventListener("mousedown", (event) => { event.preventDefault(); pick(e); });
      return li;
    }));
    box.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
    status.textContent = input.value && !options.length ? "Aucune collectivité ne correspond." : (options.length ? `${options.length} suggestion(s).` : "");
  };
  const run = async () => {
    if (!picked) return;
    status.textContent = `Vérification des ${calls.length} appels et mesures pour ${picked.name}…`;
    try {
      const findings = await getChecker().find(applicantOf(picked), form.nature.value, form.montant.value);
      renderFindings(results, picked, findings, calls);
      status.textContent = `${findings.length} appels et mesures vérifiés.`;
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const pick = (e) => { picked = e; input.value = e.name; close(); run(); };

  input.addEventListener("input", () => { picked = null; suggest(); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) { event.preventDefault(); box.hidden = false; highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp" && options.length) { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(options[active]); }
    else if (event.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  form.nature.addEventListener("change", run);
  form.montant.addEventListener("change", run);
}

if (typeof document$ !== "undefined") document$.subscribe(() => setupFinder(document));
else setupFinder(document);
