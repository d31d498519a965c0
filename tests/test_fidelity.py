"""Every sentence of every source text is on its page(s), word for word.

Markup the project repaired (headings, lists, bold, links, footnotes, anchors, tables) is
stripped from both sides before comparing; the words themselves must be identical.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "sources"  # the texts as received (sources/README.md)
DOCS = ROOT / "docs" / "appels"
PROVENANCE = json.loads((SEEDS / "sources.json").read_text("utf-8"))["textes"]


def front_matter(path: Path) -> dict:
    text = path.read_text("utf-8")
    return (yaml.safe_load(text.split("---", 2)[1]) or {}) if text.startswith("---") else {}


def pages_of_texts() -> dict[str, list[Path | str]]:
    """Each text's pages, from sources.json (the calls made from each text) and the pages' front
    matter (the call's `id`; a measure's `parent`, the folder of the letter's own page, index.md):
    nothing listed by hand. A call no page declares stays as its id, for the test to name."""
    pages_of_call = {}
    for path in sorted(DOCS.rglob("*.md")):
        meta = front_matter(path)
        if "id" in meta:
            parent = [DOCS / meta["parent"] / "index.md"] if meta.get("parent") else []
            pages_of_call[meta["id"]] = parent + [path]
    return {
        text["fichier"]: list(
            dict.fromkeys(page for call_id in text["appels"] for page in pages_of_call.get(call_id, [call_id]))
        )
        for text in PROVENANCE
    }


PAGES = pages_of_texts()


def words(text: str) -> str:
    """The words of a Markdown or converted text, without markup, punctuation spacing or case of quotes."""
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter
    text = re.sub(r"\{:?\s*#[^}]*\}", " ", text)  # attribute lists
    text = re.sub(r"<sup>[^<]*</sup>", " ", text)  # footnote marks
    text = re.sub(r"<[^>]+>", " ", text)  # raw HTML (spans)
    text = re.sub(r"\[\^\d+\]:?", " ", text)  # footnote refs and defs
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links → their text
    text = re.sub(r"<?(https?://[^\s>)]+)>?", r"\1", text)  # autolinks
    text = re.sub(r"[¹²³⁴⁵]", " ", text)  # superscript note marks
    text = re.sub(r"[*_#|>`]", " ", text)  # emphasis, headings, tables, quotes
    text = re.sub(r"\\([()\[\]*_#.\-])", r"\1", text)  # Markdown escapes
    text = re.sub(r"^\s*(?:(?:[-+•→]|\d+[.)]|[ox])\s+)+", " ", text, flags=re.M)  # list markers, numbering
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(\d), (\d)", r"\1,\2", text)  # "2, 5 millions" was a PDF break
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip().casefold()  # headings may lose their capitals


def sentences(text: str) -> list[tuple[str, bool]]:
    """(words, was in capitals): a sentence that became a heading may lose its final stop."""
    parts = re.split(r"(?<=[.;:!?])\s+|\n\s*\n", text)
    return [(words(p).rstrip(".:;"), p.upper() == p) for p in parts if len(words(p).rstrip(".:;")) > 3]


def unaccented(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def found(sentence: str, in_capitals: bool, published: str, published_unaccented: str) -> bool:
    """Capitals drop accents in French typography: a heading in capitals may get them back."""
    if sentence in published:
        return True
    return in_capitals and unaccented(sentence) in published_unaccented


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_every_sentence_of_the_seed_is_on_its_pages(seed):
    pages = PAGES[seed]
    missing_pages = [p for p in pages if not isinstance(p, Path) or not p.exists()]
    assert not missing_pages, f"pages missing (no page with that id, or a letter without its index.md): {missing_pages}"
    published = words(" ".join(p.read_text("utf-8") for p in pages))
    seed_text = (SEEDS / seed).read_text("utf-8")
    bare = unaccented(published)
    absent = [s for s, caps in sentences(seed_text) if not found(s, caps, published, bare)]
    assert not absent, f"{len(absent)} sentence(s) of {seed} not found word for word:\n" + "\n".join(absent[:15])
