"""The declared results as the published site reads them, loaded once in a few queries — for
the whole country (a full publication) or for a few councils (an incremental one).

``services.results`` answers one council at a time (a handful of queries each, and each
result's JSON decoded again by every caller); a publication needs every council, its places,
its constituencies by name, every latest result and every list's party.  :func:`load` reads
them in bulk (each result row decoded once), and the summaries are computed from them by
``council_results.summary_of``, the very function behind
``council_results.council_result``: same integers,
same order (constituencies by id, as the council's summary lists its elected members).

Two results per constituency matter (art. 24, law 59.11 as amended: only declared results are
public): the *latest* one, published in the data files when it is declared, and the latest
*declared* one, which the pages and the summaries show while a re-allocation is under way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult
from intikhab.services import council_results, portal
from intikhab.store.db import database_url, make_engine, sessions
from intikhab.store.models import (
    Candidacy,
    Commune,
    Constituency,
    Party,
    Prefecture,
    Region,
    Result,
)

CHUNK = 500  # ids in one SQL ``IN``


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the site shows of some councils (see the module's docstring)."""

    cons: Mapping[str, Any]  # id -> constituency row, in the database's id order
    by_name: Mapping[str, int]  # id -> rank by (name, id), the council page's order
    latest: Mapping[str, Any]  # id -> latest result row
    declared: Mapping[str, Any]  # id -> latest declared result row
    party_of: Mapping[str, Mapping[str, str | None]]  # id -> list code -> party
    party_names: Mapping[str, tuple[str, str]]
    places: Mapping[str, Mapping[str, portal.Place]]  # lang -> council id -> its place
    councils: Mapping[tuple[str, str], tuple[str, ...]]  # (council, vote) -> ids, id order

    def summaries(self) -> dict[tuple[str, str], CouncilResult]:
        """Every council's summary, as ``council_results.council_result`` computes it."""
        shares = {cid: (r.status, council_results._share(r.figures, r.outcome))
                  for cid, r in self.declared.items()}
        party_of = {(cid, code): party or code for cid, codes in self.party_of.items()
                    for code, party in codes.items()}
        return {(council, vote): council_results.summary_of(
                    council, vote, [self.cons[c] for c in ids], shares, party_of,
                    self.party_names, council_results.council_kind(vote), commune_only=True)
                for (council, vote), ids in self.councils.items()}

    def council_view(self, council: str, summary: CouncilResult, lang: str = "ar"
                     ) -> portal.CouncilView | None:
        """A council's page, as ``portal.council`` builds it in ``lang`` (``None``: no such
        place)."""
        where = self.places[lang].get(council)
        if where is None:
            return None
        ids = sorted(self.councils.get((council, where.vote), ()), key=self.by_name.__getitem__)
        return portal.council_view(where, summary, [self.cons[c] for c in ids],
                                   self.declared, self.party_of, lang)


@contextmanager
def reading(db_url: str | None) -> Iterator[Session]:
    """A session on the database at ``db_url`` (the default one when ``None``), its engine
    closed afterwards: what a publication reads, without the web application."""
    engine = make_engine(database_url(db_url))
    try:
        with sessions(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _constituencies(session: Session, councils: set[str] | None) -> list[Any]:
    """The constituencies of ``councils`` by id (a council is never split between two
    queries, so each council's order is the database's)."""
    cols = (Constituency.id, Constituency.name, Constituency.council, Constituency.vote,
            Constituency.kind, Constituency.groups, Constituency.attached_women_seat,
            Constituency.name_fr)
    q = select(*cols).order_by(Constituency.id)
    if councils is None:
        return list(session.execute(q))
    rows: list[Any] = []
    for part in _chunks(sorted(councils)):
        rows += session.execute(q.where(Constituency.council.in_(part)))
    return rows


def _by_name(session: Session, councils: set[str] | None) -> dict[str, int]:
    """Each constituency's rank by (name, id) — compared within a council only."""
    q = select(Constituency.id).order_by(Constituency.name, Constituency.id)
    out: dict[str, int] = {}
    for part in ([None] if councils is None else list(_chunks(sorted(councils)))):
        for i, (cid,) in enumerate(session.execute(
                q if part is None else q.where(Constituency.council.in_(part)))):
            out[cid] = i
    return out


def _newest(session: Session, ids: list[str] | None, declared: bool) -> dict[str, int]:
    q = select(Result.constituency_id, func.max(Result.id))
    if declared:
        q = q.where(Result.declared_at.is_not(None))
    if ids is None:
        return dict(session.execute(q.group_by(Result.constituency_id)).all())
    out: dict[str, int] = {}
    for part in _chunks(ids):
        out.update(session.execute(q.where(Result.constituency_id.in_(part))
                                   .group_by(Result.constituency_id)).all())
    return out


def _rows(session: Session, result_ids: list[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    table = Result.__table__
    for i in range(0, len(result_ids), CHUNK):
        for row in session.execute(select(table).where(
                table.c.id.in_(result_ids[i:i + CHUNK]))):
            out[row.id] = row
    return out


def _places(session: Session, councils: set[str] | None, lang: str) -> dict[str, portal.Place]:
    """The places of ``councils`` named in ``lang``, as ``portal.place`` makes each."""
    regions = {r.id: portal.name_in(r, lang) for r in session.scalars(select(Region))}
    provinces = {p.id: portal.name_in(p, lang) for p in session.scalars(select(Prefecture))}
    out: dict[str, portal.Place] = {}
    q = select(Commune)
    for part in ([None] if councils is None else list(_chunks(sorted(councils)))):
        for c in session.scalars(q if part is None else q.where(Commune.id.in_(part))):
            rid, pid = c.region_id, c.prefecture_id
            out[c.id] = portal.Place(c.id, "communal", portal.name_in(c, lang), rid,
                                     regions.get(rid, ""), pid,
                                     provinces.get(pid) if pid else None, "commune_council")
    for rid, name in regions.items():
        if (councils is None or rid in councils) and rid not in out:
            out[rid] = portal.Place(rid, "regional", name, rid, name, None, None,
                                    "region_council")
    return out


def load(session: Session, councils: Iterable[str] | None = None) -> Snapshot:
    """Everything the site shows of ``councils`` (council ids; ``None``: the whole
    country)."""
    wanted = None if councils is None else set(councils)
    cons_rows = _constituencies(session, wanted)
    cons = {r.id: r for r in cons_rows}
    ids = None if wanted is None else list(cons)
    newest, newest_declared = _newest(session, ids, False), _newest(session, ids, True)
    rows = _rows(session, sorted(set(newest.values()) | set(newest_declared.values())))
    party_of: dict[str, dict[str, str | None]] = defaultdict(dict)
    q = select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
    for part in ([None] if ids is None else list(_chunks(ids))):
        for cid, code, party in session.execute(
                q if part is None else q.where(Candidacy.constituency_id.in_(part))):
            if cid in cons:
                party_of[cid][code] = party
    by_name = _by_name(session, wanted)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in cons_rows:
        grouped[(r.council, r.vote)].append(r.id)
    return Snapshot(cons, by_name,
                    {cid: rows[rid] for cid, rid in newest.items() if cid in cons},
                    {cid: rows[rid] for cid, rid in newest_declared.items() if cid in cons},
                    party_of,
                    {p.id: (p.name_ar, p.name_fr) for p in session.scalars(select(Party))},
                    {lang: _places(session, wanted, lang) for lang in ("ar", "fr")},
                    {k: tuple(v) for k, v in grouped.items()})
