"""Seat allocation, one test per path of the law (organic law 59.11 as amended; SPEC §7, §12).

Small hand-made constituencies whose arithmetic can be checked on paper: every figure asserted
below is worked out in the test's docstring or comments.  The three worked examples of the guide
are in ``test_guide_examples.py``; the general properties in ``test_properties.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from intikhab.formats.allocation_json import parse_constituency
from intikhab.law.allocation import (
    AllocationStatus,
    Candidate,
    CandidateList,
    Council,
    DecidedBy,
    District,
    DistrictCandidate,
    GroupResult,
    ListConstituency,
    ListResult,
    LotRequest,
    Lots,
    Part,
    SeatGroup,
    Sex,
    Tie,
    allocate_district,
    allocate_lists,
    largest_remainder,
    seeded_draw,
)
from intikhab.law.errors import AllocationError, InputError
from intikhab.law.rulesets import RULE_SETS, get_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

C21 = get_rules("communal-2021")
R21 = get_rules("regional-2021")
C15 = get_rules("communal-2015")
R15 = get_rules("regional-2015")
L16 = get_rules("legislative-2016")
L21 = get_rules("legislative-2021")

GENERAL = SeatGroup(Part.GENERAL, 1)


# --------------------------------------------------------------------------------------------
# builders


def cand(name: str, born: date | None = None, *, eligible: bool = True,
         deceased: bool = False, sex: Sex | None = None) -> Candidate:
    return Candidate(name, born, sex, eligible, deceased)


def people(prefix: str, *years: int) -> tuple[Candidate, ...]:
    """Candidates ``prefix1``, ``prefix2``… born on 1 January of the given years."""
    return tuple(cand(f"{prefix}{n}", date(y, 1, 1)) for n, y in enumerate(years, 1))


def lst(lid: str, votes: int, general: Sequence[Candidate] | None = None,
        women: Sequence[Candidate] | None = None) -> CandidateList:
    return CandidateList(lid, votes, f"list {lid}",
                         None if general is None else tuple(general),
                         None if women is None else tuple(women))


def const(lists: Sequence[CandidateList], *groups: SeatGroup, voters: int | None = None,
          registered: int | None = None) -> ListConstituency:
    """A constituency; ``voters`` defaults to the votes cast (no void ballot), ``registered``
    to the voters."""
    total = sum(x.votes for x in lists)
    v = total if voters is None else voters
    return ListConstituency(registered if registered is not None else v, v, v - total,
                            tuple(groups), tuple(lists))


def gen(seats: int, council: Council | None = None) -> SeatGroup:
    return SeatGroup(Part.GENERAL, seats, council)


def women(seats: int, council: Council | None = None) -> SeatGroup:
    return SeatGroup(Part.WOMEN, seats, council)


def seats_of(group: GroupResult) -> dict[str, int]:
    return {line.id: line.seats for line in group.lines}


def elected(group: GroupResult) -> dict[str, tuple[str, ...]]:
    return {line.id: line.elected for line in group.lines if line.elected}


def declared(result: ListResult) -> ListResult:
    assert result.status is AllocationStatus.DECLARED, result
    return result


# --------------------------------------------------------------------------------------------
# remainder ties (art. 24 §4 and last §)

# A = B = 300, C = 400, 1000 voters, 2 seats: quotient 500, nobody has a whole quota; C's
# remainder 400 takes the first seat, A and B tie at 300 for the second.
TIE_VOTES = (("A", 300), ("B", 300), ("C", 400))


def tie_lists(a: Sequence[Candidate] | None, b: Sequence[Candidate] | None,
              c: Sequence[Candidate] | None = None, *, part: Part = Part.GENERAL,
              ) -> tuple[CandidateList, ...]:
    cs = (a, b, c if c is not None else people("c", 1975))
    if part is Part.GENERAL:
        return tuple(lst(i, v, x) for (i, v), x in zip(TIE_VOTES, cs, strict=True))
    return tuple(lst(i, v, people(i.lower(), 1960, 1961), x)
                 for (i, v), x in zip(TIE_VOTES, cs, strict=True))


def test_remainder_tie_goes_to_the_youngest_next_candidate_2021() -> None:
    """Art. 24 §4 (law 06.21): equal remainders → the list whose next candidate is youngest."""
    c = const(tie_lists(people("a", 1980), people("b", 1990)), gen(2))
    result = declared(allocate_lists(c, C21))
    (group,) = result.groups
    assert group.quotient == 500
    assert {ln.id: ln.remainder for ln in group.lines} == {"A": 300, "B": 300, "C": 400}
    assert seats_of(group) == {"A": 0, "B": 1, "C": 1}
    assert elected(group) == {"B": ("b1",), "C": ("c1",)}
    assert group.ties == (Tie("general:A|B", ("A", "B"), DecidedBy.AGE, "B"),)
    assert result.ties == group.ties


def test_remainder_tie_goes_to_the_oldest_under_2015_rules_on_the_same_figures() -> None:
    """Art. 24 before law 06.21 (seeds/004): the oldest won; all lists pass 6 % and the base
    (valid votes of the qualified lists) equals the voters here, so only the age rule differs."""
    c = const(tie_lists(people("a", 1980), people("b", 1990)), gen(2))
    result = declared(allocate_lists(c, C15))
    (group,) = result.groups
    assert group.base == 1000
    assert seats_of(group) == {"A": 1, "B": 0, "C": 1}
    assert group.ties == (Tie("general:A|B", ("A", "B"), DecidedBy.AGE, "A"),)


def test_tie_compares_the_next_standing_candidate_not_the_first_on_the_list() -> None:
    """Art. 24 §3 and §4: an ineligible candidate is skipped, so A's *next* candidate is a2
    (1970), older than B's b1 (1980): B wins under the youngest rule although a1 is the
    youngest of all."""
    a = (cand("a1", date(2000, 1, 1), eligible=False), cand("a2", date(1970, 1, 1)))
    result = declared(allocate_lists(const(tie_lists(a, people("b", 1980)), gen(2)), C21))
    assert result.ties[0].winner == "B"
    # control: with a1 standing, A would have won
    a_ok = (cand("a1", date(2000, 1, 1)), cand("a2", date(1970, 1, 1)))
    control = declared(allocate_lists(const(tie_lists(a_ok, people("b", 1980)), gen(2)), C21))
    assert control.ties[0].winner == "A"
    assert elected(control.groups[0])["A"] == ("a1",)


def test_tie_compares_the_candidate_after_those_already_seated_by_quota() -> None:
    """Art. 24 §4: the candidate who would take the seat is the one after the list's quota
    seats.  A = 700 and B = 100 with 1200 voters for 2 seats (quotient 600): A has one quota
    seat (a1, born 2000) and a remainder of 100, equal to B's; A's next is a2 (1960), so B's b1
    (1980) is younger and wins."""
    c = const([lst("A", 700, people("a", 2000, 1960)), lst("B", 100, people("b", 1980))],
              gen(2), voters=1200)
    (group,) = declared(allocate_lists(c, C21)).groups
    assert group.quotient == 600
    assert {ln.id: (ln.by_quotient, ln.remainder) for ln in group.lines} == {
        "A": (1, Fraction(100)), "B": (0, Fraction(100))}
    assert group.ties[0].winner == "B"
    assert elected(group) == {"A": ("a1",), "B": ("b1",)}


SAME_DAY = date(1985, 5, 5)


def lot_constituency() -> ListConstituency:
    """General: 1 seat, C's remainder 400 wins outright.  Women: 2 seats, C takes one and A and
    B tie at 300 with women born the same day → a lot."""
    same = tie_lists((cand("aw1", SAME_DAY),), (cand("bw1", SAME_DAY),), (cand("cw1", SAME_DAY),),
                     part=Part.WOMEN)
    return const(same, gen(1), women(2))


def test_tie_between_candidates_born_the_same_day_requires_a_lot() -> None:
    """Art. 24 last §: same age → lot.  The engine does not draw it silently (SPEC §12): it
    reports the key, the contenders and the group, with the groups finished before it."""
    result = allocate_lists(lot_constituency(), C21)
    assert result.status is AllocationStatus.LOT_REQUIRED
    assert result.lot_required == LotRequest("women:A|B", ("A", "B"), "women")
    assert [g.label for g in result.groups] == ["general"]
    assert seats_of(result.groups[0]) == {"A": 0, "B": 0, "C": 1}
    assert result.reason is None


def test_lot_outcome_entered_by_the_commission() -> None:
    """Art. 24 last §: the commission draws the lot and enters the outcome."""
    lots = Lots(outcomes={"women:A|B": "A"})
    result = declared(allocate_lists(lot_constituency(), C21, lots))
    women_group = result.groups[1]
    assert women_group.ties == (
        Tie("women:A|B", ("A", "B"), DecidedBy.LOT, "A", "entered"),)
    assert elected(women_group) == {"A": ("aw1",), "C": ("cw1",)}
    assert result.totals == {"A": 1, "B": 0, "C": 2}


def test_entered_lot_takes_precedence_over_a_seed() -> None:
    """SPEC §12: an outcome the commission entered is used as is, even if a seed is given."""
    for winner in ("A", "B"):
        lots = Lots(outcomes={"women:A|B": winner}, seed="anything")
        tie = declared(allocate_lists(lot_constituency(), C21, lots)).ties[-1]
        assert (tie.winner, tie.lot_source) == (winner, "entered")


def test_lot_drawn_from_a_public_seed_is_reproducible() -> None:
    """SPEC §12: a draw from a public seed, recorded in the result, that anyone can replay."""
    winners = set()
    for n in range(12):
        seed = f"commission-2021-09-08-{n}"
        first = declared(allocate_lists(lot_constituency(), C21, Lots(seed=seed)))
        again = declared(allocate_lists(lot_constituency(), C21, Lots(seed=seed)))
        assert first == again
        tie = first.ties[-1]
        assert tie.decided_by is DecidedBy.LOT
        assert tie.lot_source == "seed"
        assert tie.key == "women:A|B"
        assert tie.winner == seeded_draw(seed, "women:A|B", ("A", "B"))
        winners.add(tie.winner)
    assert winners == {"A", "B"}  # the seed really draws: both outcomes occur


def test_lot_outcome_naming_someone_not_tied_is_rejected() -> None:
    """Art. 24 last §: only the tied lists take part in the lot — E-ALLOC-015."""
    with pytest.raises(InputError) as err:
        allocate_lists(lot_constituency(), C21, Lots(outcomes={"women:A|B": "C"}))
    assert err.value.code == "E-ALLOC-015"
    assert err.value.field == "lots.women:A|B"


def test_three_way_tie_for_two_seats_by_age() -> None:
    """Art. 24 §4: A = B = C = 300 for 2 seats (quotient 450, every remainder 300).  Youngest
    first (B 1990), then the youngest of the rest (C 1980); 2015 rules: the oldest (A 1970),
    then C (1980)."""
    lists = [lst("A", 300, people("a", 1970)), lst("B", 300, people("b", 1990)),
             lst("C", 300, people("c", 1980))]
    r21 = declared(allocate_lists(const(lists, gen(2)), C21))
    assert r21.totals == {"A": 0, "B": 1, "C": 1}
    assert r21.ties == (Tie("general:A|B|C", ("A", "B", "C"), DecidedBy.AGE, "B"),
                        Tie("general:A|C", ("A", "C"), DecidedBy.AGE, "C"))
    r15 = declared(allocate_lists(const(lists, gen(2)), C15))
    assert r15.totals == {"A": 1, "B": 0, "C": 1}
    assert [t.winner for t in r15.ties] == ["A", "C"]


def test_three_way_tie_with_two_youngest_born_the_same_day() -> None:
    """Art. 24 §4 and last §: A and B's next candidates share the youngest date → a lot between
    those two only, keyed ``tie key:A|B``; the second seat then goes by age (B over C)."""
    lists = [lst("A", 300, people("a", 1990)), lst("B", 300, people("b", 1990)),
             lst("C", 300, people("c", 1980))]
    c = const(lists, gen(2))
    pending = allocate_lists(c, C21)
    assert pending.status is AllocationStatus.LOT_REQUIRED
    assert pending.lot_required == LotRequest("general:A|B|C:A|B", ("A", "B"), "general")
    assert pending.groups == ()
    result = declared(allocate_lists(c, C21, Lots(outcomes={"general:A|B|C:A|B": "A"})))
    assert result.ties == (
        Tie("general:A|B|C:A|B", ("A", "B", "C"), DecidedBy.LOT, "A", "entered"),
        Tie("general:B|C", ("B", "C"), DecidedBy.AGE, "B"),
    )
    assert result.totals == {"A": 1, "B": 1, "C": 0}


def test_tie_without_birth_dates_cannot_be_decided() -> None:
    """Art. 24 §4: the tie goes by age, so the next candidates' birth dates are needed —
    E-ALLOC-016, whether the candidates lack dates or were not given at all."""
    no_dates = tie_lists((cand("a1"),), (cand("b1"),))
    with pytest.raises(AllocationError) as err:
        allocate_lists(const(no_dates, gen(2)), C21)
    assert err.value.code == "E-ALLOC-016"
    assert err.value.field == "general"
    without = tuple(lst(i, v) for i, v in TIE_VOTES)
    with pytest.raises(AllocationError) as err2:
        allocate_lists(const(without, gen(2)), C21, Lots(seed="x"))
    assert err2.value.code == "E-ALLOC-016"


def test_only_the_tied_lists_need_birth_dates() -> None:
    """Lists outside the tie may be given without candidates (seat counts only)."""
    lists = (lst("A", 300, people("a", 1980)), lst("B", 300, people("b", 1990)), lst("C", 400))
    assert declared(allocate_lists(const(lists, gen(2)), C21)).totals == {"A": 0, "B": 1, "C": 1}


# --------------------------------------------------------------------------------------------
# candidates who cannot sit (art. 24 §3) and exhausted lists (SPEC §12)


def test_ineligible_and_deceased_candidates_are_passed_over() -> None:
    """Art. 24 §3: the candidates below an ineligible or deceased one move up.  A = 600 and
    B = 400 for 5 seats (quotient 200): A 3, B 2; A's seats go to ranks 2, 4 and 5, and the
    women's ranks continue after the general part's 5."""
    a_general = (cand("a1", eligible=False), cand("a2"), cand("a3", deceased=True),
                 cand("a4"), cand("a5"))
    a_women = (cand("aw6", deceased=True), cand("aw7"))
    c = const([lst("A", 600, a_general, a_women), lst("B", 400, people("b", 1970, 1971))],
              gen(5), women(1))
    general, women_group = declared(allocate_lists(c, C21)).groups
    assert seats_of(general) == {"A": 3, "B": 2}
    line_a = general.lines[0]
    assert line_a.elected == ("a2", "a4", "a5")
    assert line_a.elected_ranks == (2, 4, 5)
    assert general.lines[1].elected_ranks == (1, 2)
    # women: 1 seat, quotient 1000, A's remainder 600 wins; its first woman died
    assert women_group.lines[0].elected == ("aw7",)
    assert women_group.lines[0].elected_ranks == (7,)


def test_exhausted_list_loses_its_quota_seat_to_the_next_largest_remainder() -> None:
    """SPEC §12: A = 800 wins 3 quotas (quotient 250) but has 2 candidates standing: the third
    seat goes to the remainders with the two others left, B (150) and C (40), not D (10)."""
    lists = [lst("A", 800, (cand("a1"), cand("a2"), cand("a3", eligible=False))),
             lst("B", 150), lst("C", 40), lst("D", 10)]
    (group,) = declared(allocate_lists(const(lists, gen(4)), C21)).groups
    assert group.quotient == 250
    assert {ln.id: (ln.by_quotient, ln.by_remainder) for ln in group.lines} == {
        "A": (2, 0), "B": (0, 1), "C": (0, 1), "D": (0, 0)}
    assert group.lines[0].elected == ("a1", "a2")
    assert group.lines[0].forfeited == 1
    assert group.lines[0].remainder == 800 - 3 * 250  # the explanation still adds up
    assert group.unfilled == 0
    # control: with its candidates omitted, A is never exhausted and keeps its 3 quotas
    plain = [lst(x.id, x.votes) for x in lists]
    assert declared(allocate_lists(const(plain, gen(4)), C21)).totals == {
        "A": 3, "B": 1, "C": 0, "D": 0}


def test_exhausted_list_takes_no_remainder_seat_even_with_the_largest_remainder() -> None:
    """SPEC §12: A has the largest remainder (450) but nobody standing: B and C take the 2
    seats."""
    lists = [lst("A", 450, (cand("a1", deceased=True),)), lst("B", 350), lst("C", 200)]
    result = declared(allocate_lists(const(lists, gen(2)), C21))
    assert result.totals == {"A": 0, "B": 1, "C": 1}


def test_seats_nobody_can_take_are_reported_unfilled() -> None:
    """SPEC §12: A = 600 (one candidate) and B = 400 (none) for 3 seats (quotient 1000/3): A
    takes 1 seat, B's quota is lost and nobody can take the 2 remaining ones."""
    lists = [lst("A", 600, people("a", 1970)), lst("B", 400, ())]
    result = declared(allocate_lists(const(lists, gen(3)), C21))
    (group,) = result.groups
    assert group.quotient == Fraction(1000, 3)
    assert seats_of(group) == {"A": 1, "B": 0}
    assert group.unfilled == 2


