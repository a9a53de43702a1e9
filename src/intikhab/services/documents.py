"""The official documents from the database: the models ``formats.documents`` renders.

- :func:`station_minute`: a station's accepted minute (art. 21, 23 of organic law 59.11 as
  amended), its lists in ballot order (``queries.minute_detail``);
- :func:`office_minute`: a central office's sums of its stations' accepted minutes (art. 23;
  ``results.central_office_totals``);
- :func:`commission_minute`: a constituency's sums (art. 93 regional, art. 141 communal;
  ``results.constituency_totals``);
- :func:`allocation_record`: the latest result replayed with the engine (``queries.allocation``;
  art. 24, 92, 139; guide ch. 10): the same figures, rules and lots give the same tables;
- :func:`bureau_record`: a council's latest bureau-election session (laws 111.14, 112.14,
  113.14), replayed with the law (``formats.documents.bureau``); :func:`bureau_records` those
  of many councils, read in a few queries (the published site's PDFs);
- :func:`region_documents`: all of a region's, read in a few queries.

Each document carries its record's digest and a QR code to :func:`seal_url`.  Nothing here
writes to the database.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.allocation_json import parse_constituency
from intikhab.formats.documents.bureau import bureau_document
from intikhab.formats.documents.model import (
    COMMISSION_BUREAU,
    AllocationDocument,
    BureauDocument,
    CouncilHeader,
    Figures,
    Header,
    ListVotes,
    MinuteDocument,
    MinuteKind,
    Seal,
)
from intikhab.formats.documents.tables import allocation_document
from intikhab.formats.outcome import read_outcome
from intikhab.law.allocation import AllocationStatus, DistrictResult, ListResult, Lots
from intikhab.law.errors import IntikhabError
from intikhab.law.national import allocate_any
from intikhab.law.rulesets import get_rules
from intikhab.services import queries, results
from intikhab.store import audit
from intikhab.store.models import (
    BureauSession,
    Candidacy,
    CentralOffice,
    Commune,
    Constituency,
    Election,
    Entry,
    MinuteState,
    Party,
    Prefecture,
    Region,
    Station,
)

DEFAULT_URL = "https://intikhab.invalid"
Document = MinuteDocument | AllocationDocument | BureauDocument


def seal_url(base_url: str, kind: str, ident: str, digest: str) -> str:
    """Where a document's QR code points: the record's page in the published site
    (``intikhab publish``: ``records/<kind>/<id>.html``, with its PDFs and the inclusion proof
    beside it), with the digest printed on the document."""
    return f"{base_url.rstrip('/')}/records/{kind}/{ident}.html?sha256={digest}"


@dataclass(frozen=True, slots=True)
class _Places:
    """Names of the places of one region (or of what one document needs)."""

    election: Election
    regions: Mapping[str, str]
    prefectures: Mapping[str, str]
    communes: Mapping[str, Commune]
    constituencies: Mapping[str, Constituency]

    def header(self, c: Constituency, commune: str | None = None, office: str = "",
               station: str = "") -> Header:
        com = self.communes.get(commune or c.council)
        region = com.region_id if com is not None else c.council
        council = self.regions.get(c.council) or (com.name if com else c.council)
        return Header(self.election.name, self.election.polling_date, c.vote, council, c.name,
                      region=self.regions.get(region, region),
                      prefecture=self.prefectures.get(com.prefecture_id or "", "")
                      if com else self.prefectures.get(c.id, ""),
                      commune=com.name if com else "", central_office=office,
                      station=station)


def _places(session: Session, region: str | None = None,
            constituencies: list[str] | None = None) -> _Places:
    election = session.execute(select(Election)).scalar_one()
    regions = dict(session.execute(select(Region.id, Region.name)).all())
    prefs = dict(session.execute(select(Prefecture.id, Prefecture.name)).all())
    cq = select(Commune)
    if region is not None:
        cq = cq.where(Commune.region_id == region)
    communes = {c.id: c for c in session.scalars(cq)}
    kq = select(Constituency)
    if constituencies is not None:
        kq = kq.where(Constituency.id.in_(constituencies))
    elif region is not None:
        kq = kq.where(Constituency.council.in_([region, *communes]))
    cons = {c.id: c for c in session.scalars(kq)}
    return _Places(election, regions, prefs, communes, cons)


def _votes(rows: list[queries.CandidacyRow], votes: Mapping[str, int],
           group: Mapping[str, str] | None = None) -> tuple[ListVotes, ...]:
    return tuple(ListVotes(r.rank, r.code, r.name, int(votes.get(r.code, 0)),
                           (group or {}).get(r.code, "")) for r in rows)


def _station_doc(places: _Places, st: Station, commune: str, vote: str, digest: str,
                 minute: Mapping[str, Any], rows: list[queries.CandidacyRow],
                 base_url: str) -> MinuteDocument:
    cid = st.communal_constituency_id if vote == "communal" else st.regional_constituency_id
    header = places.header(places.constituencies[cid], commune, st.central_office_id, st.id)
    figures = Figures(int(minute["registered"]), int(minute["signed"]), int(minute["ballots"]),
                      int(minute["void"]), int(minute["contested"]), int(minute["illegal"]))
    return MinuteDocument(MinuteKind.STATION, header, figures, _votes(rows, minute["votes"]),
                          Seal(digest, seal_url(base_url, "minute", f"{st.id}/{vote}", digest)),
                          minute.get("objections") or "", minute.get("observations") or "")


def station_minute(session: Session, station: str, vote: str,
                   base_url: str = DEFAULT_URL) -> MinuteDocument:
    """The accepted minute of ``station`` for ``vote``; ``E-DOC-001`` when none is."""
    detail = queries.minute_detail(session, station, vote)
    if detail.accepted is None:
        raise IntikhabError("E-DOC-001", field="station", value=f"{station} ({vote})")
    st = session.get(Station, station)
    assert st is not None  # minute_detail found it
    office = session.get(CentralOffice, st.central_office_id)
    commune = office.commune_id if office else ""
    places = _places(session, constituencies=[detail.constituency])
    return _station_doc(places, st, commune, vote, detail.accepted.digest,
                        detail.accepted.minute, list(detail.candidacies), base_url)


def _figures(t: results.Totals) -> Figures:
    return Figures(t.registered, t.signed, t.ballots, t.void, t.contested, t.illegal,
                   t.accepted)


def office_minute(session: Session, office: str, vote: str,
                  base_url: str = DEFAULT_URL) -> MinuteDocument:
    """The central office's minute: the sums of its stations' accepted minutes (art. 23)."""
    found = session.get(CentralOffice, office)
    if found is None:
        raise IntikhabError("E-API-004", field="office", value=office)
    rows = queries.stations(session, office=office, vote=vote)
    cids = sorted({r.constituency for r in rows})
    places = _places(session, constituencies=cids)
    cands = {cid: queries.candidacies(session, cid) for cid in cids}
    t = results.central_office_totals(session, office, vote)
    return _office_doc(places, office, found.commune_id, vote, cids, cands, t, base_url)


def _office_doc(places: _Places, office: str, commune: str, vote: str, cids: list[str],
                cands: Mapping[str, list[queries.CandidacyRow]], t: results.Totals,
                base_url: str) -> MinuteDocument:
    header = places.header(places.constituencies[cids[0]], commune, office)
    rows = [r for cid in cids for r in cands[cid]]
    group: dict[str, str] = {}
    if len(cids) > 1:  # a single-member commune's office serves several districts
        names = [places.constituencies[c].name for c in cids]
        header = dataclasses.replace(header, constituency=f"{names[0]} … {names[-1]}")
        group = {r.code: places.constituencies[cid].name for cid in cids for r in cands[cid]}
    digest = t.minutes_digest
    return MinuteDocument(MinuteKind.OFFICE, header, _figures(t), _votes(rows, t.votes, group),
                          Seal(digest, seal_url(base_url, "office", f"{office}/{vote}", digest)))


def commission_minute(session: Session, cid: str,
                      base_url: str = DEFAULT_URL) -> MinuteDocument:
    """The census commission's minute of a constituency: the sums of its accepted minutes."""
    c = queries.constituency(session, cid)
    t = results.constituency_totals(session, only=cid).get(cid, results.Totals())
    places = _places(session, constituencies=[cid])
    return _commission_doc(places, c, t, queries.candidacies(session, cid), base_url)


