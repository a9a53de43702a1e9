"""A synthetic, Morocco-scale general election (regional + communal), deterministic from a seed.

It exists to benchmark and stress the allocation core on a country's worth of contests; it is
*not* real data.  Parties are invented, neutral names (never a real party); figures follow the
shape of the 2021 elections (council sizes of arts. 74 and 127 of organic law 59.11,
docs/councils.md): 12 regions, 75 prefecture/province constituencies,
about 1,540 communes, about 18 million registered voters, turnout 40–60 %.

What :func:`national_dataset` builds (``seed=2021``; other seeds give the same seat totals and
close counts):

- 30 parties, strengths skewed (four or five around 9–20 %, then a long tail under 1 %);
- regional vote (``regional-2021``): 12 regions with the 2021 council sizes (63, 51, 69, 75, 57,
  75, 75, 45, 57, 39, 39, 33 — **678 seats**), split over 75 prefecture/province constituencies
  (at least 3 seats each) by registered voters; each constituency is a
  :class:`~intikhab.law.allocation.ListConstituency` with groups (general, g) and (women, w),
  ``w = ceil(seats/3)``; 6–15 lists each;
- communal vote (``communal-2021``), **31,503 seats**:

  - 1,280 single-member communes (≤ 50,000 inhabitants; 11/13/15/23/25 members) split into
    about 15,500 districts (one :class:`~intikhab.law.allocation.District` contest each, 2–8
    candidates), plus 5 women's seats attached to the 5 districts with the most registered
    voters of each commune (6,400 attached seats; every candidate there carries an
    ``attached_woman``);
  - 254 list communes (31–61 members; one third, rounded up, reserved for women and deducted),
    4–15 lists each;
  - 6 divided communes (81–131 communal members) with 41 arrondissements, each a
    :class:`~intikhab.law.allocation.ListConstituency` with the four groups (general, commune),
    (general, arrondissement), (women, commune), (women, arrondissement): communal women
    ``max(ceil(c/3), 3)``, arrondissement women ``ceil(a/3)``; 8–15 lists each.

  The single-member council sizes are calibrated (communes moved between population brackets)
  and the arrondissement-council seats absorb the last units, so the communal seats — district
  seats + attached women's seats + list-commune seats + the divided communes' communal *and*
  arrondissement seats — total exactly 31,503.

  Why about 15,500 districts and not 21,000: with 1,280 single-member communes (6,400 attached
  seats), 254 list communes (at least 31 seats each, about 8,500 in all) and the divided
  communes (about 1,270 seats), 31,503 seats leave room for about 15,500 districts (12.1 per
  commune: most rural communes are under 7,500 inhabitants and have 11 members).  21,000
  districts would need fewer than 100 list communes.

With ``seed=2021`` the figures reached are (``Country.counts()``): 1,540 communes (1,280
single-member, 254 list, 6 divided), 15,528 districts (6,400 with an attached women's seat),
75 regional + 254 list-commune + 41 arrondissement list constituencies (370), 15,898 contests in
all, 678 regional + 31,503 communal seats, 18,055,198 registered voters, communal turnout
49.6 %; the largest party has 18.8 % strength.  Other seeds land within about 1 % of these
counts, with the same seat totals.

Its polling stations and their minutes are :mod:`intikhab.demo.stations`'s.

Figures that decide seats are integers; the float ``Party.strength`` only shapes the votes.
Over 500 lines: a third of it is this description and the tables of names and brackets; the
steps draw from one seeded generator in a fixed order, which one file keeps visible.
Only ``random.Random`` seeded from ``seed`` is used (no global random state).  Pure module: no
I/O.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from intikhab.law.allocation import (
    Candidate,
    CandidateList,
    Council,
    District,
    DistrictCandidate,
    ListConstituency,
    Part,
    SeatGroup,
    Sex,
)
from intikhab.law.national import Contest, contest_seats
from intikhab.law.rulesets import RuleSet, get_rules

__all__ = [
    "COMMUNAL_SEATS",
    "DIVIDED",
    "REGIONAL_SEATS",
    "Commune",
    "Country",
    "Party",
    "Region",
    "apportion",
    "national_dataset",
]

REGIONAL_SEATS: Final = 678
COMMUNAL_SEATS: Final = 31_503

# 2021 region council sizes (art. 74 brackets) and prefectures/provinces per region: 678 / 75.
_REGION_SEATS: Final = (63, 51, 69, 75, 57, 75, 75, 45, 57, 39, 39, 33)
_REGION_PROVINCES: Final = (8, 8, 9, 7, 5, 9, 8, 5, 6, 4, 4, 2)
_MIN_PROVINCE_SEATS: Final = 3

_N_SINGLE: Final = 1_280
_N_LIST: Final = 254
# divided communes: approximate population and number of arrondissements (the six big cities)
_DIVIDED: Final = (
    (3_360_000, 16), (1_110_000, 6), (930_000, 5), (950_000, 4), (890_000, 5), (580_000, 5),
)
_MIN_ARR_COMMUNAL: Final = 5
_MIN_ARR_OWN: Final = 7
_ATTACHED: Final = 5
_REGISTERED_TOTAL: Final = 18_000_000

# art. 127 brackets for communes not divided: (upper bound inclusive, members)
_SINGLE_BRACKETS: Final = ((7_500, 11), (12_500, 13), (15_000, 15), (25_000, 23), (50_000, 25))
_LIST_BRACKETS: Final = (
    (100_000, 31), (150_000, 35), (200_000, 39), (250_000, 43), (300_000, 47), (350_000, 51),
    (400_000, 55),
)
_LIST_ABOVE: Final = 61
_MIN_POPULATION: Final = 1_200

_PARTY_NAMES: Final = (
    ("حزب النخيل", "Parti des Palmiers"),
    ("حزب الأرز", "Parti du Cèdre"),
    ("حزب الواحة", "Parti de l'Oasis"),
    ("حزب الزيتون", "Parti de l'Olivier"),
    ("حزب الرمان", "Parti du Grenadier"),
    ("حزب الأركان", "Parti de l'Arganier"),
    ("حزب الخروب", "Parti du Caroubier"),
    ("حزب الياسمين", "Parti du Jasmin"),
    ("حزب اللوز", "Parti de l'Amandier"),
    ("حزب التين", "Parti du Figuier"),
    ("حزب الغزال", "Parti de la Gazelle"),
    ("حزب الصقر", "Parti du Faucon"),
    ("حزب المنبع", "Parti de la Source"),
    ("حزب النهر", "Parti de la Rivière"),
    ("حزب الكثبان", "Parti des Dunes"),
    ("حزب الجبل", "Parti de la Montagne"),
    ("حزب الوادي", "Parti de la Vallée"),
    ("حزب الأفق", "Parti de l'Horizon"),
    ("حزب المنارة", "Parti du Phare"),
    ("حزب الجسر", "Parti du Pont"),
    ("حزب الطاحونة", "Parti du Moulin"),
    ("حزب البئر", "Parti du Puits"),
    ("حزب السنديان", "Parti du Chêne"),
    ("حزب الصفصاف", "Parti du Saule"),
    ("حزب الساحل", "Parti du Littoral"),
    ("حزب السهل", "Parti de la Plaine"),
    ("حزب المرجان", "Parti du Corail"),
    ("حزب اللؤلؤ", "Parti de la Perle"),
    ("حزب العنبر", "Parti de l'Ambre"),
    ("حزب الزعفران", "Parti du Safran"),
)

_MEN: Final = (
    "محمد", "أحمد", "يوسف", "عبد الله", "حسن", "عمر", "إبراهيم", "مصطفى", "خالد", "رشيد",
    "سعيد", "عبد الرحيم", "عبد الكريم", "إدريس", "هشام", "كريم", "نبيل", "ياسين", "أنس", "حمزة",
    "المهدي", "عثمان", "طارق", "جمال", "لحسن", "الحسين", "عزيز", "بوشعيب", "العربي", "محسن",
)
_WOMEN: Final = (
    "فاطمة", "خديجة", "مريم", "عائشة", "زينب", "نادية", "سعاد", "حليمة", "لطيفة", "أمينة",
    "نعيمة", "سناء", "هند", "إيمان", "وفاء", "سلمى", "كوثر", "ليلى", "رجاء", "بشرى",
    "حنان", "نجاة", "سميرة", "فاطمة الزهراء", "هاجر", "أسماء", "خولة", "ياسمين", "منى", "رشيدة",
)
_FAMILIES: Final = (
    "العلوي", "الإدريسي", "بناني", "التازي", "الفاسي", "الحسني", "العمراني", "البقالي",
    "الأنصاري", "الزياني", "الشرقاوي", "الغزواني", "الكتاني", "المريني", "السوسي", "الرحماني",
    "بنعلي", "بنموسى", "بوزيد", "الصديقي", "الوزاني", "العثماني", "القادري", "الدكالي",
    "الريفي", "البركاني", "الشاوي", "المنصوري", "التطواني", "الحمداني", "السباعي", "الجعفري",
    "الخطابي", "الناصري", "الهواري", "العياشي", "الكرومي", "البوعزاوي", "الطاهري", "اليعقوبي",
)

_BORN_FROM: Final = date(1950, 1, 1).toordinal()
_BORN_TO: Final = date(2003, 9, 8).toordinal()  # 18 years old on polling day (8 Sept 2021)

SINGLE_MEMBER: Final = "single_member"
LIST: Final = "list"
DIVIDED: Final = "divided"


# --------------------------------------------------------------------------------------------
# The country


@dataclass(frozen=True, slots=True)
class Party:
    """An invented party; ``strength`` (national vote share) only shapes the synthetic votes."""

    id: str
    name_ar: str
    name_fr: str
    strength: float


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    seats: int
    provinces: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune: ``kind`` is ``single_member``, ``list`` or ``divided``.  ``seats`` are the
    communal-council seats (with attached women's seats for single-member communes);
    ``arrondissement_seats`` the arrondissement-council seats of a divided commune."""

    id: str
    region: str
    province: str
    kind: str
    population: int
    registered: int
    seats: int
    districts: int = 0
    arrondissements: int = 0
    arrondissement_seats: int = 0


