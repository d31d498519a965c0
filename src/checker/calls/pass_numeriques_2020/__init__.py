"""AAP « Déploiement des Pass numériques » (ANCT, Programme Société Numérique, février 2020).

The State co-finances the purchase of Pass numériques one for one with the porteur's own
contribution and its European funds: at most 50 %, from a 20 000 € purchase up to 3 M€. An
optional annex funds project engineering, within 10 % of the global budget and deducted from
the pass purchase. The call closed on 15 May 2020 at 23 h; every other rule is still judged.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from ...budget import expenses_in, resource_lines, resources_besides, resources_from, sum_amounts, total_expenses
from ...dossier import Dossier, MissingData
from ...model import Outcome, ko, ok, to_check
from ...money import CENT, euros, number, percent
from ...rules import Applies, Call, FigureValue, RuleSet
from ...standard_rules import (
    Source,
    budget_consistency_rules,
    deadline_rule,
    declared_expenses_rule,
    flag_rule,
    identifier_rules,
    named_categories,
)
from ...vocabulary import LOCAL_AUTHORITIES, applicant_label

rules = RuleSet.of(__name__, prefix="pass")
P = rules.params

# L. 5111-1 CGCT names EPCI (syndicats de communes included) and syndicats mixtes as groupements;
# the Métropole de Lyon, the MGP and the outre-mer collectivities are named by the text itself.
ELIGIBLE_KINDS = LOCAL_AUTHORITIES
# A France Services porteur may be a commune, an EPCI or an association: only its legal nature decides.
UNDETERMINED_KINDS = frozenset({"porteur_france_services"})
STATE = "etat"
# Contributions that may or may not be the porteur's « apport strict »: members' shares of a
# groupement entered as « commune ou intercommunalité », and contributions in kind.
MEMBERS_FUNDER = "bloc_communal"
SCALE_LABELS = {
    "commune": "une seule commune",
    "groupement_communes": "un groupement de communes",
    "departement": "un département",
    "region": "une région ou une collectivité d'outre-mer entière",
}
DESCRIPTION_PARTS = {
    "target_publics": "les publics cibles et les moyens de les atteindre",
    "deployment_area": "la zone géographique de déploiement",
    "outreach_method": "la méthodologie pour toucher les communes du périmètre, notamment rurales",
}

deadline_rule(rules, "date_limite", P["deadline"], label="Date limite de dépôt (avant le {deadline:date} à 23 h)")


# ---------------------------------------------------------------- budget helpers


def floor_cents(value: Decimal) -> Decimal:
    """Ceilings are rounded down to the cent: rounding up would exceed the rate by a fraction of a cent."""
    return value.quantize(CENT, rounding=ROUND_DOWN)


def global_budget(d: Dossier) -> Decimal:
    return total_expenses(d)


def state_share(d: Dossier) -> Decimal:
    return resources_from(d, {STATE})


def porteur_strict(d: Dossier) -> Decimal:
    """Cash from the porteur and European funds: the base of the « un pour un »."""
    return sum_amounts([r for r in resource_lines(d) if r["funder_kind"] in P.porteur_funders and not r.get("in_kind")])


def porteur_unsure(d: Dossier) -> Decimal:
    return sum_amounts(
        [
            r
            for r in resource_lines(d)
            if (r["funder_kind"] in P.porteur_funders and r.get("in_kind")) or r["funder_kind"] == MEMBERS_FUNDER
        ]
    )


def other_funders(d: Dossier) -> Decimal:
    return sum_amounts(resources_besides(d, set(P.porteur_funders) | {STATE, MEMBERS_FUNDER}))


def engineering_amount(d: Dossier) -> Decimal:
    """The engineering costs: « les coûts de ce soutien [sont indiqués] dans la partie "dépenses" du budget »,
    so the expense lines of that category, whatever the dossier declares beside them."""
    return expenses_in(d, P.engineering_categories)


def purchase_amount(d: Dossier) -> Decimal:
    """The purchase of Pass numériques: the expense lines of that category."""
    return expenses_in(d, P.purchase_categories)


def engineering_ceiling(d: Dossier) -> Decimal:
    return floor_cents(global_budget(d) * P.engineering_rate)


def max_state_share(d: Dossier) -> Decimal:
    return max(min(floor_cents(global_budget(d) * P.state_rate), porteur_strict(d), P.cap_state), Decimal(0))


# ---------------------------------------------------------------- filing and applicant


@rules.rule("depot_en_ligne", "Dépôt sur démarches-simplifiées", clause="depot-demarches-simplifiees")
def online_only(d: Dossier) -> Outcome:
    """« Pour être pris en compte, tout dossier de soumission doit impérativement être déposé sur le site :
    https://www.demarches-simplifiees.fr/commencer/pass-numeriques-2020 »."""
    channel = d.get("submission.channel")
    if channel == "demarches_simplifiees":
        return ok("Dossier déposé sur démarches-simplifiées.")
    shown = {"courriel": "par courriel", "voie_postale": "par voie postale"}.get(channel, f"par « {channel} »")
    return ko(
        f"Dossier envoyé {shown} : pour être pris en compte, il doit impérativement être déposé sur démarches-simplifiées."
    )


