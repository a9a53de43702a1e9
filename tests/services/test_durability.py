"""Durability and concurrency of minute entry, on SQLite and PostgreSQL.

1. A real importer process (``tests/_importer.py``) is killed with SIGKILL in the middle of an
   import — once at an arbitrary moment, once with a batch's rows written but not committed —
   and then run again to completion: nothing committed is lost, nothing uncommitted survives,
   no minute is half-written (entry without state or audit record), the audit chain verifies,
   and the re-run recognises what was committed as ``duplicate`` (no minute entered twice).
2. Eight writers, each with its own engine, enter disjoint and overlapping minutes at the same
   time as two clerks, re-sending some: every minute ends in the state its two entries call
   for, there is one entry per (station, vote, clerk), and the chain is whole and unforked.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.demo.night import bundle_from, minutes_from, mistyped
from intikhab.demo.stations import SyntheticElection, national_election
from intikhab.records.minutes import Minute
from intikhab.services import entry
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import AuditHead, AuditLog, Entry, MinuteState, MinuteVersion

pytestmark = pytest.mark.slow  # a real importer SIGKILLed, concurrent writers

IMPORTER = Path(__file__).resolve().parents[1] / "_importer.py"
SEED, SCALE, BATCH = 2021, 0.01, 50
WARNINGS = frozenset({"W-PV-004", "W-PV-008", "W-PV-010"})  # as the national night accepts
WATCHDOG_S = 60.0


@cache
def _election() -> SyntheticElection:
    return national_election(SEED, SCALE)


@cache
def _minutes() -> tuple[Minute, ...]:
    return tuple(minutes_from(_election()))


# --------------------------------------------------------------------------------------------
# What must hold in the database at any moment


def _consistency(Sessions: sessionmaker[Session]) -> dict[str, int]:
    """Check that no minute is half-written and the chain is whole; return the counts."""
    with Sessions() as s:
        entries = s.scalar(select(func.count()).select_from(Entry)) or 0
        states = s.scalar(select(func.count()).select_from(MinuteState)) or 0
        minute_records = s.scalar(select(func.count()).select_from(AuditLog)
                                  .where(AuditLog.action.like("minute.%"))) or 0
        records = s.scalar(select(func.count()).select_from(AuditLog)) or 0
        head = s.get(AuditHead, 1)
        # every entry is referenced by its (station, vote)'s state …
        orphans = s.scalar(
            select(func.count()).select_from(Entry).where(~select(MinuteState.station_id).where(
                MinuteState.station_id == Entry.station_id, MinuteState.vote == Entry.vote,
                or_(MinuteState.first_entry_id == Entry.id,
                    MinuteState.second_entry_id == Entry.id)).exists())) or 0
        # … and every entry id a state names exists
        ids = set(s.scalars(select(Entry.id)))
        named = {e for row in s.execute(select(MinuteState.first_entry_id,
                                               MinuteState.second_entry_id,
                                               MinuteState.accepted_entry_id))
                 for e in row if e is not None}
        doubled = s.execute(
            select(Entry.station_id, Entry.vote, Entry.version, Entry.user_id)
            .group_by(Entry.station_id, Entry.vote, Entry.version, Entry.user_id)
            .having(func.count() > 1)).all()
        verification = audit.verify(s)
    assert orphans == 0, f"{orphans} entries without their minute state"
    assert named <= ids, f"states name missing entries: {sorted(named - ids)[:5]}"
    assert doubled == [], f"a clerk's minute entered twice: {doubled[:5]}"
    assert minute_records == entries, (minute_records, entries)  # one audit record per entry
    assert verification.ok, verification
    assert head is not None and head.seq == records == verification.records, (head, records)
    return {"entries": entries, "states": states, "records": records}


# --------------------------------------------------------------------------------------------
# 1. SIGKILL during an import


class Importer:
    """``tests/_importer.py`` as a child process, its stdout read line by line."""

    def __init__(self, url: str, tmp: Path, *extra: str) -> None:
        self.stderr_path = tmp / f"importer-{time.monotonic_ns()}.err"
        self.stderr: IO[str] = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(IMPORTER), url, "--seed", str(SEED), "--scale", str(SCALE),
             "--batch", str(BATCH), *extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.watchdog = threading.Timer(WATCHDOG_S, self.proc.kill)
        self.watchdog.start()
        self.lines: list[list[str]] = []

    def until(self, word: str, at_least: int = 0) -> list[str]:
        """Read lines until one starting with ``word`` whose second field is ≥ ``at_least``."""
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                rc = self.proc.wait()
                self.close()
                pytest.fail(f"the importer ended (rc {rc}) before '{word}':\n"
                            f"{self.stderr_path.read_text()[-3000:]}")
            fields = line.split(maxsplit=3)
            self.lines.append(fields)
            if fields[0] == word and int(fields[1]) >= at_least:
                return fields

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait() == -signal.SIGKILL
        self.close()

    def stop(self) -> None:
        """After a failed test: make sure the child is gone (it may hold a lock)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.close()

    def finish(self) -> dict[str, int]:
        """Read to the end; the totals of the ``done`` line."""
        fields = self.until("done")
        assert self.proc.wait() == 0, self.stderr_path.read_text()
        self.close()
        return dict(json.loads(fields[2]))

    def committed(self) -> int:
        """Entries the process reported committed (first entries in batches it saw commit)."""
        last = [f for f in self.lines if f[0] == "committed"]
        return int(json.loads(last[-1][3]).get("first_recorded", 0)) if last else 0

    def close(self) -> None:
        self.watchdog.cancel()
        self.stderr.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def importer(db_url: str, tmp_path: Path) -> Iterator[Callable[..., Importer]]:
    """Start importers on the test's database; any still running at the end is killed
    (before the database is dropped)."""
    started: list[Importer] = []

    def start(*extra: str) -> Importer:
        started.append(Importer(db_url, tmp_path, *extra))
        return started[-1]

    yield start
    for run in started:
        run.stop()


