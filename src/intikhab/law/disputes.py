"""Election disputes as a state machine (guide ch. 13): candidacy appeals and results
petitions — who may file, which court, each deadline from its trigger, the allowed rulings and
their effect on the results.  Pure module: the store and the audit live in
``services/disputes.py``; docs/disputes.md draws the machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Final, TypeVar

from intikhab.law.calendar import Event, fmt, hours_after, local, triggered, vote_of
from intikhab.law.errors import InputError
from intikhab.law.offences import normalise

E = TypeVar("E", bound=StrEnum)


class Kind(StrEnum):
    CANDIDACY_APPEAL = "candidacy_appeal"
    RESULTS_PETITION = "results_petition"


class Filer(StrEnum):
    CANDIDATE = "candidate"  # the candidate or list agent whose candidacy was rejected
    INTERESTED = "interested"  # any person with an interest (voter, candidate, party)
    AUTHORITY = "authority"  # wali, governor, pasha, district head or caid


class Court(StrEnum):
    FIRST_INSTANCE = "first_instance"
    ADMINISTRATIVE = "administrative"


class State(StrEnum):
    FILED = "filed"
    INSTRUCTION = "instruction"  # rapporteur named
    HEARING_SET = "hearing_set"
    RULED = "ruled"
    APPEALED = "appealed"
    APPEAL_RULED = "appeal_ruled"
    CASSATION = "cassation"
    FINAL = "final"


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # candidacy appeal: register the candidacy
    REJECTED = "rejected"  # appeal or petition dismissed on the merits
    INADMISSIBLE = "inadmissible"  # e.g. filed late (art. 29 §1)
    ANNULLED = "annulled"  # the constituency's election is void: re-run required
    MEMBER_REPLACED = "member_replaced"  # an elected member is replaced by another


class Ground(StrEnum):
    """The only grounds of annulment (art. 32, law 59.11 as amended)."""

    PROCEDURE = "procedure"  # the election was not held as the law prescribes
    NOT_FREE = "not_free"  # the vote was not free or fraudulent manoeuvres tainted it
    INELIGIBLE = "ineligible"  # the elected may not stand, by law or by judgment


FILERS: Final = {Kind.CANDIDACY_APPEAL: frozenset({Filer.CANDIDATE}),
                 Kind.RESULTS_PETITION: frozenset({Filer.INTERESTED, Filer.AUTHORITY})}
FILER_ARTICLE: Final = {Kind.CANDIDACY_APPEAL: "arts. 97 and 151, law 59.11 as amended",
                        Kind.RESULTS_PETITION: "art. 28, law 59.11 as amended"}
OUTCOMES: Final = {
    Kind.CANDIDACY_APPEAL: frozenset({Outcome.ACCEPTED, Outcome.REJECTED, Outcome.INADMISSIBLE}),
    Kind.RESULTS_PETITION: frozenset({Outcome.REJECTED, Outcome.INADMISSIBLE, Outcome.ANNULLED,
                                      Outcome.MEMBER_REPLACED}),
}

# (state, action) → next state.  Candidacy appeals are judged at first and last instance
# (art. 26 §3: "ابتدائيا وانتهائيا"), so their ruling is final at once.
TRANSITIONS: Final[dict[tuple[State, str], State]] = {
    (State.FILED, "rapporteur"): State.INSTRUCTION,
    (State.FILED, "rule"): State.RULED,
    (State.INSTRUCTION, "hearing"): State.HEARING_SET,
    (State.INSTRUCTION, "rule"): State.RULED,
    (State.HEARING_SET, "hearing"): State.HEARING_SET,
    (State.HEARING_SET, "rule"): State.RULED,
    (State.RULED, "appeal"): State.APPEALED,
    (State.RULED, "close"): State.FINAL,
    (State.APPEALED, "rule"): State.APPEAL_RULED,
    (State.APPEAL_RULED, "cassation"): State.CASSATION,
    (State.APPEAL_RULED, "close"): State.FINAL,
    (State.CASSATION, "rule"): State.FINAL,
}


def enum_value(kind: type[E], value: str | E, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise InputError("E-DISP-010", field=field, value=value,
                         expected=" | ".join(m.value for m in kind)) from None


def next_state(kind: Kind, state: State, action: str) -> State:
    """The state after ``action``; E-DISP-003 when the machine does not allow it.  A candidacy
    appeal's ruling is final (art. 26 §3): no appeal, no cassation."""
    if kind is Kind.CANDIDACY_APPEAL and action in ("appeal", "cassation"):
        raise InputError("E-DISP-003", field="action", action=action, state=state.value)
    nxt = TRANSITIONS.get((state, action))
    if nxt is None:
        raise InputError("E-DISP-003", field="action", action=action, state=state.value)
    if kind is Kind.CANDIDACY_APPEAL and nxt is State.RULED:
        return State.FINAL
    return nxt


