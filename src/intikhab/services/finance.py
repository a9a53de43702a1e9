"""Campaign accounts in the database (arts. 155–160, law 59.11 as amended): open an account,
add its lines, record its filing and the Court of Accounts' notice, and the report of accounts
missing, late, unjustified or over the ceiling (``law/finance.py``).  Every write is one
transaction with its audit record; bad input writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law import finance as law
from intikhab.law.calendar import at, vote_of
from intikhab.law.dates import parse_date
from intikhab.law.errors import InputError
from intikhab.services.disputes import _utc, aware
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import AccountLine, CampaignAccount, Election

ROLES = {"coordinator", "admin"}


def _lines(rows: Iterable[Mapping[str, Any]], field: str) -> list[law.Line]:
    return [law.make_line(amount=r.get("amount", ""),
                          day=parse_date(r.get("day"), f"{field}[{i}].day"),
                          category=r.get("category"), source=r.get("source"),
                          document=r.get("document"), label=str(r.get("label", "")),
                          field=f"{field}[{i}]")
            for i, r in enumerate(rows)]


def open_account(session: Session, actor: str, doc: Mapping[str, Any]) -> CampaignAccount:
    """Open an account from ``{id, holder, vote, candidates, list_vote, elected,
    constituency?, lines?: [{amount, day, category | source, document?, label?}]}``."""
    role = require_role(session, actor, ROLES)
    aid = str(doc.get("id", "")).strip()
    if not aid:
        raise InputError("E-FIN-011", field="id", value="")
    if session.get(CampaignAccount, aid) is not None:
        raise InputError("E-FIN-012", field="id", value=aid)
    vote = vote_of(str(doc.get("vote", "")))
    candidates = doc.get("candidates", 1)
    law.ceiling(vote, candidates)  # validates the number of candidates (E-FIN-010)
    lines = _lines(doc.get("lines", []), "lines")
    acc = CampaignAccount(id=aid, holder=str(doc.get("holder", aid)), vote=vote.value,
                          constituency_id=doc.get("constituency"), candidates=candidates,
                          list_vote=bool(doc.get("list_vote", True)),
                          elected=bool(doc.get("elected", False)), filed_at=None,
                          notice_at=None, answered_notice=False)
    session.add(acc)
    session.flush()
    _store_lines(session, acc, lines)
    audit.append(session, actor=actor, role=role, action="finance.open", entity=aid,
                 after=audit.digest({"account": aid, "lines": _digestable(lines)}))
    return acc


def _digestable(lines: Iterable[law.Line]) -> list[dict[str, Any]]:
    return [{"amount": x.amount, "day": x.day.isoformat(),
             "category": x.category.value if x.category else None,
             "source": x.source.value if x.source else None, "document": x.document}
            for x in lines]


def _store_lines(session: Session, acc: CampaignAccount, lines: list[law.Line]) -> None:
    seq = session.scalar(select(func.max(AccountLine.seq)).where(
        AccountLine.account_id == acc.id)) or 0
    for i, x in enumerate(lines, seq + 1):
        session.add(AccountLine(account_id=acc.id, seq=i, day=x.day, amount=x.amount,
                                category=x.category.value if x.category else None,
                                source=x.source.value if x.source else None,
                                document=x.document, label=x.label))
    session.flush()


def _get(session: Session, aid: str) -> CampaignAccount:
    acc = session.get(CampaignAccount, aid)
    if acc is None:
        raise InputError("E-FIN-011", field="account", value=aid)
    return acc


def add_lines(session: Session, actor: str, aid: str,
              rows: Iterable[Mapping[str, Any]]) -> int:
    """Add funds or expenses (with their supporting documents) to an account."""
    role = require_role(session, actor, ROLES)
    acc = _get(session, aid)
    lines = _lines(rows, "lines")
    _store_lines(session, acc, lines)
    audit.append(session, actor=actor, role=role, action="finance.lines", entity=aid,
                 after=audit.digest(_digestable(lines)))
    return len(lines)


def record_filing(session: Session, actor: str, aid: str, filed_at: datetime) -> None:
    """The account was deposited with the Court of Accounts (art. 157)."""
    role = require_role(session, actor, ROLES)
    acc = _get(session, aid)
    acc.filed_at = _utc(filed_at)
    audit.append(session, actor=actor, role=role, action="finance.filed", entity=aid,
                 after=audit.digest({"filed_at": acc.filed_at.isoformat()}))


def record_notice(session: Session, actor: str, aid: str, notice_at: datetime,
                  answered: bool = False) -> None:
    """The First President's notice (art. 158) and whether it was answered in 60 days."""
    role = require_role(session, actor, ROLES)
    acc = _get(session, aid)
    acc.notice_at, acc.answered_notice = _utc(notice_at), answered
    audit.append(session, actor=actor, role=role, action="finance.notice", entity=aid,
                 after=audit.digest({"notice_at": acc.notice_at.isoformat(),
                                     "answered": answered}))


def accounts(session: Session) -> list[law.Account]:
    lines: dict[str, list[law.Line]] = {}
    for x in session.scalars(select(AccountLine).order_by(AccountLine.account_id,
                                                           AccountLine.seq)):
        lines.setdefault(x.account_id, []).append(law.Line(
            x.amount, x.day, law.Category(x.category) if x.category else None,
            law.Source(x.source) if x.source else None, x.document, x.label))
    return [law.Account(a.id, a.holder, vote_of(a.vote), a.candidates, a.list_vote, a.elected,
                        tuple(lines.get(a.id, ())),
                        aware(a.filed_at) if a.filed_at else None,
                        aware(a.notice_at) if a.notice_at else None, a.answered_notice)
            for a in session.scalars(select(CampaignAccount).order_by(CampaignAccount.id))]


def report(session: Session, as_of: datetime, results_at: datetime | None = None,
           polling_date: date | None = None) -> list[law.AccountReport]:
    """The report of every account (law/finance.py ``report``); the polling date defaults to
    the election's, the results to polling day (close of the poll)."""
    if polling_date is None:
        election = session.scalars(select(Election)).first()
        if election is None:
            raise InputError("E-CAL-007", field="polling_date", act="finance report")
        polling_date = election.polling_date
    res = results_at or at(polling_date, 19)
    return law.report(accounts(session), polling_date, res, as_of)
