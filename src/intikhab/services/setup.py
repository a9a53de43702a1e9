"""Loading an election — territory, constituencies, stations, candidacies, users — from an
*election bundle* (docs/records.md), in one transaction: every row is checked first and any
error is reported with its table, row number, field and code; nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from intikhab.law.errors import InputError
from intikhab.law.rulesets import RULE_SETS
from intikhab.store import audit
from intikhab.store.models import (
    Base,
    Candidacy,
    CentralOffice,
    Commune,
    Constituency,
    Election,
    Party,
    Prefecture,
    Region,
    Station,
    User,
)

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: where, which field, and the catalogue's code and message."""

    table: str
    row: int  # 1-based, as a person counts lines (a CSV's header is line 1: data from 2)
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}:{self.row} {self.field}: {self.code} {self.message}"


class ImportRejected(InputError):
    """Raised when any row is wrong; carries every row error found (none is written)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        super().__init__("E-IMP-001", field=f"{first.table}:{first.row}.{first.field}",
                         count=len(errors), detail=str(first))


# table name → (model, {field: (column, kind, required)}); kinds: str, int, bool, date, json, ref
_Spec = dict[str, tuple[str, str, bool]]
TABLES: Final[dict[str, tuple[type[Base], _Spec]]] = {
    "parties": (Party, {"id": ("id", "str", True), "name_ar": ("name_ar", "str", True),
                        "name_fr": ("name_fr", "str", True)}),
    "regions": (Region, {"id": ("id", "str", True), "name": ("name", "str", True),
                         "population": ("population", "int", True)}),
    "prefectures": (Prefecture, {"id": ("id", "str", True), "region": ("region_id", "str", True),
                                 "name": ("name", "str", True)}),
    "communes": (Commune, {"id": ("id", "str", True), "region": ("region_id", "str", True),
                           "prefecture": ("prefecture_id", "str", False),
                           "name": ("name", "str", True), "kind": ("kind", "str", True),
                           "population": ("population", "int", True),
                           "council_seats": ("council_seats", "int", True)}),
    "constituencies": (Constituency, {
        "id": ("id", "str", True), "vote": ("vote", "str", True), "kind": ("kind", "str", True),
        "council": ("council", "str", True), "name": ("name", "str", True),
        "groups": ("groups", "json", False),
        "attached_women_seat": ("attached_women_seat", "bool", False)}),
    "central_offices": (CentralOffice, {"id": ("id", "str", True),
                                        "commune": ("commune_id", "str", True)}),
    "stations": (Station, {"id": ("id", "str", True),
                           "central_office": ("central_office_id", "str", True),
                           "communal": ("communal_constituency_id", "str", True),
                           "regional": ("regional_constituency_id", "str", True),
                           "registered": ("registered", "int", True)}),
    "candidacies": (Candidacy, {"constituency": ("constituency_id", "str", True),
                                "code": ("code", "str", True), "party": ("party_id", "str", False),
                                "name": ("name", "str", True), "rank": ("rank", "int", True),
                                "candidates": ("candidates", "json", True)}),
    "users": (User, {"id": ("id", "str", True), "name": ("name", "str", True),
                     "role": ("role", "str", True)}),
}
ORDER: Final = tuple(TABLES)
ENUMS: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("communes", "kind"): frozenset({"single_member", "list", "divided"}),
    ("constituencies", "vote"): frozenset({"communal", "regional"}),
    ("constituencies", "kind"): frozenset({"list", "single_member"}),
    ("users", "role"): frozenset({"clerk", "coordinator", "observer", "admin"}),
}
# (table, field) → (referenced table, also allowed to be already in the database)
REFS: Final[dict[tuple[str, str], str]] = {
    ("prefectures", "region"): "regions", ("communes", "region"): "regions",
    ("communes", "prefecture"): "prefectures", ("central_offices", "commune"): "communes",
    ("stations", "central_office"): "central_offices", ("stations", "communal"): "constituencies",
    ("stations", "regional"): "constituencies", ("candidacies", "constituency"): "constituencies",
    ("candidacies", "party"): "parties",
}


def _convert(kind: str, value: Any) -> Any:
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a non-empty text")
        return value
    if kind == "int":
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("a non-negative integer")
        return value
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value
    if kind == "date":
        return date.fromisoformat(value)
    return value  # json: checked by the table's own rule


def _message(code: str, **params: Any) -> str:
    return InputError(code, **params).message("en")


def validate(bundle: Row, existing: Callable[[str], set[str]] | None = None
             ) -> tuple[dict[str, list[dict[str, Any]]], list[RowError]]:
    """Check every row of a bundle; return the rows ready to insert and every error found."""
    errors: list[RowError] = []
    rows: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, set[str]] = {}
    for table in ORDER:
        spec = TABLES[table][1]
        raw = bundle.get(table, [])
        if not isinstance(raw, list):
            errors.append(RowError(table, 0, table, "E-IMP-002",
                                   _message("E-IMP-002", field=table, expected="a list")))
            continue
        seen = set(existing(table)) if existing else set()
        out = []
        for n, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                errors.append(RowError(table, n, "$", "E-IMP-002",
                                       _message("E-IMP-002", field="$", expected="an object")))
                continue
            values: dict[str, Any] = {}
            for name, (column, kind, required) in spec.items():
                value = item.get(name)
                if value is None or value == "":
                    if required:
                        errors.append(RowError(table, n, name, "E-IMP-002", _message(
                            "E-IMP-002", field=name, expected="a value")))
                    elif kind == "bool":
                        values[column] = False
                    elif kind == "json":
                        values[column] = []
                    continue
                try:
                    values[column] = _convert(kind, value)
                except (ValueError, TypeError) as exc:
                    errors.append(RowError(table, n, name, "E-IMP-002", _message(
                        "E-IMP-002", field=name, expected=str(exc) or kind)))
                    continue
                allowed = ENUMS.get((table, name))
                if allowed is not None and value not in allowed:
                    errors.append(RowError(table, n, name, "E-IMP-002", _message(
                        "E-IMP-002", field=name, expected=" | ".join(sorted(allowed)))))
                target = REFS.get((table, name))
                if target is not None and value not in ids.get(target, set()) and not (
                        existing and value in existing(target)):
                    errors.append(RowError(table, n, name, "E-IMP-003", _message(
                        "E-IMP-003", field=name, value=value, table=target)))
            key = values.get("id") or (f"{values.get('constituency_id')}:{values.get('code')}"
                                       if table == "candidacies" else None)
            if key is not None:
                if key in seen:
                    errors.append(RowError(table, n, "id", "E-IMP-004",
                                           _message("E-IMP-004", field="id", value=key)))
                seen.add(key)
            out.append(values)
        ids[table] = {str(r["id"]) for r in out if "id" in r}
        rows[table] = out
    return rows, errors


def load_bundle(session: Session, bundle: Row, actor: str = "import",
                role: str = "admin") -> dict[str, int]:
    """Validate then insert a bundle inside the caller's transaction; raise
    :class:`ImportRejected` with every row error if any row is wrong (nothing is written)."""
    election = bundle.get("election")
    errors: list[RowError] = []
    if election is not None:
        errors += _check_election(election)

    def existing(table: str) -> set[str]:
        model = TABLES[table][0]
        if table == "candidacies":
            return {f"{c}:{k}" for c, k in session.execute(
                select(Candidacy.constituency_id, Candidacy.code))}
        return set(session.scalars(select(model.id)))  # type: ignore[attr-defined]

    rows, row_errors = validate(bundle, existing)
    errors += row_errors
    if errors:
        raise ImportRejected(errors)
    audit.lock_head(session)
    if election is not None:
        session.add(Election(id=election["id"], name=election["name"],
                             polling_date=date.fromisoformat(election["polling_date"]),
                             rules_communal=election["rules_communal"],
                             rules_regional=election["rules_regional"],
                             seed=election.get("seed")))
        session.flush()
    counts = {}
    for table in ORDER:
        if rows.get(table):
            session.execute(insert(TABLES[table][0]), rows[table])
            counts[table] = len(rows[table])
    audit.append(session, actor=actor, role=role, action="import.bundle",
                 entity=str(election["id"]) if election else "bundle",
                 after=audit.digest(bundle))
    session.flush()
    return counts


def _check_election(e: Any) -> list[RowError]:
    if not isinstance(e, dict):
        return [RowError("election", 1, "$", "E-IMP-002",
                         _message("E-IMP-002", field="election", expected="an object"))]
    errors = []
    for name in ("id", "name", "polling_date", "rules_communal", "rules_regional"):
        if not isinstance(e.get(name), str) or not e[name]:
            errors.append(RowError("election", 1, name, "E-IMP-002",
                                   _message("E-IMP-002", field=name, expected="a value")))
    for name in ("rules_communal", "rules_regional"):
        if isinstance(e.get(name), str) and e[name] not in RULE_SETS:
            errors.append(RowError("election", 1, name, "E-ALLOC-002", _message(
                "E-ALLOC-002", field=name, value=e[name], known=", ".join(RULE_SETS))))
    try:
        date.fromisoformat(str(e.get("polling_date")))
    except ValueError:
        errors.append(RowError("election", 1, "polling_date", "E-IMP-002", _message(
            "E-IMP-002", field="polling_date", expected="YYYY-MM-DD")))
    return errors


def dump_bundle(session: Session) -> dict[str, Any]:
    """The whole set-up as a bundle (the export that :func:`load_bundle` reads back)."""
    out: dict[str, Any] = {}
    e = session.execute(select(Election)).scalar_one_or_none()
    if e is not None:
        out["election"] = {"id": e.id, "name": e.name, "polling_date": e.polling_date.isoformat(),
                           "rules_communal": e.rules_communal,
                           "rules_regional": e.rules_regional, "seed": e.seed}
    for table in ORDER:
        model, spec = TABLES[table]
        items = []
        for obj in session.scalars(select(model)):
            item = {name: getattr(obj, column) for name, (column, _k, _r) in spec.items()}
            items.append({k: v for k, v in item.items() if v is not None})
        items.sort(key=lambda x: str(x.get("id") or (x.get("constituency"), x.get("rank"))))
        out[table] = items
    return out


DEMO_USERS: Final = (
    {"id": "clerk1", "name": "كاتب الإدخال 1 / Agent de saisie 1", "role": "clerk"},
    {"id": "clerk2", "name": "كاتب الإدخال 2 / Agent de saisie 2", "role": "clerk"},
    {"id": "coord", "name": "رئيس لجنة الإحصاء / Président de commission", "role": "coordinator"},
    {"id": "observer", "name": "وكيل لائحة / Mandataire de liste", "role": "observer"},
    {"id": "admin", "name": "مدير النظام / Administrateur", "role": "admin"},
)


def iter_chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
