"""``intikhab calendar|campaign|finance|dispute|offences …``: the calendar and its iCalendar
export, campaign checks, campaign accounts, dispute cases and the offences catalogue.

Failures are one line ``CODE field: message`` on standard error and exit code 2; results are
JSON on standard output.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from intikhab.cli.common import DbOption, emit, open_session
from intikhab.cli.common import fail as _fail
from intikhab.cli.credentials import PasswordFileOption, UserOption, authenticate
from intikhab.formats import safejson
from intikhab.law.errors import InputError, IntikhabError

LangOption = Annotated[str, typer.Option("--lang", help="ar, fr or en.")]

calendar_app = typer.Typer(help="The electoral calendar (guide ch. 3–6, 12, 13).",
                           no_args_is_help=True)
campaign_app = typer.Typer(help="Campaign rules as checks (guide ch. 4).", no_args_is_help=True)
finance_app = typer.Typer(help="Campaign accounts (guide ch. 12).", no_args_is_help=True)
dispute_app = typer.Typer(help="Dispute cases (guide ch. 13).", no_args_is_help=True)
offences_app = typer.Typer(help="Election offences (guide ch. 11).", no_args_is_help=True)


def _emit(payload: object) -> None:
    emit(payload, default=str)


def _date(text: str) -> date:
    from intikhab.law.dates import parse_date

    try:
        return parse_date(text, "polling_date")
    except IntikhabError as e:
        _fail(e)


def _when(text: str, field: str = "when") -> datetime:
    from intikhab.law.dates import parse_instant

    try:
        return parse_instant(text, field)
    except IntikhabError as e:
        _fail(e)


@calendar_app.command("show")
def calendar_show(
    polling_date: Annotated[str, typer.Argument(help="The polling date, YYYY-MM-DD.")],
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    single_member: Annotated[bool, typer.Option(help="A single-member commune.")] = False,
    results_at: Annotated[str | None, typer.Option(help="When results were announced.")] = None,
    ics: Annotated[Path | None, typer.Option(help="Also write an iCalendar file here.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = "ar",
) -> None:
    """Every deadline from the polling date, in Africa/Casablanca time, in date order."""
    from intikhab.law import calendar as cal

    d = _date(polling_date)
    try:
        events = cal.calendar(d, vote, list_vote=not single_member,
                              results_at=_when(results_at, "results_at") if results_at else None)
    except IntikhabError as e:
        _fail(e)
    if ics is not None:
        ics.write_text(cal.to_ics(events, datetime.now(UTC), f"intikhab {d}"), encoding="utf-8",
                       newline="")
    rows = [{"key": e.key, "ar": e.ar, "fr": e.fr, "article": e.article,
             "opens": cal.fmt(e.opens) or None, "closes": cal.fmt(e.closes, end=True),
             "note": e.note} for e in events]
    if fmt == "json":
        _emit(rows)
        return
    from rich.console import Console
    from rich.table import Table

    head = {"ar": ("الأجل", "من", "إلى", "السند"), "fr": ("Échéance", "Du", "Au", "Article")}
    table = Table(*head.get(lang, ("Deadline", "From", "Until", "Article")),
                  title=f"{polling_date} — {vote} (Africa/Casablanca)")
    for r in sorted(rows, key=lambda r: r["opens"] or r["closes"] or ""):
        table.add_row(r["fr" if lang == "fr" else "ar"], r["opens"] or "", r["closes"] or "",
                      r["article"])
    Console(soft_wrap=False, width=160).print(table)


@calendar_app.command("check")
def calendar_check(
    act: Annotated[str, typer.Argument(help="filing, campaign, results_petition…")],
    when: Annotated[str, typer.Argument(help="When the act was done (YYYY-MM-DDTHH:MM).")],
    polling_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    trigger: Annotated[str | None, typer.Option(help="The trigger of a dispute act.")] = None,
    lang: LangOption = "ar",
) -> None:
    """Is this act on time?  Exit 0 if so, 1 with its code otherwise."""
    from intikhab.law import calendar as cal

    try:
        v = cal.on_time(act, _when(when), _date(polling_date) if polling_date else None, vote,
                        trigger=_when(trigger, "trigger") if trigger else None)
    except IntikhabError as e:
        _fail(e, lang)
    finding = v.finding()
    _emit({"act": act, "on_time": v.ok, "opens": cal.fmt(v.event.opens) or None,
           "closes": cal.fmt(v.event.closes, end=True), "article": v.event.article,
           **({"finding": finding.to_dict(lang)} if finding else {})})
    if finding is not None:
        raise typer.Exit(1)


@campaign_app.command("places")
def campaign_places() -> None:
    """The nine places where posters are forbidden (decree 2.15.578 art. 1)."""
    from intikhab.law.campaign import PosterPlace

    _emit([{"id": p.value, "ar": p.ar, "fr": p.fr} for p in PosterPlace])


@campaign_app.command("poster")
def campaign_poster(
    place: Annotated[str | None, typer.Option(help="A forbidden place id, if any.")] = None,
    width: Annotated[int | None, typer.Option(help="Width in mm.")] = None,
    height: Annotated[int | None, typer.Option(help="Height in mm.")] = None,
    colour: Annotated[list[str] | None, typer.Option(help="red, green or other.")] = None,
    lang: LangOption = "ar",
) -> None:
    """Check a poster: place, A0 size, red/green colours.  Exit 1 on any finding."""
    from intikhab.law.campaign import check_poster

    try:
        found = check_poster(place, width, height, colour or [])
    except IntikhabError as e:
        _fail(e, lang)
    _emit([f.to_dict(lang) for f in found])
    if found:
        raise typer.Exit(1)


@finance_app.command("load")
def finance_load(
    source: Annotated[Path, typer.Argument(help="JSON list of accounts with their lines.")],
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    db: DbOption = None,
) -> None:
    """Open campaign accounts from a JSON file (all or nothing)."""
    from intikhab.services import finance

    try:
        docs = safejson.loads(source.read_text(encoding="utf-8"))
        who = authenticate(db, user, password_file)
        with open_session(db, write=True) as s:
            for doc in docs:
                finance.open_account(s, who, doc)
                if doc.get("filed_at"):
                    finance.record_filing(s, who, doc["id"], _when(doc["filed_at"]))
    except (OSError, ValueError) as exc:
        _fail(InputError("E-IO-001", field=str(source), detail=str(exc)))
    except IntikhabError as e:
        _fail(e)
    _emit({"accounts": len(docs)})


@finance_app.command("report")
def finance_report(
    as_of: Annotated[str | None, typer.Option(help="Date of the report (default: now).")] = None,
    results_at: Annotated[str | None, typer.Option(help="When results were announced.")] = None,
    db: DbOption = None,
    lang: LangOption = "ar",
) -> None:
    """Accounts missing, late, unjustified or over the ceiling, with their consequences."""
    from intikhab.services import finance

    now = _when(as_of, "as_of") if as_of else datetime.now(UTC)
    try:
        with open_session(db) as s:
            reports = finance.report(s, now, _when(results_at) if results_at else None)
    except IntikhabError as e:
        _fail(e, lang)
    _emit([r.to_dict(lang) for r in reports])


@dispute_app.command("file")
def dispute_file(
    kind: Annotated[str, typer.Argument(help="candidacy_appeal or results_petition.")],
    constituency: Annotated[str, typer.Argument()],
    filer: Annotated[str, typer.Option(help="Who files (name).")],
    filer_kind: Annotated[str, typer.Option(help="candidate, interested or authority.")],
    trigger: Annotated[str, typer.Option(help="Rejection/notification or minutes' deposit.")],
    filed: Annotated[str, typer.Option(help="When the petition was filed.")],
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    db: DbOption = None,
) -> None:
    """Register a case: court, deadline and admissibility are computed."""
    from intikhab.services import disputes

    try:
        who = authenticate(db, user, password_file)
        with open_session(db, write=True) as s:
            case = disputes.file_case(s, who, kind=kind, constituency=constituency,
                                      filer=filer, filer_kind=filer_kind,
                                      trigger_at=_when(trigger), filed_at=_when(filed))
            view = disputes.case_view(s, case.id)
    except IntikhabError as e:
        _fail(e)
    _emit(view)


@dispute_app.command("rule")
def dispute_rule(
    case: Annotated[str, typer.Argument()],
    outcome: Annotated[str, typer.Argument(help="accepted, rejected, inadmissible, annulled, "
                                                "member_replaced.")],
    at: Annotated[str, typer.Option(help="Date of the ruling.")],
    ground: Annotated[list[str] | None, typer.Option(help="procedure, not_free, ineligible.")]
    = None,
    replaced: Annotated[str | None, typer.Option()] = None,
    replacement: Annotated[str | None, typer.Option()] = None,
    replacement_list: Annotated[str | None, typer.Option()] = None,
    user: UserOption = None,
    password_file: PasswordFileOption = None,
    db: DbOption = None,
) -> None:
    """Record a ruling and apply it to the results (annulment → re-run required)."""
    from intikhab.law import disputes as law
    from intikhab.services import disputes

    try:
        ruling = law.Ruling(law.enum_value(law.Outcome, outcome, "outcome"),
                            law.parse_grounds(ground or []), replaced, replacement,
                            replacement_list)
        who = authenticate(db, user, password_file)
        with open_session(db, write=True) as s:
            disputes.rule(s, who, case, ruling, _when(at))
            view = disputes.case_view(s, case)
    except IntikhabError as e:
        _fail(e)
    _emit(view)


@dispute_app.command("show")
def dispute_show(case: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """A case, its steps and the court's deadlines (overdue ones flagged)."""
    from intikhab.services import disputes

    try:
        with open_session(db) as s:
            _emit(disputes.case_view(s, case, datetime.now(UTC)))
    except IntikhabError as e:
        _fail(e)


@dispute_app.command("list")
def dispute_list(db: DbOption = None) -> None:
    """Every case with its state."""
    from intikhab.services import disputes

    with open_session(db) as s:
        _emit([{"id": c.id, "kind": c.kind, "constituency": c.constituency_id,
                "court": c.court, "state": c.state, "admissible": c.admissible}
               for c in disputes.list_cases(s)])


@offences_app.command("search")
def offences_search(
    text: Annotated[str, typer.Argument(help="Words in Arabic or French, or an article.")] = "",
) -> None:
    """Search the offences catalogue (diacritics-insensitive)."""
    from intikhab.law import offences

    _emit([o.to_dict() for o in offences.search(text)])


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")
    app.add_typer(campaign_app, name="campaign")
    app.add_typer(finance_app, name="finance")
    app.add_typer(dispute_app, name="dispute")
    app.add_typer(offences_app, name="offences")
