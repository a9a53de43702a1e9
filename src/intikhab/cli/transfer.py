"""``intikhab import …`` and ``intikhab export …``: the election bundle, polling-station minutes
and declared results in and out of the database (``services/transfer.py``, docs/formats.md).

An import is all or nothing: each rejected row is one line on standard error,
``table:line field: CODE message``, then exit code 2 and nothing is written.  Other failures
are one line ``CODE field: message`` and exit 2, as everywhere in the CLI.
"""

from __future__ import annotations

import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from intikhab.cli.common import DbOption, fail, guard_output, open_session
from intikhab.cli.common import emit as _emit
from intikhab.cli.credentials import PasswordFileOption, UserOption, authenticate
from intikhab.law.errors import InputError, IntikhabError


class BundleFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class ResultsFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    NIST = "nist"


def _fail(error: IntikhabError) -> NoReturn:
    fail(error, rows=str)


def _write_text(out: str, text: str) -> None:
    """``-`` is standard output; otherwise the file, replaced whole (never half-written)."""
    from intikhab.formats.files import write_file

    if out == "-":
        sys.stdout.write(text)
        return
    try:
        write_file(Path(out), text.encode("utf-8"))
    except OSError as exc:
        _fail(InputError("E-IO-001", field=out, detail=exc.strerror or str(exc)))


ForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace an existing output file (never the database in use).")]
import_app = typer.Typer(help="Import an election bundle or minutes (all or nothing).",
                         no_args_is_help=True)
export_app = typer.Typer(help="Export the bundle, the minutes or the declared results.",
                         no_args_is_help=True)


@import_app.command("bundle")
def import_bundle(
    source: Annotated[str, typer.Argument(
        help="A bundle: a .json file, or a folder or .zip of CSV files (election.csv…).")],
    db: DbOption = None,
) -> None:
    """Load an election bundle in one transaction (the database is migrated first)."""
    from intikhab.services.transfer import load_bundle_file

    try:
        with open_session(db, write=True, setup=True) as s:
            counts = load_bundle_file(s, source)
    except IntikhabError as error:
        _fail(error)
    _emit({"imported": counts})


@import_app.command("minutes")
def import_minutes(
    source: Annotated[str, typer.Argument(help="A .json list of minutes or a .csv file.")],
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    accept_warning: Annotated[list[str] | None, typer.Option(
        "--accept-warning", help="Accept this warning code explicitly (repeatable).")] = None,
    db: DbOption = None,
) -> None:
    """Enter a file of minutes, all or nothing: the double-entry rules apply as for a form,
    and importing the same file again as the same user changes nothing."""
    from intikhab.services.transfer import import_minutes_file

    who = authenticate(db, user, password_file)
    try:
        with open_session(db, write=True) as s:
            outcomes = import_minutes_file(s, who, source, accept_warning or ())
    except IntikhabError as error:
        _fail(error)
    _emit({"minutes": len(outcomes),
           "outcomes": dict(sorted(Counter(o.outcome for o in outcomes).items()))})


@export_app.command("bundle")
def export_bundle(
    out: Annotated[str, typer.Argument(
        help="Output: a .json file (or - for standard output), or for csv a folder or .zip.")],
    fmt: Annotated[BundleFormat, typer.Option("--format", help="json or csv.")]
    = BundleFormat.JSON,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Write the election's set-up as a bundle (what ``import bundle`` reads back)."""
    guard_output(out, db, force)
    from intikhab.formats.bundle_csv import write_bundle_csv
    from intikhab.formats.files import dumps
    from intikhab.services.setup import dump_bundle

    with open_session(db) as s:
        bundle = dump_bundle(s)
    if fmt is BundleFormat.JSON:
        _write_text(out, dumps(bundle))
        return
    if out == "-":
        _fail(InputError("E-IMP-002", field="OUT", expected="a folder or a .zip for csv"))
    try:
        write_bundle_csv(bundle, out)
    except OSError as exc:
        _fail(InputError("E-IO-001", field=out, detail=exc.strerror or str(exc)))


@export_app.command("minutes")
def export_minutes(
    out: Annotated[str, typer.Argument(help="Output file, or - for standard output.")],
    fmt: Annotated[BundleFormat, typer.Option("--format", help="json or csv.")]
    = BundleFormat.JSON,
    all_entries: Annotated[bool, typer.Option(
        "--all", help="Every stored entry (for audit), not only the accepted minutes.")]
    = False,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Write the accepted minutes (the import format: the file re-imports)."""
    guard_output(out, db, force)
    from intikhab.formats.files import dumps
    from intikhab.formats.minutes_io import minutes_csv_text
    from intikhab.services.transfer import export_minutes

    with open_session(db) as s:
        minutes = export_minutes(s, accepted_only=not all_entries)
    _write_text(out, dumps(minutes) if fmt is BundleFormat.JSON else minutes_csv_text(minutes))


@export_app.command("results")
def export_results(
    out: Annotated[str, typer.Argument(help="Output file, or - for standard output.")],
    fmt: Annotated[ResultsFormat, typer.Option(
        "--format", help="json, csv, or nist (NIST SP 1500-100 v2 ElectionReport, JSON).")]
    = ResultsFormat.JSON,
    issuer: Annotated[str, typer.Option(help="nist: the report's Issuer.")] = "intikhab",
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Write the declared results."""
    guard_output(out, db, force)
    from intikhab.formats.files import dumps
    from intikhab.services import transfer

    try:
        with open_session(db) as s:
            if fmt is ResultsFormat.CSV:
                text = transfer.results_csv_text(s)
            elif fmt is ResultsFormat.NIST:
                text = dumps(transfer.export_nist(s, issuer=issuer))
            else:
                text = dumps(transfer.export_results_json(s))
    except IntikhabError as error:
        _fail(error)
    _write_text(out, text)


def register(app: typer.Typer) -> None:
    """Add the ``import`` and ``export`` command groups to ``app``."""
    app.add_typer(import_app, name="import")
    from intikhab.cli.export_map import add_to
    add_to(export_app)  # ``export map``: the portal's maps as pictures
    app.add_typer(export_app, name="export")
