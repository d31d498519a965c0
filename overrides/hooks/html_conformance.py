"""Build hook: mend the theme's few attributes that the Nu HTML Checker rejects.

mkdocs-material 9.8 writes `autocomplete` on its checkbox toggles, an empty `tabindex` on
section labels, and a label for the table-of-contents toggle on pages that have no toggle.
Browsers ignore all three, but the pages must be valid HTML, so the built pages are mended.
"""

from __future__ import annotations

import re
from pathlib import Path

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
EMPTY_TABINDEX = re.compile(r' tabindex=""')
TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def mend(html: str) -> str:
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = EMPTY_TABINDEX.sub("", html)
    if TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(TOC_LABEL, '<label class="md-nav__title">')
    return html


def on_post_build(config):
    for page in Path(config["site_dir"]).rglob("*.html"):
        html = page.read_text("utf-8")
        mended = mend(html)
        if mended != html:
            page.write_text(mended, "utf-8")
