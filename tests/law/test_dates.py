"""The one reader of dates and date-times (``law/dates.py``): ``YYYY-MM-DD`` exactly, and ISO
date-times in Africa/Casablanca time unless an offset is given (the legal time of the calendar's
deadlines, art. 9 of law 59.11 as amended: 12:00 on D−14)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intikhab.formats.filings import FilingReader
from intikhab.law.dates import TZ, parse_date, parse_datetime
from intikhab.law.errors import InputError
from intikhab.services.setup import _check_election


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_day_reads_back_from_its_iso_text(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day) == day


@pytest.mark.parametrize("text", ["2021-02-30", "2021-W35-3", "20210908", " 2021-09-08",
                                  "2021-9-8", "08/09/2021", "", "2021-09-08T10:00"])
def test_anything_but_yyyy_mm_dd_is_e_cal_001(text: str) -> None:
    """Drift fixed on purpose: ``date.fromisoformat`` (Python 3.11) also read ISO week dates
    and the basic ``YYYYMMDD``; the bundle's polling date, a candidate's dates and a campaign
    account's line days said ``YYYY-MM-DD`` and now mean it, as the allocation input did."""
    with pytest.raises(InputError) as info:
        parse_date(text, "polling_date")
    assert info.value.code == "E-CAL-001" and info.value.field == "polling_date"


def test_the_bundle_and_the_filings_refuse_a_week_date_with_their_own_codes() -> None:
    errors = _check_election({"id": "e", "name": "e", "polling_date": "2021-W36-3",
                              "rules_communal": "communal-2021",
                              "rules_regional": "regional-2021"})
    assert [(e.field, e.code) for e in errors] == [("polling_date", "E-IMP-002")]
    reader = FilingReader(1)
    assert reader.day({"birth_date": "19800101"}, "birth_date", "general[0].") is None
    assert [(e.field, e.code) for e in reader.errors] == [("general[0].birth_date",
                                                            "E-IMP-002")]


def test_a_time_without_offset_is_casablanca_time_one_with_an_offset_keeps_it() -> None:
    """Art. 9 §1: the deadline 12:00 on D−14 is Casablanca wall-clock time."""
    local = parse_datetime("2021-08-25T12:00")
    assert local.tzinfo is TZ and local.hour == 12
    utc = parse_datetime("2021-08-25T11:00+00:00")
    assert utc.utcoffset() == timedelta(0) and utc == local
    assert parse_datetime("2021-08-25") == datetime(2021, 8, 25, tzinfo=TZ)
    aware = datetime(2021, 8, 25, 11, tzinfo=UTC)
    assert parse_datetime(aware) is aware


@pytest.mark.parametrize("text", ["soon", "25/08/2021", "2021-08-25T25:00", ""])
def test_a_date_time_that_is_not_one_is_e_cal_001(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_datetime(text, "at")
    assert info.value.code == "E-CAL-001" and info.value.field == "at"
