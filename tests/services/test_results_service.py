"""From accepted minutes to declared results, on SQLite and PostgreSQL: totals are sums of the
accepted minutes, progress through awaiting → complete → allocated → declared, every stored
result replays with the engine, lots, corrections after declaration, the council and national
views, role checks — and the whole election night on the synthetic country (SQLite)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import small_bundle
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.formats.allocation_json import parse_constituency, result_to_json
from intikhab.law.allocation import (
    District,
    DistrictResult,
    ListResult,
    Lots,
    allocate_district,
    allocate_lists,
    seeded_draw,
)
from intikhab.law.errors import IntikhabError
from intikhab.law.national import allocate_country, contest_seats, party_of
from intikhab.law.rulesets import get_rules
from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute
from intikhab.services import council_results, entry, results
from intikhab.services.results import Progress
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import AuditLog, DutyScope, MinuteState, Result, User

Sessions_ = sessionmaker[Session]

STATIONS = {**{f"C1-S{i}": ("C1", 1000) for i in range(1, 5)},
            **{f"{d}-S{i}": (d, 500) for d in ("D1", "D2") for i in (1, 2)}}
OFFICE = {st: "C1-O1" if st.startswith("C1") else "C2-O1" for st in STATIONS}


def constituency_of(station: str, vote: str) -> str:
    return "K1" if vote == "regional" else STATIONS[station][0]


def codes_of(station: str, vote: str) -> list[str]:
    if vote == "regional" or station.startswith("C1"):
        return ["PA", "PB", "PC"]
    d = STATIONS[station][0]
    return [f"PA:{d}", f"PB:{d}"]


def minute(station: str, vote: str = "communal", shift: int = 0,
           votes: dict[str, int] | None = None, void: int = 7, illegal: int = 0) -> Minute:
    """A valid minute (ballots = signed = valid + void + illegal); ``shift`` moves votes from
    the second candidacy to the first; ``votes`` gives them outright."""
    codes = codes_of(station, vote)
    n = int(station[-1])
    if votes is None:
        votes = {c: 40 * (len(codes) - i) + 3 * n + 5 * (vote == "regional")
                 for i, c in enumerate(codes)}
        votes[codes[0]] += shift
        votes[codes[1]] -= shift
    ballots = sum(votes.values()) + void + illegal
    return Minute(station, Vote(vote), STATIONS[station][1], ballots, ballots, void,
                  min(2, sum(votes.values())), illegal, tuple(votes.items()))


def all_minutes() -> list[Minute]:
    return [minute(st, v, illegal=int(st == "C1-S2")) for st in STATIONS
            for v in ("communal", "regional")]


def load(Sessions: Sessions_, bundle: dict[str, Any] | None = None) -> Sessions_:
    with Sessions.begin() as s:
        load_bundle(s, bundle or small_bundle())
    return Sessions


def double_enter(db: Sessions_, minutes: Iterable[Minute]) -> None:
    ms = list(minutes)
    for user in ("clerk1", "clerk2"):
        with db.begin() as s:
            outs = entry.enter_minutes(s, user, ms)
        assert {o.outcome for o in outs} <= {"first_recorded", "accepted"}, outs


@pytest.fixture
def db(Sessions: Sessions_) -> Sessions_:
    return load(Sessions)


@pytest.fixture
def night(db: Sessions_) -> Sessions_:
    double_enter(db, all_minutes())
    return db


def progress(db: Sessions_) -> dict[str, Progress]:
    with db() as s:
        return results.progress(s)


def allocate(db: Sessions_, actor: str = "coord", **kw: Any) -> list[dict[str, Any]]:
    with db.begin() as s:
        return [_row(r) for r in results.allocate(s, actor, **kw)]


def declare(db: Sessions_, actor: str = "coord", **kw: Any) -> int:
    with db.begin() as s:
        return results.declare(s, actor, **kw)


def _row(r: Result) -> dict[str, Any]:
    return {c: getattr(r, c) for c in ("id", "constituency_id", "status", "rules",
                                       "engine_version", "minutes_digest", "lots", "lot_seed",
                                       "figures", "outcome", "declared_at", "declared_by")}


def latest(db: Sessions_) -> dict[str, dict[str, Any]]:
    with db() as s:
        return {k: _row(r) for k, r in results.latest_results(s).items()}


def totals(db: Sessions_, only: str | None = None) -> dict[str, results.Totals]:
    with db() as s:
        return results.constituency_totals(s, only=only)


def replay(row: dict[str, Any]) -> dict[str, Any]:
    """Re-allocate a stored result's figures with the engine alone."""
    constituency = parse_constituency(row["figures"])
    lots = Lots(row["lots"], row["lot_seed"])
    rules = get_rules(row["rules"])
    out: ListResult | DistrictResult
    if isinstance(constituency, District):
        out = allocate_district(constituency, rules, lots)
    else:
        out = allocate_lists(constituency, rules, lots)
    doc: dict[str, Any] = json.loads(json.dumps(result_to_json(out, constituency, lots)))
    return doc


