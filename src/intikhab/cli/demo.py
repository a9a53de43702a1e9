"""``intikhab demo`` — the main job: the guide's three worked allocations, then a whole
national election night on SQLite, on the real territory (the census's communes and councils)
with synthetic voters, parties and votes: the data set built into the database, every
minute entered twice by two clerks, the differences resolved by a coordinator, every
constituency aggregated, allocated and declared, the audit chain verified, and the national
result printed."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.exc import DBAPIError

from intikhab.cli.common import database_failure, fail, open_session
from intikhab.cli.render import t, totals_table
from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.demo.users import DEMO_USERS
from intikhab.formats import safejson
from intikhab.formats.allocation_json import fraction_str, parse_constituency, parse_rules
from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.law.allocation import ListConstituency, allocate_lists
from intikhab.law.errors import InputError
from intikhab.services import council_results, integrity, keys, results
from intikhab.services.users import ensure_demo_accounts
from intikhab.store.db import database_url, make_engine

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
GUIDE = ("marrakech-regional", "commune-35", "gueliz")
STAGES = {"entry": "double entry of the minutes", "resolve": "coordinator resolves conflicts",
          "allocate": "aggregate, allocate, declare",
          "councils": "prefecture councils and bureaus"}


def guide_examples(out: Console, lang: str) -> None:
    out.rule(f"[bold]intikhab — guide 2021, ch. 10 ({t('general', lang)})")
    for name in GUIDE:
        path = EXAMPLES / f"{name}.json"
        if not path.exists():
            out.print(f"[yellow]{path} not found: run the demo from the repository[/]")
            return
        doc = safejson.loads(path.read_text(encoding="utf-8"))
        constituency = parse_constituency(doc)
        assert isinstance(constituency, ListConstituency)
        result = allocate_lists(constituency, parse_rules(doc))
        out.print(f"\n[bold]{doc.get('name', name)}[/]  ({path.name})")
        out.print("  " + "   ".join(f"{g.label}: {g.base}/{g.seats} = {fraction_str(g.quotient)}"
                                    for g in result.groups))
        out.print(totals_table(result, {}, lang, with_elected=False))


DEMO_ELECTION = "synthetic-"
"""The demo's elections are ``synthetic-<seed>`` (``demo.night.bundle_from``)."""


def check_options(scale: float, census: int = 2014) -> None:
    """The demo's options, checked before anything is touched."""
    if not 0 < scale <= 1:
        fail(InputError("E-ALLOC-003", field="--scale", expected="a share in (0, 1]"))
    if census not in (2014, 2024):
        fail(InputError("E-TERR-004", field="--census", value=census, known="2014, 2024"))


def prepare_target(url: str) -> None:
    """Make room for the demo at ``url`` — only ever by replacing a demo: a database holding
    another election (or a file that is not an intikhab database) is refused (``E-DB-006``,
    ``E-DB-003``) and left untouched."""
    from sqlalchemy import select

    from intikhab.store.db import is_ready
    from intikhab.store.models import Election

    engine = make_engine(url)
    sqlite_path = (Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///")
                   else None)
    try:
        if sqlite_path is not None and not sqlite_path.exists():
            return
        if not is_ready(engine):
            if sqlite_path is None:
                return  # a server database not set up yet: the night migrates it
            fail(InputError("E-DB-006", field=url, value="?"))
        with engine.connect() as conn:
            held = conn.execute(select(Election.id)).scalar()
    except DBAPIError as exc:
        fail(database_failure(url, exc))
    finally:
        engine.dispose()
    if held is not None and not str(held).startswith(DEMO_ELECTION):
        fail(InputError("E-DB-006", field=url, value=held))
    if held is not None and sqlite_path is None:
        fail(InputError("E-DB-006", field=url, value=held))  # a server demo is not dropped
    if sqlite_path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)


def demo_keys(url: str) -> tuple[bytes, bytes]:
    """The demo commission's key pair, created once in ``demo-keys/`` beside the database (a
    SQLite file) or the working directory — outside the database, as a real commission's."""
    base = (Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///")
            else Path.cwd()) / "demo-keys"
    private, public = base / keys.PRIVATE_NAME, base / keys.PUBLIC_NAME
    if not private.exists():
        keys.create_key_pair(base)
    return keys.load_signing_key(private), keys.load_public_key(public)


