// The territory index: every commune, EPCI, département and région from the official data
// (@etalab/decoupage-administratif, compacted at build time by overrides/hooks/territory.py).
// Loaded lazily, once per document: a page that never asks for it never downloads it.
// No dependency on the checker: using this module never starts Pyodide.

/** How many suggestions `search` returns by default. */
export const MAX_SUGGESTIONS = 8;

// This file is served from <site root>/assets/javascripts/, the index from <site root>/assets/data/.
const INDEX_URL = new URL("../data/territoire.json", import.meta.url);

const KIND_LABELS = {
  commune: "commune",
  departement: "département",
  region: "région",
  metropole: "métropole",
  communaute_de_communes: "communauté de communes",
  communaute_d_agglomeration: "communauté d'agglomération",
  communaute_urbaine: "communauté urbaine",
  metropole_de_lyon: "Métropole de Lyon",
  metropole_du_grand_paris: "Métropole du Grand Paris",
};

let loading = null;

/** Lower case, no accents or ligatures, hyphens and apostrophes as spaces, single spaces. */
export function fold(text) {
  return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[-'’‘_.,/]/g, " ")
    .split(/\s+/).filter(Boolean).join(" ");
}

function entityOf(index, [kind, name, siren, postcodes, population, place, epci]) {
  const kindName = index.kinds[kind];
  const isRegion = kindName === "region";
  const departement = isRegion ? null : place ?? null;
  const dep = departement ? index.departements[departement] : null;
  const region = isRegion ? place : dep?.[1] ?? null;
  return {
    kind: kindName,
    name,
    siren: siren ?? null,
    postcodes: postcodes ? postcodes.split(" ") : [],
    population: population ?? null,
    departement,
    departementName: dep?.[0] ?? null,
    region,
    regionName: index.regions[region]?.[0] ?? null,
    epci: epci ?? null,
    folded: fold(name),
  };
}

/**
 * The index, fetched on the first call and kept for the document's life:
 * resolves to { version, entities, bySiren }. Rejects with a French message (and a later call
 * tries again) when the file cannot be loaded.
 */
export function loadTerritory() {
  if (loading) return loading;
  loading = (async () => {
    let response;
    try {
      response = await fetch(INDEX_URL);
    } catch {
      response = null;
    }
    if (!response?.ok) throw new Error("La liste des collectivités n'a pas pu être chargée. Vérifiez votre connexion puis réessayez.");
    const index = await response.json();
    const entities = index.entities.map((row) => entityOf(index, row));
    return { version: index.version, entities, bySiren: new Map(entities.filter((e) => e.siren).map((e) => [e.siren, e])) };
  })();
  loading.catch(() => { loading = null; });
  return loading;
}

/**
 * The entities that match a typed text, best first, at most `limit`: an exact name, postcode or
 * SIREN (or a département's code) first, then names that start with the text or have a word that
 * does; ties go to the most populous. Accents, case, hyphens and apostrophes do not matter (« macon » finds Mâcon).
 */
export function search(entities, text, limit = MAX_SUGGESTIONS) {
  const query = fold(text);
  if (!query) return [];
  const digits = query.replace(/ /g, "");
  const scored = [];
  for (const e of entities) {
    if (e.folded === query || e.postcodes.includes(digits) || e.siren === digits
      || (e.kind === "departement" && e.departement === digits.toUpperCase())) scored.push([0, e]);
    else if (e.folded.startsWith(query) || e.folded.includes(" " + query)) scored.push([1, e]);
  }
  scored.sort((a, b) => a[0] - b[0] || (b[1].population ?? 0) - (a[1].population ?? 0));
  return scored.slice(0, limit).map(([, e]) => e);
}

/** The applicant block of a dossier (common.schema.json) for an entity: what the data tells. */
export function applicantOf(entity) {
  const block = { kind: entity.kind, name: entity.name };
  if (entity.siren) block.siren = entity.siren;
  if (entity.departement) block.departement = entity.departement;
  if (entity.region) block.region = entity.region;
  if (entity.population != null) block.population = entity.population;
  return block;
}

/** The French name of a kind of collectivité: "communauté d'agglomération". */
export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? kind;
}

/**
 * One line that tells an entity apart from its namesakes, as suggestions show it:
 * « Mâcon — commune, Saône-et-Loire (71), 71000 », « Saône-et-Loire — département (71),
 * Bourgogne-Franche-Comté », « Bourgogne-Franche-Comté — région ».
 */
export function describe(entity) {
  const kind = kindLabel(entity.kind);
  // « Métropole de Lyon — Métropole de Lyon » would say nothing: such a name already tells its kind.
  const head = `${entity.name} — ${fold(kind) === entity.folded ? "métropole à statut particulier" : kind}`;
  if (entity.kind === "region") return head;
  if (entity.kind === "departement") {
    return `${head} (${entity.departement})${entity.regionName ? ", " + entity.regionName : ""}`;
  }
  const parts = [];
  if (entity.departement) parts.push(entity.departementName ? `${entity.departementName} (${entity.departement})` : entity.departement);
  if (entity.postcodes.length) parts.push(entity.postcodes[0]);
  return parts.length ? `${head}, ${parts.join(", ")}` : head;
}
