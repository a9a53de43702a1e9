"""``/api/v1/login``, ``/logout``, ``/me``, ``/me/password``: a bearer token from a password
(throttled: 429 ``E-SEC-001``/``E-SEC-002`` with ``Retry-After``), the end of a session (the
token no longer opens anything), who is asking, a new password (every session of the user
ends) — ``web.auth`` does the work."""

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
    logout,
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
    """End the session: its token no longer opens anything (server-side), the cookie is
    dropped, ``auth.logout`` audited."""
    logout(request, p)
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


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current: Annotated[str, Field(min_length=1, max_length=200)]
    new: Annotated[str, Field(min_length=1, max_length=users.MAX_PASSWORD)]


@router.post("/me/password", tags=["auth"], status_code=204, response_class=Response)
def change_password(body: PasswordIn, request: Request,
                    p: Annotated[Principal, Depends(require())]) -> Response:
    """Change one's own password: the current one is checked (throttled like a login), the
    new one must meet the policy (``E-API-013``, ``E-SEC-004``); every session of the user
    ends, this one included (log in again)."""
    login(request, p.id, body.current)
    with deps.write(request) as s:
        users.change_password(s, p.id, body.new)
    response = Response(status_code=204)
    end_session(response)
    return response
