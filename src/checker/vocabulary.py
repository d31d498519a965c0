"""Controlled vocabularies shared by every call, read from the common schema (their one source)."""

from __future__ import annotations

from functools import lru_cache

from .schemas import load_schema


@lru_cache(maxsize=None)
def _labels(definition: str, field: str | None = None) -> dict[str, str]:
    node = load_schema("common.schema.json")["$defs"][definition]
    if field:
        node = node["properties"][field]
    return node["x-enum-labels"]


def applicant_kinds() -> dict[str, str]:
    return _labels("applicant_kind")


def applicant_label(kind: str) -> str:
    return applicant_kinds().get(kind, kind)


def funder_label(kind: str) -> str:
    return _labels("resource", "funder_kind").get(kind, kind)


# Groupings the texts use ("groupements", "EPCI", "intercommunalité") over the one vocabulary.
EPCI_WITH_OWN_TAX = frozenset(
    {"communaute_de_communes", "communaute_d_agglomeration", "communaute_urbaine", "metropole"}
)
# The Métropole de Lyon is a collectivité à statut particulier, not an EPCI, but it works at the
# scale of a métropole, as does the Métropole du Grand Paris (an EPCI of its own kind).
INTERCOMMUNAL = EPCI_WITH_OWN_TAX | {"metropole_de_lyon", "metropole_du_grand_paris"}
SYNDICATES = frozenset({"syndicat_de_communes", "syndicat_mixte"})
LOCAL_AUTHORITIES = frozenset(
    {"commune", "departement", "region", "collectivite_statut_particulier"} | INTERCOMMUNAL | SYNDICATES
)


def expense_categories(schema: str) -> dict[str, str]:
    """The expense categories a call's text names, value → French label, from the call's own schema
    ($defs/expense, the one source of the list); {} for a call whose text names none."""
    node = load_schema(schema).get("$defs", {}).get("expense", {}).get("properties", {}).get("category", {})
    return dict(node.get("x-enum-labels", {}))


def expense_category_label(schema: str, category: str) -> str:
    return expense_categories(schema).get(category, category)
