"""Registration of candidacies (تسجيل الترشيحات) and the order of the single ballot — guide ch. 3.2,
3.3 and 6.1.

A pure state machine over a frozen :class:`Registration`; the service (``services/candidacy.py``)
persists each transition with its audit record.  ``docs/candidacy.md`` draws it::

    (deposit) ──file──▶ provisional ──decide──▶ registered ──reject (art. 8 §5)──▶ rejected
                          │   └──decide (errors)──▶ rejected
                          ├──withdraw / replace (until the deadline)──▶ withdrawn / replaced
                          └──withdraw_attached (the woman herself)──▶ provisional

Organic law 59.11 as amended: art. 9 §2 (provisional receipt, final receipt within 48 h,
candidacies registered by date of receipt, the number on the final receipt), art. 9 §3
(a rejection is reasoned), art. 8 §5 (reject even after the final receipt), art. 8 last
paragraph (a list stays valid when a candidate proves ineligible after its final receipt),
art. 134 item 5 (the attached women's seat candidacy is withdrawn only by the woman herself),
guide ch. 3.2 (withdrawal or replacement only within the filing period), art. 11 §3 and §8
(ballot order).

Pure module: no I/O.  Times are timezone-aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, NamedTuple

from intikhab.law.calendar import filing_deadline
from intikhab.law.candidacy import PERSONAL, blocking
from intikhab.law.dates import TZ
from intikhab.law.errors import Finding, IntikhabError

__all__ = [
    "CASABLANCA",
    "FINAL_RECEIPT_DELAY",
    "TRANSITIONS",
    "Action",
    "BallotEntry",
    "BallotRow",
    "Registration",
    "RegistrationStatus",
    "TransitionError",
    "ballot_order",
    "combined_ballot",
    "decide",
    "file",
    "filing_deadline",
    "mark_ineligible",
    "reject",
    "replace_filing",
    "withdraw",
    "withdraw_attached",
]

CASABLANCA: Final = TZ  # the one time zone of the calendar (law.calendar)
#: Art. 9 §2: the final receipt is due within 48 hours of the deposit.
FINAL_RECEIPT_DELAY: Final = timedelta(hours=48)


class TransitionError(IntikhabError):
    """A transition the law does not allow (code ``E-CAND-03x``)."""


class RegistrationStatus(StrEnum):
    PROVISIONAL = "provisional"  # deposited: provisional receipt numbered by arrival
    REGISTERED = "registered"  # final receipt with its registration number
    REJECTED = "rejected"  # reasoned rejection
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"  # withdrawn and replaced by a new filing


class Action(StrEnum):
    FILE = "file"
    DECIDE = "decide"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    WITHDRAW_ATTACHED = "withdraw_attached"
    REPLACE = "replace"
    MARK_INELIGIBLE = "mark_ineligible"


_LIVE = (RegistrationStatus.PROVISIONAL, RegistrationStatus.REGISTERED)
#: Every allowed transition: (state before, action) → state after (None: no filing yet).
#: ``decide`` leads to ``registered`` or, with blocking findings, to ``rejected``.
TRANSITIONS: Final[dict[tuple[RegistrationStatus | None, Action], RegistrationStatus]] = {
    (None, Action.FILE): RegistrationStatus.PROVISIONAL,
    (RegistrationStatus.PROVISIONAL, Action.DECIDE): RegistrationStatus.REGISTERED,
    (RegistrationStatus.PROVISIONAL, Action.REJECT): RegistrationStatus.REJECTED,
    (RegistrationStatus.REGISTERED, Action.REJECT): RegistrationStatus.REJECTED,
    (RegistrationStatus.PROVISIONAL, Action.WITHDRAW): RegistrationStatus.WITHDRAWN,
    (RegistrationStatus.REGISTERED, Action.WITHDRAW): RegistrationStatus.WITHDRAWN,
    (RegistrationStatus.PROVISIONAL, Action.REPLACE): RegistrationStatus.REPLACED,
    (RegistrationStatus.REGISTERED, Action.REPLACE): RegistrationStatus.REPLACED,
    (RegistrationStatus.PROVISIONAL, Action.WITHDRAW_ATTACHED): RegistrationStatus.PROVISIONAL,
    (RegistrationStatus.REGISTERED, Action.WITHDRAW_ATTACHED): RegistrationStatus.PROVISIONAL,
    (RegistrationStatus.REGISTERED, Action.MARK_INELIGIBLE): RegistrationStatus.REGISTERED,
}


@dataclass(frozen=True, slots=True)
class Registration:
    """Where one filing stands.  ``arrival`` is the provisional receipt's number (arrival order
    in the constituency); the final receipt carries it as the registration number (art. 9 §2:
    "registered by the date of their receipt").  ``holders`` may withdraw the filing (the list
    agent, or the district candidate); ``attached_woman`` is the attached seat's candidate."""

    filing: str
    constituency: str
    status: RegistrationStatus
    arrival: int
    filed_at: datetime
    is_list: bool
    independent: bool
    holders: frozenset[str]
    attached_woman: str | None = None
    number: int | None = None
    decided_at: datetime | None = None
    reasons: tuple[str, ...] = ()  # codes of a rejection
    notes: tuple[str, ...] = ()  # warning codes noted at the decision
    replaced_by: str | None = None
    attached_withdrawn: bool = False
    ineligible: frozenset[str] = frozenset()


