"""Reading a date and a date-time written by a person or a file: the one reader of each.

Dates are ``YYYY-MM-DD`` exactly (the Gregorian calendar date of ISO 8601's extended format; not
the week dates or the basic ``YYYYMMDD`` that :meth:`date.fromisoformat` also reads).  A
date-time is an ISO 8601 date and time; one without an offset is Africa/Casablanca wall-clock
time, the legal time of every deadline of the calendar (:mod:`intikhab.law.calendar`).  A value
that is neither raises ``E-CAL-001``; callers whose own format names another code catch it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from intikhab.law.errors import InputError

__all__ = ["TZ", "parse_date", "parse_datetime", "parse_instant"]

#: The legal time of every deadline (Morocco's time zone, with its Ramadan changes).
TZ: Final = ZoneInfo("Africa/Casablanca")

_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object, field: str = "date") -> date:
    """``value`` as a date: a :class:`date` itself or the text ``YYYY-MM-DD`` of a real day
    (``E-CAL-001`` otherwise)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError("E-CAL-001", field=field, value=value)


def parse_datetime(value: object, field: str = "when") -> datetime:
    """``value`` as an aware date-time: a :class:`datetime` itself or ISO 8601 text
    (``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``…); without an offset, Africa/Casablanca
    time.  The offset given is kept (the same instant in Casablanca time is
    ``.astimezone(TZ)``, :func:`parse_instant`).  ``E-CAL-001`` when it is not a date-time."""
    if isinstance(value, datetime):
        at = value
    else:
        try:
            at = datetime.fromisoformat(str(value))
        except ValueError:
            raise InputError("E-CAL-001", field=field, value=value) from None
    return at if at.tzinfo else at.replace(tzinfo=TZ)


def parse_instant(value: object, field: str = "when") -> datetime:
    """:func:`parse_datetime` read as Casablanca wall-clock time (``YYYY-MM-DD`` is 00:00; an
    offset given is converted): the reader of every deadline and act the calendar compares."""
    return parse_datetime(value, field).astimezone(TZ)
