"""Double entry as an explicit state machine (docs/double-entry.md).

No minute counts until two entries by two different users agree, or a coordinator keeps one
of two differing entries. Corrections after acceptance are new versions: the accepted entry
keeps counting until the new version is accepted. Pure functions over frozen states; the
service layer checks roles and stores what these functions decide.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from intikhab.law.errors import IntikhabError


class EntryError(IntikhabError):
    """An event the state machine refuses in the current state."""


class EntryStatus(StrEnum):
    AWAITING = "awaiting"
    FIRST = "first"
    CONFLICT = "conflict"
    ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class EntryRef:
    entry_id: str
    user: str
    digest: str


@dataclass(frozen=True, slots=True)
class EntryState:
    status: EntryStatus = EntryStatus.AWAITING
    version: int = 1
    first: EntryRef | None = None
    second: EntryRef | None = None
    accepted: EntryRef | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    state: EntryState
    outcome: str  # first_recorded accepted conflict duplicate resolved sent_back correction_opened


def _is_resend(state: EntryState, ref: EntryRef) -> bool:
    return any(e is not None and e.user == ref.user and e.digest == ref.digest
               for e in (state.first, state.second))


def enter(state: EntryState, ref: EntryRef) -> Transition:
    """An entry typed by ``ref.user``."""
    if _is_resend(state, ref):
        return Transition(state, "duplicate")
    if state.status is EntryStatus.AWAITING:
        return Transition(replace(state, status=EntryStatus.FIRST, first=ref, second=None),
                          "first_recorded")
    if state.status is EntryStatus.FIRST:
        assert state.first is not None
        if ref.user == state.first.user:
            raise EntryError("E-ENTRY-001", field="user", user=ref.user)
        if ref.digest == state.first.digest:
            return Transition(replace(state, status=EntryStatus.ACCEPTED, second=ref,
                                      accepted=state.first), "accepted")
        return Transition(replace(state, status=EntryStatus.CONFLICT, second=ref), "conflict")
    raise EntryError("E-ENTRY-002", field="status", status=state.status.value)


def resolve(state: EntryState, coordinator: str, keep: Literal[1, 2]) -> Transition:
    """A coordinator keeps the first or the second of two differing entries."""
    if state.status is not EntryStatus.CONFLICT:
        raise EntryError("E-ENTRY-003", field="status", status=state.status.value)
    kept = state.first if keep == 1 else state.second
    return Transition(replace(state, status=EntryStatus.ACCEPTED, accepted=kept), "resolved")


def send_back(state: EntryState, coordinator: str) -> Transition:
    """A coordinator discards both differing entries: the minute is entered again."""
    if state.status is not EntryStatus.CONFLICT:
        raise EntryError("E-ENTRY-003", field="status", status=state.status.value)
    return Transition(replace(state, status=EntryStatus.AWAITING, first=None, second=None),
                      "sent_back")


def open_correction(state: EntryState, coordinator: str) -> Transition:
    """A coordinator opens a correction of an accepted minute: version + 1, double entry again,
    the accepted entry counting meanwhile."""
    if state.status is not EntryStatus.ACCEPTED:
        raise EntryError("E-ENTRY-002", field="status", status=state.status.value)
    return Transition(replace(state, status=EntryStatus.AWAITING, version=state.version + 1,
                              first=None, second=None), "correction_opened")
