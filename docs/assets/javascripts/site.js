// Page-side behaviour shared by every page: call status from today's date, catalog filters.
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

function statusText(status, opening, closing, now) {
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

function setupCatalog(root, now) {
  const catalog = root.querySelector("[data-catalogue]");
  if (!catalog) return;
  const form = catalog.querySelector("[data-filtres]");
  const list = catalog.querySelector("[data-liste]");
  const count = catalog.querySelector("[data-compte]");
  const cards = [...list.querySelectorAll("[data-carte]")];
  for (const card of cards) card.dataset.statutCalcule = callStatus(card.dataset.ouverture, card.dataset.cloture, now);

  const apply = () => {
    const f = Object.fromEntries(new FormData(form));
    let shown = 0;
    for (const card of cards) {
      const keep = (!f.statut || card.dataset.statutCalcule === f.statut)
        && (!f.porteur || card.dataset.porteurs.split(" ").includes(f.porteur))
        && (!f.financeur || card.dataset.financeurs.split("|").includes(f.financeur))
        && (!f.theme || card.dataset.themes.split(" ").includes(f.theme));
      card.hidden = !keep;
      shown += keep ? 1 : 0;
    }
    // Calls without a closing date sort last either way.
    const time = (card) => (card.dataset.cloture ? new Date(card.dataset.cloture).getTime() : Infinity);
    const direction = f.tri === "desc" ? -1 : 1;
    const sorted = [...cards].sort((a, b) => {
      const [ta, tb] = [time(a), time(b)];
      if (ta === tb) return 0;
      if (ta === Infinity || tb === Infinity) return ta === Infinity ? 1 : -1;
      return direction * (ta - tb);
    });
    list.append(...sorted);
    count.textContent = shown === cards.length ? `${shown} appels et mesures.` : `${shown} sur ${cards.length} appels et mesures correspondent.`;
  };
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
}

function onPage() {
  const now = new Date();
  showStatuses(document, now);
  setupCatalog(document, now);
}

if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
