"""``/api/v1/campaign/places``, ``/campaign/check``: the campaign rules as checks before the
act (guide ch. 4): posters (decree 2.15.578 art. 1, art. 38 of law 59.11), premises (decree
2.15.578 art. 3), meetings (dahir 1.58.377), processions (art. 37), public halls (order
3136.11).  Public; nothing is stored."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from intikhab.law import campaign
from intikhab.web import deps
from intikhab.web.api.common import FindingOut, findings_out, new_router
from intikhab.web.deps import When

router = new_router()


class PlaceOut(BaseModel):
    id: str
    ar: str
    fr: str


@router.get("/campaign/places", tags=["campaign"], response_model=list[PlaceOut])
def poster_places() -> list[PlaceOut]:
    """The nine places where election posters are forbidden (decree 2.15.578 art. 1)."""
    return [PlaceOut(id=p.value, ar=p.ar, fr=p.fr) for p in campaign.PosterPlace]


Mm = Annotated[int, Field(ge=1, le=100_000, strict=True)]
Count = Annotated[int, Field(ge=0, le=10_000, strict=True)]


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
    findings: list[FindingOut]


def _meeting(m: MeetingIn) -> list[Any]:
    return campaign.check_meeting(campaign.Meeting(
        deps.when(m.starts, "meeting.starts"), deps.when(m.ends, "meeting.ends"),
        deps.when(m.declared_end, "meeting.declared_end"),
        deps.when_opt(m.receipt_at, "meeting.receipt_at"),
        deps.when_opt(m.letter_at, "meeting.letter_at"),
        m.public_road, m.bureau, m.signatories))


def _procession(r: ProcessionIn) -> list[Any]:
    return campaign.check_procession(
        deps.when(r.notice_at, "procession.notice_at"),
        deps.when_opt(r.starts, "procession.starts"), deps.when_opt(r.ends, "procession.ends"),
        r.route)


def _hall(h: HallIn) -> list[Any]:
    return campaign.check_hall_request(
        deps.when(h.requested_at, "hall.requested_at"),
        deps.when(h.activity_at, "hall.activity_at"), during_campaign=h.during_campaign,
        answered_at=deps.when_opt(h.answered_at, "hall.answered_at"),
        as_of=deps.when_opt(h.as_of, "hall.as_of"))


def campaign_findings(body: CampaignIn) -> list[Any]:
    """Every campaign check the body asks for, in the order poster, premises, meeting,
    procession, public hall."""
    found: list[Any] = []
    if body.poster is not None:
        p = body.poster
        found += campaign.check_poster(p.place, p.width_mm, p.height_mm, p.colours)
    if body.premises is not None:
        found += campaign.check_premises(body.premises)
    if body.meeting is not None:
        found += _meeting(body.meeting)
    if body.procession is not None:
        found += _procession(body.procession)
    if body.hall is not None:
        found += _hall(body.hall)
    return found


@router.post("/campaign/check", tags=["campaign"], response_model=ChecksOut)
def check_campaign(body: CampaignIn) -> ChecksOut:
    """Check campaign acts before doing them (nothing is stored): a poster's place, size (A0)
    and colours, the number of premises, a meeting declaration, a procession notice, a
    public-hall request."""
    found = campaign_findings(body)
    return ChecksOut(ok=not found, findings=findings_out(found))