def test_sigkill_during_an_import_loses_nothing_committed(
        importer: Callable[..., Importer], Sessions: sessionmaker[Session]) -> None:
    total = len(_minutes())
    assert total > 20 * BATCH  # enough batches for the kills to land mid-import

    # (a) killed at an arbitrary moment, a few batches in
    run = importer()
    run.until("committed", 3)
    run.kill()
    assert not any(f[0] == "done" for f in run.lines), "the import ended before the kill"
    counts = _consistency(Sessions)
    reported = run.committed()
    assert counts["entries"] >= reported >= 3 * BATCH  # nothing committed is lost
    assert counts["entries"] % BATCH == 0  # whole batches only: a batch is one transaction
    assert counts["entries"] == counts["states"] < total
    after_a = counts["entries"]

    # (b) killed with a batch's rows written to the database but not committed
    hold = after_a // BATCH + 2  # batch hold - 1 commits new entries, batch hold stays open
    run = importer("--hold-at", str(hold))
    run.until("holding")
    assert run.committed() == BATCH  # this run's first new batch, then the held one
    run.kill()
    counts = _consistency(Sessions)
    assert counts["entries"] == counts["states"] == (hold - 1) * BATCH  # exactly what committed
    after_b = counts["entries"]

    # (c) run again to completion: what committed is a duplicate, the rest goes in once
    outcomes = importer().finish()
    assert outcomes == {"duplicate": after_b, "first_recorded": total - after_b}
    counts = _consistency(Sessions)
    assert counts["entries"] == counts["states"] == total
    with Sessions() as s:
        keys = s.execute(select(Entry.station_id, Entry.vote, Entry.user_id)).all()
        statuses = Counter(s.scalars(select(MinuteState.status)))
    assert sorted(keys) == sorted({(m.station, m.vote.value, "clerk1") for m in _minutes()})
    assert statuses == {"first": total}


# --------------------------------------------------------------------------------------------
# 2. Concurrent writers

WRITERS, GROUPS, SMALL_BATCH = 8, 4, 7


