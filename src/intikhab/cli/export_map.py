"""``intikhab export map OUT.svg --level region|province --metric party|turnout|progress
[--lang ar|fr]``: the portal's map of the declared results as a picture (SVG, the same drawing
as ``/maps/<level>/<metric>.svg``).  An existing file is replaced only with ``--force``; never
the database in use."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from intikhab.cli.common import DbOption, fail, guard_output, open_session
from intikhab.law.errors import IntikhabError


class Level(StrEnum):
    REGION = "region"
    PROVINCE = "province"


class Metric(StrEnum):
    PARTY = "party"
    TURNOUT = "turnout"
    PROGRESS = "progress"


class Lang(StrEnum):
    AR = "ar"
    FR = "fr"


ForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace an existing output file (never the database in use).")]


def export_map(
    out: Annotated[str, typer.Argument(help="Output .svg file, or - for standard output.")],
    level: Annotated[Level, typer.Option(help="region or province.")] = Level.REGION,
    metric: Annotated[Metric, typer.Option(
        help="party (leading party), turnout, or progress (stations counted).")]
    = Metric.PARTY,
    lang: Annotated[Lang, typer.Option(help="ar or fr: the names on the map.")] = Lang.AR,
    force: ForceOption = False,
    db: DbOption = None,
) -> None:
    """Write a map of the declared results (regional vote) as SVG."""
    guard_output(out, db, force)
    from intikhab.cli.transfer import _write_text
    from intikhab.web.pages.councils import map_svg

    try:
        with open_session(db) as s:
            text = map_svg(s, level.value, metric.value, lang.value)
    except IntikhabError as error:
        fail(error)
    _write_text(out, text)


def add_to(export_app: typer.Typer) -> None:
    """Add ``map`` to the ``export`` command group."""
    export_app.command("map")(export_map)
