"""The one reader of a stored result (the ``result`` table): its *figures* — the commission's
sums, in the allocation's input format (:mod:`intikhab.formats.allocation_json`, docs/allocation.md)
— and its *outcome* — the engine's output (``result_to_json``), or a court's annulment (art. 32
of law 59.11 as amended; ``services/disputes.py``) — as frozen dataclasses.

Readers take the JSON a database column gives back (a dict) or its text; the one change a
stored outcome undergoes — a court replacing an elected member — is :func:`replace_member`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intikhab.law.errors import InputError

__all__ = ["FigureRow", "OutcomeLine", "StoredFigures", "StoredOutcome", "read_figures",
           "read_outcome", "replace_member"]


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
    reason: str | None = None
    councils: tuple[str | None, ...] = ()
    """Each group's council in a divided commune's arrondissement (``commune`` or
    ``arrondissement``, art. 141 §1 item 2), ``None`` elsewhere; parallel to ``groups``."""

    def _kept(self, commune_only: bool) -> list[tuple[OutcomeLine, ...]]:
        groups = self.groups or ()
        if not commune_only:
            return list(groups)
        return [g for i, g in enumerate(groups)
                if i >= len(self.councils) or self.councils[i] != "arrondissement"]

    def seats_by_code(self, commune_only: bool = False) -> dict[str, int]:
        """Seats won per list id (or the district winner's code: its seat and any attached
        woman's); ``commune_only``: the commune council's seats only, not the arrondissement
        councillors' (art. 141 §1 item 2; the same for any other constituency)."""
        if commune_only and "arrondissement" in self.councils:
            out: dict[str, int] = {}
            for group in self._kept(True):
                for line in group:
                    out[line.id] = out.get(line.id, 0) + line.seats
            return out
        if self.totals is not None:
            return dict(self.totals)
        return {self.winner: len(self.elected)} if self.winner else {}

    def elected_by_code(self, commune_only: bool = False) -> dict[str, list[str]]:
        """The elected members per list id (or the district winner's code), in seat order;
        ``commune_only`` as :meth:`seats_by_code`."""
        if self.groups is not None:
            out: dict[str, list[str]] = {}
            for group in self._kept(commune_only):
                for line in group:
                    out.setdefault(line.id, []).extend(line.elected)
            return out
        return {self.winner: list(self.elected)} if self.winner else {}


def replace_member(outcome: Mapping[str, Any], old: str | None, new: str | None,
                   to: str | None, case: str) -> dict[str, Any] | None:
    """A copy of a stored outcome in which the court's ruling ``case`` replaced the elected
    member ``old`` by ``new`` (art. 32 of law 59.11 as amended): on ``old``'s own list, or with
    the seat moved to the list (or the district candidate) ``to``; the change is recorded under
    ``changes``.  ``None`` when ``old`` was not elected; ``E-DISP-010`` for an unknown list."""
    out = copy.deepcopy(dict(outcome))
    found = False
    if "groups" in out:
        for g in out["groups"]:
            lines = {ln["id"]: ln for ln in g["lists"]}
            for ln in g["lists"]:
                if old not in ln["elected"] or found:
                    continue
                found = True
                if to is None or to == ln["id"]:
                    ln["elected"] = [new if x == old else x for x in ln["elected"]]
                    continue
                if to not in lines:
                    raise InputError("E-DISP-010", field="replacement_list", value=to,
                                     expected=" | ".join(lines))
                i = ln["elected"].index(old)
                ln["elected"].pop(i)
                ln["elected_ranks"].pop(i)
                ln["seats"] -= 1
                lines[to]["elected"].append(new)
                lines[to]["elected_ranks"].append(None)
                lines[to]["seats"] += 1
                out["totals"][ln["id"]] -= 1
                out["totals"][to] = out["totals"].get(to, 0) + 1
    elif old in out.get("elected", []):
        found = True
        out["elected"] = [new if x == old else x for x in out["elected"]]
        if to is not None:
            out["winner"] = to
    if not found:
        return None
    out["changes"] = [*out.get("changes", []),
                      {"case": case, "replaced": old, "replacement": new, "list": to}]
    return out


def read_outcome(value: str | bytes | Mapping[str, Any]) -> StoredOutcome:
    """A stored outcome document (or its JSON text) as a :class:`StoredOutcome`."""
    doc = _doc(value)
    groups = None
    councils: tuple[str | None, ...] = ()
    if "groups" in doc:
        groups = tuple(tuple(OutcomeLine(str(ln["id"]), int(ln["seats"]),
                                         tuple(ln["elected"])) for ln in g["lists"])
                       for g in doc["groups"])
        councils = tuple(g.get("council") or None for g in doc["groups"])
    totals = ({str(k): int(v) for k, v in doc["totals"].items()} if "totals" in doc
              else None)
    return StoredOutcome(str(doc.get("status") or ""), groups, totals, doc.get("winner") or None,
                         tuple(doc.get("elected") or ()), doc.get("annulled_by") or None,
                         doc.get("reason") or None, councils)


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
