"""Dispute cases: filing, instruction, hearing, ruling, appeal — each step one transaction with
its audit record (``law/disputes.py`` holds the rules; docs/disputes.md the state machine).

A ruling acts on the results as a new version of the constituency's ``result``, never an
overwrite: an annulment (art. 32, law 59.11 as amended) records a declared ``rerun_required``
result, so :func:`intikhab.services.results.progress` shows the constituency as re-run required
and the council views drop its seats; a replaced member records a declared result whose
outcome names the new member, so
:func:`~intikhab.services.council_results.council_result` shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from intikhab.formats.outcome import replace_member
from intikhab.law import disputes as law
from intikhab.law.calendar import fmt, local
from intikhab.law.disputes import Filer, Kind, Outcome, Ruling, State
from intikhab.law.errors import InputError
from intikhab.services.results import ENGINE, latest_results
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import (
    Commune,
    Constituency,
    DisputeCase,
    DisputeStep,
    Prefecture,
    Result,
)

ROLES = {"coordinator", "admin"}


def _utc(when: datetime) -> datetime:
    return local(when).astimezone(UTC).replace(tzinfo=None)


def aware(stored: datetime) -> datetime:
    """A stored (naive UTC) time as an aware Casablanca time."""
    return local(stored.replace(tzinfo=UTC))


def _prefecture_names(session: Session, c: Constituency) -> tuple[str, ...]:
    """The prefecture or province of a constituency: the regional constituency *is* one; a
    communal one belongs to its commune's."""
    pid = c.id if c.vote == "regional" else None
    if pid is None:
        commune = session.get(Commune, c.council)
        pid = commune.prefecture_id if commune is not None else None
    pref = session.get(Prefecture, pid) if pid is not None else None
    return (pref.id, pref.name) if pref is not None else (c.name,)


def _step(session: Session, chain: audit.Chain, case: DisputeCase, actor: str, role: str,
          action: str, at: datetime, details: Mapping[str, Any]) -> None:
    seq = (session.scalar(select(func.max(DisputeStep.seq)).where(
        DisputeStep.case_id == case.id)) or 0) + 1
    body = {"case": case.id, "seq": seq, "action": action, "state": case.state, **details}
    session.add(DisputeStep(case_id=case.id, seq=seq, at=at, actor=actor, action=action,
                            state=case.state, details=dict(details)))
    chain.append(actor=actor, role=role, action=f"dispute.{action}", entity=case.id,
                 after=audit.digest(body), at=audit.now())


def file_case(session: Session, actor: str, *, kind: str, constituency: str, filer: str,
              filer_kind: str, trigger_at: datetime, filed_at: datetime,
              details: Mapping[str, Any] | None = None,
              seats: frozenset[str] | None = None) -> DisputeCase:
    """Register a candidacy appeal or a results petition: who may file (arts. 28, 97, 151),
    which court (art. 161 §2), its deadline from the trigger (arts. 29, 97, 151).  A late case
    is registered as inadmissible — the court can only declare it so (art. 29 §1)."""
    role = require_role(session, actor, ROLES)
    k = law.enum_value(Kind, kind, "kind")
    law.check_filer(k, law.enum_value(Filer, filer_kind, "filer_kind"))
    c = session.get(Constituency, constituency)
    if c is None:
        raise InputError("E-DISP-009", field="constituency", value=constituency)
    deadline = law.filing_deadline(k, trigger_at, c.vote)
    admissible = local(filed_at) <= deadline.closes
    names = _prefecture_names(session, c)
    court = law.court_for(k, names[0], *names[1:], seats=seats)
    n = session.scalar(select(func.count()).select_from(DisputeCase)
                       .where(DisputeCase.kind == k.value)) or 0
    case = DisputeCase(
        id=f"{'CA' if k is Kind.CANDIDACY_APPEAL else 'RP'}-{n + 1:04d}", kind=k.value,
        constituency_id=c.id, vote=c.vote, filer=filer, filer_kind=filer_kind,
        court=court.value, trigger_at=_utc(trigger_at), filed_at=_utc(filed_at),
        deadline=_utc(deadline.closes), admissible=admissible, state=State.FILED.value,
        details=dict(details or {}), ruling=None)
    session.add(case)
    session.flush()
    chain = audit.Chain(session)
    _step(session, chain, case, actor, role, "file", _utc(filed_at),
          {"court": court.value, "deadline": fmt(deadline.closes, end=True),
           "admissible": admissible, "article": deadline.article})
    chain.flush()
    return case


def get_case(session: Session, case_id: str) -> DisputeCase:
    case = session.get(DisputeCase, case_id)
    if case is None:
        raise InputError("E-DISP-006", field="case", value=case_id)
    return case


def _advance(session: Session, actor: str, case_id: str, action: str, at: datetime,
             details: Mapping[str, Any]) -> DisputeCase:
    role = require_role(session, actor, ROLES)
    case = get_case(session, case_id)
    case.state = law.next_state(Kind(case.kind), State(case.state), action).value
    chain = audit.Chain(session)
    _step(session, chain, case, actor, role, action, _utc(at), details)
    chain.flush()
    return case


def name_rapporteur(session: Session, actor: str, case_id: str, judge: str,
                    at: datetime) -> DisputeCase:
    """The court's president names a rapporteur within 24 h of the filing (art. 30)."""
    return _advance(session, actor, case_id, "rapporteur", at, {"judge": judge})


