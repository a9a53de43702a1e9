"""Backups taken while the system is in use, and restores into an empty database only.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  page by page while other connections keep writing (WAL); the backup is itself a SQLite file.
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot under MVCC, writers never
  blocked) of the database, or only of its schema when the URL sets a ``search_path``;
  ``pg_restore`` reads it back.

A backup never overwrites a file (E-BAK-001); a restore refuses a database that already holds
tables (E-BAK-002), and verifies the restored record (``services/integrity.verify``: the chain
and every row against it) before reporting success.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, text

from intikhab.law.errors import InputError
from intikhab.services import integrity
from intikhab.store.db import database_url, make_engine, sessions

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True, slots=True)
class Restored:
    records: int
    verified: bool
    report: integrity.Report


def _sqlite_path(engine: Engine) -> Path:
    return Path(engine.url.database or "")


def _schema(engine: Engine) -> str | None:
    """The schema a ``search_path`` option of the URL names, if any."""
    options = unquote(str(engine.url.query.get("options", "")))
    for part in options.split():
        if part.startswith("-csearch_path="):
            return part.removeprefix("-csearch_path=").split(",")[0]
    return None


def _pg_env(engine: Engine) -> dict[str, str]:
    u = engine.url
    env = dict(os.environ)
    for var, value in (("PGHOST", u.host or u.query.get("host")), ("PGPORT", u.port),
                       ("PGUSER", u.username), ("PGPASSWORD", u.password),
                       ("PGDATABASE", u.database)):
        if value:
            env[var] = str(value)
    return env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise InputError("E-BAK-004", value=tool, detail="not installed (postgresql-client)")
    done = subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["exit code " + str(done.returncode)])[-1]
        raise InputError("E-BAK-004", value=tool, detail=detail)


def backup(out: Path, url: str | None = None) -> Path:
    """Write a consistent backup of the database at ``url`` into the new file ``out``."""
    if out.exists():
        raise InputError("E-BAK-001", value=str(out))
    engine = make_engine(database_url(url))
    try:
        partial = out.with_name(out.name + ".partial")
        partial.unlink(missing_ok=True)
        if engine.url.get_backend_name() == "sqlite":
            src = sqlite3.connect(_sqlite_path(engine))
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=4096)
            finally:
                dst.close()
                src.close()
        else:
            schema = _schema(engine)
            _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges",
                             f"--file={partial}", *([f"--schema={schema}"] if schema else [])],
                 _pg_env(engine))
        if out.exists():  # created while we copied: keep it, drop ours
            partial.unlink(missing_ok=True)
            raise InputError("E-BAK-001", value=str(out))
        partial.rename(out)
        return out
    finally:
        engine.dispose()


def _is_empty(engine: Engine) -> bool:
    if engine.url.get_backend_name() == "sqlite":
        path = _sqlite_path(engine)
        if not path.exists() or path.stat().st_size == 0:
            return True
    query = ("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
             if engine.url.get_backend_name() == "sqlite" else
             "SELECT COUNT(*) FROM information_schema.tables "
             "WHERE table_schema = ANY(current_schemas(false))")
    with engine.connect() as conn:
        return int(conn.execute(text(query)).scalar_one()) == 0


def restore(backup_file: Path, url: str | None = None) -> Restored:
    """Restore ``backup_file`` into the empty database at ``url``, then verify the record."""
    try:
        magic = backup_file.open("rb").read(16)
    except OSError as e:
        raise InputError("E-BAK-003", value=str(backup_file), detail=e.strerror) from None
    engine = make_engine(database_url(url))
    try:
        where = engine.url.render_as_string(hide_password=True)
        sqlite = engine.url.get_backend_name() == "sqlite"
        if sqlite != magic.startswith(SQLITE_MAGIC) or not (
                magic.startswith(SQLITE_MAGIC) or magic.startswith(PGDUMP_MAGIC)):
            raise InputError("E-BAK-003", value=str(backup_file),
                             detail="not a backup of this kind of database")
        if not _is_empty(engine):
            raise InputError("E-BAK-002", value=where)
        engine.dispose()
        if sqlite:
            src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
            dst = sqlite3.connect(_sqlite_path(engine))
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            _run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error",
                                f"--dbname={engine.url.database}", str(backup_file)],
                 _pg_env(engine))
        with sessions(engine)() as s:
            report = integrity.verify(s)
        return Restored(report.chain.records, report.ok, report)
    finally:
        engine.dispose()
