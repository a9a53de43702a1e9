"""Properties of the list allocation on random constituencies (hypothesis).

Random constituencies: 2–15 lists, 1–4 seat groups of 1–60 seats, votes with
``sum + void ≤ voters ≤ registered``, any of the six rule sets.  Candidates are either omitted
(seat counts only), or given with pairwise distinct birth dates (every tie goes by age), or all
born the same day (every tie goes to the lot, drawn from a seed).  Unless a property says
otherwise every list has enough standing candidates, so no list is ever exhausted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from math import ceil

import votelib.evaluate.proportional as vp
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from intikhab.law.allocation import (
    AllocationStatus,
    Candidate,
    CandidateList,
    Council,
    ListConstituency,
    ListResult,
    Lots,
    Part,
    SeatGroup,
    Tie,
    allocate_lists,
    largest_remainder,
    quotas,
)
from intikhab.law.errors import AllocationError
from intikhab.law.rulesets import RULE_SETS, RuleSet

PROPS = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
FEWER = settings(PROPS, max_examples=100)

LAYOUTS: tuple[tuple[tuple[Part, Council | None], ...], ...] = (
    ((Part.GENERAL, None),),
    ((Part.GENERAL, None), (Part.WOMEN, None)),
    ((Part.GENERAL, Council.COMMUNE), (Part.GENERAL, Council.ARRONDISSEMENT),
     (Part.WOMEN, Council.COMMUNE), (Part.WOMEN, Council.ARRONDISSEMENT)),
)
NO_CANDIDATES, DISTINCT, SAME_DAY = "none", "distinct", "same-day"
# counts drawn from a few round figures too, so that equal remainders (ties) are frequent
VOTES = st.one_of(st.integers(0, 20_000), st.sampled_from([0, 150, 300, 450, 600, 1200]))
_PRIME = 30_011  # > any number of candidates drawn below: i ↦ (a·i + b) mod p is injective


@dataclass(frozen=True)
class Case:
    constituency: ListConstituency
    rules: RuleSet
    lots: Lots
    candidates: str


def _people(rng: random.Random, lid: str, part: Part, needed: int, mode: str,
            born: list[date], spread: tuple[int, int]) -> tuple[Candidate, ...]:
    """``needed`` standing candidates, with a few who cannot sit mixed in (art. 24 §3)."""
    out = []
    a, b = spread
    standing = 0
    while standing < needed:
        n = len(born)
        day = (date(1940, 1, 1) + timedelta(days=(a * n + b) % _PRIME)
               if mode == DISTINCT else date(1980, 6, 15))
        born.append(day)
        eligible = rng.random() > 0.05
        deceased = rng.random() < 0.03
        out.append(Candidate(f"{lid}-{part}-{n}", day, None, eligible, deceased))
        standing += eligible and not deceased
    return tuple(out)


@st.composite
def cases(draw: st.DrawFn, rules: tuple[str, ...] = tuple(sorted(RULE_SETS)),
          modes: tuple[str, ...] = (NO_CANDIDATES, DISTINCT, SAME_DAY),
          short: bool = False) -> Case:
    """A random constituency; ``short``: lists may have fewer standing candidates than seats."""
    n = draw(st.integers(2, 15))
    votes = draw(st.lists(VOTES, min_size=n, max_size=n))
    void = draw(st.integers(0, 3_000))
    voters = sum(votes) + void + draw(st.integers(0, 3_000))
    registered = voters + draw(st.integers(0, 50_000))
    layout = draw(st.sampled_from(LAYOUTS))
    groups = tuple(SeatGroup(part, draw(st.integers(1, 60)), council)
                   for part, council in layout)
    mode = draw(st.sampled_from(modes))
    rng = random.Random(draw(st.integers(0, 2**32)))
    spread = (draw(st.integers(1, _PRIME - 1)), draw(st.integers(0, _PRIME - 1)))
    born: list[date] = []
    lists = []
    for i, v in enumerate(votes):
        lid = f"L{i}"
        parts: dict[Part, tuple[Candidate, ...] | None] = dict.fromkeys(Part)
        if mode != NO_CANDIDATES:
            for part in Part:
                needed = sum(g.seats for g in groups if g.part is part)
                if short:
                    needed = rng.randint(0, needed)
                parts[part] = _people(rng, lid, part, needed, mode, born, spread)
        lists.append(CandidateList(lid, v, f"list {i}", parts[Part.GENERAL], parts[Part.WOMEN]))
    c = ListConstituency(registered, voters, void, groups, tuple(lists))
    seed = draw(st.text(min_size=1, max_size=12))
    return Case(c, RULE_SETS[draw(st.sampled_from(rules))], Lots(seed=seed), mode)


def run(case: Case) -> ListResult | None:
    """The allocation, or ``None`` when a tie needed birth dates that were not given (only
    possible with the candidates omitted)."""
    try:
        result = allocate_lists(case.constituency, case.rules, case.lots)
    except AllocationError as err:
        assert err.code == "E-ALLOC-016"
        assert case.candidates == NO_CANDIDATES
        event("tie without birth dates")
        return None
    assert result.status is not AllocationStatus.LOT_REQUIRED  # the seed settles every lot
    event(f"{case.candidates}: {result.status.value}")
    if result.ties:
        event(f"ties decided by {sorted({t.decided_by.value for t in result.ties})}")
    if any(ln.by_remainder > 1 for g in result.groups for ln in g.lines):
        event("further remainder rounds")
    return result


def eligible_votes(result: ListResult, c: ListConstituency) -> list[int]:
    """Each list's votes as the quotient sees them: 0 for a list under the threshold."""
    excluded = {ln.id for ln in result.groups[0].lines if ln.excluded}
    return [0 if lst.id in excluded else lst.votes for lst in c.lists]


