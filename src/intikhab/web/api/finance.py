"""``/api/v1/finance…``: campaign accounts — opened with their sources and expenses (art.
156), deposited with the Court of Accounts (art. 157) — and the report of those missing, late,
unjustified, without sources or over the ceiling, with their consequences (arts. 155–160;
guide ch. 12).  Census commission coordinators and administrators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from intikhab.services import finance, queries, web_support
from intikhab.web import deps
from intikhab.web.api.calendar import ResultsQ
from intikhab.web.api.common import FindingOut, findings_out, new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import COORDINATORS, Id, Vote, When

router = new_router()
Decider = Annotated[Principal, Depends(require(*COORDINATORS))]


class AccountReportOut(BaseModel):
    account: str
    holder: str
    vote: str
    candidates: int
    elected: bool
    expenses: str = Field(description="dirhams, two decimals")
    funds: str
    ceiling: str
    filed_at: str | None
    flags: list[str] = Field(description="missing, late, unjustified, no_sources, "
                                         "over_ceiling, outside_period")
    consequences: list[str]
    findings: list[FindingOut]


def report_out(r: Any) -> AccountReportOut:
    d = r.to_dict()
    d["findings"] = findings_out(r.findings)
    return AccountReportOut(**d)


@router.get("/finance/report", tags=["disputes"], response_model=list[AccountReportOut])
def report(request: Request, p: Decider,
           as_of: Annotated[str | None, Query(max_length=40)] = None,
           results_at: ResultsQ = None) -> list[AccountReportOut]:
    """Campaign accounts missing, late, unjustified, without sources or over the ceiling,
    with their consequences (arts. 155–160), worst first."""
    with deps.read(request) as s:
        return [report_out(r) for r in finance.report(
            s, deps.when_or_now(as_of, "as_of"), deps.when_opt(results_at, "results_at"))]


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Annotated[str, Field(min_length=1, max_length=20, description="dirhams, e.g. "
                                                                          "'1200.50'")]
    day: Annotated[str, Field(max_length=10)]
    category: Annotated[str | None, Field(max_length=40)] = None
    source: Annotated[str | None, Field(max_length=40)] = None
    document: Annotated[str | None, Field(max_length=200)] = None
    label: Annotated[str, Field(max_length=500)] = ""


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    holder: Annotated[str, Field(min_length=1, max_length=200)]
    vote: Vote
    candidates: Annotated[int, Field(ge=1, le=1000, strict=True)] = 1
    list_vote: bool = True
    elected: bool = False
    constituency: Id | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=5000)
    filed_at: When | None = None


class AccountOut(BaseModel):
    account: str
    lines: int


def _lines(items: Sequence[LineIn]) -> list[dict[str, Any]]:
    return [x.model_dump(exclude_none=True) for x in items]


@router.post("/finance/accounts", tags=["disputes"], response_model=AccountOut,
             status_code=201)
def open_account(body: AccountIn, request: Request, p: Decider) -> AccountOut:
    """Open a campaign account (art. 156) with its sources and expenses, and its deposit with
    the Court of Accounts if ``filed_at`` is given (art. 157)."""
    doc = body.model_dump(exclude={"lines", "filed_at"}) | {"lines": _lines(body.lines)}
    with deps.write(request) as s:
        if body.constituency is not None:
            queries.constituency(s, body.constituency)
        acc = finance.open_account(s, p.id, doc)
        if body.filed_at is not None:
            finance.record_filing(s, p.id, acc.id, deps.when(body.filed_at, "filed_at"))
    return AccountOut(account=body.id, lines=len(body.lines))


class LinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: list[LineIn] = Field(min_length=1, max_length=5000)


@router.post("/finance/accounts/{account}/lines", tags=["disputes"], response_model=AccountOut)
def add_lines(account: Id, body: LinesIn, request: Request, p: Decider) -> AccountOut:
    """Add sources of funds or expenses (with their supporting documents) to an account."""
    with deps.write(request) as s:
        web_support.require_account(s, account)
        n = finance.add_lines(s, p.id, account, _lines(body.lines))
    return AccountOut(account=account, lines=n)


class FiledIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: When


@router.post("/finance/accounts/{account}/filed", tags=["disputes"], response_model=AccountOut)
def account_filed(account: Id, body: FiledIn, request: Request, p: Decider) -> AccountOut:
    """The account was deposited with the Court of Accounts (art. 157; due within 60 days of
    the results)."""
    with deps.write(request) as s:
        web_support.require_account(s, account)
        finance.record_filing(s, p.id, account, deps.when(body.at, "at"))
    return AccountOut(account=account, lines=0)
