"""Build hook: search in French, with mkdocs-material's own search and two additions.

mkdocs.yml configures what the theme's search plugin can: the French language, its stop words,
and a word separator that splits on spaces, hyphens and apostrophes (« l'inclusion » is found by
« inclusion ») but not inside an amount (« 30 000 » stays one word). What its configuration
cannot do, a small worker does around the theme's own (assets/javascripts/workers/search-fr.js,
written here, next to it so the theme's worker finds its languages where it expects them):

- accents are folded, in the index and in the query alike: « macon » finds Mâcon, « Mâcon »
  finds macon; « œ » is « oe »; punctuation around a word is trimmed (« (ANCT) » is « anct »).
  The index's words are folded after the theme's pipeline; the query as a whole, before the
  theme reads it (it ends every term with a wildcard, and lunr runs no pipeline on those);
- an amount is one term without its group separators, in the index and in the query: the
  theme splits a query at every space, so « 30 000 » is joined to « 30000 » before it does.

Every page's configuration then names this worker instead of the theme's, and the search dialog
gets an accessible name. The theme's worker and its lunr stay untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

WORKERS = "assets/javascripts/workers"
WRAPPER = "search-fr.js"
CONFIG_WORKER = re.compile(r'("search":\s*")([^"]*/)?(search\.[0-9a-f]+\.min\.js)(")')
DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
DIALOG_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Recherche dans le site">'

WORKER = """// Search in French around mkdocs-material's own worker ({theme}), written by overrides/hooks/search_fr.py.
// Accents folded and amounts kept whole, in the index and in the query alike.
"use strict";
const AMOUNT = /(\\d)[\\s\\u00a0\\u202f]+(?=\\d{{3}}(?!\\d))/g;
const unaccented = (text) => text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
  .replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").replace(/Æ/g, "AE");
// A word of the index: unaccented, without the punctuation around it, an amount without its spaces.
const fold = (word) => unaccented(word).replace(/^[^\\p{{L}}\\p{{N}}]+|[^\\p{{L}}\\p{{N}}]+$/gu, "")
  .replace(/(\\d)[\\s\\u00a0\\u202f]+(?=\\d)/g, "$1");
// Before the theme's listener (registered by importScripts below). The theme ends every query
// term with a wildcard, and lunr runs no pipeline on such terms: the query is folded here, and
// an amount joined into one term before the theme splits it at its spaces.
addEventListener("message", (event) => {{
  const message = event.data;
  if (message && message.type === 2 && typeof message.data === "string") message.data = unaccented(message.data).replace(AMOUNT, "$1");
}});
importScripts("{theme}");
const run = lunr.Pipeline.prototype.run;
lunr.Pipeline.prototype.run = function (tokens) {{
  return run.call(this, tokens).map((token) => token.update(fold)).filter((token) => token.toString() !== "");
}};
"""


def theme_worker(config) -> str:
    """The file name of the theme's search worker (it carries a hash that changes with the theme)."""
    for folder in config.theme.dirs:
        found = sorted(Path(folder, WORKERS).glob("search.*.min.js"))
        if found:
            return found[0].name
    raise PluginError("search_fr : le worker de recherche de mkdocs-material est introuvable")


def named(html: str) -> str:
    """The page with the search worker swapped for ours and the search dialog named."""
    if DIALOG in html:
        html = html.replace(DIALOG, DIALOG_NAMED, 1)
    return CONFIG_WORKER.sub(lambda m: f"{m[1]}{m[2] or ''}{WRAPPER}{m[4]}", html, count=1)


def on_post_page(output, page, config):
    return named(output)


def on_post_template(output_content, template_name, config):
    return named(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config):
    target = Path(config["site_dir"], WORKERS, WRAPPER)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(WORKER.format(theme=theme_worker(config)), "utf-8")
