"""The election bundle (docs/records.md): its tables' fields, and the bundle as one CSV file per
table — a folder or a .zip of ``election.csv``, ``parties.csv``… (docs/formats.md) — read into
the bundle's JSON shape with each row's line, or written from it.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from intikhab.formats import limits, safejson
from intikhab.formats.files import (
    INT_CELL,
    csv_text,
    parse_csv,
    read_bytes,
    read_json_file,
    write_file,
)
from intikhab.formats.rows import ImportRejected, RowError, imp002
from intikhab.law.errors import InputError

__all__ = ["BUNDLE_FIELDS", "CSV_TABLES", "ELECTION_COLUMNS", "BundleFile", "read_bundle_csv",
           "read_bundle_csv_file", "read_bundle_file", "write_bundle_csv"]

FieldSpec = dict[str, tuple[str, str, bool]]
"""A bundle table's fields: field → (database column, kind, required); kinds: str, int, bool,
json."""

BUNDLE_FIELDS: Final[dict[str, FieldSpec]] = {
    "parties": {"id": ("id", "str", True), "name_ar": ("name_ar", "str", True),
                "name_fr": ("name_fr", "str", True)},
    # ``name`` is the Arabic name; ``name_fr`` the French one (optional)
    "regions": {"id": ("id", "str", True), "name": ("name", "str", True),
                "name_fr": ("name_fr", "str", False),
                "population": ("population", "int", True)},
    "prefectures": {"id": ("id", "str", True), "region": ("region_id", "str", True),
                    "name": ("name", "str", True), "name_fr": ("name_fr", "str", False)},
    "communes": {"id": ("id", "str", True), "region": ("region_id", "str", True),
                 "prefecture": ("prefecture_id", "str", False),
                 "name": ("name", "str", True), "name_fr": ("name_fr", "str", False),
                 "kind": ("kind", "str", True),
                 "population": ("population", "int", True),
                 "council_seats": ("council_seats", "int", True)},
    "constituencies": {
        "id": ("id", "str", True), "vote": ("vote", "str", True), "kind": ("kind", "str", True),
        "council": ("council", "str", True), "name": ("name", "str", True),
        "name_fr": ("name_fr", "str", False),
        "groups": ("groups", "json", False),
        "attached_women_seat": ("attached_women_seat", "bool", False)},
    "central_offices": {"id": ("id", "str", True), "commune": ("commune_id", "str", True)},
    "stations": {"id": ("id", "str", True),
                 "central_office": ("central_office_id", "str", True),
                 "communal": ("communal_constituency_id", "str", True),
                 "regional": ("regional_constituency_id", "str", True),
                 "registered": ("registered", "int", True)},
    "candidacies": {"constituency": ("constituency_id", "str", True),
                    "code": ("code", "str", True), "party": ("party_id", "str", False),
                    "name": ("name", "str", True), "rank": ("rank", "int", True),
                    "candidates": ("candidates", "json", True)},
    "users": {"id": ("id", "str", True), "name": ("name", "str", True),
              "role": ("role", "str", True),
              # the constituencies a clerk or coordinator works for: "*" or "C1;C2"
              "scope": ("scope", "str", False)},
}
"""The bundle's tables, in loading order (a table refers only to those before it)."""

ELECTION_COLUMNS: Final = ("id", "name", "polling_date", "rules_communal", "rules_regional",
                           "seed", "fragment")
"""``fragment``: the bundle describes some constituencies of its councils only, so the loading
checks that need a whole council are left out (``services.setup_law``)."""
CSV_TABLES: Final[dict[str, tuple[str, ...]]] = {
    "election": ELECTION_COLUMNS,
    **{table: tuple(spec) for table, spec in BUNDLE_FIELDS.items()},
}
"""Each bundle table's CSV file (``<table>.csv``) and its columns, in order."""

_KINDS: Final[dict[tuple[str, str], str]] = {
    ("election", "seed"): "int",
    ("election", "fragment"): "bool",
    **{(table, name): kind for table, spec in BUNDLE_FIELDS.items()
       for name, (_c, kind, _r) in spec.items()},
}


def _typed(kind: str, cell: str) -> Any:
    """A CSV cell in the bundle's JSON type where it reads as one; otherwise the text itself,
    for the bundle's validation (``services.setup.validate``) to reject with the field's
    expectation."""
    if kind == "int" and INT_CELL.fullmatch(cell):
        return int(cell)
    if kind == "bool" and cell.strip().lower() in ("true", "false", "1", "0"):
        return cell.strip().lower() in ("true", "1")
    return cell


