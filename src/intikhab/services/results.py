"""From accepted minutes to declared results: aggregation, allocation, declaration, views.

Nothing above the polling station is typed: a central office's and a census commission's
totals are sums of the *accepted* minutes (art. 23–24, law 59.11 as amended), recomputed on
demand.  The commission's figures are written in the engine's own input format
(:mod:`intikhab.formats.allocation_json`), stored with the result, the rule set, the engine
version and any lot, so every result can be replayed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intikhab import __version__
from intikhab.formats.allocation_json import parse_constituency, result_to_json
from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.formats.declared import seat_count
from intikhab.formats.outcome import read_figures, read_outcome
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
    Party,
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


# --------------------------------------------------------------------------------------------
# Views


def _party_names(session: Session) -> dict[str, tuple[str, str]]:
    return {p.id: (p.name_ar, p.name_fr) for p in session.execute(select(Party)).scalars()}


def is_arrondissement(groups: Any) -> bool:
    """Whether a constituency's seat groups are an arrondissement's (art. 141 §1 item 2)."""
    return any(isinstance(g, dict) and g.get("council") == "arrondissement"
               for g in groups or ())


def council_result(session: Session, council: str, vote: str) -> CouncilResult:
    """Seats per party out of the council's total, votes, elected members — from declared
    results only.  ``council`` is a region, a commune or (communal vote) an arrondissement's
    constituency id: a divided commune's council counts only its members elected in its
    arrondissements (art. 128 of law 59.11 as amended), an arrondissement council its
    communal members and its own councillors (art. 128, art. 141 §1 item 2)."""
    if vote == "communal":
        own = session.get(Constituency, council)
        if own is not None and own.vote == vote and is_arrondissement(own.groups):
            rows = _seat_rows(session, None, vote, only=own.id)
            return _summarise(session, council, vote, rows, "arrondissement_council")
    return _summarise(session, council, vote, _seat_rows(session, council, vote),
                      council_kind(vote), commune_only=True)


def council_kind(vote: str) -> str:
    """The kind of a council of ``vote`` (its result counts the council's own members only:
    ``commune_only``, art. 128)."""
    return "commune_council" if vote == "communal" else "region_council"


def national_result(session: Session, vote: str) -> CouncilResult:
    """All councils of a vote, by party: the national aggregate the press reports — for the
    communal vote, the commune councils only (a divided commune's arrondissement councillors
    are in :func:`arrondissement_councils_result`)."""
    kind = "commune_councils" if vote == "communal" else "region_councils"
    return _summarise(session, "national", vote, _seat_rows(session, None, vote), kind,
                      commune_only=True)


def arrondissement_councils_result(session: Session) -> CouncilResult:
    """Every arrondissement council, by party: its communal members and its own councillors
    (the 2015 press counts "out of the 40 seats making up the arrondissement council")."""
    rows = [r for r in _seat_rows(session, None, "communal") if is_arrondissement(r.groups)]
    return _summarise(session, "national", "communal", rows, "arrondissement_councils")


def _seat_rows(session: Session, council: str | None, vote: str,
               only: str | None = None) -> list[Any]:
    q = (select(Constituency.id, Constituency.kind, Constituency.groups,
                Constituency.attached_women_seat).where(Constituency.vote == vote)
         .order_by(Constituency.id))
    if council is not None:
        q = q.where(Constituency.council == council)
    if only is not None:
        q = q.where(Constituency.id == only)
    return list(session.execute(q))


@dataclass(frozen=True, slots=True)
class _Share:
    """What one declared result adds to a summary, by list or candidate code."""

    registered: int
    voters: int
    votes: tuple[tuple[str, int], ...]
    seats: tuple[tuple[str, int], ...]
    elected: tuple[tuple[str, tuple[str, ...]], ...]
    commune_seats: tuple[tuple[str, int], ...]
    commune_elected: tuple[tuple[str, tuple[str, ...]], ...]


_SHARES: dict[tuple[Any, ...], _Share] = {}  # a result row never changes: decoded once
_SHARES_MAX = 200_000


def _share(figures: Mapping[str, Any], outcome: Mapping[str, Any]) -> _Share:
    f, o = read_figures(figures), read_outcome(outcome)
    return _Share(f.registered, f.voters, tuple((row.id, row.votes) for row in f.rows),
                  tuple(o.seats_by_code().items()),
                  tuple((code, tuple(names)) for code, names in o.elected_by_code().items()),
                  tuple(o.seats_by_code(True).items()),
                  tuple((code, tuple(names)) for code, names in o.elected_by_code(True).items()))


def _declared_shares(session: Session, ids: set[str]) -> dict[str, tuple[str, _Share]]:
    """(status, share) of each constituency's latest declared result.  The rows' JSON is
    decoded once per process (keyed by database, id, computation time and minutes digest):
    the national aggregate then reads only the newly declared results' JSON."""
    newest_q = (select(Result.constituency_id, func.max(Result.id).label("id"))
                .where(Result.declared_at.is_not(None)))
    if len(ids) <= TARGETED:
        newest_q = newest_q.where(Result.constituency_id.in_(ids))
    newest = newest_q.group_by(Result.constituency_id).subquery()
    heads = [row for row in session.execute(
        select(Result.id, Result.constituency_id, Result.status, Result.computed_at,
               Result.minutes_digest).join(newest, newest.c.id == Result.id))
        if row.constituency_id in ids]
    db = str(session.get_bind().engine.url)
    keys = {row.id: (db, row.id, str(row.computed_at), row.minutes_digest) for row in heads}
    got = {rid: _SHARES.get(key) for rid, key in keys.items()}
    missing = [rid for rid, share in got.items() if share is None]
    if len(_SHARES) + len(missing) > _SHARES_MAX:
        _SHARES.clear()
    for i in range(0, len(missing), 500):
        for rid, figs, outcome in session.execute(
                select(Result.id, Result.figures, Result.outcome)
                .where(Result.id.in_(missing[i:i + 500]))):
            got[rid] = _SHARES[keys[rid]] = _share(figs, outcome)
    return {row.constituency_id: (row.status, share) for row in heads
            if (share := got[row.id]) is not None}


