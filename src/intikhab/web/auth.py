"""Who is asking: passwords, sessions, bearer tokens, roles and CSRF.

- Passwords: argon2id (``services.users.hash_password`` / ``verify_password``).
- A session is server-side (``services.sessions``, table ``user_session``): the cookie
  ``intikhab_session`` (or ``Authorization: Bearer <token>`` from ``POST /api/v1/login``, with
  no CSRF check then since a browser never sends it on its own) carries a random 256-bit
  token; the database keeps only its HMAC-SHA-256 under the app's secret.  A session ends at
  logout, after ``session_idle_s`` without a request (idle timeout), at ``session_ttl_s``
  (absolute timeout), and every session of a user at once when their password changes or their
  account is disabled.
- Logins are throttled per account and per client address (``services.sessions``: growing
  delays, then a lockout an administrator can lift; 429 ``E-SEC-001``/``E-SEC-002`` with
  ``Retry-After``), and the password is checked outside any transaction (:func:`login`) and
  through :data:`GATE`, which keeps argon2 to about a third of the processor.
- Every request re-reads the user's role and accreditations: a role change applies at once.
- CSRF: on every unsafe method of a cookie session, the ``csrf_token`` form field or the
  ``X-CSRF-Token`` header must equal ``HMAC(secret, session id)``; before login, the token is
  tied to a random pre-session cookie ``intikhab_pre`` instead (so the login form is covered).
- Every login and every failed login writes an audit record (``auth.login``,
  ``auth.login_failed``) in the same transaction as nothing else.
- Errors are plain coded ``IntikhabError``s: ``web.errors`` gives each code its status (401
  ``E-API-002/008/009``, 403 ``E-API-003/006``).  Users, passwords and the audit are read and
  written through ``services.users``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, Final
from urllib.parse import quote

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intikhab.law.errors import IntikhabError
from intikhab.services import sessions, users

__all__ = [
    "COOKIE",
    "Principal",
    "csrf_token",
    "current_principal",
    "end_session",
    "issue_token",
    "login",
    "logout",
    "require",
    "require_page",
    "start_session",
    "verify_csrf",
]

COOKIE: Final = "intikhab_session"
PRE_COOKIE: Final = "intikhab_pre"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
SAFE: Final = frozenset({"GET", "HEAD", "OPTIONS"})
ROLES: Final = frozenset(users.ROLES)


class LoginRequired(Exception):
    """A page needs a logged-in user: ``web.errors`` redirects to ``/login?next=…``."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass(frozen=True, slots=True)
class Principal:
    """The user behind a request.  ``accredited``: the constituencies an observer may see
    (empty for the other roles, who see every constituency)."""

    id: str
    name: str
    role: str
    accredited: frozenset[str] = frozenset()

    def can_see(self, constituency: str) -> bool:
        """Observers see only their constituencies (art. 23 §2: the lists' representatives
        receive the minutes); every other role sees all."""
        return self.role != "observer" or constituency in self.accredited


@dataclass(frozen=True, slots=True)
class _Session:
    user: str
    sid: str
    expires: int
    token_hash: str = ""
    last_seen: int = 0


def _hash(request: Request, token: str) -> str:
    """The token's keyed hash, the only form the database keeps (HMAC-SHA-256, app secret)."""
    secret: bytes = request.app.state.secret
    return hmac.new(secret, f"session\x1f{token}".encode(), sha256).hexdigest()


def _reads(request: Request) -> Session:
    """A session that only reads (no write lock on SQLite: ``store.db.read_sessions``)."""
    factory = getattr(request.app.state, "ReadSessions", None) or request.app.state.Sessions
    return factory()  # type: ignore[no-any-return]


def issue_token(request: Request, user: str) -> tuple[str, int]:
    """A new session of ``user``: a random token (256 bits) recorded by its hash, and its
    absolute expiry (epoch seconds)."""
    token = secrets.token_urlsafe(32)
    now = int(time.time())
    ttl = int(request.app.state.session_ttl_s)
    with request.app.state.Sessions.begin() as s:
        sessions.new_session(s, user, _hash(request, token), now, ttl)
    return token, now + ttl


