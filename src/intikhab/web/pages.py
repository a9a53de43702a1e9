"""The HTML screens (server-rendered Jinja2, no JavaScript build step): the public results
portal, login, and one screen per job — clerk, coordinator (census commission), observer,
administrator.  docs/web.md describes them.

- Arabic first (``dir="rtl"``), French by ``/lang/fr`` (a cookie) or ``?lang=fr`` in any
  address, so a shared link keeps its language; Western digits unless ``/digits/eastern``.
- Every screen but the portal checks the role (``auth.require_page``); every form POST
  carries the CSRF token (``auth.verify_csrf``); every change goes through the services, which
  write it with its audit record in one transaction.
- The public pages are served from the results cache (``app.state.cache``) for anonymous
  visitors: they change only when a result is declared (art. 24, law 59.11 as amended).
"""

from __future__ import annotations

import importlib.resources
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from intikhab.formats.council import percent
from intikhab.formats.rows import ImportRejected
from intikhab.law.errors import Finding, IntikhabError
from intikhab.records.checks import check_minute
from intikhab.records.minutes import COUNTS, Minute
from intikhab.services import entry, portal, queries, results, transfer, users
from intikhab.web import auth
from intikhab.web.auth import Principal
from intikhab.web.hemicycle import Seats, colour_of, hemicycle_svg
from intikhab.web.i18n import LANGS, digits, t

router = APIRouter(include_in_schema=False)

FONTS: Final = frozenset({"Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Italic.ttf",
                          "Amiri-BoldItalic.ttf"})
PUBLIC_MAX_AGE: Final = 5  # seconds a browser or proxy may reuse a public page


# --------------------------------------------------------------------------------------------
# Rendering


def lang_of(request: Request) -> str:
    """``?lang=`` in the address, else the ``lang`` cookie, else Arabic."""
    for value in (request.query_params.get("lang"), request.cookies.get("lang")):
        if value in LANGS:
            return value
    return "ar"


