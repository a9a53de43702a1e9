"""The REST API of the legal process around the vote (issue 5), under ``/api/v1``:
the offences catalogue, the electoral calendar (JSON and iCalendar) and "is this act on time?",
the campaign checks and the single ballot — public; candidacies — checked, deposited, decided,
rejected, withdrawn, imported and published by the administration (docs/candidacy.md); dispute
cases and the campaign-finance report — the census commission's coordinators and the
administrators (docs/disputes.md, docs/campaign-finance.md).

Every route names the roles it admits (``auth.require``; the public ones are listed in
:data:`PUBLIC_PATHS`); every change goes through a service, in one transaction with its audit
record, so any error leaves nothing stored; every bad input answers a coded 4xx.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from intikhab.law import calendar as cal
from intikhab.law import campaign, offences
from intikhab.law import disputes as dlaw
from intikhab.law.errors import IntikhabError
from intikhab.law.registration import Registration, TransitionError
from intikhab.services import candidacy as cand
from intikhab.services import disputes, finance, queries
from intikhab.store.models import CampaignAccount, CandidacyFiling, Constituency, DisputeCase
from intikhab.web.api import ERRORS
from intikhab.web.auth import HttpError, Principal, require, verify_csrf

Vote = Literal["communal", "regional"]
CLERKS: Final = ("clerk", "coordinator", "admin")  # deposit (services.candidacy.CLERKS)
DECIDERS: Final = ("coordinator", "admin")  # decide, reject, publish, disputes, finance
READERS: Final = ("clerk", "coordinator", "observer", "admin")
Id = Annotated[str, Field(min_length=1, max_length=64)]
When = Annotated[str, Field(min_length=1, max_length=40, description=(
    "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], Africa/Casablanca time unless an offset is given"))]
TAGS: Final = [
    {"name": "calendar", "description": "The electoral calendar from the polling date, its "
                                        "iCalendar export, and whether an act is on time "
                                        "(SPEC §4, §10)."},
    {"name": "campaign", "description": "The campaign rules as checks (guide ch. 4) and the "
                                        "offences catalogue (guide ch. 11)."},
    {"name": "candidacies", "description": "Candidacy filings: checks, deposit, decision, "
                                           "withdrawal, bulk import, publication, the single "
                                           "ballot (arts. 7–11, law 59.11 as amended)."},
    {"name": "disputes", "description": "Candidacy appeals and results petitions as cases "
                                        "(arts. 26–32, 97, 151) and campaign accounts "
                                        "(arts. 155–160)."},
]
PUBLIC_PATHS: Final = frozenset({
    "/api/v1/offences", "/api/v1/calendar", "/api/v1/calendar.ics", "/api/v1/calendar/on-time",
    "/api/v1/campaign/places", "/api/v1/campaign/check", "/api/v1/ballot/{constituency:path}"})
"""The routes anyone may call (no session): the law and the registered ballot are public."""
CONFLICTS: Final = frozenset({"E-CAND-030", "E-CAND-031", "E-CAND-035"})

router = APIRouter(prefix="/api/v1", responses=ERRORS, dependencies=[Depends(verify_csrf)])


def _read(request: Request) -> Session:
    return request.app.state.Sessions()  # type: ignore[no-any-return]


def _write(request: Request) -> Any:
    """A transaction: committed when the block ends, rolled back on any error."""
    return request.app.state.Sessions.begin()


def _see(p: Principal, constituency: str) -> None:
    if not p.can_see(constituency):
        raise HttpError(403, "E-API-010", field="constituency", user=p.id, value=constituency)


def _day(text: str, field: str = "date") -> date:
    """A polling date (E-CAL-001 unless a real date between 1990 and 2100)."""
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise IntikhabError("E-CAL-001", field=field, value=text[:40]) from None
    if not 1990 <= d.year <= 2100:
        raise IntikhabError("E-CAL-001", field=field, value=text[:40])
    return d


def _when(text: str, field: str = "when") -> datetime:
    """An instant, Casablanca time unless an offset is given (E-CAL-001)."""
    at = cal.parse_when(text, field)
    if not 1990 <= at.year <= 2100:
        raise IntikhabError("E-CAL-001", field=field, value=text[:40])
    return at


def _opt(text: str | None, field: str) -> datetime | None:
    return None if text is None else _when(text, field)


class LawFinding(BaseModel):
    """A check's finding: its catalogue code, level (error / warning), field and message."""

    code: str
    level: str
    field: str | None
    message: dict[str, str]


