"""Benchmarks: ingesting polling-station minutes, and the national election night end to end.

Run from the repository root::

    .venv/bin/python benchmarks/ingest.py            # full run (a few minutes)
    .venv/bin/python benchmarks/ingest.py --quick    # smoke run (under a minute)

1. Minutes ingested per second through ``intikhab.services.entry.enter_minutes``, in batches of
   2,000 (one transaction each), on SQLite (a file in a temporary directory) and on PostgreSQL
   (a fresh schema, dropped afterwards), for the first entries (clerk1: ``first_recorded``) and
   the second entries (clerk2, same content: ``accepted``, which completes double entry and
   writes the accepted version), on ``national_election(scale=0.1)``.
2. The whole national night on SQLite: ``national_election(scale=1.0)`` then
   ``intikhab.demo.night.run_night`` (set-up, double entry of every minute, resolution of
   the typing conflicts, allocation and declaration), with its stage timings and the size of
   the database file.

Prints a markdown table and writes ``benchmarks/out/ingest.json``.  The benchmark process is
pinned to one CPU core like ``benchmarks/run.py``; the PostgreSQL server is a separate process
and is not pinned.  PostgreSQL is ``$INTIKHAB_BENCH_PG`` (default: the local server, database
``test``).  See ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import cpu_model, pin_one_core  # benchmarks/run.py, beside this file

from intikhab.demo.night import bundle_from, minutes_from, run_night
from intikhab.demo.stations import national_election
from intikhab.records.minutes import Minute
from intikhab.services import entry
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.db import make_engine, migrate, sessions
from intikhab.store.models import AuditLog

PG_URL = os.environ.get("INTIKHAB_BENCH_PG", "postgresql+psycopg:///test?host=127.0.0.1")
BATCH = 2_000
WARNINGS = frozenset({"W-PV-004", "W-PV-008", "W-PV-010"})  # as the national night accepts
TARGET_NIGHT_S = 180.0  # the issue: the full national night in under 3 minutes


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for one measurement; its URL; dropped afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def sqlite_file() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="intikhab-bench-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'ingest.sqlite'}"


def ingest_once(url: str, bundle: dict[str, Any], first: list[Minute]) -> dict[str, Any]:
    """Set up, then time clerk1's and clerk2's passes over every minute."""
    engine = make_engine(url)
    try:
        migrate(engine)
        Sessions = sessions(engine)
        t0 = time.perf_counter()
        with Sessions.begin() as s:
            load_bundle(s, bundle, actor="admin")
        setup_s = time.perf_counter() - t0
        with Sessions() as s:
            contexts = entry.Contexts.load(s)
        out: dict[str, Any] = {"setup_s": setup_s}
        for user, expected in (("clerk1", "first_recorded"), ("clerk2", "accepted")):
            gc.collect()
            outcomes: Counter[str] = Counter()
            batches = []
            t0 = time.perf_counter()
            for i in range(0, len(first), BATCH):
                tb = time.perf_counter()
                with Sessions.begin() as s:
                    outs = entry.enter_minutes(s, user, first[i:i + BATCH], WARNINGS, contexts)
                batches.append(time.perf_counter() - tb)
                outcomes.update(o.outcome for o in outs)
            elapsed = time.perf_counter() - t0
            assert outcomes == {expected: len(first)}, (user, outcomes)
            out[expected] = {"s": elapsed, "per_s": len(first) / elapsed,
                             "batches": len(batches), "batch_s_max": max(batches)}
        with Sessions() as s:
            assert audit.verify(s).ok
            out["audit_records"] = s.scalar(select(func.count()).select_from(AuditLog))
        return out
    finally:
        engine.dispose()


def bench_ingest(scale: float, repeat: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    election = national_election(scale=scale)
    build_s = time.perf_counter() - t0
    bundle = bundle_from(election)
    minutes = minutes_from(election)
    result: dict[str, Any] = {"scale": scale, "stations": len(election.stations),
                              "minutes": len(minutes), "batch": BATCH, "repeat": repeat,
                              "build_s": build_s, "backends": {}}
    for backend, fresh in (("sqlite", sqlite_file), ("postgresql", pg_schema)):
        runs = []
        try:
            for _ in range(repeat):
                with fresh() as url:
                    runs.append(ingest_once(url, bundle, minutes))
        except OperationalError as exc:
            result["backends"][backend] = {"error": str(exc).splitlines()[0]}
            continue
        best = {k: min((r[k] for r in runs), key=lambda v: v["s"])
                for k in ("first_recorded", "accepted")}
        result["backends"][backend] = {**best, "setup_s": min(r["setup_s"] for r in runs),
                                       "audit_records": runs[0]["audit_records"],
                                       "runs": runs}
    return result


def bench_night(scale: float) -> dict[str, Any]:
    gc.collect()
    t0 = time.perf_counter()
    election = national_election(scale=scale)
    build_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="intikhab-night-") as tmp:
        path = Path(tmp) / "night.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        t0 = time.perf_counter()
        report = run_night(engine, election)
        night_s = time.perf_counter() - t0
        with sessions(engine)() as s:
            verification = audit.verify(s)
        engine.dispose()  # the last connection checkpoints the WAL into the file
        files = {p.name: p.stat().st_size for p in Path(tmp).iterdir()}
    assert verification.ok, verification
    return {"scale": scale, "stations": report.stations, "minutes": report.minutes,
            "outcomes": report.outcomes, "resolved": report.resolved,
            "warnings_accepted": report.warnings_accepted, "results": report.results,
            "declared": report.declared, "timings_s": report.timings, "build_s": build_s,
            "night_s": night_s, "total_s": build_s + night_s,
            "audit_records": verification.records, "db_bytes": sum(files.values()),
            "files": files}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: smaller scales")
    args = parser.parse_args()

    pinned = pin_one_core()
    env = {"python": sys.version.split()[0], "implementation": platform.python_implementation(),
           "cpu": cpu_model(), "cpus_visible": os.cpu_count(), "affinity": pinned,
           "platform": platform.platform(), "quick": args.quick}
    ingest = bench_ingest(0.02 if args.quick else 0.1, 1 if args.quick else 3)
    night = bench_night(0.1 if args.quick else 1.0)

    print(f"Python {env['python']} ({env['implementation']}) — CPU: {env['cpu']} "
          f"({env['cpus_visible']} visible, {pinned}; the PostgreSQL server is not pinned)"
          + (" — QUICK RUN" if args.quick else ""))
    print()
    print(f"Ingestion: national_election(scale={ingest['scale']}) — {ingest['stations']:,} "
          f"stations, {ingest['minutes']:,} minutes, batches of {BATCH:,}, best of "
          f"{ingest['repeat']}")
    print()
    print("| backend | bundle set-up | first entries | second entries (accepted) |")
    print("|---|---|---|---|")
    for backend, b in ingest["backends"].items():
        if "error" in b:
            print(f"| {backend} | not measured: {b['error']} | | |")
            continue
        print(f"| {backend} | {b['setup_s']:.2f} s | {b['first_recorded']['per_s']:,.0f} "
              f"minutes/s ({b['first_recorded']['s']:.2f} s) | {b['accepted']['per_s']:,.0f} "
              f"minutes/s ({b['accepted']['s']:.2f} s) |")
    t = night["timings_s"]
    ok = night["night_s"] < TARGET_NIGHT_S
    print()
    print(f"National night on SQLite: national_election(scale={night['scale']}) — "
          f"{night['stations']:,} stations, {night['minutes']:,} minutes entered twice")
    print()
    print("| stage | time |")
    print("|---|---|")
    print(f"| build the synthetic election (not part of the night) | {night['build_s']:.1f} s |")
    for stage in ("setup", "entry", "resolve", "allocate"):
        print(f"| {stage} | {t.get(stage, 0.0):.1f} s |")
    print(f"| **night, set-up to declaration** | **{night['night_s']:.1f} s** "
          f"(target < {TARGET_NIGHT_S:.0f} s: {'met' if ok else 'NOT met'}) |")
    print(f"| with the build | {night['total_s']:.1f} s |")
    print()
    print(f"Outcomes {night['outcomes']}; {night['resolved']} conflicts resolved; "
          f"{night['warnings_accepted']} warnings accepted; {night['results']} results, "
          f"{night['declared']} declared; {night['audit_records']:,} audit records; "
          f"database {night['db_bytes'] / 2**20:.1f} MiB {night['files']}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB.")

    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    payload = {"env": env, "ingest": ingest, "night": night,
               "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               "targets": {"night_s": TARGET_NIGHT_S, "met": {"night": ok}}}
    (out / "ingest.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {out / 'ingest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