def test_arrondissement_seats_continue_after_the_last_communal_councillor() -> None:
    """Art. 141 §1 item 2: within a part, the arrondissement councillors of a list start at the
    candidate after its last elected communal councillor; a list short of candidates there
    loses the quota seat (A = 800, B = 200, 1000 voters)."""
    lists = [lst("A", 800, people("a", 1970, 1971, 1972)), lst("B", 200, people("b", 1980, 1981))]
    c = const(lists, gen(2, Council.COMMUNE), gen(3, Council.ARRONDISSEMENT))
    commune, arrondissement = declared(allocate_lists(c, C21)).groups
    # commune: quotient 500, A 1 quota (remainder 300) + the remainder seat over B (200)
    assert seats_of(commune) == {"A": 2, "B": 0}
    assert commune.lines[0].elected_ranks == (1, 2)
    # arrondissement: quotient 1000/3, A has 2 quotas but one candidate left (a3)
    assert arrondissement.label == "general/arrondissement"
    assert {ln.id: (ln.by_quotient, ln.by_remainder) for ln in arrondissement.lines} == {
        "A": (1, 0), "B": (0, 2)}
    assert elected(arrondissement) == {"A": ("a3",), "B": ("b1", "b2")}
    assert arrondissement.lines[0].elected_ranks == (3,)


