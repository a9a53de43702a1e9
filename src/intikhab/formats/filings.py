"""Candidacy filings as documents and files (docs/candidacy.md): a filing document — JSON, or
the CSV lines of one filing — read into a :class:`~intikhab.law.candidacy.Filing`, every problem
a :class:`~intikhab.formats.rows.RowError` with its line and code (the law's checks come after,
in :mod:`intikhab.law.candidacy`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from intikhab.formats import safejson
from intikhab.formats.files import parse_csv, read_json_file
from intikhab.formats.rows import ImportRejected, RowError
from intikhab.law.allocation import Sex
from intikhab.law.candidacy import Filing, Nominee, Office, OfficeKind, Signature
from intikhab.law.dates import parse_date, parse_datetime
from intikhab.law.errors import InputError

__all__ = ["CSV_COLUMNS", "FILING_FIELDS", "NOMINEE_FIELDS", "TABLE", "FilingReader",
           "filing_lines", "read_documents", "read_filing", "reader_for"]

Json = Any
TABLE: Final = "filings"

FILING_FIELDS: Final = ("id", "constituency", "name", "party", "endorsement", "agent", "filed_at",
                        "copies", "in_person", "signature_deposits")
NOMINEE_FIELDS: Final = ("national_id", "first_name", "last_name", "sex", "birth_date",
                         "birth_place", "address", "profession", "registered_in", "party",
                         "photo", "registration_certificate", "criminal_record_issued",
                         "signature_certified", "naturalised_on",
                         "naturalisation_restriction_lifted", "dismissed_on", "lost_capacity",
                         "convicted_65_68", "offices", "residence", "taxed_in",
                         "father_birth_place", "grandfather_birth_place")

class FilingReader:
    """Turns one filing document into a :class:`Filing`, collecting row errors."""

    def __init__(self, row: int, lines: Mapping[str, int] | None = None) -> None:
        self.row, self.lines, self.errors = row, lines or {}, list[RowError]()

    def err(self, field: str, expected: str, code: str = "E-IMP-002", **p: Any) -> None:
        line = self._line(field)
        params = {"expected": expected, **p}
        self.errors.append(RowError(TABLE, line, field, code,
                                    InputError(code, field=field, **params).message("en")))

    def _line(self, field: str) -> int:
        best = self.row
        for prefix, line in self.lines.items():
            if field == prefix or field.startswith(prefix + ".") or field.startswith(
                    prefix + "["):
                best = line
        return best

    def text(self, obj: Mapping[str, Json], key: str, path: str, required: bool = True) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.err(f"{path}{key}", "a value")
            return ""
        if not isinstance(value, str):
            self.err(f"{path}{key}", "a text")
            return ""
        return value.strip()

    def opt(self, obj: Mapping[str, Json], key: str, path: str) -> str | None:
        return self.text(obj, key, path, required=False) or None

    def day(self, obj: Mapping[str, Json], key: str, path: str) -> date | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_date(value, f"{path}{key}")
        except InputError:
            self.err(f"{path}{key}", "a date YYYY-MM-DD")
            return None

    def flag(self, obj: Mapping[str, Json], key: str, path: str, default: bool = False) -> bool:
        value = obj.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if not isinstance(value, bool):
            self.err(f"{path}{key}", "true or false")
            return default
        return value

    def count(self, obj: Mapping[str, Json], key: str, path: str, default: int) -> int:
        value = obj.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.err(f"{path}{key}", "a non-negative integer")
            return default
        return value

    def items(self, obj: Mapping[str, Json], key: str, path: str) -> list[Any]:
        value = obj.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            try:
                value = safejson.loads(value)
            except json.JSONDecodeError:
                self.err(f"{path}{key}", "a JSON list")
                return []
        if not isinstance(value, list):
            self.err(f"{path}{key}", "a list")
            return []
        return value

    def nominee(self, raw: Json, path: str) -> Nominee | None:
        if not isinstance(raw, dict):
            self.err(path, "an object")
            return None
        for key in raw:
            if key not in NOMINEE_FIELDS and key not in ("rank", "line"):
                self.err(f"{path}.{key}", "a known field")
        p = path + "."
        sex_raw = raw.get("sex")
        sex = None
        if sex_raw not in (None, ""):
            if sex_raw in ("F", "M"):
                sex = Sex(sex_raw)
            else:
                self.err(f"{p}sex", "F or M")
        offices = []
        for k, o in enumerate(self.items(raw, "offices", p)):
            opath = f"{p}offices[{k}]."
            if not isinstance(o, dict) or o.get("kind") not in set(OfficeKind):
                self.err(f"{p}offices[{k}]", "{kind: " + " | ".join(OfficeKind) + "}")
                continue
            offices.append(Office(OfficeKind(o["kind"]), self.opt(o, "place", opath),
                                  self.day(o, "left_on", opath)))
        taxed = []
        for k, t in enumerate(self.items(raw, "taxed_in", p)):
            tpath = f"{p}taxed_in[{k}]."
            since = self.day(t, "since", tpath) if isinstance(t, dict) else None
            if not isinstance(t, dict) or since is None or not t.get("place"):
                self.err(f"{p}taxed_in[{k}]", "{place, since: YYYY-MM-DD}")
                continue
            taxed.append((str(t["place"]), since))
        return Nominee(
            national_id=self.text(raw, "national_id", p), first_name=self.text(raw, "first_name",
                                                                               p, False),
            last_name=self.text(raw, "last_name", p, False), sex=sex,
            birth_date=self.day(raw, "birth_date", p),
            birth_place=self.text(raw, "birth_place", p, False),
            address=self.text(raw, "address", p, False),
            profession=self.text(raw, "profession", p, False),
            registered_in=self.opt(raw, "registered_in", p), party=self.opt(raw, "party", p),
            photo=self.flag(raw, "photo", p),
            registration_certificate=self.flag(raw, "registration_certificate", p),
            criminal_record_issued=self.day(raw, "criminal_record_issued", p),
            signature_certified=self.flag(raw, "signature_certified", p),
            naturalised_on=self.day(raw, "naturalised_on", p),
            naturalisation_restriction_lifted=self.flag(raw, "naturalisation_restriction_lifted",
                                                        p),
            dismissed_on=self.day(raw, "dismissed_on", p),
            lost_capacity=self.flag(raw, "lost_capacity", p),
            convicted_65_68=self.flag(raw, "convicted_65_68", p),
            offices=tuple(offices), residence=self.opt(raw, "residence", p),
            taxed_in=tuple(taxed), father_birth_place=self.opt(raw, "father_birth_place", p),
            grandfather_birth_place=self.opt(raw, "grandfather_birth_place", p),
            line=self._line(path))

    def part(self, doc: Mapping[str, Json], key: str) -> tuple[Nominee, ...]:
        raw = self.items(doc, key, "")
        ranks = [r.get("rank") for r in raw if isinstance(r, dict)]
        if any(r not in (None, "") for r in ranks):
            try:
                given = [int(r) for r in ranks]  # type: ignore[arg-type]
            except (TypeError, ValueError):
                given = []
            if given != list(range(1, len(raw) + 1)):
                self.err(key, "", "E-CAND-038", value=ranks)
        out = [self.nominee(n, f"{key}[{i}]") for i, n in enumerate(raw)]
        return tuple(n for n in out if n is not None)

    def filing(self, doc: Json) -> Filing | None:
        if not isinstance(doc, dict):
            self.err("$", "an object")
            return None
        for key in doc:
            if key not in (*FILING_FIELDS, "general", "women", "signatures", "lines"):
                self.err(key, "a known field")
        at = None
        try:
            at = parse_datetime(doc.get("filed_at"), "filed_at")
        except InputError:
            self.err("filed_at", "a date and time YYYY-MM-DDTHH:MM[:SS][±HH:MM]")
        sigs = []
        for k, s in enumerate(self.items(doc, "signatures", "")):
            path = f"signatures[{k}]."
            if not isinstance(s, dict):
                self.err(f"signatures[{k}]", "an object")
                continue
            sigs.append(Signature(self.text(s, "national_id", path),
                                  self.text(s, "registered_in", path),
                                  self.flag(s, "certified", path, True),
                                  self._line(f"signatures[{k}]")))
        filing = Filing(
            id=self.text(doc, "id", ""), constituency=self.text(doc, "constituency", ""),
            name=self.text(doc, "name", "", False),
            filed_at=at or datetime.min.replace(tzinfo=UTC),
            general=self.part(doc, "general"), women=self.part(doc, "women"),
            party=self.opt(doc, "party", ""), endorsement=self.opt(doc, "endorsement", ""),
            agent=self.opt(doc, "agent", ""), copies=self.count(doc, "copies", "", 3),
            in_person=self.flag(doc, "in_person", "", True), signatures=tuple(sigs),
            signature_deposits=self.count(doc, "signature_deposits", "", 1 if sigs else 0),
            line=self.row)
        return None if self.errors else filing


def read_filing(doc: Json, row: int = 1) -> Filing:
    """One filing document (docs/candidacy.md) as a :class:`Filing`; raises
    :class:`ImportRejected` with every problem found."""
    reader = FilingReader(row, filing_lines(doc))
    filing = reader.filing(doc)
    if filing is None:
        raise ImportRejected(reader.errors)
    return filing


def filing_lines(doc: Json) -> dict[str, int]:
    lines = doc.get("lines") if isinstance(doc, dict) else None
    return {str(k): int(v) for k, v in lines.items()} if isinstance(lines, dict) else {}


# --- files: JSON and CSV -----------------------------------------------------------------------

CSV_COLUMNS: Final = ("filing", *(c for c in FILING_FIELDS if c != "id"), "record", "part",
                      "rank", *(c for c in NOMINEE_FIELDS if c != "party"), "candidate_party",
                      "certified")
"""One CSV line per candidate (``record`` = ``candidate``, ``part`` = ``general`` or ``women``)
or per signature (``record`` = ``signature``); filing columns are repeated or left empty."""


def read_documents(path: str | Path) -> tuple[list[Json], list[Json]]:
    """The filing documents and the alliances in a ``.json`` or ``.csv`` file; every problem of
    the file itself is a row error (``ImportRejected``)."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError("E-IO-001", field=str(p), detail=exc.strerror or "?") from None
        table, errors = parse_csv(data, TABLE, CSV_COLUMNS, ("filing", "record"))
        docs, more = _csv_documents(table.columns, table.records)
        if errors or more:  # report the filings' own problems too, all at once
            for doc in docs:
                reader = reader_for(doc, 1)
                reader.filing(doc)
                more += reader.errors
            raise ImportRejected(sorted(errors + more, key=lambda e: e.row))
        return docs, []
    doc = read_json_file(p, TABLE)
    if isinstance(doc, list):
        return doc, []
    if isinstance(doc, dict) and "filings" not in doc and "constituency" in doc:
        return [doc], []  # a single filing
    if not isinstance(doc, dict) or not isinstance(doc.get("filings"), list):
        raise ImportRejected([RowError(TABLE, 1, "$", "E-IMP-002", InputError(
            "E-IMP-002", field="$", expected="a list of filings or {filings, alliances}"
        ).message("en"))])
    alliances = doc.get("alliances") or []
    return list(doc["filings"]), alliances if isinstance(alliances, list) else [alliances]


