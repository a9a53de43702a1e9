"""A whole general election in one call: every regional and communal contest of the country.

A :class:`Contest` pairs one constituency (a list constituency or a single-member district) with
its rule set and the council it fills; :func:`allocate_country` runs the core allocation
(:func:`~intikhab.law.allocation.allocate_lists`,
:func:`~intikhab.law.allocation.allocate_district`) over all of them and sums the seats per
level and party, the way the press reports them (seats per party; the 2015 reports in the
seeds).

Seat ownership: a list's seats belong to the list id (the party id for party lists); a
single-member district's seat, and the women's seat attached to it (art. 128 bis §1), belong to
the party of the winning candidate — the part of the candidate id before ``:``
(``"P07:c123"`` → ``P07``; an id without ``:`` is its own party, e.g. an independent).

Pure module: no I/O.  It is benchmarked (``benchmarks/run.py``): keep the loop lean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intikhab.law.allocation import (
    AllocationStatus,
    District,
    DistrictResult,
    ListConstituency,
    ListResult,
    Lots,
    allocate_district,
    allocate_lists,
)
from intikhab.law.rulesets import RuleSet

__all__ = [
    "NATIONAL_LOTS",
    "Contest",
    "NationalResult",
    "allocate_any",
    "allocate_country",
    "contest_seats",
    "party_of",
]

NATIONAL_LOTS = Lots(seed="intikhab-national")
"""The default lots of :func:`allocate_country`: a reproducible draw from a public seed."""


@dataclass(frozen=True, slots=True)
class Contest:
    """One constituency to allocate: ``level`` is ``communal`` or ``regional``; ``council`` the
    id of the council it fills (the commune's id, the region's id)."""

    id: str
    level: str
    council: str
    rules: RuleSet
    constituency: ListConstituency | District


@dataclass(frozen=True, slots=True)
class NationalResult:
    """``results`` in the order of the contests; ``seats`` level → party/list id → seats won;
    ``status_counts`` status value (``declared``, ``lot_required``, ``rerun_required``) → count."""

    results: tuple[ListResult | DistrictResult, ...]
    seats: dict[str, dict[str, int]]
    status_counts: dict[str, int]

    def total(self, level: str | None = None) -> int:
        """Seats allocated at one level, or at all levels."""
        levels = self.seats.values() if level is None else (self.seats.get(level, {}),)
        return sum(sum(by_party.values()) for by_party in levels)


def party_of(candidate_id: str) -> str:
    """The party of a single-member candidate: the id's prefix before ``:``."""
    return candidate_id.partition(":")[0]


def contest_seats(contest: Contest) -> int:
    """Seats a contest fills when declared: the sum of its seat groups, or one per district
    plus its attached women's seat."""
    c = contest.constituency
    if isinstance(c, District):
        return 2 if c.attached_women_seat else 1
    return sum(g.seats for g in c.groups)


def allocate_any(constituency: ListConstituency | District, rules: RuleSet,
                 lots: Lots) -> ListResult | DistrictResult:
    """One constituency of either kind: proportional lists (art. 92 §3 and art. 141 §1 of law
    59.11 as amended) or a single-member district's plurality (art. 130 §1).  The national
    loop below keeps its own branches: it sums the two kinds' seats differently."""
    if isinstance(constituency, District):
        return allocate_district(constituency, rules, lots)
    return allocate_lists(constituency, rules, lots)


def allocate_country(contests: Sequence[Contest], lots: Lots = NATIONAL_LOTS) -> NationalResult:
    """Allocate every contest with the core functions and sum seats per level and party.

    Contests that end ``lot_required`` or ``rerun_required`` add no seats; seats a list could
    not fill (no candidate left) are not counted either, so ``total()`` is the declared seats
    minus the unfilled ones.

    One ``lots`` serves every contest: lot keys start with the constituency's or district's
    ``id``, so an entered outcome or a seeded draw belongs to exactly one constituency (give
    every contest a distinct id, as :mod:`intikhab.demo.country` does).
    """
    results: list[ListResult | DistrictResult] = []
    append = results.append
    seats: dict[str, dict[str, int]] = {}
    others: list[AllocationStatus] = []  # statuses other than declared (rare): counted at the end
    declared = AllocationStatus.DECLARED
    for contest in contests:
        c = contest.constituency
        level = contest.level
        by_party = seats.get(level)
        if by_party is None:
            by_party = seats[level] = {}
        if isinstance(c, District):
            d = allocate_district(c, contest.rules, lots)
            append(d)
            if d.status is not declared:
                others.append(d.status)
            elif d.winner is not None:
                party = d.winner.partition(":")[0]
                by_party[party] = by_party.get(party, 0) + len(d.elected)
        else:
            r = allocate_lists(c, contest.rules, lots)
            append(r)
            if r.status is not declared:
                others.append(r.status)
                continue
            for g in r.groups:
                for line in g.lines:
                    won = line.by_quotient + line.by_remainder
                    if won:
                        by_party[line.id] = by_party.get(line.id, 0) + won
    counts: dict[str, int] = {}
    if len(others) < len(results):
        counts[declared.value] = len(results) - len(others)
    for status in others:
        counts[status.value] = counts.get(status.value, 0) + 1
    return NationalResult(tuple(results), seats, counts)
