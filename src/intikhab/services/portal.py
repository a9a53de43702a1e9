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
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, percent
from intikhab.formats.declared import seat_count
from intikhab.formats.outcome import StoredFigures, StoredOutcome, read_figures, read_outcome
from intikhab.law.offences import normalise
from intikhab.services import council_results, results
from intikhab.store.models import (
    AuditLog,
    Candidacy,
    Commune,
    Constituency,
    MinuteState,
    Party,
    Prefecture,
    Region,
    Result,
    Station,
)

VOTES = ("communal", "regional")


def name_in(unit: Region | Prefecture | Commune | Constituency, lang: str = "ar") -> str:
    """A unit's name in ``lang``: ``name`` is the Arabic one, ``name_fr`` the French one (the
    Arabic stands in where a set-up gave none)."""
    return unit.name_fr if lang == "fr" and unit.name_fr else unit.name


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
    kind: str = ""
    """``commune_council``, ``arrondissement_council`` (``id`` is its constituency's) or
    ``region_council`` (:class:`~intikhab.formats.council.CouncilResult` ``kind``)."""
    commune_id: str | None = None  # an arrondissement council's commune


@dataclass(frozen=True, slots=True)
class Territory:
    regions: tuple[tuple[str, str], ...]
    provinces: tuple[tuple[str, str, str], ...]  # id, region id, name


def territory(session: Session, lang: str = "ar") -> Territory:
    """Regions and provinces (prefectures) for the search form, by name in ``lang``."""
    regions = tuple(sorted(((r.id, name_in(r, lang)) for r in session.scalars(select(Region))),
                           key=lambda x: x[1]))
    provinces = tuple(sorted(((p.id, p.region_id, name_in(p, lang))
                              for p in session.scalars(select(Prefecture))),
                             key=lambda x: x[2]))
    return Territory(regions, provinces)


def _matches(needle: str, unit: Region | Commune) -> bool:
    """``needle`` (already :func:`normalise` d) in the unit's Arabic or French name or its id:
    case, accents and Arabic diacritics ignored."""
    return (not needle or needle in normalise(unit.name) or needle in normalise(unit.id)
            or (unit.name_fr is not None and needle in normalise(unit.name_fr)))


def places(session: Session, q: str = "", region: str | None = None,
           province: str | None = None, limit: int = 200, lang: str = "ar") -> list[Place]:
    """Councils whose Arabic or French name or id contains ``q`` — case, French accents and
    Arabic diacritics ignored (:func:`~intikhab.law.offences.normalise`) — within ``region``
    and ``province`` when given: the regional councils first, then the communes, by name,
    named in ``lang``."""
    all_regions = list(session.scalars(select(Region)))
    regions = {r.id: name_in(r, lang) for r in all_regions}
    provinces = {p.id: name_in(p, lang) for p in session.scalars(select(Prefecture))}
    needle = normalise(q)
    out: list[Place] = []
    if province is None:
        for r in sorted(all_regions, key=lambda r: regions[r.id]):
            if region in (None, r.id) and _matches(needle, r):
                out.append(Place(r.id, "regional", regions[r.id], r.id, regions[r.id], None,
                                 None, "region_council"))
    query = select(Commune)
    if region is not None:
        query = query.where(Commune.region_id == region)
    if province is not None:
        query = query.where(Commune.prefecture_id == province)
    for c in sorted(session.scalars(query), key=lambda c: name_in(c, lang)):
        if not _matches(needle, c):
            continue
        out.append(Place(c.id, "communal", name_in(c, lang), c.region_id,
                         regions.get(c.region_id, ""), c.prefecture_id,
                         provinces.get(c.prefecture_id or ""), "commune_council"))
        if len(out) >= limit:
            break
    return out


def place(session: Session, council: str, lang: str = "ar") -> Place | None:
    """The council ``council``: a commune id (communal), an arrondissement's constituency id
    (its arrondissement council, art. 128 of law 59.11 as amended) or a region id
    (regional); names in ``lang``."""
    own = session.get(Constituency, council)
    arrondissement = own is not None and council_results.is_arrondissement(own.groups)
    commune = session.get(Commune, own.council if own and arrondissement else council)
    if commune is not None:
        region = session.get(Region, commune.region_id)
        prov = session.get(Prefecture, commune.prefecture_id) if commune.prefecture_id else None
        if own is not None and arrondissement:
            return Place(own.id, "communal", name_in(own, lang), commune.region_id,
                         name_in(region, lang) if region else "", commune.prefecture_id,
                         name_in(prov, lang) if prov else None, "arrondissement_council",
                         commune.id)
        return Place(commune.id, "communal", name_in(commune, lang), commune.region_id,
                     name_in(region, lang) if region else "", commune.prefecture_id,
                     name_in(prov, lang) if prov else None, "commune_council")
    r = session.get(Region, council)
    return None if r is None else Place(r.id, "regional", name_in(r, lang), r.id,
                                        name_in(r, lang), None, None, "region_council")


