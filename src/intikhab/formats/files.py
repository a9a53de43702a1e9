"""Files of the import and export formats: UTF-8 JSON and CSV text, read with each problem as a
:class:`~intikhab.formats.rows.RowError` at its line, and written through a temporary file
renamed into place (docs/formats.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from intikhab.formats import safejson
from intikhab.formats.rows import ImportRejected, RowError, imp002
from intikhab.law.errors import InputError

__all__ = [
    "INT_CELL",
    "CsvTable",
    "Json",
    "csv_text",
    "decode",
    "dumps",
    "neutralise",
    "parse_csv",
    "read_bytes",
    "read_json_file",
    "write_file",
    "write_json",
]

Json = Any
INT_CELL: Final = re.compile(r"\s*-?\d+\s*")
"""A cell that reads as an integer (spaces around it allowed)."""


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place: a failure leaves
    no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps(doc: Json) -> str:
    """The project's JSON text: UTF-8 kept, indented, one trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(doc: Json, path: str | Path) -> None:
    write_file(Path(path), dumps(doc).encode("utf-8"))


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(…)``)."""


def neutralise(text: str) -> str:
    """A text cell made inert for spreadsheets: one starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (OWASP's CSV injection advice).  A number such as
    ``-5`` is never text here: :func:`_cell` writes numbers as numbers."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return neutralise(str(value))


def read_json_file(path: str | Path, table: str) -> Json:
    """Decode a UTF-8 JSON file; a file that is not UTF-8 or not JSON is one
    ``E-IMP-002`` row error at the offending line."""
    data = read_bytes(Path(path), table)
    text = decode(data, table)
    try:
        return safejson.loads(text)  # depth, keys, repeated keys, digits: coded E-SEC-*
    except json.JSONDecodeError as exc:
        raise ImportRejected([imp002(table, exc.lineno, "$",
                                      f"valid JSON ({exc.msg}, column {exc.colno})")]) from None


def read_bytes(path: Path, table: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("E-IO-001", field=str(path),
                         detail=exc.strerror or exc.__class__.__name__) from None


def decode(data: bytes, table: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRejected([imp002(table, line, "$", "UTF-8 text")]) from None


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A decoded CSV file: its header, and each data record with the line it starts on."""

    table: str
    columns: tuple[str, ...]
    records: tuple[tuple[int, tuple[str, ...]], ...]


def parse_csv(data: bytes, table: str, known: Sequence[str],
              required: Sequence[str] = ()) -> tuple[CsvTable, list[RowError]]:
    """Read a UTF-8 CSV file with a header row.  Problems with the file itself — not UTF-8,
    broken quoting, an unknown, repeated or missing column, a record with the wrong number of
    cells — are ``E-IMP-002`` row errors at the line concerned.  Blank lines are skipped."""
    try:
        text = decode(data, table)
    except ImportRejected as rejected:
        return CsvTable(table, (), ()), list(rejected.errors)
    errors: list[RowError] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: tuple[str, ...] | None = None
    records: list[tuple[int, tuple[str, ...]]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(imp002(table, reader.line_num or start, "$", f"valid CSV ({exc})"))
            break
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if header is None:
            header = tuple(c.strip() for c in cells)
            seen: set[str] = set()
            for name in header:
                if name not in known:
                    errors.append(imp002(table, start, name or "$",
                                          "a column among " + ", ".join(known)))
                elif name in seen:
                    errors.append(imp002(table, start, name, "each column once"))
                seen.add(name)
            errors += [imp002(table, start, name, "a column") for name in required
                       if name not in seen]
            continue
        if len(cells) != len(header):
            errors.append(imp002(table, start, "$", f"{len(header)} cells, not {len(cells)}"))
            continue
        records.append((start, tuple(cells)))
    return CsvTable(table, header or (), tuple(records)), errors
