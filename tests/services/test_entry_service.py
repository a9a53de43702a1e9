"""The entry service on SQLite and PostgreSQL: double entry, conflicts and their resolution,
corrections as new versions, the checks, role checks, the audit chain, batches, rollback."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import small_bundle
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.law.errors import IntikhabError
from intikhab.law.vote import Vote
from intikhab.records import entry as sm
from intikhab.records.minutes import Minute
from intikhab.services import entry, results
from intikhab.services.entry import Submitted
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.models import AuditLog, Entry, MinuteState, MinuteVersion

Sessions_ = sessionmaker[Session]

STATIONS = {**{f"C1-S{i}": ("C1", 1000) for i in range(1, 5)},
            **{f"{d}-S{i}": (d, 500) for d in ("D1", "D2") for i in (1, 2)}}


def codes_of(station: str, vote: str) -> list[str]:
    """The candidacy codes of the station's constituency for ``vote``."""
    if vote == "regional" or station.startswith("C1"):
        return ["PA", "PB", "PC"]
    d = STATIONS[station][0]
    return [f"PA:{d}", f"PB:{d}"]


def minute(station: str, vote: str = "communal", shift: int = 0, *, void: int = 7,
           illegal: int = 0, signed_delta: int = 0, registered: int | None = None) -> Minute:
    """A valid minute: one vote per candidacy, ballots = signed = valid + void (+ illegal).
    ``shift`` moves votes from the second candidacy to the first (another content)."""
    codes = codes_of(station, vote)
    n = int(station[-1])
    votes = {c: 40 * (len(codes) - i) + 3 * n for i, c in enumerate(codes)}
    votes[codes[0]] += shift
    votes[codes[1]] -= shift
    ballots = sum(votes.values()) + void + illegal
    return Minute(station, Vote(vote), registered or STATIONS[station][1],
                  ballots + signed_delta, ballots, void, 1, illegal, tuple(votes.items()))


def all_minutes(vote: str | None = None) -> list[Minute]:
    return [minute(st, v) for st in STATIONS for v in ("communal", "regional")
            if vote in (None, v)]


@pytest.fixture
def db(Sessions: Sessions_) -> Sessions_:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    return Sessions


def enter(db: Sessions_, user: str, *minutes: Minute, accept: tuple[str, ...] = ()
          ) -> list[Submitted]:
    with db.begin() as s:
        return entry.enter_minutes(s, user, list(minutes), accept)


def one(db: Sessions_, user: str, m: Minute, accept: tuple[str, ...] = ()) -> Submitted:
    (out,) = enter(db, user, m, accept=accept)
    return out


def coordinate(db: Sessions_, action: str, station: str, vote: str = "communal",
               user: str = "coord", keep: Any = None) -> sm.EntryState:
    with db.begin() as s:
        if action == "resolve":
            return entry.resolve(s, user, station, vote, keep)
        if action == "send_back":
            return entry.send_back(s, user, station, vote)
        return entry.open_correction(s, user, station, vote)


def state_of(db: Sessions_, station: str, vote: str = "communal") -> dict[str, Any] | None:
    with db() as s:
        row = s.get(MinuteState, (station, vote))
        if row is None:
            return None
        return {"status": row.status, "version": row.version, "first": row.first_entry_id,
                "second": row.second_entry_id, "accepted": row.accepted_entry_id,
                "constituency": row.constituency_id}


def count(db: Sessions_, model: Any) -> int:
    with db() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def counts(db: Sessions_) -> tuple[int, int, int, int]:
    return (count(db, Entry), count(db, MinuteState), count(db, MinuteVersion),
            count(db, AuditLog))


def versions(db: Sessions_, station: str, vote: str = "communal") -> list[tuple[int, str, str]]:
    with db() as s:
        return [(v, e, by) for v, e, by in s.execute(
            select(MinuteVersion.version, MinuteVersion.entry_id, MinuteVersion.accepted_by)
            .where(MinuteVersion.station_id == station, MinuteVersion.vote == vote)
            .order_by(MinuteVersion.version))]


def entry_minute(db: Sessions_, eid: str | None) -> Minute:
    with db() as s:
        row = s.get(Entry, eid)
        assert row is not None
        return Minute.from_json(row.minute)


def totals(db: Sessions_, cid: str = "C1") -> results.Totals:
    with db() as s:
        return results.constituency_totals(s, only=cid)[cid]


def actions(db: Sessions_) -> list[tuple[str, str, str]]:
    with db() as s:
        return [(a, e, u) for a, e, u in s.execute(
            select(AuditLog.action, AuditLog.entity, AuditLog.actor)
            .order_by(AuditLog.seq))]


