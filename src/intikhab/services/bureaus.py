"""Council bureau sessions (جلسات انتخاب المكاتب), recorded through the pure law: the president
(art. 15 of law 111.14, art. 13 of law 113.14, law 112.14), the vice-presidents by list (art. 21
of law 111.14, art. 20 of law 112.14, art. 19 of law 113.14), the secretary and his deputy
(art. 25 / 24 / 23), with the audit log in the same transaction (as ``services/results``
declares), by a coordinator or an administrator, and only for a council whose results are
declared (``E-COUNCIL-004``).

A session is stored with the members as the law read them, each office's candidacies (or lists)
and rounds' votes, each office's outcome (the ``intikhab bureau elect`` answer), the lots and
their seed; ``status`` is ``formed`` when all four offices are filled, else ``pending`` (a lot
to draw, a round to hold).  :func:`bureau_of` reads who governs a council.

Arrondissement councils are not given a bureau here: the seeds give no rule for electing
their president (docs/bureaus.md).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intikhab.formats.bureau_json import outcome_to_json
from intikhab.law.allocation import Lots
from intikhab.law.bureau import (
    BureauCouncil,
    OfficeOutcome,
    Standing,
    VPList,
    elect_president,
    elect_secretary,
    elect_vice_presidents,
    elected_vice_presidents,
)
from intikhab.law.bureau_rounds import Round
from intikhab.law.errors import IntikhabError
from intikhab.services.results import COMMISSION
from intikhab.services.roles import require_role
from intikhab.services.rosters import Roster, rosters
from intikhab.store import audit
from intikhab.store.models import BureauSession

#: The audit actions of a bureau session (``status``: all four offices filled, or not yet).
ACTIONS: Final = ("bureau.formed", "bureau.pending")

__all__ = ["ACTIONS", "Bureau", "OfficeVote", "Seat", "SessionInput", "bureau_of", "bureaus",
           "record",
           "run_session", "sat"]


@dataclass(frozen=True, slots=True)
class OfficeVote:
    """One office's candidacies (president, secretaries) or lists (vice-presidents) and the
    votes of its rounds."""

    candidates: tuple[Standing, ...] = ()
    lists: tuple[VPList, ...] = ()
    rounds: tuple[Round, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionInput:
    """What a bureau session decided: the council, its date, the members present, and each
    office's vote; ``lots`` drawn at the session or a public ``seed``."""

    council: str
    held_on: date
    present: int
    president: OfficeVote
    vice_presidents: OfficeVote = OfficeVote()
    secretary: OfficeVote = OfficeVote()
    deputy_secretary: OfficeVote = OfficeVote()
    committees: tuple[Mapping[str, Any], ...] = ()
    lots: Mapping[str, str] = field(default_factory=dict)
    seed: str | None = None


@dataclass(frozen=True, slots=True)
class Seat:
    """A member holding an office."""

    id: str
    name: str
    party: str | None


@dataclass(frozen=True, slots=True)
class Bureau:
    """Who governs a council, as its latest bureau session recorded."""

    council: str
    kind: str
    held_on: date
    status: str
    president: Seat | None
    vice_presidents: tuple[Seat, ...]
    secretary: Seat | None
    deputy_secretary: Seat | None


def _round_json(r: Round) -> dict[str, Any]:
    return {"present": r.present, "votes": dict(r.votes)}


