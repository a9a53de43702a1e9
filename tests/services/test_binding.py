"""The data bound to the audit log, as a hostile operator with write access to the database
tries it (SQLite and PostgreSQL): every authoritative table altered outside the application is
reported with its table and key; a row inserted or deleted outside is reported; an audit
record's timestamp edit breaks the chain; a chain re-hashed consistently (data, bindings and
hashes all forged) or truncated and rewound passes the database's own checks but fails against
a checkpoint signed with the commission's key, kept outside the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from _forge import rehash_from
from conftest import small_bundle
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Table, delete, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from test_candidacy import documents
from test_results_service import all_minutes, double_enter

from intikhab.demo.councils import bureau_session, prefecture_ballot
from intikhab.law.calendar import at
from intikhab.records import checkpoint as cp
from intikhab.services import (
    bureaus,
    candidacy,
    disputes,
    finance,
    indirect,
    integrity,
    results,
    transparency,
    users,
)
from intikhab.services.rosters import rosters
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.binding import bound_tables, key_text, row_digest
from intikhab.store.integrity import check_data
from intikhab.store.models import AuditBinding, AuditHead, AuditLog, Result

pytestmark = pytest.mark.tampers

_KEY = Ed25519PrivateKey.generate()
PRIV = _KEY.private_bytes_raw()
PUB = cp.public_key_of(PRIV)


def fill(Sessions: sessionmaker[Session]) -> None:
    """A small election through the services, so that every authoritative table has rows."""
    bundle = small_bundle()
    bundle["users"].append({"id": "admin", "name": "Admin", "role": "admin"})
    with Sessions.begin() as s:
        load_bundle(s, bundle)
    with Sessions.begin() as s:
        candidacy.file_documents(s, "clerk1", documents()[:2],
                                 [{"id": "AL", "name": "Alliance", "parties": ["PA", "PB"]}])
    with Sessions.begin() as s:
        users.accredit(s, "admin", "observer", ["C1", "K1"])
        users.update_user(s, "admin", "clerk2", name="Clerk Two")
    double_enter(Sessions, all_minutes())
    with Sessions.begin() as s:
        results.allocate(s, "coord")
        results.declare(s, "coord", signing_key=PRIV)
    with Sessions.begin() as s:
        disputes.file_case(s, "coord", kind="results_petition", constituency="C1",
                           filer="Liste PB", filer_kind="interested",
                           trigger_at=at(date(2021, 9, 9), 10), filed_at=at(date(2021, 9, 12), 9))
        finance.open_account(s, "coord", {
            "id": "C1-PA", "holder": "وكيل PA", "vote": "communal", "candidates": 31,
            "constituency": "C1", "elected": True,
            "lines": [{"amount": "20000", "day": "2021-08-20", "source": "party"}]})
    with Sessions() as s:  # the prefecture council (indirect), then its bureau
        ballot = prefecture_ballot(indirect.colleges(s)["K1"], "test")
    with Sessions.begin() as s:
        indirect.elect(s, "coord", {"K1": ballot})
        indirect.declare(s, "coord")
    with Sessions() as s:
        roster = rosters(s, ["K1"])["K1"]
    with Sessions.begin() as s:
        bureaus.record(s, "coord", [bureau_session(roster, date(2021, 9, 22), "t")])
    with Sessions.begin() as s:
        transparency.sign_checkpoint(s, PRIV)


@pytest.fixture
def full(Sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    fill(Sessions)
    return Sessions


def _forged(value: Any) -> Any:
    """Another value of the same type (what a forger writes)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1000
    if isinstance(value, str):
        return value[:-1] + ("x" if value[-1:] != "x" else "y") if value else "x"
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, dict):
        return {**value, "forged": 1}
    if isinstance(value, list):
        return [*value, "forged"]
    raise AssertionError(type(value))


def _target(conn: Connection, t: Table) -> tuple[dict[str, Any], str, Any]:
    """One row of ``t``, a column to alter and its forged value: a plain column if there is
    one, else a foreign key moved to another existing row it may reference."""
    row = conn.execute(select(t).limit(1)).mappings().first()
    assert row is not None, f"{t.name} is empty: the demo must fill every table"
    plain = [c.key for c in t.columns
             if not c.primary_key and not c.foreign_keys and row[c.key] is not None]
    if plain:
        return dict(row), plain[0], _forged(row[plain[0]])
    column = next(c for c in reversed(list(t.columns)) if c.foreign_keys)
    target = next(iter(column.foreign_keys)).column
    q = select(target).where(target != row[column.key])
    if column.primary_key:  # a key not already taken
        q = q.where(target.not_in(select(column)))
    other = conn.execute(q.limit(1)).scalar_one()
    return dict(row), column.key, other


def _where(t: Table, row: dict[str, Any]) -> Any:
    return [c == row[c.key] for c in t.primary_key.columns]


def _findings(conn: Connection) -> set[tuple[str, str]]:
    with Session(bind=conn) as s:
        chain = audit.verify(s, collect=True)
    assert chain.ok, chain.reason
    return {(f.table, f.key) for f in check_data(conn, chain.bound)}


@pytest.fixture
def conn(full: sessionmaker[Session]) -> Iterator[Connection]:
    engine = full.kw["bind"]
    with engine.connect() as c:
        yield c