def _read_token(request: Request, token: str) -> _Session | None:
    """The live session of a token, or None if unknown or ended; ``E-API-009`` when past its
    absolute expiry or idle too long."""
    if len(token) > 200:
        return None
    idle = int(getattr(request.app.state, "session_idle_s", 1800))
    with _reads(request) as s:
        row = sessions.find(s, _hash(request, token), int(time.time()), idle)
    if row is None:
        return None
    return _Session(row.user, row.sid, row.expires_at, row.token_hash, row.last_seen)


def _touch(request: Request, found: _Session) -> None:
    """Keep an active session alive (idle timeout), writing at most once a minute."""
    now = int(time.time())
    if now - found.last_seen >= sessions.TOUCH_EVERY_S:
        with request.app.state.Sessions.begin() as s:
            sessions.touch(s, found.token_hash, now)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _session(request: Request) -> _Session | None:
    """The request's session (bearer token first, then cookie); cached on the request."""
    if "intikhab.session" in request.scope:
        return request.scope["intikhab.session"]  # type: ignore[no-any-return]
    token = _bearer(request) or request.cookies.get(COOKIE)
    found = None
    if token:
        try:
            found = _read_token(request, token)
            if found is not None:
                _touch(request, found)
        except IntikhabError:
            request.scope["intikhab.session"] = None
            if _bearer(request) or request.url.path.startswith("/api/"):
                raise
            return None  # an expired cookie on a page: simply not logged in
    request.scope["intikhab.session"] = found
    return found


def current_principal(request: Request) -> Principal | None:
    """FastAPI dependency: the logged-in user, or None.  Reads the user's current role and
    accreditations from the database (one short read)."""
    if "intikhab.principal" in request.scope:
        return request.scope["intikhab.principal"]  # type: ignore[no-any-return]
    found = _session(request)
    principal = None
    if found is not None:
        with _reads(request) as s:
            user = users.known_user(s, found.user)  # None when disabled
        if user is not None:
            principal = _principal(user)
    request.scope["intikhab.principal"] = principal
    return principal


