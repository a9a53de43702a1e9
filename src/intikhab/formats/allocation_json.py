"""The JSON interchange format of ``intikhab allocate``: parse and validate input into the core's
dataclasses, and turn results back into plain JSON.

Parsing takes already-decoded JSON values (no I/O); every rejection is an
:class:`~intikhab.law.errors.InputError` carrying a stable code and the JSON path of the field.
The formats are published as JSON Schema in ``docs/allocation-input.schema.json`` (generated
from :data:`INPUT_SCHEMA`; a test keeps the file in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any, Final

from intikhab.law.allocation import (
    Candidate,
    CandidateList,
    Council,
    District,
    DistrictCandidate,
    DistrictResult,
    GroupResult,
    ListConstituency,
    ListResult,
    Lots,
    Part,
    SeatGroup,
    Sex,
    Tie,
)
from intikhab.law.dates import parse_date
from intikhab.law.errors import InputError
from intikhab.law.rulesets import RULE_SETS, RuleSet, get_rules

Json = Any

# --------------------------------------------------------------------------------------------
# Field readers


def _obj(value: Json, path: str, known: frozenset[str]) -> Mapping[str, Json]:
    if not isinstance(value, dict):
        raise InputError("E-ALLOC-003", field=path or "$", expected="object")
    for k in value:
        if k not in known:
            raise InputError("E-ALLOC-019", field=f"{path}.{k}" if path else str(k))
    return value


def _req(obj: Mapping[str, Json], key: str, path: str) -> Json:
    if key not in obj:
        raise InputError("E-ALLOC-003", field=_join(path, key), expected="a value")
    return obj[key]


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _count(obj: Mapping[str, Json], key: str, path: str) -> int:
    value = _req(obj, key, path)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("E-ALLOC-004", field=_join(path, key), value=repr(value))
    return value


def _str(obj: Mapping[str, Json], key: str, path: str, default: str | None = None) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise InputError("E-ALLOC-003", field=_join(path, key), expected="string")
    return value


def _bool(obj: Mapping[str, Json], key: str, path: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise InputError("E-ALLOC-003", field=_join(path, key), expected="boolean")
    return value


def _array(obj: Mapping[str, Json], key: str, path: str) -> list[Json]:
    value = _req(obj, key, path)
    if not isinstance(value, list):
        raise InputError("E-ALLOC-003", field=_join(path, key), expected="array")
    return value


def _enum(value: Json, enum: type[Part] | type[Council] | type[Sex], path: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InputError(
            "E-ALLOC-013", field=path, value=value,
            expected=" | ".join(e.value for e in enum),
        ) from None


def _date(value: Json, path: str) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):  # JSON text only: a date object is not the format
            return parse_date(value, path)
    except InputError:
        pass
    raise InputError("E-ALLOC-012", field=path, value=repr(value))


def _id(obj: Mapping[str, Json], path: str, seen: set[str]) -> str:
    value = _str(obj, "id", path)
    if not value.strip():
        raise InputError("E-ALLOC-009", field=_join(path, "id"))
    if value in seen:
        raise InputError("E-ALLOC-010", field=_join(path, "id"), value=value)
    seen.add(value)
    return value


_CANDIDATE = frozenset({"name", "birth_date", "sex", "eligible", "deceased"})


def _candidate(value: Json, path: str, women_only: bool) -> Candidate:
    obj = _obj(value, path, _CANDIDATE)
    sex = None if obj.get("sex") is None else _enum(obj["sex"], Sex, _join(path, "sex"))
    if women_only and sex is Sex.M:
        raise InputError("E-ALLOC-011", field=path)
    return Candidate(
        name=_str(obj, "name", path),
        birth_date=_date(obj.get("birth_date"), _join(path, "birth_date")),
        sex=sex,
        eligible=_bool(obj, "eligible", path, True),
        deceased=_bool(obj, "deceased", path, False),
    )


# --------------------------------------------------------------------------------------------
# Input


_LIST_INPUT = frozenset({"rules", "kind", "registered", "voters", "void", "groups", "lists",
                         "lots", "lot_seed", "name", "id"})
_SINGLE_INPUT = frozenset({"rules", "kind", "registered", "voters", "void", "attached_women_seat",
                           "candidates", "lots", "lot_seed", "name", "id"})


def parse_rules(doc: Json, override: str | None = None) -> RuleSet:
    """The rule set named by ``override`` (CLI ``--rules``), else by the document's ``rules``."""
    if override is not None:
        return get_rules(override)
    if not isinstance(doc, dict) or "rules" not in doc:
        raise InputError("E-ALLOC-003", field="rules", expected="a rule set name")
    return get_rules(_str(doc, "rules", ""))


def parse_lots(doc: Mapping[str, Json]) -> Lots:
    raw = doc.get("lots")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise InputError("E-ALLOC-003", field="lots", expected="object of key → winner id")
    seed = doc.get("lot_seed")
    if seed is not None and not isinstance(seed, str):
        raise InputError("E-ALLOC-003", field="lot_seed", expected="string or null")
    return Lots(dict(raw), seed)


