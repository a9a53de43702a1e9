"""The census commission's screens (coordinators): the constituencies' progress, the
conflicts between two entries, the allocation with the guide's tables and the lots, the
declaration (arts. 23–24, law 59.11 as amended)."""

from __future__ import annotations

from typing import Final
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


SORTS: Final = {"id": lambda r: (r.id,), "name": lambda r: (r.name, r.id),
                "remaining": lambda r: (-(r.stations - r.accepted), r.id),
                "conflicts": lambda r: (-r.conflict, r.id)}
_DONE: Final = ("resolve", "send_back", "correction", "allocate", "declare")


def _filter(rows: list[queries.ConstituencyRow], q: str, conflicts: str,
            incomplete: str) -> list[queries.ConstituencyRow]:
    needle = q.strip().casefold()
    if needle:
        rows = [r for r in rows if needle in r.id.casefold() or needle in r.name.casefold()]
    if conflicts:
        rows = [r for r in rows if r.conflict]
    if incomplete:
        rows = [r for r in rows if r.accepted < r.stations]
    return rows


@router.get("/coord", response_class=HTMLResponse)
def coord_home(request: Request, principal: Coordinator, vote: str = "", q: str = "",
               conflicts: str = "", incomplete: str = "", sort: str = "id",
               page: int = 1) -> Response:
    """The constituencies' progress: totals, then stations awaiting, entered once, in
    conflict, accepted and remaining, and each one's status — filtered by name, vote, "in
    conflict" or "incomplete", sorted, a page at a time (the status of the page's
    constituencies only is computed: a whole country has thousands)."""
    with deps.read(request) as s:
        every = queries.constituencies(s, vote=vote or None, status={})
        rows = sorted(_filter(every, q, conflicts, incomplete),
                      key=SORTS.get(sort, SORTS["id"]))
        shown, page, pages = page_of(s, rows, page)
    totals = {k: sum(getattr(r, k) for r in rows)
              for k in ("stations", "awaiting", "first", "conflict", "accepted")}
    query = urlencode({"vote": vote, "q": q[:100], "conflicts": conflicts,
                       "incomplete": incomplete, "sort": sort if sort in SORTS else "id"})
    return render(request, "coord_home.html", principal, rows=shown, total=len(rows),
                  totals=totals, vote=vote, q=q[:100], conflicts=conflicts,
                  incomplete=incomplete, sort=sort, sorts=tuple(SORTS), page=page,
                  pages=pages, query=query)


def _flash(request: Request) -> str | None:
    """What the last act did, in words ("the first entry was kept for station C1-S1")."""
    p, lang = request.query_params, lang_of(request)
    done = p.get("done", "")
    if done not in _DONE:
        return t("done", lang) if done else None
    station, cid = p.get("s", "")[:64], p.get("c", "")[:64]
    keep = t("first_entry" if p.get("k") == "1" else "second_entry", lang)
    return t(f"did_{done}", lang, s=station, c=cid, k=keep)


@router.get("/coord/c/{cid:path}", response_class=HTMLResponse)
def coord_constituency(request: Request, principal: Coordinator, cid: str) -> Response:
    """A constituency for its census commission: stations and minutes, the allocation with
    the guide's tables, a lot to record, the declaration (confirmed, with a reason)."""
    with deps.read(request) as s:
        row = queries.constituency_progress(s, cid)
        stations = queries.stations(s, constituency=cid)
        alloc = allocation_or_none(s, cid)
    following = next((r for r in stations if r.status == "conflict"), None)
    return render(request, "coord_constituency.html", principal, row=row, rows=stations,
                  alloc=alloc, flash=_flash(request), next_conflict=following)


