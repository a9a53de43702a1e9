"""A whole night on any small bundle, for the council tests: minutes with plain figures for
every station and vote, entered twice, allocated (lots from a public seed) and declared."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute
from intikhab.services import entry, results
from intikhab.services.setup import load_bundle


def minutes_of(bundle: dict[str, Any]) -> list[Minute]:
    codes: dict[str, list[str]] = defaultdict(list)
    for c in sorted(bundle["candidacies"], key=lambda c: c["rank"]):
        codes[c["constituency"]].append(c["code"])
    out = []
    for n, st in enumerate(bundle["stations"]):
        for vote in ("communal", "regional"):
            votes = {code: 120 - 17 * i + (n * 7 + i * 3) % 11
                     for i, code in enumerate(codes[st[vote]])}
            ballots = sum(votes.values()) + 5
            out.append(Minute(st["id"], Vote(vote), st["registered"], ballots, ballots, 5, 0, 0,
                              tuple(votes.items())))
    return out


def run(Sessions: sessionmaker[Session], bundle: dict[str, Any]) -> sessionmaker[Session]:
    with Sessions.begin() as s:
        load_bundle(s, bundle)
    ms = minutes_of(bundle)
    for user in ("clerk1", "clerk2"):
        with Sessions.begin() as s:
            outs = entry.enter_minutes(s, user, ms, {"W-PV-004", "W-PV-008", "W-PV-010"})
        assert {o.outcome for o in outs} <= {"first_recorded", "accepted"}, outs
    with Sessions.begin() as s:
        results.allocate(s, "coord", seed="test")
    with Sessions.begin() as s:
        results.declare(s, "coord")
    return Sessions
