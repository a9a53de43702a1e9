"""The councils as they sit and the maps, for everyone: a prefecture or province council
(elected by its college, art. 102 of law 59.11 as amended) with its seats by party, its elected
members and its bureau; the list of them; the maps of Morocco by region and by
prefecture/province (leading party, turnout, counting progress), drawn on the server as SVG and
kept in the results cache per (level, metric, language).  The council pages' "who governs" part
is ``_governs.html`` (:func:`governs_of` gives its data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.services import governs, map_data, maps, portal
from intikhab.web import deps
from intikhab.web.auth import Principal
from intikhab.web.hemicycle import Seats, colour_of, hemicycle_svg
from intikhab.web.i18n import t
from intikhab.web.pages.common import PUBLIC_MAX_AGE, cached_public, lang_of, render

router = APIRouter(include_in_schema=False)

LEVELS: Final = ("region", "province")


def governs_of(s: Session, where: portal.Place, lang: str) -> governs.Governs:
    """What ``_governs.html`` shows for a council page."""
    return governs.governs(s, where, lang)


def party_label(names: dict[str, tuple[str, str]], lang: str, party: str | None) -> str:
    if party is None:
        return t("independent", lang)
    found = names.get(party)
    return party if found is None else found[0 if lang == "ar" else 1]


@router.get("/prefecture/{pid}", response_class=HTMLResponse)
def prefecture_page(request: Request, pid: str) -> Response:
    """A prefecture or province council: its seats by party (the college's vote, declared),
    its elected members and who governs it."""
    def build(principal: Principal | None) -> HTMLResponse:
        lang = lang_of(request)
        with deps.read(request) as s:
            view = governs.prefecture_view(s, pid[:64], lang)
            names = portal.party_names(s)
        if view is None:
            raise IntikhabError("E-API-004", field="prefecture", value=pid[:64])
        colours = colour_of(list(names))
        res = view.result
        seats = [Seats(p.party, f"{party_label(names, lang, p.party)}: {p.seats}", p.seats,
                       colours.get(p.party, "#888"), p.votes) for p in res.parties]
        svg = hemicycle_svg(seats, res.seats, title=view.name, rtl=lang == "ar")
        return render(request, "prefecture_council.html", principal, view=view, res=res,
                      svg=svg, colours=colours,
                      party_label=lambda p: party_label(names, lang, p),
                      governs=governs.Governs(view.bureau))
    return cached_public(request, build)


@router.get("/prefectures", response_class=HTMLResponse)
def prefectures_page(request: Request) -> Response:
    """Every prefecture and province council with its seats (declared)."""
    def build(principal: Principal | None) -> HTMLResponse:
        with deps.read(request) as s:
            found = governs.prefecture_councils(s, lang_of(request))
        return render(request, "prefecture_councils.html", principal, councils=found)
    return cached_public(request, build)


def _link(level: str, known: set[str], lang: str) -> Callable[[str], str | None]:
    suffix = "" if lang == "ar" else f"?lang={lang}"
    base = "/council/" if level == "region" else "/prefecture/"
    return lambda code: f"{base}{code}{suffix}" if code in known else None


def map_svg(s: Session, level: maps.MapLevel, metric: map_data.Metric, lang: str) -> str:
    """The choropleth of ``metric`` at ``level`` in ``lang`` (every area a link to its
    council's page)."""
    names = map_data.names(s)
    parties = portal.party_names(s)
    data = map_data.figures(s, level)
    fills = map_data.fills(data, metric, colour_of(list(parties)),
                           lambda p: party_label(parties, lang, p))
    return maps.choropleth_svg(level, fills, lang, _link(level, set(names), lang), names,
                               t(f"map.{metric}", lang))


def _cached_svg(request: Request, level: str, metric: str, lang: str) -> bytes:
    if level not in LEVELS or metric not in map_data.METRICS:
        raise IntikhabError("E-API-004", field="map", value=f"{level[:20]}/{metric[:20]}")

    def build() -> bytes:
        with deps.read(request) as s:
            return map_svg(s, level, metric, lang).encode()  # type: ignore[arg-type]
    cache = getattr(request.app.state, "cache", None)
    key = f"map:{level}:{metric}:{lang}"
    return build() if cache is None else bytes(cache.get(key, build).body)


def legend(s: Session, level: maps.MapLevel, metric: map_data.Metric, lang: str
           ) -> list[tuple[str, str]]:
    """The map's legend as readable HTML beside the drawing: (colour, label), bands in their
    order (parties by name), "no data" last."""
    parties = portal.party_names(s)
    data = map_data.figures(s, level)
    fills = map_data.fills(data, metric, colour_of(list(parties)),
                           lambda p: party_label(parties, lang, p))
    seen = {(f.colour, f.label) for f in fills.values() if f is not None}
    order = {c: i for i, (_b, c) in enumerate((*map_data.TURNOUT_BANDS,
                                               *map_data.PROGRESS_BANDS))}
    items = sorted(seen, key=lambda x: (order.get(x[0], 0), x[1]))
    if len(fills) < len(maps.geometry(level).areas) or None in fills.values():
        items.append(("#d9d9d9", t("no_data", lang)))
    return items


@router.get("/maps", response_class=HTMLResponse)
def maps_page(request: Request, level: str = "region") -> Response:
    """Morocco by region (or ``?level=province``): leading party, turnout and counting
    progress, each a choropleth with its legend, each area a link to its council."""
    level = level if level in LEVELS else "region"

    def build(principal: Principal | None) -> HTMLResponse:
        lang = lang_of(request)
        with deps.read(request) as s:
            legends = {m: legend(s, level, m, lang)  # type: ignore[arg-type]
                       for m in map_data.METRICS}
        svgs = [(m, Markup(_cached_svg(request, level, m, lang).decode()), legends[m])
                for m in map_data.METRICS]
        return render(request, "maps.html", principal, level=level, svgs=svgs)
    return cached_public(request, build)


@router.get("/maps/{level}/{metric}.svg")
def map_file(request: Request, level: str, metric: str) -> Response:
    """One map as an SVG file (``?lang=fr`` for French names)."""
    body = _cached_svg(request, level, metric, lang_of(request))
    return Response(body, media_type="image/svg+xml",
                    headers={"Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}"})
