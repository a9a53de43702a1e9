"""``intikhab bureau elect|vice-presidents``: the election of a council's bureau (president,
vice-presidents, secretary, deputy secretary) and the vice-presidents' table.

Failures are one line ``CODE field: message`` on standard error and exit code 2, as
``intikhab allocate`` does; results are a table (ar, fr, en) or JSON.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from intikhab.cli.common import emit, fail, read_json
from intikhab.formats.bureau_json import decide, outcome_to_json, parse_bureau
from intikhab.formats.words import LANGS, word
from intikhab.law.allocation import Lots
from intikhab.law.bureau import CouncilKind, OfficeOutcome, vice_president_count
from intikhab.law.errors import InputError, IntikhabError

bureau_app = typer.Typer(help="Council bureaus: president, vice-presidents, secretary "
                              "(organic laws 111.14, 112.14, 113.14).", no_args_is_help=True)



def _t(key: str, lang: str) -> str:
    """A word of the bureau's tables from the one catalogue (``formats.words``)."""
    return word(f"bureau.{key}", lang if lang in LANGS else "ar")




def render_outcome(o: OfficeOutcome, lang: str = "ar") -> RenderableType:
    """The outcome as the session's minutes would read it: status, candidacies, rounds, ties."""
    style = {"elected": "bold green", "next_round": "bold", "lot_required": "bold yellow"}
    head = Text(f"{_t(o.office.value, lang)} — {_t(o.status.value, lang)}",
                style[o.status.value])
    if o.elected is not None:
        head.append(f": {o.elected}")
    if o.next_round is not None:
        head.append(f": {_t('round', lang)} {o.next_round.round} — "
                    f"{_t('candidates', lang)}: {', '.join(o.next_round.candidates) or '—'}")
    parts: list[RenderableType] = [head, Text(
        f"{_t('vps', lang)}: {o.vice_presidents}\n{_t('eligible', lang)}: "
        f"{', '.join(o.eligible) or '—'}")]
    if o.rejected:
        parts.append(Text(f"{_t('rejected', lang)}: "
                          + ", ".join(f"{r.id} ({r.code})" for r in o.rejected), "red"))
    if o.rounds:
        table = Table()
        for col in ("round", "rule", "needed", "outcome"):
            table.add_column(_t(col, lang))
        for r in o.rounds:
            table.add_row(str(r.round), _t(r.rule.value, lang),
                          "—" if r.needed is None else str(r.needed), _t(r.outcome.value, lang))
        parts.append(table)
    for tie in o.ties:
        how = _t("pending" if tie.resolved_by is None else tie.resolved_by.value, lang)
        won = f" → {tie.winner}" if tie.winner else ""
        parts.append(Text(f"{_t('ties', lang)}: {tie.key}: {' / '.join(tie.contenders)}"
                          f"{won} ({how})", "yellow" if tie.resolved_by is None else ""))
    return Group(*parts)


@bureau_app.command("elect")
def bureau_elect(
    file: Annotated[str, typer.Argument(help="Input JSON file, or - for standard input.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="ar, fr or en.")] = "ar",
    seed: Annotated[str | None, typer.Option(
        help="Public seed for any lot (overrides the file's lot_seed).")] = None,
) -> None:
    """Who may stand, and who is elected, round by round, for one office of the bureau."""
    try:
        if fmt not in ("table", "json"):
            raise InputError("E-BUR-004", field="--format", value=fmt, expected="table | json")
        if lang not in LANGS:
            raise InputError("E-BUR-004", field="--lang", value=lang, expected="ar | fr | en")
        req = parse_bureau(read_json(file, "E-BUR-001"))
        if seed is not None:
            req = replace(req, lots=Lots(req.lots.outcomes, seed))
        outcome = decide(req)
    except IntikhabError as error:
        fail(error, lang if lang in LANGS else "en")
    if fmt == "json":
        emit(outcome_to_json(outcome))
        return
    Console(soft_wrap=False).print(render_outcome(outcome, lang))


@bureau_app.command("vice-presidents")
def bureau_vice_presidents(
    kind: Annotated[str, typer.Argument(help="region, prefecture or commune.")],
    size: Annotated[int, typer.Argument(help="Members of the council.")],
) -> None:
    """How many vice-presidents a council of this kind and size has."""
    try:
        if kind not in {k.value for k in CouncilKind}:
            raise InputError("E-BUR-004", field="kind", value=kind,
                             expected="region | prefecture | commune")
        count = vice_president_count(CouncilKind(kind), size)
    except IntikhabError as error:
        fail(error)
    emit({"kind": kind, "size": size, "vice_presidents": count})


def register(app: typer.Typer) -> None:
    app.add_typer(bureau_app, name="bureau")
