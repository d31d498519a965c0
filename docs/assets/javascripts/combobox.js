// An editable combobox with a popup listbox (WAI-ARIA 1.2 pattern, « list autocomplete »).
//
// The option-to-option keyboard moves come from @github/combobox-nav (vendored into the site at
// build time by overrides/hooks/territory.py): ArrowDown / ArrowUp move the active option
// (aria-activedescendant, aria-selected), Enter or a click picks it, IME composition is left
// alone. This module adds the rest of the pattern: the popup opens on typing (or ArrowDown)
// and closes on Escape, Alt+ArrowUp, Tab or leaving the field; a second Escape clears the
// field; Home / End jump to the first / last option while an option is active (otherwise they
// move the caret); a polite live region says how many suggestions there are.
//
// Markup it expects (ids may be omitted on the listbox; one is made up):
//   <input type="text">  <ul role="listbox" hidden></ul>  <p role="status" aria-live="polite"></p>
// Options are <li role="option"> built from text: typed text never becomes markup.

import Combobox from "./vendor/combobox-nav.js";

const plural = new Intl.PluralRules("fr-FR");
const ANNOUNCE_MS = 250; // let typing settle before the live region speaks
const LOADING_MS = 400; // a slower source is announced as loading

/** Messages of the live region, in French; `count` receives the number of suggestions (≥ 1). */
export const MESSAGES = {
  count: (n) => `${n} suggestion${plural.select(n) === "one" ? "" : "s"}`,
  none: "Aucune suggestion",
  loading: "Recherche en cours…",
};

let made = 0;

/**
 * Makes `input` a combobox that suggests the items `source(text)` returns (an array, or a
 * promise of one; item = { value, label, text }: `text` is the option's line, `label` what the
 * field shows once picked, `value` what onPick receives).
 *
 * options: { status, source, onPick(value, item), onClear(), messages }
 *   status   the polite live region (role=status) for counts and errors
 *   onClear  called when a picked item is withdrawn (the text edited, or cleared with Escape)
 *
 * Returns { open(), close(), clear(), announce(text), destroy(), picked } (picked: the item or null).
 */