def _here(request: Request) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def _share(request: Request, lang: str) -> str:
    """The page's shareable address, with its language when it is not Arabic."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if lang != "ar":
        query.append(("lang", lang))
    base = str(request.base_url).rstrip("/")
    return base + request.url.path + (f"?{urlencode(query)}" if query else "")


def context(request: Request, principal: Principal | None, form: bool = False,
            **extra: Any) -> dict[str, Any]:
    """What every template gets: the language, translation and figure helpers, the user and
    (for a user, or an anonymous ``form`` such as the login) the CSRF token."""
    lang = lang_of(request)
    eastern = request.cookies.get("digits") == "eastern"

    def tr(key: str, **params: object) -> str:
        return t(key, lang, **params)

    def n(value: object) -> str:
        return digits(value, eastern)

    def ratio(*values: object) -> Markup:
        """``a / b`` kept left to right inside Arabic text (else the bidi algorithm shows
        ``b / a``)."""
        return Markup('<bdi dir="ltr">{}</bdi>').format(" / ".join(n(v) for v in values))

    ctx: dict[str, Any] = {
        "lang": lang, "t": tr, "n": n, "ratio": ratio, "pct": percent, "eastern": eastern,
        "principal": principal, "here": _here(request), "share": _share(request, lang),
        "lang_q": "" if lang == "ar" else f"?lang={lang}", "flash": None, "flash_bad": False,
        "csrf": auth.csrf_token(request) if principal is not None or form else ""}
    ctx.update(extra)
    return ctx


def render(request: Request, name: str, principal: Principal | None = None,
           status: int = 200, **extra: Any) -> HTMLResponse:
    """Render template ``name`` with :func:`context`; ``form=True`` among ``extra`` gives an
    anonymous page (the login) its CSRF token."""
    form = bool(extra.pop("form", False))
    templates = request.app.state.templates
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request, name, context(request, principal, form, **extra), status_code=status)


def cached_public(request: Request, build: Callable[[Principal | None], HTMLResponse]
                  ) -> Response:
    """A public page: from the results cache for anonymous visitors (keyed by the address,
    language and digits), freshly rendered for a logged-in user (whose header differs)."""
    principal = auth.current_principal(request)
    cache = getattr(request.app.state, "cache", None)
    if principal is not None or cache is None:
        return build(principal)
    key = "page\x1f" + "\x1f".join((request.url.netloc, request.url.path, str(request.url.query),
                                    lang_of(request), request.cookies.get("digits", "")))
    item = cache.get(key, lambda: bytes(build(None).body))  # an error raises: not kept
    headers = {"ETag": item.etag, "Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}",
               "Vary": "Cookie"}
    if request.headers.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(item.body, headers=headers)


def _sessions(request: Request) -> Any:
    return request.app.state.Sessions


def _back(request: Request, default: str = "/") -> str:
    """A safe place to return to: a local path from ``next`` only."""
    return _local(request.query_params.get("next") or default, default)


def _local(target: str, default: str) -> str:
    """``target`` if it is a path on this site (never ``//host`` nor ``/\\host``)."""
    ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else default


# --------------------------------------------------------------------------------------------
# Public portal


@router.get("/lang/{code}")
def set_lang(request: Request, code: str) -> Response:
    """Switch the pages' language (``ar`` or ``fr``) and go back."""
    if code not in LANGS:
        raise IntikhabError("E-API-004", field="lang", value=code[:20])
    response = RedirectResponse(_back(request), status_code=303)
    response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/digits/{kind}")
def set_digits(request: Request, kind: str) -> Response:
    """Figures in Western digits (the default) or Eastern Arabic ones, and go back."""
    if kind not in ("western", "eastern"):
        raise IntikhabError("E-API-004", field="digits", value=kind[:20])
    response = RedirectResponse(_back(request), status_code=303)
    response.set_cookie("digits", kind, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/fonts/{name}")
def font(name: str) -> Response:
    """The Amiri font, shipped by the ``fontpkg-amiri`` package (SIL Open Font License)."""
    if name not in FONTS:
        raise IntikhabError("E-API-004", field="font", value=name[:40])
    data = (importlib.resources.files("fontpkg_amiri") / "files" / name).read_bytes()
    return Response(data, media_type="font/ttf",
                    headers={"Cache-Control": "public, max-age=31536000, immutable"})


def _party_label(names: Mapping[str, tuple[str, str]], lang: str) -> Callable[[str | None], str]:
    def label(party: str | None) -> str:
        if party is None:
            return ""
        found = names.get(party)
        return party if found is None else found[0 if lang == "ar" else 1]
    return label


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """National seats and votes by party, communal and regional; the council search."""
    def build(principal: Principal | None) -> HTMLResponse:
        with _sessions(request)() as s:
            national = portal.national(s)
            territory = portal.territory(s)
            colours = colour_of(list(portal.party_names(s)))
        return render(request, "portal.html", principal, national=national,
                      territory=territory, colours=colours, q="", region=None, province=None)
    return cached_public(request, build)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "", region: str = "", province: str = "") -> Response:
    """Councils by name, region or province (a shareable address: ``/search?region=R1``)."""
    def build(principal: Principal | None) -> HTMLResponse:
        with _sessions(request)() as s:
            found = portal.places(s, q[:100], region or None, province or None)
            territory = portal.territory(s)
        return render(request, "search.html", principal, places=found, territory=territory,
                      q=q[:100], region=region, province=province)
    return cached_public(request, build)


@router.get("/council/{council:path}", response_class=HTMLResponse)
def council_page(request: Request, council: str) -> Response:
    """A council: its hemicycle, seats and votes per party, each constituency's lists with
    their votes, seats and elected members, and the turnout."""
    def build(principal: Principal | None) -> HTMLResponse:
        lang = lang_of(request)
        with _sessions(request)() as s:
            view = portal.council(s, council)
            names = portal.party_names(s)
        if view is None:
            raise IntikhabError("E-API-004", field="council", value=council[:64])
        colours = colour_of(list(names))
        label = _party_label(names, lang)
        seats = [Seats(p.party, f"{label(p.party)}: {p.seats}", p.seats,
                       colours.get(p.party, "#888"), p.votes) for p in view.summary.parties]
        svg = hemicycle_svg(seats, view.summary.seats, title=view.place.name, rtl=lang == "ar")
        return render(request, "council.html", principal, view=view, svg=svg,
                      colours=colours, party_label=label, res=view.summary)
    return cached_public(request, build)


# --------------------------------------------------------------------------------------------
# Login


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html", auth.current_principal(request), form=True,
                  next=_back(request, ""), failed=False, user="")


