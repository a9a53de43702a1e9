"""Read queries shared by the REST API and the pages: stations with the state of their minutes,
a minute's entries side by side, a constituency's progress, the figures and tables of a result,
the users.  Read-only; plain frozen dataclasses out.

Nothing here decides anything: the state of a minute is the double-entry state machine's
(``records.entry``, docs/double-entry.md), a constituency's status is
``services.results.progress``'s, and the allocation tables are those the engine stored with the
result (art. 24, law 59.11 as amended; guide ch. 10).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.records.checks import check_minute
from intikhab.records.minutes import COUNTS, Minute
from intikhab.services import results
from intikhab.services.entry import Contexts
from intikhab.services.users import UserRow, list_users
from intikhab.store.models import (
    AuditLog,
    Candidacy,
    CentralOffice,
    Constituency,
    Entry,
    MinuteState,
    Result,
    Station,
)

VOTES = ("communal", "regional")


@dataclass(frozen=True, slots=True)
class StationRow:
    """One (station, vote) minute and where its double entry stands."""

    station: str
    office: str
    commune: str
    vote: str
    constituency: str
    registered: int
    status: str  # awaiting | first | conflict | accepted (records.entry.EntryStatus)
    version: int
    first_user: str | None
    second_user: str | None
    accepted: bool  # an accepted version counts (possibly while a correction is entered)


@dataclass(frozen=True, slots=True)
class CandidacyRow:
    code: str
    name: str
    party: str | None
    rank: int


@dataclass(frozen=True, slots=True)
class ConstituencyRow:
    """A constituency's progress: its stations' minutes by state, and its result's status."""

    id: str
    name: str
    vote: str
    kind: str
    council: str
    stations: int
    awaiting: int
    first: int
    conflict: int
    accepted: int
    status: str  # services.results.Progress


@dataclass(frozen=True, slots=True)
class EntryView:
    entry_id: str
    user: str
    digest: str
    minute: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MinuteDetail:
    """A minute's entries side by side, the fields where they differ, and the checks the
    accepted (or first) entry raises, for the coordinator who resolves a conflict."""

    station: str
    vote: str
    constituency: str
    registered: int
    status: str
    version: int
    first: EntryView | None
    second: EntryView | None
    accepted: EntryView | None
    differences: tuple[str, ...]
    candidacies: tuple[CandidacyRow, ...]
    findings: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class AllocationView:
    """A constituency's latest result: the engine's input (``figures``: voters, void, votes
    per list) and output (``outcome``: per seat group the quotient, whole quotas, remainders,
    ties and lots, guide ch. 10), with its status and declaration."""

    constituency: str
    name: str
    vote: str
    kind: str
    result_id: int
    status: str
    rules: str
    engine_version: str
    minutes_digest: str
    figures: dict[str, Any]
    outcome: dict[str, Any]
    lots: dict[str, Any]
    lot_seed: str | None
    computed_at: datetime
    declared_at: datetime | None
    declared_by: str | None
    progress: str


def _not_found(field: str, value: str) -> IntikhabError:
    return IntikhabError("E-API-004", field=field, value=value)


def constituency(session: Session, cid: str) -> Constituency:
    found = session.get(Constituency, cid)
    if found is None:
        raise _not_found("constituency", cid)
    return found


def stations(session: Session, *, constituency: str | None = None, office: str | None = None,
             vote: str | None = None, limit: int = 5000) -> list[StationRow]:
    """Stations (of a constituency, or of a central office) with the state of each minute;
    ``vote`` picks one of the two votes (both by default)."""
    votes = [vote] if vote in VOTES else list(VOTES)
    q = select(Station, CentralOffice.commune_id).join(
        CentralOffice, CentralOffice.id == Station.central_office_id)
    if office is not None:
        q = q.where(Station.central_office_id == office)
    if constituency is not None:
        q = q.where((Station.communal_constituency_id == constituency)
                    | (Station.regional_constituency_id == constituency))
    found = list(session.execute(q.order_by(Station.id).limit(limit)))
    ids = [st.id for st, _ in found]
    states: dict[tuple[str, str], MinuteState] = {}
    users: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        for row in session.scalars(select(MinuteState).where(
                MinuteState.station_id.in_(ids[i:i + 500]))):
            states[row.station_id, row.vote] = row
    entry_ids = [e for r in states.values() for e in (r.first_entry_id, r.second_entry_id) if e]
    for i in range(0, len(entry_ids), 500):
        users.update((eid, uid) for eid, uid in session.execute(
            select(Entry.id, Entry.user_id).where(Entry.id.in_(entry_ids[i:i + 500]))))
    out = []
    for st, commune in found:
        for v in votes:
            cid = st.communal_constituency_id if v == "communal" else st.regional_constituency_id
            if constituency is not None and cid != constituency:
                continue
            ms = states.get((st.id, v))
            out.append(StationRow(
                st.id, st.central_office_id, commune, v, cid, st.registered,
                ms.status if ms else "awaiting", ms.version if ms else 1,
                users.get(ms.first_entry_id or "") if ms else None,
                users.get(ms.second_entry_id or "") if ms else None,
                bool(ms and ms.accepted_entry_id)))
    return out


