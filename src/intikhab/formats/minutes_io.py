"""Polling-station minutes as files (docs/formats.md): a JSON list of minute documents (as
:meth:`~intikhab.records.minutes.Minute.to_json` writes them) or a CSV file of
:data:`MINUTE_COLUMNS`, read row by row with each row's line and any problem of the file itself;
the minutes' own checks are the import's (``services.transfer.import_minutes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from intikhab.formats.files import (
    INT_CELL,
    Json,
    csv_text,
    parse_csv,
    read_bytes,
    read_json_file,
    write_file,
)
from intikhab.formats.rows import ImportRejected, RowError, imp002, message
from intikhab.records.minutes import COUNTS

__all__ = ["MINUTE_COLUMNS", "RawMinute", "minutes_csv_text", "parse_minutes_csv",
           "read_minutes", "read_minutes_csv", "read_minutes_json", "write_minutes_csv"]

MINUTE_COLUMNS: Final = ("station", "vote", *COUNTS, "votes", "objections", "observations")
"""The columns of a minutes CSV file; ``votes`` is ``CODE=N;CODE=N``."""
_MINUTE_REQUIRED: Final = ("station", "vote", *COUNTS, "votes")


@dataclass(frozen=True, slots=True)
class RawMinute:
    """One row of a minutes file, not yet checked: the minute's JSON document (as
    :meth:`Minute.to_json` writes it), its row (CSV line or JSON item number) and any problem
    already found reading the row."""

    row: int
    doc: Json
    errors: tuple[RowError, ...] = ()


def _votes_cell(cell: str, table: str, line: int) -> tuple[dict[str, Any], list[RowError]]:
    votes: dict[str, Any] = {}
    errors: list[RowError] = []
    for part in cell.split(";"):
        if not part.strip():
            continue
        code, sep, value = part.partition("=")
        code = code.strip()
        if not sep or not code:
            errors.append(imp002(table, line, "votes", "CODE=N;CODE=N"))
            continue
        if code in votes:
            errors.append(RowError(table, line, "votes", "E-ALLOC-010",
                                   message("E-ALLOC-010", field="votes", value=code)))
            continue
        votes[code] = int(value) if INT_CELL.fullmatch(value) else value.strip()
    return votes, errors


def read_minutes_csv(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """The rows of a minutes CSV file (columns :data:`MINUTE_COLUMNS`), each with its line.
    A malformed file raises :class:`ImportRejected`; a malformed cell is left to the row."""
    return parse_minutes_csv(read_bytes(Path(path), table), table)


def parse_minutes_csv(data: bytes, table: str = "minutes") -> list[RawMinute]:
    parsed, errors = parse_csv(data, table, MINUTE_COLUMNS, _MINUTE_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    out = []
    for line, cells in parsed.records:
        row = dict(zip(parsed.columns, cells, strict=True))
        doc: dict[str, Any] = {"station": row["station"].strip(), "vote": row["vote"].strip()}
        for k in COUNTS:
            cell = row[k]
            doc[k] = int(cell) if INT_CELL.fullmatch(cell) else (cell.strip() or None)
        doc["votes"], problems = _votes_cell(row["votes"], table, line)
        doc["objections"] = row.get("objections", "")
        doc["observations"] = row.get("observations", "")
        out.append(RawMinute(line, doc, tuple(problems)))
    return out


def read_minutes_json(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """The minutes of a JSON file — a list of minute objects — each with its item number."""
    doc = read_json_file(path, table)
    if not isinstance(doc, list):
        raise ImportRejected([imp002(table, 1, "$", "a JSON list of minutes")])
    return [RawMinute(n, item) for n, item in enumerate(doc, 1)]


def read_minutes(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """A minutes file: CSV when its name ends in ``.csv``, JSON otherwise."""
    if Path(path).suffix.lower() == ".csv":
        return read_minutes_csv(path, table)
    return read_minutes_json(path, table)


def minutes_csv_text(minutes: Iterable[Mapping[str, Any]]) -> str:
    """Minute documents as CSV text (columns :data:`MINUTE_COLUMNS`; ``votes`` sorted by
    code)."""
    rows = [{**m, "votes": ";".join(f"{k}={v}" for k, v in sorted(m["votes"].items()))}
            for m in minutes]
    return csv_text(MINUTE_COLUMNS, rows)


def write_minutes_csv(minutes: Iterable[Mapping[str, Any]], path: str | Path) -> None:
    """Minute documents as a CSV file (columns :data:`MINUTE_COLUMNS`)."""
    write_file(Path(path), minutes_csv_text(minutes).encode("utf-8"))
