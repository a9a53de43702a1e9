"""What the published site holds besides the pages: the data files (JSON and CSV per council,
per region and for the nation), the inclusion proofs of the declarations, the maps and the
record pages the documents' QR codes point to.

Every function returns ``(relative path, bytes)`` pairs for ``services.publication``'s writer,
for all of the country or only for what a declaration touched.  Only *declared* results are
published (art. 24, law 59.11 as amended).
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.declared import RESULT_COLUMNS, Contest, result_rows, seat_count
from intikhab.formats.files import csv_text
from intikhab.formats.outcome import read_figures, read_outcome
from intikhab.formats.results_json import council_json
from intikhab.law.errors import IntikhabError
from intikhab.records import checkpoint as cp
from intikhab.services import council_results, results, transparency
from intikhab.store import audit
from intikhab.store.models import AuditLog, Candidacy, Commune, Constituency, Region

File = tuple[str, bytes]
VOTES = ("communal", "regional")


def _json(doc: object) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True, default=str)
            + "\n").encode()


def ident_path(ident: str) -> str:
    """A constituency or council id as a path inside the site (ids may hold ``/``)."""
    parts = ident.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not an id the site can name: {ident!r}")
    return ident


@dataclass(frozen=True, slots=True)
class Layout:
    """The country as the site sees it: each constituency's council, vote and region."""

    constituencies: Mapping[str, tuple[str, str, str]]  # id -> council, vote, region
    region_names: Mapping[str, str]
    commune_region: Mapping[str, str]
    commune_province: Mapping[str, str | None]

    def regions_of(self, cids: Iterable[str]) -> set[str]:
        return {self.constituencies[c][2] for c in cids if c in self.constituencies}

    def councils_of(self, cids: Iterable[str]) -> set[tuple[str, str]]:
        return {self.constituencies[c][:2] for c in cids if c in self.constituencies}

    def councils(self) -> set[tuple[str, str]]:
        return {(c, v) for c, v, _ in self.constituencies.values()}


def layout(session: Session) -> Layout:
    communes = {cid: (rid, pid) for cid, rid, pid in session.execute(
        select(Commune.id, Commune.region_id, Commune.prefecture_id))}
    cons: dict[str, tuple[str, str, str]] = {}
    for cid, council, vote in session.execute(
            select(Constituency.id, Constituency.council, Constituency.vote)):
        region = council if vote == "regional" else communes.get(council, ("", None))[0]
        cons[cid] = (council, vote, region)
    return Layout(cons, dict(session.execute(select(Region.id, Region.name)).all()),
                  {c: r for c, (r, _) in communes.items()},
                  {c: p for c, (_, p) in communes.items()})


# --------------------------------------------------------------------------------------------
# data files


def national_files() -> Iterator[tuple[str, Any]]:
    """The national aggregate per vote (declared results only): ``data/national/<vote>.json``."""
    for vote in VOTES:
        yield f"data/national/{vote}.json", vote


def national_data(session: Session) -> list[File]:
    return [(path, _json(council_json(council_results.national_result(session, vote), False)))
            for path, vote in national_files()]


def council_data(session: Session, councils: Iterable[tuple[str, str]],
                 rows: Mapping[tuple[str, str], list[dict[str, Any]]]) -> list[File]:
    """``data/council/<id>/<vote>.json`` (the public JSON of the API) and ``.csv`` (one row per
    declared constituency × list)."""
    out: list[File] = []
    for council, vote in sorted(councils):
        base = f"data/council/{ident_path(council)}/{vote}"
        out.append((base + ".json", _json(council_json(
            council_results.council_result(session, council, vote)))))
        out.append((base + ".csv", csv_text(RESULT_COLUMNS, rows.get((council, vote), []))
                    .encode()))
    return out