def run_session(roster: Roster, s: SessionInput) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The law's decision for every office of a session, in order (the vice-presidents after
    the president is elected, the secretaries outside the bureau): ``(status, offices,
    outcome)`` as stored."""
    council = BureauCouncil(roster.kind, roster.mode, roster.members)
    lots = Lots(dict(s.lots), s.seed)
    offices: dict[str, Any] = {}

    def keep(name: str, vote: OfficeVote, o: OfficeOutcome) -> OfficeOutcome:
        offices[name] = {"candidates": [{"member": c.member, "endorsed": c.endorsed}
                                        for c in vote.candidates],
                         "lists": [{"id": x.id, "head": x.head, "members": list(x.members)}
                                   for x in vote.lists],
                         "rounds": [_round_json(r) for r in vote.rounds],
                         "outcome": outcome_to_json(o)}
        return o

    president = keep("president", s.president,
                     elect_president(council, s.president.candidates, s.president.rounds, lots))
    vps: tuple[str, ...] = ()
    secretary = deputy = None
    if president.elected is not None:
        o = keep("vice_presidents", s.vice_presidents, elect_vice_presidents(
            council, s.vice_presidents.lists, president.elected, s.vice_presidents.rounds, lots))
        vps = elected_vice_presidents(s.vice_presidents.lists, o)
        bureau: set[str] = {president.elected, *vps}
        secretary = keep("secretary", s.secretary, elect_secretary(
            council, s.secretary.candidates, s.secretary.rounds, lots, bureau=bureau)).elected
        if secretary is not None:
            deputy = keep("deputy_secretary", s.deputy_secretary, elect_secretary(
                council, s.deputy_secretary.candidates, s.deputy_secretary.rounds, lots,
                bureau=bureau | {secretary}, deputy=True)).elected
    formed = bool(president.elected and vps and secretary and deputy)
    outcome = {"president": president.elected, "vice_presidents": list(vps),
               "secretary": secretary, "deputy_secretary": deputy}
    return ("formed" if formed else "pending"), offices, outcome


def record(session: Session, actor: str, sessions: Sequence[SessionInput],
           known: Mapping[str, Roster] | None = None) -> int:
    """Record bureau sessions (one or a whole country's): each council must exist and have
    its results declared; every session is appended to the audit log in the caller's
    transaction.  Returns how many were recorded."""
    role = require_role(session, actor, COMMISSION)
    if known is None:
        known = rosters(session, [s.council for s in sessions])
    chain = audit.Chain(session)
    at = audit.now()
    rows: list[dict[str, Any]] = []
    for s in sessions:
        roster = known.get(s.council)
        if roster is None:
            raise IntikhabError("E-COUNCIL-003", field="council", value=s.council)
        if not roster.declared:
            raise IntikhabError("E-COUNCIL-004", field="council", value=s.council)
        status, offices, outcome = run_session(roster, s)
        rows.append({
            "council_id": s.council, "council_kind": roster.kind.value,
            "mode": roster.mode.value, "held_on": s.held_on, "members": len(roster.members),
            "in_office": sum(1 for m in roster.members if m.in_office), "present": s.present,
            "status": status,
            "roster": [{"id": m.id, "name": m.name, "birth_date": m.birth_date.isoformat(),
                        "sex": m.sex.value, "party": m.party, "list": m.list,
                        "list_head": m.list_head, "in_office": m.in_office}
                       for m in roster.members],
            "offices": offices, "outcome": outcome, "committees": list(s.committees),
            "lots": dict(s.lots), "lot_seed": s.seed, "recorded_at": at,
            "recorded_by": actor})
        chain.append(actor=actor, role=role, action=f"bureau.{status}", entity=s.council,
                     before=audit.digest(rows[-1]["roster"]), after=audit.digest(outcome), at=at)
    if rows:
        session.execute(insert(BureauSession), rows)
    chain.flush()
    return len(rows)


def _bureau(r: BureauSession) -> Bureau:
    people = {m["id"]: m for m in r.roster}

    def seat(mid: str | None) -> Seat | None:
        if mid is None:
            return None
        m = people.get(mid, {})
        return Seat(mid, str(m.get("name") or mid), m.get("party"))

    o = r.outcome
    vps = tuple(s for s in (seat(v) for v in o.get("vice_presidents") or ()) if s is not None)
    return Bureau(r.council_id, r.council_kind, r.held_on, r.status, seat(o.get("president")),
                  vps, seat(o.get("secretary")), seat(o.get("deputy_secretary")))


def bureaus(session: Session, only: Collection[str] | None = None) -> dict[str, Bureau]:
    """Each council's latest recorded bureau (or those in ``only``)."""
    newest = select(BureauSession.council_id, func.max(BureauSession.id).label("id"))
    if only is not None:
        newest = newest.where(BureauSession.council_id.in_(list(only)))
    sub = newest.group_by(BureauSession.council_id).subquery()
    return {r.council_id: _bureau(r) for r in session.scalars(
        select(BureauSession).join(sub, sub.c.id == BureauSession.id))}


def sat(session: Session) -> list[str]:
    """The councils that held a bureau session, by id."""
    return sorted(session.scalars(select(BureauSession.council_id).distinct()))


def bureau_of(session: Session, council_id: str) -> Bureau | None:
    """Who governs ``council_id`` (a region, prefecture/province or commune id): its president
    and party, vice-presidents, secretary and deputy; ``None`` before any session."""
    return bureaus(session, [council_id]).get(council_id)
