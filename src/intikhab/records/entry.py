"""Double entry of a polling-station minute as an explicit state machine (docs/double-entry.md).

The minute that counts is the one the bureau drew up and signed (art. 23 §1–2, law 59.11 as
amended); typing it into the system must reproduce it faithfully.  The law says nothing on how
— this is the project's rule (docs/double-entry.md):

- no minute counts until it is **accepted**: two entries by two *different* users that agree
  exactly (same :meth:`Minute.digest`), or a coordinator's choice between two that differ;
- a re-sent entry (same user, same digest, same version) is a **duplicate** and changes nothing;
- a correction after acceptance is a **new version**: the accepted entry keeps counting until
  the new version is accepted; nothing is overwritten.

Pure functions over frozen states; each returns a :class:`Transition` or raises
:class:`EntryError`.  Roles and scopes are the service's job (``services/entry.py``,
``E-ENTRY-004``, ``E-ENTRY-007``); the coordinator functions check one thing about the actor:
that they typed neither entry of the current version (``E-ENTRY-006``: no one decides alone on
a minute they entered).  Storing entries, states and versions is the service's job too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from intikhab.law.errors import IntikhabError

Outcome = Literal["first_recorded", "accepted", "conflict", "duplicate", "resolved",
                  "sent_back", "correction_opened"]


class EntryError(IntikhabError):
    """An event the state machine refuses in the current state (``E-ENTRY-001`` to ``-003``),
    or a coordinator acting on a minute they typed (``E-ENTRY-006``)."""


class EntryStatus(StrEnum):
    """Where one (station, vote) minute stands in the current version."""

    AWAITING = "awaiting"
    """No entry yet in this version (the previous version's accepted entry may still count)."""
    FIRST = "first"
    """One entry; waiting for a second by another user."""
    CONFLICT = "conflict"
    """Two entries by two users that differ; waiting for a coordinator."""
    ACCEPTED = "accepted"
    """Two agreeing entries, or the one a coordinator kept: the minute counts."""


@dataclass(frozen=True, slots=True)
class EntryRef:
    """One stored entry: its id, who typed it and the digest of what was typed."""

    entry_id: str
    user: str
    digest: str


@dataclass(frozen=True, slots=True)
class EntryState:
    """The machine's state for one (station, vote).

    ``first``/``second`` are the entries of the current ``version``; ``accepted`` is the entry
    that currently counts — it survives while a correction (a later version) is entered."""

    status: EntryStatus = EntryStatus.AWAITING
    version: int = 1
    first: EntryRef | None = None
    second: EntryRef | None = None
    accepted: EntryRef | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """The state after an event, and what happened."""

    state: EntryState
    outcome: Outcome


def _is_resend(state: EntryState, ref: EntryRef) -> bool:
    return any(e is not None and e.user == ref.user and e.digest == ref.digest
               for e in (state.first, state.second))


def _refuse(code: str, state: EntryState) -> EntryError:
    return EntryError(code, field="status", status=state.status.value)


def entrants(state: EntryState) -> frozenset[str]:
    """Who typed an entry of the minute in its current version (first or second)."""
    return frozenset(e.user for e in (state.first, state.second) if e is not None)


def _not_an_entrant(state: EntryState, coordinator: str) -> None:
    """Separation of duties (art. 23 §1–2, law 59.11 as amended; the project's rule of
    docs/double-entry.md): no one decides on a minute they typed — whoever entered the first or
    the second entry of the current version can neither resolve, send back nor open a
    correction of it (``E-ENTRY-006``)."""
    if coordinator in entrants(state):
        raise EntryError("E-ENTRY-006", field="user", user=coordinator)


def enter(state: EntryState, ref: EntryRef) -> Transition:
    """An entry of the minute typed by ``ref.user`` (art. 23 §1–2, law 59.11 as amended; the
    double-entry rule of docs/double-entry.md).

    - same user and digest as an entry already in this version → ``duplicate``, state unchanged
      (whatever the status: a double click, a retried request, an import run twice);
    - AWAITING → FIRST (``first_recorded``);
    - FIRST, another user: same digest → ACCEPTED with the first entry (``accepted``), another
      digest → CONFLICT (``conflict``);
    - FIRST, the same user with another digest → ``E-ENTRY-001``;
    - CONFLICT or ACCEPTED → ``E-ENTRY-002`` (a coordinator must act first)."""
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
    raise _refuse("E-ENTRY-002", state)


def resolve(state: EntryState, coordinator: str, keep: Literal[1, 2]) -> Transition:
    """``coordinator`` keeps the first (``keep=1``) or the second (``keep=2``) of two differing
    entries: CONFLICT → ACCEPTED (``resolved``); in any other state ``E-ENTRY-003``.

    The coordinator checks the entries against the signed paper minute (art. 23 §1–2, law
    59.11 as amended); one who typed either entry is refused (``E-ENTRY-006``)."""
    if keep not in (1, 2):
        raise ValueError(f"keep must be 1 or 2, not {keep!r}")
    if state.status is not EntryStatus.CONFLICT:
        raise _refuse("E-ENTRY-003", state)
    _not_an_entrant(state, coordinator)
    kept = state.first if keep == 1 else state.second
    return Transition(replace(state, status=EntryStatus.ACCEPTED, accepted=kept), "resolved")


def send_back(state: EntryState, coordinator: str) -> Transition:
    """``coordinator`` discards two differing entries, to be typed again from the signed
    minute (art. 23 §1–2, law 59.11 as amended): CONFLICT → AWAITING, same version, both entries
    gone from the state — the store keeps them (``sent_back``); in any other state
    ``E-ENTRY-003``; ``E-ENTRY-006`` when the coordinator typed either entry."""
    if state.status is not EntryStatus.CONFLICT:
        raise _refuse("E-ENTRY-003", state)
    _not_an_entrant(state, coordinator)
    return Transition(replace(state, status=EntryStatus.AWAITING, first=None, second=None),
                      "sent_back")


def open_correction(state: EntryState, coordinator: str) -> Transition:
    """``coordinator`` opens a correction of an accepted minute: ACCEPTED → AWAITING with
    version + 1, the accepted entry still counting until the new version is accepted
    (``correction_opened``); in any other state ``E-ENTRY-002``.

    A correction is a new version, never an overwrite: what counted stays on record (art. 23,
    law 59.11 as amended: the minute and its copies are evidence for the courts).
    ``E-ENTRY-006`` when the coordinator typed either entry of the accepted version."""
    if state.status is not EntryStatus.ACCEPTED:
        raise _refuse("E-ENTRY-002", state)
    _not_an_entrant(state, coordinator)
    return Transition(replace(state, status=EntryStatus.AWAITING, version=state.version + 1,
                              first=None, second=None), "correction_opened")
