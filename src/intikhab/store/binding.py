"""Every authoritative row bound to the audit log: which rows a transaction wrote, and their
digests.

A *binding* is ``(table, key, digest)``: the row of ``table`` whose primary key is ``key`` (the
canonical JSON list of its primary-key values) had, when the transaction that wrote it committed,
the digest ``digest`` (``None``: the transaction deleted it).  :func:`row_digest` is the SHA-256
of the canonical JSON of *all* the row's columns (sorted keys, no spaces, UTF-8, dates and times
in ISO 8601), the same on SQLite and PostgreSQL.

The rows a transaction writes are collected on its session automatically: ORM objects by the
``after_flush`` event, ORM-enabled ``insert``/``update``/``delete`` statements run through
``session.execute`` by the ``do_orm_execute`` event (keys from the parameters; rows inserted with
an autoincremented key are those above the table's largest key before the insert; an ``update``
or ``delete`` by criteria selects its keys first).  A statement run on the raw connection calls
:func:`touch` itself.  ``store.audit.Chain.flush`` then reads the touched rows back by key and
attaches their bindings to the transaction's last audit record (``audit_log.bound`` is the
digest of that list, inside the record's hash; the list itself is in ``audit_binding``).

A transaction that wrote authoritative rows but no audit record is bound at commit by a record
``audit.bind`` of the system — or, with ``INTIKHAB_STRICT_BINDING=1`` (the tests), refused: a
write path without an audit record is a bug.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, event, func, select, tuple_
from sqlalchemy.orm import ORMExecuteState, Session, object_mapper

from intikhab.store.models import Base

#: Tables that are the log itself, or hold nothing of the election — not bound: the login
#: sessions and the login throttle are short-lived security state (an edit can only end a
#: session or lift a delay early; every login, logout and lockout is itself in the log).
UNBOUND = frozenset({"audit_log", "audit_head", "audit_binding", "alembic_version",
                     "user_session", "login_throttle"})
_TOUCHED = "intikhab.touched"
_SINCE = "intikhab.since"
_BATCH = 500


def bound_tables() -> list[Table]:
    """Every authoritative table, in dependency order."""
    return [t for t in Base.metadata.sorted_tables if t.name not in UNBOUND]


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not canonical: {type(value).__name__}")


_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=_json_default).encode


def row_digest(columns: Sequence[str], values: Sequence[Any]) -> str:
    """The hex SHA-256 of one row: the canonical JSON object of every column and its value."""
    return hashlib.sha256(_ENCODE(dict(zip(columns, values, strict=True))).encode()).hexdigest()


def key_text(values: Sequence[Any]) -> str:
    """A primary key as stored in a binding: the canonical JSON list of its values."""
    return _ENCODE(list(values))


def _touched(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    return session.info.setdefault(_TOUCHED, {})  # type: ignore[no-any-return]


def touch(session: Session, table: Table | type[Base], keys: Iterable[Sequence[Any]]) -> None:
    """Mark rows of ``table`` (by primary-key values, in the key's column order) as written by
    this transaction: for statements run outside the ORM (``session.connection().execute``)."""
    t = table if isinstance(table, Table) else table.__table__
    assert isinstance(t, Table)
    if t.name not in UNBOUND:
        _touched(session).setdefault(t.name, set()).update(tuple(k) for k in keys)


def pending(session: Session) -> bool:
    """Whether rows written in this transaction still await their binding."""
    return bool(session.info.get(_TOUCHED)) or bool(session.info.get(_SINCE))


def _pk(t: Table) -> list[Any]:
    return list(t.primary_key.columns)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        mapper = object_mapper(obj)
        t = mapper.local_table
        if isinstance(t, Table) and t.name not in UNBOUND:
            touch(session, t, [mapper.primary_key_from_instance(obj)])


def _statement_keys(state: ORMExecuteState, t: Table) -> list[tuple[Any, ...]] | None:
    """The keys an insert's parameters name, or None when they do not name them all."""
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    names = [c.key for c in _pk(t)]
    if not rows or any(n not in r for r in rows for n in names):
        return None
    return [tuple(r[n] for n in names) for r in rows]


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    t = getattr(state.statement, "table", None)
    if not isinstance(t, Table) or t.name in UNBOUND:
        return
    session = state.session
    if state.is_insert:
        keys = _statement_keys(state, t)
        if keys is not None:
            touch(session, t, keys)
            return
        pk = _pk(t)
        if len(pk) != 1 or not pk[0].autoincrement:
            raise AssertionError(f"cannot bind an insert into {t.name}: call binding.touch")
        since = session.info.setdefault(_SINCE, {})
        if t.name not in since:
            since[t.name] = session.execute(select(func.coalesce(func.max(pk[0]), 0))
                                            ).scalar_one()
        return
    where = state.statement.whereclause  # type: ignore[attr-defined]
    if isinstance(state.parameters, list) or where is None:
        raise AssertionError(f"cannot bind a bulk update of {t.name}: call binding.touch")
    touch(session, t, [tuple(r) for r in session.execute(select(*_pk(t)).where(where))])


def collect(session: Session) -> list[tuple[str, str, str | None]]:
    """The bindings of every row touched since the last call, read back from the database
    (rows of a table in key order; a row no longer there is bound as deleted); forgets them."""
    touched = session.info.pop(_TOUCHED, {})
    since = session.info.pop(_SINCE, {})
    out: list[tuple[str, str, str | None]] = []
    for t in bound_tables():
        keys, floor = touched.get(t.name, set()), since.get(t.name)
        if not keys and floor is None:
            continue
        found = _read(session, t, keys, floor)
        for k in keys:
            found.setdefault(key_text(k), None)
        out.extend((t.name, k, found[k]) for k in sorted(found))
    return out


def _read(session: Session, t: Table, keys: set[tuple[Any, ...]],
          floor: int | None) -> dict[str, str | None]:
    pk, cols = _pk(t), list(t.columns)
    names, at = [c.key for c in cols], [cols.index(c) for c in pk]
    conn = session.connection()
    found: dict[str, str | None] = {}

    def add(rows: Iterable[Any]) -> None:
        for row in rows:
            found[key_text([row[i] for i in at])] = row_digest(names, row)

    ordered = sorted(keys, key=key_text)
    for i in range(0, len(ordered), _BATCH):
        part = ordered[i:i + _BATCH]
        cond = (pk[0].in_([k[0] for k in part]) if len(pk) == 1
                else tuple_(*pk).in_(part))
        add(conn.execute(select(*cols).where(cond)))
    if floor is not None:
        add(conn.execute(select(*cols).where(pk[0] > floor)))
    return found


def forget(session: Session) -> None:
    """Drop what a rolled-back transaction touched."""
    session.info.pop(_TOUCHED, None)
    session.info.pop(_SINCE, None)


def strict() -> bool:
    return os.environ.get("INTIKHAB_STRICT_BINDING") == "1"
