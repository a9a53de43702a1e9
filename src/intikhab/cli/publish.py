"""``intikhab publish OUT`` and ``intikhab publish verify OUT``: the public results as a signed
static site, and the check anyone runs on a copy of it (docs/publication.md).

``publish verify`` exits 0 when the signature holds and every file matches the manifest, 1
when the signature fails or a file is changed, missing or extra (each one named), 2 when the
site or the key cannot be read (a coded failure).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from intikhab.cli.common import DbOption, emit, fail
from intikhab.law.errors import InputError, IntikhabError

err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<6}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)


def _publish(out: Path, key: Path | None, db: str | None, base_url: str | None, langs: str,
             pdf: bool, minutes: bool, full: bool, jobs: int) -> None:
    from intikhab.web.publish import DEFAULT_URL, Options, publish

    if key is None:
        fail(InputError("E-AUD-001", field="--key", value="(none given)"))
    chosen = tuple(x for x in langs.split(",") if x)
    if not chosen or any(x not in ("ar", "fr") for x in chosen):
        fail(InputError("E-DOC-003", field="--langs", value=langs, expected="ar, fr"))
    opts = Options(out, key, db, base_url or os.environ.get("INTIKHAB_PUBLIC_URL") or DEFAULT_URL,
                   chosen, pdf, minutes, full, jobs)
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = publish(opts, progress)
        except IntikhabError as error:
            fail(error)
    emit({"out": str(out), "incremental": report.incremental, "touched": report.touched,
          "files": report.files, "written": len(report.written), "removed": len(report.removed),
          "log_size": report.log_size, "seconds": round(report.seconds, 2)})


def _verify(out: Path, key: Path | None) -> None:
    from intikhab.services import publication

    try:
        v = publication.verify(out, key)
    except IntikhabError as error:
        fail(error)
    how = ("quick check: with the public key published beside the site — a careful verifier "
           "passes the key obtained from the commission with --key" if v.quick
           else f"careful check: with the key {key}")
    typer.echo(how)
    for finding in publication.verification_findings(v):
        typer.echo(f"{finding.code} {finding.field or ''}: {finding.message('en')}".replace(
            " :", ":"))
    if not v.ok:
        typer.echo(f"NOT VERIFIED: {out}")
        raise typer.Exit(1)
    typer.echo(f"verified: {v.files} files match the signed manifest of {out}")


def publish(
    words: Annotated[list[str], typer.Argument(
        metavar="OUT | verify OUT", help="The site's folder; `verify OUT` checks a copy.")],
    key: Annotated[Path | None, typer.Option(
        "--key", help="publish: the commission's PRIVATE key (outside OUT); verify: the "
                      "PUBLIC key obtained from the commission (default: the one beside the "
                      "site, a quick check).")] = None,
    db: DbOption = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Where the site is served (QR codes, shared links; default "
                           "$INTIKHAB_PUBLIC_URL).")] = None,
    langs: Annotated[str, typer.Option("--langs", help="Languages of the pages: ar,fr.")]
    = "ar,fr",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf",
                                      help="The allocation records as PDF.")] = True,
    minutes: Annotated[bool, typer.Option(
        "--minutes", help="Also every station's, office's and commission's minute (PDF).")]
    = False,
    full: Annotated[bool, typer.Option(
        "--full", help="Build every file again (default: only what changed).")] = False,
    jobs: Annotated[int, typer.Option(help="PDF processes (0: one per CPU).")] = 0,
) -> None:
    """The public results as a static site signed with the commission's key (pages in Arabic
    and French, JSON and CSV, PDFs, maps, manifest.json); `publish verify OUT` checks one."""
    if len(words) == 2 and words[0] == "verify":
        _verify(Path(words[1]), key)
    elif len(words) == 1:
        _publish(Path(words[0]), key, db, base_url, langs, pdf, minutes, full, jobs)
    else:
        fail(InputError("E-DOC-003", field="OUT", value=" ".join(words),
                        expected="OUT, or verify OUT"))


def register(app: typer.Typer) -> None:
    """Add ``publish`` to ``app``."""
    app.command()(publish)
