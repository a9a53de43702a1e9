"""Council sizes, women's seats and modes of election (تأليف المجالس ونمط الاقتراع).

Organic law 59.11 on the election of members of territorial councils, as amended by organic law
34.15 (2015) and organic law 06.21 (2021).  Sources: the 2021 guide (``003_…``, chapter 1.1–1.4,
whose footnotes give the articles) and the essay (``004_…``) for prefecture/province councils and
the pre-2021 (2015) limit for the list vote.  ``docs/councils.md`` lists every table and the
decisions taken where the texts leave room.

Pure module: no I/O.  Every function validates its input and raises
:class:`~intikhab.law.errors.InputError` with ``E-COUNCIL-001`` (population) or
``E-COUNCIL-002`` (seats).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from intikhab.law.errors import InputError
from intikhab.law.rulesets import RULE_SETS

__all__ = [
    "COMMUNE_SIZES",
    "DIVIDED_COMMUNE_BAND",
    "DIVIDED_COMMUNE_BASE",
    "DIVIDED_COMMUNE_BASE_LIMIT",
    "DIVIDED_COMMUNE_MAX",
    "DIVIDED_COMMUNE_STEP",
    "LIST_VOTE_THRESHOLDS",
    "PREFECTURE_SIZES",
    "REGION_SIZES",
    "SINGLE_MEMBER_ATTACHED_WOMEN",
    "ArrondissementSeats",
    "CommuneCouncil",
    "Mode",
    "RegionConstituency",
    "arrondissement_seats",
    "commune_council",
    "divided_commune_council_size",
    "list_vote_threshold",
    "prefecture_council_size",
    "prefecture_mode",
    "region_constituency",
    "region_council_size",
]


class Mode(StrEnum):
    """Mode of election (نمط الاقتراع)."""

    #: الاقتراع باللائحة — list vote, proportional representation by largest remainder,
    #: no panachage, no preferential vote.
    LIST = "list"
    #: الاقتراع الفردي بالأغلبية النسبية في دورة واحدة — single-member plurality, one round.
    SINGLE_MEMBER = "single_member"


# --- tables ------------------------------------------------------------------------------------
# Each table is a tuple of (upper bound of population, inclusive, or None for "above", members).

#: Art. 74: region councils (مجالس الجهات), 33 to 75 members.
REGION_SIZES: Final[tuple[tuple[int | None, int], ...]] = (
    (250_000, 33),
    (1_000_000, 39),
    (1_750_000, 45),
    (2_500_000, 51),
    (3_000_000, 57),
    (3_750_000, 63),
    (4_500_000, 69),
    (None, 75),
)

#: Art. 127: councils of communes not divided into arrondissements (الجماعات غير المقسمة).
COMMUNE_SIZES: Final[tuple[tuple[int | None, int], ...]] = (
    (7_500, 11),
    (12_500, 13),
    (15_000, 15),
    (25_000, 23),
    (50_000, 25),
    (100_000, 31),
    (150_000, 35),
    (200_000, 39),
    (250_000, 43),
    (300_000, 47),
    (350_000, 51),
    (400_000, 55),
    (None, 61),
)

#: Art. 103: prefecture and province councils (مجالس العمالات والأقاليم), before the half cap.
PREFECTURE_SIZES: Final[tuple[tuple[int | None, int], ...]] = (
    (150_000, 11),
    (200_000, 13),
    (300_000, 15),
    (400_000, 17),
    (500_000, 19),
    (600_000, 21),
    (700_000, 23),
    (800_000, 25),
    (900_000, 27),
    (1_000_000, 29),
    (None, 31),
)

#: Art. 130 (as amended): a commune is elected by list vote when its population is *above* this
#: figure, by single-member districts otherwise.  2021: law 06.21; 2015: law 34.15 (the essay).
#: Read from the communal rule sets, which are the one place the figure is kept.
LIST_VOTE_THRESHOLDS: Final[dict[int, int]] = {
    year: limit
    for year, limit in ((2015, RULE_SETS["communal-2015"].list_vote_above),
                        (2021, RULE_SETS["communal-2021"].list_vote_above))
    if limit is not None
}

#: Art. 128 bis §1 (2021): five women's seats attached to the five districts with the most
#: registered voters, in every commune elected by single-member districts.
SINGLE_MEMBER_ATTACHED_WOMEN: Final[int] = 5

#: Art. 128: communes divided into arrondissements (الجماعات المقسمة إلى مقاطعات).
DIVIDED_COMMUNE_BASE: Final[int] = 81
DIVIDED_COMMUNE_BASE_LIMIT: Final[int] = 750_000
DIVIDED_COMMUNE_BAND: Final[int] = 250_000
DIVIDED_COMMUNE_STEP: Final[int] = 10
DIVIDED_COMMUNE_MAX: Final[int] = 131

#: Art. 128 bis: at least three women's communal seats in each arrondissement.
_ARRONDISSEMENT_MIN_COMMUNAL_WOMEN: Final[int] = 3


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionConstituency:
    """One region constituency (a prefecture, province or prefecture of arrondissements).

    ``seats`` is the number the decree gives the constituency; ``women_seats`` the part reserved
    to women (the second part of each list), ``general_seats`` the rest (the first part).
    """

    seats: int
    women_seats: int
    general_seats: int
    mode: Mode


@dataclass(frozen=True, slots=True)
class CommuneCouncil:
    """Composition of the council of a commune not divided into arrondissements.

    - ``members``: the art. 127 figure for the population;
    - ``general_seats``: seats open to every candidate (districts, or the list's first part);
    - ``women_seats``: seats reserved to women *within* ``members`` (list communes, deducted);
    - ``attached_women_seats``: women's seats *added* to ``members`` (single-member communes,
      attached to the five districts with the most registered voters);
    - ``total``: members of the council in office after the vote
      (``general_seats + women_seats + attached_women_seats``).
    """

    population: int
    members: int
    mode: Mode
    general_seats: int
    women_seats: int
    attached_women_seats: int
    total: int


@dataclass(frozen=True, slots=True)
class ArrondissementSeats:
    """Seats elected in one arrondissement of a divided commune (one constituency, art. 129 §2).

    The same vote elects ``communal_*`` members of the communal council and
    ``arrondissement_*`` members of the arrondissement council (مستشارو المقاطعة).
    """

    communal_seats: int
    communal_women: int
    communal_general: int
    arrondissement_seats: int
    arrondissement_women: int
    arrondissement_general: int

    @property
    def arrondissement_council(self) -> int:
        """Size of the arrondissement council: its communal councillors + its own councillors."""
        return self.communal_seats + self.arrondissement_seats


# --- validation --------------------------------------------------------------------------------


def _check_population(population: object, field: str = "population") -> int:
    if isinstance(population, bool) or not isinstance(population, int) or population <= 0:
        raise InputError("E-COUNCIL-001", field=field, value=population)
    return population


def _check_seats(seats: object, field: str = "seats") -> int:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats <= 0:
        raise InputError("E-COUNCIL-002", field=field, value=seats)
    return seats


def _ceil_third(n: int) -> int:
    """One third of ``n``, rounded up to the next whole number (exact integer arithmetic)."""
    return -(-n // 3)


def _lookup(table: tuple[tuple[int | None, int], ...], population: int) -> int:
    for upper, members in table:
        if upper is None or population <= upper:
            return members
    raise AssertionError("table has no open-ended last bracket")  # pragma: no cover


# --- regions -----------------------------------------------------------------------------------


def region_council_size(population: int) -> int:
    """Number of members of a region council for its legal population.

    Art. 74, organic law 59.11 as amended: 33 (≤ 250,000), 39 (≤ 1,000,000), 45 (≤ 1,750,000),
    51 (≤ 2,500,000), 57 (≤ 3,000,000), 63 (≤ 3,750,000), 69 (≤ 4,500,000), 75 above.
    Each bound is inclusive ("does not exceed").  The actual figure is fixed by decree.
    """
    return _lookup(REGION_SIZES, _check_population(population))


def region_constituency(seats: int) -> RegionConstituency:
    """Split of a region constituency's seats between women and the general part.

    Art. 76 §3, organic law 59.11 as amended: at least one third of the seats of each
    constituency is reserved to women; we return that minimum, one third rounded up
    (``ceil(seats / 3)``) — the decree of art. 77 §1 gives each constituency's actual figure.
    Art. 78: list vote by largest remainder, but single-member plurality in one round when the
    constituency elects a single member (art. 78 §2).  E.g. 14 seats → 9 general + 5 women.
    """
    seats = _check_seats(seats)
    women = _ceil_third(seats)
    mode = Mode.SINGLE_MEMBER if seats == 1 else Mode.LIST
    return RegionConstituency(
        seats=seats, women_seats=women, general_seats=seats - women, mode=mode
    )


# --- communes ----------------------------------------------------------------------------------


def list_vote_threshold(rules_year: int) -> int:
    """Population above which a commune's council is elected by list vote.

    Art. 130, organic law 59.11 as amended: 50,000 inhabitants under law 06.21 (2021 rules,
    guide ch. 1.3); 35,000 under law 34.15 (2015 rules, essay on the communal elections).
    Only 2015 and 2021 are known; any other year raises :class:`ValueError`.
    """
    if (
        isinstance(rules_year, int)
        and not isinstance(rules_year, bool)
        and rules_year in LIST_VOTE_THRESHOLDS
    ):
        return LIST_VOTE_THRESHOLDS[rules_year]
    known = ", ".join(str(y) for y in sorted(LIST_VOTE_THRESHOLDS))
    raise ValueError(f"unknown rules year {rules_year!r}; known: {known}")


def commune_council(population: int, rules_year: int = 2021) -> CommuneCouncil:
    """Composition of the council of a commune not divided into arrondissements.

    Art. 127, organic law 59.11 as amended (members by population, bounds inclusive);
    art. 130 (mode: list vote above :func:`list_vote_threshold`, single-member districts
    otherwise); art. 128 bis (women's seats).

    2021 rules (law 06.21):

    - single-member commune: ``members`` districts plus five women's seats attached to the five
      districts with the most registered voters (art. 128 bis §1): e.g. 11 + 5 = 16 in office;
    - list commune: one third of ``members``, rounded up, is reserved to women and *deducted*
      from ``members`` (art. 128 bis §2): e.g. 31 = 20 general + 11 women.

    2015 rules (law 34.15): list vote above 35,000 inhabitants.  Women were then elected in an
    "additional constituency" (دائرة انتخابية إضافية) created over each commune (essay 004),
    but neither source gives how many seats it had, so they are **not modelled**: under 2015
    rules ``women_seats`` and ``attached_women_seats`` are 0, ``general_seats`` = ``members``
    and ``total`` = ``members`` excludes the additional constituency's seats.
    """
    population = _check_population(population)
    threshold = list_vote_threshold(rules_year)
    members = _lookup(COMMUNE_SIZES, population)
    mode = Mode.LIST if population > threshold else Mode.SINGLE_MEMBER
    if rules_year == 2015:
        general, women, attached = members, 0, 0
    elif mode is Mode.LIST:
        women = _ceil_third(members)
        general, attached = members - women, 0
    else:
        general, women, attached = members, 0, SINGLE_MEMBER_ATTACHED_WOMEN
    return CommuneCouncil(
        population=population,
        members=members,
        mode=mode,
        general_seats=general,
        women_seats=women,
        attached_women_seats=attached,
        total=general + women + attached,
    )


def divided_commune_council_size(population: int) -> int:
    """Number of members of the council of a commune divided into arrondissements.

    Art. 128, organic law 59.11 as amended: 81 members up to 750,000 inhabitants, plus 10 "for
    each band of population equal to 250,000" (لكل شريحة سكان تعادل 250000 نسمة), at most 131.
    Only *full* bands beyond 750,000 count: 999,999 → 81, 1,000,000 → 91; 131 is reached at
    2,000,000 inhabitants.
    """
    population = _check_population(population)
    bands = max(0, population - DIVIDED_COMMUNE_BASE_LIMIT) // DIVIDED_COMMUNE_BAND
    return min(DIVIDED_COMMUNE_BASE + DIVIDED_COMMUNE_STEP * bands, DIVIDED_COMMUNE_MAX)


def arrondissement_seats(communal_seats: int, arrondissement_seats: int) -> ArrondissementSeats:
    """Women's seats in one arrondissement, for both councils it elects.

    Art. 128 bis, organic law 59.11 as amended: of the communal-council seats elected for the
    arrondissement, one third rounded up and never fewer than three (never more than the seats
    themselves) is reserved to women; of the arrondissement-council seats, one third rounded up.
    Both are deducted from the seats fixed under art. 128.  E.g. Guéliz (Marrakech): 18 communal
    → 12 + 6 women; 20 arrondissement → 13 + 7 women.
    """
    communal = _check_seats(communal_seats, "communal_seats")
    arrondissement = _check_seats(arrondissement_seats, "arrondissement_seats")
    communal_women = min(max(_ceil_third(communal), _ARRONDISSEMENT_MIN_COMMUNAL_WOMEN), communal)
    arrondissement_women = _ceil_third(arrondissement)
    return ArrondissementSeats(
        communal_seats=communal,
        communal_women=communal_women,
        communal_general=communal - communal_women,
        arrondissement_seats=arrondissement,
        arrondissement_women=arrondissement_women,
        arrondissement_general=arrondissement - arrondissement_women,
    )


# --- prefectures and provinces -----------------------------------------------------------------


def prefecture_council_size(population: int, communal_councillors: int) -> int:
    """Number of members of a prefecture or province council.

    Art. 103, organic law 59.11 as amended (essay 004): 11 (≤ 150,000), 13 (≤ 200,000),
    15 (≤ 300,000), then 2 more per further 100,000 up to 29 (≤ 1,000,000), 31 above — and
    "in no case more than half of the total members of the communal councils" of its communes.
    ``communal_councillors`` is that total; the cap is ``communal_councillors // 2`` (a whole
    number of members that is not more than half).  A cap of 0 (fewer than two communal
    councillors) cannot make a council and raises ``E-COUNCIL-002``.
    """
    population = _check_population(population)
    councillors = _check_seats(communal_councillors, "communal_councillors")
    cap = councillors // 2
    if cap == 0:
        raise InputError("E-COUNCIL-002", field="communal_councillors", value=councillors)
    return min(_lookup(PREFECTURE_SIZES, population), cap)


def prefecture_mode(seats: int) -> Mode:
    """Mode of the (indirect) election of a prefecture or province council.

    Art. 102, organic law 59.11 as amended (essay 004): elected by the communal councillors of
    the prefecture or province, list vote with largest remainder; single-member plurality in one
    round when a single member is to be elected.
    """
    seats = _check_seats(seats)
    return Mode.SINGLE_MEMBER if seats == 1 else Mode.LIST
