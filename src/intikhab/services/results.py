"""From accepted minutes to declared results: aggregation, allocation, declaration (the council
views of the declared results: :mod:`intikhab.services.council_results`).

Nothing above the polling station is typed: a central office's and a census commission's
totals are sums of the *accepted* minutes (art. 23–24, law 59.11 as amended), recomputed on
demand.  The commission's figures are written in the engine's own input format
(:mod:`intikhab.formats.allocation_json`), stored with the result, the rule set, the engine
version and any lot, so every result can be replayed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intikhab import __version__
from intikhab.formats.allocation_json import parse_constituency, result_to_json
from intikhab.formats.outcome import read_outcome
from intikhab.law.allocation import Lots
from intikhab.law.errors import IntikhabError
from intikhab.law.national import allocate_any
from intikhab.law.rulesets import get_rules
from intikhab.services import duties
from intikhab.services.entry import with_reason
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import (
    Candidacy,
    CentralOffice,
    Constituency,
    Election,
    Entry,
    MinuteState,
    Result,
    Station,
)

ENGINE = f"intikhab {__version__}"
COMMISSION = frozenset({"coordinator", "admin"})  # who allocates and declares (art. 24)
TARGETED = 900  # up to this many constituencies, the views read their rows by id (SQL IN)


class Progress(StrEnum):
    """Where a constituency stands (docs/records.md)."""

    AWAITING = "awaiting_minutes"
    COMPLETE = "complete"
    LOT_REQUIRED = "lot_required"
    RERUN_REQUIRED = "rerun_required"
    ALLOCATED = "allocated"
    DECLARED = "declared"


@dataclass
class Totals:
    """Sums of accepted minutes: a station set, a central office or a constituency."""

    stations: int = 0
    accepted: int = 0
    registered: int = 0
    signed: int = 0
    ballots: int = 0
    void: int = 0
    contested: int = 0
    illegal: int = 0
    voters: int = 0
    """The quotient's base, عدد المصوتين (art. 139/141 quotient; guide 9.1): per station the
    larger of the signatures (art. 20; guide 8.1) and the ballots counted, valid or void —
    see :func:`station_voters`."""
    digest_parts: list[str] | None = None

    def __post_init__(self) -> None:
        self.votes: dict[str, int] = defaultdict(int)
        if self.digest_parts is None:
            self.digest_parts = []

    def add(self, entry_id: str, minute: Mapping[str, Any]) -> None:
        self.accepted += 1
        self.signed += minute["signed"]
        self.ballots += minute["ballots"]
        self.void += minute["void"]
        self.contested += minute["contested"]
        self.illegal += minute["illegal"]
        self.voters += station_voters(minute)
        for code, n in minute["votes"].items():
            self.votes[code] += n
        assert self.digest_parts is not None
        self.digest_parts.append(entry_id)

    @property
    def minutes_digest(self) -> str:
        return audit.digest(sorted(self.digest_parts or []))


def station_voters(minute: Mapping[str, Any]) -> int:
    """A station's voters (المصوتون) for the quotient: the names marked on its list (art. 20,
    law 59.11 as amended; guide 8.1 calls them "عدد المصوتين"), unless more ballots were
    counted than names marked — a difference the bureau records in the minute (art. 21 §3,
    ``W-PV-004``) without voiding a ballot — and then the ballots counted, valid or void
    (``ballots − illegal``, art. 22): every counted ballot is a voter's, and the quotient
    (guide 9.1: the voters of the constituency divided by its seats) can never be smaller than
    the votes it shares out plus the void ballots (docs/allocation.md)."""
    counted = int(minute["ballots"]) - int(minute["illegal"])
    return max(int(minute["signed"]), counted)


def _accepted(session: Session, vote: str | None = None,
              constituency: str | None = None) -> Iterable[tuple[str, str, str, Any]]:
    """(constituency, station, entry id, minute) for every accepted minute."""
    q = (select(MinuteState.constituency_id, MinuteState.station_id, Entry.id, Entry.minute)
         .join(Entry, Entry.id == MinuteState.accepted_entry_id))
    if vote is not None:
        q = q.where(MinuteState.vote == vote)
    if constituency is not None:
        q = q.where(MinuteState.constituency_id == constituency)
    return session.execute(q)


def constituency_totals(session: Session, vote: str | None = None,
                        only: str | None = None) -> dict[str, Totals]:
    """Totals of every constituency (or of ``only``), from accepted minutes; ``registered`` and
    ``stations`` come from the stations' voter lists."""
    out: dict[str, Totals] = defaultdict(Totals)
    for cid, _station, eid, minute in _accepted(session, vote, only):
        out[cid].add(eid, minute)
    cols = {"communal": Station.communal_constituency_id,
            "regional": Station.regional_constituency_id}
    for v, col in cols.items():
        if vote not in (None, v):
            continue
        q = select(col, func.count(), func.sum(Station.registered)).group_by(col)
        if only is not None:
            q = q.where(col == only)
        for cid, n, reg in session.execute(q):
            out[cid].stations += n
            out[cid].registered += int(reg or 0)
    return dict(out)


