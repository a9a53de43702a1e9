"""A plausible synthetic election on the real territory of Morocco, deterministic from a seed.

Same structure as :func:`intikhab.demo.stations.national_election` (the same dataclasses:
:class:`~intikhab.demo.country.Country`,
:class:`~intikhab.demo.stations.SyntheticElection`, …), but the
country is the real one (:func:`intikhab.services.territory.load`):

- **real**: the 12 regions, the prefectures/provinces, the 1,503 communes and 41 arrondissements
  with their HCP codes (as ids) and census population; every council's size, women's seats and
  mode from the law (:mod:`intikhab.law.territory`): single-member communes, list communes,
  divided communes, regional councils;
- **approximated**: the split of each region's seats among its constituencies and of each
  divided commune's seats among its arrondissements (:func:`~intikhab.law.territory.split_seats`,
  not the decrees' figures);
- **synthetic**: registered voters (about 0.53 per inhabitant, 18 million in all for the 2014
  census), the arrondissement-council seats (the arrondissement's communal seats + 2, as Guéliz
  in the guide's example: 18 + 20), the single-member districts (one per member, registered
  voters shared at random), the invented parties and their candidates, turnout and votes, the
  polling stations and central offices (built by :func:`intikhab.demo.stations.national_election`).

One simplification: a station votes in one regional constituency per commune, so Casablanca
(whose commune spans the eight prefectures of arrondissements) votes in **one** regional
constituency ``06/06.141`` whose seats are the sum of the eight's (37 with the 2014 census).

Ids: regions ``06``; constituencies and communes by HCP code; a district ``<commune>/D01``; an
arrondissement's contest ``<commune>/<arrondissement>``; a regional contest
``<region>/<prefecture>``; stations ``<region>-<commune>-S0001``.

Pure module apart from reading the packaged census tables (through the territory service).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from intikhab.demo.stations import SyntheticElection, national_election
from intikhab.law.allocation import Council, Part, SeatGroup
from intikhab.law.councils import Mode
from intikhab.law.national import Contest
from intikhab.law.rulesets import RuleSet, get_rules
from intikhab.law.territory import (
    Commune as RealCommune,
)
from intikhab.law.territory import (
    Territory,
    commune_seats,
    region_seats,
)
from intikhab.services.territory import load

__all__ = ["CASABLANCA", "REGISTERED_2014", "names", "real_country", "real_election"]

#: Registered voters for the 2014 census scale (2021: about 17.98 million).
REGISTERED_2014: Final = 18_000_000
_POPULATION_2014: Final = 33_853_613
#: The prefecture whose prefectures of arrondissements vote as one regional constituency here.
CASABLANCA: Final = "06.141"
_ARR_OWN_EXTRA: Final = 2


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the law gives a region: its constituencies (Casablanca merged) and their seats."""

    region: str
    seats: int
    parts: tuple[tuple[str, int, int], ...]  # (constituency, seats, women)


def _plans(territory: Territory) -> list[_Plan]:
    out = []
    for region in territory.regions:
        council = region_seats(territory, region.code)
        parts: dict[str, tuple[int, int]] = {}
        for k in council.constituencies:
            key = CASABLANCA if k.code.startswith(CASABLANCA + ".") else k.code
            seats, women = parts.get(key, (0, 0))
            parts[key] = (seats + k.seats, women + k.women_seats)
        out.append(_Plan(region.code, council.seats,
                         tuple((code, s, w) for code, (s, w) in parts.items())))
    return out


def _constituency_of(commune: RealCommune, codes: set[str]) -> str:
    """The regional constituency a commune votes in (its prefecture, or Casablanca's)."""
    return commune.prefecture if commune.prefecture in codes else CASABLANCA


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
    codes = {code for p in plans for code, _, _ in p.parts}
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
    voters_of: dict[str, int] = {}
    registered_of: dict[str, int] = {}
    for c, x in zip(territory.communes, raw, strict=True):
        constituency = _constituency_of(c, codes)
        registered = max(int(x * scale), 1)
        local = [s * rng.lognormvariate(0.0, 0.45) for s in local_of[constituency]]
        turnout = rng.uniform(0.40, 0.60)
        commune, voters = _commune(g, territory, c, constituency, registered, local, turnout,
                                   communal_rules, contests)
        communes.append(commune)
        voters_of[constituency] = voters_of.get(constituency, 0) + voters
        registered_of[constituency] = registered_of.get(constituency, 0) + registered

    regional: list[Contest] = []
    regions: list[Region] = []
    for plan in plans:
        for code, seats, women in plan.parts:
            groups = (SeatGroup(Part.GENERAL, seats - women), SeatGroup(Part.WOMEN, women))
            kid = f"{plan.region}/{code}"
            lc = _list_constituency(g, registered_of[code], 0.0, local_of[code], groups, 6, 15,
                                    voters=voters_of[code], cid=kid)
            regional.append(Contest(kid, "regional", plan.region, regional_rules, lc))
        regions.append(Region(plan.region, plan.seats, tuple(code for code, _, _ in plan.parts)))
    return Country(seed, parties, tuple(regions), tuple(communes), tuple(regional + contests))


def _commune(
    g: _Gen, territory: Territory, c: RealCommune, constituency: str, registered: int,
    local: list[float], turnout: float, rules: RuleSet, contests: list[Contest],
) -> tuple[Commune, int]:
    """One commune's contests (districts, its list, or its arrondissements) and its voters."""
    council = commune_seats(territory, c.code)
    assert council.general_seats is not None
    region = c.region
    if not c.divided and council.mode is Mode.SINGLE_MEMBER:
        draft = _Draft(c.code, 0, SINGLE_MEMBER, c.population, (), registered,
                       council.general_seats)
        voters = _single_member(g, draft, local, turnout, rules, contests)
        return Commune(c.code, region, constituency, SINGLE_MEMBER, c.population, registered,
                       council.seats, districts=council.general_seats), voters
    if not c.divided:
        women = council.seats - council.general_seats
        pair = (SeatGroup(Part.GENERAL, council.general_seats), SeatGroup(Part.WOMEN, women))
        lc = _list_constituency(g, registered, turnout, local, pair, 4, 15, cid=c.code)
        contests.append(Contest(c.code, "communal", c.code, rules, lc))
        return Commune(c.code, region, constituency, LIST, c.population, registered,
                       council.seats), lc.voters
    rng = g.rng
    parts = council.constituencies
    shares = _split(registered, [k.population for k in parts])
    voters = own_total = 0
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
        voters += lc.voters
        own_total += own
    return Commune(c.code, region, constituency, DIVIDED, c.population, registered,
                   council.seats, arrondissements=len(parts),
                   arrondissement_seats=own_total), voters


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` in proportion to integer ``weights`` (largest remainder, exact)."""
    from intikhab.law.allocation import largest_remainder

    return largest_remainder(weights, total, sum(weights))


def real_election(seed: int = 2021, scale: float = 1.0, census: int = 2014, *,
                  country: Country | None = None) -> SyntheticElection:
    """The election with its polling stations and minutes, as
    :func:`intikhab.demo.stations.national_election` builds them, on :func:`real_country`
    (``country``, when given, must be ``real_country(seed, census)``)."""
    if country is None:
        country = real_country(seed, census)
    return national_election(seed, scale, country=country)


def names(census: int = 2014) -> dict[str, tuple[str, str]]:
    """``(name_ar, name_fr)`` of every region, prefecture/province and commune by code — what
    the demo's election bundle needs instead of "Région R01" (the Country has ids only)."""
    territory = load(census)
    return {u.code: (u.name_ar, u.name_fr) for u in territory.units()}