@rules.rule(
    "porteur_eligible",
    "Porteur : collectivité territoriale ou groupement (article L. 5111-1 du CGCT)",
    clause="porteurs-eligibles",
)
def eligible_applicant(d: Dossier) -> Outcome:
    """« les collectivités territoriales et leurs groupements au sens de l'article L. 5111-1 du Code général des
    collectivités territoriales, la Métropole du Grand Paris et la Métropole de Lyon, les territoires et
    collectivités d'outre-mer » (4.1)."""
    kind = d.get("applicant.kind")
    label = applicant_label(kind)
    if kind in ELIGIBLE_KINDS:
        return ok(f"{label} : collectivité territoriale ou groupement de collectivités, porteur éligible.")
    if kind in UNDETERMINED_KINDS:
        return to_check(
            f"{label} : éligible seulement si la structure est une collectivité territoriale ou un groupement "
            "au sens de l'article L. 5111-1 du CGCT ; indiquez sa nature juridique."
        )
    return ko(
        f"{label} : ni collectivité territoriale, ni groupement de collectivités au sens de l'article L. 5111-1 "
        "du CGCT ; seuls ceux-ci (dont la Métropole du Grand Paris, la Métropole de Lyon et les collectivités "
        "d'outre-mer) peuvent porter un projet."
    )


@rules.rule(
    "echelle_territoriale",
    "Envergure au moins égale au périmètre d'un groupement de communes",
    clause="echelle-territoriale",
)
def territorial_scale(d: Dossier) -> Outcome:
    """« Le projet doit avoir une envergure au moins égale au périmètre géographique d'un groupement de communes » (4.2)."""
    scale = d.get("territory.project_scale")
    if scale == "commune":
        return ko(
            "Projet à l'échelle d'une seule commune : son envergure doit être au moins égale au périmètre "
            "géographique d'un groupement de communes."
        )
    return ok(f"Projet à l'échelle d'{SCALE_LABELS[scale]} : au moins le périmètre d'un groupement de communes.")


def _commune_names(d: Dossier) -> set[str]:
    members = {
        m["name"].strip().casefold()
        for m in d.rows("applicant.group_members")
        if isinstance(m, dict) and m.get("name") and m.get("kind", "commune") == "commune"
    }
    return members | {d.get("applicant.name").strip().casefold()}


IS_COMMUNE = Applies(
    lambda d: d.get("applicant.kind") == "commune",
    lambda d: f": le porteur ({applicant_label(d.get('applicant.kind'))}) n'est pas une commune.",
)