def _figures(obj: Mapping[str, Json]) -> tuple[int, int, int]:
    registered = _count(obj, "registered", "")
    voters = _count(obj, "voters", "")
    void = _count(obj, "void", "")
    if voters > registered:
        raise InputError("E-ALLOC-005", field="voters", voters=voters, registered=registered)
    if void > voters:
        raise InputError("E-ALLOC-006", field="void", void=void, voters=voters)
    return registered, voters, void


def _check_total(total: int, void: int, voters: int, where: str) -> None:
    if total + void > voters:
        raise InputError("E-ALLOC-007", field=where, total=total, void=void, voters=voters)


def parse_constituency(doc: Json) -> ListConstituency | District:
    """Validate a decoded input document (list or single-member) into the core's dataclasses."""
    if not isinstance(doc, dict):
        raise InputError("E-ALLOC-003", field="$", expected="object")
    kind = doc.get("kind", "list")
    if kind == "single_member":
        return _parse_district(_obj(doc, "", _SINGLE_INPUT))
    if kind != "list":
        raise InputError("E-ALLOC-013", field="kind", value=kind,
                         expected="list | single_member")
    obj = _obj(doc, "", _LIST_INPUT)
    registered, voters, void = _figures(obj)

    groups = []
    for n, raw in enumerate(_array(obj, "groups", "")):
        path = _join("groups", n)
        g = _obj(raw, path, frozenset({"part", "council", "seats"}))
        seats_raw = _req(g, "seats", path)
        seats = _count(g, "seats", path)
        if seats == 0 or isinstance(seats_raw, bool):
            raise InputError("E-ALLOC-008", field=_join(path, "seats"), value=seats_raw)
        council = g.get("council")
        groups.append(SeatGroup(
            part=_enum(_req(g, "part", path), Part, _join(path, "part")),
            seats=seats,
            council=None if council is None else _enum(council, Council, _join(path, "council")),
        ))
    if not groups:
        raise InputError("E-ALLOC-014", field="groups")

    lists, seen = [], set[str]()
    for n, raw in enumerate(_array(obj, "lists", "")):
        path = _join("lists", n)
        item = _obj(raw, path, frozenset({"id", "name", "votes", "candidates"}))
        parts: dict[Part, tuple[Candidate, ...] | None] = dict.fromkeys(Part)
        if item.get("candidates") is not None:
            cpath = _join(path, "candidates")
            cands = _obj(item["candidates"], cpath, frozenset(p.value for p in Part))
            for part in Part:
                if part.value in cands:
                    ppath = _join(cpath, part.value)
                    parts[part] = tuple(
                        _candidate(c, _join(ppath, k), part is Part.WOMEN)
                        for k, c in enumerate(_array(cands, part.value, cpath))
                    )
        lists.append(CandidateList(
            id=_id(item, path, seen),
            votes=_count(item, "votes", path),
            name=_str(item, "name", path, ""),
            general=parts[Part.GENERAL],
            women=parts[Part.WOMEN],
        ))
    _check_total(sum(lst.votes for lst in lists), void, voters, "lists")
    return ListConstituency(registered, voters, void, tuple(groups), tuple(lists),
                            _str(obj, "id", "", ""))


def _parse_district(obj: Mapping[str, Json]) -> District:
    registered, voters, void = _figures(obj)
    attached = _bool(obj, "attached_women_seat", "", False)
    cands, seen = [], set[str]()
    for n, raw in enumerate(_array(obj, "candidates", "")):
        path = _join("candidates", n)
        item = _obj(raw, path, frozenset({"id", "name", "votes", "birth_date", "attached_woman"}))
        woman = None
        if item.get("attached_woman") is not None:
            wpath = _join(path, "attached_woman")
            if not attached:
                raise InputError("E-ALLOC-018", field=wpath)
            woman = _candidate(item["attached_woman"], wpath, women_only=False)
            if woman.sex is Sex.M:
                raise InputError("E-ALLOC-017", field=wpath)
        cands.append(DistrictCandidate(
            id=_id(item, path, seen),
            name=_str(item, "name", path),
            votes=_count(item, "votes", path),
            birth_date=_date(item.get("birth_date"), _join(path, "birth_date")),
            attached_woman=woman,
        ))
    _check_total(sum(c.votes for c in cands), void, voters, "candidates")
    return District(registered, voters, void, tuple(cands), attached,
                    _str(obj, "id", "", ""))


# --------------------------------------------------------------------------------------------
# Output