# --------------------------------------------------------------------------------------------
# further remainder rounds


def test_additional_remainder_rounds_when_seats_left_exceed_the_lists() -> None:
    """Law 04.21 (legislative-2021): quotient on the 10,000 registered voters ÷ 4 = 2500, which
    no list reaches with a 20 % turnout; the 4 seats go by remainder, one per list per round:
    A, B, C, then A again."""
    lists = [lst("A", 1000), lst("B", 600), lst("C", 400)]
    c = const(lists, gen(4), voters=2000, registered=10_000)
    (group,) = declared(allocate_lists(c, L21)).groups
    assert group.base == 10_000
    assert group.quotient == 2500
    assert {ln.id: (ln.by_quotient, ln.by_remainder) for ln in group.lines} == {
        "A": (0, 2), "B": (0, 1), "C": (0, 1)}
    assert largest_remainder([1000, 600, 400], 4, 10_000) == [2, 1, 1]


def test_tie_in_a_later_round_is_keyed_by_round_and_uses_the_next_candidate() -> None:
    """Art. 24 §4 in round 2: A = B = 800 tie again after each took a seat in round 1; the
    next candidates are a2 (1995) and b2 (1985): A wins, under the key ``general:r2:A|B``."""
    lists = [lst("A", 800, people("a", 1970, 1995)), lst("B", 800, people("b", 1980, 1985)),
             lst("C", 400, people("c", 1990))]
    c = const(lists, gen(4), voters=2000, registered=10_000)
    (group,) = declared(allocate_lists(c, L21)).groups
    assert group.ties == (Tie("general:r2:A|B", ("A", "B"), DecidedBy.AGE, "A"),)
    assert elected(group) == {"A": ("a1", "a2"), "B": ("b1",), "C": ("c1",)}


