"""``intikhab help [--lang ar|fr|en]``: every command with its one-line help in the chosen
language (Typer's own ``--help`` is in English; the Arabic and French lines live in
:mod:`intikhab.cli.help_words`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from intikhab.cli.common import Lang
from intikhab.cli.help_words import HELP


def command_paths(app: typer.Typer) -> list[tuple[str, str]]:
    """(path, English one-line help) of every command and group of ``app``, in order."""
    def walk(cmd: Any, prefix: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name, sub in getattr(cmd, "commands", {}).items():
            out.append((prefix + name, (sub.help or "").strip().split("\n")[0]))
            out += walk(sub, prefix + name + " ")
        return out

    return walk(typer.main.get_command(app), "")


def register(app: typer.Typer) -> None:
    """Add ``help`` to ``app``."""

    @app.command("help")
    def help_cmd(lang: Annotated[Lang, typer.Option(help="ar, fr or en.")] = Lang.AR) -> None:
        """Every command with its help in Arabic, French or English."""
        rtl = lang is Lang.AR
        table = Table(title={"ar": "أوامر intikhab", "fr": "Commandes d'intikhab",
                             "en": "intikhab commands"}[lang.value])
        table.add_column({"ar": "الأمر", "fr": "Commande", "en": "Command"}[lang.value])
        table.add_column({"ar": "الوصف", "fr": "Description", "en": "Description"}[lang.value],
                         justify="right" if rtl else "left")
        for path, english in command_paths(app):
            words = HELP.get(path)
            text = english if lang is Lang.EN or words is None else words[0 if rtl else 1]
            table.add_row(f"intikhab {path}", text)
        Console(soft_wrap=False).print(table)