def _commission_doc(places: _Places, c: Constituency, t: results.Totals,
                    cands: list[queries.CandidacyRow], base_url: str) -> MinuteDocument:
    digest = t.minutes_digest
    return MinuteDocument(MinuteKind.COMMISSION, places.header(c), _figures(t),
                          _votes(cands, t.votes),
                          Seal(digest, seal_url(base_url, "commission", c.id, digest)),
                          bureau=COMMISSION_BUREAU)


def replay(figures: Mapping[str, Any], rules: str, lots: Mapping[str, str],
           seed: str | None) -> tuple[Any, ListResult | DistrictResult]:
    """A stored result's constituency and the engine's result, computed again."""
    constituency = parse_constituency(dict(figures))
    use = Lots(dict(lots), seed)
    return constituency, allocate_any(constituency, get_rules(rules), use)


def allocation_record(session: Session, cid: str,
                      base_url: str = DEFAULT_URL) -> AllocationDocument:
    """The allocation record of a constituency's latest result (``E-API-014`` without one)."""
    view = queries.allocation(session, cid)
    places = _places(session, constituencies=[cid])
    return _allocation_doc(places, places.constituencies[cid], view.figures, view.outcome,
                           view.rules, view.lots, view.lot_seed, view.status, base_url)


def _allocation_doc(places: _Places, c: Constituency, figures: Mapping[str, Any],
                    outcome: Mapping[str, Any], rules: str, lots: Mapping[str, str],
                    seed: str | None, status: str, base_url: str) -> AllocationDocument:
    constituency, result = replay(figures, rules, lots, seed)
    if result.status.value != status:  # e.g. annulled by a court (art. 32): the stored word
        result = result._replace(status=AllocationStatus(status),
                                 reason=read_outcome(outcome).reason)
    digest = audit.digest(outcome)
    return allocation_document(places.header(c),
                               Seal(digest, seal_url(base_url, "allocation", c.id, digest)),
                               constituency, result, lot_seed=seed)


