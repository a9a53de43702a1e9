"""The polling stations of the synthetic election on the real territory
(:func:`intikhab.demo.real.real_country`) and the minutes each writes, deterministic from the
seed.

Polling stations (:func:`national_election`): every communal contest of ``r`` registered
voters is split into ``ceil(r / 600)`` stations (one for most districts), each also voting in its
regional constituency (its prefecture/province; in Casablanca its arrondissement's prefecture of
arrondissements, art. 76 §2), grouped into central offices of 8–15 stations within a
commune (within an arrondissement in a divided commune); each station has one minute (a
:class:`~intikhab.records.minutes.Minute`) per vote.  The splits are exact integers: for every
contest the stations' registered voters, signatures, void ballots and every list's or
candidate's votes add up to the contest's figures — the regional contest's registered voters and
voters are already the sums of its communes', so both votes come from the same stations.  With
``seed=2021``, scale 1.0 (2014 census): 39,232 stations, 3,203 central offices, 17,999,257
registered, 78,464 minutes, built in about 1 s on top of :func:`real_country`'s 1 s.  About 0.5 %
of the minutes have one ballot more or less than signatures (an illegal paper found in the box,
or a voter who signed at one station of the contest and cast the ballot at another);
``scale`` < 1 keeps a seeded subset of whole provinces (see :func:`national_election`).

Only ``random.Random`` seeded from ``seed`` is used (no global random state).  Pure module: no
I/O.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

from intikhab.demo.country import (
    DIVIDED,
    Commune,
    Country,
    Region,
    apportion,
)
from intikhab.demo.real import real_country
from intikhab.law.allocation import District, ListConstituency
from intikhab.law.national import Contest, contest_seats
from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute

__all__ = [
    "OFFICE_MAX",
    "OFFICE_MIN",
    "STATION_MAX",
    "Station",
    "SyntheticElection",
    "national_election",
]


STATION_MAX: Final = 600
"""A contest of ``r`` registered voters gets ``ceil(r / STATION_MAX)`` stations (at least one)."""
OFFICE_MAX: Final = 15
OFFICE_MIN: Final = 8
P_ILLEGAL: Final = 0.001
"""Chance, per station and vote, that the box holds one illegal paper (ballots = signed + 1)."""
P_MOVED: Final = 0.0023
"""Chance, per station and vote, that a voter who signed at another station of the same contest
cast the ballot here (ballots = signed + 1 here, signed − 1 there)."""
P_CONTESTED: Final = 0.06

_SIGNED_NOISE: Final = 0.08  # station turnout around the contest's
_VOID_NOISE: Final = 0.35
_VOTE_NOISE: Final = 0.25  # station vote shares around the contest's


@dataclass(frozen=True, slots=True)
class Station:
    """A polling station (مكتب التصويت): it votes in one communal contest (a district, a list
    commune or an arrondissement) and in its province's regional contest, and reports to one
    central office (المكتب المركزي) of its commune."""

    code: str
    commune: str
    central_office: str
    communal_contest: str
    regional_contest: str
    registered: int


@dataclass(frozen=True)
class SyntheticElection:
    """The synthetic election at the level of its polling stations.

    ``counts`` holds two :class:`~intikhab.records.minutes.Minute` s per station, in station
    order: ``counts[2 * i]`` is the communal minute of ``stations[i]``, ``counts[2 * i + 1]``
    its regional one.
    ``central_offices`` maps each central office to its commune.  ``country`` holds exactly the
    contests the stations vote in (the whole country at scale 1.0)."""

    country: Country
    stations: tuple[Station, ...]
    counts: tuple[Minute, ...]
    central_offices: dict[str, str] = field(hash=False)

    @cached_property
    def _by_contest(self) -> dict[str, tuple[Minute, ...]]:
        out: dict[str, list[Minute]] = {}
        counts = self.counts
        for i, s in enumerate(self.stations):
            out.setdefault(s.communal_contest, []).append(counts[2 * i])
            out.setdefault(s.regional_contest, []).append(counts[2 * i + 1])
        return {k: tuple(v) for k, v in out.items()}

    def counts_for(self, contest_id: str) -> tuple[Minute, ...]:
        """The minutes of one contest's stations, in station order (empty if unknown)."""
        return self._by_contest.get(contest_id, ())

    @cached_property
    def communes(self) -> frozenset[str]:
        """The communes that have stations."""
        return frozenset(s.commune for s in self.stations)