def set_hearing(session: Session, actor: str, case_id: str, hearing_at: datetime,
                notified_at: datetime) -> DisputeCase:
    """The hearing date, notified at least three days ahead (art. 31 §1)."""
    law.check_hearing_notice(notified_at, hearing_at)
    return _advance(session, actor, case_id, "hearing", notified_at,
                    {"hearing_at": fmt(hearing_at), "notified_at": fmt(notified_at)})


def appeal(session: Session, actor: str, case_id: str, at: datetime,
           cassation: bool = False) -> DisputeCase:
    """An appeal (ruled within one month) or a cassation (two months), art. 31 §4."""
    return _advance(session, actor, case_id, "cassation" if cassation else "appeal", at, {})


def close(session: Session, actor: str, case_id: str, at: datetime) -> DisputeCase:
    """The ruling becomes final (no appeal lodged)."""
    return _advance(session, actor, case_id, "close", at, {})


def rule(session: Session, actor: str, case_id: str, ruling: Ruling,
         at: datetime) -> DisputeCase:
    """Record a ruling and apply its effect to the results (see the module docstring)."""
    case = get_case(session, case_id)
    law.next_state(Kind(case.kind), State(case.state), "rule")  # E-DISP-003 before any effect
    law.check_ruling(Kind(case.kind), ruling, case.admissible,
                     fmt(aware(case.deadline), end=True))
    details: dict[str, Any] = {"outcome": ruling.outcome.value,
                               "grounds": [g.value for g in ruling.grounds]}
    if ruling.outcome is Outcome.ANNULLED:
        details["result_id"] = _annul(session, case, actor, at)
    elif ruling.outcome is Outcome.MEMBER_REPLACED:
        details |= {"replaced": ruling.replaced, "replacement": ruling.replacement,
                    "replacement_list": ruling.replacement_list,
                    "result_id": _replace(session, case, ruling, actor, at)}
    case.ruling = details  # before the step's audit record, which binds the case's row
    return _advance(session, actor, case_id, "rule", at, details)


def _declared(session: Session, case: DisputeCase) -> Result:
    r = latest_results(session, [case.constituency_id], declared=True).get(case.constituency_id)
    if r is None:
        raise InputError("E-DISP-011", field="constituency", value=case.constituency_id)
    return r


def _new_result(session: Session, base: Result, status: str, outcome: dict[str, Any],
                actor: str, at: datetime) -> int:
    when = _utc(at)
    rid = session.execute(insert(Result).values(
        constituency_id=base.constituency_id, status=status, rules=base.rules,
        engine_version=ENGINE, minutes_digest=base.minutes_digest, lots=base.lots,
        lot_seed=base.lot_seed, figures=base.figures, outcome=outcome, computed_at=when,
        declared_at=when, declared_by=actor).returning(Result.id)).scalar_one()
    return int(rid)


def _annul(session: Session, case: DisputeCase, actor: str, at: datetime) -> int:
    base = _declared(session, case)
    outcome = {"status": "rerun_required", "rules": base.rules,
               "reason": f"annulled by ruling {case.id} (art. 32, law 59.11 as amended)",
               "annulled_by": case.id, "previous_result": base.id}
    return _new_result(session, base, "rerun_required", outcome, actor, at)


def _replace(session: Session, case: DisputeCase, ruling: Ruling, actor: str,
             at: datetime) -> int:
    base = _declared(session, case)
    out = replace_member(base.outcome, ruling.replaced, ruling.replacement,
                         ruling.replacement_list, case.id)
    if out is None:
        raise InputError("E-DISP-008", field="replaced", value=ruling.replaced,
                         constituency=case.constituency_id)
    return _new_result(session, base, base.status, out, actor, at)


def case_view(session: Session, case_id: str, as_of: datetime | None = None) -> dict[str, Any]:
    """A case with its steps, the court's deadlines and whether any is overdue as of
    ``as_of`` (arts. 26, 30, 31)."""
    case = get_case(session, case_id)
    steps = session.scalars(select(DisputeStep).where(DisputeStep.case_id == case_id)
                            .order_by(DisputeStep.seq)).all()
    done = {s.action for s in steps}
    owed = {"rapporteur": "rapporteur", "results_ruling": "rule", "candidacy_ruling": "rule"}
    deadlines = []
    for e in law.court_deadlines(Kind(case.kind), aware(case.filed_at)):
        met = owed[e.key] in done
        overdue = not met and as_of is not None and local(as_of) > e.closes
        deadlines.append({"act": e.key, "due": fmt(e.closes, end=True), "article": e.article,
                          "done": met, "overdue": overdue})
    return {"id": case.id, "kind": case.kind, "constituency": case.constituency_id,
            "vote": case.vote, "filer": case.filer, "filer_kind": case.filer_kind,
            "court": case.court, "filed_at": fmt(aware(case.filed_at)),
            "deadline": fmt(aware(case.deadline), end=True), "admissible": case.admissible,
            "state": case.state, "ruling": case.ruling, "details": case.details,
            "court_deadlines": deadlines,
            "steps": [{"seq": s.seq, "at": fmt(aware(s.at)), "actor": s.actor,
                       "action": s.action, "state": s.state, "details": s.details}
                      for s in steps]}


def list_cases(session: Session) -> list[DisputeCase]:
    return list(session.scalars(select(DisputeCase).order_by(DisputeCase.id)))
