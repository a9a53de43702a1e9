"""A synthetic election on the real territory (intikhab.demo.real): the same invariants as
tests/test_synthetic_stations.py, on real codes, populations and council sizes (organic law
59.11 as amended: arts. 74-77 regions, 127-130 communes)."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from test_synthetic_stations import _check_contest, _check_count

from intikhab.demo.country import Country
from intikhab.demo.real import CASABLANCA, labels, names, real_country
from intikhab.demo.stations import (
    OFFICE_MAX,
    OFFICE_MIN,
    SyntheticElection,
    national_election,
)
from intikhab.law.allocation import District
from intikhab.law.territory import commune_seats, region_seats
from intikhab.services import territory as service

# the real territory's demo built several times: in the full suite, not the fast set
pytestmark = pytest.mark.slow

SEED = 2021
CODE = re.compile(r"^(\d\d)-(\d\d\.\d{3}\.\d\d\.\d{1,2})-S\d{4}$")
OFFICE = re.compile(r"^(\d\d)-(\d\d\.\d{3}\.\d\d\.\d{1,2})-O\d{3}$")
T = service.load(2014)


@pytest.fixture(scope="module")
def country() -> Country:
    return real_country(SEED)


@pytest.fixture(scope="module")
def small(country: Country) -> SyntheticElection:
    return national_election(SEED, 0.02, country=country)


def test_real_codes_populations_and_council_sizes(country: Country) -> None:
    """Arts. 127-130: every commune keeps its HCP code, census population and council size."""
    assert [c.id for c in country.communes] == [c.code for c in T.communes]
    for c in country.communes:
        real = T.unit(c.id)
        assert c.population == real.population and c.region == real.code[:2]
        assert c.seats == commune_seats(T, c.id).seats
    counts = country.counts()
    assert counts["communes"] == 1_503 and counts["arrondissements"] == 41
    assert counts["divided_communes"] == 6 and counts["regional_seats"] == 678
    assert 17_500_000 <= counts["registered"] <= 18_500_000


def test_arts_74_77_regional_contests(country: Country) -> None:
    """Arts. 74, 76 §2, 77: each prefecture, province and prefecture of arrondissements is a
    regional constituency — Casablanca-Settat has 16, Casablanca's eight among them."""
    for r in country.regions:
        council = region_seats(T, r.id)
        assert r.seats == council.seats
        assert r.provinces == tuple(k.code for k in council.constituencies)
    regional = {c.id: c for c in country.contests if c.level == "regional"}
    assert len(regional) == 82
    assert sum(sum(g.seats for g in c.constituency.groups) for c in regional.values()) == 678
    casablanca = [p for p in country.regions[5].provinces if p.startswith(CASABLANCA + ".")]
    assert len(country.regions[5].provinces) == 16 and len(casablanca) == 8
    assert f"06/{CASABLANCA}" not in regional
    for k in region_seats(T, "06").constituencies:
        groups = regional[f"06/{k.code}"].constituency.groups
        assert [g.seats for g in groups] == [k.general_seats, k.women_seats]


def test_single_member_districts_inside_each_commune(country: Country) -> None:
    """Art. 128 bis §1: one district per member, five with an attached women's seat."""
    by_commune: Counter[str] = Counter()
    attached: Counter[str] = Counter()
    for c in country.contests:
        if isinstance(c.constituency, District):
            assert c.id.startswith(c.council + "/D")
            by_commune[c.council] += 1
            attached[c.council] += c.constituency.attached_women_seat
    for c in country.communes:
        if c.kind == "single_member":
            assert by_commune[c.id] == c.districts and attached[c.id] == 5
            assert c.seats == c.districts + 5


def _check_offices(election: SyntheticElection) -> None:
    """8-15 stations of one commune per central office; one arrondissement per office."""
    stations = Counter(s.central_office for s in election.stations)
    assert set(stations) == set(election.central_offices)
    assert all(OFFICE_MIN <= n <= OFFICE_MAX for n in stations.values())
    kind = {c.id: c.kind for c in election.country.communes}
    contests: dict[str, set[str]] = {}
    for s in election.stations:
        assert election.central_offices[s.central_office] == s.commune
        m = OFFICE.match(s.central_office)
        assert m is not None and m.group(2) == s.commune
        contests.setdefault(s.central_office, set()).add(s.communal_contest)
    for office, ids in contests.items():
        if kind[election.central_offices[office]] == "divided":
            assert len(ids) == 1


def test_small_election_invariants(small: SyntheticElection) -> None:
    assert 100 <= len(small.stations) <= 3_000
    for k in small.counts:
        _check_count(k)
    for contest in small.country.contests:
        _check_contest(small, contest)
    _check_offices(small)
    region = {c.id: c.region for c in small.country.communes}
    for s in small.stations:
        m = CODE.match(s.code)
        assert m is not None and m.group(2) == s.commune and m.group(1) == region[s.commune]


def test_deterministic_for_a_seed(small: SyntheticElection) -> None:
    assert national_election(SEED, 0.02) == small
    other = national_election(7, 0.02)
    assert [k.votes for k in other.counts[:50]] != [k.votes for k in small.counts[:50]]


def test_full_scale_is_fast_and_the_right_size(country: Country) -> None:
    started = time.perf_counter()
    full = national_election(SEED, 1.0, country=country)
    assert time.perf_counter() - started < 60  # about 3 s; a regression guard
    assert 36_000 <= len(full.stations) <= 44_000
    assert sum(s.registered for s in full.stations) == country.registered
    assert {s.communal_contest for s in full.stations} | {
        s.regional_contest for s in full.stations} == {c.id for c in country.contests}
    _check_offices(full)


def test_casablanca_stations_vote_in_their_prefecture_of_arrondissements(
        country: Country) -> None:
    """Art. 76 §2: a Casablanca station votes in its arrondissement's prefecture of
    arrondissements; every regional contest is the sum of its stations."""
    part = national_election(SEED, 0.2, country=country)
    stations = [s for s in part.stations if s.commune == "06.141.01.0"]
    if not stations:  # the seed's 20 % may leave Casablanca out: take the full country
        part = national_election(SEED, 1.0, country=country)
        stations = [s for s in part.stations if s.commune == "06.141.01.0"]
    for s in stations:
        arrondissement = T.unit(s.communal_contest.partition("/")[2])
        assert s.regional_contest == f"06/{arrondissement.prefecture}"  # type: ignore[union-attr]
    assert len({s.regional_contest for s in stations}) == 8
    mechouar = {s.regional_contest for s in part.stations if s.commune == "06.141.01.81"}
    assert mechouar == {"06/06.141.01.10"}
    for contest in part.country.contests:
        if contest.id.startswith("06/06.141."):
            _check_contest(part, contest)


def test_names_for_the_bundle() -> None:
    n = names()
    assert n["06.141.01.0"] == ("الدار البيضاء", "Casablanca")
    assert n["07"][1] == "Marrakech-Safi"


def test_contest_labels(country: Country) -> None:
    label = labels(country)
    assert label["06.141.01.0/06.141.01.01"] == ("الدار البيضاء — مقاطعة أنفا",
                                                 "Casablanca — arrondissement Anfa")
    district = next(c.id for c in country.contests if c.id.endswith("/D03"))
    commune = names()[district.partition("/")[0]]
    assert label[district] == (f"{commune[0]} — الدائرة 3", f"{commune[1]} — circonscription 3")
    assert label["07/07.351"][1].startswith("Marrakech-Safi — ")
    assert {c.id for c in country.contests} <= set(label)
