"""Browser tests: Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by
``.ci/run``) against ``intikhab``'s app served by uvicorn on a free loopback port, over a small
SQLite election.  A clerk types a minute with the keyboard only, a second clerk types it
differently, the coordinator resolves the difference, allocates and declares, and the public
page shows the council; a clerk cannot reach the coordinator's screens and an observer cannot
write.  Screenshots of the key pages go to ``tests/screenshots/`` (git-ignored) for review.

Skipped only where Chromium is absent *and* ``CI`` is unset: in CI these tests must run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from _browser import SHOTS, chromium, require_chromium, served
from _webapp import build, enter_all, figures
from sqlalchemy import select

from intikhab.services.users import accredit
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import AuditLog, MinuteState

pytestmark = pytest.mark.slow  # Playwright drives Chromium against a served app


require_chromium()



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from intikhab.web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.sqlite'}"
    build(url)
    app = create_app(url, secret="browser-test")
    with served(app) as base:
        yield base, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ar-MA")
    return context.new_page()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page: Any, base: str, user: str) -> None:
    page.goto(f"{base}/login")
    _focused(page, "user")
    page.keyboard.type(user)
    page.keyboard.press("Tab")
    page.keyboard.type(f"{user}-2021")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, page.content()


def _focused(page: Any, name: str) -> None:
    """Wait until the field ``name`` has the focus (``autofocus``): typing starts there."""
    page.wait_for_function(f"document.activeElement && document.activeElement.name === '{name}'")


def _type_minute(page: Any, values: list[object]) -> None:
    """Keyboard only: the first field has the focus, Tab moves to the next."""
    _focused(page, "registered")
    for i, value in enumerate(values):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(str(value))


def _values(station: str, pa_shift: int = 0, pb_shift: int = 0) -> list[object]:
    f = figures(station)
    votes = f["votes"]
    return [f["registered"], f["signed"], f["ballots"], f["void"], f["contested"],
            f["illegal"], votes["PA"] + pa_shift, votes["PB"] + pb_shift, votes["PC"]]


def _status(url: str, station: str) -> str | None:
    engine = make_engine(url)
    with sessions(engine)() as s:
        found = s.scalar(select(MinuteState.status).where(MinuteState.station_id == station,
                                                          MinuteState.vote == "communal"))
    engine.dispose()
    return found


def test_election_night_in_the_browser(server: tuple[str, str], browser: Any) -> None:
    base, url = server
    page = _page(browser)
    page.goto(base)
    assert page.locator("html").get_attribute("dir") == "rtl"
    _shot(page, "01_portal_ar")

    # 1. first entry by clerk1, keyboard only; the live checks find nothing; Enter submits
    _login(page, base, "clerk1")
    page.goto(f"{base}/entry/C1-S1/communal")
    _type_minute(page, _values("C1-S1"))
    page.wait_for_selector("#findings li.muted:has-text('لا ملاحظة على المحضر')")
    _shot(page, "02_entry_form_clean")
    page.keyboard.press("Enter")
    page.wait_for_url("**done=first_recorded*")  # the next waiting station opens
    assert "ينتظر إدخالا ثانيا" in page.content() and "C1-S1" not in page.url
    # the same clerk is refused before typing, not at submit
    page.goto(f"{base}/entry/C1-S1/communal")
    assert page.locator("#minute").count() == 0 and "سبق لك إدخال" in page.content()
    assert _status(url, "C1-S1") == "first"

    # a clerk cannot reach the coordinator's screens
    response = page.goto(f"{base}/coord/c/C1")
    assert response is not None and response.status == 403
    assert "E-API-003" in page.content()
    assert page.locator("a[href='/coord']").count() == 0
    page.context.close()

    # 2. second entry by clerk2 with a typo: the error shows live and blocks the submission
    page = _page(browser)
    _login(page, base, "clerk2")
    page.goto(f"{base}/entry/C1-S1/communal")
    _type_minute(page, _values("C1-S1", pa_shift=1))
    page.wait_for_selector("#findings li.error:has-text('E-PV-002')")
    assert page.locator("#submit").is_disabled()
    # a warning too (W-PV-004, art. 21 §3): its box is reached with Tab and ticked with Space
    page.fill("input[name=signed]", str(figures("C1-S1")["signed"] - 1))
    page.wait_for_selector("#findings li.warning:has-text('W-PV-004')")
    page.locator("#f-observations").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "W-PV-004"
    page.keyboard.press("Space")
    assert page.locator("input[name=accept][value='W-PV-004']").is_checked()
    page.fill("input[name=signed]", str(figures("C1-S1")["signed"]))
    page.wait_for_selector("#findings li.warning", state="detached")
    _shot(page, "03_entry_form_error")
    page.keyboard.press("Enter")  # blocked: nothing is sent
    time.sleep(0.3)
    assert _status(url, "C1-S1") == "first"
    # the clerk fixes the arithmetic but still differs from the first entry: a conflict
    page.fill("input[name='v.PB']", str(_values("C1-S1")[7] - 1))  # type: ignore[operator]
    page.wait_for_selector("#findings li.muted")
    page.locator("input[name='v.PB']").press("Enter")
    page.wait_for_url("**done=conflict*")
    assert _status(url, "C1-S1") == "conflict"
    page.context.close()

    # 3. the coordinator resolves the difference against the paper minute
    page = _page(browser)
    _login(page, base, "coord")
    page.goto(f"{base}/coord?vote=communal")
    _shot(page, "04a_coordinator_progress")
    page.goto(f"{base}/coord/c/C1")
    page.click("a[href='/coord/conflict/C1-S1/communal']")
    assert page.locator("tr.diff").count() == 2
    _shot(page, "04_conflict_side_by_side")
    page.check("input[name=action][value='1']")
    page.fill("#reason", "checked against the signed minute")
    page.click("#confirm button[type=submit]")  # refused: the box is not ticked
    assert _status(url, "C1-S1") == "conflict"
    page.check("input[name=confirm]")
    page.click("#confirm button[type=submit]")
    page.wait_for_url("**/coord/c/C1?done=resolve*")
    assert "اعتمد الإدخال" in page.content()  # says what happened
    assert _status(url, "C1-S1") == "accepted"

    # the other minutes arrive (entered twice by the services), then allocate and declare
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        enter_all(s, skip={"C1-S1"})
    engine.dispose()
    page.goto(f"{base}/coord/c/C1")
    page.click("#allocation button[type=submit]")
    page.wait_for_selector("#declare")
    assert "القاسم الانتخابي" in page.content()
    _shot(page, "05_allocation_tables")
    page.check("#declare-form input[name=confirm]")
    page.fill("#declare-form textarea[name=reason]", "minutes checked")
    page.click("#declare")
    page.wait_for_selector(".badge.declared")
    assert "تظهر الآن في البوابة العمومية" in page.content()
    page.goto(f"{base}/minute/C1-S1/communal")
    page.emulate_media(media="print")
    _shot(page, "06_minute_print")
    page.context.close()

    # 4. the public page shows the declared council, in Arabic and in French
    page = _page(browser)
    page.goto(f"{base}/council/C1")
    assert page.locator("svg.hemicycle circle").count() == 31
    assert "أعلنت النتيجة" in page.content()
    _shot(page, "07_council_ar")
    page.click("a[lang=fr]")
    page.wait_for_url("**/council/C1")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("svg.hemicycle line.majority").count() == 1
    _shot(page, "08_council_fr")
    page.context.close()


def test_admin_screen(server: tuple[str, str], browser: Any) -> None:
    base, _url = server
    page = _page(browser)
    _login(page, base, "admin")
    assert page.url.endswith("/admin")
    page.fill("form[action='/admin/users'] input[name=id]", "agent9")
    page.fill("form[action='/admin/users'] input[name=name]", "وكيل لائحة 9")
    page.select_option("form[action='/admin/users'] select[name=role]", "observer")
    page.fill("form[action='/admin/users'] input[name=password]", "agent9-secret")
    page.click("form[action='/admin/users'] button[type=submit]")
    page.wait_for_selector("text=agent9")
    _shot(page, "11_admin_users")
    page.context.close()


def test_observer_cannot_write_through_the_ui(server: tuple[str, str], browser: Any) -> None:
    base, url = server
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        accredit(s, "admin", "observer", ["C1"])
    engine.dispose()
    page = _page(browser)
    _login(page, base, "observer")
    assert page.locator("a[href='/observe/c/C1']").count() == 1
    assert page.locator("a[href='/entry'], a[href='/coord'], a[href='/admin']").count() == 0
    _shot(page, "09_observer_home")
    page.goto(f"{base}/observe/c/C1")
    assert page.locator("form").count() == 1  # the logout button only
    _shot(page, "10_observer_constituency")
    for path in ("/entry", "/entry/C1-S2/communal", "/coord", "/admin"):
        response = page.goto(base + path)
        assert response is not None and response.status == 403, path
    # even a hand-made request from the observer's own page, with its CSRF token, is refused
    page.goto(f"{base}/observe")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    status = page.evaluate(
        """async (token) => (await fetch('/entry/C1-S2/communal', {method: 'POST',
               headers: {'X-CSRF-Token': token}, body: new URLSearchParams({registered: '1'})
           })).status""", token)
    assert status == 403
    engine = make_engine(url)
    with sessions(engine)() as s:  # the observer's only records are its logins
        actions = set(s.scalars(select(AuditLog.action).where(AuditLog.actor == "observer")))
        assert actions == {"auth.login"}
    engine.dispose()
    page.context.close()