def sums(minutes: Iterable[Minute]) -> dict[str, Any]:
    out: dict[str, Any] = defaultdict(int)
    votes: dict[str, int] = defaultdict(int)
    for m in minutes:
        out["accepted"] += 1
        for k in ("signed", "ballots", "void", "contested", "illegal"):
            out[k] += getattr(m, k)
        for code, n in m.votes:
            votes[code] += n
    return {**out, "votes": dict(votes)}


def as_sums(t: results.Totals) -> dict[str, Any]:
    return {"accepted": t.accepted, "signed": t.signed, "ballots": t.ballots, "void": t.void,
            "contested": t.contested, "illegal": t.illegal, "votes": dict(t.votes)}


# --------------------------------------------------------------------------------------------


def test_totals_are_the_sums_of_the_accepted_minutes(night: Sessions_) -> None:
    ms = all_minutes()
    got = totals(night)
    assert set(got) == {"K1", "C1", "D1", "D2"}
    for cid, t in got.items():
        mine = [m for m in ms if constituency_of(m.station, m.vote.value) == cid]
        assert as_sums(t) == sums(mine), cid
        assert t.stations == len(mine)
        assert t.registered == sum(STATIONS[m.station][1] for m in mine)
    assert (got["K1"].registered, got["C1"].registered, got["D1"].registered) == (
        6000, 4000, 1000)
    with night() as s:
        accepted = dict(s.execute(select(MinuteState.station_id, MinuteState.accepted_entry_id)
                                  .where(MinuteState.constituency_id == "C1")).all())
        assert got["C1"].minutes_digest == audit.digest(sorted(accepted.values()))
        assert set(results.constituency_totals(s, vote="regional")) == {"K1"}
        assert set(results.constituency_totals(s, vote="communal")) == {"C1", "D1", "D2"}
        assert as_sums(results.constituency_totals(s, only="D2")["D2"]) == as_sums(got["D2"])

        for office, vote in (("C1-O1", "communal"), ("C2-O1", "communal"),
                             ("C1-O1", "regional"), ("C2-O1", "regional")):
            t = results.central_office_totals(s, office, vote)
            mine = [m for m in ms if OFFICE[m.station] == office and m.vote.value == vote]
            assert as_sums(t) == sums(mine), (office, vote)
            assert t.stations == len(mine) == 4
            assert t.registered == sum(STATIONS[m.station][1] for m in mine)
        c2 = results.central_office_totals(s, "C2-O1", "communal")
        assert c2.registered == 2000
        assert dict(c2.votes) == {k: v for d in ("D1", "D2")
                                  for k, v in got[d].votes.items()}


