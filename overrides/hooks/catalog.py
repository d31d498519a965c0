"""Build hook: the catalog on the home page and the same catalog as open data (JSON and CSV).

Reads what metadata.py collected (config.extra.calls); the open-data files follow Etalab's
schema-dispositif-aide field names, with this site's additions at the end.
"""

from __future__ import annotations

import csv
import io
import json

from jinja_filters import install as install_filters  # beside this hook
from mkdocs.structure.files import File

from checker.vocabulary import applicant_kinds  # src/ is on sys.path via jinja_filters

MARKER = "<!-- catalogue -->"
OPEN_DATA_DIR = "donnees"
ETALAB_FIELDS = [
    "id", "titre", "promesse", "description", "eligibilite", "types_aides", "porteurs",
    "programmes_parents", "url_source", "cibles", "eligibilite_geographique",
    "eligibilite_geographique_exclusions", "date_ouverture", "date_cloture", "date_mise_a_jour",
]
EXTRA_FIELDS = ["nature", "thematiques", "recurrence", "source", "cloture_precision", "montants", "phases", "url"]


def records(config) -> list[dict]:
    site_url = config.get("site_url") or ""
    rows = []
    for call in config["extra"]["calls"].values():
        meta = call["meta"]
        row = {key: meta.get(key) for key in ETALAB_FIELDS + EXTRA_FIELDS}
        row["url"] = site_url + call["url"] if site_url else call["url"]
        rows.append(row)
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ETALAB_FIELDS + EXTRA_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def on_files(files, config):
    rows = records(config)
    payload = json.dumps({"schema": "etalab/schema-dispositif-aide (champs étendus)", "dispositifs": rows},
                         ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    files.append(File.generated(config, f"{OPEN_DATA_DIR}/appels.json", content=payload))
    files.append(File.generated(config, f"{OPEN_DATA_DIR}/appels.csv", content=as_csv(rows)))
    return files


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    env = config.theme.get_env()
    install_filters(env)
    calls = []
    for call in config["extra"]["calls"].values():
        target = files.get_file_from_path(call["src_uri"])
        calls.append({**call, "href": target.url_relative_to(page.file)})
    metas = [c["meta"] for c in calls]
    funders = sorted({p["nom"] for m in metas for p in m["porteurs"] if "financeur" in p["roles"]})
    themes = sorted({t for m in metas for t in m["thematiques"]})
    html = env.get_template("partials/catalog.html").render(
        calls=calls, kinds=applicant_kinds(), funders=funders, themes=themes, config=config)
    return markdown.replace(MARKER, html)
