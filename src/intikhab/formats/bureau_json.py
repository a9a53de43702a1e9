"""The JSON format of ``intikhab bureau elect``: parse and validate a bureau election document
into :mod:`intikhab.law.bureau`'s dataclasses, decide it, and turn the outcome into plain JSON.

Input (``docs/bureaus.md`` has an example)::

    {"council": "region"|"prefecture"|"commune", "mode": "list"|"single_member",
     "members": [{"id", "name", "birth_date", "sex", "party", "list", "list_head", "in_office"}],
     "office": "president"|"vice_presidents"|"secretary"|"deputy_secretary",
     "candidates": [{"member", "endorsed"}],        (president, secretary, deputy secretary)
     "lists": [{"id", "head", "members"}], "president": id|null,     (vice-presidents)
     "bureau": [ids],                               (secretary, deputy secretary; optional)
     "rounds": [{"present", "votes": {id: n}}], "lots": {key: id}, "lot_seed": str|null}

Parsing takes already-decoded JSON (no I/O); every rejection is an
:class:`~intikhab.law.errors.InputError` with an ``E-BUR-…`` code and the JSON path of the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from intikhab.law.allocation import NO_LOTS, Lots, Sex
from intikhab.law.bureau import (
    BureauCouncil,
    CouncilKind,
    Member,
    Office,
    OfficeOutcome,
    Standing,
    VPList,
    elect_president,
    elect_secretary,
    elect_vice_presidents,
)
from intikhab.law.bureau_rounds import Round
from intikhab.law.councils import Mode
from intikhab.law.errors import InputError

__all__ = ["BureauRequest", "decide", "outcome_to_json", "parse_bureau"]

Json = Any

#: The offices the document can ask for, and the fields each one takes besides the common ones.
OFFICES: Final[dict[Office, frozenset[str]]] = {
    Office.PRESIDENT: frozenset({"candidates"}),
    Office.VICE_PRESIDENTS: frozenset({"lists", "president"}),
    Office.SECRETARY: frozenset({"candidates", "bureau"}),
    Office.DEPUTY_SECRETARY: frozenset({"candidates", "bureau"}),
}
_COMMON: Final = frozenset({"council", "mode", "members", "office", "rounds", "lots", "lot_seed"})
_ALL: Final = _COMMON | frozenset().union(*OFFICES.values())
_MEMBER: Final = frozenset({"id", "name", "birth_date", "sex", "party", "list", "list_head",
                            "in_office"})


@dataclass(frozen=True, slots=True)
class BureauRequest:
    """A parsed document: the council, the office, its candidacies or lists, and the rounds."""

    council: BureauCouncil
    office: Office
    candidates: tuple[Standing, ...] = ()
    lists: tuple[VPList, ...] = ()
    president: str | None = None
    bureau: tuple[str, ...] = ()
    rounds: tuple[Round, ...] = ()
    lots: Lots = NO_LOTS


# --------------------------------------------------------------------------------------------
# Field readers


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _obj(value: Json, path: str, known: frozenset[str]) -> Mapping[str, Json]:
    if not isinstance(value, dict):
        raise InputError("E-BUR-002", field=path or "$", expected="object")
    for k in value:
        if k not in known:
            raise InputError("E-BUR-005", field=_join(path, str(k)))
    return value


def _req(obj: Mapping[str, Json], key: str, path: str) -> Json:
    if key not in obj:
        raise InputError("E-BUR-002", field=_join(path, key), expected="a value")
    return obj[key]


def _str(value: Json, path: str) -> str:
    if not isinstance(value, str):
        raise InputError("E-BUR-002", field=path, expected="string")
    return value


def _opt_str(value: Json, path: str) -> str | None:
    return None if value is None else _str(value, path)


def _bool(obj: Mapping[str, Json], key: str, path: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise InputError("E-BUR-002", field=_join(path, key), expected="boolean")
    return value


def _count(value: Json, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("E-BUR-003", field=path, value=repr(value))
    return value


def _array(value: Json, path: str) -> list[Json]:
    if not isinstance(value, list):
        raise InputError("E-BUR-002", field=path, expected="array")
    return value


def _enum(value: Json, enum: type[Any], path: str, allowed: tuple[str, ...]) -> Any:
    if not isinstance(value, str) or value not in allowed:
        raise InputError("E-BUR-004", field=path, value=value, expected=" | ".join(allowed))
    return enum(value)


def _date(value: Json, path: str) -> date:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError("E-BUR-008", field=path, value=repr(value))


# --------------------------------------------------------------------------------------------
# Input


def _member(raw: Json, path: str) -> Member:
    obj = _obj(raw, path, _MEMBER)
    return Member(
        id=_str(_req(obj, "id", path), _join(path, "id")),
        name=_str(_req(obj, "name", path), _join(path, "name")),
        birth_date=_date(_req(obj, "birth_date", path), _join(path, "birth_date")),
        sex=_enum(_req(obj, "sex", path), Sex, _join(path, "sex"), ("F", "M")),
        party=_opt_str(obj.get("party"), _join(path, "party")),
        list=_opt_str(obj.get("list"), _join(path, "list")),
        list_head=_bool(obj, "list_head", path, False),
        in_office=_bool(obj, "in_office", path, True),
    )


def _council(doc: Mapping[str, Json]) -> BureauCouncil:
    kind = _enum(_req(doc, "council", ""), CouncilKind, "council",
                 tuple(k.value for k in CouncilKind))
    mode = _enum(doc.get("mode", "list"), Mode, "mode", tuple(m.value for m in Mode))
    members = tuple(_member(m, _join("members", i))
                    for i, m in enumerate(_array(_req(doc, "members", ""), "members")))
    return BureauCouncil(kind, mode, members)


def _candidates(doc: Mapping[str, Json]) -> tuple[Standing, ...]:
    out = []
    for i, raw in enumerate(_array(_req(doc, "candidates", ""), "candidates")):
        path = _join("candidates", i)
        obj = _obj(raw, path, frozenset({"member", "endorsed"}))
        out.append(Standing(_str(_req(obj, "member", path), _join(path, "member")),
                            _bool(obj, "endorsed", path, False)))
    return tuple(out)


def _lists(doc: Mapping[str, Json]) -> tuple[VPList, ...]:
    out = []
    for i, raw in enumerate(_array(_req(doc, "lists", ""), "lists")):
        path = _join("lists", i)
        obj = _obj(raw, path, frozenset({"id", "head", "members"}))
        mpath = _join(path, "members")
        members = tuple(_str(m, _join(mpath, j))
                        for j, m in enumerate(_array(_req(obj, "members", path), mpath)))
        out.append(VPList(_str(_req(obj, "id", path), _join(path, "id")),
                          _str(_req(obj, "head", path), _join(path, "head")), members))
    return tuple(out)


def _rounds(doc: Mapping[str, Json]) -> tuple[Round, ...]:
    out = []
    for i, raw in enumerate(_array(doc.get("rounds", []), "rounds")):
        path = _join("rounds", i)
        obj = _obj(raw, path, frozenset({"present", "votes"}))
        present = _count(_req(obj, "present", path), _join(path, "present"))
        vpath = _join(path, "votes")
        votes = obj.get("votes", {})
        if not isinstance(votes, dict):
            raise InputError("E-BUR-002", field=vpath, expected="object of id → votes")
        out.append(Round(present, {k: _count(v, f"{vpath}.{k}") for k, v in votes.items()}))
    return tuple(out)


def _lots(doc: Mapping[str, Json]) -> Lots:
    raw = doc.get("lots")
    raw = {} if raw is None else raw
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise InputError("E-BUR-002", field="lots", expected="object of key → winner id")
    seed = doc.get("lot_seed")
    if seed is not None and not isinstance(seed, str):
        raise InputError("E-BUR-002", field="lot_seed", expected="string or null")
    return Lots(dict(raw), seed)


def parse_bureau(doc: Json) -> BureauRequest:
    """Validate a decoded document into a :class:`BureauRequest` (``E-BUR-…`` on bad input)."""
    obj = _obj(doc, "", _ALL)
    office = _enum(_req(obj, "office", ""), Office, "office", tuple(o.value for o in OFFICES))
    for key in obj:
        if key not in _COMMON and key not in OFFICES[office]:
            raise InputError("E-BUR-020", field=key, value=office.value)
    council = _council(obj)
    rounds, lots = _rounds(obj), _lots(obj)
    if office is Office.VICE_PRESIDENTS:
        president = _opt_str(obj.get("president"), "president")
        return BureauRequest(council, office, lists=_lists(obj), president=president,
                             rounds=rounds, lots=lots)
    bureau = tuple(_str(b, _join("bureau", i))
                   for i, b in enumerate(_array(obj.get("bureau", []), "bureau")))
    return BureauRequest(council, office, candidates=_candidates(obj), bureau=bureau,
                         rounds=rounds, lots=lots)


def decide(req: BureauRequest) -> OfficeOutcome:
    """Run the election the request asks for."""
    if req.office is Office.PRESIDENT:
        return elect_president(req.council, req.candidates, req.rounds, req.lots)
    if req.office is Office.VICE_PRESIDENTS:
        return elect_vice_presidents(req.council, req.lists, req.president, req.rounds, req.lots)
    return elect_secretary(req.council, req.candidates, req.rounds, req.lots, bureau=req.bureau,
                           deputy=req.office is Office.DEPUTY_SECRETARY)


# --------------------------------------------------------------------------------------------
# Output


def outcome_to_json(o: OfficeOutcome) -> dict[str, Json]:
    """The outcome as the CLI prints it (``--format json``)."""
    return {
        "status": o.status.value,
        "eligible": list(o.eligible),
        "rejected": [{"id": r.id, "code": r.code} for r in o.rejected],
        "vice_presidents": o.vice_presidents,
        "rounds": [{"round": r.round, "rule": r.rule.value, "needed": r.needed,
                    "outcome": r.outcome.value} for r in o.rounds],
        "next_round": None if o.next_round is None else {
            "round": o.next_round.round, "candidates": list(o.next_round.candidates)},
        "elected": o.elected,
        "ties": [{"key": t.key, "contenders": list(t.contenders),
                  "resolved_by": None if t.resolved_by is None else t.resolved_by.value}
                 for t in o.ties],
    }