@rules.rule(
    "communes_en_groupement",
    "Les communes candidatent uniquement en groupement",
    clause="candidature-communes-groupement",
    applies=IS_COMMUNE,
)
def communes_grouped(d: Dossier) -> Outcome:
    """« Pour être éligibles, les communes peuvent candidater uniquement en groupement » (4.2)."""
    if not d.flag("grouping.applies_as_group"):
        return ko("Une commune seule ne peut pas candidater : les communes candidatent uniquement en groupement.")
    count = len(_commune_names(d))
    if count < 2:
        return ko("Candidature en groupement sans autre commune membre : listez les communes du groupement.")
    return ok(f"Candidature d'un groupement de {count} communes.")


@rules.rule("porteur_unique", "Le groupement de communes désigne un porteur de projet unique", clause="porteur-unique")
def single_porteur(d: Dossier) -> Outcome:
    """« Les groupements de communes candidats doivent désigner un porteur de projet unique qui sera l'interlocuteur
    de l'État et recevra la subvention » (4.2)."""
    name = d.get("applicant.name")
    # A commune must say whether it applies as a group; for the others, no answer means no group.
    grouped = (
        d.flag("grouping.applies_as_group")
        if d.get("applicant.kind") == "commune"
        else d.opt("grouping.applies_as_group", False) is True
    )
    if not grouped:
        return ok(
            f"Sans objet : pas de candidature d'un groupement de communes ; {name} est l'interlocuteur de l'État."
        )
    if d.flag("grouping.single_porteur"):
        return ok(
            f"{name} est le porteur de projet unique du groupement : interlocuteur de l'État, il recevra la subvention."
        )
    return ko(
        "Le groupement de communes doit désigner un porteur de projet unique, interlocuteur de l'État, "
        "qui recevra la subvention."
    )


# ---------------------------------------------------------------- publics and description


@rules.rule("publics_pic", "Au moins la moitié des Pass achetés pour les publics du PIC", clause="publics-cibles-pic")
def pic_publics(d: Dossier) -> Outcome:
    """« les candidatures devront consacrer au moins la moitié des Pass numériques achetés au(x) public(s) cible(s) du
    "Plan d'investissement dans les compétences" (PIC) » (4.3)."""
    total, pic = Decimal(d.get("passes.count_total")), Decimal(d.get("passes.count_pic"))
    if total <= 0:
        return ko("Aucun Pass numérique prévu à l'achat : indiquez le nombre de Pass achetés.")
    if pic > total:
        return ko(
            f"{number(pic)} Pass pour les publics du PIC, plus que les {number(total)} Pass achetés : incohérent."
        )
    needed = (total * P.pic_share).to_integral_value(rounding=ROUND_CEILING)
    message = (
        f"{number(pic)} Pass sur {number(total)} consacrés aux publics du PIC ({percent(pic / total)}) ; "
        f"au moins {percent(P.pic_share)}, soit {number(needed)} Pass."
    )
    return ok(message) if pic >= total * P.pic_share else ko(message)


flag_rule(
    rules,
    "engagement_pic",
    "engagement-publics-pic",
    blocking=False,
    label="Engagement à respecter le critère des publics du PIC",
    field="commitments.pic_half",
    held=f"Engagement pris : au moins {percent(P.pic_share)} des Pass pour les publics du PIC, vérifié dans le suivi.",
    unmet="Engagement à prendre à la signature de la convention : consacrer au moins la moitié des Pass aux publics "
    "du PIC ; son respect sera vérifié dans le suivi du projet.",
    quote="« Les lauréats de l'appel à projets s'engageront à la signature de la convention avec l'ANCT à respecter ce "
    "critère ; le respect dudit critère sera vérifié dans le suivi du projet » (4.3).",
)


@rules.rule(
    "fiche_description",
    "Fiche de description : publics cibles, zone de déploiement, méthodologie",
    clause="fiche-description",
)
def description_sheet(d: Dossier) -> Outcome:
    """« La fiche de description du projet comprenant : 1. La description des publics cibles ; 2. La description de la
    zone géographique de déploiement […] les porteurs de projets doivent décrire la méthodologie opérationnelle »."""
    for key in DESCRIPTION_PARTS:
        d.get(f"description.{key}")  # not yet written is « à compléter », not a refusal
    return ok(f"Fiche de description complète : {' ; '.join(DESCRIPTION_PARTS.values())}.")


