"""Build hook: the self-assessment form of every call page, rendered from the call's JSON Schema.

checker.form_tree walks the schema into a tree of plain nodes (what to draw, where it sits in the
dossier as a JSON pointer, when it applies); here the Jinja2 macros in partials/form/ draw it, and
the page gets it with its entry in the table of contents.
"""

from __future__ import annotations

import json

from checker.engine import all_calls, check
from checker.form_tree import build_form, steps


def render_form(env, call, closing: str | None = None) -> str:
    root, conditions = build_form(call.schema)
    template = env.get_template("partials/form/form.html")
    # The report of the empty dossier: its ranked questions show before the checker has loaded.
    initial = json.dumps(check(call.id, {"call": call.id}).to_json(), ensure_ascii=False, separators=(",", ":"))
    return template.module.form(
        steps(root), call.id, json.dumps(conditions, ensure_ascii=False, sort_keys=True), closing or "", initial
    )


_cache: dict[str, str] = {}


def on_pre_build(config):
    _cache.clear()


def on_page_context(context, page, config, nav):
    call_id = (page.meta or {}).get("id")
    call = all_calls().get(call_id) if call_id else None
    if call is None:
        return context
    if call.id not in _cache:
        _cache[call.id] = render_form(config.theme.get_env(), call, (page.meta or {}).get("date_cloture"))
    context["checker_form"] = _cache[call.id]
    context["checker_call"] = call.id
    _add_to_toc(page)
    return context


def _add_to_toc(page) -> None:
    """The form is drawn by the theme, not written in the page: give it its entry in the table of contents."""
    from mkdocs.structure.toc import AnchorLink

    if page.toc is not None and not any(item.id == "verification" for item in page.toc.items):
        items = (
            page.toc.items[0].children if len(page.toc.items) == 1 and page.toc.items[0].level == 1 else page.toc.items
        )
        items.append(AnchorLink("Vérifier mon éligibilité", "verification", 2))