def arrondissements(session: Session, commune: str, lang: str = "ar") -> list[tuple[str, str]]:
    """A divided commune's arrondissement councils: (constituency id, name in ``lang``), by
    id."""
    return [(c.id, name_in(c, lang)) for c in session.scalars(
        select(Constituency).where(Constituency.council == commune,
                                   Constituency.vote == "communal").order_by(Constituency.id))
            if council_results.is_arrondissement(c.groups)]


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
    women: tuple[tuple[str, int], ...] = ()  # list code -> seats of the women's part

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


def council(session: Session, council_id: str, lang: str = "ar") -> CouncilView | None:
    """A council's page: the press summary (seats per party out of the total, votes, elected,
    turnout) and each constituency's declared result, list by list, names in ``lang``.
    ``None``: no such council."""
    where = place(session, council_id, lang)
    if where is None:
        return None
    owner = (Constituency.id if where.kind == "arrondissement_council"
             else Constituency.council)
    cons = list(session.scalars(select(Constituency).where(
        owner == council_id, Constituency.vote == where.vote)
        .order_by(Constituency.name, Constituency.id)))
    summary = council_results.council_result(session, council_id, where.vote)
    declared = results.latest_results(session, [c.id for c in cons], declared=True)
    party_of: dict[str, dict[str, str | None]] = defaultdict(dict)
    for cid, code, party in session.execute(
            select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
            .where(Candidacy.constituency_id.in_([c.id for c in cons]))):
        party_of[cid][code] = party
    return council_view(where, summary, cons, declared, party_of, lang)


def council_view(where: Place, summary: CouncilResult, cons: Sequence[Any],
                 declared: Mapping[str, Any], party_of: Mapping[str, Mapping[str, str | None]],
                 lang: str = "ar") -> CouncilView:
    """A council's page from its rows (``cons`` by name, each one's latest declared result
    with ``figures`` and ``outcome``, the lists' parties): no database (the publication reads
    every council at once)."""
    views = []
    for c in cons:
        r = declared.get(c.id)
        if r is None:
            views.append(ConstituencyView(c.id, name_in(c, lang), c.kind, _seats_of(c), False,
                                          0, 0, 0, ()))
            continue
        f = read_figures(r.figures)
        views.append(ConstituencyView(c.id, name_in(c, lang), c.kind, _seats_of(c), True,
                                      f.registered,
                                      f.voters, f.void,
                                      _lines(f, read_outcome(r.outcome),
                                             party_of.get(c.id, {})),
                                      _women(r.outcome)))
    return CouncilView(where, summary, tuple(views))


