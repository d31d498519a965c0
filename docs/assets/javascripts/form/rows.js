// Lists of rows (budget lines, members): rows are cloned from the list's <template>, whose
// pointers hold "#" for the index; adding or removing a row rewrites the pointers after it.

const ROW = "#";
const REBASED = ["id", "for", "name", "aria-describedby", "data-pointer", "data-row", "data-field", "data-when",
  "data-required-when", "data-error-for", "data-rows", "data-rows-empty", "data-row-template", "data-add-row"];

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

export class Rows {
  constructor(form) {
    this.form = form;
  }

  groupAt(pointer) {
    return [...this.form.querySelectorAll("[data-group=array]")].find((g) => g.dataset.pointer === pointer);
  }

  add(list, focus = true) {
    const pointer = list.dataset.pointer;
    const rows = list.querySelector(":scope > [data-rows]");
    const index = rows.children.length;
    const row = list.querySelector(":scope > template").content.firstElementChild.cloneNode(true);
    rebase(row, `${pointer}/${ROW}`, `${pointer}/${index}`);
    this.renumber(row, index);
    rows.append(row);
    list.dataset.touched = "1";
    this.update(list);
    if (focus) row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    return row;
  }

  /** Remove a row, renumber the next ones, move the focus; returns what to tell the reader. */
  remove(row) {
    const list = row.closest("[data-group=array]");
    const pointer = list.dataset.pointer;
    const rows = [...list.querySelector(":scope > [data-rows]").children];
    const index = rows.indexOf(row);
    const title = row.querySelector("legend").firstChild.textContent.replace(/\s*n°\s*$/, "");
    row.remove();
    rows.slice(index + 1).forEach((next, i) => {
      rebase(next, `${pointer}/${index + 1 + i}`, `${pointer}/${index + i}`);
      this.renumber(next, index + i);
    });
    this.update(list);
    const target = rows[index + 1] ?? rows[index - 1];
    (target?.querySelector("input:not([type=hidden]), select, textarea") ?? list.querySelector(":scope > [data-add-row]")).focus();
    return `${title} n° ${index + 1} supprimée.`;
  }

  renumber(row, index) {
    for (const el of row.querySelectorAll("[data-row-number]")) {
      if (el.closest("[data-row]") === row) el.textContent = String(index + 1);
    }
  }

  update(list) {
    const count = list.querySelector(":scope > [data-rows]").children.length;
    list.querySelector(":scope > [data-rows-empty]").hidden = count > 0;
    const max = Number(list.dataset.maxItems || Infinity);
    list.querySelector(":scope > [data-add-row]").disabled = count >= max;
  }

  updateAll() {
    for (const list of this.form.querySelectorAll("[data-group=array]")) this.update(list);
  }

  clear() {
    for (const rows of this.form.querySelectorAll("[data-rows]")) rows.replaceChildren();
    this.updateAll();
  }
}