def finding_out(f: Any) -> LawFinding:
    level = f.level.value if hasattr(f.level, "value") else str(f.level)
    return LawFinding(code=f.code, level=level, field=f.field,
                      message={lg: f.message(lg) for lg in ("ar", "fr", "en")})


# --------------------------------------------------------------------------------------------
# offences (guide ch. 11)


class OffenceOut(BaseModel):
    id: str
    article: int
    penalty_article: int
    stage: str
    ar: str
    fr: str
    prison: list[str] | None = Field(description="minimum and maximum, e.g. ['1 months', "
                                                 "'1 years']")
    fine_mad: list[int] | None = Field(description="minimum and maximum fine in dirhams")
    alternative: bool = Field(description="prison or fine, one of them only")
    aggravation: dict[str, Any] | None
    consequences: dict[str, Any] | None
    note: str


@router.get("/offences", tags=["campaign"], response_model=list[OffenceOut])
def search_offences(q: Annotated[str, Query(max_length=200)] = "") -> list[OffenceOut]:
    """Search the offences catalogue by words in Arabic or French (case, accents and Arabic
    diacritics ignored) or by article (``65``, ``art. 65``); empty: every offence (arts. 39,
    42–57, 59–63, 65–70, law 59.11 as amended)."""
    return [OffenceOut(**o.to_dict()) for o in offences.search(q)]


