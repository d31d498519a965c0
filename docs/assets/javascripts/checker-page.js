// The self-assessment of a call page: wires the form's parts (assets/javascripts/form/) to the
// checker worker. Loaded on every page; does nothing where there is no form, so text pages never
// download Pyodide. With instant navigation (document$) the one worker serves every call page.
//
//   form/state.js       the dossier ↔ the controls, by JSON pointer
//   form/rows.js        lists of rows (budget lines…)
//   form/conditions.js  parts that apply only in some cases
//   form/steps.js       the dossier in steps, with their counts
//   form/questions.js   « Questions qui décident », first
//   form/results.js     the verdict and its reasons
//   form/clauses.js     clause links and the way back
//   form/drafts.js      drafts, finder hand-over, import / export
//   form/applicant.js   « Votre collectivité »: the applicant block from the official data
//   form/runtime.js     the checker's loading state
//
// Everything shown to the reader is set with textContent: typed text never becomes markup.

import { Applicant } from "./form/applicant.js";
import { Conditions } from "./form/conditions.js";
import { Drafts } from "./form/drafts.js";
import { Questions } from "./form/questions.js";
import { Results } from "./form/results.js";
import { Rows } from "./form/rows.js";
import { runtime, showRuntime, startRuntime, startWhenIdle } from "./form/runtime.js";
import { checkerStarted } from "./checker-client.js";
import { FormState } from "./form/state.js";
import { Steps } from "./form/steps.js";
import { returnToRule, showClause } from "./form/clauses.js";

export { parseNumber } from "./form/pointers.js";
export { matches } from "./form/conditions.js";

const DEBOUNCE_MS = 300;
let checkSeq = 0;

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

class CheckerPage {
  constructor(section) {
    this.section = section;
    this.form = section.querySelector("[data-form]");
    this.rows = new Rows(this.form);
    this.state = new FormState(this.form, section.dataset.checker, this.rows);
    this.conditions = new Conditions(this.form, JSON.parse(section.dataset.conditions || "{}"), this.state);
    this.steps = new Steps(this.form, this.state);
    this.drafts = new Drafts(this.state, (text, isError) => this.say(text, isError));
    this.questions = new Questions(section, this.state, () => this.edited());
    this.results = new Results(section, (pointer) => this.titleAt(pointer));
    this.applicant = new Applicant(section, this.drafts, (pointers) => {
      pointers.forEach((p) => this.touched.add(p));
      this.edited();
    });
    this.ui = { progress: section.querySelector("[data-progress]"), progressBar: section.querySelector("[data-progress-bar]"),
      message: section.querySelector("[data-message]") };
    this.abort = new AbortController();
    this.touched = new Set(); // fields the reader has left: their errors may show
    this.showAll = false; // « Vérifier mon dossier » asked: every error shows
    this.lastId = 0;
    this.report = JSON.parse(section.dataset.initial || "null");
  }

