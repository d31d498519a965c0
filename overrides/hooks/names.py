"""Build hook: one name per call, wherever the reader meets it.

A call's name is its front matter's `titre`: the catalog, the open data and the finder say it,
and so do, through this hook, the page's heading, its <title>, the menu and search. The text's
own first heading (« Un fonds de 88 M€ consacré à… ») stays right under the summary card, word
for word, with its anchor, as the text's title rather than the page's.

A page with a front matter `title` that differs from its first heading (the Indre-et-Loire
letter) is treated the same way, and a folder of the menu is named after its index page, not
after the folder (« Indre et loire »).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.structure.nav import Section
from mkdocs.utils.meta import get_data

FIRST_H1 = re.compile(r"<h1(?P<attrs>[^>]*)>(?P<inner>.*?)</h1>", re.S)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
ID = re.compile(r'\sid="([^"]*)"')


def page_name(page) -> str | None:
    """The name a page of appels/ goes by, when it has one other than its first heading."""
    if not page.file.src_uri.startswith("appels/"):
        return None
    meta = page.meta or {}
    return meta.get("titre") or meta.get("title")


def on_page_markdown(markdown, page, config, files):
    name = page_name(page)
    if name and "title" not in page.meta:
        page.meta["title"] = name  # <title>, the menu and the search index's page entry
    return markdown


def on_page_content(content, page, config, files):
    name = page_name(page)
    found = FIRST_H1.search(content)
    if not name or not found:
        return content
    inner = PERMALINK.sub("", found["inner"]).strip()
    if html.unescape(re.sub(r"<[^>]+>", "", inner)).strip() == name:
        return content
    anchor = ID.search(found["attrs"])
    text_title = (
        f'<p class="texte-titre"{f" id={chr(34)}{anchor[1]}{chr(34)}" if anchor else ""}>'
        f'<span class="texte-titre__mention">Titre du texte :</span> {inner}</p>'
    )
    heading = f'<h1 id="nom">{html.escape(name, quote=False)}</h1>\n{text_title}'
    return content[: found.start()] + heading + content[found.end() :]


def on_nav(nav, config, files):
    """A folder is named after its index page's title (its front matter's, else its first heading)."""

    def visit(items):
        for item in items:
            if isinstance(item, Section):
                index = next((c for c in item.children if getattr(c, "file", None) and c.file.name == "index"), None)
                if index is not None:
                    markdown, meta = get_data(Path(index.file.abs_src_path).read_text("utf-8"))
                    heading = re.search(r"^#\s+(.+?)\s*(?:\{[^}]*\})?\s*$", markdown, re.M)
                    item.title = meta.get("titre") or meta.get("title") or (heading[1] if heading else item.title)
                visit(item.children)

    visit(nav.items)
    return nav
