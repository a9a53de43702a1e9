"""The terminal's tables in the reader's language: ``status``, ``results`` and ``council``
print a Rich table (words from ``formats.words``, figures grouped per language) unless
``--format json`` asks for the JSON document the scripts read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer

from intikhab.cli.common import Format, Lang, emit
from intikhab.formats.words import word

FormatOption = Annotated[Format, typer.Option(
    "--format", help="table (in --lang) or json (for scripts).")]
LangOption = Annotated[Lang, typer.Option(help="ar, fr or en.")]


def figure(value: object, lang: Lang) -> str:
    """An integer grouped as the language writes it (``1,078`` / ``1 078``); else as is."""
    if isinstance(value, int) and not isinstance(value, bool):
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale="fr" if lang is Lang.FR else "en"))
    return str(value)


def show(payload: object, fmt: Format, lang: Lang, title: str,
         headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """``payload`` as JSON (``--format json``), else a table of ``rows`` under ``headers``
    (words of the catalogue) titled ``title``; wide cells wrap, never truncated."""
    if fmt is Format.JSON:
        emit(payload)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for h in headers:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*(figure(v, lang) for v in row))
    Console(width=max(100, Console().width)).print(table)


def w(key: str, lang: Lang) -> str:
    return word(key, lang.value)
