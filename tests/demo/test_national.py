"""The synthetic election's country on the real territory and the one-call national allocation
(``intikhab.demo.real``, ``intikhab.law.national``): council sizes of arts. 74, 76, 77 (regions)
and 127, 128, 128 bis (communes) of organic law 59.11."""

from __future__ import annotations

import math

import pytest

from intikhab.demo.country import Country
from intikhab.demo.real import real_country
from intikhab.law.allocation import (
    AllocationStatus,
    Council,
    District,
    DistrictResult,
    ListConstituency,
    ListResult,
    Part,
    SeatGroup,
    Sex,
)
from intikhab.law.national import (
    Contest,
    NationalResult,
    allocate_country,
    contest_seats,
    party_of,
)
from intikhab.law.territory import commune_seats, region_seats
from intikhab.services.territory import load

pytestmark = pytest.mark.slow  # the whole synthetic country, allocated

T = load(2014)
REGIONAL_SEATS = 678


@pytest.fixture(scope="module")
def country() -> Country:
    return real_country()


@pytest.fixture(scope="module")
def national(country: Country) -> NationalResult:
    return allocate_country(country.contests)


# --- the dataset ---------------------------------------------------------------------------


def test_same_seed_same_dataset(country: Country) -> None:
    again = real_country(2021)
    assert again == country
    assert again.counts() == country.counts()


def test_other_seed_other_dataset(country: Country) -> None:
    other = real_country(7)
    assert other != country
    assert other.parties != country.parties
    assert [c.constituency for c in other.contests[:50]] != [
        c.constituency for c in country.contests[:50]
    ]
    # the seat totals do not depend on the seed
    assert other.seats("regional") == country.seats("regional") == REGIONAL_SEATS
    assert other.seats("communal") == country.seats("communal")


def test_exact_seat_totals(country: Country) -> None:
    """Arts. 74 and 127-128 bis: the contests' seats are the councils' sizes (plus the
    synthetic arrondissement-council seats of the divided communes)."""
    assert country.seats("regional") == REGIONAL_SEATS == 678
    assert sum(r.seats for r in country.regions) == 678
    councils = sum(commune_seats(T, c.code).seats for c in T.communes)
    assert sum(c.seats for c in country.communes) == councils
    assert country.seats("communal") == councils + sum(
        c.arrondissement_seats for c in country.communes)


def test_approximate_counts(country: Country) -> None:
    n = country.counts()
    assert n["parties"] == 30
    assert n["regions"] == 12
    assert n["regional_constituencies"] == 82  # 75 + Casablanca's 8 instead of one
    assert n["communes"] == 1_503
    assert n["single_member_communes"] == 1_422 and n["list_communes"] == 75
    assert n["divided_communes"] == 6
    assert n["districts"] == sum(commune_seats(T, c.code).general_seats or 0
                                 for c in T.communes if c.code in {
                                     x.id for x in country.communes if x.districts})
    assert n["attached_women_seats"] == 5 * n["single_member_communes"]
    assert 17_000_000 <= n["registered"] <= 19_000_000
    assert n["contests"] == n["districts"] + n["list_constituencies"]
    voters = sum(c.constituency.voters for c in country.contests if c.level == "communal")
    assert 0.40 <= voters / n["registered"] <= 0.60


def test_regional_figures_are_the_sums_of_the_communes(country: Country) -> None:
    """Both votes come from the same voters: a regional constituency's registered voters are
    its communes', and its voters those of its communes' communal contests (the polling
    stations of ``national_election`` split both the same way)."""
    registered: dict[str, int] = {}
    voters: dict[str, int] = {}
    commune = {c.id: c for c in country.communes}
    index: dict[str, int] = {}
    for contest in country.contests:
        if contest.level == "communal":
            c = commune[contest.council]
            p = c.regional_constituency(index.get(c.id, 0))
            index[c.id] = index.get(c.id, 0) + 1
            k = contest.constituency
            voters[p] = voters.get(p, 0) + k.voters
            registered[p] = registered.get(p, 0) + k.registered
    regional = {c.id.partition("/")[2]: c.constituency for c in country.contests
                if c.level == "regional"}
    assert set(regional) == set(registered)
    for p, k in regional.items():
        assert (k.registered, k.voters) == (registered[p], voters[p])
    assert sum(registered.values()) == country.registered