@dataclass(frozen=True, slots=True)
class BundleFile:
    """A bundle read from a file, with where each row came from: for CSV, ``lines[table][n-1]``
    is the line of data row ``n``; for JSON ``lines`` is empty and rows are item numbers."""

    bundle: dict[str, Any]
    lines: dict[str, list[int]] = field(default_factory=dict)

    def locate(self, errors: Iterable[RowError]) -> list[RowError]:
        """The errors of the bundle's validation (``services.setup.validate``), each row number
        replaced by the row's line in its CSV file (row 0, a table-level error, is line 1)."""
        out = []
        for e in errors:
            lines = self.lines.get(e.table)
            if lines is None:
                out.append(e)
                continue
            row = lines[e.row - 1] if 1 <= e.row <= len(lines) else 1
            out.append(RowError(e.table, row, e.field, e.code, e.message))
        return out


def _csv_members(path: Path) -> dict[str, bytes]:
    """``<name>.csv`` → content, from a folder or a zip archive (any folder inside it)."""
    found: dict[str, bytes] = {}
    if path.is_dir():
        for p in sorted(path.iterdir()):
            if p.suffix.lower() == ".csv" and p.is_file():
                found[p.stem] = read_bytes(p, p.stem)
        return found
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            limits.check_zip(infos, path.name)  # before inflating anything
            for info in infos:
                name = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or not name.lower().endswith(".csv") or (
                        info.filename.startswith("__MACOSX/")):
                    continue
                stem = name[:-4]
                if stem in found:
                    raise ImportRejected([imp002(stem, 1, "$", "one file per table")])
                found[stem] = z.read(info)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError("E-IO-001", field=str(path), detail=str(exc)) from None
    return found


def read_bundle_csv_file(path: str | Path) -> BundleFile:
    """Read a bundle from a folder or a .zip of CSV files (``election.csv``, ``parties.csv``…;
    docs/formats.md) into the bundle's JSON shape, remembering each row's line.

    Cells are converted to the bundle's types where they read as such (integers, booleans,
    JSON for ``groups`` and ``candidates``); an empty cell is an absent value.  A malformed
    file — not UTF-8, broken quoting, an unknown column, a JSON cell that is not JSON, an
    unknown ``.csv`` file — raises :class:`ImportRejected` with ``E-IMP-002`` at its line."""
    members = _csv_members(Path(path))
    errors: list[RowError] = []
    bundle: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    for stem in members:
        if stem not in CSV_TABLES:
            errors.append(imp002(stem, 1, "$", "a file named after a bundle table: "
                                  + ", ".join(f"{t}.csv" for t in CSV_TABLES)))
    for table, columns in CSV_TABLES.items():
        if table not in members:
            continue
        parsed, problems = parse_csv(members[table], table, columns)
        errors += problems
        rows: list[dict[str, Any]] = []
        for line, cells in parsed.records:
            row: dict[str, Any] = {}
            for name, cell in zip(parsed.columns, cells, strict=True):
                if cell == "" or name not in columns:
                    continue
                kind = _KINDS.get((table, name), "str")
                if kind == "json":
                    try:
                        row[name] = safejson.loads(cell)
                    except json.JSONDecodeError as exc:
                        errors.append(imp002(table, line, name, f"a JSON value ({exc.msg})"))
                    except InputError as exc:
                        errors.append(RowError(table, line, name, exc.code, exc.message("en")))
                    continue
                row[name] = _typed(kind, cell)
                if table == "election" and kind == "int" and isinstance(row[name], str):
                    errors.append(imp002(table, line, name, "an integer"))
            rows.append(row)
            lines.setdefault(table, []).append(line)
        if table == "election":
            if len(rows) > 1:
                errors.append(imp002(table, lines[table][1], "$", "a single election row"))
            if rows:
                bundle["election"] = rows[0]
        else:
            bundle[table] = rows
    if errors:
        raise ImportRejected(errors)
    return BundleFile(bundle, lines)


def read_bundle_csv(path: str | Path) -> dict[str, Any]:
    """The bundle in a folder or a .zip of CSV files (see :func:`read_bundle_csv_file`)."""
    return read_bundle_csv_file(path).bundle


def write_bundle_csv(bundle: Mapping[str, Any], path: str | Path) -> None:
    """Write a bundle as one CSV file per table (header row, UTF-8): into the folder ``path``,
    or into a zip archive when ``path`` ends in ``.zip``.  ``None`` is an empty cell; ``groups``
    and ``candidates`` are JSON text."""
    files: dict[str, str] = {}
    for table, columns in CSV_TABLES.items():
        if table == "election":
            election = bundle.get("election")
            rows: list[Mapping[str, Any]] = [election] if election else []
        else:
            rows = list(bundle.get(table) or [])
        files[f"{table}.csv"] = csv_text(columns, rows)
    target = Path(path)
    if target.suffix.lower() == ".zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text.encode("utf-8"))
        write_file(target, buf.getvalue())
        return
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_file(target / name, text.encode("utf-8"))


def read_bundle_file(path: str | Path) -> BundleFile:
    """A bundle from a JSON file, or from a folder or .zip of CSV files."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".zip":
        return read_bundle_csv_file(p)
    doc = read_json_file(p, "bundle")
    if not isinstance(doc, dict):
        raise ImportRejected([imp002("bundle", 1, "$", "a JSON object of tables")])
    return BundleFile(doc)
