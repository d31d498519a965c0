// The report, as a reader needs it: the verdict first; then every blocking condition not met
// (label, message, clause), what the instructor will judge, how many answers are missing,
// the non-blocking notes; the conditions that hold come last, folded.

import { siteRoot } from "../checker-client.js";
import { el, plural } from "./pointers.js";

const BADGES = { ok: "Respectée", ko: "Non respectée", a_verifier: "À vérifier", a_completer: "À compléter" };
const RESULT_CLASS = { eligible: "ok", non_eligible: "ko", a_verifier: "a_verifier", a_completer: "incomplet" };

/** The dossier's verdict: its data-result value and its sentence. */
export function verdictOf(report, { localErrors, answered }) {
  let verdict = report.verdict ?? (report.eligible === true ? "eligible" : report.eligible === false ? "non_eligible" : "a_completer");
  if (localErrors && verdict === "eligible") verdict = "a_completer";
  const missing = report.questions?.length ?? 0;
  const failed = report.verdicts.filter((v) => v.blocking && v.status === "ko").length;
  const toCheck = report.verdicts.filter((v) => v.status === "a_verifier").length;
  const firstFailure = report.verdicts.find((v) => v.blocking && v.status === "ko");
  const texts = {
    eligible: "Éligible : toutes les conditions bloquantes sont respectées.",
    non_eligible: `Non éligible${missing ? " dès maintenant" : ""} : ${failed > 1
      ? `${failed} conditions bloquantes ne sont pas remplies${missing ? ", quelles que soient vos autres réponses" : ""}.`
      : firstFailure?.message ?? "une condition bloquante n'est pas remplie."}`,
    a_verifier: `Aucune condition bloquante n'est contredite ; ${plural(toCheck, "point relève", "points relèvent")} de l'appréciation du service instructeur.`,
    a_completer: !answered ? "Pas encore de résultat : répondez aux questions qui décident."
      : missing ? `À compléter : ${plural(missing, "réponse manque", "réponses manquent")} pour conclure.`
        : "À compléter : corrigez les réponses signalées pour conclure.",
  };
  const cls = !answered && verdict === "a_completer" ? "attente" : RESULT_CLASS[verdict];
  const reason = verdict === "non_eligible" && failed === 1 ? firstFailure?.message : null;
  return { verdict, cls, text: texts[verdict], reason };
}

export class Results {
  constructor(section, titles) {
    this.section = section;
    this.titles = titles; // pointer → the question's French label on the form
    this.ui = Object.fromEntries(["verdict", "groups", "figures", "figures-block", "errors", "errors-block", "summary"]
      .map((name) => [name, section.querySelector(`[data-${name}]`)]));
  }

  render(report, { localErrors, answered }) {
    const { verdict, cls, text, reason } = verdictOf(report, { localErrors, answered });
    // The verdict in bold, its reason in plain text: « Non éligible dès maintenant : <why> ».
    const cut = text.indexOf(" : ");
    this.ui.verdict.replaceChildren(el("strong", "", cut > 0 ? text.slice(0, cut) : text), cut > 0 ? text.slice(cut) : "");
    this.reasonShown = reason;
    this.ui.verdict.className = `verdict verdict--${cls}`;
    this.section.dataset.result = cls;
    this.section.dataset.outcome = verdict;
    this.ui.summary.hidden = !answered;
    this.ui.summary.firstElementChild.textContent = `Résultat : ${text.split(" :")[0].split(" ;")[0]} — voir le détail`;
    // A group the reader opened stays open when the next report redraws it.
    const opened = new Set([...this.ui.groups.querySelectorAll("details[open]")].map((d) => d.dataset.group));
    this.ui.groups.replaceChildren(...this.groups(report));
    for (const d of this.ui.groups.querySelectorAll("details")) d.open ||= opened.has(d.dataset.group);
    this.renderFigures(report.figures);
    return verdict;
  }

