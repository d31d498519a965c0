"""The site builds strictly and reproducibly, and publishes the catalog as open data."""

from __future__ import annotations

import csv
import hashlib
import html as html_module
import io
import json
import re
from pathlib import Path

from conftest import build_site, site_pages

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[1]


def digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_build_is_reproducible(built_site, tmp_path):
    again = tmp_path / "again"
    result = build_site(again)
    assert result.returncode == 0, result.stderr
    first, second = digest(built_site), digest(again)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"files that differ between two builds: {differing[:10]}"


def test_every_call_has_a_page_with_its_summary_card(built_site):
    for call in all_calls().values():
        html = (built_site / call.page / "index.html").read_text("utf-8")
        assert 'class="fiche"' in html, call.id
        assert "data-cloture=" in html and "(heure de Paris)" in html


def test_open_data_lists_every_call_in_the_etalab_layout(built_site):
    """The records themselves: tests/test_open_data.py (frictionless against Etalab's schema)."""
    data = json.loads((built_site / "donnees" / "appels.json").read_text("utf-8"))
    extended = json.loads((built_site / "donnees" / "appels-etendu.json").read_text("utf-8"))
    assert {d["identifiant"] for d in extended["dispositifs"]} == set(all_calls())
    ids = {d["id"] for d in data["dispositifs"]}
    assert ids == {d["id"] for d in extended["dispositifs"]} and len(ids) == len(all_calls())
    for record in data["dispositifs"]:
        for field in (
            "titre",
            "promesse",
            "description",
            "eligibilite",
            "types_aides",
            "porteurs",
            "cibles",
            "eligibilite_geographique",
            "date_mise_a_jour",
        ):
            assert record[field], (record["id"], field)
        if record["date_cloture"]:
            assert "T" in record["date_cloture"] and record["date_cloture"][-6] in "+-"
    rows = list(csv.DictReader(io.StringIO((built_site / "donnees" / "appels.csv").read_text("utf-8"))))
    assert {r["id"] for r in rows} == ids
    assert list(rows[0])[:4] == ["id", "titre", "promesse", "description"]


def test_every_call_page_links_its_text_as_received_and_that_page_shows_it_unchanged(built_site):
    """« Texte d'origine » in the summary card: a page with the text, character for character, and the file."""
    texts = json.loads((ROOT / "sources" / "sources.json").read_text("utf-8"))["textes"]
    text_of = {call_id: t for t in texts for call_id in t["appels"]}
    for call in all_calls().values():
        text = text_of[call.id]
        stem = Path(text["fichier"]).stem
        html = (built_site / call.page / "index.html").read_text("utf-8")
        card = html.split('class="fiche"', 1)[1].split("</section>", 1)[0]
        assert "<dt>Texte d'origine</dt>" in card, call.id
        href = re.search(r'<a href="([^"]+)" data-texte-origine>', card)[1]
        target = (built_site / call.page / href).resolve()
        assert target == (built_site / "sources" / stem).resolve(), (call.id, href)
        received = (ROOT / "sources" / text["fichier"]).read_bytes()
        assert (built_site / "sources" / text["fichier"]).read_bytes() == received
        page = (target / "index.html").read_text("utf-8")
        shown = re.search(r'<pre class="texte-origine" lang="fr">\n(.*?)</pre>', page, re.S)[1]
        assert html_module.unescape(shown).encode("utf-8") == received, text["fichier"]
        assert f'href="../{text["fichier"]}"' in page and text["sha256"] in page


def test_home_page_lists_every_call_and_links_open_data(built_site):
    html = (built_site / "index.html").read_text("utf-8")
    assert html.count("data-carte") == len(all_calls())
    assert 'href="donnees/appels.json"' in html and 'href="donnees/appels.csv"' in html
    assert "Accessibilité : partiellement conforme" in html


def test_every_page_links_the_accessibility_statement_and_has_a_csp(built_site):
    for page in site_pages(built_site):
        html = (built_site / page / "index.html").read_text("utf-8")
        assert "Accessibilité : partiellement conforme</a>" in html, page
        assert 'http-equiv="Content-Security-Policy"' in html, page
        assert "'wasm-unsafe-eval'" in html and "unsafe-inline" not in html.split("Content-Security-Policy")[1][:600]


def test_every_call_page_leads_to_its_form_from_the_summary_card_and_the_table_of_contents(built_site):
    for call in all_calls().values():
        html = (built_site / call.page / "index.html").read_text("utf-8")
        card = html.split('class="fiche"', 1)[1].split("</section>", 1)[0]
        assert 'href="#verification"' in card and "Vérifier mon éligibilité" in card, call.id
        toc = html.split('data-md-component="toc"', 1)[1]
        assert '<a href="#verification" class="md-nav__link">' in toc, (
            f"{call.id}: the form is not in the table of contents"
        )
        assert 'id="verification"' in html
