// The form's state by JSON pointer: every control carries data-pointer (its place in the
// dossier) and data-kind. Reading the dossier out of the controls, writing a dossier into them,
// and a snapshot for drafts. Only what the reader answered is sent: an untouched question is
// absent from the dossier, never « non », « 0 » or today's date.

import { child, isObject, parseNumber, setAt } from "./pointers.js";

export class FormState {
  constructor(form, call, rows) {
    this.form = form;
    this.call = call;
    this.rows = rows;
  }

  controls() {
    return [...this.form.querySelectorAll("[data-kind]")];
  }

  /** pointer → the controls that answer it (several for radio buttons and choice boxes). */
  byPointer() {
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
    const exact = new Map();
    const problems = new Map();
    this.choices = new Map();
    for (const row of this.form.querySelectorAll("[data-row]")) {
      // An object row exists even while empty, so the next rows keep their index.
      if (this.active(row) && row.querySelector("[data-field]")?.dataset.field !== row.dataset.row) setAt(dossier, row.dataset.row, {});
    }
    for (const el of this.controls()) {
      if (!this.active(el)) continue;
      const value = this.valueOf(el, problems, exact);
      if (value !== undefined) setAt(dossier, el.dataset.pointer, value);
    }
    for (const list of this.form.querySelectorAll("[data-group=array]")) {
      // A list the reader opened (one row added, then removed) is an answer: « none ».
      if (this.active(list) && list.dataset.touched && !this.answered(dossier, list.dataset.pointer)) setAt(dossier, list.dataset.pointer, []);
    }
    return { dossier, exact, problems };
  }

  answered(dossier, pointer) {
    let node = dossier;
    for (const part of pointer.slice(1).split("/")) {
      if (node === null || typeof node !== "object" || !(part in node)) return false;
      node = node[part];
    }
    return true;
  }

  valueOf(el, problems, exact) {
    const { kind, pointer } = el.dataset;
    if (kind === "const") return JSON.parse(el.value);
    if (kind === "consent") return el.checked ? true : undefined;
    if (kind === "boolean" && el.type === "checkbox") return el.checked ? true : el.dataset.default === "false" ? false : undefined;
    if (kind === "boolean") return el.checked ? el.value === "true" : undefined;
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
    const list = this.choices.get(pointer) ?? [];
    list.push(value);
    this.choices.set(pointer, list);
    return list;
  }

  titleOf(el) {
    const label = el.type === "radio" ? el.closest("fieldset")?.querySelector("legend") : el.labels?.[0] ?? el.closest("fieldset")?.querySelector("legend");
    return (label?.firstChild?.textContent ?? label?.textContent ?? el.dataset.pointer).trim();
  }

  /** Has the reader answered anything inside this part? */
  hasAnswer(part) {
    if (part.querySelector("[data-rows] > *")) return true;
    return [...part.querySelectorAll("[data-kind]")].some((c) => this.isAnswered(c));
  }

  isAnswered(control) {
    if (control.dataset.kind === "const") return false;
    if (control.type === "checkbox") return control.checked !== (control.dataset.default === "true");
    if (control.type === "radio") return control.checked && control.value !== "";
    return control.value.trim() !== "";
  }

  /** Fill the form from a dossier; returns the pointers that have no field here. */
  load(data, sources) {
    this.reset();
    const ignored = [];
    let byPointer = this.byPointer();
    const visit = (value, pointer) => {
      const list = Array.isArray(value) ? this.rows.groupAt(pointer) : null;
      if (list) {
        if (!value.length) list.dataset.touched = "1";
        value.forEach(() => this.rows.add(list, false));
        byPointer = this.byPointer(); // the new rows' controls
        return value.forEach((v, i) => visit(v, `${pointer}/${i}`));
      }
      const controls = byPointer.get(pointer);
      if (isObject(value) && !controls) return Object.entries(value).forEach(([k, v]) => visit(v, child(pointer, k)));
      if (!controls) return ignored.push(pointer);
      if (!this.fill(controls, value, sources)) ignored.push(pointer);
    };
    visit(data, "");
    return ignored.filter((p) => p !== "/call");
  }

  fill(controls, value, sources = new Map()) {
    const [first] = controls;
    const kind = first.dataset.kind;
    if (kind === "const") return true;
    if (kind === "choice") return Array.isArray(value) && controls.every((c) => { c.checked = value.includes(c.value); return true; });
    if (first.type === "radio") {
      const wanted = typeof value === "boolean" ? String(value) : value;
      const match = controls.find((c) => c.value === wanted);
      if (match) match.checked = true;
      return Boolean(match);
    }
    if (first.type === "checkbox") { first.checked = value === true; return typeof value === "boolean"; }
    if (first.tagName === "SELECT" && ![...first.options].some((o) => o.value === value)) return false;
    first.value = typeof value === "number" ? sources.get(value) ?? String(value) : isObject(value) || Array.isArray(value) ? JSON.stringify(value) : String(value);
    return true;
  }

  reset() {
    this.form.reset();
    this.rows.clear();
    for (const el of this.controls()) {
      if (el.type === "checkbox") el.checked = el.dataset.default === "true";
      if (el.type === "radio" && el.value !== "") el.checked = false;
    }
    for (const list of this.form.querySelectorAll("[data-touched]")) delete list.dataset.touched;
  }

  /** What a draft keeps: every field's raw text (even unreadable numbers) and the rows' counts. */
  snapshot() {
    const fields = {};
    const rows = {};
    for (const el of this.controls()) {
      if (el.dataset.kind === "const") continue;
      if (el.type === "radio") { if (el.checked) fields[el.name] = el.value; }
      else fields[el.id] = el.type === "checkbox" ? el.checked : el.value;
    }
    for (const list of this.form.querySelectorAll("[data-group=array]")) {
      rows[list.dataset.pointer] = list.querySelector(":scope > [data-rows]").children.length;
    }
    return { version: 2, call: this.call, saved: new Date().toISOString(), rows, fields };
  }

  restore(snapshot) {
    this.reset();
    const pending = Object.entries(snapshot.rows || {}).sort(([a], [b]) => a.split("/").length - b.split("/").length);
    for (const [pointer, count] of pending) {
      const list = this.rows.groupAt(pointer);
      for (let i = 0; list && i < count; i++) this.rows.add(list, false);
    }
    const radios = [...this.form.querySelectorAll("input[type=radio]")];
    for (const [key, value] of Object.entries(snapshot.fields || {})) {
      const el = document.getElementById(key);
      if (el && el.type === "checkbox") el.checked = value === true;
      else if (el?.dataset.group === "yesno") { if (value === true) radios.forEach((r) => { r.checked ||= r.name === el.dataset.pointer && r.value === "true"; }); }
      else if (el && el.type !== "radio") el.value = String(value);
      else radios.forEach((r) => { if (r.name === key) r.checked = r.value === value; });
    }
  }
}