def fraction_str(value: Fraction) -> str:
    """``"18900"`` for an integer, ``"57040/3"`` otherwise — exact, never a float."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def _tie(t: Tie) -> dict[str, Json]:
    return {"key": t.key, "lists": list(t.contenders), "decided_by": t.decided_by.value,
            "winner": t.winner, "lot_source": t.lot_source}


def _group(g: GroupResult, names: Mapping[str, str]) -> dict[str, Json]:
    return {
        "part": g.part.value,
        "council": None if g.council is None else g.council.value,
        "seats": g.seats,
        "base": g.base,
        "quotient": fraction_str(g.quotient),
        "lists": [
            {"id": line.id, "name": names.get(line.id, ""), "votes": line.votes,
             "excluded": line.excluded, "by_quotient": line.by_quotient,
             "forfeited": line.forfeited, "remainder": fraction_str(line.remainder),
             "by_remainder": line.by_remainder,
             "seats": line.seats, "elected": list(line.elected),
             "elected_ranks": list(line.elected_ranks)}
            for line in g.lines
        ],
        "ties": [_tie(t) for t in g.ties],
        "unfilled": g.unfilled,
    }


def result_to_json(
    result: ListResult | DistrictResult,
    constituency: ListConstituency | District | None = None,
    lots: Lots | None = None,
) -> dict[str, Json]:
    """The machine-readable result (format documented in ``docs/allocation.md``)."""
    lot = result.lot_required
    out: dict[str, Json] = {
        "status": result.status.value,
        "rules": result.rules,
        "reason": result.reason,
        "lot_required": None if lot is None else {
            "key": lot.key, "lists": list(lot.contenders), "group": lot.group},
        "lot_seed": None if lots is None else lots.seed,
    }
    if isinstance(result, DistrictResult):
        out.update(winner=result.winner, elected=list(result.elected),
                   ties=[_tie(t) for t in result.ties])
        return out
    names = {}
    if isinstance(constituency, ListConstituency):
        names = {lst.id: lst.name for lst in constituency.lists}
    out.update(groups=[_group(g, names) for g in result.groups], totals=result.totals)
    return out


# --------------------------------------------------------------------------------------------
# JSON Schema (published in docs/)

_CANDIDATE_SCHEMA: Final[dict[str, Json]] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "birth_date": {"type": ["string", "null"], "format": "date"},
        "sex": {"enum": ["F", "M", None]},
        "eligible": {"type": "boolean", "default": True},
        "deceased": {"type": "boolean", "default": False},
    },
}
_COUNT: Final[dict[str, Json]] = {"type": "integer", "minimum": 0}
_LOTS: Final[dict[str, Json]] = {
    "lots": {"type": ["object", "null"], "additionalProperties": {"type": "string"},
             "description": "drawn outcomes entered by the commission: lot key → winner id"},
    "lot_seed": {"type": ["string", "null"],
                 "description": "public seed for a reproducible draw (recorded in the result)"},
}

# the fields both kinds of input share
_COMMON: Final[dict[str, Json]] = {
    "rules": {"enum": sorted(RULE_SETS)},
    "id": {"type": "string", "description": "names the constituency in lot keys"},
    "name": {"type": "string"},
    "registered": _COUNT, "voters": _COUNT, "void": _COUNT,
    **_LOTS,
}

INPUT_SCHEMA: Final[dict[str, Json]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "intikhab allocation input",
    "oneOf": [
        {
            "title": "list constituency",
            "type": "object",
            "additionalProperties": False,
            "required": ["registered", "voters", "void", "groups", "lists"],
            "properties": {
                **_COMMON,
                "kind": {"const": "list"},
                "groups": {
                    "type": "array", "minItems": 1,
                    "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["part", "seats"],
                        "properties": {
                            "part": {"enum": ["general", "women"]},
                            "council": {"enum": ["commune", "arrondissement", None]},
                            "seats": {"type": "integer", "minimum": 1},
                        },
                    },
                },
                "lists": {
                    "type": "array",
                    "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["id", "votes"],
                        "properties": {
                            "id": {"type": "string", "minLength": 1},
                            "name": {"type": "string"},
                            "votes": _COUNT,
                            "candidates": {
                                "type": ["object", "null"], "additionalProperties": False,
                                "properties": {
                                    "general": {"type": "array", "items": _CANDIDATE_SCHEMA},
                                    "women": {"type": "array", "items": _CANDIDATE_SCHEMA},
                                },
                            },
                        },
                    },
                },
            },
        },
        {
            "title": "single-member district",
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "registered", "voters", "void", "candidates"],
            "properties": {
                **_COMMON,
                "kind": {"const": "single_member"},
                "attached_women_seat": {"type": "boolean", "default": False},
                "candidates": {
                    "type": "array",
                    "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["id", "name", "votes"],
                        "properties": {
                            "id": {"type": "string", "minLength": 1},
                            "name": {"type": "string"},
                            "votes": _COUNT,
                            "birth_date": {"type": ["string", "null"], "format": "date"},
                            "attached_woman": {"oneOf": [{"type": "null"}, _CANDIDATE_SCHEMA]},
                        },
                    },
                },
            },
        },
    ],
}
