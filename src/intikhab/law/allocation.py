"""Seat allocation: list PR by quotient and largest remainder, and single-member plurality.

Every number that decides a seat is an integer or a ``Fraction``.  A quotient ``N/S`` (base over
seats) is never materialised on the hot path: a list's whole quotas are ``v·S // N`` and its
remainder is held as the integer numerator ``v·S − k·N`` over the denominator ``S`` — the same
order as the guide's remainders ``v − k·N/S``, exactly.

The outcome is typed (after abacus): :class:`AllocationStatus` ``DECLARED``, ``LOT_REQUIRED``
(with the :class:`LotRequest` naming who must draw) or ``RERUN_REQUIRED`` (with the reason).
A lot is never drawn silently: it is either entered (``Lots.outcomes``) or drawn reproducibly
from a public seed (``Lots.seed``) and recorded in the result.

Over 500 lines because the list and plurality engines share the tie-breaking (age, then lot)
and the typed outcome; splitting them would put one rule of art. 24 in two files.
Pure module: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from intikhab.law.errors import AllocationError, InputError
from intikhab.law.rulesets import AgeRule, QuotientBase, RuleSet

# --------------------------------------------------------------------------------------------
# Input


class Part(StrEnum):
    """The two parts of a list (art. 85 regional, art. 134 communal)."""

    GENERAL = "general"
    WOMEN = "women"


class Council(StrEnum):
    """Which council a seat group of a divided commune fills (art. 141 §1 item 2)."""

    COMMUNE = "commune"
    ARRONDISSEMENT = "arrondissement"


class Sex(StrEnum):
    F = "F"
    M = "M"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered candidate. ``eligible=False`` or ``deceased=True`` makes the ones below move
    up by law (art. 24 §3)."""

    name: str
    birth_date: date | None = None
    sex: Sex | None = None
    eligible: bool = True
    deceased: bool = False

    @property
    def standing(self) -> bool:
        return self.eligible and not self.deceased


@dataclass(frozen=True, slots=True)
class CandidateList:
    """A list and its votes.  ``general``/``women`` are the ordered parts; ``None`` means the
    candidates were not given (seat counts only: the list is never exhausted)."""

    id: str
    votes: int
    name: str = ""
    general: tuple[Candidate, ...] | None = None
    women: tuple[Candidate, ...] | None = None

    def part(self, part: Part) -> tuple[Candidate, ...] | None:
        return self.general if part is Part.GENERAL else self.women


@dataclass(frozen=True, slots=True)
class SeatGroup:
    """Seats filled with one quotient: a part, and for divided communes a council."""

    part: Part
    seats: int
    council: Council | None = None

    @property
    def label(self) -> str:
        return self.part.value if self.council is None else f"{self.part}/{self.council}"


@dataclass(frozen=True, slots=True)
class ListConstituency:
    """A list constituency's figures.  Groups are allocated in the order given."""

    registered: int
    voters: int
    void: int
    groups: tuple[SeatGroup, ...]
    lists: tuple[CandidateList, ...]
    id: str = ""
    """Identifies the constituency in lot keys, so that one set of entered lots or one seed can
    serve a whole country without two constituencies sharing a key."""

    def __post_init__(self) -> None:
        check_group_order(self.groups)


def check_group_order(groups: Sequence[SeatGroup]) -> None:
    """Art. 141 §1 item 2 of law 59.11 as amended (guide ch. 3.10): in each part, the seats of
    the commune council elected for the arrondissement are allocated first, then those of the
    arrondissement council (whose elected continue the list after the last communal one).  A
    commune group after an arrondissement group of the same part would seat other candidates:
    ``E-ALLOC-021``, never a silently different result."""
    after: set[Part] = set()
    for i, g in enumerate(groups):
        if g.council is Council.ARRONDISSEMENT:
            after.add(g.part)
        elif g.council is Council.COMMUNE and g.part in after:
            raise InputError("E-ALLOC-021", field=f"groups[{i}]")


@dataclass(frozen=True, slots=True)
class DistrictCandidate:
    """A candidate in a single-member district, with the woman on the attached seat if any."""

    id: str
    name: str
    votes: int
    birth_date: date | None = None
    attached_woman: Candidate | None = None


