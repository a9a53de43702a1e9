"""Import and export use cases: the election bundle and polling-station minutes into the
database, and the bundle, the minutes and the declared results out of it (JSON, CSV and the
NIST SP 1500-100 version 2 Election Results Reporting format; docs/formats.md).

The files themselves are read and written by :mod:`intikhab.formats` (``bundle_csv``,
``minutes_io``, ``declared``, ``nist``).  Every import is all or nothing: each row is checked
first, and any problem is reported as a :class:`~intikhab.formats.rows.RowError` naming the
table, the row (a CSV file's *line*, its header being line 1; a JSON file's item number), the
field and the catalogue's code; then :class:`~intikhab.formats.rows.ImportRejected` carries
every error and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats import nist
from intikhab.formats.bundle_csv import read_bundle_file
from intikhab.formats.council import CouncilResult
from intikhab.formats.declared import RESULT_COLUMNS, Contest, result_rows, seat_count
from intikhab.formats.files import csv_text, write_file
from intikhab.formats.minutes_io import RawMinute, read_minutes
from intikhab.formats.outcome import read_figures, read_outcome
from intikhab.formats.results_json import council_json
from intikhab.formats.rows import ImportRejected, RowError, message
from intikhab.law.errors import InputError
from intikhab.records.checks import blocking, check_minute
from intikhab.records.minutes import Minute
from intikhab.services import council_results, entry, results
from intikhab.services.entry import Submitted
from intikhab.services.roles import require_role
from intikhab.services.setup import load_bundle
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
)

# ---------------------------------------------------------------------------------------------
# The bundle and the minutes


def load_bundle_file(session: Session, path: str | Path, actor: str = "import") -> dict[str, int]:
    """Read and load a bundle file in the caller's transaction (nothing written on any error);
    the row errors of a CSV bundle name the line of each rejected row."""
    source = read_bundle_file(path)
    try:
        return load_bundle(session, source.bundle, actor=actor)
    except ImportRejected as rejected:
        raise ImportRejected(source.locate(rejected.errors)) from None


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
    require_role(session, user, entry.ENTER_ROLES)
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
            errors.append(RowError(table, item.row, "station", "E-IMP-004", message(
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


# ---------------------------------------------------------------------------------------------
# Results


def _declared(session: Session) -> list[tuple[Constituency, Result]]:
    """Each declared constituency with its declared result: communal first, by council, id."""
    cons = {c.id: c for c in session.scalars(select(Constituency))}
    out = [(cons[cid], r) for cid, r in results.latest_results(session).items()
           if r.declared_at is not None]
    return sorted(out, key=lambda cr: (cr[0].vote, cr[0].council, cr[0].id))


def _seats(c: Constituency) -> int:
    return seat_count(c.kind, c.groups, c.attached_women_seat)


def _contests(session: Session, declared: Sequence[tuple[Constituency, Result]]
              ) -> list[Contest]:
    stations: dict[str, int] = defaultdict(int)
    for col in (Station.communal_constituency_id, Station.regional_constituency_id):
        for cid, n in session.execute(select(col, func.count()).group_by(col)):
            stations[cid] += n
    return [Contest(c.id, c.name, c.vote, c.council, c.kind, _seats(c), stations.get(c.id, 0),
                    read_figures(r.figures), read_outcome(r.outcome)) for c, r in declared]


def _party_of(session: Session) -> dict[tuple[str, str], str | None]:
    return {(cid, code): party for cid, code, party in session.execute(
        select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id))}


def national_json(r: CouncilResult) -> dict[str, Any]:
    """The national result in the results export: the public JSON
    (:func:`~intikhab.formats.results_json.council_json`) without its turnout and elected
    members, the export's shape since it was first written (docs/formats.md)."""
    doc = council_json(r, with_elected=False)
    del doc["turnout_percent"]
    for party in doc["parties"]:
        del party["elected"]
    return doc


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
             "kind": c.kind, "seats": _seats(c),
             "commune_seats": seat_count(c.kind, c.groups, c.attached_women_seat, True),
             "rules": r.rules,
             "engine_version": r.engine_version, "status": r.status,
             "declared_at": r.declared_at.isoformat() if r.declared_at else None,
             "minutes_digest": r.minutes_digest, "lots": r.lots, "lot_seed": r.lot_seed,
             "figures": r.figures, "outcome": r.outcome}
            for c, r in declared],
        "national": {**{vote: national_json(council_results.national_result(session, vote))
                        for vote in ("communal", "regional")},
                     "arrondissement_councils": national_json(
                         council_results.arrondissement_councils_result(session))},
    }


def results_rows(session: Session) -> list[dict[str, Any]]:
    """One row per declared constituency × list (or district candidate): its votes, seats and
    elected members (names joined by `` | ``), in ballot order (columns
    :data:`~intikhab.formats.declared.RESULT_COLUMNS`)."""
    return result_rows(_contests(session, _declared(session)), _party_of(session))


def results_csv_text(session: Session) -> str:
    """The declared results as CSV text (:func:`results_rows`)."""
    return csv_text(RESULT_COLUMNS, results_rows(session))


def export_results_csv(session: Session, path: str | Path) -> None:
    """The declared results as a CSV file (:func:`results_csv_text`)."""
    write_file(Path(path), results_csv_text(session).encode("utf-8"))


def export_nist(session: Session, generated: datetime | None = None,
                issuer: str = "intikhab", issuer_abbreviation: str = "MA") -> dict[str, Any]:
    """The declared results as a NIST SP 1500-100 v2 ``ElectionReport``
    (:func:`~intikhab.formats.nist.election_report`)."""
    e = session.execute(select(Election)).scalar_one_or_none()
    if e is None:
        raise InputError("E-IMP-002", field="election", expected="a loaded election")
    territory = nist.Territory(
        [(r.id, r.name) for r in session.scalars(select(Region).order_by(Region.id))],
        [(p.id, p.region_id, p.name)
         for p in session.scalars(select(Prefecture).order_by(Prefecture.id))],
        [(m.id, m.region_id, m.prefecture_id, m.name)
         for m in session.scalars(select(Commune).order_by(Commune.id))],
        [(c.id, c.name, c.vote, c.kind) for c in session.scalars(
            select(Constituency).order_by(Constituency.vote, Constituency.id))])
    report = nist.Report(
        e.name, e.polling_date, territory, _contests(session, _declared(session)),
        session.scalar(select(func.count()).select_from(Constituency)) or 0,
        {p.id: (p.name_ar, p.name_fr) for p in session.scalars(select(Party).order_by(Party.id))},
        _party_of(session), results.ENGINE)
    return nist.election_report(report, generated, issuer, issuer_abbreviation)
