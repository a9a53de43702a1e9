"""The synthetic election's country: the real territory of Morocco with synthetic voters,
parties and votes, deterministic from a seed — the one generator behind ``intikhab demo``,
``intikhab serve``'s demo database, the benchmarks and the tests' national data.

:func:`real_country` builds a :class:`~intikhab.demo.country.Country` on the territory of one
census (:func:`intikhab.services.territory.load`; 2014 for the 2021 rules, 2024 for the next
elections); :func:`intikhab.demo.stations.national_election` adds its polling stations and
minutes.

- **real**: the 12 regions, the prefectures/provinces, the 1,503 communes and 41 arrondissements
  with their HCP codes (as ids), names and census population; every council's size, women's
  seats and mode from the law (:mod:`intikhab.law.territory`): single-member communes, list
  communes, divided communes, regional councils; the regional constituencies (art. 76 §2):
  every prefecture/province, and each of Casablanca's eight prefectures of arrondissements —
  82 with Casablanca-Settat's 16;
- **approximated**: the split of each region's seats among its constituencies and of each
  divided commune's seats among its arrondissements (:func:`~intikhab.law.territory.split_seats`,
  not the decrees' figures);
- **synthetic**: registered voters (about 0.53 per inhabitant, 18 million in all for the 2014
  census), the arrondissement-council seats (the arrondissement's communal seats + 2, as Guéliz
  in the guide's example: 18 + 20), the single-member districts (one per member, registered
  voters shared at random), the invented parties and their candidates, turnout and votes, the
  polling stations and central offices (built by :func:`intikhab.demo.stations.national_election`).

A commune votes in its prefecture/province's regional constituency; Casablanca's arrondissements
each in their prefecture of arrondissements (``Commune.constituencies``), and Méchouar de
Casablanca (in none of the eight for HCP) in Al-Fida–Mers-Sultan's, where the territory counts
its population.

Ids: regions ``06``; constituencies and communes by HCP code; a district ``<commune>/D01``; an
arrondissement's contest ``<commune>/<arrondissement>``; a regional contest
``<region>/<constituency>``; stations ``<region>-<commune>-S0001``.

Pure module apart from reading the packaged census tables (through the territory service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from intikhab.demo.country import (
    _PARTY_NAMES,
    DIVIDED,
    LIST,
    SINGLE_MEMBER,
    Commune,
    Country,
    Party,
    Region,
    _Draft,
    _Gen,
    _list_constituency,
    _single_member,
    _strengths,
)
from intikhab.law.allocation import Council, Part, SeatGroup
from intikhab.law.councils import Mode
from intikhab.law.national import Contest
from intikhab.law.rulesets import RuleSet, get_rules
from intikhab.law.territory import (
    Arrondissement as RealArrondissement,
)
from intikhab.law.territory import (
    Commune as RealCommune,
)
from intikhab.law.territory import (
    Territory,
    commune_seats,
    region_seats,
)
from intikhab.services.territory import MECHOUAR, load

__all__ = ["CASABLANCA", "REGISTERED_2014", "labels", "names", "real_country"]

#: Registered voters for the 2014 census scale (2021: about 17.98 million).
REGISTERED_2014: Final = 18_000_000
_POPULATION_2014: Final = 33_853_613
#: The prefecture of Casablanca, divided into eight prefectures of arrondissements, each a
#: regional constituency of its own (art. 76 §2).
CASABLANCA: Final = "06.141"
_ARR_OWN_EXTRA: Final = 2


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the law gives a region: its constituencies and their seats (art. 77)."""

    region: str
    seats: int
    parts: tuple[tuple[str, int, int], ...]  # (constituency, seats, women)


def _plans(territory: Territory) -> list[_Plan]:
    out = []
    for region in territory.regions:
        council = region_seats(territory, region.code)
        out.append(_Plan(region.code, council.seats,
                         tuple((k.code, k.seats, k.women_seats) for k in council.constituencies)))
    return out