@rules.rule("fonds_europeens", "Les fonds européens mobilisés sont mentionnés", clause="fonds-europeens")
def european_funds(d: Dossier) -> Outcome:
    """« Le porteur de projet doit mentionner les éventuels fonds européens mobilisés » (8, A, 4)."""
    europe = resources_from(d, {"europe"})
    if europe == 0:
        return ok("Aucun fonds européen inscrit au budget : rubrique sans objet.")
    if not d.has("description.european_funds"):
        raise MissingData(
            "description.european_funds",
            why=f"Le budget inscrit {euros(europe)} de fonds européens : mentionnez-les dans la fiche de description.",
        )
    return ok(f"Fonds européens inscrits au budget ({euros(europe)}) et mentionnés dans la fiche de description.")


@rules.rule(
    "structuration_acteurs",
    "Structuration des acteurs de la médiation numérique (si tel est le cas)",
    clause="structuration-acteurs",
    blocking=False,
)
def mediation_structuring(d: Dossier) -> Outcome:
    """« Le porteur de projet doit démontrer qu'il a engagé des démarches de consolidation et de structuration des
    acteurs de l'inclusion et de la médiation numériques sur son territoire » (si tel est le cas)."""
    if d.has("description.mediation_structuring"):
        return ok("Démarches de structuration des acteurs de l'inclusion et de la médiation numériques décrites.")
    return ko(
        "Aucune démarche de structuration des acteurs de la médiation numérique décrite : rubrique à remplir si tel "
        "est le cas ; la qualité des informations est déterminante dans la décision de financement."
    )


@rules.rule(
    "partenaires",
    "Partenaires du projet et lettres d'engagement (souhaité)",
    clause="partenaires-projet",
    blocking=False,
)
def partners(d: Dossier) -> Outcome:
    """« chaque porteur de projet peut montrer qu'il s'est mis en lien avec d'autres organismes sur son territoire […]
    via des lettres d'engagement adossées au dossier. Il est souhaité que des démarches collectives et coordonnées
    puissent s'engager en ce sens »."""
    letters = d.opt("pieces.partnership_letters", False) is True
    if d.has("description.partners") or letters:
        return ok("Partenaires du projet présentés" + (", lettres d'engagement jointes." if letters else "."))
    return ko(
        "Aucun partenaire ni lettre d'engagement : facultatif, mais il est souhaité que des démarches collectives "
        "et coordonnées s'engagent pour produire un effet levier."
    )


# ---------------------------------------------------------------- budget


@rules.rule("budget_parts", "Le budget comprend la part du porteur et la part de l'État", clause="budget-parts")
def budget_parts(d: Dossier) -> Outcome:
    """« Ce budget prévisionnel doit comprendre : La part du porteur de projet (comprenant les fonds européens
    éventuels) ; La part de l'État »."""
    state, porteur = state_share(d), porteur_strict(d) + porteur_unsure(d)
    missing = [
        what
        for what, amount in (("la part du porteur de projet", porteur), ("la part de l'État", state))
        if amount <= 0
    ]
    if missing:
        return ko(
            f"Le budget prévisionnel doit comprendre {' et '.join(missing)} (ressources de type « Autofinancement "
            "du porteur » ou « Union européenne », et « État »)."
        )
    return ok(f"Part du porteur : {euros(porteur)} ; part de l'État : {euros(state)}.")


budget_consistency_rules(rules, "budget-previsionnel")