def verified(db: Sessions_) -> audit.Verification:
    with db() as s:
        return audit.verify(s)


# --------------------------------------------------------------------------------------------


def test_the_helpers_build_valid_minutes(db: Sessions_) -> None:
    with db() as s:
        ctx = entry.Contexts.load(s)
    from intikhab.records.checks import check_minute
    for m in all_minutes():
        assert check_minute(m, ctx.context(m.station, m.vote.value)) == (), m
    assert check_minute(minute("C1-S1", shift=5), ctx.context("C1-S1", "communal")) == ()


def test_two_agreeing_entries_accept_the_minute(db: Sessions_) -> None:
    m = minute("C1-S1")
    first = one(db, "clerk1", m)
    assert first.outcome == "first_recorded" and first.entry_id and first.findings == ()
    st = state_of(db, "C1-S1")
    assert st == {"status": "first", "version": 1, "first": first.entry_id, "second": None,
                  "accepted": None, "constituency": "C1"}
    assert versions(db, "C1-S1") == []
    t = totals(db)
    assert (t.accepted, t.signed, dict(t.votes)) == (0, 0, {})  # nothing counts yet

    second = one(db, "clerk2", m)
    assert second.outcome == "accepted" and second.entry_id != first.entry_id
    st = state_of(db, "C1-S1")
    assert st is not None
    assert (st["status"], st["version"], st["first"], st["second"], st["accepted"]) == (
        "accepted", 1, first.entry_id, second.entry_id, first.entry_id)
    assert versions(db, "C1-S1") == [(1, first.entry_id, "clerk2")]
    assert entry_minute(db, first.entry_id) == m
    t = totals(db)
    assert (t.accepted, t.signed, t.ballots, t.void) == (1, m.signed, m.ballots, m.void)
    assert dict(t.votes) == dict(m.votes)
    assert [a for a, _e, _u in actions(db)] == [
        "import.bundle", "minute.first_recorded", "minute.accepted"]
    assert verified(db).ok


def test_differing_entries_conflict_and_the_coordinator_keeps_one(db: Sessions_) -> None:
    a, b = minute("C1-S2"), minute("C1-S2", shift=10)
    e1 = one(db, "clerk1", a)
    e2 = one(db, "clerk2", b)
    assert e2.outcome == "conflict"
    st = state_of(db, "C1-S2")
    assert st is not None and (st["status"], st["first"], st["second"], st["accepted"]) == (
        "conflict", e1.entry_id, e2.entry_id, None)
    assert versions(db, "C1-S2") == [] and totals(db).accepted == 0

    kept = coordinate(db, "resolve", "C1-S2", keep=2)
    assert kept.status is sm.EntryStatus.ACCEPTED and kept.accepted is not None
    assert kept.accepted.entry_id == e2.entry_id
    st = state_of(db, "C1-S2")
    assert st is not None and (st["status"], st["accepted"]) == ("accepted", e2.entry_id)
    assert versions(db, "C1-S2") == [(1, e2.entry_id, "coord")]
    assert entry_minute(db, st["accepted"]) == b
    assert dict(totals(db).votes) == dict(b.votes)
    assert actions(db)[-1] == ("minute.resolved", "C1-S2/communal/v1", "coord")
    assert verified(db).ok


def test_send_back_then_the_minute_is_entered_again(db: Sessions_) -> None:
    a, b = minute("D1-S1"), minute("D1-S1", shift=3)
    e1 = one(db, "clerk1", a)
    one(db, "clerk2", b)
    back = coordinate(db, "send_back", "D1-S1")
    assert back.status is sm.EntryStatus.AWAITING and back.first is None
    st = state_of(db, "D1-S1")
    assert st is not None and (st["status"], st["first"], st["second"], st["accepted"]) == (
        "awaiting", None, None, None)
    assert versions(db, "D1-S1") == []
    # both clerks type it again; clerk1 types exactly what they typed before
    again = one(db, "clerk1", a)
    assert again.outcome == "first_recorded" and again.entry_id == e1.entry_id
    done = one(db, "clerk2", a)
    assert done.outcome == "accepted"
    st = state_of(db, "D1-S1")
    assert st is not None and st["status"] == "accepted"
    assert entry_minute(db, st["accepted"]) == a
    assert totals(db, "D1").accepted == 1
    assert [x for x, _e, _u in actions(db)][-5:] == [
        "minute.first_recorded", "minute.conflict", "minute.sent_back",
        "minute.first_recorded", "minute.accepted"]
    assert verified(db).ok


