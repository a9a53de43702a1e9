"""The polling-station minute (محضر مكتب التصويت), art. 23 §1–2, law 59.11 as amended: drawn up
in three copies and signed by the bureau once the count is over, one per vote held on the
ballot.  Pure module: no I/O.

What a minute records (guide ch. 7–8; art. 20–22):

- ``registered``: the voters on the station's list;
- ``signed``: the voters who voted, i.e. the names marked on that list (art. 20);
- ``ballots``: the ballots found in the box when it is opened (art. 21 §3);
- ``void``: ballots void for one of the six causes of art. 22 §1, not counted (art. 22 §2);
- ``contested``: ballots the bureau held valid over an objection (art. 22 §3): they *are*
  counted in ``votes``, and the minute records the objection (art. 22 §5);
- ``illegal``: papers in the box other than the single ballot (art. 22 §4), not counted;
- ``votes``: the votes of each list (or district candidate) of the constituency (art. 21 §4);
- ``objections`` / ``observations``: the free text of the bureau and the representatives.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final

from intikhab.law.errors import InputError
from intikhab.law.vote import Vote

COUNTS: Final = ("registered", "signed", "ballots", "void", "contested", "illegal")
"""The minute's counts, in the order of the constructor and of the JSON document."""

FIELDS: Final = frozenset({"station", "vote", *COUNTS, "votes", "objections", "observations"})
"""Every key of a minute's JSON document; any other is refused (``E-ALLOC-019``)."""


@dataclass(frozen=True, slots=True)
class Minute:
    """One station's minute for one vote (art. 23 §1–2, law 59.11 as amended).

    ``votes`` pairs a list id (or a district candidate id) with its votes.  It is kept sorted
    by id — given in any order, it is sorted on construction — so that two minutes with the same
    figures compare equal and have the same :meth:`digest`.  An id given twice is refused
    (``E-ALLOC-010``).  The counts are not checked here: :meth:`from_json` checks the shape of
    what was typed, :func:`intikhab.records.checks.check_minute` the arithmetic.
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
        votes = self.votes
        if any(a[0] >= b[0] for a, b in pairwise(votes)):
            votes = tuple(sorted(votes, key=lambda kv: kv[0]))
            for a, b in pairwise(votes):
                if a[0] == b[0]:
                    raise InputError("E-ALLOC-010", field="votes", value=a[0])
            object.__setattr__(self, "votes", votes)

    def votes_map(self) -> dict[str, int]:
        """The votes as a mapping id → votes."""
        return dict(self.votes)

    @property
    def valid(self) -> int:
        """The valid votes: the sum of the lists' votes, contested ballots included
        (art. 22 §3, law 59.11 as amended)."""
        return sum(n for _, n in self.votes)

    def to_json(self) -> dict[str, Any]:
        """The minute as a JSON document (what :meth:`from_json` reads back)."""
        return {"station": self.station, "vote": self.vote.value,
                **{k: getattr(self, k) for k in COUNTS},
                "votes": dict(self.votes), "objections": self.objections,
                "observations": self.observations}

    def digest(self) -> str:
        """sha256 (hex) of the canonical JSON of every field — sorted keys, no spaces, UTF-8.

        Two entries of a minute are equal in double entry exactly when their digests are, and a
        re-sent minute is recognised by it (docs/double-entry.md)."""
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, doc: Any) -> Minute:
        """Read a decoded JSON minute, checking its shape; the first problem is raised as an
        :class:`InputError` naming the field's JSON path:

        - ``E-ALLOC-003`` the document, ``votes``, ``objections`` or ``observations`` is not of
          the expected type; ``E-ALLOC-019`` an unknown key;
        - ``E-PV-009`` no station id; ``E-PV-011`` a vote other than communal or regional;
        - ``E-PV-001`` a count (or ``votes.<id>``) that is not a non-negative integer —
          booleans and floats such as ``2.0`` included; ``E-PV-013`` one above
          :data:`MAX_COUNT`.

        The arithmetic (art. 21–22) is :func:`intikhab.records.checks.check_minute`'s job."""
        if not isinstance(doc, Mapping):
            raise InputError("E-ALLOC-003", field="$", expected="object")
        for key in doc:
            if key not in FIELDS:
                raise InputError("E-ALLOC-019", field=str(key))
        station = doc.get("station")
        if not isinstance(station, str) or not station.strip():
            raise InputError("E-PV-009", field="station", value=station)
        raw_vote = doc.get("vote")
        if not isinstance(raw_vote, str) or raw_vote not in Vote._value2member_map_:
            raise InputError("E-PV-011", field="vote", value=raw_vote)
        counts = {k: _count(doc.get(k), k) for k in COUNTS}
        raw = doc.get("votes")
        if not isinstance(raw, Mapping):
            raise InputError("E-ALLOC-003", field="votes", expected="object of id → votes")
        votes = tuple(sorted((str(k), _count(v, f"votes.{k}")) for k, v in raw.items()))
        texts: dict[str, str] = {}
        for k in ("objections", "observations"):
            v = doc.get(k)
            if v is None:
                v = ""
            if not isinstance(v, str):
                raise InputError("E-ALLOC-003", field=k, expected="string")
            texts[k] = v
        return cls(station, Vote(raw_vote), counts["registered"], counts["signed"],
                   counts["ballots"], counts["void"], counts["contested"], counts["illegal"],
                   votes, texts["objections"], texts["observations"])


MAX_COUNT: Final = 2**31 - 1
"""No figure of a minute reaches 2^31: the country's whole voter list is under 2^25, and a
larger number is a typing accident or an attack on the stored integers (``E-PV-013``)."""


def _count(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("E-PV-001", field=field, value=repr(value))
    if value > MAX_COUNT:
        raise InputError("E-PV-013", field=field, value=value, max=MAX_COUNT)
    return value
