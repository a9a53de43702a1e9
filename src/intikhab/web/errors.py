"""Every failure becomes a coded 4xx answer — never a stack trace — and this module alone
decides its HTTP status, for the API and the pages alike.

The API (``/api/…``) answers JSON ``{code, field, message: {ar, fr, en}}`` (plus ``errors`` for a
rejected import); pages answer a small HTML page (``error.html`` when the templates have one)
with the same code and message, and an anonymous visitor of a protected page is redirected to
``/login``.  Codes come from ``law.errors.CATALOGUE``; the status of a code is :data:`STATUS`'s,
else 422:

- 400 the body is not JSON (E-ALLOC-001);
- 401 no session, an expired one, a wrong password (E-API-002, E-API-009, E-API-008);
- 403 another role, no CSRF token, an observer not accredited, a user outside their scope or
  deciding a minute they typed (E-API-003, E-API-006, E-API-010, E-ENTRY-004, E-ENTRY-006,
  E-ENTRY-007);
- 404 an unknown address or record (E-API-004, E-API-014); 405 a method not allowed (E-API-005);
- 409 the act conflicts with the state of the minute, filing, case or constituency — its state
  machine refuses it (E-ENTRY-001..003, E-PV-007, E-API-011, E-API-015, E-CAND-030/031/035,
  E-DISP-003, E-DISP-012), or would change a declared constituency (E-IMP-005);
- 422 the request or the data is invalid input: it breaks a check (E-API-001, E-PV-*,
  E-ALLOC-*, E-IMP-*, E-CAL-*…);
- 413 the request is larger than its limit (E-SEC-007);
- 429 too many failed logins: wait, or the account is locked (E-SEC-001, E-SEC-002), with
  ``Retry-After``;
- 500 a bug, logged with a reference, nothing stored half-way (E-API-007);
- 503 the database is momentarily unavailable — SQLite busy, a PostgreSQL connection lost or
  the pool exhausted (E-SEC-015) — or too many password checks are under way (E-SEC-018),
  with ``Retry-After``: the request changed nothing and may be sent again.

Also 403 for a disabled account (E-SEC-003) and 409 for the last administrator (E-SEC-005).
Every other limit (docs/security.md) is invalid input, 422.
"""

from __future__ import annotations

import html
import logging
import secrets
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from intikhab.formats.rows import ImportRejected
from intikhab.formats.words import WORDS
from intikhab.law.errors import IntikhabError
from intikhab.web.auth import LoginRequired
from intikhab.web.i18n import t

log = logging.getLogger("intikhab.web")

STATUS: Final[dict[str, int]] = {
    "E-ALLOC-001": 400,
    "E-API-002": 401, "E-API-008": 401, "E-API-009": 401,
    "E-API-003": 403, "E-API-006": 403, "E-API-010": 403, "E-ENTRY-004": 403,
    "E-ENTRY-006": 403, "E-ENTRY-007": 403,
    "E-API-004": 404, "E-API-014": 404,
    "E-API-005": 405,
    # 409: the act conflicts with the state of the minute, account, filing or case
    "E-ENTRY-001": 409, "E-ENTRY-002": 409, "E-ENTRY-003": 409, "E-PV-007": 409,
    "E-API-011": 409, "E-API-015": 409,
    "E-CAND-030": 409, "E-CAND-031": 409, "E-CAND-035": 409,
    "E-DISP-003": 409, "E-DISP-012": 409, "E-IMP-005": 409,
    "E-API-007": 500,
    # access security (docs/security.md)
    "E-SEC-003": 403, "E-SEC-005": 409, "E-SEC-007": 413,
    "E-SEC-001": 429, "E-SEC-002": 429,
    "E-SEC-015": 503, "E-SEC-018": 503,
}
"""The HTTP status of a code; every other code is invalid input, 422."""


RETRY_AFTER_S: Final = 2
"""What a 503 asks the client to wait (a busy SQLite, a PostgreSQL reconnecting)."""


