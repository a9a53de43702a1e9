"""The command line's help in Arabic and French: every command has its two lines, and
``intikhab help --lang`` prints them."""

from __future__ import annotations

from typer.testing import CliRunner

from intikhab.cli.help import command_paths
from intikhab.cli.help_words import HELP
from intikhab.cli.main import app

runner = CliRunner()


def test_every_command_has_its_arabic_and_french_help() -> None:
    paths = [p for p, _ in command_paths(app)]
    assert len(paths) >= 80
    missing = [p for p in paths if p not in HELP]
    assert missing == []
    assert all(ar and fr and ar != fr for ar, fr in HELP.values())
    assert set(HELP) <= set(paths)  # no line for a command that is gone


def test_help_prints_the_chosen_language() -> None:
    fr = runner.invoke(app, ["help", "--lang", "fr"], env={"COLUMNS": "200"})
    assert fr.exit_code == 0, fr.output
    assert "Répartir les sièges" in fr.output and "intikhab commission declare" in fr.output
    ar = runner.invoke(app, ["help"], env={"COLUMNS": "200"})
    assert ar.exit_code == 0 and "توزيع مقاعد دائرة واحدة" in ar.output
    en = runner.invoke(app, ["help", "--lang", "en"], env={"COLUMNS": "200"})
    assert "Allocate the seats of one constituency" in en.output
