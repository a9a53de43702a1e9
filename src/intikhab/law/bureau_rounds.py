"""The voting rounds of a council's bureau elections, and how their ties are settled.

One engine serves every office (organic laws 111.14 regions, 112.14 prefectures/provinces,
113.14 communes, as the essay ``004_…`` gives them):

- the president and the vice-presidents' lists: round 1 by absolute majority of the members
  IN OFFICE (الأغلبية المطلقة للأعضاء المزاولين مهامهم); round 2 between the first two of
  round 1, same majority; round 3 by relative majority of the members PRESENT (الأغلبية النسبية
  للأعضاء الحاضرين) — art. 15 and art. 21 of law 111.14, art. 20 of law 112.14, art. 13 and
  art. 19 of law 113.14;
- the secretary, his deputy and the committee chairs: one round by relative majority of the
  members present — art. 25 and 29 of law 111.14, art. 24 and 27 of law 112.14, art. 23 and 26
  of law 113.14.

Ties go to the youngest, then to a lot (president, secretary), or to the president's list
(vice-presidents, round 3).  A lot is never drawn silently: it is entered (``Lots.outcomes``),
drawn from a public seed with :func:`~intikhab.law.allocation.seeded_draw` — the same
mechanism as the seat allocation — or reported as required.

Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from intikhab.law.allocation import NO_LOTS, Lots, seeded_draw
from intikhab.law.errors import InputError

__all__ = [
    "NextRound",
    "OutcomeStatus",
    "Rejection",
    "ResolvedBy",
    "Round",
    "RoundOutcome",
    "RoundRecord",
    "Rule",
    "TieBreak",
    "TieRecord",
    "Voting",
    "absolute_majority",
    "run_rounds",
]


class Rule(StrEnum):
    """The majority a round requires."""

    ABSOLUTE_IN_OFFICE = "absolute_in_office"
    RELATIVE_PRESENT = "relative_present"


class RoundOutcome(StrEnum):
    ELECTED = "elected"
    NO_MAJORITY = "no_majority"
    """Nobody reached the majority alone — in a relative-majority round, a tie for first place
    that only a lot can settle (the tie is in the outcome's ``ties``)."""


class OutcomeStatus(StrEnum):
    ELECTED = "elected"
    NEXT_ROUND = "next_round"
    LOT_REQUIRED = "lot_required"


class ResolvedBy(StrEnum):
    AGE = "age"
    LOT = "lot"
    PRESIDENT_LIST = "president_list"
    """A tie between vice-presidents' lists that includes the president's list goes to it
    (art. 21 of law 111.14, art. 20 of law 112.14, art. 19 of law 113.14)."""


@dataclass(frozen=True, slots=True)
class Round:
    """One round as the session's minutes record it: members present and votes per contender
    (a contender missing from ``votes`` had none)."""

    present: int
    votes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """How one round was decided: its rule, the votes it needed (``None`` for a relative
    majority) and its outcome."""

    round: int
    rule: Rule
    needed: int | None
    outcome: RoundOutcome
    contenders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TieRecord:
    """Equal votes between ``contenders``: ``resolved_by`` ``None`` while a lot is awaited.
    ``key`` is the key under which the commission enters the lot's outcome."""

    key: str
    contenders: tuple[str, ...]
    resolved_by: ResolvedBy | None
    winner: str | None
    lot_source: str | None = None


@dataclass(frozen=True, slots=True)
class NextRound:
    """The round to hold next and who stands in it."""

    round: int
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidacy (or vice-presidents' list) not admitted, with the catalogue code saying why."""

    id: str
    code: str


@dataclass(frozen=True, slots=True)
class TieBreak:
    """How ties are settled: the ``preferred`` contender first (the president's list), then the
    youngest by ``births`` (a list by its head's birth date), then a lot under ``key_prefix``."""

    births: Mapping[str, date]
    key_prefix: str
    preferred: str | None = None


@dataclass(frozen=True, slots=True)
class Voting:
    """The rounds' outcome: the engine's half of an office's outcome."""

    status: OutcomeStatus
    rounds: tuple[RoundRecord, ...]
    next_round: NextRound | None
    elected: str | None
    ties: tuple[TieRecord, ...]


class _LotPending(Exception):
    def __init__(self, tie: TieRecord) -> None:
        self.tie = tie


def absolute_majority(in_office: int) -> int:
    """Absolute majority of the members in office: more than half, ``in_office // 2 + 1``
    (art. 15 of law 111.14, art. 13 of law 113.14 and their prefecture counterpart)."""
    return in_office // 2 + 1


# --------------------------------------------------------------------------------------------
# Ties


def _settle_one(tied: Sequence[str], tb: TieBreak, stage: str, lots: Lots) -> TieRecord:
    """One winner among ``tied``: preferred, else youngest, else lot (never drawn silently)."""
    contenders = tuple(sorted(tied))
    key = f"{tb.key_prefix}:{stage}:{'|'.join(contenders)}"
    if tb.preferred is not None and tb.preferred in contenders:
        return TieRecord(key, contenders, ResolvedBy.PRESIDENT_LIST, tb.preferred)
    youngest = max(tb.births[c] for c in contenders)
    at_best = tuple(c for c in contenders if tb.births[c] == youngest)
    if len(at_best) == 1:
        return TieRecord(key, contenders, ResolvedBy.AGE, at_best[0])
    lot_key = f"{tb.key_prefix}:{stage}:{'|'.join(at_best)}"
    if lot_key in lots.outcomes:
        winner = lots.outcomes[lot_key]
        if winner not in at_best:
            raise InputError("E-BUR-018", field=f"lots.{lot_key}", key=lot_key, value=winner,
                             contenders=", ".join(at_best))
        return TieRecord(lot_key, contenders, ResolvedBy.LOT, winner, "entered")
    if lots.seed is not None:
        return TieRecord(lot_key, contenders, ResolvedBy.LOT,
                         seeded_draw(lots.seed, lot_key, at_best), "seed")
    raise _LotPending(TieRecord(lot_key, contenders, None, None))


def _pick(tied: Sequence[str], n: int, tb: TieBreak, stage: str, lots: Lots,
          ties: list[TieRecord]) -> list[str]:
    """``n`` of the ``tied`` contenders, one at a time, each by :func:`_settle_one`."""
    left, chosen = list(tied), []
    for _ in range(n):
        tie = _settle_one(left, tb, stage, lots)
        ties.append(tie)
        assert tie.winner is not None
        chosen.append(tie.winner)
        left.remove(tie.winner)
    return chosen


def _top_two(votes: Mapping[str, int], tb: TieBreak, lots: Lots,
             ties: list[TieRecord]) -> tuple[str, ...]:
    """The first and the second of round 1 (art. 15 §2 of law 111.14 and counterparts).

    Decision (the laws are silent): when equal votes straddle the second place, the places go
    by the same order as a tie in round 3 — the president's list first (vice-presidents), then
    the youngest, then a lot.  The result lists the two by round-1 rank.
    """
    ranked = sorted(votes, key=lambda c: (-votes[c], c))
    if len(ranked) <= 2:
        return tuple(ranked)
    second = votes[ranked[1]]
    sure = [c for c in ranked if votes[c] > second]
    tied = [c for c in ranked if votes[c] == second]
    if len(sure) + len(tied) <= 2:
        return tuple(sure + tied)
    return tuple(sure + _pick(tied, 2 - len(sure), tb, "round1", lots, ties))


# --------------------------------------------------------------------------------------------
# Rounds


def _check_round(r: Round, i: int, contenders: Sequence[str], in_office: int,
                 path: str) -> dict[str, int]:
    """A round's figures: present ≤ members in office; votes only for this round's contenders,
    non-negative integers, adding up to no more than the members present."""
    here = f"{path}[{i}]"
    present = r.present
    if isinstance(present, bool) or not isinstance(present, int) or present < 0:
        raise InputError("E-BUR-003", field=f"{here}.present", value=repr(present))
    if present > in_office:
        raise InputError("E-BUR-014", field=f"{here}.present", present=present,
                         in_office=in_office)
    for who, n in r.votes.items():
        if who not in contenders:
            raise InputError("E-BUR-016", field=f"{here}.votes.{who}", value=who, round=i + 1)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError("E-BUR-003", field=f"{here}.votes.{who}", value=repr(n))
    total = sum(r.votes.values())
    if total > present:
        raise InputError("E-BUR-015", field=f"{here}.votes", total=total, present=present)
    return {c: r.votes.get(c, 0) for c in contenders}


def run_rounds(
    contenders: Sequence[str],
    rounds: Sequence[Round],
    in_office: int,
    tb: TieBreak,
    lots: Lots = NO_LOTS,
    *,
    three_rounds: bool = True,
    path: str = "rounds",
) -> Voting:
    """Play the rounds given, in order, and say where the election stands.

    ``three_rounds``: absolute majority of ``in_office`` in rounds 1 and 2 (round 2 between the
    first two of round 1), relative majority of those present in round 3; otherwise a single
    relative-majority round.  Decision: round 3 is between the same two contenders as round 2
    (the laws hold it "if round 2 gives no absolute majority", naming nobody new).  A round
    given after the office was filled is ``E-BUR-017``.  When a lot is required, the rounds after
    it are not read (the outcome asks for the lot first).
    """
    plan = ([Rule.ABSOLUTE_IN_OFFICE, Rule.ABSOLUTE_IN_OFFICE, Rule.RELATIVE_PRESENT]
            if three_rounds else [Rule.RELATIVE_PRESENT])
    if len(rounds) > len(plan):
        raise InputError("E-BUR-017", field=f"{path}[{len(plan)}]", round=len(plan) + 1)
    if rounds and not contenders:
        raise InputError("E-BUR-019", field=path)
    current = tuple(contenders)
    records: list[RoundRecord] = []
    ties: list[TieRecord] = []
    for i, rule in enumerate(plan):
        if i >= len(rounds):
            return Voting(OutcomeStatus.NEXT_ROUND, tuple(records), NextRound(i + 1, current),
                          None, tuple(ties))
        votes = _check_round(rounds[i], i, current, in_office, path)
        try:
            winner = _decide(rule, votes, in_office, tb, lots, ties, i + 1)
        except _LotPending as pending:
            ties.append(pending.tie)
            records.append(RoundRecord(i + 1, rule, None, RoundOutcome.NO_MAJORITY, current))
            return Voting(OutcomeStatus.LOT_REQUIRED, tuple(records), None, None, tuple(ties))
        needed = absolute_majority(in_office) if rule is Rule.ABSOLUTE_IN_OFFICE else None
        if winner is not None:
            records.append(RoundRecord(i + 1, rule, needed, RoundOutcome.ELECTED, current))
            if len(rounds) > i + 1:
                raise InputError("E-BUR-017", field=f"{path}[{i + 1}]", round=i + 2)
            return Voting(OutcomeStatus.ELECTED, tuple(records), None, winner, tuple(ties))
        records.append(RoundRecord(i + 1, rule, needed, RoundOutcome.NO_MAJORITY, current))
        if i == 0:
            try:
                current = _top_two(votes, tb, lots, ties)
            except _LotPending as pending:
                ties.append(pending.tie)
                return Voting(OutcomeStatus.LOT_REQUIRED, tuple(records), None, None,
                              tuple(ties))
    raise AssertionError("a relative-majority round always elects")  # pragma: no cover


def _decide(rule: Rule, votes: Mapping[str, int], in_office: int, tb: TieBreak, lots: Lots,
            ties: list[TieRecord], n: int) -> str | None:
    """The round's winner, or ``None`` when an absolute-majority round gives none."""
    if not votes:
        return None
    if rule is Rule.ABSOLUTE_IN_OFFICE:
        needed = absolute_majority(in_office)
        return next((c for c, v in votes.items() if v >= needed), None)
    top = max(votes.values())
    leaders = [c for c, v in votes.items() if v == top]
    if len(leaders) == 1:
        return leaders[0]
    return _pick(leaders, 1, tb, f"round{n}", lots, ties)[0]
