"""``intikhab publish``: the public results as a signed static site (docs/publication.md).

The pages are the portal's own, rendered in-process by the routes' own page functions
(``web.pages.public``: home, council and search pages) from the data read once — no request
through the application — and their links rewritten to the files (``web.site``); the data
files, proofs and record pages come from ``services.site_data``; the allocation records' PDFs
from ``services.documents`` and ``formats.documents``, rendered in worker processes; the
folder, the manifest and its signature from ``services.publication``.

A later publication is incremental: the audit log since the previous manifest's ``log_size``
names the constituencies declared meanwhile (``publication.touched_since``); only their
council's pages and data, their region's data, the search pages of the country, their region
and their province, the national pages and data, the maps (a regional result declared)
and their records are built again — and a file is rewritten only when its bytes changed.

One job over 500 lines: what a publication renews (pages, records and proofs, PDFs) is decided
together in ``_plan`` from the same audit reading, and split across modules it would pass the
plan's half-built state around.
"""

from __future__ import annotations

import gc
import importlib.resources
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult
from intikhab.records import manifest as mf
from intikhab.services import (
    bureaus,
    council_results,
    keys,
    maps,
    portal,
    publication,
    site_build,
    site_data,
    site_snapshot,
)
from intikhab.services import governs as governing
from intikhab.services.site_data import File, ident_path
from intikhab.web.hemicycle import colour_of
from intikhab.web.site import file_of, rewrite

HERE: Final = Path(__file__).resolve().parent
Progress = Callable[[str, int, int], None]
DEFAULT_URL: Final = "https://intikhab.invalid"  # services.documents.DEFAULT_URL (not imported:
# the documents' modules are read only when PDFs are made)
FONTS: Final = ("Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Italic.ttf",
                "Amiri-BoldItalic.ttf")


@dataclass(frozen=True, slots=True)
class Options:
    out: Path
    key: Path
    db: str | None = None
    base_url: str = DEFAULT_URL
    langs: tuple[str, ...] = ("ar", "fr")
    pdf: bool = True
    minutes: bool = False
    full: bool = False
    jobs: int = 0  # PDF worker processes (0: one per CPU)


@dataclass
class Report:
    incremental: bool
    touched: int | None  # constituencies renewed (None: everything)
    files: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    log_size: int = 0
    seconds: float = 0.0


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


# --------------------------------------------------------------------------------------------
# the pages, rendered by the portal's own page functions


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A search page to publish (``/search?region=…``, ``/search?province=…`` or the whole
    country) and the councils it lists."""

    query: str
    lang: str
    region: str
    province: str
    found: list[portal.Place]


def search_pages(s: Session, regions: Sequence[str], provinces: Sequence[str],
                 langs: Sequence[str], country: bool = True) -> list[SearchPage]:
    """The search pages of ``regions`` and ``provinces`` (and of the whole country), with the
    councils each lists, as the ``/search`` route finds them."""
    out = []
    for lang in langs:
        amp = "" if lang == "ar" else "&lang=fr"
        wanted = [("", "")] if country else []
        wanted += [(r, "") for r in regions] + [("", p) for p in provinces]
        for region, province in wanted:
            query = (f"region={region}{amp}" if region else f"province={province}{amp}"
                     if province else amp[1:])
            out.append(SearchPage(query, lang, region, province, portal.places(
                s, "", region or None, province or None, lang=lang)))
    return out


def _place_summaries(s: Session, pages: Sequence[SearchPage], data: site_build.Data,
                     out: Path, previous: mf.Manifest | None) -> dict[str, portal.PlaceSummary]:
    """The search line of each council the pages summarise: from the councils read for this
    publication, else from the council's published JSON, else from the database."""
    res: dict[str, portal.PlaceSummary] = {}
    for place in {p.id: p for page in pages for p in page.found[:portal.SUMMARISED]}.values():
        r = data.summaries.get((place.id, place.vote))
        if r is None and previous is not None:
            blob = site_build.previous_bytes(
                out, previous, f"data/council/{ident_path(place.id)}/{place.vote}.json")
            r = None if blob is None else site_build.council_of_json(blob)
        if r is None:
            r = council_results.council_result(s, place.id, place.vote)
        res[place.id] = portal.place_summary(r)
    return res