def test_list_with_no_vote_gets_no_seat_even_in_later_rounds() -> None:
    """Art. 92 §3 / 139: seats are won by votes; with A alone having votes and a quotient of
    10,000/3, A takes all 3 seats in three rounds, B none."""
    c = const([lst("A", 1000), lst("B", 0)], gen(3), voters=1000, registered=10_000)
    (group,) = declared(allocate_lists(c, L21)).groups
    assert seats_of(group) == {"A": 3, "B": 0}
    assert group.unfilled == 0


# --------------------------------------------------------------------------------------------
# re-runs (art. 92 §4, art. 139 §3 and last §)


def test_single_list_below_one_fifth_of_the_registered_is_rerun() -> None:
    """Art. 139 §3: a lone list must reach one fifth of the registered voters: 199 of 1000
    registered is short → a new vote within three months."""
    c = const([lst("A", 199)], gen(3), voters=300, registered=1000)
    for rules in (C21, R21, C15, R15):
        result = allocate_lists(c, rules)
        assert result.status is AllocationStatus.RERUN_REQUIRED
        assert result.reason is not None and "1/5" in result.reason
        assert result.groups == ()


def test_single_list_at_exactly_one_fifth_is_declared() -> None:
    """Art. 92 §4 / 139 §3: 200 of 1000 registered is one fifth: the list takes every seat."""
    c = const([lst("A", 200)], gen(3), voters=300, registered=1000)
    assert declared(allocate_lists(c, C21)).totals == {"A": 3}