def _refuse(reg: Registration | None, action: Action) -> None:
    if (reg.status if reg else None, action) not in TRANSITIONS:
        raise TransitionError("E-CAND-030", field=reg.filing if reg else None,
                              action=action.value, status=reg.status.value if reg else "none")


def file(filing: str, constituency: str, arrival: int, at: datetime, deadline: datetime, *,
         is_list: bool, independent: bool, holders: Iterable[str],
         attached_woman: str | None = None) -> Registration:
    """Deposit: the provisional receipt, numbered ``arrival`` (art. 9 §2), only until the
    filing deadline (art. 85 §1, art. 134 §1)."""
    if at > deadline:
        raise TransitionError("E-CAND-003", field=f"{filing}.filed_at",
                              value=at.isoformat(sep=" "), deadline=deadline.isoformat(sep=" "))
    return Registration(filing, constituency, RegistrationStatus.PROVISIONAL, arrival, at, is_list,
                        independent, frozenset(holders), attached_woman)


def decide(reg: Registration, at: datetime, findings: Sequence[Finding]) -> Registration:
    """The authority's decision on a provisional filing (art. 9 §2–3): the final receipt,
    numbered by arrival, when no check blocks; otherwise a rejection whose reasons are the
    blocking codes.  A decision later than 48 h after the deposit is noted ``W-CAND-036``."""
    _refuse(reg, Action.DECIDE)
    errors = blocking(findings)
    notes = sorted({f.code for f in findings if f not in errors})
    if at - reg.filed_at > FINAL_RECEIPT_DELAY:
        notes.append("W-CAND-036")
    if errors:
        return replace(reg, status=RegistrationStatus.REJECTED, decided_at=at, notes=tuple(notes),
                       reasons=tuple(sorted({f.code for f in errors})))
    return replace(reg, status=RegistrationStatus.REGISTERED, number=reg.arrival, decided_at=at,
                   notes=tuple(notes))


def reject(reg: Registration, at: datetime, reasons: Sequence[str]) -> Registration:
    """A reasoned rejection (art. 9 §3), also after the final receipt (art. 8 §5) — except that
    a registered *list* does not fall for a candidate's own ineligibility (art. 8, last
    paragraph: use :func:`mark_ineligible`)."""
    _refuse(reg, Action.REJECT)
    if not reasons:
        raise TransitionError("E-CAND-034", field=reg.filing)
    if reg.status is RegistrationStatus.REGISTERED and reg.is_list and set(reasons) <= PERSONAL:
        raise TransitionError("E-CAND-035", field=reg.filing, codes=", ".join(reasons))
    return replace(reg, status=RegistrationStatus.REJECTED, decided_at=at, reasons=tuple(reasons))


def _consent(reg: Registration, at: datetime, by: frozenset[str], deadline: datetime) -> None:
    if at > deadline:
        raise TransitionError("E-CAND-031", field=reg.filing,
                              deadline=deadline.isoformat(sep=" "))
    if not by & reg.holders:
        raise TransitionError("E-CAND-033", field=reg.filing, who=", ".join(sorted(by)))
    if reg.attached_woman and not reg.attached_withdrawn and reg.attached_woman not in by:
        raise TransitionError("E-CAND-032", field=reg.filing, who=reg.attached_woman)


def withdraw(reg: Registration, at: datetime, by: Iterable[str],
             deadline: datetime) -> Registration:
    """Withdrawal by the list agent or the candidate, only until the filing deadline (guide
    ch. 3.2); a district filing that holds an attached women's seat candidacy needs the woman
    herself too (art. 134 item 5)."""
    _refuse(reg, Action.WITHDRAW)
    _consent(reg, at, frozenset(by), deadline)
    return replace(reg, status=RegistrationStatus.WITHDRAWN, decided_at=at)


