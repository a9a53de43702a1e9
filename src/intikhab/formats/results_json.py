"""The public JSON of a declared result: a council's (or the nation's) seats and votes per
party, the public results API's ``CouncilOut``.  Pure: it reads the figures of
``services.results.council_result`` / ``national_result`` (any object with their fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class PartyFigures(Protocol):
    """A party's line in a council's result."""

    @property
    def party(self) -> str: ...
    @property
    def name_ar(self) -> str: ...
    @property
    def name_fr(self) -> str: ...
    @property
    def seats(self) -> int: ...
    @property
    def votes(self) -> int: ...
    @property
    def elected(self) -> Sequence[str]: ...


class CouncilFigures(Protocol):
    """A council's (or the nation's) declared result."""

    @property
    def council(self) -> str: ...
    @property
    def vote(self) -> str: ...
    @property
    def seats(self) -> int: ...
    @property
    def declared(self) -> int: ...
    @property
    def constituencies(self) -> int: ...
    @property
    def registered(self) -> int: ...
    @property
    def voters(self) -> int: ...
    @property
    def parties(self) -> Sequence[PartyFigures]: ...


def percent(part: int, whole: int) -> str:
    """``part / whole`` as a percentage with two decimals, rounded half up, exact integers
    (``"49.62"``); ``"0.00"`` when ``whole`` is 0."""
    if whole <= 0:
        return "0.00"
    hundredths = (part * 10_000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def council_json(r: CouncilFigures, with_elected: bool = True) -> dict[str, Any]:
    """A council's (or the nation's) declared result as the public JSON; the turnout is for
    display only (never decides a seat); without ``with_elected`` each party's ``elected`` is
    empty (the national results name no one)."""
    return {"council": r.council, "vote": r.vote, "seats": r.seats, "declared": r.declared,
            "constituencies": r.constituencies, "registered": r.registered,
            "voters": r.voters, "turnout_percent": percent(r.voters, r.registered),
            "parties": [{"party": p.party, "name_ar": p.name_ar, "name_fr": p.name_fr,
                         "seats": p.seats, "votes": p.votes,
                         "elected": list(p.elected) if with_elected else []}
                        for p in r.parties]}