def test_legislative_rules_have_no_single_list_minimum() -> None:
    """Law 27.11 has no one-fifth rule: a lone list under a fifth is declared."""
    c = const([lst("A", 199)], gen(3), voters=300, registered=1000)
    for rules in (L16, L21):
        assert declared(allocate_lists(c, rules)).totals == {"A": 3}


def test_no_candidacy_is_rerun() -> None:
    """Art. 139 last §: no list filed → the constituency is re-run."""
    result = allocate_lists(const([], gen(3), voters=300, registered=1000), C21)
    assert result.status is AllocationStatus.RERUN_REQUIRED
    assert result.reason == "no candidacy in the constituency"


def test_no_vote_is_rerun() -> None:
    """Art. 139 last §: voting could not take place (no voter, or not one vote for a list)."""
    nobody = const([lst("A", 0), lst("B", 0)], gen(3), voters=0, registered=1000)
    all_void = const([lst("A", 0), lst("B", 0)], gen(3), voters=50, registered=1000)
    for c in (nobody, all_void):
        result = allocate_lists(c, R21)
        assert result.status is AllocationStatus.RERUN_REQUIRED
        assert result.reason == "no vote could be counted in the constituency"


# --------------------------------------------------------------------------------------------
# thresholds and quotient bases of the older rule sets (SPEC §12)