def _request(app: Any, path: str, query: str, base: str) -> Any:
    """The request the application would see for ``path?query`` (no cookie, no user)."""
    from starlette.requests import Request

    url = urlsplit(base)
    return Request({"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                    "method": "GET", "scheme": url.scheme or "https", "path": path,
                    "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
                    "headers": [(b"host", (url.netloc or "localhost").encode())],
                    "client": ("127.0.0.1", 0), "server": (url.hostname or "localhost", 443),
                    "state": {}, "app": app})


def direct_pages(app: Any, plan: _Plan, langs: Sequence[str], base: str,
                 progress: Progress) -> list[File]:
    """The home page, the renewed councils' pages and the search pages, rendered by the
    portal's own page functions (``web.pages.public``) from the data already read — no
    request through the application, no query per page."""
    from intikhab.web.pages.public import council_html, home_html, search_html

    snap, out = plan.data.snap, []
    national = {v: plan.data.nations[v] for v in portal.VOTES}
    views: dict[str, list[tuple[str, portal.CouncilView]]] = {lang: [] for lang in langs}
    for council in plan.councils:
        where = snap.places["ar"].get(council)
        summary = where and (plan.data.summaries.get((council, where.vote))
                             or council_results.summary_of(
            council, where.vote, [], {}, {}, snap.party_names,
            council_results.council_kind(where.vote)))
        for lang in langs:
            view = snap.council_view(council, summary, lang) if where and summary else None
            if view is not None:
                views[lang].append((council, view))
    total = sum(len(v) + 1 for v in views.values()) + len(plan.search)

    def put(path: str, query: str, lang: str, body: bytes) -> None:
        out.append((file_of(path, query) or "", rewrite(body.decode(), base, lang)))
        progress("pages", len(out), total)

    for lang in langs:
        query = "" if lang == "ar" else "lang=fr"
        put("/", query, lang, bytes(home_html(
            _request(app, "/", query, base), None, national, plan.territories[lang],
            snap.party_names, plan.counted, plan.updated, plan.national_councils).body))
        for council, view in views[lang]:
            path = f"/council/{council}"
            put(path, query, lang, bytes(council_html(
                _request(app, path, query, base), None, view, snap.party_names, plan.counted,
                plan.updated, plan.governs[(council, lang)]).body))
    for page in plan.search:
        summaries = {p.id: plan.place_summaries[p.id]
                     for p in page.found[:portal.SUMMARISED]}
        put("/search", page.query, page.lang, bytes(search_html(
            _request(app, "/search", page.query, base), None, page.found,
            plan.territories[page.lang], summaries, snap.party_names, plan.counted, "",
            page.region, page.province).body))
    return [(rel, text.encode()) for rel, text in out]


# --------------------------------------------------------------------------------------------
# PDFs in worker processes


def _render_chunk(jobs: Sequence[tuple[str, Any, str]], out: Path,
                  previous: dict[str, mf.Entry]) -> list[tuple[str, mf.Entry, bool]]:
    from intikhab.formats.documents import render

    done = []
    for rel, doc, lang in jobs:
        data = render(doc, lang)
        entry = mf.entry_of(data)
        path = out / rel
        same = previous.get(rel) == entry and path.is_file()
        if not same:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        done.append((rel, entry, not same))
    return done


def render_pdfs(docs: Sequence[tuple[str, Any]], langs: Sequence[str], writer:
                publication.SiteWriter, jobs: int, progress: Progress) -> None:
    """Each document in each language at ``<rel>.<lang>.pdf``, in ``jobs`` processes."""
    work = [(f"{rel}.{lang}.pdf", doc, lang) for rel, doc in docs for lang in langs]
    previous = dict(writer.previous.files) if writer.previous else {}
    chunk = 100
    parts = [work[i:i + chunk] for i in range(0, len(work), chunk)]
    done = 0

    def take(results: list[tuple[str, mf.Entry, bool]]) -> None:
        nonlocal done
        for rel, entry, wrote in results:
            writer.files[rel] = entry
            if wrote:
                writer.written.append(rel)
        done += len(results)
        progress("pdf", done, len(work))

    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(parts) <= 1:
        for part in parts:
            take(_render_chunk(part, writer.out, previous))
        return
    mine = {rel: previous[rel] for rel, _, _ in work if rel in previous}
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        for result in pool.map(_render_chunk, parts, [writer.out] * len(parts),
                               [mine] * len(parts)):
            take(result)


