"""``intikhab users``: the first administrator of a new database, then every change by an
authenticated administrator (``--user`` + ``$INTIKHAB_PASSWORD``); the one id rule and the
password policy; a refusal is one coded line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.store.db import make_engine, migrate

runner = CliRunner()
BOSS = "Sable-Ocre-2031"
NEW = "Cedre-Atlas-1977"


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def _run(args: list[str], **env: str) -> tuple[int, str]:
    r = runner.invoke(app, ["users", *args], env=env)
    return r.exit_code, r.output


def test_users_add_passwd_disable_enable_list_unlock(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, out = _run(["add", "boss", "--name", "Boss", "--role", "admin", "--db", db],
                     INTIKHAB_NEW_PASSWORD=BOSS)
    assert code == 0, out
    admin = {"INTIKHAB_USER": "boss", "INTIKHAB_PASSWORD": BOSS, "INTIKHAB_NEW_PASSWORD": NEW}
    # the first administrator exists: a second one needs an authenticated admin
    code, out = _run(["add", "eve", "--name", "E", "--role", "admin", "--db", db],
                     INTIKHAB_NEW_PASSWORD=NEW)
    assert code == 2 and "E-API-002" in out
    code, out = _run(["add", "clerk9", "--name", "C", "--db", db], **{
        **admin, "INTIKHAB_PASSWORD": "wrong-pass"})
    assert code == 2 and "E-API-008" in out
    assert _run(["add", "clerk9", "--name", "C", "--db", db], **admin)[0] == 0
    for bad in ("\u0430dmin", "coord\u200b", "../../x", "<b>x</b>"):
        code, out = _run(["add", bad, "--name", "x", "--db", db], **admin)
        assert code == 2 and "E-SEC-006" in out, out
    code, out = _run(["add", "weak", "--name", "W", "--db", db], **{
        **admin, "INTIKHAB_NEW_PASSWORD": "12345678"})
    assert code == 2 and "E-API-013" in out
    assert _run(["passwd", "clerk9", "--db", db], **admin)[0] == 0
    assert _run(["disable", "clerk9", "--db", db], **admin)[0] == 0
    code, out = _run(["disable", "boss", "--db", db], **admin)
    assert code == 2 and "E-SEC-005" in out
    code, out = _run(["list", "--db", db], **admin)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["clerk9"]["active"] is False and rows["boss"]["active"] is True
    assert _run(["enable", "clerk9", "--db", db], **admin)[0] == 0
    code, out = _run(["unlock", "clerk9", "--db", db], **admin)
    assert code == 0 and json.loads(out) == {"user": "clerk9", "unlocked": False}