# valid votes 1000; C has exactly 6 %, D 5 %
SIX = [("A", 560), ("B", 330), ("C", 60), ("D", 50)]


def test_communal_2015_six_percent_threshold_and_base() -> None:
    """Art. 139 as amended by law 34.15: lists under 6 % of the valid votes take no part (C at
    exactly 6 % qualifies, D at 5 % does not); quotient = the qualified lists' 950 votes ÷ 10 =
    95 — not the 1100 voters.  A 5 + 1, B 3, C 0 + 1."""
    c = const([lst(i, v) for i, v in SIX], gen(10), voters=1100, registered=3000)
    (group,) = declared(allocate_lists(c, C15)).groups
    assert group.base == 950
    assert group.quotient == 95
    rows = {ln.id: (ln.excluded, ln.by_quotient, ln.remainder, ln.by_remainder)
            for ln in group.lines}
    assert rows == {"A": (False, 5, Fraction(85), 1), "B": (False, 3, Fraction(45), 0),
                    "C": (False, 0, Fraction(60), 1), "D": (True, 0, Fraction(0), 0)}
    assert group.lines[3].votes == 50  # the excluded list's votes are still shown


def test_same_figures_under_two_rule_sets_give_different_totals() -> None:
    """SPEC §12 "what would these votes have given under the other rules": under law 06.21 the
    quotient is 1100 ÷ 10 = 110 and D (5 %) takes a remainder seat; under law 34.15 D is
    excluded and A takes it."""
    c = const([lst(i, v) for i, v in SIX], gen(10), voters=1100, registered=3000)
    assert declared(allocate_lists(c, C21)).totals == {"A": 5, "B": 3, "C": 1, "D": 1}
    assert declared(allocate_lists(c, C15)).totals == {"A": 6, "B": 3, "C": 1, "D": 0}
    # and the quotient base of law 04.21 against law 06.21, on a low turnout
    low = const([lst("A", 1300), lst("B", 500), lst("C", 200)], gen(4), voters=2000,
                registered=10_000)
    assert declared(allocate_lists(low, R21)).totals == {"A": 3, "B": 1, "C": 0}
    assert declared(allocate_lists(low, L21)).totals == {"A": 2, "B": 1, "C": 1}


# valid votes 1000 (and 500 void ballots); C has exactly 3 %, D 2.9 %
THREE = [("A", 600), ("B", 300), ("E", 41), ("C", 30), ("D", 29)]


@pytest.mark.parametrize("name", ["regional-2015", "legislative-2016"])
def test_three_percent_threshold_and_base(name: str) -> None:
    """Art. 92 as amended by law 34.15 (regional) and art. 84 of law 27.11 (legislative 2016):
    lists under 3 % of the valid votes take no part — C at exactly 3 % qualifies although it
    has only 2 % of the 1500 voters; D (2.9 %) is excluded; quotient = 971 ÷ 10.  A 6, B 3,
    and E's remainder 41 takes the last seat."""
    c = const([lst(i, v) for i, v in THREE], gen(10), voters=1500, registered=5000)
    result = declared(allocate_lists(c, get_rules(name)))
    assert result.rules == name
    (group,) = result.groups
    assert group.base == 971
    assert group.quotient == Fraction(971, 10)
    assert {ln.id: ln.excluded for ln in group.lines} == {
        "A": False, "B": False, "E": False, "C": False, "D": True}
    assert result.totals == {"A": 6, "B": 3, "E": 1, "C": 0, "D": 0}
    assert group.lines[0].remainder == 600 - 6 * Fraction(971, 10)


def test_no_list_reaching_the_threshold_is_rerun() -> None:
    """Law 34.15: 17 equal lists each have 1/17 ≈ 5.9 % < 6 %: nobody qualifies → re-run."""
    lists = [lst(f"L{n}", 100) for n in range(17)]
    result = allocate_lists(const(lists, gen(5)), C15)
    assert result.status is AllocationStatus.RERUN_REQUIRED
    assert result.reason == "no list reached the threshold"
    # under the 3 % rules everybody qualifies: 17 seats, quotient 100, one seat each
    (group,) = declared(allocate_lists(const(lists, gen(17)), R15)).groups
    assert group.base == 1700
    assert all(ln.seats == 1 and not ln.excluded for ln in group.lines)


