"""Loading an election — territory, constituencies, stations, candidacies, users — from an
*election bundle* (docs/records.md), in one transaction: every row is checked first and any
error is reported with its table, row number, field and code; nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from intikhab.formats import limits
from intikhab.formats.bundle_csv import BUNDLE_FIELDS, FieldSpec
from intikhab.formats.rows import ImportRejected, RowError, message
from intikhab.law.dates import parse_date
from intikhab.law.errors import InputError, IntikhabError
from intikhab.law.rulesets import RULE_SETS
from intikhab.services.duties import parse_scope
from intikhab.services.setup_law import check_councils
from intikhab.store import audit
from intikhab.store.models import (
    Base,
    Candidacy,
    CentralOffice,
    Commune,
    Constituency,
    DutyScope,
    Election,
    Party,
    Prefecture,
    Region,
    Result,
    Station,
    User,
)

Row = Mapping[str, Any]

_MODELS: Final[dict[str, type[Base]]] = {
    "parties": Party, "regions": Region, "prefectures": Prefecture, "communes": Commune,
    "constituencies": Constituency, "central_offices": CentralOffice, "stations": Station,
    "candidacies": Candidacy, "users": User,
}
TABLES: Final[dict[str, tuple[type[Base], FieldSpec]]] = {
    table: (_MODELS[table], spec) for table, spec in BUNDLE_FIELDS.items()}
"""Each bundle table's model and fields (:data:`~intikhab.formats.bundle_csv.BUNDLE_FIELDS`)."""
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
            value = int(value) if len(value.strip()) <= 13 else limits.MAX_INT + 1
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("a non-negative integer")
        if value > limits.MAX_INT:  # a 30-digit population: refused, never an OverflowError
            raise ValueError(f"an integer up to {limits.MAX_INT}")
        return value
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value
    return value  # json: checked by the table's own rule


def validate(bundle: Row, existing: Callable[[str], set[str]] | None = None
             ) -> tuple[dict[str, list[dict[str, Any]]], list[RowError]]:
    """Check every row of a bundle, then each commune council against the law
    (:func:`~intikhab.services.setup_law.check_councils`); return the rows ready to insert and
    every error found."""
    errors: list[RowError] = limits.bundle_errors(bundle)  # rows per table, candidates
    rows: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, set[str]] = {}
    if any(e.code == "E-SEC-014" for e in errors):
        return rows, errors
    for table in ORDER:
        spec = TABLES[table][1]
        raw = bundle.get(table, [])
        if not isinstance(raw, list):
            errors.append(RowError(table, 0, table, "E-IMP-002",
                                   message("E-IMP-002", field=table, expected="a list")))
            continue
        seen = set(existing(table)) if existing else set()
        out = []
        for n, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                errors.append(RowError(table, n, "$", "E-IMP-002",
                                       message("E-IMP-002", field="$", expected="an object")))
                continue
            values: dict[str, Any] = {}
            for name, (column, kind, required) in spec.items():
                value = item.get(name)
                if value is None or value == "":
                    if required:
                        errors.append(RowError(table, n, name, "E-IMP-002", message(
                            "E-IMP-002", field=name, expected="a value")))
                    elif kind == "bool":
                        values[column] = False
                    elif kind == "json":
                        values[column] = []
                    continue
                try:
                    values[column] = _convert(kind, value)
                except (ValueError, TypeError) as exc:
                    errors.append(RowError(table, n, name, "E-IMP-002", message(
                        "E-IMP-002", field=name, expected=str(exc) or kind)))
                    continue
                allowed = ENUMS.get((table, name))
                if allowed is not None and value not in allowed:
                    errors.append(RowError(table, n, name, "E-IMP-002", message(
                        "E-IMP-002", field=name, expected=" | ".join(sorted(allowed)))))
                target = REFS.get((table, name))
                if target is not None and value not in ids.get(target, set()) and not (
                        existing and value in existing(target)):
                    errors.append(RowError(table, n, name, "E-IMP-003", message(
                        "E-IMP-003", field=name, value=value, table=target)))
            if table == "users" and isinstance(values.get("id"), str):
                errors += _user_id(values["id"], n)
            key = values.get("id") or (f"{values.get('constituency_id')}:{values.get('code')}"
                                       if table == "candidacies" else None)
            if key is not None:
                if key in seen:
                    errors.append(RowError(table, n, "id", "E-IMP-004",
                                           message("E-IMP-004", field="id", value=key)))
                seen.add(key)
            out.append(values)
        ids[table] = {str(r["id"]) for r in out if "id" in r}
        rows[table] = out
    if not errors:  # each council against the law (services/setup_law.py)
        election = bundle.get("election")
        e = election if isinstance(election, dict) else {}
        errors += check_councils(rows, e.get("rules_communal"), bool(e.get("fragment")))
    return rows, errors