def require(*roles: str) -> Callable[[Request], Principal]:
    """API dependency: the principal, whose role must be one of ``roles`` (any role if none
    given); 401 ``E-API-002`` without a session, 403 ``E-API-003`` for another role."""
    allowed = frozenset(roles) or ROLES

    def dependency(request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            raise IntikhabError("E-API-002")
        if principal.role not in allowed:
            raise IntikhabError("E-API-003", field="role", role=principal.role)
        return principal

    dependency.roles = allowed  # type: ignore[attr-defined]  # read by the role-matrix test
    return dependency


def require_page(*roles: str) -> Callable[[Request], Principal]:
    """Page dependency: like :func:`require`, but an anonymous visitor is redirected to
    ``/login?next=<this page>`` (a 403 page for a logged-in user of another role)."""
    allowed = frozenset(roles) or ROLES

    def dependency(request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(f"/login?next={quote(target, safe='/')}")
        if principal.role not in allowed:
            raise IntikhabError("E-API-003", field="role", role=principal.role)
        return principal

    dependency.roles = allowed  # type: ignore[attr-defined]
    return dependency


def _principal(user: users.UserRow) -> Principal:
    return Principal(user.id, user.name, user.role, frozenset(user.accredited))


class PasswordGate:
    """At most ``slots`` password checks at once in this process, each followed by a rest
    twice as long as itself: argon2 (64 MiB, 4 lanes) takes at most about a third of the
    processor whatever the number of attackers, and data entry keeps the rest.  A check that cannot
    start within ``wait_s`` is refused, 503 ``E-SEC-018`` with ``Retry-After`` (a flood's tries
    queue no further and hold no more worker threads)."""

    def __init__(self, slots: int = 1, wait_s: float = 2.0, rest: float = 2.0) -> None:
        self.slots = threading.BoundedSemaphore(slots)
        self.wait_s = wait_s
        self.rest = rest

    def verify(self, stored: str, password: str) -> bool:
        if not self.slots.acquire(timeout=self.wait_s):
            raise IntikhabError("E-SEC-018", field="password", seconds=1)
        try:
            started = time.perf_counter()
            ok = users.verify_password(stored, password)
            time.sleep((time.perf_counter() - started) * self.rest)
            return ok
        finally:
            self.slots.release()


GATE: Final = PasswordGate()


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy, run uvicorn with
    ``--proxy-headers --forwarded-allow-ips`` so that this is the visitor's)."""
    return request.client.host if request.client else "?"


def login(request: Request, user_id: str, password: str) -> Principal:
    """Log in, in three steps so that no write lock is held while argon2 runs: (1) a read —
    the throttle (429 ``E-SEC-001``/``E-SEC-002`` before any password check) and the user's
    hash; (2) the password check, outside any transaction; (3) one short write — the audit
    record and the throttle's count (a failure) or its reset (a success).  401 ``E-API-008``
    for a wrong user or password alike; 403 ``E-SEC-003`` for a disabled account (told only
    to whom knows its password)."""
    user = users.authenticate(lambda: _reads(request), request.app.state.Sessions.begin,
                              user_id, password, client_address(request), verify=GATE.verify)
    return _principal(user)


def logout(request: Request, principal: Principal) -> None:
    """End this request's session (its row is deleted: the token no longer opens anything)
    and audit ``auth.logout``."""
    found = _session(request)
    with request.app.state.Sessions.begin() as s:
        if found is not None:
            sessions.end(s, found.token_hash)
        users.record_logout(s, principal.id, principal.role)


def start_session(request: Request, response: Response, principal: Principal) -> str:
    """Set the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) for ``principal``;
    returns the token (also usable as a bearer token)."""
    token, expires = issue_token(request, principal.id)
    response.set_cookie(COOKIE, token, max_age=max(expires - int(time.time()), 1),
                        httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")
    request.scope["intikhab.session"] = _read_token(request, token)
    request.scope["intikhab.principal"] = principal
    return token


def end_session(response: Response) -> None:
    """Drop the session cookie."""
    response.delete_cookie(COOKIE, path="/")


# --------------------------------------------------------------------------------------------
# CSRF


def _mac(request: Request, value: str) -> str:
    secret: bytes = request.app.state.secret
    return hmac.new(secret, f"csrf\x1f{value}".encode(), sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token to put in a form (``<input name="csrf_token">``) or the
    ``X-CSRF-Token`` header: tied to the session, or before login to the pre-session cookie
    (which :class:`PreSessionMiddleware` sets when it is missing)."""
    try:
        found = _session(request)
    except IntikhabError:
        found = None
    if found is not None:
        return _mac(request, found.sid)
    return _mac(request, _pre_session(request))


def _pre_session(request: Request) -> str:
    value = request.cookies.get(PRE_COOKIE) or request.scope.get("intikhab_pre")
    if not value:
        value = secrets.token_urlsafe(16)
        request.scope["intikhab_pre"] = value
    return str(value)


async def verify_csrf(request: Request) -> None:
    """Dependency for unsafe methods: a cookie session (or, on pages, a pre-session: the login
    form) must present its CSRF token; a bearer-token request, or an API call with no session
    at all, needs none.  403 ``E-API-006``."""
    if request.method in SAFE or _bearer(request):
        return
    try:
        found = _session(request)
    except IntikhabError:
        found = None
    if found is not None:
        expected = _mac(request, found.sid)
    elif request.url.path.startswith("/api/"):
        return  # anonymous API call: no ambient credential to abuse (login answers a token)
    elif request.cookies.get(PRE_COOKIE):
        expected = _mac(request, request.cookies[PRE_COOKIE])
    else:
        raise IntikhabError("E-API-006", field=CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, expected):
        raise IntikhabError("E-API-006", field=CSRF_FIELD)


class PreSessionMiddleware:
    """Pure ASGI: when a page issued a CSRF token before login (no cookie yet), set the
    pre-session cookie it is tied to on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            value = scope.get("intikhab_pre")
            if message["type"] == "http.response.start" and value:
                headers: list[Any] = list(message.get("headers", []))
                cookie = f"{PRE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400"
                headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_wrapper)