def test_only_accepted_minutes_count(db: Sessions_) -> None:
    with db.begin() as s:
        entry.enter_minutes(s, "clerk1", all_minutes())
    got = totals(db)
    assert all(t.accepted == 0 and not t.votes for t in got.values())
    assert got["C1"].stations == 4 and got["C1"].registered == 4000
    with db() as s:
        t = results.central_office_totals(s, "C1-O1", "communal")
    assert (t.stations, t.accepted, t.registered, t.signed) == (4, 0, 4000, 0)


def test_progress_from_awaiting_to_declared(db: Sessions_) -> None:
    assert progress(db) == dict.fromkeys(("K1", "C1", "D1", "D2"), Progress.AWAITING)
    ms = all_minutes()
    part = [m for m in ms if m.vote is Vote.COMMUNAL and m.station != "C1-S4"]
    double_enter(db, part)
    assert progress(db) == {"K1": Progress.AWAITING, "C1": Progress.AWAITING,
                            "D1": Progress.COMPLETE, "D2": Progress.COMPLETE}
    done = allocate(db)  # only the complete ones
    assert sorted(r["constituency_id"] for r in done) == ["D1", "D2"]
    assert progress(db) == {"K1": Progress.AWAITING, "C1": Progress.AWAITING,
                            "D1": Progress.ALLOCATED, "D2": Progress.ALLOCATED}
    assert allocate(db, only=["C1"]) == []
    assert declare(db, only=["D1"]) == 1
    assert progress(db)["D1"] is Progress.DECLARED
    assert declare(db, only=["D1"]) == 0  # once

    double_enter(db, [m for m in ms if m not in part])
    assert progress(db) == {"K1": Progress.COMPLETE, "C1": Progress.COMPLETE,
                            "D1": Progress.DECLARED, "D2": Progress.ALLOCATED}
    assert sorted(r["constituency_id"] for r in allocate(db, only=["K1", "C1"])) == [
        "C1", "K1"]
    assert progress(db) == {"K1": Progress.ALLOCATED, "C1": Progress.ALLOCATED,
                            "D1": Progress.DECLARED, "D2": Progress.ALLOCATED}
    assert declare(db) == 3
    assert progress(db) == dict.fromkeys(("K1", "C1", "D1", "D2"), Progress.DECLARED)
    rows = latest(db)
    assert all(r["declared_by"] == "coord" and r["declared_at"] for r in rows.values())
    with db() as s:
        acts = list(s.scalars(select(AuditLog.action).order_by(AuditLog.seq)))
        assert acts.count("result.declared") == 4 and acts.count("result.declare") == 4
        assert audit.verify(s).ok


def test_a_stored_result_replays_exactly(night: Sessions_) -> None:
    rows = allocate(night)
    assert len(rows) == 4
    current = totals(night)
    for r in rows:
        cid = r["constituency_id"]
        assert r["status"] == "declared"
        assert r["rules"] == ("regional-2021" if cid == "K1" else "communal-2021")
        assert r["engine_version"] == results.ENGINE and r["engine_version"].startswith(
            "intikhab ")
        assert r["minutes_digest"] == current[cid].minutes_digest
        assert (r["lot_seed"], r["lots"], r["declared_at"]) == (None, {}, None)
        f = r["figures"]
        t = current[cid]
        assert (f["id"], f["registered"], f["voters"], f["void"]) == (
            cid, t.registered, t.signed, t.void)
        rows_ = f.get("lists") or f["candidates"]
        assert {x["id"]: x["votes"] for x in rows_} == dict(t.votes)
        assert replay(r) == r["outcome"], cid
    out = {r["constituency_id"]: r["outcome"] for r in rows}
    assert sum(out["C1"]["totals"].values()) == 31
    assert sum(out["K1"]["totals"].values()) == 5
    assert out["D1"]["winner"] == "PA:D1" and out["D1"]["elected"] == ["PA-D1", "PA-D1-f"]
    assert out["D2"]["elected"] == ["PA-D2"]
    # a seed given to allocate is recorded even when no lot is needed, and replays too
    again = allocate(night, seed="unused")
    assert all(r["lot_seed"] == "unused" and replay(r) == r["outcome"] for r in again)