  start() {
    const on = (target, type, fn) => target.addEventListener(type, fn, { signal: this.abort.signal });
    runtime.call ??= this.section.dataset.checker; // the first call page of the visit: its rules are prepared first
    if (this.drafts.restore()) this.touchAnswered();
    this.drafts.applyPrefill();
    this.steps.enhance();
    this.applicant.enhance();
    this.refresh();
    this.showClosed();
    for (const button of this.form.querySelectorAll("[data-today]")) button.hidden = false;
    on(this.form, "input", () => this.edited());
    on(this.form, "change", () => this.edited());
    on(this.section, "focusout", (event) => this.left(event.target));
    on(this.form, "submit", (event) => { event.preventDefault(); this.checkAll(); });
    on(this.section, "focusin", startRuntime);
    on(this.section, "click", (event) => this.onClick(event));
    on(this.section.querySelector("[data-import]"), "change", (event) => this.importFile(event.target));
    on(window, "beforeprint", () => this.beforePrint());
    on(window, "popstate", () => setTimeout(returnToRule, 0));
    for (const start of document.querySelectorAll("[data-start-checker]")) on(start, "click", startRuntime);
    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { startRuntime(); this.observer.disconnect(); }
      });
      this.observer.observe(this.section);
    } else {
      startRuntime();
    }
    if (location.hash === "#verification" || checkerStarted()) startRuntime();
    startWhenIdle(this.abort.signal);
    this.showProgress();
    if (this.report) this.show(this.report, null, new Map());
    if (runtime.state === "ready") this.checkNow();
  }

  stop() {
    this.abort.abort();
    this.observer?.disconnect();
    clearTimeout(this.timer);
  }

  edited() {
    this.section.dataset.pending = "1"; // a check is due: tests and the reader wait for its report
    this.refresh();
    this.drafts.save();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.checkNow(), DEBOUNCE_MS);
  }

  refresh() {
    this.conditions.apply();
    this.rows.updateAll();
    this.questions.syncFromForm();
    this.steps.count(this.report?.questions);
  }

  left(control) {
    const pointer = control.dataset?.pointer ?? control.dataset?.mirror;
    if (!pointer || this.touched.has(pointer)) return;
    this.touched.add(pointer);
    if (this.report) this.showErrors();
  }

  touchAnswered() {
    for (const c of this.state.controls()) if (this.state.isAnswered(c)) this.touched.add(c.dataset.pointer);
  }

  checkAll() {
    this.showAll = true;
    this.checkNow();
    this.showErrors();
    this.section.querySelector("[data-results]").focus();
  }

  showClosed() {
    const closing = this.section.dataset.closing;
    const notice = this.section.querySelector("[data-closed]");
    if (!closing || new Date(closing) > new Date()) return;
    const day = new Date(closing).toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });
    notice.textContent = `Cet appel est clos depuis le ${day.replace(/^1 /, "1er ")} : vous pouvez préparer un dossier pour une prochaine édition ; la date de dépôt que vous indiquerez décidera du calendrier.`;
    notice.hidden = false;
  }

  // ---- clicks ----

  onClick(event) {
    const target = event.target.closest("button, a");
    if (!target || !this.section.contains(target)) return;
    if (target.matches("[data-add-row]")) this.rows.add(this.rows.groupAt(target.dataset.addRow)), this.edited();
    else if (target.matches("[data-remove-row]")) this.say(this.rows.remove(target.closest("[data-row]"))), this.edited();
    else if (target.matches("[data-step-go]")) this.steps.show(target.dataset.stepGo);
    else if (target.matches("[data-today]")) this.fillToday(target.dataset.today);
    else if (target.matches("[data-export]")) this.drafts.exportFile();
    else if (target.matches("[data-clear]")) this.clearAll();
    else if (target.matches("[data-print]")) this.beforePrint(), window.print();
    else if (target.matches("[data-clause]")) showClause(event, target);
    else if (target.matches("[data-goto]")) {
      event.preventDefault();
      event.stopPropagation();
      this.goTo(target.dataset.goto);
    }
  }

  goTo(pointer) {
    const field = this.fieldFor(pointer);
    this.steps.reveal(field);
    field?.scrollIntoView({ block: "center" });
    field?.focus({ preventScroll: true });
  }

  fillToday(pointer) {
    const input = this.state.byPointer().get(pointer)?.[0];
    if (!input) return;
    input.value = today();
    this.touched.add(pointer);
    this.edited();
  }

  /** On paper, every step and every group of conditions; on screen again, as the reader left them. */
  beforePrint() {
    for (const step of this.form.querySelectorAll("[data-form-step]")) step.hidden = false;
    for (const area of this.form.querySelectorAll("textarea")) area.style.height = `${area.scrollHeight + 4}px`;
    const folded = [...this.section.querySelectorAll("[data-results] details:not([open])")];
    folded.forEach((d) => { d.open = true; });
    window.addEventListener("afterprint", () => {
      this.steps.show(this.steps.current, false);
      folded.forEach((d) => { d.open = false; });
    }, { once: true, signal: this.abort.signal });
  }

  clearAll() {
    if (!window.confirm("Effacer toutes les réponses de ce formulaire ? Le brouillon enregistré sur cet appareil sera supprimé. Exportez d'abord votre dossier si vous voulez le garder.")) return;
    this.state.reset();
    this.drafts.forget();
    this.touched.clear();
    this.showAll = false;
    this.refresh();
    this.say("Formulaire effacé.");
    this.checkNow();
  }

  async importFile(input) {
    if (!(await this.drafts.importFile(input))) return;
    this.showAll = true;
    this.edited();
  }

  // ---- checking ----

  checkNow() {
    clearTimeout(this.timer);
    if (runtime.state !== "ready" || this.abort.signal.aborted) return;
    const { dossier, problems } = this.state.collect();
    const id = ++checkSeq;
    this.lastId = id;
    // Only the newest check is shown: an older answer arriving late is dropped.
    const current = () => id === this.lastId && !this.abort.signal.aborted;
    runtime.client.check(this.state.call, dossier).then(({ report, ms }) => {
      if (!current()) return;
      delete this.section.dataset.pending;
      this.show(report, ms, problems);
    }, (error) => {
      if (!current()) return;
      delete this.section.dataset.pending;
      this.say(`Le vérificateur a rencontré une erreur : ${error.message} Vos réponses sont conservées.`, true);
    });
  }

  show(report, ms, problems) {
    this.report = report;
    this.problems = problems;
    const answered = this.state.controls().some((c) => this.state.isAnswered(c)) || this.form.querySelector("[data-rows] > *") !== null;
    const verdict = this.results.render(report, { localErrors: problems.size > 0, answered });
    if (ms !== null) {
      this.section.dataset.checkMs = String(ms);
      this.section.dataset.checks = String(Number(this.section.dataset.checks || 0) + 1);
    }
    this.questions.update(report, verdict);
    this.steps.count(report.questions);
    this.showErrors();
    // Back from a clause reloads the page: once the first live report is drawn, the reader is
    // put back on the rule they left (the build-time report's rule was replaced).
    if (ms !== null && !this.backOnRule) {
      this.backOnRule = true;
      returnToRule();
    }
  }

  /** Errors of the fields the reader has left, or of every field once they asked for a check. */
  showErrors() {
    const local = [...(this.problems ?? [])].map(([path, message]) => ({ path, message }));
    const all = [...local, ...(this.report?.schema_errors ?? []).filter((e) => !this.problems?.has(e.path))];
    // A field left empty whose whole block is missing gets its block's error (« Demandeur »).
    const left = (path) => this.touched.has(path) || [...this.touched].some((t) => t.startsWith(`${path}/`));
    const shown = all.filter((e) => this.showAll || left(e.path) || this.problems?.has(e.path));
    const order = [...this.form.querySelectorAll("[data-error-for]")].map((slot) => slot.dataset.errorFor);
    const position = (e) => { const i = order.indexOf(e.path); return i < 0 ? Infinity : i; };
    shown.sort((a, b) => position(a) - position(b));
    for (const slot of this.form.querySelectorAll("[data-error-for]")) { slot.textContent = ""; slot.hidden = true; }
    for (const bad of this.form.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
    const slots = new Map([...this.form.querySelectorAll("[data-error-for]")].map((s) => [s.dataset.errorFor, s]));
    const linked = [];
    for (const error of shown) {
      const slot = slots.get(error.path);
      const visible = slot && this.state.active(slot);
      if (visible) {
        slot.textContent = slot.textContent ? `${slot.textContent} ${error.message}` : error.message;
        slot.hidden = false;
        for (const c of this.state.controls()) if (c.dataset.pointer === error.path) c.setAttribute("aria-invalid", "true");
      }
      linked.push(error);
    }
    this.results.renderErrors(linked, (path) => (slots.get(path) && this.state.active(slots.get(path)) ? this.fieldFor(path) : null));
  }

  fieldFor(pointer) {
    return this.state.controls().find((c) => c.dataset.pointer === pointer && c.type !== "hidden")
      ?? [...this.form.querySelectorAll("[data-group]")].find((g) => g.dataset.pointer === pointer)?.querySelector("input, select, textarea, button");
  }

  /** The French label of the question at a pointer, as the form shows it. */
  titleAt(pointer) {
    const field = this.form.querySelector(`[data-field="${CSS.escape(pointer)}"]`);
    const label = field?.querySelector("legend, label");
    return label ? (label.firstChild?.textContent ?? label.textContent).trim() : null;
  }

  showProgress() {
    showRuntime(this.section, this.ui);
  }

  say(text, isError = false) {
    this.ui.message.textContent = text;
    this.ui.message.classList.toggle("verif__message--erreur", isError);
  }
}

// ---- page lifecycle --------------------------------------------------------------------------------

function onPage() {
  runtime.page?.stop();
  runtime.page = null;
  const section = document.querySelector("[data-checker]");
  if (!section) return;
  runtime.page = new CheckerPage(section);
  runtime.page.start();
  returnToRule();
}

if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
