// Drafts on this device (localStorage), the applicant handed over by the finder, and the
// dossier as a JSON file (export / import). Nothing the reader typed is ever lost: a failed
// import leaves the draft as it was.

import { PREFILL_KEY, siteRoot } from "../checker-client.js";
import { child, isObject } from "./pointers.js";

export class Drafts {
  constructor(state, say) {
    this.state = state;
    this.say = say;
    this.key = `${siteRoot().pathname}verificateur.brouillon.${state.call}`;
  }

  save() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.state.snapshot()));
    } catch {
      this.say("Le brouillon n'a pas pu être enregistré sur cet appareil (stockage plein ou désactivé) : exportez votre dossier pour le garder.");
    }
  }

  /** Put back the draft saved on this device; true if there was one. */
  restore() {
    let draft = null;
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
    let prefill = null;
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

  /** Read a dossier file into the form; resolves to true when the form changed. */
  async importFile(input) {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return false;
    let data;
    const sources = new Map();
    const unchanged = "Votre brouillon n'a pas changé.";
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
    const ignored = this.state.load(data, sources);
    const shown = ignored.slice(0, 5).join(", ") + (ignored.length > 5 ? "…" : "");
    this.say(ignored.length === 0 ? `Dossier « ${file.name} » importé.`
      : ignored.length === 1 ? `Dossier importé. Une donnée sans champ dans ce formulaire n'a pas été reprise : ${shown}.`
        : `Dossier importé. ${ignored.length} données sans champ dans ce formulaire n'ont pas été reprises : ${shown}.`);
    return true;
  }
}
