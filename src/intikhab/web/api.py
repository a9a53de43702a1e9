"""The REST API, ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``; docs/api.md).

Every route names the roles it admits (``require``); observers read only the constituencies
they are accredited to and write nothing; clerks never see another clerk's entry (double entry
is blind, docs/double-entry.md).  Every write goes through a service, in one transaction with
its audit record; any error rolls the whole transaction back.  The public results are served
from the declared results through ``web.cache`` (election night).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, percent
from intikhab.law.errors import IntikhabError
from intikhab.records.checks import blocking, check_minute
from intikhab.records.minutes import Minute
from intikhab.services import entry, queries, results, users
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.models import Constituency
from intikhab.web.auth import (
    Principal,
    csrf_token,
    end_session,
    issue_token,
    login,
    require,
    verify_csrf,
)

Vote = Literal["communal", "regional"]
WRITERS = ("clerk", "coordinator", "admin")
COORDINATORS = ("coordinator", "admin")
READERS = ("clerk", "coordinator", "observer", "admin")
Id = Annotated[str, Field(min_length=1, max_length=64)]


class ErrorOut(BaseModel):
    """Every error: a catalogue code, the field it concerns, the message in three languages."""

    code: str
    field: str | None
    message: dict[str, str]
    findings: list[dict[str, Any]] | None = None
    errors: list[dict[str, Any]] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 405, 409, 422)}
router = APIRouter(prefix="/api/v1", responses=ERRORS, dependencies=[Depends(verify_csrf)])


def _sessions(request: Request) -> Any:
    return request.app.state.Sessions


def _write(request: Request) -> Any:
    """A transaction: committed when the block ends, rolled back on any error."""
    return _sessions(request).begin()


def _read(request: Request) -> Session:
    return _sessions(request)()  # type: ignore[no-any-return]


def _see(principal: Principal, constituency: str) -> None:
    if not principal.can_see(constituency):
        raise IntikhabError("E-API-010", field="constituency", user=principal.id,
                            value=constituency)


# --------------------------------------------------------------------------------------------
# auth


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
    with _write(request) as s:
        audit.append(s, actor=p.id, role=p.role, action="auth.logout", entity=p.id)
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


# --------------------------------------------------------------------------------------------
# public results (cached)


class PartyOut(BaseModel):
    party: str
    name_ar: str
    name_fr: str
    seats: int
    votes: int
    elected: list[str]


class CouncilOut(BaseModel):
    council: str
    vote: str
    seats: int
    declared: int
    constituencies: int
    registered: int
    voters: int
    turnout_percent: str = Field(description="voters ÷ registered, display only (2 decimals)")
    parties: list[PartyOut]


def council_json(r: CouncilResult, with_elected: bool = True) -> dict[str, Any]:
    """A council's (or the nation's) declared result as the public JSON."""
    return {"council": r.council, "vote": r.vote, "seats": r.seats, "declared": r.declared,
            "constituencies": r.constituencies, "registered": r.registered,
            "voters": r.voters, "turnout_percent": percent(r.voters, r.registered),
            "parties": [{"party": p.party, "name_ar": p.name_ar, "name_fr": p.name_fr,
                         "seats": p.seats, "votes": p.votes,
                         "elected": list(p.elected) if with_elected else []}
                        for p in r.parties]}


def _cached(request: Request, key: str, build: Callable[[Session], Any]) -> Response:
    cache = request.app.state.cache

    def render() -> bytes:
        with _read(request) as s:
            return json.dumps(build(s), ensure_ascii=False, separators=(",", ":"),
                              default=str).encode()

    item = cache.get(key, render)
    headers = {"ETag": item.etag, "Cache-Control": "public, max-age=5"}
    if request.headers.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    return Response(item.body, media_type="application/json", headers=headers)


@router.get("/results/national/{vote}", tags=["public"], response_model=CouncilOut)
def national(vote: Vote, request: Request) -> Response:
    """Seats and votes by party over every council of a vote (declared results only)."""
    return _cached(request, f"national:{vote}",
                   lambda s: council_json(results.national_result(s, vote), False))


@router.get("/results/councils/{council}/{vote}", tags=["public"], response_model=CouncilOut)
def council(council: Id, vote: Vote, request: Request) -> Response:
    """A council's seats and votes per party and its elected members (declared results)."""
    def build(s: Session) -> dict[str, Any]:
        r = results.council_result(s, council, vote)
        if r.constituencies == 0:
            raise IntikhabError("E-API-004", field="council", value=council)
        return council_json(r)

    return _cached(request, f"council:{council}:{vote}", build)


@router.get("/results/constituencies/{constituency:path}", tags=["public"],
            response_model=queries.AllocationView)
