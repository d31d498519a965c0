// Drafts on this device (localStorage), the applicant handed over by the finder, and the
// dossier as a JSON file (export / import). Nothing the reader typed is ever lost: a failed
// import leaves the draft as it was.

import { PREFILL_KEY, siteRoot } from "../checker-client.js";
import { child, isObject, plural } from "./pointers.js";

const MAX_FILE_BYTES = 5_000_000; // far beyond any dossier; a bigger file is not one

export class Drafts {
  constructor(state, say) {
    this.state = state;
    this.say = say;
    this.key = `${siteRoot().pathname}verificateur.brouillon.${state.call}`;
  }

  /** Save the form as this device's draft; false (and the reader told) when it cannot be. */
  save() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.state.snapshot()));
      return true;
    } catch {
      this.say("Le brouillon n'a pas pu être enregistré sur cet appareil (stockage plein ou désactivé) : exportez votre dossier pour le garder.", true);
      return false;
    }
  }

  /** Put back the draft saved on this device; true if there was one. */
  restore() {
    let draft;
    try { draft = JSON.parse(localStorage.getItem(this.key)); } catch { draft = null; }
    if (!isObject(draft) || draft.call !== this.state.call) return false;
    this.state.restore(draft);
    this.say("Votre brouillon enregistré sur cet appareil a été rétabli.");
    return true;
  }

  forget() {
    try { localStorage.removeItem(this.key); } catch { /* nothing stored */ }
  }

  /** The applicant picked in the finder fills the applicant block; the rest of the draft stays. */
  applyPrefill() {
    let prefill;
    try {
      prefill = JSON.parse(localStorage.getItem(PREFILL_KEY));
      if (isObject(prefill) && prefill.call === this.state.call) localStorage.removeItem(PREFILL_KEY);
    } catch { return false; }
    if (!isObject(prefill) || prefill.call !== this.state.call || !isObject(prefill.applicant)) return false;
    const filled = this.fillApplicant(prefill.applicant);
    if (!filled) return false;
    this.save();
    this.say(`Porteur de projet repris de la recherche par collectivité : ${String(prefill.applicant.name ?? "")}. Vérifiez-le et complétez le reste du dossier ; vos autres réponses sont conservées.`);
    return true;
  }

  /** Fill the applicant block's fields from an applicant object; returns how many were filled. */
  fillApplicant(applicant) {
    const byPointer = this.state.byPointer();
    return Object.entries(applicant)
      .filter(([key, value]) => byPointer.has(child("/applicant", key)) && this.state.fill(byPointer.get(child("/applicant", key)), value)).length;
  }

  /** A French sentence if a list of the file has more lines than the form's schema admits. */
  beyondLimits(data, pointer = "") {
    if (Array.isArray(data)) {
      const list = this.state.rows.groupAt(pointer);
      const max = Number(list?.dataset.maxItems || Infinity);
      if (data.length > max) {
        const title = list.querySelector("legend")?.firstChild?.textContent.trim() ?? pointer;
        return `« ${title} » compte ${plural(data.length, "ligne")} ; ce formulaire en admet ${max} au plus.`;
      }
      for (const [i, item] of data.entries()) {
        const found = this.beyondLimits(item, `${pointer}/${i}`);
        if (found) return found;
      }
    } else if (isObject(data)) {
      for (const [key, value] of Object.entries(data)) {
        const found = this.beyondLimits(value, child(pointer, key));
        if (found) return found;
      }
    }
    return null;
  }

  /** Does the file hold at least one value this form has a field for (besides the call's id)? */
  usable(data) {
    const byPointer = this.state.byPointer();
    const rowPointer = (p) => p.replace(/\/\d+(?=\/|$)/g, "/#");
    const templated = new Set([...this.state.form.querySelectorAll("template")]
      .flatMap((t) => [...t.content.querySelectorAll("[data-kind]")].map((c) => c.dataset.pointer)));
    const visit = (value, pointer) => {
      if (pointer !== "/call" && (byPointer.has(pointer) || templated.has(rowPointer(pointer)))) return true;
      if (Array.isArray(value)) return value.some((v, i) => visit(v, `${pointer}/${i}`));
      if (isObject(value)) return Object.entries(value).some(([k, v]) => visit(v, child(pointer, k)));
      return false;
    };
    return visit(data, "");
  }

  exportFile() {
    const { dossier, exact, problems } = this.state.collect();
    const raw = typeof JSON.rawJSON === "function";
    const exactify = (value, pointer) => {
      if (exact.has(pointer) && raw) return JSON.rawJSON(exact.get(pointer));
      if (Array.isArray(value)) return value.map((v, i) => exactify(v, `${pointer}/${i}`));
      if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactify(v, child(pointer, k))]));
      return value;
    };
    const text = JSON.stringify(exactify(dossier, ""), null, 2) + "\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `dossier-${this.state.call}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    const n = problems.size;
    this.say(n
      ? `Dossier exporté. Attention : ${n === 1 ? "un nombre illisible n'y figure pas ; corrigez-le" : `${n} nombres illisibles n'y figurent pas ; corrigez-les`} puis exportez à nouveau.`
      : "Dossier exporté (fichier JSON).");
  }

  /**
   * Read a dossier file into the form; resolves to true when the form changed. Whatever goes
   * wrong — unreadable, another call, beyond the schema's limits, nothing usable, the reader
   * declines to replace their answers, the draft cannot be saved — the form and the saved draft
   * stay exactly as they were, and the reader is told why.
   */
  async importFile(input) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return false;
    let data;
    const sources = new Map();
    const unchanged = "Votre brouillon n'a pas changé.";
    if (file.size > MAX_FILE_BYTES) {
      this.say(`Import impossible : « ${file.name} » est trop volumineux pour un dossier (${(file.size / 1e6).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo). ${unchanged}`, true);
      return false;
    }
    try {
      data = JSON.parse(await file.text(), function (key, value, context) {
        if (typeof value === "number" && context?.source) sources.set(value, context.source);
        return value;
      });
    } catch {
      this.say(`Import impossible : « ${file.name} » n'est pas un fichier JSON lisible. ${unchanged}`, true);
      return false;
    }
    if (!isObject(data)) {
      this.say(`Import impossible : « ${file.name} » ne contient pas un dossier (un objet JSON est attendu). ${unchanged}`, true);
      return false;
    }
    if ("call" in data && data.call !== this.state.call) {
      this.say(`Import impossible : ce dossier concerne l'appel « ${String(data.call)} », pas celui-ci (« ${this.state.call} »). ${unchanged}`, true);
      return false;
    }
    const beyond = this.beyondLimits(data);
    if (beyond) {
      this.say(`Import impossible : ${beyond} ${unchanged}`, true);
      return false;
    }
    if (!this.usable(data)) {
      this.say(`Import impossible : aucune donnée de « ${file.name} » ne correspond à un champ de ce formulaire. ${unchanged}`, true);
      return false;
    }
    if (this.state.controls().some((c) => this.state.isAnswered(c))
      && !window.confirm("Remplacer vos réponses actuelles par celles du fichier ? Exportez d'abord votre dossier si vous voulez les garder.")) {
      this.say(`Import annulé. ${unchanged}`);
      return false;
    }
    const before = this.state.snapshot();
    const ignored = this.state.load(data, sources);
    if (!this.save()) {
      this.state.restore(before);
      this.say(`Import annulé : le dossier n'a pas pu être enregistré sur cet appareil (stockage plein ou désactivé). ${unchanged}`, true);
      return false;
    }
    const shown = ignored.slice(0, 5).join(", ") + (ignored.length > 5 ? "…" : "");
    this.say(ignored.length === 0 ? `Dossier « ${file.name} » importé.`
      : ignored.length === 1 ? `Dossier importé. Une donnée sans champ dans ce formulaire n'a pas été reprise : ${shown}.`
        : `Dossier importé. ${ignored.length} données sans champ dans ce formulaire n'ont pas été reprises : ${shown}.`);
    return true;
  }
}
