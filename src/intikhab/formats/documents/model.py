"""What the official documents show: frozen dataclasses, language-neutral (the words come from
``labels``), built by ``services.documents`` from the database or by hand.  Pure: no I/O.

- :class:`MinuteDocument`: the polling-station minute (art. 21 and 23 of organic law 59.11 as
  amended), the central office's minute (art. 23) and the census commission's minute (art. 93
  regional, art. 141 communal) — guide ch. 8.
- :class:`AllocationDocument`: the commission's allocation record, the guide's tables
  (ch. 10: quotient, whole quotas, remainders ranked, seats, elected per list and part, ties
  and lots) and the proclamation of the elected (art. 24, 92, 139).
- :class:`BureauDocument`: the record of a council's bureau-election session (organic laws
  111.14, 112.14, 113.14; ``formats.documents.bureau``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class MinuteKind(StrEnum):
    STATION = "station"
    OFFICE = "office"
    COMMISSION = "commission"


@dataclass(frozen=True, slots=True)
class Header:
    """Who and where: the election, its date, the council, the constituency and, for a
    station's minute, the central office, the station and its address."""

    election: str
    polling_date: date
    vote: str  # communal | regional
    council: str
    constituency: str
    region: str = ""
    prefecture: str = ""
    commune: str = ""
    central_office: str = ""
    station: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    """The counts of a minute (art. 20–22); for an office or a commission, sums of the
    accepted station minutes (``stations`` of them)."""

    registered: int
    signed: int
    ballots: int
    void: int
    contested: int
    illegal: int
    stations: int = 1


@dataclass(frozen=True, slots=True)
class ListVotes:
    """One row of the minute's votes table: a list (or district candidate) in ballot order."""

    rank: int
    code: str
    name: str
    votes: int
    group: str = ""
    """The constituency, when one minute covers several (a central office of a commune
    elected by single-member districts): rows are headed by it."""


@dataclass(frozen=True, slots=True)
class Signatory:
    """A member of the bureau or commission; ``role`` is a label key (president, member,
    secretary, elector); ``name`` may be blank (filled by hand)."""

    role: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Seal:
    """The record's digest (sha256, hex) and the public URL its QR code points to."""

    digest: str
    url: str


STATION_BUREAU = (Signatory("president"), Signatory("member"), Signatory("member"),
                  Signatory("secretary"))
"""A polling station's bureau: the president and three members, one of them secretary
(art. 15 §2–3)."""

COMMISSION_BUREAU = (Signatory("president"), Signatory("elector"), Signatory("elector"),
                     Signatory("secretary"))
"""A census commission: a president, two electors and the governor's representative as
secretary (art. 91 regional, art. 140 §6 communal)."""


@dataclass(frozen=True, slots=True)
class MinuteDocument:
    """A minute: the station's, the central office's or the census commission's."""

    kind: MinuteKind
    header: Header
    figures: Figures
    votes: tuple[ListVotes, ...]
    seal: Seal
    objections: str = ""
    observations: str = ""
    bureau: tuple[Signatory, ...] = STATION_BUREAU

    @property
    def valid(self) -> int:
        """Valid votes: the lists' votes, contested ballots included (art. 22 §3)."""
        return sum(v.votes for v in self.votes)


@dataclass(frozen=True, slots=True)
class AllocLine:
    """One list's row of one of the guide's tables (ch. 10)."""

    code: str
    name: str
    votes: int
    excluded: bool
    by_quotient: int
    forfeited: int
    remainder: str  # exact: "12100" or "57040/3"
    remainder_rank: int | None  # rank of the remainder among the lists competing for the rest
    by_remainder: int
    seats: int
    elected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TieLine:
    """A seat decided between equal remainders or votes: by age or by lot (and whose lot)."""

    key: str
    contenders: tuple[str, ...]
    decided_by: str  # age | lot
    winner: str
    lot_source: str | None = None  # entered | seed


@dataclass(frozen=True, slots=True)
class AllocGroup:
    """One seat group (a part, and in a divided commune a council) and its table."""

    part: str  # general | women
    council: str | None  # commune | arrondissement | None
    seats: int
    base: int
    quotient: str
    lines: tuple[AllocLine, ...]
    ties: tuple[TieLine, ...] = ()
    unfilled: int = 0


@dataclass(frozen=True, slots=True)
class Elected:
    """A proclaimed member: the list (or candidate), the part, the name."""

    code: str
    list_name: str
    part: str  # general | women (lists); district | attached (single-member, art. 128 bis)
    name: str


