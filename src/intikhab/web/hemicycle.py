"""A council's seats as a hemicycle (the press's chart): seats by party → SVG.  Pure: no I/O.

The layout is geometry for the eye only — it never decides a seat — so it uses floats; the
seat counts it draws are exact integers.  Seats are laid on concentric half-rings, each ring
holding seats in proportion to its length (largest remainder, so the rings add up to the
total exactly), then taken in angular order and given to the parties in the order the press
reports them: most seats first (ties: most votes, then the id).  Seats not yet declared are
drawn last, in grey.  The council's total is printed in the middle (in the reader's digits)
and a dashed line marks the majority: the seats are laid in angular order, so the absolute
majority (more than half the seats) is crossed at the top of the arc.

Party colours (:data:`PALETTE`): thirty, one per party of the country, each of contrast at least
3:1 against the page's background (WCAG 2.1, 1.4.11 non-text contrast) and at least 0.09 apart
in OKLab — picked greedily (farthest point) from an OKLCH grid; ``tests/web/test_palette.py``
checks both.  A party keeps its colour on every page: its rank among every party's id.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from html import escape
from typing import Final, NamedTuple

PALETTE: Final = (
    "#d42975", "#04510e", "#167afa", "#5b128b", "#95881e", "#800902", "#77668b", "#b65ce6",
    "#034d73", "#e25d1d", "#349794", "#795616", "#3041ca", "#207e27", "#9921a4", "#ae7e7a",
    "#b32517", "#950259", "#644056", "#8182d3", "#7453e5", "#33695f", "#0d76ad", "#564a96",
    "#c863a5", "#513f19", "#9e4766", "#ac5c2e", "#677c57", "#9256b3",
)
"""Party colours, given in the order of the party ids (``colour_of``)."""
OTHER: Final = "#5b6573"  # a party beyond the thirty, or an unknown one
UNDECLARED: Final = "#c9ced6"
INNER: Final = 0.38  # inner radius, as a fraction of the outer one
MAX_DOT: Final = 0.09  # the largest seat, so that a council of 3 is not three balloons
MAX_DOTS: Final = 800  # beyond, a dot stands for several seats (the nation: some 31,000)


class Seats(NamedTuple):
    """One party's seats in a council."""

    party: str
    label: str
    seats: int
    colour: str
    votes: int = 0


def colour_of(party_ids: Sequence[str]) -> dict[str, str]:
    """A stable colour per party: its rank among the sorted ids picks from :data:`PALETTE`
    (beyond thirty parties, :data:`OTHER`: never two parties sharing a palette colour)."""
    ids = sorted(set(party_ids))
    return {p: PALETTE[i] if i < len(PALETTE) else OTHER for i, p in enumerate(ids)}


def press_order(parties: Sequence[Seats]) -> list[Seats]:
    """Most seats first, then most votes, then the id: the order results are reported in."""
    return sorted((p for p in parties if p.seats > 0),
                  key=lambda p: (-p.seats, -p.votes, p.party))


def rings(total: int) -> list[int]:
    """How many seats each half-ring holds, innermost first; they add up to ``total``.

    The number of rings is the smallest for which seats spaced one ring-gap apart fit."""
    if total <= 0:
        return []
    n = 1
    while True:
        gap = (1 - INNER) / n
        radii = [INNER + gap * (i + 0.5) for i in range(n)]
        capacity = [int(math.pi * r / gap) + 1 for r in radii]
        if sum(capacity) >= total:
            break
        n += 1
    # seats in proportion to each ring's radius, by largest remainder (exact integers)
    whole = sum(radii)
    shares = [total * r / whole for r in radii]
    counts = [min(int(s), c) for s, c in zip(shares, capacity, strict=True)]
    order = sorted(range(n), key=lambda i: (-(shares[i] - counts[i]), -i))
    i = 0
    while sum(counts) < total:
        k = order[i % n]
        if counts[k] < capacity[k]:
            counts[k] += 1
        i += 1
    return counts


