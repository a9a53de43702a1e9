"""The rest of a council's organs: standing committees (اللجان الدائمة), incompatibilities of
the president and vice-presidents (حالات التنافي), and the dates of the bureau's sessions.

Organic laws 111.14 (regions), 112.14 (prefectures/provinces) and 113.14 (communes), as the
essay ``004_…`` gives them; ``docs/bureaus.md`` has the tables and decisions.

Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from intikhab.law.allocation import NO_LOTS, Lots
from intikhab.law.bureau import (
    BureauCouncil,
    CouncilKind,
    Office,
    OfficeOutcome,
    office_outcome,
)
from intikhab.law.bureau_rounds import Rejection, Round, TieBreak, run_rounds
from intikhab.law.calendar import days_after
from intikhab.law.errors import InputError

__all__ = [
    "COMMITTEE_ARTICLES",
    "COMMITTEE_LIMITS",
    "COMMITTEE_MIN_MEMBERS",
    "Committee",
    "Consequence",
    "Holding",
    "Incompatibility",
    "bureau_session_deadline",
    "check_committees",
    "elect_committee_officer",
    "incompatibilities",
    "vice_president_session_deadline",
]

# --------------------------------------------------------------------------------------------
# Standing committees

#: Number of standing committees: (at least, at most or ``None``).  Art. 28 of law 111.14
#: (regions: 3 to 7), art. 26 of law 112.14 (prefectures/provinces: at least 3, no maximum in
#: the essay), art. 25 of law 113.14 (communes: 3 to 7).
COMMITTEE_LIMITS: Final[dict[CouncilKind, tuple[int, int | None]]] = {
    CouncilKind.REGION: (3, 7),
    CouncilKind.PREFECTURE: (3, None),
    CouncilKind.COMMUNE: (3, 7),
}

#: Each standing committee has at least five members (same articles).
COMMITTEE_MIN_MEMBERS: Final[int] = 5

#: Where the committee rules are (the essay's footnotes 15–16, 23, 33).
COMMITTEE_ARTICLES: Final[dict[CouncilKind, str]] = {
    CouncilKind.REGION: "art. 28–29 of organic law 111.14",
    CouncilKind.PREFECTURE: "art. 26–27 of organic law 112.14",
    CouncilKind.COMMUNE: "art. 25–26 of organic law 113.14",
}


@dataclass(frozen=True, slots=True)
class Committee:
    """A standing committee and its members (council member ids)."""

    id: str
    members: tuple[str, ...]
    name: str = ""


def check_committees(council: BureauCouncil, committees: Sequence[Committee]) -> None:
    """The standing committees the internal rules create (:data:`COMMITTEE_ARTICLES`): their
    number within :data:`COMMITTEE_LIMITS`, at least five members each, members of the council,
    and no member on more than one committee.  Raises ``E-BUR-031/032/033/009``."""
    low, high = COMMITTEE_LIMITS[council.kind]
    n = len(committees)
    if n < low or (high is not None and n > high):
        raise InputError("E-BUR-031", field="committees", value=n, low=low,
                         high="—" if high is None else high)
    seen: set[str] = set()
    for i, c in enumerate(committees):
        if len(c.members) < COMMITTEE_MIN_MEMBERS:
            raise InputError("E-BUR-032", field=f"committees[{i}].members", value=c.id,
                             count=len(c.members))
        for j, who in enumerate(c.members):
            if council.member(who) is None:
                raise InputError("E-BUR-009", field=f"committees[{i}].members[{j}]", value=who)
            if who in seen:
                raise InputError("E-BUR-033", field=f"committees[{i}].members[{j}]", value=who)
            seen.add(who)


def elect_committee_officer(council: BureauCouncil, committee: Committee,
                            candidates: Sequence[str], rounds: Sequence[Round] = (),
                            lots: Lots = NO_LOTS, *, bureau: Collection[str] = (),
                            deputy: bool = False) -> OfficeOutcome:
    """Elect a committee's chair, or with ``deputy`` its deputy chair, from among the
    committee's members and outside the bureau (``bureau``: president and vice-presidents, and
    for the deputy the chair), by relative majority of the members present, in one round; equal
    votes → the youngest, then a lot under the president's supervision
    (:data:`COMMITTEE_ARTICLES`: art. 29 of law 111.14, art. 27 of law 112.14, art. 26 of law
    113.14)."""
    eligible: list[str] = []
    rejected: list[Rejection] = []
    for i, who in enumerate(candidates):
        m = council.member(who)
        if m is None:
            raise InputError("E-BUR-009", field=f"candidates[{i}]", value=who)
        code = ("E-BUR-034" if who not in committee.members else "E-BUR-026" if who in bureau
                else "E-BUR-021" if not m.in_office else None)
        if code is None:
            eligible.append(who)
        else:
            rejected.append(Rejection(who, code))
    office = Office.COMMITTEE_DEPUTY_CHAIR if deputy else Office.COMMITTEE_CHAIR
    births = {m.id: m.birth_date for m in council.members}
    tb = TieBreak(births, f"{office.value}:{committee.id}")
    voting = run_rounds(eligible, rounds, council.in_office, tb, lots, three_rounds=False)
    return office_outcome(office, council, eligible, rejected, voting)


# --------------------------------------------------------------------------------------------
# Incompatibilities


class Holding(StrEnum):
    """Another office held by a president or vice-president."""

    OTHER_COUNCIL_PRESIDENT = "other_council_president"
    OTHER_COUNCIL_VICE_PRESIDENT = "other_council_vice_president"
    CHAMBER_PRESIDENT = "chamber_president"
    CHAMBER_VICE_PRESIDENT = "chamber_vice_president"
    ARRONDISSEMENT_PRESIDENT = "arrondissement_president"
    ARRONDISSEMENT_VICE_PRESIDENT = "arrondissement_vice_president"
    GOVERNMENT = "government"
    HOUSE_OF_REPRESENTATIVES = "house_of_representatives"
    HOUSE_OF_COUNCILLORS = "house_of_councillors"
    ESEC = "economic_social_environmental_council"
    HACA = "audiovisual_authority"
    COMPETITION_COUNCIL = "competition_council"
    INTEGRITY_AUTHORITY = "integrity_authority"


class Consequence(StrEnum):
    DEEMED_RESIGNED = "deemed_resigned_from_first"
    """"Deemed to have resigned by law from the first presidency or vice-presidency to which he
    was elected" (مقالا بحكم القانون من أول رئاسة أو إنابة انتخب لها)."""
    BARRED = "barred"
    """The presidency may not be combined with the holding (لا يجوز الجمع)."""


