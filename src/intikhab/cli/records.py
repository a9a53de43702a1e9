"""``intikhab audit verify``, ``commission allocate|declare``, ``status`` and ``results``: the
records of election night as the census commission and the public read them.

Each command opens the database with :func:`intikhab.cli.common.open_session` (reads never
migrate; writes need a database already set up) and imports the services only when it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from intikhab.cli.common import DbOption, Lang, emit, fail, open_session
from intikhab.cli.credentials import PasswordFileOption, UserOption, authenticate
from intikhab.law.errors import InputError, IntikhabError

out = Console(soft_wrap=False)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
PARTIAL = 3
"""``commission allocate``'s exit code when some constituencies could not be allocated."""
commission_app = typer.Typer(help="The census commission: allocate and declare.",
                             no_args_is_help=True)


SHOWN = 1000  # findings printed one a line; the rest are counted


@audit_app.command("verify")
def audit_verify(
    db: DbOption = None,
    key: Annotated[Path | None, typer.Option(
        "--key", help="The commission's public key (PEM): also check the log against every "
                      "signed checkpoint stored.")] = None,
) -> None:
    """Check the record: the audit chain, every authoritative row against its digest in the
    log and, with --key, the signed checkpoints.  Exit 0 if all hold, 1 with one line per
    finding (table, key, what) otherwise, 2 if the database cannot be opened."""
    from intikhab.services import integrity
    from intikhab.services.keys import load_public_key

    try:
        public = load_public_key(key) if key is not None else None
    except IntikhabError as e:
        fail(e)
    with open_session(db) as s:
        report = integrity.verify(s, public)
    chain = report.chain
    if not chain.ok:
        print(f"audit chain BROKEN at record {chain.first_bad}: {chain.reason} "
              f"({chain.records:,} records verified before it)", file=sys.stderr)
        raise typer.Exit(1)
    for t in report.tampered[:SHOWN]:
        print(t.line(), file=sys.stderr)
    if len(report.tampered) > SHOWN:
        print(f"… and {len(report.tampered) - SHOWN:,} more", file=sys.stderr)
    if report.checkpoint_error:
        print(f"audit log DISAGREES with a signed checkpoint: {report.checkpoint_error}",
              file=sys.stderr)
    if not report.ok:
        raise typer.Exit(1)
    signed = f", {report.checkpoints} signed checkpoint(s) agree" if public else ""
    out.print(f"audit chain verified: {chain.records:,} records; every row matches the "
              f"log{signed}")


@commission_app.command("allocate")
def commission_allocate(
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    constituency: Annotated[list[str] | None, typer.Option(
        help="Only these constituencies (repeatable); default: every complete one of the "
             "coordinator's scope.")] = None,
    lot: Annotated[list[str] | None, typer.Option(
        help="A drawn lot entered by the commission: KEY=WINNER (repeatable).")] = None,
    seed: Annotated[str | None, typer.Option(
        help="Public seed for a reproducible draw of any lot not entered.")] = None,
    db: DbOption = None,
) -> None:
    """Aggregate the accepted minutes and allocate the seats, recording every result.  Each
    constituency is allocated on its own: one that cannot be is reported (``unallocated``,
    with its code) while the others are allocated — exit 0 when none is reported, 3 when
    some are (docs/allocation.md)."""
    from intikhab.services import results

    lots = {}
    for item in lot or []:
        key, sep, winner = item.partition("=")
        if not sep or not key or not winner:
            fail(InputError("E-ALLOC-003", field="--lot", expected="KEY=WINNER"))
        lots[key] = winner
    who = authenticate(db, user, password_file)
    unallocated: list[results.Unallocated] = []
    try:
        with open_session(db, write=True) as s:
            done = results.allocate(s, who, constituency, lots, seed, unallocated)
            summary: dict[str, int] = {}
            for r in done:
                summary[r.status] = summary.get(r.status, 0) + 1
    except IntikhabError as error:
        fail(error)
    emit({"allocated": len(done), "statuses": summary,
          "unallocated": [u.to_dict() for u in unallocated]})
    for u in unallocated:
        reported = u.as_error()
        print(f"{reported.code} {reported.field}: {reported.message('en')}", file=sys.stderr)
    if unallocated:
        raise typer.Exit(PARTIAL)


@commission_app.command("declare")
def commission_declare(
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    constituency: Annotated[list[str] | None, typer.Option(
        help="Only these constituencies (repeatable).")] = None,
    key: Annotated[Path | None, typer.Option(
        "--key", envvar="INTIKHAB_SIGNING_KEY",
        help="The commission's private signing key (PEM): sign a checkpoint of the audit log "
             "with the declaration.")] = None,
    db: DbOption = None,
) -> None:
    """Declare the allocated results whose minutes have not changed since (and, with a
    signing key, sign a checkpoint of the audit log)."""
    from intikhab.services import results
    from intikhab.services.keys import load_signing_key

    who = authenticate(db, user, password_file)
    try:
        private = load_signing_key(key) if key is not None else None
        with open_session(db, write=True) as s:
            n = results.declare(s, who, constituency, signing_key=private)
    except IntikhabError as error:
        fail(error)
    emit({"declared": n})


def status_cmd(db: DbOption = None) -> None:
    """How many constituencies await minutes, are complete, allocated, declared…"""
    from intikhab.services import results

    with open_session(db) as s:
        progress = results.progress(s)
    counts: dict[str, int] = {}
    for p in progress.values():
        counts[p.value] = counts.get(p.value, 0) + 1
    emit(counts)


def results_cmd(
    council: Annotated[str | None, typer.Argument(
        help="Commune, arrondissement (its constituency id) or region id; none = national.")]
    = None,
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    db: DbOption = None,
    lang: Annotated[Lang, typer.Option()] = Lang.AR,
) -> None:
    """Seats per party out of the council's total, votes and elected members (declared only)."""
    from intikhab.services import results

    with open_session(db) as s:
        r = (results.national_result(s, vote) if council is None
             else results.council_result(s, council, vote))
        arr = (results.arrondissement_councils_result(s)
               if council is None and vote == "communal" else None)

    def shown(r: Any, elected: bool) -> dict[str, Any]:
        return {"council": r.council, "vote": r.vote, "kind": r.kind, "seats": r.seats,
                "declared": r.declared, "constituencies": r.constituencies,
                "registered": r.registered, "voters": r.voters,
                "parties": [{"party": p.party,
                             "name": p.name_ar if lang is Lang.AR else p.name_fr,
                             "seats": p.seats, "votes": p.votes,
                             **({"elected": list(p.elected)} if elected else {})}
                            for p in r.parties]}

    out = shown(r, council is not None)
    if arr is not None and arr.constituencies:  # a divided commune's arrondissement councils
        out["arrondissement_councils"] = shown(arr, False)
    emit(out)


def register(app: typer.Typer) -> None:
    """Add ``audit``, ``commission``, ``status`` and ``results`` to ``app``."""
    app.add_typer(audit_app, name="audit")
    app.add_typer(commission_app, name="commission")
    app.command("status")(status_cmd)
    app.command("results")(results_cmd)
