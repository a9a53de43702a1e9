"""The REST API on SQLite and PostgreSQL: a minute entered twice, a conflict resolved, an
allocation declared and the public results following (cache invalidated); the role matrix
derived from the app's own routes (a clerk reaches no coordinator action, an observer writes
nothing, an observer reads only their constituencies); CSRF on cookie sessions; session expiry;
login audit; every bad request a coded 4xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import small_bundle
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.users import DEMO_USERS
from intikhab.law.errors import CATALOGUE
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.store import audit
from intikhab.store.models import AuditLog
from intikhab.web import create_app
from intikhab.web.api import PUBLIC_PATHS as LAW_PUBLIC
from intikhab.web.auth import COOKIE

PUBLIC = {"/api/v1/login", "/api/v1/results/national/{vote}",
          "/api/v1/results/councils/{council}/{vote}",
          "/api/v1/results/constituencies/{constituency:path}"} | LAW_PUBLIC  # + issue 5
ANY_ROLE_WRITES = {"/api/v1/logout", "/api/v1/me/password"}  # ending one's own session
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = ("clerk", "coordinator", "observer", "admin")
ACCOUNT = {"clerk": "clerk1", "coordinator": "coord", "observer": "observer", "admin": "admin"}


def db_ready(Sessions: sessionmaker[Session]) -> None:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
        ensure_demo_accounts(s, DEMO_USERS)


@pytest.fixture
def client(engine: Engine, Sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    db_ready(Sessions)
    app = create_app(str(engine.url.render_as_string(hide_password=False)), secret="test")
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def token(c: TestClient, user: str) -> dict[str, str]:
    r = c.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def coded(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer has this status and a catalogue code with its three messages."""
    assert r.status_code == status, (r.status_code, r.text)
    body: dict[str, Any] = r.json()
    assert body["code"] in CATALOGUE and set(body["message"]) == {"ar", "fr", "en"}
    if code is not None:
        assert body["code"] == code, body
    return body


def minute(station: str, votes: dict[str, int], registered: int = 500, void: int = 5,
           vote: str = "communal") -> dict[str, Any]:
    ballots = sum(votes.values()) + void
    return {"station": station, "vote": vote, "registered": registered, "signed": ballots,
            "ballots": ballots, "void": void, "contested": 0, "illegal": 0, "votes": votes}


def submit(c: TestClient, h: dict[str, str], m: dict[str, Any],
           accept: tuple[str, ...] = ()) -> Any:
    return c.post("/api/v1/minutes", json={"minute": m, "accept_warnings": list(accept)},
                  headers=h)


# --------------------------------------------------------------------------------------------
# the whole path, on both databases


