"""The hemicycle chart (pure): every seat drawn once, in the party's colour, in the press's
order (most seats first), undeclared seats grey, the total shown; and the pages' words and
digits (``web.i18n``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intikhab.web.hemicycle import (
    PALETTE,
    UNDECLARED,
    Seats,
    colour_of,
    hemicycle_svg,
    positions,
    press_order,
    rings,
)
from intikhab.web.i18n import digits, t


@given(st.integers(min_value=0, max_value=800))
def test_every_seat_is_placed_once_inside_the_half_disc(total: int) -> None:
    counts = rings(total)
    assert sum(counts) == total
    dots = positions(total)
    assert len(dots) == total
    for x, y, r in dots:
        assert -1 <= x <= 1 and 0 <= y <= 1 and 0 < r <= 0.09
        assert x * x + y * y <= 1
    assert len({(round(x, 6), round(y, 6)) for x, y, _ in dots}) == total


def test_rings_grow_outwards() -> None:
    assert rings(1) == [1]
    for total in (31, 75, 395):
        counts = rings(total)
        assert counts == sorted(counts) and len(counts) > 1


def test_press_order_most_seats_then_votes_then_id() -> None:
    parties = [Seats("B", "B", 3, "#000", 10), Seats("A", "A", 3, "#000", 10),
               Seats("C", "C", 5, "#000", 1), Seats("D", "D", 3, "#000", 99),
               Seats("E", "E", 0, "#000", 500)]
    assert [p.party for p in press_order(parties)] == ["C", "D", "A", "B"]


def _fills(svg: str) -> list[str]:
    return re.findall(r'<circle [^>]*fill="([^"]+)"', svg)


def test_seats_in_party_colours_from_the_start_side() -> None:
    parties = [Seats("PB", "Parti B", 11, "#b00"), Seats("PA", "Parti A", 14, "#00a")]
    svg = hemicycle_svg(parties, 31, title="Commune 1")
    fills = _fills(svg)
    assert fills == ["#00a"] * 14 + ["#b00"] * 11 + [UNDECLARED] * 6
    assert ">31</text>" in svg and "<title>Commune 1</title>" in svg
    assert "<title>Parti A</title>" in svg
    # on an Arabic page the first party starts on the right: the drawing is mirrored
    xs = [float(x) for x in re.findall(r'<circle cx="([^"]+)"', svg)]
    rtl = [float(x) for x in re.findall(r'<circle cx="([^"]+)"',
                                        hemicycle_svg(parties, 31, rtl=True))]
    assert xs[0] < 180 < rtl[0] and rtl == pytest.approx([360 - x for x in xs])


def test_more_seats_than_the_council_is_refused() -> None:
    with pytest.raises(ValueError, match="32 seats given for a council of 31"):
        hemicycle_svg([Seats("PA", "A", 32, "#000")], 31)


def test_names_are_escaped() -> None:
    svg = hemicycle_svg([Seats("X", "<script>", 1, "#000")], 1, title="a & b")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_colours_are_stable_per_party() -> None:
    assert colour_of(["P02", "P01"]) == {"P01": PALETTE[0], "P02": PALETTE[1]}
    many = colour_of([f"P{i:02d}" for i in range(30)])
    assert len(set(many.values())) == 30  # thirty parties, thirty colours: none shared


def test_words_and_digits() -> None:
    assert t("seats") == "المقاعد" and t("seats", "fr") == "Sièges"
    assert t("of_seats", "ar", n=31) == "من أصل 31 مقعدا"
    assert digits(1234) == "1234" and digits("27.05", eastern=True) == "٢٧٫٠٥"


@given(st.lists(st.integers(0, 12_000), max_size=8), st.integers(0, 9_000))
def test_a_national_hemicycle_draws_a_dot_for_several_seats(seats: list[int], rest: int
                                                              ) -> None:
    """Beyond 800 seats (the nation's communal councils: some 31,000) a dot stands for k
    seats: ceil(total / k) dots at most 800, each party's share by the largest remainders,
    the scale written under the drawing."""
    from intikhab.web.hemicycle import MAX_DOTS, dots_of, per_dot

    total = sum(seats) + rest
    k = per_dot(total)
    dots = dots_of(seats, total, k)
    assert sum(dots) == (-(-total // k) if total else 0) <= MAX_DOTS
    n = sum(dots)
    for s, d in zip([*seats, rest], dots, strict=True):
        assert total == 0 or abs(d - s * n / total) < 1  # within one dot of its exact share
    parties = [Seats(f"P{i}", f"P{i}", s, PALETTE[i % len(PALETTE)]) for i, s in enumerate(seats)]
    svg = hemicycle_svg(parties, total, per_dot_label=lambda k: f"each dot: {k}")
    assert svg.count("<circle") == n
    assert (f"each dot: {k}" in svg) == (k > 1)


def test_a_council_keeps_one_dot_per_seat() -> None:
    from intikhab.web.hemicycle import per_dot

    assert per_dot(75) == per_dot(800) == 1 and per_dot(801) == 2 and per_dot(31_000) == 39
