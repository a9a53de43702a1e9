"""Election night: the public results under load (BENCHMARKS.md, "Election night").

Serves a synthetic national night on SQLite (every constituency declared) with ``intikhab
serve``'s application under uvicorn, and while a *writer* process enters minutes through the
API (a coordinator opens a correction, two clerks double-enter it: real audited writes taking
the writers' lock) and, every ``--declare-s`` seconds, allocates and declares a constituency
again — a list constituency or a district (``<commune>/D09``) — (a new declared result: every
worker renews that council's answers and the national ones, in the background), it
measures the public results JSON and pages two ways:

(a) **open model** — ``--clients`` visitors (500), each keeping one connection and asking for a
    random public address every 1 to 2 s (think time), from a separate process; each latency
    runs from the request's *scheduled* time, so a slow server is not hidden by late sends
    (no coordinated omission);
(b) **closed loop** — ``wrk`` with 500 connections and no think time: the saturation point.

Then the same with the public cache switched off (``INTIKHAB_CACHE=0``): the reference.
Prints p50/p95/p99/max, requests per second and errors, and writes
``benchmarks/out/load.json``.

    .venv/bin/python benchmarks/load.py [--scale 0.1] [--db night.sqlite] [--duration 20]

Needs ``wrk`` (Debian: ``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.services.users import ensure_demo_accounts
from intikhab.store.db import make_engine, migrate, sessions
from intikhab.store.models import Constituency, Entry, MinuteState, Station

OUT = Path(__file__).resolve().parent / "out"
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, "
    .. "\\"max\\": %%d, \\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, "
    .. "\\"seconds\\": %%f}\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status, summary.duration / 1e6))
end
"""


def build(path: Path, scale: float) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    t0 = time.perf_counter()
    report = run_night(engine, national_election(2021, scale), seed="load")
    engine.dispose()
    print(f"database: {report.stations:,} stations, {report.declared:,} results declared, "
          f"built in {time.perf_counter() - t0:.0f} s", flush=True)
    return url


# --------------------------------------------------------------------------------------------
# the writer


def writer(base: str, url: str, declare_s: float, stop: Any, counts: Any) -> None:
    """Corrections entered through the API as fast as the server takes them; every
    ``declare_s`` seconds the corrected constituency is allocated and declared again."""
    engine = make_engine(url)
    with sessions(engine)() as s:
        rows = list(s.execute(
            select(MinuteState.station_id, MinuteState.vote, Entry.minute,
                   Station.communal_constituency_id, Station.regional_constituency_id)
            .join(Entry, Entry.id == MinuteState.accepted_entry_id)
            .join(Station, Station.id == MinuteState.station_id).limit(20_000)))
    engine.dispose()
    random.Random(7).shuffle(rows)
    with httpx.Client(base_url=base, timeout=60) as c:
        heads = {}
        for user in ("coord", "clerk1", "clerk2"):
            r = c.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
            heads[user] = {"Authorization": f"Bearer {r.json()['token']}"}
        warn = ["W-PV-004", "W-PV-008", "W-PV-010"]
        last = time.monotonic()
        for station, vote, minute, communal, regional in rows:
            if stop.is_set():
                return
            c.post(f"/api/v1/minutes/{station}/{vote}/correction", headers=heads["coord"])
            for clerk in ("clerk1", "clerk2"):
                r = c.post("/api/v1/minutes", json={"minute": minute, "accept_warnings": warn},
                           headers=heads[clerk])
                if r.status_code != 200:
                    print("writer:", r.status_code, r.text[:200], file=sys.stderr)
            with counts.get_lock():
                counts[0] += 1
            cid = communal if vote == "communal" else regional
            if time.monotonic() - last >= declare_s:  # a district's id holds a "/"
                c.post(f"/api/v1/constituencies/{cid}/allocate", json={}, headers=heads["coord"])
                r = c.post(f"/api/v1/constituencies/{cid}/declare", headers=heads["coord"])
                if r.status_code == 200 and r.json()["progress"] == "declared":
                    with counts.get_lock():
                        counts[1] += 1
                        counts[2] += "/" in cid  # a district
                elif r.status_code != 200:
                    print("writer: declare", cid, r.status_code, r.text[:200], file=sys.stderr)
                last = time.monotonic()


# --------------------------------------------------------------------------------------------
# (a) open model: visitors with think time, latency from the scheduled time


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    xs = sorted(latencies)

    def pct(q: float) -> float:
        return round(1000 * xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else 0.0

    return {"requests": len(xs), "errors": errors, "rps": round(len(xs) / seconds, 1),
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(1000 * xs[-1], 1) if xs else 0.0}


async def visitors(host: str, port: int, paths: dict[str, list[str]], clients: int,
                   duration: float, think: tuple[float, float]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    start = loop.time() + 1.0
    end = start + duration
    lat: dict[str, list[float]] = {k: [] for k in paths}
    errors = dict.fromkeys(paths, 0)
    choices = [(k, p) for k, ps in paths.items() for p in ps]

    async def visitor(i: int) -> None:
        rng = random.Random(i)
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        due = start + rng.uniform(0, think[1])
        while due < end:
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            kind, path = rng.choice(choices)
            try:
                if conn is None:
                    conn = await asyncio.open_connection(host, port)
                reader, w = conn
                w.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if length is None:
                    raise ValueError("no content-length")
                await reader.readexactly(int(length.group(1)))
                lat[kind].append(loop.time() - due)
                if head[9:12] != b"200":
                    errors[kind] += 1
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                errors[kind] += 1
                if conn is not None:
                    conn[1].close()
                conn = None
            due += rng.uniform(*think)
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(visitor(i) for i in range(clients)))
    return {k: summary(lat[k], errors[k], duration) for k in paths}


def open_model(host: str, port: int, paths: dict[str, list[str]], clients: int,
               duration: float, think: tuple[float, float], queue: Any) -> None:
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    queue.put(asyncio.run(visitors(host, port, paths, clients, duration, think)))


# --------------------------------------------------------------------------------------------
# (b) closed loop: wrk


def wrk(base: str, paths: list[str], connections: int, duration: int,
        threads: int) -> dict[str, Any]:
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                          "--timeout", "10s", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"^JSON (\{.*\})$", out, re.M)
    assert found, out
    s = json.loads(found.group(1))
    return {"requests": s["requests"], "errors": s["errors"] + s["non2xx"],
            "rps": round(s["requests"] / s["seconds"], 1),
            **{f"{k}_ms": round(s[k] / 1000, 1) for k in ("p50", "p95", "p99", "max")}}