def region_documents(session: Session, region: str, base_url: str = DEFAULT_URL,
                     ) -> Iterator[tuple[str, Document]]:
    """Every document of a region as (relative path without extension, document): the
    stations' and central offices' minutes of both votes, then each constituency's commission
    minute and allocation record (when it has a result), then the bureau-session record of
    the region's council, its prefecture/province councils and its commune councils (those
    that held one).  A few queries for the region."""
    if session.get(Region, region) is None:
        raise IntikhabError("E-API-004", field="region", value=region)
    places = _places(session, region=region)
    cands: dict[str, list[queries.CandidacyRow]] = defaultdict(list)
    for c in session.scalars(select(Candidacy).where(
            Candidacy.constituency_id.in_(list(places.constituencies))).order_by(Candidacy.rank)):
        cands[c.constituency_id].append(queries.CandidacyRow(c.code, c.name, c.party_id,
                                                             c.rank))
    offices = dict(session.execute(select(CentralOffice.id, CentralOffice.commune_id).where(
        CentralOffice.commune_id.in_(list(places.communes)))).all())
    stations = list(session.scalars(select(Station).where(
        Station.central_office_id.in_(list(offices))).order_by(Station.id)))
    yield from _stations(session, places, stations, offices, cands, base_url)
    yield from _offices(session, places, stations, offices, cands, base_url)
    yield from _commissions(session, places, cands, base_url)
    prefectures = session.scalars(select(Prefecture.id).where(Prefecture.region_id == region))
    councils = [region, *sorted(prefectures), *sorted(places.communes)]
    for council, doc in bureau_records(session, councils, base_url):
        yield f"bureau/{council.replace('/', '_')}", doc


