"""The organisations that fund, instruct or relay a call: one controlled vocabulary (not a hook).

A call's front matter names its `porteurs` as the text does (« Agence Nationale de la Cohésion
des Territoires (ANCT) — Programme Société Numérique », « État — Préfecture d'Indre-et-Loire »).
The catalog, its filters and the summary cards show each organisation under one name, found
here by its SIREN when the front matter gives one, else by one of the names it is known by. A
name this list does not know fails the build: add the organisation (or the new spelling) here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    id: str  # stable key, used in the catalog's filter and its address (?financeur=anct)
    nom: str  # the one name the site shows
    siren: str | None = None
    aussi: tuple[str, ...] = ()  # the other names front matters use for it


ORGANISATIONS = (
    Organisation(
        "anct",
        "Agence nationale de la cohésion des territoires (ANCT)",
        "130026032",
        ("Agence Nationale de la Cohésion des Territoires (ANCT) — Programme Société Numérique",),
    ),
    Organisation("banque-des-territoires", "Banque des Territoires (Caisse des Dépôts)", "180020026"),
    Organisation("dinum", "Direction interministérielle du numérique (DINUM)", "130025265"),
    Organisation(
        "education-nationale",
        "Ministère de l'Éducation nationale",
        "110043015",
        ("État — ministère de l'Éducation nationale",),
    ),
    Organisation("mission-societe-numerique", "Mission Société Numérique (Agence du Numérique)"),
    Organisation(
        "prefecture-indre-et-loire", "Préfecture d'Indre-et-Loire", None, ("État — Préfecture d'Indre-et-Loire",)
    ),
    Organisation("prefecture-saone-et-loire", "Préfecture de Saône-et-Loire"),
)

# What each role is called on the site, never the front matter's raw word.
ROLES = {
    "financeur": ("Financeur", "Financeurs"),
    "instructeur": ("Instruction", "Instruction"),
    "diffuseur": ("Relayé par", "Relayé par"),
}


class UnknownOrganisation(ValueError):
    pass


def organisation(porteur: dict) -> Organisation:
    """The organisation a front matter's porteur names: by SIREN, else by name."""
    siren, name = porteur.get("siren"), porteur["nom"]
    for org in ORGANISATIONS:
        if (siren and org.siren == siren) or name == org.nom or name in org.aussi:
            return org
    raise UnknownOrganisation(
        f"organisme inconnu « {name} »"
        + (f" (SIREN {siren})" if siren else "")
        + " : ajoutez-le à overrides/hooks/organisations.py"
    )


def by_role(porteurs: list[dict], role: str) -> list[Organisation]:
    """The organisations holding a role in a call, each once, in the front matter's order."""
    found = [organisation(p) for p in porteurs if role in p["roles"]]
    return list(dict.fromkeys(found))
