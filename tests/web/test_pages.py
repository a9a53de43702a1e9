"""The HTML screens through FastAPI's TestClient, on SQLite and PostgreSQL: right-to-left Arabic
markup and the French switch, the public portal from declared results only, role checks on every
screen, CSRF on every form, the minute form's checks (errors block, warnings need a tick, art.
20–22 law 59.11 as amended), double entry by two clerks, conflict resolution, allocation, a
drawn lot, declaration, the observers' accreditations (art. 23 §2) and the administrator."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from _webapp import STATIONS, build, declare_all, enter_all, figures, minute
from conftest import small_bundle
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from intikhab.formats.council import percent
from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute
from intikhab.services import entry, portal, results
from intikhab.services.users import accredit
from intikhab.store import audit
from intikhab.store.models import AuditLog, Candidacy, MinuteState, Result, User
from intikhab.web.app import create_app
from intikhab.web.pages import common as pages

HTML = {"accept": "text/html"}


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    build(db_url)
    app = create_app(db_url, secret="test-secret")
    with TestClient(app) as c:
        c.app_state = app.state  # type: ignore[attr-defined]
        yield c
    app.state.engine.dispose()


@pytest.fixture
def sqlite_client(tmp_path: Any) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    build(url)
    app = create_app(url, secret="test-secret")
    with TestClient(app) as c:
        c.app_state = app.state  # type: ignore[attr-defined]
        yield c
    app.state.engine.dispose()


def token(c: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', c.get(path, headers=HTML).text)
    assert found, path
    return found.group(1)


def login(c: TestClient, user: str) -> None:
    r = c.post("/login", data={"user": user, "password": f"{user}-2021",
                               "csrf_token": token(c)}, follow_redirects=False)
    assert r.status_code == 303, r.text


def form_of(station: str, vote: str = "communal", **changes: Any) -> dict[str, str]:
    f = figures(station, vote)
    votes = {**f.pop("votes"), **changes.pop("votes", {})}
    f.update(changes)
    return {**{k: str(v) for k, v in f.items()}, **{f"v.{c}": str(n) for c, n in votes.items()},
            "objections": "", "observations": ""}


def post_minute(c: TestClient, station: str, vote: str = "communal", accept: tuple[str, ...] = (),
                **changes: Any) -> Any:
    data: dict[str, Any] = {**form_of(station, vote, **changes),
                            "csrf_token": token(c, f"/entry/{station}/{vote}")}
    if accept:
        data["accept"] = list(accept)
    return c.post(f"/entry/{station}/{vote}", data=data, follow_redirects=False, headers=HTML)


def session(c: TestClient) -> Any:
    return c.app_state.Sessions()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Markup, language, digits, fonts


def test_arabic_right_to_left_by_default_and_french_on_request(sqlite_client: TestClient) -> None:
    c = sqlite_client
    page = c.get("/").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "النتائج على الصعيد الوطني" in page and 'href="/static/app.css"' in page
    fr = c.get("/?lang=fr").text
    assert '<html lang="fr" dir="ltr">' in fr and "Résultats nationaux" in fr
    # the language switch is a cookie, and sends the reader back where they were
    r = c.get("/lang/fr?next=/search%3Fregion%3DR1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/search?region=R1"
    assert '<html lang="fr" dir="ltr">' in c.get("/search?region=R1").text
    assert c.get("/lang/xx", follow_redirects=False).json()["code"] == "E-API-004"
    # an open redirect is refused: only local paths
    for evil in ("//evil.example", "/\\evil.example", "https://evil.example"):
        assert c.get("/lang/ar", params={"next": evil}, follow_redirects=False
                     ).headers["location"] == "/"


def test_shareable_address_keeps_the_language(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/council/C1?lang=fr").text
    assert "http://testserver/council/C1?lang=fr" in page
    assert "http://testserver/council/C1<" in sqlite_client.get("/council/C1").text


def test_western_digits_unless_eastern_chosen(sqlite_client: TestClient) -> None:
    c = sqlite_client
    declare_all(str(c.app_state.engine.url))  # type: ignore[attr-defined]
    page = c.get("/council/C1").text
    assert ">31<" in page and "٣١" not in page
    c.get("/digits/eastern")
    eastern = c.get("/council/C1").text
    assert "٣١" in eastern and ">31</td>" not in eastern
    c.get("/digits/western")
    assert ">31<" in c.get("/council/C1").text


def test_amiri_font_shipped_from_its_package(sqlite_client: TestClient) -> None:
    r = sqlite_client.get("/fonts/Amiri-Regular.ttf")
    assert r.status_code == 200 and r.headers["content-type"] == "font/ttf"
    assert r.content[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert sqlite_client.get("/fonts/../../etc/passwd").status_code == 404
    assert sqlite_client.get("/fonts/x.ttf").json()["code"] == "E-API-004"
    css = sqlite_client.get("/static/app.css").text
    assert "Amiri-Regular.ttf" in css and "@media print" in css


# --------------------------------------------------------------------------------------------
# Public portal (declared results only, art. 24)


def test_portal_shows_declared_results_only(client: TestClient) -> None:
    page = client.get("/").text
    assert "أعلنت نتائج 0 من 3 دائرة" in page  # nothing declared yet: nothing counted
    declare_all(str(client.app_state.engine.url))  # type: ignore[attr-defined]
    client.app_state.cache.invalidate()  # type: ignore[attr-defined]
    page = client.get("/").text
    with session(client) as s:
        national = portal.national(s)
    for vote in ("communal", "regional"):
        res = national[vote]
        assert res.declared == res.constituencies
        for p in res.parties:
            assert f"حزب {p.party}" in page
    assert "أعلنت نتائج 3 من 3 دائرة" in page and "أعلنت نتائج 1 من 1 دائرة" in page


def test_council_page_hemicycle_lists_elected_and_turnout(client: TestClient) -> None:
    declare_all(str(client.app_state.engine.url))  # type: ignore[attr-defined]
    client.app_state.cache.invalidate()  # type: ignore[attr-defined]
    page = client.get("/council/C1").text
    with session(client) as s:
        view = portal.council(s, "C1")
    assert view is not None
    assert page.count("<circle") == view.summary.seats == 31
    assert 'class="hemicycle"' in page and ">31</text>" in page
    line = view.constituencies[0].lines[0]
    assert line.elected[0] in page and f">{line.votes}<" in page
    assert f"{view.turnout}%" in page
    regional = client.get("/council/R1").text
    assert regional.count("<circle") == 5 and "مجلس الجهة" in regional
    assert client.get("/council/NOPE").json()["code"] == "E-API-004"


def test_public_pages_are_cached_until_a_declaration(client: TestClient) -> None:
    first = client.get("/council/C1")
    etag = first.headers["etag"]
    assert client.get("/council/C1", headers={"if-none-match": etag}).status_code == 304
    declare_all(str(client.app_state.engine.url))  # type: ignore[attr-defined]
    client.app_state.cache.invalidate()  # type: ignore[attr-defined]
    again = client.get("/council/C1", headers={"if-none-match": etag})
    assert again.status_code == 200 and again.headers["etag"] != etag


def test_search_by_name_region_and_province(sqlite_client: TestClient) -> None:
    c = sqlite_client
    page = c.get("/search?q=commune 2").text
    assert 'href="/council/C2"' in page and 'href="/council/C1"' not in page
    page = c.get("/search?region=R1").text
    assert all(f'href="/council/{x}"' in page for x in ("R1", "C1", "C2"))
    page = c.get("/search?province=K1").text
    assert 'href="/council/R1"' not in page and 'href="/council/C1"' in page
    assert "لا توجد نتيجة" in c.get("/search?q=zzz").text


def test_percent_is_exact_and_rounds_half_up() -> None:
    assert percent(1, 3) == "33.33"
    assert percent(2, 3) == "66.67"
    assert percent(1, 8) == "12.50"
    assert percent(1, 80000) == "0.00" and percent(1, 20000) == "0.01"
    assert percent(5, 0) == "0.00" and percent(7, 7) == "100.00"


# --------------------------------------------------------------------------------------------
# Login, roles, CSRF


def test_login_bad_password_is_refused_and_audited(client: TestClient) -> None:
    r = client.post("/login", data={"user": "coord", "password": "wrong",
                                    "csrf_token": token(client)}, headers=HTML)
    assert r.status_code == 401 and "كلمة المرور غير صحيح" in r.text
    with session(client) as s:
        actions = list(s.scalars(select(AuditLog.action).order_by(AuditLog.seq)))
    assert actions[-1] == "auth.login_failed"
    login(client, "coord")
    with session(client) as s:
        assert s.scalars(select(AuditLog.action).order_by(AuditLog.seq.desc())).first() == \
            "auth.login"


def test_every_screen_checks_the_role(client: TestClient) -> None:
    anonymous = client.get("/entry", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/entry"
    login(client, "clerk1")
    assert client.get("/entry").status_code == 200
    for path in ("/coord", "/coord/c/C1", "/coord/conflict/C1-S1/communal", "/observe",
                 "/admin", "/minute/C1-S1/communal"):
        r = client.get(path)
        assert r.status_code == 403 and r.json()["code"] == "E-API-003", path
    page = client.get("/coord", headers=HTML)
    assert page.status_code == 403 and "E-API-003" in page.text
    client.post("/logout", data={"csrf_token": token(client, "/entry")})
    login(client, "coord")
    # constituency ids hold slashes in a divided commune (C0047/D01): the address keeps them
    r = client.get("/coord/c/C9/D01")
    assert r.status_code == 404 and r.json()["field"] == "constituency"
    page = client.get("/coord?vote=communal").text
    assert "3 الدوائر" in page and 'rel="next"' not in page  # C1, D1, D2: one page
    page = client.get("/coord?conflicts=1").text
    assert "0 الدوائر" in page and 'href="/coord/c/' not in page
    client.post("/logout", data={"csrf_token": token(client, "/coord")})
    login(client, "clerk1")
    t = token(client, "/entry")
    r = client.post("/coord/c/C1/declare", data={"csrf_token": t})
    assert r.status_code == 403 and r.json()["code"] == "E-API-003"


def test_observer_cannot_write_anything(client: TestClient) -> None:
    login(client, "observer")
    t = token(client, "/observe")
    for path in ("/entry/C1-S1/communal", "/coord/c/C1/allocate", "/coord/c/C1/declare",
                 "/coord/conflict/C1-S1/communal", "/admin/users", "/entry/check"):
        r = client.post(path, data={"csrf_token": t, **form_of("C1-S1"), "action": "1"})
        assert r.status_code == 403, path
    with session(client) as s:
        assert s.scalar(select(func.count()).select_from(MinuteState)) == 0
        assert s.scalar(select(func.count()).select_from(Result)) == 0


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    login(client, "clerk1")
    r = client.post("/entry/C1-S1/communal", data=form_of("C1-S1"))
    assert r.status_code == 403 and r.json()["code"] == "E-API-006"
    r = client.post("/entry/C1-S1/communal", data={**form_of("C1-S1"), "csrf_token": "forged"})
    assert r.json()["code"] == "E-API-006"
    r = client.post("/logout", data={})
    assert r.json()["code"] == "E-API-006"


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client, "coord")
    t = token(client, "/coord")
    assert client.post("/logout", data={"csrf_token": t}, follow_redirects=False
                       ).status_code == 303
    assert client.get("/coord", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------------------------
# The minute form: checks (art. 20–22) and double entry (art. 23)


def test_form_mirrors_the_paper_minute(client: TestClient) -> None:
    login(client, "clerk1")
    page = client.get("/entry/C1-S1/communal").text
    for label in ("عدد الناخبين المقيدين", "عدد المصوتين", "عدد الأوراق الموجودة بالصندوق",
                  "عدد الأوراق الملغاة", "عدد الأوراق المنازع فيها", "عدد الأوراق غير القانونية",
                  "الاعتراضات", "الملاحظات"):
        assert label in page
    assert [m for m in re.findall(r'name="v\.([^"]+)"', page)] == ["PA", "PB", "PC"]
    assert page.count("autofocus") == 1 and 'name="csrf_token"' in page
    assert client.get("/entry/NOPE/communal").json()["code"] == "E-API-004"
    assert client.get("/entry/C1-S1/senate").json()["code"] == "E-PV-011"


def test_double_entry_by_two_clerks_is_accepted(client: TestClient) -> None:
    login(client, "clerk1")
    r = post_minute(client, "C1-S1")
    assert r.status_code == 303 and "done=first_recorded" in r.headers["location"]
    assert "ينتظر إدخالا ثانيا" in client.get(r.headers["location"]).text
    # the same clerk cannot be the second entry (E-ENTRY-001)
    r = post_minute(client, "C1-S1", void=8, ballots=figures("C1-S1")["ballots"] + 1,
                    signed=figures("C1-S1")["signed"] + 1)
    assert r.status_code == 422 and "E-ENTRY-001" in r.text
    login(client, "clerk2")
    assert "done=accepted" in post_minute(client, "C1-S1").headers["location"]
    with session(client) as s:
        state = s.get(MinuteState, ("C1-S1", "communal"))
        assert state is not None and state.status == "accepted"
    # an accepted minute is closed to entry (E-PV-007): the coordinator opens a correction
    r = post_minute(client, "C1-S1", void=9, ballots=figures("C1-S1")["ballots"] + 2,
                    signed=figures("C1-S1")["signed"] + 2)
    assert r.status_code == 422 and "E-PV-007" in r.text


def test_an_error_blocks_even_when_ticked_art_22(client: TestClient) -> None:
    """E-PV-002 (art. 22 §1–4): votes + void + illegal must equal the ballots in the box."""
    login(client, "clerk1")
    f = figures("C1-S1")
    r = post_minute(client, "C1-S1", accept=("E-PV-002",), ballots=f["ballots"] + 5,
                    signed=f["signed"] + 5)
    assert r.status_code == 422 and "E-PV-002" in r.text
    assert f'value="{f["ballots"] + 5}"' in r.text  # what was typed is kept
    with session(client) as s:
        assert s.scalar(select(func.count()).select_from(MinuteState)) == 0


def test_a_warning_needs_an_explicit_tick_art_21(client: TestClient) -> None:
    """W-PV-004 (art. 21 §3): ballots in the box ≠ signatures is recorded, once ticked."""
    login(client, "clerk1")
    f = figures("C1-S1")
    r = post_minute(client, "C1-S1", signed=f["signed"] + 1)
    assert r.status_code == 422 and "W-PV-004" in r.text
    assert 'type="checkbox" form="minute" name="accept" value="W-PV-004"' in r.text
    r = post_minute(client, "C1-S1", accept=("W-PV-004",), signed=f["signed"] + 1)
    assert r.status_code == 303 and "done=first_recorded" in r.headers["location"]


def test_not_a_number_is_e_pv_001(client: TestClient) -> None:
    login(client, "clerk1")
    r = post_minute(client, "C1-S1", void="abc")
    assert r.status_code == 422 and "E-PV-001" in r.text
    for bad in ("-3", "2.0", "1" * 5000, ""):
        r = post_minute(client, "C1-S1", illegal=bad)
        assert r.status_code == 422 and "E-PV-001" in r.text, bad
    # Eastern Arabic digits are read as figures
    assert post_minute(client, "C1-S1", void="٧").status_code == 303


def test_live_checks_answer_the_catalogue_in_arabic_and_french(client: TestClient) -> None:
    login(client, "clerk1")
    t = token(client, "/entry/C1-S1/communal")
    f = figures("C1-S1")
    data = {**form_of("C1-S1", signed=f["signed"] + 1, contested=10_000),
            "station": "C1-S1", "vote": "communal"}
    r = client.post("/entry/check", data=data, headers={"x-csrf-token": t})
    body = r.json()
    codes = [x["code"] for x in body["findings"]]
    # contested 10,000 in a 1,000-voter station: E-PV-012 too (arts. 20–21)
    assert codes == ["W-PV-004", "E-PV-006", "E-PV-012"] and body["errors"] == 2
    assert body["findings"][1]["ar"].startswith("الأوراق المنازع فيها")
    assert "contestés" in body["findings"][1]["fr"]
    good = client.post("/entry/check", data={**form_of("C1-S1"), "station": "C1-S1",
                                             "vote": "communal"}, headers={"x-csrf-token": t})
    assert good.json() == {"findings": [], "errors": 0, "complete": True}
    with session(client) as s:  # nothing stored by a check
        assert s.scalar(select(func.count()).select_from(MinuteState)) == 0


# --------------------------------------------------------------------------------------------
# Coordinator: conflicts, allocation, lots, declaration (art. 23–24)


def test_conflict_side_by_side_and_resolved(client: TestClient) -> None:
    f = figures("C1-S2")
    votes = dict(f["votes"])
    login(client, "clerk1")
    post_minute(client, "C1-S2")
    login(client, "clerk2")
    r = post_minute(client, "C1-S2", votes={"PA": votes["PA"] + 1, "PB": votes["PB"] - 1})
    assert "done=conflict" in r.headers["location"]
    assert client.get("/coord/conflict/C1-S2/communal").status_code == 403
    login(client, "coord")
    page = client.get("/coord/c/C1").text
    assert 'href="/coord/conflict/C1-S2/communal"' in page
    page = client.get("/coord/conflict/C1-S2/communal").text
    assert page.count('class="diff"') == 2  # votes.PA and votes.PB, highlighted
    unconfirmed = client.post("/coord/conflict/C1-S2/communal",
                              data={"action": "2", "csrf_token": token(client, "/coord")})
    assert unconfirmed.status_code == 422  # irreversible: the confirmation box is required
    r = client.post("/coord/conflict/C1-S2/communal",
                    data={"action": "2", "csrf_token": token(client, "/coord"), "confirm": "1",
                          "reason": "checked against the signed minute"},
                    follow_redirects=False)
    assert r.status_code == 303 and "done=resolve" in r.headers["location"]
    said = client.get(r.headers["location"]).text
    assert "C1-S2" in said and "الإدخال الثاني" in said  # says what happened
    with session(client) as s:
        detail = s.get(MinuteState, ("C1-S2", "communal"))
        assert detail is not None and detail.status == "accepted"
        assert detail.accepted_entry_id == detail.second_entry_id
    # nothing left to resolve: E-ENTRY-003
    r = client.post("/coord/conflict/C1-S2/communal",
                    data={"action": "1", "csrf_token": token(client, "/coord"), "confirm": "1"})
    assert r.status_code == 409 and r.json()["code"] == "E-ENTRY-003"


def test_send_back_then_entered_again(client: TestClient) -> None:
    login(client, "clerk1")
    post_minute(client, "D1-S1")
    login(client, "clerk2")
    post_minute(client, "D1-S1", contested=1)
    login(client, "coord")
    client.post("/coord/conflict/D1-S1/communal",
                data={"action": "send_back", "csrf_token": token(client, "/coord"),
                      "confirm": "1"})
    with session(client) as s:
        state = s.get(MinuteState, ("D1-S1", "communal"))
        assert state is not None and state.status == "awaiting"


def test_allocate_record_a_lot_and_declare(client: TestClient) -> None:
    """A remainder tie the youngest rule cannot settle goes to a lot the commission draws and
    records (art. 24; SPEC §12: never drawn silently); then the declaration is public."""
    with session(client) as s, s.begin():
        enter_all(s)
    login(client, "coord")
    t = token(client, "/coord")
    r = client.post("/coord/c/C1/allocate", data={"csrf_token": t}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/coord/c/C1").text
    assert "القاسم الانتخابي" in page and "المقاعد حسب أكبر البقايا" in page
    with session(client) as s:
        r1 = results.latest_results(s, ["C1"])["C1"]
    q = r1.outcome["groups"][0]["quotient"]
    assert f"{r1.figures['voters']:,} / 20 = {q}" in page  # grouped per language
    assert client.post("/coord/c/C1/declare", data={"csrf_token": t}).status_code == 422
    client.post("/coord/c/C1/declare", data={"csrf_token": t, "confirm": "1",
                                             "reason": "minutes checked"})
    with session(client) as s:
        assert results.latest_results(s, ["C1"], declared=True)["C1"].declared_by == "coord"
    assert client.get("/council/C1").text.count("<circle") == 31
    assert "أعلنت النتيجة" in client.get("/council/C1").text


def test_lot_required_then_recorded(client: TestClient) -> None:
    """Two district candidates of the same age and votes (art. 24; guide ch. 9): a lot is
    required; the commission records the winner it drew."""
    with session(client) as s, s.begin():
        tie = {"PA:D2": 100, "PB:D2": 100}
        ms = [minute(st, v) for st in STATIONS for v in ("communal", "regional")
              if not st.startswith("D2")]
        for st in ("D2-S1", "D2-S2"):
            f = figures(st)
            ballots = sum(tie.values()) + f["void"]
            ms.append(Minute(st, Vote.COMMUNAL, f["registered"], ballots, ballots, f["void"],
                             0, 0, tuple(tie.items())))
            ms.append(minute(st, "regional"))
        for user in ("clerk1", "clerk2"):
            entry.enter_minutes(s, user, ms, accept_warnings={"W-PV-004"})
    _same_birth_date(client, "D2")
    login(client, "coord")
    t = token(client, "/coord")
    client.post("/coord/c/D2/allocate", data={"csrf_token": t})
    page = client.get("/coord/c/D2").text
    assert "يتعين إجراء القرعة" in page and 'name="lot_winner"' in page
    key = re.search(r'name="lot_key" value="([^"]+)"', page)
    assert key
    unconfirmed = client.post("/coord/c/D2/allocate", data={
        "csrf_token": t, "lot_key": key.group(1), "lot_winner": "PB:D2"})
    assert unconfirmed.status_code == 422  # a lot decides a seat for good: confirm it first
    with session(client) as s:
        assert results.latest_results(s, ["D2"])["D2"].status == "lot_required"
    client.post("/coord/c/D2/allocate", data={"csrf_token": t, "lot_key": key.group(1),
                                              "lot_winner": "PB:D2", "confirm": "1"})
    with session(client) as s:
        r = results.latest_results(s, ["D2"])["D2"]
    assert r.status == "declared" and r.outcome["winner"] == "PB:D2"
    assert r.lots == {key.group(1): "PB:D2"}


def _same_birth_date(client: TestClient, district: str) -> None:
    with session(client) as s, s.begin():
        for c in s.scalars(select(Candidacy).where(Candidacy.constituency_id == district)):
            c.candidates = {**c.candidates, "candidate": {**c.candidates["candidate"],
                                                          "birth_date": "1975-05-05"}}
        audit.append(s, actor="test", role="admin", action="candidacy.edit", entity=district)


# --------------------------------------------------------------------------------------------
# Observers (art. 23 §2) and the administrator


def test_observer_sees_only_accredited_constituencies(client: TestClient) -> None:
    with session(client) as s, s.begin():
        enter_all(s)
    login(client, "observer")
    assert "لست معتمدا لدى أي دائرة" in client.get("/observe").text
    r = client.get("/observe/c/K1")
    assert r.status_code == 403 and r.json()["code"] == "E-API-010"
    with session(client) as s, s.begin():
        accredit(s, "admin", "observer", ["K1"])
    page = client.get("/observe").text
    assert 'href="/observe/c/K1"' in page and 'href="/observe/c/C1"' not in page
    page = client.get("/observe/c/K1").text
    assert 'href="/minute/C1-S1/regional"' in page and "/coord/conflict" not in page
    printed = client.get("/minute/C1-S1/regional").text
    assert "محضر مكتب التصويت" in printed and str(figures("C1-S1", "regional")["ballots"]) \
        in printed
    assert client.get("/minute/C1-S1/communal").json()["code"] == "E-API-010"


def test_admin_users_roles_accreditation_and_import(client: TestClient) -> None:
    login(client, "admin")
    t = token(client, "/admin")
    r = client.post("/admin/users", data={"csrf_token": t, "id": "agent7", "name": "وكيل 7",
                                          "role": "observer", "password": "agent7-pass"},
                    follow_redirects=False)
    assert r.status_code == 303
    client.post("/admin/users/agent7", data={"csrf_token": t, "accredited": "C1, K1"})
    client.post("/admin/users/clerk2", data={"csrf_token": t, "role": "coordinator"})
    short = client.post("/admin/users", data={"csrf_token": t, "id": "shorty", "name": "x",
                                              "role": "clerk", "password": "short"})
    assert short.status_code == 422 and short.json()["code"] == "E-API-013"
    page = client.get("/admin").text
    assert "agent7" in page and 'value="C1" checked' in page
    with session(client) as s:
        clerk2 = s.get(User, "clerk2")
        assert clerk2 is not None and clerk2.role == "coordinator"
    bad = small_bundle()
    bad.pop("election")
    bad["stations"][0]["communal"] = "NOWHERE"
    r = client.post("/admin/import", data={"csrf_token": t}, headers=HTML,
                    files={"bundle": ("bundle.json", json.dumps(bad).encode(),
                                      "application/json")})
    assert r.status_code == 422 and "E-IMP-" in r.text
    extra = {"parties": [{"id": "PZ", "name_ar": "حزب ز", "name_fr": "Parti Z"}]}
    r = client.post("/admin/import", data={"csrf_token": t},
                    files={"bundle": ("b.json", json.dumps(extra).encode(), "application/json")},
                    follow_redirects=False)
    assert r.status_code == 303
    with session(client) as s:
        assert "PZ" in portal.party_names(s)


def test_progress_a_page_at_a_time(sqlite_client: TestClient,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE", 3)
    login(sqlite_client, "coord")
    first = sqlite_client.get("/coord").text  # K1, C1, D1, D2: two pages of three
    assert "4 الدوائر" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert first.count('href="/coord/c/') == 3
    last = sqlite_client.get("/coord?page=99").text  # clamped to the last page
    assert last.count('href="/coord/c/') == 1 and 'rel="prev"' in last
    assert sqlite_client.get("/observe?page=2").text.count('href="/observe/c/') == 1
