"""Import and export (``services/transfer.py``, the ``formats`` it reads and writes,
``cli/transfer.py``) on SQLite and PostgreSQL: bundle and minutes round trips in JSON and CSV,
row errors with their line and code, all or nothing (a rejected file leaves every table and the
audit chain as they were), idempotent re-imports, the results exports (JSON, CSV, NIST SP
1500-100 v2) against the results service, and the ``import``/``export`` commands."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import small_bundle
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from intikhab.cli.transfer import register
from intikhab.formats.bundle_csv import (
    CSV_TABLES,
    read_bundle_csv,
    read_bundle_file,
    write_bundle_csv,
)
from intikhab.formats.declared import RESULT_COLUMNS
from intikhab.formats.files import dumps, parse_csv, write_json
from intikhab.formats.minutes_io import minutes_csv_text, read_minutes, write_minutes_csv
from intikhab.formats.nist import gpu_id
from intikhab.formats.rows import ImportRejected
from intikhab.law.vote import Vote
from intikhab.records.minutes import Minute
from intikhab.services import council_results, results, transfer
from intikhab.services.setup import dump_bundle, load_bundle
from intikhab.store import audit
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import AuditHead, AuditLog, Base

# bundles exported and imported whole: in the full suite, not the fast set
pytestmark = pytest.mark.slow

Sessions_ = sessionmaker[Session]

STATIONS = {**{f"C1-S{i}": ("C1", 1000) for i in range(1, 5)},
            **{f"{d}-S{i}": (d, 500) for d in ("D1", "D2") for i in (1, 2)}}
VOTES = ("communal", "regional")


def codes_of(station: str, vote: str) -> list[str]:
    if vote == "regional" or station.startswith("C1"):
        return ["PA", "PB", "PC"]
    d = STATIONS[station][0]
    return [f"PA:{d}", f"PB:{d}"]


def constituency_of(station: str, vote: str) -> str:
    return "K1" if vote == "regional" else STATIONS[station][0]


def minute(station: str, vote: str = "communal", shift: int = 0, void: int = 7,
           illegal: int = 0, signed_delta: int = 0) -> Minute:
    """A minute that passes every check (``signed_delta`` ≠ 0 raises W-PV-004 only)."""
    codes = codes_of(station, vote)
    n = int(station[-1])
    votes = {c: 40 * (len(codes) - i) + 3 * n + 5 * (vote == "regional")
             for i, c in enumerate(codes)}
    votes[codes[0]] += shift
    votes[codes[1]] -= shift
    ballots = sum(votes.values()) + void + illegal
    return Minute(station, Vote(vote), STATIONS[station][1], ballots + signed_delta, ballots,
                  void, 2, illegal, tuple(votes.items()), observations="RAS, «ok»")


def all_minutes() -> list[Minute]:
    return [minute(st, v, illegal=int(st == "C1-S2")) for st in STATIONS for v in VOTES]


def docs(ms: list[Minute]) -> list[dict[str, Any]]:
    return [m.to_json() for m in ms]


def snapshot(Sessions: Sessions_) -> dict[str, Any]:
    """Row counts of every table, and the audit chain's length and head."""
    with Sessions() as s:
        out: dict[str, Any] = {t.name: s.scalar(select(func.count()).select_from(t))
                               for t in Base.metadata.sorted_tables}
        report = audit.verify(s)
        head = s.get(AuditHead, 1)
        out["audit"] = (report.ok, report.records, head.hash if head else None)
    return out


def errors_of(exc: pytest.ExceptionInfo[ImportRejected]) -> list[tuple[str, int, str, str]]:
    return [(e.table, e.row, e.field, e.code) for e in exc.value.errors]


def canonical(bundle: dict[str, Any]) -> dict[str, Any]:
    """A bundle with its rows in a fixed order (for comparisons modulo ordering)."""
    return {k: sorted(v, key=lambda r: json.dumps(r, sort_keys=True)) if isinstance(v, list)
            else v for k, v in bundle.items()}


def with_defaults(bundle: dict[str, Any]) -> dict[str, Any]:
    """``small_bundle()`` as the database gives it back: the optional fields filled in."""
    out = json.loads(json.dumps(bundle))
    out["election"].setdefault("seed", None)
    out["election"].pop("fragment", None)  # an import directive, not stored (setup_law)
    for c in out["constituencies"]:
        c.setdefault("groups", [])
        c.setdefault("attached_women_seat", False)
    return out


def drop_none(bundle: dict[str, Any]) -> dict[str, Any]:
    """A bundle without its ``None`` fields (a CSV file's empty cells are absent values)."""

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if v is not None}

    return {k: [row(r) for r in v] if isinstance(v, list) else row(v)
            for k, v in bundle.items()}


@pytest.fixture
def db(Sessions: Sessions_) -> Sessions_:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    return Sessions


def enter_all(db: Sessions_, tmp_path: Path, ms: list[Minute] | None = None) -> Path:
    path = tmp_path / "minutes.json"
    write_json(docs(ms or all_minutes()), path)
    for user in ("clerk1", "clerk2"):
        with db.begin() as s:
            outs = transfer.import_minutes_file(s, user, path)
        assert {o.outcome for o in outs} == {"first_recorded" if user == "clerk1"
                                             else "accepted"}
    return path


@pytest.fixture
def night(db: Sessions_, tmp_path: Path) -> Sessions_:
    """Every minute entered twice, every constituency allocated and declared."""
    enter_all(db, tmp_path)
    with db.begin() as s:
        assert {r.status for r in results.allocate(s, "coord")} == {"declared"}
    with db.begin() as s:
        assert results.declare(s, "coord") == 4
    return db


# ---------------------------------------------------------------------------------------------
# The bundle


