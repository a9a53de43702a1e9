"""What the attack suites share (tests/web/test_attacks*.py): an application over
``small_bundle()`` with the demo accounts, a clock under the test's control, and logins."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import small_bundle
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.users import DEMO_USERS
from intikhab.law.errors import CATALOGUE
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.web import create_app

GOOD = "plume-Verte-1957"  # a password the policy accepts


@pytest.fixture
def client(engine: Engine, Sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
        ensure_demo_accounts(s, DEMO_USERS)
    app = create_app(engine.url.render_as_string(hide_password=False), secret="test",
                     cache=False)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


class Clock:
    """``time.time`` under the test's control (throttle delays, timeouts)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)


def login(c: TestClient, user: str, password: str | None = None) -> Any:
    return c.post("/api/v1/login", json={"user": user, "password": password or f"{user}-2021"})


def bearer(c: TestClient, user: str, password: str | None = None) -> dict[str, str]:
    r = login(c, user, password)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def coded(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:500])
    body: dict[str, Any] = r.json()
    assert body["code"] in CATALOGUE and set(body["message"]) == {"ar", "fr", "en"}
    if code is not None:
        assert body["code"] == code, body
    return body


def minute(station: str, votes: dict[str, Any], **over: Any) -> dict[str, Any]:
    n = sum(v for v in votes.values() if isinstance(v, int)) + 5
    doc = {"station": station, "vote": "communal", "registered": 500, "signed": n,
           "ballots": n, "void": 5, "contested": 0, "illegal": 0, "votes": votes}
    return {"minute": {**doc, **over}, "accept_warnings": []}


def logged_in_admin(c: TestClient) -> None:
    page = c.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    r = c.post("/login", data={"user": "admin", "password": "admin-2021",
                               "csrf_token": csrf.group(1)}, follow_redirects=False)
    assert r.status_code == 303
