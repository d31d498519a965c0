"""Reading dossiers: every kind of bad input gets a French message, and nothing big is loaded whole."""

from __future__ import annotations

import io
import sys
import tracemalloc
from decimal import Decimal

import pytest

from checker.inputs import (
    MAX_DOSSIER_BYTES,
    InputError,
    bounded_lines,
    convert_cell,
    csv_entries,
    field_types,
    jsonl_entries,
    parse_dossier,
    read_dossier,
)

FITN7_SCHEMA = "fitn7-saone-et-loire.schema.json"


def write(tmp_path, content: bytes, name: str = "dossier.json") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def refused(name: str) -> str:
    with pytest.raises(InputError) as caught:
        read_dossier(name)
    return str(caught.value)


def test_a_dossier_is_read_with_exact_numbers(tmp_path):
    data = read_dossier(write(tmp_path, '{"budget": {"total": 12500.50, "n": 3}}'.encode()))
    assert data == {"budget": {"total": Decimal("12500.50"), "n": 3}}
    assert isinstance(data["budget"]["total"], Decimal)


def test_a_utf8_byte_order_mark_is_tolerated(tmp_path):
    assert read_dossier(write(tmp_path, b"\xef\xbb\xbf" + '{"nom": "Mâcon"}'.encode())) == {"nom": "Mâcon"}


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"a": 1,\n "b" 2}', "JSON mal formé, ligne 2, colonne 6 : un deux-points est attendu"),
        (b'{"a": 1', "JSON mal formé, ligne 1, colonne 8 : une virgule est attendue"),
        (b'{"a": }', "une valeur est attendue"),
        (b"{'a': 1}", "un nom de champ entre guillemets doubles est attendu"),
        (b'{"a": "texte}', "texte non terminé"),
        (b'{"a": 1} {"b": 2}', "contenu en trop"),
        (b"", "vide, aucun dossier"),
        (b"  \n\t ", "vide, aucun dossier"),
        (b"\x00\x01\x02\x03", "contenu binaire"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "contenu binaire"),
        ('{"nom": "Mâcon"}'.encode("latin-1"), "non encodé en UTF-8 (octet illisible en position 11)"),
        (b"[1, 2]", "doit être un objet JSON ({ … }), pas une liste"),
        (b'"texte"', "pas un texte"),
        (b"null", "pas la valeur null"),
        (b'{"a": NaN}', "valeur numérique non admise : NaN"),
        (b'{"a": -Infinity}', "valeur numérique non admise : -Infinity"),
        (b'{"a": 1e999999999}', "démesuré"),
        (b'{"b": [0, 123456789012345678901]}', "nombre démesuré en /b/1"),
        (b'{"a": ' + b"9" * 5000 + b"}", "nombre illisible ou démesuré"),
        (b"[" * 100000 + b"]" * 100000, "imbriqué trop profondément"),
        (b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}", "imbriqué trop profondément (plus de 64 niveaux"),
        (b'{"a": [' + b",".join([b"0"] * 100_001) + b"]}", "trop de données (plus de 100\u202f000 valeurs"),
    ],
)
def test_bad_content_is_refused_in_french(tmp_path, content, expected):
    message = refused(write(tmp_path, content))
    assert expected in message
    assert "dossier.json" in message


def test_the_largest_plausible_numbers_pass():
    # 20 digits before the point is the limit: the schema's own maximum judges these.
    data = parse_dossier('{"a": 99999999999999999999, "b": 1e19, "c": 0.000001}', "essai")
    assert data["a"] == 99999999999999999999 and data["b"] == Decimal("1e19")


def test_missing_file_and_directory(tmp_path):
    assert refused(str(tmp_path / "absent.json")) == f"Fichier introuvable : « {tmp_path / 'absent.json'} »."
    assert "est un dossier du disque, pas un fichier" in refused(str(tmp_path))


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("checker.inputs.open", forbidden, raising=False)
    assert (
        refused(write(tmp_path, b"{}")) == f"Lecture interdite : « {tmp_path / 'dossier.json'} » (droits insuffisants)."
    )