# --------------------------------------------------------------------------------------------


@PROPS
@given(cases())
def test_every_declared_group_fills_its_seats(case: Case) -> None:
    """Art. 92 §3 / 139 §2: with nobody exhausted, every seat of every group is filled."""
    result = run(case)
    if result is None or result.status is AllocationStatus.RERUN_REQUIRED:
        return
    assert [g.seats for g in result.groups] == [g.seats for g in case.constituency.groups]
    for group in result.groups:
        assert group.unfilled == 0
        assert sum(ln.seats for ln in group.lines) == group.seats
        for ln, lst in zip(group.lines, case.constituency.lists, strict=True):
            assert ln.id == lst.id
            if case.candidates != NO_CANDIDATES:
                assert len(ln.elected) == ln.seats
    assert sum(result.totals.values()) == sum(g.seats for g in case.constituency.groups)


@PROPS
@given(cases())
def test_whole_quotas_then_at_most_one_remainder_seat_per_round(case: Case) -> None:
    """Art. 92 §3 / 139 §2: each list keeps its whole quotas; the remaining seats go one per
    list per round, so a list takes at most one remainder seat when they do not outnumber the
    lists with votes, and at most ``ceil(remaining / lists with votes)`` in general."""
    result = run(case)
    if result is None or result.status is AllocationStatus.RERUN_REQUIRED:
        return
    votes = eligible_votes(result, case.constituency)
    with_votes = sum(1 for v in votes if v > 0)
    for group in result.groups:
        ks, _ = quotas(votes, group.seats, group.base)
        assert [ln.by_quotient for ln in group.lines] == ks
        remaining = group.seats - sum(ks)
        bound = ceil(remaining / with_votes)
        if remaining <= with_votes:
            assert bound <= 1
        for ln, v in zip(group.lines, votes, strict=True):
            assert 0 <= ln.by_remainder <= bound
            if v == 0:
                assert ln.seats == 0


def _ties(ties: tuple[Tie, ...]) -> list[tuple[str, tuple[str, ...], str, str, str | None]]:
    """Ties as sets: the contenders are listed in input order, which a permutation changes."""
    return sorted((t.key, tuple(sorted(t.contenders)), t.decided_by.value, t.winner,
                   t.lot_source) for t in ties)


@PROPS
@given(cases(modes=(DISTINCT, SAME_DAY, NO_CANDIDATES)), st.randoms(use_true_random=False))
def test_permuting_the_lists_changes_no_seat(case: Case, rnd: random.Random) -> None:
    """Ties go by age, then by a lot keyed by the contenders' ids: a list's place in the input
    never matters."""
    lists = list(case.constituency.lists)
    rnd.shuffle(lists)
    shuffled = replace(case, constituency=replace(case.constituency, lists=tuple(lists)))
    first, second = run(case), run(shuffled)
    if first is None or second is None:
        assert first is second is None
        return
    assert first.status is second.status
    assert first.totals == second.totals
    for g1, g2 in zip(first.groups, second.groups, strict=True):
        assert {ln.id: ln for ln in g1.lines} == {ln.id: ln for ln in g2.lines}
        assert _ties(g1.ties) == _ties(g2.ties)


