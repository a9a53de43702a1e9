"""The ``intikhab`` command line: the Typer app, assembled from one module per command group.

Every failure on bad input is one line on standard error, ``CODE field: message``, and exit
code 2 — never a traceback.  Codes come from :data:`intikhab.law.errors.CATALOGUE`.  Importing
this module imports no SQLAlchemy: commands that need the store import it when they run
(a test checks it).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from intikhab import __version__
from intikhab.cli import (
    allocate,
    audit,
    backup,
    bureau,
    candidacy,
    councils,
    documents,
    help,
    law,
    publish,
    records,
    serve,
    territory,
    transfer,
    users,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="intikhab",
    help="Morocco's regional and communal elections as executable law (organic law 59.11).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    if version:
        out.print(f"intikhab {__version__}")
        raise typer.Exit()


# In the order ``intikhab --help`` lists them.
allocate.register(app)
serve.register_demo(app)
records.register(app)
serve.register(app)
transfer.register(app)
law.register(app)
candidacy.register(app)
audit.register(app, records.audit_app)
bureau.register(app)
councils.register(app)
territory.register(app)
documents.register(app)
publish.register(app)
backup.register(app)
users.register(app)
help.register(app)  # last: it lists every command registered before it


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
