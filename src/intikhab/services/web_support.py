"""The reads the web needs and no other use case has: existence checks answered 404
(``E-API-004``), the polling date a page starts from, the ballot's rows, the audit check, and
what the public results cache watches (the declared-results generation, the audit records
since a sequence number, the councils of the constituencies).  The web reaches the store only
through the services (and where ``web.app`` assembles the application).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.services import candidacy as cand
from intikhab.services import queries
from intikhab.store import audit
from intikhab.store.models import (
    AuditLog,
    CampaignAccount,
    CandidacyFiling,
    Constituency,
    DisputeCase,
    Election,
    Result,
)


def _missing(field: str, value: str) -> IntikhabError:
    return IntikhabError("E-API-004", field=field, value=value)


# --------------------------------------------------------------------------------------------
# existence checks (404 before any service runs)


def filing(session: Session, fid: str) -> CandidacyFiling:
    """The candidacy filing ``fid``; 404 ``E-API-004`` when there is none."""
    row = session.get(CandidacyFiling, fid)
    if row is None:
        raise _missing("filing", fid)
    return row


def require_case(session: Session, case: str) -> None:
    """404 ``E-API-004`` unless the dispute case ``case`` exists."""
    if session.get(DisputeCase, case) is None:
        raise _missing("case", case)


def require_account(session: Session, account: str) -> None:
    """404 ``E-API-004`` unless the campaign account ``account`` exists."""
    if session.get(CampaignAccount, account) is None:
        raise _missing("account", account)


def council_ids(session: Session, council: str) -> set[str]:
    """The constituencies of a council (none for an unknown council)."""
    return set(session.scalars(select(Constituency.id).where(Constituency.council == council)))


def election_date(session: Session) -> date | None:
    """The polling date of the election in the database, if there is one."""
    found = session.scalars(select(Election.polling_date)).first()
    return found if isinstance(found, date) else None


def ballot_rows(session: Session, constituency: str, regional: str | None) -> list[Any]:
    """The ballot's rows ``(party, communal entry, regional entry)``: one constituency's, or a
    combined communal + regional ballot (art. 11 §3 and §8); 404 ``E-API-004`` for an unknown
    constituency."""
    for cid in (constituency, regional):
        if cid is not None:
            queries.constituency(session, cid)
    if regional:
        return [tuple(r) for r in cand.combined_ballot(session, constituency, regional)]
    return [(e.party, e, None) for e in cand.ballot(session, constituency)]


def verify_audit(session: Session) -> audit.Verification:
    """Walk the hash-chained audit log (``store.audit.verify``)."""
    return audit.verify(session)


# --------------------------------------------------------------------------------------------
# what the public results cache watches


def declared_generation(session: Session) -> tuple[Any, ...]:
    """(number of declared results, latest declaration, newest result id)."""
    row = session.execute(select(func.count(Result.id), func.max(Result.declared_at),
                                 func.max(Result.id))
                          .where(Result.declared_at.is_not(None))).one()
    return (int(row[0]), str(row[1]), row[2])


def last_audit_seq(session: Session) -> int:
    """The sequence number of the newest audit record (0 for none)."""
    return session.scalar(select(func.max(AuditLog.seq))) or 0


def audit_since(session: Session, after: int, upto: int, actions: Iterable[str]
                ) -> list[tuple[int, str, str]]:
    """``(seq, action, entity)`` of the audit records ``after < seq <= upto`` whose action is
    one of ``actions``, in order."""
    return [(q, a, e) for q, a, e in session.execute(
        select(AuditLog.seq, AuditLog.action, AuditLog.entity)
        .where(AuditLog.seq > after, AuditLog.seq <= upto, AuditLog.action.in_(list(actions)))
        .order_by(AuditLog.seq))]


def constituencies_of_councils(session: Session, councils: Iterable[str]) -> set[str]:
    """The constituencies of the communal and regional councils ``councils``."""
    return set(session.scalars(select(Constituency.id)
                               .where(Constituency.council.in_(list(councils)))))


def constituencies_of_cases(session: Session, cases: Iterable[str]) -> set[str]:
    """The constituencies the dispute cases ``cases`` concern."""
    return set(session.scalars(select(DisputeCase.constituency_id)
                               .where(DisputeCase.id.in_(list(cases)))))


def council_of(session: Session) -> dict[str, tuple[str, str]]:
    """Every constituency's council and vote."""
    return {k: (c, v) for k, c, v in session.execute(
        select(Constituency.id, Constituency.council, Constituency.vote))}


def councils(session: Session) -> list[tuple[str, str]]:
    """Every ``(council, vote)`` that has a constituency, in order."""
    return [(c, v) for c, v in session.execute(
        select(Constituency.council, Constituency.vote).distinct()
        .order_by(Constituency.council, Constituency.vote))]
