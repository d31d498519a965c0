// The parts of a form that apply only in some cases (the schema's if/then/else and
// dependentRequired): the build marks them data-when="c1:/scope !c2:/scope" and describes each
// condition in the section's data-conditions; this module decides what shows and what is required.

import { getAt, isObject } from "./pointers.js";

const PASSES = 5; // showing a part can reveal a trigger of another: settle in a few passes

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

export class Conditions {
  constructor(form, specs, state) {
    this.form = form;
    this.specs = specs;
    this.state = state;
  }

  holds(ref, dossier) {
    const negated = ref.startsWith("!");
    const body = negated ? ref.slice(1) : ref;
    const cut = body.indexOf(":");
    const spec = this.specs[body.slice(0, cut)];
    const value = getAt(dossier, body.slice(cut + 1));
    if (value === undefined || !spec) return false; // JSON Schema applies no branch to an absent object
    const result = "present" in spec ? isObject(value) && value[spec.present] !== undefined : matches(value, spec.if);
    return negated ? !result : result;
  }

  apply() {
    let dossier;
    for (let pass = 0; pass < PASSES; pass++) {
      dossier = this.state.collect().dossier;
      let changed = false;
      for (const part of this.form.querySelectorAll("[data-when]")) {
        // A part holding answers stays shown (and sent): what was typed or imported is never dropped.
        const show = part.dataset.when.split(" ").some((ref) => this.holds(ref, dossier)) || this.state.hasAnswer(part);
        if (part.hidden === show) { part.hidden = !show; changed = true; }
      }
      if (!changed) break;
    }
    for (const part of this.form.querySelectorAll("[data-required-when]")) {
      const required = part.dataset.requiredWhen.split(" ").some((ref) => this.holds(ref, dossier));
      for (const marker of part.querySelectorAll("[data-required-marker]")) {
        if (marker.closest("[data-field]") === part) marker.hidden = !required;
      }
      for (const control of part.querySelectorAll("[data-kind]")) {
        if (control.dataset.pointer === part.dataset.field && control.type !== "checkbox" && control.type !== "radio") control.required = required;
      }
    }
  }
}
