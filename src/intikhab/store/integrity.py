"""Is the data what the log says?  Recompute every authoritative row's digest and compare it
with the latest binding of that row in the audit log (``store/binding.py``).

One pass over ``audit_binding`` in log order checks that each record's bindings still hash to
the ``bound`` digest the (hash-chained) record carries, and keeps the latest digest of every
(table, key); one pass over each table then finds every row edited (digest differs), inserted
(no binding, or bound as deleted) or deleted (bound, absent) outside the application.  Both
passes stream plain rows (no ORM objects), so a national night's log verifies in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from intikhab.store.audit import bound_digest
from intikhab.store.binding import bound_tables, key_text, row_digest
from intikhab.store.models import AuditBinding

_STREAM = 20_000


@dataclass(frozen=True, slots=True)
class Tampered:
    """One finding: the table, the row's key and what was done outside the application."""

    table: str
    key: str
    what: str

    def line(self) -> str:
        return f"{self.table} {self.key}: {self.what}"


def _stream(conn: Connection, query: Any) -> Iterator[Any]:
    yield from conn.execute(query.execution_options(yield_per=_STREAM))


def _bindings(conn: Connection, bound: dict[int, str], out: list[Tampered]
              ) -> dict[str, dict[str, str | None]]:
    """The latest digest of every bound (table, key); checks each record's bindings against
    its ``bound`` digest (``bound`` is consumed)."""
    latest: dict[str, dict[str, str | None]] = {t.name: {} for t in bound_tables()}
    cols = (AuditBinding.seq, AuditBinding.tbl, AuditBinding.key, AuditBinding.digest)
    seq: int | None = None
    group: list[tuple[str, str, str | None]] = []

    def close() -> None:
        if seq is not None and bound.pop(seq, None) != bound_digest(group):
            out.append(Tampered("audit_binding", str(seq),
                                "the bindings of this audit record were altered or added"))

    for s, tbl, key, dig in _stream(conn, select(*cols).order_by(AuditBinding.seq,
                                                                  AuditBinding.n)):
        if s != seq:
            close()
            seq, group = s, []
        group.append((tbl, key, dig))
        latest.setdefault(tbl, {})[key] = dig
    close()
    out.extend(Tampered("audit_binding", str(s), "the bindings of this audit record were "
                        "removed") for s in sorted(bound))
    return latest


def check_data(conn: Connection, bound: dict[int, str]) -> list[Tampered]:
    """Every authoritative row against the log; ``bound`` maps each audit record that bound
    rows to its ``bound`` digest (from the verified chain)."""
    out: list[Tampered] = []
    latest = _bindings(conn, dict(bound), out)
    for t in bound_tables():
        cols = list(t.columns)
        names = [c.key for c in cols]
        at = [cols.index(c) for c in t.primary_key.columns]
        known = latest.get(t.name, {})
        for row in _stream(conn, select(*cols)):
            key = key_text([row[i] for i in at])
            if key not in known:
                out.append(Tampered(t.name, key, "row inserted outside the application "
                                                 "(not in the log)"))
                continue
            expected = known.pop(key)
            if expected is None:
                out.append(Tampered(t.name, key, "row deleted in the log but present"))
            elif expected != row_digest(names, row):
                out.append(Tampered(t.name, key, "row edited outside the application "
                                                 "(digest differs from the log)"))
        out.extend(Tampered(t.name, key, "row deleted outside the application")
                   for key, dig in sorted(known.items()) if dig is not None)
    return out
