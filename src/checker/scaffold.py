"""`checker new-call <id>` (or `./dev new-call <id>`): the skeleton of every file a new call needs.

It writes, in a repository's work tree, a call that already builds and passes the project's tests:

- the page, docs/appels/<id>.md: a front matter that the site completes from params.json, and a
  short example text whose clauses carry explicit anchors (the naming convention of CONTRIBUTING.md);
- the schema, schemas/<id>.schema.json: the shared applicant, project and budget blocks of
  common.schema.json by $ref, and one yes/no question;
- the call's folder, src/checker/calls/<id with _ for ->/: its rules (__init__.py: the deadline
  rule and one flag rule), its parameters (params.json: title, window, deadline with its clause)
  and its cases (cases.yaml);
- one full dossier that the cases start from, tests/dossiers/<id>/, with its expectation;
- the call's text as received, sources/<n>_<id>.txt (the file given with --source, or an example
  text to replace), with its provenance in sources/sources.json and its row in sources/README.md.

Every place to rewrite says TODO. Nothing is registered elsewhere: the engine, the build and the
tests find the call by its folder, its page's `id` and sources.json. Only a contributor runs this
module: it is no part of the browser's checker wheel (tools/vendor/vendor.py, NOT_SHIPPED).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .dates import PARIS

ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PREFIX = re.compile(r"[a-z][a-z0-9_]*")
MAX_ID = 60
SCHEMA_BASE = "https://appels-numeriques.example/schemas/"
BASE_DOSSIER = "eligible-commune"
FLAG_FIELD = "eligibility.digital_inclusion_project"
FLAG_RULE = "projet_inclusion_numerique"


class ScaffoldError(Exception):
    """Why the call cannot be written, in French."""


@dataclass(frozen=True)
class NewCall:
    id: str
    title: str
    prefix: str
    deadline: datetime  # the example closing date: 31 December of next year, end of day, Paris
    today: date
    source_name: str  # the file under sources/
    source_text: str | None  # the text as received (--source), or None for the example text

    @property
    def module(self) -> str:
        return self.id.replace("-", "_")

    @property
    def deadline_fr(self) -> str:
        return f"31 décembre {self.deadline.year}"


def create(
    root: Path,
    call_id: str,
    title: str | None = None,
    prefix: str | None = None,
    source: Path | None = None,
    today: date | None = None,
) -> list[Path]:
    """Write the new call's files under `root` (a work tree of the repository) and return them.
    Refuses, with a French message, an invalid id, an id already taken, or a root that is no such tree."""
    root = Path(root)
    _check_root(root)
    _check_id(root, call_id)
    module = call_id.replace("-", "_")
    prefix = prefix or module
    _check_prefix(root, prefix)
    today = today or datetime.now(PARIS).date()
    text = None
    if source is not None:
        try:
            text = Path(source).read_bytes().decode("utf-8")
        except OSError as error:
            raise ScaffoldError(f"texte d'origine illisible : {source} ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise ScaffoldError(f"texte d'origine illisible : {source} n'est pas en UTF-8") from None
    call = NewCall(
        id=call_id,
        title=(title or f"TODO : nom de l'appel {call_id}").strip(),
        prefix=prefix,
        deadline=datetime(today.year + 1, 12, 31, 23, 59, 59, tzinfo=PARIS),
        today=today,
        source_name=f"{_next_source_number(root):03d}_{call_id}.txt",
        source_text=text,
    )
    if len(call.title) < 5:
        raise ScaffoldError("titre trop court : 5 caractères au moins")

    files = {
        f"docs/appels/{call_id}.md": page(call),
        f"schemas/{call_id}.schema.json": schema(call),
        f"src/checker/calls/{module}/__init__.py": rules_module(call),
        f"src/checker/calls/{module}/params.json": params(call),
        f"src/checker/calls/{module}/cases.yaml": cases(call),
        f"tests/dossiers/{call_id}/{BASE_DOSSIER}.json": base_dossier(call),
        f"tests/dossiers/{call_id}/{BASE_DOSSIER}.expected.json": base_expected(call),
    }
    written = []
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
        written.append(path)
    written += _add_source(root, call, Path(source).read_bytes() if source is not None else example_text(call).encode())
    return written


def next_steps(root: Path, call_id: str, written: list[Path]) -> str:
    """What the contributor reads once the files are written (French)."""
    module = call_id.replace("-", "_")
    lines = [f"Appel « {call_id} » créé :"]
    lines += [f"  {path.relative_to(root).as_posix()}" for path in written]
    lines += [
        "",
        "Reste à faire, étapes 2 à 7 de CONTRIBUTING.md, « Ajouter un appel en 7 étapes » (chaque endroit à réécrire "
        "est marqué TODO) :",
        f"  2. docs/appels/{call_id}.md : le texte mot pour mot, ses ancres de clauses, la fiche (front matter) ; "
        "sources/ : le texte tel que reçu, son empreinte (sha256sum) et sa provenance dans sources.json et README.md ;",
        f"  3. schemas/{call_id}.schema.json : le dossier que le texte demande ;",
        f"  4. src/checker/calls/{module}/params.json : le nom, les dates et les chiffres du texte, chacun avec "
        "sa clause ;",
        f"  5. src/checker/calls/{module}/__init__.py : une règle par condition du texte ;",
        f"  6. src/checker/calls/{module}/cases.yaml (et tests/dossiers/{call_id}/) : pour chaque règle, un cas qui la "
        "respecte et un qui l'enfreint ;",
        "  7. les tests : .venv/bin/python -m pytest -q tests/test_cases.py tests/test_fidelity.py "
        "tests/test_sources.py tests/test_metadata_consistency.py tests/test_missing_data.py, puis ./dev test.",
    ]
    if _explicit_nav(root):
        lines += ["", f"mkdocs.yml liste ses pages (nav) : ajoutez-y « appels/{call_id}.md »."]
    return "\n".join(lines)


# --- checks ---------------------------------------------------------------------------------


def _check_root(root: Path) -> None:
    needed = [
        "src/checker/calls",
        "schemas/common.schema.json",
        "docs/appels",
        "sources/sources.json",
        "tests/dossiers",
    ]
    missing = [n for n in needed if not (root / n).exists()]
    if missing:
        raise ScaffoldError(
            f"{root} n'est pas la racine du dépôt (il y manque {', '.join(missing)}) : "
            "lancez la commande à la racine, ou donnez-la avec --root"
        )


def _check_id(root: Path, call_id: str) -> None:
    if not ID.fullmatch(call_id) or len(call_id) > MAX_ID:
        raise ScaffoldError(
            f"identifiant non valide : « {call_id} ». Un identifiant d'appel s'écrit en minuscules "
            f"sans accent, chiffres et tirets, commence par une lettre et compte {MAX_ID} caractères "
            "au plus (ex. « fitn7-saone-et-loire »)."
        )
    module = call_id.replace("-", "_")
    taken = [
        root / "docs" / "appels" / f"{call_id}.md",
        root / "docs" / "appels" / call_id,
        root / "schemas" / f"{call_id}.schema.json",
        root / "src" / "checker" / "calls" / module,
        root / "tests" / "dossiers" / call_id,
    ]
    found = [p.relative_to(root).as_posix() for p in taken if p.exists()]
    provenance = json.loads((root / "sources" / "sources.json").read_text("utf-8"))["textes"]
    found += [f"sources/sources.json ({t['fichier']})" for t in provenance if call_id in t.get("appels", [])]
    if found:
        raise ScaffoldError(f"l'appel « {call_id} » existe déjà : {', '.join(found)}.")


def _check_prefix(root: Path, prefix: str) -> None:
    if not PREFIX.fullmatch(prefix):
        raise ScaffoldError(
            f"préfixe des règles non valide : « {prefix} » (minuscules sans accent, chiffres et « _ », "
            "une lettre d'abord, ex. « fitn7 »)."
        )
    used = {}
    for module in sorted((root / "src" / "checker" / "calls").glob("*/__init__.py")):
        for found in re.findall(r"""prefix\s*=\s*["']([^"']+)["']""", module.read_text("utf-8")):
            used.setdefault(found, module.parent.name)
    if prefix in used:
        raise ScaffoldError(
            f"le préfixe « {prefix} » est déjà celui des règles de {used[prefix]} : choisissez-en "
            "un autre avec --prefix."
        )


def _next_source_number(root: Path) -> int:
    numbers = [int(p.name[:3]) for p in (root / "sources").glob("*.txt") if p.name[:3].isdigit()]
    return max(numbers, default=-1) + 1


def _explicit_nav(root: Path) -> bool:
    config = root / "mkdocs.yml"
    return config.is_file() and re.search(r"^nav\s*:", config.read_text("utf-8"), flags=re.M) is not None


# --- the call's text as received, with its provenance ----------------------------------------


def _add_source(root: Path, call: NewCall, data: bytes) -> list[Path]:
    sources = root / "sources"
    text_path = sources / call.source_name
    text_path.write_bytes(data)
    example = call.source_text is None
    entry = {
        "fichier": call.source_name,
        "titre": "TODO : le titre du texte"
        + (" (texte d'exemple écrit par checker new-call, à remplacer)" if example else ""),
        "emetteur": "TODO : l'organisme qui a émis le texte",
        "date": "TODO : la date du texte",
        "publication": "TODO : où le texte a été publié (adresse), et où se déposent les dossiers",
        "appels": [call.id],
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    provenance_path = sources / "sources.json"
    provenance = json.loads(provenance_path.read_text("utf-8"))
    provenance["textes"].append(entry)
    provenance_path.write_text(json.dumps(provenance, ensure_ascii=False, indent=2) + "\n", "utf-8")
    readme = sources / "README.md"
    row = f"| `{call.source_name}` | TODO | TODO | TODO | `{call.id}` |"
    lines = readme.read_text("utf-8").splitlines()
    rows = [n for n, line in enumerate(lines) if line.startswith("| `")]
    if rows:
        lines.insert(rows[-1] + 1, row)
    else:
        lines += ["", row]
    readme.write_text("\n".join(lines) + "\n", "utf-8")
    return [text_path, provenance_path, readme]


# --- the files ------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A string as a YAML (or JSON) double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def example_text(call: NewCall) -> str:
    """The example text, as if received: every one of its sentences is on the example page."""
    return f"""Texte de l'appel

