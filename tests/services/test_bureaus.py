"""Recorded bureau sessions (laws 111.14, 112.14, 113.14) on SQLite and PostgreSQL: a commune
council's president (art. 13 of law 113.14, round 3 tied and won by the youngest),
vice-presidents by list (art. 19), secretary and deputy (art. 23), stored with the audit log;
who governs (``bureau_of``); the role check and the refusal of an undeclared council."""

from __future__ import annotations

from datetime import date

import pytest
from _night import run
from conftest import small_bundle
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.law.bureau import Standing, VPList
from intikhab.law.bureau_rounds import Round
from intikhab.law.errors import IntikhabError
from intikhab.services import bureaus
from intikhab.services.rosters import Roster, rosters
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.models import AuditLog, BureauSession

Sessions_ = sessionmaker[Session]


@pytest.fixture
def night(Sessions: Sessions_) -> Sessions_:
    return run(Sessions, small_bundle())


def c1_session(r: Roster) -> bureaus.SessionInput:
    pa, pb = "C1:PA:1", "C1:PB:1"
    team_w = [m.id for m in r.members if m.sex.value == "F"][:2]
    team_m = [m.id for m in r.members if m.sex.value == "M" and m.id not in (pa, pb)][:4]
    others = [m.id for m in r.members if m.id not in {pb, *team_w, *team_m}]
    return bureaus.SessionInput(
        "C1", date(2021, 9, 15), 29,
        bureaus.OfficeVote((Standing(pa, True), Standing(pb, True)), rounds=(
            Round(30, {pa: 14, pb: 12}), Round(30, {pa: 15, pb: 15}),
            Round(29, {pa: 14, pb: 14}))),
        bureaus.OfficeVote(lists=(VPList("L1", pb, (*team_m[:2], *team_w, *team_m[2:])),),
                           rounds=(Round(29, {"L1": 17}),)),
        bureaus.OfficeVote((Standing(others[0]),), rounds=(Round(29, {others[0]: 20}),)),
        bureaus.OfficeVote((Standing(others[1]),), rounds=(Round(29, {others[1]: 20}),)))


def test_a_commune_bureau_session_is_recorded_with_audit_art_13_19_23(night: Sessions_
                                                                         ) -> None:
    with night() as s:
        roster = rosters(s, ["C1"])["C1"]
    assert roster.declared and len(roster.members) == 31
    with night.begin() as s:
        assert bureaus.record(s, "coord", [c1_session(roster)]) == 1
    with night() as s:
        b = bureaus.bureau_of(s, "C1")
        row = s.execute(select(BureauSession)).scalar_one()
        log = s.execute(select(AuditLog).where(AuditLog.action == "bureau.formed")).scalar_one()
        assert audit.verify(s).ok
    assert b is not None and b.status == "formed"
    assert b.president is not None and (b.president.id, b.president.party) == ("C1:PB:1", "PB")
    assert len(b.vice_presidents) == 6  # art. 16 of law 113.14: 25–34 members
    assert b.secretary is not None and b.deputy_secretary is not None
    pres = row.offices["president"]["outcome"]
    assert [r["outcome"] for r in pres["rounds"]] == ["no_majority", "no_majority", "elected"]
    assert pres["ties"][-1]["resolved_by"] == "age"  # PB's head is the younger (art. 13)
    assert (row.members, row.in_office, row.present, log.entity) == (31, 31, 29, "C1")


def test_only_a_coordinator_records_a_known_council(night: Sessions_) -> None:
    with night() as s:
        roster = rosters(s, ["C1"])["C1"]
    with night.begin() as s, pytest.raises(IntikhabError):
        bureaus.record(s, "clerk1", [c1_session(roster)])
    with night.begin() as s, pytest.raises(IntikhabError) as err:
        bureaus.record(s, "coord", [bureaus.SessionInput("NOPE", date(2021, 9, 15), 1,
                                                         bureaus.OfficeVote())])
    assert err.value.code == "E-COUNCIL-003"


def test_an_undeclared_council_has_no_bureau(Sessions: Sessions_) -> None:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    with Sessions() as s:
        roster = rosters(s, ["C1"])["C1"]
    assert not roster.declared
    with Sessions.begin() as s, pytest.raises(IntikhabError) as err:
        bureaus.record(s, "coord", [bureaus.SessionInput("C1", date(2021, 9, 15), 1,
                                                         bureaus.OfficeVote())])
    assert err.value.code == "E-COUNCIL-004"
    with Sessions() as s:
        assert bureaus.bureau_of(s, "C1") is None