# --------------------------------------------------------------------------------------------
# the bare rule against the lawful allocation


def _example(name: str) -> ListConstituency:
    doc = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    return c


@pytest.mark.parametrize("name", ["marrakech-regional", "commune-35", "gueliz"])
def test_largest_remainder_agrees_with_allocate_lists_on_tie_free_inputs(name: str) -> None:
    """Art. 92 §3 / 139 §2: on the guide's examples (no tie, no exhaustion) the bare rule and
    the lawful allocation give the same seats in every group."""
    c = _example(name)
    result = declared(allocate_lists(c, RULE_SETS["communal-2021"]))
    votes = [x.votes for x in c.lists]
    for group in result.groups:
        assert largest_remainder(votes, group.seats, c.voters) == [
            ln.seats for ln in group.lines]


def test_largest_remainder_agrees_on_hand_made_tie_free_inputs() -> None:
    """The same check on the small cases above, including later rounds."""
    cases = [([560, 330, 60, 50], 10, 1100), ([1000, 600, 400], 4, 10_000),
             ([1300, 500, 200], 4, 2000), ([800, 150, 40, 10], 4, 1000), ([1000, 0], 3, 10_000)]
    for votes, seats, base in cases:
        c = const([lst(str(n), v) for n, v in enumerate(votes)], gen(seats), voters=base)
        rules = C21 if sum(votes) <= base else L21
        got = declared(allocate_lists(c, rules)).groups[0]
        assert largest_remainder(votes, seats, base) == [ln.seats for ln in got.lines]


def test_largest_remainder_gives_a_tie_at_the_cut_to_the_earlier_list() -> None:
    """The bare rule documents its tie rule: input order (the lawful one goes by age)."""
    assert largest_remainder([300, 300, 400], 2, 1000) == [1, 0, 1]
    assert largest_remainder([300, 300, 400], 2, 0) == [0, 0, 0]


# --------------------------------------------------------------------------------------------
# single-member districts (art. 24 §5, art. 130, art. 128 bis, art. 138 §3)


def dc(cid: str, votes: int, born: date | None = None,
       woman: Candidate | None = None) -> DistrictCandidate:
    return DistrictCandidate(cid, f"candidate {cid}", votes, born, woman)


def district(cands: Sequence[DistrictCandidate], *, attached: bool = False, did: str = "D7",
             registered: int = 1000) -> District:
    total = sum(x.votes for x in cands)
    return District(registered, total + 10, 10, tuple(cands), attached, did)


def test_plurality_most_votes_wins() -> None:
    """Art. 130 §1: one round, the most votes wins."""
    result = allocate_district(district([dc("x", 300), dc("y", 250)]), C21)
    assert (result.status, result.winner, result.elected) == (
        AllocationStatus.DECLARED, "x", ("candidate x",))
    assert result.ties == ()


def test_plurality_tie_by_age() -> None:
    """Art. 24 last §: equal votes → the youngest (law 06.21), the oldest before it."""
    d = district([dc("x", 250, date(1970, 3, 1)), dc("y", 250, date(1985, 3, 1)), dc("z", 100)])
    r21 = allocate_district(d, C21)
    assert r21.winner == "y"
    assert r21.ties == (Tie("district:D7:x|y", ("x", "y"), DecidedBy.AGE, "y"),)
    assert allocate_district(d, C15).winner == "x"


def test_plurality_tie_by_lot() -> None:
    """Art. 24 last §: same age → lot: required, then entered or drawn from a seed."""
    d = district([dc("x", 250, SAME_DAY), dc("y", 250, SAME_DAY)])
    pending = allocate_district(d, C21)
    assert pending.status is AllocationStatus.LOT_REQUIRED
    assert pending.lot_required == LotRequest("district:D7:x|y", ("x", "y"), "district:D7")
    assert pending.winner is None and pending.elected == ()
    entered = allocate_district(d, C21, Lots(outcomes={"district:D7:x|y": "x"}))
    assert entered.winner == "x"
    assert entered.ties == (Tie("district:D7:x|y", ("x", "y"), DecidedBy.LOT, "x", "entered"),)
    seeded = allocate_district(d, C21, Lots(seed="public"))
    assert seeded.winner == seeded_draw("public", "district:D7:x|y", ("x", "y"))
    assert seeded.ties[0].lot_source == "seed"
    assert allocate_district(d, C21, Lots(seed="public")) == seeded
    with pytest.raises(InputError) as err:
        allocate_district(d, C21, Lots(outcomes={"district:D7:x|y": "w"}))
    assert err.value.code == "E-ALLOC-015"