def run_demo(out: Console, lang: str = "ar", seed: int = 2021, db: str | None = None,
             scale: float = 1.0, census: int = 2014) -> None:
    """The demo on ``db`` (default: the one database of every command,
    ``store.db.database_url``): options checked and the target made room for first."""
    check_options(scale, census)
    url = database_url(db)
    prepare_target(url)
    guide_examples(out, lang)
    out.rule(f"[bold]national election night (real territory, census {census}; synthetic "
             f"votes, seed {seed}) → {url}")
    started = time.perf_counter()
    with out.status("building the national data set with its polling stations…"):
        election = national_election(seed, scale, census)
    # The election's millions of frozen objects live until the end: keep the cyclic garbage
    # collector from scanning them again and again during the night (a fifth of its CPU time).
    gc.collect()
    gc.freeze()
    counts = election.country.counts()
    out.print(f"{counts['regions']} regions, {counts['regional_constituencies']} regional "
              f"constituencies, {counts['communes']:,} communes "
              f"({counts['arrondissements']} arrondissements), {counts['contests']:,} contests")
    out.print(f"{len(election.stations):,} polling stations, "
              f"{len(election.central_offices):,} central offices, "
              f"{sum(s.registered for s in election.stations):,} registered voters, "
              f"{len(election.counts):,} minutes — built in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    with Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=out) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        private, public = demo_keys(url)
        report = run_night(engine, election, seed=f"intikhab-demo-{seed}", progress=progress,
                           signing_key=private)
    engine.dispose()
    with open_session(url, write=True) as s:  # the demo accounts' passwords (docs/api.md)
        ensure_demo_accounts(s, DEMO_USERS)
    with open_session(url) as s:
        started_verify = time.perf_counter()
        verdict = integrity.verify(s, public)
        verify_s = time.perf_counter() - started_verify
        national = {v: council_results.national_result(s, v) for v in ("communal", "regional")}
        status = results.progress(s)
    out.print(national_table(national, lang))
    counts = {}
    for p in status.values():
        counts[p.value] = counts.get(p.value, 0) + 1
    total = time.perf_counter() - started
    out.print(f"minutes: {report.outcomes} — conflicts resolved: {report.resolved} — "
              f"warnings accepted: {report.warnings_accepted}")
    out.print(f"constituencies: {counts} — results declared: {report.declared}")
    c = report.councils
    out.print(f"councils: {c.councils} — prefecture/province councils elected: "
              f"{c.prefecture_councils} — bureaus formed: {c.bureaus_formed}"
              f" (pending: {c.bureaus_pending})")
    out.print(f"audit log: {'verified' if verdict.ok else 'NOT VERIFIED'} (chain, every row "
              f"against it, {verdict.checkpoints} signed checkpoint(s)), "
              f"{verdict.chain.records:,} records in {verify_s:.1f} s")
    out.print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
              + f" — whole night {total:.1f} s")


def national_table(national: dict[str, CouncilResult], lang: str) -> Table:
    table = Table(title=t("national", lang))
    table.add_column(t("party", lang))
    votes = list(national)
    for v in votes:
        table.add_column(t(v, lang), justify="right")
        table.add_column("%", justify="right")
        table.add_column(t("votes", lang), justify="right")
    rows: dict[str, dict[str, PartyLine]] = {}
    for v, r in national.items():
        for party_line in r.parties:
            rows.setdefault(party_line.party, {})[v] = party_line

    def key(p: str) -> int:
        return -sum(x.seats for x in rows[p].values())

    for party in sorted(rows, key=key):
        first = next(iter(rows[party].values()))
        name = first.name_ar if lang == "ar" else first.name_fr
        cells: list[str] = []
        for v in votes:
            line = rows[party].get(v)
            seats = line.seats if line else 0
            total = sum(x.seats for x in national[v].parties) or 1
            cells += [str(seats), f"{100 * seats / total:.1f}", f"{line.votes if line else 0:,}"]
        if any(c not in ("0", "0.0") for c in cells[::3]):
            table.add_row(f"{party} {name}", *cells)
    sums = [c for v in votes for c in (str(sum(x.seats for x in national[v].parties)), "100",
                                       f"{sum(x.votes for x in national[v].parties):,}")]
    table.add_row("Σ", *sums, style="bold")
    return table
