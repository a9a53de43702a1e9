"""The election-night cache (web/cache.py): a miss is built once however many ask at the same
time; another process's declaration reaches the public answers through the generation poller
(a stale answer is served while the new one renders, then the new one); the fast path keeps
only what the application marked public and never answers a logged-in request; the start-up
warm-up renders every public address.  Nothing counts before it is declared (art. 24, law
59.11 as amended), so the cache follows the declarations only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _webapp import build, declare_all
from fastapi.testclient import TestClient
from starlette.responses import Response

from intikhab.store.db import make_engine, sessions
from intikhab.web import create_app
from intikhab.web.cache import ResultsCache, public_addresses


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
    assert cache.fast.stale >= 1  # the old answer was served while the new one rendered
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