def test_bundle_json_round_trip(Sessions: Sessions_, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    write_json(small_bundle(), path)
    with Sessions.begin() as s:
        counts = transfer.load_bundle_file(s, path)
    assert counts["stations"] == 8 and counts["candidacies"] == 10
    with Sessions() as s:
        dumped = dump_bundle(s)
    assert canonical(dumped) == canonical(with_defaults(small_bundle()))


@pytest.mark.parametrize("target", ["folder", "bundle.zip"])
def test_bundle_csv_write_then_read_is_the_same_bundle(tmp_path: Path, target: str) -> None:
    bundle = small_bundle()
    bundle["communes"][0]["name"] = 'Commune "1",\nالجماعة ١'  # quoting, a newline, Arabic
    write_bundle_csv(bundle, tmp_path / target)
    assert read_bundle_csv(tmp_path / target) == bundle
    if target == "folder":
        files = sorted(p.name for p in (tmp_path / target).iterdir())
        assert files == sorted(f"{t}.csv" for t in CSV_TABLES)
        header = (tmp_path / target / "stations.csv").read_text("utf-8").splitlines()[0]
        assert header == "id,central_office,communal,regional,registered"


def test_bundle_csv_loads_like_json_and_dumps_back(Sessions: Sessions_, tmp_path: Path
                                                   ) -> None:
    write_bundle_csv(small_bundle(), tmp_path / "b.zip")
    with Sessions.begin() as s:
        transfer.load_bundle_file(s, tmp_path / "b.zip")
    with Sessions() as s:
        dumped = dump_bundle(s)
    assert canonical(dumped) == canonical(with_defaults(small_bundle()))
    write_bundle_csv(dumped, tmp_path / "again")
    assert read_bundle_csv(tmp_path / "again") == drop_none(dumped)


def edit_csv(path: Path, line: int, column: str | None, value: str | None = None,
             append: list[str] | None = None) -> None:
    """Set ``column`` of the record on ``line`` (records are one line each here), or append a
    record."""
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    if append is not None:
        rows.append(append)
    else:
        assert column is not None and value is not None
        rows[line - 1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), "utf-8")


BAD_BUNDLES: dict[str, tuple[Callable[[Path], None], list[tuple[str, int, str, str]]]] = {
    "missing field": (lambda d: edit_csv(d / "regions.csv", 2, "name", ""),
                      [("regions", 2, "name", "E-IMP-002")]),
    "bad int": (lambda d: edit_csv(d / "stations.csv", 4, "registered", "12a"),
                [("stations", 4, "registered", "E-IMP-002")]),
    "negative int": (lambda d: edit_csv(d / "communes.csv", 3, "population", "-5"),
                     [("communes", 3, "population", "E-IMP-002")]),
    "unknown reference": (lambda d: edit_csv(d / "communes.csv", 3, "prefecture", "K9"),
                          [("communes", 3, "prefecture", "E-IMP-003")]),
    "duplicate id": (lambda d: edit_csv(d / "parties.csv", 0, None,
                                        append=["PA", "حزب", "Parti"]),
                     [("parties", 5, "id", "E-IMP-004")]),
    "duplicate candidacy": (lambda d: edit_csv(d / "candidacies.csv", 0, None, append=[
        "K1", "PA", "PA", "x", "9", '{"general":[],"women":[]}']),
                            [("candidacies", 12, "id", "E-IMP-004")]),
    "bad enum": (lambda d: edit_csv(d / "constituencies.csv", 2, "vote", "national"),
                 [("constituencies", 2, "vote", "E-IMP-002")]),
    "bad bool": (lambda d: edit_csv(d / "constituencies.csv", 4, "attached_women_seat", "yes"),
                 [("constituencies", 4, "attached_women_seat", "E-IMP-002")]),
    "bad election date": (lambda d: edit_csv(d / "election.csv", 2, "polling_date", "2021-13-1"),
                          [("election", 2, "polling_date", "E-IMP-002")]),
    "unknown rule set": (lambda d: edit_csv(d / "election.csv", 2, "rules_regional", "x"),
                         [("election", 2, "rules_regional", "E-ALLOC-002")]),
    "line after a multi-line cell": (
        lambda d: (edit_csv(d / "communes.csv", 2, "name", "Commune\n1"),
                   edit_csv(d / "communes.csv", 3, "prefecture", "K9")),
        [("communes", 4, "prefecture", "E-IMP-003")]),
}


@pytest.mark.parametrize("case", list(BAD_BUNDLES))
def test_bad_bundle_rows_name_their_line_and_nothing_is_written(
        Sessions: Sessions_, tmp_path: Path, case: str) -> None:
    folder = tmp_path / "bundle"
    write_bundle_csv(small_bundle(), folder)
    edit, expected = BAD_BUNDLES[case]
    if case == "line after a multi-line cell":  # the edits must not rely on one-line records
        bundle = small_bundle()
        bundle["communes"][0]["name"] = "Commune\n1"
        bundle["communes"][1]["prefecture"] = "K9"
        write_bundle_csv(bundle, folder)
    else:
        edit(folder)
    before = snapshot(Sessions)
    with pytest.raises(ImportRejected) as exc, Sessions.begin() as s:
        transfer.load_bundle_file(s, folder)
    assert errors_of(exc) == expected
    assert exc.value.code == "E-IMP-001"
    assert snapshot(Sessions) == before


