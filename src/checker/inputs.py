"""Reading dossiers from files: one JSON dossier, or a stream of them (JSON Lines, CSV).

Whatever arrives (a missing file, a directory, a binary or non-UTF-8 file, malformed JSON, a
50 MB upload), the reader answers with an InputError carrying a French message, never a
traceback, and never holds more than one bounded dossier in memory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any, BinaryIO, Iterator

from .dossier import MAX_DEPTH, MAX_VALUES, printable, shown
from .money import number
from .schemas import load_json, schema_view

MAX_DOSSIER_BYTES = 5 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
MAX_INTEGER_DIGITS = 20
MAX_COLUMNS = 5_000  # a CSV header; a call's form has about a hundred fields
_CHUNK = 64 * 1024
_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """Input the checker cannot read; the message is French and says what to fix."""


# --- opening -----------------------------------------------------------------------------


def open_input(name: str) -> BinaryIO:
    """The file (or stdin for '-') as a binary stream; InputError when it cannot be opened."""
    if name == "-":
        return sys.stdin.buffer
    shown = printable(name)  # a file name may hold a newline, or bytes that are not UTF-8
    try:
        if os.path.isdir(name):
            raise InputError(f"« {shown} » est un dossier du disque, pas un fichier.")
        return open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"Fichier introuvable : « {shown} ».") from None
    except PermissionError:
        raise InputError(f"Lecture interdite : « {shown} » (droits insuffisants).") from None
    except ValueError:  # a NUL byte in the name
        raise InputError(f"Impossible d'ouvrir « {shown} » : nom de fichier non valide.") from None
    except OSError as exc:
        raise InputError(
            f"Impossible d'ouvrir « {shown} » : {printable(exc.strerror or 'erreur du système')}."
        ) from None


def _size_mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} Mo"


def read_bounded(stream: BinaryIO, name: str, limit: int = MAX_DOSSIER_BYTES) -> bytes:
    """At most `limit` bytes: a regular file is judged by its size before anything is read.

    `name` is how messages designate the input (« fichier.json », L'entrée standard).
    """
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        size = 0
    too_big = f"{name} dépasse la taille maximale d'un dossier ({_size_mb(limit)}) : lecture abandonnée."
    if size > limit:
        raise InputError(too_big)
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{name} : lecture impossible ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise InputError(too_big)
    return data


# --- decoding and parsing ----------------------------------------------------------------

_JSON_REASONS = [
    ("Expecting value", "une valeur est attendue"),
    ("Expecting property name enclosed in double quotes", "un nom de champ entre guillemets doubles est attendu"),
    ("Expecting ',' delimiter", "une virgule est attendue"),
    ("Expecting ':' delimiter", "un deux-points est attendu"),
    ("Extra data", "contenu en trop après la fin du dossier"),
    ("Unterminated string", "texte non terminé (guillemet fermant manquant)"),
    ("Invalid control character", "caractère de contrôle interdit dans un texte (retour à la ligne non échappé ?)"),
    ("Invalid \\escape", "séquence d'échappement non valide (barre oblique inverse)"),
    ("Invalid \\uXXXX escape", "séquence \\uXXXX non valide"),
]

_KINDS = {
    list: "une liste",
    str: "un texte",
    bool: "un booléen",
    int: "un nombre",
    Decimal: "un nombre",
    type(None): "la valeur null",
}


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text (an initial BOM is tolerated); InputError for binary or other encodings."""
    if b"\x00" in data:
        raise InputError(f"{where} : contenu binaire, pas du texte.")
    try:
        return data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where} : texte non encodé en UTF-8 (octet illisible en position {exc.start + 1}) ; "
            "enregistrez le fichier en UTF-8."
        ) from None


