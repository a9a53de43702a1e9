"""The public portal and the way in: national seats and votes by party, the council search,
a council's hemicycle and lists; the language, the digits and the font; log in and out.
No role is asked for; the results pages are served from the results cache."""

from __future__ import annotations

import csv
import importlib.resources
import io
from collections.abc import Callable, Mapping
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from intikhab.formats.council import CouncilResult
from intikhab.formats.documents.render import render as render_document
from intikhab.law.errors import IntikhabError
from intikhab.services import council_results, documents, portal, queries, web_support
from intikhab.web import auth, deps, errors
from intikhab.web.auth import Principal
from intikhab.web.hemicycle import OTHER, Seats, colour_of, hemicycle_svg, majority
from intikhab.web.i18n import LANGS, number, t
from intikhab.web.pages import councils
from intikhab.web.pages.common import CSRF, back, cached_public, lang_of, local, render

router = APIRouter(include_in_schema=False)

FONTS: Final = frozenset({"Amiri-Regular.ttf", "Amiri-Bold.ttf", "Amiri-Italic.ttf",
                          "Amiri-BoldItalic.ttf"})


@router.get("/lang/{code}")
def set_lang(request: Request, code: str) -> Response:
    """Switch the pages' language (``ar`` or ``fr``) and go back."""
    if code not in LANGS:
        raise IntikhabError("E-API-004", field="lang", value=code[:20])
    response = RedirectResponse(back(request), status_code=303)
    response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/digits/{kind}")
def set_digits(request: Request, kind: str) -> Response:
    """Figures in Western digits (the default) or Eastern Arabic ones, and go back."""
    if kind not in ("western", "eastern"):
        raise IntikhabError("E-API-004", field="digits", value=kind[:20])
    response = RedirectResponse(back(request), status_code=303)
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


def _hemicycle(request: Request, res: CouncilResult, colours: Mapping[str, str],
               label: Callable[[str | None], str], title: str) -> str:
    """The council's (or the nation's) hemicycle in the page's direction and digits."""
    lang = lang_of(request)
    seats = [Seats(p.party, f"{label(p.party)}: {number(p.seats, lang)}", p.seats,
                   colours.get(p.party, OTHER), p.votes) for p in res.parties]
    eastern = request.cookies.get("digits") == "eastern"
    return hemicycle_svg(seats, res.seats, title=title, rtl=lang == "ar",
                         total_label=number(res.seats, lang, eastern),
                         per_dot_label=lambda k: t("per_dot", lang, n=number(k, lang, eastern)))


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """National seats and votes by party, communal and regional, each with its hemicycle;
    the counting progress (stations counted, nationally and per region); the search."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            national = portal.national(s)
            territory = portal.territory(s, lang_of(request))
            names = portal.party_names(s)
            counted = portal.progress(s)
            updated = portal.last_update(s)
            national_councils = portal.national_councils(s)
        return home_html(request, principal, national, territory, names, counted, updated,
                         national_councils)
    return cached_public(request, build)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "", region: str = "", province: str = "") -> Response:
    """Councils by name, region or province (a shareable address: ``/search?region=R1``),
    each with its declared seats, its leading party and its counting progress."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            found = portal.places(s, q[:100], region or None, province or None,
                                  lang=lang_of(request))
            territory = portal.territory(s, lang_of(request))
            summaries = portal.summaries(s, found)
            names = portal.party_names(s)
            counted = portal.progress(s)
        return search_html(request, principal, found, territory, summaries, names, counted,
                           q[:100], region, province)
    return cached_public(request, build)


