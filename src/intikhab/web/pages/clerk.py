"""The clerk's screens: the minute form, typed from the paper minute the bureau signed, twice
by two users (art. 23 §1–2, law 59.11 as amended), with the live check catalogue.  Never shows
another entry's figures (blind double entry, docs/double-entry.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from intikhab.formats.words import WORDS
from intikhab.law.errors import Finding, IntikhabError
from intikhab.records.checks import check_minute
from intikhab.records.minutes import COUNTS, Minute
from intikhab.services import entry, portal, queries
from intikhab.web import deps
from intikhab.web.i18n import number, t
from intikhab.web.pages.common import CSRF, Clerk, lang_of, render, vote_of

router = APIRouter(include_in_schema=False)

_WESTERN: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_OUTCOMES: Final = ("first_recorded", "accepted", "conflict", "duplicate")


def field_label(path: str, lang: str, lists: Mapping[str, str]) -> str:
    """A field named as the paper minute names it: ``ballots`` → "Bulletins trouvés dans
    l'urne", ``votes.P04`` → "4. <list name>" (``lists``: code → "rank. name")."""
    if path.startswith("votes."):
        return lists.get(path[6:], path[6:])
    key = f"f_{path}"
    return t(key, lang) if key in WORDS else path


def parse_minute(station: str, vote: str, form: Mapping[str, Any],
                 codes: list[str], lists: Mapping[str, str] | None = None,
                 partial: bool = False) -> tuple[Minute | None, list[dict[str, Any]]]:
    """The minute typed in the form, or the E-PV-001 findings of the fields that are not a
    non-negative integer (Eastern Arabic digits are read too), each field named as on the
    paper minute.  ``partial`` (the live check while typing): an empty field is not yet an
    error, and no minute is made until every field is typed.  ``codes``: the lists (or
    candidates) of the constituency, one ``v.<code>`` field each (art. 21 §4)."""
    bad: list[dict[str, Any]] = []
    empty: list[str] = []
    names = lists or {}

    def count(name: str, path: str) -> int:
        raw = str(form.get(name) or "").strip().translate(_WESTERN)
        if raw.isascii() and raw.isdigit() and len(raw) <= 12:  # no figure has 13 digits
            return int(raw)
        if partial and raw == "":
            empty.append(path)
            return 0
        bad.append(_finding(Finding("E-PV-001", path, {"value": repr(raw)}), names))
        return 0

    doc: dict[str, Any] = {"station": station, "vote": vote,
                           **{k: count(k, k) for k in COUNTS},
                           "votes": {c: count(f"v.{c}", f"votes.{c}") for c in codes},
                           "objections": str(form.get("objections") or "")[:4000],
                           "observations": str(form.get("observations") or "")[:4000]}
    if bad or empty:
        return None, bad
    return Minute.from_json(doc), []


def _finding(f: Finding, lists: Mapping[str, str] | None = None) -> dict[str, Any]:
    names = lists or {}
    out: dict[str, Any] = {"code": f.code, "level": f.level.value, "field": f.field,
                           "input": f"v.{f.field[6:]}" if f.field.startswith("votes.")
                           else f.field}
    for lang in ("ar", "fr"):
        label = field_label(f.field, lang, names)
        named = Finding(f.code, f.field, {**f.params, "field": f"«{label}»"})
        out[lang] = named.message(lang)
        out[f"label_{lang}"] = label
    return out


def _lists(session: Any, detail: queries.MinuteDetail,
           request: Request | None = None) -> dict[str, str]:
    """List code → "rank. name (party)" as the paper minute prints it — for a page
    (``request``), the rank in the page's digits and the party's name in its language."""
    names = portal.party_names(session)
    lang = lang_of(request) if request is not None else "ar"
    eastern = request is not None and request.cookies.get("digits") == "eastern"
    out = {}
    for c in detail.candidacies:
        party = names.get(c.party or "")
        out[c.code] = (f"{number(c.rank, lang, eastern)}. {c.name}"
                       + (f" ({party[0 if lang == 'ar' else 1]})" if party else ""))
    return out


def _minute_checks(session: Any, station: str, vote: str, form: Mapping[str, Any],
                   partial: bool = False) -> tuple[Minute | None, list[dict[str, Any]]]:
    detail = queries.minute_detail(session, station, vote)
    lists = _lists(session, detail)
    m, bad = parse_minute(station, vote, form, [c.code for c in detail.candidacies], lists,
                          partial)
    if m is None:
        return None, bad
    ctx = queries.station_context(session, station).context(station, vote)
    return m, [_finding(f, lists) for f in check_minute(m, ctx)]