def check_filer(kind: Kind, filer: Filer) -> None:
    """Candidacy: the candidate (or list agent) whose candidacy was rejected (arts. 97, 151);
    results: anyone with an interest, or the wali, governor, pasha, district head or caid of
    the constituency (art. 28)."""
    if filer not in FILERS[kind]:
        raise InputError("E-DISP-001", field="filer", filer=filer.value, kind=kind.value,
                         article=FILER_ARTICLE[kind])


@cache
def administrative_court_seats() -> frozenset[str]:
    """Normalised ids and names (ar, fr) of the prefectures hosting an administrative court
    (``data/administrative_courts.json``; decision, docs/disputes.md)."""
    text = resources.files("intikhab").joinpath("data/administrative_courts.json").read_text(
        "utf-8")
    return frozenset(normalise(s[k]) for s in json.loads(text)["seats"]
                     for k in ("id", "ar", "fr"))


def court_for(kind: Kind, prefecture: str, *prefecture_names: str,
              seats: frozenset[str] | None = None) -> Court:
    """Candidacy appeals go to the first-instance court, unless the prefecture or province
    hosts an administrative court (art. 161 §2); results petitions to the competent
    administrative court (arts. 97 and 152).  ``prefecture`` (its id) and its names are
    matched, normalised, against ``seats``."""
    if kind is Kind.RESULTS_PETITION:
        return Court.ADMINISTRATIVE
    known = administrative_court_seats() if seats is None else seats
    names = {normalise(n) for n in (prefecture, *prefecture_names) if n}
    return Court.ADMINISTRATIVE if names & known else Court.FIRST_INSTANCE


def filing_deadline(kind: Kind, trigger: datetime, vote: str = "communal") -> Event:
    """Candidacy appeal: 2 days from the notification of the rejection (regional, art. 97) or
    from the rejection (communal, art. 151); results petition: 8 full days from the deposit of
    the minutes declaring the results (art. 29 §1)."""
    if kind is Kind.CANDIDACY_APPEAL:
        return triggered(f"candidacy_appeal.{vote_of(vote).value}", trigger)
    return triggered("results_petition", trigger)


def court_deadlines(kind: Kind, filed_at: datetime) -> tuple[Event, ...]:
    """What the court owes from the filing: a rapporteur within 24 h (art. 30), a ruling within
    3 days (candidacy, art. 26 §3) or 15 days (results, art. 31)."""
    if kind is Kind.CANDIDACY_APPEAL:
        return (triggered("candidacy_ruling", filed_at),)
    return triggered("rapporteur", filed_at), triggered("results_ruling", filed_at)


def check_hearing_notice(notified_at: datetime, hearing_at: datetime) -> None:
    """The parties and the authority are told of the hearing at least three days before it
    (art. 31 §1)."""
    bound = hours_after(hearing_at, -72)
    if local(notified_at) > bound:
        raise InputError("E-DISP-005", field="notified_at", bound=fmt(bound))


@dataclass(frozen=True, slots=True)
class Ruling:
    outcome: Outcome
    grounds: tuple[Ground, ...] = ()
    replaced: str | None = None  # the elected member removed (member_replaced)
    replacement: str | None = None  # who takes the seat
    replacement_list: str | None = None  # the list/candidacy code of the replacement


def check_ruling(kind: Kind, ruling: Ruling, admissible: bool, late_bound: str = "") -> None:
    """The ruling fits the case: its outcome exists for this kind of case (E-DISP-007); a late
    case can only be inadmissible (art. 29 §1, E-DISP-002); an annulment or a replacement
    rests on a ground of art. 32 (E-DISP-004) and a replacement names both members."""
    if ruling.outcome not in OUTCOMES[kind]:
        raise InputError("E-DISP-007", field="outcome", value=ruling.outcome.value,
                         kind=kind.value)
    if not admissible and ruling.outcome is not Outcome.INADMISSIBLE:
        raise InputError("E-DISP-002", field="outcome", bound=late_bound,
                         article="art. 29 §1, law 59.11 as amended")
    if ruling.outcome in (Outcome.ANNULLED, Outcome.MEMBER_REPLACED) and not ruling.grounds:
        raise InputError("E-DISP-004", field="grounds", value="—")
    if ruling.outcome is Outcome.MEMBER_REPLACED and not (ruling.replaced and ruling.replacement):
        raise InputError("E-DISP-008", field="replaced", value=ruling.replaced or "—",
                         constituency="—")


def parse_grounds(values: list[str]) -> tuple[Ground, ...]:
    """Grounds of annulment: only those of art. 32 (E-DISP-004 otherwise)."""
    out = []
    for v in values:
        try:
            out.append(Ground(v))
        except ValueError:
            raise InputError("E-DISP-004", field="grounds", value=v) from None
    return tuple(out)