def national_election(seed: int = 2021, scale: float = 1.0, census: int = 2014, *,
                      country: Country | None = None) -> SyntheticElection:
    """The synthetic national election with its polling stations and their minutes.

    Built on :func:`~intikhab.demo.real.real_country` (``country``, when given, must be
    ``real_country(seed, census)``: it saves building it again).  Every communal contest of
    ``r`` registered voters is split into ``ceil(r / STATION_MAX)`` stations (at least one;
    about 450 registered each on average); every station also votes in its regional
    constituency's contest (its prefecture/province; in Casablanca, its arrondissement's
    prefecture of arrondissements: art. 76 §2).  Stations are grouped, within their commune (within
    their arrondissement in a divided commune), into central offices of 8–15 stations.  The
    splits are exact: for every contest the stations' registered voters, signatures (the
    contest's voters), void ballots and every list's or candidate's votes add up to the
    contest's figures.  At scale 1.0 (seed 2021): about 39,000 stations, 3,200 central offices,
    18 million registered.

    ``scale`` < 1 keeps whole prefectures/provinces — walked in an order drawn from the seed,
    each kept while the registered voters kept stay within ``scale`` × the country's (at least
    one province; Casablanca's eight prefectures of arrondissements count as one, its
    prefecture ``06.141``, as its commune spans them) — and ``country`` then holds only them:
    their communes, their communal contests, their regional contests, and their regions with
    ``provinces`` and ``seats`` reduced to the kept constituencies.  A kept province's
    stations and minutes are the same at every scale (each province draws from a generator of
    its own), so a small election is an exact part of the full one.  ``scale=0.01`` gives a
    few provinces, a few dozen communes and a few hundred stations.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale!r}")
    if country is None:
        country = real_country(seed, census)
    elif country.seed != seed:
        raise ValueError(f"country was built for seed {country.seed}, not {seed}")

    province_registered: dict[str, int] = {}
    for commune in country.communes:
        province_registered[commune.province] = (
            province_registered.get(commune.province, 0) + commune.registered)
    keep = _kept_provinces(seed, scale, province_registered)
    if len(keep) < len(province_registered):
        country = _reduced(country, keep)

    regional_of: dict[str, Contest] = {}
    by_commune: dict[str, list[Contest]] = {}
    for contest in country.contests:
        if contest.level == "regional":
            regional_of[contest.id.partition("/")[2]] = contest
        else:
            by_commune.setdefault(contest.council, []).append(contest)
    in_province: dict[str, list[Commune]] = {}
    for commune in country.communes:
        in_province.setdefault(commune.province, []).append(commune)

    stations: list[Station] = []
    counts: list[Minute] = []
    offices: dict[str, str] = {}
    for province, communes in in_province.items():
        rng = random.Random(f"{seed}:stations:{province}")
        _province(rng, communes, by_commune, regional_of, stations, counts, offices)
    return SyntheticElection(country, tuple(stations), tuple(counts), offices)


def _kept_provinces(seed: int, scale: float, registered: dict[str, int]) -> set[str]:
    if scale >= 1:
        return set(registered)
    order = sorted(registered)
    random.Random(f"{seed}:scale").shuffle(order)
    budget = scale * sum(registered.values())
    keep: set[str] = set()
    for province in order:
        if registered[province] <= budget:
            keep.add(province)
            budget -= registered[province]
    return keep or {min(order, key=lambda p: (registered[p], p))}


def _reduced(country: Country, keep: set[str]) -> Country:
    """The part of ``country`` in the kept provinces."""
    communes = tuple(c for c in country.communes if c.province in keep)
    kept_communes = {c.id for c in communes}
    constituencies = {k for c in communes for k in c.regional_constituencies()}
    contests = tuple(
        c for c in country.contests
        if (c.id.partition("/")[2] in constituencies if c.level == "regional"
            else c.council in kept_communes)
    )
    seats: dict[str, int] = {}
    for c in contests:
        if c.level == "regional":
            seats[c.council] = seats.get(c.council, 0) + contest_seats(c)
    regions = tuple(
        Region(r.id, seats[r.id], tuple(p for p in r.provinces if p in constituencies))
        for r in country.regions if r.id in seats
    )
    return Country(country.seed, country.parties, regions, communes, contests, country.census)


def _figures(c: ListConstituency | District) -> tuple[list[str], list[int]]:
    """The contest's ids (lists, or district candidates) sorted, and their votes."""
    pairs = sorted((x.id, x.votes) for x in (c.candidates if isinstance(c, District) else c.lists))
    return [i for i, _ in pairs], [v for _, v in pairs]