def declared_allocation(constituency: Id, request: Request) -> Response:
    """A constituency's declared result with the guide's tables (quotient, whole quotas,
    remainders, ties, lots — ch. 10)."""
    return _cached(request, f"allocation:{constituency}",
                   lambda s: asdict(queries.allocation(s, constituency, declared=True)))


# --------------------------------------------------------------------------------------------
# stations and minutes


@router.get("/stations", tags=["entry"], response_model=list[queries.StationRow])
def list_stations(
    request: Request, p: Annotated[Principal, Depends(require(*READERS))],
    constituency: Annotated[str | None, Query(max_length=64)] = None,
    office: Annotated[str | None, Query(max_length=64)] = None,
    vote: Vote | None = None,
) -> list[queries.StationRow]:
    """Stations of a constituency or a central office with the state of each minute."""
    if constituency is not None:
        _see(p, constituency)
    with _read(request) as s:
        rows = queries.stations(s, constituency=constituency, office=office, vote=vote)
    return [r for r in rows if p.can_see(r.constituency)]


@router.get("/constituencies/{constituency:path}/candidacies", tags=["entry"],
            response_model=list[queries.CandidacyRow])
def list_candidacies(constituency: Id, request: Request,
                     p: Annotated[Principal, Depends(require(*READERS))]
                     ) -> list[queries.CandidacyRow]:
    """The lists or district candidates in ballot order: the rows of the minute's form."""
    _see(p, constituency)
    with _read(request) as s:
        queries.constituency(s, constituency)
        return list(queries.candidacies(s, constituency))


class MinuteIn(BaseModel):
    """A polling-station minute as typed (docs/records.md; art. 23 §1–2)."""

    model_config = ConfigDict(extra="forbid")
    station: Id
    vote: Vote
    registered: Annotated[int, Field(ge=0, le=10**9)]
    signed: Annotated[int, Field(ge=0, le=10**9)]
    ballots: Annotated[int, Field(ge=0, le=10**9)]
    void: Annotated[int, Field(ge=0, le=10**9)]
    contested: Annotated[int, Field(ge=0, le=10**9)] = 0
    illegal: Annotated[int, Field(ge=0, le=10**9)] = 0
    votes: dict[Annotated[str, Field(min_length=1, max_length=64)],
                Annotated[int, Field(ge=0, le=10**9)]]
    objections: Annotated[str, Field(max_length=10_000)] = ""
    observations: Annotated[str, Field(max_length=10_000)] = ""


class SubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    minute: MinuteIn
    accept_warnings: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, description="the warning codes (W-PV-…) the clerk accepts")


class FindingOut(BaseModel):
    code: str
    level: str
    field: str
    message: dict[str, str]


class CheckOut(BaseModel):
    station: str
    vote: str
    acceptable: bool
    findings: list[FindingOut]


class SubmitOut(BaseModel):
    station: str
    vote: str
    outcome: str = Field(description="first_recorded | accepted | conflict | duplicate")
    entry_id: str | None
    findings: list[FindingOut]


def _findings(findings: Any) -> list[FindingOut]:
    return [FindingOut(code=f.code, level=f.level.value, field=f.field,
                       message={lg: f.message(lg) for lg in ("ar", "fr", "en")})
            for f in findings]


def _minute(body: MinuteIn) -> Minute:
    return Minute.from_json(body.model_dump())


@router.post("/minutes/check", tags=["entry"], response_model=CheckOut)
def check(body: SubmitIn, request: Request,
          p: Annotated[Principal, Depends(require(*WRITERS))]) -> CheckOut:
    """The check catalogue applied to a minute being typed (nothing is written): errors
    block, warnings need an explicit acceptance (art. 20–22)."""
    m = _minute(body.minute)
    with _read(request) as s:
        ctx = queries.station_context(s, m.station).context(m.station, m.vote.value)
    found = check_minute(m, ctx)
    return CheckOut(station=m.station, vote=m.vote.value,
                    acceptable=not blocking(found, body.accept_warnings),
                    findings=_findings(found))


class Rejected(IntikhabError):
    """A minute refused by its checks: 422 with the findings."""

    def __init__(self, code: str, field: str | None, findings: Any, **params: object) -> None:
        super().__init__(code, field=field, **params)
        self.findings = findings


@router.post("/minutes", tags=["entry"], response_model=SubmitOut,
             responses={422: {"model": ErrorOut, "description": "refused by a check"}})