def _plan(minutes: list[Minute], slips: dict[int, Minute], rng: random.Random
          ) -> list[tuple[str, list[Minute]]]:
    """Writer ``k`` enters the minutes with index ≡ k (mod 4), as clerk1 for k < 4 and as
    clerk2 (some mistyped) for k ≥ 4; it also re-sends a fifth of its own minutes and sends a
    tenth of the next group's (which another writer enters as the same clerk, concurrently)."""
    plans = []
    for k in range(WRITERS):
        user, group = ("clerk1", k) if k < GROUPS else ("clerk2", k - GROUPS)

        def typed(i: int, user: str = user) -> Minute:
            return slips.get(i, minutes[i]) if user == "clerk2" else minutes[i]

        own = [i for i in range(len(minutes)) if i % GROUPS == group]
        other = [i for i in range(len(minutes)) if i % GROUPS == (group + 1) % GROUPS]
        picks = own + rng.sample(own, len(own) // 5) + rng.sample(other, len(other) // 10)
        rng.shuffle(picks)
        plans.append((user, [typed(i) for i in picks]))
    return plans


def test_concurrent_writers_lose_nothing_and_double_nothing(
        db_url: str, Sessions: sessionmaker[Session]) -> None:
    election = _election()
    with Sessions.begin() as s:
        load_bundle(s, bundle_from(election), actor="admin")
    minutes = list(_minutes()[::8])  # communal and regional minutes of many stations
    rng = random.Random("durability:concurrent")
    slips = {i: m2 for i in rng.sample(range(len(minutes)), len(minutes) // 20)
             if (m2 := mistyped(minutes[i], rng)).digest() != minutes[i].digest()}
    plans = _plan(minutes, slips, rng)

    barrier = threading.Barrier(WRITERS)
    lock = threading.Lock()
    commits: list[int] = []  # the writers' commits in the order they happened
    outcomes: Counter[str] = Counter()
    errors: list[BaseException] = []

    def write(k: int, user: str, todo: list[Minute]) -> None:
        engine: Engine = make_engine(db_url)
        try:
            mine = sessions(engine)
            with mine() as s:
                contexts = entry.Contexts.load(s)
            barrier.wait(timeout=WATCHDOG_S)
            for i in range(0, len(todo), SMALL_BATCH):
                with mine.begin() as s:
                    outs = entry.enter_minutes(s, user, todo[i:i + SMALL_BATCH], WARNINGS,
                                               contexts)
                with lock:
                    commits.append(k)
                    outcomes.update(o.outcome for o in outs)
                time.sleep(0.002)  # a clerk's pause: lets the other writers in
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
            raise
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(k, user, todo), name=f"writer-{k}")
               for k, (user, todo) in enumerate(plans)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WATCHDOG_S)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    assert not errors, errors

    sent = sum(len(todo) for _, todo in plans)
    n, conflicts = len(minutes), len(slips)
    runs = [k for k, (a, b) in enumerate(pairwise([-1, *commits])) if a != b]
    broken = {commits[i] for i in runs}  # writers whose commits come in more than one run
    broken = {k for k in broken if sum(1 for i in runs if commits[i] == k) > 1}
    assert len(broken) >= 2, f"the writers hardly interleaved: {commits}"
    # every (minute, clerk) went in once; every other sending of it was a duplicate
    assert outcomes == {"first_recorded": n, "accepted": n - conflicts, "conflict": conflicts,
                        "duplicate": sent - 2 * n}

    counts = _consistency(Sessions)
    assert counts["entries"] == 2 * n and counts["states"] == n
    with Sessions() as s:
        pairs = s.execute(select(Entry.station_id, Entry.vote, Entry.user_id).distinct()).all()
        states = {(r.station_id, r.vote): r for r in s.scalars(select(MinuteState))}
        users = dict(s.execute(select(Entry.id, Entry.user_id)).all())
        digests = dict(s.execute(select(Entry.id, Entry.digest)).all())
        versions = s.scalar(select(func.count()).select_from(MinuteVersion))
    assert len(pairs) == counts["entries"]  # entry rows == distinct (station, vote, user)
    assert versions == n - conflicts
    for i, m in enumerate(minutes):
        row: Any = states[m.station, m.vote.value]
        assert {users[row.first_entry_id], users[row.second_entry_id]} == {"clerk1", "clerk2"}
        if i in slips:
            assert row.status == "conflict" and row.accepted_entry_id is None, m.station
        else:
            assert row.status == "accepted", m.station
            assert digests[row.accepted_entry_id] == m.digest()
