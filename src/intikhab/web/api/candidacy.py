"""``/api/v1/candidacies…`` and ``/api/v1/ballot/…``: candidacy filings — checked, deposited
with a provisional receipt, decided, rejected, withdrawn, imported, published (arts. 7–11, 85,
134 of law 59.11 as amended; docs/candidacy.md) — and the single ballot (art. 11, public).

A step the registration's state machine refuses in the filing's state answers 409 (``web.errors``:
E-CAND-030, -031, -035); bad documents 422 ``E-IMP-001`` with every row error.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from intikhab.law import calendar as cal
from intikhab.law.registration import Registration
from intikhab.services import candidacy as cand
from intikhab.services import web_support
from intikhab.web import deps
from intikhab.web.api.common import FindingOut, findings_out, new_router
from intikhab.web.auth import Principal, require
from intikhab.web.deps import CLERKS, COORDINATORS, READERS, Id, When

router = new_router()
Clerk = Annotated[Principal, Depends(require(*CLERKS))]
Decider = Annotated[Principal, Depends(require(*COORDINATORS))]

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


def _entry(e: Any) -> BallotEntryOut | None:
    return None if e is None else BallotEntryOut(**e._asdict())


@router.get("/ballot/{constituency:path}", tags=["candidacies"], response_model=BallotOut)
def ballot(constituency: Id, request: Request,
           regional: Annotated[str | None, Query(alias="with", max_length=64, description=(
               "the regional constituency of a combined ballot"))] = None) -> BallotOut:
    """The single ballot of a constituency once its candidacies are registered: parties
    before independents, each by registration number (art. 11 §3); with ``with``, the
    combined communal + regional ballot in the communal order (art. 11 §8)."""
    with deps.read(request) as s:
        rows = web_support.ballot_rows(s, constituency, regional)
    return BallotOut(constituency=constituency, regional=regional, rows=[
        BallotRowOut(party=p, communal=_entry(c), regional=_entry(r)) for p, c, r in rows])


# --------------------------------------------------------------------------------------------
# filings (arts. 7–11)


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


class FilingsCheckOut(BaseModel):
    filings: int
    acceptable: bool = Field(description="no error: every filing would be registered")
    findings: list[FindingOut]
    row_errors: list[RowErrorOut]


def _docs(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents without ``lines`` (CSV line numbers are the importer's own)."""
    return [{k: v for k, v in d.items() if k != "lines"} for d in docs]


def _alliances(items: Sequence[AllianceIn]) -> list[dict[str, Any]]:
    return [a.model_dump() for a in items]


