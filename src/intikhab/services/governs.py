"""Who governs a council, for the public portal: its bureau (president and party,
vice-presidents, secretary and deputy: laws 111.14, 112.14, 113.14) and how the council sits —
a divided commune's arrondissement councils, an arrondissement council's communal members and
own councillors out of its seats (art. 128 and art. 141 §1 item 2 of law 59.11 as amended), a
prefecture or province council's indirect result (art. 102–103).  Read-only; declared results
and recorded bureaus only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult
from intikhab.services import bureaus, indirect, portal
from intikhab.services.bureaus import Bureau
from intikhab.store.models import Constituency, Prefecture, Region

__all__ = ["Composition", "Governs", "PrefectureView", "composition", "governs",
           "prefecture_councils", "prefecture_view"]


@dataclass(frozen=True, slots=True)
class Composition:
    """An arrondissement council's seats: its members of the commune council and its own
    arrondissement councillors (art. 141 §1 item 2)."""

    communal: int
    own: int

    @property
    def total(self) -> int:
        return self.communal + self.own


@dataclass(frozen=True, slots=True)
class Governs:
    """What a council page shows beside its result: the bureau (``None`` before its session),
    the divided commune's arrondissement councils, an arrondissement council's commune and
    composition."""

    bureau: Bureau | None
    arrondissements: tuple[tuple[str, str], ...] = ()
    commune: tuple[str, str] | None = None
    composition: Composition | None = None


def composition(session: Session, constituency: str) -> Composition | None:
    """The seat groups of an arrondissement's contest, by council (art. 141 §1 item 2)."""
    c = session.get(Constituency, constituency)
    if c is None:
        return None
    communal = own = 0
    for g in c.groups or ():
        if g.get("council") == "arrondissement":
            own += int(g["seats"])
        else:
            communal += int(g["seats"])
    return Composition(communal, own)


def governs(session: Session, where: portal.Place, lang: str = "ar") -> Governs:
    """Who governs the council ``where`` and how it sits.  Arrondissement councils have no
    bureau here (the seeds give no rule for electing their president)."""
    if where.kind == "arrondissement_council" and where.commune_id is not None:
        home = portal.place(session, where.commune_id, lang)
        return Governs(None, (), (where.commune_id, home.name if home else where.commune_id),
                       composition(session, where.id))
    return Governs(bureaus.bureau_of(session, where.id),
                   tuple(portal.arrondissements(session, where.id, lang))
                   if where.kind == "commune_council" else ())


@dataclass(frozen=True, slots=True)
class PrefectureView:
    """A prefecture or province council (elected by its college, art. 102): its name, region,
    declared result and bureau."""

    id: str
    name: str
    region_id: str
    region: str
    result: CouncilResult
    bureau: Bureau | None


def prefecture_view(session: Session, pid: str, lang: str = "ar") -> PrefectureView | None:
    """The prefecture or province council ``pid`` (``None``: no such prefecture)."""
    p = session.get(Prefecture, pid)
    if p is None:
        return None
    region = session.get(Region, p.region_id)
    return PrefectureView(p.id, portal.name_in(p, lang), p.region_id,
                          portal.name_in(region, lang) if region else "",
                          indirect.prefecture_result(session, pid), bureaus.bureau_of(session, pid))


def prefecture_councils(session: Session, lang: str = "ar"
                        ) -> list[tuple[str, str, CouncilResult]]:
    """Every prefecture and province council: (id, name in ``lang``, declared result), by
    name."""
    found = indirect.latest_indirect(session, declared=True)
    out = [(p.id, portal.name_in(p, lang),
            indirect.prefecture_result(session, p.id) if p.id in found
            else CouncilResult(p.id, "prefectural", 0, 0, 1, 0, 0, (), "prefecture_council"))
           for p in session.scalars(select(Prefecture))]
    return sorted(out, key=lambda x: x[1])


def prefecture_names(session: Session, pid: str) -> tuple[str, str] | None:
    """A prefecture or province's names (Arabic, French — the Arabic one where no French name
    was loaded), or None when there is no such unit."""
    p = session.get(Prefecture, pid)
    return None if p is None else (p.name, p.name_fr or p.name)