def tie_bundle() -> dict[str, Any]:
    """The small bundle with D2's two candidates born the same day."""
    bundle = small_bundle()
    for c in bundle["candidacies"]:
        if c["constituency"] == "D2":
            c["candidates"]["candidate"]["birth_date"] = "1975-05-05"
    return bundle


def tied(station: str) -> Minute:
    d = STATIONS[station][0]
    a, b = (100, 90) if station.endswith("1") else (90, 100)
    return minute(station, votes={f"PA:{d}": a, f"PB:{d}": b})


def test_a_tie_needs_a_lot_which_a_seed_or_an_entered_outcome_decides(
        Sessions: Sessions_) -> None:
    db = load(Sessions, tie_bundle())
    ms = [tied(m.station) if m.station.startswith(("D1", "D2")) and m.vote is Vote.COMMUNAL
          else m for m in all_minutes()]
    double_enter(db, ms)
    rows = {r["constituency_id"]: r for r in allocate(db)}
    d1, d2 = rows["D1"], rows["D2"]
    key = "district:D2:PA:D2|PB:D2"
    # D1: equal votes, different births: the youngest (born 1972) wins, no lot
    assert d1["status"] == "declared"
    assert d1["outcome"]["winner"] == "PB:D1"
    assert d1["outcome"]["ties"][0]["decided_by"] == "age"
    # D2: equal votes and births: a lot is required
    assert d2["status"] == "lot_required" and d2["lot_seed"] is None
    assert d2["outcome"]["lot_required"] == {"key": key, "lists": ["PA:D2", "PB:D2"],
                                             "group": "district:D2"}
    assert d2["outcome"]["winner"] is None and replay(d2) == d2["outcome"]
    assert progress(db)["D2"] is Progress.LOT_REQUIRED
    assert declare(db) == 3  # not D2
    assert latest(db)["D2"]["declared_at"] is None
    with db() as s:
        assert council_results.council_result(s, "C2", "communal").declared == 1

    (seeded,) = allocate(db, only=["D2"], seed="public seed 2021")
    assert seeded["status"] == "declared" and seeded["lot_seed"] == "public seed 2021"
    tie = seeded["outcome"]["ties"][0]
    assert (tie["key"], tie["decided_by"], tie["lot_source"]) == (key, "lot", "seed")
    assert tie["winner"] == seeded["outcome"]["winner"] == seeded_draw(
        "public seed 2021", key, ("PA:D2", "PB:D2"))
    assert replay(seeded) == seeded["outcome"]
    assert progress(db)["D2"] is Progress.ALLOCATED

    loser = ({"PA:D2", "PB:D2"} - {tie["winner"]}).pop()
    (entered,) = allocate(db, only=["D2"], lots={key: loser, "district:D1:x": "PA:D1"})
    assert entered["lots"] == {key: loser} and entered["lot_seed"] is None
    assert entered["outcome"]["winner"] == loser
    assert entered["outcome"]["ties"][0]["lot_source"] == "entered"
    assert replay(entered) == entered["outcome"]
    assert declare(db) == 1
    assert progress(db)["D2"] is Progress.DECLARED
    with db() as s:
        c2 = council_results.council_result(s, "C2", "communal")
        assert c2.declared == 2 and sum(p.seats for p in c2.parties) == 3