def test_a_bad_bundle_reports_every_row_at_once(Sessions: Sessions_, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    write_bundle_csv(small_bundle(), folder)
    for case in ("missing field", "bad int", "unknown reference", "duplicate id", "bad enum"):
        BAD_BUNDLES[case][0](folder)
    before = snapshot(Sessions)
    with pytest.raises(ImportRejected) as exc, Sessions.begin() as s:
        transfer.load_bundle_file(s, folder)
    assert sorted(errors_of(exc)) == sorted(
        e for case in ("missing field", "bad int", "unknown reference", "duplicate id",
                       "bad enum") for e in BAD_BUNDLES[case][1])
    assert str(exc.value.errors[0]).startswith("parties:5 id: E-IMP-004 duplicate id 'PA'")
    assert snapshot(Sessions) == before


def test_malformed_bundle_files(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    write_bundle_csv(small_bundle(), folder)
    # not UTF-8 on line 3, a JSON cell that is not JSON, an unknown column and an unknown file
    raw = (folder / "parties.csv").read_bytes().split(b"\n")
    raw[2] = raw[2].replace(b"PB", b"P\xffB")
    (folder / "parties.csv").write_bytes(b"\n".join(raw))
    edit_csv(folder / "constituencies.csv", 3, "groups", "[{part: general}]")
    text = (folder / "users.csv").read_text("utf-8").split("\n")
    text[0] += ",email"
    text[1:] = [line + "," if line else line for line in text[1:]]
    (folder / "users.csv").write_text("\n".join(text), "utf-8")
    (folder / "station.csv").write_text("id\nX\n", "utf-8")
    with pytest.raises(ImportRejected) as exc:
        read_bundle_csv(folder)
    assert sorted(errors_of(exc)) == sorted([
        ("station", 1, "$", "E-IMP-002"),
        ("parties", 3, "$", "E-IMP-002"),
        ("constituencies", 3, "groups", "E-IMP-002"),
        ("users", 1, "email", "E-IMP-002"),
    ])
    messages = {e.table: e.message for e in exc.value.errors}
    assert "UTF-8" in messages["parties"] and "JSON" in messages["constituencies"]


def test_csv_file_level_problems_are_row_errors() -> None:
    _table, errors = parse_csv(b'station,vote\n"C1-S1,communal\n', "m",
                                        ("station", "vote"))
    assert [(e.row, e.code) for e in errors] == [(2, "E-IMP-002")]
    table, errors = parse_csv(b"station,vote\r\n\r\nC1-S1\r\nA,b\r\n", "m",
                                       ("station", "vote"))
    assert [(e.row, e.field, e.code) for e in errors] == [(3, "$", "E-IMP-002")]
    assert table.records == ((4, ("A", "b")),)
    _table, errors = parse_csv(b"station,station\n", "m", ("station",), ("vote",))
    assert [(e.row, e.field) for e in errors] == [(1, "station"), (1, "vote")]


def test_json_bundle_errors(Sessions: Sessions_, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text('{"parties": [\n  {"id": "PA",}\n]}', "utf-8")
    with pytest.raises(ImportRejected) as exc:
        read_bundle_file(path)
    assert errors_of(exc) == [("bundle", 2, "$", "E-IMP-002")]
    bundle = small_bundle()
    bundle["stations"][2]["registered"] = "many"
    write_json(bundle, path)
    before = snapshot(Sessions)
    with pytest.raises(ImportRejected) as exc, Sessions.begin() as s:
        transfer.load_bundle_file(s, path)
    assert errors_of(exc) == [("stations", 3, "registered", "E-IMP-002")]  # JSON: item number
    assert snapshot(Sessions) == before


# ---------------------------------------------------------------------------------------------
# Minutes


def test_minutes_csv_and_json_round_trip(tmp_path: Path) -> None:
    ms = all_minutes()
    write_minutes_csv(docs(ms), tmp_path / "m.csv")
    write_json(docs(ms), tmp_path / "m.json")
    lines = (tmp_path / "m.csv").read_text("utf-8").splitlines()
    assert lines[0] == ("station,vote,registered,signed,ballots,void,contested,illegal,votes,"
                        "objections,observations")
    assert lines[1].startswith("C1-S1,communal,1000,") and ",PA=123;PB=83;PC=43," in lines[1]
    for name in ("m.csv", "m.json"):
        raws = read_minutes(tmp_path / name)
        assert [Minute.from_json(r.doc) for r in raws] == ms
    assert [r.row for r in read_minutes(tmp_path / "m.csv")] == list(range(2, 18))
    assert [r.row for r in read_minutes(tmp_path / "m.json")] == list(range(1, 17))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_minutes_double_entry_and_idempotence(db: Sessions_, tmp_path: Path,
                                                     fmt: str) -> None:
    ms = all_minutes()
    path = tmp_path / f"minutes.{fmt}"
    if fmt == "csv":
        write_minutes_csv(docs(ms), path)
    else:
        write_json(docs(ms), path)
    with db.begin() as s:
        outs = transfer.import_minutes_file(s, "clerk1", path)
    assert [o.outcome for o in outs] == ["first_recorded"] * len(ms)
    after_first = snapshot(db)
    with db.begin() as s:
        outs = transfer.import_minutes_file(s, "clerk1", path)
    assert [o.outcome for o in outs] == ["duplicate"] * len(ms)
    assert snapshot(db) == after_first  # nothing changed, not even the audit chain
    with db() as s:
        assert transfer.export_minutes(s) == []  # none accepted yet
        assert len(transfer.export_minutes(s, accepted_only=False)) == len(ms)
    with db.begin() as s:
        outs = transfer.import_minutes_file(s, "clerk2", path)
    assert [o.outcome for o in outs] == ["accepted"] * len(ms)
    accepted = snapshot(db)
    for user in ("clerk1", "clerk2"):
        with db.begin() as s:
            outs = transfer.import_minutes_file(s, user, path)
        assert {o.outcome for o in outs} == {"duplicate"}
    assert snapshot(db) == accepted
    with db() as s:
        exported = transfer.export_minutes(s)
        everything = transfer.export_minutes(s, accepted_only=False)
    key = lambda d: (d["station"], d["vote"])  # noqa: E731
    assert exported == sorted(docs(ms), key=key)
    assert len(everything) == 2 * len(ms)
    # the export re-imports: as the same users, nothing changes
    write_minutes_csv(exported, tmp_path / "export.csv")
    with db.begin() as s:
        outs = transfer.import_minutes_file(s, "clerk2", tmp_path / "export.csv")
    assert {o.outcome for o in outs} == {"duplicate"}
    assert snapshot(db) == accepted


def bad_minutes_csv(path: Path) -> list[tuple[str, int, str, str]]:
    """A minutes file with one good row and one bad row of each kind; the expected errors."""
    good = docs([minute("C1-S1"), minute("C1-S2", "regional")])
    bad_count = dict(minute("C1-S3").to_json(), void="x")
    unknown = dict(minute("C1-S4").to_json(), station="C9-S9")
    arithmetic = dict(minute("D1-S1").to_json())
    arithmetic["ballots"] += 1
    arithmetic["signed"] += 1  # E-PV-002 only (not the signatures warning)
    warned = minute("D1-S2", signed_delta=-3).to_json()  # W-PV-004, not accepted
    twice = minute("C1-S1", shift=1).to_json()
    foreign = dict(minute("D2-S1").to_json(), votes={"PA:D2": 83, "PC": 43})
    negative = dict(minute("D2-S2").to_json(), illegal=-1)
    write_minutes_csv([good[0], bad_count, unknown, arithmetic, warned, good[1],
                                twice, foreign, negative], path)
    text = path.read_text("utf-8").splitlines()
    text.append("C1-S4,regional,1000,10,10,10,0,0,PA10;PB=0,,")  # bad votes syntax
    path.write_text("\n".join(text) + "\n", "utf-8")
    return [("minutes", 3, "void", "E-PV-001"), ("minutes", 4, "station", "E-PV-009"),
            ("minutes", 5, "ballots", "E-PV-002"), ("minutes", 6, "ballots", "W-PV-004"),
            ("minutes", 8, "station", "E-IMP-004"), ("minutes", 9, "votes.PC", "E-PV-005"),
            ("minutes", 9, "votes.PB:D2", "W-PV-010"), ("minutes", 10, "illegal", "E-PV-001"),
            ("minutes", 11, "votes", "E-IMP-002")]


def test_bad_minutes_rows_and_all_or_nothing(db: Sessions_, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    expected = bad_minutes_csv(path)
    before = snapshot(db)
    with pytest.raises(ImportRejected) as exc, db.begin() as s:
        transfer.import_minutes_file(s, "clerk1", path)
    assert sorted(errors_of(exc)) == sorted(expected)
    messages = [str(e) for e in exc.value.errors]
    assert "minutes:5 ballots: E-PV-002 votes (" in " ".join(messages)
    assert snapshot(db) == before
    # a warning accepted explicitly no longer blocks; the errors still do
    with pytest.raises(ImportRejected) as exc, db.begin() as s:
        transfer.import_minutes_file(s, "clerk1", path, accept_warnings={"W-PV-004",
                                                                          "W-PV-010"})
    assert sorted(errors_of(exc)) == sorted(e for e in expected if not e[3].startswith("W"))
    assert snapshot(db) == before


def test_bad_minutes_json(db: Sessions_, tmp_path: Path) -> None:
    items: list[Any] = docs([minute("C1-S1")])
    items += [dict(minute("C1-S2").to_json(), vote="national"), "not a minute",
              dict(minute("C1-S3").to_json(), colour="red"),
              dict(minute("C1-S4").to_json(), ballots=True)]
    write_json(items, tmp_path / "m.json")
    before = snapshot(db)
    with pytest.raises(ImportRejected) as exc, db.begin() as s:
        transfer.import_minutes_file(s, "clerk1", tmp_path / "m.json")
    assert errors_of(exc) == [("minutes", 2, "vote", "E-PV-011"), ("minutes", 3, "$",
                                                                    "E-ALLOC-003"),
                              ("minutes", 4, "colour", "E-ALLOC-019"),
                              ("minutes", 5, "ballots", "E-PV-001")]
    assert snapshot(db) == before


def test_a_state_refusal_rolls_back_the_whole_file(db: Sessions_, tmp_path: Path) -> None:
    """Rows that pass every check but that double entry refuses (the same user typing other
    figures for a minute) reject the file: the rows already entered are rolled back."""
    first = tmp_path / "first.json"
    write_json(docs([minute("C1-S1")]), first)
    with db.begin() as s:
        transfer.import_minutes_file(s, "clerk1", first)
    before = snapshot(db)
    second = tmp_path / "second.json"
    write_json(docs([minute("C1-S2"), minute("C1-S1", shift=2), minute("D1-S1")]),
                        second)
    with pytest.raises(ImportRejected) as exc, db.begin() as s:
        transfer.import_minutes_file(s, "clerk1", second)
    assert errors_of(exc) == [("minutes", 2, "user", "E-ENTRY-001")]
    assert snapshot(db) == before
    # and the transaction is still usable after the rolled-back savepoint
    with db.begin() as s:
        with pytest.raises(ImportRejected):
            transfer.import_minutes_file(s, "clerk1", second)
        outs = transfer.import_minutes_file(s, "clerk1", first)
    assert [o.outcome for o in outs] == ["duplicate"]
    assert snapshot(db) == before


def test_an_accepted_minute_is_not_typed_again_by_a_third_user(db: Sessions_, tmp_path: Path
                                                               ) -> None:
    path = enter_all(db, tmp_path, [minute("C1-S1")])
    before = snapshot(db)
    with pytest.raises(ImportRejected) as exc, db.begin() as s:
        transfer.import_minutes_file(s, "coord", path)
    assert errors_of(exc) == [("minutes", 1, "station", "E-PV-007")]
    assert snapshot(db) == before


def test_only_clerks_and_coordinators_import(db: Sessions_, tmp_path: Path) -> None:
    write_json(docs([minute("C1-S1")]), tmp_path / "m.json")
    for user in ("observer", "nobody"):
        with pytest.raises(Exception, match="E-ENTRY-004"), db.begin() as s:
            transfer.import_minutes_file(s, user, tmp_path / "m.json")


# ---------------------------------------------------------------------------------------------
# Results


def minute_votes(ms: list[Minute]) -> dict[str, dict[str, int]]:
    """constituency → code → the sum of the minutes' votes."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in ms:
        for code, n in m.votes:
            out[constituency_of(m.station, m.vote.value)][code] += n
    return out


def test_results_json_and_csv_match_the_council_results(night: Sessions_, tmp_path: Path
                                                        ) -> None:
    with night() as s:
        doc = transfer.export_results_json(s)
        latest = results.latest_results(s)
        councils = {(c, v): council_results.council_result(s, c, v)
                    for c, v in (("C1", "communal"), ("C2", "communal"), ("R1", "regional"))}
        national = {v: council_results.national_result(s, v) for v in VOTES}
        transfer.export_results_csv(s, tmp_path / "results.csv")
    assert json.loads(dumps(doc)) == doc  # plain JSON
    assert doc["election"]["id"] == "test-2021"
    assert [c["id"] for c in doc["constituencies"]] == ["C1", "D1", "D2", "K1"]
    for c in doc["constituencies"]:
        r = latest[c["id"]]
        assert (c["figures"], c["outcome"], c["rules"], c["engine_version"], c["status"]) == (
            r.figures, r.outcome, r.rules, r.engine_version, "declared")
        assert c["declared_at"] == r.declared_at.isoformat()  # type: ignore[union-attr]
    assert {v: doc["national"][v] for v in national} == {
        v: transfer.national_json(r) for v, r in national.items()}
    assert doc["national"]["arrondissement_councils"]["seats"] == 0  # no divided commune

    with (tmp_path / "results.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(RESULT_COLUMNS)
    assert len(rows) == 3 + 2 + 2 + 3
    votes = minute_votes(all_minutes())
    for row in rows:
        assert int(row["votes"]) == votes[row["constituency"]][row["code"]]
    for (council, vote), r in councils.items():
        mine = [row for row in rows if (row["council"], row["vote"]) == (council, vote)]
        seats: dict[str, int] = defaultdict(int)
        by_party: dict[str, int] = defaultdict(int)
        elected: dict[str, list[str]] = defaultdict(list)
        for row in mine:
            seats[row["party"]] += int(row["seats"])
            by_party[row["party"]] += int(row["votes"])
            elected[row["party"]] += row["elected"].split(" | ") if row["elected"] else []
        assert dict(seats) == {p.party: p.seats for p in r.parties}
        assert dict(by_party) == {p.party: p.votes for p in r.parties}
        assert {k: sorted(v) for k, v in elected.items()} == {
            p.party: sorted(p.elected) for p in r.parties}
        assert sum(seats.values()) == r.seats


# The published schema (usnistgov/ElectionResultsReporting, NIST_V2_election_results_reporting
# .json, version 2): the required properties, the allowed properties and the enumerations of
# every class this export uses, transcribed — the schema itself is not vendored.
NIST_CLASSES: dict[str, tuple[set[str], set[str]]] = {
    "ElectionReport": ({"@type", "Format", "GeneratedDate", "Issuer", "IssuerAbbreviation",
                        "SequenceEnd", "SequenceStart", "Status", "VendorApplicationId"},
                       {"Election", "ExternalIdentifier", "GpUnit", "Header", "IsTest",
                        "Notes", "Office", "OfficeGroup", "Party", "Person", "TestType"}),
    "Election": ({"@type", "ElectionScopeId", "EndDate", "Name", "StartDate", "Type"},
                 {"BallotCounts", "BallotStyle", "Candidate", "ContactInformation", "Contest",
                  "CountStatus", "ExternalIdentifier", "OtherType"}),
    "CandidateContest": ({"@id", "@type", "ElectionDistrictId", "Name", "VotesAllowed"},
                         {"Abbreviation", "BallotSubTitle", "BallotTitle", "ContestSelection",
                          "CountStatus", "ExternalIdentifier", "HasRotation", "NumberElected",
                          "NumberRunoff", "OfficeIds", "OtherCounts", "OtherVoteVariation",
                          "PrimaryPartyIds", "SequenceOrder", "SubUnitsReported",
                          "TotalSubUnits", "VoteVariation"}),
    "PartySelection": ({"@id", "@type", "PartyIds"}, {"SequenceOrder", "VoteCounts"}),
    "CandidateSelection": ({"@id", "@type"}, {"CandidateIds", "EndorsementPartyIds",
                                              "IsWriteIn", "SequenceOrder", "VoteCounts"}),
    "Candidate": ({"@id", "@type", "BallotName"},
                  {"CampaignSlogan", "ContactInformation", "ExternalIdentifier", "FileDate",
                   "IsIncumbent", "IsTopTicket", "PartyId", "PersonId",
                   "PostElectionStatus", "PreElectionStatus"}),
    "VoteCounts": ({"@type", "Count", "GpUnitId", "Type"},
                   {"DeviceClass", "IsSuppressedForPrivacy", "OtherType", "Round"}),
    "BallotCounts": ({"@type", "GpUnitId", "Type"},
                     {"BallotsCast", "BallotsOutstanding", "BallotsRejected", "DeviceClass",
                      "IsSuppressedForPrivacy", "OtherType", "Round"}),
    "CountStatus": ({"@type", "Status", "Type"}, {"OtherType"}),
    "ReportingUnit": ({"@id", "@type", "Type"},
                      {"AuthorityIds", "ComposingGpUnitIds", "ContactInformation",
                       "CountStatus", "ElectionAdministration", "ExternalIdentifier",
                       "IsDistricted", "IsMailOnly", "Name", "Number", "OtherType",
                       "PartyRegistration", "SpatialDimension", "SubUnitsReported",
                       "TotalSubUnits", "VotersParticipated", "VotersRegistered"}),
    "Party": ({"@id", "@type", "Name"},
              {"Abbreviation", "Color", "ContactInformation", "ExternalIdentifier",
               "IsRecognizedParty", "LeaderPersonIds", "LogoUri", "PartyScopeGpUnitIds",
               "Slogan"}),
    "Header": ({"@id", "@type", "Name"}, {"ExternalIdentifier"}),
    "InternationalizedText": ({"@type", "Text"}, {"Label"}),
    "LanguageString": ({"@type", "Content", "Language"}, set()),
    "ExternalIdentifier": ({"@type", "Type", "Value"}, {"Label", "OtherType"}),
}
NIST_ENUMS: dict[tuple[str, str], set[str]] = {
    ("ElectionReport", "Format"): {"precinct-level", "summary-contest"},
    ("ElectionReport", "Status"): {"certified", "correction", "pre-election", "recount",
                                   "unofficial-complete", "unofficial-partial"},
    ("Election", "Type"): {"general", "other", "partisan-primary-closed",
                           "partisan-primary-open", "primary", "runoff", "special"},
    ("VoteCounts", "Type"): {"absentee", "absentee-fwab", "absentee-in-person",
                             "absentee-mail", "early", "election-day", "other", "provisional",
                             "seats", "total", "uocava", "write-in"},
    ("CandidateContest", "VoteVariation"): {"approval", "borda", "cumulative", "majority",
                                            "n-of-m", "other", "plurality", "proportional",
                                            "range", "rcv", "super-majority"},
    ("Candidate", "PostElectionStatus"): {"advanced-to-runoff", "defeated",
                                          "projected-winner", "winner", "withdrawn"},
    ("ReportingUnit", "Type"): {"ballot-batch", "ballot-style-area", "borough", "city",
                                "city-council", "combined-precinct", "congressional",
                                "country", "county", "county-council", "drop-box", "judicial",
                                "municipality", "other", "polling-place", "precinct", "school",
                                "special", "split-precinct", "state", "state-house",
                                "state-senate", "town", "township", "utility", "village",
                                "vote-center", "ward", "water"},
    ("CountStatus", "Status"): {"completed", "in-process", "not-processed", "unknown"},
    ("ExternalIdentifier", "Type"): {"fips", "local-level", "national-level", "ocd-id",
                                     "other", "state-level"},
}
DATE_TIME = re.compile(r"[0-9]{4}-(0?[1-9]|1[012])-(0?[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3])"
                       r":[0-5][0-9]:[0-5][0-9]|(24:00:00))(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]"
                       r"|14:00))")


def check_nist(doc: Any) -> tuple[set[str], list[str]]:
    """Walk a document: every typed object has its class's required properties and no other
    than its allowed ones, and its enumerations' values; returns the ``@id``s and every id
    referenced (``…Id``/``…Ids`` properties)."""
    ids: set[str] = set()
    refs: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
            return
        if not isinstance(value, dict):
            return
        kind = value["@type"].removeprefix("ElectionResults.")
        required, optional = NIST_CLASSES[kind]
        assert required <= set(value), (kind, required - set(value))
        assert set(value) <= required | optional, (kind, set(value) - required - optional)
        for (k, name), allowed in NIST_ENUMS.items():
            if k == kind and name in value:
                assert value[name] in allowed, (kind, name, value[name])
        if "@id" in value:
            assert value["@id"] not in ids, value["@id"]
            ids.add(value["@id"])
        for name, v in value.items():
            if name.endswith("Ids"):
                refs.extend(v)
            elif name.endswith("Id") and name != "VendorApplicationId":
                refs.append(v)
            else:
                walk(v)

    walk(doc)
    return ids, refs


def test_nist_election_report(night: Sessions_) -> None:
    at = datetime(2021, 9, 9, 1, 2, 3, 456, tzinfo=UTC)
    with night() as s:
        doc = transfer.export_nist(s, generated=at)
        latest = results.latest_results(s)
    assert json.loads(dumps(doc)) == doc
    ids, refs = check_nist(doc)
    assert set(refs) <= ids, set(refs) - ids
    assert (doc["@type"], doc["Format"], doc["Status"]) == (
        "ElectionResults.ElectionReport", "summary-contest", "certified")
    assert doc["GeneratedDate"] == "2021-09-09T01:02:03Z" and DATE_TIME.fullmatch(
        doc["GeneratedDate"])
    assert (doc["SequenceStart"], doc["SequenceEnd"]) == (1, 1)
    assert [e["Name"]["Text"][0]["Language"] for e in doc["Election"]] == ["ar", "ar"]
    assert {t["Language"] for e in doc["Election"] for t in e["Name"]["Text"]} == {"ar", "fr"}
    contests = {c["ElectionDistrictId"]: c for e in doc["Election"] for c in e["Contest"]}
    assert sorted(contests) == [gpu_id("constituency", c)
                                for c in ("C1", "D1", "D2", "K1")]
    assert all(e["StartDate"] == e["EndDate"] == "2021-09-08" for e in doc["Election"])
    votes = minute_votes(all_minutes())
    units = {u["@id"]: u for u in doc["GpUnit"]}
    for cid in ("C1", "D1", "D2", "K1"):
        contest = contests[gpu_id("constituency", cid)]
        outcome = latest[cid].outcome
        total = {sel["@id"].split("-", 2)[2]: {vc["Type"]: vc["Count"]
                                               for vc in sel["VoteCounts"]}
                 for sel in contest["ContestSelection"]}
        assert {code: t["total"] for code, t in total.items()} == votes[cid]
        assert sum(t["seats"] for t in total.values()) == contest["NumberElected"]
        assert contest["NumberElected"] == {"C1": 31, "D1": 2, "D2": 1, "K1": 5}[cid]
        assert contest["VoteVariation"] == ("plurality" if cid[0] == "D" else "proportional")
        if cid[0] == "D":
            (winner,) = [sel for sel in contest["ContestSelection"]
                         if sel["VoteCounts"][1]["Count"]]
            assert winner["@id"] == f"sel-{cid}-{outcome['winner']}"
            assert len(winner["CandidateIds"]) == (2 if cid == "D1" else 1)
        else:
            assert {sel["PartyIds"][0] for sel in contest["ContestSelection"]} == {
                "party-PA", "party-PB", "party-PC"}
        unit = units[contest["ElectionDistrictId"]]
        assert unit["VotersRegistered"] == latest[cid].figures["registered"]
    elected = [c for e in doc["Election"] for c in e["Candidate"]
               if c["PostElectionStatus"] == "winner"]
    assert len(elected) == 31 + 2 + 1 + 5
    assert {u["Type"] for u in doc["GpUnit"]} == {"country", "state", "county", "municipality",
                                                  "ward", "other"}
    assert {p["@id"] for p in doc["Party"]} == {"party-PA", "party-PB", "party-PC"}
    pa = next(p for p in doc["Party"] if p["@id"] == "party-PA")
    assert [(t["Language"], t["Content"]) for t in pa["Name"]["Text"]] == [
        ("ar", "حزب PA"), ("fr", "Parti PA")]


def test_nist_report_before_every_declaration(db: Sessions_, tmp_path: Path) -> None:
    enter_all(db, tmp_path)
    with db.begin() as s:
        results.allocate(s, "coord")
        results.declare(s, "coord", ["D2"])
    with db() as s:
        doc = transfer.export_nist(s)
        as_json = transfer.export_results_json(s)
    ids, refs = check_nist(doc)
    assert set(refs) <= ids
    assert doc["Status"] == "unofficial-partial"
    assert [len(e["Contest"]) for e in doc["Election"]] == [1, 0]
    assert [c["id"] for c in as_json["constituencies"]] == ["D2"]


def test_a_list_without_a_party(Sessions: Sessions_, tmp_path: Path) -> None:
    bundle = small_bundle()
    (pc,) = [x for x in bundle["candidacies"] if (x["constituency"], x["code"]) == ("K1", "PC")]
    del pc["party"]
    with Sessions.begin() as s:
        load_bundle(s, bundle)
    enter_all(Sessions, tmp_path)
    with Sessions.begin() as s:
        results.allocate(s, "coord")
    with Sessions.begin() as s:
        results.declare(s, "coord", ["K1"])
    with Sessions() as s:
        doc = transfer.export_nist(s)
        rows = transfer.results_rows(s)
    ids, refs = check_nist(doc)
    assert set(refs) <= ids
    (own,) = [p for p in doc["Party"] if not p["IsRecognizedParty"]]
    assert own["@id"] == "list-K1-PC" and own["Name"]["Text"][0]["Content"] == "لائحة PC"
    (contest,) = doc["Election"][1]["Contest"]
    assert [sel["PartyIds"] for sel in contest["ContestSelection"]] == [
        ["party-PA"], ["party-PB"], ["list-K1-PC"]]
    assert [row["party"] for row in rows] == ["PA", "PB", ""]


# ---------------------------------------------------------------------------------------------
# The commands


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(*args: str, password: str | None = None) -> Any:
    """The command in process; ``password`` is given as ``$INTIKHAB_PASSWORD``."""
    env = {"INTIKHAB_PASSWORD": password} if password is not None else {}
    return CliRunner().invoke(cli(), list(args), catch_exceptions=False, env=env)


def set_passwords(url: str, *users: str) -> None:
    """Give bundle users (who have none) the password ``<user>-2021``, as an administrator
    would: the CLI acts only as an authenticated user."""
    from intikhab.services.users import demo_password, hash_password
    from intikhab.store.models import User

    engine = make_engine(url)
    with sessions(engine).begin() as s:
        for user in users:
            found = s.get(User, user)
            assert found is not None
            found.password_hash = hash_password(demo_password(user))
        audit.append(s, actor="test", role="admin", action="user.password", entity="*")
    engine.dispose()


LINE = re.compile(r"[a-z_]+:\d+ [\w.:$-]+: [EW]-[A-Z]+-\d{3} .+")


def test_cli_bundle_import_export(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    bundle = small_bundle()
    write_bundle_csv(bundle, folder)
    BAD_BUNDLES["bad int"][0](folder)
    BAD_BUNDLES["unknown reference"][0](folder)
    r = run("import", "bundle", str(folder), "--db", db_url)
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert lines == ["communes:3 prefecture: E-IMP-003 reference 'K9' in prefecture does not "
                     "exist in prefectures",
                     "stations:4 registered: E-IMP-002 field registered: expected a "
                     "non-negative integer"]
    engine = make_engine(db_url)
    Sessions = sessions(engine)
    empty = snapshot(Sessions)  # migrated, and nothing written
    assert {k: v for k, v in empty.items() if k not in ("audit", "audit_head")} == {
        k: 0 for k in empty if k not in ("audit", "audit_head")}

    write_bundle_csv(bundle, tmp_path / "good.zip")
    r = run("import", "bundle", str(tmp_path / "good.zip"), "--db", db_url)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["imported"]["stations"] == 8
    loaded = snapshot(Sessions)
    r = run("import", "bundle", str(tmp_path / "good.zip"), "--db", db_url)  # again: refused
    assert r.exit_code == 2 and all(LINE.fullmatch(x) for x in r.stderr.strip().splitlines())
    assert "E-IMP-004" in r.stderr
    assert snapshot(Sessions) == loaded

    r = run("export", "bundle", str(tmp_path / "out.json"), "--db", db_url)
    assert r.exit_code == 0, r.stderr
    dumped = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert canonical(dumped) == canonical(with_defaults(bundle))
    r = run("export", "bundle", str(tmp_path / "out.zip"), "--format", "csv", "--db", db_url)
    assert r.exit_code == 0, r.stderr
    assert read_bundle_csv(tmp_path / "out.zip") == drop_none(dumped)
    engine.dispose()


def test_cli_bad_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    r = run("import", "bundle", str(tmp_path / "missing.json"), "--db", url)
    assert r.exit_code == 2 and r.stderr.startswith("E-IO-001 ")
    (tmp_path / "b.json").write_text("[1, 2", "utf-8")
    r = run("import", "bundle", str(tmp_path / "b.json"), "--db", url)
    assert r.exit_code == 2 and r.stderr.startswith("bundle:1 $: E-IMP-002 ")
    (tmp_path / "m.csv").write_text("station,vote\n", "utf-8")
    r = run("import", "minutes", str(tmp_path / "m.csv"), "--db", url)
    assert r.exit_code == 2 and r.stderr.startswith("E-ALLOC-003 --user: ")
    # a bare --user is not enough: no password, then a user who does not exist
    r = run("import", "minutes", str(tmp_path / "m.csv"), "--user", "clerk1", "--db", url)
    assert r.exit_code == 2 and r.stderr.startswith("E-AUTH-002 clerk1: ")
    r = run("import", "minutes", str(tmp_path / "m.csv"), "--user", "clerk1", "--db", url,
            password="clerk1-2021")
    assert r.exit_code == 2 and r.stderr.startswith("E-API-008 password: ")
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_minutes_and_results(db_url: str, tmp_path: Path) -> None:
    write_json(small_bundle(), tmp_path / "bundle.json")
    assert run("import", "bundle", str(tmp_path / "bundle.json"), "--db", db_url).exit_code == 0
    set_passwords(db_url, "clerk1", "clerk2")
    engine = make_engine(db_url)
    Sessions = sessions(engine)

    bad = tmp_path / "bad.csv"
    expected = bad_minutes_csv(bad)
    before = snapshot(Sessions)
    r = run("import", "minutes", str(bad), "--user", "clerk1", "--db", db_url,
            password="clerk1-2021")
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert all(LINE.fullmatch(x) for x in lines), lines
    assert sorted(tuple(x.split(" ", 3)[:3]) for x in lines) == sorted(
        (f"{t}:{n}", f"{f}:", c) for t, n, f, c in expected)
    # nothing written by the rejected import; the log holds only the clerk's login
    after = snapshot(Sessions)
    logged = ("audit_log", "audit", "audit_binding", "login_throttle", "user_session")
    assert {k: v for k, v in after.items() if k not in logged} == {
        k: v for k, v in before.items() if k not in logged}
    with Sessions() as s:
        assert s.scalars(select(AuditLog.action).where(AuditLog.seq > before["audit"][1])
                         ).all() == ["auth.login"]

    good = tmp_path / "good.csv"
    write_minutes_csv(docs(all_minutes()), good)
    for user, outcome in (("clerk1", "first_recorded"), ("clerk1", "duplicate"),
                          ("clerk2", "accepted")):
        r = run("import", "minutes", str(good), "--user", user, "--accept-warning", "W-PV-004",
                "--db", db_url, password=f"{user}-2021")
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout) == {"minutes": 16, "outcomes": {outcome: 16}}
    r = run("export", "minutes", str(tmp_path / "out.csv"), "--format", "csv", "--db", db_url)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "out.csv").read_text("utf-8") == minutes_csv_text(sorted(
        docs(all_minutes()), key=lambda d: (d["station"], d["vote"])))
    r = run("export", "minutes", "-", "--all", "--db", db_url)
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 32

    with Sessions.begin() as s:
        results.allocate(s, "coord")
    with Sessions.begin() as s:
        results.declare(s, "coord")
    for fmt in ("json", "csv", "nist"):
        out = tmp_path / f"results.{fmt}"
        r = run("export", "results", str(out), "--format", fmt, "--db", db_url)
        assert r.exit_code == 0, r.stderr
        text = out.read_text("utf-8")
        if fmt == "csv":
            assert text.splitlines()[0] == ",".join(RESULT_COLUMNS)
            assert len(text.splitlines()) == 11
        elif fmt == "nist":
            doc = json.loads(text)
            assert doc["Status"] == "certified" and doc["Issuer"] == "intikhab"
            check_nist(doc)
        else:
            assert len(json.loads(text)["constituencies"]) == 4
    engine.dispose()


def test_cli_export_results_without_an_election(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    write_json({"parties": []}, tmp_path / "b.json")
    assert run("import", "bundle", str(tmp_path / "b.json"), "--db", url).exit_code == 0
    r = run("export", "results", str(tmp_path / "r.json"), "--format", "nist", "--db", url)
    assert r.exit_code == 2 and r.stderr.startswith("E-IMP-002 election: ")
    assert not (tmp_path / "r.json").exists()
    r = run("export", "results", "-", "--db", url)
    assert r.exit_code == 0 and json.loads(r.stdout)["constituencies"] == []


def test_zip_bundle_in_a_folder_inside_the_archive(tmp_path: Path) -> None:
    write_bundle_csv(small_bundle(), tmp_path / "plain.zip")
    with zipfile.ZipFile(tmp_path / "plain.zip") as src, zipfile.ZipFile(
            tmp_path / "nested.zip", "w") as dst:
        for info in src.infolist():
            dst.writestr(f"election-2021/{info.filename}", src.read(info))
        dst.writestr("election-2021/", b"")
    assert read_bundle_csv(tmp_path / "nested.zip") == small_bundle()
