// The self-assessment form of a call page: form ↔ checker worker ↔ results panel, drafts,
// import / export. Loaded on every page; does nothing where there is no form, so text pages
// never download Pyodide. With instant navigation (document$) the one worker, kept in module
// scope, serves every call page the reader visits.
//
// The form's markup comes from the build (hooks/forms.py): every control carries data-pointer
// (its JSON pointer in the dossier) and data-kind; parts that only apply in some cases carry
// data-when="c1:/scope !c2:/scope", conditions described in the section's data-conditions attribute (JSON).
// Everything shown to the reader is set with textContent: typed text never becomes markup.

import { PREFILL_KEY, getChecker, siteRoot as root } from "./checker-client.js";

const DEBOUNCE_MS = 300;
const HIGHLIGHT_MS = 4000;
const MAX_DIGITS = 15; // a double holds 15 significant digits exactly; beyond, the sent value would drift
const ROW = "#";
const REBASED = ["id", "for", "name", "aria-describedby", "data-pointer", "data-row", "data-field", "data-when",
  "data-required-when", "data-error-for", "data-rows", "data-rows-empty", "data-row-template", "data-add-row"];
const STATUS = { ok: "Respectée", ko: "Non respectée", a_verifier: "À vérifier" };
const STILL_USABLE = "Vous pouvez tout de même remplir, enregistrer et exporter votre dossier.";

const siteRoot = root();

// ---- the checker, shared by every page of the visit (checker-client.js) ------------------------

const runtime = { client: null, state: "idle", text: "", readyMs: null, page: null };
let checkSeq = 0;

function startRuntime() {
  if (runtime.state !== "idle") return;
  runtime.state = "loading";
  runtime.text = "Démarrage du vérificateur…";
  runtime.client = getChecker();
  runtime.client.onProgress((text) => {
    runtime.text = text;
    runtime.page?.showProgress();
  });
  runtime.client.ready.then(() => {
    runtime.state = "ready";
    runtime.readyMs = runtime.client.readyMs;
    runtime.page?.showProgress();
    runtime.page?.checkNow();
  }, (error) => runtimeFailed(`${error.message} ${STILL_USABLE}`));
  runtime.page?.showProgress();
}

function runtimeFailed(message) {
  runtime.state = "failed";
  runtime.text = message;
  runtime.page?.showProgress();
}

// ---- JSON pointers and values ------------------------------------------------------------------

const segments = (pointer) => (pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")));
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function getAt(root, pointer) {
  let node = root;
  for (const part of segments(pointer)) {
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

function setAt(root, pointer, value) {
  const parts = segments(pointer);
  let node = root;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) node[part] = value;
    else node = node[part] ??= /^\d+$/.test(parts[i + 1]) ? [] : {};
  });
}

/** "12 500,50" → "12500.50"; null when empty; {error} in French when unreadable. */
export function parseNumber(text, integer = false) {
  let t = text.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  if (t === "") return null;
  const sign = t.startsWith("-") ? "-" : "";
  t = t.replace(/^[-+]/, "");
  const last = Math.max(t.lastIndexOf(","), t.lastIndexOf("."));
  let whole = t, frac = "";
  const seps = t.match(/[.,]/g) || [];
  if (seps.length === 1 || (seps.length > 1 && new Set(seps).size === 2 && t[last] !== seps[0])) {
    whole = t.slice(0, last);
    frac = t.slice(last + 1);
  }
  if (/[.,]/.test(whole)) {
    if (!/^\d{1,3}([.,]\d{3})+$/.test(whole)) return { error: "nombre non reconnu" };
    whole = whole.replace(/[.,]/g, "");
  }
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(frac)) return { error: "nombre non reconnu" };
  if (integer && /[1-9]/.test(frac)) return { error: "un nombre entier est attendu" };
  whole = whole.replace(/^0+(?=\d)/, "");
  frac = integer ? "" : frac;
  if ((whole.replace(/^0+/, "") + frac).length > MAX_DIGITS) return { error: `nombre trop long (${MAX_DIGITS} chiffres au plus)` };
  return { text: sign + whole + (frac ? "." + frac : "") };
}

