"""A backup taken under load restores to an identical, verified record (SQLite's online backup
API; ``pg_dump``/``pg_restore`` on PostgreSQL): mid-night, while a thread keeps entering
minutes, a backup is taken; restored into an empty database it verifies, and the night finished
on the copy gives the same results as the original finishing the same night.  A backup never
overwrites a file; a restore refuses a database that is not empty."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_URL, small_bundle
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from test_results_service import all_minutes

from intikhab.law.errors import InputError
from intikhab.records.minutes import Minute
from intikhab.services import backup, entry, integrity, results
from intikhab.services.setup import load_bundle
from intikhab.store.db import make_engine, sessions

pytestmark = pytest.mark.slow  # real pg_dump/pg_restore processes and a writer thread


def _enter(Sessions: sessionmaker[Session], user: str, minutes: list[Minute]) -> None:
    for m in minutes:  # one transaction per minute: many small writes under the backup
        with Sessions.begin() as s:
            entry.enter_minutes(s, user, [m])


def _finish(Sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Whatever is missing of the night: both entries of every minute, allocate, declare."""
    ms = all_minutes()
    _enter(Sessions, "clerk1", ms)
    _enter(Sessions, "clerk2", ms)
    with Sessions.begin() as s:
        results.allocate(s, "coord", seed="backup-test")
    with Sessions.begin() as s:
        results.declare(s, "coord")
    with Sessions() as s:
        return {cid: (r.status, r.outcome, r.declared_at is not None)
                for cid, r in results.latest_results(s).items()}


@pytest.fixture
def target(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same backend to restore into."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    schema = db_url.rsplit("%3D", 1)[1]
    base = PG_URL.replace("/test?", f"/{name}?")
    yield f"{base}&options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_backup_under_load_restores_and_finishes_the_same_night(
        engine: Engine, db_url: str, target: str, tmp_path: Path) -> None:
    Sessions = sessions(engine)
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    ms = all_minutes()
    _enter(Sessions, "clerk1", ms[:6])
    writer = threading.Thread(target=_enter, args=(Sessions, "clerk1", ms[6:]))
    writer.start()
    out = backup.backup(tmp_path / "night.backup", db_url)
    writer.join()
    with pytest.raises(InputError) as refused:
        backup.backup(out, db_url)
    assert refused.value.code == "E-BAK-001"

    restored = backup.restore(out, target)
    assert restored.verified and restored.records >= 2
    with pytest.raises(InputError) as again:  # no longer empty
        backup.restore(out, target)
    assert again.value.code == "E-BAK-002"

    original = _finish(Sessions)
    copy_engine = make_engine(target)
    try:
        copy = _finish(sessions(copy_engine))
        with sessions(copy_engine)() as s:
            assert integrity.verify(s).ok
    finally:
        copy_engine.dispose()
    assert copy == original and len(original) == 4
    assert all(declared for _s, _o, declared in original.values())


def test_a_backup_of_one_kind_is_refused_by_the_other(engine: Engine, db_url: str,
                                                      tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"hello")
    with pytest.raises(InputError) as e:
        backup.restore(bogus, f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert e.value.code == "E-BAK-003"
