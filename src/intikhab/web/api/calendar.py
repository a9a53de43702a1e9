"""``/api/v1/calendar``, ``/calendar.ics``, ``/calendar/on-time``: every deadline of the
process from the polling date (arts. 85, 134 and the decrees of the 2021 election; guide ch. 1),
as JSON or iCalendar, and whether an act is on time — including the courts' deadlines
(arts. 29, 97, 151).  Public."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import Query, Response
from pydantic import BaseModel, Field

from intikhab.law import calendar as cal
from intikhab.web import deps
from intikhab.web.api.common import FindingOut, finding_out, new_router
from intikhab.web.deps import Vote

router = new_router()


class EventOut(BaseModel):
    key: str
    ar: str
    fr: str
    article: str
    opens: datetime | None = Field(description="a window's start (none for a deadline)")
    closes: datetime
    note: str


class CalendarOut(BaseModel):
    polling_date: date
    vote: str
    timezone: Literal["Africa/Casablanca"] = "Africa/Casablanca"
    events: list[EventOut]


def event_out(e: cal.Event) -> EventOut:
    return EventOut(key=e.key, ar=e.ar, fr=e.fr, article=e.article, note=e.note,
                    opens=None if e.opens is None else cal.local(e.opens),
                    closes=cal.local(e.closes))


def events_of(polling: str, vote: str, single_member: bool, results_at: str | None
              ) -> tuple[date, tuple[cal.Event, ...]]:
    """The calendar's events from the query's polling date and vote."""
    d = deps.day(polling)
    return d, cal.calendar(d, vote, list_vote=not single_member,
                           results_at=deps.when_opt(results_at, "results_at"))


DateQ = Annotated[str, Query(alias="date", max_length=10, description="the polling date, "
                                                                       "YYYY-MM-DD")]
SingleQ = Annotated[bool, Query(description="a commune of ≤50,000 inhabitants (single-member "
                                            "districts: no campaign-account deposit)")]
ResultsQ = Annotated[str | None, Query(max_length=40, description="when the results were "
                                                                  "announced (default 19:00 "
                                                                  "on polling day)")]


@router.get("/calendar", tags=["calendar"], response_model=CalendarOut)
def calendar(polling: DateQ, vote: Vote = "communal", single_member: SingleQ = False,
             results_at: ResultsQ = None) -> CalendarOut:
    """Every deadline of the process from the polling date and the vote, as dated events in
    Africa/Casablanca time: filing, campaign, polling places, voter lists, bureaux,
    representatives, polling hours, poster removal, expense window, campaign accounts."""
    d, events = events_of(polling, vote, single_member, results_at)
    return CalendarOut(polling_date=d, vote=vote, events=[event_out(e) for e in events])


@router.get("/calendar.ics", tags=["calendar"], response_class=Response, responses={
    200: {"content": {"text/calendar": {}}, "description": "an RFC 5545 calendar"}})
def calendar_ics(polling: DateQ, vote: Vote = "communal", single_member: SingleQ = False,
                 results_at: ResultsQ = None) -> Response:
    """The same calendar as an iCalendar file (RFC 5545, times in UTC) to import in any
    calendar application."""
    d, events = events_of(polling, vote, single_member, results_at)
    body = cal.to_ics(events, datetime.now(UTC), f"intikhab {vote} {d}")
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="intikhab-{vote}-{d}.ics"'})


class OnTimeOut(BaseModel):
    act: str
    when: datetime
    on_time: bool
    opens: datetime | None
    closes: datetime
    article: str
    finding: FindingOut | None = Field(description="E-CAL-003 (too early) or E-CAL-004 "
                                                   "(too late)")


@router.get("/calendar/on-time", tags=["calendar"], response_model=OnTimeOut)
def on_time(
    act: Annotated[str, Query(min_length=1, max_length=64, description=(
        "a calendar event (filing, campaign, representatives…) or a triggered act "
        "(results_petition, candidacy_appeal.communal…)"))],
    when: Annotated[str, Query(max_length=40, description="when the act was done")],
    polling: Annotated[str | None, Query(alias="date", max_length=10)] = None,
    vote: Vote = "communal",
    trigger: Annotated[str | None, Query(max_length=40, description=(
        "the act a dispute deadline runs from (rejection, deposit of the minutes…)"))] = None,
    single_member: SingleQ = False, results_at: ResultsQ = None,
) -> OnTimeOut:
    """Is this act on time?  ``on_time`` with the window and the article, or the finding
    E-CAL-003 / E-CAL-004 (arts. 29, 97, 151 for the courts; the calendar's articles)."""
    v = cal.on_time(act, deps.when(when), None if polling is None else deps.day(polling), vote,
                    trigger=deps.when_opt(trigger, "trigger"), list_vote=not single_member,
                    results_at=deps.when_opt(results_at, "results_at"))
    f = v.finding()
    return OnTimeOut(act=act, when=v.when, on_time=v.ok, article=v.event.article,
                     opens=None if v.event.opens is None else cal.local(v.event.opens),
                     closes=cal.local(v.event.closes),
                     finding=None if f is None else finding_out(f))
