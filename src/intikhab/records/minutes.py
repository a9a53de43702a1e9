"""The polling-station minute (محضر مكتب التصويت), art. 23 §1–2, law 59.11 as amended: drawn up
in three copies after the count, one per vote held on the ballot."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intikhab.law.errors import InputError


class Vote(StrEnum):
    """The two votes held the same day on one ballot; communal ballots are counted first."""

    COMMUNAL = "communal"
    REGIONAL = "regional"


COUNTS = ("registered", "signed", "ballots", "void", "contested", "illegal")


@dataclass(frozen=True, slots=True)
class Minute:
    """One station's minute for one vote.

    ``signed``: voters who voted (signatures on the list); ``ballots``: found in the box;
    ``void``: the six causes of art. 22 §1; ``contested``: validated over an objection, counted
    in ``votes`` (art. 22 §3–5); ``illegal``: not the single ballot, not counted (art. 22).
    ``votes`` pairs a list id (or a district candidate id) with its votes, sorted by id.
    """

    station: str
    vote: Vote
    registered: int
    signed: int
    ballots: int
    void: int
    contested: int
    illegal: int
    votes: tuple[tuple[str, int], ...]
    objections: str = ""
    observations: str = ""

    def __post_init__(self) -> None:
        if any(a[0] >= b[0] for a, b in zip(self.votes, self.votes[1:], strict=False)):
            object.__setattr__(self, "votes", tuple(sorted(dict(self.votes).items())))

    def votes_map(self) -> dict[str, int]:
        return dict(self.votes)

    @property
    def valid(self) -> int:
        return sum(n for _, n in self.votes)

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "vote": self.vote.value,
                **{k: getattr(self, k) for k in COUNTS},
                "votes": dict(self.votes), "objections": self.objections,
                "observations": self.observations}

    def digest(self) -> str:
        """sha256 of the canonical JSON of every field: two entries are equal in double entry
        exactly when their digests are, and a re-sent minute is recognised by it."""
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_json(cls, doc: Any) -> Minute:
        """Validate a decoded minute; a bad shape is an :class:`InputError` naming the field."""
        if not isinstance(doc, Mapping):
            raise InputError("E-ALLOC-003", field="$", expected="object")
        station = doc.get("station")
        if not isinstance(station, str) or not station.strip():
            raise InputError("E-PV-009", field="station", value=station)
        try:
            vote = Vote(str(doc.get("vote")))
        except ValueError:
            raise InputError("E-PV-011", field="vote", value=doc.get("vote")) from None
        counts = {k: _count(doc.get(k), k) for k in COUNTS}
        raw = doc.get("votes")
        if not isinstance(raw, Mapping):
            raise InputError("E-ALLOC-003", field="votes", expected="object of id → votes")
        votes = tuple(sorted((str(k), _count(v, f"votes.{k}")) for k, v in raw.items()))
        texts = {k: doc.get(k) or "" for k in ("objections", "observations")}
        for k, v in texts.items():
            if not isinstance(v, str):
                raise InputError("E-ALLOC-003", field=k, expected="string")
        return cls(station, vote, counts["registered"], counts["signed"], counts["ballots"],
                   counts["void"], counts["contested"], counts["illegal"], votes,
                   texts["objections"], texts["observations"])


def _count(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("E-PV-001", field=field, value=repr(value))
    return value
