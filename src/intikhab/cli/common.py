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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from intikhab.law.errors import InputError, IntikhabError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from intikhab.formats.rows import RowError

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: $INTIKHAB_DB, else sqlite:///intikhab.sqlite — the "
                 "same for every command).")]


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


def read_json(source: str, code: str) -> Any:
    """The JSON document of ``source`` (a file, or ``-`` for standard input) through the safe
    loader (``formats.safejson``: depth, keys, duplicates, digits); unreadable ``E-IO-001``,
    not JSON ``code`` (the command's own, e.g. ``E-ALLOC-001``) with the line and column."""
    from intikhab.formats import safejson

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("E-IO-001", field=source, detail=exc.__class__.__name__) from None
    try:
        return safejson.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(code, detail=f"line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None


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
    fails with ``E-DB-001`` before anything runs.  Every other database problem is one coded
    line and exit 2 too (:func:`database_failure`): a URL or driver that is not valid
    (``E-DB-002``), a server or file that cannot be reached (``E-DB-003``), a database locked
    or busy (``E-DB-004``), permission denied (``E-DB-005``)."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from intikhab.store.db import database_url, is_ready, make_engine, migrate, sessions

    try:
        engine = make_engine(db)
    except (ArgumentError, NoSuchModuleError, ValueError, ImportError) as exc:
        fail(InputError("E-DB-002", field=_hide_password(database_url(db)),
                        detail=_first_line(exc)))
    where = engine.url.render_as_string(hide_password=True)
    try:
        if setup:
            migrate(engine)
        elif not is_ready(engine):
            fail(InputError("E-DB-001", field=where))
        maker = sessions(engine)
        with (maker.begin() if write else maker()) as session:
            yield session
    except DBAPIError as exc:
        fail(database_failure(where, exc))
    finally:
        engine.dispose()


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return (text[0] if text else type(orig).__name__)[:200]


def _hide_password(url: str) -> str:
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def database_failure(where: str, exc: BaseException) -> IntikhabError:
    """The coded error of a database failure: locked or busy ``E-DB-004``, permission denied
    ``E-DB-005``, anything else that stops the connection ``E-DB-003``."""
    detail = _first_line(exc)
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return InputError("E-DB-004", field=where, detail=detail)
    if any(w in low for w in ("permission denied", "readonly", "read-only",
                              "authentication failed", "access denied")):
        return InputError("E-DB-005", field=where, detail=detail)
    return InputError("E-DB-003", field=where, detail=detail)

def database_files(db: str | None) -> set[Path]:
    """The files of the SQLite database ``db`` (the file, its ``-wal`` and ``-shm``), resolved;
    empty for a server database."""
    from intikhab.store.db import database_url

    url = database_url(db)
    if not url.startswith("sqlite:///"):
        return set()
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    if not path or path == ":memory:":
        return set()
    base = Path(path).resolve()
    return {base, Path(f"{base}-wal"), Path(f"{base}-shm"), Path(f"{base}-journal")}


def guard_output(out: str | Path, db: str | None, force: bool, field: str = "OUT") -> None:
    """Nothing is destroyed by an output: never the database in use (``E-IO-002``, even with
    ``--force``), never an existing file or folder without ``--force`` (``E-DOC-002``)."""
    if str(out) == "-":
        return
    target = Path(out).resolve()
    if target in database_files(db):
        fail(InputError("E-IO-002", field=str(out)))
    if target.exists() and not force:
        fail(InputError("E-DOC-002", field=field, value=str(out)))
