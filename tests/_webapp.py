"""Helpers for the page and browser tests: a migrated database holding ``small_bundle()`` with
the demo accounts (password = user id + ``-2021``), valid minutes for its stations, and the
whole night (double entry, allocation, declaration) through the services."""

from __future__ import annotations

from typing import Any

from conftest import small_bundle
from sqlalchemy.orm import Session

from intikhab.demo.users import DEMO_USERS
from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute
from intikhab.services import entry, results
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.store.db import make_engine, migrate, sessions

STATIONS = {**{f"C1-S{i}": ("C1", 1000) for i in range(1, 5)},
            **{f"{d}-S{i}": (d, 500) for d in ("D1", "D2") for i in (1, 2)}}


def codes_of(station: str, vote: str) -> list[str]:
    if vote == "regional" or station.startswith("C1"):
        return ["PA", "PB", "PC"]
    d = STATIONS[station][0]
    return [f"PA:{d}", f"PB:{d}"]


def figures(station: str, vote: str = "communal") -> dict[str, Any]:
    """A valid minute's figures (ballots = signed = valid + void), as the form's fields."""
    codes = codes_of(station, vote)
    n = int(station[-1])
    votes = {c: 40 * (len(codes) - i) + 3 * n + 5 * (vote == "regional")
             for i, c in enumerate(codes)}
    void = 7
    ballots = sum(votes.values()) + void
    return {"registered": STATIONS[station][1], "signed": ballots, "ballots": ballots,
            "void": void, "contested": 2, "illegal": 0, "votes": votes}


def minute(station: str, vote: str = "communal") -> Minute:
    f = figures(station, vote)
    return Minute(station, Vote(vote), f["registered"], f["signed"], f["ballots"], f["void"],
                  f["contested"], f["illegal"], tuple(f["votes"].items()))


def build(url: str) -> None:
    """Migrate ``url`` and load the small election with the demo accounts."""
    engine = make_engine(url)
    migrate(engine)
    with sessions(engine).begin() as s:
        load_bundle(s, small_bundle())
        ensure_demo_accounts(s, DEMO_USERS)
    engine.dispose()


def enter_all(s: Session, skip: set[str] | frozenset[str] = frozenset()) -> None:
    """Every minute but those of ``skip`` entered twice (clerk1, clerk2): all accepted."""
    ms = [minute(st, v) for st in STATIONS for v in ("communal", "regional")
          if st not in skip]
    for user in ("clerk1", "clerk2"):
        out = entry.enter_minutes(s, user, ms, accept_warnings={"W-PV-004"})
        assert all(o.outcome in ("first_recorded", "accepted") for o in out), out


def declare_all(url: str) -> None:
    """The whole night: every minute accepted, every constituency allocated and declared."""
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        enter_all(s)
        results.allocate(s, "coord", seed="test")
        results.declare(s, "coord")
    engine.dispose()