def central_office_totals(session: Session, office: str, vote: str) -> Totals:
    """A central office's sums of its stations' accepted minutes (المكتب المركزي)."""
    t = Totals()
    stations = list(session.execute(
        select(Station.id, Station.registered).where(Station.central_office_id == office)))
    t.stations = len(stations)
    t.registered = sum(r for _, r in stations)
    ids = [s for s, _ in stations]
    rows = session.execute(
        select(Entry.id, Entry.minute)
        .join(MinuteState, MinuteState.accepted_entry_id == Entry.id)
        .where(MinuteState.station_id.in_(ids), MinuteState.vote == vote))
    for eid, minute in rows:
        t.add(eid, minute)
    return t


def figures(c: Constituency, totals: Totals, candidacies: list[Candidacy],
            rules: str) -> dict[str, Any]:
    """The census commission's figures in the engine's input format (docs/allocation.md)."""
    doc: dict[str, Any] = {"id": c.id, "name": c.name, "rules": rules,
                           "registered": totals.registered, "voters": totals.voters,
                           "void": totals.void}
    ordered = sorted(candidacies, key=lambda x: x.rank)
    if c.kind == "single_member":
        doc |= {"kind": "single_member", "attached_women_seat": c.attached_women_seat,
                "candidates": [
                    {"id": x.code,  # the elected member is the candidate, by name
                     "name": x.candidates["candidate"].get("name") or x.name,
                     "votes": totals.votes.get(x.code, 0),
                     "birth_date": x.candidates["candidate"].get("birth_date"),
                     "attached_woman": x.candidates.get("attached_woman")
                     if c.attached_women_seat else None}
                    for x in ordered]}
    else:
        doc |= {"kind": "list", "groups": c.groups,
                "lists": [{"id": x.code, "name": x.name, "votes": totals.votes.get(x.code, 0),
                           "candidates": x.candidates} for x in ordered]}
    return doc


def _rules_for(election: Election, vote: str) -> str:
    return election.rules_communal if vote == "communal" else election.rules_regional


@dataclass(frozen=True, slots=True)
class Unallocated:
    """A constituency the commission could not allocate, and why (the engine's coded error)."""

    constituency: str
    error: IntikhabError

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"constituency": self.constituency, "code": self.error.code,
                "field": self.error.field, "message": self.error.message(lang)}

    def as_error(self) -> IntikhabError:
        """``E-ALLOC-020`` naming the constituency, the engine's error in its detail."""
        e = self.error
        return IntikhabError("E-ALLOC-020", field=self.constituency,
                             detail=f"{e.code} {e.field or ''}: {e.message('en')}")


def _in_scope(session: Session, actor: str, only: Iterable[str] | None
              ) -> tuple[set[str] | None, bool]:
    """The constituencies ``actor`` acts on: those named (each in their scope, else
    ``E-ENTRY-007``) or, none named, their whole scope (``None`` = national)."""
    scope = duties.scope_of(session, actor)
    if only is not None:
        wanted = set(only)
        duties.require_scope(session, actor, wanted, scope)
        return wanted, True
    return (None if scope is None else set(scope)), False