_HOME_OF: Final = {"clerk": "/entry", "coordinator": "/coord", "observer": "/observe",
                   "admin": "/admin"}


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(auth.verify_csrf)])
async def login_submit(request: Request) -> Response:
    """Check the password (audited either way); on success a session cookie and the user's
    screen (or the page that asked for the login)."""
    form = await request.form()
    user = str(form.get("user") or "")[:64]
    password = str(form.get("password") or "")
    target = str(form.get("next") or "")
    try:
        principal = auth.login(request, user, password)
    except IntikhabError:
        return render(request, "login.html", None, status=401, form=True, next=target,
                      failed=True, user=user)
    response = RedirectResponse(_local(target, "") or _HOME_OF.get(principal.role, "/"),
                                status_code=303)
    auth.start_session(request, response, principal)
    return response


@router.post("/logout", dependencies=[Depends(auth.verify_csrf)])
def logout(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    auth.end_session(response)
    return response


# --------------------------------------------------------------------------------------------
# Clerk: the minute form (art. 23 §1–2: the minute the bureau signed, typed twice)

ENTRY_ROLES: Final = ("clerk", "coordinator", "admin")
COORD_ROLES: Final = ("coordinator", "admin")
READ_ROLES: Final = ("observer", "coordinator", "admin")
Clerk = Annotated[Principal, Depends(auth.require_page(*ENTRY_ROLES))]
Coordinator = Annotated[Principal, Depends(auth.require_page(*COORD_ROLES))]
Reader = Annotated[Principal, Depends(auth.require_page(*READ_ROLES))]
Admin = Annotated[Principal, Depends(auth.require_page("admin"))]
PAGE: Final = 50
_WESTERN: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _vote(vote: str) -> str:
    if vote not in queries.VOTES:
        raise IntikhabError("E-PV-011", field="vote", value=vote[:20])
    return vote


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
    with _sessions(request)() as s:
        rows = queries.stations(s, constituency=constituency) if constituency else []
    flash = t(f"out_{done}", lang_of(request)) if done in _OUTCOMES else None
    return render(request, "entry_home.html", principal, rows=rows,
                  constituency=constituency, flash=flash, last=station[:64])


_OUTCOMES: Final = ("first_recorded", "accepted", "conflict", "duplicate")


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
    with _sessions(request)() as s:
        detail = queries.minute_detail(s, station, _vote(vote))
    return render(request, "entry_form.html", principal, d=detail, values={}, findings=[],
                  accepted=set(), counts=COUNTS)


@router.post("/entry/check", dependencies=[Depends(auth.verify_csrf)])
async def entry_check(request: Request, principal: Clerk) -> JSONResponse:
    """The live check catalogue for the form (E-PV-*, W-PV-*): what the minute typed so far
    raises, each with its Arabic and French message; nothing is stored."""
    form = await request.form()
    station, vote = str(form.get("station") or "")[:64], _vote(str(form.get("vote") or ""))
    with _sessions(request)() as s:
        _m, findings = _minute_checks(s, station, vote, form)
    return JSONResponse({"findings": findings,
                         "errors": sum(f["level"] == "error" for f in findings)})


@router.post("/entry/{station:path}/{vote}", response_class=HTMLResponse,
             dependencies=[Depends(auth.verify_csrf)])
async def entry_submit(request: Request, principal: Clerk, station: str, vote: str) -> Response:
    """Enter the typed minute (``services.entry.enter_minutes``: checks, double entry and the
    audit record in one transaction).  Errors block; a warning blocks until its box is ticked."""
    form = await request.form()
    accepted = {str(v) for v in form.getlist("accept")}
    with _sessions(request).begin() as s:
        detail = queries.minute_detail(s, station, _vote(vote))
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


# --------------------------------------------------------------------------------------------
# Coordinator: progress, conflicts, allocation, lots, declaration (art. 23–24)


def _page_of(s: Any, rows: list[queries.ConstituencyRow], page: int
             ) -> tuple[list[queries.ConstituencyRow], int, int]:
    """Page ``page`` of ``rows`` (:data:`PAGE` a page) with each one's status — computed for
    that page only (``queries.progress_of``): a whole country has thousands of
    constituencies.  Returns the rows, the page and the number of pages."""
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE:page * PAGE]
    status = queries.progress_of(s, [r.id for r in shown])
    return ([replace(r, status=status[r.id].value) if r.id in status else r for r in shown],
            page, pages)


