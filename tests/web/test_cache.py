"""The election-night cache (web/cache.py): a miss is built once however many ask at the same
time; another process's declaration reaches the public answers through the poller, and renews
only its council's answers and the national ones (a stale answer is served while the new one
renders, then the new one); a declaration through this process is visible at once; the fast
path keeps only what the application marked public and never answers a logged-in request; the
start-up warm-up renders every public address.  Nothing counts before it is declared (art. 24,
law 59.11 as amended), so the cache follows the declarations only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _webapp import build, declare_all, enter_all, figures
from fastapi.testclient import TestClient
from starlette.responses import Response

from intikhab.formats.council import CouncilResult
from intikhab.services import council_results, results
from intikhab.store.db import make_engine, sessions
from intikhab.web import create_app
from intikhab.web.cache import ResultsCache, tags_of_key, tags_of_path
from intikhab.web.warm import public_addresses


@pytest.fixture
def url(tmp_path: Path) -> str:
    u = f"sqlite:///{tmp_path / 'night.sqlite'}"
    build(u)
    return u


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    app = create_app(url, secret="test")
    app.state.cache.check_s = 0.05
    with TestClient(app) as c:  # the lifespan starts the poller
        yield c
    app.state.engine.dispose()


def test_a_miss_is_built_once_for_concurrent_requests(url: str) -> None:
    cache = ResultsCache(sessions(make_engine(url)))
    calls = []

    def slow() -> bytes:
        calls.append(1)
        time.sleep(0.2)
        return b"answer"

    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(cache.get("k", slow).body))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [b"answer"] * 8 and len(calls) == 1
    assert (cache.misses, cache.hits) == (1, 7)


def test_a_failed_build_is_not_kept(url: str) -> None:
    cache = ResultsCache(sessions(make_engine(url)))

    def boom() -> bytes:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get("k", boom)
    assert cache.get("k", lambda: b"ok").body == b"ok"


def test_another_process_declaration_reaches_the_public_answers(
        client: TestClient, url: str) -> None:
    """art. 24: the results appear once declared — here by another process (no invalidate
    in this one): the poller sees the new generation."""
    first = client.get("/api/v1/results/national/communal")
    assert first.json()["declared"] == 0
    assert client.get("/api/v1/results/national/communal").status_code == 200
    cache = client.app.state.cache  # type: ignore[attr-defined]
    assert cache.fast is not None and cache.fast.hits >= 1
    declare_all(url)  # another process's commission declares everything
    deadline = time.monotonic() + 10
    while True:
        body = client.get("/api/v1/results/national/communal").json()
        if body["declared"] == 3:
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.05)
    assert cache.fast.renewed >= 1  # rendered again in the background, not by a visitor
    assert client.get("/api/v1/results/national/communal").headers["etag"] != first.headers[
        "etag"]


def test_fast_path_keeps_only_public_anonymous_answers(client: TestClient) -> None:
    app = client.app
    fast = app.state.cache.fast  # type: ignore[attr-defined]

    @app.get("/private-test")  # type: ignore[attr-defined, misc]
    def private() -> Response:
        return Response(b"x", headers={"ETag": '"1"', "Cache-Control": "private"})

    @app.get("/cookie-test")  # type: ignore[attr-defined, misc]
    def cookie() -> Response:
        r = Response(b"y", headers={"ETag": '"2"', "Cache-Control": "public"})
        r.set_cookie("a", "b")
        return r

    for path in ("/private-test", "/cookie-test"):
        client.get(path)
        client.get(path)
    assert not any(key[0] in ("/private-test", "/cookie-test") for key in fast.items)
    r = client.get("/api/v1/results/national/regional")
    stored = fast.passed
    assert client.get("/api/v1/results/national/regional",
                      headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert fast.passed == stored  # answered by the fast path
    cache, fast_hits = app.state.cache, fast.hits  # type: ignore[attr-defined]
    inner = cache.hits
    client.get("/api/v1/results/national/regional", headers={"Authorization": "Bearer x"})
    client.cookies.set("intikhab_session", "whatever")
    client.get("/api/v1/results/national/regional")
    assert fast.hits == fast_hits and cache.hits == inner + 2  # credentials reach the app


def test_warm_up_renders_every_public_address(url: str) -> None:
    declare_all(url)
    with sessions(make_engine(url))() as s:
        paths = public_addresses(s)
    assert "/" in paths and "/api/v1/results/councils/C2/communal" in paths
    app = create_app(url, secret="test", warm_public=True, public_host="testserver")
    with TestClient(app) as c:
        fast = app.state.cache.fast
        deadline = time.monotonic() + 20
        while len(fast.items) < len(paths):
            assert time.monotonic() < deadline, (len(fast.items), paths)
            time.sleep(0.05)
        passed = fast.passed
        for path in paths:
            assert c.get(path).status_code == 200
        assert fast.passed == passed  # every one answered from memory
    app.state.engine.dispose()


def declare_one(url: str, constituency: str) -> None:
    """Another process's commission: every minute accepted, one constituency declared."""
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        enter_all(s)
        results.allocate(s, "coord", only=[constituency], seed="test")
        assert results.declare(s, "coord", only=[constituency]) == 1
    engine.dispose()