def test_parties_are_skewed_and_invented(country: Country) -> None:
    strengths = sorted((p.strength for p in country.parties), reverse=True)
    assert 0.10 <= strengths[0] <= 0.25
    assert sum(1 for s in strengths if s >= 0.08) >= 3
    assert sum(1 for s in strengths if s < 0.01) >= 10
    assert math.isclose(sum(strengths), 1.0, abs_tol=1e-4)
    ids = [p.id for p in country.parties]
    assert ids == [f"P{i:02d}" for i in range(1, 31)]
    assert len({p.name_fr for p in country.parties}) == 30
    assert all(p.name_ar.startswith("حزب ") for p in country.parties)


def _check_list(c: ListConstituency) -> None:
    assert 0 < c.voters <= c.registered
    assert 0 <= c.void <= c.voters
    assert sum(lst.votes for lst in c.lists) + c.void <= c.voters
    assert all(g.seats > 0 for g in c.groups)
    assert len({lst.id for lst in c.lists}) == len(c.lists)
    need = {part: sum(g.seats for g in c.groups if g.part is part) for part in Part}
    for lst in c.lists:
        assert lst.general is not None and lst.women is not None
        assert len(lst.general) >= need[Part.GENERAL]
        assert len(lst.women) >= need[Part.WOMEN]
        assert all(w.sex is Sex.F for w in lst.women)
        assert all(cand.birth_date is not None and cand.name for cand in lst.general + lst.women)


def _check_district(d: District) -> None:
    assert 0 < d.voters <= d.registered
    assert 0 <= d.void <= d.voters
    assert sum(c.votes for c in d.candidates) + d.void <= d.voters
    assert 2 <= len(d.candidates) <= 8
    assert len({c.id for c in d.candidates}) == len(d.candidates)
    assert len({party_of(c.id) for c in d.candidates}) == len(d.candidates)
    for cand in d.candidates:
        assert cand.birth_date is not None
        if d.attached_women_seat:
            assert cand.attached_woman is not None and cand.attached_woman.sex is Sex.F
        else:
            assert cand.attached_woman is None


def test_every_constituency_is_well_formed(country: Country) -> None:
    for contest in country.contests:
        assert contest.level in ("communal", "regional")
        c = contest.constituency
        if isinstance(c, District):
            assert contest.rules.name == "communal-2021"
            _check_district(c)
        else:
            _check_list(c)
            if contest.level == "regional":
                assert contest.rules.name == "regional-2021"
                assert [g.part for g in c.groups] == [Part.GENERAL, Part.WOMEN]
                code = contest.id.partition("/")[2]
                law = {k.code: k for k in region_seats(T, contest.council).constituencies}
                assert [g.seats for g in c.groups] == [law[code].general_seats,
                                                       law[code].women_seats]
                assert 4 <= len(c.lists) <= 15
            else:
                assert contest.rules.name == "communal-2021"
                assert 4 <= len(c.lists) <= 15