def allocate(session: Session, actor: str, only: Iterable[str] | None = None,
             lots: Mapping[str, str] | None = None, seed: str | None = None,
             unallocated: list[Unallocated] | None = None) -> list[Result]:
    """The census commission allocates every complete constituency (or those in ``only``)
    with the law engine and records each result with its rule set, engine version, minutes
    digest and lots (art. 24, law 59.11 as amended).  Incomplete ones are skipped, and so are
    those whose vote a court annulled (art. 32): their seats wait for the re-run; asking for
    one by name is refused (E-DISP-012).  A coordinator acts within their scope
    (``services/duties.py``): by default every constituency of it.

    Each constituency is allocated on its own: one that cannot be (its figures refused by the
    engine) is appended to ``unallocated`` with its error while the others are allocated; with
    no ``unallocated`` list, the first such constituency raises ``E-ALLOC-020`` naming it."""
    role = require_role(session, actor, COMMISSION)
    chain = audit.Chain(session)
    election = session.execute(select(Election)).scalar_one()
    wanted, named = _in_scope(session, actor, only)
    cons_q, cands_q = select(Constituency), select(Candidacy)
    if wanted is not None and len(wanted) <= TARGETED:  # a commission: its own rows only
        cons_q = cons_q.where(Constituency.id.in_(wanted))
        cands_q = cands_q.where(Candidacy.constituency_id.in_(wanted))
    cons = {c.id: c for c in session.execute(cons_q).scalars()
            if wanted is None or c.id in wanted}
    by_c: dict[str, list[Candidacy]] = defaultdict(list)
    for cand in session.execute(cands_q).scalars():
        if cand.constituency_id in cons:
            by_c[cand.constituency_id].append(cand)
    annulled = {cid: by for cid, r in latest_results(
        session, cons if wanted is not None else None, declared=True).items()
        if r.status == "rerun_required" and (by := read_outcome(r.outcome).annulled_by)}
    if named and annulled:  # asked for by name: say why not
        cid = min(annulled)
        raise IntikhabError("E-DISP-012", field=cid, value=cid, case=annulled[cid])
    only_one = next(iter(cons)) if len(cons) == 1 else None
    totals = constituency_totals(session, only=only_one)
    entered = dict(lots or {})
    at = audit.now()
    rows: list[dict[str, Any]] = []
    for cid, c in cons.items():
        t = totals.get(cid)
        if t is None or t.stations == 0 or t.accepted < t.stations or cid in annulled:
            continue  # incomplete, or annulled: the annulled minutes never count again (art. 32)
        try:
            row = _allocate_one(c, t, by_c[cid], _rules_for(election, c.vote), entered, seed)
        except IntikhabError as error:
            if unallocated is None:
                raise Unallocated(cid, error).as_error() from error
            unallocated.append(Unallocated(cid, error))
            continue
        rows.append(row | {"computed_at": at})
        chain.append(actor=actor, role=role, action=f"result.{row['status']}",
                     entity=cid, before=t.minutes_digest, after=audit.digest(row["outcome"]),
                     at=at)
    if rows:
        session.execute(insert(Result), rows)
    chain.flush()
    return list(latest_results(session, [r["constituency_id"] for r in rows]).values())


def _allocate_one(c: Constituency, t: Totals, candidacies: list[Candidacy], rules: str,
                  entered: Mapping[str, str], seed: str | None) -> dict[str, Any]:
    """One constituency's result row (without its time), or the engine's coded error."""
    cid = c.id
    doc = figures(c, t, candidacies, rules)
    constituency = parse_constituency(doc)
    use = Lots({k: v for k, v in entered.items() if k.startswith(f"{cid}:")
                or k.startswith(f"district:{cid}:")}, seed)
    result = allocate_any(constituency, get_rules(rules), use)
    outcome = result_to_json(result, constituency, use)
    return {"constituency_id": cid, "status": result.status.value, "rules": rules,
            "engine_version": ENGINE, "minutes_digest": t.minutes_digest,
            "lots": dict(use.outcomes), "lot_seed": seed, "figures": doc, "outcome": outcome}


