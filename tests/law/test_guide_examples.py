"""Acceptance tests: the three worked allocations of the 2021 guide, chapter 10 (seeds/003).

Every figure below is copied from the guide's tables: the quotient, each list's whole quotas,
its remainder and its remainder seat, the totals per part and per list, and the ranks on the
list of the elected candidates.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from intikhab.formats.allocation_json import parse_constituency, parse_rules, result_to_json
from intikhab.law.allocation import AllocationStatus, ListConstituency, ListResult, allocate_lists

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# list id -> (by quotient, remainder, by remainder), per group, as printed in the guide
MARRAKECH = {
    "general": (18900, {
        "1": (1, 2600, 0), "2": (1, 1250, 0), "3": (0, 12100, 1), "4": (0, 18610, 1),
        "5": (0, 3200, 0), "6": (0, 17800, 1), "7": (1, 435, 0), "8": (0, 10600, 1),
        "9": (0, 8300, 0), "10": (0, 7050, 0), "11": (0, 11900, 1), "12": (0, 6020, 0),
        "13": (0, 9800, 1)}),
    "women": (34020, {
        "1": (0, 21500, 1), "2": (0, 20150, 1), "3": (0, 12100, 0), "4": (0, 18610, 1),
        "5": (0, 3200, 0), "6": (0, 17800, 1), "7": (0, 19335, 1), "8": (0, 10600, 0),
        "9": (0, 8300, 0), "10": (0, 7050, 0), "11": (0, 11900, 0), "12": (0, 6020, 0),
        "13": (0, 9800, 0)}),
}
MARRAKECH_TOTALS = {"1": 2, "2": 2, "3": 1, "4": 2, "5": 0, "6": 2, "7": 2, "8": 1, "9": 0,
                    "10": 0, "11": 1, "12": 0, "13": 1}

COMMUNE_35 = {
    "general": (11160, {
        "1": (5, 6730, 1), "2": (4, 6510, 0), "3": (3, 9520, 1), "4": (1, 5090, 0),
        "5": (1, 10040, 1), "6": (1, 8540, 1), "7": (1, 770, 0), "8": (2, 8130, 1)}),
    "women": (21390, {
        "1": (2, 19750, 1), "2": (2, 8370, 0), "3": (2, 220, 0), "4": (0, 16250, 1),
        "5": (0, 21200, 1), "6": (0, 19700, 1), "7": (0, 11930, 1), "8": (1, 9060, 0)}),
}
COMMUNE_35_TOTALS = {"1": 9, "2": 6, "3": 6, "4": 2, "5": 3, "6": 3, "7": 2, "8": 4}

_G = [6500, 5100, 7370, 3690, 4490, 3250, 2800, 2070, 2260, 3810, 1790, 3120, 1290, 900]


def _rows(quotient: int, quotas: dict[int, int], won: set[int]) -> dict[str, tuple[int, int, int]]:
    return {str(i): (quotas.get(i, 0), v - quotas.get(i, 0) * quotient, int(i in won))
            for i, v in enumerate(_G, 1)}


GUELIZ = {
    "general/commune": (4095, _rows(4095, {1: 1, 2: 1, 3: 1, 5: 1}, {10, 4, 3, 6, 12, 7, 1, 9})),
    "general/arrondissement": (3780, _rows(3780, {1: 1, 2: 1, 3: 1, 5: 1, 10: 1},
                                           {4, 3, 6, 12, 7, 1, 9, 8})),
    "women/commune": (8190, _rows(8190, {}, {3, 1, 2, 5, 10, 4})),
    "women/arrondissement": (7020, _rows(7020, {3: 1}, {1, 2, 5, 10, 4, 6})),
}
GUELIZ_TOTALS = {"1": 6, "2": 4, "3": 6, "4": 4, "5": 4, "6": 3, "7": 2, "8": 1, "9": 2,
                 "10": 4, "11": 0, "12": 2, "13": 0, "14": 0}


def _run(name: str) -> tuple[ListResult, dict[str, object]]:
    doc = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    constituency = parse_constituency(doc)
    assert isinstance(constituency, ListConstituency)
    result = allocate_lists(constituency, parse_rules(doc))
    assert result.status is AllocationStatus.DECLARED
    return result, result_to_json(result, constituency)


@pytest.mark.parametrize(
    ("name", "expected", "totals"),
    [("marrakech-regional", MARRAKECH, MARRAKECH_TOTALS),
     ("commune-35", COMMUNE_35, COMMUNE_35_TOTALS),
     ("gueliz", GUELIZ, GUELIZ_TOTALS)],
)
def test_every_table_of_the_guide(
    name: str, expected: dict[str, tuple[int, dict[str, tuple[int, int, int]]]],
    totals: dict[str, int],
) -> None:
    result, as_json = _run(name)
    assert [g.label for g in result.groups] == list(expected)
    for group, (quotient, rows) in zip(result.groups, expected.values(), strict=True):
        assert group.quotient == quotient
        got = {ln.id: (ln.by_quotient, ln.remainder, ln.by_remainder) for ln in group.lines}
        assert got == {k: (q, Fraction(r), s) for k, (q, r, s) in rows.items()}
        assert sum(ln.seats for ln in group.lines) == group.seats
        assert group.ties == ()
    assert result.totals == totals
    assert as_json["totals"] == totals


def test_guide_quotients_are_exact_integers_in_json() -> None:
    _, as_json = _run("marrakech-regional")
    groups = as_json["groups"]
    assert isinstance(groups, list)
    assert [g["quotient"] for g in groups] == ["18900", "34020"]
    assert groups[0]["lists"][0]["remainder"] == "2600"


def _ranks(result: ListResult) -> dict[str, dict[str, list[int]]]:
    out: dict[str, dict[str, list[int]]] = {}
    for g in result.groups:
        for ln in g.lines:
            if ln.elected_ranks:
                out.setdefault(g.label, {})[ln.id] = list(ln.elected_ranks)
    return out


def test_marrakech_elected_positions() -> None:
    """Part 1 seats go to rank 1; the women's seats to rank 10 (the first of part 2)."""
    ranks = _ranks(_run("marrakech-regional")[0])
    assert ranks["general"] == {k: [1] for k in ("3", "4", "6", "8", "11", "13", "1", "2", "7")}
    assert ranks["women"] == {k: [10] for k in ("1", "2", "4", "6", "7")}


