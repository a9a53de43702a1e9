"""The CLI acts as an authenticated user, never as a bare name.

Every command that acts as a user (``import minutes``, ``commission allocate|declare``,
``candidacy …``, ``dispute …``, ``finance load``) takes ``--user ID`` (or ``$INTIKHAB_USER``)
and that user's password, from the first of:

1. ``--password-file FILE`` (its first line);
2. ``$INTIKHAB_PASSWORD``;
3. a hidden prompt, when standard input is a terminal.

The password is checked like a web login (``services.users.authenticate``: throttled,
audited, argon2 outside any write transaction).  No password is ``E-AUTH-002``; a wrong one
(or an unknown user) is ``E-API-008`` — one line, exit 2 — and the failed attempt is written to
the audit log in a short transaction of its own (``auth.login_failed``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from intikhab.cli.common import fail, open_session
from intikhab.law.errors import InputError, IntikhabError

UserOption = Annotated[str | None, typer.Option(
    "--user", envvar="INTIKHAB_USER",
    help="Who acts (a user id); the password comes from --password-file, $INTIKHAB_PASSWORD "
         "or a prompt.")]
PasswordFileOption = Annotated[Path | None, typer.Option(
    "--password-file", help="A file whose first line is the user's password.")]


def _password(user: str, password_file: Path | None) -> str:
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except OSError as exc:
            fail(InputError("E-IO-001", field=str(password_file),
                            detail=exc.strerror or str(exc)))
        return text.splitlines()[0] if text else ""
    env = os.environ.get("INTIKHAB_PASSWORD")
    if env is not None:
        return env
    if sys.stdin.isatty():
        return str(typer.prompt(f"password for {user}", hide_input=True))
    fail(IntikhabError("E-AUTH-002", field=user))


def authenticate(db: str | None, user: str | None, password_file: Path | None = None) -> str:
    """``user`` once their password is verified; otherwise one coded line and exit 2
    (``E-ALLOC-003`` no user, ``E-DB-…`` no database, ``E-AUTH-002`` no password,
    ``E-API-008`` a wrong one, ``E-SEC-…`` throttled or disabled — audited)."""
    from intikhab.services.users import authenticate as login

    if not user:
        fail(InputError("E-ALLOC-003", field="--user", expected="a user id ($INTIKHAB_USER)"))
    with open_session(db):  # the database is there before a password is asked for
        pass
    password = _password(user, password_file)
    try:
        return login(lambda: open_session(db), lambda: open_session(db, write=True),
                     user, password, "cli").id
    except IntikhabError as error:
        fail(error)
