"""``intikhab demo`` and ``intikhab serve``: the set-up commands that build the demo database
(and migrate it) and serve the web application and the REST API on it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from intikhab import __version__
from intikhab.cli.common import Lang, fail, open_session
from intikhab.law.errors import IntikhabError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

out = Console(soft_wrap=False)


def demo(
    lang: Annotated[Lang, typer.Option()] = Lang.AR,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic national data set.")] = 2021,
    db: Annotated[str | None, typer.Option(
        help="Database URL (default: $INTIKHAB_DB, else sqlite:///intikhab.sqlite — the "
             "same for every command); a demo database there is rebuilt, any other election "
             "is refused (E-DB-006).")] = None,
    scale: Annotated[float, typer.Option(
        help="Share of the country's provinces to include (1 = the whole country).")] = 1.0,
    census: Annotated[int, typer.Option(
        help="Census of the real territory: 2014 (the 2021 elections) or 2024 (the next).")
    ] = 2014,
) -> None:
    """The main job: the guide's worked examples, then a whole national election night on a
    database — double entry of every minute, aggregation, allocation, declaration."""
    from intikhab.cli.demo import run_demo

    try:
        run_demo(out, lang.value, seed, db, scale, census)
    except IntikhabError as error:
        fail(error, lang.value)


def serve(
    db: Annotated[str | None, typer.Option(
        "--db", help="Database URL (default: $INTIKHAB_DB, else sqlite:///intikhab.sqlite — "
                     "the same for every command; built by the demo job when missing).")]
    = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    scale: Annotated[float, typer.Option(
        help="Share of the country when the demo database has to be built.")] = 1.0,
    census: Annotated[int, typer.Option(
        help="Census of the territory when the demo database has to be built.")] = 2014,
    session_hours: Annotated[int, typer.Option(help="Session lifetime in hours.")] = 8,
    site: Annotated[Path | None, typer.Option(
        "--site", help="Serve the public addresses from this published site (intikhab "
                       "publish); the application answers the rest.")] = None,
    key: Annotated[Path | None, typer.Option(
        "--key", help="With --site: publish into it at start and again after every "
                      "declaration, signed with this private key.")] = None,
) -> None:
    """The web application and the REST API (uvicorn): on the SQLite demo database by
    default, built by the demo job if missing; prints the address and the demo accounts."""
    import os
    import secrets

    import uvicorn

    from intikhab.demo.users import DEMO_USERS
    from intikhab.services.users import ensure_demo_accounts
    from intikhab.store.db import database_url

    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        from intikhab.cli.demo import run_demo

        out.print(f"{url} is missing: building it with the demo job (intikhab demo)…")
        run_demo(out, "ar", 2021, url, scale, census)
    with open_session(url, write=True, setup=True) as s:
        # demo passwords only on a demo database, never on a real election's
        accounts = ensure_demo_accounts(s, DEMO_USERS) if is_demo(s) else []
    os.environ["INTIKHAB_DB"] = url
    os.environ.setdefault("INTIKHAB_SECRET", secrets.token_hex(32))
    os.environ["INTIKHAB_SESSION_TTL"] = str(session_hours * 3600)
    if site is not None:
        from intikhab.cli.site import start_site

        start_site(out, site, key, url)
        os.environ["INTIKHAB_SITE"] = str(site.resolve())
    out.print(f"intikhab {__version__} — http://{host}:{port}/  (API: "
              f"http://{host}:{port}/api/docs) on {url}")
    for user, role, password in accounts:
        out.print(f"  demo account  {user:<10} {role:<12} password: {password}")
    uvicorn.run("intikhab.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


def is_demo(session: Session) -> bool:
    """Whether the database holds the demo's synthetic election (``synthetic-<seed>``)."""
    from sqlalchemy import select

    from intikhab.store.models import Election

    held = session.execute(select(Election.id)).scalar()
    return held is not None and str(held).startswith("synthetic-")


def register_demo(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""
    app.command()(demo)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)
