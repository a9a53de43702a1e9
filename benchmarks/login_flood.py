"""A login flood against data entry (BENCHMARKS.md, "Login flood").

Serves a small election on SQLite with ``intikhab serve`` (loopback only, real argon2
parameters) and, while two clerks double-enter minutes through the API one after the other
(each submission an audited write that takes SQLite's write lock), measures the clerks'
latency three ways:

(a) **quiet** — nobody else;
(b) **flood, one address** — ``--threads`` threads (8) post wrong passwords for the clerks'
    and random accounts from 127.0.0.1 as fast as they can (the address and accounts are soon
    throttled: 429 answered from one read);
(c) **flood, rotating addresses** — the same, each thread sending from a new loopback source
    address (127.0.x.y) every few tries and a new random account each time, so that the
    per-address and per-account throttles never trigger: every try costs a full argon2 check
    and one short audited write.

Each phase lasts ``--duration`` seconds (20) and the flood is bounded in count (``--max``,
50,000 requests).  Prints p50/p99/max of the clerks' submissions, the flood's answers by status
and the machine's load (``uptime``), and writes ``benchmarks/out/login_flood.json``.

    .venv/bin/python benchmarks/login_flood.py [--duration 20] [--threads 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from intikhab.demo.users import DEMO_USERS
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.store.db import make_engine, migrate, sessions

OUT = Path(__file__).resolve().parent / "out"
STATIONS = 3000


def bundle() -> dict[str, Any]:
    """One single-member commune of one district with :data:`STATIONS` stations, two
    candidates."""
    cand = {"name": "c", "birth_date": "1970-01-01", "sex": "M"}
    return {
        "election": {"id": "flood", "name": "Flood", "polling_date": "2021-09-08",
                     "rules_communal": "communal-2021", "rules_regional": "regional-2021"},
        "parties": [{"id": p, "name_ar": p, "name_fr": p} for p in ("PA", "PB")],
        "regions": [{"id": "R1", "name": "R1", "population": 10**6}],
        "prefectures": [{"id": "K1", "region": "R1", "name": "K1"}],
        "communes": [{"id": "C2", "region": "R1", "prefecture": "K1", "name": "C2",
                      "kind": "single_member", "population": 9000, "council_seats": 13}],
        "constituencies": [
            {"id": "K1", "vote": "regional", "kind": "list", "council": "R1", "name": "K1",
             "groups": [{"part": "general", "seats": 3}]},
            {"id": "D1", "vote": "communal", "kind": "single_member", "council": "C2",
             "name": "D1", "groups": [{"part": "general", "seats": 1}]}],
        "central_offices": [{"id": "C2-O1", "commune": "C2", "name": "O1"}],
        "stations": [{"id": f"S{i}", "central_office": "C2-O1", "communal": "D1",
                      "regional": "K1", "registered": 500} for i in range(STATIONS)],
        "candidacies": [{"constituency": "D1", "code": f"{p}:D1", "party": p, "name": p,
                         "rank": r, "candidates": {"candidate": cand, "attached_woman": None}}
                        for r, p in enumerate(("PA", "PB"), 1)],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(db: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INTIKHAB_SECRET": secrets.token_hex(16), "INTIKHAB_WARM": "0"}
    env.pop("INTIKHAB_TEST_FAST", None)
    proc = subprocess.Popen([sys.executable, "-m", "intikhab.cli", "serve", "--db", db,
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/offences", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


class Clerks:
    """Two clerks double-entering minutes, one station after the other."""

    def __init__(self, base: str) -> None:
        self.c = httpx.Client(base_url=base, timeout=120)
        self.heads = [self._token(u) for u in ("clerk1", "clerk2")]
        self.next = 0

    def _token(self, user: str) -> dict[str, str]:
        r = self.c.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
        r.raise_for_status()
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def run(self, seconds: float) -> list[float]:
        times: list[float] = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and self.next < STATIONS:
            m = {"station": f"S{self.next}", "vote": "communal", "registered": 500,
                 "signed": 305, "ballots": 305, "void": 5, "contested": 0, "illegal": 0,
                 "votes": {"PA:D1": 200, "PB:D1": 100}}
            for h in self.heads:
                t0 = time.perf_counter()
                r = self.c.post("/api/v1/minutes", json={"minute": m, "accept_warnings": []},
                                headers=h)
                times.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
            self.next += 1
        return times


def flood(base: str, threads: int, rotate: bool, stop: threading.Event, limit: int
          ) -> Counter[int]:
    """``threads`` threads posting wrong logins until ``stop`` (at most ``limit`` in all)."""
    seen: Counter[int] = Counter()
    lock = threading.Lock()
    budget = [limit]

    def worker(k: int) -> None:
        n = 0
        client = httpx.Client(base_url=base, timeout=120)
        while not stop.is_set():
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            if rotate and n % 5 == 0:
                client.close()
                source = f"127.{k + 1}.{(n // 1250) % 250 + 1}.{(n // 5) % 250 + 1}"
                client = httpx.Client(base_url=base, timeout=120, transport=httpx.HTTPTransport(
                    local_address=source))
            user = f"u{random.randrange(10**9)}" if rotate else random.choice(
                ("clerk1", "clerk2", "coord", "admin", f"u{random.randrange(100)}"))
            try:
                r = client.post("/api/v1/login", json={"user": user, "password": "wrong-pass"})
                code = r.status_code
            except httpx.HTTPError:
                code = 0
            with lock:
                seen[code] += 1
            n += 1

    pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return seen


def stats(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"n": len(times), "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}


def phase(clerks: Clerks, base: str, args: argparse.Namespace, rotate: bool | None
          ) -> dict[str, Any]:
    stop = threading.Event()
    result: dict[str, Any] = {}
    flooder = None
    if rotate is not None:
        def go() -> None:
            result["flood"] = dict(flood(base, args.threads, rotate, stop, args.max))
        flooder = threading.Thread(target=go)
        flooder.start()
        time.sleep(1)  # the flood is under way
    result["clerk"] = stats(clerks.run(args.duration))
    stop.set()
    if flooder is not None:
        flooder.join()
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=20)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--max", type=int, default=50_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'flood.sqlite'}"
        engine = make_engine(db)
        migrate(engine)
        with sessions(engine).begin() as s:
            load_bundle(s, bundle())
            ensure_demo_accounts(s, DEMO_USERS)
        engine.dispose()
        port = free_port()
        server = start(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            clerks = Clerks(base)
            out = {"quiet": phase(clerks, base, args, None),
                   "flood_one_address": phase(clerks, base, args, False),
                   "flood_rotating_addresses": phase(clerks, base, args, True),
                   "uptime": subprocess.run(["uptime"], capture_output=True,
                                            text=True).stdout.strip(),
                   "cpus": os.cpu_count(), "threads": args.threads,
                   "duration_s": args.duration}
        finally:
            server.terminate()
            server.wait(10)
    OUT.mkdir(exist_ok=True)
    (OUT / "login_flood.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