@lru_cache(maxsize=64)
def positions(total: int) -> tuple[tuple[float, float, float], ...]:
    """(x, y, r) of every seat on a unit hemicycle (centre (0, 0), y up), in the order seats
    are given to parties: by angle from the left end to the right end (kept for the sizes last
    drawn: a national hemicycle has tens of thousands of seats)."""
    counts = rings(total)
    if not counts:
        return ()
    gap = (1 - INNER) / len(counts)
    dots: list[tuple[float, float, float, float]] = []  # angle, x, y, radius of the dot
    for i, k in enumerate(counts):
        radius = INNER + gap * (i + 0.5)
        for j in range(k):
            angle = math.pi * (1 - (j / (k - 1) if k > 1 else 0.5))
            dots.append((angle, radius * math.cos(angle), radius * math.sin(angle),
                         min(gap * 0.4, MAX_DOT)))
    dots.sort(key=lambda d: (-d[0], -math.hypot(d[1], d[2])))
    return tuple((x, y, r) for _a, x, y, r in dots)


def majority(total: int) -> int:
    """The absolute majority of a council of ``total`` seats: more than half."""
    return total // 2 + 1


def per_dot(total: int, max_dots: int = MAX_DOTS) -> int:
    """Seats one dot stands for: 1 up to ``max_dots`` seats, else the fewest that keep the
    drawing within ``max_dots`` dots (a national total of some 31,000 communal seats)."""
    return max(1, -(-total // max_dots))


def dots_of(seats: Sequence[int], total: int, k: int) -> list[int]:
    """The dots of each share of ``seats`` (the undeclared rest last) when a dot stands for
    ``k`` seats: ``ceil(total / k)`` dots shared by the largest remainders, exact integers."""
    shares = [*seats, total - sum(seats)]
    n = -(-total // k) if total else 0
    if k == 1 or total == 0:
        return shares
    quota = [Fraction(s * n, total) for s in shares]
    dots = [int(q) for q in quota]
    order = sorted(range(len(shares)), key=lambda i: (-(quota[i] - dots[i]), i))
    for i in order[:n - sum(dots)]:
        dots[i] += 1
    return dots


def hemicycle_svg(parties: Sequence[Seats], total: int, *, title: str = "",
                  rtl: bool = False, width: int = 360, total_label: str | None = None,
                  per_dot_label: Callable[[int], str] | None = None) -> str:
    """The SVG of a council of ``total`` seats: each party's seats in its colour, press order
    from the start side (the right on an Arabic page when ``rtl``), undeclared seats grey,
    the total in the middle (``total_label``: the total as the page writes it, e.g. in
    Eastern digits), the majority line at the top of the arc.  Parties' seats beyond
    ``total`` are refused (ValueError).  Beyond :data:`MAX_DOTS` seats a dot stands for
    :func:`per_dot` seats, shared by the largest remainders, and the drawing says so
    (``per_dot_label``) — the figures stay in the page's table."""
    ordered = press_order(parties)
    given = sum(p.seats for p in ordered)
    if given > total:
        raise ValueError(f"{given} seats given for a council of {total}")
    k = per_dot(total)
    counts = dots_of([p.seats for p in ordered], total, k)
    colours = [p.colour for p, c in zip(ordered, counts, strict=False) for _ in range(c)]
    colours += [UNDECLARED] * counts[-1]
    tips = [f"<title>{escape(p.label)}</title>" if p.label else "" for p in ordered]
    owners = [tip for tip, c in zip(tips, counts, strict=False) for _ in range(c)]
    owners += [""] * counts[-1]
    dots = sum(counts)
    scale = width / 2 - 4
    cx, cy = width / 2, width / 2
    height = round(cy + MAX_DOT * scale + 4)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="hemicycle" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           f"<title>{escape(title)}</title>" if title else ""]
    for (x, y, r), colour, owner in zip(positions(dots), colours, owners, strict=True):
        px = cx + (-x if rtl else x) * scale
        py = cy - y * scale
        out.append(f'<circle cx="{px:.2f}" cy="{py:.2f}" r="{r * scale:.2f}" '
                   f'fill="{colour}">{owner}</circle>')
    if total > 1:
        out.append(f'<line class="majority" x1="{cx:.0f}" y1="1" x2="{cx:.0f}" '
                   f'y2="{cy - INNER * scale + 2:.0f}" stroke="#1d2430" stroke-width="1.5" '
                   f'stroke-dasharray="4 3"/>')
    label = escape(total_label) if total_label is not None else str(total)
    out.append(f'<text x="{cx:.0f}" y="{cy - 6:.0f}" text-anchor="middle" class="total" '
               f'font-size="{width // 9}">{label}</text>')
    if k > 1:
        note = per_dot_label(k) if per_dot_label is not None else f"1 : {k}"
        out.append(f'<text x="{cx:.0f}" y="{height - 2:.0f}" text-anchor="middle" '
                   f'class="per-dot" font-size="{width // 30}">{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)
