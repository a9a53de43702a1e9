"""Councils after the vote: the election of the bureau (انتخاب الأجهزة) — president,
vice-presidents, secretary and deputy secretary — of region, prefecture/province and commune
councils.

Organic law 111.14 on regions, 112.14 on prefectures and provinces and 113.14 on communes, as
the essay ``004_…`` gives them (its footnotes give the articles; where it gives none the
docstring says so).  ``docs/bureaus.md`` lists every rule, the vice-presidents' table and the
decisions taken where the texts are silent or inconsistent.

The service-facing API takes frozen dataclasses and returns an :class:`OfficeOutcome`:
``elect_president(council, candidates, rounds, lots)``,
``elect_vice_presidents(council, lists, president, rounds, lots)``,
``elect_secretary(council, candidates, rounds, lots, bureau=…, deputy=…)``.
Votes and ties are settled by :mod:`intikhab.law.bureau_rounds`.

Pure module: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from intikhab.law.allocation import NO_LOTS, Lots, Sex
from intikhab.law.bureau_rounds import (
    NextRound,
    OutcomeStatus,
    Rejection,
    Round,
    RoundRecord,
    TieBreak,
    TieRecord,
    Voting,
    run_rounds,
)
from intikhab.law.councils import Mode
from intikhab.law.errors import InputError

__all__ = [
    "VICE_PRESIDENTS",
    "BureauCouncil",
    "CouncilKind",
    "Member",
    "Office",
    "OfficeOutcome",
    "Standing",
    "VPList",
    "elect_president",
    "elect_secretary",
    "elect_vice_presidents",
    "elected_vice_presidents",
    "fifth_party_seats",
    "office_outcome",
    "party_seats",
    "president_eligibility",
    "vice_president_count",
    "vp_list_admission",
    "women_on_vp_list",
]


class CouncilKind(StrEnum):
    REGION = "region"
    PREFECTURE = "prefecture"
    COMMUNE = "commune"


class Office(StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENTS = "vice_presidents"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    COMMITTEE_CHAIR = "committee_chair"
    COMMITTEE_DEPUTY_CHAIR = "committee_deputy_chair"


#: Vice-presidents by council kind and size: ``(smallest size, vice-presidents)``, read "from
#: this size up".  The ONE table (docs/bureaus.md gives its sources and decisions):
#:
#: - communes, art. 16 of law 113.14: 3 (≤ 13), 4 (15), 5 (23), 6 (25–34), 7 (35–42), 8 (43–50),
#:   9 (51–60), 10 (≥ 61).  Decision: sizes between the rows take the row below them, so the
#:   single-member councils of law 06.21 (11+5 … 25+5) get 16, 18, 20 → 4; 28, 30 → 6.
#: - prefectures/provinces, art. 17 of law 112.14 (the essay's footnote prints "17 16"): 2 (11–13),
#:   3 (15–23), 4 ("25 or 31", read 25–27), 5 ("29–31").
#: - regions, law 111.14 (the essay gives 6 (≤ 39) and 9 (≥ 63) only, no article): 7 for 45 and
#:   8 for 51–57 are our reading of the sizes between (art. 74 of law 59.11 has no other sizes).
VICE_PRESIDENTS: Final[dict[CouncilKind, tuple[tuple[int, int], ...]]] = {
    CouncilKind.COMMUNE: ((1, 3), (15, 4), (23, 5), (25, 6), (35, 7), (43, 8), (51, 9), (61, 10)),
    CouncilKind.PREFECTURE: ((1, 2), (15, 3), (25, 4), (29, 5)),
    CouncilKind.REGION: ((1, 6), (40, 7), (46, 8), (63, 9)),
}


def vice_president_count(kind: CouncilKind, size: int) -> int:
    """Number of vice-presidents of a council of ``size`` members (:data:`VICE_PRESIDENTS`;
    art. 16 of law 113.14, art. 17 of law 112.14, law 111.14).  Decision: never more than
    ``size − 1`` (the half cap of art. 103 of law 59.11 can make a prefecture council tiny)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InputError("E-BUR-003", field="size", value=repr(size))
    count = next(vps for low, vps in reversed(VICE_PRESIDENTS[kind]) if size >= low)
    return min(count, size - 1)