def test_list_communes_and_arrondissements_have_their_women_seats(country: Country) -> None:
    shapes = {"list": 0, "arrondissement": 0}
    for contest in country.contests:
        c = contest.constituency
        if contest.level != "communal" or isinstance(c, District):
            continue
        if len(c.groups) == 2:
            shapes["list"] += 1
            general, women = (g.seats for g in c.groups)
            law = commune_seats(T, contest.council)  # arts. 127, 128 bis §2
            assert (general, general + women) == (law.general_seats, law.seats)
            assert women == -(-(general + women) // 3)
        else:
            shapes["arrondissement"] += 1
            gc, ga, wc, wa = c.groups
            assert [(g.part, g.council) for g in c.groups] == [
                (Part.GENERAL, Council.COMMUNE), (Part.GENERAL, Council.ARRONDISSEMENT),
                (Part.WOMEN, Council.COMMUNE), (Part.WOMEN, Council.ARRONDISSEMENT),
            ]
            communal, own = gc.seats + wc.seats, ga.seats + wa.seats
            assert wc.seats == max(-(-communal // 3), 3)
            assert wa.seats == -(-own // 3)
    n = country.counts()
    assert shapes == {"list": n["list_communes"], "arrondissement": n["arrondissements"]}


def test_attached_seats_go_to_the_five_largest_districts(country: Country) -> None:
    by_commune: dict[str, list[District]] = {}
    for contest in country.contests:
        if isinstance(contest.constituency, District):
            by_commune.setdefault(contest.council, []).append(contest.constituency)
    sizes = {c.id: c.districts for c in country.communes if c.kind == "single_member"}
    assert {k: len(v) for k, v in by_commune.items()} == sizes
    for districts in by_commune.values():
        assert len(districts) in (11, 13, 15, 23, 25)  # art. 127
        attached = [d for d in districts if d.attached_women_seat]
        assert len(attached) == 5
        smallest_attached = min(d.registered for d in attached)
        assert all(d.registered <= smallest_attached for d in districts
                   if not d.attached_women_seat)


# --- the national allocation ---------------------------------------------------------------


def test_every_contest_is_declared_and_filled(country: Country, national: NationalResult) -> None:
    assert len(national.results) == len(country.contests)
    assert national.status_counts == {"declared": len(country.contests)}
    for contest, result in zip(country.contests, national.results, strict=True):
        assert result.status is AllocationStatus.DECLARED
        if isinstance(result, DistrictResult):
            d = contest.constituency
            assert isinstance(d, District)
            assert result.winner is not None
            assert len(result.elected) == contest_seats(contest)
        else:
            assert isinstance(result, ListResult)
            assert all(g.unfilled == 0 for g in result.groups)
            assert sum(result.totals.values()) == contest_seats(contest)
            for g in result.groups:
                assert sum(len(line.elected) for line in g.lines) == g.seats


def test_country_totals_per_level(country: Country, national: NationalResult) -> None:
    assert set(national.seats) == {"regional", "communal"}
    assert national.total("regional") == country.seats("regional") == 678
    assert national.total("communal") == country.seats("communal")
    assert national.total() == 678 + country.seats("communal")
    party_ids = {p.id for p in country.parties}
    for by_party in national.seats.values():
        assert set(by_party) <= party_ids
        assert all(s > 0 for s in by_party.values())


def test_country_result_is_reproducible(country: Country, national: NationalResult) -> None:
    assert allocate_country(country.contests).seats == national.seats


# --- small hand-made contests --------------------------------------------------------------


def test_allocate_country_on_hand_made_contests() -> None:
    from datetime import date

    from intikhab.law.allocation import Candidate, CandidateList, DistrictCandidate
    from intikhab.law.rulesets import get_rules

    woman = Candidate("Amina", date(1990, 1, 1), Sex.F)
    district = District(1000, 500, 10, (
        DistrictCandidate("P01:1", "A", 300, date(1970, 1, 1), woman),
        DistrictCandidate("P02:2", "B", 190, date(1980, 1, 1), woman),
    ), attached_women_seat=True, id="d1")
    lists = ListConstituency(1000, 600, 0, (SeatGroup(Part.GENERAL, 3),), (
        CandidateList("P02", 400), CandidateList("P03", 200),
    ))
    rerun = District(1000, 100, 0, (DistrictCandidate("P04:3", "C", 100),), id="d2")
    contests = [
        Contest("d1", "communal", "C1", get_rules("communal-2021"), district),
        Contest("l1", "regional", "R1", get_rules("regional-2021"), lists),
        Contest("d2", "communal", "C2", get_rules("communal-2021"), rerun),
    ]
    result = allocate_country(contests)
    assert result.seats == {"communal": {"P01": 2}, "regional": {"P02": 2, "P03": 1}}
    assert result.status_counts == {"declared": 2, "rerun_required": 1}
    assert [contest_seats(c) for c in contests] == [2, 3, 1]
    assert party_of("P07:c123") == "P07" and party_of("SAP") == "SAP"
