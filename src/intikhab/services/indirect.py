"""The indirect election of the prefecture and province councils (art. 102–103 of law 59.11 as
amended): the electoral college of each prefecture or province is its communal councillors as
declared (:func:`colleges`); the lists the college votes on and their votes are recorded with
the seats :func:`intikhab.law.indirect.elect_prefecture_council` gives (:func:`elect`), then
declared (:func:`declare`) — audited like the direct elections (``services/results``).

Decision: the results are kept in their own table, ``indirect_result`` (the college is not a
constituency of the ``result`` table, and the national communal and regional aggregates must not
count these seats); their figures are the election's input (lists with their candidates, who
are communal councillors identified as in :mod:`intikhab.services.rosters`) and the outcome is
the allocation engine's JSON, so a result replays like any other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intikhab.formats.allocation_json import result_to_json
from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.law.allocation import Candidate, Lots, Sex
from intikhab.law.bureau import Member
from intikhab.law.councils import prefecture_council_size
from intikhab.law.errors import IntikhabError
from intikhab.law.indirect import (
    PREFECTURAL_RULES,
    IndirectElection,
    PrefectureList,
    elect_prefecture_council,
)
from intikhab.services.results import COMMISSION, ENGINE
from intikhab.services.roles import require_role
from intikhab.services.rosters import Roster, rosters
from intikhab.store import audit
from intikhab.store.models import Commune, IndirectResult, Party, Prefecture

__all__ = ["College", "colleges", "declare", "elect", "latest_indirect",
           "national_prefecture_result", "prefecture_result"]


@dataclass(frozen=True, slots=True)
class College:
    """A prefecture's or province's electoral college (art. 102): the members of its communal
    councils as declared, its population (art. 103), the council's size with the half cap, and
    the communes whose results are not yet declared."""

    prefecture: str
    population: int
    members: tuple[Member, ...]
    missing: tuple[str, ...]

    @property
    def seats(self) -> int:
        return prefecture_council_size(self.population, max(len(self.members), 2))


def colleges(session: Session, only: Iterable[str] | None = None,
             seated: Mapping[str, Roster] | None = None) -> dict[str, College]:
    """Each prefecture's or province's college (or those in ``only``); ``seated``: the
    communes' rosters when the caller has read them already."""
    wanted = None if only is None else set(only)
    communes = [c for c in session.scalars(select(Commune).order_by(Commune.id))
                if c.prefecture_id and (wanted is None or c.prefecture_id in wanted)]
    if seated is None:
        seated = rosters(session, [c.id for c in communes] if wanted is not None else None)
    members: dict[str, list[Member]] = defaultdict(list)
    missing: dict[str, list[str]] = defaultdict(list)
    population: dict[str, int] = defaultdict(int)
    for c in communes:
        pid = str(c.prefecture_id)
        population[pid] += c.population
        r = seated.get(c.id)
        if r is None or not r.declared:
            missing[pid].append(c.id)
        else:
            members[pid] += r.members
    return {pid: College(pid, population[pid], tuple(members[pid]), tuple(missing[pid]))
            for pid in sorted(population)}


def _election(pid: str, college: College, voters: int, void: int,
              lists: Sequence[Mapping[str, Any]]) -> IndirectElection:
    def person(p: Mapping[str, Any]) -> Candidate:
        from datetime import date
        born = p.get("birth_date")
        return Candidate(str(p["name"]), date.fromisoformat(born) if born else None,
                         Sex(p["sex"]) if p.get("sex") else None)
    return IndirectElection(
        college.population, len(college.members), voters, void,
        tuple(PrefectureList(str(x["id"]), int(x["votes"]),
                             tuple(person(p) for p in x["candidates"]), str(x.get("name") or ""))
              for x in lists), pid)