@dataclass(frozen=True, slots=True)
class District:
    """A single-member district (art. 130 §1); ``attached_women_seat`` per art. 128 bis §1."""

    registered: int
    voters: int
    void: int
    candidates: tuple[DistrictCandidate, ...]
    attached_women_seat: bool = False
    id: str = ""


@dataclass(frozen=True, slots=True)
class Lots:
    """How lots are settled: outcomes entered by the commission (key → winner id), else a
    reproducible draw from a public ``seed``, else the result says a lot is required."""

    outcomes: Mapping[str, str] = field(default_factory=dict)
    seed: str | None = None


NO_LOTS = Lots()

# --------------------------------------------------------------------------------------------
# Outcome
#
# Results are ``NamedTuple``s: immutable and typed like the frozen input dataclasses, but about
# six times cheaper to build (0.35 µs against 2.1 µs a row, measured: BENCHMARKS.md) — and a
# national allocation builds hundreds of thousands of them.


class AllocationStatus(StrEnum):
    DECLARED = "declared"
    LOT_REQUIRED = "lot_required"
    RERUN_REQUIRED = "rerun_required"


class DecidedBy(StrEnum):
    AGE = "age"
    LOT = "lot"


class Tie(NamedTuple):
    """One seat decided between equal remainders (or equal votes): who contended and how.
    ``lot_source`` is ``entered`` or ``seed`` when a lot decided it."""

    key: str
    contenders: tuple[str, ...]
    decided_by: DecidedBy
    winner: str
    lot_source: str | None = None


class LotRequest(NamedTuple):
    """A lot the commission must draw (or ask to be drawn from a seed) before declaring."""

    key: str
    contenders: tuple[str, ...]
    group: str


class ListLine(NamedTuple):
    """One list's row of the guide's tables for one seat group.

    ``forfeited``: whole quotas won but not filled for want of a standing candidate (the texts
    are silent: docs/allocation.md); they go to the next largest remainder, and
    ``votes = (by_quotient + forfeited) × quotient + remainder`` always holds.
    """

    id: str
    votes: int
    by_quotient: int
    remainder_num: int
    denominator: int
    by_remainder: int
    excluded: bool
    elected: tuple[str, ...]
    elected_ranks: tuple[int, ...]
    forfeited: int = 0

    @property
    def remainder(self) -> Fraction:
        """``votes − (by_quotient + forfeited) × quotient``, exactly (as the guide prints it)."""
        return Fraction(self.remainder_num, self.denominator)

    @property
    def seats(self) -> int:
        return self.by_quotient + self.by_remainder


class GroupResult(NamedTuple):
    part: Part
    council: Council | None
    seats: int
    base: int
    lines: tuple[ListLine, ...]
    ties: tuple[Tie, ...]
    unfilled: int = 0

    @property
    def quotient(self) -> Fraction:
        """The quotient: ``base ÷ seats`` (art. 92 §2 / 139 §2), unrounded: the law does not
        round it."""
        return Fraction(self.base, self.seats)

    @property
    def label(self) -> str:
        return self.part.value if self.council is None else f"{self.part}/{self.council}"


class ListResult(NamedTuple):
    status: AllocationStatus
    rules: str
    groups: tuple[GroupResult, ...]
    lot_required: LotRequest | None = None
    reason: str | None = None

    @property
    def totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for g in self.groups:
            for line in g.lines:
                out[line.id] = out.get(line.id, 0) + line.by_quotient + line.by_remainder
        return out

    @property
    def ties(self) -> tuple[Tie, ...]:
        return tuple(t for g in self.groups for t in g.ties)


class DistrictResult(NamedTuple):
    status: AllocationStatus
    rules: str
    winner: str | None
    elected: tuple[str, ...]
    ties: tuple[Tie, ...] = ()
    lot_required: LotRequest | None = None
    reason: str | None = None


class _LotNeeded(Exception):
    def __init__(self, request: LotRequest) -> None:
        self.request = request


# --------------------------------------------------------------------------------------------
# Tie-breaking


def seeded_draw(seed: str, key: str, contenders: Sequence[str]) -> str:
    """A reproducible lot: each contender's ticket is ``sha256(seed␟key␟id)``; the smallest
    ticket wins.  Anyone holding the public seed replays it (docs/allocation.md)."""
    return min(
        contenders,
        key=lambda c: hashlib.sha256(f"{seed}\x1f{key}\x1f{c}".encode()).hexdigest(),
    )


