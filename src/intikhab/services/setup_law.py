"""Loading an election checks each commune council against the law (organic law 59.11 as
amended by law 06.21): its size from its population (art. 127, art. 128 for a divided commune),
the women's part of a list commune (a third, rounded up, deducted: art. 128 bis §2) and of each
arrondissement (art. 128 bis), the seats its constituencies fill adding up to the council, a
single-member commune's five attached women's seats on its five districts with the most
registered voters (art. 128 bis §1) with the attached woman on every candidacy there, and the
lawful order of an arrondissement's seat groups (art. 141 §1 item 2).

Each contradiction is a :class:`~intikhab.formats.rows.RowError` with its code (``E-SETUP-…``,
``E-ALLOC-021``), table, row and field, like the other import errors.  ``council_seats`` is the
council in office: a single-member commune's districts plus its five attached seats.

An election marked ``"fragment": true`` describes some constituencies of its councils only
(test fixtures, a partial re-import): the checks that need the whole council — its
constituencies adding up to it, exactly five attached seats — are then left out; the others
(size, women's part, attached seats on the districts with the most voters, attached women,
seat-group order) still apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from intikhab.formats.rows import RowError, message
from intikhab.law.allocation import Council, Part, SeatGroup, check_group_order
from intikhab.law.councils import (
    SINGLE_MEMBER_ATTACHED_WOMEN,
    Mode,
    arrondissement_seats,
    commune_council,
    divided_commune_council_size,
)
from intikhab.law.errors import InputError

__all__ = ["check_councils"]

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def _year(rules: str | None) -> int:
    tail = (rules or "communal-2021")[-4:]
    return int(tail) if tail.isdigit() else 2021


def _err(table: str, n: int, field: str, code: str, **params: Any) -> RowError:
    return RowError(table, n, field, code, message(code, field=field, **params))


def _groups(raw: Any) -> list[SeatGroup] | None:
    """The seat groups of a constituency row, or ``None`` when malformed (the allocation's own
    parser reports those when the figures are allocated)."""
    try:
        return [SeatGroup(Part(g["part"]), int(g["seats"]),
                          Council(g["council"]) if g.get("council") else None) for g in raw]
    except (KeyError, TypeError, ValueError):
        return None


class _Index:
    """The stations' registered voters and the candidacies, by constituency (read once)."""

    def __init__(self, rows: Rows) -> None:
        self.registered: dict[str, int] = defaultdict(int)
        for s in rows.get("stations", ()):
            if isinstance(s.get("registered"), int):
                self.registered[str(s.get("communal_constituency_id"))] += s["registered"]
        self.candidacies: dict[str, list[tuple[int, Mapping[str, Any]]]] = defaultdict(list)
        for m, cand in enumerate(rows.get("candidacies", ()), 1):
            self.candidacies[str(cand.get("constituency_id"))].append((m, cand))


def check_councils(rows: Rows, rules_communal: str | None, fragment: bool = False
                   ) -> list[RowError]:
    """Every contradiction between the bundle's commune councils and the law (module doc)."""
    errors: list[RowError] = []
    by_commune: dict[str, list[tuple[int, Mapping[str, Any]]]] = defaultdict(list)
    for n, k in enumerate(rows.get("constituencies", ()), 1):
        groups = _groups(k.get("groups") or []) if k.get("kind") == "list" else []
        if groups:
            try:
                check_group_order(groups)
            except InputError as exc:
                errors.append(_err("constituencies", n, exc.field or "groups", exc.code))
        if k.get("vote") == "communal":
            by_commune[str(k.get("council"))].append((n, k))
    year = _year(rules_communal)
    index = _Index(rows)
    for n, c in enumerate(rows.get("communes", ()), 1):
        cons = by_commune.get(str(c.get("id")), [])
        if not cons or not isinstance(c.get("population"), int) or c["population"] <= 0:
            continue
        if c.get("kind") == "divided":
            errors += _divided(n, c, cons, year, fragment)
        elif c.get("kind") in ("list", "single_member"):
            errors += _undivided(n, c, cons, year, fragment, index)
    return errors