def region_data(session: Session, where: Layout, regions: Iterable[str]
                ) -> tuple[list[File], dict[tuple[str, str], list[dict[str, Any]]]]:
    """``data/region/<id>.json`` (each declared constituency of the region, communal and
    regional: figures, outcome, rule set, lots, declaration time) and ``.csv``; and the CSV
    rows by council, for :func:`council_data`."""
    files: list[File] = []
    by_council: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for region in sorted(regions):
        ids = [c for c, (_, _, r) in where.constituencies.items() if r == region]
        cons = {c.id: c for c in session.scalars(select(Constituency)
                                                 .where(Constituency.id.in_(ids)))}
        declared = {cid: r for cid, r in results.latest_results(session, ids).items()
                    if r.declared_at is not None}
        party_of = {(cid, code): party for cid, code, party in session.execute(
            select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
            .where(Candidacy.constituency_id.in_(list(declared))))}
        contests = [_contest(cons[cid], r) for cid, r in sorted(declared.items())]
        rows = result_rows(contests, party_of)
        for row in rows:
            by_council[(row["council"], row["vote"])].append(row)
        doc = {"region": region, "name": where.region_names.get(region, region),
               "constituencies": [_declared_json(cons[cid], r)
                                  for cid, r in sorted(declared.items())]}
        files.append((f"data/region/{ident_path(region)}.json", _json(doc)))
        files.append((f"data/region/{ident_path(region)}.csv",
                      csv_text(RESULT_COLUMNS, rows).encode()))
    return files, by_council


def _seats(c: Constituency) -> int:
    return seat_count(c.kind, c.groups, c.attached_women_seat)


def _contest(c: Constituency, r: Any) -> Contest:
    return Contest(c.id, c.name, c.vote, c.council, c.kind, _seats(c), 0,
                   read_figures(r.figures), read_outcome(r.outcome))


def _declared_json(c: Constituency, r: Any) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "council": c.council, "vote": c.vote, "kind": c.kind,
            "seats": _seats(c), "rules": r.rules, "engine_version": r.engine_version,
            "status": r.status, "declared_at": r.declared_at.isoformat(),
            "minutes_digest": r.minutes_digest, "lots": r.lots, "lot_seed": r.lot_seed,
            "figures": r.figures, "outcome": r.outcome}


def declared_ids(session: Session, only: Iterable[str] | None = None) -> list[str]:
    """The constituencies with a declared result (all, or among ``only``)."""
    ids = None if only is None else list(only)
    return sorted(cid for cid, r in results.latest_results(session, ids).items()
                  if r.declared_at is not None)


# --------------------------------------------------------------------------------------------
# proofs and record pages


def latest_checkpoint(session: Session) -> transparency.Stored | None:
    try:
        return transparency.checkpoint(session)
    except IntikhabError:
        return None


def _latest(session: Session, actions: Iterable[str], only: Iterable[str] | None = None
            ) -> dict[str, int]:
    """Each entity's (each of ``only``'s) latest audit record among ``actions``: its ``seq``."""
    q = select(AuditLog.entity, func.max(AuditLog.seq)).where(AuditLog.action.in_(list(actions)))
    wanted = None if only is None else sorted(set(only))
    if wanted is not None and len(wanted) <= 500:
        q = q.where(AuditLog.entity.in_(wanted))
    return {entity: seq for entity, seq in session.execute(q.group_by(AuditLog.entity))}


def covered_between(session: Session, after: int | None, upto: int | None,
                    actions: Iterable[str] = ("result.declare",)) -> set[str]:
    """The entities whose latest record among ``actions`` a checkpoint signed since the
    checkpoint of size ``after`` covers for the first time (``seq`` in ``(after, upto]``)."""
    low = after or 0
    if upto is None or upto <= low:  # no checkpoint signed since: nothing newly covered
        return set()
    return {e for e, seq in _latest(session, actions).items() if low < seq <= upto}