def elect(session: Session, actor: str, ballots: Mapping[str, Mapping[str, Any]],
          lots: Mapping[str, str] | None = None, seed: str | None = None,
          known: Mapping[str, College] | None = None) -> list[IndirectResult]:
    """Record the college's vote of each prefecture in ``ballots`` (prefecture id →
    ``{"voters", "void", "lists": [{"id", "name", "party", "votes", "candidates": [{"id",
    "name", "birth_date", "sex"}]}]}``) and the seats the law gives it (art. 102–103).  Refused
    while a commune of the prefecture has no declared result (``E-COUNCIL-006``)."""
    role = require_role(session, actor, COMMISSION)
    chain = audit.Chain(session)
    known = known if known is not None else colleges(session, ballots)
    at = audit.now()
    rows: list[dict[str, Any]] = []
    for pid, ballot in ballots.items():
        college = known.get(pid)
        if college is None:
            raise IntikhabError("E-COUNCIL-003", field="prefecture", value=pid)
        if college.missing:
            raise IntikhabError("E-COUNCIL-006", field="prefecture", value=pid,
                                missing=len(college.missing))
        e = _election(pid, college, int(ballot["voters"]), int(ballot["void"]), ballot["lists"])
        use = Lots({k: v for k, v in (lots or {}).items() if k.startswith(f"{pid}:")}, seed)
        result = elect_prefecture_council(e, use)
        outcome = result_to_json(result.allocation, None, use)
        figures = {"id": pid, "college": e.college, "population": e.population,
                   "voters": e.voters, "void": e.void, "lists": list(ballot["lists"])}
        rows.append({"prefecture_id": pid, "status": result.status.value,
                     "seats": result.seats, "college": e.college,
                     "rules": PREFECTURAL_RULES.name, "engine_version": ENGINE,
                     "figures": figures, "outcome": outcome, "lots": dict(use.outcomes),
                     "lot_seed": seed, "computed_at": at})
        chain.append(actor=actor, role=role, action=f"indirect.{result.status.value}",
                     entity=pid, before=audit.digest(figures), after=audit.digest(outcome),
                     at=at)
    if rows:
        session.execute(insert(IndirectResult), rows)
    chain.flush()
    return list(latest_indirect(session, [r["prefecture_id"] for r in rows]).values())


def latest_indirect(session: Session, only: Iterable[str] | None = None,
                    declared: bool = False) -> dict[str, IndirectResult]:
    """Each prefecture's most recent result (its most recent declared one when
    ``declared``)."""
    newest = select(IndirectResult.prefecture_id, func.max(IndirectResult.id).label("id"))
    if declared:
        newest = newest.where(IndirectResult.declared_at.is_not(None))
    sub = newest.group_by(IndirectResult.prefecture_id).subquery()
    wanted = None if only is None else set(only)
    return {r.prefecture_id: r for r in session.scalars(
        select(IndirectResult).join(sub, sub.c.id == IndirectResult.id))
        if wanted is None or r.prefecture_id in wanted}


def declare(session: Session, actor: str, only: Iterable[str] | None = None) -> int:
    """Declare every prefecture council whose latest allocation is complete (art. 102; the
    commission's declaration as for the direct elections).  Returns how many."""
    role = require_role(session, actor, COMMISSION)
    chain = audit.Chain(session)
    at = audit.now()
    n = 0
    for pid, r in latest_indirect(session, only).items():
        if r.declared_at is not None or r.status != "declared":
            continue
        r.declared_at, r.declared_by = at, actor
        chain.append(actor=actor, role=role, action="indirect.declare", entity=pid,
                     before=audit.digest(r.figures), after=audit.digest(r.outcome), at=at)
        n += 1
    chain.flush()
    return n


def _summary(session: Session, council: str, found: Sequence[IndirectResult], total: int,
             kind: str) -> CouncilResult:
    names = {p.id: (p.name_ar, p.name_fr) for p in session.scalars(select(Party))}
    seats: dict[str, int] = defaultdict(int)
    votes: dict[str, int] = defaultdict(int)
    elected: dict[str, list[str]] = defaultdict(list)
    college = voters = 0
    for r in found:
        party = {str(x["id"]): str(x.get("party") or x["id"]) for x in r.figures["lists"]}
        college += r.college
        voters += int(r.figures["voters"])
        for x in r.figures["lists"]:
            votes[party[str(x["id"])]] += int(x["votes"])
        for code, n in (r.outcome.get("totals") or {}).items():
            seats[party[code]] += int(n)
        for g in r.outcome.get("groups") or ():
            for line in g["lists"]:
                elected[party[str(line["id"])]] += line["elected"]
        if r.outcome.get("winner"):
            seats[party[str(r.outcome["winner"])]] += 1
            elected[party[str(r.outcome["winner"])]] += r.outcome.get("elected") or []
    lines = sorted((PartyLine(p, *names.get(p, (p, p)), seats.get(p, 0), votes.get(p, 0),
                              tuple(elected.get(p, ()))) for p in set(seats) | set(votes)),
                   key=lambda ln: (-ln.seats, -ln.votes, ln.party))
    return CouncilResult(council, "prefectural", sum(r.seats for r in found), len(found), total,
                         college, voters, tuple(lines), kind)


def prefecture_result(session: Session, prefecture: str) -> CouncilResult:
    """A prefecture or province council's declared result: seats per party out of its size,
    the college's votes (``registered`` is the college, ``voters`` those who voted)."""
    found = latest_indirect(session, [prefecture], declared=True)
    return _summary(session, prefecture, list(found.values()), 1, "prefecture_council")


def national_prefecture_result(session: Session) -> CouncilResult:
    """Every prefecture and province council, by party (declared only)."""
    found = latest_indirect(session, declared=True)
    total = session.scalar(select(func.count()).select_from(Prefecture)) or 0
    return _summary(session, "national", list(found.values()), total, "prefecture_councils")
