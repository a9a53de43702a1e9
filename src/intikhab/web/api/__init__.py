"""The REST API, ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``; docs/api.md): one router per
domain, included by ``web.app`` in the order of :data:`ROUTERS`.

Every route names the roles it admits (``auth.require`` with a tuple of ``web.deps``; the
public ones are :data:`PUBLIC_PATHS`); observers read only the constituencies they are
accredited to and write nothing; clerks never see another clerk's entry (double entry is
blind, docs/double-entry.md).  Every write goes through a service, in one transaction with its
audit record; any error rolls the whole transaction back and answers a coded 4xx
(``web.errors``).  The public results are served from the declared results through
``web.cache`` (election night).
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter

from intikhab.web.api import (
    admin,
    auth,
    calendar,
    campaign,
    candidacy,
    commission,
    councils,
    disputes,
    entry,
    finance,
    offences,
    public,
)

TAGS: Final = [
    {"name": "auth", "description": "Log in (bearer token or session cookie), log out, who am I."},
    {"name": "public", "description": "Declared results for everyone, cached (election night)."},
    {"name": "entry", "description": "Polling stations and their minutes: double entry "
                                     "(art. 23, law 59.11 as amended)."},
    {"name": "commission", "description": "Progress, conflicts, allocation, lots and "
                                          "declaration by the census commission (art. 24)."},
    {"name": "admin", "description": "Users, roles, accreditations, election set-up."},
    {"name": "calendar", "description": "The electoral calendar from the polling date, its "
                                        "iCalendar export, and whether an act is on time "
                                        "(guide ch. 3–6, 12, 13)."},
    {"name": "campaign", "description": "The campaign rules as checks (guide ch. 4) and the "
                                        "offences catalogue (guide ch. 11)."},
    {"name": "candidacies", "description": "Candidacy filings: checks, deposit, decision, "
                                           "withdrawal, bulk import, publication, the single "
                                           "ballot (arts. 7–11, law 59.11 as amended)."},
    {"name": "disputes", "description": "Candidacy appeals and results petitions as cases "
                                        "(arts. 26–32, 97, 151) and campaign accounts "
                                        "(arts. 155–160)."},
]

ROUTERS: Final[tuple[APIRouter, ...]] = (
    auth.router, public.router, councils.router,
    entry.router,  # entry's /constituencies/{…}/candidacies …
    commission.router,  # … before commission's /constituencies/{constituency:path}
    admin.router, offences.router, calendar.router, campaign.router, candidacy.router,
    disputes.router, finance.router)

PUBLIC_PATHS: Final = frozenset({
    "/api/v1/login", "/api/v1/results/national/{vote}",
    "/api/v1/results/councils/{council}/{vote}",
    "/api/v1/results/constituencies/{constituency:path}",
    "/api/v1/councils/{council}/bureau", "/api/v1/results/prefectures",
    "/api/v1/results/prefectures/{prefecture}",
    "/api/v1/offences", "/api/v1/calendar", "/api/v1/calendar.ics", "/api/v1/calendar/on-time",
    "/api/v1/campaign/places", "/api/v1/campaign/check", "/api/v1/ballot/{constituency:path}"})
"""The routes anyone may call (no session): logging in, the declared results, the law and the
registered ballot."""