def women_on_vp_list(vice_presidents: int) -> int:
    """Women each vice-presidents' list must hold: "not fewer than a third of the
    vice-presidents" — one third rounded up (art. 21 of law 111.14, art. 20 of law 112.14,
    art. 19 of law 113.14; the essay gives the rule under the election of the vice-presidents)."""
    return -(-vice_presidents // 3)


# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True)
class Member:
    """A council member: ``party`` ``None`` for an independent; ``list`` the list (or ``None``
    in a single-member commune) on which the member was elected; ``list_head`` the member ranked
    at its head; ``in_office`` ``False`` for a seat vacated since the vote."""

    id: str
    name: str
    birth_date: date
    sex: Sex
    party: str | None = None
    list: str | None = None
    list_head: bool = False
    in_office: bool = True


@dataclass(frozen=True, slots=True)
class BureauCouncil:
    """A council whose bureau is to be elected.  Its size is the number of ``members`` (those
    not in office included); ``mode`` is how its members were elected.  Validated on
    construction (``E-BUR-006/007/011/012/013``), field paths as in the CLI's JSON."""

    kind: CouncilKind
    mode: Mode
    members: tuple[Member, ...]

    def __post_init__(self) -> None:
        if self.mode is Mode.SINGLE_MEMBER and self.kind is not CouncilKind.COMMUNE:
            raise InputError("E-BUR-013", field="mode", value=self.kind.value)
        if not self.members:
            raise InputError("E-BUR-002", field="members", expected="at least one member")
        seen: set[str] = set()
        heads: dict[str, str] = {}
        parties: dict[str, str | None] = {}
        for i, m in enumerate(self.members):
            if not m.id.strip():
                raise InputError("E-BUR-006", field=f"members[{i}].id")
            if m.id in seen:
                raise InputError("E-BUR-007", field=f"members[{i}].id", value=m.id)
            seen.add(m.id)
            if m.list is None:
                if m.list_head:
                    raise InputError("E-BUR-011", field=f"members[{i}].list_head", value=m.id)
                continue
            if m.list_head:
                if m.list in heads:
                    raise InputError("E-BUR-011", field=f"members[{i}].list_head", value=m.id)
                heads[m.list] = m.id
            if parties.setdefault(m.list, m.party) != m.party:
                raise InputError("E-BUR-012", field=f"members[{i}].party", value=m.list)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def in_office(self) -> int:
        """Members in office (المزاولون مهامهم): the base of the absolute majority."""
        return sum(1 for m in self.members if m.in_office)

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)


@dataclass(frozen=True, slots=True)
class Standing:
    """A candidacy for an office: the member, and whether the party endorsed it (تزكية)."""

    member: str
    endorsed: bool = False


@dataclass(frozen=True, slots=True)
class VPList:
    """A vice-presidents' list: presented by ``head``; ``members`` are its candidates in order.
    The president's list is the one whose head is the president, who is not on it."""

    id: str
    head: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OfficeOutcome:
    """Where the election of one office stands, and why."""

    office: Office
    status: OutcomeStatus
    eligible: tuple[str, ...]
    rejected: tuple[Rejection, ...]
    vice_presidents: int
    rounds: tuple[RoundRecord, ...]
    next_round: NextRound | None
    elected: str | None
    ties: tuple[TieRecord, ...]

    @property
    def lot_required(self) -> TieRecord | None:
        return next((t for t in self.ties if t.resolved_by is None), None)


def office_outcome(office: Office, council: BureauCouncil, eligible: Sequence[str],
             rejected: Sequence[Rejection], voting: Voting) -> OfficeOutcome:
    """Assemble an office's outcome: who stood, who was turned away, and the rounds' result."""
    return OfficeOutcome(office, voting.status, tuple(eligible), tuple(rejected),
                         vice_president_count(council.kind, council.size), voting.rounds,
                         voting.next_round, voting.elected, voting.ties)


def _check_candidates(council: BureauCouncil, candidates: Sequence[Standing]) -> None:
    seen: set[str] = set()
    for i, c in enumerate(candidates):
        if council.member(c.member) is None:
            raise InputError("E-BUR-009", field=f"candidates[{i}].member", value=c.member)
        if c.member in seen:
            raise InputError("E-BUR-007", field=f"candidates[{i}].member", value=c.member)
        seen.add(c.member)


def _births(council: BureauCouncil) -> dict[str, date]:
    return {m.id: m.birth_date for m in council.members}


# --------------------------------------------------------------------------------------------
# President


