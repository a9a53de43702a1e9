"""The attacks of a hostile user against ``intikhab serve``, each named after what it tries, on
SQLite and PostgreSQL: every one is refused with a coded 4xx (or a 503 to retry), or survived
(docs/security.md, OWASP ASVS 4.0 level 2).  Logins, sessions, accounts, headers, identifiers,
observers and the database going away here; what enters (bodies, JSON, numbers, archives,
bundles, CSV) in ``test_attacks_input.py``."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from _attacks import GOOD, Clock, bearer, client, coded, logged_in_admin, login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from intikhab.demo.users import DEMO_USERS
from intikhab.services import sessions, users
from intikhab.store.models import User

# the hostile users' attacks on the whole application: in the full suite, not the fast set
pytestmark = pytest.mark.slow

__all__ = ["client"]  # the fixture, from tests/_attacks.py

# -- logins -----------------------------------------------------------------------------------


def test_throttling_growing_delays_then_lockout_429_and_admin_unlock(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """25 wrong passwords then the right one used to work: now each try past the third waits
    a doubling delay (429 E-SEC-001 + Retry-After, the password not even checked), the tenth
    locks the account (E-SEC-002) until an administrator lifts it."""
    c, clock = client, Clock(monkeypatch)
    admin = bearer(c, "admin")
    for _ in range(sessions.FREE_ACCOUNT):
        coded(login(c, "coord", "wrong-pass"), 401, "E-API-008")
    r = login(c, "coord")  # the right password, too soon
    coded(r, 429, "E-SEC-001")
    assert int(r.headers["retry-after"]) >= 1
    delays = []
    for _ in range(sessions.LOCK_ACCOUNT - sessions.FREE_ACCOUNT):
        r = login(c, "coord", "wrong-pass")
        if r.status_code == 429:
            delays.append(int(r.headers["retry-after"]))
            clock.now += int(r.headers["retry-after"])
            r = login(c, "coord", "wrong-pass")
        coded(r, 401, "E-API-008")
    assert delays == sorted(delays) and delays[-1] > delays[0]  # growing
    r = login(c, "coord")
    coded(r, 429, "E-SEC-002")
    assert int(r.headers["retry-after"]) > 60
    assert c.post("/api/v1/users/coord/unlock", headers=admin).json()["unlocked"] is True
    clock.now += sessions.MAX_DELAY_S  # the address keeps its own count and delay
    assert login(c, "coord").status_code == 200


def test_throttling_per_client_address(client: TestClient,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Password spraying: one wrong try for each of many accounts from one address is slowed
    down by the address's own count."""
    Clock(monkeypatch)
    for i in range(sessions.FREE_ADDRESS):
        coded(login(client, f"user{i}", "wrong-pass"), 401, "E-API-008")
    coded(login(client, "someone-else", "wrong-pass"), 429, "E-SEC-001")
    other = TestClient(client.app, client=("10.9.8.7", 1234))
    assert login(other, "clerk1").status_code == 200  # another address is not held up


