"""Morocco's territorial units and the size of each one's council (التقسيم الترابي والمجالس).

The units — regions (الجهات), prefectures, provinces and prefectures of arrondissements
(العمالات والأقاليم وعمالات المقاطعات), communes (الجماعات) and the arrondissements of the six
divided communes (المقاطعات) — are identified by their HCP code, which is the hierarchy
(``01.511.01.0`` is a commune of prefecture ``01.511`` in region ``01``).  They carry the legal
population of one census; :mod:`intikhab.services.territory` builds them from the HCP figures.

The sizes come from :mod:`intikhab.law.councils` (organic law 59.11 as amended by 34.15 and
06.21); this module only applies those rules to every unit, and adds the two splits the law
leaves to decrees, with a method of our own that approximates them:

- the region's seats among its prefectures/provinces/prefectures of arrondissements (art. 77,
  decree 2.15.576, "taking their legal population into account"): :func:`split_seats` with
  :data:`REGION_MIN_SEATS` seats each, the rest by largest remainder on population;
- a divided commune's seats among its arrondissements (art. 128, decree 2.21.508):
  :func:`split_seats` with :data:`ARRONDISSEMENT_MIN_SEATS` each, the rest likewise.

Those two splits are **approximations**: the decrees' figures are not in the sources.

Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Final

from intikhab.law.allocation import largest_remainder
from intikhab.law.councils import (
    Mode,
    arrondissement_seats,
    commune_council,
    divided_commune_council_size,
    prefecture_council_size,
    prefecture_mode,
    region_constituency,
    region_council_size,
)
from intikhab.law.errors import InputError

__all__ = [
    "ARRONDISSEMENT_MIN_SEATS",
    "REGION_MIN_SEATS",
    "Arrondissement",
    "Commune",
    "ConstituencySeats",
    "CouncilSeats",
    "Level",
    "Prefecture",
    "PrefectureKind",
    "Region",
    "Territory",
    "Unit",
    "commune_seats",
    "council",
    "councils",
    "level_of",
    "prefecture_seats",
    "region_seats",
    "split_seats",
]

#: Seats every region constituency gets before the rest is shared by population (our
#: approximation of decree 2.15.576, art. 77): three, so that each has at least one women's
#: seat (art. 76 §3) and two general seats.
REGION_MIN_SEATS: Final = 3
#: Communal-council seats every arrondissement gets before the rest is shared by population (our
#: approximation of decree 2.21.508, art. 128): five, so that the three women's seats art. 128
#: bis requires in each arrondissement leave general seats.
ARRONDISSEMENT_MIN_SEATS: Final = 5


class PrefectureKind(StrEnum):
    """The three kinds of unit between the region and the commune (art. 76 §2)."""

    PREFECTURE = "prefecture"  # عمالة
    PROVINCE = "province"  # إقليم
    PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements"  # عمالة مقاطعات


class Level(StrEnum):
    """The kind of a unit, as the CLI and the summary name it."""

    REGION = "region"
    PREFECTURE = "prefecture"
    PROVINCE = "province"
    PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements"
    COMMUNE = "commune"
    DIVIDED_COMMUNE = "divided_commune"
    ARRONDISSEMENT = "arrondissement"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_ar: str
    name_fr: str
    population: int


@dataclass(frozen=True, slots=True)
class Prefecture:
    """A prefecture, province or prefecture of arrondissements; ``parent`` is the prefecture a
    prefecture of arrondissements belongs to (Casablanca's eight belong to ``06.141``)."""

    code: str
    name_ar: str
    name_fr: str
    kind: PrefectureKind
    region: str
    population: int
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune; ``divided`` when it has arrondissements (art. 128).  ``population_census`` is
    the census the figure comes from (another than the territory's when that one has none)."""

    code: str
    name_ar: str
    name_fr: str
    region: str
    prefecture: str
    population: int
    divided: bool = False
    urban: bool = False
    population_census: int = 0


@dataclass(frozen=True, slots=True)
class Arrondissement:
    """An arrondissement of a divided commune; ``prefecture`` is the prefecture of
    arrondissements it lies in (Casablanca) or its commune's prefecture (the five others)."""

    code: str
    name_ar: str
    name_fr: str
    commune: str
    prefecture: str
    population: int


Unit = Region | Prefecture | Commune | Arrondissement
_INNER: Final = PrefectureKind.PREFECTURE_OF_ARRONDISSEMENTS


@dataclass(frozen=True, slots=True)
class ConstituencySeats:
    """One constituency of a council: a region's prefecture/province (art. 76 §2) or a divided
    commune's arrondissement (art. 129 §2) — its communal-council seats only."""

    code: str
    population: int
    seats: int
    women_seats: int
    general_seats: int
    mode: Mode


@dataclass(frozen=True, slots=True)
class CouncilSeats:
    """A council's composition.  ``seats`` are the members in office; ``women_seats`` those
    reserved to women (deducted for list votes; attached for single-member communes, art. 128
    bis), ``None`` where the sources do not give them (prefecture/province councils)."""

    code: str
    level: Level
    population: int
    seats: int
    women_seats: int | None
    general_seats: int | None
    mode: Mode
    articles: str
    constituencies: tuple[ConstituencySeats, ...] = ()


@dataclass(frozen=True)
class Territory:
    """The whole territory for one census, with lookups by code."""

    census: int
    regions: tuple[Region, ...]
    prefectures: tuple[Prefecture, ...]
    communes: tuple[Commune, ...]
    arrondissements: tuple[Arrondissement, ...]

    @cached_property
    def _index(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units()}

    def units(self) -> Iterator[Unit]:
        yield from self.regions
        yield from self.prefectures
        yield from self.communes
        yield from self.arrondissements

    def unit(self, code: str) -> Unit:
        """The unit of an HCP code; ``E-TERR-001`` when there is none."""
        try:
            return self._index[code]
        except KeyError:
            raise InputError("E-TERR-001", field="code", value=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._index

    @cached_property
    def _children(self) -> dict[str, tuple[Unit, ...]]:
        out: dict[str, list[Unit]] = {}
        for p in self.prefectures:
            out.setdefault(p.parent or p.region, []).append(p)
        for c in self.communes:
            out.setdefault(c.prefecture, []).append(c)
        for a in self.arrondissements:
            out.setdefault(a.commune, []).append(a)
        return {k: tuple(v) for k, v in out.items()}

    def children(self, code: str) -> tuple[Unit, ...]:
        """The units directly under ``code`` (a region's prefectures and provinces, a
        prefecture's communes and prefectures of arrondissements, a commune's arrondissements)."""
        return self._children.get(code, ())

    def communes_of(self, prefecture: str) -> tuple[Commune, ...]:
        return tuple(c for c in self.children(prefecture) if isinstance(c, Commune))

    def constituencies(self, region: str) -> tuple[Prefecture, ...]:
        """A region's constituencies (art. 76 §2): its prefectures and provinces, a prefecture
        divided into prefectures of arrondissements being replaced by them."""
        out: list[Prefecture] = []
        for p in self.children(region):
            assert isinstance(p, Prefecture)
            inner = [q for q in self.children(p.code) if isinstance(q, Prefecture)]
            out += inner or [p]
        return tuple(out)


def level_of(unit: Unit) -> Level:
    """The :class:`Level` a unit is shown as."""
    if isinstance(unit, Region):
        return Level.REGION
    if isinstance(unit, Prefecture):
        return Level(unit.kind.value)
    if isinstance(unit, Commune):
        return Level.DIVIDED_COMMUNE if unit.divided else Level.COMMUNE
    return Level.ARRONDISSEMENT


# --- the splits the decrees make -------------------------------------------------------------


def split_seats(seats: int, populations: Sequence[int], minimum: int) -> list[int]:
    """Share ``seats`` among units "taking their legal population into account": ``minimum``
    each, then the rest by quotient and largest remainder on population
    (:func:`~intikhab.law.allocation.largest_remainder`, ties to the earlier unit).

    This is *our* method for what art. 77 (region seats among prefectures/provinces, decree
    2.15.576) and art. 128 (a divided commune's seats among its arrondissements, decree
    2.21.508) leave to decrees; it approximates them.  ``E-TERR-003`` when the seats cannot
    give every unit its minimum.
    """
    n = len(populations)
    if n == 0 or seats < minimum * n or any(p < 0 for p in populations):
        raise InputError("E-TERR-003", field="seats", value=seats, units=n, minimum=minimum)
    rest = largest_remainder(list(populations), seats - minimum * n, sum(populations))
    return [minimum + r for r in rest]


# --- councils ---------------------------------------------------------------------------------


def region_seats(territory: Territory, code: str) -> CouncilSeats:
    """A region council: its size by population (art. 74), shared among its constituencies
    (art. 76 §2, art. 77 — :func:`split_seats`, an approximation of decree 2.15.576), at least a
    third of each constituency's seats reserved to women and list vote, single-member
    plurality for a one-seat constituency (arts. 76 §3, 78)."""
    region = territory.unit(code)
    if not isinstance(region, Region):
        raise InputError("E-TERR-002", field="code", value=code, expected="region")
    size = region_council_size(region.population)
    units = territory.constituencies(code)
    split = split_seats(size, [u.population for u in units], REGION_MIN_SEATS)
    parts = []
    for unit, seats in zip(units, split, strict=True):
        c = region_constituency(seats)
        parts.append(ConstituencySeats(unit.code, unit.population, seats, c.women_seats,
                                       c.general_seats, c.mode))
    women = sum(p.women_seats for p in parts)
    return CouncilSeats(code, Level.REGION, region.population, size, women, size - women,
                        Mode.LIST, "arts. 74, 76, 77, 78 of organic law 59.11", tuple(parts))


def commune_seats(territory: Territory, code: str, rules_year: int = 2021) -> CouncilSeats:
    """A communal council.  Not divided: size by population (art. 127), single-member districts
    up to the art. 130 limit (50,000 in 2021, 35,000 in 2015) with five attached women's seats
    (art. 128 bis §1), list vote above it with a third of the seats deducted for women (art. 128
    bis §2) — :func:`~intikhab.law.councils.commune_council`.  Divided: 81 members + 10 per full
    band of 250,000 beyond 750,000, at most 131 (art. 128), shared among the arrondissements
    (:func:`split_seats`, an approximation of decree 2.21.508), a third of each arrondissement's
    communal seats and at least three reserved to women (art. 128 bis), list vote."""
    commune = territory.unit(code)
    if not isinstance(commune, Commune):
        raise InputError("E-TERR-002", field="code", value=code, expected="commune")
    if not commune.divided:
        c = commune_council(commune.population, rules_year)
        women = c.women_seats + c.attached_women_seats
        return CouncilSeats(code, Level.COMMUNE, commune.population, c.total, women,
                            c.general_seats, c.mode, "arts. 127, 128 bis, 130 of organic law 59.11")
    size = divided_commune_council_size(commune.population)
    arrs = territory.children(code)
    split = split_seats(size, [a.population for a in arrs], ARRONDISSEMENT_MIN_SEATS)
    parts = []
    for arr, seats in zip(arrs, split, strict=True):
        # the communal part does not depend on the arrondissement-council seats (not modelled)
        a = arrondissement_seats(seats, 1)
        parts.append(ConstituencySeats(arr.code, arr.population, seats, a.communal_women,
                                       a.communal_general, Mode.LIST))
    women = sum(p.women_seats for p in parts)
    return CouncilSeats(code, Level.DIVIDED_COMMUNE, commune.population, size, women,
                        size - women, Mode.LIST, "arts. 128, 128 bis, 129 of organic law 59.11",
                        tuple(parts))


def prefecture_seats(territory: Territory, code: str, rules_year: int = 2021) -> CouncilSeats:
    """A prefecture or province council: size by population (art. 103), never more than half
    the members of its communes' councils; elected indirectly by them, list vote with largest
    remainder, plurality for a single seat (art. 102).  The sources give no women's share for
    these councils: ``women_seats`` is ``None``.  A prefecture of arrondissements has no council
    (it is a region constituency only): ``E-TERR-002``."""
    unit = territory.unit(code)
    if not isinstance(unit, Prefecture) or unit.kind is _INNER:
        raise InputError("E-TERR-002", field="code", value=code, expected="prefecture or province")
    councillors = sum(commune_seats(territory, c.code, rules_year).seats
                      for c in territory.communes_of(code))
    size = prefecture_council_size(unit.population, councillors)
    return CouncilSeats(code, Level(unit.kind.value), unit.population, size, None, None,
                        prefecture_mode(size), "arts. 102, 103 of organic law 59.11")


def council(territory: Territory, code: str, rules_year: int = 2021) -> CouncilSeats | None:
    """The council of the unit ``code``; ``None`` for a unit without a council of its own (a
    prefecture of arrondissements; an arrondissement, whose seats are in its commune's)."""
    unit = territory.unit(code)
    if isinstance(unit, Region):
        return region_seats(territory, code)
    if isinstance(unit, Commune):
        return commune_seats(territory, code, rules_year)
    if isinstance(unit, Prefecture) and unit.kind is not _INNER:
        return prefecture_seats(territory, code, rules_year)
    return None


def councils(territory: Territory, rules_year: int = 2021) -> dict[str, CouncilSeats]:
    """Every council of the territory, by code (regions, prefectures/provinces, communes)."""
    out: dict[str, CouncilSeats] = {}
    for unit in territory.units():
        c = council(territory, unit.code, rules_year)
        if c is not None:
            out[unit.code] = c
    return out