def _summarise(session: Session, council: str, vote: str, cons: list[Any], kind: str,
               commune_only: bool = False) -> CouncilResult:
    ids = {c.id for c in cons}
    latest = _declared_shares(session, ids)
    rows_q = select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
    if len(ids) <= TARGETED:  # a council: its own candidacies, not the whole table
        rows_q = rows_q.where(Candidacy.constituency_id.in_(ids))
    else:  # the nation: this vote's candidacies only
        rows_q = rows_q.join(Constituency, Constituency.id == Candidacy.constituency_id).where(
            Constituency.vote == vote)
    party_of = {(cid, code): party or code
                for cid, code, party in session.execute(rows_q) if cid in ids}
    return summary_of(council, vote, cons, latest, party_of, _party_names(session), kind,
                      commune_only)


def summary_of(council: str, vote: str, cons: Sequence[Any],
               latest: Mapping[str, tuple[str, _Share]], party_of: Mapping[tuple[str, str], str],
               party_names: Mapping[str, tuple[str, str]], kind: str = "",
               commune_only: bool = False) -> CouncilResult:
    """The summary of ``cons`` (in the order their elected members are listed) from each one's
    (status, share) of its latest declared result, exact integers: what
    :func:`council_result` and :func:`national_result` return, without the database (the
    publication computes every council at once)."""
    seats: dict[str, int] = defaultdict(int)
    votes: dict[str, int] = defaultdict(int)
    elected: dict[str, list[str]] = defaultdict(list)
    total_seats = declared = registered = voters = 0
    for c in cons:
        total_seats += seat_count(c.kind, c.groups, c.attached_women_seat, commune_only)
        found = latest.get(c.id)
        if found is None or found[0] == "rerun_required":
            continue  # a court's annulment (services/disputes.py) leaves no seat to show
        share = found[1]
        declared += 1
        registered += share.registered
        voters += share.voters
        for code, n in share.votes:
            votes[party_of.get((c.id, code), code)] += n
        for code, n in share.commune_seats if commune_only else share.seats:
            seats[party_of.get((c.id, code), code)] += n
        for code, names in share.commune_elected if commune_only else share.elected:
            elected[party_of.get((c.id, code), code)] += names
    lines = sorted(
        (PartyLine(p, *party_names.get(p, (p, p)), seats.get(p, 0), votes.get(p, 0),
                   tuple(elected.get(p, ()))) for p in set(seats) | set(votes)),
        key=lambda line: (-line.seats, -line.votes, line.party))
    return CouncilResult(council, vote, total_seats, declared, len(cons), registered, voters,
                         tuple(lines), kind)


def offices_of(session: Session, commune: str) -> list[str]:
    return list(session.scalars(select(CentralOffice.id).where(
        CentralOffice.commune_id == commune).order_by(CentralOffice.id)))

