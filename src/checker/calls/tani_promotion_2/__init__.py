"""AMI « Territoires d'Actions pour un Numérique Inclusif » (TANI), promotion 2, Mission Société Numérique, 2019.

A label, not a grant: no budget rule, no figure. The call checks who may apply, at what
territorial scale, the selection criteria of the candidate's category, the elected official's
support, the referent, the pieces of the file and, as advice, the commitments of the charter
that laureates sign (annexe 2).
"""

from __future__ import annotations

from ...dossier import Dossier
from ...model import Outcome, ko, ok
from ...rules import Applies, Call, RuleSet
from ...standard_rules import deadline_rule, flag_rule, identifier_rules
from ...vocabulary import INTERCOMMUNAL, LOCAL_AUTHORITIES, SYNDICATES, applicant_label

rules = RuleSet.of(__name__, prefix="tani")
P = rules.params

CATEGORY_1, CATEGORY_2 = "strategie_engagee", "strategie_a_engager"
# Collectivités in the text's sense: EPCI and métropoles count, as it names the intercommunalité.
AUTHORITIES = LOCAL_AUTHORITIES - SYNDICATES
IN_SCALE_KINDS = INTERCOMMUNAL | {"departement"}
IN_SCALE = {"intercommunale", "departementale"}
SCALE_LABELS = {
    "communale": "à l'échelle communale, en deçà de l'intercommunalité",
    "intercommunale": "à l'échelle intercommunale",
    "departementale": "à l'échelle départementale",
    "regionale": "à une échelle supérieure au département",
}
CRITERIA_1 = {
    "pass_numeriques": "pass numériques",
    "schemas_territoriaux": "inclusion numérique intégrée aux schémas territoriaux",
    "equipe_dediee": "équipe et moyens dédiés",
    "demarche_partenariale": "démarche partenariale",
    "reseau_mediation": "réseau d'acteurs de la médiation numérique",
}
CRITERIA_2 = {
    "interest": "intérêt pour une stratégie locale d'inclusion numérique",
    "means": "moyens d'action pour l'élaborer puis la déployer",
    "action_plan": "plan d'action ou initiatives à exposer",
}
PIECES = {
    "presentation": "présentation du territoire candidat",
    "support_letter": "lettre de soutien d'un élu du territoire",
    "motivation_letter": "lettre de motivation",
    "documentation_sheet": "fiche de documentation (annexe 3)",
}

# « avant le 5 octobre 2019 » excludes the 5th: the last admissible day is 4 October, all day long.
deadline_rule(rules, "date_limite", P["deadline"])


@rules.rule(
    "porteur_eligible",
    "Le candidat est une collectivité, une structure de coopération ou à participation publique",
    clause="porteurs-eligibles",
)
def eligible_applicant(d: Dossier) -> Outcome:
    """« Sont éligibles : les collectivités […] ; des structures de coopération (syndicats mixtes...) ;
    d'autres structures à participation publique (GIP...) » (3.1)."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in AUTHORITIES:
        return ok(f"{label} : collectivité, éligible sous réserve de l'échelle territoriale.")
    if kind in SYNDICATES:
        return ok(f"{label} : structure de coopération, éligible.")
    if kind == "gip":
        return ok(f"{label} : structure à participation publique, éligible.")
    if d.flag("eligibility.public_participation"):
        return ok(
            f"{label} à participation publique : éligible au titre des « autres structures à participation publique »."
        )
    return ko(
        f"{label} sans participation publique : ni collectivité, ni structure de coopération, "
        "ni structure à participation publique ; non éligible."
    )


@rules.rule(
    "echelle_territoriale",
    "La collectivité est à une échelle comprise entre l'intercommunalité et le département",
    clause="echelle-territoriale",
)
def territorial_scale(d: Dossier) -> Outcome:
    """« Les collectivités […] dont l'échelle territoriale est comprise entre l'intercommunalité
    (ou métropole) et le département » (3.1)."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind not in AUTHORITIES:
        return ok(f"{label} : la condition d'échelle ne vise que les collectivités.")
    if kind in IN_SCALE_KINDS:
        return ok(f"{label} : échelle comprise entre l'intercommunalité et le département.")
    if kind == "commune":
        return ko(
            "Une commune seule est en deçà de l'intercommunalité : c'est l'intercommunalité (ou la métropole) "
            "dont elle est membre qui peut candidater."
        )
    if kind == "region":
        return ko(
            "Une région est au-delà du département : l'appel retient les collectivités comprises entre "
            "l'intercommunalité et le département."
        )
    scale = d.get("eligibility.territorial_scale")
    message = f"{label} {SCALE_LABELS[scale]}"
    if scale in IN_SCALE:
        return ok(message + " : comprise entre l'intercommunalité et le département.")
    return ko(message + " : hors de l'échelle comprise entre l'intercommunalité et le département.")