def _stations(session: Session, places: _Places, stations: list[Station],
              offices: Mapping[str, str], cands: Mapping[str, list[queries.CandidacyRow]],
              base_url: str) -> Iterator[tuple[str, Document]]:
    by_id = {s.id: s for s in stations}
    accepted: dict[tuple[str, str], tuple[str, Any]] = {}
    ids = list(by_id)
    for i in range(0, len(ids), 500):
        for sid, vote, digest, minute in session.execute(
                select(MinuteState.station_id, MinuteState.vote, Entry.digest, Entry.minute)
                .join(Entry, Entry.id == MinuteState.accepted_entry_id)
                .where(MinuteState.station_id.in_(ids[i:i + 500]))):
            accepted[sid, vote] = (digest, minute)
    for st in stations:
        for vote in queries.VOTES:
            found = accepted.get((st.id, vote))
            if found is None:
                continue
            cid = (st.communal_constituency_id if vote == "communal"
                   else st.regional_constituency_id)
            yield (_safe(f"stations/{st.central_office_id}/{st.id}-{vote}"),
                   _station_doc(places, st, offices[st.central_office_id], vote, found[0],
                                found[1], cands[cid], base_url))


def _offices(session: Session, places: _Places, stations: list[Station],
             offices: Mapping[str, str], cands: Mapping[str, list[queries.CandidacyRow]],
             base_url: str) -> Iterator[tuple[str, Document]]:
    by_office: dict[str, list[Station]] = defaultdict(list)
    for st in stations:
        by_office[st.central_office_id].append(st)
    for office, commune in sorted(offices.items()):
        mine = by_office[office]
        for vote in queries.VOTES:
            cids = sorted({s.communal_constituency_id if vote == "communal"
                           else s.regional_constituency_id for s in mine})
            if not cids:
                continue
            t = results.central_office_totals(session, office, vote)
            yield (_safe(f"offices/{office}-{vote}"),
                   _office_doc(places, office, commune, vote, cids, cands, t, base_url))


def _commissions(session: Session, places: _Places,
                 cands: Mapping[str, list[queries.CandidacyRow]],
                 base_url: str) -> Iterator[tuple[str, Document]]:
    ids = sorted(places.constituencies)
    totals = results.constituency_totals(session) if len(ids) > 50 else {
        cid: t for cid in ids for t in results.constituency_totals(session, only=cid).values()}
    latest = results.latest_results(session, ids)
    for cid in ids:
        c = places.constituencies[cid]
        name = cid.replace("/", "_")
        yield (f"commission/{name}-minute",
               _commission_doc(places, c, totals.get(cid, results.Totals()), cands[cid],
                               base_url))
        r = latest.get(cid)
        if r is not None:
            yield (f"commission/{name}-allocation",
                   _allocation_doc(places, c, r.figures, r.outcome, r.rules, r.lots,
                                   r.lot_seed, r.status, base_url))


def _safe(path: str) -> str:
    """A relative path from ids: only the first two separators are folders."""
    head, _, rest = path.partition("/")
    if head == "stations":
        office, _, name = rest.partition("/")
        return f"{head}/{office.replace('/', '_')}/{name.replace('/', '_')}"
    return f"{head}/{rest.replace('/', '_')}"


def allocation_records(session: Session, cids: list[str], base_url: str = DEFAULT_URL
                       ) -> Iterator[tuple[str, AllocationDocument]]:
    """The allocation records of the constituencies ``cids`` that have a result, read in a
    few queries (the published site's PDFs)."""
    places = _places(session, constituencies=cids)
    for i in range(0, len(cids), 500):
        part = cids[i:i + 500]
        latest = results.latest_results(session, part)
        for cid in part:
            r = latest.get(cid)
            if r is not None and cid in places.constituencies:
                yield cid, _allocation_doc(places, places.constituencies[cid], r.figures,
                                           r.outcome, r.rules, r.lots, r.lot_seed, r.status,
                                           base_url)


# --------------------------------------------------------------------------------------------
# Bureau sessions (organic laws 111.14, 112.14, 113.14)


