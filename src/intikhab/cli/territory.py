"""``intikhab territory show|summary|search``: the real territory (HCP codes, names, census
population) and the size of each council under organic law 59.11 as amended.

Failures are one line ``CODE field: message`` on standard error and exit code 2; ``--format
json`` prints plain JSON on standard output.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from intikhab.cli.common import emit
from intikhab.cli.common import fail as _fail
from intikhab.law.errors import IntikhabError

territory_app = typer.Typer(
    help="The real territory and its councils (HCP census; arts. 74-77, 102-103, 127-130).",
    no_args_is_help=True)

CensusOption = Annotated[int, typer.Option(
    "--census", help="2014 (the 2021 elections) or 2024 (the next ones).")]
FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]
RulesOption = Annotated[int, typer.Option(
    "--rules", help="Communal rules year: 2021 (law 06.21) or 2015 (law 34.15).")]


def _table(title: str, rows: list[tuple[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, "" if value is None else str(value))
    Console().print(table)


@territory_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="HCP code, e.g. 06.141.01.0 (Casablanca).")],
    census: CensusOption = 2014,
    rules: RulesOption = 2021,
    fmt: FormatOption = "table",
) -> None:
    """A unit: names, kind, population, parent codes, and its council's size, women's seats and
    mode of election."""
    from intikhab.services import territory

    try:
        info = territory.describe(territory.load(census), code, rules)
    except (IntikhabError, ValueError) as e:
        _fail(e if isinstance(e, IntikhabError) else _rules_error(rules))
    if fmt == "json":
        emit(info)
        return
    council = info.pop("council", None)
    rows = list(info.items())
    if council is not None:
        parts = council.pop("constituencies")
        rows += [(f"council.{k}", v) for k, v in council.items()]
        rows += [(f"  {p['code']} {p['name_fr']}",
                  f"{p['seats']} seats ({p['women_seats']} women) — pop. {p['population']:,}")
                 for p in parts]
    _table(f"{info['code']} {info['name_fr']} — {info['name_ar']}", rows)


@territory_app.command("summary")
def summary(census: CensusOption = 2014, rules: RulesOption = 2021,
            fmt: FormatOption = "json") -> None:
    """Counts by kind (regions, prefectures/provinces, communes, arrondissements) and the
    council seats by level."""
    from intikhab.services import territory

    try:
        info = territory.summary(territory.load(census), rules)
    except (IntikhabError, ValueError) as e:
        _fail(e if isinstance(e, IntikhabError) else _rules_error(rules))
    if fmt == "json":
        emit(info)
        return
    seats = info.pop("seats")
    _table(f"Territory, census {census}",
           list(info.items()) + [(f"seats.{k}", v) for k, v in seats.items()])


@territory_app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="Part of an Arabic or French name.")],
    census: CensusOption = 2014,
    fmt: FormatOption = "table",
) -> None:
    """Units whose Arabic or French name contains NAME (case, accents and harakat ignored)."""
    from intikhab.law.territory import level_of
    from intikhab.services import territory

    try:
        units = territory.search(name, census)
    except IntikhabError as e:
        _fail(e)
    rows = [{"code": u.code, "name_ar": u.name_ar, "name_fr": u.name_fr,
             "kind": level_of(u).value} for u in units]
    if fmt == "json":
        emit(rows)
        return
    _table(f"« {name} »", [(r["code"], f"{r['name_fr']} — {r['name_ar']} ({r['kind']})")
                           for r in rows])


def _rules_error(rules: int) -> IntikhabError:
    from intikhab.law.errors import InputError

    return InputError("E-ALLOC-002", field="rules", value=rules, known="2015, 2021")


def register(app: typer.Typer) -> None:
    app.add_typer(territory_app, name="territory")
