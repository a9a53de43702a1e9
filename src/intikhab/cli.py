"""The ``intikhab`` command line.

Every failure on bad input is one line on standard error, ``CODE field: message``, and exit
code 2 — never a traceback.  Codes come from :data:`intikhab.law.errors.CATALOGUE`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from intikhab import __version__
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


def _fail(error: IntikhabError, lang: str = "en") -> NoReturn:
    field = f" {error.field}" if error.field else ""
    print(f"{error.code}{field}: {error.message(lang)}", file=sys.stderr)
    raise typer.Exit(2)


def _emit(payload: object) -> None:
    """Plain JSON on standard output (no terminal styling, so it pipes cleanly)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


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
) -> None:
    """The main job: the guide's worked examples, then a synthetic national election."""
    from intikhab.demo import run_demo

    run_demo(out, lang.value, seed)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    if version:
        out.print(f"intikhab {__version__}")
        raise typer.Exit()


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
