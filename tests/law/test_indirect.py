"""The indirect election of prefecture and province councils: art. 102–103 of organic law 59.11
(essay, seeds/004), seats by the allocation engine (quotient and largest remainder)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intikhab.law.allocation import (
    AllocationStatus,
    Candidate,
    DistrictResult,
    ListResult,
    Lots,
    Sex,
    largest_remainder,
)
from intikhab.law.councils import Mode
from intikhab.law.errors import InputError
from intikhab.law.indirect import (
    PREFECTURAL_RULES,
    IndirectElection,
    PrefectureList,
    elect_prefecture_council,
    electoral_college,
    quotient,
    women_on_prefecture_list,
)
from intikhab.law.rulesets import QuotientBase


def cands(n: int, prefix: str, women: int | None = None) -> tuple[Candidate, ...]:
    women = -(-n // 3) if women is None else women
    return tuple(Candidate(f"{prefix}{k}", date(1970 + k, 1, 1), Sex.F if k < women else Sex.M)
                 for k in range(n))


def election(votes: dict[str, int], voters: int, void: int = 0, population: int = 120_000,
             college: int = 200, n: int = 11) -> IndirectElection:
    return IndirectElection(population, college, voters, void,
                            tuple(PrefectureList(k, v, cands(n, k)) for k, v in votes.items()))


def test_art102_law_59_11_college_is_the_communal_councillors() -> None:
    assert electoral_college({"c1": 31, "c2": 16, "c3": 28}) == 75
    with pytest.raises(InputError, match="E-BUR-003"):
        electoral_college({"c1": 0})
    with pytest.raises(InputError, match="E-BUR-002"):
        electoral_college({})


def test_art102_law_59_11_list_pr_quotient_and_largest_remainder() -> None:
    """11 seats (art. 103, ≤ 150,000), 190 electors voted (5 void): quotient 190/11."""
    e = election({"A": 90, "B": 60, "C": 35}, voters=190, void=5)
    r = elect_prefecture_council(e)
    assert (r.seats, r.mode, r.status) == (11, Mode.LIST, AllocationStatus.DECLARED)
    assert isinstance(r.allocation, ListResult)
    assert r.allocation.totals == dict(zip("ABC", largest_remainder([90, 60, 35], 11, 190),
                                           strict=True))
    assert r.allocation.groups[0].base == 190  # voters, void included (decision)
    assert quotient(e) == Fraction(190, 11)
    assert PREFECTURAL_RULES.quotient_base is QuotientBase.VOTERS


def test_art103_law_59_11_half_cap_on_the_college() -> None:
    """Never more than half the communal councillors: 17 electors → 8 seats, not 11."""
    r = elect_prefecture_council(election({"A": 10, "B": 6}, voters=17, college=17, n=8))
    assert r.seats == 8 and sum(r.allocation.totals.values()) == 8  # type: ignore[union-attr]


def test_art102_law_59_11_single_seat_by_plurality_tie_to_the_youngest() -> None:
    """A cap of 1 (3 electors): plurality in one round; equal votes → the youngest."""
    e = IndirectElection(100_000, 3, 2, 0, (
        PrefectureList("A", 1, (Candidate("old", date(1960, 1, 1), Sex.M),)),
        PrefectureList("B", 1, (Candidate("young", date(1990, 1, 1), Sex.M),))))
    r = elect_prefecture_council(e)
    assert r.mode is Mode.SINGLE_MEMBER and isinstance(r.allocation, DistrictResult)
    assert r.allocation.winner == "B" and r.allocation.elected == ("young",)


def test_single_seat_same_birth_date_needs_a_lot() -> None:
    e = IndirectElection(100_000, 3, 2, 0, (
        PrefectureList("A", 1, (Candidate("a", date(1960, 1, 1), Sex.M),)),
        PrefectureList("B", 1, (Candidate("b", date(1960, 1, 1), Sex.M),))))
    assert elect_prefecture_council(e).status is AllocationStatus.LOT_REQUIRED
    assert elect_prefecture_council(e, Lots(seed="pub")).status is AllocationStatus.DECLARED


def test_women_third_of_each_list_decision() -> None:
    """Decision (seeds silent): a third of each list's candidates, rounded up, are women."""
    assert [women_on_prefecture_list(n) for n in (1, 2, 3, 4, 11)] == [1, 1, 1, 2, 4]
    e = IndirectElection(120_000, 200, 100, 0, (PrefectureList("A", 100, cands(11, "a", 3)),))
    with pytest.raises(InputError) as err:
        elect_prefecture_council(e)
    assert (err.value.code, err.value.field) == ("E-BUR-037", "lists[0].candidates")


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"voters": 201}, "E-BUR-035"),
    ({"voters": 100, "void": 101}, "E-BUR-036"),
    ({"voters": 100, "void": 20}, "E-BUR-036"),   # 90 votes + 20 void > 100
    ({"voters": -1}, "E-BUR-003"),
])
def test_hostile_figures_are_refused(kwargs: dict[str, int], code: str) -> None:
    voters, void = kwargs.get("voters", 100), kwargs.get("void", 0)
    with pytest.raises(InputError) as err:
        elect_prefecture_council(election({"A": 50, "B": 40}, voters=voters, void=void))
    assert err.value.code == code


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=6), st.integers(0, 50),
       st.integers(20, 400))
def test_property_every_seat_is_filled_exactly_once(votes: list[int], void: int,
                                                    college: int) -> None:
    total = sum(votes) + void
    if total == 0 or total > college or not any(votes):
        return
    e = election({f"L{i}": v for i, v in enumerate(votes)}, voters=total, void=void,
                 college=college, n=31)
    r = elect_prefecture_council(e, Lots(seed="p"))
    if r.mode is Mode.LIST:
        assert isinstance(r.allocation, ListResult)
        assert sum(r.allocation.totals.values()) == r.seats
    else:
        assert isinstance(r.allocation, DistrictResult) and r.allocation.winner is not None
