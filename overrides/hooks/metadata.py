"""Build hook: read every call page's front matter, complete it from the call's params.json, validate it.

A call page is a Markdown page under appels/ whose front matter has an `id`. What the call's
params.json holds (its name, its window, its amounts, the dates of its phases, the figures its
prose quotes) is written in by page_meta.py (beside this hook), never typed in the page. The result is
validated against schemas/metadata.schema.json; a typo fails the build with the file, the field
and what was expected. Every anchor it cites must exist on the page. The other hooks and the
templates read that result: site_state.STATE.calls[id].meta, and the page's own page.meta.
Its handlers run first (`event_priority`), whatever the order of the `hooks:` list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja_filters import install as install_filters  # beside this hook
from jsonschema import Draft202012Validator, FormatChecker
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils.meta import get_data
from page_meta import PageError, page_meta  # beside this hook
from site_state import STATE, PublishedCall  # beside this hook

from checker.engine import all_calls

ROOT = Path(__file__).resolve().parents[2]

ANCHOR_PATTERNS = (
    re.compile(r"\{:?\s*#([a-z0-9][a-z0-9-]*)[\s}]"),
    re.compile(r"""\bid=["']([a-z0-9][a-z0-9-]*)["']"""),
)


def anchors_in(markdown: str) -> set[str]:
    """Explicit ids of a page: `{#id}`, `{: #id }` and `id="…"` on raw HTML."""
    return {m.group(1) for pattern in ANCHOR_PATTERNS for m in pattern.finditer(markdown)}


def cited_anchors(meta: dict) -> set[str]:
    cited = set(meta.get("ancres", {}).values())
    cited |= {m["ancre"] for m in meta.get("montants", [])}
    cited |= {p["ancre"] for p in meta.get("phases", [])}
    return cited


def _validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "metadata.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def published(src_uri: str, markdown: str, front: dict) -> tuple[dict, list[str]]:
    """A call page's metadata as published (front matter completed from params.json), and every
    problem of the page as readable lines (none when the page is fine)."""
    call = all_calls().get(front.get("id"))
    if call is None:
        return front, [f"{src_uri}: front matter, id « {front.get('id')} » ne correspond à aucun appel du vérificateur"]
    try:
        meta = page_meta(front, call)
    except PageError as error:
        return front, [f"{src_uri}: front matter, {problem}" for problem in error.problems]
    problems = []
    for error in sorted(_validator().iter_errors(meta), key=lambda e: list(e.absolute_path)):
        field = ".".join(str(p) for p in error.absolute_path) or "(racine)"
        problems.append(f"{src_uri}: front matter, champ « {field} » : {error.message}")
    missing = cited_anchors(meta) - anchors_in(markdown)
    for anchor in sorted(missing):
        problems.append(f"{src_uri}: l'ancre « #{anchor} » citée par le front matter n'existe pas dans la page")
    return meta, problems


def _read(file) -> tuple[str, dict]:
    markdown, meta = get_data(Path(file.abs_src_path).read_text("utf-8"))
    return markdown, meta


@event_priority(100)
def on_pre_build(config):
    STATE.reset()  # a new build (mkdocs serve rebuilds in the same process)


@event_priority(100)  # first: every other hook's on_files reads STATE.calls
def on_files(files, config):
    calls, problems = {}, []
    for file in files.documentation_pages():
        if not file.src_uri.startswith("appels/"):
            continue
        markdown, front = _read(file)
        if "id" not in front:
            continue
        meta, found = published(file.src_uri, markdown, front)
        problems += found
        calls[meta.get("id")] = PublishedCall(meta, file.url, file.src_uri)
    if problems:
        raise PluginError("Front matter invalide :\n  " + "\n  ".join(problems))
    # Calls without a closing date (au fil de l'eau) come last.
    STATE.calls = dict(sorted(calls.items(), key=lambda kv: kv[1].meta.get("date_cloture", "9999")))
    return files


@event_priority(100)  # first: the other hooks' on_page_markdown (names.py) see the published metadata
def on_page_markdown(markdown, page, config, files):
    """The page's own metadata is the published one: its name, dates and amounts from params.json."""
    call = STATE.calls.get((page.meta or {}).get("id"))
    if call is not None and call.src_uri == page.file.src_uri:
        page.meta.clear()
        page.meta.update(call.meta)
    return markdown


def on_env(env, config, files):
    install_filters(env)  # the French filters and the `site_state` global
    return env