@FEWER
@given(cases(modes=(SAME_DAY,)))
def test_same_input_and_seed_give_the_same_result(case: Case) -> None:
    """SPEC §12: a seeded draw can be replayed by anyone holding the seed."""
    first, second = run(case), run(case)
    assert first == second
    copy = replace(case, lots=Lots(seed=case.lots.seed))
    assert run(copy) == first


@PROPS
@given(cases())
def test_remainders_are_exact_and_below_the_quotient(case: Case) -> None:
    """The guide's remainder ``votes − quotas × quotient``, exactly, in ``[0, quotient)``."""
    result = run(case)
    if result is None or result.status is AllocationStatus.RERUN_REQUIRED:
        return
    for group in result.groups:
        q = group.quotient
        assert q == Fraction(group.base, group.seats)
        for ln in group.lines:
            if ln.excluded:
                assert (ln.by_quotient, ln.remainder, ln.seats) == (0, Fraction(0), 0)
                continue
            assert ln.remainder == ln.votes - (ln.by_quotient + ln.forfeited) * q
            assert 0 <= ln.remainder < q


@PROPS
@given(cases(rules=("communal-2021", "regional-2021", "legislative-2021")))
def test_more_votes_never_fewer_seats(case: Case) -> None:
    """Largest remainder is monotone within a group: more votes, never fewer seats."""
    result = run(case)
    if result is None or result.status is AllocationStatus.RERUN_REQUIRED:
        return
    for group in result.groups:
        for a in group.lines:
            for b in group.lines:
                if a.votes > b.votes:
                    assert a.seats >= b.seats, (group.label, a, b)


@st.composite
def bare(draw: st.DrawFn) -> tuple[list[int], int, int]:
    n = draw(st.integers(2, 15))
    votes = draw(st.lists(VOTES, min_size=n, max_size=n))
    base = sum(votes) + draw(st.integers(0, 40_000))
    return votes, draw(st.integers(1, 60)), base


@PROPS
@given(bare())
def test_largest_remainder_matches_votelib(args: tuple[list[int], int, int]) -> None:
    """votelib 0.4.0's ``LargestRemainder`` with the quota ``base / seats`` (an independent
    implementation, exact arithmetic) gives the same seats whenever there is no tie at the cut
    and one round of remainders suffices."""
    votes, seats, base = args
    if base == 0:
        return
    ks, rems = quotas(votes, seats, base)
    remaining = seats - sum(ks)
    ranked = sorted((rems[i] for i, v in enumerate(votes) if v > 0), reverse=True)
    if remaining > len(ranked):
        return  # votelib has no further rounds
    if 0 < remaining < len(ranked) and ranked[remaining - 1] == ranked[remaining]:
        return  # a tie at the cut: votelib reports it, the bare rule takes the earlier list
    event("compared with votelib")
    ev = vp.LargestRemainder(lambda total, n: Fraction(base, n))
    theirs = ev.evaluate({i: v for i, v in enumerate(votes) if v > 0}, seats)
    assert all(isinstance(k, int) for k in theirs)
    ours = largest_remainder(votes, seats, base)
    assert {i: s for i, s in enumerate(ours) if s} == {k: s for k, s in theirs.items() if s}


@FEWER
@given(cases(modes=(DISTINCT, SAME_DAY), short=True))
def test_exhausted_lists_seat_only_standing_candidates(case: Case) -> None:
    """Art. 24 §3 and SPEC §12: a list seats only its standing candidates, in list order and
    each once across the groups of a part; a seat is left unfilled only when no list with votes
    has anyone left to take it."""
    result = run(case)
    if result is None or result.status is AllocationStatus.RERUN_REQUIRED:
        return
    seated: dict[tuple[str, Part], list[str]] = {}
    for group in result.groups:
        assert sum(ln.seats for ln in group.lines) + group.unfilled == group.seats
        for ln, lst in zip(group.lines, case.constituency.lists, strict=True):
            assert len(ln.elected) == ln.seats
            seated.setdefault((lst.id, group.part), []).extend(ln.elected)
        if group.unfilled:
            event("unfilled seats")
            for ln, lst in zip(group.lines, case.constituency.lists, strict=True):
                cands = lst.part(group.part) or ()
                left = [x for x in cands if x.standing and x.name not in
                        seated[lst.id, group.part]]
                assert ln.excluded or lst.votes == 0 or not left
    for lst in case.constituency.lists:
        for part in Part:
            standing = [x.name for x in lst.part(part) or () if x.standing]
            got = seated.get((lst.id, part), [])
            assert got == standing[:len(got)]
