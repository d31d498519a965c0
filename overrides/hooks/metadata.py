"""Build hook: read, validate and expose every call page's front matter.

A call page is a Markdown page under appels/ whose front matter has an `id`. Its front matter
is validated against schemas/metadata.schema.json; a typo fails the build with the file, the
field and what was expected. Every anchor the front matter cites must exist on the page.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from checker.engine import all_calls  # noqa: E402
from jinja_filters import install as install_filters  # noqa: E402  (beside this hook)

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


def check_page(src_uri: str, markdown: str, meta: dict) -> list[str]:
    """Every problem of one call page, as readable lines (empty when the page is fine)."""
    problems = []
    for error in sorted(_validator().iter_errors(meta), key=lambda e: list(e.absolute_path)):
        field = ".".join(str(p) for p in error.absolute_path) or "(racine)"
        problems.append(f"{src_uri}: front matter, champ « {field} » : {error.message}")
    if meta.get("id") not in all_calls():
        problems.append(f"{src_uri}: front matter, id « {meta.get('id')} » ne correspond à aucun appel du vérificateur")
    missing = cited_anchors(meta) - anchors_in(markdown)
    for anchor in sorted(missing):
        problems.append(f"{src_uri}: l'ancre « #{anchor} » citée par le front matter n'existe pas dans la page")
    return problems


def _read(file) -> tuple[str, dict]:
    markdown, meta = get_data(Path(file.abs_src_path).read_text("utf-8"))
    return markdown, meta


def on_files(files, config):
    calls, problems = {}, []
    for file in files.documentation_pages():
        if not file.src_uri.startswith("appels/"):
            continue
        markdown, meta = _read(file)
        if "id" not in meta:
            continue
        problems += check_page(file.src_uri, markdown, meta)
        calls[meta.get("id")] = {"meta": meta, "url": file.url, "src_uri": file.src_uri}
    if problems:
        raise PluginError("Front matter invalide :\n  " + "\n  ".join(problems))
    # Calls without a closing date (au fil de l'eau) come last.
    config["extra"]["calls"] = dict(sorted(calls.items(), key=lambda kv: kv[1]["meta"].get("date_cloture", "9999")))
    return files


def on_env(env, config, files):
    install_filters(env)
    return env