def _province(
    rng: random.Random, communes: list[Commune], by_commune: dict[str, list[Contest]],
    regional_of: dict[str, Contest], stations: list[Station], counts: list[Minute],
    offices: dict[str, str],
) -> None:
    """The stations of one province, their communal and regional minutes, their offices.

    A station votes in the regional constituency of its communal contest (art. 76 §2): its
    province's, or for Casablanca its arrondissement's prefecture of arrondissements."""
    uniform = rng.uniform
    first = len(stations)
    p_registered: list[int] = []
    p_signed: list[int] = []
    p_regional: list[str] = []
    communal: list[Minute] = []
    for commune in communes:
        prefix = f"{commune.region}-{commune.id}"
        serial = 0
        # (contest id, codes) per office group: the commune, or each arrondissement
        groups: list[tuple[list[str], list[str]]] = []
        for index, contest in enumerate(by_commune[commune.id]):
            k = contest.constituency
            n = max(1, -(-k.registered // STATION_MAX))
            if n == 1:
                registered = [k.registered]
                signed = [k.voters]
            else:
                registered = apportion(k.registered, [uniform(0.8, 1.2) for _ in range(n)])
                signed = _split_capped(
                    k.voters, _noisy(rng, registered, _SIGNED_NOISE), registered)
            codes = [f"{prefix}-S{serial + i + 1:04d}" for i in range(n)]
            serial += n
            if commune.kind == DIVIDED or not groups:
                groups.append(([], []))
            groups[-1][0].extend([contest.id] * n)
            groups[-1][1].extend(codes)
            ids, totals = _figures(k)
            communal += _minutes(rng, Vote.COMMUNAL, codes, registered, signed, k.void, ids, totals)
            p_registered += registered
            p_signed += signed
            p_regional += [regional_of[commune.regional_constituency(index)].id] * n
        number = 0
        for contest_ids, codes in groups:
            at = 0
            for size in _office_sizes(rng, len(codes)):
                number += 1
                office = f"{prefix}-O{number:03d}"
                offices[office] = commune.id
                for j in range(at, at + size):
                    at_j = len(stations) - first
                    stations.append(Station(codes[j], commune.id, office, contest_ids[j],
                                            p_regional[at_j], p_registered[at_j]))
                at += size
    mine = stations[first:]
    rows: dict[str, list[int]] = {}
    for i, s in enumerate(mine):
        rows.setdefault(s.regional_contest, []).append(i)
    regional_counts: list[Minute | None] = [None] * len(mine)
    for contest_id, at_rows in rows.items():
        k = regional_of[contest_id.partition("/")[2]].constituency
        ids, totals = _figures(k)
        made = _minutes(rng, Vote.REGIONAL, [mine[i].code for i in at_rows],
                        [p_registered[i] for i in at_rows], [p_signed[i] for i in at_rows],
                        k.void, ids, totals)
        for i, m in zip(at_rows, made, strict=True):
            regional_counts[i] = m
    for c, r in zip(communal, regional_counts, strict=True):
        assert r is not None
        counts.append(c)
        counts.append(r)


def _office_sizes(rng: random.Random, n: int) -> list[int]:
    """``n`` stations in offices of ``OFFICE_MIN``–``OFFICE_MAX`` (one office below that)."""
    k = -(-n // OFFICE_MAX)
    if n // (k + 1) >= OFFICE_MIN and rng.random() < 0.5:
        k += 1
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _noisy(rng: random.Random, base: list[int], sigma: float) -> list[float]:
    """``base`` times a log-normal factor each (0 stays 0)."""
    gauss = rng.gauss
    exp = math.exp
    return [b * exp(gauss(0.0, sigma)) if b else 0.0 for b in base]


def _split_capped(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` with part ``i`` at most ``caps[i]``: what a
    capped part cannot take goes to the others, in proportion again.  Needs
    ``total <= sum(caps)`` and a positive weight wherever the cap is positive."""
    out = [0] * len(caps)
    active = [i for i, w in enumerate(weights) if w > 0 and caps[i] > 0]
    left = total
    while left:
        if not active:  # pragma: no cover - positive weights wherever there is room
            raise ValueError(f"cannot place {left} more under the caps")
        share = apportion(left, [weights[i] for i in active])
        left = 0
        still: list[int] = []
        for i, s in zip(active, share, strict=True):
            room = caps[i] - out[i]
            if s >= room:
                out[i] = caps[i]
                left += s - room
            else:
                out[i] += s
                still.append(i)
        active = still
    return out


def _minutes(
    rng: random.Random, vote: Vote, codes: list[str], registered: list[int], signed: list[int],
    void: int, ids: list[str], totals: list[int],
) -> list[Minute]:
    """One contest's minutes: its void ballots and every id's votes split over its stations
    (exactly), a few irregular stations, a few contested ballots."""
    r = rng.random
    n = len(codes)
    voids = _split_capped(void, _noisy(rng, signed, _VOID_NOISE), signed) if n > 1 else [void]
    valid = [s - v for s, v in zip(signed, voids, strict=True)]
    delta = [0] * n  # ballots − signed − illegal
    illegal = [0] * n
    for i in range(n):
        if delta[i]:
            continue
        x = r()
        if x < P_ILLEGAL:
            illegal[i] = 1
        elif x < P_ILLEGAL + P_MOVED and n > 1:
            j = int(r() * (n - 1))
            j += j >= i
            if not delta[j] and not illegal[j] and valid[j] > 0:
                delta[i], delta[j] = 1, -1
                valid[i] += 1
                valid[j] -= 1
    rows = _split_table(rng, totals, valid)
    out: list[Minute] = []
    for i in range(n):
        contested = 0
        if r() < P_CONTESTED:
            contested = min(valid[i], 1 + int(r() * 3))
        s = signed[i]
        out.append(Minute(
            codes[i], vote, registered[i], s, s + delta[i] + illegal[i], voids[i], contested,
            illegal[i], tuple(zip(ids, rows[i], strict=True)),
        ))
    return out


def _split_table(rng: random.Random, totals: list[int], caps: list[int]) -> list[list[int]]:
    """A table with row sums ``caps`` (the stations' valid votes) and column sums ``totals``
    (the ids' votes); needs ``sum(caps) == sum(totals)``.  Row by row, each station takes its
    share of what is left of every id, with some noise; the last takes the rest."""
    if len(caps) == 1:
        return [list(totals)]
    remaining = list(totals)
    zero = [0] * len(totals)
    rows: list[list[int]] = []
    for cap in caps[:-1]:
        if not cap:
            rows.append(zero)
            continue
        row = _split_capped(cap, _noisy(rng, remaining, _VOTE_NOISE), remaining)
        remaining = [a - b for a, b in zip(remaining, row, strict=True)]
        rows.append(row)
    rows.append(remaining)
    return rows
