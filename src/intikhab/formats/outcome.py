"""The one reader of a stored result (the ``result`` table): its *figures* — the commission's
sums, in the allocation's input format (:mod:`intikhab.formats.allocation_json`, docs/allocation.md)
— and its *outcome* — the engine's output (``result_to_json``), or a court's annulment (art. 32
of law 59.11 as amended; ``services/disputes.py``) — as frozen dataclasses.

Readers take the JSON a database column gives back (a dict) or its text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FigureRow", "OutcomeLine", "StoredFigures", "StoredOutcome", "read_figures",
           "read_outcome"]


def _doc(value: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(value, str | bytes):
        loaded: Mapping[str, Any] = json.loads(value)
        return loaded
    return value


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    """One list in one seat group of a list outcome: its seats and elected members there."""

    id: str
    seats: int
    elected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    """A stored outcome: a list constituency's seat groups (``groups``, with ``totals`` per
    list), a district's ``winner`` and ``elected`` (the winner and any attached woman), or
    neither — an annulled result (``annulled_by`` names the court's case)."""

    status: str
    groups: tuple[tuple[OutcomeLine, ...], ...] | None = None
    totals: Mapping[str, int] | None = None
    winner: str | None = None
    elected: tuple[str, ...] = ()
    annulled_by: str | None = None

    def seats_by_code(self) -> dict[str, int]:
        """Seats won per list id (or the district winner's code: its seat and any attached
        woman's)."""
        if self.totals is not None:
            return dict(self.totals)
        return {self.winner: len(self.elected)} if self.winner else {}

    def elected_by_code(self) -> dict[str, list[str]]:
        """The elected members per list id (or the district winner's code), in seat order."""
        if self.groups is not None:
            out: dict[str, list[str]] = {}
            for group in self.groups:
                for line in group:
                    out.setdefault(line.id, []).extend(line.elected)
            return out
        return {self.winner: list(self.elected)} if self.winner else {}


def read_outcome(value: str | bytes | Mapping[str, Any]) -> StoredOutcome:
    """A stored outcome document (or its JSON text) as a :class:`StoredOutcome`."""
    doc = _doc(value)
    groups = None
    if "groups" in doc:
        groups = tuple(tuple(OutcomeLine(str(ln["id"]), int(ln["seats"]),
                                         tuple(ln["elected"])) for ln in g["lists"])
                       for g in doc["groups"])
    totals = ({str(k): int(v) for k, v in doc["totals"].items()} if "totals" in doc
              else None)
    return StoredOutcome(str(doc.get("status") or ""), groups, totals, doc.get("winner") or None,
                         tuple(doc.get("elected") or ()), doc.get("annulled_by") or None)


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A list's (or a district candidate's) votes, in ballot order, with its name and, for a
    district, the attached woman's name."""

    id: str
    votes: int
    name: str | None = None
    attached_woman: str | None = None


@dataclass(frozen=True, slots=True)
class StoredFigures:
    """The commission's sums a result was allocated from."""

    registered: int
    voters: int
    void: int
    rows: tuple[FigureRow, ...]


def read_figures(value: str | bytes | Mapping[str, Any]) -> StoredFigures:
    """Stored figures (the allocation input document, or its JSON text) as
    :class:`StoredFigures`."""
    doc = _doc(value)
    rows = doc.get("lists") or doc.get("candidates") or []
    return StoredFigures(
        int(doc["registered"]), int(doc["voters"]), int(doc["void"]),
        tuple(FigureRow(str(r["id"]), int(r["votes"]), r.get("name") or None,
                        str(woman["name"]) if (woman := r.get("attached_woman")) else None)
              for r in rows))
