// The dossier in steps (candidat, projet, budget, pièces et engagements): one step shown at a
// time, each with what is answered and what the checker still needs. Without JavaScript every
// step stays on the page, one after the other.

import { plural } from "./pointers.js";

export class Steps {
  constructor(form, state) {
    this.form = form;
    this.state = state;
    this.nav = form.querySelector("[data-steps-nav]");
    this.steps = [...form.querySelectorAll("[data-form-step]")];
    this.current = this.steps[0]?.dataset.formStep;
  }

  enhance() {
    if (this.steps.length < 2) return;
    this.nav.hidden = false;
    for (const buttons of this.form.querySelectorAll("[data-step-buttons]")) buttons.hidden = false;
    this.show(this.current, false);
  }

  show(id, focus = true) {
    this.current = id;
    for (const step of this.steps) step.hidden = this.steps.length > 1 && step.dataset.formStep !== id;
    for (const button of this.nav.querySelectorAll("[data-step-go]")) {
      if (button.dataset.stepGo === id) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    }
    if (focus) {
      const title = this.form.querySelector(`#etape-${CSS.escape(id)}-titre`);
      title?.focus({ preventScroll: true });
      this.nav.scrollIntoView({ block: "start" });
    }
  }

  /** Open the step that holds an element (a field an error or a question points to). */
  reveal(element) {
    const step = element?.closest("[data-form-step]");
    if (step && step.hidden) this.show(step.dataset.formStep, false);
  }

  /** Per step: the fields answered, and the questions the checker still needs there. */
  count(questions) {
    for (const step of this.steps) {
      const leaves = [...step.querySelectorAll("[data-field]")].filter((f) => !f.querySelector("[data-field]") && !f.closest("template") && this.state.active(f));
      const answered = leaves.filter((f) => [...f.querySelectorAll("[data-kind]")].some((c) => this.state.isAnswered(c))).length;
      const needed = (questions ?? []).filter((q) => step.querySelector(`[data-field="${CSS.escape(q.pointer)}"]`)).length;
      const counter = this.nav.querySelector(`[data-step-count="${CSS.escape(step.dataset.formStep)}"]`);
      counter.textContent = `${plural(answered, "réponse")}${needed ? ` · ${needed} à donner` : ""}`;
      counter.dataset.needed = String(needed);
    }
  }
}
