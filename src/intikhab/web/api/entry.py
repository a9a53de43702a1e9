"""Polling stations and their minutes, ``/api/v1/stations``, ``/minutes…``: the check
catalogue on a minute being typed, double entry (art. 23, law 59.11 as amended), a minute's
entries side by side.  Clerks never see another clerk's entry: double entry is blind
(docs/double-entry.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from intikhab.law.errors import IntikhabError
from intikhab.records.checks import blocking, check_minute
from intikhab.records.minutes import Minute
from intikhab.services import entry, queries
from intikhab.web import deps
from intikhab.web.api.common import ErrorOut, FindingOut, findings_out, new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import CLERKS, MINUTE_READERS, READERS, Id, Vote

router = new_router()


@router.get("/stations", tags=["entry"], response_model=list[queries.StationRow])
def list_stations(
    request: Request, p: Annotated[Principal, Depends(require(*READERS))],
    constituency: Annotated[str | None, Query(max_length=64)] = None,
    office: Annotated[str | None, Query(max_length=64)] = None,
    vote: Vote | None = None,
) -> list[queries.StationRow]:
    """Stations of a constituency or a central office with the state of each minute."""
    if constituency is not None:
        deps.see(p, constituency)
    with deps.read(request) as s:
        rows = queries.stations(s, constituency=constituency, office=office, vote=vote)
    return [r for r in rows if p.can_see(r.constituency)]


@router.get("/constituencies/{constituency:path}/candidacies", tags=["entry"],
            response_model=list[queries.CandidacyRow])
def list_candidacies(constituency: Id, request: Request,
                     p: Annotated[Principal, Depends(require(*READERS))]
                     ) -> list[queries.CandidacyRow]:
    """The lists or district candidates in ballot order: the rows of the minute's form."""
    deps.see(p, constituency)
    with deps.read(request) as s:
        queries.constituency(s, constituency)
        return list(queries.candidacies(s, constituency))


class MinuteIn(BaseModel):
    """A polling-station minute as typed (docs/records.md; art. 23 §1–2)."""

    model_config = ConfigDict(extra="forbid")
    station: Id
    vote: Vote
    registered: Annotated[int, Field(ge=0, le=10**9, strict=True)]
    signed: Annotated[int, Field(ge=0, le=10**9, strict=True)]
    ballots: Annotated[int, Field(ge=0, le=10**9, strict=True)]
    void: Annotated[int, Field(ge=0, le=10**9, strict=True)]
    contested: Annotated[int, Field(ge=0, le=10**9, strict=True)] = 0
    illegal: Annotated[int, Field(ge=0, le=10**9, strict=True)] = 0
    votes: Annotated[dict[Annotated[str, Field(min_length=1, max_length=64)],
                          Annotated[int, Field(ge=0, le=10**9, strict=True)]],
                     Field(max_length=1000)]  # a ballot has a few dozen lists
    objections: Annotated[str, Field(max_length=10_000)] = ""
    observations: Annotated[str, Field(max_length=10_000)] = ""


class SubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    minute: MinuteIn
    accept_warnings: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, description="the warning codes (W-PV-…) the clerk accepts")


class MinuteCheckOut(BaseModel):
    station: str
    vote: str
    acceptable: bool
    findings: list[FindingOut]


class SubmitOut(BaseModel):
    station: str
    vote: str
    outcome: str = Field(description="first_recorded | accepted | conflict | duplicate")
    entry_id: str | None
    findings: list[FindingOut]


def _minute(body: MinuteIn) -> Minute:
    return Minute.from_json(body.model_dump())


@router.post("/minutes/check", tags=["entry"], response_model=MinuteCheckOut)
def check(body: SubmitIn, request: Request,
          p: Annotated[Principal, Depends(require(*CLERKS))]) -> MinuteCheckOut:
    """The check catalogue applied to a minute being typed (nothing is written): errors
    block, warnings need an explicit acceptance (art. 20–22)."""
    m = _minute(body.minute)
    with deps.read(request) as s:
        ctx = queries.station_context(s, m.station).context(m.station, m.vote.value)
    found = check_minute(m, ctx)
    return MinuteCheckOut(station=m.station, vote=m.vote.value,
                    acceptable=not blocking(found, body.accept_warnings),
                    findings=findings_out(found))


class Rejected(IntikhabError):
    """A minute refused by its checks: 422 with the findings."""

    def __init__(self, code: str, field: str | None, findings: Any, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.findings = findings


@router.post("/minutes", tags=["entry"], response_model=SubmitOut,
             responses={422: {"model": ErrorOut, "description": "refused by a check"}})
def submit(body: SubmitIn, request: Request,
           p: Annotated[Principal, Depends(require(*CLERKS))]) -> SubmitOut:
    """Enter a minute (first or second entry; art. 23).  Errors refuse it (422, with the
    findings); warnings must be listed in ``accept_warnings``; a second entry by the same user
    is refused (409 ``E-ENTRY-001``); an accepted minute is closed (409 ``E-PV-007``)."""
    m = _minute(body.minute)
    with deps.write(request) as s:
        [done] = entry.enter_minutes(s, p.id, [m], body.accept_warnings)
        if done.outcome == "rejected":
            if done.error is not None:
                raise done.error
            stops = blocking(done.findings, body.accept_warnings)
            errors = [f for f in stops if f.level.value == "error"]
            if errors:
                first = errors[0]
                params = {k: v for k, v in first.params.items() if k != "field"}
                raise Rejected(first.code, first.field, done.findings, **params)
            raise Rejected("E-ENTRY-005", "accept_warnings", done.findings,
                           codes=", ".join(sorted({f.code for f in stops})))
    return SubmitOut(station=done.station, vote=done.vote, outcome=done.outcome,
                     entry_id=done.entry_id, findings=findings_out(done.findings))


@router.get("/minutes/{station}/{vote}", tags=["entry"], response_model=queries.MinuteDetail)
def minute(station: Id, vote: Vote, request: Request,
           p: Annotated[Principal, Depends(require(*MINUTE_READERS))]
           ) -> queries.MinuteDetail:
    """A minute's entries side by side and where they differ (coordinators; observers of the
    constituency — the lists' representatives receive the minutes, art. 23 §2).  Clerks do not
    see entries: double entry is blind."""
    with deps.read(request) as s, deps.unseen(p):
        d = queries.minute_detail(s, station, vote)
    deps.see(p, d.constituency)
    return d
