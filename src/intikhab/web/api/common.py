"""What the API's routers share: the error model every route documents, a router under
``/api/v1`` with the CSRF check, and a check's finding as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from intikhab.web.auth import verify_csrf


class ErrorOut(BaseModel):
    """Every error: a catalogue code, the field it concerns, the message in three languages."""

    code: str
    field: str | None
    message: dict[str, str]
    findings: list[dict[str, Any]] | None = None
    errors: list[dict[str, Any]] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 405, 409, 413, 422, 429, 503)}


def new_router() -> APIRouter:
    """A router of the API: under ``/api/v1``, every error documented, CSRF checked on unsafe
    methods of a cookie session (``auth.verify_csrf``)."""
    return APIRouter(prefix="/api/v1", responses=ERRORS, dependencies=[Depends(verify_csrf)])


class FindingOut(BaseModel):
    """A check's finding: its catalogue code, level (error / warning), field and message."""

    code: str
    level: str
    field: str | None
    message: dict[str, str]


def finding_out(f: Any) -> FindingOut:
    level = f.level.value if hasattr(f.level, "value") else str(f.level)
    return FindingOut(code=f.code, level=level, field=f.field,
                      message={lg: f.message(lg) for lg in ("ar", "fr", "en")})


def findings_out(findings: Any) -> list[FindingOut]:
    return [finding_out(f) for f in findings]
