"""The pure commands: ``intikhab allocate``, ``rules``, ``council``, ``schema`` and ``errors``.

They read a file or their arguments and print; none opens a database, so none imports
SQLAlchemy.  Failures are one line ``CODE field: message`` and exit code 2.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from intikhab.cli.common import Format, Lang, emit, fail, read_json
from intikhab.cli.render import (
    comparison_totals,
    render_comparison,
    render_district_result,
    render_list_result,
    t,
)
from intikhab.cli.tables import FormatOption, LangOption, show, w
from intikhab.formats.allocation_json import (
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
)
from intikhab.law.errors import CATALOGUE, InputError, IntikhabError
from intikhab.law.national import allocate_any
from intikhab.law.rulesets import RULE_SETS

out = Console(soft_wrap=False)





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
        doc = read_json(file, "E-ALLOC-001")
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
        fail(error, lang.value)
    if fmt is Format.JSON:
        _emit_allocation(result, other, constituency, lots)
        return
    names = {}
    if isinstance(constituency, ListConstituency):
        names = {lst.id: lst.name for lst in constituency.lists}
    if isinstance(result, DistrictResult):
        out.print(render_district_result(result, lang.value))
    else:
        out.print(render_list_result(result, names, lang.value))
    if other is not None:
        out.print(render_comparison(result, other, names, lang.value))


def _emit_allocation(result: ListResult | DistrictResult,
                     other: ListResult | DistrictResult | None,
                     constituency: ListConstituency | District, lots: Lots) -> None:
    """The allocation JSON, and with ``--compare`` both results and their seat difference."""
    payload: dict[str, Any] = result_to_json(result, constituency, lots)
    if other is not None:
        ta, tb = comparison_totals(result), comparison_totals(other)
        payload = {"result": payload,
                   "compare": result_to_json(other, constituency, lots),
                   "difference": {k: tb.get(k, 0) - ta.get(k, 0)
                                  for k in dict.fromkeys([*ta, *tb])}}
    emit(payload)


def list_rules(lang: Annotated[Lang, typer.Option()] = Lang.AR) -> None:
    """List the rule sets, their parameters and their sources."""
    from rich.table import Table

    table = Table(title=t("rules", lang.value))
    for col in ("name", "title", "quotient base", "threshold", "age tie", "sources"):
        # the name is what one types (--rules NAME): never cut, never folded
        table.add_column(col, no_wrap=col == "name", overflow="fold", min_width=len(col))
    for r in RULE_SETS.values():
        title = r.title_ar if lang is Lang.AR else r.title_fr
        table.add_row(r.name, title, r.quotient_base.value,
                      "—" if r.threshold is None else f"{r.threshold * 100} %",
                      r.tie_age.value, "\n".join(r.sources))
    out.print(table)


_COUNCIL_WORDS = {"members": "seats_to_fill", "general_seats": "general",
                  "women_seats": "women", "total": "total"}


class Kind(StrEnum):
    REGION = "region"
    COMMUNE = "commune"
    DIVIDED = "divided"
    PREFECTURE = "prefecture"


def council(
    kind: Annotated[Kind, typer.Argument(help="region, commune, divided or prefecture.")],
    population: Annotated[int, typer.Argument(help="Legal population.")],
    year: Annotated[int, typer.Option(help="Rules year for communes (2021 or 2015).")] = 2021,
    communal_councillors: Annotated[int | None, typer.Option(
        help="Prefecture/province: members of its communal councils (half cap).")] = None,
    lang: LangOption = Lang.AR,
    fmt: FormatOption = Format.TABLE,
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
        fail(error, lang.value)
    payload = {"kind": kind.value, "population": population, **info}
    show(payload, fmt, lang, f"{kind.value} — {population}", [w("field", lang), "="],
         [(w(_COUNCIL_WORDS[k], lang) if k in _COUNCIL_WORDS else k, v)
          for k, v in payload.items()])


def schema() -> None:
    """Print the JSON Schema of the allocation input."""
    emit(INPUT_SCHEMA)


def errors(lang: Annotated[Lang, typer.Option()] = Lang.AR) -> None:
    """Print the catalogue of error codes."""
    for check in CATALOGUE.values():
        out.print(f"{check.code}  [{check.level.value}]  {getattr(check, lang.value)}",
                  markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``allocate``, ``rules``, ``council``, ``schema`` and ``errors`` to ``app``."""
    app.command()(allocate)
    app.command("rules")(list_rules)
    app.command()(council)
    app.command()(schema)
    app.command()(errors)
