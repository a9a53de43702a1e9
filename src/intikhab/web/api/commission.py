"""The census commission, ``/api/v1/minutes/…/resolve|send-back|correction`` and
``/api/v1/constituencies…``: conflicts between entries, progress, allocation with the lots it
drew, declaration (arts. 23–24, law 59.11 as amended)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from intikhab.law.errors import IntikhabError
from intikhab.services import entry, queries, results, web_support
from intikhab.web import deps
from intikhab.web.api.common import new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import COORDINATORS, MINUTE_READERS, READERS, Id, Vote

router = new_router()


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep: Literal[1, 2] = Field(description="keep the first (1) or the second (2) entry")


class StateOut(BaseModel):
    station: str
    vote: str
    status: str
    version: int


def _coordinate(request: Request, p: Principal, station: str, vote: str,
                action: Callable[[Session], Any]) -> StateOut:
    with deps.write(request) as s:
        d = queries.minute_detail(s, station, vote)
        deps.see(p, d.constituency)
        state = action(s)
    return StateOut(station=station, vote=vote, status=state.status.value,
                    version=state.version)


@router.post("/minutes/{station}/{vote}/resolve", tags=["commission"], response_model=StateOut)
def resolve(station: Id, vote: Vote, body: ResolveIn, request: Request,
            p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Keep one of two differing entries (409 ``E-ENTRY-003`` when there is no conflict)."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.resolve(s, p.id, station, vote, body.keep))


@router.post("/minutes/{station}/{vote}/send-back", tags=["commission"],
             response_model=StateOut)
def send_back(station: Id, vote: Vote, request: Request,
              p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Discard two differing entries: the minute is entered again."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.send_back(s, p.id, station, vote))


@router.post("/minutes/{station}/{vote}/correction", tags=["commission"],
             response_model=StateOut)
def correction(station: Id, vote: Vote, request: Request,
               p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Open a correction of an accepted minute (a new version, double-entered again)."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.open_correction(s, p.id, station, vote))


@router.get("/constituencies", tags=["commission"], response_model=list[queries.ConstituencyRow])
def list_constituencies(
    request: Request, p: Annotated[Principal, Depends(require(*READERS))],
    vote: Vote | None = None,
    council: Annotated[str | None, Query(max_length=64)] = None,
) -> list[queries.ConstituencyRow]:
    """Progress of every constituency (an observer's: those accredited)."""
    with deps.read(request) as s:
        only = set(p.accredited) if p.role == "observer" else None
        if council is not None:
            ids = web_support.council_ids(s, council)
            only = ids if only is None else only & ids
        rows = queries.constituencies(s, vote=vote, only=only)
    return list(rows)


@router.get("/constituencies/{constituency:path}/result", tags=["commission"],
            response_model=queries.AllocationView)
def get_result(constituency: Id, request: Request,
               p: Annotated[Principal, Depends(require(*MINUTE_READERS))]
               ) -> queries.AllocationView:
    """The latest allocation (declared or not) with the guide's tables."""
    deps.see(p, constituency)
    with deps.read(request) as s:
        return queries.allocation(s, constituency)


class AllocateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lots: dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=64)]] = (
        Field(default_factory=dict, description="drawn lots entered by the commission: "
                                                "lot key → winner"))
    seed: Annotated[str | None, Field(max_length=200, description=(
        "public seed for a reproducible draw of any lot not entered"))] = None


@router.post("/constituencies/{constituency:path}/allocate", tags=["commission"],
             response_model=queries.AllocationView)
def allocate(constituency: Id, body: AllocateIn, request: Request,
             p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> queries.AllocationView:
    """Aggregate the accepted minutes and allocate the seats (art. 24; guide ch. 9–10), with
    any lot the commission drew; 409 ``E-API-015`` while minutes are missing."""
    with deps.write(request) as s:
        queries.constituency(s, constituency)
        done = results.allocate(s, p.id, [constituency], body.lots, body.seed)
        if not done:
            t = results.constituency_totals(s, only=constituency).get(constituency)
            raise IntikhabError("E-API-015", field="constituency", value=constituency,
                                accepted=t.accepted if t else 0,
                                stations=t.stations if t else 0)
        view = queries.allocation(s, constituency)
    return view


@router.post("/constituencies/{constituency:path}/declare", tags=["commission"],
             response_model=queries.AllocationView)
def declare(constituency: Id, request: Request,
            p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> queries.AllocationView:
    """Declare the constituency's allocated result (art. 24) if its minutes have not changed
    since (otherwise nothing changes: the answer's ``progress`` and ``declared_at`` say where
    it stands); 404 ``E-API-014`` when it has no result yet."""
    with deps.write(request) as s:
        queries.constituency(s, constituency)
        results.declare(s, p.id, [constituency])
        view = queries.allocation(s, constituency)
    request.app.state.cache.invalidate([constituency])  # its council, the nation: renewed
    return view


@router.get("/constituencies/{constituency:path}", tags=["commission"],
            response_model=queries.ConstituencyRow)
def get_constituency(constituency: Id, request: Request,
                     p: Annotated[Principal, Depends(require(*READERS))]
                     ) -> queries.ConstituencyRow:
    """One constituency's progress: stations awaiting, entered once, in conflict, accepted.
    (Declared after the routes with a suffix: a district's id holds a ``/``; ``web.api``
    includes this router after those with such routes.)"""
    deps.see(p, constituency)
    with deps.read(request) as s:
        return queries.constituency_progress(s, constituency)