@router.get("/coord/conflict/{station:path}/{vote}", response_class=HTMLResponse)
def coord_conflict(request: Request, principal: Coordinator, station: str, vote: str) -> Response:
    """The two entries side by side, the differing fields highlighted; keep one or send the
    minute back to be typed again (checked against the signed paper minute) — or, for an
    accepted minute, open a correction: each confirmed, with a reason."""
    with deps.read(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
    return render(request, "coord_conflict.html", principal, d=detail, counts=COUNTS,
                  error=False, flash=_flash(request))


def _next_conflict(s: object, cid: str) -> str | None:
    rows = queries.stations(s, constituency=cid)  # type: ignore[arg-type]
    found = next((r for r in rows if r.status == "conflict"), None)
    return None if found is None else (
        f"/coord/conflict/{quote(found.station, safe='')}/{found.vote}")


@router.post("/coord/conflict/{station:path}/{vote}", dependencies=CSRF)
async def coord_resolve(request: Request, principal: Coordinator, station: str,
                        vote: str) -> Response:
    """Keep an entry, send the minute back or open a correction — only with the confirmation
    box ticked; the reason goes into the audit record.  Then the next conflict."""
    form = await request.form()
    action = str(form.get("action") or "")
    reason = str(form.get("reason") or "").strip()[:150] or None
    if action not in ("1", "2", "send_back", "correction"):
        raise IntikhabError("E-API-001", field="action", detail="1, 2, send_back or "
                                                                "correction")
    with deps.read(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
    if form.get("confirm") != "1":
        return render(request, "coord_conflict.html", principal, status=422, d=detail,
                      counts=COUNTS, error=True, flash=t("confirm_box", lang_of(request)),
                      flash_bad=True)
    with deps.write(request) as s:
        if action in ("1", "2"):
            entry.resolve(s, principal.id, station, vote, 1 if action == "1" else 2, reason)
        elif action == "send_back":
            entry.send_back(s, principal.id, station, vote, reason)
        else:
            entry.open_correction(s, principal.id, station, vote, reason)
        following = _next_conflict(s, detail.constituency)
    done = {"1": "resolve", "2": "resolve"}.get(action, action)
    said = urlencode({"done": done, "s": station, "k": action, "c": detail.constituency})
    target = following or f"/coord/c/{quote(detail.constituency)}"
    return RedirectResponse(f"{target}?{said}", status_code=303)


@router.post("/coord/c/{cid:path}/allocate", dependencies=CSRF)
async def coord_allocate(request: Request, principal: Coordinator, cid: str) -> Response:
    """Allocate the seats (art. 24; guide ch. 9–10), with the outcome of a lot the
    commission drew (``lot_key`` → ``lot_winner``) or a public seed, recorded with the result
    — a lot's outcome only with the confirmation box ticked (it decides a seat for good)."""
    form = await request.form()
    key, winner = str(form.get("lot_key") or ""), str(form.get("lot_winner") or "")
    seed = str(form.get("seed") or "").strip()[:200] or None
    if (key or seed) and form.get("confirm") != "1":
        raise IntikhabError("E-API-001", field="confirm", detail="1")
    with deps.write(request) as s:
        queries.constituency(s, cid)
        results.allocate(s, principal.id, only=[cid],
                         lots={key: winner} if key and winner else None, seed=seed)
    said = urlencode({"done": "allocate", "c": cid})
    return RedirectResponse(f"/coord/c/{quote(cid)}?{said}#allocation", status_code=303)


@router.post("/coord/c/{cid:path}/declare", dependencies=CSRF)
async def coord_declare(request: Request, principal: Coordinator, cid: str) -> Response:
    """Declare the result (art. 24): the public pages show it from now on.  Irreversible:
    only with the confirmation box ticked; the reason goes into the audit."""
    form = await request.form()
    if form.get("confirm") != "1":
        raise IntikhabError("E-API-001", field="confirm", detail="1")
    reason = str(form.get("reason") or "").strip()[:150] or None
    with deps.write(request) as s:
        queries.constituency(s, cid)
        results.declare(s, principal.id, only=[cid], reason=reason)
    cache = getattr(request.app.state, "cache", None)
    if cache is not None:
        cache.invalidate([cid])  # its council and the national results, nothing else
    said = urlencode({"done": "declare", "c": cid})
    return RedirectResponse(f"/coord/c/{quote(cid)}?{said}#allocation", status_code=303)