  groups(report) {
    const by = (test) => report.verdicts.filter(test);
    const parts = [];
    const list = (title, verdicts, kind, open = true) => {
      if (!verdicts.length) return;
      const ol = el("ol", "regles");
      ol.dataset.rules = kind;
      ol.append(...verdicts.map((v) => this.ruleItem(v)));
      if (open) {
        const block = el("div", `resultats__groupe resultats__groupe--${kind}`);
        block.append(el("h4", "", title), ol);
        parts.push(block);
      } else {
        const block = el("details", `resultats__groupe resultats__groupe--${kind}`);
        block.dataset.group = kind;
        block.append(el("summary", "", title), ol);
        parts.push(block);
      }
    };
    const failed = by((v) => v.blocking && v.status === "ko");
    list(failed.length > 1 ? "Conditions non remplies" : "Condition non remplie", failed, "ko");
    const toCheck = by((v) => v.status === "a_verifier");
    list("À vérifier par le service instructeur", toCheck, "a_verifier");
    const pending = by((v) => v.status === "a_completer");
    list(`En attente de vos réponses (${plural(pending.length, "condition")})`, pending, "a_completer", false);
    const notes = by((v) => !v.blocking && v.status === "ko");
    list(notes.length > 1 ? "Points d'attention, non bloquants" : "Point d'attention, non bloquant", notes, "conseil");
    const held = by((v) => v.status === "ok");
    list(`Conditions remplies (${held.length})`, held, "ok", false);
    return parts;
  }

  ruleItem(v) {
    const advisory = !v.blocking;
    const li = el("li", `regle regle--${v.status}${advisory ? " regle--indicative" : ""}`);
    li.id = `regle-${v.rule}`;
    li.tabIndex = -1;
    li.dataset.rule = v.rule;
    li.dataset.status = v.status;
    const badge = advisory && v.status === "ko" ? "À noter" : BADGES[v.status] ?? v.status;
    const head = el("p", "regle__tete");
    head.append(el("span", "regle__statut", badge), " ", el("strong", "", v.label),
      " ", el("span", "regle__portee", advisory ? "(indication, non bloquante)" : "(condition)"));
    li.append(head);
    if (v.message === this.reasonShown && v.status === "ko") {
      // Already the verdict's reason, just above: not twice.
    } else if (v.status === "a_completer" && v.missing?.length) {
      const needs = v.missing.map((p) => this.titles(p)).filter(Boolean);
      li.append(el("p", "regle__message", `Il manque : ${[...new Set(needs)].join(" ; ")}.`));
    } else {
      li.append(el("p", "regle__message", v.message));
    }
    if (v.clause) li.append(clauseLink(v));
    return li;
  }

  renderFigures(figures) {
    const items = figures.flatMap((f) => {
      const dd = el("dd", "", f.value);
      if (f.formula) dd.append(el("span", "montants__formule", f.formula));
      return [el("dt", "", f.label), dd];
    });
    this.ui.figures.replaceChildren(...items);
    this.ui["figures-block"].hidden = figures.length === 0;
  }

  /** The errors to show (already filtered and ordered), listed with links to their fields. */
  renderErrors(errors, fieldFor) {
    const items = errors.map(({ path, message }) => {
      const li = el("li");
      const field = fieldFor(path);
      if (field) {
        const link = el("a", "", message);
        link.href = `#${field.id || field.closest("[id]")?.id || ""}`;
        link.dataset.goto = path;
        li.append(link);
      } else {
        li.append(message);
      }
      return li;
    });
    this.ui.errors.replaceChildren(...items);
    this.ui["errors-block"].hidden = items.length === 0;
  }
}

/** « Lire la clause », named after its rule so that every link's name is unique. */
export function clauseLink(v) {
  const link = el("a", "regle__clause", "Lire la clause du texte");
  link.append(el("span", "sr-only", ` : ${v.label}`));
  link.href = new URL(v.clause, siteRoot()).href;
  link.dataset.clause = v.rule;
  return link;
}