@dataclass(frozen=True, slots=True)
class Country:
    seed: int
    parties: tuple[Party, ...]
    regions: tuple[Region, ...]
    communes: tuple[Commune, ...]
    contests: tuple[Contest, ...]

    def seats(self, level: str | None = None) -> int:
        """Seats of the declared contests at one level (``regional``/``communal``) or all."""
        return sum(contest_seats(c) for c in self.contests if level in (None, c.level))

    @property
    def registered(self) -> int:
        """Registered voters (sum over communes)."""
        return sum(c.registered for c in self.communes)

    def counts(self) -> dict[str, int]:
        """The sizes reached: communes by kind, districts, constituencies, seats, voters."""
        kinds = [c.kind for c in self.communes]
        districts = [c.constituency for c in self.contests
                     if isinstance(c.constituency, District)]
        regional = sum(1 for c in self.contests if c.level == "regional")
        return {
            "parties": len(self.parties),
            "regions": len(self.regions),
            "regional_constituencies": regional,
            "communes": len(self.communes),
            "single_member_communes": kinds.count(SINGLE_MEMBER),
            "list_communes": kinds.count(LIST),
            "divided_communes": kinds.count(DIVIDED),
            "arrondissements": sum(c.arrondissements for c in self.communes),
            "districts": len(districts),
            "attached_women_seats": sum(1 for d in districts if d.attached_women_seat),
            "list_constituencies": len(self.contests) - len(districts),
            "contests": len(self.contests),
            "regional_seats": self.seats("regional"),
            "communal_seats": self.seats("communal"),
            "registered": self.registered,
        }