def _key(t: Table, row: dict[str, Any]) -> str:
    return key_text([row[c.key] for c in t.primary_key.columns])


def test_every_table_is_bound_and_an_edit_outside_is_reported(conn: Connection) -> None:
    """Each authoritative table, one value of one row altered with raw SQL: reported with
    that table and key; rolled back, the record verifies again."""
    assert _findings(conn) == set()
    conn.rollback()
    names = {t.name for t in bound_tables()}
    assert {"election", "entry", "minute_state", "minute_version", "result", "app_user",
            "station", "region", "commune", "candidacy", "candidacy_filing", "party_alliance",
            "accreditation", "dispute_case", "dispute_step", "campaign_account",
            "account_line", "audit_checkpoint"} <= names
    for t in bound_tables():
        tx = conn.begin()
        row, column, value = _target(conn, t)
        conn.execute(update(t).where(*_where(t, row)).values({column: value}))
        expected = {(t.name, _key(t, row)), (t.name, _key(t, {**row, column: value}))}
        assert _findings(conn) == expected, t.name  # a key changed: deleted and inserted
        tx.rollback()
    assert _findings(conn) == set()


def test_a_row_inserted_or_deleted_outside_is_reported(conn: Connection) -> None:
    users_t = next(t for t in bound_tables() if t.name == "app_user")
    acc = next(t for t in bound_tables() if t.name == "accreditation")
    with conn.begin() as tx:
        conn.execute(insert(users_t).values(id="mallory", name="M", role="admin"))
        assert _findings(conn) == {("app_user", '["mallory"]')}
        tx.rollback()
    with conn.begin() as tx:
        conn.execute(delete(acc).where(acc.c.constituency_id == "K1"))
        assert _findings(conn) == {("accreditation", '["observer","K1"]')}
        tx.rollback()
    with conn.begin() as tx:  # a binding row removed: the record's bound digest no longer holds
        conn.execute(delete(AuditBinding.__table__).where(AuditBinding.n == 0))
        found = _findings(conn)
        assert found and {t for t, _k in found} >= {"audit_binding"}
        tx.rollback()


def test_an_audit_records_timestamp_edit_breaks_the_chain(full: sessionmaker[Session]) -> None:
    with full.begin() as s:
        row = s.get(AuditLog, 2)
        assert row is not None
        row.at = row.at + timedelta(seconds=1)
    with full() as s:
        report = integrity.verify(s)
    assert not report.ok and report.chain.first_bad == 2


def _forge_result(s: Session) -> None:
    """A forger's complete job: alter a declared result, rewrite its binding, the record's
    bound digest, and every hash after it."""
    t = Result.__table__
    assert isinstance(t, Table)
    row = dict(s.connection().execute(select(t).where(t.c.constituency_id == "C1")
                                      .order_by(t.c.id.desc()).limit(1)).mappings().one())
    row["outcome"] = {**row["outcome"], "forged": 1}
    s.connection().execute(update(t).where(t.c.id == row["id"]).values(outcome=row["outcome"]))
    key = key_text([row["id"]])
    b = s.execute(select(AuditBinding).where(AuditBinding.tbl == "result",
                                             AuditBinding.key == key)
                  .order_by(AuditBinding.seq.desc()).limit(1)).scalar_one()
    b.digest = row_digest([c.key for c in t.columns], [row[c.key] for c in t.columns])
    s.flush()
    group = s.execute(select(AuditBinding).where(AuditBinding.seq == b.seq)
                      .order_by(AuditBinding.n)).scalars().all()
    record = s.get(AuditLog, b.seq)
    assert record is not None
    record.bound = audit.bound_digest([(g.tbl, g.key, g.digest) for g in group])
    s.flush()
    rehash_from(s, b.seq)


def test_a_consistently_rehashed_log_fails_only_against_the_signed_checkpoint(
        full: sessionmaker[Session]) -> None:
    with full.begin() as s:
        _forge_result(s)
    with full() as s:
        alone = integrity.verify(s)
        signed = integrity.verify(s, PUB)
    assert alone.ok  # the database's own checks are fooled: everything was recomputed
    assert not signed.ok and "re-hashed" in str(signed.checkpoint_error)


def test_a_truncated_and_rewound_log_fails_against_the_signed_checkpoint(
        full: sessionmaker[Session]) -> None:
    with full() as s:
        assert integrity.verify(s, PUB).ok
        n = transparency.log_size(s)
    with full.begin() as s:
        s.execute(delete(AuditLog).where(AuditLog.seq > n - 3))
        last = s.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).scalar_one()
        head = s.get(AuditHead, 1)
        assert head is not None
        head.seq, head.hash = last.seq, last.hash
    with full() as s:
        report = integrity.verify(s, PUB)
        assert report.chain.ok and not report.ok
        assert "truncated" in str(report.checkpoint_error)


def test_a_declaration_signs_a_checkpoint(full: sessionmaker[Session]) -> None:
    with full() as s:
        rows = s.execute(text("SELECT COUNT(*) FROM audit_checkpoint")).scalar_one()
        actions = list(s.scalars(select(AuditLog.action).order_by(AuditLog.seq)))
    assert rows == 2  # the declaration's and the final one
    i = actions.index("result.declare")
    assert "audit.checkpoint" in actions[i:]
