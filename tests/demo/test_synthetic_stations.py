"""Polling stations and their minutes for the synthetic election on the real territory
(``intikhab.demo.stations.national_election``): consistent with the constituencies, exactly;
each station votes in its regional constituency (art. 76 §2 of organic law 59.11)."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict

import pytest

from intikhab.demo.country import DIVIDED, Country
from intikhab.demo.real import real_country
from intikhab.demo.stations import (
    OFFICE_MAX,
    OFFICE_MIN,
    SyntheticElection,
    national_election,
)
from intikhab.law.allocation import District
from intikhab.law.national import Contest, contest_seats
from intikhab.records.minutes import Minute

pytestmark = pytest.mark.slow  # the synthetic country's stations, up to full scale

SEED = 2021
SMALL = 0.01
CODE = re.compile(r"^(\d\d)-(\d\d\.\d{3}\.\d\d\.\d{1,2})-S\d{4}$")
OFFICE = re.compile(r"^(\d\d)-(\d\d\.\d{3}\.\d\d\.\d{1,2})-O\d{3}$")


@pytest.fixture(scope="module")
def country() -> Country:
    return real_country(SEED)


@pytest.fixture(scope="module")
def small(country: Country) -> SyntheticElection:
    return national_election(SEED, SMALL, country=country)


def _ids(contest: Contest) -> list[str]:
    k = contest.constituency
    return sorted(x.id for x in (k.candidates if isinstance(k, District) else k.lists))


def _check_count(k: Minute) -> None:
    """The arithmetic of one minute."""
    valid = sum(v for _, v in k.votes)
    assert k.ballots == valid + k.void + k.illegal
    assert 0 <= k.signed <= k.registered
    assert abs(k.ballots - k.signed) <= 1
    assert k.illegal in (0, 1)
    if k.illegal:
        assert k.ballots == k.signed + 1
    assert 0 <= k.contested <= valid
    assert k.void >= 0 and all(v >= 0 for _, v in k.votes)
    assert [i for i, _ in k.votes] == sorted(i for i, _ in k.votes)
    assert k.valid == valid


def _check_contest(election: SyntheticElection, contest: Contest) -> None:
    """The contest's minutes add up to its figures exactly."""
    counts = election.counts_for(contest.id)
    assert counts, contest.id
    assert {k.vote for k in counts} == {contest.level}
    k = contest.constituency
    assert sum(c.registered for c in counts) == k.registered
    assert sum(c.signed for c in counts) == k.voters
    assert sum(c.void for c in counts) == k.void
    # ballots moved between two stations of a contest cancel out
    assert sum(c.ballots - c.signed - c.illegal for c in counts) == 0
    ids = _ids(contest)
    totals: dict[str, int] = defaultdict(int)
    for c in counts:
        assert [i for i, _ in c.votes] == ids  # every list/candidate, zeros included
        for i, v in c.votes:
            totals[i] += v
    expected = {x.id: x.votes for x in (k.candidates if isinstance(k, District) else k.lists)}
    assert dict(totals) == expected


def _check_offices(election: SyntheticElection) -> None:
    stations = Counter(s.central_office for s in election.stations)
    assert set(stations) == set(election.central_offices)
    assert all(OFFICE_MIN <= n <= OFFICE_MAX for n in stations.values())
    kind = {c.id: c.kind for c in election.country.communes}
    contests: dict[str, set[str]] = defaultdict(set)
    for s in election.stations:
        assert election.central_offices[s.central_office] == s.commune
        m = OFFICE.match(s.central_office)
        assert m is not None and m.group(2) == s.commune
        contests[s.central_office].add(s.communal_contest)
    for office, ids in contests.items():
        if kind[election.central_offices[office]] == DIVIDED:
            assert len(ids) == 1  # one arrondissement


# --- a small but complete election ---------------------------------------------------------


def test_small_election_is_a_complete_part_of_the_country(
    small: SyntheticElection, country: Country,
) -> None:
    part = small.country
    assert 50 <= len(small.stations) <= 2_000
    assert len(part.regions) >= 2 and len(part.communes) >= 5
    assert len(part.communes) < len(country.communes)
    # whole provinces: every commune, communal and regional contest of the kept provinces
    provinces = {c.province for c in part.communes}
    assert [c for c in country.communes if c.province in provinces] == list(part.communes)
    communes = {c.id for c in part.communes}
    constituencies = {k for c in part.communes for k in c.regional_constituencies()}
    assert [c for c in country.contests
            if (c.council in communes if c.level == "communal"
                else c.id.partition("/")[2] in constituencies)] == list(part.contests)
    for r in part.regions:
        assert set(r.provinces) <= constituencies
        assert r.seats == sum(contest_seats(c) for c in part.contests
                              if c.level == "regional" and c.council == r.id)
    kinds = {c.kind for c in part.communes}
    assert {"single_member", "list"} <= kinds
    # every contest of the part has stations, and every station votes in contests of the part
    used = {s.communal_contest for s in small.stations} | {
        s.regional_contest for s in small.stations}
    assert used == {c.id for c in part.contests}
    assert small.communes == communes


def test_station_codes_are_unique_and_name_their_commune(small: SyntheticElection) -> None:
    codes = [s.code for s in small.stations]
    assert len(set(codes)) == len(codes)
    region = {c.id: c.region for c in small.country.communes}
    for s in small.stations:
        m = CODE.match(s.code)
        assert m is not None, s.code
        assert m.group(2) == s.commune and m.group(1) == region[s.commune]
        assert s.registered > 0


