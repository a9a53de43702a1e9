"""Every screen, in Arabic and French, on a desktop (1366×768) and a phone (390×844), in
Debian's Chromium: no page scrolls sideways, no word of the other language's catalogue
(``formats.words``) shows, the party colours drawn keep 3:1 against the page, and axe-core
(shipped by ``axe-playwright-python``) reports no violation.  A screenshot of each screen goes
to ``tests/screenshots/`` (git-ignored).  Then the three journeys: a clerk enters and fixes a
minute; a coordinator resolves, allocates and declares with confirmation; a visitor follows
the night from the national page to a council.

One server and one browser for the module.  Skipped only where Chromium is absent and ``CI``
is unset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
from _browser import SHOTS, chromium, require_chromium, served
from _webapp import build, enter_all, minute
from test_palette import contrast

from intikhab.formats.words import WORDS, word
from intikhab.services import entry, results
from intikhab.store.db import make_engine, sessions

pytestmark = pytest.mark.slow  # Playwright drives Chromium against a served app

VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}

require_chromium()

PAGES: dict[str | None, tuple[str, ...]] = {
    None: ("/", "/search", "/search?region=R1", "/council/C1", "/council/C2", "/council/R1",
           "/calendar", "/campaign?place=mosque&width=2000&height=2000&colour=green&checked=1",
           "/offences?q=36", "/ballot/C1", "/login", "/no-such-page", "/maps",
           "/maps?level=province", "/prefectures", "/prefecture/K1"),
    "clerk1": ("/entry", "/entry?constituency=D2", "/entry/D2-S2/communal",
               "/entry/go?station=ZZZ&vote=communal", "/coord"),
    "coord": ("/coord", "/coord/c/C1", "/coord/c/D1", "/coord/conflict/D1-S1/communal",
              "/candidacies", "/disputes", "/finance"),
    "observer": ("/observe", "/observe/c/C1", "/minute/C1-S1/communal"),
    "admin": ("/admin", "/admin/audit", "/admin/audit?action=minute."),
}



def _night(url: str) -> None:
    """C1 and K1 declared, D1 in conflict at D1-S1, D2 awaiting two minutes."""
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        enter_all(s, skip={"D1-S1", "D2-S1", "D2-S2"})
        entry.enter_minutes(s, "clerk1", [minute("D1-S1")])
        m = minute("D1-S1")
        changed = m.__class__(**{**{f: getattr(m, f) for f in m.__dataclass_fields__},
                                 "contested": m.contested + 1})
        entry.enter_minutes(s, "clerk2", [changed])
        results.allocate(s, "coord", only=["C1"], seed="test")
        results.declare(s, "coord", only=["C1"], reason="checked")
        from intikhab.services.users import accredit
        accredit(s, "admin", "observer", ["C1", "D1"])
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from intikhab.web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('screens') / 'web.sqlite'}"
    build(url)
    _night(url)
    app = create_app(url, secret="screens-test")
    with served(app) as base:
        yield base, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


def _context(browser: Any, base: str, viewport: str, lang: str, user: str | None) -> Any:
    w, h = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": w, "height": h})
    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    if user is not None:
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=user]", user)
        page.fill("input[name=password]", f"{user}-2021")
        with page.expect_navigation():
            page.click("form[action='/login'] button[type=submit]")
        page.close()
    return context


def _phrases(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """The catalogue's words of the *other* languages that must never show on a ``lang``
    page: whole phrases of at least 4 letters, placeholders cut out."""
    own = "\n".join(word(k, lang) for k in WORDS)
    out: dict[str, re.Pattern[str]] = {}
    for key, w in WORDS.items():
        others = [w.ar] if lang == "fr" else [w.fr, w.en or ""]
        for text in others:
            for part in re.split(r"\{[^}]*\}|[()«»:;,.—/%]", text):
                part = part.strip()
                letters = re.sub(r"[^\w]", "", part)
                if len(letters) < 4 or part in own or key.startswith("term."):
                    continue
                if lang == "ar" and not re.search(r"[A-Za-zÀ-ÿ]{4}", part):
                    continue
                out[part] = re.compile(r"(?<!\w)" + re.escape(part) + r"(?!\w)")
    return sorted(out.items())


VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('bdi, code, [lang], .share, option[value]:not([value=""]), script, svg')
    .forEach(e => e.remove());
  return clone.innerText;
}"""

