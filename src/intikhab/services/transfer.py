"""Import and export: the election bundle as JSON or CSV, polling-station minutes as JSON or CSV,
and the declared results as JSON, CSV and the NIST SP 1500-100 (version 2) Election Results
Reporting common data format (docs/formats.md).

Every import is all or nothing: each row is checked first, and any problem is reported as a
:class:`~intikhab.services.setup.RowError` naming the table, the row (a CSV file's *line*, its
header being line 1; a JSON file's item number), the field and the catalogue's code; then
:class:`~intikhab.services.setup.ImportRejected` carries every error and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law.errors import InputError
from intikhab.records import entry as sm
from intikhab.records.checks import blocking, check_minute
from intikhab.records.minutes import COUNTS, Minute
from intikhab.services import entry, results
from intikhab.services.entry import Submitted
from intikhab.services.setup import TABLES, ImportRejected, RowError, load_bundle
from intikhab.store.models import (
    Candidacy,
    Commune,
    Constituency,
    Election,
    Entry,
    MinuteState,
    Party,
    Prefecture,
    Region,
    Result,
    Station,
    User,
)

Json = Any

# ---------------------------------------------------------------------------------------------
# Shared helpers


def _message(code: str, **params: Any) -> str:
    return InputError(code, **params).message("en")


def _imp002(table: str, row: int, name: str, expected: str) -> RowError:
    return RowError(table, row, name, "E-IMP-002",
                    _message("E-IMP-002", field=name, expected=expected))


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


def _csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def read_json_file(path: str | Path, table: str) -> Json:
    """Decode a UTF-8 JSON file; a file that is not UTF-8 or not JSON is one
    ``E-IMP-002`` row error at the offending line."""
    data = _read_bytes(Path(path), table)
    text = _decode(data, table)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected([_imp002(table, exc.lineno, "$",
                                      f"valid JSON ({exc.msg}, column {exc.colno})")]) from None


def _read_bytes(path: Path, table: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("E-IO-001", field=str(path),
                         detail=exc.strerror or exc.__class__.__name__) from None


def _decode(data: bytes, table: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRejected([_imp002(table, line, "$", "UTF-8 text")]) from None


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
        text = _decode(data, table)
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
            errors.append(_imp002(table, reader.line_num or start, "$", f"valid CSV ({exc})"))
            break
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if header is None:
            header = tuple(c.strip() for c in cells)
            seen: set[str] = set()
            for name in header:
                if name not in known:
                    errors.append(_imp002(table, start, name or "$",
                                          "a column among " + ", ".join(known)))
                elif name in seen:
                    errors.append(_imp002(table, start, name, "each column once"))
                seen.add(name)
            errors += [_imp002(table, start, name, "a column") for name in required
                       if name not in seen]
            continue
        if len(cells) != len(header):
            errors.append(_imp002(table, start, "$", f"{len(header)} cells, not {len(cells)}"))
            continue
        records.append((start, tuple(cells)))
    return CsvTable(table, header or (), tuple(records)), errors


# ---------------------------------------------------------------------------------------------
# The election bundle as CSV

ELECTION_COLUMNS: Final = ("id", "name", "polling_date", "rules_communal", "rules_regional",
                           "seed")
CSV_TABLES: Final[dict[str, tuple[str, ...]]] = {
    "election": ELECTION_COLUMNS,
    **{table: tuple(spec) for table, (_model, spec) in TABLES.items()},
}
"""Each bundle table's CSV file (``<table>.csv``) and its columns, in order."""

_KINDS: Final[dict[tuple[str, str], str]] = {
    ("election", "seed"): "int",
    **{(table, name): kind for table, (_m, spec) in TABLES.items()
       for name, (_c, kind, _r) in spec.items()},
}
_INT = re.compile(r"\s*-?\d+\s*")


