"""Entering polling-station minutes: checks, double entry, corrections — each change in one
transaction with its audit record.

One code path serves a single minute typed in a form and a batch of thousands from an import:
:func:`enter_minutes` takes a sequence.  Inside one transaction it locks the audit head first
(which serialises writers on PostgreSQL and SQLite alike), reads the double-entry states,
applies the checks and the state machine (``records.entry``), and writes the entries, the new
states, the accepted versions and one audit record per change.  A re-sent minute (same user,
same content) is recognised and changes nothing; a crash before the commit leaves nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from intikhab.law.errors import Finding, IntikhabError
from intikhab.records import entry as sm
from intikhab.records.checks import StationContext, blocking, check_minute
from intikhab.records.minutes import Minute
from intikhab.services import duties
from intikhab.services.roles import require_role
from intikhab.store import audit, binding
from intikhab.store.models import (
    Candidacy,
    Entry,
    MinuteState,
    MinuteVersion,
    Station,
)

ENTER_ROLES = frozenset({"clerk", "coordinator", "admin"})
COORDINATOR_ROLES = frozenset({"coordinator", "admin"})


@dataclass(frozen=True, slots=True)
class Submitted:
    """What happened to one submitted minute."""

    station: str
    vote: str
    outcome: str  # first_recorded | accepted | conflict | duplicate | rejected
    entry_id: str | None = None
    findings: tuple[Finding, ...] = ()
    error: IntikhabError | None = None


@dataclass
class Contexts:
    """Station contexts (registered voters, registered candidacies per vote), loaded once."""

    stations: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    candidates: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Contexts:
        ctx = cls()
        for sid, reg, comm, regi in session.execute(
            select(Station.id, Station.registered, Station.communal_constituency_id,
                   Station.regional_constituency_id)):
            ctx.stations[sid] = (reg, comm, regi)
        by_c: dict[str, set[str]] = {}
        for cid, code in session.execute(select(Candidacy.constituency_id, Candidacy.code)):
            by_c.setdefault(cid, set()).add(code)
        ctx.candidates = {k: frozenset(v) for k, v in by_c.items()}
        return ctx

    def constituency(self, station: str, vote: str) -> str | None:
        row = self.stations.get(station)
        if row is None:
            return None
        return row[1] if vote == "communal" else row[2]

    def context(self, station: str, vote: str) -> StationContext | None:
        row = self.stations.get(station)
        if row is None:
            return None
        cid = row[1] if vote == "communal" else row[2]
        return StationContext(station, row[0], self.candidates.get(cid, frozenset()))


def entry_id(m: Minute, version: int, user: str, digest: str | None = None) -> str:
    """Deterministic: the same user re-sending the same minute yields the same id."""
    key = f"{m.station}\x1f{m.vote}\x1f{version}\x1f{user}\x1f{digest or m.digest()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _state(row: MinuteState | None, refs: dict[str, sm.EntryRef]) -> sm.EntryState:
    if row is None:
        return sm.EntryState(sm.EntryStatus.AWAITING)

    def ref(eid: str | None) -> sm.EntryRef | None:
        return None if eid is None else refs[eid]

    return sm.EntryState(sm.EntryStatus(row.status), row.version, ref(row.first_entry_id),
                         ref(row.second_entry_id), ref(row.accepted_entry_id))


def _load_states(session: Session, keys: Collection[tuple[str, str]]
                 ) -> tuple[dict[tuple[str, str], MinuteState], dict[str, sm.EntryRef]]:
    stations = sorted({s for s, _ in keys})
    rows: dict[tuple[str, str], MinuteState] = {}
    for i in range(0, len(stations), 500):
        chunk = stations[i:i + 500]
        for row in session.execute(
                select(MinuteState).where(MinuteState.station_id.in_(chunk))).scalars():
            if (row.station_id, row.vote) in keys:
                rows[row.station_id, row.vote] = row
    ids = {e for r in rows.values()
           for e in (r.first_entry_id, r.second_entry_id, r.accepted_entry_id) if e}
    refs: dict[str, sm.EntryRef] = {}
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        for eid, user, dig in session.execute(
                select(Entry.id, Entry.user_id, Entry.digest)
                .where(Entry.id.in_(id_list[i:i + 500]))):
            refs[eid] = sm.EntryRef(eid, user, dig)
    return rows, refs


def _in_scope(session: Session, user: str, minutes: Sequence[Minute], ctx: Contexts
              ) -> Contexts:
    """Separation of duties: a clerk enters only the minutes of their constituencies
    (``services/duties.py``, ``E-ENTRY-007``) — the whole batch is refused otherwise."""
    duties.require_scope(session, user, {ctx.constituency(m.station, m.vote.value)
                                         for m in minutes})
    return ctx


def enter_minutes(
    session: Session,
    user: str,
    minutes: Sequence[Minute],
    accept_warnings: Collection[str] = (),
    contexts: Contexts | None = None,
) -> list[Submitted]:
    """Enter ``minutes`` typed by ``user`` (art. 23, law 59.11 as amended: the minutes of each
    polling station).  Runs inside the caller's transaction; returns one outcome per minute.
    ``user`` must be assigned to every minute's constituency (``E-ENTRY-007``, raised for the
    whole batch).

    A minute whose checks find an error, or a warning not listed in ``accept_warnings``, is
    rejected with its findings and nothing is written for it."""
    role = require_role(session, user, ENTER_ROLES)
    chain = audit.Chain(session)  # the writers' lock, taken before any state is read
    ctx = _in_scope(session, user, minutes, contexts or Contexts.load(session))
    rows, refs = _load_states(session, {(m.station, m.vote.value) for m in minutes})
    at = audit.now()
    out: list[Submitted] = []
    new_entries: list[dict[str, object]] = []
    new_states: dict[tuple[str, str], dict[str, object]] = {}
    changed_states: dict[tuple[str, str], dict[str, object]] = {}
    versions: list[dict[str, object]] = []
    states: dict[tuple[str, str], sm.EntryState] = {}
    for m in minutes:
        key = (m.station, m.vote.value)
        findings = check_minute(m, ctx.context(m.station, key[1]))
        stops = blocking(findings, accept_warnings)
        if stops:
            out.append(Submitted(m.station, key[1], "rejected", findings=findings))
            continue
        state = states.get(key) or _state(rows.get(key), refs)
        dig = m.digest()
        eid = entry_id(m, state.version, user, dig)
        try:
            step = sm.enter(state, sm.EntryRef(eid, user, dig))
        except sm.EntryError as error:
            if state.status is sm.EntryStatus.ACCEPTED:
                stop = Finding("E-PV-007", "station", {"station": m.station, "vote": key[1]})
                out.append(Submitted(m.station, key[1], "rejected", findings=(*findings, stop),
                                     error=error))
            else:
                out.append(Submitted(m.station, key[1], "rejected", findings=findings,
                                     error=error))
            continue
        if step.outcome == "duplicate":
            out.append(Submitted(m.station, key[1], "duplicate", eid, findings))
            continue
        states[key] = step.state
        refs[eid] = sm.EntryRef(eid, user, dig)
        new_entries.append({
            "id": eid, "station_id": m.station, "vote": key[1], "version": state.version,
            "user_id": user, "digest": dig, "minute": m.to_json(),
            "accepted_warnings": sorted({f.code for f in findings} & set(accept_warnings)),
            "created_at": at})
        s = step.state
        values: dict[str, object] = {
            "status": s.status.value, "version": s.version,
            "first_entry_id": s.first.entry_id if s.first else None,
            "second_entry_id": s.second.entry_id if s.second else None,
            "accepted_entry_id": s.accepted.entry_id if s.accepted else None}
        if key in rows or key in changed_states:
            changed_states[key] = values
        else:
            new_states[key] = {"station_id": key[0], "vote": key[1],
                               "constituency_id": ctx.constituency(*key), **values}
        if step.outcome == "accepted" and s.accepted is not None:
            versions.append({"station_id": key[0], "vote": key[1], "version": s.version,
                             "entry_id": s.accepted.entry_id, "accepted_by": user,
                             "accepted_at": at})
        chain.append(actor=user, role=role, action=f"minute.{step.outcome}",
                     entity=f"{key[0]}/{key[1]}/v{s.version}",
                     before=refs[state.accepted.entry_id].digest if state.accepted else None,
                     after=dig, at=at)
        out.append(Submitted(m.station, key[1], step.outcome, eid, findings))
    # An entry discarded by a send-back and typed again identically by the same user is the
    # same entry (same id, unique content): it is stored once, so only its state moves.
    stored = _stored_entries(session, [str(e["id"]) for e in new_entries
                                       if (e["station_id"], e["vote"]) in rows])
    new_entries = [e for e in new_entries if e["id"] not in stored]
    _write(session, new_entries, new_states, changed_states, versions)
    chain.flush()
    return out


def _stored_entries(session: Session, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        found.update(session.scalars(select(Entry.id).where(Entry.id.in_(ids[i:i + 500]))))
    return found


def _write(session: Session, entries: list[dict[str, object]],
           new_states: dict[tuple[str, str], dict[str, object]],
           changed: dict[tuple[str, str], dict[str, object]],
           versions: list[dict[str, object]]) -> None:
    if entries:
        session.execute(insert(Entry), entries)
    if new_states:
        session.execute(insert(MinuteState), list(new_states.values()))
    if changed:
        t = cast(Table, MinuteState.__table__)
        stmt = (update(t).where(t.c.station_id == bindparam("k_station"),
                                t.c.vote == bindparam("k_vote"))
                .values({c: bindparam(c) for c in next(iter(changed.values()))}))
        session.connection().execute(stmt, [
            {"k_station": station, "k_vote": vote, **values}
            for (station, vote), values in changed.items()])
        binding.touch(session, MinuteState, changed)  # a raw-connection update: say which rows
    if versions:
        session.execute(insert(MinuteVersion), versions)
    session.flush()


# --------------------------------------------------------------------------------------------
# Coordinator actions


def with_reason(entity: str, reason: str | None) -> str:
    """The audit record's entity with the commission's stated reason, if any (the record has
    no other free-text field; 200 characters in all)."""
    reason = " ".join((reason or "").split())
    return entity if not reason else f"{entity} — {reason}"[:200]


def _coordinator_step(
    session: Session, coordinator: str, station: str, vote: str, action: str,
    keep: Literal[1, 2] | None = None, reason: str | None = None,
) -> sm.EntryState:
    role = require_role(session, coordinator, COORDINATOR_ROLES)
    audit.lock_head(session)
    rows, refs = _load_states(session, {(station, vote)})
    row = rows.get((station, vote))
    if row is not None:  # the coordinator's scope (E-ENTRY-007); no row: E-ENTRY-003 below
        duties.require_scope(session, coordinator, [row.constituency_id])
    state = _state(row, refs)
    if action == "resolve":
        assert keep is not None
        step = sm.resolve(state, coordinator, keep)
    elif action == "send_back":
        step = sm.send_back(state, coordinator)
    else:
        step = sm.open_correction(state, coordinator)
    s = step.state
    assert row is not None  # the state machine refuses every action on an empty state
    row.status, row.version = s.status.value, s.version
    row.first_entry_id = s.first.entry_id if s.first else None
    row.second_entry_id = s.second.entry_id if s.second else None
    row.accepted_entry_id = s.accepted.entry_id if s.accepted else None
    at = audit.now()
    if step.outcome == "resolved" and s.accepted is not None:
        session.add(MinuteVersion(station_id=station, vote=vote, version=s.version,
                                  entry_id=s.accepted.entry_id, accepted_by=coordinator,
                                  accepted_at=at))
    kept = s.accepted.digest if s.accepted else None
    audit.append(session, actor=coordinator, role=role, action=f"minute.{step.outcome}",
                 entity=with_reason(f"{station}/{vote}/v{s.version}", reason),
                 before=state.accepted.digest if state.accepted else None, after=kept, at=at)
    session.flush()
    return s


def resolve(session: Session, coordinator: str, station: str, vote: str,
            keep: Literal[1, 2], reason: str | None = None) -> sm.EntryState:
    """A coordinator keeps the first or the second of two differing entries (``reason``:
    why, checked against the signed paper minute — kept in the audit record)."""
    return _coordinator_step(session, coordinator, station, vote, "resolve", keep, reason)


def send_back(session: Session, coordinator: str, station: str, vote: str,
              reason: str | None = None) -> sm.EntryState:
    """A coordinator discards two differing entries: the minute is to be entered again."""
    return _coordinator_step(session, coordinator, station, vote, "send_back", reason=reason)


def open_correction(session: Session, coordinator: str, station: str,
                    vote: str, reason: str | None = None) -> sm.EntryState:
    """A coordinator opens a correction of an accepted minute: a new version goes through
    double entry; the accepted one keeps counting until the new one is accepted."""
    return _coordinator_step(session, coordinator, station, vote, "correction", reason=reason)
