"""The election campaign's rules as checks (guide ch. 4).

Each check takes what an administration (or a candidate checking ahead) knows about one act —
a poster, a meeting declaration, a procession notice, a public-hall request — and returns the
list of :class:`~intikhab.law.errors.Finding` it breaks (empty: compliant).  Times are aware
datetimes (Casablanca, see :mod:`intikhab.law.calendar`).  Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final, TypeVar

from intikhab.law.calendar import at, campaign_window, fmt, hours_after, local
from intikhab.law.errors import Finding, InputError

A0_MM: Final = (841, 1189)  # 84.1 × 118.9 cm (guide ch. 4.1)
MAX_PREMISES: Final = 2  # decree 2.15.578 art. 3 §3
E = TypeVar("E", bound=StrEnum)


class PosterPlace(StrEnum):
    """The nine places where election posters are forbidden (decree 2.15.578 art. 1)."""

    WORSHIP = "worship"
    SHRINES_CEMETERIES = "shrines_cemeteries"
    PUBLIC_BUILDINGS = "public_buildings"
    EDUCATION_INTERIOR = "education_interior"
    MONUMENTS = "monuments"
    MOBILE_MASTS = "mobile_masts"
    ROAD_SIGNS = "road_signs"
    BILLBOARDS = "billboards"
    TREES = "trees"

    @property
    def ar(self) -> str:
        return _PLACES[self][0]

    @property
    def fr(self) -> str:
        return _PLACES[self][1]


_PLACES: Final[dict[PosterPlace, tuple[str, str]]] = {
    PosterPlace.WORSHIP: ("أماكن العبادة وملحقاتها", "Lieux de culte et leurs dépendances"),
    PosterPlace.SHRINES_CEMETERIES: ("الأضرحة والزوايا وأسوار المقابر",
                                     "Mausolées, zaouïas et murs des cimetières"),
    PosterPlace.PUBLIC_BUILDINGS: (
        "المباني الحكومية والمرافق العمومية والمؤسسات ومصالح الجماعات الترابية",
        "Bâtiments de l'État, services et établissements publics, services des collectivités "
        "territoriales"),
    PosterPlace.EDUCATION_INTERIOR: (
        "الفضاءات الداخلية للجامعات والكليات والمعاهد والمدارس العمومية ومؤسسات التكوين المهني "
        "والمرافق الاجتماعية والرياضية والثقافية غير الإدارية",
        "Espaces intérieurs des universités, facultés, instituts, écoles publiques, "
        "établissements de formation professionnelle et équipements sociaux, sportifs et "
        "culturels non administratifs"),
    PosterPlace.MONUMENTS: ("الآثار التاريخية والأسوار العتيقة",
                            "Monuments historiques et remparts anciens"),
    PosterPlace.MOBILE_MASTS: ("محطات الربط بشبكات الهاتف النقال",
                               "Stations relais de téléphonie mobile"),
    PosterPlace.ROAD_SIGNS: ("أعمدة التشوير الطرقي", "Poteaux de signalisation routière"),
    PosterPlace.BILLBOARDS: ("اللوحات الإشهارية التجارية", "Panneaux publicitaires commerciaux"),
    PosterPlace.TREES: ("الأشجار", "Arbres"),
}


class Colour(StrEnum):
    """Colours a candidate's material may use; red and green are banned, alone or together
    (art. 38, law 59.11 as amended)."""

    RED = "red"
    GREEN = "green"
    OTHER = "other"


BANNED_COLOURS: Final = frozenset({Colour.RED, Colour.GREEN})
_COLOUR_NAMES: Final = {Colour.RED: "الأحمر / rouge / red", Colour.GREEN: "الأخضر / vert / green"}


def _enum(kind: type[E], value: str | E, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise InputError("E-CAMP-006", field=field, value=value,
                         expected=" | ".join(m.value for m in kind)) from None


def check_poster(place: PosterPlace | str | None = None, width_mm: int | None = None,
                 height_mm: int | None = None,
                 colours: Iterable[Colour | str] = ()) -> list[Finding]:
    """A poster: not on one of the nine forbidden places (decree 2.15.578 art. 1), at most A0 in
    either orientation (guide ch. 4.1), no red and no green, alone or combined (art. 38, law
    59.11 as amended).  ``place=None`` is a place not on the list."""
    out: list[Finding] = []
    if place is not None:
        p = _enum(PosterPlace, place, "place")
        out.append(Finding("E-CAMP-001", "place", {"place": f"{p.ar} / {p.fr}"}))
    if width_mm is not None and height_mm is not None:
        small, large = sorted((width_mm, height_mm))
        if small > A0_MM[0] or large > A0_MM[1]:
            out.append(Finding("E-CAMP-002", "size", {"width": width_mm, "height": height_mm}))
    used = {_enum(Colour, c, "colours") for c in colours}
    out += [Finding("E-CAMP-003", "colours", {"colour": _COLOUR_NAMES[c]})
            for c in sorted(used & BANNED_COLOURS)]
    return out


def check_premises(count: int) -> list[Finding]:
    """Banners only at the party branch and at no more than two campaign premises per
    candidate (decree 2.15.578 art. 3 §3)."""
    return [Finding("E-CAMP-004", "premises", {"count": count})] if count > MAX_PREMISES else []


def check_removal_after_warning(warned_at: datetime, removed_at: datetime | None,
                                as_of: datetime) -> list[Finding]:
    """A poster in a forbidden place is removed within 24 h of the authority's warning (or of
    the complaint), else the authority removes it at the candidate's cost (decree 2.15.578
    art. 2).  ``removed_at=None``: not removed as of ``as_of``."""
    bound = hours_after(warned_at, 24)
    done = local(removed_at) if removed_at is not None else local(as_of)
    late = done > bound
    return [Finding("E-CAMP-005", "removed_at", {"bound": fmt(bound)})] if late else []


@dataclass(frozen=True, slots=True)
class Meeting:
    """An election meeting's declaration (dahir 1.58.377 on public gatherings, as amended)."""

    starts: datetime
    ends: datetime
    declared_end: datetime
    receipt_at: datetime | None = None  # receipt handed by the authority
    letter_at: datetime | None = None  # or registered letter sent
    public_road: bool = False
    bureau: int = 3  # chair + members
    signatories: int = 3


