"""Build hook: the compact territory index for the finder, from @etalab/decoupage-administratif.

The index is published as assets/data/territoire.json (lazy-loaded by the finder page, cached
by the service worker) and its dataset version is shown on the site.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from checker.territory import build_index, index_path  # noqa: E402

PACKAGE = ROOT / "node_modules" / "@etalab" / "decoupage-administratif"
TARGET = "assets/data/territoire.json"


def on_files(files, config):
    if not (PACKAGE / "data" / "communes.json").exists():
        raise PluginError("Données territoriales absentes (node_modules/@etalab/decoupage-administratif) : "
                          "lancez ./dev serve ou ./dev test, qui exécutent npm ci.")
    version = json.loads((PACKAGE / "package.json").read_text("utf-8"))["version"]
    index = build_index(PACKAGE / "data", version)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    cached = index_path()
    cached.parent.mkdir(parents=True, exist_ok=True)
    if not cached.exists() or cached.read_text("utf-8") != text:
        cached.write_text(text, "utf-8")  # the same index, for `checker finder` in CPython
    files.append(File.generated(config, TARGET, content=text))
    raw = len(text.encode("utf-8"))
    print(f"territoire : {len(index['entities'])} entités, {raw / 1e6:.2f} Mo brut, "
          f"{len(gzip.compress(text.encode('utf-8'))) / 1e3:.0f} ko gzip (données {version})", file=sys.stderr)
    config["extra"]["territoire_version"] = version
    return files


def on_page_markdown(markdown, page, config, files):
    """The finder page's form, with the list of calls it checks (id, title, link)."""
    if "<!-- finder -->" not in markdown:
        return markdown
    calls = []
    for call_id, call in config["extra"]["calls"].items():
        target = files.get_file_from_path(call["src_uri"])
        calls.append({"id": call_id, "title": call["meta"]["titre"], "href": target.url_relative_to(page.file)})
    html = config.theme.get_env().get_template("partials/finder.html").render(finder_calls=calls, config=config)
    return markdown.replace("<!-- finder -->", html)
