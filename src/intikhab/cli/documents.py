"""``intikhab documents minute|office|constituency|bureau|region``: the official documents as
PDF, in Arabic or French (guide ch. 8 and ch. 10; the bureau-election session record of laws
111.14, 112.14, 113.14; docs/documents.md).

Failures are one line ``CODE field: message`` on standard error and exit code 2; a file that
exists is never replaced without ``--force`` (``E-DOC-002``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from intikhab.cli.common import DbOption, emit, guard_output, open_session
from intikhab.cli.common import fail as _fail
from intikhab.law.errors import InputError, IntikhabError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from intikhab.services.documents import Document

documents_app = typer.Typer(help="Official documents as PDF: minutes, allocation records and "
                                 "bureau-session records.",
                            no_args_is_help=True)

LangOpt = Annotated[str, typer.Option("--lang", help="ar (right to left) or fr.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace existing files.")]
UrlOpt = Annotated[str | None, typer.Option(
    "--base-url", help="Public site the QR codes point to (default: $INTIKHAB_PUBLIC_URL).")]
KINDS = ("commission", "allocation")


def _base(url: str | None) -> str:
    from intikhab.services.documents import DEFAULT_URL

    return url or os.environ.get("INTIKHAB_PUBLIC_URL") or DEFAULT_URL


def _lang(lang: str) -> str:
    if lang not in ("ar", "fr"):
        _fail(InputError("E-DOC-003", field="--lang", value=lang, expected="ar, fr"))
    return lang


def _one(db: str | None, build: Callable[[Session], Document], out: Path, lang: str,
         force: bool) -> None:
    """One document: built in a read session, rendered in ``lang``, written to ``out`` (never
    over an existing file without ``--force``, never onto the database), then where and its
    digest printed."""
    from intikhab.formats.documents import render

    try:
        with open_session(db) as s:
            doc = build(s)
    except IntikhabError as error:
        _fail(error)
    data = render(doc, _lang(lang))
    guard_output(out, db, force, "--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    emit({"written": str(out), "digest": doc.seal.digest})


@documents_app.command("minute")
def minute(
    station: Annotated[str, typer.Argument(help="The polling station's id.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    lang: LangOpt = "ar", force: ForceOpt = False, base_url: UrlOpt = None, db: DbOption = None,
) -> None:
    """A polling station's accepted minute (art. 21, 23 of law 59.11)."""
    from intikhab.services import documents

    url = _base(base_url)
    _one(db, lambda s: documents.station_minute(s, station, vote, url), out, lang, force)


@documents_app.command("office")
def office(
    office_id: Annotated[str, typer.Argument(metavar="OFFICE", help="The central office's id.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    vote: Annotated[str, typer.Option(help="communal or regional.")] = "communal",
    lang: LangOpt = "ar", force: ForceOpt = False, base_url: UrlOpt = None, db: DbOption = None,
) -> None:
    """A central office's minute: its stations' accepted minutes summed (art. 23)."""
    from intikhab.services import documents

    url = _base(base_url)
    _one(db, lambda s: documents.office_minute(s, office_id, vote, url), out, lang, force)


@documents_app.command("constituency")
def constituency(
    code: Annotated[str, typer.Argument(help="The constituency's id.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    kind: Annotated[str, typer.Option(help="commission (minute) or allocation (record).")]
    = "commission",
    lang: LangOpt = "ar", force: ForceOpt = False, base_url: UrlOpt = None, db: DbOption = None,
) -> None:
    """The census commission's minute, or its allocation record and proclamation."""
    from intikhab.services import documents

    if kind not in KINDS:
        _fail(InputError("E-DOC-003", field="--kind", value=kind, expected=", ".join(KINDS)))
    build = (documents.commission_minute if kind == "commission"
             else documents.allocation_record)
    url = _base(base_url)
    _one(db, lambda s: build(s, code, url), out, lang, force)


@documents_app.command("bureau")
def bureau(
    council: Annotated[str, typer.Argument(help="The council's id: a region, a prefecture or "
                                                "province, or a commune.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    lang: LangOpt = "ar", force: ForceOpt = False, base_url: UrlOpt = None, db: DbOption = None,
) -> None:
    """The record of a council's bureau-election session: president, vice-presidents,
    secretary and deputy (laws 111.14, 112.14, 113.14)."""
    from intikhab.services import documents

    url = _base(base_url)
    _one(db, lambda s: documents.bureau_record(s, council, url), out, lang, force)


@documents_app.command("region")
def region(
    region_id: Annotated[str, typer.Argument(metavar="REGION", help="The region's id.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write into.")],
    lang: Annotated[list[str] | None, typer.Option(
        "--lang", help="ar and/or fr (repeatable; default ar).")] = None,
    jobs: Annotated[int, typer.Option(help="Processes rendering in parallel.")] = 0,
    force: ForceOpt = False, base_url: UrlOpt = None, db: DbOption = None,
) -> None:
    """Every document of a region: stations' and central offices' minutes (both votes),
    commission minutes and allocation records, its councils' bureau-session records, as
    OUT/<lang>/…pdf."""
    from intikhab.formats.documents.batch import write_all
    from intikhab.services import documents

    langs = [_lang(x) for x in (lang or ["ar"])]
    started = time.perf_counter()

    def check(files: list[Path]) -> None:
        for target in files:  # never onto the database in use (E-IO-002), never over a file
            guard_output(target, db, force, "--out")

    try:  # the workers render while the region is read
        with open_session(db) as s:
            docs = documents.region_documents(s, region_id, _base(base_url))
            written = write_all(docs, langs, out, jobs or (os.cpu_count() or 1), check=check)
    except IntikhabError as error:
        _fail(error)
    emit({"region": region_id, "documents": written, "languages": langs,
          "total_s": round(time.perf_counter() - started, 2)})


def register(app: typer.Typer) -> None:
    app.add_typer(documents_app, name="documents")
