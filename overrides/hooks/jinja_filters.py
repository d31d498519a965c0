"""Jinja2 filters the templates use to print figures and dates the French way, and the build's
shared state as the global `site_state` (not a hook)."""

from __future__ import annotations

from decimal import Decimal

from site_state import STATE  # beside this module

from checker.dates import fr_datetime, parse_datetime
from checker.money import euros, percent
from checker.vocabulary import applicant_label

NATURES = {
    "aap": "Appel à projets",
    "ami": "Appel à manifestation d'intérêt",
    "guichet": "Guichet",
    "dispositif": "Dispositif",
}
THEMES = {
    "inclusion-numerique": "Inclusion numérique",
    "transformation-numerique": "Transformation numérique",
    "mediation-numerique": "Médiation numérique",
    "education": "Éducation",
    "entreprises": "Entreprises (TPE)",
    "formation-agents": "Formation des agents",
    "relation-usagers": "Relation aux usagers",
}


def format_amount(amount: dict) -> str:
    value = Decimal(amount["valeur"])
    return percent(value / 100) if amount["unite"] == "%" else euros(value)


def install(env) -> None:
    env.filters["montant"] = format_amount
    env.filters["date_fr"] = lambda text: fr_datetime(parse_datetime(text))
    env.filters["porteur_fr"] = applicant_label
    env.filters["nature_fr"] = lambda key: NATURES.get(key, key)
    env.filters["theme_fr"] = lambda key: THEMES.get(key, key)
    env.globals["site_state"] = STATE  # what the hooks computed (site_state.py): calls, organisations, agendas…
