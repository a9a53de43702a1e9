"""Council sizes, women's seats and modes (organic law 59.11 as amended, arts. 74-78, 102-103,
127-130).  Figures from the 2021 guide (chapter 1) and the essay on prefecture councils."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intikhab.law.councils import (
    ArrondissementSeats,
    CommuneCouncil,
    Mode,
    RegionConstituency,
    arrondissement_seats,
    commune_council,
    divided_commune_council_size,
    list_vote_threshold,
    prefecture_council_size,
    prefecture_mode,
    region_constituency,
    region_council_size,
)
from intikhab.law.errors import InputError

populations = st.integers(min_value=1, max_value=20_000_000)
seat_counts = st.integers(min_value=1, max_value=200)
rules_years = st.sampled_from([2015, 2021])

# --- regions (art. 74) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "members"),
    [
        (1, 33),
        (250_000, 33),
        (250_001, 39),
        (1_000_000, 39),
        (1_000_001, 45),
        (1_750_000, 45),
        (1_750_001, 51),
        (2_500_000, 51),
        (2_500_001, 57),
        (3_000_000, 57),
        (3_000_001, 63),
        (3_750_000, 63),
        (3_750_001, 69),
        (4_500_000, 69),
        (4_500_001, 75),
        (50_000_000, 75),
    ],
)
def test_region_council_size(population: int, members: int) -> None:
    assert region_council_size(population) == members


# --- region constituencies (arts. 76-78) -------------------------------------------------------


def test_region_constituency_marrakech_prefecture() -> None:
    assert region_constituency(14) == RegionConstituency(
        seats=14, women_seats=5, general_seats=9, mode=Mode.LIST
    )


@pytest.mark.parametrize(
    ("seats", "women", "general"),
    [(2, 1, 1), (3, 1, 2), (4, 2, 2), (6, 2, 4), (7, 3, 4), (9, 3, 6), (10, 4, 6)],
)
def test_region_constituency_women_third_rounded_up(seats: int, women: int, general: int) -> None:
    c = region_constituency(seats)
    assert (c.women_seats, c.general_seats, c.mode) == (women, general, Mode.LIST)


def test_region_constituency_single_seat_is_single_member() -> None:
    c = region_constituency(1)
    assert c.mode is Mode.SINGLE_MEMBER
    assert c.women_seats + c.general_seats == 1


# --- list-vote threshold (art. 130) ------------------------------------------------------------


def test_list_vote_threshold() -> None:
    assert list_vote_threshold(2021) == 50_000
    assert list_vote_threshold(2015) == 35_000


@pytest.mark.parametrize("year", [2011, 2016, 2026, 0, -1])
def test_list_vote_threshold_unknown_year(year: int) -> None:
    with pytest.raises(ValueError, match="unknown rules year"):
        list_vote_threshold(year)


def test_commune_council_unknown_year() -> None:
    with pytest.raises(ValueError):
        commune_council(10_000, rules_year=2016)


# --- communes not divided into arrondissements (arts. 127, 128 bis, 130) -----------------------

COMMUNE_TABLE = [
    (1, 11),
    (7_500, 11),
    (7_501, 13),
    (12_500, 13),
    (12_501, 15),
    (15_000, 15),
    (15_001, 23),
    (25_000, 23),
    (25_001, 25),
    (50_000, 25),
    (50_001, 31),
    (100_000, 31),
    (100_001, 35),
    (150_000, 35),
    (150_001, 39),
    (200_000, 39),
    (200_001, 43),
    (250_000, 43),
    (250_001, 47),
    (300_000, 47),
    (300_001, 51),
    (350_000, 51),
    (350_001, 55),
    (400_000, 55),
    (400_001, 61),
    (5_000_000, 61),
]


@pytest.mark.parametrize(("population", "members"), COMMUNE_TABLE)
@pytest.mark.parametrize("year", [2015, 2021])
def test_commune_members(population: int, members: int, year: int) -> None:
    assert commune_council(population, rules_year=year).members == members


@pytest.mark.parametrize(
    ("population", "members"),
    [(7_500, 11), (12_500, 13), (15_000, 15), (25_000, 23), (25_001, 25), (50_000, 25)],
)
def test_single_member_commune_2021(population: int, members: int) -> None:
    assert commune_council(population) == CommuneCouncil(
        population=population,
        members=members,
        mode=Mode.SINGLE_MEMBER,
        general_seats=members,
        women_seats=0,
        attached_women_seats=5,
        total=members + 5,
    )


@pytest.mark.parametrize(
    ("population", "members", "general", "women"),
    [
        (50_001, 31, 20, 11),
        (100_000, 31, 20, 11),
        (100_001, 35, 23, 12),
        (150_001, 39, 26, 13),
        (200_001, 43, 28, 15),
        (250_001, 47, 31, 16),
        (300_001, 51, 34, 17),
        (350_001, 55, 36, 19),
        (400_001, 61, 40, 21),
    ],
)
def test_list_commune_2021(population: int, members: int, general: int, women: int) -> None:
    assert commune_council(population, 2021) == CommuneCouncil(
        population=population,
        members=members,
        mode=Mode.LIST,
        general_seats=general,
        women_seats=women,
        attached_women_seats=0,
        total=members,
    )


def test_default_rules_are_2021() -> None:
    assert commune_council(50_000) == commune_council(50_000, rules_year=2021)


@pytest.mark.parametrize(
    ("population", "mode"),
    [
        (35_000, Mode.SINGLE_MEMBER),
        (35_001, Mode.LIST),
        (50_000, Mode.LIST),
        (50_001, Mode.LIST),
        (7_500, Mode.SINGLE_MEMBER),
    ],
)
def test_commune_mode_2015(population: int, mode: Mode) -> None:
    assert commune_council(population, rules_year=2015).mode is mode


def test_fifty_thousand_differs_between_rule_sets() -> None:
    c21 = commune_council(50_000, rules_year=2021)
    c15 = commune_council(50_000, rules_year=2015)
    assert (c21.mode, c21.general_seats, c21.attached_women_seats, c21.total) == (
        Mode.SINGLE_MEMBER,
        25,
        5,
        30,
    )
    assert c15.mode is Mode.LIST
    assert c15.members == 25


@pytest.mark.parametrize("population", [5_000, 35_000, 35_001, 100_000, 500_000])
def test_2015_women_seats_not_modelled(population: int) -> None:
    c = commune_council(population, rules_year=2015)
    assert (c.women_seats, c.attached_women_seats) == (0, 0)
    assert c.general_seats == c.members == c.total


# --- communes divided into arrondissements (arts. 128, 128 bis) --------------------------------


@pytest.mark.parametrize(
    ("population", "members"),
    [
        (1, 81),
        (750_000, 81),
        (750_001, 81),
        (999_999, 81),
        (1_000_000, 91),
        (1_249_999, 91),
        (1_250_000, 101),
        (1_500_000, 111),
        (1_750_000, 121),
        (1_999_999, 121),
        (2_000_000, 131),
        (3_400_000, 131),
        (10**12, 131),
    ],
)
def test_divided_commune_council_size(population: int, members: int) -> None:
    assert divided_commune_council_size(population) == members


def test_arrondissement_gueliz() -> None:
    s = arrondissement_seats(18, 20)
    assert s == ArrondissementSeats(
        communal_seats=18,
        communal_women=6,
        communal_general=12,
        arrondissement_seats=20,
        arrondissement_women=7,
        arrondissement_general=13,
    )
    assert s.arrondissement_council == 38


@pytest.mark.parametrize(
    ("communal", "women"),
    [(1, 1), (2, 2), (3, 3), (4, 3), (6, 3), (9, 3), (10, 4), (12, 4), (13, 5)],
)
def test_arrondissement_communal_women_at_least_three(communal: int, women: int) -> None:
    s = arrondissement_seats(communal, 9)
    assert s.communal_women == women
    assert s.communal_general == communal - women


# --- prefecture and province councils (arts. 102, 103) ------------------------------------------

PREFECTURE_TABLE = [
    (1, 11),
    (150_000, 11),
    (150_001, 13),
    (200_000, 13),
    (200_001, 15),
    (300_000, 15),
    (300_001, 17),
    (400_000, 17),
    (400_001, 19),
    (500_000, 19),
    (500_001, 21),
    (600_000, 21),
    (600_001, 23),
    (700_000, 23),
    (700_001, 25),
    (800_000, 25),
    (800_001, 27),
    (900_000, 27),
    (900_001, 29),
    (1_000_000, 29),
    (1_000_001, 31),
    (5_000_000, 31),
]


@pytest.mark.parametrize(("population", "members"), PREFECTURE_TABLE)
def test_prefecture_council_size(population: int, members: int) -> None:
    assert prefecture_council_size(population, communal_councillors=10_000) == members


@pytest.mark.parametrize(
    ("population", "councillors", "members"),
    [
        (1_200_000, 62, 31),
        (1_200_000, 61, 30),  # half of 61 is 30.5: a whole council of at most half is 30
        (1_200_000, 60, 30),
        (100_000, 22, 11),
        (100_000, 21, 10),
        (100_000, 16, 8),
        (100_000, 2, 1),
        (350_000, 35, 17),
        (350_000, 33, 16),
    ],
)
def test_prefecture_half_cap(population: int, councillors: int, members: int) -> None:
    assert prefecture_council_size(population, councillors) == members


def test_prefecture_cap_of_zero_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        prefecture_council_size(100_000, 1)
    assert err.value.code == "E-COUNCIL-002"
    assert err.value.field == "communal_councillors"


def test_prefecture_mode() -> None:
    assert prefecture_mode(1) is Mode.SINGLE_MEMBER
    assert prefecture_mode(2) is Mode.LIST
    assert prefecture_mode(31) is Mode.LIST


# --- errors ------------------------------------------------------------------------------------

BAD_POPULATIONS: list[object] = [0, -1, -250_000, True, False, 1.5, 100.0, "1000", None]
BAD_SEATS: list[object] = [0, -3, True, 2.0, "14", None]


def _prefecture_with_population(population: Any) -> object:
    return prefecture_council_size(population, 100)


@pytest.mark.parametrize("value", BAD_POPULATIONS)
@pytest.mark.parametrize(
    "fn",
    [
        region_council_size,
        commune_council,
        divided_commune_council_size,
        _prefecture_with_population,
    ],
)
def test_bad_population(fn: Callable[[Any], object], value: Any) -> None:
    with pytest.raises(InputError) as err:
        fn(value)
    assert err.value.code == "E-COUNCIL-001"
    assert err.value.field == "population"
    assert err.value.params["value"] == value
    assert str(err.value).startswith("E-COUNCIL-001: ")


@pytest.mark.parametrize("value", BAD_SEATS)
def test_bad_seats(value: Any) -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: region_constituency(value), "seats"),
        (lambda: prefecture_mode(value), "seats"),
        (lambda: arrondissement_seats(value, 10), "communal_seats"),
        (lambda: arrondissement_seats(10, value), "arrondissement_seats"),
        (lambda: prefecture_council_size(100_000, value), "communal_councillors"),
    ]
    for call, field in cases:
        with pytest.raises(InputError) as err:
            call()
        assert err.value.code == "E-COUNCIL-002"
        assert err.value.field == field
        assert err.value.params["value"] == value


def test_error_messages_in_three_languages() -> None:
    with pytest.raises(InputError) as err:
        region_council_size(0)
    assert "0" in err.value.message("en")
    assert err.value.message("ar") != err.value.message("fr")


# --- properties ---------------------------------------------------------------------------------


@given(populations, populations)
def test_region_size_monotone(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert 33 <= region_council_size(lo) <= region_council_size(hi) <= 75


@given(populations, populations, rules_years)
def test_commune_size_monotone(a: int, b: int, year: int) -> None:
    lo, hi = sorted((a, b))
    assert 11 <= commune_council(lo, year).members <= commune_council(hi, year).members <= 61


@given(populations, populations)
def test_divided_commune_size_monotone(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert 81 <= divided_commune_council_size(lo) <= divided_commune_council_size(hi) <= 131


@given(populations)
def test_divided_commune_size_steps_of_ten(population: int) -> None:
    assert (divided_commune_council_size(population) - 81) % 10 == 0


@given(populations, populations, st.integers(min_value=2, max_value=10_000))
def test_prefecture_size_monotone(a: int, b: int, councillors: int) -> None:
    lo, hi = sorted((a, b))
    small = prefecture_council_size(lo, councillors)
    big = prefecture_council_size(hi, councillors)
    assert 1 <= small <= big <= 31
    assert big <= councillors / 2


@given(populations, rules_years)
def test_commune_mode_follows_threshold(population: int, year: int) -> None:
    c = commune_council(population, year)
    expected = Mode.LIST if population > list_vote_threshold(year) else Mode.SINGLE_MEMBER
    assert c.mode is expected
    assert c.total == c.general_seats + c.women_seats + c.attached_women_seats


@given(populations)
def test_list_commune_general_plus_women_is_members(population: int) -> None:
    c = commune_council(population, 2021)
    if c.mode is Mode.LIST:
        assert c.general_seats + c.women_seats == c.members == c.total
        assert c.attached_women_seats == 0
    else:
        assert c.general_seats == c.members
        assert c.total == c.members + 5


@given(populations)
def test_commune_women_2021(population: int) -> None:
    # List communes: at least one third of the council.  Single-member communes: exactly the five
    # attached seats of art. 128 bis §1, which is less than a third of 11 + 5 ... 25 + 5 (the law
    # sets no one-third rule there).
    c = commune_council(population, 2021)
    if c.mode is Mode.LIST:
        assert 3 * c.women_seats >= c.total
        assert 3 * (c.women_seats - 1) < c.members  # the minimum: one third rounded up
    else:
        assert (c.women_seats, c.attached_women_seats) == (0, 5)


@given(seat_counts)
def test_region_women_at_least_one_third(seats: int) -> None:
    c = region_constituency(seats)
    assert c.general_seats + c.women_seats == seats
    assert 3 * c.women_seats >= seats
    assert 3 * (c.women_seats - 1) < seats  # the minimum: one third rounded up


@given(seat_counts, seat_counts)
def test_arrondissement_women_at_least_one_third(communal: int, arrondissement: int) -> None:
    s = arrondissement_seats(communal, arrondissement)
    assert s.communal_general + s.communal_women == communal
    assert s.arrondissement_general + s.arrondissement_women == arrondissement
    assert 3 * s.communal_women >= communal
    assert 3 * s.arrondissement_women >= arrondissement
    assert s.communal_women >= min(3, communal)
    assert s.communal_general >= 0