@dataclass(frozen=True, slots=True)
class _Councils:
    """Names of the councils (regions, prefectures/provinces, communes) and parties a set of
    bureau records needs."""

    election: Election
    regions: Mapping[str, str]
    prefectures: Mapping[str, Prefecture]
    communes: Mapping[str, Commune]
    parties: Mapping[str, str]

    def header(self, kind: str, cid: str) -> CouncilHeader:
        """The council's name, with its region and prefecture/province above it."""
        e = self.election
        if kind == "region":
            name = self.regions.get(cid, cid)
            return CouncilHeader(kind, name, e.name, e.polling_date, region=name)
        if kind == "prefecture":
            p = self.prefectures.get(cid)
            name = p.name if p is not None else cid
            return CouncilHeader(kind, name, e.name, e.polling_date, prefecture=name,
                                 region=self.regions.get(p.region_id, "") if p else "")
        c = self.communes.get(cid)
        pref = self.prefectures.get(c.prefecture_id or "") if c is not None else None
        return CouncilHeader(kind, c.name if c is not None else cid, e.name, e.polling_date,
                             region=self.regions.get(c.region_id, "") if c else "",
                             prefecture=pref.name if pref is not None else "")


def _councils(session: Session, ids: list[str]) -> _Councils:
    communes: dict[str, Commune] = {}
    for i in range(0, len(ids), 500):
        communes |= {c.id: c for c in session.scalars(
            select(Commune).where(Commune.id.in_(ids[i:i + 500])))}
    return _Councils(session.execute(select(Election)).scalar_one(),
                     dict(session.execute(select(Region.id, Region.name)).all()),
                     {p.id: p for p in session.scalars(select(Prefecture))}, communes,
                     dict(session.execute(select(Party.id, Party.name_ar)).all()))


def _latest_sessions(session: Session, ids: list[str]) -> dict[str, BureauSession]:
    """Each council's latest recorded session among ``ids``."""
    out: dict[str, BureauSession] = {}
    for i in range(0, len(ids), 500):
        newest = (select(func.max(BureauSession.id))
                  .where(BureauSession.council_id.in_(ids[i:i + 500]))
                  .group_by(BureauSession.council_id))
        out |= {r.council_id: r for r in session.scalars(
            select(BureauSession).where(BureauSession.id.in_(newest)))}
    return out


def _bureau_doc(places: _Councils, row: BureauSession, base_url: str) -> BureauDocument:
    """The record of one stored session.  Its digest is the one the audit log holds for the
    session (``bureau.formed|pending``: ``after`` is the digest of who governs), as the
    allocation record prints its outcome's."""
    stored = {c.name: getattr(row, c.name) for c in BureauSession.__table__.columns}
    digest = audit.digest(row.outcome)
    return bureau_document(places.header(row.council_kind, row.council_id),
                           Seal(digest, seal_url(base_url, "bureau", row.council_id, digest)),
                           stored, places.parties)


def bureau_record(session: Session, council: str,
                  base_url: str = DEFAULT_URL) -> BureauDocument:
    """The record of ``council``'s latest bureau-election session (a region, prefecture/province
    or commune id): ``E-COUNCIL-003`` for an unknown council, ``E-DOC-004`` before any
    session, ``E-DOC-005`` when the stored session does not replay to its stored outcome."""
    known = (session.get(Region, council) or session.get(Prefecture, council)
             or session.get(Commune, council))
    if known is None:
        raise IntikhabError("E-COUNCIL-003", field="council", value=council)
    row = _latest_sessions(session, [council]).get(council)
    if row is None:
        raise IntikhabError("E-DOC-004", field="council", value=council)
    return _bureau_doc(_councils(session, [council]), row, base_url)


def bureau_records(session: Session, councils: list[str], base_url: str = DEFAULT_URL
                   ) -> Iterator[tuple[str, BureauDocument]]:
    """The bureau-session records of the ``councils`` that held one, in their order, as
    ``(council id, document)``, read in a few queries (``region_documents``, the published
    site's PDFs: ``records/bureau/<id>``)."""
    rows = _latest_sessions(session, councils)
    places = _councils(session, [c for c in councils if c in rows])
    for cid in councils:
        row = rows.get(cid)
        if row is not None:
            yield cid, _bureau_doc(places, row, base_url)