export function attachCombobox(input, listbox, { status = null, source, onPick = () => {}, onClear = () => {}, messages = {} } = {}) {
  const say = { ...MESSAGES, ...messages };
  if (!listbox.id) listbox.id = `combobox-liste-${++made}`;
  listbox.setAttribute("role", "listbox");
  input.setAttribute("autocomplete", "off");
  const nav = new Combobox(input, listbox, { tabInsertsSuggestions: false, firstOptionSelectionMode: "none" });
  let items = [];
  let isOpen = false;
  let picked = null;
  let seq = 0;
  let announceTimer = 0;

  const announce = (text, delay = 0) => {
    clearTimeout(announceTimer);
    if (!status) return;
    if (delay) announceTimer = setTimeout(() => { status.textContent = text; }, delay);
    else status.textContent = text;
  };

  const open = () => {
    if (!items.length) return;
    if (!isOpen) {
      listbox.hidden = false;
      nav.start(); // aria-expanded=true, keyboard bindings on
      isOpen = true;
    }
  };
  const close = () => {
    if (!isOpen) return;
    nav.stop(); // clears the active option and aria-activedescendant; aria-expanded=false
    listbox.hidden = true;
    isOpen = false;
  };

  const option = (item, i) => {
    const li = document.createElement("li");
    li.id = `${listbox.id}-option-${i}`;
    li.setAttribute("role", "option");
    li.dataset.index = String(i);
    if (item.label && item.text.startsWith(item.label)) {
      const strong = document.createElement("strong");
      strong.textContent = item.label;
      li.append(strong, item.text.slice(item.label.length));
    } else {
      li.textContent = item.text;
    }
    return li;
  };

  const render = (found) => {
    items = found;
    nav.clearSelection();
    listbox.replaceChildren(...items.map(option));
    listbox.scrollTop = 0;
    if (items.length) open();
    else close();
  };

  /** Asks the source for `text`'s suggestions and shows them, unless the text changed meanwhile. */
  const query = async (text, { navigate = 0 } = {}) => {
    const mine = ++seq;
    const slow = setTimeout(() => { if (mine === seq) announce(say.loading); }, LOADING_MS);
    let found;
    try {
      found = await source(text);
    } catch (error) {
      if (mine === seq) {
        render([]);
        announce(error.message);
      }
      return;
    } finally {
      clearTimeout(slow);
    }
    if (mine !== seq || input.value !== text) return;
    render(found);
    announce(found.length ? say.count(found.length) : say.none, ANNOUNCE_MS);
    if (navigate && isOpen) nav.navigate(navigate);
  };

  const withdraw = () => {
    if (!picked) return;
    picked = null;
    onClear();
  };

  const pick = (item) => {
    seq++; // a suggestion still on its way must not reopen the popup
    picked = item;
    input.value = item.label ?? item.text;
    close();
    announce("");
    onPick(item.value, item);
  };

  const clear = () => {
    seq++;
    input.value = "";
    render([]);
    announce("");
    withdraw();
  };

  const onInput = () => {
    withdraw();
    if (!input.value.trim()) {
      seq++;
      render([]);
      announce("");
      return;
    }
    query(input.value);
  };

  // Registered before combobox-nav's own listener (added by each nav.start()), so the keys it
  // does not handle as this pattern wants are settled here first.
  const onKeydown = (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey) return;
    const active = input.hasAttribute("aria-activedescendant");
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        if (isOpen && event.altKey && event.key === "ArrowUp") {
          event.preventDefault();
          close(); // Alt+ArrowUp closes the popup, the text stays
          return;
        }
        if (isOpen || event.shiftKey) return; // combobox-nav moves the active option
        event.preventDefault();
        if (!input.value.trim()) return;
        // A closed popup opens (again); Alt+ArrowDown opens it without moving into it.
        const step = event.altKey ? 0 : (event.key === "ArrowDown" ? 1 : -1);
        if (items.length && !picked) {
          open();
          if (step) nav.navigate(step);
        } else {
          query(input.value, { navigate: step });
        }
        break;
      }
      case "Home":
      case "End":
        if (!isOpen || !active || event.shiftKey || event.altKey) return;
        event.preventDefault();
        event.stopImmediatePropagation(); // combobox-nav would reset the active option
        nav.clearSelection();
        nav.navigate(event.key === "Home" ? 1 : -1);
        break;
      case "Escape":
        if (isOpen) close();
        else if (input.value) clear();
        else return;
        event.preventDefault();
        event.stopImmediatePropagation();
        break;
      case "Tab":
        close(); // Tab leaves the field; it never picks
        break;
      default:
    }
  };

  const onCommit = (event) => {
    const li = event.target.closest("[role=option]");
    if (li && items[li.dataset.index]) pick(items[li.dataset.index]);
  };
  // Keep the focus in the field while an option is pressed (mouse or touch): the click picks.
  const onPress = (event) => event.preventDefault();
  const onBlur = () => close();
  const onClick = () => { if (!isOpen && !picked && input.value.trim()) open(); };

  const listening = new AbortController(); // destroy() removes every listener at once
  const { signal } = listening;
  input.addEventListener("keydown", onKeydown, { signal });
  input.addEventListener("input", onInput, { signal });
  input.addEventListener("blur", onBlur, { signal });
  input.addEventListener("click", onClick, { signal });
  listbox.addEventListener("mousedown", onPress, { signal });
  listbox.addEventListener("combobox-commit", onCommit, { signal });
  listbox.hidden = true;

  return {
    open,
    close,
    clear,
    announce,
    get picked() { return picked; },
    destroy() {
      close();
      nav.destroy();
      listening.abort();
    },
  };
}