def submit(body: SubmitIn, request: Request,
           p: Annotated[Principal, Depends(require(*WRITERS))]) -> SubmitOut:
    """Enter a minute (first or second entry; art. 23).  Errors refuse it (422, with the
    findings); warnings must be listed in ``accept_warnings``; a second entry by the same user
    is refused (409 ``E-ENTRY-001``); an accepted minute is closed (409 ``E-PV-007``)."""
    m = _minute(body.minute)
    with _write(request) as s:
        [done] = entry.enter_minutes(s, p.id, [m], body.accept_warnings)
        if done.outcome == "rejected":
            if done.error is not None:
                raise done.error
            stops = blocking(done.findings, body.accept_warnings)
            errors = [f for f in stops if f.level.value == "error"]
            if errors:
                first = errors[0]
                params = {k: v for k, v in first.params.items() if k != "field"}
                raise Rejected(first.code, first.field, done.findings, **params)
            raise Rejected("E-ENTRY-005", "accept_warnings", done.findings,
                           codes=", ".join(sorted({f.code for f in stops})))
    return SubmitOut(station=done.station, vote=done.vote, outcome=done.outcome,
                     entry_id=done.entry_id, findings=_findings(done.findings))


@router.get("/minutes/{station}/{vote}", tags=["entry"], response_model=queries.MinuteDetail)
def minute(station: Id, vote: Vote, request: Request,
           p: Annotated[Principal, Depends(require("coordinator", "observer", "admin"))]
           ) -> queries.MinuteDetail:
    """A minute's entries side by side and where they differ (coordinators; observers of the
    constituency — the lists' representatives receive the minutes, art. 23 §2).  Clerks do not
    see entries: double entry is blind."""
    with _read(request) as s:
        d = queries.minute_detail(s, station, vote)
    _see(p, d.constituency)
    return d


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep: Literal[1, 2] = Field(description="keep the first (1) or the second (2) entry")


class StateOut(BaseModel):
    station: str
    vote: str
    status: str
    version: int


def _coordinate(request: Request, p: Principal, station: str, vote: str,
                action: Callable[[Session], Any]) -> StateOut:
    with _write(request) as s:
        d = queries.minute_detail(s, station, vote)
        _see(p, d.constituency)
        state = action(s)
    return StateOut(station=station, vote=vote, status=state.status.value,
                    version=state.version)


@router.post("/minutes/{station}/{vote}/resolve", tags=["commission"], response_model=StateOut)
def resolve(station: Id, vote: Vote, body: ResolveIn, request: Request,
            p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Keep one of two differing entries (409 ``E-ENTRY-003`` when there is no conflict)."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.resolve(s, p.id, station, vote, body.keep))


@router.post("/minutes/{station}/{vote}/send-back", tags=["commission"],
             response_model=StateOut)
def send_back(station: Id, vote: Vote, request: Request,
              p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Discard two differing entries: the minute is entered again."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.send_back(s, p.id, station, vote))


@router.post("/minutes/{station}/{vote}/correction", tags=["commission"],
             response_model=StateOut)
def correction(station: Id, vote: Vote, request: Request,
               p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> StateOut:
    """Open a correction of an accepted minute (a new version, double-entered again)."""
    return _coordinate(request, p, station, vote,
                       lambda s: entry.open_correction(s, p.id, station, vote))


# --------------------------------------------------------------------------------------------
# constituencies, allocation, declaration


@router.get("/constituencies", tags=["commission"], response_model=list[queries.ConstituencyRow])
def list_constituencies(
    request: Request, p: Annotated[Principal, Depends(require(*READERS))],
    vote: Vote | None = None,
    council: Annotated[str | None, Query(max_length=64)] = None,
) -> list[queries.ConstituencyRow]:
    """Progress of every constituency (an observer's: those accredited)."""
    with _read(request) as s:
        only = set(p.accredited) if p.role == "observer" else None
        if council is not None:
            ids = set(s.scalars(select(Constituency.id).where(Constituency.council == council)))
            only = ids if only is None else only & ids
        rows = queries.constituencies(s, vote=vote, only=only)
    return list(rows)


@router.get("/constituencies/{constituency:path}/result", tags=["commission"],
            response_model=queries.AllocationView)
def get_result(constituency: Id, request: Request,
               p: Annotated[Principal, Depends(require("coordinator", "observer", "admin"))]
               ) -> queries.AllocationView:
    """The latest allocation (declared or not) with the guide's tables."""
    _see(p, constituency)
    with _read(request) as s:
        return queries.allocation(s, constituency)


class AllocateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lots: dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=64)]] = (
        Field(default_factory=dict, description="drawn lots entered by the commission: "
                                                "lot key → winner"))
    seed: Annotated[str | None, Field(max_length=200, description=(
        "public seed for a reproducible draw of any lot not entered"))] = None


@router.post("/constituencies/{constituency:path}/allocate", tags=["commission"],
             response_model=queries.AllocationView)
