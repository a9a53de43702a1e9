"""Who sits on each council, as declared: the members the bureau laws (111.14, 112.14, 113.14)
and the indirect election (art. 102 of law 59.11) read.

- a region council: the members elected in its constituencies (art. 74);
- a commune council: the members elected in its districts, its list constituency, or, for a
  divided commune, its members elected in every arrondissement (art. 128; the arrondissement
  councillors sit in the arrondissement councils only, art. 141 §1 item 2);
- a prefecture or province council: the members its college elected (:mod:`services.indirect`).

A council is *declared* when every constituency of it has a declared result that seats members
(an annulled one waits for its re-run).  Members are identified by where they were elected:
``constituency:list:rank`` (a list's candidate, rank as on the list, general part first),
``district:code`` (a district's winner) and ``district:code:w`` (the woman on its attached seat).
A birth date or sex the bundle does not give is read as 1970-01-01 / M (the attached woman: F):
the bureau's ties go to the youngest, so the demo's bundles give every birth date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law.allocation import Sex
from intikhab.law.bureau import CouncilKind, Member
from intikhab.law.councils import Mode
from intikhab.services import results
from intikhab.store.models import Candidacy, Commune, Constituency, IndirectResult, Result

__all__ = ["Roster", "person_at", "rosters"]

_UNKNOWN_BIRTH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Roster:
    """A council as it sits: its kind, how its members were elected, the members (in seat
    order) and whether all its results are declared."""

    id: str
    kind: CouncilKind
    mode: Mode
    members: tuple[Member, ...]
    declared: bool
    name: str = ""


def person_at(candidates: Mapping[str, Any], rank: int) -> Mapping[str, Any] | None:
    """The candidate at ``rank`` on a list (the general part, then the women's part)."""
    people = [*(candidates.get("general") or ()), *(candidates.get("women") or ())]
    return people[rank - 1] if 0 < rank <= len(people) and people[rank - 1] else None


def _member(mid: str, name: str, who: Mapping[str, Any] | None, party: str | None,
            lst: str | None, head: bool, sex: str = "M") -> Member:
    who = who or {}
    born = who.get("birth_date")
    try:
        birth = date.fromisoformat(born) if isinstance(born, str) else _UNKNOWN_BIRTH
    except ValueError:
        birth = _UNKNOWN_BIRTH
    return Member(mid, name, birth, Sex(who.get("sex") or sex), party, lst, head)


def _list_members(cid: str, outcome: Mapping[str, Any], cands: Mapping[str, Any],
                  commune_only: bool) -> list[Member]:
    out: list[Member] = []
    for g in outcome.get("groups") or ():
        if commune_only and g.get("council") == "arrondissement":
            continue
        for line in g["lists"]:
            code = str(line["id"])
            cand = cands.get(code)
            people = cand.candidates if cand is not None else {}
            party = cand.party_id if cand is not None else None
            for i, name in enumerate(line["elected"]):
                ranks = line.get("elected_ranks") or []
                rank = ranks[i] if i < len(ranks) else None
                who = person_at(people, rank) if rank else None
                mid = f"{cid}:{code}:{rank if rank else name}"
                out.append(_member(mid, name, who, party, f"{cid}:{code}", rank == 1))
    return out


def _district_members(cid: str, outcome: Mapping[str, Any],
                      cands: Mapping[str, Any]) -> list[Member]:
    winner = outcome.get("winner")
    if not winner:
        return []
    cand = cands.get(str(winner))
    people = cand.candidates if cand is not None else {}
    party = cand.party_id if cand is not None else None
    elected = list(outcome.get("elected") or ())
    out = [_member(f"{cid}:{winner}", elected[0], people.get("candidate"), party, None, False)]
    if len(elected) > 1:
        out.append(_member(f"{cid}:{winner}:w", elected[1], people.get("attached_woman"),
                           party, None, False, "F"))
    return out


def _prefecture_members(r: IndirectResult) -> list[Member]:
    lists = {str(x["id"]): x for x in r.figures.get("lists", ())}
    out: list[Member] = []
    for g in r.outcome.get("groups") or ():
        for line in g["lists"]:
            lst = lists.get(str(line["id"]), {})
            people = lst.get("candidates") or []
            for i, name in enumerate(line["elected"]):
                ranks = line.get("elected_ranks") or []
                rank = ranks[i] if i < len(ranks) else None
                who = people[rank - 1] if rank and rank <= len(people) else {}
                out.append(_member(str(who.get("id") or f"{r.prefecture_id}:{name}"), name, who,
                                   lst.get("party"), f"{r.prefecture_id}:{line['id']}",
                                   rank == 1))
    winner = r.outcome.get("winner")
    if winner:  # a single seat, by plurality (art. 102)
        lst = lists.get(str(winner), {})
        who = (lst.get("candidates") or [{}])[0]
        out.append(_member(str(who.get("id") or winner), str(who.get("name") or winner), who,
                           lst.get("party"), None, False))
    return out


def rosters(session: Session, only: Iterable[str] | None = None) -> dict[str, Roster]:
    """Every council's roster (or those in ``only``: region, commune or prefecture ids)."""
    wanted = None if only is None else set(only)
    cons = [c for c in session.scalars(select(Constituency))
            if wanted is None or c.council in wanted]
    ids = {c.id for c in cons}
    declared = _declared_outcomes(session, ids)
    cands: dict[str, dict[str, Any]] = defaultdict(dict)
    q = select(Candidacy)
    if wanted is not None and len(ids) <= results.TARGETED:
        q = q.where(Candidacy.constituency_id.in_(ids))
    for cand in session.scalars(q):
        if cand.constituency_id in ids:
            cands[cand.constituency_id][cand.code] = cand
    names = {c.id: c.name for c in session.scalars(select(Commune))}
    by_council: dict[str, list[Constituency]] = defaultdict(list)
    for c in sorted(cons, key=lambda c: c.id):
        by_council[c.council].append(c)
    out: dict[str, Roster] = {}
    for council, own in by_council.items():
        members: list[Member] = []
        complete = True
        for c in own:
            status, outcome = declared.get(c.id, ("", {}))
            if status != "declared":
                complete = False
                continue
            members += (_district_members(c.id, outcome, cands[c.id])
                        if c.kind == "single_member"
                        else _list_members(c.id, outcome, cands[c.id], c.vote == "communal"))
        vote = own[0].vote
        kind = CouncilKind.COMMUNE if vote == "communal" else CouncilKind.REGION
        mode = Mode.SINGLE_MEMBER if own[0].kind == "single_member" else Mode.LIST
        out[council] = Roster(council, kind, mode, tuple(members), complete and bool(members),
                              names.get(council, council))
    out |= _prefecture_rosters(session, wanted)
    return out


def _declared_outcomes(session: Session, ids: set[str]) -> dict[str, tuple[str, Any]]:
    """(status, outcome) of each constituency's latest declared result — the outcome only:
    the figures are not read."""
    newest = (select(Result.constituency_id, func.max(Result.id).label("id"))
              .where(Result.declared_at.is_not(None)))
    if len(ids) <= results.TARGETED:
        newest = newest.where(Result.constituency_id.in_(ids))
    sub = newest.group_by(Result.constituency_id).subquery()
    return {cid: (status, outcome) for cid, status, outcome in session.execute(
        select(Result.constituency_id, Result.status, Result.outcome)
        .join(sub, sub.c.id == Result.id)) if cid in ids}


def _prefecture_rosters(session: Session, wanted: set[str] | None) -> dict[str, Roster]:
    from intikhab.services.indirect import latest_indirect  # avoid a cycle at import

    out: dict[str, Roster] = {}
    for pid, r in latest_indirect(session, declared=True).items():
        if wanted is not None and pid not in wanted:
            continue
        members = tuple(_prefecture_members(r))
        mode = Mode.SINGLE_MEMBER if r.outcome.get("winner") else Mode.LIST
        out[pid] = Roster(pid, CouncilKind.PREFECTURE, Mode.LIST if members else mode,
                          members, r.status == "declared" and bool(members), pid)
    return out