def _typed(kind: str, cell: str) -> Any:
    """A CSV cell in the bundle's JSON type where it reads as one; otherwise the text itself,
    for :func:`~intikhab.services.setup.validate` to reject with the field's expectation."""
    if kind == "int" and _INT.fullmatch(cell):
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
        """The errors of :func:`~intikhab.services.setup.validate` with each row number
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
                found[p.stem] = _read_bytes(p, p.stem)
        return found
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or not name.lower().endswith(".csv") or (
                        info.filename.startswith("__MACOSX/")):
                    continue
                stem = name[:-4]
                if stem in found:
                    raise ImportRejected([_imp002(stem, 1, "$", "one file per table")])
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
            errors.append(_imp002(stem, 1, "$", "a file named after a bundle table: "
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
                        row[name] = json.loads(cell)
                    except json.JSONDecodeError as exc:
                        errors.append(_imp002(table, line, name, f"a JSON value ({exc.msg})"))
                    continue
                row[name] = _typed(kind, cell)
                if table == "election" and kind == "int" and isinstance(row[name], str):
                    errors.append(_imp002(table, line, name, "an integer"))
            rows.append(row)
            lines.setdefault(table, []).append(line)
        if table == "election":
            if len(rows) > 1:
                errors.append(_imp002(table, lines[table][1], "$", "a single election row"))
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
        files[f"{table}.csv"] = _csv_text(columns, rows)
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
        raise ImportRejected([_imp002("bundle", 1, "$", "a JSON object of tables")])
    return BundleFile(doc)


def load_bundle_file(session: Session, path: str | Path, actor: str = "import") -> dict[str, int]:
    """Read and load a bundle file in the caller's transaction (nothing written on any error);
    the row errors of a CSV bundle name the line of each rejected row."""
    source = read_bundle_file(path)
    try:
        return load_bundle(session, source.bundle, actor=actor)
    except ImportRejected as rejected:
        raise ImportRejected(source.locate(rejected.errors)) from None


# ---------------------------------------------------------------------------------------------
# Minutes

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
            errors.append(_imp002(table, line, "votes", "CODE=N;CODE=N"))
            continue
        if code in votes:
            errors.append(RowError(table, line, "votes", "E-ALLOC-010",
                                   _message("E-ALLOC-010", field="votes", value=code)))
            continue
        votes[code] = int(value) if _INT.fullmatch(value) else value.strip()
    return votes, errors


def read_minutes_csv(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """The rows of a minutes CSV file (columns :data:`MINUTE_COLUMNS`), each with its line.
    A malformed file raises :class:`ImportRejected`; a malformed cell is left to the row."""
    return parse_minutes_csv(_read_bytes(Path(path), table), table)


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
            doc[k] = int(cell) if _INT.fullmatch(cell) else (cell.strip() or None)
        doc["votes"], problems = _votes_cell(row["votes"], table, line)
        doc["objections"] = row.get("objections", "")
        doc["observations"] = row.get("observations", "")
        out.append(RawMinute(line, doc, tuple(problems)))
    return out


def read_minutes_json(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """The minutes of a JSON file — a list of minute objects — each with its item number."""
    doc = read_json_file(path, table)
    if not isinstance(doc, list):
        raise ImportRejected([_imp002(table, 1, "$", "a JSON list of minutes")])
    return [RawMinute(n, item) for n, item in enumerate(doc, 1)]


def read_minutes(path: str | Path, table: str = "minutes") -> list[RawMinute]:
    """A minutes file: CSV when its name ends in ``.csv``, JSON otherwise."""
    if Path(path).suffix.lower() == ".csv":
        return read_minutes_csv(path, table)
    return read_minutes_json(path, table)


def _check_user(session: Session, user: str) -> None:
    found = session.get(User, user)
    if found is None or found.role not in entry.ENTER_ROLES:
        raise sm.EntryError("E-ENTRY-004", field="user", user=user)


def import_minutes(session: Session, user: str, rows: Sequence[RawMinute | Mapping[str, Any]],
                   accept_warnings: Iterable[str] = (), table: str = "minutes"
                   ) -> list[Submitted]:
    """Enter a file's minutes typed by ``user``, all or nothing, in the caller's transaction.

    Every row is read (``Minute.from_json``: ``E-PV-001``, ``E-PV-009``, ``E-PV-011``…) and
    checked against its station (``records.checks.check_minute``: ``E-PV-002`` …, and every
    warning not in ``accept_warnings``); a (station, vote) given twice is ``E-IMP-004``.  If any
    row is wrong, :class:`ImportRejected` carries every error and nothing is written.  Then all
    the minutes go through one :func:`~intikhab.services.entry.enter_minutes` call inside a
    savepoint: should the double-entry state refuse one (``E-ENTRY-001``/``-002``,
    ``E-PV-007``), the savepoint is rolled back and the import rejected the same way.

    Re-importing the same file as the same user gives ``duplicate`` outcomes and changes
    nothing.  ``rows`` are :class:`RawMinute` or bare minute documents (numbered from 1)."""
    _check_user(session, user)
    accepted = frozenset(accept_warnings)
    items = [r if isinstance(r, RawMinute) else RawMinute(n, r) for n, r in enumerate(rows, 1)]
    errors: list[RowError] = [e for item in items for e in item.errors]
    ctx = entry.Contexts.load(session)
    parsed: list[tuple[int, Minute]] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if item.errors:
            continue
        try:
            m = Minute.from_json(item.doc)
        except InputError as exc:
            errors.append(RowError(table, item.row, exc.field or "$", exc.code,
                                   exc.message("en")))
            continue
        key = (m.station, m.vote.value)
        if key in seen:
            errors.append(RowError(table, item.row, "station", "E-IMP-004", _message(
                "E-IMP-004", field="station", value=f"{key[0]}/{key[1]}")))
            continue
        seen.add(key)
        stops = blocking(check_minute(m, ctx.context(*key)), accepted)
        errors += [RowError(table, item.row, f.field, f.code, f.message("en")) for f in stops]
        parsed.append((item.row, m))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        return []
    with session.begin_nested():  # rolled back, then re-raised, if the state refuses a row
        outcomes = entry.enter_minutes(session, user, [m for _, m in parsed], accepted,
                                       contexts=ctx)
        refused = []
        for (row, _m), o in zip(parsed, outcomes, strict=True):
            if o.outcome != "rejected":
                continue
            stop = next((f for f in o.findings if f.code == "E-PV-007"), None)
            if stop is not None:
                refused.append(RowError(table, row, stop.field, stop.code, stop.message("en")))
            elif o.error is not None:
                refused.append(RowError(table, row, o.error.field or "$", o.error.code,
                                        o.error.message("en")))
            else:  # pragma: no cover - the checks above already passed
                refused += [RowError(table, row, f.field, f.code, f.message("en"))
                            for f in blocking(o.findings, accepted)]
        if refused:
            raise ImportRejected(refused)
    return outcomes


def import_minutes_file(session: Session, user: str, path: str | Path,
                        accept_warnings: Iterable[str] = ()) -> list[Submitted]:
    """:func:`read_minutes` then :func:`import_minutes`."""
    return import_minutes(session, user, read_minutes(path), accept_warnings)


def export_minutes(session: Session, accepted_only: bool = True) -> list[dict[str, Any]]:
    """The accepted minute of every (station, vote), sorted — the import format, so the file
    re-imports.  With ``accepted_only=False``: every stored entry (each typed version, by
    every user), for audit; several rows may then share a (station, vote)."""
    if accepted_only:
        q = (select(Entry.minute).join(MinuteState, MinuteState.accepted_entry_id == Entry.id)
             .order_by(MinuteState.station_id, MinuteState.vote))
    else:
        q = select(Entry.minute).order_by(Entry.station_id, Entry.vote, Entry.version,
                                          Entry.created_at, Entry.id)
    return [dict(m) for m in session.scalars(q)]


def minutes_csv_text(minutes: Iterable[Mapping[str, Any]]) -> str:
    rows = [{**m, "votes": ";".join(f"{k}={v}" for k, v in sorted(m["votes"].items()))}
            for m in minutes]
    return _csv_text(MINUTE_COLUMNS, rows)


def write_minutes_csv(minutes: Iterable[Mapping[str, Any]], path: str | Path) -> None:
    """Minute documents as a CSV file (columns :data:`MINUTE_COLUMNS`)."""
    write_file(Path(path), minutes_csv_text(minutes).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Results


def _declared(session: Session) -> list[tuple[Constituency, Result]]:
    """Each declared constituency with its declared result: communal first, by council, id."""
    cons = {c.id: c for c in session.scalars(select(Constituency))}
    out = [(cons[cid], r) for cid, r in results.latest_results(session).items()
           if r.declared_at is not None]
    return sorted(out, key=lambda cr: (cr[0].vote, cr[0].council, cr[0].id))


def _seats(outcome: Mapping[str, Any]) -> dict[str, int]:
    if "totals" in outcome:
        return {k: int(v) for k, v in outcome["totals"].items()}
    return {outcome["winner"]: len(outcome["elected"])} if outcome.get("winner") else {}


def _elected(outcome: Mapping[str, Any]) -> dict[str, list[str]]:
    if "groups" in outcome:
        out: dict[str, list[str]] = defaultdict(list)
        for g in outcome["groups"]:
            for line in g["lists"]:
                out[line["id"]] += line["elected"]
        return dict(out)
    return {outcome["winner"]: list(outcome["elected"])} if outcome.get("winner") else {}


def _rows_of(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = figures.get("lists") or figures.get("candidates") or []
    return rows


def _seat_count(c: Constituency) -> int:
    if c.kind == "list":
        return sum(int(g["seats"]) for g in c.groups)
    return 2 if c.attached_women_seat else 1


def council_json(r: results.CouncilResult, elected: bool = True) -> dict[str, Any]:
    """A council's (or the national) result as JSON: the figures of ``council_result``."""
    return {"council": r.council, "vote": r.vote, "seats": r.seats, "declared": r.declared,
            "constituencies": r.constituencies, "registered": r.registered,
            "voters": r.voters,
            "parties": [{"party": p.party, "name_ar": p.name_ar, "name_fr": p.name_fr,
                         "seats": p.seats, "votes": p.votes,
                         **({"elected": list(p.elected)} if elected else {})}
                        for p in r.parties]}