def test_double_entry_conflict_resolution_declaration_public(client: TestClient) -> None:
    """art. 23 (minutes, double entry), art. 24 (the commission allocates and declares)."""
    c = client
    clerk1, clerk2, coord = token(c, "clerk1"), token(c, "clerk2"), token(c, "coord")
    a = {"PA:D2": 120, "PB:D2": 80}
    for st in ("D2-S1", "D2-S2"):
        r = submit(c, clerk1, minute(st, a))
        assert r.json()["outcome"] == "first_recorded", r.text
    # the same clerk cannot make the second entry (E-ENTRY-001)
    coded(submit(c, clerk1, minute("D2-S1", {"PA:D2": 121, "PB:D2": 79})), 409, "E-ENTRY-001")
    assert submit(c, clerk2, minute("D2-S1", a)).json()["outcome"] == "accepted"
    # a differing second entry: conflict, shown side by side to the coordinator
    assert submit(c, clerk2, minute("D2-S2", {"PA:D2": 121, "PB:D2": 79})).json()[
        "outcome"] == "conflict"
    detail = c.get("/api/v1/minutes/D2-S2/communal", headers=coord).json()
    assert detail["status"] == "conflict"
    assert detail["differences"] == ["votes.PA:D2", "votes.PB:D2"]
    progress = c.get("/api/v1/constituencies/D2", headers=coord).json()
    assert (progress["stations"], progress["accepted"], progress["conflict"]) == (2, 1, 1)
    # not complete yet: no allocation (E-API-015)
    coded(c.post("/api/v1/constituencies/D2/allocate", json={}, headers=coord), 409,
          "E-API-015")
    r = c.post("/api/v1/minutes/D2-S2/communal/resolve", json={"keep": 1}, headers=coord)
    assert r.json()["status"] == "accepted", r.text
    before = c.get("/api/v1/results/national/communal").json()
    assert before["declared"] == 0
    r = c.post("/api/v1/constituencies/D2/allocate", json={}, headers=coord)
    assert r.status_code == 200, r.text
    alloc = r.json()
    assert alloc["status"] == "declared" and alloc["outcome"]["winner"] == "PA:D2"
    assert alloc["figures"]["voters"] == 2 * 205 and alloc["progress"] == "allocated"
    assert c.get("/api/v1/results/constituencies/D2").status_code == 404  # not declared yet
    r = c.post("/api/v1/constituencies/D2/declare", headers=coord)
    assert r.json()["progress"] == "declared" and r.json()["declared_by"] == "coord"
    after = c.get("/api/v1/results/national/communal").json()
    assert after["declared"] == 1  # the cache followed the declaration
    assert [(p["party"], p["seats"], p["votes"]) for p in after["parties"]] == [
        ("PA", 1, 240), ("PB", 0, 160)]
    council = c.get("/api/v1/results/councils/C2/communal").json()
    assert council["parties"][0]["elected"] == ["PA-D2"]
    # the JSON and the council page give the same turnout, to the hundredth (council.percent)
    from intikhab.formats.council import percent

    assert council["turnout_percent"] == percent(council["voters"], council["registered"])
    assert c.get("/api/v1/results/constituencies/D2").json()["declared_by"] == "coord"
    assert c.get("/api/v1/audit/verify", headers=coord).json()["ok"] is True


def test_public_results_are_cached_with_etag(client: TestClient) -> None:
    c = client
    r = c.get("/api/v1/results/national/regional")
    etag = r.headers["etag"]
    assert c.get("/api/v1/results/national/regional",
                 headers={"If-None-Match": etag}).status_code == 304
    hits = c.app.state.cache.hits  # type: ignore[attr-defined]
    c.get("/api/v1/results/national/regional")
    assert c.app.state.cache.hits == hits + 1  # type: ignore[attr-defined]
    coded(c.get("/api/v1/results/councils/NOPE/communal"), 404, "E-API-004")


# --------------------------------------------------------------------------------------------
# roles, derived from the routes themselves


def _roles_of(route: APIRoute) -> frozenset[str] | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        roles = getattr(dep.call, "roles", None)
        if roles is not None:
            return frozenset(roles)
        stack += dep.dependencies
    return None