def next_waiting(session: Any, constituency: str, user: str, after: str = "") -> str | None:
    """The next station of ``constituency`` (after ``after``, then from the start) whose
    minute awaits an entry this clerk may make: awaiting, or entered once by someone else."""
    rows = [r for r in queries.stations(session, constituency=constituency)
            if r.status == "awaiting" or (r.status == "first" and r.first_user != user)]
    later = [r for r in rows if r.station > after] or rows
    found = next((r for r in later if r.station != after), None)
    return None if found is None else f"/entry/{quote(found.station, safe='')}/{found.vote}"


@router.get("/entry", response_class=HTMLResponse)
def entry_home(request: Request, principal: Clerk, constituency: str = "", done: str = "",
               station: str = "", awaiting: str = "") -> Response:
    """Pick a polling station (typed id, or from a constituency's list with the states;
    ``awaiting=1``: only the minutes still to type)."""
    constituency = constituency.strip()[:64]
    with deps.read(request) as s:
        rows = queries.stations(s, constituency=constituency) if constituency else []
    if awaiting:
        rows = [r for r in rows if r.status in ("awaiting", "first")]
    flash = t(f"out_{done}", lang_of(request)) if done in _OUTCOMES else None
    return render(request, "entry_home.html", principal, rows=rows, awaiting=bool(awaiting),
                  constituency=constituency, flash=flash, last=station[:64], unknown="")


@router.get("/entry/go", response_class=HTMLResponse)
def entry_go(request: Request, principal: Clerk, station: str = "",
             vote: str = "communal") -> Response:
    """Open the typed station's form — or say, on the same page, that it does not exist."""
    station = station.strip()[:64]
    with deps.read(request) as s:
        known = bool(station) and queries.station_context(s, station).stations.get(station)
    if not known:
        return render(request, "entry_home.html", principal, status=404, rows=[],
                      awaiting=False, constituency="", last=station, unknown=station,
                      flash=t("unknown_station", lang_of(request), s=station), flash_bad=True)
    target = f"/entry/{quote(station, safe='')}/{quote(vote[:20], safe='')}"
    return RedirectResponse(target, status_code=303)


@router.get("/entry/{station:path}/{vote}", response_class=HTMLResponse)
def entry_form(request: Request, principal: Clerk, station: str, vote: str) -> Response:
    """The minute's form, mirroring the paper minute: counts, votes per list in ballot
    order, objections and observations.  Never shows another entry's figures (blind double
    entry, docs/double-entry.md)."""
    lang = lang_of(request)
    with deps.read(request) as s:
        detail = queries.minute_detail(s, station, vote_of(vote))
        lists = _lists(s, detail, request)
        following = next_waiting(s, detail.constituency, principal.id, station)
    done = request.query_params.get("done", "")
    flash = t(f"out_{done}", lang) if done in _OUTCOMES else None
    refused = None  # refused before typing, not at submit (docs/double-entry.md)
    if detail.status == "first" and detail.first is not None and \
            detail.first.user == principal.id:
        refused = t("already_entered", lang)
    elif detail.status in ("accepted", "conflict"):
        refused = f"{t('st_' + detail.status, lang)} — " + (
            IntikhabError("E-PV-007", station=station, vote=t(vote, lang)).message(lang)
            if detail.status == "accepted" else t("out_conflict", lang))
    return render(request, "entry_form.html", principal, d=detail, values={}, findings=[],
                  accepted=set(), counts=COUNTS, lists=lists, following=following,
                  refused=refused, flash=flash)


@router.post("/entry/check", dependencies=CSRF)
async def entry_check(request: Request, principal: Clerk) -> JSONResponse:
    """The live check catalogue for the form (E-PV-*, W-PV-*): what the minute typed so far
    raises, each with its Arabic and French message; nothing is stored."""
    form = await request.form()
    station, vote = str(form.get("station") or "")[:64], vote_of(str(form.get("vote") or ""))
    with deps.read(request) as s:
        m, findings = _minute_checks(s, station, vote, form, partial=True)
    return JSONResponse({"findings": findings, "complete": m is not None,
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
                following = next_waiting(s, detail.constituency, principal.id, station)
                target = (f"{following}?done={out.outcome}" if following else
                          f"/entry?done={out.outcome}&station={quote(station)}"
                          f"&constituency={quote(detail.constituency)}")
                return RedirectResponse(target, status_code=303)
            findings = [_finding(f, _lists(s, detail)) for f in out.findings]
            error = out.error
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    message = None
    if error is not None:
        message = f"{error.code} {error.message(lang_of(request))}"
    with deps.read(request) as s:
        lists = _lists(s, detail, request)
    return render(request, "entry_form.html", principal, status=422, d=detail, values=values,
                  findings=findings, accepted=accepted, counts=COUNTS, flash=message,
                  flash_bad=True, lists=lists, following=None, refused=None)