def replace_filing(reg: Registration, at: datetime, by: Iterable[str], deadline: datetime,
                   new_filing: str) -> Registration:
    """Withdraw a filing with material errors and replace it by ``new_filing`` within the filing
    period (guide ch. 3.2); the same consents as :func:`withdraw`.  The new filing is a new
    deposit, numbered by its own arrival."""
    _refuse(reg, Action.REPLACE)
    _consent(reg, at, frozenset(by), deadline)
    return replace(reg, status=RegistrationStatus.REPLACED, decided_at=at, replaced_by=new_filing)


def withdraw_attached(reg: Registration, at: datetime, by: Iterable[str],
                      deadline: datetime) -> Registration:
    """The woman standing for a district's attached seat withdraws her own candidacy — she
    alone may (art. 134 item 5) — within the filing period.  The filing goes back to
    provisional: without her it is incomplete until replaced."""
    _refuse(reg, Action.WITHDRAW_ATTACHED)
    if at > deadline:
        raise TransitionError("E-CAND-031", field=reg.filing,
                              deadline=deadline.isoformat(sep=" "))
    if reg.attached_woman is None or reg.attached_withdrawn:
        raise TransitionError("E-CAND-030", field=reg.filing, action="withdraw_attached",
                              status=reg.status.value)
    if reg.attached_woman not in set(by):
        raise TransitionError("E-CAND-032", field=reg.filing, who=reg.attached_woman)
    return replace(reg, status=RegistrationStatus.PROVISIONAL, attached_withdrawn=True, number=None,
                   decided_at=None)


def mark_ineligible(reg: Registration, national_id: str) -> Registration:
    """A candidate of a registered list proves ineligible after the final receipt: the list
    stays valid (art. 8, last paragraph) and the ones below move up (art. 24 §3).  A district
    candidacy is rejected instead (art. 8 §5)."""
    _refuse(reg, Action.MARK_INELIGIBLE)
    if not reg.is_list:
        raise TransitionError("E-CAND-030", field=reg.filing, action="mark_ineligible",
                              status="registered (district)")
    return replace(reg, ineligible=reg.ineligible | {national_id})


# --- the single ballot -------------------------------------------------------------------------


class BallotEntry(NamedTuple):
    """One frame of the single ballot: a registered filing with its registration number, its
    party (None: without affiliation), its name and the name the ballot prints (the list
    agent or the candidate; art. 11 §2)."""

    filing: str
    number: int
    party: str | None
    name: str
    head: str
    attached: str | None = None  # the attached seat's woman (art. 11 §7)


def ballot_order(entries: Iterable[BallotEntry]) -> tuple[BallotEntry, ...]:
    """The single ballot of one constituency: candidacies endorsed by parties (or unions or
    alliances) before those without affiliation, each by registration number (art. 11 §3 and
    §8).  A total order: the filing id breaks what cannot tie in one constituency."""
    return tuple(sorted(entries, key=lambda e: (e.party is None, e.number, e.filing)))


class BallotRow(NamedTuple):
    """A row of the combined communal + regional ballot: the same party's two frames side by
    side, or one independent's frame."""

    party: str | None
    communal: BallotEntry | None
    regional: BallotEntry | None


def combined_ballot(communal: Iterable[BallotEntry],
                    regional: Iterable[BallotEntry]) -> tuple[BallotRow, ...]:
    """The single ballot of a combined communal + regional vote (art. 11 §8, guide ch. 6.1):
    the frames are ordered by the registration of the *communal* candidacies in the
    constituency, parties before independents.  Decision (the text is silent on parties that
    stand regionally only): they follow the parties with a communal candidacy, by their
    regional registration number; then independents, communal ones first, each by number."""
    com, reg = ballot_order(communal), ballot_order(regional)
    reg_by_party = {e.party: e for e in reg if e.party is not None}
    rows = [BallotRow(e.party, e, reg_by_party.pop(e.party, None))
            for e in com if e.party is not None]
    rows += [BallotRow(e.party, None, e) for e in reg if e.party in reg_by_party]
    rows += [BallotRow(None, e, None) for e in com if e.party is None]
    rows += [BallotRow(None, None, e) for e in reg if e.party is None]
    return tuple(rows)
