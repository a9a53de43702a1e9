"""``intikhab bureau show COUNCIL`` (who governs a council, as its bureau session recorded) and
``intikhab councils indirect`` (the prefecture and province councils elected by their colleges,
art. 102 of law 59.11 as amended).  Failures: one line ``CODE field: message``, exit code 2.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from intikhab.cli.common import DbOption, emit, fail, open_session
from intikhab.law.errors import InputError

councils_app = typer.Typer(help="Councils after the vote: the indirect prefecture and "
                                "province councils (art. 102 of law 59.11).",
                           no_args_is_help=True)

_LABELS = {"president": ("الرئيس", "Président"), "vice_presidents": ("نواب الرئيس",
           "Vice-présidents"), "secretary": ("كاتب المجلس", "Secrétaire"),
           "deputy_secretary": ("نائب كاتب المجلس", "Secrétaire adjoint")}


def _seat(s: Any) -> dict[str, Any] | None:
    return None if s is None else {"id": s.id, "name": s.name, "party": s.party}


def bureau_show(
    council: Annotated[str, typer.Argument(help="Region, prefecture/province or commune id.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="json or table.")] = "table",
    lang: Annotated[str, typer.Option("--lang", help="ar or fr.")] = "ar",
) -> None:
    """Who governs a council: president and party, vice-presidents, secretary and deputy."""
    from intikhab.services import bureaus

    if fmt not in ("table", "json"):
        fail(InputError("E-BUR-004", field="--format", value=fmt, expected="table | json"))
    with open_session(db) as s:
        b = bureaus.bureau_of(s, council)
    if b is None:
        fail(InputError("E-COUNCIL-003", field="council", value=council))
    doc: dict[str, Any] = {"council": b.council, "kind": b.kind, "held_on": b.held_on.isoformat(),
           "status": b.status, "president": _seat(b.president),
           "vice_presidents": [_seat(v) for v in b.vice_presidents],
           "secretary": _seat(b.secretary), "deputy_secretary": _seat(b.deputy_secretary)}
    if fmt == "json":
        emit(doc)
        return
    i = 0 if lang == "ar" else 1
    table = Table(title=f"{b.council} ({b.kind}, {b.held_on.isoformat()}, {b.status})")
    for col in ("", "", ""):
        table.add_column(col)
    for office in ("president", "vice_presidents", "secretary", "deputy_secretary"):
        people = doc[office] if office == "vice_presidents" else [doc[office]]
        for n, p in enumerate(x for x in people if x):
            table.add_row(_LABELS[office][i] if n == 0 else "", p["name"], p["party"] or "—")
    Console(soft_wrap=False).print(table)


@councils_app.command("indirect")
def councils_indirect(
    db: DbOption = None,
    prefecture: Annotated[str | None, typer.Argument(
        help="A prefecture or province id; none = all, nationally.")] = None,
) -> None:
    """The prefecture and province councils as declared: seats per party out of the council's
    size, the college (its communal councillors) and those who voted."""
    from intikhab.formats.results_json import council_json
    from intikhab.services import indirect

    with open_session(db) as s:
        r = (indirect.national_prefecture_result(s) if prefecture is None
             else indirect.prefecture_result(s, prefecture))
    emit(council_json(r, with_elected=prefecture is not None))


def register(app: typer.Typer) -> None:
    """Add ``bureau show`` (to the ``bureau`` group) and the ``councils`` group."""
    from intikhab.cli.bureau import bureau_app

    bureau_app.command("show")(bureau_show)
    app.add_typer(councils_app, name="councils")
