"""Build hook: what the collectivité picker needs, and the finder page's form.

The compact territory index, from @etalab/decoupage-administratif, is published as
assets/data/territoire.json (lazy-loaded by the picker, cached by the service worker) and its
dataset version is shown on the finder page (STATE.territory_version). The picker's keyboard
moves come from @github/combobox-nav, copied from node_modules to
assets/javascripts/vendor/combobox-nav.js (no CDN).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from site_state import STATE  # beside this hook

from checker.territory import build_index, index_path

ROOT = Path(__file__).resolve().parents[2]

PACKAGE = ROOT / "node_modules" / "@etalab" / "decoupage-administratif"
TARGET = "assets/data/territoire.json"
COMBOBOX_NAV = ROOT / "node_modules" / "@github" / "combobox-nav"
COMBOBOX_NAV_TARGET = "assets/javascripts/vendor/combobox-nav.js"  # imported by combobox.js


def on_files(files, config):
    if not (PACKAGE / "data" / "communes.json").exists():
        raise PluginError(
            "Données territoriales absentes (node_modules/@etalab/decoupage-administratif) : "
            "lancez ./dev serve ou ./dev test, qui exécutent npm ci."
        )
    version = json.loads((PACKAGE / "package.json").read_text("utf-8"))["version"]
    index = build_index(PACKAGE / "data", version)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    cached = index_path()
    cached.parent.mkdir(parents=True, exist_ok=True)
    if not cached.exists() or cached.read_text("utf-8") != text:
        cached.write_text(text, "utf-8")  # the same index, for `checker finder` in CPython
    files.append(File.generated(config, TARGET, content=text))
    raw = len(text.encode("utf-8"))
    print(
        f"territoire : {len(index['entities'])} entités, {raw / 1e6:.2f} Mo brut, "
        f"{len(gzip.compress(text.encode('utf-8'))) / 1e3:.0f} ko gzip (données {version})",
        file=sys.stderr,
    )
    STATE.territory_version = version
    files.append(File.generated(config, COMBOBOX_NAV_TARGET, content=combobox_nav()))
    return files


def combobox_nav() -> str:
    """@github/combobox-nav's ES module, under its name, version and MIT licence text."""
    script = COMBOBOX_NAV / "dist" / "index.js"
    if not script.is_file():
        raise PluginError(
            "@github/combobox-nav absent de node_modules : lancez ./dev serve ou ./dev test, qui exécutent npm ci."
        )
    meta = json.loads((COMBOBOX_NAV / "package.json").read_text("utf-8"))
    licence = (COMBOBOX_NAV / "LICENSE").read_text("utf-8").strip().replace("*/", "* /")
    return (
        f"/*! {meta['name']} {meta['version']}, copied from node_modules at build time.\n\n{licence}\n*/\n"
        + script.read_text("utf-8")
    )


def on_page_markdown(markdown, page, config, files):
    """The finder page's form, with the list of calls it checks (id, title, link, opening and closing dates)."""
    if "<!-- finder -->" not in markdown:
        return markdown
    calls = []
    for call_id, call in STATE.calls.items():
        target = files.get_file_from_path(call.src_uri)
        meta = call.meta
        calls.append(
            {
                "id": call_id,
                "title": meta["titre"],
                "href": target.url_relative_to(page.file),
                "ouverture": meta.get("date_ouverture"),
                "cloture": meta.get("date_cloture"),
            }
        )
    html = (
        config.theme.get_env()
        .get_template("partials/finder.html")
        .render(finder_calls=calls, territoire_version=STATE.territory_version, config=config)
    )
    return markdown.replace("<!-- finder -->", html)
