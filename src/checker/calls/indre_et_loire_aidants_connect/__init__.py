"""Préfecture d'Indre-et-Loire, lettre du 18 février 2021, mesure 4: Aidants Connect, the national
service the letter relays."""

from __future__ import annotations

from ...dossier import Dossier
from ...model import Outcome, ko, ok
from ...rules import RuleSet
from ...standard_rules import identifier_rules
from .._indre_et_loire_common import departement_advice_rule, measure_call, no_deadline_rule

rules = RuleSet.of(__name__, prefix="ietl_aidants")
P = rules.params
ROLE_LABELS = {
    "travailleur_social": "travailleur social",
    "agent_public_accueil": "agent public d'accueil",
    "mediateur_numerique": "médiateur numérique",
    "autre_professionnel": "autre aidant professionnel",
    "benevole": "bénévole",
}

no_deadline_rule(rules, "date_limite", "procedure", what="Aidants Connect, service public numérique")


# The letter describes why the service exists (structures asked to help with online formalities) and how
# it works (a mandate signed through FranceConnect, then the aidant's professional account): information,
# not conditions. Its one condition is the audience: professional aidants.
@rules.rule("aidants_professionnels", "Aidants professionnels", clause="aidants-professionnels")
def are_professionals(d: Dossier) -> Outcome:
    """« Aidants Connect s'adresse à une diversité d'aidants professionnels : travailleurs sociaux, agents
    publics d'accueil, médiateurs numériques... » (an open list: other professionals count)."""
    people = d.rows("aidants")
    roles_of = [d.get(f"aidants.{n}.role") for n in range(len(people))]
    amateurs = [a.get("name", "?") for a, role in zip(people, roles_of) if role not in P.professional_roles]
    if amateurs:
        return ko(
            f"Aidants non professionnels : {', '.join(amateurs)} ; Aidants Connect s'adresse aux aidants professionnels."
        )
    roles = sorted({ROLE_LABELS.get(role, role) for role in roles_of})
    return ok(
        f"{len(people)} {'aidants professionnels' if len(people) > 1 else 'aidant professionnel'} : {', '.join(roles)}."
    )


@rules.rule(
    "formalites",
    "Structure sollicitée pour des formalités en ligne (information)",
    clause="formalites-en-ligne",
    blocking=False,
)
def online_help(d: Dossier) -> Outcome:
    """« de plus en plus de services de proximité sont sollicités pour une aide à la réalisation de formalités en
    ligne … C'est pour sécuriser ces pratiques qu'a été imaginé le dispositif "Aidants Connect" » : why the service
    exists, not a condition."""
    journey = (
        f"Le parcours se fait en {P.steps} étapes : un mandat signé en ligne par l'usager via FranceConnect, "
        "puis la démarche de l'aidant depuis son compte professionnel."
    )
    if d.flag("eligibility.online_formalities"):
        return ok(
            f"La structure aide des usagers à réaliser des formalités en ligne : Aidants Connect sécurise cette "
            f"pratique. {journey}"
        )
    return ko(
        "La structure n'aide pas d'usagers à réaliser des formalités en ligne : Aidants Connect a été imaginé pour "
        f"sécuriser cette aide, mais la lettre n'en fait pas une condition (information, non éliminatoire). {journey}"
    )


departement_advice_rule(
    rules, "territoire", P["relay_departement"], departement=P.relay_departement, programme="le service Aidants Connect"
)
identifier_rules(rules, "aidants-connect")

CALL = measure_call(__name__, rules)