def check_meeting(m: Meeting) -> list[Finding]:
    """Held ≥24 h after the receipt or ≥48 h after the registered letter (art. 3), not on a
    public road and not past midnight nor the declared end (art. 4), a bureau of a chair and two
    members (art. 5), a declaration signed by three residents (art. 3 §1) — dahir 1.58.377."""
    out: list[Finding] = []
    starts = local(m.starts)
    bounds = [hours_after(t, h) for t, h in ((m.receipt_at, 24), (m.letter_at, 48))
              if t is not None]
    earliest = min(bounds) if bounds else None
    if earliest is None or starts < earliest:
        out.append(Finding("E-CAMP-010", "starts", {"bound": fmt(earliest) or "—"}))
    if m.public_road:
        out.append(Finding("E-CAMP-011", "place"))
    midnight = at(starts.date(), 24)
    if local(m.ends) > midnight:
        out.append(Finding("E-CAMP-012", "ends", {"bound": fmt(midnight)}))
    if local(m.ends) > local(m.declared_end):
        out.append(Finding("E-CAMP-013", "ends", {"bound": fmt(m.declared_end)}))
    if m.bureau < 3:
        out.append(Finding("E-CAMP-014", "bureau", {"count": m.bureau}))
    if m.signatories < 3:
        out.append(Finding("E-CAMP-015", "signatories", {"count": m.signatories}))
    return out


def check_procession(notice_at: datetime, starts: datetime | None, ends: datetime | None,
                     route: str) -> list[Finding]:
    """A procession or motorcade is notified in writing ≥24 h before it starts, with its start
    and end times and its route (art. 37, law 59.11 as amended)."""
    out: list[Finding] = []
    if starts is None or ends is None or not route.strip():
        out.append(Finding("E-CAMP-021", "notice"))
    if starts is not None and local(notice_at) > hours_after(starts, -24):
        out.append(Finding("E-CAMP-020", "notice_at", {"bound": fmt(hours_after(starts, -24))}))
    return out


def in_campaign(when: datetime, polling_date: date) -> bool:
    """Whether ``when`` falls in the campaign (decrees 2.21.354/2.21.355 art. 3)."""
    opens, closes = campaign_window(polling_date)
    return opens <= local(when) <= closes


def check_hall_request(requested_at: datetime, activity_at: datetime, *,
                       during_campaign: bool, answered_at: datetime | None = None,
                       as_of: datetime | None = None) -> list[Finding]:
    """A State public hall is requested ≥7 days before the activity and answered within 48 h;
    during an election campaign ≥48 h before and answered within 24 h (order 3136.11 arts. 3
    and 10).  A late answer is the authority's failing: a warning."""
    out: list[Finding] = []
    ahead, answer = (48, 24) if during_campaign else (7 * 24, 48)
    bound = hours_after(activity_at, -ahead)
    if local(requested_at) > bound:
        days = "48 ساعة/48 h" if during_campaign else "7 أيام/7 jours/7 days"
        out.append(Finding("E-CAMP-030", "requested_at", {"days": days, "bound": fmt(bound)}))
    due = hours_after(requested_at, answer)
    seen = answered_at or as_of
    if seen is not None and local(seen) > due:
        out.append(Finding("W-CAMP-031", "answered_at", {"hours": answer, "bound": fmt(due)}))
    return out


def check_cancellation(notified_at: datetime, activity_at: datetime) -> list[Finding]:
    """A party cancelling a hall booking notifies it at once, at the latest 24 h before the
    planned date (order 3136.11 art. 5)."""
    bound = hours_after(activity_at, -24)
    late = local(notified_at) > bound
    return [Finding("E-CAMP-032", "notified_at", {"bound": fmt(bound)})] if late else []


def removal_deadline(results_at: datetime) -> datetime:
    """Posters are taken down within 15 days of the results (art. 36, law 59.11 as amended)."""
    return at(local(results_at).date() + timedelta(days=15), 24)
