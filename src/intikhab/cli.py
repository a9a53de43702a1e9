"""The ``intikhab`` command line.

Every failure on bad input is one line on standard error, ``CODE field: message``, and exit
code 2 — never a traceback.  Codes come from :data:`intikhab.law.errors.CATALOGUE`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from intikhab import __version__
from intikhab.cli_candidacy import register as register_candidacy
from intikhab.cli_common import DbOption
from intikhab.cli_common import emit as _emit
from intikhab.cli_common import fail as _fail
from intikhab.cli_documents import register as register_documents
from intikhab.cli_law import register as register_law
from intikhab.cli_transfer import register as register_transfer
from intikhab.interchange import (
    INPUT_SCHEMA,
    parse_constituency,
    parse_lots,
    parse_rules,
    result_to_json,
)
from intikhab.law import councils
from intikhab.law.allocation import (
    District,
    DistrictResult,
    ListConstituency,
    ListResult,
    Lots,
    allocate_district,
    allocate_lists,
)
from intikhab.law.errors import CATALOGUE, InputError, IntikhabError
from intikhab.law.rulesets import RULE_SETS, RuleSet
from intikhab.render import (
    comparison_totals,
    render_comparison,
    render_district_result,
    render_list_result,
    t,
)

app = typer.Typer(
    name="intikhab",
    help="Morocco's regional and communal elections as executable law (organic law 59.11).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


class Lang(StrEnum):
    AR = "ar"
    FR = "fr"
    EN = "en"


def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("E-IO-001", field=source, detail=exc.__class__.__name__) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("E-ALLOC-001", detail=f"line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None


def allocate_any(
    constituency: ListConstituency | District, rules: RuleSet, lots: Lots
) -> ListResult | DistrictResult:
    """Dispatch to list PR or plurality by the kind of constituency."""
    if isinstance(constituency, District):
        return allocate_district(constituency, rules, lots)
    return allocate_lists(constituency, rules, lots)


@app.command()
def allocate(
    file: Annotated[str, typer.Argument(help="Input JSON file, or - for standard input.")],
    rules: Annotated[str | None, typer.Option(help="Rule set (overrides the file's).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.TABLE,
    lang: Annotated[Lang, typer.Option(help="Language of the tables.")] = Lang.AR,
    compare: Annotated[str | None, typer.Option(
        help="Also allocate under this rule set and show the difference.")] = None,
    seed: Annotated[str | None, typer.Option(
        help="Public seed for any lot (overrides the file's lot_seed).")] = None,
) -> None:
    """Allocate the seats of one constituency, explained like the guide's tables."""
    try:
        doc = _read_json(file)
        constituency = parse_constituency(doc)
        rule_set = parse_rules(doc, rules)
        lots = parse_lots(doc)
        if seed is not None:
            lots = Lots(lots.outcomes, seed)
        result = allocate_any(constituency, rule_set, lots)
        other = None
        if compare is not None:
            other = allocate_any(constituency, parse_rules(doc, compare), lots)
    except IntikhabError as error:
        _fail(error, lang.value)
    names = {}
    if isinstance(constituency, ListConstituency):
        names = {lst.id: lst.name for lst in constituency.lists}
    if fmt is Format.JSON:
        payload: dict[str, Any] = result_to_json(result, constituency, lots)
        if other is not None:
            ta, tb = comparison_totals(result), comparison_totals(other)
            payload = {"result": payload,
                       "compare": result_to_json(other, constituency, lots),
                       "difference": {k: tb.get(k, 0) - ta.get(k, 0)
                                      for k in dict.fromkeys([*ta, *tb])}}
        _emit(payload)
        return
    if isinstance(result, DistrictResult):
        out.print(render_district_result(result, lang.value))
    else:
        out.print(render_list_result(result, names, lang.value))
    if other is not None:
        out.print(render_comparison(result, other, names, lang.value))


