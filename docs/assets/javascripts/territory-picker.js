// The collectivité picker: a combobox (combobox.js) over the official territory index
// (territory.js). Shared by the finder and the call forms; any number of them on a page.
// It never starts the checker: a page with only a picker never downloads Pyodide.
//
// Markup (overrides/partials/finder.html is an example; ids are the page's to choose):
//   <div class="picker">
//     <label for="ID">…</label>
//     <div class="picker__zone">
//       <input id="ID" type="text" class="picker__input" data-territory-input aria-describedby="…">
//       <ul class="picker__listbox" data-territory-listbox aria-label="…" hidden></ul>
//     </div>
//     <p class="picker__etat" data-territory-status role="status" aria-live="polite"></p>
//   </div>

import { attachCombobox } from "./combobox.js";
import { applicantOf, describe, loadTerritory, search } from "./territory.js";

const pickers = new WeakMap(); // input → picker: attaching twice returns the first one

const MESSAGES = {
  none: "Aucune collectivité ne correspond",
  loading: "Chargement de la liste des collectivités…",
};

/**
 * Wires the picker inside `root`. The territory index is fetched on the field's first focus.
 * onPick(entity, applicantBlock) receives the entity (territory.js) and its applicant block
 * (kind, name, siren, departement, region, population, as the data tells); onClear() is called
 * when that pick is withdrawn (the text edited or cleared).
 *
 * Returns { input, clear(), destroy(), picked } (picked: the entity or null), or null when
 * `root` holds no picker markup.
 */
export function attachTerritoryPicker(root, { onPick = () => {}, onClear = () => {} } = {}) {
  const input = root.querySelector("input[data-territory-input]");
  const listbox = root.querySelector("[data-territory-listbox]");
  const status = root.querySelector("[data-territory-status]");
  if (!input || !listbox) return null;
  if (pickers.has(input)) return pickers.get(input);

  const source = async (text) => (search((await loadTerritory()).entities, text))
    .map((entity) => ({ value: entity, label: entity.name, text: describe(entity) }));
  const combobox = attachCombobox(input, listbox, {
    status,
    source,
    messages: MESSAGES,
    onPick: (entity) => onPick(entity, applicantOf(entity)),
    onClear,
  });
  const warmUp = () => loadTerritory().catch((error) => combobox.announce(error.message));
  input.addEventListener("focus", warmUp, { once: true });

  const picker = {
    input,
    clear: () => combobox.clear(),
    get picked() { return combobox.picked?.value ?? null; },
    destroy() {
      input.removeEventListener("focus", warmUp);
      combobox.destroy();
      pickers.delete(input);
    },
  };
  pickers.set(input, picker);
  return picker;
}