def _women(outcome: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """Seats of the part reserved to women (art. 76–77 law 59.11: the regional lists' second
    part), per list code."""
    out: dict[str, int] = defaultdict(int)
    groups = outcome.get("groups") if isinstance(outcome, Mapping) else None
    for g in groups if isinstance(groups, list) else []:
        if isinstance(g, Mapping) and g.get("part") == "women":
            for ln in g.get("lists") or []:
                out[str(ln["id"])] += int(ln["seats"])
    return tuple(sorted(out.items()))


def national(session: Session) -> dict[str, CouncilResult]:
    """Seats and votes by party over every council, communal and regional (declared results
    only): what the press reports on election night."""
    return {v: council_results.national_result(session, v) for v in VOTES}


# --------------------------------------------------------------------------------------------
# Counting progress: stations counted (an accepted minute), per council, region, nation


@dataclass(frozen=True, slots=True)
class Counted:
    """How far the count has gone: stations with an accepted minute out of all stations
    (art. 23: each station's minute is counted once accepted), and constituencies declared."""

    stations: int = 0
    counted: int = 0
    constituencies: int = 0
    declared: int = 0

    @property
    def percent(self) -> str:
        return percent(self.counted, self.stations)

    def __add__(self, other: Counted) -> Counted:
        return Counted(self.stations + other.stations, self.counted + other.counted,
                       self.constituencies + other.constituencies,
                       self.declared + other.declared)


@dataclass(frozen=True, slots=True)
class Progress:
    """Counting progress of one vote: national, per region, per council (id → Counted)."""

    national: Counted
    regions: Mapping[str, Counted]
    councils: Mapping[str, Counted]


def progress(session: Session) -> dict[str, Progress]:
    """Stations counted and constituencies declared, per vote: nationally, per region and per
    council — two grouped counts and one read of the constituencies, whatever the country's
    size.  Counting is not a result: nothing here is a seat (art. 24)."""
    stations: dict[str, int] = defaultdict(int)
    for col in (Station.communal_constituency_id, Station.regional_constituency_id):
        for cid, n in session.execute(select(col, func.count()).group_by(col)):
            stations[cid] += n
    counted = dict(session.execute(
        select(MinuteState.constituency_id, func.count())
        .where(MinuteState.accepted_entry_id.is_not(None))
        .group_by(MinuteState.constituency_id)).all())
    declared = {cid for (cid,) in session.execute(
        select(Result.constituency_id).where(Result.declared_at.is_not(None)).distinct())}
    region_of = dict(session.execute(select(Commune.id, Commune.region_id)).all())
    out: dict[str, Progress] = {}
    for vote in VOTES:
        national = Counted()
        regions: dict[str, Counted] = defaultdict(Counted)
        councils: dict[str, Counted] = defaultdict(Counted)
        for cid, council_id in session.execute(
                select(Constituency.id, Constituency.council).where(Constituency.vote == vote)):
            one = Counted(stations[cid], int(counted.get(cid, 0)), 1, int(cid in declared))
            region = council_id if vote == "regional" else region_of.get(council_id, "")
            national += one
            regions[region] += one
            councils[council_id] += one
        out[vote] = Progress(national, dict(regions), dict(councils))
    return out


def last_update(session: Session) -> str | None:
    """When the count last moved (a minute accepted or resolved, a result allocated or
    declared), from the audit log, ISO 8601 to the second; None before the first."""
    at = session.scalar(select(func.max(AuditLog.at)).where(
        AuditLog.action.like("minute.%") | AuditLog.action.like("result.%")))
    return None if at is None else at.replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """A council in the search results: its declared seats out of the total, its leading
    party, and how many of its constituencies are declared."""

    seats: int
    declared_seats: int
    leader: str | None
    declared: int
    constituencies: int


#: The councils of a search page given a summary: a page of results; beyond, the council's
#: own page tells.
SUMMARISED: Final = 60


def place_summary(r: CouncilResult) -> PlaceSummary:
    """A council's line in the search results, from its summary (declared results only)."""
    lead = r.parties[0].party if r.parties and r.parties[0].seats else None
    return PlaceSummary(r.seats, sum(x.seats for x in r.parties), lead, r.declared,
                        r.constituencies)


def summaries(session: Session, found: list[Place]) -> dict[str, PlaceSummary]:
    """:class:`PlaceSummary` of each of the first :data:`SUMMARISED` councils found."""
    return {p.id: place_summary(council_results.council_result(session, p.id, p.vote))
            for p in found[:SUMMARISED]}


@dataclass(frozen=True, slots=True)
class BallotLine:
    """A frame of the ballot read from the published lists (``candidacy`` table)."""

    filing: str
    number: int
    party: str | None
    name: str
    head: str
    attached: str | None = None


def published_ballot(session: Session, constituency: str) -> list[BallotLine]:
    """The ballot of a constituency from its published lists (an election loaded from a
    bundle has no filings, only the published candidacies): ballot order = ``rank``
    (art. 11 §3)."""
    out = []
    for c in session.scalars(select(Candidacy).where(Candidacy.constituency_id == constituency)
                             .order_by(Candidacy.rank)):
        people = c.candidates or {}
        first = (people.get("general") or [None])[0] if "general" in people else (
            people.get("candidate"))
        woman = people.get("attached_woman") if isinstance(people, dict) else None
        out.append(BallotLine(c.code, c.rank, c.party_id, c.name,
                              str((first or {}).get("name", "")),
                              str(woman["name"]) if isinstance(woman, dict) else None))
    return out


def national_councils(session: Session, nations: Mapping[str, CouncilResult] | None = None
                      ) -> dict[str, CouncilResult]:
    """Every kind of council, nationally, by party, each with its own total: ``commune_councils``
    (a divided commune's council counts its members only), ``arrondissement_councils`` (their
    communal members and own councillors), ``region_councils``, ``prefecture_councils`` (the
    indirect election, once declared).  ``nations``: the communal and regional national results
    when already summed (a publication sums them from its councils' summaries)."""
    from intikhab.services import indirect  # the indirect councils read the communal results

    def of(vote: str) -> CouncilResult:
        return nations[vote] if nations is not None else council_results.national_result(
            session, vote)

    out = {r.kind: r for r in (of("communal"),
                               council_results.arrondissement_councils_result(session),
                               of("regional"),
                               indirect.national_prefecture_result(session))}
    return out