def test_password_check_runs_outside_any_write_transaction(
        client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A login flood used to stall data entry: argon2 ran inside BEGIN IMMEDIATE.  While the
    password is checked, another connection can write at once."""
    url = engine.url.render_as_string(hide_password=False)
    other = create_engine(url, connect_args={"timeout": 0.2} if url.startswith("sqlite")
                          else {})
    wrote: list[bool] = []
    real = users.verify_password

    def verify(stored: str | None, password: str) -> bool:
        with other.begin() as conn:
            conn.execute(text("UPDATE app_user SET name = name WHERE id = 'clerk2'"))
        wrote.append(True)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", verify)
    coded(login(client, "coord", "wrong-pass"), 401, "E-API-008")
    assert login(client, "coord").status_code == 200
    assert wrote == [True, True]
    other.dispose()


# -- sessions ---------------------------------------------------------------------------------


def test_session_revoked_after_logout(client: TestClient) -> None:
    h = bearer(client, "coord")
    assert client.get("/api/v1/me", headers=h).status_code == 200
    assert client.post("/api/v1/logout", headers=h).status_code == 204
    coded(client.get("/api/v1/me", headers=h), 401, "E-API-002")


def test_session_revoked_after_page_logout(client: TestClient) -> None:
    c = client
    page = c.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    c.post("/login", data={"user": "coord", "password": "coord-2021",
                           "csrf_token": csrf.group(1)}, follow_redirects=False)
    cookie = c.cookies.get("intikhab_session")
    assert cookie and c.get("/api/v1/me").status_code == 200
    csrf2 = c.get("/api/v1/me").json()["csrf_token"]
    c.post("/logout", data={"csrf_token": csrf2}, follow_redirects=False)
    coded(c.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}), 401, "E-API-002")


def test_every_session_revoked_after_password_change_by_admin(client: TestClient) -> None:
    c = client
    admin = bearer(c, "admin")
    first, second = bearer(c, "clerk1"), bearer(c, "clerk1")
    assert c.patch("/api/v1/users/clerk1", json={"password": GOOD},
                   headers=admin).status_code == 200
    for h in (first, second):
        coded(c.get("/api/v1/me", headers=h), 401, "E-API-002")
    assert login(c, "clerk1", GOOD).status_code == 200


def test_every_session_revoked_after_own_password_change(client: TestClient) -> None:
    c = client
    h = bearer(c, "clerk2")
    coded(c.post("/api/v1/me/password", json={"current": "clerk2-2021", "new": "123456789012"},
                 headers=h), 422, "E-SEC-004")
    assert c.post("/api/v1/me/password", json={"current": "clerk2-2021", "new": GOOD},
                  headers=h).status_code == 204
    coded(c.get("/api/v1/me", headers=h), 401, "E-API-002")


def test_disabled_account_loses_its_sessions_and_cannot_log_in(client: TestClient) -> None:
    c = client
    admin, h = bearer(c, "admin"), bearer(c, "clerk1")
    assert c.post("/api/v1/users/clerk1/disable", headers=admin).json()["active"] is False
    coded(c.get("/api/v1/me", headers=h), 401, "E-API-002")
    coded(login(c, "clerk1"), 403, "E-SEC-003")
    coded(login(c, "clerk1", "wrong-pass"), 401, "E-API-008")  # nothing told without it
    assert c.post("/api/v1/users/clerk1/enable", headers=admin).json()["active"] is True
    assert login(c, "clerk1").status_code == 200


def test_idle_and_absolute_timeouts(client: TestClient, monkeypatch: pytest.MonkeyPatch
                                    ) -> None:
    c, clock = client, Clock(monkeypatch)
    h = bearer(c, "coord")
    clock.now += 25 * 60
    assert c.get("/api/v1/me", headers=h).status_code == 200  # activity keeps it alive
    clock.now += 31 * 60
    coded(c.get("/api/v1/me", headers=h), 401, "E-API-009")  # idle
    h = bearer(c, "coord")
    for _ in range(20):  # active every 25 minutes, for more than 8 hours
        clock.now += 25 * 60
        r = c.get("/api/v1/me", headers=h)
    coded(r, 401, "E-API-009")  # absolute


def test_tokens_are_random_and_stored_hashed(client: TestClient, Sessions: Any) -> None:
    token = login(client, "coord").json()["token"]
    assert "." not in token and len(token) >= 40
    with Sessions() as s:
        stored = s.execute(text("SELECT token_hash FROM user_session")).scalars().all()
    assert stored and token not in stored


def test_last_admin_cannot_be_disabled_or_demoted(client: TestClient) -> None:
    c = client
    admin = bearer(c, "admin")
    coded(c.post("/api/v1/users/admin/disable", headers=admin), 409, "E-SEC-005")
    coded(c.patch("/api/v1/users/admin", json={"role": "clerk"}, headers=admin), 409,
          "E-SEC-005")
    assert c.post("/api/v1/users", json={"id": "admin2", "name": "A2", "role": "admin",
                                         "password": GOOD}, headers=admin).status_code == 201
    assert c.patch("/api/v1/users/admin", json={"role": "coordinator"},
                   headers=admin).status_code == 200
    admin2 = bearer(c, "admin2", GOOD)
    coded(c.post("/api/v1/users/admin2/disable", headers=admin2), 409, "E-SEC-005")


@pytest.mark.parametrize(("password", "code"), [
    ("12345678", "E-API-013"), ("1234567890", "E-SEC-004"), ("password123", "E-SEC-004"),
    ("azertyuiop", "E-SEC-004"), ("motdepasse12", "E-SEC-004")])
def test_password_policy_length_and_common_passwords(client: TestClient, password: str,
                                                     code: str) -> None:
    admin = bearer(client, "admin")
    body = coded(client.post("/api/v1/users", json={"id": "newbie", "name": "N", "role": "clerk",
                                                    "password": password}, headers=admin),
                 422, code)
    assert body["message"]["ar"] and body["message"]["fr"] and body["message"]["en"]


# -- headers, CSP, docs -----------------------------------------------------------------------

PAGES = ("/", "/login", "/search?q=x", "/council/C1", "/offences", "/calendar", "/campaign",
         "/entry", "/entry/D1-S1/communal", "/coord", "/coord/c/C1", "/observe",
         "/observe/c/C1", "/admin", "/candidacies", "/disputes", "/finance", "/api/docs",
         "/nowhere")


def test_security_headers_on_every_response_including_errors_and_static(
        client: TestClient) -> None:
    c = client
    answers = [c.get(p, headers={"accept": "text/html"}) for p in PAGES]
    answers += [c.get("/static/app.css"), c.get("/api/v1/openapi.json"),
                c.get("/api/v1/me"), c.post("/api/v1/login", content=b"{"),
                c.post("/api/v1/login", content=b"x" * (2 << 20))]
    logged_in_admin(c)
    answers += [c.get(p, headers={"accept": "text/html"}) for p in PAGES]
    for r in answers:
        h = r.headers
        assert "script-src 'self'" in h["content-security-policy"], r.url
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"].split("style-src-attr")[0]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] and h["cross-origin-opener-policy"] == "same-origin"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.in_script = True
            self.bad.append("inline <script>")
        self.bad += [f"{tag} {k}" for k, _ in attrs if k.startswith("on")]
        self.bad += [f"{tag} {k}={v}" for k, v in attrs
                     if v and v.strip().lower().startswith("javascript:")]
        if tag == "style":
            self.bad.append("<style> element")
        for k in ("src", "href"):
            value = names.get(k) or ""
            if tag in ("script", "link", "img") and re.match(r"(https?:)?//", value):
                self.bad.append(f"external {tag} {value}")


def test_no_inline_script_in_any_page(client: TestClient) -> None:
    """The CSP forbids inline scripts: no page may rely on one (parsed, not grepped)."""
    c = client
    logged_in_admin(c)
    pages = [*PAGES, "/minute/C1-S1/communal", "/ballot/C1"]
    for path in pages:
        r = c.get(path, headers={"accept": "text/html"})
        if "html" not in r.headers.get("content-type", ""):
            continue
        parser = _Scripts()
        parser.feed(r.text)
        assert parser.bad == [], (path, parser.bad)


def test_api_docs_have_no_external_url_and_serve_their_assets(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text)
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', r.text):
        assert client.get(asset).status_code == 200, asset


# -- identifiers ------------------------------------------------------------------------------

BAD_IDS = ("\u0430dmin", "coord\u200b", "../../x", "<b>x</b>", "Admin", "x", "ａdmin",
           "a" * 33, "a b", "")


@pytest.mark.parametrize("bad", BAD_IDS)
def test_cyrillic_zero_width_path_and_markup_ids_refused(client: TestClient, Sessions: Any,
                                                         bad: str) -> None:
    """One rule for a user id, however the account is created: API, page, bundle, service."""
    c = client
    admin = bearer(c, "admin")
    r = c.post("/api/v1/users", json={"id": bad, "name": "n", "role": "clerk",
                                      "password": GOOD}, headers=admin)
    assert r.status_code == 422 and r.json()["code"] in ("E-SEC-006", "E-API-001")
    logged_in_admin(c)
    csrf = c.get("/api/v1/me").json()["csrf_token"]
    r = c.post("/admin/users", data={"csrf_token": csrf, "id": bad, "name": "n",
                                     "role": "clerk", "password": GOOD})
    assert r.status_code == 422, r.text[:300]
    r = c.post("/api/v1/setup/bundle", json={"users": [{"id": bad or "-", "name": "n",
                                                        "role": "clerk"}]}, headers=admin)
    assert r.status_code == 422
    with Sessions() as s:
        assert s.get(User, bad) is None
        assert sorted(s.scalars(select(User.id))) == sorted(u["id"] for u in DEMO_USERS)


# -- observers --------------------------------------------------------------------------------


def test_observer_cannot_tell_a_missing_station_from_a_forbidden_one(
        client: TestClient) -> None:
    """403 E-API-010 alike for a station outside the accreditation and one that does not
    exist: existence is not disclosed (art. 23 §2 gives the minutes of the accredited lists
    only)."""
    c = client
    admin, obs = bearer(c, "admin"), bearer(c, "observer")
    c.put("/api/v1/users/observer/accreditations", json={"constituencies": ["D1"]},
          headers=admin)
    forbidden = c.get("/api/v1/minutes/C1-S1/communal", headers=obs)
    missing = c.get("/api/v1/minutes/NOWHERE-S9/communal", headers=obs)
    assert (forbidden.status_code, forbidden.json()["code"]) == (
        missing.status_code, missing.json()["code"]) == (403, "E-API-010")
    for cid in ("C1", "NOWHERE"):
        coded(c.get(f"/api/v1/stations?constituency={cid}", headers=obs), 403, "E-API-010")
    coded(c.get("/api/v1/minutes/NOWHERE-S9/communal", headers=admin), 404, "E-API-004")


# -- the database going away ------------------------------------------------------------------


def test_sqlite_busy_answers_503_with_retry_after(client: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from intikhab.web.api import entry

    def busy(*_a: Any, **_k: Any) -> Any:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(entry.queries, "stations", busy)
    h = bearer(client, "coord")
    r = client.get("/api/v1/stations", headers=h)
    coded(r, 503, "E-SEC-015")
    assert int(r.headers["retry-after"]) >= 1
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a server's backend only
def test_postgresql_backend_killed_mid_request_answers_503(
        client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend serving a request is terminated (pg_terminate_backend from another
    connection) in the middle of it: 503 E-SEC-015 + Retry-After, and the next request works
    on a fresh connection."""
    assert engine.url.get_backend_name() == "postgresql"
    from conftest import PG_URL

    from intikhab.services import queries
    from intikhab.web.api import entry

    killer = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    real = queries.stations

    def killed(s: Session, **kw: Any) -> Any:
        pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        time.sleep(0.2)
        return real(s, **kw)

    h = bearer(client, "coord")
    monkeypatch.setattr(entry.queries, "stations", killed)
    r = client.get("/api/v1/stations", headers=h)
    coded(r, 503, "E-SEC-015")
    assert r.headers["retry-after"]
    monkeypatch.setattr(entry.queries, "stations", real)
    assert client.get("/api/v1/stations", headers=h).status_code == 200
    killer.dispose()