@router.get("/coord", response_class=HTMLResponse)
def coord_home(request: Request, principal: Coordinator, vote: str = "", q: str = "",
               conflicts: str = "", page: int = 1) -> Response:
    """The constituencies' progress: stations awaiting, entered once, in conflict, accepted,
    and each one's status — filtered by name, vote or "in conflict", :data:`PAGE` a page (the
    status of the page's constituencies only is computed: a whole country has thousands)."""
    with _sessions(request)() as s:
        rows = queries.constituencies(s, vote=vote or None, status={})
        needle = q.strip().casefold()
        if needle:
            rows = [r for r in rows if needle in r.id.casefold() or needle in r.name.casefold()]
        if conflicts:
            rows = [r for r in rows if r.conflict]
        shown, page, pages = _page_of(s, rows, page)
    query = urlencode({"vote": vote, "q": q[:100], "conflicts": conflicts})
    return render(request, "coord_home.html", principal, rows=shown, total=len(rows),
                  vote=vote, q=q[:100], conflicts=conflicts, page=page, pages=pages,
                  query=query)


def _allocation(s: Any, cid: str, declared: bool = False) -> queries.AllocationView | None:
    try:
        return queries.allocation(s, cid, declared=declared)
    except IntikhabError as error:
        if error.code != "E-API-014":
            raise
        return None


@router.get("/coord/c/{cid:path}", response_class=HTMLResponse)
def coord_constituency(request: Request, principal: Coordinator, cid: str,
                       done: str = "") -> Response:
    """A constituency for its census commission: stations and minutes, the allocation with
    the guide's tables, a lot to record, the declaration."""
    with _sessions(request)() as s:
        row = queries.constituency_progress(s, cid)
        stations = queries.stations(s, constituency=cid)
        alloc = _allocation(s, cid)
    flash = t(done, lang_of(request)) if done in ("done",) else None
    return render(request, "coord_constituency.html", principal, row=row, rows=stations,
                  alloc=alloc, flash=flash)


@router.get("/coord/conflict/{station:path}/{vote}", response_class=HTMLResponse)
def coord_conflict(request: Request, principal: Coordinator, station: str, vote: str) -> Response:
    """The two entries side by side, the differing fields highlighted; keep one or send the
    minute back to be typed again (checked against the signed paper minute)."""
    with _sessions(request)() as s:
        detail = queries.minute_detail(s, station, _vote(vote))
    return render(request, "coord_conflict.html", principal, d=detail, counts=COUNTS)


@router.post("/coord/conflict/{station:path}/{vote}", dependencies=[Depends(auth.verify_csrf)])
async def coord_resolve(request: Request, principal: Coordinator, station: str,
                        vote: str) -> Response:
    form = await request.form()
    action = str(form.get("action") or "")
    with _sessions(request).begin() as s:
        detail = queries.minute_detail(s, station, _vote(vote))
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


@router.post("/coord/c/{cid:path}/allocate", dependencies=[Depends(auth.verify_csrf)])
async def coord_allocate(request: Request, principal: Coordinator, cid: str) -> Response:
    """Allocate the seats (art. 24; guide ch. 9–10), with the outcome of a lot the
    commission drew (``lot_key`` → ``lot_winner``) or a public seed, recorded with the result."""
    form = await request.form()
    key, winner = str(form.get("lot_key") or ""), str(form.get("lot_winner") or "")
    seed = str(form.get("seed") or "").strip()[:200] or None
    with _sessions(request).begin() as s:
        queries.constituency(s, cid)
        results.allocate(s, principal.id, only=[cid],
                         lots={key: winner} if key and winner else None, seed=seed)
    return RedirectResponse(f"/coord/c/{quote(cid)}?done=done#allocation", status_code=303)


@router.post("/coord/c/{cid:path}/declare", dependencies=[Depends(auth.verify_csrf)])
def coord_declare(request: Request, principal: Coordinator, cid: str) -> Response:
    """Declare the result (art. 24): the public pages show it from now on."""
    with _sessions(request).begin() as s:
        queries.constituency(s, cid)
        results.declare(s, principal.id, only=[cid])
    cache = getattr(request.app.state, "cache", None)
    if cache is not None:
        cache.invalidate([cid])  # its council and the national results, nothing else
    return RedirectResponse(f"/coord/c/{quote(cid)}?done=done#allocation", status_code=303)


# --------------------------------------------------------------------------------------------
# Observer (list agents, party representatives): read only, accredited constituencies


