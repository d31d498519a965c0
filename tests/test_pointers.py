"""JSON pointers read and write a dossier the way the report names its fields."""

from checker.pointers import lookup, parts, place


def test_pointers_decode_their_escapes():
    assert parts("/a~1b/c~0d/0") == ["a/b", "c~d", "0"]


def test_lookup_follows_objects_and_rows_and_gives_none_when_absent():
    dossier = {"budget": {"expenses": [{"amount": 10}]}}
    assert lookup(dossier, "/budget/expenses/0/amount") == 10
    assert lookup(dossier, "/budget/expenses/1/amount") is None and lookup(dossier, "/applicant/kind") is None


def test_place_creates_the_objects_on_the_way_and_copies_the_value():
    rows = [{"amount": 1}]
    dossier = place({}, "/budget/expenses", rows)
    rows.append({"amount": 2})
    assert dossier == {"budget": {"expenses": [{"amount": 1}]}}
    assert place(dossier, "/budget/expenses/0/amount", 5)["budget"]["expenses"][0] == {"amount": 5}
