"""The party colours: one per party, distinct, each readable against the page (WCAG 2.1
success criterion 1.4.11, non-text contrast ≥ 3:1), and numbers formatted per language."""

from __future__ import annotations

import math
from fractions import Fraction

from intikhab.web.hemicycle import (
    OTHER,
    PALETTE,
    UNDECLARED,
    Seats,
    colour_of,
    hemicycle_svg,
    majority,
)
from intikhab.web.i18n import decimal, number

BACKGROUNDS = ("#ffffff", "#f6f7f9", "#eef1f4")  # card, page, table head (app.css)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return _linear(r), _linear(g), _linear(b)


def luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two sRGB colours."""
    x, y = sorted((luminance(a), luminance(b)), reverse=True)
    return (x + 0.05) / (y + 0.05)


def oklab(colour: str) -> tuple[float, float, float]:
    r, g, b = _rgb(colour)
    lms = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
           0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
           0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
    lo, m, s = (v ** (1 / 3) for v in lms)
    return (0.2104542553 * lo + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * lo - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * lo + 0.7827717662 * m - 0.8086757660 * s)


def test_every_party_colour_has_contrast_against_every_background() -> None:
    for colour in (*PALETTE, OTHER):
        for bg in BACKGROUNDS:
            assert contrast(colour, bg) >= 3.0, (colour, bg, contrast(colour, bg))


def test_thirty_distinct_colours() -> None:
    assert len(PALETTE) == len(set(PALETTE)) == 30
    closest = min(math.dist(oklab(a), oklab(b))
                  for i, a in enumerate(PALETTE) for b in PALETTE[i + 1:])
    assert closest >= 0.09  # OKLab distance: well above a just-noticeable difference
    assert UNDECLARED not in PALETTE and OTHER not in PALETTE


def test_no_two_parties_share_a_colour_in_the_country() -> None:
    parties = [f"P{i:02d}" for i in range(30)]
    assert len(set(colour_of(parties).values())) == 30


def test_majority_line_and_centre_in_eastern_digits() -> None:
    """The majority line marks the absolute majority: more than half the seats."""
    assert majority(31) == 16 and majority(30) == 16 and majority(1) == 1
    svg = hemicycle_svg([Seats("PA", "A", 16, PALETTE[0])], 31, total_label="٣١")
    assert 'class="majority"' in svg and ">٣١</text>" in svg


def test_numbers_per_language() -> None:
    assert number(897960, "ar") == "897,960"
    assert number(897960, "fr") == "897\u202f960"
    assert number(897960, "ar", eastern=True) == "٨٩٧٬٩٦٠"
    assert number("49.62", "fr") == "49,62" and number("49.62", "ar") == "49.62"
    assert number("C1-S1", "fr") == "C1-S1"  # a code keeps its text
    assert decimal(Fraction(13306, 13), "fr") == "1\u202f023,54"
    assert decimal("2/3", "ar") == "0.67"