# --------------------------------------------------------------------------------------------
# calendar (SPEC §4, §10)


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
    d = _day(polling)
    return d, cal.calendar(d, vote, list_vote=not single_member,
                           results_at=_opt(results_at, "results_at"))


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
    finding: LawFinding | None = Field(description="E-CAL-003 (too early) or E-CAL-004 "
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
    E-CAL-003 / E-CAL-004 (SPEC §4, §10)."""
    v = cal.on_time(act, _when(when), None if polling is None else _day(polling), vote,
                    trigger=_opt(trigger, "trigger"), list_vote=not single_member,
                    results_at=_opt(results_at, "results_at"))
    f = v.finding()
    return OnTimeOut(act=act, when=v.when, on_time=v.ok, article=v.event.article,
                     opens=None if v.event.opens is None else cal.local(v.event.opens),
                     closes=cal.local(v.event.closes),
                     finding=None if f is None else finding_out(f))


# --------------------------------------------------------------------------------------------
# campaign checks (guide ch. 4)


class PlaceOut(BaseModel):
    id: str
    ar: str
    fr: str


@router.get("/campaign/places", tags=["campaign"], response_model=list[PlaceOut])
def poster_places() -> list[PlaceOut]:
    """The nine places where election posters are forbidden (decree 2.15.578 art. 1)."""
    return [PlaceOut(id=p.value, ar=p.ar, fr=p.fr) for p in campaign.PosterPlace]


Mm = Annotated[int, Field(ge=1, le=100_000)]
Count = Annotated[int, Field(ge=0, le=10_000)]


class PosterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    place: campaign.PosterPlace | None = Field(None, description="a forbidden place, if any")
    width_mm: Mm | None = None
    height_mm: Mm | None = None
    colours: list[campaign.Colour] = Field(default_factory=list, max_length=10)


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts: When
    ends: When
    declared_end: When
    receipt_at: When | None = None
    letter_at: When | None = None
    public_road: bool = False
    bureau: Count = 3
    signatories: Count = 3


class ProcessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notice_at: When
    starts: When | None = None
    ends: When | None = None
    route: Annotated[str, Field(max_length=2000)] = ""


class HallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requested_at: When
    activity_at: When
    during_campaign: bool = False
    answered_at: When | None = None
    as_of: When | None = None


class CampaignIn(BaseModel):
    """Any of the acts to check; each one given is checked."""

    model_config = ConfigDict(extra="forbid")
    poster: PosterIn | None = None
    premises: Count | None = Field(None, description="campaign premises of one candidate")
    meeting: MeetingIn | None = None
    procession: ProcessionIn | None = None
    hall: HallIn | None = None


class ChecksOut(BaseModel):
    ok: bool
    findings: list[LawFinding]


def campaign_findings(body: CampaignIn) -> list[Any]:
    """Every campaign check the body asks for (guide ch. 4): poster (decree 2.15.578 art. 1,
    art. 38 of law 59.11), premises (decree 2.15.578 art. 3), meeting (dahir 1.58.377),
    procession (art. 37), public hall (order 3136.11)."""
    found: list[Any] = []
    if body.poster is not None:
        p = body.poster
        found += campaign.check_poster(p.place, p.width_mm, p.height_mm, p.colours)
    if body.premises is not None:
        found += campaign.check_premises(body.premises)
    if body.meeting is not None:
        m = body.meeting
        found += campaign.check_meeting(campaign.Meeting(
            _when(m.starts, "meeting.starts"), _when(m.ends, "meeting.ends"),
            _when(m.declared_end, "meeting.declared_end"),
            _opt(m.receipt_at, "meeting.receipt_at"), _opt(m.letter_at, "meeting.letter_at"),
            m.public_road, m.bureau, m.signatories))
    if body.procession is not None:
        r = body.procession
        found += campaign.check_procession(
            _when(r.notice_at, "procession.notice_at"), _opt(r.starts, "procession.starts"),
            _opt(r.ends, "procession.ends"), r.route)
    if body.hall is not None:
        h = body.hall
        found += campaign.check_hall_request(
            _when(h.requested_at, "hall.requested_at"), _when(h.activity_at, "hall.activity_at"),
            during_campaign=h.during_campaign, answered_at=_opt(h.answered_at,
                                                                "hall.answered_at"),
            as_of=_opt(h.as_of, "hall.as_of"))
    return found


@router.post("/campaign/check", tags=["campaign"], response_model=ChecksOut)
def check_campaign(body: CampaignIn) -> ChecksOut:
    """Check campaign acts before doing them (nothing is stored): a poster's place, size (A0)
    and colours, the number of premises, a meeting declaration, a procession notice, a
    public-hall request."""
    found = campaign_findings(body)
    return ChecksOut(ok=not found, findings=[finding_out(f) for f in found])


# --------------------------------------------------------------------------------------------
# the single ballot (art. 11)


class BallotEntryOut(BaseModel):
    filing: str
    number: int
    party: str | None
    name: str
    head: str
    attached: str | None


class BallotRowOut(BaseModel):
    party: str | None
    communal: BallotEntryOut | None
    regional: BallotEntryOut | None


class BallotOut(BaseModel):
    constituency: str
    regional: str | None
    rows: list[BallotRowOut]


def ballot_rows(s: Session, constituency: str, regional: str | None) -> list[Any]:
    """The ballot's rows ``(party, communal entry, regional entry)``: one constituency's, or a
    combined communal + regional ballot (art. 11 §3 and §8)."""
    for cid in (constituency, regional):
        if cid is not None and s.get(Constituency, cid) is None:
            raise IntikhabError("E-API-004", field="constituency", value=cid)
    if regional:
        return [tuple(r) for r in cand.combined_ballot(s, constituency, regional)]
    return [(e.party, e, None) for e in cand.ballot(s, constituency)]


def _entry(e: Any) -> BallotEntryOut | None:
    return None if e is None else BallotEntryOut(**e._asdict())


@router.get("/ballot/{constituency:path}", tags=["candidacies"], response_model=BallotOut)
def ballot(constituency: Id, request: Request,
           regional: Annotated[str | None, Query(alias="with", max_length=64, description=(
               "the regional constituency of a combined ballot"))] = None) -> BallotOut:
    """The single ballot of a constituency once its candidacies are registered: parties
    before independents, each by registration number (art. 11 §3); with ``with``, the
    combined communal + regional ballot in the communal order (art. 11 §8)."""
    with _read(request) as s:
        rows = ballot_rows(s, constituency, regional)
    return BallotOut(constituency=constituency, regional=regional, rows=[
        BallotRowOut(party=p, communal=_entry(c), regional=_entry(r)) for p, c, r in rows])


# --------------------------------------------------------------------------------------------
# candidacies (arts. 7–11)


class AllianceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    name: Annotated[str, Field(max_length=200)] = ""
    parties: list[Id] = Field(min_length=1, max_length=50)


class FilingsIn(BaseModel):
    """Filing documents as docs/candidacy.md describes them (one per list or district
    candidacy), and any party alliance they rely on."""

    model_config = ConfigDict(extra="forbid")
    filings: list[dict[str, Any]] = Field(min_length=1, max_length=2000)
    alliances: list[AllianceIn] = Field(default_factory=list, max_length=100)


class DepositIn(FilingsIn):
    at: When | None = Field(None, description="when the receipts are given (default: each "
                                              "document's filed_at)")


class RowErrorOut(BaseModel):
    table: str
    row: int
    field: str
    code: str
    message: str


class CheckOut(BaseModel):
    filings: int
    acceptable: bool = Field(description="no error: every filing would be registered")
    findings: list[LawFinding]
    row_errors: list[RowErrorOut]


def _docs(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents without ``lines`` (CSV line numbers are the importer's own)."""
    return [{k: v for k, v in d.items() if k != "lines"} for d in docs]


def _alliances(items: Sequence[AllianceIn]) -> list[dict[str, Any]]:
    return [a.model_dump() for a in items]


@router.post("/candidacies/check", tags=["candidacies"], response_model=CheckOut)
def check_candidacies(body: FilingsIn, request: Request,
                      p: Annotated[Principal, Depends(require(*CLERKS))]) -> CheckOut:
    """Every check of arts. 4–8, 85, 134 and the list rules on filings, against the election
    in the database, without storing anything: the findings (errors would be a reasoned
    rejection, warnings are noted) and the row errors of documents that cannot be read."""
    with _read(request) as s:
        amap = cand.alliances(s) | {a.id: frozenset(a.parties) for a in body.alliances}
        found, errors = cand.check_documents(_docs(body.filings), cand.seats_by_constituency(s),
                                             cand.polling_date(s), amap)
    bad = bool(errors) or any(f.level.value == "error" for f in found)
    return CheckOut(filings=len(body.filings), acceptable=not bad,
                    findings=[finding_out(f) for f in found],
                    row_errors=[RowErrorOut(table=e.table, row=e.row, field=e.field,
                                                code=e.code, message=e.message)
                                    for e in errors])


class FilingOut(BaseModel):
    id: str
    constituency: str
    receipt: int = Field(description="the provisional receipt's number, by arrival (art. 9)")
    status: str
    number: int | None = Field(description="the registration number (final receipt)")
    kind: str
    party: str | None
    name: str
    filed_at: datetime
    decided_at: datetime | None
    reasons: list[str]
    notes: list[str]
    replaced_by: str | None
    attached_withdrawn: bool
    ineligible: list[str]


def filing_out(r: CandidacyFiling) -> FilingOut:
    def aware(at: datetime | None) -> datetime | None:
        return None if at is None else cal.local(at.replace(tzinfo=UTC))

    return FilingOut(id=r.id, constituency=r.constituency_id, receipt=r.arrival,
                     status=r.status, number=r.number, kind=r.kind, party=r.party,
                     name=r.name, filed_at=aware(r.filed_at) or r.filed_at,
                     decided_at=aware(r.decided_at), reasons=list(r.reasons),
                     notes=list(r.notes), replaced_by=r.replaced_by,
                     attached_withdrawn=r.attached_withdrawn, ineligible=list(r.ineligible))


def _at(text: str | None, field: str = "at") -> datetime | None:
    if text is None:
        return None
    at = cand.parse_time(text)
    if at is None or not 1990 <= at.year <= 2100:
        raise IntikhabError("E-CAL-001", field=field, value=text[:40])
    return at


@router.post("/candidacies", tags=["candidacies"], response_model=list[FilingOut],
             status_code=201)
def deposit(body: DepositIn, request: Request,
            p: Annotated[Principal, Depends(require(*CLERKS))]) -> list[FilingOut]:
    """Deposit filings, all or nothing: each gets a provisional receipt numbered by arrival in
    its constituency (art. 9 §2); an unreadable document, an unknown constituency, a used id
    or a deposit after the deadline (12:00 on D−14) refuses them all (422 ``E-IMP-001`` with
    every row error)."""
    with _write(request) as s:
        rows = cand.file_documents(s, p.id, _docs(body.filings), _alliances(body.alliances),
                                   _at(body.at))
        return [filing_out(r) for r in rows]


@router.post("/candidacies/import", tags=["candidacies"], response_model=list[FilingOut],
             status_code=201)
async def import_filings(request: Request, p: Annotated[Principal, Depends(require(*CLERKS))],
                         file: Annotated[UploadFile, File(description=(
                             "a .json (one filing, a list, or {filings, alliances}) or a .csv "
                             "file (docs/candidacy.md)"))]) -> list[FilingOut]:
    """Bulk import of a JSON or CSV file of filings, all or nothing, with line-level errors
    (422 ``E-IMP-001``: ``errors`` lists each line, field and code)."""
    data = await file.read()
    suffix = ".csv" if (file.filename or "").lower().endswith(".csv") else ".json"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"filings{suffix}"
        path.write_bytes(data)
        with _write(request) as s:
            return [filing_out(r) for r in cand.import_file(s, p.id, path)]


@router.get("/candidacies", tags=["candidacies"], response_model=list[FilingOut])
def list_filings(
    request: Request, p: Annotated[Principal, Depends(require(*READERS))],
    constituency: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["provisional", "registered", "rejected", "withdrawn", "replaced"] | None
    = None,
) -> list[FilingOut]:
    """The filings (of a constituency) by arrival, with their status, registration number and
    reasons (an observer's: those of the constituencies they are accredited to)."""
    if constituency is not None:
        _see(p, constituency)
    with _read(request) as s:
        rows = cand.listing(s)
        return [filing_out(r) for r in rows
                if (constituency is None or r.constituency_id == constituency)
                and (status is None or r.status == status) and p.can_see(r.constituency_id)]


def _filing(s: Session, p: Principal, fid: str) -> CandidacyFiling:
    row = s.get(CandidacyFiling, fid)
    if row is None:
        raise IntikhabError("E-API-004", field="filing", value=fid)
    _see(p, row.constituency_id)
    return row


class FilingDetail(FilingOut):
    document: dict[str, Any]


@router.get("/candidacies/{filing}", tags=["candidacies"], response_model=FilingDetail)
def get_filing(filing: Id, request: Request,
               p: Annotated[Principal, Depends(require(*READERS))]) -> FilingDetail:
    """One filing with the document as deposited."""
    with _read(request) as s:
        row = _filing(s, p, filing)
        return FilingDetail(**filing_out(row).model_dump(), document=row.document)


class RegistrationOut(BaseModel):
    filing: str
    constituency: str
    status: str
    number: int | None
    reasons: list[str]
    notes: list[str]


def registration_out(r: Registration) -> RegistrationOut:
    return RegistrationOut(filing=r.filing, constituency=r.constituency, status=r.status.value,
                           number=r.number, reasons=list(r.reasons), notes=list(r.notes))


class Conflict(HttpError):
    """A state-machine refusal answered 409 with its own code and params."""

    def __init__(self, error: IntikhabError) -> None:
        params = {k: v for k, v in error.params.items() if k != "field"}
        IntikhabError.__init__(self, error.code, field=error.field, **params)
        self.status = 409


def _transition(action: Any) -> Any:
    """Run a state-machine step; a step the law refuses in this state is a 409."""
    try:
        return action()
    except TransitionError as e:
        if e.code not in CONFLICTS:
            raise
        raise Conflict(e) from None


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filings: list[Id] | None = Field(None, max_length=2000,
                                     description="only these (default: every provisional one)")
    at: When | None = Field(None, description="when the decision is made (default: now)")


@router.post("/candidacies/decide", tags=["candidacies"], response_model=list[RegistrationOut])
def decide(body: DecideIn, request: Request,
           p: Annotated[Principal, Depends(require(*DECIDERS))]) -> list[RegistrationOut]:
    """The authority decides the provisional filings in arrival order: the final receipt with
    its registration number, or a rejection reasoned by the blocking codes (art. 9 §2–3)."""
    with _write(request) as s:
        for fid in body.filings or ():
            _filing(s, p, fid)
        return [registration_out(r) for r in _transition(
            lambda: cand.decide(s, p.id, _at(body.at), body.filings))]


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: list[Annotated[str, Field(max_length=20)]] = Field(
        min_length=1, max_length=50, description="catalogue codes (E-CAND-…)")
    at: When | None = None


@router.post("/candidacies/{filing}/reject", tags=["candidacies"],
             response_model=RegistrationOut)
def reject(filing: Id, body: RejectIn, request: Request,
           p: Annotated[Principal, Depends(require(*DECIDERS))]) -> RegistrationOut:
    """A reasoned rejection, also after the final receipt (art. 8 §5, art. 9 §3)."""
    with _write(request) as s:
        _filing(s, p, filing)
        return registration_out(_transition(
            lambda: cand.reject(s, p.id, filing, body.reasons, _at(body.at))))


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: list[Id] = Field(min_length=1, max_length=200, description=(
        "national ids of who withdraws (the list agent or the candidate)"))
    attached: bool = Field(False, description="only the attached seat's woman withdraws her "
                                              "own candidacy (art. 134)")
    at: When | None = Field(None, description="when the withdrawal is received (default: now)")


@router.post("/candidacies/{filing}/withdraw", tags=["candidacies"],
             response_model=RegistrationOut)
def withdraw(filing: Id, body: WithdrawIn, request: Request,
             p: Annotated[Principal, Depends(require(*CLERKS))]) -> RegistrationOut:
    """Record a withdrawal, only before the filing deadline (art. 134; guide ch. 3.2)."""
    act = cand.withdraw_attached if body.attached else cand.withdraw
    with _write(request) as s:
        _filing(s, p, filing)
        return registration_out(_transition(
            lambda: act(s, p.id, filing, body.by, _at(body.at))))


class IneligibleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    national_id: Id


@router.post("/candidacies/{filing}/ineligible", tags=["candidacies"],
             response_model=RegistrationOut)
def ineligible(filing: Id, body: IneligibleIn, request: Request,
               p: Annotated[Principal, Depends(require(*DECIDERS))]) -> RegistrationOut:
    """A registered list's candidate proves ineligible: the list stays valid (art. 8, last
    paragraph)."""
    with _write(request) as s:
        _filing(s, p, filing)
        return registration_out(_transition(
            lambda: cand.mark_ineligible(s, p.id, filing, body.national_id)))


class PublishOut(BaseModel):
    published: int


@router.post("/candidacies/publish", tags=["candidacies"], response_model=PublishOut)
def publish(request: Request,
            p: Annotated[Principal, Depends(require(*DECIDERS))]) -> PublishOut:
    """Write every registered filing into the candidacies the minutes and the allocation use,
    in ballot order (art. 11)."""
    with _write(request) as s:
        return PublishOut(published=len(cand.publish(s, p.id)))


# --------------------------------------------------------------------------------------------
# disputes (guide ch. 13)


class CaseOut(BaseModel):
    id: str
    kind: str
    constituency: str
    court: str
    state: str
    admissible: bool
    filed_at: str
    deadline: str


class CaseView(BaseModel):
    """A case with its steps and the court's deadlines; ``constituency_status`` is the
    constituency's result status (``rerun_required`` after an annulment, art. 32)."""

    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    constituency: str
    court: str
    state: str
    admissible: bool
    ruling: dict[str, Any] | None
    court_deadlines: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    constituency_status: str


def case_view(s: Session, case: str) -> CaseView:
    view = disputes.case_view(s, case, datetime.now(UTC))
    status = queries.constituency_progress(s, view["constituency"]).status
    return CaseView(**view, constituency_status=status)


@router.get("/disputes", tags=["disputes"], response_model=list[CaseOut])
def list_cases(request: Request,
               p: Annotated[Principal, Depends(require(*DECIDERS))]) -> list[CaseOut]:
    """Every dispute case with its court, state and admissibility."""
    with _read(request) as s:
        return [CaseOut(id=c.id, kind=c.kind, constituency=c.constituency_id, court=c.court,
                        state=c.state, admissible=c.admissible,
                        filed_at=cal.fmt(disputes.aware(c.filed_at)),
                        deadline=cal.fmt(disputes.aware(c.deadline)))
                for c in disputes.list_cases(s)]


@router.get("/disputes/{case}", tags=["disputes"], response_model=CaseView)
def get_case(case: Id, request: Request,
             p: Annotated[Principal, Depends(require(*DECIDERS))]) -> CaseView:
    """A case, its steps and the court's deadlines (overdue ones flagged)."""
    with _read(request) as s:
        _case(s, case)
        return case_view(s, case)


def _case(s: Session, case: str) -> None:
    if s.get(DisputeCase, case) is None:
        raise IntikhabError("E-API-004", field="case", value=case)


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: dlaw.Kind
    constituency: Id
    filer: Annotated[str, Field(min_length=1, max_length=200)]
    filer_kind: dlaw.Filer
    trigger_at: When = Field(description="the rejection (or its notification) or the deposit "
                                         "of the minutes declaring the results")
    filed_at: When


@router.post("/disputes", tags=["disputes"], response_model=CaseView, status_code=201)
def open_case(body: CaseIn, request: Request,
              p: Annotated[Principal, Depends(require(*DECIDERS))]) -> CaseView:
    """Register a candidacy appeal or a results petition: who may file (arts. 28, 97, 151),
    which court (art. 161 §2), the deadline from its trigger (arts. 29, 97, 151); a late case
    is registered as inadmissible."""
    with _write(request) as s:
        if s.get(Constituency, body.constituency) is None:
            raise IntikhabError("E-API-004", field="constituency", value=body.constituency)
        c = disputes.file_case(s, p.id, kind=body.kind, constituency=body.constituency,
                               filer=body.filer, filer_kind=body.filer_kind,
                               trigger_at=_when(body.trigger_at, "trigger_at"),
                               filed_at=_when(body.filed_at, "filed_at"))
        return case_view(s, c.id)


class RulingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: dlaw.Outcome
    grounds: list[dlaw.Ground] = Field(default_factory=list, max_length=3)
    replaced: Id | None = None
    replacement: Id | None = None
    replacement_list: Id | None = None
    at: When


@router.post("/disputes/{case}/ruling", tags=["disputes"], response_model=CaseView)
def rule(case: Id, body: RulingIn, request: Request,
         p: Annotated[Principal, Depends(require(*DECIDERS))]) -> CaseView:
    """Record a ruling and apply it to the results as a new declared version: an annulment
    makes the constituency ``rerun_required`` (art. 32); a replaced member changes the
    elected (409 ``E-DISP-003`` when the case cannot be ruled now)."""
    ruling = dlaw.Ruling(body.outcome, tuple(body.grounds), body.replaced, body.replacement,
                         body.replacement_list)
    with _write(request) as s:
        _case(s, case)
        disputes.rule(s, p.id, case, ruling, _when(body.at, "at"))
        view = case_view(s, case)
    request.app.state.cache.invalidate([view.constituency])  # its council, the nation
    return view


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["rapporteur", "hearing", "appeal", "cassation", "close"]
    at: When
    judge: Annotated[str | None, Field(max_length=200)] = None
    hearing_at: When | None = None


@router.post("/disputes/{case}/steps", tags=["disputes"], response_model=CaseView)
def step(case: Id, body: StepIn, request: Request,
         p: Annotated[Principal, Depends(require(*DECIDERS))]) -> CaseView:
    """A step of the case: the rapporteur (art. 30), the hearing notified three days ahead
    (art. 31 §1, ``at`` is the notification), an appeal or cassation (art. 31 §4), closing."""
    at = _when(body.at, "at")
    with _write(request) as s:
        _case(s, case)
        if body.action == "rapporteur":
            disputes.name_rapporteur(s, p.id, case, body.judge or "", at)
        elif body.action == "hearing":
            if body.hearing_at is None:
                raise IntikhabError("E-API-001", field="hearing_at", detail="required")
            disputes.set_hearing(s, p.id, case, _when(body.hearing_at, "hearing_at"), at)
        elif body.action == "close":
            disputes.close(s, p.id, case, at)
        else:
            disputes.appeal(s, p.id, case, at, cassation=body.action == "cassation")
        return case_view(s, case)


# --------------------------------------------------------------------------------------------
# campaign finance (guide ch. 12)


class AccountReportOut(BaseModel):
    account: str
    holder: str
    vote: str
    candidates: int
    elected: bool
    expenses: str = Field(description="dirhams, two decimals")
    funds: str
    ceiling: str
    filed_at: str | None
    flags: list[str] = Field(description="missing, late, unjustified, no_sources, "
                                         "over_ceiling, outside_period")
    consequences: list[str]
    findings: list[LawFinding]


def report_out(r: Any) -> AccountReportOut:
    d = r.to_dict()
    d["findings"] = [finding_out(f) for f in r.findings]
    return AccountReportOut(**d)


def finance_report(s: Session, as_of: str | None, results_at: str | None) -> list[Any]:
    now = _when(as_of, "as_of") if as_of else datetime.now(UTC)
    return finance.report(s, now, _opt(results_at, "results_at"))


@router.get("/finance/report", tags=["disputes"], response_model=list[AccountReportOut])
def report(request: Request, p: Annotated[Principal, Depends(require(*DECIDERS))],
           as_of: Annotated[str | None, Query(max_length=40)] = None,
           results_at: ResultsQ = None) -> list[AccountReportOut]:
    """Campaign accounts missing, late, unjustified, without sources or over the ceiling,
    with their consequences (arts. 155–160), worst first."""
    with _read(request) as s:
        return [report_out(r) for r in finance_report(s, as_of, results_at)]


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Annotated[str, Field(min_length=1, max_length=20, description="dirhams, e.g. "
                                                                          "'1200.50'")]
    day: Annotated[str, Field(max_length=10)]
    category: Annotated[str | None, Field(max_length=40)] = None
    source: Annotated[str | None, Field(max_length=40)] = None
    document: Annotated[str | None, Field(max_length=200)] = None
    label: Annotated[str, Field(max_length=500)] = ""


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    holder: Annotated[str, Field(min_length=1, max_length=200)]
    vote: Vote
    candidates: Annotated[int, Field(ge=1, le=1000)] = 1
    list_vote: bool = True
    elected: bool = False
    constituency: Id | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=5000)
    filed_at: When | None = None


