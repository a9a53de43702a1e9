"""``intikhab users add|passwd|disable|enable|list|unlock``: the accounts, from the command line,
by an authenticated administrator.

Who acts: ``--user`` (or ``$INTIKHAB_USER``) with ``$INTIKHAB_PASSWORD`` or, when it is not set,
a hidden prompt — checked like a web login (``services.users.authenticate``: throttled, audited,
``E-API-008`` for a wrong password, ``E-SEC-003`` for a disabled account).  On a database with
no administrator who can log in, ``users add --role admin`` creates the first one without
(audited as ``system``).  A new password comes from ``$INTIKHAB_NEW_PASSWORD`` or a hidden
prompt asked twice; it must meet the policy (docs/security.md).  Every refusal is one coded
line and exit code 2.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from intikhab.cli.common import DbOption, emit, fail, open_session
from intikhab.law.errors import IntikhabError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

users_app = typer.Typer(help="Accounts: add, new password, disable, enable, list, unlock.",
                        no_args_is_help=True)

ActorOption = Annotated[str | None, typer.Option(
    "--user", envvar="INTIKHAB_USER",
    help="The administrator acting (password: $INTIKHAB_PASSWORD, else asked).")]


def _secret(env: str, prompt: str, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _actor(db: str | None, actor: str | None) -> str:
    """The acting administrator, authenticated (the attempt is committed either way)."""
    from intikhab.services import users

    if not actor:
        fail(IntikhabError("E-API-002"))
    password = _secret("INTIKHAB_PASSWORD", f"password of {actor}")
    try:
        row = users.authenticate(lambda: open_session(db), lambda: open_session(db, write=True),
                                 actor, password, "cli")
    except IntikhabError as error:
        fail(error)
    if row.role != "admin":
        fail(IntikhabError("E-API-003", field="role", role=row.role))
    return actor


def _run(db: str | None, act: Callable[[Session], object]) -> object:
    try:
        with open_session(db, write=True) as s:
            return act(s)
    except IntikhabError as error:
        fail(error)


@users_app.command("add")
def add(user: Annotated[str, typer.Argument(help="The new id: a-z 0-9 . _ - (2 to 32).")],
        name: Annotated[str, typer.Option("--name", help="The person's name.")],
        role: Annotated[str, typer.Option("--role", help="clerk, coordinator, observer "
                                                         "or admin.")] = "clerk",
        actor: ActorOption = None, db: DbOption = None) -> None:
    """Create an account (the first administrator of a new database needs no --user)."""
    from intikhab.services import users

    with open_session(db) as s:
        first = role == "admin" and not users.has_admin(s)
    who = None if first else _actor(db, actor)
    password = _secret("INTIKHAB_NEW_PASSWORD", f"new password of {user}", confirm=True)
    if who is None:
        row = _run(db, lambda s: users.create_first_admin(s, user, name, password))
    else:
        row = _run(db, lambda s: users.create_user(s, who, user, name, role, password))
    emit({"created": getattr(row, "id", user), "role": role})


@users_app.command("passwd")
def passwd(user: Annotated[str, typer.Argument()], actor: ActorOption = None,
           db: DbOption = None) -> None:
    """Set a user's password: every session of the user ends."""
    from intikhab.services import users

    who = _actor(db, actor)
    password = _secret("INTIKHAB_NEW_PASSWORD", f"new password of {user}", confirm=True)
    _run(db, lambda s: users.update_user(s, who, user, password=password))
    emit({"password_changed": user})


def _set_active(user: str, active: bool, actor: str | None, db: str | None) -> None:
    from intikhab.services import users

    who = _actor(db, actor)
    _run(db, lambda s: users.set_active(s, who, user, active))
    emit({"user": user, "active": active})


@users_app.command("disable")
def disable(user: Annotated[str, typer.Argument()], actor: ActorOption = None,
            db: DbOption = None) -> None:
    """Disable an account: every session ends; never the last active administrator."""
    _set_active(user, False, actor, db)


@users_app.command("enable")
def enable(user: Annotated[str, typer.Argument()], actor: ActorOption = None,
           db: DbOption = None) -> None:
    """Enable an account again."""
    _set_active(user, True, actor, db)


@users_app.command("unlock")
def unlock(user: Annotated[str, typer.Argument()], actor: ActorOption = None,
           db: DbOption = None) -> None:
    """Lift an account's login lockout."""
    from intikhab.services import users

    who = _actor(db, actor)
    lifted = _run(db, lambda s: users.unlock(s, who, user))
    emit({"user": user, "unlocked": bool(lifted)})


@users_app.command("list")
def list_users(actor: ActorOption = None, db: DbOption = None,
               ) -> None:
    """Every account: role, active, accreditations, a lockout's seconds left."""
    import time

    from intikhab.services import sessions, users

    _actor(db, actor)
    with open_session(db) as s:
        rows = users.list_users(s)
        locked = sessions.locked_accounts(s, int(time.time()))
    emit([{"id": u.id, "name": u.name, "role": u.role, "active": u.active,
           "accredited": list(u.accredited), "locked_s": locked.get(u.id, 0)} for u in rows])


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
