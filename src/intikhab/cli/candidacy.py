"""``intikhab candidacy …``: check, deposit and decide candidacy filings, print the single
ballot, publish the registered candidacies (``services/candidacy.py``, docs/candidacy.md).

Findings and row errors are one line each on standard error, ``line N, CODE field: message``;
any error exits 2 (and, for an import, nothing is written).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from intikhab.cli.common import DbOption, fail, open_session
from intikhab.cli.credentials import PasswordFileOption, UserOption, authenticate
from intikhab.formats.ballot import ballot_html
from intikhab.formats.ballot import frame_text as _frame
from intikhab.formats.rows import RowError
from intikhab.law.errors import InputError, IntikhabError, Level

AtOption = Annotated[str | None, typer.Option(
    help="When (ISO date-time; default now; local Casablanca time without an offset).")]

app = typer.Typer(help="Candidacies: check, file, decide, withdraw, ballot, publish.",
                  no_args_is_help=True)
out = Console(soft_wrap=False)


class BallotFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    HTML = "html"


def _row(e: RowError) -> str:
    return f"line {e.row}, {e.code} {e.field}: {e.message}"


def _fail(error: IntikhabError) -> NoReturn:
    fail(error, rows=_row)


def _user(user: str | None, db: str | None, password_file: Path | None) -> str:
    """The acting user, authenticated (``cli/credentials.py``)."""
    return authenticate(db, user, password_file)


def _at(at: str | None) -> datetime | None:
    from intikhab.law.dates import parse_datetime

    if at is None:
        return None
    try:
        return parse_datetime(at, "--at")
    except InputError:
        _fail(InputError("E-IMP-002", field="--at", expected="YYYY-MM-DDTHH:MM"))


def _run(db: str | None, work: Any, write: bool = True) -> Any:
    """``work(session)`` on the database, one transaction when it ``write`` s."""
    try:
        with open_session(db, write=write) as s:
            return work(s)
    except IntikhabError as error:
        _fail(error)


@app.command("check")
def check(
    file: Annotated[str, typer.Argument(help="A .json (one filing, a list, or {filings}) "
                                              "or .csv file of filings.")],
    db: DbOption = None,
) -> None:
    """Run every check on a file of filings against the election in the database (nothing is
    written); exit 2 when any finding is an error."""
    from intikhab.formats.filings import read_documents
    from intikhab.services import candidacy as svc

    try:
        docs, alliances = read_documents(file)
    except IntikhabError as error:
        _fail(error)

    def work(s: Any) -> tuple[list[Any], list[RowError]]:
        amap = svc.alliances(s) | {str(a["id"]): frozenset(a.get("parties") or [])
                                   for a in alliances if isinstance(a, dict) and "id" in a}
        return svc.check_documents(docs, svc.seats_by_constituency(s), svc.polling_date(s),
                                   amap)

    findings, errors = _run(db, work, write=False)
    for e in errors:
        print(_row(e), file=sys.stderr)
    for f in findings:
        print(str(f), file=sys.stderr)
    bad = errors or [f for f in findings if f.level is Level.ERROR]
    print(json.dumps({"filings": len(docs), "errors": len(bad),
                      "warnings": len(findings) - len(bad) + len(errors)}))
    if bad:
        raise typer.Exit(2)


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A .json or .csv file of filings.")],
    user: UserOption = None, password_file: PasswordFileOption = None, at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Deposit every filing of the file (provisional receipts numbered by arrival), all or
    nothing."""
    from intikhab.services.candidacy import import_file

    who, when = _user(user, db, password_file), _at(at)
    rows = _run(db, lambda s: [(r.id, r.constituency_id, r.arrival)
                               for r in import_file(s, who, file, when)])
    typer.echo(json.dumps({"filed": [{"filing": f, "constituency": c, "receipt": n}
                                     for f, c, n in rows]}, ensure_ascii=False, indent=2))


