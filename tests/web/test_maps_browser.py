"""The maps page in a real browser (Chromium through Playwright), in Arabic and French, on a
desktop and on a 390-pixel phone: no horizontal scroll, the three maps drawn; screenshots in
``tests/screenshots/`` for review."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _browser import SHOTS, chromium, require_chromium, served
from _demo_site import demo_db

pytestmark = pytest.mark.slow  # Playwright drives Chromium against a served app


require_chromium()



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from intikhab.web.app import create_app

    app = create_app(demo_db(tmp_path_factory.mktemp("mapsweb")), secret="browser-test")
    with served(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("width,height,device", [(1280, 900, "desktop"), (390, 844, "phone")])
@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("level", ["region", "province"])
def test_maps_render_without_horizontal_scroll(server: str, browser: Any, width: int,
                                               height: int, device: str, lang: str,
                                               level: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)  # see below
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    page.goto(f"{server}/maps?level={level}&lang={lang}")
    maps = page.locator("figure.map svg")
    assert maps.count() == 3
    box = maps.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("figure.map svg a").count() > 0
    assert not errors, errors  # no CSP violation, no missing file
    page.screenshot(path=str(SHOTS / f"maps-{level}-{lang}-{device}.png"), full_page=True)
    context.close()