def test_commune_35_elected_positions() -> None:
    """Part 1 is ranks 1–23 and part 2 ranks 24–35 (the guide's final table)."""
    ranks = _ranks(_run("commune-35")[0])
    assert ranks["general"]["1"] == [1, 2, 3, 4, 5, 6]
    assert ranks["general"]["8"] == [1, 2, 3]
    assert ranks["women"]["1"] == [24, 25, 26]
    assert ranks["women"]["7"] == [24]


def test_gueliz_arrondissement_councillors_follow_the_last_communal_one() -> None:
    """Art. 141 §1 item 2: a list's arrondissement councillors start at the candidate after its
    last elected communal councillor, in each part."""
    ranks = _ranks(_run("gueliz")[0])
    assert ranks["general/commune"]["1"] == [1, 2]
    assert ranks["general/arrondissement"]["1"] == [3, 4]
    assert ranks["general/arrondissement"]["8"] == [1]   # no communal seat: starts at the top
    assert ranks["women/commune"]["3"] == [26]
    assert ranks["women/arrondissement"]["3"] == [27]
    assert ranks["women/arrondissement"]["6"] == [26]
    # the guide's summary: lists 1 and 3 have three communal councillors each
    communal = {k: 0 for k in GUELIZ_TOTALS}
    for g in _run("gueliz")[0].groups:
        if g.council is not None and g.council.value == "commune":
            for ln in g.lines:
                communal[ln.id] += ln.seats
    assert communal["1"] == communal["3"] == 3
    assert communal["8"] == 0