def _user_id(value: str, row: int) -> list[RowError]:
    """The one rule for a user id (``formats.limits.user_id``), as a row error."""
    try:
        limits.user_id(value)
    except InputError as error:
        return [RowError("users", row, "id", error.code, error.message("en"))]
    return []


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
    errors += row_errors + _scope_errors(rows, existing)
    if errors:
        raise ImportRejected(errors)
    audit.lock_head(session)
    _refuse_declared(session, rows)
    if election is not None:
        session.add(Election(id=election["id"], name=election["name"],
                             polling_date=parse_date(election["polling_date"]),
                             rules_communal=election["rules_communal"],
                             rules_regional=election["rules_regional"],
                             seed=election.get("seed")))
        session.flush()
    counts = {}
    scopes = [{"user_id": u["id"], "scope": s} for u in rows.get("users", [])
              for s in parse_scope(u.pop("scope", None))]
    for table in ORDER:
        if rows.get(table):
            session.execute(insert(TABLES[table][0]), rows[table])
            counts[table] = len(rows[table])
    if scopes:  # the duties the bundle assigns (services/duties.py), in its audit record
        session.execute(insert(DutyScope), scopes)
    audit.append(session, actor=actor, role=role, action="import.bundle",
                 entity=str(election["id"]) if election else "bundle",
                 after=audit.digest(bundle))
    session.flush()
    return counts


def _scope_errors(rows: Mapping[str, list[dict[str, Any]]],
                  existing: Callable[[str], set[str]]) -> list[RowError]:
    """A user's scope names ``*`` or constituencies of the bundle or of the database."""
    known = {str(c["id"]) for c in rows.get("constituencies", [])}
    errors = []
    for n, user in enumerate(rows.get("users", []), 1):
        for scope in parse_scope(user.get("scope")):
            if scope != "*" and scope not in known and scope not in existing("constituencies"):
                errors.append(RowError("users", n, "scope", "E-IMP-003", message(
                    "E-IMP-003", field="scope", value=scope, table="constituencies")))
    return errors


_TOUCHES: Final = (("stations", "communal_constituency_id"),
                   ("stations", "regional_constituency_id"),
                   ("candidacies", "constituency_id"))


def _refuse_declared(session: Session, rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """A declared result is final until a court rules (art. 24 and art. 32, law 59.11 as
    amended): no import adds a polling station or a candidacy to a declared constituency —
    that would put it back to awaiting minutes while its result stays public
    (``E-IMP-005``)."""
    declared = set(session.scalars(
        select(Result.constituency_id).where(Result.declared_at.is_not(None)).distinct()))
    if not declared:
        return
    for table, column in _TOUCHES:
        for n, row in enumerate(rows.get(table, []), 1):
            if row.get(column) in declared:
                raise IntikhabError("E-IMP-005", field=f"{table}:{n}",
                                    value=row[column])


def _check_election(e: Any) -> list[RowError]:
    if not isinstance(e, dict):
        return [RowError("election", 1, "$", "E-IMP-002",
                         message("E-IMP-002", field="election", expected="an object"))]
    errors = []
    for name in ("id", "name", "polling_date", "rules_communal", "rules_regional"):
        if not isinstance(e.get(name), str) or not e[name]:
            errors.append(RowError("election", 1, name, "E-IMP-002",
                                   message("E-IMP-002", field=name, expected="a value")))
    for name in ("rules_communal", "rules_regional"):
        if isinstance(e.get(name), str) and e[name] not in RULE_SETS:
            errors.append(RowError("election", 1, name, "E-ALLOC-002", message(
                "E-ALLOC-002", field=name, value=e[name], known=", ".join(RULE_SETS))))
    try:
        parse_date(e.get("polling_date"), "polling_date")
    except InputError:
        errors.append(RowError("election", 1, "polling_date", "E-IMP-002", message(
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
    scope_rows: dict[str, list[str]] = {}
    for uid, scope in session.execute(select(DutyScope.user_id, DutyScope.scope)):
        scope_rows.setdefault(uid, []).append(scope)
    for table in ORDER:
        model, spec = TABLES[table]
        items = []
        for obj in session.scalars(select(model)):
            item = {name: getattr(obj, column, None) for name, (column, _k, _r)
                    in spec.items()}
            if table == "users":
                item["scope"] = ";".join(sorted(scope_rows.get(str(item["id"]), ()))) or None
            items.append({k: v for k, v in item.items() if v is not None})
        items.sort(key=lambda x: str(x.get("id") or (x.get("constituency"), x.get("rank"))))
        out[table] = items
    return out