# Strings (escapes included) and everything that is not a bracket, to measure the nesting of JSON
# text before parsing it: json.loads recurses once per level, and Pyodide's stack is small.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting(text: str) -> int:
    """How deep the objects and lists of a JSON text nest (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    return max(0, max(accumulate(_STEP[b] for b in brackets)))


def read_json(text: str, one_line: bool = False) -> Any:
    """JSON text as data with exact numbers, within the checker's bounds: at most MAX_DEPTH levels
    of nesting, checked before parsing; at most MAX_VALUES values. InputError with the French reason
    (line and column of a syntax error; only the column when `one_line`)."""
    if nesting(text) > MAX_DEPTH:
        raise InputError(
            f"JSON imbriqué trop profondément (plus de {MAX_DEPTH} niveaux, quand un dossier en compte cinq)"
        )
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        reason = next((fr for en, fr in _JSON_REASONS if exc.msg.startswith(en)), "syntaxe non valide")
        at = f"colonne {exc.colno}" if one_line else f"ligne {exc.lineno}, colonne {exc.colno}"
        raise InputError(f"JSON mal formé, {at} : {reason}") from None
    except RecursionError:
        raise InputError("JSON imbriqué trop profondément") from None
    except ValueError as exc:
        # NaN and Infinity (refused by load_json) and integers too long to be a figure.
        raise InputError(_number_reason(exc)) from None
    if _count_values(data) > MAX_VALUES:
        raise InputError(
            f"trop de données (plus de {number(MAX_VALUES)} valeurs, quand un dossier en compte quelques centaines)"
        )
    return data


def _count_values(data: Any) -> int:
    count, stack = 1, [data]
    while stack and count <= MAX_VALUES:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            count += len(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return count


def parse_dossier(text: str, where: str, one_line: bool = False) -> dict:
    """One JSON object with exact numbers; InputError (line and column) when it is not that.

    `one_line`: the text is a line of a JSON Lines file, whose number `where` already gives.
    """
    if not text.strip():
        raise InputError(f"{where} : vide, aucun dossier à vérifier.")
    try:
        data = read_json(text, one_line)
    except InputError as exc:
        raise InputError(f"{where} : {exc}.") from None
    if not isinstance(data, dict):
        kind = _KINDS.get(type(data), "autre chose")
        raise InputError(f"{where} : le dossier doit être un objet JSON ({{ … }}), pas {kind}.")
    huge = _huge_number(data)
    if huge is not None:
        raise InputError(
            f"{where} : nombre démesuré en {shown(huge, 200)} (plus de {MAX_INTEGER_DIGITS} chiffres "
            "avant la virgule) : aucune donnée d'un dossier n'atteint cette grandeur."
        )
    return data


def _huge_number(data: Any) -> str | None:
    """JSON pointer of the first number too large for exact arithmetic, or None.

    Decimal's 28-digit context cannot test `multipleOf: 0.01` beyond 10^26 (it raises), so such
    numbers are refused as unreadable before they reach the schema; far below that, the
    schema's own `maximum` says "montant invraisemblable".
    """
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, f"{path}/{key}") for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, f"{path}/{index}") for index, value in enumerate(node))
        elif isinstance(node, (int, Decimal)) and not isinstance(node, bool) and node != 0:
            if Decimal(node).adjusted() >= MAX_INTEGER_DIGITS:
                return path or "/"
    return None


def _number_reason(exc: ValueError) -> str:
    text = str(exc)
    if text.startswith("valeur numérique non admise"):
        return text + " (NaN et Infinity ne sont pas des nombres JSON)"
    return "nombre illisible ou démesuré"


def read_dossier(name: str, limit: int = MAX_DOSSIER_BYTES) -> dict:
    """The dossier in file `name` ('-' for stdin), read without ever loading more than `limit`."""
    where = "L'entrée standard" if name == "-" else f"« {printable(name)} »"
    stream = open_input(name)
    try:
        data = read_bounded(stream, where, limit)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return parse_dossier(decode_text(data, where), where)


# --- streaming lines in constant memory --------------------------------------------------


@dataclass(frozen=True)
class Line:
    number: int
    data: bytes | None  # None: longer than the limit, skipped unread
    quotes: int  # count of '"' bytes, kept even for skipped lines (CSV records span lines)


def bounded_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """Physical lines without their end; an over-long line is skipped chunk by chunk."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if number == 1:
            raw = raw.removeprefix(_BOM)
        if raw.endswith(b"\n") or len(raw) <= limit:
            body = raw.rstrip(b"\r\n")
            yield Line(number, body, body.count(b'"'))
        else:
            yield Line(number, None, raw.count(b'"') + _skip_rest(stream))