def _election_json(session: Session) -> dict[str, Any] | None:
    e = session.execute(select(Election)).scalar_one_or_none()
    if e is None:
        return None
    return {"id": e.id, "name": e.name, "polling_date": e.polling_date.isoformat(),
            "rules_communal": e.rules_communal, "rules_regional": e.rules_regional}


def export_results_json(session: Session) -> dict[str, Any]:
    """Every declared result — the commission's figures (the engine's input) and the engine's
    outcome, with the rule set, engine version, status and declaration time — and the national
    aggregate per vote (``national_result``; declared results only).  A council's own result
    is ``intikhab results COUNCIL``, or the CSV export summed by council."""
    declared = _declared(session)
    return {
        "election": _election_json(session),
        "engine": results.ENGINE,
        "constituencies": [
            {"id": c.id, "name": c.name, "council": c.council, "vote": c.vote,
             "kind": c.kind, "seats": _seat_count(c), "rules": r.rules,
             "engine_version": r.engine_version, "status": r.status,
             "declared_at": r.declared_at.isoformat() if r.declared_at else None,
             "minutes_digest": r.minutes_digest, "lots": r.lots, "lot_seed": r.lot_seed,
             "figures": r.figures, "outcome": r.outcome}
            for c, r in declared],
        "national": {vote: council_json(results.national_result(session, vote), elected=False)
                     for vote in ("communal", "regional")},
    }