def test_send_back_then_others_enter_it(db: Sessions_) -> None:
    one(db, "clerk1", minute("C1-S1"))
    one(db, "clerk2", minute("C1-S1", shift=1))
    coordinate(db, "send_back", "C1-S1")
    assert one(db, "clerk2", minute("C1-S1", shift=2)).outcome == "first_recorded"
    assert one(db, "coord", minute("C1-S1", shift=2)).outcome == "accepted"
    assert verified(db).ok


def test_the_same_user_cannot_make_the_second_entry(db: Sessions_) -> None:
    one(db, "clerk1", minute("C1-S1"))
    before = counts(db)
    out = one(db, "clerk1", minute("C1-S1", shift=4))
    assert out.outcome == "rejected" and out.entry_id is None
    assert isinstance(out.error, IntikhabError) and out.error.code == "E-ENTRY-001"
    assert counts(db) == before
    assert state_of(db, "C1-S1") is not None


def test_a_resent_minute_is_a_duplicate(db: Sessions_) -> None:
    m = minute("C1-S3")
    first = one(db, "clerk1", m)
    before = counts(db)
    again = one(db, "clerk1", m)
    assert (again.outcome, again.entry_id) == ("duplicate", first.entry_id)
    assert counts(db) == before
    # also once a conflict or an acceptance followed
    one(db, "clerk2", minute("C1-S3", shift=1))
    before = counts(db)
    assert one(db, "clerk1", m).outcome == "duplicate"
    assert one(db, "clerk2", minute("C1-S3", shift=1)).outcome == "duplicate"
    assert counts(db) == before
    coordinate(db, "resolve", "C1-S3", keep=1)
    before = counts(db)
    assert one(db, "clerk1", m).outcome == "duplicate"
    assert counts(db) == before
    assert state_of(db, "C1-S3")["status"] == "accepted"  # type: ignore[index]


def test_no_new_minute_for_an_accepted_station(db: Sessions_) -> None:
    m = minute("C1-S4")
    one(db, "clerk1", m)
    one(db, "clerk2", m)
    before = counts(db)
    out = one(db, "coord", minute("C1-S4", shift=9))
    assert out.outcome == "rejected"
    assert [f.code for f in out.findings] == ["E-PV-007"]
    assert out.findings[0].field == "station"
    assert isinstance(out.error, IntikhabError) and out.error.code == "E-ENTRY-002"
    assert counts(db) == before


def test_a_correction_is_a_new_version_and_v1_counts_until_v2_is_accepted(
        db: Sessions_) -> None:
    v1, v2 = minute("C1-S1"), minute("C1-S1", shift=20)
    e1 = one(db, "clerk1", v1)
    one(db, "clerk2", v1)
    before = totals(db)
    opened = coordinate(db, "open_correction", "C1-S1")
    assert (opened.status, opened.version) == (sm.EntryStatus.AWAITING, 2)
    assert opened.accepted is not None and opened.accepted.entry_id == e1.entry_id
    st = state_of(db, "C1-S1")
    assert st is not None and (st["status"], st["version"], st["accepted"]) == (
        "awaiting", 2, e1.entry_id)
    assert actions(db)[-1] == ("minute.correction_opened", "C1-S1/communal/v2", "coord")

    def same(t: results.Totals) -> bool:
        return (t.accepted, t.signed, dict(t.votes), t.minutes_digest) == (
            before.accepted, before.signed, dict(before.votes), before.minutes_digest)

    assert same(totals(db))
    c1 = one(db, "clerk1", v2)
    assert c1.outcome == "first_recorded" and c1.entry_id != e1.entry_id
    assert same(totals(db))
    c2 = one(db, "clerk2", minute("C1-S1", shift=21))
    assert c2.outcome == "conflict"
    assert same(totals(db))
    coordinate(db, "send_back", "C1-S1")
    st = state_of(db, "C1-S1")
    assert st is not None and (st["status"], st["version"], st["accepted"]) == (
        "awaiting", 2, e1.entry_id)
    assert same(totals(db))
    assert one(db, "clerk1", v2).outcome == "first_recorded"
    assert same(totals(db))
    done = one(db, "clerk2", v2)
    assert done.outcome == "accepted"
    after = totals(db)
    assert dict(after.votes) == dict(v2.votes) != dict(v1.votes)
    assert after.minutes_digest != before.minutes_digest
    vs = versions(db, "C1-S1")
    assert [v for v, _e, _b in vs] == [1, 2]
    assert vs[0][1] == e1.entry_id and entry_minute(db, vs[1][1]) == v2
    with db() as s:
        row = s.get(Entry, vs[1][1])
        assert row is not None and row.version == 2
    assert actions(db)[-1] == ("minute.accepted", "C1-S1/communal/v2", "clerk2")
    # the accepted v2 can itself be corrected
    assert coordinate(db, "open_correction", "C1-S1").version == 3
    assert verified(db).ok