def all_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute of an app, through included routers (FastAPI wraps them)."""
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            out += all_routes(r.original_router.routes)
    return out


def _api_routes(c: TestClient) -> list[APIRoute]:
    return [r for r in all_routes(c.app.routes)  # type: ignore[attr-defined]
            if r.path.startswith("/api/")]


def _call(c: TestClient, method: str, path: str, h: dict[str, str]) -> Any:
    url = (path.replace("{vote}", "communal").replace("{station}", "D1-S1")
           .replace("{constituency}", "D1").replace("{constituency:path}", "D1")
           .replace("{council}", "C2").replace("{user}", "clerk2"))
    return c.request(method, url, json={}, headers=h)


def test_every_api_route_checks_a_role_except_the_public_ones(client: TestClient) -> None:
    unchecked = {r.path for r in _api_routes(client) if _roles_of(r) is None}
    assert unchecked == PUBLIC


def test_role_matrix_every_route_refuses_the_roles_it_does_not_name(
        client: TestClient) -> None:
    """A clerk reaches no coordinator or admin action; an observer writes nothing — through
    every route the app has, so that a new route is covered automatically."""
    c = client
    heads = {role: token(c, ACCOUNT[role]) for role in ROLES}
    checked = 0
    for route in _api_routes(c):
        roles = _roles_of(route)
        if roles is None:
            continue
        for method in route.methods:
            for role in ROLES:
                if role in roles:
                    continue
                coded(_call(c, method, route.path, heads[role]), 403, "E-API-003")
                checked += 1
            if method in UNSAFE and route.path not in ANY_ROLE_WRITES:
                assert "observer" not in roles, route.path
                assert roles <= {"clerk", "coordinator", "admin"}
            if route.path.startswith(("/api/v1/minutes/{station}/{vote}/",
                                      "/api/v1/constituencies/{constituency:path}/")) and (
                    method in UNSAFE):
                assert "clerk" not in roles, route.path  # coordinator actions
    assert checked > 20
    # anonymous: 401 everywhere but the public routes
    for route in _api_routes(c):
        if route.path not in PUBLIC:
            for method in route.methods:
                coded(_call(c, method, route.path, {}), 401, "E-API-002")


def test_observer_reads_only_accredited_constituencies(client: TestClient) -> None:
    """art. 23 §2: the lists' representatives receive the minutes of their constituency."""
    c = client
    admin, obs = token(c, "admin"), token(c, "observer")
    r = c.put("/api/v1/users/observer/accreditations", json={"constituencies": ["D2"]},
              headers=admin)
    assert r.json()["accredited"] == ["D2"]
    assert c.get("/api/v1/minutes/D2-S1/communal", headers=obs).status_code == 200
    coded(c.get("/api/v1/minutes/C1-S1/communal", headers=obs), 403, "E-API-010")
    coded(c.get("/api/v1/constituencies/C1", headers=obs), 403, "E-API-010")
    rows = c.get("/api/v1/stations", headers=obs).json()
    assert {r["constituency"] for r in rows} == {"D2"}
    assert [x["id"] for x in c.get("/api/v1/constituencies", headers=obs).json()] == ["D2"]
    # clerks never see entries (blind double entry)
    coded(c.get("/api/v1/minutes/D2-S1/communal", headers=token(c, "clerk1")), 403,
          "E-API-003")


# --------------------------------------------------------------------------------------------
# sessions, CSRF, audit


def test_cookie_session_needs_the_csrf_token_bearer_does_not(client: TestClient) -> None:
    c = client
    h = token(c, "clerk1")
    session_token = h["Authorization"].removeprefix("Bearer ")
    c.cookies.set(COOKIE, session_token)
    me = c.get("/api/v1/me").json()
    assert me["id"] == "clerk1"
    m = minute("D1-S1", {"PA:D1": 100, "PB:D1": 50})
    coded(c.post("/api/v1/minutes", json={"minute": m}), 403, "E-API-006")
    coded(c.post("/api/v1/minutes", json={"minute": m}, headers={"X-CSRF-Token": "x" * 64}),
          403, "E-API-006")
    r = c.post("/api/v1/minutes", json={"minute": m},
               headers={"X-CSRF-Token": me["csrf_token"]})
    assert r.json()["outcome"] == "first_recorded", r.text
    c.cookies.clear()
    r = submit(c, h, minute("D1-S2", {"PA:D1": 100, "PB:D1": 50}))  # bearer: no CSRF
    assert r.json()["outcome"] == "first_recorded"


def test_sessions_expire_and_tampered_tokens_are_refused(
        engine: Engine, Sessions: sessionmaker[Session]) -> None:
    db_ready(Sessions)
    app = create_app(engine.url.render_as_string(hide_password=False), secret="s",
                     session_ttl_s=0)
    with TestClient(app) as c:
        h = token(c, "coord")
        coded(c.get("/api/v1/me", headers=h), 401, "E-API-009")
    app.state.engine.dispose()
    other = create_app(engine.url.render_as_string(hide_password=False), secret="other")
    good = create_app(engine.url.render_as_string(hide_password=False), secret="s")
    with TestClient(good) as c, TestClient(other) as o:
        h = token(c, "coord")
        assert c.get("/api/v1/me", headers=h).status_code == 200
        coded(o.get("/api/v1/me", headers=h), 401, "E-API-002")  # another secret
        forged = {"Authorization": h["Authorization"][:-3] + "abc"}
        coded(c.get("/api/v1/me", headers=forged), 401, "E-API-002")
    other.state.engine.dispose()
    good.state.engine.dispose()