RESULT_COLUMNS: Final = ("constituency", "council", "vote", "code", "party", "votes", "seats",
                         "elected")


def results_rows(session: Session) -> list[dict[str, Any]]:
    """One row per declared constituency × list (or district candidate): its votes, seats and
    elected members (names joined by `` | ``), in ballot order."""
    party = {(x.constituency_id, x.code): x.party_id
             for x in session.scalars(select(Candidacy))}
    out = []
    for c, r in _declared(session):
        seats, elected = _seats(r.outcome), _elected(r.outcome)
        for row in _rows_of(r.figures):
            code = row["id"]
            out.append({"constituency": c.id, "council": c.council, "vote": c.vote,
                        "code": code, "party": party.get((c.id, code)) or "",
                        "votes": int(row["votes"]), "seats": seats.get(code, 0),
                        "elected": " | ".join(elected.get(code, []))})
    return out


def results_csv_text(session: Session) -> str:
    return _csv_text(RESULT_COLUMNS, results_rows(session))


def export_results_csv(session: Session, path: str | Path) -> None:
    """The declared results as CSV (columns :data:`RESULT_COLUMNS`)."""
    write_file(Path(path), results_csv_text(session).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# NIST SP 1500-100 v2, Election Results Reporting (JSON); the mapping is in docs/formats.md

NIST: Final = "ElectionResults."
NIST_SCHEMA: Final = ("https://github.com/usnistgov/ElectionResultsReporting/blob/"
                      "version2/NIST_V2_election_results_reporting.json")
COUNTRY: Final = "gpu-MA"
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_VOTE_NAMES: Final = {
    "communal": ("الانتخابات الجماعية", "Élections communales"),
    "regional": ("الانتخابات الجهوية", "Élections régionales"),
}
_COUNCIL_NAMES: Final = {
    "communal": ("مجلس جماعة", "Conseil communal de"),
    "regional": ("مجلس جهة", "Conseil régional de"),
}


def _t(kind: str, **fields: Any) -> dict[str, Any]:
    return {"@type": NIST + kind, **fields}


def _itext(ar: str | None = None, fr: str | None = None) -> dict[str, Any]:
    """An ``InternationalizedText``: Arabic and/or French ``LanguageString`` entries."""
    texts = [_t("LanguageString", Content=text, Language=lang)
             for lang, text in (("ar", ar), ("fr", fr)) if text]
    return _t("InternationalizedText", Text=texts)


def _name(text: str) -> dict[str, Any]:
    """A stored name as ``InternationalizedText``: ``"عربي / Français"`` gives both
    languages; otherwise the name's script decides (Arabic script → ``ar``, else ``fr``)."""
    ar, sep, fr = text.partition(" / ")
    if sep and _ARABIC.search(ar) and not _ARABIC.search(fr):
        return _itext(ar.strip(), fr.strip())
    return _itext(ar=text) if _ARABIC.search(text) else _itext(fr=text)


def gpu_id(kind: str, ident: str) -> str:
    """The ``@id`` of a reporting unit: ``gpu-<kind>-<id>`` (a region, a prefecture, a commune
    and a constituency may share an id in the bundle; ``@id`` must be unique)."""
    return f"gpu-{kind}-{ident}"


def _count(n: int, unit: str, kind: str = "total") -> dict[str, Any]:
    return _t("VoteCounts", Count=n, GpUnitId=unit, Type=kind)


def _units(session: Session, figures: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    regions = list(session.scalars(select(Region).order_by(Region.id)))
    prefectures = list(session.scalars(select(Prefecture).order_by(Prefecture.id)))
    communes = list(session.scalars(select(Commune).order_by(Commune.id)))
    cons = list(session.scalars(select(Constituency).order_by(Constituency.vote,
                                                             Constituency.id)))
    under: dict[str, list[str]] = defaultdict(list)
    for p in prefectures:
        under[gpu_id("region", p.region_id)].append(gpu_id("prefecture", p.id))
    for m in communes:
        parent = (gpu_id("prefecture", m.prefecture_id) if m.prefecture_id
                  else gpu_id("region", m.region_id))
        under[parent].append(gpu_id("commune", m.id))
    units = [_t("ReportingUnit", **{"@id": COUNTRY}, Type="country",
                Name=_itext("المملكة المغربية", "Royaume du Maroc"),
                ComposingGpUnitIds=[gpu_id("region", r.id) for r in regions])]

    def unit(kind: str, ident: str, name: str, type_: str, **extra: Any) -> dict[str, Any]:
        uid = gpu_id(kind, ident)
        doc = _t("ReportingUnit", **{"@id": uid}, Type=type_, Name=_name(name), **extra)
        if under.get(uid):
            doc["ComposingGpUnitIds"] = under[uid]
        return doc

    units += [unit("region", r.id, r.name, "state") for r in regions]
    units += [unit("prefecture", p.id, p.name, "county") for p in prefectures]
    units += [unit("commune", m.id, m.name, "municipality") for m in communes]
    for c in cons:
        extra: dict[str, Any] = {"Number": c.id}
        type_ = "ward"  # a single-member district of a commune
        if c.kind != "single_member":
            type_, extra["OtherType"] = "other", f"{c.vote}-list-constituency"
        f = figures.get(c.id)
        if f is not None:
            extra |= {"VotersRegistered": int(f["registered"]),
                      "VotersParticipated": int(f["voters"])}
        units.append(unit("constituency", c.id, c.name, type_, **extra))
    return units


def export_nist(session: Session, generated: datetime | None = None,
                issuer: str = "intikhab", issuer_abbreviation: str = "MA") -> dict[str, Any]:
    """The declared results as a NIST SP 1500-100 v2 ``ElectionReport`` (JSON), format
    ``summary-contest``: one ``Election`` per vote, one ``CandidateContest`` per declared
    constituency with a ``PartySelection`` per list (proportional) or a ``CandidateSelection``
    per district candidate (plurality), votes as ``VoteCounts`` of ``Type`` ``total`` and seats
    won as ``VoteCounts`` of ``Type`` ``seats``.  ``Status`` is ``certified`` when every
    constituency is declared, ``unofficial-partial`` otherwise.  Mapping: docs/formats.md."""
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    e = session.execute(select(Election)).scalar_one_or_none()
    if e is None:
        raise InputError("E-IMP-002", field="election", expected="a loaded election")
    declared = _declared(session)
    total = session.scalar(select(func.count()).select_from(Constituency)) or 0
    stations: dict[str, int] = defaultdict(int)
    for col in (Station.communal_constituency_id, Station.regional_constituency_id):
        for cid, n in session.execute(select(col, func.count()).group_by(col)):
            stations[cid] += n
    cands = {(x.constituency_id, x.code): x for x in session.scalars(select(Candidacy))}
    parties = {p.id: p for p in session.scalars(select(Party).order_by(Party.id))}
    party_docs = {f"party-{pid}": _t("Party", **{"@id": f"party-{pid}"},
                                     Name=_itext(p.name_ar, p.name_fr),
                                     Abbreviation=_itext(fr=pid), IsRecognizedParty=True)
                  for pid, p in parties.items()}
    elections = {vote: _t("Election", ElectionScopeId=COUNTRY,
                          StartDate=e.polling_date.isoformat(),
                          EndDate=e.polling_date.isoformat(), Type="general",
                          Name=_itext(f"{ar} — {e.name}", f"{fr} — {e.name}"),
                          Candidate=[], Contest=[], BallotCounts=[])
                 for vote, (ar, fr) in _VOTE_NAMES.items()}
    headers: dict[str, dict[str, Any]] = {}
    council_names = {r.id: r.name for r in session.scalars(select(Region))}
    council_names |= {c.id: c.name for c in session.scalars(select(Commune))}
    for c, r in declared:
        election = elections[c.vote]
        unit = gpu_id("constituency", c.id)
        contest_id = f"contest-{c.id}"
        seats, elected = _seats(r.outcome), _elected(r.outcome)
        selections: list[dict[str, Any]] = []
        for rank, row in enumerate(_rows_of(r.figures), 1):
            code = row["id"]
            cand = cands.get((c.id, code))
            if cand is not None and cand.party_id is not None:
                party_ref = f"party-{cand.party_id}"
            else:  # a list or candidate without a party: a party of its own
                party_ref = f"list-{c.id}-{code}"
                party_docs[party_ref] = _t("Party", **{"@id": party_ref},
                                           Name=_name(row.get("name") or code),
                                           IsRecognizedParty=False)
            counts = [_count(int(row["votes"]), unit), _count(seats.get(code, 0), unit, "seats")]
            sel_id = f"sel-{c.id}-{code}"
            if c.kind == "list":
                selections.append(_t("PartySelection", **{"@id": sel_id},
                                     PartyIds=[party_ref], SequenceOrder=rank,
                                     VoteCounts=counts))
                for i, person in enumerate(elected.get(code, []), 1):
                    election["Candidate"].append(_t(
                        "Candidate", **{"@id": f"cand-{c.id}-{code}-{i}"},
                        BallotName=_name(person), PartyId=party_ref,
                        PostElectionStatus="winner",
                        ExternalIdentifier=[_t("ExternalIdentifier", Type="other",
                                               OtherType="contest", Value=contest_id)]))
                continue
            won = code in elected
            ticket = [(f"cand-{c.id}-{code}", row.get("name") or code)]
            woman = row.get("attached_woman")
            if woman:
                ticket.append((f"cand-{c.id}-{code}-attached", woman["name"]))
            for i, (cid, person) in enumerate(ticket):
                election["Candidate"].append(_t(
                    "Candidate", **{"@id": cid}, BallotName=_name(person),
                    PartyId=party_ref, IsTopTicket=i == 0,
                    PostElectionStatus="winner" if won else "defeated"))
            selections.append(_t("CandidateSelection", **{"@id": sel_id},
                                 CandidateIds=[cid for cid, _ in ticket],
                                 EndorsementPartyIds=[party_ref], SequenceOrder=rank,
                                 VoteCounts=counts))
        n = stations.get(c.id, 0)
        election["Contest"].append(_t(
            "CandidateContest", **{"@id": contest_id}, Name=f"{c.id} — {c.name}",
            BallotTitle=_itext(f"الدائرة الانتخابية {c.name}", f"Circonscription {c.name}"),
            ElectionDistrictId=unit, NumberElected=_seat_count(c), VotesAllowed=1,
            VoteVariation="proportional" if c.kind == "list" else "plurality",
            SubUnitsReported=n, TotalSubUnits=n,
            CountStatus=[_t("CountStatus", Status="completed", Type="total")],
            ContestSelection=selections))
        election["BallotCounts"].append(_t(
            "BallotCounts", GpUnitId=unit, Type="total", BallotsCast=int(r.figures["voters"]),
            BallotsRejected=int(r.figures["void"])))
        hid = f"header-{c.vote}-{c.council}"
        if hid not in headers:
            name = council_names.get(c.council, c.council)
            ar, fr = _COUNCIL_NAMES[c.vote]
            headers[hid] = _t("Header", **{"@id": hid}, Name=_itext(f"{ar} {name}",
                                                                     f"{fr} {name}"))
    return _t(
        "ElectionReport",
        Format="summary-contest",
        GeneratedDate=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        Issuer=issuer,
        IssuerAbbreviation=issuer_abbreviation,
        VendorApplicationId=results.ENGINE,
        Status="certified" if declared and len(declared) == total else "unofficial-partial",
        SequenceStart=1,
        SequenceEnd=1,
        Notes=("Declared results only; counts are sums of the accepted polling-station "
               "minutes. Schema: " + NIST_SCHEMA),
        Election=list(elections.values()),
        Party=list(party_docs.values()),
        GpUnit=_units(session, {c.id: r.figures for c, r in declared}),
        Header=list(headers.values()),
    )
