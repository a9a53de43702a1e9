"""``/api/v1/login``, ``/logout``, ``/me``: a bearer token from a password, the end of a
session, who is asking (``web.auth`` does the work)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from intikhab.services import users
from intikhab.web import deps
from intikhab.web.api.common import new_router
from intikhab.web.auth import (
    Principal,
    csrf_token,
    end_session,
    issue_token,
    login,
    require,
)

router = new_router()


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class PrincipalOut(BaseModel):
    id: str
    name: str
    role: str
    accredited: list[str]


class TokenOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: int
    user: PrincipalOut


def _principal(p: Principal) -> PrincipalOut:
    return PrincipalOut(id=p.id, name=p.name, role=p.role, accredited=sorted(p.accredited))


@router.post("/login", tags=["auth"], response_model=TokenOut)
def api_login(body: LoginIn, request: Request) -> TokenOut:
    """Check a password (argon2) and return a bearer token that expires; every attempt is
    audited (``auth.login`` / ``auth.login_failed``)."""
    principal = login(request, body.user, body.password)
    token, expires = issue_token(request, principal.id)
    return TokenOut(token=token, expires_at=expires, user=_principal(principal))


@router.post("/logout", tags=["auth"], status_code=204, response_class=Response)
def api_logout(request: Request, p: Annotated[Principal, Depends(require())]) -> Response:
    """End the session: drops the cookie and audits ``auth.logout``."""
    with deps.write(request) as s:
        users.record_logout(s, p.id, p.role)
    response = Response(status_code=204)
    end_session(response)
    return response


class MeOut(PrincipalOut):
    csrf_token: str = Field(description="send it as X-CSRF-Token on unsafe calls made with "
                                        "the session cookie")


@router.get("/me", tags=["auth"], response_model=MeOut)
def me(request: Request, p: Annotated[Principal, Depends(require())]) -> MeOut:
    """The logged-in user, role, accreditations and the session's CSRF token."""
    return MeOut(**_principal(p).model_dump(), csrf_token=csrf_token(request))
