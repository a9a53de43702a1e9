"""``intikhab audit verify``, ``commission allocate|declare``, ``status`` and ``results``: the
records of election night as the census commission and the public read them.

Each command opens the database with :func:`intikhab.cli.common.open_session` (reads never
migrate; writes need a database already set up) and imports the services only when it runs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from intikhab.cli.common import DbOption, Format, Lang, emit, fail, open_session
from intikhab.cli.tables import FormatOption, LangOption, show, w
from intikhab.law.errors import InputError, IntikhabError

out = Console(soft_wrap=False)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
commission_app = typer.Typer(help="The census commission: allocate and declare.",
                             no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(db: DbOption = None) -> None:
    """Walk the audit chain: exit 0 if intact, 1 with the first bad record otherwise."""
    from intikhab.store import audit

    with open_session(db) as s:
        report = audit.verify(s)
    if report.ok:
        out.print(f"audit chain verified: {report.records:,} records")
        return
    print(f"audit chain BROKEN at record {report.first_bad}: {report.reason} "
          f"({report.records:,} records verified before it)", file=sys.stderr)
    raise typer.Exit(1)


@commission_app.command("allocate")
def commission_allocate(
    user: Annotated[str, typer.Option(help="The coordinator acting.")],
    constituency: Annotated[list[str] | None, typer.Option(
        help="Only these constituencies (repeatable); default: every complete one.")] = None,
    lot: Annotated[list[str] | None, typer.Option(
        help="A drawn lot entered by the commission: KEY=WINNER (repeatable).")] = None,
    seed: Annotated[str | None, typer.Option(
        help="Public seed for a reproducible draw of any lot not entered.")] = None,
    db: DbOption = None,
) -> None:
    """Aggregate the accepted minutes and allocate the seats, recording every result."""
    from intikhab.services import results

    lots = {}
    for item in lot or []:
        key, sep, winner = item.partition("=")
        if not sep or not key or not winner:
            fail(InputError("E-ALLOC-003", field="--lot", expected="KEY=WINNER"))
        lots[key] = winner
    try:
        with open_session(db, write=True) as s:
            done = results.allocate(s, user, constituency, lots, seed)
            summary: dict[str, int] = {}
            for r in done:
                summary[r.status] = summary.get(r.status, 0) + 1
    except IntikhabError as error:
        fail(error)
    emit({"allocated": len(done), "statuses": summary})


@commission_app.command("declare")
def commission_declare(
    user: Annotated[str, typer.Option(help="The coordinator declaring.")],
    constituency: Annotated[list[str] | None, typer.Option(
        help="Only these constituencies (repeatable).")] = None,
    db: DbOption = None,
) -> None:
    """Declare the allocated results whose minutes have not changed since."""
    from intikhab.services import results

    try:
        with open_session(db, write=True) as s:
            n = results.declare(s, user, constituency)
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
    council: Annotated[str | None, typer.Argument(help="Commune or region id; none = national.")]
    = None,
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    db: DbOption = None,
    lang: LangOption = Lang.AR,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Seats per party out of the council's total, votes and elected members (declared only).
    An unknown vote (E-PV-011) or council (E-API-004) is refused with exit code 2."""
    from intikhab.law.errors import IntikhabError
    from intikhab.services import portal, results

    if vote not in portal.VOTES:
        fail(IntikhabError("E-PV-011", field="vote", value=vote), lang.value)
    with open_session(db) as s:
        if council is not None:
            where = portal.place(s, council)
            if where is None:
                fail(IntikhabError("E-API-004", field="council", value=council), lang.value)
        r = (results.national_result(s, vote) if council is None
             else results.council_result(s, council, vote))
    parties = [p for p in r.parties if p.seats or p.votes]
    payload = {"council": r.council, "vote": r.vote, "seats": r.seats, "declared": r.declared,
               "constituencies": r.constituencies, "registered": r.registered,
               "voters": r.voters,
               "parties": [{"party": p.party, "name": p.name_ar if lang is Lang.AR
                            else p.name_fr, "seats": p.seats, "votes": p.votes,
                            **({"elected": list(p.elected)} if council else {})}
                           for p in parties]}
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
