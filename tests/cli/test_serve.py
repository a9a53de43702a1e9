"""``intikhab serve`` in a real process: on the SQLite demo database by default (here a small
one built in a temporary folder), it prints its address and the demo accounts, answers the
public results (JSON, with ETag and 304) and the portal, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from _webapp import build, declare_all

pytestmark = pytest.mark.slow  # `intikhab serve` in a real process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_prints_address_and_demo_accounts_and_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intikhab.sqlite'}"  # the one default of every command
    build(url)
    declare_all(url)
    port = free_port()
    cli = Path(sys.executable).with_name("intikhab")
    env = {**os.environ, "INTIKHAB_WARM": "1"}
    proc = subprocess.Popen([str(cli), "serve", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                national = httpx.get(f"{base}/api/v1/results/national/communal", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[0]
                time.sleep(0.1)
        else:
            raise AssertionError("intikhab serve did not answer")
        assert national.status_code == 200
        body = national.json()
        assert body["declared"] == body["constituencies"] == 3  # C1, D1, D2 (small_bundle)
        assert sum(p["seats"] for p in body["parties"]) == body["seats"]
        again = httpx.get(f"{base}/api/v1/results/national/communal",
                          headers={"If-None-Match": national.headers["etag"]})
        assert again.status_code == 304
        council = httpx.get(f"{base}/api/v1/results/councils/C2/communal")
        assert council.status_code == 200 and council.json()["council"] == "C2"
        portal = httpx.get(f"{base}/")
        assert portal.status_code == 200 and 'dir="rtl"' in portal.text
        assert httpx.get(f"{base}/api/v1/results/councils/NOPE/communal").status_code == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in out and "intikhab.sqlite" in out
    # not the demo's synthetic election: no demo account, no known password is added to it
    assert "-2021" not in out, out