@router.post("/candidacies/check", tags=["candidacies"], response_model=FilingsCheckOut)
def check_candidacies(body: FilingsIn, request: Request, p: Clerk) -> FilingsCheckOut:
    """Every check of arts. 4–8, 85, 134 and the list rules on filings, against the election
    in the database, without storing anything: the findings (errors would be a reasoned
    rejection, warnings are noted) and the row errors of documents that cannot be read."""
    with deps.read(request) as s:
        amap = cand.alliances(s) | {a.id: frozenset(a.parties) for a in body.alliances}
        found, errors = cand.check_documents(_docs(body.filings), cand.seats_by_constituency(s),
                                             cand.polling_date(s), amap)
    bad = bool(errors) or any(f.level.value == "error" for f in found)
    return FilingsCheckOut(filings=len(body.filings), acceptable=not bad,
                    findings=findings_out(found),
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


def filing_out(r: Any) -> FilingOut:
    """A stored filing (``services.candidacy.listing``'s rows) as JSON, times in Casablanca."""
    def aware(at: datetime | None) -> datetime | None:
        return None if at is None else cal.local(at.replace(tzinfo=UTC))

    return FilingOut(id=r.id, constituency=r.constituency_id, receipt=r.arrival,
                     status=r.status, number=r.number, kind=r.kind, party=r.party,
                     name=r.name, filed_at=aware(r.filed_at) or r.filed_at,
                     decided_at=aware(r.decided_at), reasons=list(r.reasons),
                     notes=list(r.notes), replaced_by=r.replaced_by,
                     attached_withdrawn=r.attached_withdrawn, ineligible=list(r.ineligible))


@router.post("/candidacies", tags=["candidacies"], response_model=list[FilingOut],
             status_code=201)
def deposit(body: DepositIn, request: Request, p: Clerk) -> list[FilingOut]:
    """Deposit filings, all or nothing: each gets a provisional receipt numbered by arrival in
    its constituency (art. 9 §2); an unreadable document, an unknown constituency, a used id
    or a deposit after the deadline (12:00 on D−14) refuses them all (422 ``E-IMP-001`` with
    every row error)."""
    with deps.write(request) as s:
        rows = cand.file_documents(s, p.id, _docs(body.filings), _alliances(body.alliances),
                                   deps.when_opt(body.at, "at"))
        return [filing_out(r) for r in rows]


@router.post("/candidacies/import", tags=["candidacies"], response_model=list[FilingOut],
             status_code=201)
async def import_filings(request: Request, p: Clerk,
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
        with deps.write(request) as s:
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
        deps.see(p, constituency)
    with deps.read(request) as s:
        rows = cand.listing(s)
        return [filing_out(r) for r in rows
                if (constituency is None or r.constituency_id == constituency)
                and (status is None or r.status == status) and p.can_see(r.constituency_id)]


def _filing(s: Session, p: Principal, fid: str) -> Any:
    """The filing ``fid`` (404 ``E-API-004``), if ``p`` may see its constituency."""
    with deps.unseen(p):
        row = web_support.filing(s, fid)
    deps.see(p, row.constituency_id)
    return row


class FilingDetail(FilingOut):
    document: dict[str, Any]


@router.get("/candidacies/{filing}", tags=["candidacies"], response_model=FilingDetail)
def get_filing(filing: Id, request: Request,
               p: Annotated[Principal, Depends(require(*READERS))]) -> FilingDetail:
    """One filing with the document as deposited."""
    with deps.read(request) as s:
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


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filings: list[Id] | None = Field(None, max_length=2000,
                                     description="only these (default: every provisional one)")
    at: When | None = Field(None, description="when the decision is made (default: now)")


@router.post("/candidacies/decide", tags=["candidacies"], response_model=list[RegistrationOut])
def decide(body: DecideIn, request: Request, p: Decider) -> list[RegistrationOut]:
    """The authority decides the provisional filings in arrival order: the final receipt with
    its registration number, or a rejection reasoned by the blocking codes (art. 9 §2–3)."""
    with deps.write(request) as s:
        for fid in body.filings or ():
            _filing(s, p, fid)
        return [registration_out(r) for r in
                cand.decide(s, p.id, deps.when_opt(body.at, "at"), body.filings)]


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: list[Annotated[str, Field(max_length=20)]] = Field(
        min_length=1, max_length=50, description="catalogue codes (E-CAND-…)")
    at: When | None = None


@router.post("/candidacies/{filing}/reject", tags=["candidacies"],
             response_model=RegistrationOut)
def reject(filing: Id, body: RejectIn, request: Request, p: Decider) -> RegistrationOut:
    """A reasoned rejection, also after the final receipt (art. 8 §5, art. 9 §3)."""
    with deps.write(request) as s:
        _filing(s, p, filing)
        return registration_out(
            cand.reject(s, p.id, filing, body.reasons, deps.when_opt(body.at, "at")))


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: list[Id] = Field(min_length=1, max_length=200, description=(
        "national ids of who withdraws (the list agent or the candidate)"))
    attached: bool = Field(False, description="only the attached seat's woman withdraws her "
                                              "own candidacy (art. 134)")
    at: When | None = Field(None, description="when the withdrawal is received (default: now)")


@router.post("/candidacies/{filing}/withdraw", tags=["candidacies"],
             response_model=RegistrationOut)
def withdraw(filing: Id, body: WithdrawIn, request: Request, p: Clerk) -> RegistrationOut:
    """Record a withdrawal, only before the filing deadline (art. 134; guide ch. 3.2)."""
    act = cand.withdraw_attached if body.attached else cand.withdraw
    with deps.write(request) as s:
        _filing(s, p, filing)
        return registration_out(act(s, p.id, filing, body.by, deps.when_opt(body.at, "at")))


class IneligibleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    national_id: Id


@router.post("/candidacies/{filing}/ineligible", tags=["candidacies"],
             response_model=RegistrationOut)
def ineligible(filing: Id, body: IneligibleIn, request: Request, p: Decider
               ) -> RegistrationOut:
    """A registered list's candidate proves ineligible: the list stays valid (art. 8, last
    paragraph)."""
    with deps.write(request) as s:
        _filing(s, p, filing)
        return registration_out(cand.mark_ineligible(s, p.id, filing, body.national_id))


class PublishOut(BaseModel):
    published: int


@router.post("/candidacies/publish", tags=["candidacies"], response_model=PublishOut)
def publish(request: Request, p: Decider) -> PublishOut:
    """Write every registered filing into the candidacies the minutes and the allocation use,
    in ballot order (art. 11)."""
    with deps.write(request) as s:
        return PublishOut(published=len(cand.publish(s, p.id)))