def test_a_correction_after_declaration_requires_allocating_again(night: Sessions_) -> None:
    allocate(night)
    assert declare(night) == 4
    declared = latest(night)["C1"]
    with night.begin() as s:
        entry.open_correction(s, "coord", "C1-S1", "communal")
    # version 1 still counts: nothing changed yet
    assert progress(night)["C1"] is Progress.DECLARED
    double_enter(night, [minute("C1-S1", shift=25)])
    assert progress(night) == {"K1": Progress.DECLARED, "C1": Progress.COMPLETE,
                               "D1": Progress.DECLARED, "D2": Progress.DECLARED}
    assert declare(night, only=["C1"]) == 0 and declare(night) == 0
    assert latest(night)["C1"]["id"] == declared["id"]
    (again,) = allocate(night, only=["C1"])
    assert again["id"] != declared["id"]
    assert again["minutes_digest"] == totals(night, "C1")["C1"].minutes_digest
    assert again["minutes_digest"] != declared["minutes_digest"]
    assert again["figures"] != declared["figures"] and replay(again) == again["outcome"]
    assert progress(night)["C1"] is Progress.ALLOCATED
    assert declare(night) == 1
    assert progress(night)["C1"] is Progress.DECLARED
    with night() as s:
        assert audit.verify(s).ok


def test_a_correction_before_declaration_blocks_the_stale_result(night: Sessions_) -> None:
    allocate(night)
    with night.begin() as s:
        entry.open_correction(s, "coord", "D2-S2", "communal")
    double_enter(night, [minute("D2-S2", shift=-60)])  # PB now wins D2
    assert progress(night)["D2"] is Progress.COMPLETE
    assert declare(night) == 3
    assert latest(night)["D2"]["declared_at"] is None
    with night() as s:
        assert council_results.council_result(s, "C2", "communal").declared == 1
    (r,) = allocate(night, only=["D2"])
    assert r["outcome"]["winner"] == "PB:D2"
    assert declare(night) == 1
    assert set(progress(night).values()) == {Progress.DECLARED}


def test_council_and_national_results(night: Sessions_) -> None:
    ms = all_minutes()
    allocate(night)
    with night() as s:
        before = council_results.council_result(s, "C1", "communal")
    assert (before.seats, before.declared, before.constituencies, before.parties) == (
        31, 0, 1, ())
    assert (before.registered, before.voters, before.turnout) == (0, 0, 0.0)
    assert declare(night, only=["D1"]) == 1
    with night() as s:
        c2 = council_results.council_result(s, "C2", "communal")
    assert (c2.seats, c2.declared, c2.constituencies) == (3, 1, 2)
    assert [(p.party, p.seats) for p in c2.parties] == [("PA", 2), ("PB", 0)]
    assert declare(night) == 3

    with night() as s:
        c1 = council_results.council_result(s, "C1", "communal")
        c2 = council_results.council_result(s, "C2", "communal")
        r1 = council_results.council_result(s, "R1", "regional")
        nat = council_results.national_result(s, "communal")
        reg = council_results.national_result(s, "regional")
        outcomes = {k: r.outcome for k, r in results.latest_results(s).items()}

    c1_minutes = [m for m in ms if m.vote is Vote.COMMUNAL and m.station.startswith("C1")]
    assert (c1.council, c1.vote, c1.seats, c1.declared, c1.constituencies) == (
        "C1", "communal", 31, 1, 1)
    assert (c1.registered, c1.voters) == (4000, sums(c1_minutes)["signed"])
    assert 0 < c1.turnout < 1
    assert sum(p.seats for p in c1.parties) == 31
    assert {p.party: p.seats for p in c1.parties} == outcomes["C1"]["totals"]
    assert {p.party: p.votes for p in c1.parties} == sums(c1_minutes)["votes"]
    assert [p.party for p in c1.parties] == ["PA", "PB", "PC"]  # most seats first
    for p in c1.parties:
        assert (p.name_ar, p.name_fr) == (f"حزب {p.party}", f"Parti {p.party}")
        assert len(p.elected) == p.seats
        assert all(name.startswith(f"{p.party}-C1-") for name in p.elected)

    d_votes = sums(m for m in ms if m.vote is Vote.COMMUNAL and m.station[0] == "D")["votes"]
    assert (c2.seats, c2.declared, c2.constituencies) == (3, 2, 2)
    assert {p.party: p.seats for p in c2.parties} == {"PA": 3, "PB": 0}
    assert {p.party: p.votes for p in c2.parties} == {
        party: sum(v for k, v in d_votes.items() if party_of(k) == party)
        for party in ("PA", "PB")}
    (pa,) = [p for p in c2.parties if p.party == "PA"]
    assert sorted(pa.elected) == ["PA-D1", "PA-D1-f", "PA-D2"]

    assert (r1.seats, r1.declared, sum(p.seats for p in r1.parties)) == (5, 1, 5)
    assert (r1.registered, r1.voters) == (6000, sums(
        m for m in ms if m.vote is Vote.REGIONAL)["signed"])
    assert (nat.council, nat.seats, nat.declared, nat.constituencies) == (
        "national", 34, 3, 3)
    merged: dict[str, int] = defaultdict(int)
    for line in (*c1.parties, *c2.parties):
        merged[line.party] += line.seats
    assert {p.party: p.seats for p in nat.parties} == merged
    assert nat.registered == c1.registered + c2.registered
    assert [(p.party, p.seats, p.votes) for p in reg.parties] == [
        (p.party, p.seats, p.votes) for p in r1.parties]