def _doc_rel(doc: Any, base: str) -> str:
    """``records/<kind>/<id>`` from the document's QR address (``documents.seal_url``)."""
    url: str = doc.seal.url
    return url[len(base.rstrip("/")) + 1:].split("?", 1)[0].removesuffix(".html")


# --------------------------------------------------------------------------------------------
# maps, assets


def map_files(session: Session, langs: Sequence[str]) -> list[File]:
    """The national maps by region and by province, coloured by the leading party, as SVG
    files and one page per language (``maps/index.html``)."""
    names = portal.party_names(session)
    colours = colour_of(list(names))
    regions, provinces = site_data.regional_leaders(session)
    out: list[File] = []
    for lang in langs:
        prefix = "" if lang == "ar" else "fr/"
        svgs = []
        levels: tuple[tuple[maps.MapLevel, dict[str, str]], ...] = (
            ("region", regions), ("province", provinces))
        for level, leaders in levels:
            fills = {code: maps.Fill(colours.get(p, "#888888"),
                                     names.get(p, (p, p))[0 if lang == "ar" else 1])
                     for code, p in leaders.items()}
            link = ((lambda c, pre=prefix: f"/{pre}council/{c}/") if level == "region"
                    else (lambda c, pre=prefix: f"/{pre}search/province/{c}/"))
            svg = maps.choropleth_svg(level, fills, lang, link_of=link)
            out.append((f"maps/{level}.{lang}.svg", svg.encode()))
            svgs.append(svg)
        title = "الخرائط" if lang == "ar" else "Cartes"
        home = "/" if lang == "ar" else "/fr/"
        body = "".join(f"<section class=\"card\">{s}</section>" for s in svgs)
        page = (f'<!doctype html>\n<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'
                f'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,'
                f' initial-scale=1"><title>{title}</title><link rel="stylesheet" '
                f'href="/static/app.css"></head><body><header class="top"><a class="brand" '
                f'href="{home}">intikhab</a></header><main><h1>{title}</h1>{body}</main>'
                f'<script src="/static/site-live.js" defer></script></body></html>\n')
        out.append((f"{prefix}maps/index.html", page.encode()))
    return out


def asset_files() -> list[File]:
    out = [(f"static/{p.name}", p.read_bytes()) for p in sorted((HERE / "static").iterdir())
           if p.is_file()]
    fonts = importlib.resources.files("fontpkg_amiri") / "files"
    return out + [(f"fonts/{name}", (fonts / name).read_bytes()) for name in FONTS]


# --------------------------------------------------------------------------------------------
# the whole publication


def _intact(out: Path, previous: mf.Manifest) -> bool:
    """Every file of the previous manifest is there with its size (else: publish it all)."""
    root = str(out)
    for rel, entry in previous.files.items():
        try:
            if os.stat(os.path.join(root, rel)).st_size != entry.size:
                return False
        except OSError:
            return False
    return True


def _unchanged(s: Session, opts: Options, previous: mf.Manifest) -> bool:
    """Nothing declared since the previous publication, the same checkpoint, every file there:
    nothing to write (the manifest stays as it is)."""
    if opts.full:
        return False
    _top, _touched, moved = publication.touched_since(s, previous.log_size)
    if moved:
        return False
    stored = site_data.latest_checkpoint(s)
    cps = stored.signed.checkpoint.size if stored else None
    return cps == previous.checkpoint_size and _intact(opts.out, previous)


@dataclass
class _Plan:
    touched: set[str] | None
    log_size: int
    files: list[File]
    search: list[SearchPage]
    place_summaries: dict[str, portal.PlaceSummary]
    docs: list[tuple[str, Any]]
    dropped: list[str]
    origin: str
    checkpoint: str | None
    checkpoint_size: int | None
    data: site_build.Data
    territories: dict[str, portal.Territory]  # by language
    national_councils: dict[str, CouncilResult]  # every kind of council, nationally
    governs: dict[tuple[str, str], Any]  # (council, lang) -> who governs it
    councils: list[str]  # whose pages are renewed
    counted: dict[str, portal.Progress]  # the counting progress the pages show
    updated: str | None


Records = tuple[list[File], list[tuple[str, Any]], list[str]]  # files, PDFs, files dropped


def _size(stored: Any) -> int | None:
    return None if stored is None else int(stored.signed.checkpoint.size)