def test_every_login_is_audited(client: TestClient, Sessions: sessionmaker[Session]) -> None:
    c = client
    token(c, "coord")
    coded(c.post("/api/v1/login", json={"user": "coord", "password": "wrong-pass"}), 401,
          "E-API-008")
    coded(c.post("/api/v1/login", json={"user": "nobody", "password": "wrong-pass"}), 401,
          "E-API-008")
    with Sessions() as s:
        rows = [(a.actor, a.action) for a in s.scalars(
            select(AuditLog).where(AuditLog.action.like("auth.%")).order_by(AuditLog.seq))]
        assert rows == [("coord", "auth.login"), ("coord", "auth.login_failed"),
                        ("nobody", "auth.login_failed")]
        assert audit.verify(s).ok


def test_admin_manages_users_with_audit(client: TestClient) -> None:
    c = client
    admin = token(c, "admin")
    r = c.post("/api/v1/users", json={"id": "agent7", "name": "وكيل", "role": "observer",
                                      "password": "secret-pass"}, headers=admin)
    assert r.status_code == 201, r.text
    coded(c.post("/api/v1/users", json={"id": "agent7", "name": "x", "role": "clerk",
                                        "password": "secret-pass"}, headers=admin),
          409, "E-API-011")
    r = c.patch("/api/v1/users/agent7", json={"role": "clerk"}, headers=admin)
    assert r.json()["role"] == "clerk"
    r = c.post("/api/v1/login", json={"user": "agent7", "password": "secret-pass"})
    assert r.json()["user"]["role"] == "clerk"
    assert "agent7" in [u["id"] for u in c.get("/api/v1/users", headers=admin).json()]


# --------------------------------------------------------------------------------------------
# bad requests: always a coded 4xx


BAD: list[tuple[str, str, Any, int, str]] = [
    ("POST", "/api/v1/minutes", {"minute": {"station": "D1-S1"}}, 422, "E-API-001"),
    ("POST", "/api/v1/minutes", {"minute": minute("D1-S1", {"PA:D1": -1})}, 422, "E-API-001"),
    ("POST", "/api/v1/minutes", {"minute": minute("NOPE", {"PA:D1": 1})}, 422, "E-PV-009"),
    ("POST", "/api/v1/minutes", {"minute": minute("D1-S1", {"PZ": 10})}, 422, "E-PV-005"),
    ("POST", "/api/v1/minutes",
     {"minute": {**minute("D1-S1", {"PA:D1": 10, "PB:D1": 1}), "ballots": 99}}, 422,
     "E-PV-002"),
    ("POST", "/api/v1/minutes", {"minute": minute("D1-S1", {"PA:D1": 10, "PB:D1": 1}, 499)},
     422, "E-ENTRY-005"),
    ("POST", "/api/v1/minutes", {"minute": minute("D1-S1", {}), "extra": 1}, 422, "E-API-001"),
    ("POST", "/api/v1/minutes/check", {"minute": minute("D1-S1", {}, vote="x")}, 422,
     "E-API-001"),
    ("POST", "/api/v1/minutes/D1-S1/communal/resolve", {"keep": 3}, 422, "E-API-001"),
    ("POST", "/api/v1/minutes/D1-S1/communal/resolve", {"keep": 1}, 409, "E-ENTRY-003"),
    ("POST", "/api/v1/minutes/D1-S1/local/send-back", {}, 422, "E-API-001"),
    ("GET", "/api/v1/minutes/NOPE/communal", None, 404, "E-API-004"),
    ("GET", "/api/v1/constituencies/NOPE", None, 404, "E-API-004"),
    ("GET", "/api/v1/constituencies/D1/result", None, 404, "E-API-014"),
    ("POST", "/api/v1/constituencies/NOPE/allocate", {}, 404, "E-API-004"),
    ("POST", "/api/v1/constituencies/D1/allocate", {"lots": 5}, 422, "E-API-001"),
    ("PATCH", "/api/v1/users/nobody", {"role": "clerk"}, 404, "E-API-004"),
    ("PATCH", "/api/v1/users/clerk2", {"role": "king"}, 422, "E-API-001"),
    ("POST", "/api/v1/users", {"id": "u1", "name": "n", "role": "clerk", "password": "short"},
     422, "E-API-013"),
    ("PUT", "/api/v1/users/observer/accreditations", {"constituencies": ["NOPE"]}, 404,
     "E-API-004"),
    ("POST", "/api/v1/setup/bundle", {"parties": [{"id": "PX"}]}, 422, "E-IMP-001"),
    ("GET", "/api/v1/nowhere", None, 404, "E-API-004"),
    ("DELETE", "/api/v1/users", None, 405, "E-API-005"),
]


