"""Election records, pure: the polling-station minute (``minutes``, art. 23 §1–2, law 59.11 as
amended), the check catalogue applied to it (``checks``) and the double-entry state machine
(``entry``, docs/double-entry.md).  No I/O here; the service layer stores what these decide."""

from intikhab.records.checks import StationContext, blocking, check_minute, is_acceptable
from intikhab.records.entry import (
    EntryError,
    EntryRef,
    EntryState,
    EntryStatus,
    Outcome,
    Transition,
    enter,
    open_correction,
    resolve,
    send_back,
)
from intikhab.records.minutes import Minute

__all__ = [
    "EntryError",
    "EntryRef",
    "EntryState",
    "EntryStatus",
    "Minute",
    "Outcome",
    "StationContext",
    "Transition",
    "blocking",
    "check_minute",
    "enter",
    "is_acceptable",
    "open_correction",
    "resolve",
    "send_back",
]
