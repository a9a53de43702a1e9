"""Separation of duties and bounds, as a hostile user and a clumsy operator would try them, on
SQLite and PostgreSQL: a coordinator who typed a minute cannot decide it (art. 23 §1–2, law
59.11 as amended, the project's rule), clerks and coordinators act only in their scope (art. 24:
each census commission its own constituency), one impossible constituency no longer stops the
night, and no import changes a declared constituency (art. 24, art. 32)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from _webapp import STATIONS, minute
from conftest import small_bundle
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.users import DEMO_USERS
from intikhab.law.errors import IntikhabError
from intikhab.records.entry import EntryError
from intikhab.services import duties, entry, results
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.store import audit
from intikhab.store.models import AuditLog, DutyScope, Result, Station, User
from intikhab.web.errors import status_of

Sessions_ = sessionmaker[Session]
ALL = [(st, v) for st in STATIONS for v in ("communal", "regional")]


@pytest.fixture
def db(Sessions: Sessions_) -> Sessions_:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
        ensure_demo_accounts(s, DEMO_USERS)  # admin, with the national scope
    return Sessions


def enter(db: Sessions_, user: str, minutes: list[object], warn: set[str] | None = None
          ) -> list[entry.Submitted]:
    with db.begin() as s:
        return entry.enter_minutes(s, user, minutes,  # type: ignore[arg-type]
                                   accept_warnings=warn or {"W-PV-004"})


def test_art_23_a_coordinator_who_typed_an_entry_cannot_resolve_it(db: Sessions_) -> None:
    m = minute("D2-S1")
    slip = replace(m, votes=((m.votes[0][0], m.votes[0][1] + 1),
                             (m.votes[1][0], m.votes[1][1] - 1)))
    enter(db, "clerk1", [m])
    assert enter(db, "coord", [slip])[0].outcome == "conflict"  # the coordinator typed it
    for act in (lambda s: entry.resolve(s, "coord", "D2-S1", "communal", 2),
                lambda s: entry.send_back(s, "coord", "D2-S1", "communal")):
        with pytest.raises(EntryError) as info, db.begin() as s:
            act(s)
        assert info.value.code == "E-ENTRY-006" and status_of(info.value) == 403
    with db.begin() as s:  # another coordinator (the administrator) decides
        assert entry.resolve(s, "admin", "D2-S1", "communal", 1).status.value == "accepted"
    # the first clerk entered it too, but is no coordinator; the entrants cannot correct it
    with db.begin() as s:
        s.add(User(id="coord2", name="C2", role="coordinator"))
        s.flush()
        s.add(DutyScope(user_id="coord2", scope="*"))
        audit.append(s, actor="test", role="admin", action="test.setup", entity="coord2")
    with pytest.raises(EntryError) as info, db.begin() as s:
        entry.open_correction(s, "coord", "D2-S1", "communal")
    assert info.value.code == "E-ENTRY-006"
    with db.begin() as s:
        assert entry.open_correction(s, "coord2", "D2-S1", "communal").version == 2


def test_art_24_clerks_and_coordinators_act_only_in_their_scope(db: Sessions_) -> None:
    with db.begin() as s:
        s.add_all([User(id="clerkD1", name="D1", role="clerk"),
                   User(id="coordD1", name="D1", role="coordinator"),
                   User(id="nobody", name="N", role="clerk")])
        s.flush()
        duties.assign(s, "admin", "clerkD1", ["D1"])
        duties.assign(s, "admin", "coordD1", ["D1"])
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        entry.enter_minutes(s, "clerkD1", [minute("D1-S1"), minute("D2-S1")], {"W-PV-004"})
    assert info.value.code == "E-ENTRY-007" and "D2" in info.value.message()
    assert status_of(info.value) == 403
    with pytest.raises(IntikhabError) as info, db.begin() as s:  # no scope at all
        entry.enter_minutes(s, "nobody", [minute("D1-S1")], {"W-PV-004"})
    assert info.value.code == "E-ENTRY-007"
    assert enter(db, "clerkD1", [minute("D1-S1")])[0].outcome == "first_recorded"
    enter(db, "clerk1", [minute(st, v) for st, v in ALL])
    enter(db, "clerk2", [minute(st, v) for st, v in ALL])
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        results.allocate(s, "coordD1", ["D2"])
    assert info.value.code == "E-ENTRY-007"
    with db.begin() as s:  # by default, the coordinator's scope only
        done = results.allocate(s, "coordD1", seed="t")
    assert [r.constituency_id for r in done] == ["D1"]
    with db.begin() as s:
        assert results.declare(s, "coordD1") == 1
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        results.declare(s, "coordD1", ["K1"])
    assert info.value.code == "E-ENTRY-007"
    # assigning a scope is an administrator's act, in the audit log
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        duties.assign(s, "coordD1", "coordD1", ["*"])
    assert info.value.code == "E-ENTRY-004"
    with db() as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "coordD1")).all()
        assert actions.count("user.scope") == 1 and audit.verify(s).ok


def test_5030_ballots_in_a_232_voter_station_and_huge_figures_are_refused(
        db: Sessions_) -> None:
    """E-PV-012 (arts. 20–21): no figure above the station's registered voters."""
    with db.begin() as s:
        s.execute(update(Station).where(Station.id == "D1-S1").values(registered=232))
        audit.append(s, actor="test", role="admin", action="test.setup", entity="D1-S1")
    m = minute("D1-S1")
    bad = replace(m, registered=232, signed=232, ballots=5030, void=5030 - m.valid)
    out = enter(db, "clerk1", [bad], {"W-PV-004", "W-PV-008"})[0]
    assert out.outcome == "rejected"
    assert {(f.code, f.field) for f in out.findings} >= {("E-PV-012", "ballots"),
                                                         ("E-PV-012", "void")}


