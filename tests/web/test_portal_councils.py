"""Who governs each council, on the public portal, in Arabic and French: the commune, region
and arrondissement councils (art. 128 and art. 141 §1 item 2 of law 59.11 as amended), the
prefecture and province councils elected by their colleges (art. 102–103), their bureaus
(laws 111.14, 112.14, 113.14); the search by Arabic or French name without diacritics; the
public API of bureaus and prefecture councils."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _demo_site import demo_db, divided_db
from fastapi.testclient import TestClient
from sqlalchemy import select

from intikhab.services import bureaus, governs, indirect, portal
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import Commune, Prefecture, Region
from intikhab.web.api import PUBLIC_PATHS
from intikhab.web.app import create_app

# a night with councils and bureaus set up per test: in the full suite, not the fast set
pytestmark = pytest.mark.slow

WORDS = {"ar": ("من يسير المجلس", "الرئيس", "نواب الرئيس"),
         "fr": ("Qui gouverne", "Président", "Vice-présidents")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    url = demo_db(tmp_path_factory.mktemp("portal"))
    with TestClient(create_app(url, secret="test-secret")) as c:
        yield c, url


def _read(url: str):  # type: ignore[no-untyped-def]
    return sessions(make_engine(url))()


def _get(c: TestClient, path: str, lang: str) -> str:
    r = c.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert r.status_code == 200, (path, r.text[:300])
    return r.text


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_commune_and_region_pages_show_who_governs_laws_113_14_111_14(
        demo: tuple[TestClient, str], lang: str) -> None:
    c, url = demo
    with _read(url) as s:
        commune = s.scalars(select(Commune).order_by(Commune.id)).first()
        region = s.scalars(select(Region).order_by(Region.id)).first()
        assert commune is not None and region is not None
        found = bureaus.bureaus(s, [commune.id, region.id])
        names = portal.party_names(s)
    for council in (commune.id, region.id):
        b = found[council]
        assert b.president is not None
        page = _get(c, f"/council/{council}", lang)
        for w in WORDS[lang]:
            assert w in page
        assert b.president.name in page
        assert names[str(b.president.party)][0 if lang == "ar" else 1] in page
        assert all(m.name in page for m in b.vice_presidents)
    assert (commune.name_fr if lang == "fr" else commune.name) in _get(
        c, f"/council/{commune.id}", lang)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_prefecture_council_page_seats_elected_and_bureau_art_102(
        demo: tuple[TestClient, str], lang: str) -> None:
    c, url = demo
    with _read(url) as s:
        pid = next(iter(indirect.latest_indirect(s, declared=True)))
        p = s.get(Prefecture, pid)
        res = indirect.prefecture_result(s, pid)
        b = bureaus.bureau_of(s, pid)
    assert p is not None and b is not None and b.president is not None and res.seats > 0
    page = _get(c, f"/prefecture/{pid}", lang)
    assert (p.name_fr if lang == "fr" else p.name) in page
    assert ("art. 102" if lang == "fr" else "المادة 102") in page
    assert WORDS[lang][0] in page and b.president.name in page
    assert all(name in page for line in res.parties for name in line.elected)
    listing = _get(c, "/prefectures", lang)
    assert f"/prefecture/{pid}" in listing


def test_national_page_says_which_totals_are_which_art_128(
        demo: tuple[TestClient, str]) -> None:
    c, _url = demo
    for lang in ("ar", "fr"):
        page = _get(c, "/", lang)
        for kind in ("commune_councils", "arrondissement_councils", "region_councils",
                     "prefecture_councils"):
            assert f'id="total-{kind}"' in page
        assert "/maps" in page and "/prefectures" in page


def test_divided_commune_links_its_arrondissement_councils_art_141(tmp_path: Path) -> None:
    url = divided_db(tmp_path)
    with TestClient(create_app(url, secret="test-secret")) as c:
        for lang in ("ar", "fr"):
            commune = _get(c, "/council/DV", lang)
            assert "/council/DV/A1" in commune
            arr = _get(c, "/council/DV/A1", lang)
            # 7 communal members and 6 own councillors out of 13 (art. 141 §1 item 2)
            text = ("7 عضوا بالمجلس الجماعي و6 مستشارا بالمقاطعة من أصل 13" if lang == "ar"
                    else "7 membres du conseil communal et 6 conseillers d'arrondissement, "
                         "sur les 13")
            assert text.replace("'", "&#39;") in arr or text in arr
            assert 'href="/council/DV' in arr
            assert ("Conseil d&#39;arrondissement" if lang == "fr" else "مجلس المقاطعة") in arr
    engine = make_engine(url)
    with sessions(engine)() as s:
        place = portal.place(s, "DV/A1")
        assert place is not None
        g = governs.governs(s, place)
        assert g.composition is not None and g.composition.total == 13
        assert g.bureau is None and g.commune is not None
    engine.dispose()


def test_search_by_french_name_without_accents_and_by_arabic_name(
        demo: tuple[TestClient, str]) -> None:
    c, url = demo
    with _read(url) as s:
        accented = next(r for r in s.scalars(select(Region))
                        if r.name_fr and any(ch in r.name_fr for ch in "âéèîôû"))
        commune = s.scalars(select(Commune).order_by(Commune.id)).first()
        assert commune is not None and commune.name_fr
        plain = (accented.name_fr or "").translate(str.maketrans("âéèîôû", "aeeiou")).lower()
        assert [p.id for p in portal.places(s, plain)] [:1] == [accented.id]
        assert commune.id in [p.id for p in portal.places(s, commune.name_fr.upper())]
        assert commune.id in [p.id for p in portal.places(s, commune.name)]
        assert [p.name for p in portal.places(s, commune.name_fr, lang="fr")
                if p.id == commune.id] == [commune.name_fr]
    page = _get(c, f"/search?q={commune.name_fr.lower()}", "fr")
    assert f"/council/{commune.id}?lang=fr" in page and commune.name_fr in page
    page = _get(c, f"/search?q={commune.name}", "ar")
    assert f"/council/{commune.id}" in page


def test_public_api_bureau_and_prefecture_councils(demo: tuple[TestClient, str]) -> None:
    c, url = demo
    with _read(url) as s:
        commune = s.scalars(select(Commune).order_by(Commune.id)).first()
        pid = next(iter(indirect.latest_indirect(s, declared=True)))
        assert commune is not None
        b = bureaus.bureau_of(s, commune.id)
    assert {"/api/v1/councils/{council}/bureau", "/api/v1/results/prefectures",
            "/api/v1/results/prefectures/{prefecture}"} <= PUBLIC_PATHS
    r = c.get(f"/api/v1/councils/{commune.id}/bureau")
    assert r.status_code == 200 and b is not None and b.president is not None
    assert r.json()["president"]["id"] == b.president.id and r.json()["status"] == b.status
    again = c.get(f"/api/v1/councils/{commune.id}/bureau",
                  headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304
    assert c.get("/api/v1/councils/nowhere/bureau").json()["code"] == "E-API-004"
    one = c.get(f"/api/v1/results/prefectures/{pid}").json()
    assert one["declared"] and one["result"]["kind"] == "prefecture_council"
    assert sum(p["seats"] for p in one["result"]["parties"]) == one["result"]["seats"]
    every = c.get("/api/v1/results/prefectures").json()
    assert pid in [x["id"] for x in every]
