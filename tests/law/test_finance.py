"""Campaign finance (guide ch. 12; arts. 155–160, law 59.11; decree 2.15.452 as amended):
amounts in centimes, ceilings, the expense period, filing, consequences, and the report on a
small set of accounts stored on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from test_results_service import load

from intikhab.law import finance as fin
from intikhab.law.calendar import at
from intikhab.law.errors import InputError
from intikhab.law.finance import Consequence, Flag
from intikhab.law.vote import Vote
from intikhab.services import finance
from intikhab.store import audit
from intikhab.store.models import AuditLog

D = date(2021, 9, 8)
RES = at(D, 22)


def test_amounts_are_exact_centimes() -> None:
    assert fin.parse_amount("1234.50") == 123450
    assert fin.parse_amount(Decimal("0.01")) == 1 and fin.parse_amount("60000") == 6_000_000
    assert fin.mad(123450) == "1234.50"
    for bad in ("1.001", "-3", "0", "abc", 1.5, "1e12"):
        with pytest.raises(InputError) as e:
            fin.parse_amount(bad)  # type: ignore[arg-type]
        assert e.value.code == "E-FIN-001"


def test_ceilings_art_155_decree_2_15_452() -> None:
    assert fin.ceiling("communal") == 60_000_00 and fin.ceiling("regional") == 150_000_00
    assert fin.ceiling(Vote.REGIONAL, 14) == 14 * 150_000_00  # list: × candidates (decision)
    with pytest.raises(InputError) as e:
        fin.ceiling("communal", 0)
    assert e.value.code == "E-FIN-010"


def line(amount: str, day: date, cat: str | None = "printing", doc: str | None = "F-1",
         source: str | None = None) -> fin.Line:
    return fin.make_line(amount=amount, day=day, category=None if source else cat,
                         source=source, document=doc)


def test_checks_and_consequences_arts_156_159() -> None:
    good = fin.Account("A", "agent A", Vote.COMMUNAL, 1, True, True,
                       (line("5000", D, source="own"), line("4000", date(2021, 8, 20))),
                       filed_at=at(date(2021, 10, 1)))
    assert fin.check_account(good, D, RES, at(date(2021, 12, 1))) == []
    bad = fin.Account("B", "agent B", Vote.COMMUNAL, 1, True, True,
                      (line("70000", date(2021, 8, 1), doc=None),))
    found = fin.check_account(bad, D, RES, at(date(2021, 12, 1)))
    assert [f.code for f in found] == ["E-FIN-006", "W-FIN-003", "E-FIN-004", "E-FIN-008",
                                       "E-FIN-005"]
    (r,) = fin.report([bad], D, RES, at(date(2021, 12, 1)))
    assert set(r.flags) == {Flag.MISSING, Flag.OUTSIDE_PERIOD, Flag.UNJUSTIFIED,
                            Flag.NO_SOURCES, Flag.OVER_CEILING}
    assert r.consequences == (Consequence.INELIGIBLE_TWO_TERMS, Consequence.SEAT_STRIPPING)
    late = fin.Account("C", "agent C", Vote.REGIONAL, 2, True, False,
                       (line("100", D, source="party"), line("100", D)),
                       filed_at=at(date(2021, 11, 8), 9))
    assert [f.code for f in fin.check_account(late, D, RES, at(date(2021, 12, 1)))] == [
        "E-FIN-007"]
    # unjustified: the Court's 60-day notice runs, then the seat is stripped (art. 158-159)
    unj = fin.Account("E", "agent E", Vote.COMMUNAL, 1, True, True,
                      (line("100", D, source="own"), line("100", D, doc=None)),
                      filed_at=at(date(2021, 10, 1)), notice_at=at(date(2022, 1, 10)))
    assert fin.report([unj], D, RES, at(date(2022, 2, 1)))[0].consequences == (
        Consequence.NOTICE_PENDING,)
    assert fin.report([unj], D, RES, at(date(2022, 4, 1)))[0].consequences == (
        Consequence.SEAT_STRIPPING,)
    # a single-member commune files only if a judge asks (art. 160)
    single = fin.Account("F", "cand F", Vote.COMMUNAL, list_vote=False)
    assert fin.check_account(single, D, RES, at(date(2022, 1, 1))) == []


def test_report_on_stored_accounts(Sessions) -> None:  # type: ignore[no-untyped-def]
    db = load(Sessions)
    with db.begin() as s:
        finance.open_account(s, "coord", {
            "id": "C1-PA", "holder": "وكيل PA", "vote": "communal", "candidates": 31,
            "constituency": "C1", "elected": True, "lines": [
                {"amount": "20000", "day": "2021-08-20", "source": "party"},
                {"amount": "15000.50", "day": "2021-08-27", "category": "meetings",
                 "document": "INV-7"}]})
        finance.open_account(s, "coord", {"id": "C1-PB", "holder": "وكيل PB",
                                          "vote": "communal", "candidates": 31})
        finance.record_filing(s, "coord", "C1-PA", at(date(2021, 10, 2)))
    with db.begin() as s:
        assert finance.add_lines(s, "coord", "C1-PB", [
            {"amount": "99", "day": "2021-09-30", "category": "printing"}]) == 1
    with db.begin() as s, pytest.raises(InputError) as e:  # nothing half-written
        finance.add_lines(s, "coord", "C1-PB", [
            {"amount": "5", "day": "2021-09-01", "category": "printing", "document": "x"},
            {"amount": "5", "day": "2021-09-01", "category": "lunch"}])
    assert e.value.code == "E-FIN-002"
    for doc, code in (({"id": "C1-PA", "vote": "communal"}, "E-FIN-012"),
                      ({"id": "Z", "vote": "communal", "candidates": -1}, "E-FIN-010")):
        with db.begin() as s, pytest.raises(InputError) as e:
            finance.open_account(s, "coord", doc)
        assert e.value.code == code
    with db() as s:
        reports = {r.account.id: r for r in finance.report(s, at(date(2021, 12, 1)))}
        assert reports["C1-PA"].flags == () and reports["C1-PA"].account.expenses == 1500050
        assert set(reports["C1-PB"].flags) == {Flag.MISSING, Flag.OUTSIDE_PERIOD,
                                               Flag.UNJUSTIFIED, Flag.NO_SOURCES}
        assert len(reports["C1-PB"].account.lines) == 1
        assert reports["C1-PB"].consequences == (Consequence.INELIGIBLE_TWO_TERMS,)
        assert reports["C1-PB"].to_dict("ar")["findings"]
        logged = s.scalars(select(AuditLog.action).where(AuditLog.action.like("finance.%"))
                           .order_by(AuditLog.seq)).all()
        assert logged == ["finance.open", "finance.open", "finance.filed", "finance.lines"]
        assert audit.verify(s).ok