def test_w_pv_004_more_ballots_than_signatures_no_longer_stops_the_night(
        db: Sessions_) -> None:
    """The quotient's voters are the signatures unless more ballots were counted (guide 8.1,
    9.1; docs/allocation.md): the constituency is allocated, with the ballots as voters."""
    m = minute("D2-S1")
    more = replace(m, signed=m.signed - 40)  # 40 more ballots than names marked (art. 21 §3)
    ms = [more if (st, v) == ("D2-S1", "communal") else minute(st, v) for st, v in ALL]
    enter(db, "clerk1", ms)
    enter(db, "clerk2", ms)
    unallocated: list[results.Unallocated] = []
    with db.begin() as s:
        done = results.allocate(s, "coord", seed="t", unallocated=unallocated)
    assert unallocated == [] and len(done) == 4
    d2 = next(r for r in done if r.constituency_id == "D2")
    assert d2.figures["voters"] == sum(x.ballots - x.illegal for x in ms
                                       if x.station.startswith("D2") and x.vote.value
                                       == "communal")


def test_one_impossible_constituency_is_reported_and_the_others_declared(
        db: Sessions_) -> None:
    ms = [minute(st, v) for st, v in ALL]
    enter(db, "clerk1", ms)
    enter(db, "clerk2", ms)
    with db.begin() as s:  # an operator shrinks a voter list behind the application's back
        s.execute(update(Station).where(Station.communal_constituency_id == "D1")
                  .values(registered=10))
        audit.append(s, actor="test", role="admin", action="test.setup", entity="D1")
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        results.allocate(s, "coord", seed="t")  # no list to report into: E-ALLOC-020
    assert info.value.code == "E-ALLOC-020" and info.value.field == "D1"
    unallocated: list[results.Unallocated] = []
    with db.begin() as s:
        done = results.allocate(s, "coord", seed="t", unallocated=unallocated)
    assert sorted(r.constituency_id for r in done) == ["C1", "D2", "K1"]
    assert [(u.constituency, u.error.code) for u in unallocated] == [("D1", "E-ALLOC-005")]
    assert unallocated[0].to_dict()["constituency"] == "D1"
    with db.begin() as s:
        assert results.declare(s, "coord") == 3


def test_no_import_changes_a_declared_constituency(db: Sessions_) -> None:
    """E-IMP-005 (art. 24: the declared result; art. 32: only a court changes it)."""
    ms = [minute(st, v) for st, v in ALL]
    enter(db, "clerk1", ms)
    enter(db, "clerk2", ms)
    with db.begin() as s:
        results.allocate(s, "coord", seed="t")
        results.declare(s, "coord")
    extra = {"stations": [{"id": "D1-S9", "central_office": "C2-O1", "communal": "D1",
                           "regional": "K1", "registered": 10}]}
    with pytest.raises(IntikhabError) as info, db.begin() as s:
        load_bundle(s, extra)
    assert info.value.code == "E-IMP-005" and status_of(info.value) == 409
    with db() as s:
        assert s.get(Station, "D1-S9") is None
        assert all(p.value == "declared" for p in results.progress(s).values())
        assert s.scalar(select(Result.id).where(Result.declared_at.is_(None))) is None