@dataclass(slots=True)
class _Tally:
    """Registered voters and voters of each regional constituency, summed over its communes'
    (its arrondissements' for a prefecture of arrondissements) contests."""

    registered: dict[str, int] = field(default_factory=dict)
    voters: dict[str, int] = field(default_factory=dict)

    def add(self, constituency: str, registered: int, voters: int) -> None:
        self.registered[constituency] = self.registered.get(constituency, 0) + registered
        self.voters[constituency] = self.voters.get(constituency, 0) + voters


def real_country(seed: int = 2021, census: int = 2014) -> Country:
    """The real territory with synthetic voters, parties, candidates and votes for ``seed``."""
    territory = load(census)
    g = _Gen(seed)
    rng = g.rng
    communal_rules = get_rules("communal-2021")
    regional_rules = get_rules("regional-2021")
    strengths = _strengths(rng, len(_PARTY_NAMES))
    rng.shuffle(strengths)
    parties = tuple(Party(f"P{i + 1:02d}", ar, fr, round(st, 6))
                    for i, ((ar, fr), st) in enumerate(zip(_PARTY_NAMES, strengths, strict=True)))
    plans = _plans(territory)
    local_of: dict[str, list[float]] = {}
    for plan in plans:
        region_m = [rng.lognormvariate(0.0, 0.3) for _ in parties]
        for code, _, _ in plan.parts:
            local_of[code] = [p.strength * m * rng.lognormvariate(0.0, 0.3)
                              for p, m in zip(parties, region_m, strict=True)]

    total = REGISTERED_2014 * sum(r.population for r in territory.regions) // _POPULATION_2014
    raw = [c.population * rng.uniform(0.85, 1.15) for c in territory.communes]
    scale = total / sum(raw)
    contests: list[Contest] = []
    communes: list[Commune] = []
    tally = _Tally()
    for c, x in zip(territory.communes, raw, strict=True):
        registered = max(int(x * scale), 1)
        local = [s * rng.lognormvariate(0.0, 0.45) for s in local_of[_home(territory, c)]]
        turnout = rng.uniform(0.40, 0.60)
        communes.append(_commune(g, territory, c, registered, local, turnout, communal_rules,
                                 contests, tally))

    regional: list[Contest] = []
    regions: list[Region] = []
    for plan in plans:
        for code, seats, women in plan.parts:
            groups = (SeatGroup(Part.GENERAL, seats - women), SeatGroup(Part.WOMEN, women))
            kid = f"{plan.region}/{code}"
            lc = _list_constituency(g, tally.registered[code], 0.0, local_of[code], groups, 6,
                                    15, voters=tally.voters[code], cid=kid)
            regional.append(Contest(kid, "regional", plan.region, regional_rules, lc))
        regions.append(Region(plan.region, plan.seats, tuple(code for code, _, _ in plan.parts)))
    return Country(seed, parties, tuple(regions), tuple(communes), tuple(regional + contests),
                   census)


def _home(territory: Territory, c: RealCommune) -> str:
    """The regional constituency a commune votes in (art. 76 §2): its prefecture/province;
    Méchouar de Casablanca, in the prefecture of arrondissements HCP's figures put it in; a
    divided commune, in its first arrondissement's (each arrondissement votes in its own)."""
    if c.code == MECHOUAR[0]:
        return MECHOUAR[1]
    if c.divided:
        arr = territory.children(c.code)[0]
        assert isinstance(arr, RealArrondissement)
        return arr.prefecture
    return c.prefecture


