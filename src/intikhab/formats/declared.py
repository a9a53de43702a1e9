"""Declared results as plain data — one :class:`Contest` per declared constituency, with its
stored figures and outcome read by :mod:`intikhab.formats.outcome` — and as the rows of the
results CSV (:data:`RESULT_COLUMNS`, docs/formats.md).  The NIST report
(:mod:`intikhab.formats.nist`) reads the same contests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from intikhab.formats.outcome import StoredFigures, StoredOutcome

__all__ = ["RESULT_COLUMNS", "Contest", "result_rows", "seat_count"]

RESULT_COLUMNS: Final = ("constituency", "council", "vote", "code", "party", "votes", "seats",
                         "elected", "commune_seats")
"""``seats``: all the seats the row won in its constituency; ``commune_seats``: those that sit
in the commune (or region) council — in a divided commune's arrondissement, the rest are
arrondissement councillors (art. 141 §1 item 2 of law 59.11 as amended)."""


def seat_count(kind: str, groups: Sequence[Mapping[str, Any]] | None,
               attached_women_seat: bool, commune_only: bool = False) -> int:
    """The seats a constituency fills: the sum of a list constituency's seat groups (art. 141
    §1 of law 59.11 as amended), or a district's seat and its attached women's seat (art. 128
    bis §1).  ``commune_only``: an arrondissement's seats in the commune council only, not its
    arrondissement councillors (art. 128, art. 141 §1 item 2)."""
    if kind == "list":
        return sum(int(g["seats"]) for g in groups or ()
                   if not (commune_only and g.get("council") == "arrondissement"))
    return 2 if attached_women_seat else 1


@dataclass(frozen=True, slots=True)
class Contest:
    """A declared constituency: who it is, the seats it fills, its polling stations, and its
    declared result."""

    id: str
    name: str
    vote: str
    council: str
    kind: str
    seats: int
    stations: int
    figures: StoredFigures
    outcome: StoredOutcome


def result_rows(contests: Iterable[Contest], party_of: Mapping[tuple[str, str], str | None]
                ) -> list[dict[str, Any]]:
    """One row per declared constituency × list (or district candidate): its votes, seats and
    elected members (names joined by `` | ``), in ballot order; ``party_of`` maps
    (constituency, code) to the list's party."""
    out = []
    for c in contests:
        seats, elected = c.outcome.seats_by_code(), c.outcome.elected_by_code()
        commune = c.outcome.seats_by_code(commune_only=True)
        for row in c.figures.rows:
            out.append({"constituency": c.id, "council": c.council, "vote": c.vote,
                        "code": row.id, "party": party_of.get((c.id, row.id)) or "",
                        "votes": row.votes, "seats": seats.get(row.id, 0),
                        "elected": " | ".join(elected.get(row.id, [])),
                        "commune_seats": commune.get(row.id, 0)})
    return out
