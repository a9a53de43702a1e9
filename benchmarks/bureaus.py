"""Benchmark of the councils after the vote: every prefecture/province council elected by its
college, every council's bureau decided by the law and recorded with the audit log.

Run from the repository root, on a database where the demo night has run (``intikhab demo``)::

    .venv/bin/python benchmarks/bureaus.py --db sqlite:///demo.sqlite

or, without ``--db``, the night is run first at ``--scale`` (1.0: the whole synthetic country,
several minutes) into a temporary SQLite file.  Measured, each in a transaction rolled back
afterwards (the database is left as it was):

- rosters: every council's members read from the declared results (one pass);
- colleges + indirect: every prefecture's college, its synthetic vote, the seats, recorded;
- bureaus (pure): every council's session decided by ``law.bureau`` (no database);
- bureaus (recorded): the same, stored with one audit record per session.

No naive peer exists to compare with: no other system elects Moroccan council bureaus.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from intikhab.demo.councils import bureau_session, prefecture_ballot
from intikhab.services import bureaus, indirect
from intikhab.services.bureaus import run_session
from intikhab.services.rosters import rosters
from intikhab.store.db import make_engine, sessions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    url = args.db
    if url is None:
        from intikhab.demo.night import run_night
        from intikhab.demo.stations import national_election

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
        t = time.perf_counter()
        run_night(make_engine(url), national_election(scale=args.scale))
        print(f"night (scale {args.scale}): {time.perf_counter() - t:.1f} s")
    S = sessions(make_engine(url))
    held = date(2021, 9, 15)
    with S() as s:
        t, c = time.perf_counter(), time.process_time()
        seated = {k: r for k, r in rosters(s).items() if r.declared}
        t_rosters, c_rosters = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        colleges = indirect.colleges(s, seated=seated)
        ballots = {p: prefecture_ballot(c, "bench") for p, c in colleges.items()
                   if c.members and not c.missing}
        indirect.elect(s, "coord", ballots, seed="bench", known=colleges)
        t_indirect, c_indirect = time.perf_counter() - t, time.process_time() - c
        s.rollback()
    with S() as s:
        t, c = time.perf_counter(), time.process_time()
        inputs = [bureau_session(r, held, "bench") for r in seated.values()]
        decided = [run_session(seated[i.council], i) for i in inputs]
        t_pure, c_pure = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        bureaus.record(s, "coord", inputs, seated)
        s.flush()
        t_record, c_record = time.perf_counter() - t, time.process_time() - c
        s.rollback()
    formed = sum(1 for st, _o, _r in decided if st == "formed")
    print(f"councils: {len(seated)} (bureaus formed: {formed}); prefecture councils: "
          f"{len(ballots)}")
    for what, wall, cpu in (("rosters", t_rosters, c_rosters),
                            ("colleges + indirect elections", t_indirect, c_indirect),
                            ("bureaus decided (pure)", t_pure, c_pure),
                            ("bureaus recorded", t_record, c_record)):
        print(f"{what}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"all bureaus (rosters + decide + record): "
          f"{t_rosters + t_pure + t_record:.2f} s wall, {c_rosters + c_pure + c_record:.2f} s CPU")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
