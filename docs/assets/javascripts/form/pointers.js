// JSON pointers over plain objects, and the French reading of typed numbers.

const MAX_DIGITS = 15; // a double holds 15 significant digits exactly; beyond, the sent value would drift

export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export const segments = (pointer) => (pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")));

export const child = (pointer, key) => `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

export function getAt(root, pointer) {
  let node = root;
  for (const part of segments(pointer)) {
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

export function setAt(root, pointer, value) {
  const parts = segments(pointer);
  let node = root;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) node[part] = value;
    else node = node[part] ??= /^\d+$/.test(parts[i + 1]) ? [] : {};
  });
}

/** "12 500,50" → {text: "12500.50"}; null when empty; {error} in French when unreadable. */
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

/** A French count: plural(3, "réponse") → "3 réponses". */
export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;

export function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
