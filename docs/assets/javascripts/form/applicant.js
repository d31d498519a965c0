// « Votre collectivité »: the reader picks their collectivité once, from the official data
// (territory-picker.js, as the finder does), and the applicant block is filled from it — kind,
// name, SIREN, département, région, population — instead of being asked field by field.
// The picker's modules load only on a page with a form, and the territory index on first focus.

const DERIVED = ["kind", "name", "siren", "departement", "region", "population"];

export class Applicant {
  constructor(section, drafts, onFilled) {
    this.section = section;
    this.drafts = drafts;
    this.onFilled = onFilled;
    this.pickers = [];
  }

  async enhance() {
    const roots = [...this.section.querySelectorAll("[data-territory-picker]")];
    const hasApplicant = this.drafts.state.byPointer().has("/applicant/kind");
    if (!roots.length || !hasApplicant) return;
    const { attachTerritoryPicker } = await import("../territory-picker.js");
    for (const root of roots) {
      root.hidden = false;
      const picker = attachTerritoryPicker(root, { onPick: (entity, block) => this.pick(entity, block) });
      if (picker) this.pickers.push(picker);
    }
  }

  pick(entity, block) {
    const known = Object.fromEntries(Object.entries(block).filter(([key]) => DERIVED.includes(key)));
    const filled = this.drafts.fillApplicant(known);
    const where = [block.departement && `département ${block.departement}`, block.region && `région ${block.region}`].filter(Boolean).join(", ");
    const text = filled
      ? `${entity.name} : nature juridique, ${where ? `${where}, ` : ""}SIREN et population repris des données officielles. Vous pouvez les corriger dans l'étape « Candidat ».`
      : `${entity.name} : ce formulaire n'a pas de champ pour ces données.`;
    for (const line of this.section.querySelectorAll("[data-territory-picked]")) {
      line.textContent = text;
      line.hidden = false;
    }
    for (const picker of this.pickers) if (picker.input.value !== entity.name) picker.input.value = entity.name;
    this.onFilled(Object.keys(known).map((key) => `/applicant/${key}`));
  }
}
