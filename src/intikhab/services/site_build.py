"""The published site's data files built from a :class:`~intikhab.services.site_snapshot.
Snapshot` — and, for an incremental publication, patched from the previous publication's own
files instead of decoding every result of the country again.

Bytes: every file is exactly what ``site_data._json`` / ``formats.files.csv_text`` write for
the whole document.  A region's JSON is assembled from one piece per constituency, each the
indented JSON of its entry shifted to its depth (:func:`region_json`); a region's or a council's
CSV is the header and each constituency's rows, by constituency id.  An incremental publication
reads the pieces of the constituencies it did not touch back from the previous files (after
checking their SHA-256 against the previous manifest) and encodes only the touched ones.

The national aggregate per vote is the sum of its councils' summaries (seats, votes, declared
and registered, exact integers — the same sums ``council_results.national_result`` makes over every
constituency); an incremental publication reads the untouched councils' figures from their
published JSON.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.formats.declared import RESULT_COLUMNS, Contest, result_rows, seat_count
from intikhab.formats.files import csv_text
from intikhab.formats.outcome import read_figures, read_outcome
from intikhab.formats.results_json import council_json
from intikhab.records import manifest as mf
from intikhab.services import council_results
from intikhab.services import site_snapshot as snapshot
from intikhab.services.site_data import VOTES, File, Layout, _json, ident_path
from intikhab.services.site_snapshot import Snapshot
from intikhab.store import audit

HEADER: Final = csv_text(RESULT_COLUMNS, [])
_HEAD: Final = '{\n "constituencies": ['
_SEP: Final = "\n  },\n  {"


# --------------------------------------------------------------------------------------------
# pieces


def _seats(c: Any) -> int:
    return seat_count(c.kind, c.groups, c.attached_women_seat)


def entry_json(c: Any, r: Any) -> dict[str, Any]:
    """A declared constituency as the region's JSON lists it."""
    return {"id": c.id, "name": c.name, "council": c.council, "vote": c.vote, "kind": c.kind,
            "seats": _seats(c), "rules": r.rules, "engine_version": r.engine_version,
            "status": r.status, "declared_at": r.declared_at.isoformat(),
            "minutes_digest": r.minutes_digest, "lots": r.lots, "lot_seed": r.lot_seed,
            "figures": r.figures, "outcome": r.outcome}


def piece(entry: Mapping[str, Any]) -> str:
    """``entry`` as ``_json`` writes it inside the region's list (two levels deep)."""
    return json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True,
                      default=str).replace("\n", "\n  ")


def region_json(region: str, name: str, pieces: Sequence[str]) -> bytes:
    """``_json({"region": …, "name": …, "constituencies": [...]})`` from the entries' pieces."""
    body = ("[\n  " + ",\n  ".join(pieces) + "\n ]") if pieces else "[]"
    return (f'{_HEAD[:-1]}{body},\n "name": {json.dumps(name, ensure_ascii=False)},\n '
            f'"region": {json.dumps(region, ensure_ascii=False)}\n}}\n').encode()


def csv_piece(c: Any, r: Any, party_of: Mapping[str, str | None]) -> str:
    """The CSV rows of one declared constituency (no header)."""
    contest = Contest(c.id, c.name, c.vote, c.council, c.kind, _seats(c), 0,
                      read_figures(r.figures), read_outcome(r.outcome))
    rows = result_rows([contest], {(c.id, k): v for k, v in party_of.items()})
    return csv_text(RESULT_COLUMNS, rows)[len(HEADER):]


