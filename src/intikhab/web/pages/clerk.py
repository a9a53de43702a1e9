"""The clerk's screens: the minute form, typed from the paper minute the bureau signed, twice
by two users (art. 23 §1–2, law 59.11 as amended), with the live check catalogue.  Never shows
another entry's figures (blind double entry, docs/double-entry.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from intikhab.law.errors import Finding, IntikhabError
from intikhab.records.checks import check_minute
from intikhab.records.minutes import COUNTS, Minute
from intikhab.services import entry, queries
from intikhab.web import deps
from intikhab.web.i18n import t
from intikhab.web.pages.common import CSRF, Clerk, lang_of, render, vote_of

router = APIRouter(include_in_schema=False)

_WESTERN: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_OUTCOMES: Final = ("first_recorded", "accepted", "conflict", "duplicate")


def parse_minute(station: str, vote: str, form: Mapping[str, Any],
                 codes: list[str]) -> tuple[Minute | None, list[dict[str, Any]]]:
    """The minute typed in the form, or the E-PV-001 findings of the fields that are not a
    non-negative integer (Eastern Arabic digits are read too).  ``codes``: the lists (or
    candidates) of the constituency, one ``v.<code>`` field each (art. 21 §4)."""
    bad: list[dict[str, Any]] = []

    def count(name: str, path: str) -> int:
        raw = str(form.get(name) or "").strip().translate(_WESTERN)
        if raw.isascii() and raw.isdigit() and len(raw) <= 12:  # no figure has 13 digits
            return int(raw)
        bad.append(_finding(Finding("E-PV-001", path, {"value": repr(raw)})))
        return 0

    doc: dict[str, Any] = {"station": station, "vote": vote,
                           **{k: count(k, k) for k in COUNTS},
                           "votes": {c: count(f"v.{c}", f"votes.{c}") for c in codes},
                           "objections": str(form.get("objections") or "")[:4000],
                           "observations": str(form.get("observations") or "")[:4000]}
    if bad:
        return None, bad
    return Minute.from_json(doc), []


def _finding(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "level": f.level.value, "field": f.field,
            "ar": f.message("ar"), "fr": f.message("fr")}


def _minute_checks(session: Any, station: str, vote: str, form: Mapping[str, Any]
                   ) -> tuple[Minute | None, list[dict[str, Any]]]:
    detail = queries.minute_detail(session, station, vote)
    m, bad = parse_minute(station, vote, form, [c.code for c in detail.candidacies])
    if m is None:
        return None, bad
    ctx = queries.station_context(session, station).context(station, vote)
    return m, [_finding(f) for f in check_minute(m, ctx)]


@router.get("/entry", response_class=HTMLResponse)
def entry_home(request: Request, principal: Clerk, constituency: str = "", done: str = "",
               station: str = "") -> Response:
    """Pick a polling station (typed id, or from a constituency's list with the states)."""
    constituency = constituency.strip()[:64]
    with deps.read(request) as s:
        rows = queries.stations(s, constituency=constituency) if constituency else []
    flash = t(f"out_{done}", lang_of(request)) if done in _OUTCOMES else None
    return render(request, "entry_home.html", principal, rows=rows,
                  constituency=constituency, flash=flash, last=station[:64])


@router.get("/entry/go")
def entry_go(request: Request, principal: Clerk, station: str = "",
             vote: str = "communal") -> Response:
    target = f"/entry/{quote(station.strip()[:64], safe='')}/{quote(vote[:20], safe='')}"
    return RedirectResponse(target, status_code=303)


@router.get("/entry/{station:path}/{vote}", response_class=HTMLResponse)
def entry_form(request: Request, principal: Clerk, station: str, vote: str) -> Response:
    """The minute's form, mirroring the paper minute: counts, votes per list in ballot
    order, objections and observations.  Never shows another entry's figures (blind double
    entry, docs/double-entry.md)."""
    with deps.read(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
    return render(request, "entry_form.html", principal, d=detail, values={}, findings=[],
                  accepted=set(), counts=COUNTS)


@router.post("/entry/check", dependencies=CSRF)
async def entry_check(request: Request, principal: Clerk) -> JSONResponse:
    """The live check catalogue for the form (E-PV-*, W-PV-*): what the minute typed so far
    raises, each with its Arabic and French message; nothing is stored."""
    form = await request.form()
    station, vote = str(form.get("station") or "")[:64], vote_of(str(form.get("vote") or ""))
    with deps.read(request) as s:
        _m, findings = _minute_checks(s, station, vote, form)
    return JSONResponse({"findings": findings,
                         "errors": sum(f["level"] == "error" for f in findings)})


@router.post("/entry/{station:path}/{vote}", response_class=HTMLResponse, dependencies=CSRF)
async def entry_submit(request: Request, principal: Clerk, station: str, vote: str) -> Response:
    """Enter the typed minute (``services.entry.enter_minutes``: checks, double entry and the
    audit record in one transaction).  Errors block; a warning blocks until its box is ticked."""
    form = await request.form()
    accepted = {str(v) for v in form.getlist("accept")}
    with deps.write(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
        m, findings = _minute_checks(s, station, vote, form)
        error: IntikhabError | None = None
        if m is not None:
            out = entry.enter_minutes(s, principal.id, [m], accepted,
                                      queries.station_context(s, station))[0]
            if out.outcome != "rejected":
                return RedirectResponse(
                    f"/entry?done={out.outcome}&station={quote(station)}"
                    f"&constituency={quote(detail.constituency)}", status_code=303)
            findings = [_finding(f) for f in out.findings]
            error = out.error
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    message = None
    if error is not None:
        message = f"{error.code} {error.message(lang_of(request))}"
    return render(request, "entry_form.html", principal, status=422, d=detail, values=values,
                  findings=findings, accepted=accepted, counts=COUNTS, flash=message,
                  flash_bad=True)
