"""``/api/v1/disputes…``: candidacy appeals and results petitions as cases — who may file
(arts. 28, 97, 151), which court (art. 161 §2), the deadlines (arts. 29–31, 97, 151), the
ruling applied to the results (an annulment: a re-run, art. 32).  Census commission
coordinators and administrators (docs/disputes.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from intikhab.law import calendar as cal
from intikhab.law import disputes as dlaw
from intikhab.law.errors import IntikhabError
from intikhab.services import disputes, queries, web_support
from intikhab.web import deps
from intikhab.web.api.common import new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import COORDINATORS, Id, When

router = new_router()
Decider = Annotated[Principal, Depends(require(*COORDINATORS))]


class CaseOut(BaseModel):
    id: str
    kind: str
    constituency: str
    court: str
    state: str
    admissible: bool
    filed_at: str
    deadline: str


class CaseView(BaseModel):
    """A case with its steps and the court's deadlines; ``constituency_status`` is the
    constituency's result status (``rerun_required`` after an annulment, art. 32)."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    constituency: str
    court: str
    state: str
    admissible: bool
    ruling: dict[str, Any] | None
    court_deadlines: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    constituency_status: str


def case_view(s: Session, case: str) -> CaseView:
    view = disputes.case_view(s, case, datetime.now(UTC))
    status = queries.constituency_progress(s, view["constituency"]).status
    return CaseView(**view, constituency_status=status)


@router.get("/disputes", tags=["disputes"], response_model=list[CaseOut])
def list_cases(request: Request, p: Decider) -> list[CaseOut]:
    """Every dispute case with its court, state and admissibility."""
    with deps.read(request) as s:
        return [CaseOut(id=c.id, kind=c.kind, constituency=c.constituency_id, court=c.court,
                        state=c.state, admissible=c.admissible,
                        filed_at=cal.fmt(disputes.aware(c.filed_at)),
                        deadline=cal.fmt(disputes.aware(c.deadline)))
                for c in disputes.list_cases(s)]


@router.get("/disputes/{case}", tags=["disputes"], response_model=CaseView)
def get_case(case: Id, request: Request, p: Decider) -> CaseView:
    """A case, its steps and the court's deadlines (overdue ones flagged)."""
    with deps.read(request) as s:
        web_support.require_case(s, case)
        return case_view(s, case)


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: dlaw.Kind
    constituency: Id
    filer: Annotated[str, Field(min_length=1, max_length=200)]
    filer_kind: dlaw.Filer
    trigger_at: When = Field(description="the rejection (or its notification) or the deposit "
                                         "of the minutes declaring the results")
    filed_at: When


@router.post("/disputes", tags=["disputes"], response_model=CaseView, status_code=201)
def open_case(body: CaseIn, request: Request, p: Decider) -> CaseView:
    """Register a candidacy appeal or a results petition: who may file (arts. 28, 97, 151),
    which court (art. 161 §2), the deadline from its trigger (arts. 29, 97, 151); a late case
    is registered as inadmissible."""
    with deps.write(request) as s:
        queries.constituency(s, body.constituency)
        c = disputes.file_case(s, p.id, kind=body.kind, constituency=body.constituency,
                               filer=body.filer, filer_kind=body.filer_kind,
                               trigger_at=deps.when(body.trigger_at, "trigger_at"),
                               filed_at=deps.when(body.filed_at, "filed_at"))
        return case_view(s, c.id)


class RulingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: dlaw.Outcome
    grounds: list[dlaw.Ground] = Field(default_factory=list, max_length=3)
    replaced: Id | None = None
    replacement: Id | None = None
    replacement_list: Id | None = None
    at: When


@router.post("/disputes/{case}/ruling", tags=["disputes"], response_model=CaseView)
def rule(case: Id, body: RulingIn, request: Request, p: Decider) -> CaseView:
    """Record a ruling and apply it to the results as a new declared version: an annulment
    makes the constituency ``rerun_required`` (art. 32); a replaced member changes the
    elected (409 ``E-DISP-003`` when the case's state does not allow a ruling now)."""
    ruling = dlaw.Ruling(body.outcome, tuple(body.grounds), body.replaced, body.replacement,
                         body.replacement_list)
    with deps.write(request) as s:
        web_support.require_case(s, case)
        disputes.rule(s, p.id, case, ruling, deps.when(body.at, "at"))
        view = case_view(s, case)
    request.app.state.cache.invalidate([view.constituency])  # its council, the nation
    return view


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["rapporteur", "hearing", "appeal", "cassation", "close"]
    at: When
    judge: Annotated[str | None, Field(max_length=200)] = None
    hearing_at: When | None = None


@router.post("/disputes/{case}/steps", tags=["disputes"], response_model=CaseView)
def step(case: Id, body: StepIn, request: Request, p: Decider) -> CaseView:
    """A step of the case: the rapporteur (art. 30), the hearing notified three days ahead
    (art. 31 §1, ``at`` is the notification), an appeal or cassation (art. 31 §4), closing."""
    at = deps.when(body.at, "at")
    with deps.write(request) as s:
        web_support.require_case(s, case)
        if body.action == "rapporteur":
            disputes.name_rapporteur(s, p.id, case, body.judge or "", at)
        elif body.action == "hearing":
            if body.hearing_at is None:
                raise IntikhabError("E-API-001", field="hearing_at", detail="required")
            disputes.set_hearing(s, p.id, case, deps.when(body.hearing_at, "hearing_at"), at)
        elif body.action == "close":
            disputes.close(s, p.id, case, at)
        else:
            disputes.appeal(s, p.id, case, at, cassation=body.action == "cassation")
        return case_view(s, case)