def pieces(snap: Snapshot, ids: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(JSON piece, CSV rows) of each constituency among ``ids`` whose latest result is
    declared (art. 24, law 59.11 as amended)."""
    js: dict[str, str] = {}
    rows: dict[str, str] = {}
    for cid in ids:
        r = snap.latest.get(cid)
        if r is None or r.declared_at is None:
            continue
        c = snap.cons[cid]
        js[cid] = piece(entry_json(c, r))
        rows[cid] = csv_piece(c, r, snap.party_of.get(cid, {}))
    return js, rows


# --------------------------------------------------------------------------------------------
# files


def region_files(where: Layout, region: str, js: Mapping[str, str], rows: Mapping[str, str]
                 ) -> list[File]:
    """``data/region/<id>.json`` and ``.csv`` from the pieces of its declared
    constituencies."""
    ids = sorted(cid for cid in js if where.constituencies.get(cid, ("", "", ""))[2] == region)
    base = f"data/region/{ident_path(region)}"
    return [(base + ".json", region_json(region, where.region_names.get(region, region),
                                         [js[c] for c in ids])),
            (base + ".csv", (HEADER + "".join(rows[c] for c in ids)).encode())]


def council_files(council: str, vote: str, summary: CouncilResult, ids: Iterable[str],
                  rows: Mapping[str, str]) -> list[File]:
    """``data/council/<id>/<vote>.json`` (the API's public JSON) and ``.csv``."""
    base = f"data/council/{ident_path(council)}/{vote}"
    return [(base + ".json", _json(council_json(summary))),
            (base + ".csv", (HEADER + "".join(rows[c] for c in sorted(ids) if c in rows))
             .encode())]


def national(vote: str, councils: Iterable[CouncilResult],
             party_names: Mapping[str, tuple[str, str]]) -> CouncilResult:
    """The national aggregate of a vote: the sum of its councils' summaries."""
    seats: dict[str, int] = defaultdict(int)
    votes: dict[str, int] = defaultdict(int)
    total = declared = count = registered = voters = 0
    for r in councils:
        total, declared, count = total + r.seats, declared + r.declared, count + r.constituencies
        registered, voters = registered + r.registered, voters + r.voters
        for p in r.parties:
            seats[p.party] += p.seats
            votes[p.party] += p.votes
    lines = sorted((PartyLine(p, *party_names.get(p, (p, p)), seats[p], votes[p], ())
                    for p in set(seats) | set(votes)),
                   key=lambda line: (-line.seats, -line.votes, line.party))
    kind = "commune_councils" if vote == "communal" else "region_councils"  # as national_result
    return CouncilResult("national", vote, total, declared, count, registered, voters,
                         tuple(lines), kind)


def record_heads(snap: Snapshot, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(name, digest of the declared outcome) of each of ``ids`` (declared), as
    ``site_data.record_heads`` gives them."""
    return {cid: (snap.cons[cid].name, audit.digest(snap.latest[cid].outcome)) for cid in ids}


def national_files(nations: Mapping[str, CouncilResult]) -> list[File]:
    return [(f"data/national/{vote}.json", _json(council_json(r, False)))
            for vote, r in sorted(nations.items())]


# --------------------------------------------------------------------------------------------
# the previous publication's files


def previous_bytes(out: Path, previous: mf.Manifest, rel: str) -> bytes | None:
    """The previous publication's file ``rel``, if it is there as its manifest says."""
    entry = previous.files.get(rel)
    if entry is None:
        return None
    try:
        data = (out / rel).read_bytes()
    except OSError:
        return None
    if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
        return None
    return data


def council_of_json(data: bytes) -> CouncilResult:
    """A council's summary back from its published JSON (``council_json``)."""
    doc = json.loads(data)
    return CouncilResult(doc["council"], doc["vote"], doc["seats"], doc["declared"],
                         doc["constituencies"], doc["registered"], doc["voters"],
                         tuple(PartyLine(p["party"], p["name_ar"], p["name_fr"], p["seats"],
                                         p["votes"], tuple(p["elected"]))
                               for p in doc["parties"]), doc.get("kind", ""))


def region_pieces(data_json: bytes, data_csv: bytes
                  ) -> tuple[dict[str, str], dict[str, str]] | None:
    """The pieces of a published region's JSON and CSV (``None``: not a file this module
    wrote)."""
    text = data_json.decode()
    js: dict[str, str] = {}
    if text.startswith(_HEAD + "\n  {"):
        end = text.find("\n ],\n \"name\": ")
        if end < 0:
            return None
        for part in text[len(_HEAD) + 3:end].split(_SEP):
            frag = part if part.startswith("{") else "{" + part
            frag = frag if frag.endswith("\n  }") else frag + "\n  }"
            at = frag.find('\n   "id": "')
            if at < 0:
                return None
            cid, _ = json.decoder.scanstring(frag, at + 11)  # type: ignore[attr-defined]
            js[cid] = frag
    elif not text.startswith(_HEAD + "],"):
        return None
    rows: dict[str, list[list[str]]] = defaultdict(list)
    csv_text_ = data_csv.decode()
    reader = csv.reader(io.StringIO(csv_text_, newline=""))
    if next(reader, None) != list(RESULT_COLUMNS):
        return None
    try:
        for row in reader:
            rows[row[0]].append(row)
    except (csv.Error, IndexError):
        return None
    out_csv: dict[str, str] = {}
    for cid, block in rows.items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(block)
        out_csv[cid] = buf.getvalue()
    if HEADER + "".join(out_csv.values()) != csv_text_:  # read back as written, or rebuild
        return None
    if not set(out_csv) <= set(js):
        return None
    return js, {cid: out_csv.get(cid, "") for cid in js}


# --------------------------------------------------------------------------------------------
# the data of a publication


@dataclass
class Data:
    """The data files of a publication, and what its pages need."""

    snap: Snapshot
    summaries: dict[tuple[str, str], CouncilResult]
    nations: dict[str, CouncilResult]
    files: list[File]


def _previous_region(out: Path, previous: mf.Manifest | None, region: str
                     ) -> tuple[dict[str, str], dict[str, str]] | None:
    if previous is None:
        return None
    base = f"data/region/{ident_path(region)}"
    js, rows = previous_bytes(out, previous, base + ".json"), previous_bytes(out, previous,
                                                                             base + ".csv")
    return None if js is None or rows is None else region_pieces(js, rows)


def _region(session: Session, where: Layout, region: str, snap: Snapshot,
            fresh: tuple[dict[str, str], dict[str, str]], previous: mf.Manifest | None,
            out: Path, full: bool) -> list[File]:
    """A region's files: from the fresh pieces (a full publication), else from the previous
    files' pieces with the loaded councils' constituencies renewed; when the previous files
    are not there as their manifest says, every council of the region is read again."""
    js, rows = fresh
    if not full:
        kept = _previous_region(out, previous, region)
        if kept is None:
            mine = {council for council, _, r in where.constituencies.values() if r == region}
            js, rows = pieces(snapshot.load(session, mine), [
                cid for cid, (_, _, r) in where.constituencies.items() if r == region])
        else:
            js = {**{c: p for c, p in kept[0].items() if c not in snap.cons}, **js}
            rows = {**{c: p for c, p in kept[1].items() if c not in snap.cons}, **rows}
    return region_files(where, region, js, rows)


def _nations(session: Session, where: Layout, data: Data, previous: mf.Manifest | None,
             out: Path) -> dict[str, CouncilResult]:
    """Each vote's national aggregate: the sum of its councils' summaries, the untouched ones
    read from their published JSON (``council_results.national_result`` when one is not there)."""
    nations: dict[str, CouncilResult] = {}
    for vote in VOTES:
        parts: list[CouncilResult] = []
        for council, v in sorted(where.councils()):
            if v != vote:
                continue
            if (council, v) in data.summaries:
                parts.append(data.summaries[(council, v)])
                continue
            blob = None if previous is None else previous_bytes(
                out, previous, f"data/council/{ident_path(council)}/{v}.json")
            if blob is None:
                nations[vote] = council_results.national_result(session, vote)
                break
            parts.append(council_of_json(blob))
        else:
            nations[vote] = national(vote, parts, data.snap.party_names)
    return nations


def build(session: Session, where: Layout, touched: set[str] | None, out: Path,
          previous: mf.Manifest | None) -> Data:
    """The data files of every council (``touched`` None) or of the councils and regions of
    the ``touched`` constituencies, and the national files."""
    if touched is None:
        councils, regions = where.councils(), set(where.region_names)
        snap = snapshot.load(session)
    else:
        councils, regions = where.councils_of(touched), where.regions_of(touched)
        snap = snapshot.load(session, {c for c, _ in councils})
    summaries = snap.summaries()
    js, rows = pieces(snap, snap.cons)
    rows = {c: p for c, p in rows.items()
            if where.constituencies.get(c, ("", "", ""))[2] in where.region_names}
    files: list[File] = []
    for region in sorted(regions):
        files += _region(session, where, region, snap, (js, rows), previous, out,
                         touched is None)
    for council, vote in sorted(councils):
        summary = summaries.get((council, vote)) or council_results.summary_of(
            council, vote, [], {}, {}, snap.party_names, council_results.council_kind(vote))
        files += council_files(council, vote, summary, snap.councils.get((council, vote), ()),
                               rows)
    data = Data(snap, summaries, {}, files)
    data.nations = _nations(session, where, data, previous, out)
    files += national_files(data.nations)
    return data