class AccountOut(BaseModel):
    account: str
    lines: int


def _lines(items: Sequence[LineIn]) -> list[dict[str, Any]]:
    return [x.model_dump(exclude_none=True) for x in items]


@router.post("/finance/accounts", tags=["disputes"], response_model=AccountOut,
             status_code=201)
def open_account(body: AccountIn, request: Request,
                 p: Annotated[Principal, Depends(require(*DECIDERS))]) -> AccountOut:
    """Open a campaign account (art. 156) with its sources and expenses, and its deposit with
    the Court of Accounts if ``filed_at`` is given (art. 157)."""
    doc = body.model_dump(exclude={"lines", "filed_at"}) | {"lines": _lines(body.lines)}
    with _write(request) as s:
        if body.constituency is not None and s.get(Constituency, body.constituency) is None:
            raise IntikhabError("E-API-004", field="constituency", value=body.constituency)
        acc = finance.open_account(s, p.id, doc)
        if body.filed_at is not None:
            finance.record_filing(s, p.id, acc.id, _when(body.filed_at, "filed_at"))
    return AccountOut(account=body.id, lines=len(body.lines))


def _account(s: Session, aid: str) -> None:
    if s.get(CampaignAccount, aid) is None:
        raise IntikhabError("E-API-004", field="account", value=aid)


class LinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: list[LineIn] = Field(min_length=1, max_length=5000)


@router.post("/finance/accounts/{account}/lines", tags=["disputes"], response_model=AccountOut)
def add_lines(account: Id, body: LinesIn, request: Request,
              p: Annotated[Principal, Depends(require(*DECIDERS))]) -> AccountOut:
    """Add sources of funds or expenses (with their supporting documents) to an account."""
    with _write(request) as s:
        _account(s, account)
        n = finance.add_lines(s, p.id, account, _lines(body.lines))
    return AccountOut(account=account, lines=n)


class FiledIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: When


@router.post("/finance/accounts/{account}/filed", tags=["disputes"], response_model=AccountOut)
def account_filed(account: Id, body: FiledIn, request: Request,
                  p: Annotated[Principal, Depends(require(*DECIDERS))]) -> AccountOut:
    """The account was deposited with the Court of Accounts (art. 157; due within 60 days of
    the results)."""
    with _write(request) as s:
        _account(s, account)
        finance.record_filing(s, p.id, account, _when(body.at, "at"))
    return AccountOut(account=account, lines=0)
