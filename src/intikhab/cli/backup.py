"""``intikhab backup OUT`` and ``intikhab restore IN --db URL`` (services/backup.py).

``backup`` copies the database while it is in use (SQLite's online backup API, ``pg_dump`` for
PostgreSQL) into a new file, never over an existing one; ``restore`` reads a backup into an
empty database only, then verifies the record (the chain, and every row against it).  Coded
failures: one line, exit 2; a restored record that does not verify: exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from intikhab.cli.common import DbOption, emit, fail
from intikhab.law.errors import InputError, IntikhabError


def backup_cmd(out: Annotated[Path, typer.Argument(help="The backup file to create.")],
               db: DbOption = None) -> None:
    """Back up the database while it is in use, into a new file (never overwritten)."""
    from intikhab.services import backup
    from intikhab.store.db import is_ready, make_engine

    engine = make_engine(db)
    try:
        if not is_ready(engine):
            fail(InputError("E-DB-001", field=engine.url.render_as_string(hide_password=True)))
    finally:
        engine.dispose()
    try:
        path = backup.backup(out, db)
    except IntikhabError as e:
        fail(e)
    emit({"backup": str(path), "bytes": path.stat().st_size})


def restore_cmd(
    source: Annotated[Path, typer.Argument(help="A backup made by intikhab backup.")],
    db: Annotated[str, typer.Option("--db", help="The EMPTY database to restore into.")],
) -> None:
    """Restore a backup into an empty database, then verify the restored record."""
    from intikhab.services import backup

    try:
        restored = backup.restore(source, db)
    except IntikhabError as e:
        fail(e)
    if not restored.verified:
        r = restored.report
        reason = r.chain.reason or "; ".join(t.line() for t in r.tampered[:5])
        print(f"restored, but the record does NOT verify: {reason}", file=sys.stderr)
        raise typer.Exit(1)
    emit({"restored": str(source), "records": restored.records, "verified": True})


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