@rules.rule(
    "depenses_eligibles",
    "Dépenses : l'achat de Pass et, le cas échéant, l'ingénierie de projet",
    clause="depenses-eligibles",
)
def eligible_expenses(d: Dossier) -> Outcome:
    """« Le financement de l'État servira à l'achat de Pass numériques » ; l'ingénierie de projet, en annexe, « est à
    déduire du montant d'achat de Pass global » : the budget holds those two kinds of expense lines."""
    total, purchase, engineering = global_budget(d), purchase_amount(d), engineering_amount(d)
    parts = f"achat de Pass {euros(purchase)} + ingénierie {euros(engineering)}"
    other = total - purchase - engineering
    if other == 0:
        return ok(f"Budget global de {euros(total)} : {parts}.")
    return ko(
        f"Budget global de {euros(total)} : {parts}, et {euros(other)} de lignes qui ne sont ni l'achat de Pass "
        "numériques, que finance l'État, ni l'ingénierie de projet."
    )


declared_expenses_rule(
    rules,
    "concordance_depenses",
    "budget-previsionnel",
    label="Montants d'achat de Pass et d'ingénierie conformes aux lignes",
    declared={"passes.purchase_amount": P.purchase_categories, "engineering.amount": P.engineering_categories},
)


@rules.rule("taux_etat", "Part de l'État au plus {state_rate} du budget", clause=P["state_rate"].clause)
def state_rate(d: Dossier) -> Outcome:
    """« L'État s'engage à prendre en charge au maximum 50% de l'achat de Pass numériques utilisés » ; avec l'annexe,
    l'ingénierie est comprise dans le budget global qui se partage à parts égales."""
    state, total = state_share(d), global_budget(d)
    ceiling = floor_cents(total * P.state_rate)
    message = (
        f"Part de l'État : {euros(state)} ; au maximum {percent(P.state_rate)} du budget global de "
        f"{euros(total)}, soit {euros(ceiling)}."
    )
    return ok(message) if state <= ceiling else ko(f"{message} Dépassement de {euros(state - ceiling)}.")


@rules.rule(
    "un_pour_un",
    "Règle du « un pour un » : part de l'État au plus égale à l'apport du porteur",
    clause=P["porteur_funders"].clause,
)
def one_for_one(d: Dossier) -> Outcome:
    """« Le calcul du financement de l'État se base sur l'apport strict du porteur de projet et des fonds européens
    éventuellement mobilisés, selon la règle du "un pour un" »."""
    state, strict, unsure = state_share(d), porteur_strict(d), porteur_unsure(d)
    message = f"Part de l'État : {euros(state)} ; apport strict du porteur et des fonds européens : {euros(strict)}."
    if state <= strict:
        return ok(message)
    if state <= strict + unsure:
        return to_check(
            f"{message} Il faut y ajouter {euros(unsure)} d'apports en nature ou des communes et "
            "intercommunalités pour atteindre le « un pour un » : à confirmer avec l'ANCT qu'ils comptent "
            "dans l'apport strict du porteur."
        )
    return ko(
        f"{message} Selon la règle du « un pour un », la part de l'État ne peut dépasser cet apport : "
        f"dépassement de {euros(state - strict)}."
    )


@rules.rule(
    "composition_budget",
    "Budget composé à {state_rate} de la part de l'État et à {state_rate} de la part du porteur",
    clause="composition-budget",
    blocking=False,
)
def composition(d: Dossier) -> Outcome:
    """« Le budget total du projet à présenter dans le dossier est composé à 50% de la part État et à 50% de la part
    de la collectivité territoriale (en tenant compte des subventions européennes) »."""
    state, porteur, others = state_share(d), porteur_strict(d) + porteur_unsure(d), other_funders(d)
    total = state + porteur + others
    if total <= 0:
        return ko("Aucune ressource inscrite : le budget se compose de la part de l'État et de la part du porteur.")
    shares = (
        f"part de l'État {euros(state)} ({percent(state / total)}), part du porteur {euros(porteur)} "
        f"({percent(porteur / total)})"
    )
    if others:
        return ko(
            f"Budget présenté : {shares}, autres financeurs {euros(others)} ; le modèle de l'appel se compose "
            "de la seule part de l'État et de la seule part de la collectivité (fonds européens compris)."
        )
    if state != porteur:
        return ko(f"Budget présenté : {shares} ; le modèle de l'appel se compose à {percent(P.state_rate)} de chacune.")
    return ok(f"Budget composé à parts égales : {shares}.")