def _commune(
    g: _Gen, territory: Territory, c: RealCommune, registered: int, local: list[float],
    turnout: float, rules: RuleSet, contests: list[Contest], tally: _Tally,
) -> Commune:
    """One commune's contests (districts, its list, or its arrondissements); adds its
    registered voters and voters to its regional constituencies' ``tally``."""
    council = commune_seats(territory, c.code)
    assert council.general_seats is not None
    region = c.region
    home = _home(territory, c)
    elsewhere = (home,) if home != c.prefecture else ()
    if not c.divided and council.mode is Mode.SINGLE_MEMBER:
        draft = _Draft(c.code, 0, SINGLE_MEMBER, c.population, (), registered,
                       council.general_seats)
        tally.add(home, registered, _single_member(g, draft, local, turnout, rules, contests))
        return Commune(c.code, region, c.prefecture, SINGLE_MEMBER, c.population, registered,
                       council.seats, districts=council.general_seats, constituencies=elsewhere)
    if not c.divided:
        women = council.seats - council.general_seats
        pair = (SeatGroup(Part.GENERAL, council.general_seats), SeatGroup(Part.WOMEN, women))
        lc = _list_constituency(g, registered, turnout, local, pair, 4, 15, cid=c.code)
        contests.append(Contest(c.code, "communal", c.code, rules, lc))
        tally.add(home, registered, lc.voters)
        return Commune(c.code, region, c.prefecture, LIST, c.population, registered,
                       council.seats, constituencies=elsewhere)
    rng = g.rng
    parts = council.constituencies
    shares = _split(registered, [k.population for k in parts])
    own_total = 0
    inner: list[str] = []
    for k, reg in zip(parts, shares, strict=True):
        own = k.seats + _ARR_OWN_EXTRA
        wa = -(-own // 3)
        groups = (SeatGroup(Part.GENERAL, k.general_seats, Council.COMMUNE),
                  SeatGroup(Part.GENERAL, own - wa, Council.ARRONDISSEMENT),
                  SeatGroup(Part.WOMEN, k.women_seats, Council.COMMUNE),
                  SeatGroup(Part.WOMEN, wa, Council.ARRONDISSEMENT))
        t = min(max(turnout + rng.gauss(0.0, 0.03), 0.30), 0.80)
        aid = f"{c.code}/{k.code}"
        lc = _list_constituency(g, reg, t, local, groups, 8, 15, cid=aid)
        contests.append(Contest(aid, "communal", c.code, rules, lc))
        arrondissement = territory.unit(k.code)
        assert isinstance(arrondissement, RealArrondissement)
        inner.append(arrondissement.prefecture)
        tally.add(arrondissement.prefecture, reg, lc.voters)
        own_total += own
    return Commune(c.code, region, c.prefecture, DIVIDED, c.population, registered,
                   council.seats, arrondissements=len(parts), arrondissement_seats=own_total,
                   constituencies=tuple(inner) if set(inner) != {c.prefecture} else ())


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` in proportion to integer ``weights`` (largest remainder, exact)."""
    from intikhab.law.allocation import largest_remainder

    return largest_remainder(weights, total, sum(weights))


def names(census: int = 2014) -> dict[str, tuple[str, str]]:
    """``(name_ar, name_fr)`` of every region, prefecture/province and commune by code — what
    the demo's election bundle needs instead of "Région R01" (the Country has ids only)."""
    territory = load(census)
    return {u.code: (u.name_ar, u.name_fr) for u in territory.units()}


def labels(country: Country) -> dict[str, tuple[str, str]]:
    """``(name_ar, name_fr)`` of every unit and every contest of ``country``, for the election
    bundle: the territory's names for regions, prefectures/provinces and communes; a district
    ``<commune> — الدائرة 3`` / ``<commune> — circonscription 3``; an arrondissement's contest
    ``<commune> — مقاطعة <arrondissement>``; a list commune by its name; a regional
    constituency ``<region> — <prefecture/province>``."""
    unit = names(country.census)
    out = dict(unit)
    for c in country.contests:
        head, _, tail = c.id.partition("/")
        if c.level == "regional":
            (rar, rfr), (kar, kfr) = unit[head], unit[tail]
            out[c.id] = (f"{rar} — {kar}", f"{rfr} — {kfr}")
        elif not tail:
            out[c.id] = unit[head]
        elif tail in unit:
            (car, cfr), (aar, afr) = unit[head], unit[tail]
            out[c.id] = (f"{car} — مقاطعة {aar}", f"{cfr} — arrondissement {afr}")
        else:
            (car, cfr), n = unit[head], int(tail.removeprefix("D"))
            out[c.id] = (f"{car} — الدائرة {n}", f"{cfr} — circonscription {n}")
    return out
