"""The database layer on SQLite and PostgreSQL: migrations match the models, SQLite runs
strict with foreign keys and WAL, the audit chain detects every kind of tampering."""

from __future__ import annotations

from _forge import FIELDS
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from intikhab.store import audit
from intikhab.store.models import AuditLog, Base, Region


def test_migrations_create_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def test_sqlite_is_strict_with_foreign_keys_and_wal(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        ddl = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name='station'").scalar()
        assert str(ddl).rstrip().endswith("STRICT")


def test_foreign_keys_and_types_are_enforced(Sessions: sessionmaker[Session]) -> None:
    with Sessions() as s:
        try:
            with s.begin():
                s.execute(text("INSERT INTO prefecture (id, region_id, name) "
                               "VALUES ('P', 'nowhere', 'x')"))
            raise AssertionError("a dangling foreign key was accepted")
        except IntegrityError:
            pass
    with Sessions() as s:
        try:
            with s.begin():
                s.execute(text("INSERT INTO region (id, name, population) "
                               "VALUES ('R', 'x', 'many')"))
            raise AssertionError("text in an integer column was accepted")
        except (IntegrityError, DataError) as exc:  # SQLite STRICT / PostgreSQL
            assert "integer" in str(exc).lower()


def _fill(Sessions: sessionmaker[Session], n: int = 5) -> None:
    with Sessions.begin() as s:
        s.add(Region(id="R", name="x", population=1))
        for i in range(n):
            audit.append(s, actor="u", role="clerk", action="test", entity=f"e{i}",
                         before=None, after=audit.digest(i))


def test_audit_chain_verifies(Sessions: sessionmaker[Session]) -> None:
    _fill(Sessions)
    with Sessions() as s:
        report = audit.verify(s)
    assert report.ok and report.records == 5


def test_audit_detects_an_altered_record(Sessions: sessionmaker[Session]) -> None:
    _fill(Sessions)
    with Sessions.begin() as s:
        s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    with Sessions() as s:
        report = audit.verify(s)
    assert not report.ok and report.first_bad == 3 and "altered" in str(report.reason)


def test_audit_detects_a_deleted_record(Sessions: sessionmaker[Session]) -> None:
    _fill(Sessions)
    with Sessions.begin() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with Sessions() as s:
        report = audit.verify(s)
    assert not report.ok and report.first_bad == 2


def test_audit_detects_truncation(Sessions: sessionmaker[Session]) -> None:
    _fill(Sessions)
    with Sessions.begin() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    with Sessions() as s:
        report = audit.verify(s)
    assert not report.ok and "removed" in str(report.reason)


def test_audit_detects_a_forged_record_with_a_recomputed_hash(
        Sessions: sessionmaker[Session]) -> None:
    """A forger who rewrites record 3 and recomputes its own hash breaks record 4's link."""
    _fill(Sessions)
    with Sessions.begin() as s:
        row = s.get(AuditLog, 3)
        assert row is not None
        row.actor = "mallory"
        row.hash = audit.chain_hash(row.prev_hash, audit.canonical(
            [row.seq, row.at.isoformat(), row.actor, row.role, row.action, row.entity,
             row.before_digest, row.after_digest]))
        row.leaf = audit.leaf_of({f: getattr(row, f) for f in FIELDS})
    with Sessions() as s:
        report = audit.verify(s)
    assert not report.ok and report.first_bad == 4