def _record_files(kind: str, heads: Mapping[str, tuple[str, str]],
                  proved: Mapping[str, dict[str, Any]], opts: Options,
                  before: Mapping[str, mf.Entry]) -> tuple[list[File], list[str]]:
    """The page of each record of ``kind`` (``heads``: id -> name, digest) and its proof when
    a checkpoint covers it; the previous proof of one that has none yet (declared again after
    the checkpoint) is dropped."""
    langs = opts.langs if opts.pdf else ()
    files: list[File] = []
    dropped: list[str] = []
    for cid, (name, digest) in heads.items():
        rel = f"records/{kind}/{ident_path(cid)}"
        files.append((rel + ".html", site_data.record_page(kind, cid, name, digest, langs,
                                                           cid in proved)))
        if cid in proved:
            files.append((rel + ".proof.json", site_data._json(proved[cid])))
        elif rel + ".proof.json" in before:
            dropped.append(rel + ".proof.json")
    return files, dropped


def _allocation_records(s: Session, opts: Options, previous: mf.Manifest | None,
                        touched: set[str] | None, snap: site_snapshot.Snapshot,
                        stored: Any, declared: list[str], trees: dict[int, Any]) -> Records:
    """The allocation records' pages, proofs and PDFs of the ``declared`` constituencies, and
    the pages and proofs of those a checkpoint signed since the previous publication covers
    for the first time."""
    from intikhab.services import documents

    heads = site_build.record_heads(snap, declared)
    if previous is not None and touched is not None:
        newly = site_data.covered_between(s, previous.checkpoint_size, _size(stored))
        if newly - set(heads):
            heads |= site_data.record_heads(s, sorted(newly - set(heads)))
    records = sorted(heads)
    bundles = site_data.proofs(s, stored, records, trees=trees) if stored is not None else {}
    before = previous.files if previous else {}
    files, dropped = _record_files("allocation", heads, bundles, opts, before)
    gone = set(touched or ()) - set(heads)
    dropped += [rel for cid in gone for rel in before
                if rel.startswith(f"records/allocation/{ident_path(cid)}.")]
    docs: list[tuple[str, Any]] = (
            [(f"records/allocation/{ident_path(c)}", d) for c, d in
             documents.allocation_records(s, declared, opts.base_url)] if opts.pdf else [])
    return files, docs, dropped


def _bureau_records(s: Session, opts: Options, previous: mf.Manifest | None, every: bool,
                    top: int, stored: Any, trees: dict[int, Any]) -> Records:
    """The bureau-session records' pages, proofs and PDFs: of every council that sat
    (``every``), else of those that sat since the previous publication or whose session a
    checkpoint signed since covers for the first time."""
    from intikhab.services import documents, web_support

    sat = (bureaus.sat(s) if every or previous is None else sorted(
        {e for _, _, e in web_support.audit_since(s, previous.log_size, top, bureaus.ACTIONS)}
        | site_data.covered_between(s, previous.checkpoint_size, _size(stored),
                                    bureaus.ACTIONS)))
    found = list(documents.bureau_records(s, sat, opts.base_url))
    proved = (site_data.proofs(s, stored, sat, bureaus.ACTIONS, trees)
              if stored is not None and found else {})
    heads = {cid: (d.header.council, d.seal.digest) for cid, d in found}
    files, dropped = _record_files("bureau", heads, proved, opts,
                                   previous.files if previous else {})
    docs = [(f"records/bureau/{ident_path(cid)}", d) for cid, d in found] if opts.pdf else []
    return files, docs, dropped


