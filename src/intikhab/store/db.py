"""Engines, sessions and migrations.

SQLite is the embedded default: foreign keys on, WAL journal, ``synchronous=NORMAL`` (a killed
process loses no committed transaction; see docs/records.md), STRICT tables, and every write
transaction opened with ``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing
(a session of :func:`read_sessions` begins ``DEFERRED``: it only reads).
PostgreSQL is the production database (``postgresql+psycopg://…``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_URL = "sqlite:///intikhab.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The URL given, else ``$INTIKHAB_DB``, else the SQLite file ``intikhab.sqlite`` here."""
    return url or os.environ.get("INTIKHAB_DB") or DEFAULT_URL


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            read = conn.get_execution_options().get("intikhab_read", False)
            conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read: on SQLite their transactions begin ``DEFERRED`` (a snapshot,
    no write lock), so a read — the login's look-up of a user, a session's check — never
    queues behind, nor holds up, a writer.  Never write through them."""
    return sessionmaker(engine.execution_options(intikhab_read=True), expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration for ``engine`` (Alembic is imported only here and where a
    migration runs: opening a database for a command does not pay for it)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def is_ready(engine: Engine) -> bool:
    """Whether the database exists and its schema is at the migrations' head — checked without
    creating anything (connecting to a missing SQLite file would create it)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if engine.url.get_backend_name() == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:" or not Path(path).exists():
            return False
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` with the Alembic migrations (one linear chain:
    0001 records, 0002 candidacies, 0003 disputes and accounts, 0004 web accreditations, 0005 audit
    checkpoints, 0006 duty scopes, 0007 data bound to the audit log, 0008 bureaus and indirect
    councils, 0009 sessions, login throttle and disabled accounts, 0010 French names of the
    territory, 0011 the audit log's index by action and entity)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
