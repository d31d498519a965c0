"""The build hooks share one state object (overrides/hooks/site_state.py), each field filled by one
declared hook and event, and the order of the `hooks:` list in mkdocs.yml does not matter."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
HOOKS_DIR = ROOT / "overrides" / "hooks"
HOOKS = re.findall(r"^  - (overrides/hooks/\S+\.py)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)


def _config(**overrides):
    return load_config(str(ROOT / "mkdocs.yml"), **overrides)


def test_the_hooks_list_is_read():
    assert "overrides/hooks/metadata.py" in HOOKS and "overrides/hooks/site_state.py" not in HOOKS


def test_every_hook_that_shares_state_holds_the_same_object():
    config = _config()
    site_state = sys.modules["site_state"]
    holders = {name: hook.STATE for name, hook in config.plugins.items() if hasattr(hook, "STATE")}
    assert {
        "overrides/hooks/metadata.py",
        "overrides/hooks/sources.py",
        "overrides/hooks/catalog.py",
        "overrides/hooks/agenda.py",
        "overrides/hooks/territory.py",
    } <= set(holders)
    assert all(state is site_state.STATE for state in holders.values()), holders
    assert sys.modules["jinja_filters"].STATE is site_state.STATE  # the templates' `site_state`
    # Loaded again (mkdocs serve reloads the configuration), the hooks still share that object.
    again = _config()
    assert all(hook.STATE is site_state.STATE for hook in again.plugins.values() if hasattr(hook, "STATE"))


def test_no_hook_imports_another_hook():
    """mkdocs loads a listed hook under its path: imported by its stem, it would be a second copy."""
    stems = {Path(hook).stem for hook in HOOKS}
    for path in HOOKS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        imported = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        imported |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & stems, f"{path.name} imports the hook {imported & stems}"


def test_a_field_read_before_its_writer_ran_names_the_writer():
    sys.path.insert(0, str(HOOKS_DIR))
    try:
        from site_state import PublishedCall, SiteState, StateError
    finally:
        sys.path.remove(str(HOOKS_DIR))
    state = SiteState()
    with pytest.raises(StateError, match=r"« calls » est lu avant d'être rempli par metadata\.py \(on_files\)"):
        _ = state.calls
    state.calls = {}
    assert state.calls == {}
    state.reset()
    with pytest.raises(StateError, match="read before metadata.py"):
        _ = state.calls
    call = PublishedCall({"id": "x"}, "appels/x/", "appels/x.md")
    with pytest.raises(StateError, match=r"sources\.py \(on_files\)"):
        _ = call.texte_origine
    call.texte_origine = {"page": "sources/x/"}
    assert call.texte_origine == {"page": "sources/x/"}


def test_the_site_is_the_same_whatever_the_order_of_the_hooks_list(built_site, tmp_path):
    """Each writer declares its priority (event_priority): the hooks listed backwards build the same site."""
    target = tmp_path / "site"
    build(_config(hooks=list(reversed(HOOKS)), site_dir=str(target), strict=True))

    def compared(site: Path) -> set[Path]:
        # Not the checker's runtime, which vendor_runtime.py alone copies from src/ (its wheel
        # changes with any edit of src/checker/), nor the service worker that lists its files.
        return {
            p.relative_to(site)
            for p in site.rglob("*")
            if p.is_file() and p.name != "sw.js" and "assets/pyodide/" not in p.as_posix()
        }

    built, rebuilt = compared(built_site), compared(target)
    assert built == rebuilt
    differing = [str(p) for p in sorted(built) if (built_site / p).read_bytes() != (target / p).read_bytes()]
    assert not differing