@dataclass(frozen=True, slots=True)
class Incompatibility:
    holding: Holding
    office: Office
    article: str
    consequence: Consequence


_BOTH = (Office.PRESIDENT, Office.VICE_PRESIDENTS)
_PRES = (Office.PRESIDENT,)
_D, _B = Consequence.DEEMED_RESIGNED, Consequence.BARRED
_H = Holding

#: (holding, offices it bars, consequence) per council kind and the article (essay footnotes
#: 12, 19 and 29).  Communes: the essay lists no incompatibility with a national mandate.
_RULES: Final[dict[CouncilKind, tuple[str, tuple[tuple[Holding, tuple[Office, ...],
                                                       Consequence], ...]]]] = {
    CouncilKind.REGION: ("art. 17 of organic law 111.14", (
        (_H.OTHER_COUNCIL_PRESIDENT, _BOTH, _D), (_H.OTHER_COUNCIL_VICE_PRESIDENT, _BOTH, _D),
        (_H.CHAMBER_PRESIDENT, _BOTH, _D), (_H.CHAMBER_VICE_PRESIDENT, _BOTH, _D),
        (_H.ARRONDISSEMENT_PRESIDENT, _BOTH, _D),
        (_H.GOVERNMENT, _PRES, _B), (_H.HOUSE_OF_REPRESENTATIVES, _PRES, _B),
        (_H.HOUSE_OF_COUNCILLORS, _PRES, _B), (_H.ESEC, _PRES, _B))),
    CouncilKind.PREFECTURE: ("art. 16 of organic law 112.14", (
        (_H.OTHER_COUNCIL_PRESIDENT, _BOTH, _D), (_H.OTHER_COUNCIL_VICE_PRESIDENT, _BOTH, _D),
        (_H.CHAMBER_PRESIDENT, _BOTH, _D), (_H.CHAMBER_VICE_PRESIDENT, _BOTH, _D),
        (_H.ARRONDISSEMENT_PRESIDENT, _BOTH, _D), (_H.ARRONDISSEMENT_VICE_PRESIDENT, _BOTH, _D),
        (_H.HACA, _PRES, _B), (_H.COMPETITION_COUNCIL, _PRES, _B),
        (_H.INTEGRITY_AUTHORITY, _PRES, _B))),
    CouncilKind.COMMUNE: ("art. 15 of organic law 113.14", (
        (_H.OTHER_COUNCIL_PRESIDENT, _BOTH, _D), (_H.OTHER_COUNCIL_VICE_PRESIDENT, _BOTH, _D),
        (_H.CHAMBER_PRESIDENT, _BOTH, _D), (_H.CHAMBER_VICE_PRESIDENT, _BOTH, _D),
        (_H.ARRONDISSEMENT_PRESIDENT, _BOTH, _D))),
}


def incompatibilities(kind: CouncilKind, office: Office,
                      holdings: Iterable[Holding]) -> tuple[Incompatibility, ...]:
    """The incompatibilities a president (or vice-president) of a ``kind`` council falls under
    given the other offices he holds (art. 17 of law 111.14, art. 16 of law 112.14, art. 15 of
    law 113.14): the presidency or vice-presidency of another territorial council, of a
    professional chamber, the presidency of an arrondissement council (and for prefectures its
    vice-presidency) → deemed resigned from the first; for a region president also government,
    either House of Parliament and the ESEC, for a prefecture president the HACA, the
    Competition Council and the integrity authority → may not be combined."""
    article, rules = _RULES[kind]
    held = set(holdings)
    return tuple(Incompatibility(h, office, article, consequence)
                 for h, offices, consequence in rules if h in held and office in offices)


# --------------------------------------------------------------------------------------------
# Session dates


def bureau_session_deadline(kind: CouncilKind, elected_on: date) -> datetime | None:
    """Last moment of the session electing the bureau: a commune council meets "within the
    fifteen days following its election" (organic law 113.14, the essay gives no article), i.e.
    by 24:00 on the 15th day after the vote (the day itself not counted, as
    :func:`~intikhab.law.calendar.days_after` counts).  The essay gives no delay for regions and
    prefectures/provinces: ``None``."""
    if kind is CouncilKind.COMMUNE:
        return days_after(elected_on, 15)
    return None


def vice_president_session_deadline(kind: CouncilKind, president_elected_on: date) -> datetime:
    """Last moment of the session electing the vice-presidents (and the secretary, elected in
    the same session): for a commune, within the fifteen days after the president's election,
    convened and chaired by him with the governor or his representative present (organic law
    113.14, between art. 16 and art. 19 — the essay gives no article); for regions and
    prefectures/provinces, "immediately after" the president's session (art. 21 of law 111.14,
    art. 20 of law 112.14): 24:00 the same day."""
    if kind is CouncilKind.COMMUNE:
        return days_after(president_elected_on, 15)
    return days_after(president_elected_on, 0)
