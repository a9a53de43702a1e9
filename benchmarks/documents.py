"""Benchmark of the official documents (``intikhab documents region``): a whole region in Arabic
and French, as the commission runs it (a fresh ``intikhab`` process), then the CPU one PDF of
each kind costs in one process (the same documents, rendered one after the other as a worker
does: every Arabic one, then every French one).

Run from the repository root on a demo night (``intikhab demo`` writes one; nothing is written
to the database)::

    .venv/bin/python benchmarks/documents.py --db /tmp/night/intikhab.sqlite [--region 06]
        [--jobs 2] [--sample 200] [--no-region]

Prints a markdown table (wall seconds, CPU seconds, PDFs written, CPU per PDF) with the
machine's load average before and after each measure (``os.getloadavg``): on a shared machine
the CPU seconds are the steadier figure.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intikhab.formats.documents import render
from intikhab.services import documents
from intikhab.services.site_snapshot import reading


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def region_run(db: str, region: str, jobs: int) -> dict[str, Any]:
    """``intikhab documents region`` in a fresh process: wall, CPU (its workers included)."""
    out = Path(tempfile.mkdtemp(prefix="intikhab-docs-"))
    try:
        before, at = resource.getrusage(resource.RUSAGE_CHILDREN), load()
        t = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).parent / "intikhab"), "documents", "region", region,
             "--out", str(out), "--lang", "ar", "--lang", "fr", "--jobs", str(jobs),
             "--db", db], check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        report = json.loads(done.stdout)
        return {"wall": wall, "cpu": cpu, "pdfs": report["documents"], "load": (at, load())}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def per_kind(db: str, region: str, sample: int) -> dict[str, tuple[int, float, str, str]]:
    """CPU milliseconds per PDF of each kind (stations, offices, the commissions' minutes and
    allocation records, bureaus), ``sample`` documents of it in both languages."""
    kinds: dict[str, list[Any]] = {}
    with reading(db) as s:
        for path, doc in documents.region_documents(s, region):
            kind = path.split("/")[0]
            if kind == "commission":  # the minute and the allocation record
                kind = path.rsplit("-", 1)[1]
            part = kinds.setdefault(kind, [])
            if len(part) < sample:
                part.append(doc)
    out = {}
    for kind, docs in kinds.items():
        render(docs[0], "ar")  # the compiler started, its fonts read
        at, t = load(), time.process_time()
        for lang in ("ar", "fr"):
            for doc in docs:
                render(doc, lang)
        ms = (time.process_time() - t) * 1000 / (2 * len(docs))
        out[kind] = (2 * len(docs), ms, at, load())
    return out


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="the night's database (read only)")
    p.add_argument("--region", default="06")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--sample", type=int, default=200, help="documents of each kind")
    p.add_argument("--no-region", action="store_true", help="only the CPU per PDF")
    a = p.parse_args(argv)
    db = a.db if "://" in a.db else f"sqlite:///{Path(a.db).resolve()}"
    print("| measure | PDFs | wall s | CPU s | CPU ms per PDF | load before/after |")
    print("|---|---|---|---|---|---|")
    if not a.no_region:
        r = region_run(db, a.region, a.jobs)
        print(f"| region {a.region}, ar + fr, --jobs {a.jobs} | {r['pdfs']:,} | {r['wall']:.1f} "
              f"| {r['cpu']:.1f} | {r['cpu'] * 1000 / r['pdfs']:.2f} | {r['load'][0]} → "
              f"{r['load'][1]} |")
    for kind, (n, ms, at, end) in per_kind(db, a.region, a.sample).items():
        print(f"| {kind}, one process | {n} | | | {ms:.2f} | {at} → {end} |")


if __name__ == "__main__":
    main()
