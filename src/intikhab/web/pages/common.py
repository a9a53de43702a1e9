"""What every page shares: the language and figures, the template context, rendering, the
public pages' cache, safe return addresses, the role a page asks for, a page of rows.

- Arabic first (``dir="rtl"``), French by ``/lang/fr`` (a cookie) or ``?lang=fr`` in any
  address, so a shared link keeps its language; Western digits unless ``/digits/eastern``.
- The public pages are served from the results cache (``app.state.cache``) for anonymous
  visitors: they change only when a result is declared (art. 24, law 59.11 as amended).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from intikhab.formats.council import percent
from intikhab.formats.words import WORDS
from intikhab.law.errors import IntikhabError
from intikhab.services import queries
from intikhab.web import auth
from intikhab.web.auth import Principal
from intikhab.web.deps import ADMINS, CLERKS, COORDINATORS, MINUTE_READERS
from intikhab.web.i18n import LANGS, decimal, number, t

PUBLIC_MAX_AGE: Final = 5  # seconds a browser or proxy may reuse a public page
PAGE: Final = 50  # constituencies on a page of the coordinator's and observer's lists

Clerk = Annotated[Principal, Depends(auth.require_page(*CLERKS))]
Coordinator = Annotated[Principal, Depends(auth.require_page(*COORDINATORS))]
Reader = Annotated[Principal, Depends(auth.require_page(*MINUTE_READERS))]
Admin = Annotated[Principal, Depends(auth.require_page(*ADMINS))]
CSRF: Final = [Depends(auth.verify_csrf)]


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
        return number(value, lang, eastern)

    def dec(value: object, places: int = 2) -> str:
        return decimal(str(value), lang, eastern, places)

    def ratio(*values: object) -> Markup:
        """``a / b`` kept left to right inside Arabic text (else the bidi algorithm shows
        ``b / a``)."""
        return Markup('<bdi dir="ltr">{}</bdi>').format(" / ".join(n(v) for v in values))

    ctx: dict[str, Any] = {
        "lang": lang, "t": tr, "n": n, "dec": dec, "ratio": ratio, "pct": percent,
        "eastern": eastern, "colon": "\u202f: " if lang == "fr" else ": ",
        "fwd": "→" if lang == "fr" else "←", "remainders": remainders,
        "has_word": WORDS.__contains__, "rev": "←" if lang == "fr" else "→",
        "principal": principal, "here": _here(request), "share": _share(request, lang),
        "lang_q": "" if lang == "ar" else f"?lang={lang}", "flash": None, "flash_bad": False,
        "csrf": auth.csrf_token(request) if principal is not None or form else ""}
    ctx.update(extra)
    return ctx


def remainders(group: Mapping[str, Any]) -> dict[str, Any]:
    """The guide's remainder column ranked (ch. 10): each list's rank by remainder (largest
    first, among the lists that take part), the last list to win a seat by remainder (the
    cut-off) and the first one left out.  Display only: the engine's stored result decides."""
    lists = [ln for ln in group.get("lists", []) if not ln.get("excluded")]
    ranked = sorted(lists, key=lambda ln: (-Fraction(str(ln.get("remainder", 0))),
                                           -int(ln.get("votes", 0))))
    ranks = {str(ln["id"]): i + 1 for i, ln in enumerate(ranked)}
    won = [ln for ln in ranked if int(ln.get("by_remainder") or 0) > 0]
    last = str(won[-1]["id"]) if won else None
    after = ranked[len(won)] if won and len(won) < len(ranked) else None
    return {"ranks": ranks, "cut": last, "out": str(after["id"]) if after else None}


def make_templates() -> Jinja2Templates:
    """The pages' Jinja2 templates (``app.state.templates``; ``intikhab publish`` renders with
    the same, without the application)."""
    templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent
                                              / "templates"))
    templates.env.globals["csrf_token"] = auth.csrf_token
    return templates


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


def back(request: Request, default: str = "/") -> str:
    """A safe place to return to: a local path from ``next`` only."""
    return local(request.query_params.get("next") or default, default)


def local(target: str, default: str) -> str:
    """``target`` if it is a path on this site (never ``//host`` nor ``/\\host``)."""
    ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else default


def vote_of(vote: str) -> str:
    """A vote named in an address: ``communal`` or ``regional`` (E-PV-011 otherwise)."""
    if vote not in queries.VOTES:
        raise IntikhabError("E-PV-011", field="vote", value=vote[:20])
    return vote


def page_of(s: Any, rows: list[queries.ConstituencyRow], page: int
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


def allocation_or_none(s: Any, cid: str, declared: bool = False
                       ) -> queries.AllocationView | None:
    """The constituency's (declared) allocation, or None while it has none."""
    try:
        return queries.allocation(s, cid, declared=declared)
    except IntikhabError as error:
        if error.code != "E-API-014":
            raise
        return None
