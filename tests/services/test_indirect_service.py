"""The indirect election of a prefecture or province council, recorded and declared (art. 102
and 103 of law 59.11 as amended), on SQLite and PostgreSQL: the college is the communal
councillors as declared, the seats come from the law, the result is audited, and the council
then elects its bureau like any other."""

from __future__ import annotations

from datetime import date

import pytest
from _night import run
from conftest import small_bundle
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.councils import bureau_session, prefecture_ballot
from intikhab.law.errors import IntikhabError
from intikhab.services import bureaus, indirect
from intikhab.services.rosters import rosters
from intikhab.services.setup import load_bundle
from intikhab.store.models import AuditLog

Sessions_ = sessionmaker[Session]


@pytest.fixture
def night(Sessions: Sessions_) -> Sessions_:
    return run(Sessions, small_bundle())


def test_the_college_is_the_communal_councillors_as_declared_art_102(night: Sessions_) -> None:
    with night() as s:
        college = indirect.colleges(s)["K1"]
    # C1's 31 members and C2's two districts (one with its attached woman): 34 electors
    assert (len(college.members), college.missing, college.population) == (34, (), 69_000)
    assert college.seats == 11  # art. 103: 11 up to 150,000 inhabitants, under the half cap 17


def test_a_prefecture_council_elected_declared_and_audited_art_102_103(night: Sessions_
                                                                        ) -> None:
    with night() as s:
        ballot = prefecture_ballot(indirect.colleges(s)["K1"], "test")
    with night.begin() as s:
        [r] = indirect.elect(s, "coord", {"K1": ballot})
        assert (r.status, r.seats, r.college) == ("declared", 11, 34)
        assert indirect.declare(s, "coord") == 1
    with night() as s:
        result = indirect.prefecture_result(s, "K1")
        national = indirect.national_prefecture_result(s)
        actions = set(s.scalars(select(AuditLog.action)))
        roster = rosters(s, ["K1"])["K1"]
    assert (result.kind, result.seats, result.declared) == ("prefecture_council", 11, 1)
    assert sum(p.seats for p in result.parties) == 11
    assert sum(p.votes for p in result.parties) + ballot["void"] == ballot["voters"]
    assert national.kind == "prefecture_councils" and national.seats == 11
    assert {"indirect.declared", "indirect.declare"} <= actions
    assert roster.declared and len(roster.members) == 11
    with night.begin() as s:
        bureaus.record(s, "coord", [bureau_session(roster, date(2021, 9, 22), "t")])
    with night() as s:
        b = bureaus.bureau_of(s, "K1")
    assert b is not None and b.kind == "prefecture" and b.president is not None


def test_an_incomplete_college_cannot_vote_art_102(Sessions: Sessions_) -> None:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    with Sessions.begin() as s, pytest.raises(IntikhabError) as err:
        indirect.elect(s, "coord", {"K1": {"voters": 0, "void": 0, "lists": []}})
    assert err.value.code == "E-COUNCIL-006"