Qui peut candidater ?

Les communes et les communautés de communes peuvent candidater.

Quels critères d'éligibilité ?

Le projet doit remplir les conditions suivantes :
- Le projet relève de l'inclusion numérique ;
- Le projet est mené en France.

Calendrier

Les dossiers sont à déposer au plus tard le {call.deadline_fr}.
"""


def page(call: NewCall) -> str:
    received = ""
    if call.source_text is not None:
        received = f"""
<!-- TODO : le texte reçu (sources/{call.source_name}), copié tel quel : mettez-le en forme (titres, listes,
liens) sans changer un mot, donnez ses ancres à ses clauses, puis retirez l'exemple ci-dessus. -->

## Texte reçu, à mettre en forme {{#texte-recu}}

{call.source_text.strip()}
"""
    return f"""---
# TODO : la fiche de l'appel, en français (schemas/metadata.schema.json ; les noms des champs suivent le schéma
# « dispositif-aide » d'Etalab). Le titre, les dates et les montants ne s'écrivent pas ici : le site les lit
# dans src/checker/calls/{call.module}/params.json. Un chiffre se cite par son paramètre : « {{deadline:date}} ».
id: {call.id}
# TODO : la phrase de la fiche de synthèse.
promesse: "TODO : ce que l'appel apporte et à qui, en une phrase (dépôt jusqu'au {{deadline:date}})."
# TODO : la promesse des données ouvertes : 6 à 15 mots, un impératif d'abord, « vous », sans point final.
promesse_courte: "Décrivez ici votre appel en six à quinze mots (TODO)"
description: "TODO : l'appel en quelques phrases : qui le porte, ce qu'il finance, pour qui."
nature: aap  # TODO : aap, ami, guichet ou dispositif
types_aides:  # TODO : Subvention, Prêt, Avance récupérable, Technique, Financière, Administrative, Autre
  - Subvention
