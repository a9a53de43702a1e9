"""Polling stations and their minutes for the synthetic national data set — pure and
deterministic from the seed.

Every communal contest (district, list commune, arrondissement) is split into stations of
about 450 registered voters; every station also votes in its province's regional contest.  The
split is exact: for each contest, the stations' registered voters, voters (signatures), void
ballots and every list's or candidate's votes add up to the contest's figures, so the census
commission's totals recomputed from the minutes reproduce :func:`national_dataset` exactly.
At scale 1.0: ≈40,000 stations, ≈18 million registered (figures in BENCHMARKS.md).

Floats only shape the random weights; every count is an integer split (Hamilton).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property

from intikhab.law.allocation import District, ListConstituency
from intikhab.law.national import Contest
from intikhab.synthetic import Country, _apportion, national_dataset

VOTERS_PER_STATION = 540
STATIONS_PER_OFFICE = 10
IRREGULAR = 0.005  # stations where the box holds one paper more than the signatures


@dataclass(frozen=True, slots=True)
class Station:
    code: str
    commune: str
    central_office: str
    communal_contest: str
    regional_contest: str
    registered: int


@dataclass(frozen=True, slots=True)
class StationCount:
    """One station's figures for one vote, as its minute records them."""

    station: str
    vote: str
    registered: int
    signed: int
    ballots: int
    void: int
    contested: int
    illegal: int
    votes: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Election:
    country: Country
    stations: tuple[Station, ...]
    counts: tuple[StationCount, ...]
    central_offices: dict[str, str]  # office → commune

    @cached_property
    def communes(self) -> frozenset[str]:
        return frozenset(s.commune for s in self.stations)


def _split_table(totals: list[tuple[str, int]], capacities: list[int],
                 rng: random.Random) -> list[list[tuple[str, int]]]:
    """Split each id's total over stations so that station ``i`` receives exactly
    ``capacities[i]`` units and each id exactly its total (requires equal grand totals)."""
    remaining = [n for _, n in totals]
    out: list[list[tuple[str, int]]] = []
    for i, cap in enumerate(capacities):
        if i == len(capacities) - 1:
            share = list(remaining)
        else:
            weights = [r * rng.lognormvariate(0.0, 0.25) if r else 0.0 for r in remaining]
            share = _apportion(cap, weights) if cap and any(weights) else [0] * len(remaining)
            # clip to what is left and hand the excess to ids that still have room
            excess = 0
            for j, r in enumerate(remaining):
                if share[j] > r:
                    excess += share[j] - r
                    share[j] = r
            for j, r in enumerate(remaining):
                if not excess:
                    break
                room = r - share[j]
                give = min(room, excess)
                share[j] += give
                excess -= give
        for j, n in enumerate(share):
            remaining[j] -= n
        out.append([(totals[j][0], n) for j, n in enumerate(share)])
    return out


def _figures(c: ListConstituency | District) -> tuple[int, int, int, list[tuple[str, int]]]:
    if isinstance(c, District):
        return c.registered, c.voters, c.void, [(x.id, x.votes) for x in c.candidates]
    return c.registered, c.voters, c.void, [(x.id, x.votes) for x in c.lists]


def _counts(vote: str, codes: list[str], registered: list[int], signed: list[int], void: int,
            totals: list[tuple[str, int]], rng: random.Random) -> list[StationCount]:
    voids = _apportion(void, [float(s) for s in signed]) if sum(signed) else [0] * len(signed)
    valid = [s - v for s, v in zip(signed, voids, strict=True)]
    table = _split_table(totals, valid, rng)
    out = []
    for code, reg, s, v, cap, votes in zip(codes, registered, signed, voids, valid, table,
                                           strict=True):
        illegal = 1 if rng.random() < IRREGULAR else 0
        contested = min(cap, 1 if rng.random() < 0.05 else 0)
        out.append(StationCount(code, vote, reg, s, s + illegal, v, contested, illegal,
                                tuple(sorted(votes))))
    return out


def national_election(seed: int = 2021, scale: float = 1.0) -> Election:
    """The synthetic national data set with its polling stations and minutes.

    ``scale`` < 1 keeps the first ``max(1, round(provinces × scale))`` provinces (by id), with
    all their communes, stations and their regional contests: a small but complete election
    for tests.  The territory and every figure of what is kept are those of scale 1.0."""
    country = national_dataset(seed)
    rng = random.Random(f"{seed}:stations")
    regional_of = {c.id.partition("/")[2]: c for c in country.contests if c.level == "regional"}
    provinces = sorted({c.province for c in country.communes})
    keep = set(provinces if scale >= 1 else provinces[:max(1, round(len(provinces) * scale))])
    by_commune: dict[str, list[Contest]] = {}
    for contest in country.contests:
        if contest.level == "communal":
            by_commune.setdefault(contest.council, []).append(contest)

    stations: list[Station] = []
    counts: list[StationCount] = []
    offices: dict[str, str] = {}
    province_rows: dict[str, list[tuple[str, int, int]]] = {}
    for commune in country.communes:
        if commune.province not in keep:
            continue
        serial = 0
        for contest in by_commune.get(commune.id, []):
            reg, voters, void, totals = _figures(contest.constituency)
            n = max(1, round(reg / VOTERS_PER_STATION))
            registered = _apportion(reg, [rng.uniform(0.7, 1.3) for _ in range(n)])
            signed = _apportion(voters, [float(r) for r in registered])
            codes = []
            for r, s in zip(registered, signed, strict=True):
                serial += 1
                code = f"{commune.id}-S{serial:04d}"
                office = f"{commune.id}-O{(serial - 1) // STATIONS_PER_OFFICE + 1:03d}"
                offices[office] = commune.id
                regional = regional_of[commune.province]
                stations.append(Station(code, commune.id, office, contest.id, regional.id, r))
                province_rows.setdefault(commune.province, []).append((code, r, s))
                codes.append(code)
            counts += _counts("communal", codes, registered, signed, void, totals, rng)
    for province in sorted(province_rows):
        rows = province_rows[province]
        reg, voters, void, totals = _figures(regional_of[province].constituency)
        codes = [c for c, _, _ in rows]
        registered = [r for _, r, _ in rows]
        signed = [s for _, _, s in rows]
        assert sum(registered) == reg and sum(signed) == voters, province
        counts += _counts("regional", codes, registered, signed, void, totals, rng)
    return Election(country, tuple(stations), tuple(counts), offices)
