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

from intikhab.cli.common import DbOption, Format, Lang, emit, fail, open_session
from intikhab.cli.credentials import PasswordFileOption, UserOption, authenticate
from intikhab.cli.tables import FormatOption, LangOption, show, w
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


def status_cmd(db: DbOption = None, lang: LangOption = Lang.AR,
               fmt: FormatOption = Format.TABLE) -> None:
    """How many constituencies await minutes, are complete, allocated, declared…"""
    from intikhab.services import results

    with open_session(db) as s:
        progress = results.progress(s)
    counts: dict[str, int] = {}
    for p in progress.values():
        counts[p.value] = counts.get(p.value, 0) + 1
    show(counts, fmt, lang, w("progress", lang), [w("status", lang), w("constituencies", lang)],
         [(w(f"ps_{k}", lang), n) for k, n in sorted(counts.items())])


def results_cmd(
    council: Annotated[str | None, typer.Argument(
        help="Commune, arrondissement (its constituency id) or region id; none = national.")]
    = None,
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    db: DbOption = None,
    lang: LangOption = Lang.AR,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Seats per party out of the council's total, votes and elected members (declared only).
    An unknown vote (E-PV-011) or council (E-API-004) is refused with exit code 2."""
    from intikhab.law.errors import IntikhabError
    from intikhab.services import council_results, portal

    if vote not in portal.VOTES:
        fail(IntikhabError("E-PV-011", field="vote", value=vote), lang.value)
    with open_session(db) as s:
        if council is not None:
            where = portal.place(s, council)
            if where is None:
                fail(IntikhabError("E-API-004", field="council", value=council), lang.value)
        r = (council_results.national_result(s, vote) if council is None
             else council_results.council_result(s, council, vote))
        arr = (council_results.arrondissement_councils_result(s)
               if council is None and vote == "communal" else None)

    def shown(r: Any, elected: bool) -> dict[str, Any]:
        lines = [p for p in r.parties if p.seats or p.votes]
        return {"council": r.council, "vote": r.vote, "kind": r.kind, "seats": r.seats,
                "declared": r.declared, "constituencies": r.constituencies,
                "registered": r.registered, "voters": r.voters,
                "parties": [{"party": p.party,
                             "name": p.name_ar if lang is Lang.AR else p.name_fr,
                             "seats": p.seats, "votes": p.votes,
                             **({"elected": list(p.elected)} if elected else {})}
                            for p in lines]}

    payload = shown(r, council is not None)
    if arr is not None and arr.constituencies:  # a divided commune's arrondissement councils
        payload["arrondissement_councils"] = shown(arr, False)
    parties = [p for p in r.parties if p.seats or p.votes]
    title = (f"{w('term.' + vote, lang)} — {council or w('national', lang)} — "
             f"{w('declared_of', lang).format(d=r.declared, n=r.constituencies)}")
    show(payload, fmt, lang, title, [w("party", lang), w("seats", lang), w("votes", lang)],
         [(p.name_ar if lang is Lang.AR else p.name_fr, p.seats, p.votes) for p in parties]
         + [(w("total", lang), f"{sum(p.seats for p in parties)} / {r.seats}",
             sum(p.votes for p in parties))])


def register(app: typer.Typer) -> None:
    """Add ``audit``, ``commission``, ``status`` and ``results`` to ``app``."""
    app.add_typer(audit_app, name="audit")
    app.add_typer(commission_app, name="commission")
    app.command("status")(status_cmd)
    app.command("results")(results_cmd)
