"""Every council as it sits (art. 128 and art. 141 §1 item 2 of law 59.11 as amended): a
divided commune's council counts only its members elected in its arrondissements, each
arrondissement council its communal members and its own councillors; the seat groups in the
lawful order; loading an election checks each commune council against the law (art. 127, 128,
128 bis, 130).  On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from _night import run
from conftest import small_bundle
from sqlalchemy.orm import Session, sessionmaker

from intikhab.formats.allocation_json import parse_constituency
from intikhab.formats.declared import result_rows
from intikhab.formats.rows import ImportRejected
from intikhab.law.errors import InputError
from intikhab.services import council_results, portal, transfer
from intikhab.services.setup import load_bundle, validate

Sessions_ = sessionmaker[Session]

GROUPS = [{"part": "general", "council": "commune", "seats": 4},
          {"part": "general", "council": "arrondissement", "seats": 4},
          {"part": "women", "council": "commune", "seats": 3},
          {"part": "women", "council": "arrondissement", "seats": 2}]


def divided_bundle(groups: list[dict[str, Any]] | None = None,
                   fragment: bool = True) -> dict[str, Any]:
    """The small bundle plus a divided commune DV (800,000 inhabitants: 81 members, art. 128)
    of which one arrondissement DV/A1 is given: 7 communal seats (4 + 3 women) and 6
    arrondissement seats (4 + 2 women, art. 128 bis)."""
    b = small_bundle()
    b["election"]["fragment"] = fragment
    b["communes"].append({"id": "DV", "region": "R1", "prefecture": "K1", "name": "Divided",
                          "kind": "divided", "population": 800_000, "council_seats": 81})
    b["constituencies"].append({"id": "DV/A1", "vote": "communal", "kind": "list",
                                "council": "DV", "name": "Arrondissement 1",
                                "groups": copy.deepcopy(groups or GROUPS)})
    b["central_offices"].append({"id": "DV-O1", "commune": "DV"})
    b["stations"] += [{"id": f"DV-S{i}", "central_office": "DV-O1", "communal": "DV/A1",
                       "regional": "K1", "registered": 900} for i in (1, 2)]
    for r, p in enumerate(("PA", "PB", "PC"), 1):
        b["candidacies"].append({
            "constituency": "DV/A1", "code": p, "party": p, "name": p, "rank": r,
            "candidates": {
                "general": [{"name": f"{p}-g{i}", "birth_date": f"196{i}-01-0{r}", "sex": "M"}
                            for i in range(8)],
                "women": [{"name": f"{p}-w{i}", "birth_date": f"197{i}-01-0{r}", "sex": "F"}
                          for i in range(5)]}})
    return b


@pytest.fixture
def divided(Sessions: Sessions_) -> Sessions_:
    return run(Sessions, divided_bundle())


def test_divided_commune_council_counts_only_its_members_art_128(divided: Sessions_) -> None:
    with divided() as s:
        commune = council_results.council_result(s, "DV", "communal")
        arr = council_results.council_result(s, "DV/A1", "communal")
        national = council_results.national_result(s, "communal")
        arr_national = council_results.arrondissement_councils_result(s)
        c1 = council_results.council_result(s, "C1", "communal")
        c2 = council_results.council_result(s, "C2", "communal")
    assert (commune.kind, commune.seats, commune.declared) == ("commune_council", 7, 1)
    assert sum(p.seats for p in commune.parties) == 7  # not 13: no arrondissement councillor
    assert sum(len(p.elected) for p in commune.parties) == 7
    assert (arr.kind, arr.seats) == ("arrondissement_council", 13)  # 7 communal + 6 own
    assert sum(p.seats for p in arr.parties) == 13
    assert set(arr.parties[0].elected) >= set(commune.parties[0].elected)
    assert national.kind == "commune_councils"
    assert national.seats == c1.seats + c2.seats + 7
    assert sum(p.seats for p in national.parties) == national.seats
    assert (arr_national.kind, arr_national.seats, arr_national.constituencies) == (
        "arrondissement_councils", 13, 1)


def test_arrondissement_council_in_exports_and_portal_art_141(divided: Sessions_) -> None:
    with divided() as s:
        doc = transfer.export_results_json(s)
        rows = transfer.results_rows(s)
        place = portal.place(s, "DV/A1")
        view = portal.council(s, "DV/A1")
        kinds = portal.national_councils(s)
        nist = transfer.export_nist(s)
    assert doc["national"]["arrondissement_councils"]["seats"] == 13
    assert doc["national"]["communal"]["kind"] == "commune_councils"
    a1 = next(c for c in doc["constituencies"] if c["id"] == "DV/A1")
    assert (a1["seats"], a1["commune_seats"]) == (13, 7)
    mine = [r for r in rows if r["constituency"] == "DV/A1"]
    assert sum(r["commune_seats"] for r in mine) == 7 and sum(r["seats"] for r in mine) == 13
    assert place is not None and (place.kind, place.commune_id) == ("arrondissement_council", "DV")
    assert view is not None and view.summary.seats == 13
    assert kinds["arrondissement_councils"].seats == 13
    assert kinds["commune_councils"].seats == doc["national"]["communal"]["seats"]
    assert "commune-council-seats" in str(nist)
    assert result_rows([], {}) == []


def test_seat_groups_in_another_order_are_an_error_art_141(Sessions: Sessions_) -> None:
    wrong = [GROUPS[1], GROUPS[0], GROUPS[2], GROUPS[3]]
    with pytest.raises(InputError) as err:
        parse_constituency({"kind": "list", "rules": "communal-2021", "registered": 10,
                            "voters": 5, "void": 0, "groups": wrong,
                            "lists": [{"id": "A", "votes": 5}]})
    assert (err.value.code, err.value.field) == ("E-ALLOC-021", "groups[1]")
    _rows, errors = validate(divided_bundle(wrong))
    assert [(e.table, e.field, e.code) for e in errors] == [
        ("constituencies", "groups[1]", "E-ALLOC-021")]
    women_first = [GROUPS[2], GROUPS[0], GROUPS[3], GROUPS[1]]  # parts apart: each part lawful
    assert validate(divided_bundle(women_first))[1] == []


def codes(bundle: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    return [(e.table, e.row, e.field, e.code) for e in validate(bundle)[1]]


def test_loading_checks_council_sizes_art_127_128() -> None:
    b = small_bundle()
    b["communes"][0]["council_seats"] = 29
    assert codes(b) == [("communes", 1, "council_seats", "E-SETUP-001")]
    b = divided_bundle()
    b["communes"][2]["council_seats"] = 91  # 800,000 inhabitants: 81
    assert codes(b) == [("communes", 3, "council_seats", "E-SETUP-001")]
    b = small_bundle()
    b["communes"][1]["kind"] = "list"  # 9,000 inhabitants: single-member districts (art. 130)
    assert codes(b) == [("communes", 2, "council_seats", "E-SETUP-001")]


def test_loading_checks_the_womens_part_art_128_bis() -> None:
    b = small_bundle()
    b["constituencies"][1]["groups"] = [{"part": "general", "seats": 21},
                                        {"part": "women", "seats": 10}]
    assert codes(b) == [("constituencies", 2, "groups.women", "E-SETUP-002")]
    groups = copy.deepcopy(GROUPS)
    groups[3]["seats"], groups[1]["seats"] = 1, 5
    assert codes(divided_bundle(groups)) == [
        ("constituencies", 5, "groups.women.arrondissement", "E-SETUP-002")]


def test_loading_checks_the_attached_seats_art_128_bis() -> None:
    b = small_bundle()
    b["stations"][-1]["registered"] = 400  # D2 now has fewer voters: D1 keeps its seat
    assert codes(b) == []
    b["stations"][-1]["registered"] = 800  # D2 has more voters than D1, and no attached seat
    assert codes(b) == [("communes", 2, "constituencies.attached_women_seat", "E-SETUP-003")]
    b = small_bundle()
    b["candidacies"][-4]["candidates"]["attached_woman"] = None  # PA in D1
    assert codes(b) == [("candidacies", 7, "candidates.attached_woman", "E-SETUP-004")]


def test_loading_checks_the_whole_council_art_127_130() -> None:
    b = small_bundle()
    del b["election"]["fragment"]  # two of C2's thirteen districts are not a council
    assert ("communes", 2, "council_seats", "E-SETUP-005") in codes(b)
    assert ("communes", 3, "council_seats", "E-SETUP-005") in codes(
        divided_bundle(fragment=False))  # 7 of its 81 members


def test_a_contradiction_rejects_the_import(Sessions: Sessions_) -> None:
    b = small_bundle()
    b["communes"][0]["council_seats"] = 29
    with Sessions.begin() as s, pytest.raises(ImportRejected) as err:
        load_bundle(s, b)
    assert [e.code for e in err.value.errors] == ["E-SETUP-001"]
