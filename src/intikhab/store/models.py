"""The database schema (SQLAlchemy 2, typed declarative).  Alembic migrations in
``store/migrations`` create exactly this schema (a test compares them on SQLite and PostgreSQL).

Design notes (see docs/records.md):
- A polling-station minute is never overwritten. Each typed entry is a row of ``entry``; the
  double-entry state of a (station, vote) lives in ``minute_state``; every accepted version is a
  row of ``minute_version``.  What counts is ``minute_state.accepted_entry_id``.
- Totals above the station (central office, census commission) are never stored as typed
  figures: they are recomputed from accepted minutes.  ``result`` records each allocation with
  its rule set, engine version and lots.
- ``audit_log`` is append-only and hash-chained; ``audit_head`` holds the chain's head and is
  locked by every write that matters, which also serialises concurrent writers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite STRICT tables accept only INTEGER, REAL, TEXT, BLOB and ANY as column types.
for _type in (String, Text, DateTime, Date, JSON):
    compiles(_type, "sqlite")(lambda *_a, **_k: "TEXT")
compiles(Boolean, "sqlite")(lambda *_a, **_k: "INTEGER")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}

    __table_args__: Any = {"sqlite_strict": True}  # noqa: RUF012 - read by SQLAlchemy


class Election(Base):
    __tablename__ = "election"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    polling_date: Mapped[date] = mapped_column(Date)
    rules_communal: Mapped[str] = mapped_column(String(40))
    rules_regional: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int | None] = mapped_column(Integer)


class Party(Base):
    __tablename__ = "party"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name_ar: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))


class Region(Base):
    __tablename__ = "region"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int] = mapped_column(Integer)


class Prefecture(Base):
    """A prefecture or province (عمالة أو إقليم): one regional constituency each."""

    __tablename__ = "prefecture"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Commune(Base):
    __tablename__ = "commune"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    prefecture_id: Mapped[str | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # single_member | list | divided
    population: Mapped[int] = mapped_column(Integer)
    council_seats: Mapped[int] = mapped_column(Integer)


class Constituency(Base):
    """A district, a list commune, an arrondissement (communal vote) or a prefecture (regional
    vote).  ``groups`` are the seat groups in allocation order."""

    __tablename__ = "constituency"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    vote: Mapped[str] = mapped_column(String(20))  # communal | regional
    kind: Mapped[str] = mapped_column(String(20))  # list | single_member
    council: Mapped[str] = mapped_column(String(64), index=True)  # commune or region id
    name: Mapped[str] = mapped_column(String(200))
    groups: Mapped[list[Any]] = mapped_column(JSON)
    attached_women_seat: Mapped[bool] = mapped_column(Boolean, default=False)


class CentralOffice(Base):
    __tablename__ = "central_office"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    commune_id: Mapped[str] = mapped_column(ForeignKey("commune.id"), index=True)


class Station(Base):
    __tablename__ = "station"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    central_office_id: Mapped[str] = mapped_column(ForeignKey("central_office.id"), index=True)
    communal_constituency_id: Mapped[str] = mapped_column(
        ForeignKey("constituency.id"), index=True)
    regional_constituency_id: Mapped[str] = mapped_column(
        ForeignKey("constituency.id"), index=True)
    registered: Mapped[int] = mapped_column(Integer)


class Candidacy(Base):
    """A registered list, or a single-member district candidate (with the attached woman)."""

    __tablename__ = "candidacy"
    __table_args__ = (UniqueConstraint("constituency_id", "code"), {"sqlite_strict": True})
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))  # the id the minutes use
    party_id: Mapped[str | None] = mapped_column(ForeignKey("party.id"))
    name: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)  # registration order (ballot order)
    # candidates in list order: {"general": [C…], "women": [C…]} or, for a district,
    # {"candidate": C, "attached_woman": C | null}; C = {name, birth_date, sex, eligible, deceased}
    candidates: Mapped[dict[str, Any]] = mapped_column(JSON)


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))  # clerk | coordinator | observer | admin
    password_hash: Mapped[str | None] = mapped_column(String(200))


class Entry(Base):
    """One typed entry of a minute.  Never updated nor deleted."""

    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("station_id", "vote", "version", "user_id", "digest"),
        {"sqlite_strict": True},
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), index=True)
    vote: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    digest: Mapped[str] = mapped_column(String(64))
    minute: Mapped[dict[str, Any]] = mapped_column(JSON)
    accepted_warnings: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MinuteState(Base):
    """The double-entry state machine of one (station, vote): docs/double-entry.md."""

    __tablename__ = "minute_state"
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), primary_key=True)
    vote: Mapped[str] = mapped_column(String(20), primary_key=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    first_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))
    second_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))
    accepted_entry_id: Mapped[str | None] = mapped_column(ForeignKey("entry.id"))


class MinuteVersion(Base):
    """Every accepted version of a minute (corrections are new versions, never overwrites)."""

    __tablename__ = "minute_version"
    station_id: Mapped[str] = mapped_column(ForeignKey("station.id"), primary_key=True)
    vote: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"))
    accepted_by: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime] = mapped_column(DateTime)


class Result(Base):
    """One allocation by the census commission, with everything needed to replay it."""

    __tablename__ = "result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    rules: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(40))
    minutes_digest: Mapped[str] = mapped_column(String(64))
    lots: Mapped[dict[str, Any]] = mapped_column(JSON)
    lot_seed: Mapped[str | None] = mapped_column(String(200))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engine's input
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engine's output
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    declared_at: Mapped[datetime | None] = mapped_column(DateTime)
    declared_by: Mapped[str | None] = mapped_column(String(64))


class AuditLog(Base):
    """Append-only, hash-chained: ``hash = sha256(prev_hash ␟ canonical record)``."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(200))
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The single row holding the chain's head; ``SELECT … FOR UPDATE`` on it serialises
    writers so the chain never forks."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))

from intikhab.store import candidacy_models as _candidacy_models  # noqa: E402, F401 - candidacies
from intikhab.store import case_models as _case_models  # noqa: E402, F401 - disputes, accounts
from intikhab.store import checkpoint_models as _checkpoint_models  # noqa: E402, F401 - checkpoints
from intikhab.store import web_models as _web_models  # noqa: E402, F401 - web tables