@rules.rule("montant_minimal", "Achat de Pass d'au moins {min_purchase}", clause=P["min_purchase"].clause)
def minimum_purchase(d: Dossier) -> Outcome:
    """« Le montant minimal d'achat de Pass est de 20 000€ (10 000€ porteur de projet + 10 000€ de l'État) »."""
    purchase = purchase_amount(d)
    message = (
        f"Achat de Pass : {euros(purchase)} ; montant minimal {euros(P.min_purchase)} "
        f"({euros(P.min_porteur)} porteur + {euros(P.min_state)} État)."
    )
    return ok(message) if purchase >= P.min_purchase else ko(message)


@rules.rule("plafond", "Prise en charge plafonnée à {cap:millions}", clause=P["cap"].clause)
def cap(d: Dossier) -> Outcome:
    """« Le plafond de prise en charge accordé est de 3 millions d'euros (1,5M€ porteur de projet + 1,5M€ de
    l'État) »."""
    total, state = global_budget(d), state_share(d)
    message = (
        f"Budget global : {euros(total)}, dont {euros(state)} de l'État ; plafond {euros(P.cap)} "
        f"({euros(P.cap_porteur)} porteur + {euros(P.cap_state)} État)."
    )
    if total > P.cap:
        return ko(f"{message} Dépassement de {euros(total - P.cap)}.")
    if state > P.cap_state:
        return ko(f"{message} Part de l'État au-delà de {euros(P.cap_state)}.")
    return ok(message)


# ---------------------------------------------------------------- annex: project engineering


@rules.rule(
    "ingenierie_demande", "Ingénierie : souhait indiqué et coûts inscrits aux dépenses", clause="ingenierie-candidature"
)
def engineering_request(d: Dossier) -> Outcome:
    """« Pour candidater, il suffit d'indiquer dans le dossier de candidature son souhait de recourir au soutien à
    l'ingénierie de projet et d'indiquer les coûts de ce soutien dans la partie "dépenses" du budget présenté »."""
    requested, amount = d.flag("engineering.requested"), engineering_amount(d)
    named = named_categories(rules.schema, P.engineering_categories)
    if requested and amount > 0:
        return ok(
            f"Soutien à l'ingénierie de projet demandé : {euros(amount)} de lignes {named} inscrites aux dépenses."
        )
    if requested:
        return ko(
            f"Soutien à l'ingénierie demandé sans coût : indiquez ses coûts dans la partie « dépenses » du budget, "
            f"en lignes {named}."
        )
    if amount > 0:
        return ko(
            f"{euros(amount)} de lignes {named}, mais le souhait de recourir au soutien à l'ingénierie de "
            "projet n'est pas indiqué."
        )
    return ok("Sans objet : pas de soutien à l'ingénierie de projet demandé.")


HAS_ENGINEERING = Applies(lambda d: engineering_amount(d) != 0, lambda d: ": aucun coût d'ingénierie de projet.")


@rules.rule(
    "ingenierie_plafond",
    "Ingénierie au plus {engineering_rate} du budget global",
    clause=P["engineering_rate"].clause,
    applies=HAS_ENGINEERING,
)
def engineering_cap(d: Dossier) -> Outcome:
    """« l'ANCT soutiendra à hauteur de 10% maximum du total des projets (part Etat + part porteur de projet) » ;
    « Ces coûts ne peuvent pas être supérieurs à 10% du montant total du budget »."""
    amount = engineering_amount(d)
    total, ceiling = global_budget(d), engineering_ceiling(d)
    message = (
        f"Coûts d'ingénierie : {euros(amount)} ; au plus {percent(P.engineering_rate)} du budget global de "
        f"{euros(total)}, soit {euros(ceiling)}."
    )
    return ok(message) if amount <= ceiling else ko(f"{message} Dépassement de {euros(amount - ceiling)}.")