# --------------------------------------------------------------------------------------------


def serve(url: str, port: int, workers: int, cache: bool) -> subprocess.Popen[str]:
    """uvicorn with the public cache on or off; returns once every worker is warm."""
    env = {**os.environ, "INTIKHAB_DB": url, "INTIKHAB_SECRET": secrets.token_hex(16),
           "INTIKHAB_CACHE": "1" if cache else "0",
           "INTIKHAB_PUBLIC_HOST": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "intikhab.web.app:app_from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--backlog", "4096", "--no-access-log"],
        env=env, stderr=subprocess.PIPE, text=True)
    warm = threading.Semaphore(0)

    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            sys.stderr.write(line)
            if "public addresses warm" in line:
                warm.release()

    threading.Thread(target=read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/api/v1/openapi.json", timeout=5)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    if cache:
        for _ in range(workers):
            if not warm.acquire(timeout=600):
                raise SystemExit("the workers did not warm up")
    return server


def measure(args: argparse.Namespace, url: str, cache: bool, duration: int,
            paths: dict[str, list[str]]) -> dict[str, Any]:
    base = f"http://127.0.0.1:{args.port}"
    server = serve(url, args.port, args.workers, cache)
    try:
        stop, counts = mp.Event(), mp.Array("i", 3)
        proc = mp.Process(target=writer, args=(base, url, args.declare_s, stop, counts))
        proc.start()
        time.sleep(3)
        report: dict[str, Any] = {}
        n0, t0 = list(counts), time.perf_counter()
        queue: Any = mp.Queue()
        client = mp.Process(target=open_model, args=("127.0.0.1", args.port, paths,
                                                     args.clients, duration, (1.0, 2.0), queue))
        client.start()
        report["open"] = queue.get()
        client.join()
        for kind in paths:
            report[f"closed_{kind}"] = wrk(base, paths[kind], args.connections,
                                           max(5, duration // 2), args.threads)
        seconds = time.perf_counter() - t0
        report["writer"] = {"minutes_per_s": round((counts[0] - n0[0]) / seconds, 1),
                            "declarations": counts[1] - n0[1],
                            "district_declarations": counts[2] - n0[2],
                            "seconds": round(seconds)}
        stop.set()
        proc.join(60)
        return report
    finally:
        server.terminate()
        server.wait(30)


def show(name: str, report: dict[str, Any]) -> None:
    rows = [(f"open {k}", v) for k, v in report["open"].items()] + [
        (k.replace("_", " "), v) for k, v in report.items() if k.startswith("closed")]
    for label, s in rows:
        print(f"{name:9} {label:13} {s['rps']:8.0f} req/s  p50 {s['p50_ms']:7.1f}  "
              f"p95 {s['p95_ms']:7.1f}  p99 {s['p99_ms']:7.1f}  max {s['max_ms']:7.0f} ms  "
              f"errors {s['errors']}", flush=True)
    w = report["writer"]
    print(f"{name:9} writer: {w['minutes_per_s']} minutes/s (double-entered corrections), "
          f"{w['declarations']} declarations ({w['district_declarations']} of districts) "
          f"in {w['seconds']} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--db", help="an SQLite file to reuse (built when missing)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--duration", type=int, default=20, help="seconds of the open model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--declare-s", type=float, default=5.0)
    ap.add_argument("--councils", type=int, default=40, help="councils in the address mix")
    ap.add_argument("--no-reference", action="store_true", help="skip the cache-off run")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required (apt-get install wrk)")
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "night.sqlite"
    url = f"sqlite:///{path}" if path.exists() else build(path, args.scale)
    engine = make_engine(url)
    migrate(engine)
    with sessions(engine).begin() as s:
        ensure_demo_accounts(s)
        councils = s.execute(select(Constituency.council, Constituency.vote).distinct()
                             .order_by(Constituency.council)).all()
    engine.dispose()
    picked = random.Random(1).sample(councils, min(args.councils, len(councils)))
    paths = {"json": ["/api/v1/results/national/communal", "/api/v1/results/national/regional"]
             + [f"/api/v1/results/councils/{c}/{v}" for c, v in picked],
             "pages": ["/"] + [f"/council/{c}" for c, _ in picked]}
    print(f"{len(paths['json'])} JSON and {len(paths['pages'])} page addresses; "
          f"{args.workers} workers; {os.cpu_count()} CPUs", flush=True)
    full = {"database": url, "args": vars(args)}
    full["cached"] = measure(args, url, True, args.duration, paths)
    show("cached", full["cached"])
    if not args.no_reference:
        full["uncached"] = measure(args, url, False, max(10, args.duration // 2), paths)
        show("no cache", full["uncached"])
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(full, indent=1))


if __name__ == "__main__":
    main()