def _divided(n: int, c: Mapping[str, Any], cons: list[tuple[int, Mapping[str, Any]]],
             year: int, fragment: bool) -> list[RowError]:
    out: list[RowError] = []
    size = divided_commune_council_size(c["population"])
    if c.get("council_seats") != size:
        out.append(_err("communes", n, "council_seats", "E-SETUP-001",
                        value=c.get("council_seats"), expected=size,
                        article="art. 128 of law 59.11"))
    communal = 0
    for m, k in cons:
        groups = _groups(k.get("groups") or [])
        if not groups:
            continue
        seats = {(g.part, g.council): g.seats for g in groups}
        comm = sum(s for (_p, council), s in seats.items() if council is not Council.ARRONDISSEMENT)
        own = sum(s for (_p, council), s in seats.items() if council is Council.ARRONDISSEMENT)
        communal += comm
        if year < 2021 or comm == 0 or own == 0:
            continue
        law = arrondissement_seats(comm, own)
        for council, want in ((Council.COMMUNE, law.communal_women),
                              (Council.ARRONDISSEMENT, law.arrondissement_women)):
            got = seats.get((Part.WOMEN, council), 0)
            if got != want:
                out.append(_err("constituencies", m, f"groups.women.{council.value}",
                                "E-SETUP-002", value=got, expected=want,
                                article="art. 128 bis of law 59.11"))
    if not fragment and communal != size:
        out.append(_err("communes", n, "council_seats", "E-SETUP-005", value=c["id"],
                        total=communal, expected=size, article="art. 128 of law 59.11"))
    return out


def _undivided(n: int, c: Mapping[str, Any], cons: list[tuple[int, Mapping[str, Any]]],
               year: int, fragment: bool, index: _Index) -> list[RowError]:
    law = commune_council(c["population"], year)
    if law.mode.value != c.get("kind") or c.get("council_seats") != law.total:
        return [_err("communes", n, "council_seats", "E-SETUP-001",
                     value=f"{c.get('council_seats')} ({c.get('kind')})",
                     expected=f"{law.total} ({law.mode.value})",
                     article="art. 127, art. 128 bis, art. 130 of law 59.11")]
    if law.mode is Mode.LIST:
        return _list_commune(n, c, cons, law.women_seats, fragment)
    return _single_member(n, c, cons, law.members, fragment, index)


def _list_commune(n: int, c: Mapping[str, Any], cons: list[tuple[int, Mapping[str, Any]]],
                  women: int, fragment: bool) -> list[RowError]:
    out: list[RowError] = []
    total = 0
    for m, k in cons:
        groups = _groups(k.get("groups") or []) or []
        total += sum(g.seats for g in groups)
        got = sum(g.seats for g in groups if g.part is Part.WOMEN)
        if groups and women and got != women:
            out.append(_err("constituencies", m, "groups.women", "E-SETUP-002", value=got,
                            expected=women, article="art. 128 bis §2 of law 59.11"))
    if not fragment and total != c["council_seats"]:
        out.append(_err("communes", n, "council_seats", "E-SETUP-005", value=c["id"],
                        total=total, expected=c["council_seats"],
                        article="art. 127 of law 59.11"))
    return out


def _single_member(n: int, c: Mapping[str, Any], cons: list[tuple[int, Mapping[str, Any]]],
                   members: int, fragment: bool, index: _Index) -> list[RowError]:
    out: list[RowError] = []
    districts = {str(k["id"]): m for m, k in cons}
    if not fragment and len(districts) != members:
        out.append(_err("communes", n, "council_seats", "E-SETUP-005", value=c["id"],
                        total=len(districts), expected=members,
                        article="art. 127, art. 130 of law 59.11"))
    registered = {d: index.registered.get(d, 0) for d in districts}
    attached = {str(k["id"]) for _m, k in cons if k.get("attached_women_seat")}
    ranked = sorted(registered, key=lambda d: (-registered[d], d))
    want = min(SINGLE_MEMBER_ATTACHED_WOMEN, len(ranked))
    floor = registered[ranked[want - 1]] if want else 0
    lawful = all(registered[d] >= floor for d in attached) and all(
        registered[d] <= floor for d in set(registered) - attached) and (
        len(attached) == want or (fragment and len(attached) <= want))
    if not lawful:
        out.append(_err("communes", n, "constituencies.attached_women_seat", "E-SETUP-003",
                        expected=", ".join(ranked[:want])))
    for m, cand in (x for d in sorted(attached) for x in index.candidacies.get(d, ())):
        people = cand.get("candidates")
        if not isinstance(people, Mapping) or not people.get("attached_woman"):
            out.append(_err("candidacies", m, "candidates.attached_woman", "E-SETUP-004",
                            value=f"{cand.get('constituency_id')}:{cand.get('code')}"))
    return out
