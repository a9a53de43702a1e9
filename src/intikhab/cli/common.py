"""What every ``intikhab`` sub-command shares: the ``--db`` option and the one way to open a
database session, the one-line coded failure (exit code 2, never a traceback), plain JSON on
standard output and the ``--lang``/``--format`` choices.

The database rule of every command (:func:`open_session`):

- a command that reads never migrates nor creates a database;
- a command that writes needs a database already set up (at the migrations' head);
- only the set-up commands — ``import bundle``, ``demo`` and ``serve`` — migrate it (and, for
  SQLite, create it).

A database that is missing or not migrated is the coded failure ``E-DB-001``.  Nothing here
imports SQLAlchemy at start-up: commands that need the store import it when they run, so the
pure commands (``allocate``, ``council``, ``rules``…) start quickly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from intikhab.law.errors import InputError, IntikhabError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from intikhab.formats.rows import RowError

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: $INTIKHAB_DB, else sqlite:///intikhab.sqlite).")]


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


class Lang(StrEnum):
    AR = "ar"
    FR = "fr"
    EN = "en"


def fail(error: IntikhabError, lang: str = "en",
         rows: Callable[[RowError], str] | None = None) -> NoReturn:
    """``CODE field: message`` on standard error and exit code 2; with ``rows``, a rejected
    import prints each of its row errors instead, one a line, formatted by ``rows``."""
    if rows is not None:
        from intikhab.formats.rows import ImportRejected

        if isinstance(error, ImportRejected):
            for row in error.errors:
                print(rows(row), file=sys.stderr)
            raise typer.Exit(2)
    field = f" {error.field}" if error.field else ""
    print(f"{error.code}{field}: {error.message(lang)}", file=sys.stderr)
    raise typer.Exit(2)


def emit(payload: object, default: Callable[[Any], Any] | None = None) -> None:
    """Plain JSON on standard output (no terminal styling, so it pipes cleanly)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=default))


@contextmanager
def open_session(db: str | None, *, write: bool = False,
                 setup: bool = False) -> Iterator[Session]:
    """A session on the database ``db`` (``--db``), its engine disposed on the way out.

    ``write`` opens a transaction committed when the block ends (rolled back if it raises);
    otherwise a plain session that writes nothing.  ``setup`` (the set-up commands only)
    migrates the database to the head first; without it a database missing or not migrated
    fails with ``E-DB-001`` before anything runs."""
    from intikhab.store.db import is_ready, make_engine, migrate, sessions

    engine = make_engine(db)
    try:
        if setup:
            migrate(engine)
        elif not is_ready(engine):
            fail(InputError("E-DB-001", field=engine.url.render_as_string(hide_password=True)))
        maker = sessions(engine)
        with (maker.begin() if write else maker()) as session:
            yield session
    finally:
        engine.dispose()