def test_plurality_lot_keys_without_district_id_and_between_the_youngest_only() -> None:
    """The key names the district when it has an id, and narrows to the youngest when only
    some leaders share the best date."""
    d = district([dc("x", 250, SAME_DAY), dc("y", 250, SAME_DAY)], did="")
    assert allocate_district(d, C21).lot_required == LotRequest(
        "district:x|y", ("x", "y"), "district")
    three = district([dc("z", 250, date(1960, 1, 1)), dc("y", 250, SAME_DAY),
                      dc("x", 250, SAME_DAY)])
    assert allocate_district(three, C21).lot_required == LotRequest(
        "district:D7:x|y|z:x|y", ("y", "x"), "district:D7")


def test_plurality_tie_without_birth_dates() -> None:
    """Art. 24 last §: the tie goes by age: without birth dates it cannot be decided."""
    with pytest.raises(AllocationError) as err:
        allocate_district(district([dc("x", 250), dc("y", 250, SAME_DAY)]), C21)
    assert err.value.code == "E-ALLOC-016"


def test_attached_womens_seat_elects_the_winners_woman_too() -> None:
    """Art. 128 bis §1 and art. 138 §3: in a district with an attached women's seat, the woman
    on the winning ticket's attached seat is elected with the winner."""
    salma = cand("Salma", date(1990, 1, 1), sex=Sex.F)
    nadia = cand("Nadia", date(1991, 1, 1), sex=Sex.F)
    cands = [dc("x", 200, woman=nadia), dc("y", 300, woman=salma)]
    result = allocate_district(district(cands, attached=True), C21)
    assert result.winner == "y"
    assert result.elected == ("candidate y", "Salma")


def test_without_an_attached_seat_only_the_winner_is_elected() -> None:
    """Art. 130 §1: an ordinary single-member district elects one member."""
    salma = cand("Salma", date(1990, 1, 1), sex=Sex.F)
    result = allocate_district(district([dc("x", 200), dc("y", 300, woman=salma)]), C21)
    assert result.elected == ("candidate y",)
    # an attached seat but a winning ticket without a woman given: only the winner
    alone = allocate_district(district([dc("x", 200, woman=salma), dc("y", 300)],
                                       attached=True), C21)
    assert alone.elected == ("candidate y",)


def test_single_candidate_below_one_fifth_is_rerun() -> None:
    """Art. 139 §3: a lone candidate needs one fifth of the registered voters (200 of 1000)."""
    below = allocate_district(district([dc("x", 199)]), C21)
    assert below.status is AllocationStatus.RERUN_REQUIRED
    at_fifth = allocate_district(district([dc("x", 200)]), C21)
    assert (at_fifth.status, at_fifth.winner) == (AllocationStatus.DECLARED, "x")


def test_district_without_candidate_or_vote_is_rerun() -> None:
    """Art. 139 last §: no candidacy, or no vote could be counted → re-run."""
    assert allocate_district(district([]), C21).status is AllocationStatus.RERUN_REQUIRED
    empty = District(1000, 0, 0, (dc("x", 0), dc("y", 0)))
    result = allocate_district(empty, C21)
    assert result.status is AllocationStatus.RERUN_REQUIRED
    assert result.reason == "no vote could be counted in the constituency"
    assert result.winner is None


def test_lot_keys_carry_the_constituency_id() -> None:
    """SPEC §12: one seed or one set of entered lots serves a whole election, so a lot key must
    name its constituency: the same tie in two constituencies gets two keys and two draws."""
    same_day = date(1980, 1, 1)
    lists = [lst("A", 100, (cand("a1", same_day),)), lst("B", 100, (cand("b1", same_day),))]
    keys = set()
    for cid in ("K01", "K02"):
        c = replace(const(lists, gen(1)), id=cid)
        pending = allocate_lists(c, C21)
        assert pending.status is AllocationStatus.LOT_REQUIRED and pending.lot_required is not None
        assert pending.lot_required.key == f"{cid}:general:A|B"
        keys.add(pending.lot_required.key)
        entered = allocate_lists(c, C21, Lots({f"{cid}:general:A|B": "B"}))
        assert entered.totals == {"A": 0, "B": 1}
    assert len(keys) == 2
    # an outcome entered for K01 does not decide K02
    k02 = replace(const(lists, gen(1)), id="K02")
    other = allocate_lists(k02, C21, Lots({"K01:general:A|B": "A"}))
    assert other.status is AllocationStatus.LOT_REQUIRED
