"""``intikhab keys init`` and the transparency commands of ``intikhab audit``, end to end on a
SQLite file: sign, prove, check offline with only the public key, catch a rewritten log."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.store import audit
from intikhab.store.db import make_engine, migrate, sessions

runner = CliRunner()


def _db(tmp_path: Path, n: int) -> str:
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    with sessions(engine).begin() as s:
        chain = audit.Chain(s)
        for i in range(n):
            chain.append(actor="coord", role="coordinator", action="result.declare",
                         entity=f"C{i}", after=audit.digest({"seats": i}))
        chain.flush()
    engine.dispose()
    return url


def test_sign_prove_and_verify_offline(tmp_path: Path) -> None:
    url = _db(tmp_path, 6)
    r = runner.invoke(app, ["keys", "init", "--out", str(tmp_path / "keys")])
    assert r.exit_code == 0, r.output
    private, public = (json.loads(r.output)[k] for k in ("private_key", "public_key"))
    again = runner.invoke(app, ["keys", "init", "--out", str(tmp_path / "keys")])
    assert again.exit_code == 2 and "E-AUD-003" in again.output

    r = runner.invoke(app, ["audit", "checkpoint", "--key", private, "--db", url])
    assert r.exit_code == 0 and r.output.startswith("intikhab\n6\n"), r.output
    r = runner.invoke(app, ["audit", "prove", "3", "--db", url, "--format", "json"])
    assert r.exit_code == 0, r.output
    proof = tmp_path / "proof.json"
    proof.write_text(r.output, encoding="utf-8")
    r = runner.invoke(app, ["audit", "verify-proof", str(proof), "--key", public])
    assert r.exit_code == 0 and "proof verified" in r.output, r.output

    other = runner.invoke(app, ["keys", "init", "--out", str(tmp_path / "other")])
    r = runner.invoke(app, ["audit", "verify-proof", str(proof),
                            "--key", json.loads(other.output)["public_key"]])
    assert r.exit_code == 1 and "signature" in r.output

    r = runner.invoke(app, ["audit", "verify-proof", str(proof), "--key", private])
    assert r.exit_code == 2 and "E-AUD-002" in r.output


def test_consistency_and_a_rewritten_log(tmp_path: Path) -> None:
    url = _db(tmp_path, 4)
    keys = json.loads(runner.invoke(app, ["keys", "init", "--out", str(tmp_path / "k")]).output)
    first = runner.invoke(app, ["audit", "checkpoint", "--key", keys["private_key"], "--db", url])
    note = tmp_path / "published.note"
    note.write_text(first.output, encoding="utf-8")
    runner.invoke(app, ["audit", "checkpoint", "--key", keys["private_key"], "--db", url])
    r = runner.invoke(app, ["audit", "consistency", "4", "--db", url])
    assert r.exit_code == 0, r.output
    (tmp_path / "c.json").write_text(r.output, encoding="utf-8")
    r = runner.invoke(app, ["audit", "verify-proof", str(tmp_path / "c.json"),
                            "--key", keys["public_key"]])
    assert r.exit_code == 0 and "extends" in r.output, r.output
    check = ["audit", "verify-log", "--key", keys["public_key"], "--db", url]
    assert runner.invoke(app, check).exit_code == 0
    assert runner.invoke(app, [*check, "--checkpoint", str(note)]).exit_code == 0

    engine = make_engine(url)
    with engine.begin() as conn:  # rewrite a record without fixing the hashes
        conn.execute(text("UPDATE audit_log SET entity = 'C9' WHERE seq = 2"))
    engine.dispose()
    r = runner.invoke(app, [*check, "--checkpoint", str(note)])
    assert r.exit_code == 1 and "DISAGREES" in r.output
    r = runner.invoke(app, ["audit", "prove", "99", "--db", url])
    assert r.exit_code == 2 and "E-AUD-004" in r.output
