// « Questions qui décident »: the answers that can still change the verdict, ranked by the
// checker (report.questions: how many blocking rules each one would decide), shown first.
// Each question is a mirror of its field in the full dossier (same label, same help, same
// choices), kept in step with it both ways, and tied to the clause of the text that asks it.

import { clauseLink } from "./results.js";
import { el } from "./pointers.js";

const PENDING_SHOWN = 5; // the next questions shown at once; answered ones stay, to be changed
const REASONS_SHOWN = 2; // the conditions named under a question; the others are counted
const MIRROR_PREFIX = "q-";
const RENAMED = ["id", "for", "name"];

export class Questions {
  constructor(section, state, onAnswer) {
    this.panel = section.querySelector("[data-questions]");
    this.list = section.querySelector("[data-questions-list]");
    this.help = section.querySelector("[data-questions-help]");
    // Answers given here fold away, to be changed: the next questions stay at the top.
    this.done = section.querySelector("[data-questions-done]");
    this.doneList = section.querySelector("[data-questions-done-list]");
    this.doneCount = section.querySelector("[data-questions-done-count]");
    this.state = state;
    this.onAnswer = onAnswer;
    this.shown = new Map(); // pointer → its mirror block
    for (const list of [this.list, this.doneList]) {
      list.addEventListener("input", (event) => this.copyToForm(event.target));
      list.addEventListener("change", (event) => this.copyToForm(event.target));
    }
  }

  /** Show the questions of a report (or of the empty dossier, computed at build time). */
  update(report, verdict) {
    const wanted = (report.questions ?? []).filter((q) => this.fieldOf(q.pointer));
    const verdicts = new Map(report.verdicts.map((v) => [v.rule, v]));
    const keep = [...this.shown.keys()].filter((p) => this.answered(p) || this.shown.get(p).contains(document.activeElement));
    const next = wanted.filter((q) => !keep.includes(q.pointer)).slice(0, verdict === "non_eligible" ? 0 : PENDING_SHOWN);
    const pointers = [...keep, ...next.map((q) => q.pointer)];
    for (const [pointer, block] of this.shown) if (!pointers.includes(pointer)) { block.remove(); this.shown.delete(pointer); }
    for (const q of next) {
      if (this.shown.has(q.pointer)) continue;
      const block = this.mirror(q, q.rules.map((r) => verdicts.get(r)).filter(Boolean));
      this.shown.set(q.pointer, block);
    }
    // New questions join at the end; the one being answered does not move until the reader leaves it.
    for (const pointer of pointers) {
      const block = this.shown.get(pointer);
      const answered = this.answered(pointer);
      block.toggleAttribute("data-answered", answered);
      if (block.contains(document.activeElement)) continue;
      const home = answered ? this.doneList : this.list;
      if (block.parentNode !== home) home.append(block);
    }
    const done = this.doneList.children.length;
    this.done.hidden = done === 0;
    this.doneCount.textContent = done === 1 ? "Votre réponse : la modifier" : `Vos ${done} réponses : les modifier`;
    this.panel.hidden = pointers.length === 0;
    this.help.textContent = verdict === "non_eligible"
      ? "Le résultat est acquis : aucune autre réponse ne le changera. Vous pouvez modifier celles-ci."
      : next.length ? "Les réponses qui peuvent encore changer le résultat, de la plus décisive à la moins décisive."
        : "Toutes les questions qui décident ont une réponse. Vous pouvez les modifier ici.";
    this.syncFromForm();
  }

  fieldOf(pointer) {
    return this.state.form.querySelector(`[data-field="${CSS.escape(pointer)}"]`);
  }

  answered(pointer) {
    return (this.state.byPointer().get(pointer) ?? []).some((c) => this.state.isAnswered(c));
  }

  /** A copy of the field's block, with its own ids and names, and the rules that ask for it. */
  mirror(question, verdicts) {
    const field = this.fieldOf(question.pointer);
    const block = el("div", "question");
    block.dataset.question = question.pointer;
    block.append(field.querySelector(":scope > [data-group=array], :scope > [data-group=object]") ? this.pointTo(field) : this.copyOf(field));
    this.explain(block, verdicts);
    return block;
  }

  /** A list (budget lines…) is answered where it is: a button opens its step. */
  pointTo(field) {
    const group = field.querySelector(":scope > [data-group]");
    const box = el("div", "question__liste");
    box.append(el("p", "champ__libelle", group.querySelector("legend").firstChild.textContent.trim()));
    const help = group.querySelector(":scope > .champ__aide");
    if (help) box.append(el("p", "champ__aide", help.textContent));
    const step = field.closest("[data-form-step]");
    const title = step?.querySelector(".etape__titre")?.textContent.replace(/^Étape \d+ sur \d+ : /, "");
    const go = el("button", "md-button bouton", title ? `Remplir dans l'étape « ${title} »` : "Remplir dans le dossier");
    go.type = "button";
    go.dataset.goto = group.dataset.pointer;
    box.append(go);
    return box;
  }

  copyOf(field) {
    const copy = field.cloneNode(true);
    copy.hidden = false;
    for (const node of [copy, ...copy.querySelectorAll("*")]) {
      for (const name of RENAMED) if (node.hasAttribute(name)) node.setAttribute(name, MIRROR_PREFIX + node.getAttribute(name));
      if (node.hasAttribute("aria-describedby")) {
        node.setAttribute("aria-describedby", node.getAttribute("aria-describedby").split(/\s+/).map((id) => MIRROR_PREFIX + id).join(" "));
      }
      if (node.dataset.kind) { node.dataset.mirror = node.dataset.pointer; delete node.dataset.kind; delete node.dataset.pointer; }
      for (const key of ["field", "when", "requiredWhen", "errorFor", "group"]) delete node.dataset[key];
      node.removeAttribute("aria-invalid");
      if (node.matches("[data-required-marker], .champ__erreur")) node.remove();
    }
    return copy;
  }

  explain(block, verdicts) {
    const asked = verdicts.filter((v) => v.clause);
    if (asked.length) {
      const blocking = asked.filter((v) => v.blocking);
      const named = (blocking.length ? blocking : asked).slice(0, REASONS_SHOWN);
      const why = el("p", "question__pourquoi", asked.length > 1 ? `Compte pour ${asked.length} conditions, dont : ` : "Compte pour la condition : ");
      named.forEach((v, i) => why.append(i ? " ; " : "", el("span", "", v.label), " (", clauseLink(v), ")"));
      why.append(".");
      block.append(why);
    }
  }

  copyToForm(mirror) {
    const pointer = mirror.dataset.mirror;
    if (!pointer) return;
    const controls = this.state.byPointer().get(pointer) ?? [];
    for (const real of controls) {
      if (real.type === "radio" || real.type === "checkbox") {
        if (real.value === mirror.value || real.type === "checkbox" && controls.length === 1) real.checked = mirror.checked;
      } else {
        real.value = mirror.value;
      }
    }
    this.onAnswer(pointer);
  }

  /** The form changed (typed there, imported, restored): the mirrors show the same answers. */
  syncFromForm() {
    const byPointer = this.state.byPointer();
    for (const mirror of this.panel.querySelectorAll("[data-mirror]")) {
      if (mirror === document.activeElement && mirror.type !== "radio") continue;
      const controls = byPointer.get(mirror.dataset.mirror) ?? [];
      const real = controls.find((c) => c.type !== "radio" && c.type !== "checkbox" || c.value === mirror.value) ?? controls[0];
      if (!real) continue;
      if (mirror.type === "radio" || mirror.type === "checkbox") mirror.checked = real.checked;
      else mirror.value = real.value;
    }
  }
}