def allocate(constituency: Id, body: AllocateIn, request: Request,
             p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> queries.AllocationView:
    """Aggregate the accepted minutes and allocate the seats (art. 24; guide ch. 9–10), with
    any lot the commission drew; 409 ``E-API-015`` while minutes are missing."""
    with _write(request) as s:
        queries.constituency(s, constituency)
        done = results.allocate(s, p.id, [constituency], body.lots, body.seed)
        if not done:
            t = results.constituency_totals(s, only=constituency).get(constituency)
            raise IntikhabError("E-API-015", field="constituency", value=constituency,
                                accepted=t.accepted if t else 0,
                                stations=t.stations if t else 0)
        view = queries.allocation(s, constituency)
    return view


@router.post("/constituencies/{constituency:path}/declare", tags=["commission"],
             response_model=queries.AllocationView)
def declare(constituency: Id, request: Request,
            p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> queries.AllocationView:
    """Declare the constituency's allocated result (art. 24) if its minutes have not changed
    since (otherwise nothing changes: the answer's ``progress`` and ``declared_at`` say where
    it stands); 404 ``E-API-014`` when it has no result yet."""
    with _write(request) as s:
        queries.constituency(s, constituency)
        results.declare(s, p.id, [constituency])
        view = queries.allocation(s, constituency)
    request.app.state.cache.invalidate([constituency])  # its council, the nation: renewed
    return view


@router.get("/constituencies/{constituency:path}", tags=["commission"],
            response_model=queries.ConstituencyRow)
def get_constituency(constituency: Id, request: Request,
                     p: Annotated[Principal, Depends(require(*READERS))]
                     ) -> queries.ConstituencyRow:
    """One constituency's progress: stations awaiting, entered once, in conflict, accepted.
    (Declared after the routes with a suffix: a district's id holds a ``/``.)"""
    _see(p, constituency)
    with _read(request) as s:
        return queries.constituency_progress(s, constituency)


# --------------------------------------------------------------------------------------------
# administration


class UserOut(BaseModel):
    id: str
    name: str
    role: str
    accredited: list[str]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Literal["clerk", "coordinator", "observer", "admin"]
    password: Annotated[str, Field(min_length=users.MIN_PASSWORD, max_length=200)]


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    role: Literal["clerk", "coordinator", "observer", "admin"] | None = None
    password: Annotated[str | None, Field(min_length=users.MIN_PASSWORD, max_length=200)] = None


class AccreditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    constituencies: list[Annotated[str, Field(min_length=1, max_length=64)]]


def _user(u: users.UserRow) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, accredited=list(u.accredited))


@router.get("/users", tags=["admin"], response_model=list[UserOut])
def list_users(request: Request,
               p: Annotated[Principal, Depends(require("admin"))]) -> list[UserOut]:
    """Every user, role and accreditations."""
    with _read(request) as s:
        return [_user(u) for u in queries.users(s)]


@router.post("/users", tags=["admin"], response_model=UserOut, status_code=201)
def create_user(body: UserIn, request: Request,
                p: Annotated[Principal, Depends(require("admin"))]) -> UserOut:
    """Create an account (argon2-hashed password; audited)."""
    with _write(request) as s:
        return _user(users.create_user(s, p.id, body.id, body.name, body.role, body.password))


@router.patch("/users/{user}", tags=["admin"], response_model=UserOut)
def update_user(user: Id, body: UserPatch, request: Request,
                p: Annotated[Principal, Depends(require("admin"))]) -> UserOut:
    """Change a user's name, role or password (audited)."""
    with _write(request) as s:
        return _user(users.update_user(s, p.id, user, name=body.name, role=body.role,
                                       password=body.password))


@router.put("/users/{user}/accreditations", tags=["admin"], response_model=UserOut)
def accredit(user: Id, body: AccreditIn, request: Request,
             p: Annotated[Principal, Depends(require("admin"))]) -> UserOut:
    """Set the constituencies an observer is accredited to (art. 23 §2; audited)."""
    with _write(request) as s:
        return _user(users.accredit(s, p.id, user, body.constituencies))


@router.post("/setup/bundle", tags=["admin"], response_model=dict[str, int])
def import_bundle(body: dict[str, Any], request: Request,
                  p: Annotated[Principal, Depends(require("admin"))]) -> dict[str, int]:
    """Import an election bundle — territory, constituencies, stations, lists, users
    (docs/records.md): all or nothing, every row error reported (422 ``E-IMP-001``)."""
    with _write(request) as s:
        counts = load_bundle(s, body, actor=p.id, role=p.role)
    request.app.state.cache.invalidate()
    return counts


class AuditOut(BaseModel):
    ok: bool
    records: int
    first_bad: int | None
    reason: str | None


@router.get("/audit/verify", tags=["admin"], response_model=AuditOut)
def audit_verify(request: Request,
                 p: Annotated[Principal, Depends(require(*COORDINATORS))]) -> AuditOut:
    """Walk the hash-chained audit log."""
    with _read(request) as s:
        return AuditOut(**asdict(audit.verify(s)))
