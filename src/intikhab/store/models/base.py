"""The declarative base every table derives from: one ``MetaData`` with the constraint naming
convention the migrations use, SQLite ``STRICT`` tables, and the JSON mapping of ``dict``/``list``
columns."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, MetaData, String, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase

# SQLite STRICT tables accept only INTEGER, REAL, TEXT, BLOB and ANY as column types.
for _type in (String, Text, DateTime, Date, JSON):
    compiles(_type, "sqlite")(lambda *_a, **_k: "TEXT")
compiles(Boolean, "sqlite")(lambda *_a, **_k: "INTEGER")
compiles(BigInteger, "sqlite")(lambda *_a, **_k: "INTEGER")  # epoch seconds past 2038

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