@app.command("rules")
def list_rules(lang: Annotated[Lang, typer.Option()] = Lang.AR) -> None:
    """List the rule sets, their parameters and their sources."""
    from rich.table import Table

    table = Table(title=t("rules", lang.value))
    for col in ("name", "title", "quotient base", "threshold", "age tie", "sources"):
        table.add_column(col)
    for r in RULE_SETS.values():
        title = r.title_ar if lang is Lang.AR else r.title_fr
        table.add_row(r.name, title, r.quotient_base.value,
                      "—" if r.threshold is None else f"{r.threshold * 100} %",
                      r.tie_age.value, "\n".join(r.sources))
    out.print(table)


class Kind(StrEnum):
    REGION = "region"
    COMMUNE = "commune"
    DIVIDED = "divided"
    PREFECTURE = "prefecture"


@app.command()
def council(
    kind: Annotated[Kind, typer.Argument(help="region, commune, divided or prefecture.")],
    population: Annotated[int, typer.Argument(help="Legal population.")],
    year: Annotated[int, typer.Option(help="Rules year for communes (2021 or 2015).")] = 2021,
    communal_councillors: Annotated[int | None, typer.Option(
        help="Prefecture/province: members of its communal councils (half cap).")] = None,
) -> None:
    """The size of a council (and for communes the mode and women's seats) from its population."""
    try:
        if kind is Kind.REGION:
            info: dict[str, Any] = {"members": councils.region_council_size(population)}
        elif kind is Kind.COMMUNE:
            if year not in (2015, 2021):
                raise InputError("E-ALLOC-013", field="year", value=year, expected="2015 | 2021")
            c = councils.commune_council(population, year)
            info = {"members": c.members, "mode": c.mode.value, "general_seats": c.general_seats,
                    "women_seats": c.women_seats,
                    "attached_women_seats": c.attached_women_seats, "total": c.total}
        elif kind is Kind.DIVIDED:
            info = {"members": councils.divided_commune_council_size(population)}
        else:
            cap = communal_councillors if communal_councillors is not None else 10**9
            info = {"members": councils.prefecture_council_size(population, cap)}
    except IntikhabError as error:
        _fail(error)
    _emit({"kind": kind.value, "population": population, **info})


@app.command()
def schema() -> None:
    """Print the JSON Schema of the allocation input."""
    _emit(INPUT_SCHEMA)


@app.command()
def errors(lang: Annotated[Lang, typer.Option()] = Lang.AR) -> None:
    """Print the catalogue of error codes."""
    for check in CATALOGUE.values():
        out.print(f"{check.code}  [{check.level.value}]  {getattr(check, lang.value)}",
                  markup=False, highlight=False)


@app.command()
def demo(
    lang: Annotated[Lang, typer.Option()] = Lang.AR,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic national data set.")] = 2021,
    db: Annotated[str | None, typer.Option(
        help="Database URL (default: sqlite:///demo.sqlite, rebuilt each run).")] = None,
    scale: Annotated[float, typer.Option(
        help="Share of the country's provinces to include (1 = the whole country).")] = 1.0,
) -> None:
    """The main job: the guide's worked examples, then a whole national election night on a
    database — double entry of every minute, aggregation, allocation, declaration."""
    from intikhab.demo import run_demo

    try:
        run_demo(out, lang.value, seed, db, scale)
    except IntikhabError as error:
        _fail(error, lang.value)


audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
@audit_app.command("verify")
def audit_verify(db: DbOption = None) -> None:
    """Walk the audit chain: exit 0 if intact, 1 with the first bad record otherwise."""
    from intikhab.store import audit
    from intikhab.store.db import make_engine, sessions

    with sessions(make_engine(db))() as s:
        report = audit.verify(s)
    if report.ok:
        out.print(f"audit chain verified: {report.records:,} records")
        return
    print(f"audit chain BROKEN at record {report.first_bad}: {report.reason} "
          f"({report.records:,} records verified before it)", file=sys.stderr)
    raise typer.Exit(1)


commission_app = typer.Typer(help="The census commission: allocate and declare.",
                             no_args_is_help=True)
app.add_typer(commission_app, name="commission")


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
    from intikhab.store.db import make_engine, sessions

    lots = {}
    for item in lot or []:
        key, sep, winner = item.partition("=")
        if not sep or not key or not winner:
            _fail(InputError("E-ALLOC-003", field="--lot", expected="KEY=WINNER"))
        lots[key] = winner
    try:
        with sessions(make_engine(db)).begin() as s:
            done = results.allocate(s, user, constituency, lots, seed)
            summary: dict[str, int] = {}
            for r in done:
                summary[r.status] = summary.get(r.status, 0) + 1
    except IntikhabError as error:
        _fail(error)
    _emit({"allocated": len(done), "statuses": summary})