def test_only_coordinators_allocate_and_declare(night: Sessions_) -> None:
    for user in ("clerk1", "observer", "nobody"):
        for call in (lambda s, u=user: results.allocate(s, u),
                     lambda s, u=user: results.declare(s, u)):
            with pytest.raises(IntikhabError) as info, night.begin() as s:
                call(s)
            assert info.value.code == "E-ENTRY-004"
    with night() as s:
        assert s.scalar(select(func.count()).select_from(Result)) == 0
    assert len(allocate(night, "coord")) == 4
    with night.begin() as s:
        s.add(User(id="root", name="Admin", role="admin"))
        audit.append(s, actor="test", role="admin", action="user.create", entity="root")
    assert declare(night, "root") == 0  # no scope: an administrator declares nothing either
    with night.begin() as s:
        s.add(DutyScope(user_id="root", scope="*"))
        audit.append(s, actor="test", role="admin", action="user.scope", entity="root")
    assert declare(night, "root") == 4


@pytest.mark.slow  # national-scale data: a part of the synthetic country, the whole night
def test_election_night_on_the_synthetic_country(tmp_path: Path) -> None:
    """The whole night on a small but complete part of the country (SQLite: PostgreSQL is
    slow for this size): every result is declared and the seats per party are those the
    engine gives on the same contests."""
    election = national_election(scale=0.01)
    engine = make_engine(f"sqlite:///{tmp_path / 'night.sqlite'}")
    try:
        report = run_night(engine, election, seed="night-test")
        assert report.resolved >= 1 and report.results == report.declared > 0
        with sessions(engine)() as s:
            prog = results.progress(s)
            assert set(prog.values()) == {Progress.DECLARED}
            assert all(r.declared_at is not None for r in results.latest_results(s).values())
            kept = [c for c in election.country.contests if c.id in prog]
            assert len(kept) == len(prog) == report.results
            expected = allocate_country(kept, Lots(seed="night-test"))
            assert expected.status_counts == {"declared": len(kept)}
            for vote in ("communal", "regional"):
                nat = council_results.national_result(s, vote)
                mine = [c for c in kept if c.level == vote]
                assert nat.declared == nat.constituencies == len(mine)
                assert nat.seats == sum(contest_seats(c) for c in mine)
                got = {p.party: p.seats for p in nat.parties if p.seats}
                assert got == {k: v for k, v in expected.seats[vote].items() if v}
                votes: dict[str, int] = defaultdict(int)
                for c in mine:
                    k = c.constituency
                    for x in (k.candidates if isinstance(k, District) else k.lists):
                        votes[party_of(x.id) if isinstance(k, District) else x.id] += x.votes
                assert {p.party: p.votes for p in nat.parties} == votes
            assert audit.verify(s).ok
    finally:
        engine.dispose()