@app.command("decide")
def decide(
    filing: Annotated[list[str] | None, typer.Option(help="Only this filing (repeatable).")]
    = None,
    user: UserOption = None, password_file: PasswordFileOption = None, at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Decide the provisional filings: final receipt, or reasoned rejection."""
    from intikhab.services import candidacy as svc

    who, when = _user(user, db, password_file), _at(at)
    regs = _run(db, lambda s: svc.decide(s, who, when, filing))
    typer.echo(json.dumps([{"filing": r.filing, "status": r.status.value, "number": r.number,
                            "reasons": list(r.reasons), "notes": list(r.notes)} for r in regs],
                          ensure_ascii=False, indent=2))
    if any(r.reasons for r in regs):
        raise typer.Exit(2)


@app.command("withdraw")
def withdraw(
    filing: Annotated[str, typer.Argument(help="The filing id.")],
    by: Annotated[list[str], typer.Option(help="National id of who withdraws (repeatable).")],
    attached: Annotated[bool, typer.Option(
        help="Only the attached seat's woman withdraws her own candidacy.")] = False,
    user: UserOption = None, password_file: PasswordFileOption = None, at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Withdraw a filing (or the attached seat's candidacy) before the filing deadline."""
    from intikhab.services import candidacy as svc

    who, when = _user(user, db, password_file), _at(at)
    act = svc.withdraw_attached if attached else svc.withdraw
    r = _run(db, lambda s: act(s, who, filing, by, when))
    typer.echo(json.dumps({"filing": r.filing, "status": r.status.value}))


@app.command("reject")
def reject(
    filing: Annotated[str, typer.Argument(help="The filing id.")],
    reason: Annotated[list[str], typer.Option(help="A catalogue code (repeatable).")],
    user: UserOption = None, password_file: PasswordFileOption = None, at: AtOption = None,
    db: DbOption = None,
) -> None:
    """A reasoned rejection, also after the final receipt (art. 8 §5, art. 9 §3)."""
    from intikhab.services import candidacy as svc

    who, when = _user(user, db, password_file), _at(at)
    r = _run(db, lambda s: svc.reject(s, who, filing, reason, when))
    typer.echo(json.dumps({"filing": r.filing, "status": r.status.value,
                           "reasons": list(r.reasons)}))


@app.command("ineligible")
def ineligible(
    filing: Annotated[str, typer.Argument(help="The registered list's filing id.")],
    national_id: Annotated[str, typer.Argument(help="The candidate's national id.")],
    user: UserOption = None, password_file: PasswordFileOption = None, db: DbOption = None,
) -> None:
    """A list's candidate proves ineligible after the final receipt: the list stays valid
    (art. 8, last paragraph)."""
    from intikhab.services import candidacy as svc

    who = _user(user, db, password_file)
    r = _run(db, lambda s: svc.mark_ineligible(s, who, filing, national_id))
    typer.echo(json.dumps({"filing": r.filing, "ineligible": sorted(r.ineligible)}))


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    db: DbOption = None,
) -> None:
    """Every filing: constituency, receipt number, status, registration number, reasons."""
    from intikhab.services import candidacy as svc

    cols = ("constituency", "receipt", "filing", "name", "party", "status", "number", "reasons")
    rows = _run(db, lambda s: [(r.constituency_id, r.arrival, r.id, r.name, r.party,
                                r.status, r.number, ", ".join(r.reasons))
                               for r in svc.listing(s)], write=False)
    if as_json:
        typer.echo(json.dumps([dict(zip(cols, row, strict=True)) for row in rows],
                              ensure_ascii=False, indent=2))
        return
    table = Table(title="التصريحات بالترشيح / Candidacy filings")
    for col in cols:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)


@app.command("publish")
def publish(user: UserOption = None, password_file: PasswordFileOption = None,
            db: DbOption = None) -> None:
    """Write the registered filings into the candidacies the minutes and allocation use."""
    from intikhab.services.candidacy import publish as run

    who = _user(user, db, password_file)
    n = _run(db, lambda s: len(run(s, who)))
    typer.echo(json.dumps({"published": n}))


@app.command("ballot")
def ballot(
    constituency: Annotated[str, typer.Argument(help="The constituency id.")],
    regional: Annotated[str | None, typer.Option(
        "--with", help="The regional constituency of a combined communal + regional ballot.")]
    = None,
    fmt: Annotated[BallotFormat, typer.Option("--format", help="table, json or html.")]
    = BallotFormat.TABLE,
    db: DbOption = None,
) -> None:
    """The single ballot: registered candidacies, parties first, by registration number."""
    from intikhab.services import candidacy as svc

    rows = _run(db, lambda s: svc.combined_ballot(s, constituency, regional) if regional
                else [(e.party, e, None) for e in svc.ballot(s, constituency)], write=False)
    if fmt is BallotFormat.JSON:
        typer.echo(json.dumps([{"party": p, "communal": c and c._asdict(),
                                "regional": r and r._asdict()} for p, c, r in rows],
                              ensure_ascii=False, indent=2))
        return
    if fmt is BallotFormat.HTML:
        sys.stdout.write(ballot_html(constituency, regional, rows))
        return
    table = Table(title=f"الورقة الفريدة — {constituency}" + (f" + {regional}" if regional
                                                               else ""))
    for col in ("#", "الانتماء", "الاقتراع الجماعي", "الاقتراع الجهوي" if regional else ""):
        if col:
            table.add_column(col)
    for i, (party, c, r) in enumerate(rows, 1):
        cells = [str(i), party or "بدون انتماء سياسي", _frame(c)]
        table.add_row(*([*cells, _frame(r)] if regional else cells))
    out.print(table)


def register(root: typer.Typer) -> None:
    """Add the ``candidacy`` command group to ``root``."""
    root.add_typer(app, name="candidacy")
