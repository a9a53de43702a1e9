"""Disputes (guide ch. 13, SPEC §10): who may file, which court, each deadline from its
trigger, the state machine — and, on SQLite and PostgreSQL, a results petition → annulment →
the constituency shows re-run required; a replaced member shows in the council's result."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from test_results_service import all_minutes, double_enter, load

from intikhab.law import disputes as law
from intikhab.law.calendar import at
from intikhab.law.disputes import Court, Filer, Ground, Kind, Outcome, Ruling, State
from intikhab.law.errors import InputError, IntikhabError
from intikhab.services import council_results, disputes, results
from intikhab.services.results import Progress
from intikhab.store import audit
from intikhab.store.models import AuditLog

D = date(2021, 9, 8)


def test_who_may_file_art_28_97_151() -> None:
    law.check_filer(Kind.RESULTS_PETITION, Filer.AUTHORITY)  # art. 28: governor, caid…
    law.check_filer(Kind.RESULTS_PETITION, Filer.INTERESTED)
    law.check_filer(Kind.CANDIDACY_APPEAL, Filer.CANDIDATE)  # arts. 97, 151
    with pytest.raises(InputError) as e:
        law.check_filer(Kind.CANDIDACY_APPEAL, Filer.INTERESTED)
    assert e.value.code == "E-DISP-001"


def test_which_court_art_161() -> None:
    assert law.court_for(Kind.CANDIDACY_APPEAL, "K9", "Marrakech") is Court.ADMINISTRATIVE
    assert law.court_for(Kind.CANDIDACY_APPEAL, "K9", "مراكش") is Court.ADMINISTRATIVE
    assert law.court_for(Kind.CANDIDACY_APPEAL, "K9", "Azilal") is Court.FIRST_INSTANCE
    assert law.court_for(Kind.RESULTS_PETITION, "K9", "Azilal") is Court.ADMINISTRATIVE
    assert law.court_for(Kind.CANDIDACY_APPEAL, "K9", seats=frozenset({"k9"})) is \
        Court.ADMINISTRATIVE


def test_deadlines_from_their_triggers_art_29_97_151() -> None:
    # communal: 2 days from the rejection (art. 151); regional: from its notification (art. 97)
    rejected = at(date(2021, 8, 26), 10)
    assert law.filing_deadline(Kind.CANDIDACY_APPEAL, rejected, "communal").closes == \
        at(date(2021, 8, 28), 24)
    assert "art. 97" in law.filing_deadline(Kind.CANDIDACY_APPEAL, rejected, "regional").article
    # 8 full days from the deposit of the minutes (art. 29 §1): délai franc
    deposit = at(date(2021, 9, 9), 10)
    assert law.filing_deadline(Kind.RESULTS_PETITION, deadline := deposit).closes == \
        at(date(2021, 9, 18), 24)
    assert deadline == deposit
    rapporteur, ruling = law.court_deadlines(Kind.RESULTS_PETITION, at(date(2021, 9, 12), 9))
    assert rapporteur.closes == at(date(2021, 9, 13), 9)  # 24 h (art. 30)
    assert ruling.closes == at(date(2021, 9, 27), 24)  # 15 days (art. 31)


def test_hearing_notice_three_days_art_31() -> None:
    law.check_hearing_notice(at(date(2021, 9, 14), 9), at(date(2021, 9, 17), 9))
    with pytest.raises(InputError) as e:
        law.check_hearing_notice(at(date(2021, 9, 15), 9), at(date(2021, 9, 17), 9))
    assert e.value.code == "E-DISP-005"


def test_state_machine_and_grounds_art_26_32() -> None:
    assert law.next_state(Kind.RESULTS_PETITION, State.FILED, "rapporteur") is State.INSTRUCTION
    assert law.next_state(Kind.CANDIDACY_APPEAL, State.FILED, "rule") is State.FINAL  # art. 26
    for kind, state, action in ((Kind.CANDIDACY_APPEAL, State.FINAL, "appeal"),
                                (Kind.RESULTS_PETITION, State.FILED, "appeal"),
                                (Kind.RESULTS_PETITION, State.FINAL, "rule")):
        with pytest.raises(InputError) as e:
            law.next_state(kind, state, action)
        assert e.value.code == "E-DISP-003"
    with pytest.raises(InputError) as e:
        law.parse_grounds(["bad_weather"])
    assert e.value.code == "E-DISP-004"
    assert law.parse_grounds(["not_free"]) == (Ground.NOT_FREE,)
    with pytest.raises(InputError) as e:
        law.check_ruling(Kind.RESULTS_PETITION, Ruling(Outcome.ANNULLED), True)
    assert e.value.code == "E-DISP-004"
    with pytest.raises(InputError) as e:
        law.check_ruling(Kind.CANDIDACY_APPEAL, Ruling(Outcome.ANNULLED, (Ground.NOT_FREE,)),
                         True)
    assert e.value.code == "E-DISP-007"
    with pytest.raises(InputError) as e:  # late: only inadmissible (art. 29 §1)
        law.check_ruling(Kind.RESULTS_PETITION, Ruling(Outcome.REJECTED), False)
    assert e.value.code == "E-DISP-002"
    law.check_ruling(Kind.RESULTS_PETITION, Ruling(Outcome.INADMISSIBLE), False)


def test_results_petition_annulment_shows_rerun_required(Sessions) -> None:  # type: ignore[no-untyped-def]
    db = load(Sessions)
    double_enter(db, all_minutes())
    with db.begin() as s:
        results.allocate(s, "coord")
        results.declare(s, "coord")
    with db() as s:
        assert results.progress(s)["C1"] is Progress.DECLARED
        c1 = council_results.council_result(s, "C1", "communal")
        assert sum(p.seats for p in c1.parties) == 31
    deposit = at(date(2021, 9, 9), 10)
    with db.begin() as s:  # an observer may not record court acts
        with pytest.raises(Exception) as e:
            disputes.file_case(s, "observer", kind="results_petition", constituency="C1",
                               filer="PB", filer_kind="interested", trigger_at=deposit,
                               filed_at=at(date(2021, 9, 12), 9))
        assert getattr(e.value, "code", None) == "E-ENTRY-004"
    with db.begin() as s:
        case = disputes.file_case(s, "coord", kind="results_petition", constituency="C1",
                                  filer="Liste PB", filer_kind="interested",
                                  trigger_at=deposit, filed_at=at(date(2021, 9, 12), 9))
        cid = case.id
        assert (case.court, case.admissible, case.state) == ("administrative", True, "filed")
        late = disputes.file_case(s, "coord", kind="results_petition", constituency="C1",
                                  filer="Liste PC", filer_kind="interested",
                                  trigger_at=deposit, filed_at=at(date(2021, 9, 19), 9))
        assert late.admissible is False
        late_id = late.id
    with db.begin() as s:
        disputes.name_rapporteur(s, "coord", cid, "judge A", at(date(2021, 9, 12), 15))
        with pytest.raises(InputError) as e:  # notice must be ≥ 3 days before (art. 31)
            disputes.set_hearing(s, "coord", cid, at(date(2021, 9, 20), 10),
                                 at(date(2021, 9, 18), 10))
        assert e.value.code == "E-DISP-005"
    with db.begin() as s:
        disputes.set_hearing(s, "coord", cid, at(date(2021, 9, 20), 10),
                             at(date(2021, 9, 15), 10))
    with db.begin() as s, pytest.raises(InputError) as e:
        disputes.rule(s, "coord", late_id, Ruling(Outcome.ANNULLED, (Ground.NOT_FREE,)),
                      at(date(2021, 9, 22), 10))
    assert e.value.code == "E-DISP-002"
    with db.begin() as s:
        disputes.rule(s, "coord", cid, Ruling(Outcome.ANNULLED, (Ground.NOT_FREE,)),
                      at(date(2021, 9, 22), 10))
    with db() as s:
        assert results.progress(s)["C1"] is Progress.RERUN_REQUIRED
        assert results.progress(s)["D1"] is Progress.DECLARED
        cr = council_results.council_result(s, "C1", "communal")
        assert (cr.declared, sum(p.seats for p in cr.parties)) == (0, 0)
        view = disputes.case_view(s, cid, at(date(2021, 9, 30)))
        assert view["state"] == "ruled"
        assert [st["action"] for st in view["steps"]] == ["file", "rapporteur", "hearing",
                                                          "rule"]
        assert all(d["done"] and not d["overdue"] for d in view["court_deadlines"])
        assert disputes.case_view(s, late_id, at(date(2021, 10, 30)))["court_deadlines"][1][
            "overdue"] is True
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == cid)
                            .order_by(AuditLog.seq)).all()
        assert actions == ["dispute.file", "dispute.rapporteur", "dispute.hearing",
                           "dispute.rule"]
        assert audit.verify(s).ok
    # the annulled minutes never count again (art. 32): asked by name, refused; all, skipped
    with db.begin() as s, pytest.raises(IntikhabError) as refused:
        results.allocate(s, "coord", only=["C1"])
    assert (refused.value.code, refused.value.field) == ("E-DISP-012", "C1")
    with db.begin() as s:
        assert "C1" not in {r.constituency_id for r in results.allocate(s, "coord")}
    with db() as s:
        assert results.progress(s)["C1"] is Progress.RERUN_REQUIRED
    with db.begin() as s:
        disputes.appeal(s, "coord", cid, at(date(2021, 9, 25)))
    with db.begin() as s, pytest.raises(InputError) as e:
        disputes.set_hearing(s, "coord", cid, at(date(2021, 10, 20), 10), at(date(2021, 10, 1)))
    assert e.value.code == "E-DISP-003"


def test_member_replaced_shows_in_council_result(Sessions) -> None:  # type: ignore[no-untyped-def]
    db = load(Sessions)
    double_enter(db, all_minutes())
    with db.begin() as s:
        results.allocate(s, "coord")
        results.declare(s, "coord")
    with db() as s:
        before = {p.party: p for p in council_results.council_result(s, "C2", "communal").parties}
    old = before["PA"].elected[0]
    with db.begin() as s:
        case = disputes.file_case(s, "coord", kind="results_petition", constituency="D1",
                                  filer="Caïd", filer_kind="authority",
                                  trigger_at=at(date(2021, 9, 9), 10),
                                  filed_at=at(date(2021, 9, 10), 10))
        cid = case.id
    with db.begin() as s, pytest.raises(InputError) as e:
        disputes.rule(s, "coord", cid, Ruling(Outcome.MEMBER_REPLACED, (Ground.INELIGIBLE,),
                                              "nobody", "X"), at(date(2021, 9, 20)))
    assert e.value.code == "E-DISP-008"
    with db.begin() as s:
        disputes.rule(s, "coord", cid, Ruling(Outcome.MEMBER_REPLACED, (Ground.INELIGIBLE,),
                                              old, "New Member"), at(date(2021, 9, 20)))
    with db() as s:
        after = {p.party: p for p in council_results.council_result(s, "C2", "communal").parties}
        assert "New Member" in after["PA"].elected and old not in after["PA"].elected
        assert after["PA"].seats == before["PA"].seats
        assert results.progress(s)["D1"] is Progress.DECLARED


def test_candidacy_appeal_is_final_at_once(Sessions) -> None:  # type: ignore[no-untyped-def]
    db = load(Sessions)
    with db.begin() as s:
        case = disputes.file_case(s, "coord", kind="candidacy_appeal", constituency="C1",
                                  filer="PC agent", filer_kind="candidate",
                                  trigger_at=at(date(2021, 8, 26), 10),
                                  filed_at=at(date(2021, 8, 27), 10))
        assert case.court == "first_instance"  # "Province 1" hosts no administrative court
        disputes.rule(s, "coord", case.id, Ruling(Outcome.ACCEPTED), at(date(2021, 8, 29)))
        assert case.state == "final"
    with db.begin() as s, pytest.raises(InputError) as e:
        disputes.file_case(s, "coord", kind="results_petition", constituency="NOPE",
                           filer="x", filer_kind="interested", trigger_at=at(D),
                           filed_at=at(D))
    assert e.value.code == "E-DISP-009"


def test_cli_dispute_file_rule_show(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from conftest import TEST_PASSWORD, small_bundle, with_passwords
    from typer.testing import CliRunner

    from intikhab.cli.main import app
    from intikhab.services.setup import load_bundle
    from intikhab.store.db import make_engine, migrate, sessions

    db = f"sqlite:///{tmp_path / 'd.sqlite'}"
    eng = make_engine(db)
    migrate(eng)
    with sessions(eng).begin() as s:
        load_bundle(s, small_bundle())
        with_passwords(s)
    eng.dispose()
    run = CliRunner(env={"INTIKHAB_PASSWORD": TEST_PASSWORD}).invoke
    r = run(app, ["dispute", "file", "candidacy_appeal", "C1", "--user", "coord", "--filer",
                  "PC", "--filer-kind", "candidate", "--trigger", "2021-08-26T10:00",
                  "--filed", "2021-08-29T10:00", "--db", db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["admissible"] is False  # 2 days from the rejection (art. 151)
    r = run(app, ["dispute", "rule", "CA-0001", "accepted", "--user", "coord", "--at",
                  "2021-08-30", "--db", db])
    assert r.exit_code == 2 and "E-DISP-002" in r.output
    r = run(app, ["dispute", "rule", "CA-0001", "inadmissible", "--user", "coord", "--at",
                  "2021-08-30", "--db", db])
    assert r.exit_code == 0 and json.loads(r.output)["state"] == "final"
    r = run(app, ["dispute", "list", "--db", db])
    assert [c["id"] for c in json.loads(r.output)] == ["CA-0001"]
    assert run(app, ["dispute", "show", "XX", "--db", db]).exit_code == 2
