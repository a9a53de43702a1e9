"""The public results, ``/api/v1/results/…``: declared results only, for everyone, from the
results cache (``web.cache``: built once, renewed when a result is declared — election
night), with an ETag and 304."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from intikhab.formats.results_json import council_json
from intikhab.law.errors import IntikhabError
from intikhab.services import council_results, queries
from intikhab.web import deps
from intikhab.web.api.common import new_router
from intikhab.web.deps import Id, Vote

router = new_router()


class PartyOut(BaseModel):
    party: str
    name_ar: str
    name_fr: str
    seats: int
    votes: int
    elected: list[str]


class CouncilOut(BaseModel):
    council: str
    vote: str
    seats: int
    declared: int
    constituencies: int
    registered: int
    voters: int
    turnout_percent: str = Field(description="voters ÷ registered, display only (2 decimals)")
    parties: list[PartyOut]


def _cached(request: Request, key: str, build: Callable[[Session], Any]) -> Response:
    cache = request.app.state.cache

    def render() -> bytes:
        with deps.read(request) as s:
            return json.dumps(build(s), ensure_ascii=False, separators=(",", ":"),
                              default=str).encode()

    item = cache.get(key, render)
    headers = {"ETag": item.etag, "Cache-Control": "public, max-age=5"}
    if request.headers.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    return Response(item.body, media_type="application/json", headers=headers)


@router.get("/results/national/{vote}", tags=["public"], response_model=CouncilOut)
def national(vote: Vote, request: Request) -> Response:
    """Seats and votes by party over every council of a vote (declared results only)."""
    return _cached(request, f"national:{vote}",
                   lambda s: council_json(council_results.national_result(s, vote), False))


@router.get("/results/councils/{council}/{vote}", tags=["public"], response_model=CouncilOut)
def council(council: Id, vote: Vote, request: Request) -> Response:
    """A council's seats and votes per party and its elected members (declared results)."""
    def build(s: Session) -> dict[str, Any]:
        r = council_results.council_result(s, council, vote)
        if r.constituencies == 0:
            raise IntikhabError("E-API-004", field="council", value=council)
        return council_json(r)

    return _cached(request, f"council:{council}:{vote}", build)


@router.get("/results/constituencies/{constituency:path}", tags=["public"],
            response_model=queries.AllocationView)
def declared_allocation(constituency: Id, request: Request) -> Response:
    """A constituency's declared result with the guide's tables (quotient, whole quotas,
    remainders, ties, lots — ch. 10)."""
    return _cached(request, f"allocation:{constituency}",
                   lambda s: asdict(queries.allocation(s, constituency, declared=True)))
