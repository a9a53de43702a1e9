"""What the portal's maps show, by region or by prefecture/province: each area's seats and votes
by party in the regional vote (declared results only, art. 24 of law 59.11 as amended), its
registered voters and voters (turnout), and its counting progress (polling stations whose
minutes are accepted after double entry, out of its stations).

Areas are keyed by HCP code, as :mod:`intikhab.services.maps` draws them: a region ``07``; a
prefecture/province ``07.427`` — a regional constituency ``<region>/<code>`` counts for the
area ``code[:6]`` (Casablanca's eight prefectures of arrondissements, ``06.141.xx``, are the
one area ``06.141`` of the boundaries).  The fills (:func:`fills`) are integer bands: no float
decides a colour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.outcome import read_figures, read_outcome
from intikhab.services import results
from intikhab.services.maps import Fill, MapLevel
from intikhab.store.models import Candidacy, Constituency, MinuteState, Prefecture, Region, Station

__all__ = ["METRICS", "AreaFigures", "Metric", "area_of", "figures", "fills", "names"]

Metric = Literal["party", "turnout", "progress"]
METRICS: Final[tuple[Metric, ...]] = ("party", "turnout", "progress")

#: Turnout bands (percent, lower bound included) and their colours, light to dark.
TURNOUT_BANDS: Final = ((0, "#f1eef6"), (30, "#bdc9e1"), (40, "#74a9cf"), (50, "#2b8cbe"),
                        (60, "#045a8d"))
#: Counting progress bands (percent of stations counted) and their colours.
PROGRESS_BANDS: Final = ((0, "#fee5d9"), (25, "#fcae91"), (50, "#fb6a4a"), (75, "#de2d26"),
                         (100, "#238b45"))


@dataclass(slots=True)
class AreaFigures:
    """One area's figures (regional vote)."""

    code: str
    seats: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    registered: int = 0
    voters: int = 0
    stations: int = 0
    counted: int = 0

    def leader(self) -> str | None:
        """The party with the most seats (then votes, then id); ``None`` before any seat."""
        ranked = sorted((p for p, n in self.seats.items() if n > 0),
                        key=lambda p: (-self.seats[p], -self.votes.get(p, 0), p))
        return ranked[0] if ranked else None


def area_of(level: MapLevel, constituency: str, council: str) -> str:
    """The map area a regional constituency counts for: its region, or its prefecture's HCP
    code (``<region>/<code>`` → ``code[:6]``)."""
    if level == "region":
        return council
    return constituency.rpartition("/")[2][:6]


def figures(session: Session, level: MapLevel) -> dict[str, AreaFigures]:
    """Every area's figures at ``level``, from the regional constituencies."""
    cons: dict[str, str] = {cid: council for cid, council in session.execute(
        select(Constituency.id, Constituency.council).where(Constituency.vote == "regional"))}
    out: dict[str, AreaFigures] = {}

    def at(cid: str) -> AreaFigures:
        code = area_of(level, cid, cons[cid])
        return out.setdefault(code, AreaFigures(code))

    party_of: dict[tuple[str, str], str | None] = {
        (cid, code): party for cid, code, party in session.execute(
            select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
            .where(Candidacy.constituency_id.in_(list(cons))))}
    for cid, r in results.latest_results(session, list(cons), declared=True).items():
        if cid not in cons:
            continue
        area, f = at(cid), read_figures(r.figures)
        area.registered += f.registered
        area.voters += f.voters
        for row in f.rows:
            party = party_of.get((cid, row.id)) or row.id
            area.votes[party] = area.votes.get(party, 0) + row.votes
        for code, n in read_outcome(r.outcome).seats_by_code().items():
            party = party_of.get((cid, code)) or code
            area.seats[party] = area.seats.get(party, 0) + n
    counted: dict[str, int] = defaultdict(int)
    for cid, n in session.execute(
            select(MinuteState.constituency_id, func.count()).where(
                MinuteState.vote == "regional", MinuteState.status == "accepted")
            .group_by(MinuteState.constituency_id)):
        counted[cid] = n
    for cid, n in session.execute(select(Station.regional_constituency_id, func.count())
                                  .group_by(Station.regional_constituency_id)):
        if cid in cons:
            at(cid).stations += n
            at(cid).counted += counted.get(cid, 0)
    return out


def names(session: Session) -> dict[str, tuple[str, str]]:
    """``(name_ar, name_fr)`` of every region and prefecture/province by id (HCP code)."""
    out: dict[str, tuple[str, str]] = {}
    for unit in (*session.scalars(select(Region)), *session.scalars(select(Prefecture))):
        out[unit.id] = (unit.name, unit.name_fr or unit.name)
    return out


def _band(value: int, total: int, bands: tuple[tuple[int, str], ...], top: str
          ) -> tuple[str, str]:
    """The band of ``value / total`` (integer comparison: ``100 × value ≥ bound × total``)."""
    chosen = 0
    for i, (bound, _c) in enumerate(bands):
        if 100 * value >= bound * total:
            chosen = i
    bound, colour = bands[chosen]
    if chosen + 1 < len(bands):
        return colour, f"{bound}–{bands[chosen + 1][0]} %"
    return colour, f"{top}{bound} %"


def fills(data: Mapping[str, AreaFigures], metric: Metric,
          colour_of: Mapping[str, str], party_name: Callable[[str], str]
          ) -> dict[str, Fill | None]:
    """Each area's fill for ``metric``: the leading party's colour and name, the turnout band,
    the counting-progress band (``100 %``: every station counted); ``None``: no data yet."""
    out: dict[str, Fill | None] = {}
    for code, area in data.items():
        if metric == "party":
            leader = area.leader()
            out[code] = (None if leader is None
                         else Fill(colour_of.get(leader, "#888888"), party_name(leader)))
        elif metric == "turnout":
            out[code] = (None if not area.registered else
                         Fill(*_band(area.voters, area.registered, TURNOUT_BANDS, "≥ ")))
        else:
            if not area.stations:
                out[code] = None
            elif area.counted >= area.stations:
                out[code] = Fill(PROGRESS_BANDS[-1][1], "100 %")
            else:
                colour, label = _band(area.counted, area.stations, PROGRESS_BANDS[:-1], "")
                if label.endswith("75 %") and label.startswith("75"):
                    label = "75–100 %"
                out[code] = Fill(colour, label)
    return out