def party_seats(council: BureauCouncil) -> dict[str, int]:
    """Seats per party, counted from the council's members (in office or not: the seats the
    party won at the vote)."""
    return dict(Counter(m.party for m in council.members if m.party is not None))


def fifth_party_seats(council: BureauCouncil) -> int:
    """Seats of the party ranked fifth by seats; 0 when fewer than five parties won seats
    (then every party is among the first five and every independent list head may stand)."""
    seats = sorted(party_seats(council).values(), reverse=True)
    return seats[4] if len(seats) >= 5 else 0


def _president_rejection(council: BureauCouncil, c: Standing, fifth: int) -> str | None:
    """Art. 15 of law 111.14 (regions), its counterpart in law 112.14 (the essay gives no
    article), art. 13 of law 113.14 (communes): list councils — the member at the head of a list
    that won seats, whose party is among the first five by seats (decision: a party with as many
    seats as the fifth is among them), or an independent list head whose list has at least the
    fifth party's seats; a party's candidate needs its endorsement.  Single-member communes:
    any member, endorsed if in a party.  Decision: a member no longer in office cannot stand."""
    m = council.member(c.member)
    assert m is not None
    if not m.in_office:
        return "E-BUR-021"
    if council.mode is Mode.LIST:
        if not m.list_head or m.list is None:
            return "E-BUR-022"
        if m.party is None:
            own = sum(1 for x in council.members if x.party is None and x.list == m.list)
            if own < fifth:
                return "E-BUR-024"
        elif party_seats(council)[m.party] < fifth:
            return "E-BUR-023"
    if m.party is not None and not c.endorsed:
        return "E-BUR-025"
    return None


def president_eligibility(council: BureauCouncil, candidates: Sequence[Standing]
                          ) -> tuple[tuple[str, ...], tuple[Rejection, ...]]:
    """Who may stand for president, and who may not with the code saying why (see
    :func:`_president_rejection` for the articles)."""
    _check_candidates(council, candidates)
    fifth = fifth_party_seats(council)
    eligible: list[str] = []
    rejected: list[Rejection] = []
    for c in candidates:
        code = _president_rejection(council, c, fifth)
        if code is None:
            eligible.append(c.member)
        else:
            rejected.append(Rejection(c.member, code))
    return tuple(eligible), tuple(rejected)


def elect_president(council: BureauCouncil, candidates: Sequence[Standing],
                    rounds: Sequence[Round] = (), lots: Lots = NO_LOTS) -> OfficeOutcome:
    """Elect the president (art. 15 of law 111.14; law 112.14; art. 13 of law 113.14): round 1
    by absolute majority of the members in office, round 2 between the first two of round 1
    by the same majority, round 3 by relative majority of those present; equal votes → the
    youngest, then a lot."""
    eligible, rejected = president_eligibility(council, candidates)
    tb = TieBreak(_births(council), Office.PRESIDENT.value)
    voting = run_rounds(eligible, rounds, council.in_office, tb, lots)
    return office_outcome(Office.PRESIDENT, council, eligible, rejected, voting)


# --------------------------------------------------------------------------------------------
# Vice-presidents


def _check_lists(council: BureauCouncil, lists: Sequence[VPList], president: str | None) -> None:
    """Structure: known members, unique list ids, no member on two lists (art. 21 of law
    111.14, art. 20 of law 112.14, art. 19 of law 113.14: "no member may stand on more than one
    list")."""
    if president is not None and council.member(president) is None:
        raise InputError("E-BUR-009", field="president", value=president)
    ids: set[str] = set()
    on: set[str] = set()
    for i, lst in enumerate(lists):
        if not lst.id.strip():
            raise InputError("E-BUR-006", field=f"lists[{i}].id")
        if lst.id in ids:
            raise InputError("E-BUR-007", field=f"lists[{i}].id", value=lst.id)
        ids.add(lst.id)
        if council.member(lst.head) is None:
            raise InputError("E-BUR-009", field=f"lists[{i}].head", value=lst.head)
        for j, who in enumerate(lst.members):
            if council.member(who) is None:
                raise InputError("E-BUR-009", field=f"lists[{i}].members[{j}]", value=who)
            if who in on:
                raise InputError("E-BUR-010", field=f"lists[{i}].members[{j}]", value=who)
            on.add(who)