# --------------------------------------------------------------------------------------------
# Helpers


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` units in proportion to ``weights`` (Hamilton; ties by position)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    if rest:
        order = sorted(range(len(raw)), key=lambda i: out[i] - raw[i])
        for i in order[:rest]:
            out[i] += 1
    return out


def _bracket(table: tuple[tuple[int, int], ...], above: int, population: int) -> int:
    for bound, members in table:
        if population <= bound:
            return members
    return above


def _divided_size(population: int) -> int:
    """Art. 128: 81 up to 750,000 inhabitants, +10 per full band of 250,000, at most 131."""
    return min(81 + 10 * (max(0, population - 750_000) // 250_000), 131)


def _third(n: int) -> int:
    return -(-n // 3)


_MEN_NAMES: Final = tuple(f"{a} {b}" for a in _MEN for b in _FAMILIES)
_WOMEN_NAMES: Final = tuple(f"{a} {b}" for a in _WOMEN for b in _FAMILIES)


class _Gen:
    """The generator's state: one ``random.Random`` and the running candidate number."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def person(self, sex: Sex) -> Candidate:
        r = self.rng.random
        pool = _WOMEN_NAMES if sex is Sex.F else _MEN_NAMES
        born = date.fromordinal(_BORN_FROM + int(r() * (_BORN_TO - _BORN_FROM + 1)))
        return Candidate(pool[int(r() * len(pool))], born, sex)

    def general(self) -> Candidate:
        return self.person(Sex.F if self.rng.random() < 0.2 else Sex.M)

    def pick(self, weights: list[float], k: int) -> list[int]:
        """``k`` party indexes drawn without replacement, in proportion to ``weights``
        (exponential keys: the ``k`` smallest ``E/w``)."""
        r = self.rng.random
        log = math.log
        keys = sorted([(-log(1.0 - r()) / w, i) for i, w in enumerate(weights)])
        return [i for _, i in keys[:k]]

    def votes(self, valid: int, weights: list[float], chosen: list[int], noise: float) -> list[int]:
        lv = self.rng.lognormvariate
        return apportion(valid, [weights[i] * lv(0.0, noise) for i in chosen])


def _strengths(rng: random.Random, n: int) -> list[float]:
    """A few big parties (about 10–20 % each), then a geometric long tail."""
    head = [0.19, 0.165, 0.14, 0.11, 0.085, 0.06, 0.045, 0.035]
    raw = [*head, *(0.025 * 0.85 ** i for i in range(n - len(head)))][:n]
    raw = [x * rng.lognormvariate(0.0, 0.1) for x in raw]
    s = sum(raw)
    return [x / s for x in raw]


# --------------------------------------------------------------------------------------------
# The dataset


@dataclass(slots=True)
class _Draft:
    """A commune while it is being built."""

    id: str
    province: int
    kind: str
    population: int
    arr_sizes: tuple[int, ...] = ()
    registered: int = 0
    seats: int = 0


def national_dataset(seed: int = 2021) -> Country:
    """Build the synthetic country for ``seed`` (see the module docstring for its figures).

    The steps draw from one generator in a fixed order — parties, provinces, communes, their
    council sizes, registered voters, communal contests, regional contests — so a seed always
    gives the same country."""
    g = _Gen(seed)
    rng = g.rng
    parties = _parties(rng)
    regions, provinces = _provinces(rng, [p.strength for p in parties])
    drafts = _communes(rng, provinces.weight)
    arr_own = _arrondissement_seats(rng, drafts)
    raw_reg = [d.population * rng.uniform(0.85, 1.15) for d in drafts]
    scale = _REGISTERED_TOTAL * rng.uniform(0.995, 1.005) / sum(raw_reg)
    for d, x in zip(drafts, raw_reg, strict=True):  # about 0.45 per inhabitant, scaled
        d.registered = max(int(x * scale), 1)
    communes, contests = _communal(g, drafts, arr_own, regions, provinces)
    regional = _regional(g, regions, provinces)
    return Country(seed, parties, tuple(regions), tuple(communes), tuple(regional + contests))


def _parties(rng: random.Random) -> tuple[Party, ...]:
    """Strengths shuffled over the names, so each seed ranks the parties differently."""
    strengths = _strengths(rng, len(_PARTY_NAMES))
    rng.shuffle(strengths)
    return tuple(
        Party(f"P{i + 1:02d}", ar, fr, round(st, 6))
        for i, ((ar, fr), st) in enumerate(zip(_PARTY_NAMES, strengths, strict=True))
    )


@dataclass(slots=True)
class _Provinces:
    """The provinces while the country is built, by index: region, weight, local party
    strength, and the registered voters and voters their communes add up to."""

    region: list[int] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    strength: list[list[float]] = field(default_factory=list)
    registered: list[int] = field(default_factory=list)
    voters: list[int] = field(default_factory=list)


def _provinces(rng: random.Random,
               base_strength: list[float]) -> tuple[list[Region], _Provinces]:
    """The regions and their provinces, with local party strength."""
    provinces = _Provinces()
    regions: list[Region] = []
    for r, (seats, n_prov) in enumerate(zip(_REGION_SEATS, _REGION_PROVINCES, strict=True)):
        region_m = [rng.lognormvariate(0.0, 0.3) for _ in base_strength]
        first = len(provinces.region)
        for _ in range(n_prov):
            provinces.region.append(r)
            provinces.weight.append(seats / n_prov * rng.lognormvariate(0.0, 0.5))
            provinces.strength.append([
                s * m * rng.lognormvariate(0.0, 0.3)
                for s, m in zip(base_strength, region_m, strict=True)
            ])
        regions.append(Region(f"R{r + 1:02d}", seats,
                              tuple(f"K{k + 1:02d}" for k in range(first, first + n_prov))))
    provinces.registered = [0] * len(provinces.region)
    provinces.voters = [0] * len(provinces.region)
    return regions, provinces


def _communes(rng: random.Random, province_weight: list[float]) -> list[_Draft]:
    """Every commune's kind, province, population, id and council size (arts. 127, 128)."""
    n_prov_total = len(province_weight)
    drafts: list[_Draft] = []
    urban = sorted(range(n_prov_total), key=lambda k: -province_weight[k])
    for n, (pop, n_arr) in enumerate(_DIVIDED):
        population = int(pop * rng.uniform(0.97, 1.03))
        arr_pop = apportion(population, [rng.uniform(0.5, 1.5) for _ in range(n_arr)])
        drafts.append(_Draft("", urban[n], DIVIDED, population, tuple(arr_pop)))
    urban_w = [w * w for w in province_weight]
    for _ in range(_N_LIST):
        population = min(int(50_000 * rng.paretovariate(1.8)) + 1, 900_000)
        province = rng.choices(range(n_prov_total), urban_w)[0]
        drafts.append(_Draft("", province, LIST, population))
    rural = list(range(n_prov_total)) + rng.choices(
        range(n_prov_total), province_weight, k=_N_SINGLE - n_prov_total)
    for province in rural:
        population = int(math.exp(rng.gauss(math.log(6_000), 0.6)))
        population = min(max(population, _MIN_POPULATION), 50_000)
        drafts.append(_Draft("", province, SINGLE_MEMBER, population))
    drafts.sort(key=lambda d: (d.province, -d.population))
    for n, d in enumerate(drafts):
        d.id = f"C{n + 1:04d}"
        if d.kind == DIVIDED:
            d.seats = _divided_size(d.population)
        elif d.kind == LIST:
            d.seats = _bracket(_LIST_BRACKETS, _LIST_ABOVE, d.population)
        else:
            d.seats = _bracket(_SINGLE_BRACKETS, 0, d.population)
    return drafts


def _arrondissement_seats(rng: random.Random, drafts: list[_Draft]) -> list[int]:
    """Calibrate the single-member council sizes, then let the arrondissement-council seats
    absorb the last units so the communal seats total exactly ``COMMUNAL_SEATS``; the
    arrondissements' own seats, in commune order."""
    singles = [d for d in drafts if d.kind == SINGLE_MEMBER]
    divided = [d for d in drafts if d.kind == DIVIDED]
    n_arr_total = sum(len(d.arr_sizes) for d in divided)
    fixed = (_ATTACHED * len(singles) + sum(d.seats for d in drafts if d.kind == LIST)
             + sum(d.seats for d in divided))
    target_arr = round(1.1 * sum(d.seats for d in divided))
    _calibrate(rng, singles, COMMUNAL_SEATS - fixed - target_arr)
    arr_total = COMMUNAL_SEATS - fixed - sum(d.seats for d in singles)
    if arr_total < _MIN_ARR_OWN * n_arr_total:  # pragma: no cover - calibration guarantees it
        raise AssertionError(f"calibration left {arr_total} arrondissement seats")
    arr_weights = [float(p) for d in divided for p in d.arr_sizes]
    return [_MIN_ARR_OWN + x for x in
            apportion(arr_total - _MIN_ARR_OWN * n_arr_total, arr_weights)]


def _communal(g: _Gen, drafts: list[_Draft], arr_own: list[int], regions: list[Region],
              provinces: _Provinces) -> tuple[list[Commune], list[Contest]]:
    """Every commune with its communal contests; adds each commune's registered voters and
    voters to its province's."""
    contests: list[Contest] = []
    communes: list[Commune] = []
    communal_rules = get_rules("communal-2021")
    rng = g.rng
    arr_cursor = 0
    for d in drafts:
        local = [s * rng.lognormvariate(0.0, 0.45) for s in provinces.strength[d.province]]
        turnout = rng.uniform(0.40, 0.60)
        provinces.registered[d.province] += d.registered
        if d.kind == SINGLE_MEMBER:
            voters = _single_member(g, d, local, turnout, communal_rules, contests)
            extra: dict[str, int] = {"districts": d.seats}
            seats = d.seats + _ATTACHED
        elif d.kind == LIST:
            women = _third(d.seats)
            groups = (SeatGroup(Part.GENERAL, d.seats - women), SeatGroup(Part.WOMEN, women))
            lc = _list_constituency(g, d.registered, turnout, local, groups, 4, 15, cid=d.id)
            contests.append(Contest(d.id, "communal", d.id, communal_rules, lc))
            voters = lc.voters
            extra = {}
            seats = d.seats
        else:
            n_arr = len(d.arr_sizes)
            own = arr_own[arr_cursor:arr_cursor + n_arr]
            arr_cursor += n_arr
            voters = _divided(g, d, own, local, turnout, communal_rules, contests)
            extra = {"arrondissements": n_arr, "arrondissement_seats": sum(own)}
            seats = d.seats
        provinces.voters[d.province] += voters
        communes.append(Commune(
            d.id, regions[provinces.region[d.province]].id, f"K{d.province + 1:02d}", d.kind,
            d.population, d.registered, seats, **extra,
        ))
    return communes, contests


def _regional(g: _Gen, regions: list[Region], provinces: _Provinces) -> list[Contest]:
    """The regional contests: each region's seats split over its provinces by registered
    voters, at least ``_MIN_PROVINCE_SEATS`` each, one third (rounded up) for women."""
    regional_rules = get_rules("regional-2021")
    regional: list[Contest] = []
    for r, region in enumerate(regions):
        provs = [k for k in range(len(provinces.region)) if provinces.region[k] == r]
        spare = region.seats - _MIN_PROVINCE_SEATS * len(provs)
        split = apportion(spare, [float(provinces.registered[k]) for k in provs])
        for k, more in zip(provs, split, strict=True):
            seats = _MIN_PROVINCE_SEATS + more
            women = _third(seats)
            groups = (SeatGroup(Part.GENERAL, seats - women), SeatGroup(Part.WOMEN, women))
            kid = f"{region.id}/K{k + 1:02d}"
            lc = _list_constituency(g, provinces.registered[k], 0.0, provinces.strength[k],
                                    groups, 6, 15, voters=provinces.voters[k], cid=kid)
            regional.append(Contest(kid, "regional", region.id, regional_rules, lc))
    return regional


def _calibrate(rng: random.Random, singles: list[_Draft], target: int) -> None:
    """Move single-member communes between population brackets until their members add up to
    ``target`` (within one unit: the sizes are odd), walking the communes in a seeded order."""
    sizes = [m for _, m in _SINGLE_BRACKETS]
    bounds = [(_MIN_POPULATION, _SINGLE_BRACKETS[0][0])] + [
        (_SINGLE_BRACKETS[i - 1][0] + 1, _SINGLE_BRACKETS[i][0])
        for i in range(1, len(_SINGLE_BRACKETS))
    ]
    order = list(range(len(singles)))
    rng.shuffle(order)
    total = sum(d.seats for d in singles)
    for _ in range(8):  # passes; each pass moves a commune at most one bracket
        for i in order:
            gap = target - total
            if -2 < gap < 2:
                return
            d = singles[i]
            at = sizes.index(d.seats)
            to = at + (1 if gap > 0 else -1)
            if not 0 <= to < len(sizes) or abs(sizes[to] - d.seats) > abs(gap):
                continue
            total += sizes[to] - d.seats
            d.seats = sizes[to]
            d.population = rng.randint(*bounds[to])


_CANDIDATE_COUNTS: Final = (2, 3, 4, 5, 6, 7, 8)
_CANDIDATE_WEIGHTS: Final = (10, 22, 25, 19, 12, 7, 5)


def _single_member(
    g: _Gen, d: _Draft, local: list[float], turnout: float, rules: RuleSet,
    contests: list[Contest],
) -> int:
    """The districts of a single-member commune; returns the commune's voters."""
    rng = g.rng
    n = d.seats
    registered = apportion(d.registered, [rng.uniform(0.8, 1.2) for _ in range(n)])
    top = set(sorted(range(n), key=lambda i: (-registered[i], i))[:_ATTACHED])
    weights = [s ** 1.2 for s in local]
    total_voters = 0
    for i, reg in enumerate(registered):
        t = min(max(turnout + rng.gauss(0.0, 0.04), 0.30), 0.80)
        voters = max(round(reg * t), 1)
        void = round(voters * rng.uniform(0.01, 0.05))
        k = rng.choices(_CANDIDATE_COUNTS, _CANDIDATE_WEIGHTS)[0]
        chosen = g.pick(weights, k)
        votes = g.votes(voters - void, local, chosen, 0.5)
        attached = i in top
        cands = []
        for p, v in zip(chosen, votes, strict=True):
            g.serial += 1
            person = g.general()
            woman = g.person(Sex.F) if attached else None
            cands.append(DistrictCandidate(f"P{p + 1:02d}:{g.serial}", person.name, v,
                                           person.birth_date, woman))
        did = f"{d.id}/D{i + 1:02d}"
        contests.append(Contest(did, "communal", d.id, rules,
                                District(reg, voters, void, tuple(cands), attached, did)))
        total_voters += voters
    return total_voters


def _list_constituency(
    g: _Gen,
    registered: int,
    turnout: float,
    local: list[float],
    groups: tuple[SeatGroup, ...],
    min_lists: int,
    max_lists: int,
    voters: int | None = None,
    cid: str = "",
) -> ListConstituency:
    rng = g.rng
    if voters is None:
        voters = max(round(registered * turnout), 1)
    void = round(voters * rng.uniform(0.02, 0.06))
    k = rng.randint(min_lists, max_lists)
    weights = [s ** 1.2 for s in local]
    chosen = g.pick(weights, k)
    votes = g.votes(voters - void, local, chosen, 0.35)
    n_general = sum(gr.seats for gr in groups if gr.part is Part.GENERAL)
    n_women = sum(gr.seats for gr in groups if gr.part is Part.WOMEN)
    lists = []
    for p, v in zip(chosen, votes, strict=True):
        general = tuple(g.general() for _ in range(n_general))
        women = tuple(g.person(Sex.F) for _ in range(n_women))
        pid = f"P{p + 1:02d}"
        lists.append(CandidateList(pid, v, pid, general, women))
    return ListConstituency(registered, voters, void, groups, tuple(lists), cid)


def _divided(
    g: _Gen, d: _Draft, own: list[int], local: list[float], turnout: float, rules: RuleSet,
    contests: list[Contest],
) -> int:
    """The arrondissements of a divided commune; returns the commune's voters."""
    rng = g.rng
    weights = [float(p) for p in d.arr_sizes]
    n = len(weights)
    comm = [_MIN_ARR_COMMUNAL + x for x in apportion(d.seats - _MIN_ARR_COMMUNAL * n, weights)]
    registered = apportion(d.registered, weights)
    total_voters = 0
    for i in range(n):
        c, a = comm[i], own[i]
        wc, wa = min(max(_third(c), 3), c), _third(a)
        groups = (
            SeatGroup(Part.GENERAL, c - wc, Council.COMMUNE),
            SeatGroup(Part.GENERAL, a - wa, Council.ARRONDISSEMENT),
            SeatGroup(Part.WOMEN, wc, Council.COMMUNE),
            SeatGroup(Part.WOMEN, wa, Council.ARRONDISSEMENT),
        )
        t = min(max(turnout + rng.gauss(0.0, 0.03), 0.30), 0.80)
        aid = f"{d.id}/A{i + 1:02d}"
        lc = _list_constituency(g, registered[i], t, local, groups, 8, 15, cid=aid)
        contests.append(Contest(aid, "communal", d.id, rules, lc))
        total_voters += lc.voters
    return total_voters