def test_a_50_mb_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "enorme.json"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    tracemalloc.start()
    message = refused(str(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "dépasse la taille maximale d'un dossier (5 Mo)" in message
    assert peak < 1024 * 1024


def test_a_file_just_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    body = b'{"a": "' + b"x" * (MAX_DOSSIER_BYTES - 10) + b'"}'
    at_limit = body + b" " * (MAX_DOSSIER_BYTES - len(body))
    assert len(read_dossier(write(tmp_path, at_limit))["a"]) == MAX_DOSSIER_BYTES - 10
    assert "taille maximale" in refused(write(tmp_path, at_limit + b" "))


def test_stdin_is_bounded_too(monkeypatch):
    stream = io.BytesIO(b" " * (MAX_DOSSIER_BYTES + 1))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    assert refused("-").startswith("L'entrée standard dépasse la taille maximale")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"a": 1}')))
    assert read_dossier("-") == {"a": 1}


# --- lines ---------------------------------------------------------------------------------


def test_lines_keep_their_numbers_and_an_overlong_one_is_skipped():
    stream = io.BytesIO(b"\xef\xbb\xbfun\r\n" + b"x" * 100 + b"\ntrois\n\nfin")
    lines = list(bounded_lines(stream, limit=10))
    assert [(line.number, line.data) for line in lines] == [(1, b"un"), (2, None), (3, b"trois"), (4, b""), (5, b"fin")]


def test_a_line_exactly_at_the_limit_is_kept():
    lines = list(bounded_lines(io.BytesIO(b"0123456789\n01234567890\n"), limit=10))
    assert [line.data for line in lines] == [b"0123456789", None]


def test_an_overlong_line_is_skipped_in_constant_memory():
    stream = io.BytesIO(b'{"a": "' + b"x" * (20 * 1024 * 1024) + b'"}\n{"b": 2}\n')
    tracemalloc.start()
    entries = list(jsonl_entries(stream, limit=64 * 1024))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert entries[0].data is None and "ligne trop longue" in entries[0].error and entries[0].line == 1
    assert entries[1].data == {"b": 2} and entries[1].line == 2
    assert peak < 1024 * 1024


def test_jsonl_reports_each_bad_line_and_goes_on():
    stream = io.BytesIO(b'{"a": 1}\n\n{"a": \n[1]\n\xff\n{"a": 2}')
    entries = list(jsonl_entries(stream))
    assert [(e.line, e.data) for e in entries] == [(1, {"a": 1}), (3, None), (4, None), (5, None), (6, {"a": 2})]
    assert entries[1].error == "Ligne 3 : JSON mal formé, colonne 7 : une valeur est attendue."
    assert "pas une liste" in entries[2].error and "UTF-8" in entries[3].error


# --- CSV -----------------------------------------------------------------------------------


def test_field_types_follow_the_schema_and_its_refs():
    assert field_types(FITN7_SCHEMA, "budget.expenses.0.amount") == {"number"}
    assert field_types(FITN7_SCHEMA, "applicant.population") == {"integer"}
    assert field_types(FITN7_SCHEMA, "applicant.kind") == {"string"}
    assert field_types(FITN7_SCHEMA, "eligibility.transformation_project") == {"boolean"}
    assert field_types(FITN7_SCHEMA, "no.such.field") == frozenset()


@pytest.mark.parametrize(
    "cell, types, expected",
    [
        ("12500.50", {"number"}, Decimal("12500.50")),
        ("12 500,50", {"number"}, Decimal("12500.50")),
        ("12\u202f500", {"number"}, Decimal("12500")),
        ("-3", {"number"}, Decimal("-3")),
        ("5400", {"integer"}, 5400),
        ("5400.5", {"integer"}, "5400.5"),
        ("1e3", {"number"}, "1e3"),
        ("NaN", {"number"}, "NaN"),
        ("Infinity", {"number"}, "Infinity"),
        ("9" * 21, {"number"}, "9" * 21),
        ("beaucoup", {"number"}, "beaucoup"),
        ("oui", {"boolean"}, True),
        ("Non", {"boolean"}, False),
        ("TRUE", {"boolean"}, True),
        ("0", {"boolean"}, False),
        ("1", {"boolean"}, True),
        ("peut-être", {"boolean"}, "peut-être"),
        ("71", {"string"}, "71"),
        ("0042", set(), "0042"),
    ],
)
def test_cells_are_converted_by_schema_type(cell, types, expected):
    value = convert_cell(cell, frozenset(types))
    assert value == expected and type(value) is type(expected)


def csv_rows(text: str, limit: int = 1024 * 1024):
    return list(csv_entries(io.BytesIO(text.encode("utf-8")), FITN7_SCHEMA, limit))


def test_csv_rows_become_nested_dossiers():
    rows = csv_rows(
        "applicant.kind;applicant.population;budget.expenses.0.amount;budget.expenses.1.amount;"
        "eligibility.transformation_project;project.summary\n"
        'commune;5 400;12 500,50;;oui;"Deux lignes\net des ""guillemets"""\n'
        ";;;;;\n"
        "epci;;;300;non;\n"
    )
    assert [r.line for r in rows] == [2, 5]
    assert rows[0].data == {
        "applicant": {"kind": "commune", "population": 5400},
        "budget": {"expenses": [{"amount": Decimal("12500.50")}]},
        "eligibility": {"transformation_project": True},
        "project": {"summary": 'Deux lignes\net des "guillemets"'},
    }
    # An empty first expense closes up: the list starts with the first one filled in.
    assert rows[1].data["budget"] == {"expenses": [{"amount": Decimal("300")}]}
    assert rows[1].data["eligibility"] == {"transformation_project": False}


def test_csv_delimiter_is_recognised_on_the_header():
    for sep in (",", ";", "\t"):
        rows = csv_rows(f"applicant.kind{sep}applicant.name\ncommune{sep}Tournus\n")
        assert rows[0].data == {"applicant": {"kind": "commune", "name": "Tournus"}}


@pytest.mark.parametrize(
    "header, expected",
    [
        ("", "Fichier CSV vide"),
        (",,\n", "En-tête CSV vide"),
        ("applicant.kind,applicant.kind\n", "« applicant.kind » apparaît deux fois"),
        ("applicant,applicant.kind\n", "« applicant » et « applicant.kind » désignent le même champ"),
        ("applicant..kind\n", "nom de champ vide ou mal formé"),
        ("applicant.kind,\n", "colonne 2 : nom de champ vide"),
        ('"applicant.kind\n', "En-tête CSV illisible"),
    ],
)
def test_a_bad_csv_header_makes_the_whole_input_unreadable(header, expected):
    with pytest.raises(InputError, match=expected):
        csv_rows(header)


def test_bad_csv_rows_are_reported_and_the_rest_is_read():
    rows = csv_rows(
        "applicant.kind,applicant.name\ncommune,A,surplus\ncommune,B,\n" + "x" * 50 + ",C\ncommune,D\n", limit=40
    )
    assert [(r.line, r.data is None) for r in rows] == [(2, True), (3, False), (4, True), (5, False)]
    assert rows[0].error == "Ligne 2 : 3 valeurs pour 2 colonnes."
    assert "ligne trop longue" in rows[2].error
    assert rows[3].data == {"applicant": {"kind": "commune", "name": "D"}}


def test_an_unclosed_quote_is_reported_once_at_the_end():
    rows = csv_rows('applicant.kind,applicant.name\ncommune,"jamais fermé\nsuite\n')
    assert len(rows) == 1 and rows[0].line == 2 and "guillemet ouvert jamais refermé" in rows[0].error