def wait_for(test: object, what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not test():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


ADDRESSES = ("/api/v1/results/councils/C1/communal", "/api/v1/results/councils/C2/communal",
             "/api/v1/results/national/communal", "/council/C1", "/council/C2", "/",
             "/search", "/api/v1/results/national/regional")


def test_each_address_depends_on_its_council_or_the_nation() -> None:
    assert tags_of_path("/council/C2") == tags_of_path("/api/v1/results/councils/C2/communal")
    assert tags_of_path("/") == {"national:communal", "national:regional"}
    assert tags_of_path("/api/v1/results/national/regional") == {"national:regional"}
    assert tags_of_path("/api/v1/results/constituencies/C0051/D09") == {
        "constituency:C0051/D09"}
    assert tags_of_path("/search") == frozenset()
    assert tags_of_key("council:C2:communal") == tags_of_path("/council/C2")
    assert tags_of_key("page\x1fhost\x1f/council/C2\x1f\x1far\x1f") == {"council:C2"}
    assert tags_of_key("something:else") == {"any"}


def test_a_declaration_elsewhere_renews_only_its_council_and_the_nation(
        client: TestClient, url: str) -> None:
    """art. 24: D1 (council C2, communal) declared by another process: C2's answers, the
    communal national ones and the portal are rendered again; C1's answers, the regional
    national result and the search are the very same objects."""
    for path in ADDRESSES:
        assert client.get(path).status_code == 200, path
    fast = client.app.state.cache.fast  # type: ignore[attr-defined]
    before = {k[0]: v for k, v in fast.items.items()}
    assert set(before) >= set(ADDRESSES)
    declare_one(url, "D1")

    def renewed() -> bool:
        return all(fast.items.get(k) is not None and fast.items[k] is not before[k[0]]
                   for k in list(fast.items) if k[0] in ADDRESSES[1:3] + ADDRESSES[4:6])

    wait_for(lambda: client.app.state.cache.changes >= 1  # type: ignore[attr-defined]
             and renewed(), "C2 and the national answers renewed")
    after = {k[0]: v for k, v in fast.items.items()}
    for path in ("/api/v1/results/councils/C1/communal", "/council/C1", "/search",
                 "/api/v1/results/national/regional"):
        assert after[path] is before[path], path  # untouched
    assert client.get("/api/v1/results/councils/C2/communal").json()["declared"] == 1
    assert client.get("/api/v1/results/national/communal").json()["declared"] == 1
    assert client.get("/api/v1/results/councils/C1/communal").json()["declared"] == 0
    assert client.app.state.cache.full_changes == 0  # type: ignore[attr-defined]


def test_visitors_get_the_previous_answer_while_the_new_one_renders(
        client: TestClient, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stale-while-revalidate: while C2's new answer is being rendered (held here), its
    visitors get the previous one at once; then the new one."""
    path = "/api/v1/results/councils/C2/communal"
    old = client.get(path)
    assert old.json()["declared"] == 0
    gate, rendering = threading.Event(), threading.Event()
    real = council_results.council_result

    def held(*args: object) -> CouncilResult:
        rendering.set()
        gate.wait(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(council_results, "council_result", held)
    declare_one(url, "D2")
    assert rendering.wait(10)  # the poller saw it and the renewal started
    t0 = time.monotonic()
    stale = client.get(path)
    assert time.monotonic() - t0 < 1 and stale.content == old.content
    assert client.app.state.cache.fast.stale >= 1  # type: ignore[attr-defined]
    gate.set()
    wait_for(lambda: client.get(path).json()["declared"] == 1, "the new answer")


def test_a_declaration_through_this_process_is_visible_at_once(client: TestClient) -> None:
    """The coordinator who declares (art. 24) sees the result on the very next request, and
    the untouched council keeps its cached answer."""
    c1 = client.get("/api/v1/results/councils/C1/communal")
    assert client.get("/api/v1/results/national/communal").json()["declared"] == 0
    fast = client.app.state.cache.fast  # type: ignore[attr-defined]
    kept = next(v for k, v in fast.items.items() if k[0].endswith("/C1/communal"))
    heads = {}
    for user in ("clerk1", "clerk2", "coord"):
        r = client.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
        heads[user] = {"Authorization": f"Bearer {r.json()['token']}"}
    for station in ("D1-S1", "D1-S2"):
        body = {"minute": {"station": station, "vote": "communal", **figures(station)},
                "accept_warnings": ["W-PV-004"]}
        for clerk in ("clerk1", "clerk2"):
            assert client.post("/api/v1/minutes", json=body, headers=heads[clerk]
                               ).status_code == 200
    assert client.post("/api/v1/constituencies/D1/allocate", json={},
                       headers=heads["coord"]).status_code == 200
    r = client.post("/api/v1/constituencies/D1/declare", headers=heads["coord"])
    assert r.json()["progress"] == "declared"
    assert client.get("/api/v1/results/national/communal").json()["declared"] == 1
    assert client.get("/api/v1/results/councils/C2/communal").json()["declared"] == 1
    assert client.get("/council/C2").status_code == 200
    assert client.get("/api/v1/results/councils/C1/communal").content == c1.content
    assert next(v for k, v in fast.items.items() if k[0].endswith("/C1/communal")) is kept