def _skip_rest(stream: BinaryIO) -> int:
    quotes = 0
    while True:
        chunk = stream.readline(_CHUNK)
        quotes += chunk.count(b'"')
        if not chunk or chunk.endswith(b"\n"):
            return quotes


@dataclass(frozen=True)
class Entry:
    """One dossier of a batch, or why its line could not be read."""

    line: int
    data: dict | None
    error: str | None = None


def too_long(limit: int) -> str:
    return f"ligne trop longue (plus de {_size_mb(limit)}), ignorée sans être lue"


def jsonl_entries(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[Entry]:
    """JSON Lines: one dossier per line; blank lines are ignored."""
    for line in bounded_lines(stream, limit):
        where = f"Ligne {line.number}"
        if line.data is None:
            yield Entry(line.number, None, f"{where} : {too_long(limit)}.")
            continue
        if not line.data.strip():
            continue
        try:
            entry = Entry(line.number, parse_dossier(decode_text(line.data, where), where, one_line=True))
        except InputError as exc:
            entry = Entry(line.number, None, str(exc))
        yield entry


# --- CSV: a header of dotted field paths, cells typed by the call's schema ---------------

# At most MAX_INTEGER_DIGITS before the point, as for JSON; a longer cell stays text.
_INTEGER = re.compile(r"[+-]?\d{1,%d}" % MAX_INTEGER_DIGITS)
_NUMBER = re.compile(r"[+-]?\d{1,%d}(?:[.,]\d{1,30})?" % MAX_INTEGER_DIGITS)
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_BOOLEANS = {
    "oui": True,
    "true": True,
    "vrai": True,
    "1": True,
    "non": False,
    "false": False,
    "faux": False,
    "0": False,
}
_DELIMITERS = (",", ";", "\t")


def field_types(schema_name: str, dotted: str) -> frozenset[str]:
    """JSON types the call's schema allows at a dotted path (digits index arrays), as the SchemaView
    reads it ($ref, allOf, anyOf, oneOf, then and else followed); empty where the schema says nothing."""
    node = schema_view(schema_name).node_at(dotted.split("."))
    return node.types if node is not None else frozenset()


def convert_cell(cell: str, types: frozenset[str]) -> Any:
    """A cell as the schema types it; what does not convert stays text, for the schema to flag."""
    text = cell.strip()
    compact = _SPACES.sub("", text)  # '12 500,50' as a French spreadsheet prints it
    if "integer" in types and _INTEGER.fullmatch(compact):
        return int(compact)
    if "number" in types and _NUMBER.fullmatch(compact):
        return Decimal(compact.replace(",", "."))
    if "boolean" in types and text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    return cell


@dataclass(frozen=True)
class _Record:
    line: int
    text: str | None
    error: str | None = None


def _csv_records(lines: Iterator[Line], limit: int) -> Iterator[_Record]:
    """Logical CSV records: a quoted field may run over several physical lines."""
    start, parts, size, quotes, broken = None, [], 0, 0, None
    for line in lines:
        start = line.number if start is None else start
        quotes += line.quotes
        size += len(line.data) + 1 if line.data is not None else limit + 1
        if size > limit:
            broken, parts = too_long(limit), []
        elif broken is None:
            parts.append(line.data)
        if quotes % 2:
            continue
        yield _decoded(start, parts, broken)
        start, parts, size, quotes, broken = None, [], 0, 0, None
    if start is not None:
        yield _Record(start, None, f"Ligne {start} : guillemet ouvert jamais refermé.")


def _decoded(start: int, parts: list[bytes], broken: str | None) -> _Record:
    where = f"Ligne {start}"
    if broken:
        return _Record(start, None, f"{where} : {broken}.")
    try:
        return _Record(start, decode_text(b"\n".join(parts), where))
    except InputError as exc:
        return _Record(start, None, str(exc))


@dataclass(frozen=True)
class CsvLayout:
    delimiter: str
    paths: list[list[str]]
    types: list[frozenset[str]]


def csv_layout(header: str, schema_name: str) -> CsvLayout:
    """The header row: dotted field paths, each once, none inside another."""
    delimiter = max(_DELIMITERS, key=header.count)
    names = [n.strip() for n in _cells(header, delimiter)]
    if not any(names):
        raise InputError("En-tête CSV vide : la première ligne doit nommer les champs (ex. applicant.kind).")
    if len(names) > MAX_COLUMNS:
        raise InputError(
            f"En-tête CSV : {number(len(names))} colonnes, plus que les {number(MAX_COLUMNS)} admises "
            "(un formulaire compte une centaine de champs)."
        )
    seen: set[str] = set()
    for index, name in enumerate(names, 1):
        if not name or any(not p for p in name.split(".")):
            raise InputError(f"En-tête CSV, colonne {index} : nom de champ vide ou mal formé (« {shown(name)} »).")
        if name.count(".") >= MAX_DEPTH:
            raise InputError(
                f"En-tête CSV, colonne {index} : chemin de plus de {MAX_DEPTH} niveaux (« {shown(name)} »)."
            )
        if name in seen:
            raise InputError(f"En-tête CSV : la colonne « {shown(name)} » apparaît deux fois.")
        seen.add(name)
    for name in names:
        parts = name.split(".")
        outer = next((".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in seen), None)
        if outer:
            raise InputError(f"En-tête CSV : « {shown(outer)} » et « {shown(name)} » désignent le même champ.")
    return CsvLayout(delimiter, [n.split(".") for n in names], [field_types(schema_name, n) for n in names])


def _cells(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True), [])
    except csv.Error:
        raise InputError("ligne CSV mal formée (guillemet mal placé ou champ démesuré)") from None


def csv_dossier(layout: CsvLayout, cells: list[str]) -> dict | None:
    """The nested dossier a row describes; None for a row of empty cells."""
    extra = cells[len(layout.paths) :]
    if any(c.strip() for c in extra):
        raise InputError(f"{len(cells)} valeurs pour {len(layout.paths)} colonnes")
    root: dict = {}
    for parts, types, cell in zip(layout.paths, layout.types, cells):
        if not cell.strip():
            continue  # an empty cell is an absent field
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = convert_cell(cell, types)
    return _as_lists(root) if root else None


def _as_lists(node: Any) -> Any:
    """Digit keys become list positions, in order; gaps (rows left empty) close up."""
    if not isinstance(node, dict):
        return node
    items = {key: _as_lists(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def csv_entries(stream: BinaryIO, schema_name: str, limit: int = MAX_LINE_BYTES) -> Iterator[Entry]:
    """CSV: the header names the fields, each following row is a dossier."""
    records = _csv_records(bounded_lines(stream, limit), limit)
    header = next(records, None)
    if header is None:
        raise InputError("Fichier CSV vide : la première ligne doit nommer les champs (ex. applicant.kind).")
    if header.error:
        raise InputError(f"En-tête CSV illisible. {header.error}")
    layout = csv_layout(header.text, schema_name)
    for record in records:
        if record.error:
            yield Entry(record.line, None, record.error)
            continue
        try:
            data = csv_dossier(layout, _cells(record.text, layout.delimiter))
        except InputError as exc:
            yield Entry(record.line, None, f"Ligne {record.line} : {exc}.")
            continue
        if data is not None:
            yield Entry(record.line, data)