def latest_results(session: Session, only: Iterable[str] | None = None,
                   declared: bool = False) -> dict[str, Result]:
    """The most recent result of each constituency (the most recent *declared* one when
    ``declared``: a re-allocation under way does not hide the result in force)."""
    newest_q = select(Result.constituency_id, func.max(Result.id).label("id"))
    if declared:
        newest_q = newest_q.where(Result.declared_at.is_not(None))
    wanted = None if only is None else set(only)
    if wanted is not None and len(wanted) <= TARGETED:  # a council: read only its rows
        newest_q = newest_q.where(Result.constituency_id.in_(wanted))
    newest = newest_q.group_by(Result.constituency_id).subquery()
    q = select(Result).join(newest, newest.c.id == Result.id)
    out: dict[str, Result] = {}
    for r in session.execute(q).scalars():
        if wanted is None or r.constituency_id in wanted:
            out[r.constituency_id] = r
    return out


def declare(session: Session, actor: str, only: Iterable[str] | None = None,
            signing_key: bytes | None = None, reason: str | None = None) -> int:
    """The commission declares the results whose allocation is complete and whose minutes have
    not changed since (a correction accepted after the allocation requires allocating again),
    within the coordinator's scope (``services/duties.py``).  With the commission's
    ``signing_key`` (Ed25519, kept outside the database), a declaration also signs a checkpoint
    of the audit log (docs/transparency.md).  ``reason``: the commission's note, kept in each
    declaration's audit record.  Returns how many were declared."""
    role = require_role(session, actor, COMMISSION)
    chain = audit.Chain(session)
    wanted, _named = _in_scope(session, actor, only)
    latest = latest_results(session, wanted)
    current = constituency_totals(session) if len(latest) != 1 else constituency_totals(
        session, only=next(iter(latest)))
    at = audit.now()
    n = 0
    for cid, r in latest.items():
        t = current.get(cid)
        if (r.declared_at is not None or r.status != "declared" or t is None
                or t.minutes_digest != r.minutes_digest):
            continue
        r.declared_at, r.declared_by = at, actor
        if reason and reason.strip():  # its own record: the cache reads the declaration's
            chain.append(actor=actor, role=role, action="result.declare.reason",
                         entity=with_reason(cid, reason), at=at)
        chain.append(actor=actor, role=role, action="result.declare", entity=cid,
                     before=r.minutes_digest, after=audit.digest(r.outcome), at=at)
        n += 1
    chain.flush()
    if signing_key is not None and n:
        from intikhab.services.transparency import sign_checkpoint

        sign_checkpoint(session, signing_key, actor=actor, role=role, verify_chain=False)
    return n


def progress(session: Session) -> dict[str, Progress]:
    """Each constituency's status: awaiting minutes, complete, lot required, re-run required,
    allocated (not yet declared) or declared."""
    totals = constituency_totals(session)
    latest = latest_results(session)
    out: dict[str, Progress] = {}
    for (cid,) in session.execute(select(Constituency.id)):
        t = totals.get(cid)
        if t is None or t.accepted < t.stations or t.stations == 0:
            out[cid] = Progress.AWAITING
            continue
        r = latest.get(cid)
        if r is None or r.minutes_digest != t.minutes_digest:
            out[cid] = Progress.COMPLETE
        elif r.status == "lot_required":
            out[cid] = Progress.LOT_REQUIRED
        elif r.status == "rerun_required":
            out[cid] = Progress.RERUN_REQUIRED
        else:
            out[cid] = Progress.DECLARED if r.declared_at else Progress.ALLOCATED
    return out



def offices_of(session: Session, commune: str) -> list[str]:
    return list(session.scalars(select(CentralOffice.id).where(
        CentralOffice.commune_id == commune).order_by(CentralOffice.id)))