def _lot(key: str, contenders: tuple[str, ...], group: str, lots: Lots) -> tuple[str, str]:
    """Settle a lot: the entered outcome, else the seeded draw, else ask for it."""
    if key in lots.outcomes:
        winner = lots.outcomes[key]
        if winner not in contenders:
            raise InputError(
                "E-ALLOC-015", field=f"lots.{key}", key=key, value=winner,
                contenders=", ".join(contenders),
            )
        return winner, "entered"
    if lots.seed is not None:
        return seeded_draw(lots.seed, key, contenders), "seed"
    raise _LotNeeded(LotRequest(key, contenders, group))


def break_tie(
    key: str,
    births: Mapping[str, date | None],
    age: AgeRule,
    group: str,
    lots: Lots,
) -> Tie:
    """One seat among tied contenders: the youngest (or oldest, per the rule set) candidate,
    then lot on equal birth dates (art. 24 §4 and last §, law 59.11 as amended)."""
    contenders = tuple(births)
    missing = [c for c, b in births.items() if b is None]
    if missing:
        raise AllocationError("E-ALLOC-016", field=group, contenders=", ".join(contenders))
    known = {c: b for c, b in births.items() if b is not None}
    best = max(known.values()) if age is AgeRule.YOUNGEST else min(known.values())
    at_best = tuple(c for c in contenders if known[c] == best)
    if len(at_best) == 1:
        return Tie(key, contenders, DecidedBy.AGE, at_best[0])
    lot_key = key if len(at_best) == len(contenders) else f"{key}:{'|'.join(sorted(at_best))}"
    winner, source = _lot(lot_key, at_best, group, lots)
    return Tie(lot_key, contenders, DecidedBy.LOT, winner, source)


# --------------------------------------------------------------------------------------------
# List PR