def test_each_station_votes_in_one_communal_and_one_regional_contest(
        small: SyntheticElection) -> None:
    contests = {c.id: c for c in small.country.contests}
    commune = {c.id: c for c in small.country.communes}
    index = {k.id: i for c in commune
             for i, k in enumerate(x for x in small.country.contests if x.council == c)}
    for s in small.stations:
        communal, regional = contests[s.communal_contest], contests[s.regional_contest]
        assert communal.level == "communal" and communal.council == s.commune
        assert regional.level == "regional"
        assert regional.id.partition("/")[2] == commune[s.commune].regional_constituency(
            index[communal.id])
    # ... and each contest's stations are exactly those naming it
    for contest in small.country.contests:
        mine = {s.code for s in small.stations
                if contest.id in (s.communal_contest, s.regional_contest)}
        assert {k.station for k in small.counts_for(contest.id)} == mine


def test_central_offices_group_8_to_15_stations_of_one_commune(small: SyntheticElection) -> None:
    _check_offices(small)


def test_two_minutes_per_station(small: SyntheticElection) -> None:
    assert len(small.counts) == 2 * len(small.stations)
    for i, s in enumerate(small.stations):
        communal, regional = small.counts[2 * i], small.counts[2 * i + 1]
        assert (communal.station, communal.vote) == (s.code, "communal")
        assert (regional.station, regional.vote) == (s.code, "regional")
        assert communal.registered == regional.registered == s.registered
        assert communal.signed == regional.signed  # one signature, two ballots
    assert small.counts_for("no-such-contest") == ()


def test_every_minute_adds_up(small: SyntheticElection) -> None:
    for k in small.counts:
        _check_count(k)
    assert any(k.contested for k in small.counts)


def test_every_contest_is_the_sum_of_its_stations(small: SyntheticElection) -> None:
    for contest in small.country.contests:
        _check_contest(small, contest)


def test_regional_registered_is_the_sum_of_the_communes(small: SyntheticElection) -> None:
    by_province: dict[str, int] = defaultdict(int)
    commune = {c.id: c for c in small.country.communes}
    index: Counter[str] = Counter()
    for contest in small.country.contests:
        if contest.level == "communal":
            c = commune[contest.council]
            by_province[c.regional_constituency(index[c.id])] += contest.constituency.registered
            index[c.id] += 1
    for s in small.stations:
        by_province[s.regional_contest.partition("/")[2]] -= s.registered
    for contest in small.country.contests:
        if contest.level == "regional":
            by_province[contest.id.partition("/")[2]] += 0
    assert set(by_province.values()) == {0}
    assert sum(s.registered for s in small.stations) == small.country.registered


def test_same_seed_same_election_other_seed_other(small: SyntheticElection) -> None:
    again = national_election(SEED, SMALL)  # built from scratch, without the shared country
    assert again == small
    other = national_election(7, SMALL)
    assert other != small
    assert other.country.seed == 7
    assert [k.votes for k in other.counts[:50]] != [k.votes for k in small.counts[:50]]


def test_bad_arguments(country: Country) -> None:
    with pytest.raises(ValueError, match="scale"):
        national_election(SEED, 0.0, country=country)
    with pytest.raises(ValueError, match="seed"):
        national_election(SEED + 1, SMALL, country=country)


# --- the whole country ---------------------------------------------------------------------


def test_full_scale_headline_figures(country: Country, small: SyntheticElection) -> None:
    """Scale 1.0: the headline counts, a sample of contests, the rare irregularities.  Builds
    the 40,000 stations once (about 2.5 s on top of the country; the test runs in ~10 s)."""
    started = time.perf_counter()
    full = national_election(SEED, 1.0, country=country)
    assert time.perf_counter() - started < 60  # a regression guard, not a benchmark
    assert full.country is country
    assert 38_000 <= len(full.stations) <= 42_000
    assert len(full.counts) == 2 * len(full.stations)
    assert len({s.code for s in full.stations}) == len(full.stations)
    assert 2_600 <= len(full.central_offices) <= 4_000
    assert sum(s.registered for s in full.stations) == country.registered
    assert {s.commune for s in full.stations} == {c.id for c in country.communes}
    _check_offices(full)
    # every contest has stations; a sample of them (all regional and arrondissement contests,
    # every 25th of the others) add up exactly
    assert {s.communal_contest for s in full.stations} | {
        s.regional_contest for s in full.stations} == {c.id for c in country.contests}
    for n, contest in enumerate(country.contests):
        if contest.level == "regional" or n % 25 == 0 or (
                "/" in contest.id and "/D" not in contest.id):  # arrondissements
            _check_contest(full, contest)
    for k in full.counts[::20]:
        _check_count(k)
    # irregular minutes: about 0.5 % with one ballot more or less than signatures
    irregular = sum(1 for k in full.counts if k.ballots != k.signed)
    illegal = sum(1 for k in full.counts if k.illegal)
    assert 0.002 <= irregular / len(full.counts) <= 0.01
    assert 0 < illegal <= 0.003 * len(full.counts)
    assert irregular > illegal  # ballots moved between two stations of a contest, too
    # a small election is exactly a part of the full one
    codes = {s.code for s in small.stations}
    assert [s for s in full.stations if s.code in codes] == list(small.stations)
    assert [k for k in full.counts if k.station in codes] == list(small.counts)