def _category(d: Dossier) -> str:
    return d.get("eligibility.category")


IN_CATEGORY_1 = Applies(
    lambda d: _category(d) == CATEGORY_1,
    lambda d: f": candidature en deuxième catégorie ({P.laureates_category_2} lauréats sur {P.laureates}).",
)
IN_CATEGORY_2 = Applies(
    lambda d: _category(d) == CATEGORY_2,
    lambda d: f": candidature en première catégorie ({P.laureates_category_1} lauréats sur {P.laureates}).",
)


@rules.rule(
    "criteres_categorie_1",
    "Première catégorie : au moins {min_criteria_category_1} des {criteria_category_1} critères",
    clause=P["criteria_category_1"].clause,
    applies=IN_CATEGORY_1,
)
def category_1_criteria(d: Dossier) -> Outcome:
    """« Pour la première catégorie de candidats, les lauréats […] devront remplir au moins 2 des 5
    critères suivants » (3.2)."""
    met = [label for key, label in CRITERIA_1.items() if d.flag(f"criteria_category_1.{key}")]
    detail = f" ({', '.join(met)})" if met else ""
    message = (
        f"{len(met)} {'critères remplis' if len(met) > 1 else 'critère rempli'} sur {P.criteria_category_1}{detail} ; "
        f"au moins {P.min_criteria_category_1} sont exigés."
    )
    return ok(message) if len(met) >= P.min_criteria_category_1 else ko(message)


@rules.rule(
    "criteres_categorie_2",
    "Deuxième catégorie : les trois critères de sélection",
    clause="criteres-categorie-2",
    applies=IN_CATEGORY_2,
)
def category_2_criteria(d: Dossier) -> Outcome:
    """« Pour la deuxième catégorie de candidats, les critères de sélection seront les suivants » (3.2)."""
    missing = [label for key, label in CRITERIA_2.items() if not d.flag(f"criteria_category_2.{key}")]
    if not missing:
        return ok(f"Les {len(CRITERIA_2)} critères de la deuxième catégorie sont remplis.")
    return ko(
        f"{'Critères non remplis' if len(missing) > 1 else 'Critère non rempli'} : {', '.join(missing)} ({len(CRITERIA_2) - len(missing)} sur {len(CRITERIA_2)})."
    )


@rules.rule("soutien_elu", "Le candidat bénéficie du soutien d'un élu de son territoire", clause="soutien-elu")
def elected_support(d: Dossier) -> Outcome:
    """« Chaque candidat devra obligatoirement bénéficier du soutien d'un élu de son territoire » (3.2)."""
    who = ", ".join(x for x in (d.opt("elected_support.name"), d.opt("elected_support.mandate")) if x)
    if d.flag("elected_support.supported"):
        return ok(f"Candidature soutenue par un élu du territoire{f' ({who})' if who else ''}.")
    return ko(
        "Sans le soutien d'un élu du territoire, la candidature n'est pas recevable : ce soutien est obligatoire."
    )


@rules.rule(
    "referent", "Un interlocuteur référent disponible sur l'année {referent_year}", clause="interlocuteur-referent"
)
def referent(d: Dossier) -> Outcome:
    """« Chaque candidat doit être en mesure de pouvoir désigner un interlocuteur référent […] qui aura du
    temps disponible sur l'année 2020 pour participer aux différentes animations du dispositif TANI » (3.3)."""
    name = d.get("referent.name")
    if d.flag("referent.available_2020"):
        return ok(f"Référent désigné : {name}, disponible sur l'année {P.referent_year}.")
    return ko(
        f"Le référent désigné ({name}) doit avoir du temps disponible sur l'année {P.referent_year} "
        "pour les animations du dispositif TANI."
    )