def retryable(exc: BaseException) -> bool:
    """A database error that a second try may not meet: SQLite busy or locked, a PostgreSQL
    connection lost (the server restarted, the backend was terminated), the pool exhausted."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        text = str(exc.orig).lower()
        return bool(exc.connection_invalidated) or (isinstance(exc, sa_exc.OperationalError) \
            and any(word in text for word in _TRANSIENT))
    return False


_TRANSIENT: Final = ("locked", "busy", "connection", "terminat", "server closed",
                     "shutdown", "could not receive", "could not send", "timeout")


def status_of(error: IntikhabError) -> int:
    """The HTTP status of ``error``, by its code (:data:`STATUS`, else 422)."""
    return STATUS.get(error.code, 422)


def body(error: IntikhabError) -> dict[str, Any]:
    """The JSON body of an error: code, field and the message in the three languages."""
    out: dict[str, Any] = {"code": error.code, "field": error.field,
                           "message": {lang: error.message(lang) for lang in ("ar", "fr", "en")}}
    findings = getattr(error, "findings", None)
    if findings is not None:
        out["findings"] = [{"code": f.code, "level": f.level.value, "field": f.field,
                            "message": {lg: f.message(lg) for lg in ("ar", "fr", "en")}}
                           for f in findings]
    if isinstance(error, ImportRejected):
        out["errors"] = [{"table": e.table, "row": e.row, "field": e.field, "code": e.code,
                          "message": e.message} for e in error.errors[:100]]
    return out


def respond(request: Request, error: IntikhabError, status: int | None = None) -> Response:
    status = status or status_of(error)
    if request.url.path.startswith("/api/") or "html" not in request.headers.get("accept", ""):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        response: Response = JSONResponse(body(error), status_code=status, headers=headers)
    else:
        response = _page(request, error, status)
    if status in (429, 503):
        response.headers["Retry-After"] = str(error.params.get("seconds", RETRY_AFTER_S))
    return response


def _message(error: IntikhabError, lang: str) -> str:
    """The code's message for a page: a role named by its word, not its id."""
    role = error.params.get("role")
    key = f"role_{role}"
    if isinstance(role, str) and key in WORDS:
        error = IntikhabError(error.code, error.field, **{
            **{k: v for k, v in error.params.items() if k != "field"}, "role": t(key, lang)})
    return error.message(lang)


def _page(request: Request, error: IntikhabError, status: int) -> Response:
    lang = request.query_params.get("lang") or request.cookies.get("lang", "ar")
    lang = lang if lang in ("ar", "fr") else "ar"
    templates = getattr(request.app.state, "templates", None)
    if templates is not None:
        try:
            templates.get_template("error.html")
        except Exception:
            templates = None
    if templates is not None:
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            request, "error.html", {"error": error, "status": status, "code": error.code,
                                    "message": _message(error, lang), "lang": lang,
                                    "t": lambda key, **p: t(key, lang, **p),
                                    "here": request.url.path},
            status_code=status)
    direction = "rtl" if lang == "ar" else "ltr"
    text = (f'<!doctype html><html lang="{lang}" dir="{direction}"><meta charset="utf-8">'
            f"<title>{status} {error.code}</title><h1>{status}</h1>"
            f"<p><code>{error.code}</code> {html.escape(error.message(lang))}</p>"
            f'<p><a href="/">intikhab</a></p></html>')
    return HTMLResponse(text, status_code=status)


def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid", "type": "invalid"}
    if first.get("type") == "json_invalid":
        return respond(request, IntikhabError(
            "E-ALLOC-001", field="body", detail=str(first.get("msg", ""))[:200]))
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body",)]
    field = ".".join(loc) or "body"
    return respond(request, IntikhabError("E-API-001", field=field,
                                          detail=str(first.get("msg", "invalid"))[:300]))


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        error = IntikhabError("E-API-004", field="path", value=request.url.path[:200])
    elif exc.status_code == 405:
        error = IntikhabError("E-API-005", field="method", value=request.method)
    elif exc.status_code == 401:
        error = IntikhabError("E-API-002")
    elif exc.status_code == 403:
        error = IntikhabError("E-API-003", field="role", role="?")
    else:
        error = IntikhabError("E-API-001", field="request", detail=str(exc.detail)[:300])
    response = respond(request, error, exc.status_code if exc.status_code < 500 else 400)
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


def _intikhab(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IntikhabError)
    return respond(request, exc)


def _login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.next_url, status_code=303)


def crash(request: Request, exc: BaseException) -> Response:
    """The answer to an exception no handler took: 503 ``E-SEC-015`` with ``Retry-After`` for
    a retryable database error, else 500 ``E-API-007`` with a logged reference."""
    if retryable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
        return respond(request, IntikhabError("E-SEC-015", seconds=RETRY_AFTER_S))
    reference = secrets.token_hex(6)
    log.error("unhandled error %s on %s %s", reference, request.method, request.url.path,
              exc_info=exc)
    return respond(request, IntikhabError("E-API-007", value=reference), 500)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(IntikhabError, _intikhab)
    app.add_exception_handler(LoginRequired, _login)
    app.add_exception_handler(Exception, crash)
