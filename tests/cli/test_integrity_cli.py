"""The command line as a clumsy operator and a hostile user use it: no bare ``--user``, no
export onto the live database or over a file without ``--force``, no demo that deletes before
it checks, one impossible constituency reported (exit 3) while the others are allocated, and
every database problem one coded line with exit code 2 — never a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_cli import run

from intikhab.store.db import make_engine, sessions

pytestmark = pytest.mark.slow  # real subprocesses and a small demo night


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "op.sqlite"
    proc = run("demo", "--scale", "0.01", "--db", f"sqlite:///{path}")
    assert proc.returncode == 0, proc.stderr
    return path


def one_coded_line(proc: object, code: str) -> str:
    err = proc.stderr  # type: ignore[attr-defined]
    assert proc.returncode == 2, err  # type: ignore[attr-defined]
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"{code} "), err
    return str(err)


def test_a_bare_user_name_is_refused_and_a_wrong_password_audited(demo_db: Path) -> None:
    db = f"sqlite:///{demo_db}"
    one_coded_line(run("commission", "declare", "--user", "coord", "--db", db), "E-AUTH-002")
    one_coded_line(run("commission", "declare", "--user", "coord", "--db", db,
                       password="guess"), "E-API-008")
    one_coded_line(run("commission", "declare", "--user", "ghost", "--db", db,
                       password="coord-2021"), "E-API-008")
    with sqlite3.connect(demo_db) as conn:
        failed = conn.execute("select actor from audit_log where action = "
                              "'auth.login_failed' order by seq").fetchall()
    assert [a for (a,) in failed][-2:] == ["coord", "ghost"]
    pw = demo_db.parent / "pw.txt"
    pw.write_text("coord-2021\n", "utf-8")
    ok = run("commission", "declare", "--user", "coord", "--password-file", str(pw), "--db", db)
    assert ok.returncode == 0, ok.stderr
    assert run("audit", "verify", "--db", db).returncode == 0


def test_exports_never_destroy_the_database_nor_a_file(demo_db: Path) -> None:
    db = f"sqlite:///{demo_db}"
    before = demo_db.read_bytes()
    for target in (demo_db, Path(f"{demo_db}-wal")):
        one_coded_line(run("export", "minutes", str(target), "--db", db, "--force"),
                       "E-IO-002")
    assert demo_db.read_bytes() == before
    out = demo_db.parent / "results.json"
    out.write_text("precious", "utf-8")
    one_coded_line(run("export", "results", str(out), "--db", db), "E-DOC-002")
    assert out.read_text("utf-8") == "precious"
    assert run("export", "results", str(out), "--db", db, "--force").returncode == 0
    assert json.loads(out.read_text("utf-8"))["constituencies"]


def test_demo_checks_its_options_before_touching_the_database(tmp_path: Path,
                                                              demo_db: Path) -> None:
    db = f"sqlite:///{demo_db}"
    before = demo_db.read_bytes()
    one_coded_line(run("demo", "--scale", "0", "--db", db), "E-ALLOC-003")
    assert demo_db.read_bytes() == before
    # a database that holds a real election is never replaced by the demo
    other = tmp_path / "real.sqlite"
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"election": {
        "id": "real-2021", "name": "Real", "polling_date": "2021-09-08",
        "rules_communal": "communal-2021", "rules_regional": "regional-2021"}}), "utf-8")
    assert run("import", "bundle", str(bundle), "--db", f"sqlite:///{other}").returncode == 0
    kept = other.read_bytes()
    one_coded_line(run("demo", "--scale", "0.01", "--db", f"sqlite:///{other}"), "E-DB-006")
    assert other.read_bytes() == kept


def test_every_database_problem_is_one_coded_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    one_coded_line(run("status", "--db", f"sqlite:///{missing}"), "E-DB-001")
    one_coded_line(run("status", "--db", "nosuchdriver://x/y"), "E-DB-002")
    one_coded_line(run("status", "--db", "mysql://u@localhost/x"), "E-DB-002")
    one_coded_line(run("status", "--db",
                       "postgresql+psycopg://u:secret@127.0.0.1:1/none"), "E-DB-003")
    assert "secret" not in run("status", "--db",
                               "postgresql+psycopg://u:secret@127.0.0.1:1/none").stderr
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_text("not a database", "utf-8")
    one_coded_line(run("status", "--db", f"sqlite:///{garbage}"), "E-DB-003")
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()  # exists, never migrated
    one_coded_line(run("results", "--db", f"sqlite:///{empty}"), "E-DB-001")
    assert not missing.exists()


def test_the_default_database_is_the_same_for_every_command(tmp_path: Path) -> None:
    """``demo``, ``serve`` and the rest: ``$INTIKHAB_DB``, else ``intikhab.sqlite`` here."""
    proc = run("demo", "--scale", "0.01", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "intikhab.sqlite").exists() and not (tmp_path / "demo.sqlite").exists()
    status = run("status", "--format", "json", cwd=tmp_path)
    assert status.returncode == 0 and set(json.loads(status.stdout)) == {"declared"}


def test_one_impossible_constituency_is_reported_exit_3(tmp_path: Path, demo_db: Path) -> None:
    db_path = tmp_path / "night.sqlite"
    db_path.write_bytes(demo_db.read_bytes())
    db = f"sqlite:///{db_path}"
    engine = make_engine(db)
    with sessions(engine).begin() as s:  # a voter list shrunk behind the application's back
        from sqlalchemy import select, update

        from intikhab.store import audit
        from intikhab.store.models import Station
        cid, = s.execute(select(Station.communal_constituency_id).limit(1)).one()
        s.execute(update(Station).where(Station.communal_constituency_id == cid)
                  .values(registered=1))
        audit.append(s, actor="test", role="admin", action="test.setup", entity=cid)
    engine.dispose()
    proc = run("commission", "allocate", "--user", "coord", "--db", db, password="coord-2021")
    assert proc.returncode == 3, proc.stderr
    body = json.loads(proc.stdout)
    assert body["allocated"] > 0
    assert [(u["constituency"], u["code"]) for u in body["unallocated"]] == [(cid, "E-ALLOC-005")]
    assert proc.stderr.startswith(f"E-ALLOC-020 {cid}: ") and "Traceback" not in proc.stderr
