"""Benchmark of ``intikhab publish`` on a national night: the full publication, then an
incremental one after one more declaration — without and with a new signed checkpoint — each
timed as the commission runs it (a fresh ``intikhab`` process, interpreter start included).

Run from the repository root, on a copy of a demo night (``intikhab demo`` writes one; this
script declares on the copy, never on the original)::

    .venv/bin/python benchmarks/publish.py --db /tmp/night/intikhab.sqlite \\
        --key /tmp/night/demo-keys/checkpoint-signing.key [--constituency ID] [--no-full]

The baseline in the same run is the full publication of the same night (what an incremental
one saves); ``--site DIR`` reuses a full publication made earlier by this script (``--no-full``).
Prints a markdown table (wall seconds, the command's own ``seconds``, CPU seconds, files
written) with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from intikhab.services import keys, results
from intikhab.store.db import make_engine, sessions


def run(site: Path, db: str, key: Path) -> dict[str, Any]:
    """One ``intikhab publish --no-pdf`` in a fresh process: wall, CPU, its report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([str(Path(sys.executable).parent / "intikhab"), "publish", str(site),
                          "--db", db,
                          "--key", str(key), "--no-pdf"], check=True, capture_output=True,
                         text=True, env=os.environ.copy())
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(out.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "seconds": report["seconds"],
            "written": report["written"]}


def declare(db: str, cid: str, key: Path | None) -> None:
    """Allocate and declare ``cid`` again (a new ``result.declare``), signing a checkpoint of
    the log with ``key`` when given (as ``results declare --key`` does)."""
    engine = make_engine(db)
    with sessions(engine).begin() as s:
        results.allocate(s, "coord", only=[cid], seed="bench")
        results.declare(s, "coord", only=[cid],
                        signing_key=keys.load_signing_key(key) if key else None)
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a demo night's SQLite file")
    ap.add_argument("--key", type=Path, required=True, help="the commission's private key")
    ap.add_argument("--constituency", default="06.141.01.0/06.141.01.01")
    ap.add_argument("--site", type=Path, help="a full publication to start from")
    ap.add_argument("--no-full", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="intikhab-bench-publish-"))
    copy = work / "night.sqlite"
    shutil.copyfile(args.db, copy)
    db = f"sqlite:///{copy}"
    site = work / "site"
    rows = []
    if args.site is not None:
        shutil.copytree(args.site, site)
    else:
        rows.append(("full publication (baseline)", run(site, db, args.key)))
    saved = work / "site-full"
    shutil.copytree(site, saved)
    declare(db, args.constituency, None)
    rows.append(("incremental, one declaration", run(site, db, args.key)))
    rows.append(("again, nothing declared", run(site, db, args.key)))
    declare(db, args.constituency, args.key)
    rows.append(("incremental, one declaration and a new checkpoint", run(site, db, args.key)))
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.constituency}\n")
    print("| run | wall s | command's seconds | CPU s | files written |")
    print("|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['wall']:.2f} | {r['seconds']:.2f} | {r['cpu']:.2f} "
              f"| {r['written']} |")
    print(f"\n(the full publication kept in {saved})")


if __name__ == "__main__":
    main()