def _plan(s: Session, opts: Options, previous: mf.Manifest | None) -> _Plan:
    from intikhab.services import transparency, web_support

    if previous is not None and not opts.full:
        top, touched, _moved = publication.touched_since(s, previous.log_size)
        if touched is not None and not _intact(opts.out, previous):
            touched = None
    else:
        top, touched = web_support.last_audit_seq(s), None
    where = site_data.layout(s)
    stored = site_data.latest_checkpoint(s)
    cps = stored.signed.checkpoint.size if stored else None
    data = site_build.build(s, where, touched, opts.out, previous)
    snap = data.snap
    councils = where.councils() if touched is None else where.councils_of(touched)
    declared = sorted(cid for cid in (snap.cons if touched is None else touched)
                      if cid in snap.latest and snap.latest[cid].declared_at is not None)
    trees: dict[int, Any] = {}  # the log's tree, built once for every proof
    files, docs, dropped = _allocation_records(s, opts, previous, touched, snap, stored,
                                               declared, trees)
    more = _bureau_records(s, opts, previous, touched is None, top, stored, trees)
    files, docs, dropped = files + more[0], docs + more[1], dropped + more[2]
    # the maps colour regions and provinces by the regional vote: renewed when it moved
    if touched is None or any(v == "regional" for _, v in councils):
        files = map_files(s, opts.langs) + files
    files = data.files + files
    if opts.minutes and touched is None:
        from intikhab.formats.documents.model import AllocationDocument, BureauDocument
        from intikhab.services import documents

        for region in sorted(where.region_names):
            docs += [(_doc_rel(d, opts.base_url), d)
                     for _, d in documents.region_documents(s, region, opts.base_url)
                     if not isinstance(d, AllocationDocument | BureauDocument)]
    territories = {lang: portal.territory(s, lang) for lang in opts.langs}
    # the search pages show each council's status, seats and leader: a declaration renews
    # the country's, its region's and its province's (all of them on a full publish)
    if touched is None:
        regions = set(where.region_names)
        provinces = {p for p, _, _ in portal.territory(s).provinces}
    else:
        regions = where.regions_of(touched)
        provinces = {p.province_id for c, _ in councils
                     if (p := snap.places["ar"].get(c)) is not None and p.province_id}
    search = search_pages(s, sorted(regions), sorted(provinces), opts.langs)
    renewed = sorted({c for c, _ in councils})
    governs = {(c, lang): governing.governs(s, place, lang) for c in renewed
               if (place := snap.places["ar"].get(c)) is not None for lang in opts.langs}
    place_summaries = _place_summaries(s, search, data, opts.out, previous)
    note = stored.signed.note() if stored is not None else None
    return _Plan(touched, top, files, search, place_summaries, docs, dropped,
                 transparency.origin_of(s), note, cps, data, territories,
                 portal.national_councils(s, data.nations), governs, renewed,
                 portal.progress(s), portal.last_update(s))


def publish(opts: Options, progress: Progress = _quiet) -> Report:
    """Publish (or publish again, incrementally) into ``opts.out``; see the module.

    A publication into a folder already published runs with Python's cycle collector paused:
    it only reads and writes plain data (no cycle to collect), and the collector's passes over
    the previous manifest's 50,000 entries were a fifth of an incremental publication's time."""
    paused = gc.isenabled() and (opts.out / mf.MANIFEST).is_file() and not opts.full
    if paused:
        gc.disable()
    try:
        return _publish(opts, progress)
    finally:
        if paused:
            gc.enable()


def _publish(opts: Options, progress: Progress) -> Report:
    from types import SimpleNamespace

    from intikhab.web.pages.common import make_templates

    t0 = time.perf_counter()
    previous = publication.prepare(opts.out, opts.key)
    private = keys.load_signing_key(opts.key)
    opts.out.mkdir(parents=True, exist_ok=True)
    writer = publication.SiteWriter(opts.out, previous)
    with site_snapshot.reading(opts.db) as s:
        if previous is not None and _unchanged(s, opts, previous):
            return Report(True, 0, len(previous.files), log_size=previous.log_size,
                          seconds=time.perf_counter() - t0)
        plan = _plan(s, opts, previous)
    progress("data", 0, len(plan.files))
    host = SimpleNamespace(state=SimpleNamespace(templates=make_templates()))
    plan.files += direct_pages(host, plan, opts.langs, opts.base_url, progress)
    if plan.touched is None or previous is None:
        plan.files += asset_files()
    plan.files.append((publication.PUBLIC_KEY, publication.public_pem(private)))
    if plan.checkpoint is not None:
        plan.files.append((publication.CHECKPOINT, plan.checkpoint.encode()))
    for rel, data in plan.files:
        writer.put(rel, data)
    progress("data", len(plan.files), len(plan.files))
    render_pdfs(plan.docs, opts.langs, writer, opts.jobs, progress)
    if plan.touched is not None:
        writer.keep_all_but((), plan.dropped)
    manifest = writer.finish(plan.origin, plan.log_size, plan.checkpoint_size, private)
    return Report(plan.touched is not None, None if plan.touched is None else len(plan.touched),
                  len(manifest.files), writer.written, writer.removed, plan.log_size,
                  time.perf_counter() - t0)
