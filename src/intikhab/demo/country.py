"""The synthetic election's building blocks: the country's dataclasses (:class:`Country`,
:class:`Region`, :class:`Commune`, :class:`Party`) and the seeded draws of lists, candidates and
votes that :func:`intikhab.demo.real.real_country` uses on the real territory.

Not real data beyond the territory: parties are invented, neutral names (never a real party —
no real party may be shown with invented votes); candidates' names are drawn from common
Moroccan first and family names; votes follow the shape of the 2021 elections (turnout
40–60 %, a few parties around 10–20 %, then a long tail).

- a single-member commune's districts (:func:`_single_member`, art. 128 bis §1): registered
  voters shared at random, 2–8 candidates each, the five districts with the most registered
  voters carrying an attached women's seat (every candidate there with an ``attached_woman``);
- a list constituency (:func:`_list_constituency`): its seat groups as given, a number of lists
  drawn in a range, each with a full slate for every group.

Figures that decide seats are integers; the float ``Party.strength`` only shapes the votes.
Only ``random.Random`` seeded from the seed is used (no global random state).  Pure module: no
I/O.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from typing import Final

from intikhab.law.allocation import (
    Candidate,
    CandidateList,
    District,
    DistrictCandidate,
    ListConstituency,
    Part,
    SeatGroup,
    Sex,
)
from intikhab.law.national import Contest, contest_seats
from intikhab.law.rulesets import RuleSet

__all__ = ["DIVIDED", "LIST", "SINGLE_MEMBER", "Commune", "Country", "Party", "Region",
           "apportion"]


# 2021 region council sizes (art. 74 brackets) and prefectures/provinces per region: 678 / 75.

# divided communes: approximate population and number of arrondissements (the six big cities)
_ATTACHED: Final = 5

# art. 127 brackets for communes not divided: (upper bound inclusive, members)

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
    constituencies: tuple[str, ...] = ()
    """Its regional constituency when it is not ``province`` (art. 76 §2): one for all its
    contests (Méchouar de Casablanca), or one per arrondissement, in contest order (Casablanca:
    its prefectures of arrondissements)."""

    def regional_constituency(self, i: int) -> str:
        """The regional constituency the stations of its ``i``-th communal contest vote in."""
        k = self.constituencies
        return k[i] if len(k) > 1 else k[0] if k else self.province

    def regional_constituencies(self) -> tuple[str, ...]:
        """The regional constituencies its stations vote in (art. 76 §2)."""
        return tuple(dict.fromkeys(self.constituencies)) or (self.province,)


@dataclass(frozen=True, slots=True)
class Country:
    seed: int
    parties: tuple[Party, ...]
    regions: tuple[Region, ...]
    communes: tuple[Commune, ...]
    contests: tuple[Contest, ...]
    census: int = 2014

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


