"""A call's page shows its params.json's figures: the page types none of them, the build writes them in.

params.json is the one place a figure or a date of a call is typed. The page's name, its window,
its amounts, the dates of its phases and the figures its prose quotes all come from there
(overrides/hooks/page_meta.py), so nothing is left for a page and its checker to disagree on.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

# isort: off
from pages import APPELS, call_pages, front_matter  # first: it puts overrides/hooks on the path
from page_meta import FROM_PARAMS, PageError, page_meta
# isort: on

from checker.engine import all_calls, get_call
from checker.money import euros, percent
from checker.params import end_of_day

PAGES = call_pages()
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return [text for value in values for text in strings(value)]


def test_every_call_has_one_page_and_every_page_one_call():
    assert set(PAGES) == set(all_calls())


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_rules_cite_the_page_of_their_call(call_id):
    path, _ = PAGES[call_id]
    page = path.relative_to(APPELS.parent).with_suffix("").as_posix()
    page = page[: -len("/index")] if page.endswith("/index") else page
    assert all_calls()[call_id].page == page + "/"


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_page_types_no_figure_its_params_hold(call_id):
    front = front_matter(PAGES[call_id][0])
    assert not set(front) & set(FROM_PARAMS), "name, window and amounts come from params.json"
    for phase in front.get("phases", []):
        assert "date_cloture" not in phase, f"{phase['id']}: a dated phase names its parameter"
        assert ("parametre" in phase) != ("ancre" in phase), phase["id"]


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_published_metadata_shows_the_params_figures(call_id):
    call, (_, meta) = get_call(call_id), PAGES[call_id]
    assert meta["titre"] == call.title
    assert meta.get("date_cloture") == (call.closes.isoformat() if call.closes else None)
    assert meta.get("date_ouverture") == (call.opens.isoformat() if call.opens else None)
    if call.closes is None:
        assert meta["cloture_precision"]
    published = [p for p in call.params if p.publish]
    assert [m["id"] for m in meta.get("montants", [])] == [p.publish["id"] for p in published]
    for amount, param in zip(meta.get("montants", []), published):
        value = param.value * 100 if param.type == "rate" else param.value
        assert Decimal(amount["valeur"]) == value
        assert amount["unite"] == ("%" if param.type == "rate" else "EUR")
        assert (amount["libelle"], amount["ancre"]) == (param.label, param.clause)
        assert amount["type"] == param.publish["type"]
    dated = {p.clause: p for p in call.params if p.type in ("date", "datetime")}
    for phase in meta.get("phases", []):
        if "date_cloture" in phase:
            assert phase["date_cloture"] == end_of_day(dated[phase["ancre"]].value).isoformat(), phase["id"]


@pytest.mark.parametrize("call_id", sorted(all_calls()))
def test_the_prose_quotes_figures_by_their_parameter_and_none_is_left_unfilled(call_id):
    front, (_, meta) = front_matter(PAGES[call_id][0]), PAGES[call_id]
    params = get_call(call_id).params
    for text in strings(front):
        for name in (m.group(0)[1:-1].split(":")[0].split(".")[0] for m in PLACEHOLDER.finditer(text)):
            assert name in params, name
    texts = [meta[k] for k in ("promesse", "promesse_courte", "description", "cloture_precision") if k in meta]
    texts += meta["eligibilite"] + [p["titre"] for p in meta.get("phases", [])]
    assert not any(PLACEHOLDER.search(t) for t in texts)


def test_fitn7_s_cap_and_rate_are_typed_once_and_shown_everywhere():
    call, (_, meta) = get_call("fitn7-saone-et-loire"), PAGES["fitn7-saone-et-loire"]
    cap, rate = plain(euros(call.params.cap)), plain(percent(call.params.rate))
    assert (cap, rate) == ("30 000 €", "70 %")
    assert f"barème indicatif de {rate} des dépenses éligibles, plafonnée à {cap} par porteur" in meta["promesse"]
    amounts = {m["id"]: m["valeur"] for m in meta["montants"]}
    assert amounts == {"taux": "70", "plafond": "30000", "enveloppe": "297029.75"}
    labels = {r.id: r.label for r in call.rules}
    assert labels["fitn7.plafond"] == f"Subvention plafonnée à {cap} par porteur (barème indicatif)"
    assert labels["fitn7.taux"] == f"Subvention au plus {rate} des dépenses éligibles (barème indicatif)"


def test_a_page_that_restates_a_figure_or_quotes_an_unknown_one_is_refused():
    call = get_call("fitn7-saone-et-loire")
    front = front_matter(PAGES[call.id][0])
    with pytest.raises(PageError) as refused:
        page_meta({**front, "date_cloture": "2021-10-22T23:59:59+02:00"}, call)
    assert "date_cloture" in str(refused.value) and "params.json" in str(refused.value)
    with pytest.raises(PageError) as unknown:
        page_meta({**front, "promesse": "Jusqu'à {plafond_inconnu}."}, call)
    assert "plafond_inconnu" in str(unknown.value)
    phases = [
        {"id": "depot", "titre": "Dépôt", "date_cloture": "2021-10-22T23:59:59+02:00", "ancre": "date-limite-depot"}
    ]
    with pytest.raises(PageError, match="parametre"):
        page_meta({**front, "phases": phases}, call)
