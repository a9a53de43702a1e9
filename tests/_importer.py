"""A real importer process for ``tests/services/test_durability.py`` (not a test module itself).

    python tests/_importer.py URL [--seed 2021] [--scale 0.01] [--batch 50] [--user clerk1]
                              [--limit N] [--hold-at K]

Migrates the database, loads the synthetic election's bundle when no election is there yet,
then enters its minutes as ``--user`` in batches of ``--batch`` minutes, each batch one
``enter_minutes`` call in one transaction.  After each commit it prints one line::

    committed <batch number> <minutes submitted so far> <outcome counts as JSON>

and at the end ``done <minutes> <outcome counts as JSON>``.  With ``--hold-at K`` it enters
batch K (1-based), flushes its rows to the database, prints ``holding K`` and sleeps without
committing, so that the parent can kill it with a transaction open and its rows written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from sqlalchemy import select

from intikhab.demo.night import bundle_from, minutes_from
from intikhab.demo.stations import national_election
from intikhab.services import entry
from intikhab.services.setup import load_bundle
from intikhab.store.db import make_engine, migrate, sessions
from intikhab.store.models import Election

WARNINGS = frozenset({"W-PV-004", "W-PV-008", "W-PV-010"})  # as the national night accepts


def _compact(totals: dict[str, int]) -> str:
    return json.dumps(totals, sort_keys=True, separators=(",", ":"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--user", default="clerk1")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--hold-at", type=int, default=None)
    args = parser.parse_args()

    election = national_election(args.seed, args.scale)
    minutes = minutes_from(election)[:args.limit]
    engine = make_engine(args.url)
    migrate(engine)
    Sessions = sessions(engine)
    with Sessions.begin() as s:
        if s.scalar(select(Election.id)) is None:
            load_bundle(s, bundle_from(election), actor="admin")
    print(f"loaded {len(minutes)}", flush=True)
    with Sessions() as s:
        contexts = entry.Contexts.load(s)

    totals: dict[str, int] = {}
    done = 0
    for n, i in enumerate(range(0, len(minutes), args.batch), 1):
        chunk = minutes[i:i + args.batch]
        with Sessions.begin() as s:
            outs = entry.enter_minutes(s, args.user, chunk, WARNINGS, contexts)
            if n == args.hold_at:
                s.flush()
                print(f"holding {n}", flush=True)
                time.sleep(3600)  # the parent kills us here, the transaction open
        for o in outs:
            totals[o.outcome] = totals.get(o.outcome, 0) + 1
        done += len(chunk)
        print(f"committed {n} {done} {_compact(totals)}", flush=True)
    print(f"done {done} {_compact(totals)}", flush=True)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