/** Does value satisfy schema? The subset of JSON Schema the build allows inside `if`. */
export function matches(value, schema) {
  if (typeof schema === "boolean") return schema;
  const type = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const typeOk = (t) => t === type || (t === "integer" && Number.isInteger(value)) || (t === "number" && type === "number");
  const checks = {
    type: (t) => [t].flat().some(typeOk),
    const: (c) => JSON.stringify(c) === JSON.stringify(value),
    enum: (list) => list.some((c) => JSON.stringify(c) === JSON.stringify(value)),
    properties: (props) => !isObject(value) || Object.entries(props).every(([k, s]) => !(k in value) || matches(value[k], s)),
    required: (names) => !isObject(value) || names.every((k) => k in value),
    minimum: (m) => type !== "number" || value >= m,
    maximum: (m) => type !== "number" || value <= m,
    exclusiveMinimum: (m) => type !== "number" || value > m,
    exclusiveMaximum: (m) => type !== "number" || value < m,
    minLength: (m) => type !== "string" || [...value].length >= m,
    maxLength: (m) => type !== "string" || [...value].length <= m,
    pattern: (p) => type !== "string" || new RegExp(p, "u").test(value),
    minItems: (m) => type !== "array" || value.length >= m,
    maxItems: (m) => type !== "array" || value.length <= m,
    items: (s) => type !== "array" || value.every((v) => matches(v, s)),
    contains: (s) => type !== "array" || value.some((v) => matches(v, s)),
    not: (s) => !matches(value, s),
    allOf: (list) => list.every((s) => matches(value, s)),
    anyOf: (list) => list.some((s) => matches(value, s)),
    oneOf: (list) => list.filter((s) => matches(value, s)).length === 1,
  };
  return Object.entries(schema).every(([key, arg]) => !(key in checks) || checks[key](arg));
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Rewrite a row's pointers (ids, names, references) from one index to another, templates included. */
function rebase(root, from, to) {
  const re = new RegExp(escapeRe(from) + "(?=$|[/\\s-])", "g");
  const visit = (el) => {
    for (const name of REBASED) {
      const value = el.getAttribute(name);
      if (value && value.includes(from)) el.setAttribute(name, value.replace(re, to));
    }
    if (el.tagName === "TEMPLATE") [...el.content.children].forEach(visitTree);
  };
  const visitTree = (el) => { visit(el); el.querySelectorAll("*").forEach(visit); };
  visitTree(root);
}

const ownedBy = (el, selector, owner) => el.closest(selector) === owner;

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// ---- one call page -------------------------------------------------------------------------------

class CheckerPage {
  constructor(section) {
    this.section = section;
    this.call = section.dataset.checker;
    this.form = section.querySelector("[data-form]");
    this.conditions = JSON.parse(section.dataset.conditions || "{}");
    this.key = `${siteRoot.pathname}verificateur.brouillon.${this.call}`;
    this.abort = new AbortController();
    this.lastId = 0;
    this.problems = new Map();
    this.ui = Object.fromEntries(["progress", "message", "verdict", "timing", "rules", "figures", "errors", "summary"]
      .map((name) => [name, section.querySelector(`[data-${name}]`)]));
  }

  start() {
    const on = (target, type, fn) => target.addEventListener(type, fn, { signal: this.abort.signal });
    if (!this.restoreDraft()) this.applyDefaults();
    this.applyPrefill();
    this.refresh();
    on(this.form, "input", () => this.edited());
    on(this.form, "change", () => this.edited());
    on(this.form, "submit", (event) => { event.preventDefault(); this.checkNow(); });
    on(this.form, "focusin", startRuntime);
    on(this.section, "click", (event) => this.onClick(event));
    on(this.section.querySelector("[data-import]"), "change", (event) => this.importFile(event.target));
    on(window, "beforeprint", () => this.fitTextareas());
    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { startRuntime(); this.observer.disconnect(); }
      });
      this.observer.observe(this.form);
    } else {
      startRuntime();
    }
    this.showProgress();
    if (runtime.state === "ready") this.checkNow();
  }

  stop() {
    this.abort.abort();
    this.observer?.disconnect();
    clearTimeout(this.timer);
  }

  edited() {
    this.refresh();
    this.saveDraft();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.checkNow(), DEBOUNCE_MS);
  }

  refresh() {
    this.applyConditions();
    for (const group of this.form.querySelectorAll("[data-group=array]")) this.updateRowsState(group);
  }

  // ---- collecting the dossier ----

  controls() {
    return [...this.form.querySelectorAll("[data-kind]")];
  }

  /** pointer → the controls that answer it (several for radio buttons and choice boxes). */
  controlsByPointer() {
    const map = new Map();
    for (const el of this.controls()) map.set(el.dataset.pointer, [...(map.get(el.dataset.pointer) ?? []), el]);
    return map;
  }

  active(el) {
    return !el.closest("[data-when][hidden]");
  }

  /** The dossier as the schema expects it, from the visible fields only, plus unreadable numbers. */
  collect() {
    const dossier = { call: this.call };
    this.choiceBuffer = new Map();
    const exact = new Map();
    const problems = new Map();
    for (const row of this.form.querySelectorAll("[data-row]")) {
      // An object row exists even while empty, so the next rows keep their index.
      if (this.active(row) && row.querySelector("[data-field]")?.dataset.field !== row.dataset.row) setAt(dossier, row.dataset.row, {});
    }
    for (const el of this.controls()) {
      if (!this.active(el)) continue;
      const value = this.valueOf(el, problems, exact);
      if (value !== undefined) setAt(dossier, el.dataset.pointer, value);
    }
    for (const group of this.form.querySelectorAll("[data-group=object], [data-group=array]")) {
      const pointer = group.dataset.pointer;
      const parent = pointer.slice(0, pointer.lastIndexOf("/"));
      // Required within its parent only: an optional block left empty is not sent at all.
      if (this.active(group) && this.isRequired(group) && getAt(dossier, pointer) === undefined && getAt(dossier, parent) !== undefined) {
        setAt(dossier, group.dataset.pointer, group.dataset.group === "array" ? [] : {});
      }
    }
    return { dossier, exact, problems };
  }

  valueOf(el, problems, exact) {
    const { kind, pointer } = el.dataset;
    if (kind === "const") return JSON.parse(el.value);
    if (kind === "boolean" || kind === "consent") return el.checked;
    if (kind === "choice") return el.checked ? this.pushChoice(pointer, el.value) : undefined;
    if (el.type === "radio") return el.checked && el.value !== "" ? el.value : undefined;
    if (kind === "money" || kind === "number" || kind === "integer") {
      const parsed = parseNumber(el.value, kind === "integer");
      if (parsed === null) return undefined;
      if (parsed.error) {
        problems.set(pointer, `« ${this.titleOf(el)} » : ${parsed.error} (« ${el.value.trim()} »). Écrivez par exemple 12 500,50.`);
        return undefined;
      }
      exact.set(pointer, parsed.text);
      return Number(parsed.text);
    }
    const text = el.value.trim();
    return text === "" ? undefined : text;
  }

  pushChoice(pointer, value) {
    // Choices of one group are gathered in DOM order into one array.
    const group = this.choiceBuffer;
    const list = group.get(pointer) ?? [];
    list.push(value);
    group.set(pointer, list);
    return list;
  }

  titleOf(el) {
    const label = el.labels?.[0] ?? el.closest("fieldset")?.querySelector("legend");
    return (label?.firstChild?.textContent ?? label?.textContent ?? el.dataset.pointer).trim();
  }

  isRequired(group) {
    const marker = group.querySelector(":scope > legend [data-required-marker]");
    return Boolean(marker && !marker.hidden);
  }

  // ---- conditional parts ----

  holds(ref, dossier) {
    const negated = ref.startsWith("!");
    const body = negated ? ref.slice(1) : ref;
    const cut = body.indexOf(":");
    const spec = this.conditions[body.slice(0, cut)];
    const value = getAt(dossier, body.slice(cut + 1));
    if (value === undefined || !spec) return false; // JSON Schema applies no branch to an absent object
    const result = "present" in spec ? isObject(value) && value[spec.present] !== undefined : matches(value, spec.if);
    return negated ? !result : result;
  }

  applyConditions() {
    let dossier;
    for (let pass = 0; pass < 5; pass++) {
      dossier = this.collect().dossier;
      let changed = false;
      for (const el of this.form.querySelectorAll("[data-when]")) {
        // A part holding answers stays shown (and sent): what was typed or imported is never dropped.
        const show = el.dataset.when.split(" ").some((ref) => this.holds(ref, dossier)) || this.hasAnswer(el);
        if (el.hidden === show) { el.hidden = !show; changed = true; }
      }
      if (!changed) break;
    }
    for (const el of this.form.querySelectorAll("[data-required-when]")) {
      const required = el.dataset.requiredWhen.split(" ").some((ref) => this.holds(ref, dossier));
      for (const marker of el.querySelectorAll("[data-required-marker]")) {
        if (ownedBy(marker, "[data-field]", el)) marker.hidden = !required;
      }
      for (const control of el.querySelectorAll("[data-kind]")) {
        if (control.dataset.pointer === el.dataset.field && control.type !== "checkbox") control.required = required;
      }
    }
  }

  hasAnswer(part) {
    if (part.querySelector("[data-rows] > *")) return true;
    return [...part.querySelectorAll("[data-kind]")].some((c) => {
      if (c.dataset.kind === "const" || (c.dataset.default === "today" && c.value === today())) return false;
      if (c.type === "checkbox") return c.checked !== (c.dataset.default === "true");
      if (c.type === "radio") return c.checked && c.value !== "";
      return c.value.trim() !== "";
    });
  }

  // ---- rows ----

  groupAt(pointer) {
    return [...this.form.querySelectorAll("[data-group=array]")].find((g) => g.dataset.pointer === pointer);
  }

  addRow(group, focus = true) {
    const pointer = group.dataset.pointer;
    const rows = group.querySelector(":scope > [data-rows]");
    const index = rows.children.length;
    const row = group.querySelector(":scope > template").content.firstElementChild.cloneNode(true);
    rebase(row, `${pointer}/${ROW}`, `${pointer}/${index}`);
    this.renumber(row, index);
    rows.append(row);
    this.updateRowsState(group);
    if (focus) row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    return row;
  }

  removeRow(row) {
    const group = row.closest("[data-group=array]");
    const pointer = group.dataset.pointer;
    const rows = [...group.querySelector(":scope > [data-rows]").children];
    const index = rows.indexOf(row);
    const title = row.querySelector("legend").firstChild.textContent.replace(/\s*n°\s*$/, "");
    row.remove();
    rows.slice(index + 1).forEach((next, i) => {
      rebase(next, `${pointer}/${index + 1 + i}`, `${pointer}/${index + i}`);
      this.renumber(next, index + i);
    });
    this.updateRowsState(group);
    const target = rows[index + 1] ?? rows[index - 1];
    (target?.querySelector("input:not([type=hidden]), select, textarea") ?? group.querySelector(":scope > [data-add-row]")).focus();
    this.say(`${title} n° ${index + 1} supprimée.`);
    this.edited();
  }

  renumber(row, index) {
    for (const el of row.querySelectorAll("[data-row-number]")) {
      if (ownedBy(el, "[data-row]", row)) el.textContent = String(index + 1);
    }
  }

  updateRowsState(group) {
    const count = group.querySelector(":scope > [data-rows]").children.length;
    group.querySelector(":scope > [data-rows-empty]").hidden = count > 0;
    const max = Number(group.dataset.maxItems || Infinity);
    group.querySelector(":scope > [data-add-row]").disabled = count >= max;
  }

  clearRows() {
    for (const rows of this.form.querySelectorAll("[data-rows]")) rows.replaceChildren();
    for (const group of this.form.querySelectorAll("[data-group=array]")) this.updateRowsState(group);
  }

  // ---- drafts ----

  snapshot() {
    const fields = {};
    const rows = {};
    for (const el of this.controls()) {
      if (el.dataset.kind === "const") continue;
      if (el.type === "radio") { if (el.checked) fields[el.name] = el.value; }
      else fields[el.id] = el.type === "checkbox" ? el.checked : el.value;
    }
    for (const group of this.form.querySelectorAll("[data-group=array]")) {
      rows[group.dataset.pointer] = group.querySelector(":scope > [data-rows]").children.length;
    }
    return { version: 1, call: this.call, saved: new Date().toISOString(), rows, fields };
  }

  restore(snapshot) {
    this.form.reset();
    this.clearRows();
    const pending = Object.entries(snapshot.rows || {}).sort(([a], [b]) => a.split("/").length - b.split("/").length);
    for (const [pointer, count] of pending) {
      const group = this.groupAt(pointer);
      for (let i = 0; group && i < count; i++) this.addRow(group, false);
    }
    for (const [key, value] of Object.entries(snapshot.fields || {})) {
      const el = document.getElementById(key);
      if (el && el.type === "checkbox") el.checked = value === true;
      else if (el) el.value = String(value);
      else this.form.querySelectorAll("input[type=radio]").forEach((r) => { if (r.name === key) r.checked = r.value === value; });
    }
  }

  saveDraft() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.snapshot()));
    } catch {
      this.say("Le brouillon n'a pas pu être enregistré sur cet appareil (stockage plein ou désactivé) : exportez votre dossier pour le garder.");
    }
  }

  restoreDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(this.key)); } catch { draft = null; }
    if (!isObject(draft) || draft.call !== this.call) return false;
    this.restore(draft);
    this.applyDefaults();
    this.say("Votre brouillon enregistré sur cet appareil a été rétabli.");
    return true;
  }

  /** The applicant picked in the finder fills the applicant block; the rest of the draft stays. */
  applyPrefill() {
    let prefill = null;
    try {
      prefill = JSON.parse(localStorage.getItem(PREFILL_KEY));
      if (isObject(prefill) && prefill.call === this.call) localStorage.removeItem(PREFILL_KEY);
    } catch { return; }
    if (!isObject(prefill) || prefill.call !== this.call || !isObject(prefill.applicant)) return;
    const byPointer = this.controlsByPointer();
    const filled = Object.entries(prefill.applicant)
      .filter(([key, value]) => byPointer.has(`/applicant/${key}`) && this.fill(byPointer.get(`/applicant/${key}`), value, new Map()));
    if (!filled.length) return;
    this.saveDraft();
    this.say(`Porteur de projet repris de la recherche par collectivité : ${String(prefill.applicant.name ?? "")}. Vérifiez-le et complétez le reste du dossier ; vos autres réponses sont conservées.`);
  }

  applyDefaults() {
    for (const el of this.form.querySelectorAll("[data-default=today]")) if (!el.value) el.value = today();
  }

  // ---- import / export / clear ----

  exportFile() {
    const { dossier, exact, problems } = this.collect();
    const raw = typeof JSON.rawJSON === "function";
    const exactify = (value, pointer) => {
      if (exact.has(pointer) && raw) return JSON.rawJSON(exact.get(pointer));
      if (Array.isArray(value)) return value.map((v, i) => exactify(v, `${pointer}/${i}`));
      if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactify(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`)]));
      return value;
    };
    const text = JSON.stringify(exactify(dossier, ""), null, 2) + "\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `dossier-${this.call}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    this.say(problems.size
      ? `Dossier exporté. Attention : ${problems.size} nombre(s) illisible(s) n'y figure(nt) pas ; corrigez-les puis exportez à nouveau.`
      : "Dossier exporté (fichier JSON).");
  }

  async importFile(input) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    let data;
    const sources = new Map();
    try {
      data = JSON.parse(await file.text(), function (key, value, context) {
        if (typeof value === "number" && context?.source) sources.set(value, context.source);
        return value;
      });
    } catch {
      return this.say(`Import impossible : « ${file.name} » n'est pas un fichier JSON lisible. Votre brouillon n'a pas changé.`, true);
    }
    if (!isObject(data)) return this.say(`Import impossible : « ${file.name} » ne contient pas un dossier (un objet JSON est attendu). Votre brouillon n'a pas changé.`, true);
    if ("call" in data && data.call !== this.call) {
      return this.say(`Import impossible : ce dossier concerne l'appel « ${String(data.call)} », pas celui-ci (« ${this.call} »). Votre brouillon n'a pas changé.`, true);
    }
    const ignored = this.load(data, sources);
    this.applyDefaults();
    this.edited();
    this.say(ignored.length
      ? `Dossier importé. ${ignored.length} donnée(s) sans champ dans ce formulaire n'ont pas été reprises : ${ignored.slice(0, 5).join(", ")}${ignored.length > 5 ? "…" : ""}.`
      : `Dossier « ${file.name} » importé.`);
  }

  /** Fill the form from a dossier; returns the pointers that have no field here. */
  load(data, sources) {
    this.form.reset();
    this.clearRows();
    const ignored = [];
    let byPointer = this.controlsByPointer();
    for (const el of this.controls()) if (el.type === "checkbox") el.checked = false;
    const visit = (value, pointer) => {
      const group = Array.isArray(value) ? this.groupAt(pointer) : null;
      if (group) {
        value.forEach(() => this.addRow(group, false));
        byPointer = this.controlsByPointer(); // the new rows' controls
        return value.forEach((v, i) => visit(v, `${pointer}/${i}`));
      }
      const controls = byPointer.get(pointer);
      if (isObject(value) && !controls) return Object.entries(value).forEach(([k, v]) => visit(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`));
      if (!controls) return ignored.push(pointer);
      if (!this.fill(controls, value, sources)) ignored.push(pointer);
    };
    visit(data, "");
    return ignored.filter((p) => p !== "/call");
  }

  fill(controls, value, sources) {
    const [first] = controls;
    const kind = first.dataset.kind;
    if (kind === "const") return true;
    if (kind === "choice") return Array.isArray(value) && controls.every((c) => { c.checked = value.includes(c.value); return true; });
    if (first.type === "radio") {
      const match = controls.find((c) => c.value === value);
      if (match) match.checked = true;
      return Boolean(match);
    }
    if (first.type === "checkbox") { first.checked = value === true; return typeof value === "boolean"; }
    if (first.tagName === "SELECT" && ![...first.options].some((o) => o.value === value)) return false;
    first.value = typeof value === "number" ? sources.get(value) ?? String(value) : isObject(value) || Array.isArray(value) ? JSON.stringify(value) : String(value);
    return true;
  }

  clearAll() {
    if (!window.confirm("Effacer toutes les réponses de ce formulaire ? Le brouillon enregistré sur cet appareil sera supprimé. Exportez d'abord votre dossier si vous voulez le garder.")) return;
    this.form.reset();
    this.clearRows();
    try { localStorage.removeItem(this.key); } catch { /* nothing stored */ }
    this.applyDefaults();
    this.refresh();
    this.clearErrors();
    this.say("Formulaire effacé.");
    this.checkNow();
  }

  // ---- clicks ----

  onClick(event) {
    const target = event.target.closest("button, a");
    if (!target || !this.section.contains(target)) return;
    if (target.matches("[data-add-row]")) this.addRow(this.groupAt(target.dataset.addRow)), this.edited();
    else if (target.matches("[data-remove-row]")) this.removeRow(target.closest("[data-row]"));
    else if (target.matches("[data-export]")) this.exportFile();
    else if (target.matches("[data-clear]")) this.clearAll();
    else if (target.matches("[data-print]")) this.fitTextareas(), window.print();
    else if (target.matches("[data-clause]")) showClause(event, target);
    else if (target.matches("[data-goto]")) {
      event.preventDefault();
      event.stopPropagation();
      const field = this.fieldFor(target.dataset.goto);
      field?.scrollIntoView({ block: "center" });
      field?.focus({ preventScroll: true });
    }
  }

  fitTextareas() {
    for (const area of this.form.querySelectorAll("textarea")) area.style.height = `${area.scrollHeight + 4}px`;
  }

  // ---- checking ----

  checkNow() {
    clearTimeout(this.timer);
    if (runtime.state !== "ready" || this.abort.signal.aborted) return;
    const { dossier, problems } = this.collect();
    const id = ++checkSeq;
    this.lastId = id;
    // Only the newest check is shown: an older answer arriving late is dropped.
    const current = () => id === this.lastId && !this.abort.signal.aborted;
    runtime.client.check(this.call, dossier).then(({ report, ms }) => {
      if (!current()) return;
      this.problems = problems;
      this.render(report, ms);
    }, (error) => {
      if (!current()) return;
      this.ui.verdict.textContent = `Le vérificateur a rencontré une erreur : ${error.message}`;
      this.ui.verdict.className = "verdict verdict--incomplet";
    });
  }

  showProgress() {
    const text = runtime.state === "ready"
      ? `Vérificateur prêt${runtime.readyMs !== null ? ` (chargé en ${(runtime.readyMs / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} s)` : ""}.`
      : runtime.text || this.ui.progress.textContent;
    this.ui.progress.textContent = text;
    this.section.dataset.runtime = runtime.state;
    if (runtime.readyMs !== null) this.section.dataset.readyMs = String(runtime.readyMs);
  }

  say(text, isError = false) {
    this.ui.message.textContent = text;
    this.ui.message.classList.toggle("verif__message--erreur", isError);
  }

  // ---- results ----

  render(report, ms) {
    const localErrors = [...this.problems].map(([path, message]) => ({ path, message, local: true }));
    const errors = [...localErrors, ...report.schema_errors.filter((e) => !this.problems.has(e.path))];
    const eligible = localErrors.length && report.eligible === true ? null : report.eligible;
    const [cls, text] = eligible === true ? ["ok", "Éligible : toutes les conditions bloquantes sont respectées."]
      : eligible === false ? ["ko", "Non éligible : au moins une condition bloquante n'est pas respectée."]
        : ["incomplet", "À compléter : des réponses manquent ou sont à vérifier avant de conclure."];
    this.ui.verdict.textContent = text;
    this.ui.verdict.className = `verdict verdict--${cls}`;
    this.section.dataset.result = cls;
    this.ui.timing.textContent = `Vérification faite en ${Math.round(ms)} ms.`;
    this.section.dataset.checkMs = String(ms);
    this.ui.summary.hidden = false;
    this.ui.summary.firstElementChild.textContent = `Résultat : ${text.split(" :")[0]} — voir le détail`;
    this.ui.rules.replaceChildren(...report.verdicts.map((v) => this.ruleItem(v)));
    this.renderFigures(report.figures);
    this.renderErrors(errors);
  }

  ruleItem(verdict) {
    const li = el("li", `regle regle--${verdict.status}`);
    li.dataset.rule = verdict.rule;
    li.dataset.status = verdict.status;
    const head = el("p", "regle__tete");
    head.append(el("span", "regle__statut", STATUS[verdict.status] ?? verdict.status), " ",
      el("strong", "", verdict.label), " ", el("span", "regle__portee", verdict.blocking ? "(condition)" : "(indication, non bloquante)"));
    li.append(head, el("p", "regle__message", verdict.message));
    if (verdict.clause) {
      const link = el("a", "regle__clause", "Voir la clause du texte");
      link.href = new URL(verdict.clause, siteRoot).href;
      link.dataset.clause = "";
      li.append(link);
    }
    return li;
  }

  renderFigures(figures) {
    const items = figures.flatMap((f) => {
      const dd = el("dd", "", f.value);
      if (f.formula) dd.append(el("span", "montants__formule", f.formula));
      return [el("dt", "", f.label), dd];
    });
    this.ui.figures.replaceChildren(...items);
    this.section.querySelector("[data-figures-empty]").hidden = figures.length > 0;
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll("[data-error-for]")) { slot.textContent = ""; slot.hidden = true; }
    for (const bad of this.form.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
    this.ui.errors.replaceChildren();
    this.section.querySelector("[data-errors-empty]").hidden = false;
  }

  fieldFor(pointer) {
    return this.controls().find((c) => c.dataset.pointer === pointer && c.type !== "hidden")
      ?? [...this.form.querySelectorAll("[data-group]")].find((g) => g.dataset.pointer === pointer)?.querySelector("input, select, textarea, button");
  }

  renderErrors(errors) {
    this.clearErrors();
    const slots = new Map([...this.form.querySelectorAll("[data-error-for]")].map((s) => [s.dataset.errorFor, s]));
    const items = errors.map(({ path, message }) => {
      const slot = slots.get(path);
      if (slot && this.active(slot)) {
        slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
        slot.hidden = false;
        for (const c of this.controls()) if (c.dataset.pointer === path) c.setAttribute("aria-invalid", "true");
        for (const g of this.form.querySelectorAll("[data-group]")) if (g.dataset.pointer === path) g.setAttribute("aria-invalid", "true");
      }
      const li = el("li");
      const field = slot && this.active(slot) ? this.fieldFor(path) : null;
      if (field) {
        const link = el("a", "", message);
        link.href = `#${field.id}`;
        link.dataset.goto = path;
        li.append(link);
      } else {
        li.append(message);
      }
      return li;
    });
    this.ui.errors.replaceChildren(...items);
    this.section.querySelector("[data-errors-empty]").hidden = items.length > 0;
  }
}

function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** Follow a clause link: on this page, scroll to the clause and highlight its block a moment. */
function showClause(event, link) {
  const url = new URL(link.href);
  if (url.pathname !== location.pathname) return; // another page: let the browser navigate
  const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  event.stopPropagation(); // instant navigation would otherwise reload the page for this link
  const block = target.closest("p, li, tr, h1, h2, h3, h4, h5, h6, dd, dt, blockquote, table, section, div") ?? target;
  target.scrollIntoView({ block: "center" });
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
  block.classList.add("clause-highlight");
  setTimeout(() => block.classList.remove("clause-highlight"), HIGHLIGHT_MS);
}

// ---- page lifecycle --------------------------------------------------------------------------------

function onPage() {
  runtime.page?.stop();
  runtime.page = null;
  const section = document.querySelector("[data-checker]");
  if (!section) return;
  runtime.page = new CheckerPage(section);
  runtime.page.start();
}

if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
