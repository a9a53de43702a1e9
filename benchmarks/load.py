"""Election night: the public results under load (BENCHMARKS.md).

Builds a synthetic national night on SQLite (every constituency declared), starts
``intikhab serve``'s application under uvicorn, and while a *writer* process keeps entering
minutes through the API (a coordinator opens a correction, two clerks double-enter it: real
audited writes taking the writers' lock), drives ``wrk`` with 500 concurrent connections on
loopback against the public results JSON and the public pages.  Prints p50/p90/p95/p99 and
requests per second, plus the writer's rate.

    .venv/bin/python benchmarks/load.py [--scale 0.1] [--workers 2] [--duration 30]

Needs ``wrk`` (Debian: ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from intikhab.services.night import run_night
from intikhab.services.users import ensure_demo_accounts
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import Constituency, Entry, MinuteState
from intikhab.synthetic import national_election

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"p50\\": %%d, \\"p90\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, "
    .. "\\"max\\": %%d, \\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, "
    .. "\\"seconds\\": %%f}\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status, summary.duration / 1e6))
end
"""


def build(path: Path, scale: float) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    t0 = time.perf_counter()
    report = run_night(engine, national_election(2021, scale), seed="load")
    with sessions(engine).begin() as s:
        ensure_demo_accounts(s)
    engine.dispose()
    print(f"database: {report.stations:,} stations, {report.declared:,} results declared, "
          f"built in {time.perf_counter() - t0:.0f} s", flush=True)
    return url


def writer(base: str, url: str, stop: Any, counter: Any) -> None:
    """Corrections entered through the API, as fast as the server takes them."""
    engine = make_engine(url)
    with sessions(engine)() as s:
        rows = list(s.execute(select(MinuteState.station_id, MinuteState.vote, Entry.minute)
                              .join(Entry, Entry.id == MinuteState.accepted_entry_id)
                              .limit(5000)))
    engine.dispose()
    with httpx.Client(base_url=base, timeout=60) as c:
        heads = {}
        for user in ("coord", "clerk1", "clerk2"):
            r = c.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
            heads[user] = {"Authorization": f"Bearer {r.json()['token']}"}
        warn = ["W-PV-004", "W-PV-008", "W-PV-010"]
        for station, vote, minute in rows:
            if stop.is_set():
                return
            c.post(f"/api/v1/minutes/{station}/{vote}/correction", headers=heads["coord"])
            for clerk in ("clerk1", "clerk2"):
                r = c.post("/api/v1/minutes", json={"minute": minute, "accept_warnings": warn},
                           headers=heads[clerk])
                if r.status_code != 200:
                    print("writer:", r.status_code, r.text[:200], file=sys.stderr)
            with counter.get_lock():
                counter.value += 1


def wrk(base: str, paths: list[str], connections: int, duration: int,
        threads: int) -> dict[str, Any]:
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                          "--timeout", "10s", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"^JSON (\{.*\})$", out, re.M)
    assert found, out
    stats: dict[str, Any] = json.loads(found.group(1))
    stats["rps"] = stats["requests"] / stats["seconds"]
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--db", help="an existing SQLite file to reuse")
    ap.add_argument("--councils", type=int, default=40, help="councils in the address mix")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required (apt-get install wrk)")
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "night.sqlite"
    url = f"sqlite:///{path}" if path.exists() else build(path, args.scale)
    with sessions(make_engine(url))() as s:
        councils = list(s.scalars(select(Constituency.council).distinct()))
    env = {**os.environ, "INTIKHAB_DB": url, "INTIKHAB_SECRET": secrets.token_hex(16)}
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "intikhab.web.app:app_from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers),
         "--log-level", "warning", "--backlog", "4096", "--no-access-log"], env=env)
    try:
        for _ in range(300):  # workers import the app; the first answers fill the cache
            try:
                if httpx.get(f"{base}/api/v1/results/national/communal",
                             timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        votes = ("communal", "regional")
        json_paths = [f"/api/v1/results/national/{v}" for v in votes] + [
            f"/api/v1/results/councils/{c}/{v}" for c in councils[:args.councils] for v in votes]
        json_paths = [p for p in json_paths
                      if httpx.get(base + p, timeout=60).status_code == 200]
        page_paths = ["/"] + [f"/council/{c}" for c in councils[:args.councils]]
        page_paths = [p for p in page_paths
                      if httpx.get(base + p, timeout=60).status_code == 200]
        stop, counter = mp.Event(), mp.Value("i", 0)
        proc = mp.Process(target=writer, args=(base, url, stop, counter))
        proc.start()
        time.sleep(2)
        report: dict[str, Any] = {"workers": args.workers, "connections": args.connections,
                                  "duration_s": args.duration}
        for name, paths in (("json", json_paths), ("pages", page_paths)):
            if not paths:
                print(f"{name}: no such public address on this server — skipped")
                continue
            n0, t0 = counter.value, time.perf_counter()
            stats = wrk(base, paths, args.connections, args.duration, args.threads)
            stats["writer_minutes_per_s"] = (counter.value - n0) / (time.perf_counter() - t0)
            stats["addresses"] = len(paths)
            report[name] = stats
            print(f"{name:5} {len(paths)} addresses, {args.connections} connections: "
                  f"{stats['rps']:.0f} req/s, p50 {stats['p50'] / 1000:.1f} ms, "
                  f"p90 {stats['p90'] / 1000:.1f} ms, p95 {stats['p95'] / 1000:.1f} ms, "
                  f"p99 {stats['p99'] / 1000:.1f} ms, max {stats['max'] / 1000:.0f} ms, "
                  f"errors {stats['errors']}, non-2xx {stats['non2xx']}; writer "
                  f"{stats['writer_minutes_per_s']:.1f} corrections/s (3 writes each)",
                  flush=True)
        stop.set()
        proc.join(30)
        print(json.dumps(report))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