@rules.rule(
    "ingenierie_depenses_nouvelles",
    "Ingénierie : des dépenses nouvelles",
    clause="ingenierie-depenses-nouvelles",
    applies=HAS_ENGINEERING,
)
def engineering_new(d: Dossier) -> Outcome:
    """« Ces coûts annexes doivent recouvrir des dépenses nouvelles »."""
    amount = engineering_amount(d)
    if d.flag("engineering.new_expenses"):
        return ok(f"Les {euros(amount)} de coûts d'ingénierie recouvrent des dépenses nouvelles.")
    return ko(f"Les {euros(amount)} de coûts d'ingénierie doivent recouvrir des dépenses nouvelles.")


@rules.rule(
    "ingenierie_nature",
    "Ingénierie : études et accompagnement concourant au déploiement des Pass",
    clause="ingenierie-depenses-eligibles",
    applies=HAS_ENGINEERING,
)
def engineering_kind(d: Dossier) -> Outcome:
    """« Les dépenses éligibles sont les études et accompagnement concourant au déploiement des Pass numériques. Une
    analyse des projets d'accompagnement présentés sera réalisée par l'ANCT et un co-financement sera accordé après
    validation du projet »."""
    amount = engineering_amount(d)
    if d.flag("engineering.studies_and_support"):
        return ok(
            f"{euros(amount)} d'études et d'accompagnement concourant au déploiement des Pass ; co-financement "
            "accordé après analyse et validation par l'ANCT."
        )
    return ko(
        f"{euros(amount)} de coûts d'ingénierie qui ne sont pas des études ou de l'accompagnement concourant au "
        "déploiement des Pass numériques : seules ces dépenses sont éligibles."
    )


# ---------------------------------------------------------------- pieces and commitments


@rules.rule("piece_siret", "Numéro SIRET du porteur", clause="pieces-siret")
def siret_piece(d: Dossier) -> Outcome:
    """« C) Les documents annexes suivants : Le numéro SIRET »."""
    # Not yet given is « à compléter »: the form is being filled.
    return ok(f"Numéro SIRET fourni : {d.get('applicant.siret')}.")


flag_rule(
    rules,
    "piece_rib",
    "pieces-rib",
    label="RIB du porteur de projet",
    field="pieces.rib",
    held="RIB du porteur de projet joint.",
    unmet="Le RIB du porteur de projet est une pièce du dossier : joignez-le.",
    quote="« Le RIB du porteur de projet ».",
)


def deferred_piece_rule(
    rules: RuleSet, id: str, source: Source, *, label: str, field: str, what: str, quote: str
) -> None:
    """Pieces due « lors de la candidature ou lors de la contractualisation »: missing now is not a refusal."""

    @rules.rule(id, label, source, blocking=False, doc=quote)
    def check(d: Dossier) -> Outcome:
        if d.flag(field):
            return ok(f"{what} joint à la candidature.")
        return to_check(
            f"{what} non joint : à fournir au plus tard lors de la contractualisation, une fois le projet lauréat."
        )


deferred_piece_rule(
    rules,
    "piece_deliberation",
    "pieces-deliberation",
    label="Modèle de délibération de l'organe compétent",
    field="pieces.deliberation",
    what="Modèle de délibération validant le contenu et le montage financier du projet",
    quote="« lors de la candidature ou lors de la contractualisation […] Un modèle de délibération de "
    "l'organe compétent validant le contenu et le montage financier du projet si nécessaire ».",
)
deferred_piece_rule(
    rules,
    "piece_modele_marche",
    "pieces-modele-marche",
    label="Modèle de marché public ou autre modalité d'achat",
    field="pieces.procurement_model",
    what="Modèle de marché public (ou autre modalité d'achat) envisagé pour acquérir les Pass",
    quote="« lors de la candidature ou lors de la contractualisation […] Un modèle de marché public - ou "
    "toute autre modalité d'achat - envisagé pour acquérir les Pass numériques ».",
)