@dataclass(frozen=True, slots=True)
class AllocationDocument:
    """The commission's allocation record and proclamation.  ``groups`` is empty for a
    single-member district (its winner is in ``elected``)."""

    header: Header
    seal: Seal
    status: str  # declared | lot_required | rerun_required
    rules: str
    registered: int
    voters: int
    void: int
    votes: tuple[ListVotes, ...]
    groups: tuple[AllocGroup, ...]
    totals: tuple[tuple[str, str, int], ...]  # (code, name, seats)
    elected: tuple[Elected, ...]
    ties: tuple[TieLine, ...] = ()
    lot_seed: str | None = None
    reason: str | None = None
    bureau: tuple[Signatory, ...] = COMMISSION_BUREAU


# --------------------------------------------------------------------------------------------
# The bureau-election session record (محضر جلسة انتخاب الرئيس ونوابه): organic laws 111.14
# (regions), 112.14 (prefectures and provinces) and 113.14 (communes).  Built by
# ``formats.documents.bureau.bureau_document`` from a stored session, replayed with the law.


@dataclass(frozen=True, slots=True)
class CouncilHeader:
    """The council whose bureau is elected, where it sits, and the election that seated it."""

    kind: str  # region | prefecture | commune
    council: str
    election: str
    polling_date: date
    region: str = ""
    prefecture: str = ""


@dataclass(frozen=True, slots=True)
class Contender:
    """A candidacy for an office (a member) or a vice-presidents' list (``members``: its
    candidates' names in order, a woman's marked ``female``).  ``rejection`` is the
    catalogue code saying why it was not admitted (``E-BUR-021`` … ``E-BUR-030``), ``""``
    when admitted; ``endorsed`` is the party's endorsement (تزكية), for the president only."""

    id: str
    name: str
    party: str = ""
    party_name: str = ""
    endorsed: bool | None = None
    rejection: str = ""
    members: tuple[tuple[str, bool], ...] = ()  # (name, female)


@dataclass(frozen=True, slots=True)
class RoundLine:
    """One round as the law decided it: its rule (``absolute_in_office`` for rounds 1–2 of
    the president and vice-presidents, ``relative_present`` otherwise), the votes it needed
    (``None`` for a relative majority), the members present, each contender's votes, the
    round's outcome (``elected`` | ``no_majority``) and whom it elected (a tie settled by age,
    the president's list or a lot included)."""

    round: int
    rule: str
    needed: int | None
    present: int
    votes: tuple[tuple[str, int], ...]
    outcome: str
    elected: str = ""


@dataclass(frozen=True, slots=True)
class OfficeRecord:
    """The election of one office: its article (``""`` where the essay gives none), who stood,
    the rounds, the ties and how each was settled (the youngest, the president's list, a lot
    entered or drawn from the public seed; ``pending`` while a lot is awaited), and where it
    stands: ``elected`` (``elected`` holds the president, or the vice-presidents in their
    list's order), ``next_round`` (``next_round`` is its number), ``lot_required`` or
    ``not_held`` (an office the session did not reach: no president elected yet)."""

    office: str  # president | vice_presidents | secretary | deputy_secretary
    article: str
    status: str
    contenders: tuple[Contender, ...] = ()
    rounds: tuple[RoundLine, ...] = ()
    ties: tuple[TieLine, ...] = ()
    elected: tuple[str, ...] = ()
    next_round: int | None = None


@dataclass(frozen=True, slots=True)
class BureauSeat:
    """A member of the bureau as formed: ``role`` (president, vice_president,
    council_secretary, deputy_secretary), ``rank`` (the vice-presidents' order, 1 for the
    first), name, party."""

    role: str
    rank: int
    name: str
    party: str = ""
    party_name: str = ""


SESSION_BUREAU = (Signatory("session_president"), Signatory("authority"),
                  Signatory("session_secretary"))
"""Who signs the session's record: the chair of the session, the representative of the
administrative authority (the governor or his representative attends a commune's
vice-presidents' session, law 113.14) and the secretary of the session."""


@dataclass(frozen=True, slots=True)
class BureauDocument:
    """The record of a council's bureau-election session: the members of the council, those
    in office (the base of the absolute majority) and those present, the vice-presidents the
    council has, each office's election, the bureau as formed and the signatures.  ``law`` is
    the organic law's number (``111.14``, ``112.14``, ``113.14``)."""

    header: CouncilHeader
    seal: Seal
    law: str
    held_on: date
    members: int
    in_office: int
    present: int
    majority: int
    vice_presidents: int
    status: str  # formed | pending
    offices: tuple[OfficeRecord, ...]
    composition: tuple[BureauSeat, ...]
    lot_seed: str | None = None
    bureau: tuple[Signatory, ...] = SESSION_BUREAU