def _list_rejection(council: BureauCouncil, lst: VPList, president: str | None,
                    vps: int) -> str | None:
    """Admission of one list (articles as :func:`_check_lists`).  Decisions: a list holds
    exactly as many candidates as there are vice-presidents (one vote fills them all); a list
    other than the president's is presented by its first candidate; the president is on no list;
    every candidate and the head are in office."""
    if president is not None and president in lst.members:
        return "E-BUR-030"
    if lst.head != president and (not lst.members or lst.members[0] != lst.head):
        return "E-BUR-029"
    if len(lst.members) != vps:
        return "E-BUR-027"
    people = [council.member(x) for x in (lst.head, *lst.members)]
    if not all(p is not None and p.in_office for p in people):
        return "E-BUR-021"
    women = sum(1 for p in people[1:] if p is not None and p.sex is Sex.F)
    if women < women_on_vp_list(vps):
        return "E-BUR-028"
    return None


def vp_list_admission(council: BureauCouncil, lists: Sequence[VPList], president: str | None
                      ) -> tuple[tuple[str, ...], tuple[Rejection, ...]]:
    """The lists admitted to the vote, and those rejected with the code saying why."""
    _check_lists(council, lists, president)
    vps = vice_president_count(council.kind, council.size)
    eligible: list[str] = []
    rejected: list[Rejection] = []
    for lst in lists:
        code = _list_rejection(council, lst, president, vps)
        if code is None:
            eligible.append(lst.id)
        else:
            rejected.append(Rejection(lst.id, code))
    return tuple(eligible), tuple(rejected)


def elect_vice_presidents(council: BureauCouncil, lists: Sequence[VPList], president: str | None,
                          rounds: Sequence[Round] = (), lots: Lots = NO_LOTS) -> OfficeOutcome:
    """Elect the vice-presidents by list (art. 21 of law 111.14, art. 20 of law 112.14, art. 19
    of law 113.14): the same three rounds as the president; in round 3 equal votes go to the
    president's list.  Decision: between two lists neither of which is the president's (and for
    the two places of round 2), the list whose head is youngest, then a lot."""
    eligible, rejected = vp_list_admission(council, lists, president)
    births = _births(council)
    heads = {lst.id: births[lst.head] for lst in lists}
    preferred = next((lst.id for lst in lists
                      if president is not None and lst.head == president), None)
    tb = TieBreak(heads, Office.VICE_PRESIDENTS.value, preferred)
    voting = run_rounds(eligible, rounds, council.in_office, tb, lots)
    return office_outcome(Office.VICE_PRESIDENTS, council, eligible, rejected, voting)


def elected_vice_presidents(lists: Sequence[VPList], outcome: OfficeOutcome) -> tuple[str, ...]:
    """The vice-presidents the outcome elects, in their list's order (first vice-president
    first); empty until a list is elected."""
    return next((lst.members for lst in lists if lst.id == outcome.elected), ())


# --------------------------------------------------------------------------------------------
# Secretary and deputy secretary


def elect_secretary(council: BureauCouncil, candidates: Sequence[Standing],
                    rounds: Sequence[Round] = (), lots: Lots = NO_LOTS, *,
                    bureau: Collection[str] = (), deputy: bool = False) -> OfficeOutcome:
    """Elect the secretary of the council, or with ``deputy`` his deputy, from among its members
    and outside the bureau (``bureau``: the president and vice-presidents, and for the deputy
    the secretary): one round by relative majority of the members present; equal votes → the
    youngest, then a lot under the president's supervision (art. 25 of law 111.14, art. 24 of
    law 112.14, art. 23 of law 113.14).  No endorsement is required."""
    _check_candidates(council, candidates)
    for i, who in enumerate(bureau):
        if council.member(who) is None:
            raise InputError("E-BUR-009", field=f"bureau[{i}]", value=who)
    eligible: list[str] = []
    rejected: list[Rejection] = []
    for c in candidates:
        m = council.member(c.member)
        assert m is not None
        code = "E-BUR-021" if not m.in_office else "E-BUR-026" if m.id in bureau else None
        if code is None:
            eligible.append(m.id)
        else:
            rejected.append(Rejection(m.id, code))
    office = Office.DEPUTY_SECRETARY if deputy else Office.SECRETARY
    tb = TieBreak(_births(council), office.value)
    voting = run_rounds(eligible, rounds, council.in_office, tb, lots, three_rounds=False)
    return office_outcome(office, council, eligible, rejected, voting)