# TODO : les organismes du texte ; un organisme que overrides/hooks/organisations.py ne connaît pas s'y ajoute.
porteurs:
  - nom: "Agence nationale de la cohésion des territoires (ANCT)"
    siren: "130026032"
    roles:
      - financeur
      - instructeur
# TODO : les natures de porteurs que le texte admet (schemas/common.schema.json, applicant_kind).
cibles:
  - commune
  - communaute_de_communes
eligibilite:
  - "TODO : une condition d'éligibilité du texte par ligne."
eligibilite_geographique:  # TODO : pays, region, departement ou outre-mer, avec son code
  - type: pays
    code: FR
    nom: France
thematiques:  # TODO : schemas/metadata.schema.json, thematiques
  - inclusion-numerique
recurrence: Ponctuelle
source: "TODO : l'émetteur, le titre et la date du texte."
phases:
  - id: depot
    titre: "Dépôt des dossiers (jusqu'au {{deadline:date}} inclus)"
    parametre: deadline
ancres:
  eligibilite: criteres-eligibilite
  cloture: date-limite-depot
date_mise_a_jour: "{call.today.isoformat()}"
---

<!-- TODO : remplacez cet exemple par le texte de l'appel, mot pour mot (sources/{call.source_name}) : ne réparez
que la mise en forme (titres, listes, liens). Chaque clause qu'une règle ou la fiche cite porte un id explicite,
qui dit de quoi parle la clause, comme ci-dessous : un titre, un paragraphe (l'id sur la ligne qui le suit), un
élément de liste (un span vide en tête). Un id publié ne change plus. -->

# Texte de l'appel {{#texte-appel}}

## Qui peut candidater ? {{#porteurs-eligibles}}

Les communes et les communautés de communes peuvent candidater.
{{: #porteurs-eligibles-collectivites }}

## Quels critères d'éligibilité ? {{#criteres-eligibilite}}

Le projet doit remplir les conditions suivantes :

- <span id="criteres-eligibilite-projet"></span>Le projet relève de l'inclusion numérique ;
- <span id="criteres-eligibilite-territoire"></span>Le projet est mené en France.

## Calendrier {{#calendrier}}

Les dossiers sont à déposer au plus tard le {call.deadline_fr}.
{{: #date-limite-depot }}
{received}"""


def schema(call: NewCall) -> str:
    flag_group, flag_name = FLAG_FIELD.split(".")
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{call.id}.schema.json",
        "title": call.title,
        "description": "Dossier de candidature à l'appel (TODO : ce que le dossier décrit, en une phrase).",
        "type": "object",
        "additionalProperties": False,
        "required": ["applicant", "project"],
        "properties": {
            "call": {
                "title": "Appel",
                "description": "Identifiant de l'appel auquel le dossier répond.",
                "const": call.id,
            },
            "applicant": {
                "$ref": "common.schema.json#/$defs/applicant",
                "title": "Porteur du projet",
                "description": "La structure qui dépose le dossier.",
            },
            "project": {
                "$ref": "common.schema.json#/$defs/project",
                "title": "Projet",
                "description": "Intitulé, présentation, calendrier du projet et date de dépôt du dossier.",
            },
            "budget": {
                "$ref": "common.schema.json#/$defs/budget",
                "title": "Budget prévisionnel",
                "description": "Les dépenses du projet et le plan de financement qui les couvre.",
            },
            flag_group: {
                "title": "Critères d'éligibilité",
                "description": "Les conditions du texte, une question oui/non chacune (TODO : celles du texte).",
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    flag_name: {
                        "title": "Le projet relève de l'inclusion numérique",
                        "description": "« Le projet relève de l'inclusion numérique » (Quels critères "
                        "d'éligibilité ?).",
                        "type": "boolean",
                    },
                },
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def params(call: NewCall) -> str:
    document = {
        "title": call.title,
        "window": {"closes": "deadline"},
        "params": {
            "deadline": {
                "label": "Date limite de dépôt des dossiers",
                "value": call.deadline.isoformat(),
                "type": "datetime",
                "clause": "date-limite-depot",
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def rules_module(call: NewCall) -> str:
    title = call.title.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'''"""{title}: the call's text as rules.

TODO: one rule per condition of the text, each citing its clause (an explicit anchor of
docs/appels/{call.id}.md), its figures read from params.json (P.name), never typed here.
CONTRIBUTING.md, « Rules », lists the builders of standard_rules.py and the budget quantities.
"""

from __future__ import annotations

from ...rules import Call, RuleSet
from ...standard_rules import deadline_rule, flag_rule

rules = RuleSet.of(__name__, prefix="{call.prefix}")  # TODO: a short prefix; once published, rule ids never change
P = rules.params

# Always first: the closing date of params.json, against the dossier's filing date and hour.
deadline_rule(
    rules,
    "date_limite",
    P["deadline"],
    quote="« Les dossiers sont à déposer au plus tard le {call.deadline_fr}. » (Calendrier)",
)

# TODO: an example of a yes/no condition of the text (the schema's question {FLAG_FIELD});
# replace it with the text's own conditions.
flag_rule(
    rules,
    "{FLAG_RULE}",
    "criteres-eligibilite-projet",
    label="Projet d'inclusion numérique",
    field="{FLAG_FIELD}",
    held="Le projet relève de l'inclusion numérique.",
    unmet="Le projet ne relève pas de l'inclusion numérique : le texte ne le finance pas.",
    quote="« Le projet relève de l'inclusion numérique » (Quels critères d'éligibilité ?).",
)

CALL = Call.of(__name__, rules)
'''


def cases(call: NewCall) -> str:
    after = date(call.deadline.year + 1, 1, 1)
    return f"""# The cases of {call.id}, checked by tests/test_cases.py. Each case is a base dossier plus the
# fields it changes (`set`, `unset`: dotted paths or JSON pointers, as tests/support.py reads them)
# and what the checker must answer (`expected`: eligible, the status of each rule named, and the
# schema errors, none unless listed). A base is another case or a full dossier of
# tests/dossiers/{call.id}/ ({BASE_DOSSIER}). `disqualifying: true`: what the case sets refuses
# the applicant on its own, whatever else the dossier says (tests/test_missing_data.py).
# TODO: for every rule, a case where it holds and one where it fails; a threshold at, just under
# and just over; the text's own worked examples.

- name: depot-apres-la-cloture
  description: "Dépôt le 1er janvier {after.year}, après la date limite du {call.deadline_fr} : appel clos."
  base: {BASE_DOSSIER}
  set:
    project.filing_date: '{after.isoformat()}'
  expected:
    eligible: false
    verdicts:
      {call.prefix}.date_limite: ko

- name: projet-hors-inclusion-numerique
  description: "Un projet qui ne relève pas de l'inclusion numérique : non éligible."
  base: {BASE_DOSSIER}
  set:
    {FLAG_FIELD}: false
  disqualifying: true
  expected:
    eligible: false
    verdicts:
      {call.prefix}.{FLAG_RULE}: ko
"""


def base_dossier(call: NewCall) -> str:
    document = {
        "call": call.id,
        "applicant": {
            "kind": "commune",
            "name": "Commune de Tournus",
            "departement": "71",
            "population": 5400,
            "contact": {
                "name": "Claire Moreau",
                "function": "Chargée de mission numérique",
                "email": "c.moreau@tournus.example.fr",
            },
        },
        "project": {
            "title": "Un lieu de médiation numérique à la médiathèque",
            "summary": "Ateliers d'initiation au numérique et accompagnement des démarches en ligne (TODO : un dossier "
            "écrit d'après le texte).",
            "filing_date": date(call.deadline.year, 12, 1).isoformat(),
        },
        "eligibility": {FLAG_FIELD.split(".")[1]: True},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def base_expected(call: NewCall) -> str:
    document = {
        "description": "Commune qui dépose un projet d'inclusion numérique avant la date limite : éligible.",
        "eligible": True,
        "verdicts": {f"{call.prefix}.date_limite": "ok", f"{call.prefix}.{FLAG_RULE}": "ok"},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