def test_an_error_finding_rejects_and_writes_nothing(db: Sessions_) -> None:
    good = minute("C1-S1")
    bad = Minute(good.station, good.vote, good.registered, good.signed, good.ballots,
                 good.void + 1, good.contested, good.illegal, good.votes)  # E-PV-002
    before = counts(db)
    out = one(db, "clerk1", bad, accept=("E-PV-002", "W-PV-004"))
    assert out.outcome == "rejected" and out.entry_id is None and out.error is None
    assert [f.code for f in out.findings] == ["E-PV-002"]
    assert counts(db) == before and state_of(db, "C1-S1") is None
    unknown = minute("C1-S1")
    ghost = Minute("C9-S9", unknown.vote, 1000, unknown.signed, unknown.ballots,
                   unknown.void, 1, 0, unknown.votes)
    out = one(db, "clerk1", ghost)
    assert out.outcome == "rejected" and [f.code for f in out.findings] == ["E-PV-009"]
    stranger = Minute("D2-S1", Vote.COMMUNAL, 500, 100, 100, 0, 0, 0,
                      (("PA:D1", 50), ("PA:D2", 25), ("PB:D2", 25)))
    out = one(db, "clerk1", stranger)
    assert [(f.code, f.field) for f in out.findings] == [("E-PV-005", "votes.PA:D1")]
    assert counts(db) == before


def test_a_warning_blocks_until_it_is_accepted(db: Sessions_) -> None:
    m = minute("C1-S2", signed_delta=-2)  # two more papers in the box than signatures
    before = counts(db)
    out = one(db, "clerk1", m)
    assert out.outcome == "rejected" and [f.code for f in out.findings] == ["W-PV-004"]
    out = one(db, "clerk1", m, accept=("W-PV-008",))  # another warning does not cover it
    assert out.outcome == "rejected"
    assert counts(db) == before
    out = one(db, "clerk1", m, accept=("W-PV-004", "W-PV-008"))
    assert out.outcome == "first_recorded" and [f.code for f in out.findings] == ["W-PV-004"]
    with db() as s:
        row = s.get(Entry, out.entry_id)
        assert row is not None and row.accepted_warnings == ["W-PV-004"]
    assert one(db, "clerk2", m).outcome == "rejected"
    second = one(db, "clerk2", m, accept=("W-PV-004",))
    assert second.outcome == "accepted"
    with db() as s:
        row = s.get(Entry, second.entry_id)
        assert row is not None and row.accepted_warnings == ["W-PV-004"]
    # a clean minute records no accepted warning, even when some were offered
    clean = one(db, "clerk1", minute("C1-S3"), accept=("W-PV-004",))
    with db() as s:
        row = s.get(Entry, clean.entry_id)
        assert row is not None and row.accepted_warnings == []


def test_roles(db: Sessions_) -> None:
    before = counts(db)
    for user in ("observer", "nobody"):
        with pytest.raises(IntikhabError) as info, db.begin() as s:
            entry.enter_minutes(s, user, [minute("C1-S1")])
        assert info.value.code == "E-ENTRY-004"
    assert counts(db) == before
    one(db, "clerk1", minute("C1-S1"))
    one(db, "clerk2", minute("C1-S1", shift=1))
    for action in ("resolve", "send_back", "open_correction"):
        for user in ("clerk1", "observer", "nobody"):
            with pytest.raises(IntikhabError) as info:
                coordinate(db, action, "C1-S1", user=user, keep=1)
            assert info.value.code == "E-ENTRY-004", (action, user)
    st = state_of(db, "C1-S1")
    assert st is not None and st["status"] == "conflict"
    # a coordinator may enter minutes; a coordinator's refusals carry the state machine's codes
    assert one(db, "coord", minute("C1-S2")).outcome == "first_recorded"
    for action, code in (("resolve", "E-ENTRY-003"), ("send_back", "E-ENTRY-003"),
                         ("open_correction", "E-ENTRY-002")):
        for station in ("C1-S2", "C1-S3"):  # first entry only; nothing entered
            with pytest.raises(sm.EntryError) as err:
                coordinate(db, action, station, keep=1)
            assert err.value.code == code
    assert verified(db).ok