PARTY_FILLS = """() => Array.from(document.querySelectorAll(
  'svg.hemicycle circle, svg.swatch rect, svg.vsbars rect')).map(e => e.getAttribute('fill'))"""


def _check(page: Any, name: str, lang: str, phrases: list[tuple[str, re.Pattern[str]]]
           ) -> list[str]:
    """Every check on the page shown; returns what fails."""
    bad: list[str] = []
    wide = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if wide > 0:
        bad.append(f"{name}: scrolls sideways by {wide}px")
    text = page.evaluate(VISIBLE_TEXT)
    foreign = [p for p, rx in phrases if rx.search(text)]
    if foreign:
        bad.append(f"{name}: words of the other language: {foreign[:8]}")
    for fill in set(page.evaluate(PARTY_FILLS)):
        party = fill and fill.startswith("#") and fill not in ("#c9ced6", "#5b6573")
        if party and contrast(fill, "#ffffff") < 3.0:
            bad.append(f"{name}: party colour {fill} below 3:1")
    page.evaluate(AXE)
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))
        .join(' | '))""")
    bad += [f"{name}: axe {v}" for v in found]
    return bad


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_screen(server: tuple[str, str], browser: Any, lang: str, viewport: str) -> None:
    base, _url = server
    phrases = _phrases(lang)
    problems: list[str] = []
    for user, paths in PAGES.items():
        context = _context(browser, base, viewport, lang, user)
        page = context.new_page()
        for path in paths:
            page.goto(base + path)
            assert page.locator("html").get_attribute("lang") == lang, path
            slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
            name = f"{lang}_{viewport}_{user or 'public'}_{slug}"
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            problems += _check(page, name, lang, phrases)
        context.close()
    assert not problems, "\n".join(problems)


def test_role_names_on_a_403_page(server: tuple[str, str], browser: Any) -> None:
    base, _url = server
    context = _context(browser, base, "desktop", "fr", "clerk1")
    page = context.new_page()
    response = page.goto(f"{base}/coord")
    assert response is not None and response.status == 403
    text = page.inner_text("main")
    assert "Agent de saisie" in text and "« clerk »" not in text
    assert page.locator("header nav a[href='/calendar']").count() == 1  # navigation kept
    context.close()


def test_a_visitor_follows_the_night(server: tuple[str, str], browser: Any) -> None:
    """From the national page (stations counted, live) to a council still counting: its
    progress, not "turnout 0.00 %"; then the declared council with its majority line."""
    base, url = server
    context = _context(browser, base, "phone", "fr", None)
    page = context.new_page()
    page.goto(base)
    cell = page.locator("#communal [data-live='communal:national']")
    before = cell.inner_text()
    assert "bureaux de vote dépouillés" in before
    engine = make_engine(url)
    with sessions(engine).begin() as s:  # two more minutes accepted meanwhile
        for user in ("clerk1", "clerk2"):
            entry.enter_minutes(s, user, [minute("D2-S1")])
    engine.dispose()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_function(
        "(old) => document.querySelector(\"[data-live='communal:national']\").textContent "
        "!== old", arg=before)
    page.fill("input[name=q]", "Commune 2")
    page.click("form[role=search] button[type=submit]")
    page.click("a[href^='/council/C2']")
    text = page.inner_text("main")
    assert "dépouillés" in text and "Participation\u202f: 0,00" not in text
    page.screenshot(path=str(SHOTS / "journey_visitor_counting_fr.png"), full_page=True)
    page.goto(f"{base}/council/C1")
    assert page.locator("svg.hemicycle line.majority").count() == 1
    assert page.locator("a[href$='.csv']").count() == 1
    assert page.locator("a[href^='/documents/allocation/']").count() == 1
    context.close()
