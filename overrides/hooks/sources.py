"""Build hook: publish every call's original text, as received, so a reader can compare.

sources/ holds the texts byte for byte as they were received, and sources/sources.json their
provenance and the calls made from each. For every text this hook
- checks the file against its SHA-256 (a text edited by mistake fails the build);
- publishes the file unchanged (sources/<file>.txt) and a page that shows it, character for
  character, with its provenance (sources/<file>/): a browser reads the page in UTF-8 whatever
  the server says, where a bare .txt may be shown in the wrong encoding;
- gives each call made from it (site_state.STATE.calls, from metadata.py) its `texte_origine`,
  which the summary card links (« Texte d'origine ») and the extended open data lists (catalog.py,
  whose on_files runs after this one's). A call without a text fails the build.
The text enters the page after Markdown has run (on_page_content), so nothing in it is
interpreted or re-spaced.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from site_state import STATE, PublishedCall  # beside this hook

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"
PROVENANCE = SOURCES / "sources.json"
SITE_DIR = "sources"
PLACEHOLDER = "<!-- texte-origine -->"
_PAGES: dict[str, Path] = {}  # src_uri of a text's page → the text (this hook's own, on_files → on_page_content)


def provenance() -> list[dict]:
    return json.loads(PROVENANCE.read_text("utf-8"))["textes"]


def _size_fr(size: int) -> str:
    return f"{round(size / 1000)} ko"


def _page(text: dict, calls: list[PublishedCall], raw: str, size: str) -> str:
    pages = " ; ".join(f"[{c.meta['titre']}](../{c.src_uri})" for c in calls)
    return f"""---
title: "Texte d'origine : {text["titre"].replace('"', "'")}"
search:
  exclude: true
---

# Texte d'origine : {text["titre"]} {{ #texte-origine }}

Le texte tel qu'il a été reçu, avant toute mise en forme : les pages de ce site en reprennent
chaque phrase mot pour mot, en réparant seulement la mise en forme (titres, listes, liens).

Émetteur
:   {text["emetteur"]}

Date
:   {text["date"]}

Publication
:   {text["publication"]}

Pages de ce site
:   {pages}

Fichier
:   [{text["fichier"]}]({Path(raw).name}){{ download="{text["fichier"]}" }} (texte brut, UTF-8, {size}) — empreinte SHA-256 `{text["sha256"]}`

## Le texte {{ #le-texte }}

{PLACEHOLDER}
"""


@event_priority(50)  # after metadata.py's on_files, before catalog.py's (the extended open data)
def on_files(files, config):
    calls = STATE.calls
    problems, given = [], set()
    _PAGES.clear()
    for text in provenance():
        path = SOURCES / text["fichier"]
        if not path.is_file():
            problems.append(f"sources/{text['fichier']} : fichier absent")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != text["sha256"]:
            problems.append(
                f"sources/{text['fichier']} : le fichier n'est plus celui reçu (SHA-256 différent de sources.json)"
            )
            continue
        unknown = [c for c in text["appels"] if c not in calls]
        problems += [f"sources/sources.json : « {c} » n'est l'id d'aucune page d'appel" for c in unknown]
        made = [calls[c] for c in text["appels"] if c in calls]
        raw, page = f"{SITE_DIR}/{text['fichier']}", f"{SITE_DIR}/{path.stem}.md"
        size = _size_fr(len(data))
        files.append(File.generated(config, raw, abs_src_path=str(path)))
        files.append(
            File.generated(config, page, content=_page(text, made, raw, size), inclusion=InclusionLevel.NOT_IN_NAV)
        )
        _PAGES[page] = path
        for call in made:
            call.texte_origine = {**text, "page": f"{page[:-3]}/", "brut": raw, "taille": size}
        given.update(text["appels"])
    problems += [
        f"{call.src_uri} : aucun texte d'origine dans sources/sources.json pour « {call_id} »"
        for call_id, call in calls.items()
        if call_id not in given
    ]
    if problems:
        raise PluginError("Textes d'origine :\n  " + "\n  ".join(problems))
    return files


def on_page_content(content, page, config, files):
    path = _PAGES.get(page.file.src_uri)
    if path is None:
        return content
    # The newline after <pre> is the one HTML drops: the text's own first line stays.
    text = html.escape(path.read_bytes().decode("utf-8"), quote=False)
    return content.replace(f"<p>{PLACEHOLDER}</p>", PLACEHOLDER).replace(
        PLACEHOLDER, f'<pre class="texte-origine" lang="fr">\n{text}</pre>'
    )
