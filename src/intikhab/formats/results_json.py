"""The public JSON of a council's (or the nation's) declared result."""

from __future__ import annotations

from typing import Any

from intikhab.formats.council import CouncilResult, percent

__all__ = ["council_json"]


def council_json(r: CouncilResult, with_elected: bool = True) -> dict[str, Any]:
    """A council's (or the nation's) declared result as the public JSON."""
    return {"council": r.council, "vote": r.vote, "kind": r.kind, "seats": r.seats,
            "declared": r.declared,
            "constituencies": r.constituencies, "registered": r.registered,
            "voters": r.voters, "turnout_percent": percent(r.voters, r.registered),
            "parties": [{"party": p.party, "name_ar": p.name_ar, "name_fr": p.name_fr,
                         "seats": p.seats, "votes": p.votes,
                         "elected": list(p.elected) if with_elected else []}
                        for p in r.parties]}