@router.get("/council/{council:path}", response_class=HTMLResponse)
def council_page(request: Request, council: str) -> Response:
    """A council: its hemicycle with the majority line, seats and votes per party, each
    constituency's lists with their votes, seats (the women's part apart) and elected
    members, and the turnout — or, while nothing is declared, how far the count has gone."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            view = portal.council(s, council, lang_of(request))
            names = portal.party_names(s)
            counted = portal.progress(s)
            updated = portal.last_update(s)
            governs = councils.governs_of(s, view.place, lang_of(request)) if view else None
        if view is None:
            raise IntikhabError("E-API-004", field="council", value=council[:64])
        return council_html(request, principal, view, names, counted, updated, governs)
    return cached_public(request, build)


def home_html(request: Request, principal: Principal | None,
              national: Mapping[str, CouncilResult], territory: portal.Territory,
              names: Mapping[str, tuple[str, str]], counted: Mapping[str, portal.Progress],
              updated: str | None,
              national_councils: Mapping[str, CouncilResult] | None = None) -> HTMLResponse:
    """The portal's home page from its data (``intikhab publish`` renders it the same way);
    ``national_councils``: each kind of council with its own total."""
    lang = lang_of(request)
    colours = colour_of(list(names))
    label = _party_label(names, lang)
    svgs = {v: _hemicycle(request, r, colours, label, t(v, lang)) for v, r in national.items()}
    return render(request, "portal.html", principal, national=national, svgs=svgs,
                  territory=territory, colours=colours, party_label=label,
                  counted=counted, updated=updated, majority=majority, q="", region=None,
                  province=None, live="national", national_councils=national_councils)


def search_html(request: Request, principal: Principal | None, found: list[portal.Place],
                territory: portal.Territory, summaries: Mapping[str, portal.PlaceSummary],
                names: Mapping[str, tuple[str, str]], counted: Mapping[str, portal.Progress],
                q: str = "", region: str = "", province: str = "") -> HTMLResponse:
    """The search page from its data (``intikhab publish`` renders it the same way)."""
    lang = lang_of(request)
    return render(request, "search.html", principal, places=found, territory=territory,
                  summaries=summaries, colours=colour_of(list(names)),
                  party_label=_party_label(names, lang), counted=counted,
                  q=q, region=region, province=province)


def council_html(request: Request, principal: Principal | None, view: portal.CouncilView,
                 names: Mapping[str, tuple[str, str]], counted: Mapping[str, portal.Progress],
                 updated: str | None, governs: Any = None) -> HTMLResponse:
    """A council's page from its view (``intikhab publish`` renders it the same way);
    ``governs``: who governs it (``pages.councils.governs_of``)."""
    lang = lang_of(request)
    colours = colour_of(list(names))
    label = _party_label(names, lang)
    svg = _hemicycle(request, view.summary, colours, label, view.place.name)
    mine = counted[view.place.vote].councils.get(view.place.id, portal.Counted())
    return render(request, "council.html", principal, view=view, svg=svg,
                  colours=colours, party_label=label, res=view.summary, mine=mine,
                  updated=updated, majority=majority, live=view.place.id, governs=governs)


@router.get("/live")
def live(request: Request, council: str = "") -> JSONResponse:
    """The counting progress for the pages' live refresh (``static/live.js`` polls it):
    stations counted nationally and for ``council``, the last update, and the declared
    results' generation (a change: the page reloads).  Never cached: it moves with every
    accepted minute, which the results cache ignores."""
    with deps.read(request) as s:
        counted = portal.progress(s)
        updated = portal.last_update(s)
        generation = web_support.declared_generation(s)
    lang = lang_of(request)
    eastern = request.cookies.get("digits") == "eastern"
    out: dict[str, object] = {
        "updated": updated, "generation": str(generation),
        "updated_text": number(updated.replace("T", " "), lang, eastern) if updated else ""}
    for vote, prog in counted.items():
        cells = {"national": prog.national, **{f"r:{k}": v for k, v in prog.regions.items()}}
        if council in prog.councils:
            cells["council"] = prog.councils[council]
        out[vote] = {k: {"counted": v.counted, "stations": v.stations,
                         "declared": v.declared, "constituencies": v.constituencies,
                         "text": t("counted_of", lang, c=number(v.counted, lang, eastern),
                                   n=number(v.stations, lang, eastern),
                                   p=number(v.percent, lang, eastern))}
                     for k, v in cells.items()}
    return JSONResponse(out, headers={"Cache-Control": "no-cache"})


@router.get("/download/{council}/{vote}.csv")
def download_csv(request: Request, council: str, vote: str) -> Response:
    """A council's (``national``: the nation's) declared result by party as CSV (UTF-8 with
    a byte-order mark, so that a spreadsheet reads the Arabic names)."""
    if vote not in portal.VOTES:
        raise IntikhabError("E-PV-011", field="vote", value=vote[:20])
    with deps.read(request) as s:
        if council == "national":
            res = portal.national(s)[vote]
        else:
            if portal.place(s, council) is None:
                raise IntikhabError("E-API-004", field="council", value=council[:64])
            res = council_results.council_result(s, council, vote)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["party", "name_ar", "name_fr", "seats", "votes", "council_seats",
                "declared", "constituencies"])
    for p in res.parties:
        if p.seats or p.votes:
            w.writerow([p.party, p.name_ar, p.name_fr, p.seats, p.votes, res.seats,
                        res.declared, res.constituencies])
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{council}-{vote}.csv"'})


@router.get("/documents/allocation/{cid}.pdf")
def allocation_pdf(request: Request, cid: str) -> Response:
    """The allocation record (PDF, ``formats.documents``) of a constituency whose result is
    declared (art. 24): public like the result itself."""
    lang = lang_of(request)
    with deps.read(request) as s:
        view = queries.allocation(s, cid, declared=True)
        if view.declared_at is None:  # pragma: no cover - declared=True finds declared ones
            raise IntikhabError("E-API-014", field="constituency", value=cid[:64])
        doc = documents.allocation_record(s, cid, str(request.base_url).rstrip("/"))
    data = render_document(doc, lang)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{cid}-{lang}.pdf"'})


# --------------------------------------------------------------------------------------------
# Login


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html", auth.current_principal(request), form=True,
                  next=back(request, ""), failed=False, user="")


_HOME_OF: Final = {"clerk": "/entry", "coordinator": "/coord", "observer": "/observe",
                   "admin": "/admin"}


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
async def login_submit(request: Request) -> Response:
    """Check the password (audited either way); on success a session cookie and the user's
    screen (or the page that asked for the login)."""
    form = await request.form()
    user = str(form.get("user") or "")[:64]
    password = str(form.get("password") or "")
    target = str(form.get("next") or "")
    try:
        principal = auth.login(request, user, password)
    except IntikhabError as error:
        if error.code != "E-API-008":  # throttled, locked, disabled: the coded page
            return errors.respond(request, error)
        return render(request, "login.html", None, status=401, form=True, next=target,
                      failed=True, user=user)
    response = RedirectResponse(local(target, "") or _HOME_OF.get(principal.role, "/"),
                                status_code=303)
    auth.start_session(request, response, principal)
    return response


@router.post("/logout", dependencies=CSRF)
def logout(request: Request) -> Response:
    """End the session server-side (the cookie's token opens nothing any more)."""
    principal = auth.current_principal(request)
    if principal is not None:
        auth.logout(request, principal)
    response = RedirectResponse("/", status_code=303)
    auth.end_session(response)
    return response
