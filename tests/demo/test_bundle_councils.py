"""The demo's election bundle (``intikhab.demo.night.bundle_from``) on the real territory: every
council in it has the size the law gives its census population (:mod:`intikhab.law.territory`)
— communes (arts. 127, 128, 128 bis, 130 of organic law 59.11), each arrondissement's share of
its divided commune (art. 128, our approximation of decree 2.21.508), regions and their
constituencies (arts. 74, 76, 77) — and carries the territory's Arabic and French names."""

from __future__ import annotations

from typing import Any

import pytest

from intikhab.demo.night import bundle_from
from intikhab.demo.real import real_country
from intikhab.demo.stations import national_election
from intikhab.law.councils import Mode
from intikhab.law.territory import Commune, commune_seats, region_seats
from intikhab.services import territory
from intikhab.services.setup import validate

T = territory.load(2014)


def _seats(row: dict[str, Any], part: str | None = None, council: str | None = None) -> int:
    return sum(g["seats"] for g in row["groups"]
               if part in (None, g["part"]) and council in (None, g.get("council", "commune")))


def _check(bundle: dict[str, Any], whole: bool) -> None:
    """Every council of the bundle against the law; ``whole``: the bundle is the country."""
    rows, errors = validate(bundle)
    assert errors == []
    constituencies = {k["id"]: k for k in bundle["constituencies"]}
    by_council: dict[str, list[dict[str, Any]]] = {}
    for k in bundle["constituencies"]:
        by_council.setdefault(k["council"], []).append(k)
    communes = bundle["communes"]
    assert communes
    for row in communes:
        unit = T.unit(row["id"])
        assert isinstance(unit, Commune)
        law = commune_seats(T, row["id"])  # arts. 127, 128, 128 bis, 130
        assert (row["population"], row["council_seats"]) == (unit.population, law.seats)
        assert (row["name_ar"], row["name_fr"]) == (unit.name_ar, unit.name_fr)
        mine = by_council[row["id"]]
        if row["kind"] == "single_member":
            assert law.mode is Mode.SINGLE_MEMBER
            assert len(mine) == law.general_seats  # one district per member
            assert sum(k["attached_women_seat"] for k in mine) == law.seats - len(mine) == 5
        elif row["kind"] == "list":
            (k,) = mine
            assert (_seats(k), _seats(k, "women")) == (law.seats, law.women_seats)
        else:
            split = {f"{row['id']}/{p.code}": p for p in law.constituencies}
            if whole:
                assert set(split) == {k["id"] for k in mine}
            for k in mine:
                part = split[k["id"]]  # art. 128: the arrondissement's communal seats
                assert _seats(k, council="commune") == part.seats
                assert _seats(k, "women", "commune") == part.women_seats
    regions = {r["id"] for r in bundle["regions"]}
    for code in regions:
        law_r = region_seats(T, code)  # arts. 74, 76, 77
        parts = {f"{code}/{p.code}": p for p in law_r.constituencies}
        mine = [k for k in by_council[code] if k["vote"] == "regional"]
        if whole:
            assert set(parts) == {k["id"] for k in mine}
            assert sum(_seats(k) for k in mine) == law_r.seats
        for k in mine:
            p = parts[k["id"]]
            assert (_seats(k), _seats(k, "women")) == (p.seats, p.women_seats)
            assert constituencies[k["id"]]["name_fr"].startswith(T.unit(code).name_fr)
    assert len(rows["stations"]) == len(bundle["stations"])


def test_small_bundle_councils_agree_with_the_law() -> None:
    """A 5 % election (whole provinces): each council in it as the law sizes it."""
    _check(bundle_from(national_election(2021, 0.05)), whole=False)


@pytest.mark.slow
def test_full_bundle_councils_agree_with_the_law() -> None:
    """The whole country: all 1,503 communes, 12 regions and their 82 constituencies —
    Casablanca's eight prefectures of arrondissements each its own (art. 76 §2)."""
    bundle = bundle_from(national_election(2021, 1.0, country=real_country(2021)))
    assert len(bundle["communes"]) == len(T.communes) == 1_503
    assert len(bundle["regions"]) == 12
    assert sum(1 for k in bundle["constituencies"] if k["vote"] == "regional") == 82
    _check(bundle, whole=True)
    names = {p["id"]: p["name_fr"] for p in bundle["prefectures"]}
    assert names["06.141.01.00"] == "Casablanca-Anfa" and names["06.141"] == "Casablanca"
