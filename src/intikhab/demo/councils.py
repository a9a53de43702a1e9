"""After election night: the councils form.  Every prefecture and province council is elected
by its college of communal councillors (art. 102 of law 59.11 as amended), then every region,
prefecture/province and commune council elects its bureau (laws 111.14, 112.14, 113.14) —
with synthetic, plausible votes: a coalition forms around the largest party, adding the next
largest until it holds a majority of the members in office; it votes for its candidates, the
opposition for the largest party outside it.  Seeded, deterministic.

Arrondissement councils elect no bureau here (the seeds give no rule: docs/bureaus.md).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.law.allocation import Sex
from intikhab.law.bureau import Member, Standing, VPList, vice_president_count
from intikhab.law.bureau_rounds import Round
from intikhab.law.councils import Mode
from intikhab.services import bureaus, indirect
from intikhab.services.indirect import College
from intikhab.services.rosters import Roster, rosters
from intikhab.store.models import Election

ACTOR = "coord"


@dataclass
class CouncilsReport:
    prefecture_councils: int = 0
    bureaus_formed: int = 0
    bureaus_pending: int = 0
    councils: int = 0


def _parties(members: Sequence[Member]) -> list[tuple[str, list[Member]]]:
    """Members by party (an independent by its list), largest first."""
    groups: dict[str, list[Member]] = {}
    for m in members:
        groups.setdefault(m.party or m.list or m.id, []).append(m)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def prefecture_ballot(college: College, seed: str) -> dict[str, Any]:
    """The college's synthetic vote: the eight largest parties present a list each (a third
    of its candidates women, rounded up), every councillor present votes for his party's list
    or, without one, for the largest party's; a few are absent, a few ballots void."""
    rng = random.Random(f"{seed}:{college.prefecture}")
    parties = _parties(college.members)[:8]
    seats = college.seats
    lists: list[dict[str, Any]] = []
    for party, people in parties:
        women = [m for m in people if m.sex is Sex.F]
        men = [m for m in people if m.sex is not Sex.F]
        n = min(seats, len(people), 3 * len(women))
        need = -(-n // 3)
        w, h = women[:need], men[:n - need]
        w += women[need:need + n - need - len(h)]  # too few men: more women
        chosen: list[Member] = []
        while w or h:  # a man at the head, then one woman in every three (elected ones too)
            take = w if (len(chosen) % 3 == 1 and w) or not h else h
            chosen.append(take.pop(0))
        if not chosen:
            continue
        lists.append({"id": party, "name": party, "party": party, "votes": 0,
                      "candidates": [{"id": m.id, "name": m.name,
                                      "birth_date": m.birth_date.isoformat(),
                                      "sex": m.sex.value} for m in chosen]})
    index = {x["id"]: x for x in lists}
    present = [m for m in college.members if rng.random() > 0.02]
    void = 0
    for m in present:
        if rng.random() < 0.01 or not lists:
            void += 1
            continue
        index.get(m.party or "", lists[0])["votes"] += 1
    return {"voters": len(present), "void": void, "lists": lists}


def _head(people: Sequence[Member], mode: Mode) -> Member | None:
    if mode is Mode.SINGLE_MEMBER:
        return people[0] if people else None
    return next((m for m in people if m.list_head), None)


def bureau_session(roster: Roster, held_on: date, seed: str) -> bureaus.SessionInput:
    """A council's synthetic bureau session (module doc)."""
    rng = random.Random(f"{seed}:{roster.id}")
    members = [m for m in roster.members if m.in_office]
    parties = _parties(members)
    coalition: list[Member] = []
    opposition: list[Member] = []
    head = rival = None
    for _party, people in parties:  # the largest parties until a majority, and a head
        if head is None or 2 * len(coalition) <= len(members):
            head = head or _head(people, roster.mode)
            coalition += people
        else:
            rival = rival or _head(people, roster.mode)
            opposition += people
    absent = min(rng.randint(0, max(len(members) // 20, 0)), len(opposition))
    present = len(members) - absent
    votes_for = len(coalition)
    against = len(opposition) - absent
    if head is None:
        return bureaus.SessionInput(roster.id, held_on, present, bureaus.OfficeVote())
    pres_votes = {head.id: votes_for, **({rival.id: against} if rival else {})}
    president = bureaus.OfficeVote(
        (Standing(head.id, True), *((Standing(rival.id, True),) if rival else ())),
        rounds=(Round(present, pres_votes),))
    vps = vice_president_count(roster.kind, len(roster.members))
    pool = [m for m in coalition if m.id != head.id] + [
        m for m in opposition if m.id != head.id]
    need = -(-vps // 3)
    women = [m for m in pool if m.sex is Sex.F][:need]
    rest = [m for m in pool if m not in women][:vps - len(women)]
    team = tuple(m.id for m in sorted(women + rest, key=pool.index))
    admissible = len(team) == vps and len(women) >= need  # else no vote: the bureau waits
    vp = bureaus.OfficeVote(lists=(VPList("L1", head.id, team),),
                            rounds=(Round(present, {"L1": votes_for}),) if admissible else ())
    others = [m.id for m in pool if m.id not in team]  # outside the bureau (art. 23/24/25)
    sec, dep = (bureaus.OfficeVote((Standing(who),), rounds=(Round(present, {who: votes_for}),))
                if who else bureaus.OfficeVote()
                for who in [*others, "", ""][:2])
    return bureaus.SessionInput(roster.id, held_on, present, president, vp, sec, dep,
                                seed=f"{seed}:{roster.id}")


def form_councils(Sessions: sessionmaker[Session], seed: str = "intikhab-demo"
                  ) -> CouncilsReport:
    """Elect every prefecture/province council, then every council's bureau; returns the
    counts (what the night's report says)."""
    report = CouncilsReport()
    with Sessions.begin() as s:
        polling = s.execute(select(Election.polling_date)).scalar_one()
        seated = rosters(s)  # read once: the colleges and the bureaus both use it
        known = indirect.colleges(s, seated=seated)
        ballots = {pid: prefecture_ballot(c, seed)
                   for pid, c in known.items() if c.members and not c.missing}
        if ballots:
            indirect.elect(s, ACTOR, ballots, seed=seed, known=known)
            report.prefecture_councils = indirect.declare(s, ACTOR)
    with Sessions.begin() as s:
        seated = {k: r for k, r in seated.items() if r.kind.value != "prefecture"}
        seated |= rosters(s, [p for p in ballots])
        ready = {cid: r for cid, r in seated.items() if r.declared}
        report.councils = len(seated)
        inputs = [bureau_session(r, polling + timedelta(days=14 if r.kind.value == "prefecture"
                                                        else 7), seed)
                  for r in ready.values()]
        bureaus.record(s, ACTOR, inputs, ready)
        formed = Counter(b.status for b in bureaus.bureaus(s).values())
    report.bureaus_formed = formed.get("formed", 0)
    report.bureaus_pending = formed.get("pending", 0)
    return report
