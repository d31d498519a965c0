"""The catalog, the names of the calls, search and the site's frame, as the build writes them:
one name per call everywhere, funders apart from instructing bodies, amounts on the cards, a
search index in French, a legal notice, a way to report an error, a French 404."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml
from pages import call_pages

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import organisations  # noqa: E402
import publication  # noqa: E402


def metas() -> dict[str, dict]:
    """Every call page's metadata as published (its front matter completed from params.json)."""
    return {call_id: meta for call_id, (_, meta) in call_pages().items()}


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_each_call_has_one_name_in_the_catalog_its_heading_the_menu_search_and_the_open_data(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    index = {
        d["location"]: d["title"]
        for d in json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    }
    open_data = {
        row["titre"] for row in json.loads((built_site / "donnees" / "appels.json").read_text("utf-8"))["dispositifs"]
    }
    for call_id, meta in metas().items():
        name, page = meta["titre"], all_calls()[call_id].page
        built = (built_site / page / "index.html").read_text("utf-8")
        assert text_of(re.search(r"<h1[^>]*>(.*?)</h1>", built, re.S)[1]).rstrip("¶ ") == name, call_id
        assert re.search(r"<title>(.*?)</title>", built)[1].startswith(
            html.escape(name, quote=False).replace("'", "&#39;")
        ) or text_of(re.search(r"<title>(.*?)</title>", built)[1]).startswith(name), call_id
        assert f">{html.escape(name, quote=False)}</a></h3>" in home.replace("&#39;", "'").replace("'", "'"), call_id
        assert index[page] == html.escape(name, quote=False) or html.unescape(index[page]) == name, call_id
        assert name in open_data
        menu = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', home, re.S)
        assert name in {html.unescape(m) for m in menu}, call_id


def test_the_texts_own_title_stays_word_for_word_with_its_anchor(built_site):
    page = (built_site / "appels" / "indre-et-loire" / "fonds-transformation-numerique" / "index.html").read_text(
        "utf-8"
    )
    title = re.search(r'<p class="texte-titre" id="fonds-innovation-transformation">(.*?)</p>', page, re.S)
    assert (
        title
        and "Un fonds de 88 M€ consacré à l'Innovation et à la Transformation numérique des collectivités"
        in text_of(title[1]).replace("&#39;", "'")
    )


def test_the_menu_names_the_indre_et_loire_letter_with_its_hyphens(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    assert "Indre et loire" not in home
    assert "Préfecture d&#39;Indre-et-Loire" in home or "Préfecture d'Indre-et-Loire" in home


def test_every_porteur_is_in_the_vocabulary_and_anct_is_one_funder():
    funders = {}
    for meta in metas().values():
        for org in organisations.by_role(meta["porteurs"], "financeur"):
            funders[org.id] = org.nom
    assert list(funders.values()).count(organisations.organisation({"nom": "x", "siren": "130026032"}).nom) == 1
    assert sum("ANCT" in name for name in funders.values()) == 1


def test_cards_show_funder_and_instruction_apart_with_their_amounts_and_no_role_word(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    cards = re.findall(r'<li class="carte"(.*?)</li>\s*(?=<li class="carte"|</ul>)', home, re.S)
    assert len(cards) == len(metas())
    for card in cards:
        infos = dict(
            zip(
                map(text_of, re.findall(r"<dt>(.*?)</dt>", card, re.S)),
                map(text_of, re.findall(r"<dd>(.*?)</dd>", card, re.S)),
            )
        )
        funder = infos.get("Financeur") or infos.get("Financeurs")
        assert funder, card[:200]
        assert not re.search(r"\b(financeur|instructeur|diffuseur)\b", " ".join(infos.values()))
        call_id = re.search(r'data-id="([^"]+)"', card)[1]
        amounts = [m for m in metas()[call_id].get("montants", []) if m["type"] != "enveloppe"]
        for amount in amounts:
            assert amount["libelle"] in text_of(card).replace("&#39;", "'"), (call_id, amount["id"])
    fitn7 = next(c for c in cards if 'data-id="fitn7-saone-et-loire"' in c)
    assert "30\u202f000\u00a0€" in fitn7 or "30 000 €" in text_of(fitn7)


def test_the_summary_card_names_roles_in_french(built_site):
    page = (built_site / "appels" / "indre-et-loire" / "aidants-connect" / "index.html").read_text("utf-8")
    card = text_of(page[page.index('class="fiche"') : page.index("</section>", page.index('class="fiche"'))])
    assert "(instructeur)" not in card and "(diffuseur)" not in card
    assert (
        "Instruction Agence nationale de la cohésion des territoires (ANCT), Direction interministérielle du numérique (DINUM)"
        in card
    )
    assert "Relayé par Préfecture d'Indre-et-Loire" in card.replace("&#39;", "'")


def test_search_is_configured_in_french_around_the_themes_own_worker(built_site):
    config = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["config"]
    separator = re.compile(config["separator"])
    assert separator.split("30 000 €") == ["30 000", "€"]
    assert separator.split("l'inclusion numérique") == ["l", "inclusion", "numérique"]
    assert separator.split("Saône-et-Loire 2019-2021") == ["Saône", "et", "Loire", "2019", "2021"]
    worker = (built_site / "assets" / "javascripts" / "workers" / "search-fr.js").read_text("utf-8")
    theme = re.search(r'importScripts\("(search\.[0-9a-f]+\.min\.js)"\)', worker)[1]
    assert (built_site / "assets" / "javascripts" / "workers" / theme).exists()
    for page in ("index.html", "appels/fitn7-saone-et-loire/index.html", "404.html"):
        built = (built_site / page).read_text("utf-8")
        assert re.search(r'"search": "[^"]*workers/search-fr\.js"', built), page
        assert 'role="dialog" aria-label="Recherche dans le site"' in built, page


def test_the_catalog_is_indexed_card_by_card_without_its_filters(built_site):
    docs = {
        d["location"]: d for d in json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    }
    catalog = docs["#catalogue"]
    assert catalog["title"] == "Tous les appels et mesures"
    assert "Toute structure" not in catalog["text"] and "CommuneCommunauté" not in catalog["text"]
    for call_id, meta in metas().items():
        card = docs[f"#appel-{call_id}"]
        assert html.unescape(card["title"]) == meta["titre"]
        assert html.unescape(card["text"]).startswith(f"<p>{meta['promesse']}</p>"), card["text"][:120]
        # Each label apart from the words before it (not « …2019Financeur »).
        assert not re.search(r"[^\s>](Statut|Financeurs?|Instruction|Montants|Nature|Date limite) ", card["text"]), (
            card["text"]
        )


def test_the_404_page_is_in_french(built_site):
    page = (built_site / "404.html").read_text("utf-8")
    assert "Not found" not in page and '<h1 id="page-introuvable">Page introuvable</h1>' in page
    for text in ("Accueil", "Quels appels pour ma collectivité ?", "Rechercher dans le site"):
        assert text in page


def test_the_legal_notice_names_publisher_host_contact_and_licences(built_site):
    page = text_of((built_site / "mentions-legales" / "index.html").read_text("utf-8")).replace("&#39;", "'")
    for heading in ("Éditeur", "Contact", "Hébergeur", "Textes des appels", "Code du site et du vérificateur"):
        assert heading in page
    assert "GitHub" in page and "Licence MIT" in page
    footer = (built_site / "index.html").read_text("utf-8")
    assert 'href="mentions-legales/">Mentions légales</a>' in footer


def _config(**publication_settings):
    conf = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]|!ENV \w+", '""', (ROOT / "mkdocs.yml").read_text("utf-8")))
    conf["extra"]["publication"].update(publication_settings)
    return conf


def _page(url="appels/fitn7-saone-et-loire/", canonical=None, title="FITN7 axe 3"):
    return SimpleNamespace(url=url, canonical_url=canonical, title=title)


def test_another_publisher_fills_in_the_legal_notice_and_the_error_reports_in_mkdocs_yml():
    published = _config(depot="exemple/appels", editeur="Exemple")
    link = publication.report_link(_page(canonical="https://exemple.fr/appels/fitn7-saone-et-loire/"), published)
    assert link.startswith("https://github.com/exemple/appels/issues/new?title=")
    assert "https%3A%2F%2Fexemple.fr%2Fappels%2Ffitn7-saone-et-loire%2F" in link and "FITN7" in link
    by_mail = publication.report_link(_page(), _config(contact="contact@exemple.fr"))
    assert by_mail.startswith("mailto:contact@exemple.fr?subject=")
    custom = publication.report_link(_page(), _config(signalement="https://exemple.fr/signaler?page={adresse}"))
    assert custom == "https://exemple.fr/signaler?page=%2Fappels%2Ffitn7-saone-et-loire%2F"
    # Nothing configured (a local copy): the legal notice's contact section, never a dead link.
    assert publication.report_link(_page(), _config()) == "../../mentions-legales/#contact"
    assert publication.contact_link(_config(contact="contact@exemple.fr")) == (
        "mailto:contact@exemple.fr",
        "contact@exemple.fr",
    )


def test_the_accessibility_statement_links_its_contact_and_the_defenseur_des_droits(built_site):
    page = (built_site / "accessibilite" / "index.html").read_text("utf-8")
    contact = page[page.index('id="contact"') : page.index('id="recours"')]
    assert "<a href=" in contact and "ouvrant un ticket" not in contact
    for target in (
        "https://formulaire.defenseurdesdroits.fr/",
        "https://www.defenseurdesdroits.fr/saisir/delegues",
        "tel:+33969390000",
    ):
        assert f'href="{target}"' in page, target


def test_every_call_page_has_a_closed_banner_and_a_report_link(built_site):
    for call_id, meta in metas().items():
        page = (built_site / all_calls()[call_id].page / "index.html").read_text("utf-8")
        assert "Signaler une erreur dans ce texte" in page, call_id
        if meta.get("date_cloture"):
            banner = page.index("data-bandeau-clos")
            assert banner < page.index("<h1"), call_id  # at the very top
            assert f'data-cloture="{meta["date_cloture"]}" hidden' in page


# ---- deadlines in the reader's calendar, and the feed ------------------------------------------------


def test_each_calls_deadlines_parse_back_as_events_in_europe_paris(built_site):
    from icalendar import Calendar

    from checker.dates import parse_datetime

    every = Calendar.from_ical((built_site / "agenda" / "appels.ics").read_bytes())
    assert every.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    total = 0
    for call_id, meta in metas().items():
        dated = {parse_datetime(p["date_cloture"]) for p in meta.get("phases", []) if p.get("date_cloture")}
        dated |= {parse_datetime(meta["date_cloture"])} if meta.get("date_cloture") else set()
        path = built_site / "agenda" / f"{call_id}.ics"
        if not dated:
            assert not path.exists(), call_id
            continue
        raw = path.read_bytes()
        assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n")), call_id
        events = Calendar.from_ical(raw).walk("VEVENT")
        starts = [e.decoded("DTSTART") for e in events]
        assert set(starts) == dated, call_id  # every phase and the closing date, at their hour
        assert all(str(s.tzinfo) == "Europe/Paris" for s in starts), call_id
        assert all(meta["titre"] in str(e["SUMMARY"]) for e in events)
        assert len({str(e["UID"]) for e in events}) == len(events)
        total += len(events)
    assert len(every.walk("VEVENT")) == total


def test_the_catalog_feed_is_valid_atom_with_every_call(built_site):
    import feedparser

    feed = feedparser.parse((built_site / "flux.atom").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert sorted(e.title for e in feed.entries) == sorted(m["titre"] for m in metas().values())
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    for page in ("index.html", "appels/fitn7-saone-et-loire/index.html", "trouver/index.html"):
        built = (built_site / page).read_text("utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="[^"]*flux\.atom">', built), (
            page
        )


def test_cards_and_summary_cards_offer_the_calls_agenda(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    assert 'href="agenda/appels.ics"' in home and 'href="flux.atom"' in home
    for call_id, meta in metas().items():
        has_dates = bool(meta.get("date_cloture")) or any(p.get("date_cloture") for p in meta.get("phases", []))
        assert (f'href="agenda/{call_id}.ics"' in home) == has_dates, call_id
        page = (built_site / all_calls()[call_id].page / "index.html").read_text("utf-8")
        assert ("Ajouter à mon agenda" in page) == has_dates, call_id