def quotas(votes: Sequence[int], seats: int, base: int) -> tuple[list[int], list[int]]:
    """Whole quotas and remainder numerators (over ``seats``) for quotient ``base/seats``.

    ``v = k·(N/S) + r``  ⇔  ``k = v·S // N`` and ``r·S = v·S − k·N`` (art. 92 §2 / 139 §2).
    """
    ks = [v * seats // base for v in votes]
    return ks, [v * seats - k * base for v, k in zip(votes, ks, strict=True)]


def largest_remainder(votes: Sequence[int], seats: int, base: int) -> list[int]:
    """Seats per list by quotient ``base/seats`` then largest remainder — the bare rule, with
    ties at the cut going to the earlier list.  Used for quick what-ifs and benchmarks; the
    lawful allocation with ties by age and lot is :func:`allocate_lists`."""
    if base <= 0:
        return [0] * len(votes)
    won, rems = quotas(votes, seats, base)
    left = seats - sum(won)
    order = sorted((i for i in range(len(votes)) if votes[i] > 0), key=lambda i: -rems[i])
    while left > 0 and order:
        for i in order[:left]:
            won[i] += 1
        left -= min(left, len(order))
    return won


def _quotient_base(c: ListConstituency, rules: RuleSet, qualified: Sequence[bool]) -> int:
    if rules.quotient_base is QuotientBase.VOTERS:
        return c.voters
    if rules.quotient_base is QuotientBase.REGISTERED:
        return c.registered
    return sum(lst.votes for lst, ok in zip(c.lists, qualified, strict=True) if ok)


def _rerun_reason(votes: Sequence[int], registered: int, voters: int, rules: RuleSet) -> str | None:
    """Art. 92 §4 / art. 139 §3 and last §: a lone list or candidate under one fifth of the
    registered voters, no candidacy, or no vote at all → a new vote within three months."""
    if not votes:
        return "no candidacy in the constituency"
    if voters == 0 or not any(votes):
        return "no vote could be counted in the constituency"
    minimum = rules.single_list_minimum
    if len(votes) == 1 and minimum is not None and votes[0] < minimum * registered:
        return f"the single candidacy has fewer than {minimum} of the registered voters"
    return None


# A part's standing candidates of one list: (rank on the whole list, candidate), or None when
# the candidates were not given.
_Seated = list[tuple[int, Candidate]] | None


def _standing(lst: CandidateList, part: Part) -> _Seated:
    """Art. 24 §3: those who cannot sit are passed over; the ones below move up.  Ranks count
    over the whole list, part 2 continuing part 1's numbering as the guide's tables do."""
    cands = lst.general if part is Part.GENERAL else lst.women
    if cands is None:
        return None
    offset = 0 if part is Part.GENERAL else len(lst.general or ())
    return [(offset + pos, cand) for pos, cand in enumerate(cands, 1)
            if cand.eligible and not cand.deceased]


def allocate_lists(c: ListConstituency, rules: RuleSet, lots: Lots = NO_LOTS) -> ListResult:
    """Allocate a list constituency group by group (art. 92 §3, art. 141 §1, law 59.11 as
    amended): each group with its own quotient, whole quotas, then largest remainders; seats go
    to candidates in list order, skipping those who cannot sit (art. 24 §3); within a part a
    group continues where the previous group of that part stopped (art. 141 §1 item 2)."""
    lists = c.lists
    votes = [lst.votes for lst in lists]
    reason = _rerun_reason(votes, c.registered, c.voters, rules)
    if reason is not None:
        return ListResult(AllocationStatus.RERUN_REQUIRED, rules.name, (), reason=reason)

    threshold = rules.threshold
    if threshold is None:
        qualified = [True] * len(lists)
    else:
        floor = threshold * sum(votes)
        qualified = [v >= floor for v in votes]
        if not any(qualified):
            return ListResult(AllocationStatus.RERUN_REQUIRED, rules.name, (),
                              reason="no list reached the threshold")
        votes = [v if ok else 0 for v, ok in zip(votes, qualified, strict=True)]
    base = _quotient_base(c, rules, qualified)

    seated: dict[Part, list[_Seated]] = {}
    cursor: dict[Part, list[int]] = {}
    done: list[GroupResult] = []
    for group in c.groups:
        part = group.part
        if part not in seated:
            general = part is Part.GENERAL
            seated[part] = [None if (lst.general if general else lst.women) is None
                            else _standing(lst, part) for lst in lists]
            cursor[part] = [0] * len(lists)
        try:
            done.append(_allocate_group(c, group, votes, base, qualified, seated[part],
                                        cursor[part], rules, lots))
        except _LotNeeded as need:
            return ListResult(AllocationStatus.LOT_REQUIRED, rules.name, tuple(done),
                              lot_required=need.request)
    return ListResult(AllocationStatus.DECLARED, rules.name, tuple(done))


def _allocate_group(
    c: ListConstituency,
    group: SeatGroup,
    votes: Sequence[int],
    base: int,
    qualified: Sequence[bool],
    seated: Sequence[_Seated],
    cursor: list[int],
    rules: RuleSet,
    lots: Lots,
) -> GroupResult:
    """One group: whole quotas, then the largest remainders, then candidates in list order."""
    seats, n = group.seats, len(votes)
    won = [v * seats // base for v in votes]
    rems = [v * seats - k * base for v, k in zip(votes, won, strict=True)]
    lost = [0] * n
    # room[i]: standing candidates left for further seats; None = never exhausted
    room: list[int | None] = [None] * n
    for i, s in enumerate(seated):
        if s is not None:  # a list cannot fill more quota seats than it has standing
            r = len(s) - cursor[i]
            if won[i] > r:
                lost[i], won[i] = won[i] - r, r
            room[i] = r - won[i]
    extra = [0] * n
    left = seats - sum(won)
    ties: list[Tie] = []
    rnd = 0
    while left > 0:
        rnd += 1
        pool = [i for i in range(n) if votes[i] and room[i] != 0]
        if not pool:
            break
        pool.sort(key=rems.__getitem__, reverse=True)
        if len(pool) > left:
            cut = rems[pool[left - 1]]
            tied = [i for i in pool if rems[i] == cut]
            pool = [i for i in pool if rems[i] > cut]
            if len(pool) + len(tied) <= left:  # the cut does not split equal remainders
                pool += tied
            else:
                label = group.label + (f":r{rnd}" if rnd > 1 else "")
                pool += _break_remainder_tie(c, label, tied, left - len(pool), seated, cursor,
                                             won, extra, rules, lots, ties)
        for i in pool:
            extra[i] += 1
            free = room[i]
            if free is not None:
                room[i] = free - 1
        left -= len(pool)
    lines = _group_lines(c, seats, (won, rems, extra, lost), qualified, seated, cursor)
    return GroupResult(group.part, group.council, seats, base, lines, tuple(ties), left)


def _group_lines(
    c: ListConstituency,
    seats: int,
    figures: tuple[list[int], list[int], list[int], list[int]],
    qualified: Sequence[bool],
    seated: Sequence[_Seated],
    cursor: list[int],
) -> tuple[ListLine, ...]:
    """Each list's line of the group: its seats by quota (``won``), remainder numerator,
    seats by remainder (``extra``), forfeited quotas (``lost``), and the candidates who take
    its seats in list order from ``cursor``, skipping those who cannot sit (art. 24 §3)."""
    won, rems, extra, lost = figures
    lines = []
    line = ListLine
    for i, (lst, k, rem, x, ok, gone, s) in enumerate(
            zip(c.lists, won, rems, extra, qualified, lost, seated, strict=True)):
        got = k + x
        if s is None or not got:
            lines.append(line(lst.id, lst.votes, k, rem, seats, x, not ok, (), (), gone))
            continue
        start = cursor[i]
        picked = s[start:start + got]
        cursor[i] = start + got
        lines.append(line(lst.id, lst.votes, k, rem, seats, x, not ok,
                          tuple(cand.name for _, cand in picked),
                          tuple(rank for rank, _ in picked), gone))
    return tuple(lines)


def _break_remainder_tie(
    c: ListConstituency,
    label: str,
    tied: list[int],
    seats: int,
    seated: Sequence[_Seated],
    cursor: Sequence[int],
    won: Sequence[int],
    extra: Sequence[int],
    rules: RuleSet,
    lots: Lots,
    ties: list[Tie],
) -> list[int]:
    """Art. 24 §4: ``seats`` seats among ``tied`` lists with equal remainders, one at a time,
    each to the list whose next standing candidate is the youngest (oldest under the 2015 rule
    sets), then by lot.  Records each decision in ``ties``; returns the winners."""
    prefix = f"{c.id}:" if c.id else ""
    contenders = list(tied)
    winners: list[int] = []
    for _ in range(seats):
        births = {c.lists[i].id: _next_birth(seated[i], cursor[i] + won[i] + extra[i])
                  for i in contenders}
        key = f"{prefix}{label}:{'|'.join(sorted(births))}"
        tie = break_tie(key, births, rules.tie_age, label, lots)
        ties.append(tie)
        winner = next(i for i in contenders if c.lists[i].id == tie.winner)
        contenders.remove(winner)
        winners.append(winner)
    return winners


def _next_birth(seated: _Seated, index: int) -> date | None:
    if seated is None or index >= len(seated):
        return None
    return seated[index][1].birth_date


# --------------------------------------------------------------------------------------------
# Single-member plurality


def allocate_district(d: District, rules: RuleSet, lots: Lots = NO_LOTS) -> DistrictResult:
    """Plurality in one round (art. 24 §5, art. 130 §1): the most votes wins; equal votes go to
    the youngest, then lot (art. 24 last §).  Where a women's seat is attached (art. 128 bis
    §1, art. 138 §3) the winner's attached woman is elected with the winner."""
    votes = [cand.votes for cand in d.candidates]
    reason = _rerun_reason(votes, d.registered, d.voters, rules)
    if reason is not None:
        return DistrictResult(AllocationStatus.RERUN_REQUIRED, rules.name, None, (), reason=reason)
    top = max(votes)
    leaders = [cand for cand in d.candidates if cand.votes == top]
    ties: tuple[Tie, ...] = ()
    winner = leaders[0]
    if len(leaders) > 1:
        label = f"district:{d.id}" if d.id else "district"
        key = f"{label}:{'|'.join(sorted(cand.id for cand in leaders))}"
        try:
            tie = break_tie(key, {cand.id: cand.birth_date for cand in leaders},
                            rules.tie_age, label, lots)
        except _LotNeeded as need:
            return DistrictResult(AllocationStatus.LOT_REQUIRED, rules.name, None, (),
                                  lot_required=need.request)
        ties = (tie,)
        winner = next(cand for cand in leaders if cand.id == tie.winner)
    elected: tuple[str, ...] = (winner.name,)
    if d.attached_women_seat and winner.attached_woman is not None:
        elected += (winner.attached_woman.name,)
    return DistrictResult(AllocationStatus.DECLARED, rules.name, winner.id, elected, ties)
