"""Who governs, for everyone: a council's bureau (president and party, vice-presidents,
secretary and deputy: laws 111.14, 112.14, 113.14) and the prefecture and province councils
elected by their colleges (art. 102–103 of law 59.11 as amended) — declared results and
recorded bureaus only, from the results cache like the other public routes."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from intikhab.formats.results_json import council_json
from intikhab.law.errors import IntikhabError
from intikhab.services import bureaus, governs, indirect
from intikhab.services.bureaus import Seat
from intikhab.web.api.common import new_router
from intikhab.web.api.public import CouncilOut, _cached
from intikhab.web.deps import Id

router = new_router()


class SeatOut(BaseModel):
    id: str
    name: str
    party: str | None


class BureauOut(BaseModel):
    council: str
    kind: str
    held_on: str
    status: str
    president: SeatOut | None
    vice_presidents: list[SeatOut]
    secretary: SeatOut | None
    deputy_secretary: SeatOut | None


class PrefectureCouncilOut(BaseModel):
    id: str
    name_ar: str
    name_fr: str
    declared: bool
    result: CouncilOut


def _seat(m: Seat | None) -> dict[str, Any] | None:
    return None if m is None else {"id": m.id, "name": m.name, "party": m.party}


def bureau_json(b: bureaus.Bureau) -> dict[str, Any]:
    return {"council": b.council, "kind": b.kind, "held_on": b.held_on.isoformat(),
            "status": b.status, "president": _seat(b.president),
            "vice_presidents": [_seat(m) for m in b.vice_presidents],
            "secretary": _seat(b.secretary), "deputy_secretary": _seat(b.deputy_secretary)}


@router.get("/councils/{council}/bureau", tags=["public"], response_model=BureauOut)
def bureau(council: Id, request: Request) -> Response:
    """Who governs a council (a region, prefecture/province or commune id): its latest
    recorded bureau; 404 (``E-API-004``) before any bureau session."""
    def build(s: Session) -> dict[str, Any]:
        b = bureaus.bureau_of(s, council)
        if b is None:
            raise IntikhabError("E-API-004", field="council", value=council)
        return bureau_json(b)
    return _cached(request, f"council:{council}:bureau", build)


def _prefecture(s: Session, pid: str, found: bool) -> dict[str, Any]:
    names = governs.prefecture_names(s, pid)
    if names is None:
        raise IntikhabError("E-API-004", field="prefecture", value=pid)
    return {"id": pid, "name_ar": names[0], "name_fr": names[1], "declared": found,
            "result": council_json(indirect.prefecture_result(s, pid))}


@router.get("/results/prefectures", tags=["public"], response_model=list[PrefectureCouncilOut])
def prefecture_councils(request: Request) -> Response:
    """Every prefecture and province council (indirectly elected, declared results)."""
    def build(s: Session) -> list[dict[str, Any]]:
        found = indirect.latest_indirect(s, declared=True)
        return [_prefecture(s, pid, pid in found)
                for pid, _name, _r in governs.prefecture_councils(s, "fr")]
    return _cached(request, "prefectures:national", build)


@router.get("/results/prefectures/{prefecture}", tags=["public"],
            response_model=PrefectureCouncilOut)
def prefecture_council(prefecture: Id, request: Request) -> Response:
    """A prefecture or province council: its seats by party out of its size and its elected
    members (the college's vote, declared)."""
    def build(s: Session) -> dict[str, Any]:
        found = indirect.latest_indirect(s, [prefecture], declared=True)
        return _prefecture(s, prefecture, prefecture in found)
    return _cached(request, f"council:{prefecture}:prefectural", build)
