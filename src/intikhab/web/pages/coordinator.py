"""The census commission's screens (coordinators): the constituencies' progress, the
conflicts between two entries, the allocation with the guide's tables and the lots, the
declaration (arts. 23–24, law 59.11 as amended)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from intikhab.law.errors import IntikhabError
from intikhab.records.minutes import COUNTS
from intikhab.services import entry, queries, results
from intikhab.web import deps
from intikhab.web.i18n import t
from intikhab.web.pages.common import (
    CSRF,
    Coordinator,
    allocation_or_none,
    lang_of,
    page_of,
    render,
    vote_of,
)

router = APIRouter(include_in_schema=False)


@router.get("/coord", response_class=HTMLResponse)
def coord_home(request: Request, principal: Coordinator, vote: str = "", q: str = "",
               conflicts: str = "", page: int = 1) -> Response:
    """The constituencies' progress: stations awaiting, entered once, in conflict, accepted,
    and each one's status — filtered by name, vote or "in conflict", a page at a time (the
    status of the page's constituencies only is computed: a whole country has thousands)."""
    with deps.read(request) as s:
        rows = queries.constituencies(s, vote=vote or None, status={})
        needle = q.strip().casefold()
        if needle:
            rows = [r for r in rows if needle in r.id.casefold() or needle in r.name.casefold()]
        if conflicts:
            rows = [r for r in rows if r.conflict]
        shown, page, pages = page_of(s, rows, page)
    query = urlencode({"vote": vote, "q": q[:100], "conflicts": conflicts})
    return render(request, "coord_home.html", principal, rows=shown, total=len(rows),
                  vote=vote, q=q[:100], conflicts=conflicts, page=page, pages=pages,
                  query=query)


@router.get("/coord/c/{cid:path}", response_class=HTMLResponse)
def coord_constituency(request: Request, principal: Coordinator, cid: str,
                       done: str = "") -> Response:
    """A constituency for its census commission: stations and minutes, the allocation with
    the guide's tables, a lot to record, the declaration."""
    with deps.read(request) as s:
        row = queries.constituency_progress(s, cid)
        stations = queries.stations(s, constituency=cid)
        alloc = allocation_or_none(s, cid)
    flash = t(done, lang_of(request)) if done in ("done",) else None
    return render(request, "coord_constituency.html", principal, row=row, rows=stations,
                  alloc=alloc, flash=flash)


@router.get("/coord/conflict/{station:path}/{vote}", response_class=HTMLResponse)
def coord_conflict(request: Request, principal: Coordinator, station: str, vote: str) -> Response:
    """The two entries side by side, the differing fields highlighted; keep one or send the
    minute back to be typed again (checked against the signed paper minute)."""
    with deps.read(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
    return render(request, "coord_conflict.html", principal, d=detail, counts=COUNTS)


@router.post("/coord/conflict/{station:path}/{vote}", dependencies=CSRF)
async def coord_resolve(request: Request, principal: Coordinator, station: str,
                        vote: str) -> Response:
    form = await request.form()
    action = str(form.get("action") or "")
    with deps.write(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
        if action in ("1", "2"):
            entry.resolve(s, principal.id, station, vote, 1 if action == "1" else 2)
        elif action == "send_back":
            entry.send_back(s, principal.id, station, vote)
        elif action == "correction":
            entry.open_correction(s, principal.id, station, vote)
        else:
            raise IntikhabError("E-API-001", field="action", detail="1, 2, send_back or "
                                                                    "correction")
    return RedirectResponse(f"/coord/c/{quote(detail.constituency)}?done=done", status_code=303)


@router.post("/coord/c/{cid:path}/allocate", dependencies=CSRF)
async def coord_allocate(request: Request, principal: Coordinator, cid: str) -> Response:
    """Allocate the seats (art. 24; guide ch. 9–10), with the outcome of a lot the
    commission drew (``lot_key`` → ``lot_winner``) or a public seed, recorded with the result."""
    form = await request.form()
    key, winner = str(form.get("lot_key") or ""), str(form.get("lot_winner") or "")
    seed = str(form.get("seed") or "").strip()[:200] or None
    with deps.write(request) as s:
        queries.constituency(s, cid)
        results.allocate(s, principal.id, only=[cid],
                         lots={key: winner} if key and winner else None, seed=seed)
    return RedirectResponse(f"/coord/c/{quote(cid)}?done=done#allocation", status_code=303)


@router.post("/coord/c/{cid:path}/declare", dependencies=CSRF)
def coord_declare(request: Request, principal: Coordinator, cid: str) -> Response:
    """Declare the result (art. 24): the public pages show it from now on."""
    with deps.write(request) as s:
        queries.constituency(s, cid)
        results.declare(s, principal.id, only=[cid])
    cache = getattr(request.app.state, "cache", None)
    if cache is not None:
        cache.invalidate([cid])  # its council and the national results, nothing else
    return RedirectResponse(f"/coord/c/{quote(cid)}?done=done#allocation", status_code=303)
