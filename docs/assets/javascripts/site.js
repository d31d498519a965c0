// Page-side behaviour shared by every page: call status from today's date, the closed-call banner,
// catalog filters and sort (kept in the page's address).
// Runs on each page of mkdocs-material's instant navigation (document$).

const DAY_MS = 24 * 60 * 60 * 1000;
const SOON_DAYS = 30; // aides-territoires counts a deadline as approaching 30 days before it
const dateFormat = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });

/** "a-venir" | "ouvert" | "clos" | "sans-date" for an opening and a closing ISO date-time, at a moment. */
export function callStatus(opening, closing, now = new Date()) {
  if (opening && now < new Date(opening)) return "a-venir";
  if (!closing) return "sans-date";
  if (closing && now > new Date(closing)) return "clos";
  return "ouvert";
}

export function statusText(status, opening, closing, now = new Date()) {
  if (status === "a-venir") return `À venir : ouverture le ${dateFormat.format(new Date(opening))}`;
  if (status === "clos") return `Clos depuis le ${dateFormat.format(new Date(closing))}`;
  if (status === "sans-date") return "Sans date limite fixée par le texte";
  const left = Math.ceil((new Date(closing) - now) / DAY_MS);
  return left <= SOON_DAYS ? `Ouvert, clôture proche : ${left} jour${left > 1 ? "s" : ""}` : `Ouvert jusqu'au ${dateFormat.format(new Date(closing))}`;
}

function showStatuses(root, now) {
  for (const el of root.querySelectorAll("[data-statut]")) {
    const { ouverture, cloture } = el.dataset;
    const status = callStatus(ouverture, cloture, now);
    el.textContent = statusText(status, ouverture, cloture, now);
    el.className = `statut statut--${status}`;
  }
}

/** Sort keys by default: open calls by nearest deadline, then those to come, then those without a deadline, then closed ones, latest first. */
const RANK = { ouvert: 0, "a-venir": 1, "sans-date": 2, clos: 3 };
const FILTERS = ["statut", "porteur", "financeur", "theme", "tri"];

function setupCatalog(root, now) {
  const catalog = root.querySelector("[data-catalogue]");
  if (!catalog || catalog.dataset.ready) return;
  catalog.dataset.ready = "true";
  const form = catalog.querySelector("[data-filtres]");
  const list = catalog.querySelector("[data-liste]");
  const count = catalog.querySelector("[data-compte]");
  const empty = catalog.querySelector("[data-vide]");
  const resets = [...catalog.querySelectorAll("[data-reinitialiser]")];
  const cards = [...list.querySelectorAll("[data-carte]")];
  const time = (iso) => (iso ? new Date(iso).getTime() : NaN);
  for (const card of cards) card.dataset.statutCalcule = callStatus(card.dataset.ouverture, card.dataset.cloture, now);

  const byDefault = (a, b) => {
    const [sa, sb] = [a.dataset.statutCalcule, b.dataset.statutCalcule];
    if (sa !== sb) return RANK[sa] - RANK[sb];
    if (sa === "clos") return time(b.dataset.cloture) - time(a.dataset.cloture); // the latest closed first
    if (sa === "a-venir") return time(a.dataset.ouverture) - time(b.dataset.ouverture);
    return sa === "ouvert" ? time(a.dataset.cloture) - time(b.dataset.cloture) : 0;
  };
  const byDeadline = (direction) => (a, b) => {
    const [ta, tb] = [time(a.dataset.cloture), time(b.dataset.cloture)];
    if (Number.isNaN(ta) || Number.isNaN(tb)) return Number.isNaN(ta) - Number.isNaN(tb); // no deadline: last
    return direction * (ta - tb);
  };

  /** The filters from the address (?statut=ouvert&porteur=commune…); unknown values are ignored. */
  const fromAddress = () => {
    const params = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      const select = form.elements[name];
      const value = params.get(name) ?? "";
      select.value = [...select.options].some((o) => o.value === value) ? value : "";
    }
  };
  /** The filters into the address, without a new history entry; the default values are left out. */
  const toAddress = (f) => {
    const url = new URL(location.href);
    for (const name of FILTERS) {
      if (f[name]) url.searchParams.set(name, f[name]);
      else url.searchParams.delete(name);
    }
    if (url.href !== location.href) history.replaceState(history.state, "", url);
  };

  const apply = () => {
    const f = Object.fromEntries(new FormData(form));
    let shown = 0;
    for (const card of cards) {
      const keep = (!f.statut || card.dataset.statutCalcule === f.statut)
        && (!f.porteur || card.dataset.porteurs.split(" ").includes(f.porteur))
        && (!f.financeur || card.dataset.financeurs.split(" ").includes(f.financeur))
        && (!f.theme || card.dataset.themes.split(" ").includes(f.theme));
      card.hidden = !keep;
      shown += keep ? 1 : 0;
    }
    const order = f.tri === "recent" ? byDeadline(-1) : f.tri === "ancien" ? byDeadline(1) : byDefault;
    list.append(...[...cards].sort(order));
    const filtered = FILTERS.some((name) => name !== "tri" && f[name]);
    count.textContent = !filtered ? `${cards.length} appels et mesures.`
      : shown === 0 ? `Aucun des ${cards.length} appels et mesures ne correspond à ces filtres.`
        : `${shown} sur ${cards.length} appels et mesures ${shown > 1 ? "correspondent" : "correspond"} à ces filtres.`;
    empty.hidden = shown > 0;
    resets[0].hidden = !filtered || shown === 0; // the empty state has its own button
    toAddress(f);
  };
  const reset = () => {
    for (const name of FILTERS) if (name !== "tri") form.elements[name].value = "";
    apply();
    form.elements.statut.focus();
  };
  fromAddress();
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const button of resets) button.addEventListener("click", reset);
  apply();
}

/** A call page whose deadline has passed says so at its very top, by the reader's date. */
function showClosedBanner(root, now) {
  for (const banner of root.querySelectorAll("[data-bandeau-clos]")) {
    banner.hidden = callStatus(null, banner.dataset.cloture, now) !== "clos";
  }
}

function onPage() {
  const now = new Date();
  showStatuses(document, now);
  showClosedBanner(document, now);
  setupCatalog(document, now);
}

if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