@rules.rule(
    "participation_animations",
    "Participation aux points téléphoniques et aux réunions TANI",
    clause="participation-animations",
)
def participation(d: Dossier) -> Outcome:
    """« Le dispositif TANI implique de participer à des points téléphoniques réguliers […] et à des
    réunions TANI ayant lieu environ tous les 3 mois » (3.3)."""
    missing = []
    if not d.flag("commitments.phone_meetings"):
        missing.append("aux points téléphoniques réguliers avec la Mission Société Numérique")
    if not d.flag("commitments.tani_meetings"):
        missing.append(f"aux réunions TANI (environ tous les {P.meeting_interval_months} mois)")
    if not missing:
        return ok(
            f"Participation prévue aux points téléphoniques et aux réunions TANI (environ tous les "
            f"{P.meeting_interval_months} mois)."
        )
    return ko(f"Le dispositif implique de participer {' et '.join(missing)}.")


@rules.rule("pieces", "Le dossier de candidature est complet", clause="pieces-dossier")
def pieces(d: Dossier) -> Outcome:
    """« Le dossier de candidature devra être composé : d'une courte présentation […] ; d'une lettre de
    soutien d'un élu […] ; d'une lettre explicitant les motivations […] ; d'une fiche de documentation » (4)."""
    missing = [label for key, label in PIECES.items() if not d.flag(f"pieces.{key}")]
    if not missing:
        return ok(f"Les {len(PIECES)} pièces du dossier sont fournies.")
    return ko(f"{'Pièces manquantes' if len(missing) > 1 else 'Pièce manquante'} : {', '.join(missing)}.")


identifier_rules(rules, "pieces-dossier-presentation")


# The charter binds laureates once signed, not candidates: its rules advise, they do not exclude.
@rules.rule(
    "charte_dispositifs",
    "Charte : au moins deux des six dispositifs",
    clause="charte-engagements-deux-dispositifs",
    blocking=False,
)
def charter_measures(d: Dossier) -> Outcome:
    """« Les territoires signataires s'engagent à mettre en œuvre au moins deux des six dispositifs listés
    ci-dessus » (Charte, article 3)."""
    chosen = set(d.get("charter.measures"))
    message = (
        f"{len(chosen)} {'dispositifs' if len(chosen) > 1 else 'dispositif'} de la Charte "
        f"{'prévus' if len(chosen) > 1 else 'prévu'} sur {P.charter_measures} ; "
        f"au moins {P.min_charter_measures} à mettre en œuvre par les signataires."
    )
    return ok(message) if len(chosen) >= P.min_charter_measures else ko(message)


@rules.rule(
    "charte_engagements",
    "Charte : documenter la démarche et faire des retours sur les outils",
    clause="charte-engagements",
    blocking=False,
)
def charter_commitments(d: Dossier) -> Outcome:
    """« Documenter la démarche et son impact ; faire des retours circonstanciés sur les outils mis en place »
    (Charte, article 3)."""
    missing = []
    if not d.flag("charter.document_approach"):
        missing.append("documenter la démarche et son impact")
    if not d.flag("charter.tool_feedback"):
        missing.append("faire des retours circonstanciés sur les outils mis en place")
    if not missing:
        return ok("Engagements de documentation et de retours sur les outils pris.")
    return ko(
        f"{'Engagements de la Charte non pris' if len(missing) > 1 else 'Engagement de la Charte non pris'} : "
        f"{' ; '.join(missing)}."
    )


flag_rule(
    rules,
    "charte_licence",
    "charte-licences",
    blocking=False,
    label="Charte : livrables sous licence ouverte",
    field="charter.open_licence",
    held="Livrables déposés sous une licence ouverte permettant leur réutilisation (Etalab ou autre).",
    unmet="Les livrables devront être déposés sous une licence permettant leur réutilisation (licence Etalab "
    "ou autre licence ouverte).",
    quote="« Les livrables issus des démarches territoriales labellisées devront être déposés sous une licence "
    "permettant leur réutilisation » (Charte, article 4).",
)
flag_rule(
    rules,
    "charte_partenariale",
    "charte-demarche-partenariale",
    blocking=False,
    label="Charte : démarche partenariale associant les parties prenantes",
    field="charter.partnership",
    held="Démarche partenariale : les parties prenantes de l'inclusion numérique du territoire sont associées.",
    unmet="Le dispositif valorise les démarches partenariales : associez les parties prenantes de l'inclusion "
    "numérique de votre territoire.",
    quote="« Le dispositif valorise des démarches dites « partenariales », dont le porteur de projet identifié "
    "associe les parties prenantes de l'inclusion numérique de son territoire » (Charte, article 1).",
)


CALL = Call.of(__name__, rules)
