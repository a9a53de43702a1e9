"""The public portal and the way in: national seats and votes by party, the council search,
a council's hemicycle and lists; the language, the digits and the font; log in and out.
No role is asked for; the results pages are served from the results cache."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Mapping
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from intikhab.law.errors import IntikhabError
from intikhab.services import portal
from intikhab.web import auth, deps, errors
from intikhab.web.auth import Principal
from intikhab.web.hemicycle import Seats, colour_of, hemicycle_svg
from intikhab.web.i18n import LANGS
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


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """National seats and votes by party, communal and regional; the council search."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            national = portal.national(s)
            territory = portal.territory(s, lang_of(request))
            national_councils = portal.national_councils(s)
            colours = colour_of(list(portal.party_names(s)))
        return render(request, "portal.html", principal, national=national,
                      national_councils=national_councils,
                      territory=territory, colours=colours, q="", region=None, province=None)
    return cached_public(request, build)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "", region: str = "", province: str = "") -> Response:
    """Councils by name, region or province (a shareable address: ``/search?region=R1``)."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            found = portal.places(s, q[:100], region or None, province or None,
                                  lang=lang_of(request))
            territory = portal.territory(s, lang_of(request))
        return render(request, "search.html", principal, places=found, territory=territory,
                      q=q[:100], region=region, province=province)
    return cached_public(request, build)


@router.get("/council/{council:path}", response_class=HTMLResponse)
def council_page(request: Request, council: str) -> Response:
    """A council: its hemicycle, seats and votes per party, each constituency's lists with
    their votes, seats and elected members, and the turnout."""
    def build(principal: Principal | None) -> HTMLResponse:
        lang = lang_of(request)
        with deps.read(request) as s:
            view = portal.council(s, council, lang)
            names = portal.party_names(s)
            governs = councils.governs_of(s, view.place, lang) if view else None
        if view is None:
            raise IntikhabError("E-API-004", field="council", value=council[:64])
        colours = colour_of(list(names))
        label = _party_label(names, lang)
        seats = [Seats(p.party, f"{label(p.party)}: {p.seats}", p.seats,
                       colours.get(p.party, "#888"), p.votes) for p in view.summary.parties]
        svg = hemicycle_svg(seats, view.summary.seats, title=view.place.name, rtl=lang == "ar")
        return render(request, "council.html", principal, view=view, svg=svg,
                      colours=colours, party_label=label, res=view.summary, governs=governs)
    return cached_public(request, build)


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