def candidacies(session: Session, cid: str) -> list[CandidacyRow]:
    """The lists (or district candidates) of a constituency in ballot order — the rows of the
    minute's form (art. 21 §4)."""
    return [CandidacyRow(c.code, c.name, c.party_id, c.rank) for c in session.scalars(
        select(Candidacy).where(Candidacy.constituency_id == cid).order_by(Candidacy.rank))]


def _entry(session: Session, eid: str | None) -> EntryView | None:
    if eid is None:
        return None
    e = session.get(Entry, eid)
    return None if e is None else EntryView(e.id, e.user_id, e.digest, e.minute, e.created_at)


def _differences(a: EntryView | None, b: EntryView | None) -> tuple[str, ...]:
    if a is None or b is None:
        return ()
    x, y = a.minute, b.minute
    out = [k for k in (*COUNTS, "objections", "observations") if x.get(k) != y.get(k)]
    vx, vy = x.get("votes", {}), y.get("votes", {})
    out += [f"votes.{k}" for k in sorted(set(vx) | set(vy)) if vx.get(k) != vy.get(k)]
    return tuple(out)


def minute_detail(session: Session, station: str, vote: str) -> MinuteDetail:
    """A minute's first and second entries side by side, the fields where they differ, the
    accepted entry, and the checks of the entry shown (art. 21–23)."""
    st = session.get(Station, station)
    if st is None:
        raise _not_found("station", station)
    if vote not in VOTES:
        raise IntikhabError("E-PV-011", field="vote", value=vote)
    cid = st.communal_constituency_id if vote == "communal" else st.regional_constituency_id
    row = session.get(MinuteState, (station, vote))
    first = _entry(session, row.first_entry_id if row else None)
    second = _entry(session, row.second_entry_id if row else None)
    accepted = _entry(session, row.accepted_entry_id if row else None)
    shown = accepted or first
    findings: tuple[dict[str, Any], ...] = ()
    if shown is not None:
        context = _context(session, st).context(station, vote)
        findings = tuple(f.to_dict() for f in check_minute(Minute.from_json(shown.minute),
                                                          context))
    return MinuteDetail(station, vote, cid, st.registered, row.status if row else "awaiting",
                        row.version if row else 1, first, second, accepted,
                        _differences(first, second), tuple(candidacies(session, cid)), findings)


def _context(session: Session, st: Station) -> Contexts:
    ctx = Contexts()
    ctx.stations[st.id] = (st.registered, st.communal_constituency_id,
                           st.regional_constituency_id)
    for cid in (st.communal_constituency_id, st.regional_constituency_id):
        ctx.candidates[cid] = frozenset(session.scalars(
            select(Candidacy.code).where(Candidacy.constituency_id == cid)))
    return ctx


def station_context(session: Session, station: str) -> Contexts:
    """The checks' context of one station (registered voters, registered candidacies)."""
    st = session.get(Station, station)
    return Contexts() if st is None else _context(session, st)


def constituencies(session: Session, *, vote: str | None = None,
                   only: Collection[str] | None = None,
                   status: dict[str, results.Progress] | None = None) -> list[ConstituencyRow]:
    """Every constituency (or those in ``only``) with its minutes by state and its status."""
    q = select(Constituency).order_by(Constituency.id)
    if vote in VOTES:
        q = q.where(Constituency.vote == vote)
    cons = [c for c in session.scalars(q) if only is None or c.id in only]
    counts: Counter[tuple[str, str]] = Counter()
    for cid, st, n in session.execute(
            select(MinuteState.constituency_id, MinuteState.status, func.count())
            .group_by(MinuteState.constituency_id, MinuteState.status)):
        counts[cid, st] += n
    n_stations: Counter[str] = Counter()
    for col in (Station.communal_constituency_id, Station.regional_constituency_id):
        for cid, n in session.execute(select(col, func.count()).group_by(col)):
            n_stations[cid] += n
    progress = status if status is not None else progress_of(session, [c.id for c in cons])
    out = []
    for c in cons:
        total = n_stations[c.id]
        first, conflict, acc = (counts[c.id, "first"], counts[c.id, "conflict"],
                                counts[c.id, "accepted"])
        out.append(ConstituencyRow(
            c.id, c.name, c.vote, c.kind, c.council, total,
            total - first - conflict - acc, first, conflict, acc,
            progress.get(c.id, results.Progress.AWAITING).value))
    return out