def proofs(session: Session, stored: transparency.Stored, cids: Iterable[str],
           actions: Iterable[str] = ("result.declare",),
           trees: dict[int, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The inclusion-proof bundle of each constituency's latest ``result.declare`` record (of
    each council's latest bureau session with ``actions`` ``bureau.*``) in the FIRST stored
    checkpoint that covers it — a proof once published never changes, whatever checkpoints
    follow (a verifier links them with ``intikhab audit consistency``) — none when no
    checkpoint up to ``stored`` covers it yet (never the proof of an earlier declaration it
    replaced).  The log's tree is built once for all of them (once for several calls sharing
    ``trees``), and only when one is covered."""
    size = stored.signed.checkpoint.size
    want = set(cids)
    seqs = {e: seq for e, seq in _latest(session, actions, want).items()
            if e in want and seq <= size}
    if not seqs:
        return {}
    sizes = transparency.checkpoint_sizes(session)
    at = [sz for sz, _ in sizes]
    anchor = {e: sizes[bisect.bisect_left(at, seq)] for e, seq in seqs.items()}
    top = max(sz for sz, _ in anchor.values())
    trees = {} if trees is None else trees
    tree = next((t for n, t in trees.items() if n >= top), None)
    if tree is None:
        tree = trees.setdefault(top, transparency.log_tree(session, top))
    notes = {n: transparency.checkpoint(session, n).signed for n in {n for _, n in anchor.values()}}
    rows = {row[0]: row for row in session.execute(
        select(*transparency._COLUMNS).where(AuditLog.seq.in_(list(seqs.values()))))}
    return {cid: cp.inclusion_bundle(notes[anchor[cid][1]], transparency.record_of(rows[seq]),
                                     seq - 1, tree.inclusion_proof(seq - 1, anchor[cid][0]))
            for cid, seq in seqs.items() if seq in rows}


#: The heading of a record's page, Arabic and French, by kind of record.
RECORD_TITLES: Final = {
    "allocation": ("سجل توزيع المقاعد", "Procès-verbal de répartition des sièges"),
    "bureau": ("محضر جلسة انتخاب المكتب", "Procès-verbal de la séance d'élection du bureau"),
}


def record_page(kind: str, cid: str, name: str, digest: str, langs: Iterable[str],
                proof: bool) -> bytes:
    """The page a document's QR code opens (``records/<kind>/<id>.html``): the record's digest,
    its PDFs and, when the log has a signed checkpoint over it, the inclusion proof beside it
    (``<id>.proof.json``, checked with ``intikhab audit verify-proof``).  Arabic and French on
    one page: the QR code is the same on both documents."""
    leaf = escape(cid.rsplit("/", 1)[-1])
    links = "".join(f'<li><a href="{leaf}.{lang}.pdf">{"PDF (العربية)" if lang == "ar" else "PDF (français)"}</a></li>'  # noqa: E501
                    for lang in langs)
    proof_html = (f'<li><a href="{leaf}.proof.json">إثبات الإدراج في السجل — preuve '
                  f"d'inclusion dans le journal (JSON)</a></li>" if proof else
                  "<li>لا نقطة مراجعة موقعة بعد — pas encore de point de contrôle signé</li>")
    return (f'<!doctype html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(cid)}</title>"
            f'<link rel="stylesheet" href="/static/app.css"></head><body><main>'
            f"<h1>{RECORD_TITLES[kind][0]} — <bdi>{escape(name)}</bdi></h1>"
            f'<p lang="fr" dir="ltr">{RECORD_TITLES[kind][1]} — '
            f"<bdi>{escape(name)}</bdi> (<code>{escape(cid)}</code>)</p>"
            f'<p>SHA-256: <code dir="ltr">{escape(digest)}</code></p>'
            f"<ul>{links}{proof_html}</ul>"
            f'<p><a href="/">الرئيسية</a> — <a href="/fr/" lang="fr">Accueil</a></p>'
            f"</main></body></html>\n").encode()


def record_heads(session: Session, cids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(name, digest of the declared outcome) of each declared constituency among ``cids``: the
    digest the allocation record prints (``store.audit.digest``)."""
    ids = list(cids)
    names = dict(session.execute(select(Constituency.id, Constituency.name)
                                 .where(Constituency.id.in_(ids))).all()) if len(ids) < 900 \
        else dict(session.execute(select(Constituency.id, Constituency.name)).all())
    return {cid: (names.get(cid, cid), audit.digest(r.outcome))
            for cid, r in results.latest_results(session, ids).items()
            if r.declared_at is not None}


def regional_leaders(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """The leading party of each region (most seats in its regional council, then votes) and
    of each prefecture or province (most votes in its regional constituency ``<region>/<id>``)
    — what the maps colour."""
    regions: dict[str, str] = {}
    for rid in session.scalars(select(Region.id)):
        council = council_results.council_result(session, rid, "regional")
        if council.parties and (council.parties[0].seats or council.parties[0].votes):
            regions[rid] = council.parties[0].party
    provinces: dict[str, str] = {}
    ids = [c for c in session.scalars(select(Constituency.id).where(
        Constituency.vote == "regional")) if "/" in c]
    party_of = {(cid, code): party for cid, code, party in session.execute(
        select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
        .where(Candidacy.constituency_id.in_(ids)))}
    for cid, r in results.latest_results(session, ids).items():
        if r.declared_at is None or r.status == "rerun_required":
            continue
        rows = read_figures(r.figures).rows
        if rows:
            best = max(rows, key=lambda row: (row.votes, row.id))
            provinces[cid.split("/", 1)[1]] = party_of.get((cid, best.id)) or best.id
    return regions, provinces