@commission_app.command("declare")
def commission_declare(
    user: Annotated[str, typer.Option(help="The coordinator declaring.")],
    constituency: Annotated[list[str] | None, typer.Option(
        help="Only these constituencies (repeatable).")] = None,
    db: DbOption = None,
) -> None:
    """Declare the allocated results whose minutes have not changed since."""
    from intikhab.services import results
    from intikhab.store.db import make_engine, sessions

    try:
        with sessions(make_engine(db)).begin() as s:
            n = results.declare(s, user, constituency)
    except IntikhabError as error:
        _fail(error)
    _emit({"declared": n})


@app.command("status")
def status_cmd(db: DbOption = None) -> None:
    """How many constituencies await minutes, are complete, allocated, declared…"""
    from intikhab.services import results
    from intikhab.store.db import make_engine, sessions

    with sessions(make_engine(db))() as s:
        progress = results.progress(s)
    counts: dict[str, int] = {}
    for p in progress.values():
        counts[p.value] = counts.get(p.value, 0) + 1
    _emit(counts)


@app.command("results")
def results_cmd(
    council: Annotated[str | None, typer.Argument(help="Commune or region id; none = national.")]
    = None,
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    db: DbOption = None,
    lang: Annotated[Lang, typer.Option()] = Lang.AR,
) -> None:
    """Seats per party out of the council's total, votes and elected members (declared only)."""
    from intikhab.services import results
    from intikhab.store.db import make_engine, sessions

    with sessions(make_engine(db))() as s:
        r = (results.national_result(s, vote) if council is None
             else results.council_result(s, council, vote))
    _emit({"council": r.council, "vote": r.vote, "seats": r.seats, "declared": r.declared,
           "constituencies": r.constituencies, "registered": r.registered, "voters": r.voters,
           "parties": [{"party": p.party, "name": p.name_ar if lang is Lang.AR else p.name_fr,
                        "seats": p.seats, "votes": p.votes,
                        **({"elected": list(p.elected)} if council else {})}
                       for p in r.parties]})


@app.command()
def serve(
    db: Annotated[str | None, typer.Option(
        "--db", help="Database URL (default: sqlite:///demo.sqlite, built by the demo job "
                     "when missing).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    scale: Annotated[float, typer.Option(
        help="Share of the country when the demo database has to be built.")] = 1.0,
    session_hours: Annotated[int, typer.Option(help="Session lifetime in hours.")] = 8,
) -> None:
    """The web application and the REST API (uvicorn): on the SQLite demo database by
    default, built by the demo job if missing; prints the address and the demo accounts."""
    import os
    import secrets

    import uvicorn

    from intikhab.services.users import ensure_demo_accounts
    from intikhab.store.db import make_engine, migrate, sessions

    url = db or "sqlite:///demo.sqlite"
    if db is None and not Path("demo.sqlite").exists():
        from intikhab.demo import run_demo

        out.print("demo.sqlite is missing: building it with the demo job (intikhab demo)…")
        run_demo(out, "ar", 2021, url, scale)
    engine = make_engine(url)
    migrate(engine)
    with sessions(engine).begin() as s:
        accounts = ensure_demo_accounts(s) if db is None else []
    engine.dispose()
    os.environ["INTIKHAB_DB"] = url
    os.environ.setdefault("INTIKHAB_SECRET", secrets.token_hex(32))
    os.environ["INTIKHAB_SESSION_TTL"] = str(session_hours * 3600)
    out.print(f"intikhab {__version__} — http://{host}:{port}/  (API: "
              f"http://{host}:{port}/api/docs) on {url}")
    for user, role, password in accounts:
        out.print(f"  demo account  {user:<10} {role:<12} password: {password}")
    uvicorn.run("intikhab.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    if version:
        out.print(f"intikhab {__version__}")
        raise typer.Exit()


register_transfer(app)
register_law(app)
register_candidacy(app)
register_documents(app)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
