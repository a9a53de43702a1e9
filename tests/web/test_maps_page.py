"""The maps of the public portal: Morocco by region and by prefecture/province, three
choropleths each (leading party, turnout, counting progress), each with a legend, each area a
link to its council's page, in Arabic and French; served as SVG; exported by ``intikhab export
map`` (never over an existing file without ``--force``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _demo_site import demo_db
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from intikhab.cli.main import app as cli
from intikhab.services import map_data, maps
from intikhab.services.maps import Fill
from intikhab.web.app import create_app
from intikhab.web.cache import tags_of_key

# the national maps drawn from the boundaries: in the full suite, not the fast set
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    url = demo_db(tmp_path_factory.mktemp("maps"))
    with TestClient(create_app(url, secret="test-secret")) as c:
        yield c, url


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_maps_page_by_region_12_areas_linked_with_legends(
        site: tuple[TestClient, str], lang: str) -> None:
    c, _url = site
    r = c.get(f"/maps?lang={lang}")
    assert r.status_code == 200
    svgs = _svgs(r.text)
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.count("<path ") == 12
        assert 'class="legend"' in svg and "<rect " in svg
        assert f'lang="{lang}"' in svg
    # the regions of the demo link to their councils, in the page's language
    suffix = "" if lang == "ar" else "?lang=fr"
    assert f'href="/council/07{suffix}"' in svgs[0]
    assert ("Marrakech-Safi" if lang == "fr" else "مراكش-آسفي") in svgs[0]
    assert "<script" not in r.text.split("</main>")[0].split('<main id="main">')[1]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_maps_page_by_province_links_each_prefecture_council(
        site: tuple[TestClient, str], lang: str) -> None:
    c, _url = site
    page = c.get(f"/maps?level=province&lang={lang}").text
    svgs = _svgs(page)
    assert len(svgs) == 3
    areas = len(maps.geometry("province").areas)
    assert areas >= 70 and all(s.count("<path ") == areas for s in svgs)
    assert '/prefecture/07.427' in svgs[0]
    assert c.get(f"/prefecture/07.427?lang={lang}").status_code == 200


def test_map_file_is_svg_and_cached_per_level_metric_lang(site: tuple[TestClient, str]) -> None:
    c, _url = site
    r = c.get("/maps/province/turnout.svg?lang=fr")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg") and "Participation" in r.text
    assert c.get("/maps/nowhere/party.svg").json()["code"] == "E-API-004"
    assert c.get("/maps/region/nothing.svg").status_code == 404
    cache = c.app.state.cache  # type: ignore[attr-defined]
    assert cache.get("map:province:turnout:fr", lambda: b"rebuilt").body == r.content
    assert tags_of_key("map:province:turnout:fr") == frozenset({"any"})


def test_fills_bands_and_leader_are_integers() -> None:
    area = map_data.AreaFigures("07", seats={"PA": 3, "PB": 3}, votes={"PA": 10, "PB": 12},
                                registered=1000, voters=400, stations=8, counted=6)
    assert area.leader() == "PB"  # same seats: the most votes
    got = map_data.fills({"07": area}, "turnout", {}, str)["07"]
    assert got == Fill("#74a9cf", "40–50 %")  # 40 % exactly: the band from 40
    assert map_data.fills({"07": area}, "progress", {}, str)["07"] == Fill("#de2d26", "75–100 %")
    done = map_data.AreaFigures("07", stations=8, counted=8)
    assert map_data.fills({"07": done}, "progress", {}, str)["07"] == Fill("#238b45", "100 %")
    assert map_data.fills({"07": done}, "party", {}, str)["07"] is None
    assert map_data.area_of("province", "06/06.141.01", "06") == "06.141"


def test_export_map_refuses_to_overwrite_without_force(site: tuple[TestClient, str],
                                                       tmp_path: Path) -> None:
    _c, url = site
    out = tmp_path / "map.svg"
    args = ["export", "map", str(out), "--level", "region", "--metric", "party", "--lang",
            "fr", "--db", url]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert out.read_text("utf-8").startswith("<svg") and "Marrakech-Safi" in out.read_text()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2 and "E-DOC-002" in again.output
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0
