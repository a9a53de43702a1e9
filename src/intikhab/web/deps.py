"""What every route of the API and every page shares: the roles each capability admits, the
database session of a request, the observer's limit, and the reading of a date or an instant
from a query, a body or a form.

- Roles: one tuple per capability; routes name them through ``auth.require`` (API) or
  ``auth.require_page`` (pages), which the role-matrix test reads back.
- Sessions: :func:`read` (a plain session) and :func:`write` (a transaction committed when the
  block ends, rolled back on any error: every change and its audit record, or nothing).
- :func:`see`: an observer sees only the constituencies they are accredited to (art. 23 §2,
  law 59.11 as amended: the lists' representatives receive the minutes); 403 ``E-API-010``.
- Dates and instants: :func:`day` and :func:`when` (``law.dates.parse_instant``: Casablanca
  time unless an offset is given), between 1990 and 2100, else 422 ``E-CAL-001``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Final, Literal

from fastapi import Request
from pydantic import Field
from sqlalchemy.orm import Session

from intikhab.law.dates import parse_date, parse_instant
from intikhab.law.errors import IntikhabError
from intikhab.web.auth import Principal

# -- roles, one tuple per capability ---------------------------------------------------------

READERS: Final = ("clerk", "coordinator", "observer", "admin")
"""Read stations, progress, filings (an observer: of the accredited constituencies)."""
CLERKS: Final = ("clerk", "coordinator", "admin")
"""Type a minute (art. 23), deposit or withdraw a candidacy filing (arts. 9, 134)."""
COORDINATORS: Final = ("coordinator", "admin")
"""The census commission (art. 24) and the authority: conflicts, allocation, declaration,
candidacy decisions and publication, dispute cases, campaign accounts."""
MINUTE_READERS: Final = ("coordinator", "observer", "admin")
"""Read a minute's entries (not the clerks: double entry is blind)."""
ADMINS: Final = ("admin",)
"""Users, accreditations, the election's set-up."""

# -- request fields ---------------------------------------------------------------------------

Vote = Literal["communal", "regional"]
Id = Annotated[str, Field(min_length=1, max_length=64)]
When = Annotated[str, Field(min_length=1, max_length=40, description=(
    "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], Africa/Casablanca time unless an offset is given"))]


# -- the database -----------------------------------------------------------------------------


def read(request: Request) -> Session:
    """A session to read with (close it: ``with read(request) as s``)."""
    return request.app.state.Sessions()  # type: ignore[no-any-return]


def write(request: Request) -> AbstractContextManager[Session]:
    """A transaction: committed when the block ends, rolled back on any error."""
    return request.app.state.Sessions.begin()  # type: ignore[no-any-return]


def see(principal: Principal, constituency: str) -> None:
    """403 ``E-API-010`` unless ``principal`` may see ``constituency`` (an observer: only
    those accredited, art. 23 §2)."""
    if not principal.can_see(constituency):
        raise IntikhabError("E-API-010", field="constituency", user=principal.id,
                            value=constituency)


@contextmanager
def unseen(principal: Principal) -> Iterator[None]:
    """Around a look-up followed by :func:`see`: for an observer, a missing record (404
    ``E-API-004``) answers as one they may not see (403 ``E-API-010``), so the two cannot be
    told apart; other roles keep the 404."""
    try:
        yield
    except IntikhabError as error:
        if principal.role != "observer" or error.code != "E-API-004":
            raise
        raise IntikhabError("E-API-010", field=error.field, user=principal.id,
                            value=str(error.params.get("value", ""))[:64]) from None


# -- dates and instants -----------------------------------------------------------------------


def _plausible(year: int, text: str, field: str) -> None:
    if not 1990 <= year <= 2100:
        raise IntikhabError("E-CAL-001", field=field, value=text[:40])


def day(text: str, field: str = "date") -> date:
    """A date ``YYYY-MM-DD`` (E-CAL-001 unless a real date between 1990 and 2100)."""
    d = parse_date(text, field)
    _plausible(d.year, text, field)
    return d


def when(text: str, field: str = "when") -> datetime:
    """An instant, Casablanca time unless an offset is given (``law.dates.parse_instant``);
    E-CAL-001 unless readable and between 1990 and 2100."""
    at = parse_instant(text, field)
    _plausible(at.year, text, field)
    return at


def when_opt(text: str | None, field: str) -> datetime | None:
    """:func:`when`, or None when nothing is given."""
    return None if text is None else when(text, field)


def when_or_now(text: str | None, field: str) -> datetime:
    """:func:`when`, or now when nothing is given."""
    return when(text, field) if text else datetime.now(UTC)