def test_every_change_is_audited_and_the_chain_verifies(db: Sessions_) -> None:
    expected = ["import.bundle"]
    steps: list[tuple[str, Minute, str | None]] = [
        ("clerk1", minute("C1-S1"), "first_recorded"),
        ("clerk1", minute("C1-S1"), None),  # duplicate: no change, no record
        ("clerk2", minute("C1-S1"), "accepted"),
        ("clerk1", minute("D2-S1"), "first_recorded"),
        ("clerk2", minute("D2-S1", shift=1), "conflict"),
        ("clerk1", minute("D2-S2", shift=-1), "first_recorded"),
        ("clerk1", minute("D2-S2", shift=-2), None),  # rejected: E-ENTRY-001
    ]
    for user, m, outcome in steps:
        out = one(db, user, m)
        if outcome is not None:
            assert out.outcome == outcome
            expected.append(f"minute.{outcome}")
    coordinate(db, "resolve", "D2-S1", keep=1)
    coordinate(db, "open_correction", "C1-S1")
    expected += ["minute.resolved", "minute.correction_opened"]
    got = actions(db)
    assert [a for a, _e, _u in got] == expected
    assert [e for _a, e, _u in got][1:] == [
        "C1-S1/communal/v1", "C1-S1/communal/v1", "D2-S1/communal/v1", "D2-S1/communal/v1",
        "D2-S2/communal/v1", "D2-S1/communal/v1", "C1-S1/communal/v2"]
    with db() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        digest = minute("C1-S1").digest()
        accepted = rows[2]
        assert (accepted.before_digest, accepted.after_digest) == (None, digest)
        assert rows[-1].before_digest == digest and rows[-1].after_digest == digest
        assert {r.role for r in rows[1:]} == {"clerk", "coordinator"}
    report = verified(db)
    assert report.ok and report.records == len(expected)


def test_a_batch_of_many_minutes_in_one_call(db: Sessions_) -> None:
    ms = all_minutes()
    assert len(ms) == 16
    half = ms[:8]
    outs = enter(db, "clerk1", *half)
    assert [o.outcome for o in outs] == ["first_recorded"] * 8
    # clerk2: 8 existing states (6 agree, 2 differ) and 8 new ones, in one call
    second = [minute(m.station, m.vote.value, shift=2) if i in (1, 4) else m
              for i, m in enumerate(ms)]
    outs = enter(db, "clerk2", *second)
    assert Counter(o.outcome for o in outs) == {"accepted": 6, "conflict": 2,
                                                "first_recorded": 8}
    outs = enter(db, "clerk1", *ms[8:], *half)
    assert Counter(o.outcome for o in outs) == {"accepted": 8, "duplicate": 8}
    with db() as s:
        st = Counter(s.scalars(select(MinuteState.status)))
    assert st == {"accepted": 14, "conflict": 2}
    assert count(db, MinuteVersion) == 14 and count(db, Entry) == 32
    assert count(db, AuditLog) == 1 + 8 + 16 + 8
    # one call may carry one station twice: the second is a duplicate or refused
    outs = enter(db, "clerk1", minute("D1-S1", shift=30), minute("D1-S1", shift=30),
                 minute("D1-S1", shift=31))
    assert [o.outcome for o in outs] == ["rejected", "rejected", "rejected"]  # accepted
    assert verified(db).ok


def test_one_station_twice_in_a_batch(db: Sessions_) -> None:
    m = minute("D1-S2")
    outs = enter(db, "clerk1", m, m, minute("D1-S2", shift=1))
    assert [o.outcome for o in outs] == ["first_recorded", "duplicate", "rejected"]
    assert outs[2].error is not None and outs[2].error.code == "E-ENTRY-001"
    outs = enter(db, "clerk2", minute("D1-S2", shift=1), m)
    assert [o.outcome for o in outs] == ["conflict", "rejected"]
    assert count(db, Entry) == 2 and verified(db).ok


def test_a_failed_transaction_leaves_nothing(db: Sessions_) -> None:
    before = counts(db)
    with pytest.raises(RuntimeError), db.begin() as s:
        outs = entry.enter_minutes(s, "clerk1", all_minutes())
        assert {o.outcome for o in outs} == {"first_recorded"}
        raise RuntimeError("power cut before the commit")
    assert counts(db) == before
    assert state_of(db, "C1-S1") is None
    # and the same minutes go in afterwards
    assert {o.outcome for o in enter(db, "clerk1", *all_minutes())} == {"first_recorded"}
    one(db, "clerk2", minute("C1-S1"))
    with pytest.raises(RuntimeError), db.begin() as s:
        entry.open_correction(s, "coord", "C1-S1", "communal")
        raise RuntimeError("crash")
    st = state_of(db, "C1-S1")
    assert st is not None and (st["status"], st["version"]) == ("accepted", 1)
    assert verified(db).ok