def constituency_progress(session: Session, cid: str) -> ConstituencyRow:
    """One constituency's progress (stations entered, accepted, in conflict; status)."""
    constituency(session, cid)
    return constituencies(session, only={cid})[0]


def allocation(session: Session, cid: str, declared: bool = False) -> AllocationView:
    """The latest result of a constituency (the latest declared one when ``declared``), with
    the tables of the guide (ch. 10): per seat group the quotient, the seats by whole quotas,
    the remainders, the seats by remainder, the ties and how each was decided."""
    c = constituency(session, cid)
    r = results.latest_results(session, [cid], declared=declared).get(cid)
    if r is None:
        raise IntikhabError("E-API-014", field="constituency", value=cid)
    return _view(session, c, r)


def _view(session: Session, c: Constituency, r: Result) -> AllocationView:
    prog = progress_of(session, [c.id]).get(c.id, results.Progress.AWAITING).value
    return AllocationView(c.id, c.name, c.vote, c.kind, r.id, r.status, r.rules,
                          r.engine_version, r.minutes_digest, r.figures, r.outcome, r.lots,
                          r.lot_seed, r.computed_at, r.declared_at, r.declared_by, prog)


def progress_of(session: Session, ids: Collection[str]) -> dict[str, results.Progress]:
    """``services.results.progress`` for a few constituencies, without summing every
    minute of the country: the same rule, one constituency at a time (all of them at once
    beyond 50)."""
    if len(ids) > 50:
        every = results.progress(session)
        return {cid: every[cid] for cid in ids if cid in every}
    latest = results.latest_results(session, ids)
    out: dict[str, results.Progress] = {}
    for cid in ids:
        t = results.constituency_totals(session, only=cid).get(cid)
        r = latest.get(cid)
        if t is None or t.stations == 0 or t.accepted < t.stations:
            out[cid] = results.Progress.AWAITING
        elif r is None or r.minutes_digest != t.minutes_digest:
            out[cid] = results.Progress.COMPLETE
        elif r.status in ("lot_required", "rerun_required"):
            out[cid] = results.Progress(r.status)
        else:
            out[cid] = (results.Progress.DECLARED if r.declared_at
                        else results.Progress.ALLOCATED)
    return out


def users(session: Session) -> list[UserRow]:
    """Every user with role and accreditations (no password hash)."""
    return list_users(session)


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    entity: str
    hash: str


def audit_page(session: Session, *, actor: str = "", action: str = "", page: int = 1,
               size: int = 50) -> tuple[list[AuditRow], int]:
    """A page of the audit log, newest first, filtered by actor (exact) and action (prefix:
    ``minute.`` gives every double-entry step); with the number of matching records."""
    q = select(AuditLog)
    n = select(func.count(AuditLog.seq))
    if actor:
        q, n = q.where(AuditLog.actor == actor), n.where(AuditLog.actor == actor)
    if action:
        like = action.replace("%", "").replace("_", "\\_") + "%"
        q = q.where(AuditLog.action.like(like, escape="\\"))
        n = n.where(AuditLog.action.like(like, escape="\\"))
    total = session.scalar(n) or 0
    rows = session.scalars(q.order_by(AuditLog.seq.desc())
                           .offset((max(page, 1) - 1) * size).limit(size))
    return [AuditRow(r.seq, r.at, r.actor, r.role, r.action, r.entity, r.hash)
            for r in rows], total


def audit_actors(session: Session) -> list[str]:
    """Every actor of the audit log (the viewer's filter)."""
    return list(session.scalars(select(AuditLog.actor).distinct().order_by(AuditLog.actor)))


def constituency_ids(session: Session) -> list[tuple[str, str, str]]:
    """(id, name, vote) of every constituency: the accreditation picker."""
    return [(c.id, c.name, c.vote) for c in session.scalars(
        select(Constituency).order_by(Constituency.id))]
