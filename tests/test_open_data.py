"""The open data other catalogs can import, as built: donnees/appels.csv valid against Etalab's
schema « dispositif-aide » v0.2.0 (vendored in schemas/etalab/) with frictionless, and failing on
any error; the same records in JSON; the rest in donnees/appels-etendu.json, described on the home
page; and a build without SITE_URL publishes no address of the machine that built it. The
mapping itself, which needs no build: tests/test_etalab_mapping.py."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from frictionless import Resource, Schema
from test_etalab_mapping import errors_of, etalab, front_matters, validate

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = "https://exemple.github.io/appels-numeriques/"


def csv_rows(site: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((site / "donnees" / "appels.csv").read_text("utf-8"))))


# --- the built files ---------------------------------------------------------------------------


def test_the_published_csv_is_valid_against_the_vendored_schema(built_site):
    report = validate(built_site / "donnees", "appels.csv")
    assert report.valid, "frictionless:\n" + "\n".join(errors_of(report))
    assert report.stats["errors"] == 0


def test_the_csv_has_the_schema_columns_and_one_row_per_call(built_site):
    text = (built_site / "donnees" / "appels.csv").read_text("utf-8")
    assert next(csv.reader(io.StringIO(text))) == etalab.fields()
    rows = csv_rows(built_site)
    assert {r["id"] for r in rows} == {etalab.call_uuid(c) for c in all_calls()}


def test_the_json_holds_the_same_records_and_is_valid_too(built_site):
    data = json.loads((built_site / "donnees" / "appels.json").read_text("utf-8"))
    assert data["schema"]["nom"] == "dispositif-aide" and data["schema"]["version"] == "v0.2.0"
    assert data["dispositifs"] == csv_rows(built_site)
    schema = Schema.from_descriptor(json.loads(etalab.SCHEMA.read_text("utf-8")))
    rows = [etalab.fields()] + [list(r.values()) for r in data["dispositifs"]]
    report = Resource(data=rows, schema=schema).validate()
    assert report.valid, errors_of(report)


def test_the_extended_file_holds_what_the_schema_cannot(built_site):
    extended = json.loads((built_site / "donnees" / "appels-etendu.json").read_text("utf-8"))["dispositifs"]
    base = (built_site / "donnees" / "appels-etendu.json").as_uri()
    metas = front_matters()
    assert {r["identifiant"] for r in extended} == set(all_calls())
    for record in extended:
        meta = metas[record["identifiant"]]
        assert record["id"] == etalab.call_uuid(meta["id"])
        assert [m["valeur"] for m in record["montants"]] == [m["valeur"] for m in meta.get("montants", [])]
        assert [p["id"] for p in record["phases"]] == [p["id"] for p in meta.get("phases", [])]
        assert [k["code"] for k in record["porteurs_admis"]] == meta["cibles"]
        assert set(record["clauses"]) == set(meta["ancres"])
        # Every address leads to a built file, every clause to an id of its page.
        for address in [
            record["page"],
            record["texte_origine"],
            record["texte_origine_brut"],
            *record["clauses"].values(),
            *(m["clause"] for m in record["montants"]),
            *(p["clause"] for p in record["phases"]),
        ]:
            target = urlsplit(urljoin(base, address))
            path = Path(target.path)
            path = path / "index.html" if target.path.endswith("/") else path
            assert path.is_file(), (record["identifiant"], address)
            if target.fragment:
                assert f'id="{target.fragment}"' in path.read_text("utf-8"), (record["identifiant"], address)


def test_the_home_page_links_the_extended_file_and_describes_every_field(built_site):
    html = (built_site / "index.html").read_text("utf-8")
    for name in ("appels.csv", "appels.json", "appels-etendu.json"):
        assert f'href="donnees/{name}"' in html
    extended = json.loads((built_site / "donnees" / "appels-etendu.json").read_text("utf-8"))["dispositifs"]
    for field in extended[0]:
        assert f"<code>{field}</code>" in html, field


# --- the site's address ---------------------------------------------------------------------------

HOST = re.compile(rb"https?://(?:127\.0\.0\.1|localhost|0\.0\.0\.0)[:/]")


def test_a_local_build_publishes_no_address_of_its_machine(built_site):
    if os.environ.get("SITE_URL"):
        pytest.skip("the site under test was built with SITE_URL")
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".js"):
            assert not HOST.search(path.read_bytes()), path.relative_to(built_site)
    assert not any('rel="canonical"' in p.read_text("utf-8") for p in built_site.rglob("index.html"))
    locs = re.findall(r"<loc>([^<]*)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))
    assert locs and not any("://" in loc for loc in locs)
    extended = json.loads((built_site / "donnees" / "appels-etendu.json").read_text("utf-8"))["dispositifs"]
    assert all(r["page"].startswith("../appels/") for r in extended)


def test_a_build_with_a_public_address_names_it_and_the_etalab_data_does_not_change(built_site, tmp_path):
    """The Pages workflow's build: SITE_URL goes into canonical links, the sitemap, the extended file."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SITE_URL": PUBLIC},
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    page = (site / "appels" / "fitn7-saone-et-loire" / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}appels/fitn7-saone-et-loire/">' in page
    locs = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert locs and all(loc.startswith(PUBLIC) for loc in locs)
    extended = json.loads((site / "donnees" / "appels-etendu.json").read_text("utf-8"))["dispositifs"]
    assert all(r["page"].startswith(PUBLIC + "appels/") for r in extended)
    if not os.environ.get("SITE_URL"):
        assert (site / "donnees" / "appels.csv").read_bytes() == (built_site / "donnees" / "appels.csv").read_bytes()
