"""The `checker` command: list the calls, print a schema, check one dossier or a whole batch.

Exit codes: 0 every dossier is eligible; 1 one is not, or cannot be judged yet; 2 bad usage or
unreadable input. Messages are French and bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import traceback
from datetime import date, datetime, time
from typing import Sequence

from . import __version__
from .batch import FORMATS, MAX_JOBS, BrokenProcessPool, format_for, run
from .dates import PARIS, fr_datetime, today_paris
from .dossier import MAX_DEPTH, MAX_VALUES, no_surrogates, printable, shown
from .engine import all_calls, check, get_call
from .finder import find
from .inputs import MAX_DOSSIER_BYTES, MAX_LINE_BYTES, InputError, convert_cell, open_input, read_dossier
from .money import number
from .rules import Call
from .schemas import schema_text
from .territory import Territory, index_path
from .text_report import render, render_findings

USAGE_ERROR, NOT_ELIGIBLE, ELIGIBLE = 2, 1, 0
INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE: a bug of the checker, not of the dossier

DESCRIPTION = (
    "Vérifie l'éligibilité et le budget d'un dossier de candidature aux appels à projets d'inclusion numérique."
)
_LIMITS = (
    f"plus de {MAX_DOSSIER_BYTES // (1024 * 1024)} Mo, plus de {number(MAX_VALUES)} valeurs "
    f"ou plus de {MAX_DEPTH} niveaux d'imbrication"
)
EPILOG = f"""\
codes de sortie :
  0  tous les dossiers sont éligibles
  1  un dossier n'est pas éligible, reste à compléter (réponses manquantes, erreurs du formulaire)
     ou à vérifier (conditions que le texte laisse à l'appréciation du service instructeur)
  2  mauvaise utilisation, ou fichier illisible (introuvable, binaire, non UTF-8, JSON mal formé, trop gros :
     {_LIMITS})
"""
BATCH_EPILOG = f"""\
formats :
  JSON Lines (.jsonl) : un dossier JSON par ligne ; les lignes vides sont ignorées.
  CSV (.csv) : la première ligne nomme les champs par leur chemin pointé, par exemple
      applicant.kind,applicant.name,budget.expenses.0.label,budget.expenses.0.amount
    puis un dossier par ligne ; un numéro désigne un élément de liste (0 pour le premier) ;
    une cellule entre guillemets peut tenir sur plusieurs lignes ; séparateur virgule,
    point-virgule ou tabulation (reconnu sur l'en-tête) ; texte en UTF-8.
    Les cellules sont converties selon le schéma de l'appel : nombre → décimal exact
    (12500.50, 12 500,50), entier → entier, booléen → oui/non, vrai/faux, true/false, 1/0 ;
    une cellule vide est un champ absent ; ce qui ne se convertit pas est signalé par le schéma.

sortie : une ligne JSON par dossier, {{"line": n, "call": …, "verdict": …, "eligible": …, "verdicts": […],
  "questions": […], …}},
  ou {{"line": n, …, "error": "…"}} pour une ligne illisible (trop longue : plus de
  {MAX_LINE_BYTES // (1024 * 1024)} Mo, JSON mal formé…) ; puis une ligne de synthèse {{"summary": {{…}}}}
  (éligibles, non éligibles, à compléter, à vérifier, illisibles).

codes de sortie : 0 tous éligibles ; 1 un dossier non éligible, à compléter ou à vérifier ;
  2 une ligne illisible, aucun dossier, ou mauvaise utilisation.
"""

_ARGPARSE_MESSAGES = [
    # argparse lists required arguments with ", " and unrecognized ones with " ".
    (
        r"the following arguments are required: (.*)",
        lambda m: (
            ("arguments obligatoires manquants" if ", " in m[1] else "argument obligatoire manquant") + f" : {m[1]}"
        ),
    ),
    (
        r"unrecognized arguments: (.*)",
        lambda m: ("arguments non reconnus" if " " in m[1] else "argument non reconnu") + f" : {m[1]}",
    ),
    (
        r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)",
        r"argument \1 : choix non valide : \2 (choix possibles : \3)",
    ),
    (r"argument (.*?): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (.*?): invalid (.*) value: (.*)", r"argument \1 : valeur non valide : \3"),
    (r"ambiguous option: (.*?) could match (.*)", r"option ambiguë : \1 peut désigner \2"),
    (r"argument (.*?): not allowed with argument (.*)", r"argument \1 : incompatible avec \2"),
    (r"argument (.*?): (.*)", r"argument \1 : \2"),
]


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix='' when it builds a sub-command's name: keep that one as is.
        return super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with French help headings and French usage errors (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")

    def error(self, message: str):
        for pattern, french in _ARGPARSE_MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, french, message)
                break
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog} : erreur : {printable(message)}\n")


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(prog="checker", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument(
        "--version", action="version", version=f"checker {__version__}", help="affiche la version et quitte"
    )
    sub = parser.add_subparsers(
        dest="command", metavar="commande", title="commandes", required=True, parser_class=FrenchArgumentParser
    )
    calls = sub.add_parser(
        "calls",
        help="liste les appels : identifiant, titre, état (à venir, ouvert, clos)",
        description="Liste les appels connus et leur état à la date du jour (heure de Paris).",
    )
    calls.add_argument("--date", type=_iso_day, metavar="AAAA-MM-JJ", help="date de référence au lieu d'aujourd'hui")
    schema = sub.add_parser(
        "schema",
        help="affiche le schéma JSON du dossier d'un appel",
        description="Affiche le schéma JSON (draft 2020-12) du dossier d'un appel, références $ref comprises.",
    )
    schema.add_argument("call", metavar="APPEL", help="identifiant de l'appel (voir « checker calls »)")
    one = sub.add_parser(
        "check",
        help="vérifie un dossier (fichier JSON)",
        epilog=EPILOG,
        description="Vérifie un dossier JSON : erreurs du formulaire, conditions, montants calculés.",
    )
    one.add_argument("call", metavar="APPEL", help="identifiant de l'appel (voir « checker calls »)")
    one.add_argument(
        "file",
        metavar="FICHIER",
        help=f"dossier JSON (UTF-8, {MAX_DOSSIER_BYTES // (1024 * 1024)} Mo au plus), ou - pour l'entrée standard",
    )
    one.add_argument("--json", action="store_true", help="imprime le rapport en un seul objet JSON")
    many = sub.add_parser(
        "batch",
        help="vérifie une série de dossiers (JSON Lines ou CSV)",
        epilog=BATCH_EPILOG,
        description="Vérifie une série de dossiers, un rapport JSON par ligne, en mémoire constante.",
    )
    many.add_argument("call", metavar="APPEL", help="identifiant de l'appel (voir « checker calls »)")
    many.add_argument("file", metavar="FICHIER", help="fichier .jsonl ou .csv, ou - pour l'entrée standard")
    many.add_argument(
        "--format", choices=FORMATS, help="format du fichier (par défaut : d'après l'extension ; jsonl pour -)"
    )
    many.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="nombre de processus qui vérifient les dossiers (1 par défaut ; 0 ou auto : un par cœur "
        "disponible) ; les rapports sortent dans l'ordre du fichier, identiques quel que soit N",
    )
    finder = sub.add_parser(
        "finder",
        help="quels appels pour une collectivité (par SIREN ou département)",
        description="Applique les règles de chaque appel et de chaque mesure au porteur trouvé "
        "dans les données officielles (découpage administratif Etalab).",
    )
    who = finder.add_mutually_exclusive_group(required=True)
    who.add_argument("--siren", metavar="N", help="SIREN d'une commune ou d'une intercommunalité")
    who.add_argument("--departement", metavar="CODE", help="code d'un département (ex. 71, 2A, 974)")
    finder.add_argument("--nature", metavar="TEXTE", help="nature du projet (facultatif)")
    finder.add_argument("--montant", metavar="EUROS", help="coût du projet en euros (facultatif)")
    finder.add_argument("--json", action="store_true", help="imprime le résultat en JSON")
    new = sub.add_parser(
        "new-call",
        help="écrit le squelette d'un nouvel appel (page, schéma, règles, cas)",
        description="Écrit le squelette de chaque fichier d'un nouvel appel, avec ses ancres de clauses "
        "et des TODO : la page, le schéma, le dossier de l'appel dans src/checker/calls/ "
        "(règles, params.json, cases.yaml), un dossier de test et le texte d'origine.",
    )
    new.add_argument(
        "call", metavar="APPEL", help="identifiant du nouvel appel : minuscules sans accent, chiffres et tirets"
    )
    new.add_argument("--title", metavar="TITRE", help="nom de l'appel (params.json ; sinon un TODO)")
    new.add_argument(
        "--prefix",
        metavar="PRÉFIXE",
        help="préfixe des identifiants de règles (par défaut : l'identifiant, tirets en « _ »)",
    )
    new.add_argument(
        "--source", metavar="FICHIER", help="le texte de l'appel tel que reçu (UTF-8), copié dans sources/"
    )
    new.add_argument("--root", metavar="DOSSIER", default=".", help="racine du dépôt (par défaut : le dossier courant)")
    return parser


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("date attendue au format AAAA-MM-JJ") from None


# --- calls -------------------------------------------------------------------------------


def call_window(call: Call) -> tuple[datetime | None, datetime | None]:
    """(opening, closing) of a call, as its params.json declares them (`window`); None when the text gives none."""
    return call.opens, call.closes


def call_status(call: Call, now: datetime) -> str:
    opens, closes = call_window(call)
    if closes is None:
        return "sans date limite (voir le texte)"
    if opens is not None and now < opens:
        return f"à venir (ouverture le {fr_datetime(opens)})"
    if now > closes:
        return f"clos (depuis le {fr_datetime(closes)})"
    return f"ouvert (jusqu'au {fr_datetime(closes)})"


def cmd_calls(args) -> int:
    day = args.date or today_paris()
    now = datetime.now(PARIS) if args.date is None else datetime.combine(day, time(0, 0), tzinfo=PARIS)
    calls = all_calls()
    if not calls:
        print("Aucun appel n'est encore disponible.")
        return ELIGIBLE
    rows = [(call_id, call_status(call, now), call.title) for call_id, call in sorted(calls.items())]
    widths = [max(len(row[i]) for row in rows) for i in (0, 1)]
    for call_id, status, title in rows:
        print(f"{call_id:<{widths[0]}}  {status:<{widths[1]}}  {title}")
    return ELIGIBLE


# --- schema, check, batch ----------------------------------------------------------------


def cmd_schema(args) -> int:
    call = _call(args.call)
    # Printed as written, so its $refs and key order are those of the published file; its help
    # texts with the call's figures filled in, as the form and the messages show them.
    sys.stdout.write(schema_text(call.schema))
    return ELIGIBLE


def cmd_check(args) -> int:
    call = _call(args.call)
    report = check(call.id, read_dossier(args.file))
    if args.json:
        print(no_surrogates(json.dumps(report.to_json(), ensure_ascii=False, indent=2)))
    else:
        sys.stdout.write(render(report, call.title))
    return ELIGIBLE if report.eligible is True else NOT_ELIGIBLE


def _jobs(text: str) -> int:
    """--jobs: a count of processes; 0 or « auto », one per available core (batch.run reads 0 so)."""
    if text.strip().lower() == "auto":
        return 0
    try:
        count = int(text)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"nombre de processus attendu, de 0 à {MAX_JOBS}, ou auto")
    return count


def cmd_batch(args) -> int:
    call = _call(args.call)
    stream = open_input(args.file)
    try:
        summary = run(call.id, stream, sys.stdout, format_for(args.file, args.format), jobs=args.jobs)
    except BrokenProcessPool:
        sys.stdout.flush()
        print(
            "checker : erreur : un processus de vérification s'est arrêté brutalement (mémoire épuisée ?) ; "
            "les rapports déjà écrits restent valables.",
            file=sys.stderr,
        )
        return USAGE_ERROR
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    sys.stdout.flush()
    if not summary.dossiers:
        print("checker : aucun dossier dans le fichier.", file=sys.stderr)
    print(f"checker : {summary.in_french()}", file=sys.stderr)
    return summary.exit_code()


def _call(call_id: str) -> Call:
    try:
        return get_call(call_id)
    except KeyError:
        pass
    try:
        get_call(shown(call_id))  # the message quotes the id: printable and bounded
    except KeyError as unknown:
        raise InputError(unknown.args[0]) from None
    raise InputError(f"Appel inconnu : « {shown(call_id)} ».")  # pragma: no cover (no id ends in « … »)


def cmd_finder(args) -> int:
    path = index_path()
    if not path.exists():
        raise InputError(
            f"index territorial introuvable ({path}) : construisez le site (./dev serve ou ./dev test) "
            "ou indiquez-le par la variable CHECKER_TERRITOIRE."
        )
    territory = Territory.load(path)
    try:
        entity = territory.by_siren(args.siren) if args.siren else territory.by_departement(args.departement)
        amount = convert_cell(args.montant, frozenset({"number"})) if args.montant else None
        if isinstance(amount, str):
            raise ValueError(f"montant illisible : « {shown(args.montant)} » (exemple : 40 000 ou 12 500,50)")
    except ValueError as error:
        raise InputError(str(error)) from None
    findings = find(entity.applicant(), args.nature, amount)
    if args.json:
        print(
            no_surrogates(
                json.dumps(
                    {
                        "entity": entity.applicant(),
                        "data_version": territory.version,
                        "findings": [f.to_json() for f in findings],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        )
    else:
        sys.stdout.write(render_findings(entity, territory.epci_of(entity), findings))
    return ELIGIBLE if any(f.verdict == "eligible" for f in findings) else NOT_ELIGIBLE


def cmd_new_call(args) -> int:
    from pathlib import Path

    from .scaffold import ScaffoldError, create, next_steps  # a contributor's tool, not in the browser's wheel

    root = Path(args.root)
    try:
        written = create(
            root, args.call, title=args.title, prefix=args.prefix, source=Path(args.source) if args.source else None
        )
    except ScaffoldError as error:
        print(f"checker : erreur : {error}", file=sys.stderr)
        return USAGE_ERROR
    print(next_steps(root, args.call, written))
    return 0


COMMANDS = {
    "calls": cmd_calls,
    "schema": cmd_schema,
    "check": cmd_check,
    "batch": cmd_batch,
    "finder": cmd_finder,
    "new-call": cmd_new_call,
}


def _utf8(stream) -> None:
    """Reports are UTF-8 whatever the locale; a character that cannot be written is replaced."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):  # a stream that cannot change any more: leave it
            pass


def main(argv: Sequence[str] | None = None) -> int:
    _utf8(sys.stdout)
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        print(f"checker : erreur : {printable(str(error))}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader went away (`checker batch … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 — a bug of the checker: said in French, never a plausible report
        print(
            "checker : erreur interne du vérificateur : ce dossier n'a pas pu être vérifié. Merci de la signaler"
            " (relancez avec CHECKER_DEBUG=1 pour joindre le détail).",
            file=sys.stderr,
        )
        if os.environ.get("CHECKER_DEBUG"):
            traceback.print_exc()
        return INTERNAL_ERROR
