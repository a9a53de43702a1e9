"""The public results portal's read queries: national seats by party, councils searchable by
region, province and commune, each council's seats, votes, elected members and turnout.

Only *declared* results are public (art. 24, law 59.11 as amended: the census commission
declares the results; a re-allocation under way never hides the result in force).  Figures are
integers from the stored results; turnout is a display figure, rounded half up to hundredths of
a percent with integer arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, percent
from intikhab.formats.declared import seat_count
from intikhab.formats.outcome import StoredFigures, StoredOutcome, read_figures, read_outcome
from intikhab.services import results
from intikhab.store.models import Candidacy, Commune, Constituency, Party, Prefecture, Region

VOTES = ("communal", "regional")


@dataclass(frozen=True, slots=True)
class Place:
    """A council in the search: a commune (communal council) or a region (regional one)."""

    id: str
    vote: str
    name: str
    region_id: str
    region: str
    province_id: str | None
    province: str | None


@dataclass(frozen=True, slots=True)
class Territory:
    regions: tuple[tuple[str, str], ...]
    provinces: tuple[tuple[str, str, str], ...]  # id, region id, name


def territory(session: Session) -> Territory:
    """Regions and provinces (prefectures) for the search form, by name."""
    regions = tuple((r.id, r.name) for r in session.scalars(select(Region).order_by(Region.name)))
    provinces = tuple((p.id, p.region_id, p.name)
                      for p in session.scalars(select(Prefecture).order_by(Prefecture.name)))
    return Territory(regions, provinces)


def places(session: Session, q: str = "", region: str | None = None,
           province: str | None = None, limit: int = 200) -> list[Place]:
    """Councils whose name or id contains ``q`` (case-insensitive), within ``region`` and
    ``province`` when given: the regional councils first, then the communes, by name."""
    regions = {r.id: r.name for r in session.scalars(select(Region))}
    provinces = {p.id: p.name for p in session.scalars(select(Prefecture))}
    needle = q.strip().casefold()
    out: list[Place] = []
    if province is None:
        for rid, name in sorted(regions.items(), key=lambda kv: kv[1]):
            if region in (None, rid) and (needle in name.casefold() or needle in rid.casefold()):
                out.append(Place(rid, "regional", name, rid, name, None, None))
    query = select(Commune).order_by(Commune.name)
    if region is not None:
        query = query.where(Commune.region_id == region)
    if province is not None:
        query = query.where(Commune.prefecture_id == province)
    for c in session.scalars(query):
        if needle and needle not in c.name.casefold() and needle not in c.id.casefold():
            continue
        out.append(Place(c.id, "communal", c.name, c.region_id, regions.get(c.region_id, ""),
                         c.prefecture_id, provinces.get(c.prefecture_id or "")))
        if len(out) >= limit:
            break
    return out


def place(session: Session, council: str) -> Place | None:
    """The council ``council``: a commune id (communal) or a region id (regional)."""
    commune = session.get(Commune, council)
    if commune is not None:
        region = session.get(Region, commune.region_id)
        prov = session.get(Prefecture, commune.prefecture_id) if commune.prefecture_id else None
        return Place(commune.id, "communal", commune.name, commune.region_id,
                     region.name if region else "", commune.prefecture_id,
                     prov.name if prov else None)
    r = session.get(Region, council)
    return None if r is None else Place(r.id, "regional", r.name, r.id, r.name, None, None)


def party_names(session: Session) -> dict[str, tuple[str, str]]:
    """Party id → (Arabic name, French name)."""
    return {p.id: (p.name_ar, p.name_fr) for p in session.scalars(select(Party))}


@dataclass(frozen=True, slots=True)
class ListLine:
    """One list (or district candidate) of a constituency: votes, seats, elected members."""

    code: str
    name: str
    party: str | None
    votes: int
    seats: int
    elected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConstituencyView:
    """A constituency of a council with its declared result (``declared`` False: awaiting)."""

    id: str
    name: str
    kind: str
    seats: int
    declared: bool
    registered: int
    voters: int
    void: int
    lines: tuple[ListLine, ...]

    @property
    def turnout(self) -> str:
        return percent(self.voters, self.registered)


@dataclass(frozen=True, slots=True)
class CouncilView:
    place: Place
    summary: CouncilResult
    constituencies: tuple[ConstituencyView, ...]

    @property
    def turnout(self) -> str:
        return percent(self.summary.voters, self.summary.registered)


def _seats_of(c: Constituency) -> int:
    return seat_count(c.kind, c.groups, c.attached_women_seat)


def _lines(figures: StoredFigures, outcome: StoredOutcome,
           party_of: Mapping[str, str | None]) -> tuple[ListLine, ...]:
    seats, elected = outcome.seats_by_code(), outcome.elected_by_code()
    lines = [ListLine(r.id, r.name or r.id, party_of.get(r.id), r.votes, seats.get(r.id, 0),
                      tuple(elected.get(r.id, ()))) for r in figures.rows]
    return tuple(sorted(lines, key=lambda ln: (-ln.seats, -ln.votes, ln.code)))


def council(session: Session, council_id: str) -> CouncilView | None:
    """A council's page: the press summary (seats per party out of the total, votes, elected,
    turnout) and each constituency's declared result, list by list.  ``None``: no such
    council."""
    where = place(session, council_id)
    if where is None:
        return None
    cons = list(session.scalars(select(Constituency).where(
        Constituency.council == council_id, Constituency.vote == where.vote)
        .order_by(Constituency.name, Constituency.id)))
    summary = results.council_result(session, council_id, where.vote)
    declared = results.latest_results(session, [c.id for c in cons], declared=True)
    party_of: dict[str, dict[str, str | None]] = defaultdict(dict)
    for cid, code, party in session.execute(
            select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
            .where(Candidacy.constituency_id.in_([c.id for c in cons]))):
        party_of[cid][code] = party
    return council_view(where, summary, cons, declared, party_of)


def council_view(where: Place, summary: CouncilResult, cons: Sequence[Any],
                 declared: Mapping[str, Any], party_of: Mapping[str, Mapping[str, str | None]]
                 ) -> CouncilView:
    """A council's page from its rows (``cons`` by name, each one's latest declared result
    with ``figures`` and ``outcome``, the lists' parties): no database (the publication reads
    every council at once)."""
    views = []
    for c in cons:
        r = declared.get(c.id)
        if r is None:
            views.append(ConstituencyView(c.id, c.name, c.kind, _seats_of(c), False, 0, 0, 0,
                                          ()))
            continue
        f = read_figures(r.figures)
        views.append(ConstituencyView(c.id, c.name, c.kind, _seats_of(c), True, f.registered,
                                      f.voters, f.void,
                                      _lines(f, read_outcome(r.outcome),
                                             party_of.get(c.id, {}))))
    return CouncilView(where, summary, tuple(views))


def national(session: Session) -> dict[str, CouncilResult]:
    """Seats and votes by party over every council, communal and regional (declared results
    only): what the press reports on election night."""
    return {v: results.national_result(session, v) for v in VOTES}