def _csv_documents(columns: Sequence[str], records: Iterable[tuple[int, Sequence[str]]]
                   ) -> tuple[list[Json], list[RowError]]:
    docs: dict[str, dict[str, Any]] = {}
    errors: list[RowError] = []
    for line, cells in records:
        row = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
        fid = row.get("filing", "")
        doc = docs.get(fid)
        if doc is None:
            doc = docs[fid] = {"id": fid, "general": [], "women": [], "signatures": [],
                               "lines": {"": line}}
        for c in FILING_FIELDS[1:]:
            if row.get(c):
                if doc.get(c, row[c]) != row[c]:
                    errors.append(RowError(TABLE, line, c, "E-IMP-002", InputError(
                        "E-IMP-002", field=c, expected=f"the filing's value {doc[c]!r}"
                    ).message("en")))
                doc[c] = row[c]
        record = row.get("record")
        if record == "signature":
            k = len(doc["signatures"])
            doc["signatures"].append({"national_id": row.get("national_id", ""),
                                      "registered_in": row.get("registered_in", ""),
                                      "certified": row.get("certified") or True})
            doc["lines"][f"signatures[{k}]"] = line
        elif record == "candidate" and row.get("part") in ("general", "women"):
            part = row["part"]
            person = {c: row[c] for c in NOMINEE_FIELDS if c != "party" and row.get(c)}
            if row.get("candidate_party"):
                person["party"] = row["candidate_party"]
            if row.get("rank"):
                person["rank"] = row["rank"]
            doc["lines"][f"{part}[{len(doc[part])}]"] = line
            doc[part].append(person)
        else:
            errors.append(RowError(TABLE, line, "record", "E-IMP-002", InputError(
                "E-IMP-002", field="record",
                expected="candidate (part general | women) or signature").message("en")))
    return list(docs.values()), errors


def reader_for(doc: Json, n: int) -> FilingReader:
    """The reader of the ``n``-th document of a file: its row is the document's own line (a
    CSV filing's first line) or ``n``."""
    lines = filing_lines(doc)
    return FilingReader(lines.get("", n), lines)
