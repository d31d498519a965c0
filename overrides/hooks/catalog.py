"""Build hook: the catalog on the home page and the same catalog as open data.

Reads what metadata.py and sources.py collected (site_state.STATE.calls; their on_files run
before this one's) and publishes:
- donnees/appels.csv: Etalab's schema « dispositif-aide » v0.2.0 (schemas/etalab/), its columns
  and nothing more, in its vocabularies (the mapping: etalab.py, beside this hook);
- donnees/appels.json: the same records, as JSON;
- donnees/appels-etendu.json: what that schema has no column for (amounts, rates, phases, clause
  anchors, applicant kinds…), one record per call, joined to the others by `id`.
It also fills STATE.organisations (each call's funders, instructing and relaying bodies), which
the catalog and the summary cards show.

An address in the open data comes from the configured public address (SITE_URL) or is relative
to the data file: a local build never publishes the machine it was built on.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath

from etalab import MappingError, call_uuid
from etalab import fields as etalab_fields
from etalab import record as etalab_record
from etalab import schema as etalab_schema
from jinja_filters import install as install_filters  # beside this hook
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from organisations import UnknownOrganisation, by_role  # beside this hook
from site_state import STATE  # beside this hook

from checker.dates import parse_datetime
from checker.vocabulary import applicant_kinds, applicant_label

MARKER = "<!-- catalogue -->"
OPEN_DATA_DIR = "donnees"
# The amounts a card shows: what an applicant may receive (caps, floors, rates, lump sums), as the
# text states them; a programme's whole envelope is on the call's page only.
CARD_AMOUNTS = ("plafond", "plancher", "taux", "taux_max", "indicatif", "forfait")


def address(config, path: str) -> str:
    """`path` (from the site root) from the configured public address, else relative to OPEN_DATA_DIR."""
    site_url = config.get("site_url")
    if site_url:
        return site_url.rstrip("/") + "/" + path
    return posixpath.relpath(path or ".", OPEN_DATA_DIR) + ("/" if path.endswith("/") or not path else "")


def records(config) -> list[dict]:
    rows, problems = [], []
    for call in STATE.calls.values():
        try:
            rows.append(etalab_record(call.meta))
        except MappingError as error:
            problems.append(f"{call.src_uri} : {error}")
    if problems:
        raise PluginError("Données ouvertes (schéma Etalab) :\n  " + "\n  ".join(problems))
    return rows


def extended(config) -> list[dict]:
    rows = []
    for call in STATE.calls.values():
        meta = call.meta
        page = address(config, call.url)
        rows.append(
            {
                "id": call_uuid(meta["id"]),
                "identifiant": meta["id"],
                "page": page,
                "texte_origine": address(config, call.texte_origine["page"]),
                "texte_origine_brut": address(config, call.texte_origine["brut"]),
                "resume": meta["promesse"],
                "nature": meta["nature"],
                "thematiques": meta["thematiques"],
                "recurrence": meta.get("recurrence"),
                "source": meta["source"],
                "cloture_precision": meta.get("cloture_precision"),
                "porteurs_admis": [{"code": kind, "libelle": applicant_label(kind)} for kind in meta["cibles"]],
                "montants": [
                    {
                        "id": m["id"],
                        "libelle": m["libelle"],
                        "type": m["type"],
                        "valeur": m["valeur"],
                        "unite": m["unite"],
                        "clause": f"{page}#{m['ancre']}",
                    }
                    for m in meta.get("montants", [])
                ],
                "phases": [
                    {
                        "id": ph["id"],
                        "titre": ph["titre"],
                        "date_cloture": ph.get("date_cloture"),
                        "clause": f"{page}#{ph['ancre']}",
                    }
                    for ph in meta.get("phases", [])
                ],
                "clauses": {name: f"{page}#{anchor}" for name, anchor in meta["ancres"].items()},
            }
        )
    return rows


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=etalab_fields(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def organisations(config) -> dict[str, dict]:
    """Each call's funders, instructing and relaying bodies, from the controlled vocabulary."""
    found, problems = {}, []
    for call_id, call in STATE.calls.items():
        try:
            found[call_id] = {
                role: by_role(call.meta["porteurs"], role) for role in ("financeur", "instructeur", "diffuseur")
            }
        except UnknownOrganisation as error:
            problems.append(f"{call.src_uri} : {error}")
    if problems:
        raise PluginError("Porteurs :\n  " + "\n  ".join(problems))
    return found


def on_files(files, config):
    STATE.organisations = organisations(config)  # the catalog and the summary cards
    rows = records(config)
    described = etalab_schema()
    files.append(File.generated(config, f"{OPEN_DATA_DIR}/appels.csv", content=as_csv(rows)))
    files.append(
        File.generated(
            config,
            f"{OPEN_DATA_DIR}/appels.json",
            content=_json(
                {
                    "schema": {"nom": described["name"], "version": described["version"], "chemin": described["path"]},
                    "dispositifs": rows,
                }
            ),
        )
    )
    files.append(
        File.generated(
            config,
            f"{OPEN_DATA_DIR}/appels-etendu.json",
            content=_json(
                {
                    "description": "Ce que le schéma Etalab dispositif-aide n'a pas de colonne pour accueillir, un "
                    "enregistrement par appel, relié à appels.csv et appels.json par `id`. Les adresses "
                    "relatives le sont à ce fichier.",
                    "dispositifs": extended(config),
                }
            ),
        )
    )
    return files


def _from(page, path: str) -> str:
    """A site path as a link from the page (the site may be served under a sub-path)."""
    return posixpath.relpath(path, posixpath.dirname(page.file.url) or ".")


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    env = config.theme.get_env()
    install_filters(env)
    calls = []
    for call_id, call in STATE.calls.items():
        target = files.get_file_from_path(call.src_uri)
        agenda = STATE.agendas.get(call_id)
        calls.append(
            {
                "meta": call.meta,
                "href": target.url_relative_to(page.file),
                "roles": STATE.organisations[call_id],
                "agenda": {"events": agenda.events, "href": _from(page, agenda.path)} if agenda else None,
                "montants": [m for m in call.meta.get("montants", []) if m["type"] in CARD_AMOUNTS],
            }
        )
    # Without JavaScript, the order the script gives by default, as far as the build can tell:
    # calls without a deadline (open) first, then the latest deadline first.
    calls = [c for c in calls if not c["meta"].get("date_cloture")] + sorted(
        (c for c in calls if c["meta"].get("date_cloture")),
        key=lambda c: parse_datetime(c["meta"]["date_cloture"]),
        reverse=True,
    )
    funders = {org.id: org.nom for c in calls for org in c["roles"]["financeur"]}
    themes = sorted({t for c in calls for t in c["meta"]["thematiques"]})
    html = env.get_template("partials/catalog.html").render(
        calls=calls,
        kinds=applicant_kinds(),
        funders=dict(sorted(funders.items(), key=lambda kv: kv[1])),
        themes=themes,
        config=config,
        agenda_all=_from(page, "agenda/appels.ics"),
        feed=_from(page, "flux.atom"),
    )
    return markdown.replace(MARKER, html)
