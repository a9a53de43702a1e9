"""``intikhab demo``: the guide's three worked allocations, then a synthetic national election
allocated in one pass, with a progress bar and the national seats by party."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from intikhab.interchange import fraction_str, parse_constituency, parse_rules
from intikhab.law.allocation import ListConstituency, allocate_lists
from intikhab.law.national import Contest, allocate_country
from intikhab.render import t, totals_table
from intikhab.synthetic import national_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GUIDE = ("marrakech-regional", "commune-35", "gueliz")
_CHUNK = 1000


def run_demo(out: Console, lang: str = "ar", seed: int = 2021) -> None:
    out.rule(f"[bold]intikhab — {t('general', lang)}: guide 2021, ch. 10")
    for name in GUIDE:
        path = EXAMPLES / f"{name}.json"
        if not path.exists():
            out.print(f"[yellow]{path} not found: run the demo from the repository[/]")
            break
        doc = json.loads(path.read_text(encoding="utf-8"))
        constituency = parse_constituency(doc)
        assert isinstance(constituency, ListConstituency)
        result = allocate_lists(constituency, parse_rules(doc))
        out.print(f"\n[bold]{doc.get('name', name)}[/]  ({path.name})")
        out.print("  " + "   ".join(f"{g.label}: {g.base}/{g.seats} = {fraction_str(g.quotient)}"
                                    for g in result.groups))
        out.print(totals_table(result, {}, lang, with_elected=False))

    out.rule(f"[bold]synthetic national election (seed {seed})")
    started = time.perf_counter()
    with out.status("building the national data set…"):
        country = national_dataset(seed)
    built = time.perf_counter() - started
    contests: tuple[Contest, ...] = country.contests
    seats: dict[str, dict[str, int]] = {}
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=out) as bar:
        task = bar.add_task("allocating", total=len(contests))
        for i in range(0, len(contests), _CHUNK):
            part = allocate_country(contests[i:i + _CHUNK])
            for level, by_party in part.seats.items():
                acc = seats.setdefault(level, {})
                for party, n in by_party.items():
                    acc[party] = acc.get(party, 0) + n
            for status, n in part.status_counts.items():
                statuses[status] = statuses.get(status, 0) + n
            bar.advance(task, len(contests[i:i + _CHUNK]))
    allocated = time.perf_counter() - started

    names = {p.id: (p.name_ar if lang == "ar" else p.name_fr) for p in country.parties}
    table = Table(title=t("national", lang))
    table.add_column(t("party", lang))
    levels = sorted(seats)
    totals = {lv: sum(seats[lv].values()) for lv in levels}
    for level in levels:
        table.add_column(t(level, lang), justify="right")
        table.add_column("%", justify="right")
    order = sorted(names, key=lambda p: -sum(seats[lv].get(p, 0) for lv in levels))
    for party in order:
        row = [seats[lv].get(party, 0) for lv in levels]
        if any(row):
            cells = [c for lv, n in zip(levels, row, strict=True)
                     for c in (str(n), f"{100 * n / totals[lv]:.1f}" if totals[lv] else "")]
            table.add_row(f"{party} {names[party]}", *cells)
    table.add_row("Σ", *(c for lv in levels for c in (str(totals[lv]), "100")), style="bold")
    out.print(table)
    out.print(f"{len(contests)} contests — statuses {statuses} — data set built in {built:.2f} s, "
              f"allocated in {allocated:.2f} s")