def _may_see(principal: Principal, cid: str) -> None:
    """Observers see the constituencies they are accredited to (art. 23 §2: the lists'
    representatives receive a copy of the minutes), every other reading role all."""
    if not principal.can_see(cid):
        raise auth.HttpError(403, "E-API-010", field="constituency", user=principal.id,
                             value=cid)


@router.get("/observe", response_class=HTMLResponse)
def observe_home(request: Request, principal: Reader, page: int = 1) -> Response:
    """The constituencies the reader may see (an observer: those accredited), a page at a
    time."""
    with _sessions(request)() as s:
        only = principal.accredited if principal.role == "observer" else None
        rows, page, pages = _page_of(s, queries.constituencies(s, only=only, status={}), page)
    return render(request, "observe_home.html", principal, rows=rows, page=page, pages=pages)


@router.get("/observe/c/{cid:path}", response_class=HTMLResponse)
def observe_constituency(request: Request, principal: Reader, cid: str) -> Response:
    _may_see(principal, cid)
    with _sessions(request)() as s:
        row = queries.constituency_progress(s, cid)
        stations = queries.stations(s, constituency=cid)
        alloc = _allocation(s, cid)
    return render(request, "observe_constituency.html", principal, row=row, rows=stations,
                  alloc=alloc)


@router.get("/minute/{station:path}/{vote}", response_class=HTMLResponse)
def minute_print(request: Request, principal: Reader, station: str, vote: str) -> Response:
    """The accepted minute, laid out for printing (coordinator, or an accredited observer)."""
    with _sessions(request)() as s:
        detail = queries.minute_detail(s, station, _vote(vote))
    _may_see(principal, detail.constituency)
    return render(request, "minute_print.html", principal, d=detail, counts=COUNTS)


# --------------------------------------------------------------------------------------------
# Administrator: users, roles, accreditations, election set-up


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, principal: Admin, done: str = "") -> Response:
    with _sessions(request)() as s:
        rows = queries.users(s)
    return render(request, "admin.html", principal, rows=rows, roles=users.ROLES,
                  flash=t("done", lang_of(request)) if done else None, errors=[])


@router.post("/admin/users", dependencies=[Depends(auth.verify_csrf)])
async def admin_create(request: Request, principal: Admin) -> Response:
    form = await request.form()
    with _sessions(request).begin() as s:
        users.create_user(s, principal.id, str(form.get("id") or "").strip(),
                          str(form.get("name") or "").strip()[:200],
                          str(form.get("role") or ""), str(form.get("password") or ""))
    return RedirectResponse("/admin?done=1", status_code=303)


@router.post("/admin/users/{user:path}", dependencies=[Depends(auth.verify_csrf)])
async def admin_update(request: Request, principal: Admin, user: str) -> Response:
    """Change a user's role or password, or an observer's accreditations."""
    form = await request.form()
    with _sessions(request).begin() as s:
        if "accredited" in form:
            wanted = str(form.get("accredited") or "").replace(",", " ").split()
            users.accredit(s, principal.id, user, wanted)
        else:
            users.update_user(s, principal.id, user, role=str(form.get("role") or "") or None,
                              password=str(form.get("password") or "") or None)
    return RedirectResponse("/admin?done=1", status_code=303)


@router.post("/admin/import", response_class=HTMLResponse,
             dependencies=[Depends(auth.verify_csrf)])
async def admin_import(request: Request, principal: Admin) -> Response:
    """Import an election bundle (JSON, or a .zip of CSV files): territory, constituencies,
    stations, lists, users — all or nothing, every rejected row listed."""
    form = await request.form()
    upload = form.get("bundle")
    if upload is None or isinstance(upload, str):
        raise IntikhabError("E-API-001", field="bundle", detail="a file")
    data = await upload.read()
    suffix = ".zip" if (upload.filename or "").lower().endswith(".zip") else ".json"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"bundle{suffix}"
            path.write_bytes(data)
            with _sessions(request).begin() as s:
                transfer.load_bundle_file(s, path, actor=principal.id)
    except ImportRejected as rejected:
        with _sessions(request)() as s:
            rows = queries.users(s)
        return render(request, "admin.html", principal, status=422, rows=rows,
                      roles=users.ROLES, errors=[str(e) for e in rejected.errors[:50]],
                      flash=f"{rejected.code} {rejected.message(lang_of(request))}",
                      flash_bad=True)
    return RedirectResponse("/admin?done=1", status_code=303)
