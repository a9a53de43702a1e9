"""The observers' screens (list agents, party representatives), read only: the
constituencies they are accredited to, their minutes and allocation, a minute laid out for
printing (art. 23 §2, law 59.11 as amended: the lists' representatives receive a copy of the
minutes).  Coordinators and administrators read every constituency."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from intikhab.records.minutes import COUNTS
from intikhab.services import queries
from intikhab.web import deps
from intikhab.web.pages.common import Reader, allocation_or_none, page_of, render, vote_of

router = APIRouter(include_in_schema=False)


@router.get("/observe", response_class=HTMLResponse)
def observe_home(request: Request, principal: Reader, page: int = 1) -> Response:
    """The constituencies the reader may see (an observer: those accredited), a page at a
    time."""
    with deps.read(request) as s:
        only = principal.accredited if principal.role == "observer" else None
        rows, page, pages = page_of(s, queries.constituencies(s, only=only, status={}), page)
    return render(request, "observe_home.html", principal, rows=rows, page=page, pages=pages)


@router.get("/observe/c/{cid:path}", response_class=HTMLResponse)
def observe_constituency(request: Request, principal: Reader, cid: str) -> Response:
    deps.see(principal, cid)
    with deps.read(request) as s:
        row = queries.constituency_progress(s, cid)
        stations = queries.stations(s, constituency=cid)
        alloc = allocation_or_none(s, cid)
    return render(request, "observe_constituency.html", principal, row=row, rows=stations,
                  alloc=alloc)


@router.get("/minute/{station:path}/{vote}", response_class=HTMLResponse)
def minute_print(request: Request, principal: Reader, station: str, vote: str) -> Response:
    """The accepted minute, laid out for printing (coordinator, or an accredited observer)."""
    with deps.read(request) as s, deps.unseen(principal):
        detail = queries.minute_detail(s, station, vote_of(vote))
    deps.see(principal, detail.constituency)
    return render(request, "minute_print.html", principal, d=detail, counts=COUNTS)
