"""``intikhab audit verify``: exit 0 when the record holds, 1 with one line naming the table
and key of a row edited outside the application, 2 when the database cannot be opened; with
``--key``, the signed checkpoints too; ``commission declare --key`` signs one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEST_PASSWORD, small_bundle, with_passwords
from sqlalchemy import text
from test_results_service import all_minutes, double_enter
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.services.setup import load_bundle
from intikhab.store.db import make_engine, migrate, sessions

pytestmark = pytest.mark.tampers
runner = CliRunner(env={"INTIKHAB_PASSWORD": TEST_PASSWORD})


def test_audit_verify_exit_codes_and_a_signed_declaration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    Sessions = sessions(engine)
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
        with_passwords(s)
    double_enter(Sessions, all_minutes())
    keys = json.loads(runner.invoke(app, ["keys", "init", "--out", str(tmp_path / "k")]).output)
    assert runner.invoke(app, ["commission", "allocate", "--user", "coord", "--db", url]
                         ).exit_code == 0
    r = runner.invoke(app, ["commission", "declare", "--user", "coord", "--db", url],
                      env={"INTIKHAB_SIGNING_KEY": keys["private_key"]})
    assert r.exit_code == 0, r.output
    check = ["audit", "verify", "--db", url, "--key", keys["public_key"]]
    r = runner.invoke(app, check)
    assert r.exit_code == 0 and "1 signed" in r.output, r.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE station SET registered = 9999 WHERE id = 'C1-S2'"))
    engine.dispose()
    r = runner.invoke(app, check)
    assert r.exit_code == 1 and 'station ["C1-S2"]: row edited' in r.output, r.output
    r = runner.invoke(app, ["audit", "verify", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}"])
    assert r.exit_code == 2 and "E-DB-001" in r.output
