"""The public results portal's read queries: national seats by party, councils searchable by
region, province and commune, each council's seats, votes, elected members and turnout.

Only *declared* results are public (art. 24, law 59.11 as amended: the census commission
declares the results; a re-allocation under way never hides the result in force).  Figures are
integers from the stored results; turnout is a display figure, rounded half up to hundredths of
a percent with integer arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, percent
from intikhab.formats.declared import seat_count
from intikhab.formats.outcome import StoredFigures, StoredOutcome, read_figures, read_outcome
from intikhab.law.offences import normalise
from intikhab.services import results
from intikhab.store.models import Candidacy, Commune, Constituency, Party, Prefecture, Region

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
    arrondissement = own is not None and results.is_arrondissement(own.groups)
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
            if results.is_arrondissement(c.groups)]


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
        .order_by(Constituency.name)))
    summary = results.council_result(session, council_id, where.vote)
    declared = results.latest_results(session, [c.id for c in cons], declared=True)
    party_of: dict[str, dict[str, str | None]] = defaultdict(dict)
    for cid, code, party in session.execute(
            select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
            .where(Candidacy.constituency_id.in_([c.id for c in cons]))):
        party_of[cid][code] = party
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
                                      _lines(f, read_outcome(r.outcome), party_of[c.id])))
    return CouncilView(where, summary, tuple(views))


def national(session: Session) -> dict[str, CouncilResult]:
    """Seats and votes by party over every council, communal and regional (declared results
    only): what the press reports on election night."""
    return {v: results.national_result(session, v) for v in VOTES}


def national_councils(session: Session) -> dict[str, CouncilResult]:
    """Every kind of council, nationally, by party, each with its own total: ``commune_councils``
    (a divided commune's council counts its members only), ``arrondissement_councils`` (their
    communal members and own councillors), ``region_councils``, ``prefecture_councils`` (the
    indirect election, once declared)."""
    from intikhab.services import indirect  # the indirect councils read the communal results

    out = {r.kind: r for r in (results.national_result(session, "communal"),
                               results.arrondissement_councils_result(session),
                               results.national_result(session, "regional"),
                               indirect.national_prefecture_result(session))}
    return out
