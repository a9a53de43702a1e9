"""What every ``intikhab`` sub-command shares: the ``--db`` option, the one-line coded failure
(exit code 2, never a traceback) and plain JSON on standard output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer

from intikhab.formats.rows import ImportRejected, RowError
from intikhab.law.errors import IntikhabError

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: $INTIKHAB_DB, else sqlite:///intikhab.sqlite).")]


def fail(error: IntikhabError, lang: str = "en",
         rows: Callable[[RowError], str] | None = None) -> NoReturn:
    """``CODE field: message`` on standard error and exit code 2; with ``rows``, a rejected
    import prints each of its row errors instead, one a line, formatted by ``rows``."""
    if rows is not None and isinstance(error, ImportRejected):
        for row in error.errors:
            print(rows(row), file=sys.stderr)
    else:
        field = f" {error.field}" if error.field else ""
        print(f"{error.code}{field}: {error.message(lang)}", file=sys.stderr)
    raise typer.Exit(2)


def emit(payload: object, default: Callable[[Any], Any] | None = None) -> None:
    """Plain JSON on standard output (no terminal styling, so it pipes cleanly)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=default))