flag_rule(
    rules,
    "commande_publique",
    "commande-publique",
    blocking=False,
    label="Achat des Pass après la contractualisation, selon la commande publique",
    field="commitments.public_procurement",
    held=f"Les Pass seront acquis après la signature de la convention ({P.convention_years} ans), selon les règles "
    "de la commande publique.",
    unmet="Les Pass s'acquièrent une fois la contractualisation réalisée, dans le respect des règles de la commande "
    "publique applicables au porteur.",
    quote="« Une fois la contractualisation réalisée, le porteur de projet acquiert les Pass numériques dans le respect "
    "des règles de la commande publique qui lui sont applicables » (6.2).",
)
PAID = f"l'État verse {percent(P.payment_rate)} du montant des Pass utilisés sur la base de ces déclarations"
flag_rule(
    rules,
    "declaration_annuelle",
    "declaration-annuelle",
    blocking=False,
    label="Déclaration annuelle des Pass utilisés",
    field="commitments.annual_declaration",
    held=f"Engagement pris : déclaration avant le {P.declaration_before} de chaque année des Pass utilisés ; {PAID}.",
    unmet=f"Engagement à prendre : déclarer avant le {P.declaration_before} de chaque année les Pass utilisés l'année "
    f"précédente, avec les documents comptables ; {PAID}.",
    quote="« les collectivités lauréates s'engageront à déclarer chaque année N+1 (avant le 31 mars de ladite année) le "
    "nombre de Pass numériques effectivement utilisés en année N et à présenter les documents comptables "
    "afférents ».",
)


identifier_rules(rules, "pieces-siret")


# ---------------------------------------------------------------- figures


@rules.figure("part_etat_max", "Part maximale de l'État")
def max_state_figure(d: Dossier) -> FigureValue:
    total, strict = global_budget(d), porteur_strict(d)
    by_rate = floor_cents(total * P.state_rate)
    value = max_state_share(d)
    return FigureValue(
        value,
        f"Le plus petit de : {percent(P.state_rate)} × {euros(total)} = {euros(by_rate)} ; apport "
        f"strict du porteur et des fonds européens (un pour un) {euros(strict)} ; plafond de la part "
        f"de l'État {euros(P.cap_state)} → {euros(value)}",
    )


@rules.figure("plafond_ingenierie", "Plafond des coûts d'ingénierie de projet")
def engineering_figure(d: Dossier) -> FigureValue:
    total = global_budget(d)
    return FigureValue(
        engineering_ceiling(d),
        f"{percent(P.engineering_rate)} × {euros(total)} de budget global "
        f"(part État + part porteur) = {euros(engineering_ceiling(d))}",
    )


@rules.figure("achat_pass", "Montant d'achat de Pass numériques")
def purchase_figure(d: Dossier) -> FigureValue:
    total, engineering, purchase = global_budget(d), engineering_amount(d), purchase_amount(d)
    other = total - engineering - purchase
    others = f" − {euros(other)} d'autres dépenses" if other else ""
    return FigureValue(
        purchase,
        f"{euros(total)} de budget global − {euros(engineering)} d'ingénierie de projet{others} = {euros(purchase)}",
    )


@rules.figure("avance", "Avance versée à la signature de la convention")
def advance_figure(d: Dossier) -> FigureValue:
    grant = min(state_share(d), max_state_share(d))
    value = floor_cents(grant * P.advance_rate)
    return FigureValue(
        value,
        f"{percent(P.advance_rate)} × {euros(grant)} (montant maximum de la subvention de l'État) "
        f"= {euros(value)}, versés dans les {P.advance_days} jours suivant la signature",
    )


CALL = Call.of(__name__, rules)
