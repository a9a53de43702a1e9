"""``intikhab demo`` — the main job: the guide's three worked allocations, then a whole
synthetic national election night on SQLite: the data set built into the database, every
minute entered twice by two clerks, the differences resolved by a coordinator, every
constituency aggregated, allocated and declared, the audit chain verified, and the national
result printed."""

from __future__ import annotations

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

from intikhab.cli.common import open_session
from intikhab.cli.render import t, totals_table
from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.formats import safejson
from intikhab.formats.allocation_json import fraction_str, parse_constituency, parse_rules
from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.law.allocation import ListConstituency, allocate_lists
from intikhab.services import results
from intikhab.store import audit
from intikhab.store.db import make_engine

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
GUIDE = ("marrakech-regional", "commune-35", "gueliz")
DEMO_DB = "demo.sqlite"
STAGES = {"entry": "double entry of the minutes", "resolve": "coordinator resolves conflicts",
          "allocate": "aggregate, allocate, declare"}


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


def run_demo(out: Console, lang: str = "ar", seed: int = 2021, db: str | None = None,
             scale: float = 1.0) -> None:
    guide_examples(out, lang)
    url = db or f"sqlite:///{DEMO_DB}"
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    out.rule(f"[bold]national election night (synthetic, seed {seed}) → {url}")
    started = time.perf_counter()
    with out.status("building the national data set with its polling stations…"):
        election = national_election(seed, scale)
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

        report = run_night(engine, election, seed=f"intikhab-demo-{seed}", progress=progress)
    engine.dispose()
    with open_session(url) as s:
        verdict = audit.verify(s)
        national = {v: results.national_result(s, v) for v in ("communal", "regional")}
        status = results.progress(s)
    out.print(national_table(national, lang))
    counts: dict[str, int] = {}
    for p in status.values():
        counts[p.value] = counts.get(p.value, 0) + 1
    total = time.perf_counter() - started
    out.print(f"minutes: {report.outcomes} — conflicts resolved: {report.resolved} — "
              f"warnings accepted: {report.warnings_accepted}")
    out.print(f"constituencies: {counts} — results declared: {report.declared}")
    out.print(f"audit chain: {'verified' if verdict.ok else 'BROKEN'}, "
              f"{verdict.records:,} records")
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