def test_bad_requests_get_a_coded_4xx(client: TestClient) -> None:
    c = client
    admin = token(c, "admin")
    for method, path, body, status, code in BAD:
        r = c.request(method, path, json=body, headers=admin)
        answer = coded(r, status, code)
        if path == "/api/v1/setup/bundle":
            assert answer["errors"][0]["code"] == "E-IMP-002"
        if code in ("E-PV-002", "E-PV-005", "E-ENTRY-005"):
            assert answer["findings"], answer  # the check catalogue, shown in the form
    coded(c.post("/api/v1/minutes", content=b"{not json", headers={
        **admin, "Content-Type": "application/json"}), 400, "E-ALLOC-001")
    # nothing was stored by any of them
    assert c.get("/api/v1/stations?constituency=D1", headers=admin).json()[0]["status"] == (
        "awaiting")


def test_the_live_check_shows_warnings_to_accept(client: TestClient) -> None:
    c = client
    h = token(c, "clerk1")
    body = {"minute": minute("D1-S1", {"PA:D1": 10}, registered=499)}
    r = c.post("/api/v1/minutes/check", json=body, headers=h).json()
    assert not r["acceptable"]
    assert [f["code"] for f in r["findings"]] == ["W-PV-008", "W-PV-010"]
    body["accept_warnings"] = ["W-PV-008", "W-PV-010"]
    assert c.post("/api/v1/minutes/check", json=body, headers=h).json()["acceptable"]
    assert submit(c, h, body["minute"], ("W-PV-008", "W-PV-010")).json()["outcome"] == (
        "first_recorded")


def test_a_district_whose_id_holds_a_slash_is_reached(
        engine: Engine, Sessions: sessionmaker[Session]) -> None:
    """A district's id is ``commune/district`` (the demo's ``C0051/D09``): every
    ``/constituencies/{id}…`` route reaches it, the suffixed ones included, and its declared
    allocation is public (art. 24, law 59.11 as amended)."""
    import json

    bundle = json.loads(json.dumps(small_bundle()).replace('"D2"', '"C2/D2"'))
    with Sessions.begin() as s:
        load_bundle(s, bundle)
        ensure_demo_accounts(s, DEMO_USERS)
    app = create_app(str(engine.url.render_as_string(hide_password=False)), secret="test")
    with TestClient(app) as c:
        clerk1, clerk2, coord = token(c, "clerk1"), token(c, "clerk2"), token(c, "coord")
        for st in ("D2-S1", "D2-S2"):
            for h in (clerk1, clerk2):
                submit(c, h, minute(st, {"PA:D2": 120, "PB:D2": 80}))
        assert c.get("/api/v1/constituencies/C2/D2", headers=coord).json()["accepted"] == 2
        assert [x["code"] for x in c.get("/api/v1/constituencies/C2/D2/candidacies",
                                          headers=coord).json()] == ["PA:D2", "PB:D2"]
        coded(c.get("/api/v1/constituencies/C2/D2/result", headers=coord), 404)
        coded(c.get("/api/v1/results/constituencies/C2/D2"), 404)
        r = c.post("/api/v1/constituencies/C2/D2/allocate", json={}, headers=coord)
        assert r.status_code == 200 and r.json()["constituency"] == "C2/D2", r.text
        assert c.get("/api/v1/constituencies/C2/D2/result", headers=coord).json()[
            "progress"] == "allocated"
        r = c.post("/api/v1/constituencies/C2/D2/declare", headers=coord)
        assert r.json()["progress"] == "declared", r.text
        public = c.get("/api/v1/results/constituencies/C2/D2").json()
        assert public["constituency"] == "C2/D2" and public["outcome"]["winner"] == "PA:D2"
        assert c.get("/api/v1/results/councils/C2/communal").json()["declared"] == 1
        coded(c.get("/api/v1/constituencies/C9/D9", headers=coord), 404)
    app.state.engine.dispose()
