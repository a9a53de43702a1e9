"""The indirect election of prefecture and province councils (انتخاب مجالس العمالات والأقاليم).

Art. 102 of organic law 59.11 (essay ``004_…``, footnote 17): the members are elected by an
electoral college made of the members of the communal councils of the prefecture or province
(هيئة ناخبة تتألف من أعضاء مجالس الجماعات التابعة للعمالة أو الإقليم), by list vote with
proportional representation on the largest remainder; by single-member plurality in one round
when a single member is to be elected.  The council's size is art. 103 with its half cap
(:func:`intikhab.law.councils.prefecture_council_size`).

What the seeds do not say, decided here and in ``docs/bureaus.md`` (section "Prefecture and
province councils"): the quotient's base (we keep the 2021 rule of the direct elections, art. 92
§2 / art. 139 §2: the electors who voted, void ballots included); the women's part (at least a
third of each list's candidates, rounded up, as art. 76 §3 requires of region constituencies);
ties (the youngest, then lot, art. 24 of law 59.11 as amended by law 06.21).

Seats are allocated by :func:`~intikhab.law.allocation.allocate_lists` and
:func:`~intikhab.law.allocation.allocate_district` — not re-implemented.  Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from intikhab.law.allocation import (
    NO_LOTS,
    AllocationStatus,
    Candidate,
    CandidateList,
    District,
    DistrictCandidate,
    DistrictResult,
    ListConstituency,
    ListResult,
    Lots,
    Part,
    SeatGroup,
    Sex,
    allocate_district,
    allocate_lists,
)
from intikhab.law.councils import Mode, prefecture_council_size, prefecture_mode
from intikhab.law.errors import InputError
from intikhab.law.rulesets import AgeRule, ElectionKind, QuotientBase, RuleSet

__all__ = [
    "PREFECTURAL_RULES",
    "IndirectElection",
    "IndirectResult",
    "PrefectureList",
    "elect_prefecture_council",
    "electoral_college",
    "quotient",
    "women_on_prefecture_list",
]

#: The parameters the allocation engine needs for this election.  ``election`` is
#: ``COMMUNAL``: rulesets.ElectionKind has no prefectural member and the electors are communal
#: councillors.  Not registered in ``RULE_SETS``: it is not a choice a user makes.
PREFECTURAL_RULES: Final = RuleSet(
    name="prefectural-2021",
    election=ElectionKind.COMMUNAL,
    quotient_base=QuotientBase.VOTERS,
    threshold=None,
    tie_age=AgeRule.YOUNGEST,
    single_list_minimum=None,
    list_vote_above=None,
    title_ar="انتخاب مجالس العمالات والأقاليم (الاقتراع غير المباشر)",
    title_fr="Élection des conseils préfectoraux et provinciaux (scrutin indirect)",
    sources=(
        "art. 102, law 59.11: college of the communal councillors; list PR, largest remainder; "
        "a single seat by plurality in one round (seeds/004, note 17)",
        "art. 103: size by population, at most half the communal councillors (seeds/004)",
        "quotient base: electors who voted, void included — decision by analogy with "
        "art. 92 §2 / 139 §2 as amended by law 06.21 (the seeds are silent)",
        "art. 24: ties to the youngest, then lot",
    ),
)


@dataclass(frozen=True, slots=True)
class PrefectureList:
    """A list of candidates (communal councillors standing) and the votes it received."""

    id: str
    votes: int
    candidates: tuple[Candidate, ...]
    name: str = ""


@dataclass(frozen=True, slots=True)
class IndirectElection:
    """One prefecture's or province's vote: ``college`` electors (its communal councillors),
    ``voters`` of whom voted, ``void`` void ballots."""

    population: int
    college: int
    voters: int
    void: int
    lists: tuple[PrefectureList, ...]
    id: str = ""


@dataclass(frozen=True, slots=True)
class IndirectResult:
    """The council's size and mode, and the allocation (list or single seat)."""

    seats: int
    mode: Mode
    allocation: ListResult | DistrictResult

    @property
    def status(self) -> AllocationStatus:
        return self.allocation.status


def electoral_college(communal_councils: Mapping[str, int]) -> int:
    """The electoral college of art. 102: the members of the communal councils of the
    prefecture or province, commune by commune (each count a positive integer)."""
    for commune, n in communal_councils.items():
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise InputError("E-BUR-003", field=f"communal_councils.{commune}", value=repr(n))
    if not communal_councils:
        raise InputError("E-BUR-002", field="communal_councils", expected="at least one commune")
    return sum(communal_councils.values())


def women_on_prefecture_list(candidates: int) -> int:
    """Women a list must hold — decision, the seeds being silent: one third of its candidates,
    rounded up, as art. 76 §3 of law 59.11 reserves a third to women in region constituencies."""
    return -(-candidates // 3)


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("E-BUR-003", field=field, value=repr(value))
    return value


def _check(e: IndirectElection, mode: Mode) -> None:
    """College ≥ voters ≥ void; votes + void ≤ voters; list ids unique and non-empty; every
    list has a candidate; in a list vote, a third of each list's candidates are women."""
    _count(e.college, "college")
    if _count(e.voters, "voters") > e.college:
        raise InputError("E-BUR-035", field="voters", voters=e.voters, college=e.college)
    if _count(e.void, "void") > e.voters:
        raise InputError("E-BUR-036", field="void", total=0, void=e.void, voters=e.voters)
    seen: set[str] = set()
    for i, lst in enumerate(e.lists):
        if not lst.id.strip():
            raise InputError("E-BUR-006", field=f"lists[{i}].id")
        if lst.id in seen:
            raise InputError("E-BUR-007", field=f"lists[{i}].id", value=lst.id)
        seen.add(lst.id)
        _count(lst.votes, f"lists[{i}].votes")
        if not lst.candidates:
            raise InputError("E-BUR-002", field=f"lists[{i}].candidates",
                             expected="at least one candidate")
        women = sum(1 for c in lst.candidates if c.sex is Sex.F)
        need = women_on_prefecture_list(len(lst.candidates))
        if mode is Mode.LIST and women < need:
            raise InputError("E-BUR-037", field=f"lists[{i}].candidates", value=lst.id,
                             women=women, need=need)
    total = sum(lst.votes for lst in e.lists)
    if total + e.void > e.voters:
        raise InputError("E-BUR-036", field="lists", total=total, void=e.void, voters=e.voters)


def elect_prefecture_council(e: IndirectElection, lots: Lots = NO_LOTS) -> IndirectResult:
    """Elect a prefecture or province council (art. 102–103 of law 59.11): its size from the
    population with the half cap of the college, then list PR by quotient (the electors who
    voted ÷ seats, :data:`PREFECTURAL_RULES`) and largest remainder, or plurality in one round
    for a single seat; ties to the youngest, then lot (entered, seeded or required)."""
    seats = prefecture_council_size(e.population, e.college)
    mode = prefecture_mode(seats)
    _check(e, mode)
    if mode is Mode.SINGLE_MEMBER:
        district = District(
            registered=e.college, voters=e.voters, void=e.void, id=e.id,
            candidates=tuple(DistrictCandidate(lst.id, lst.candidates[0].name, lst.votes,
                                               lst.candidates[0].birth_date)
                             for lst in e.lists))
        return IndirectResult(seats, mode, allocate_district(district, PREFECTURAL_RULES, lots))
    constituency = ListConstituency(
        registered=e.college, voters=e.voters, void=e.void, id=e.id,
        groups=(SeatGroup(Part.GENERAL, seats),),
        lists=tuple(CandidateList(lst.id, lst.votes, lst.name, general=lst.candidates)
                    for lst in e.lists))
    return IndirectResult(seats, mode, allocate_lists(constituency, PREFECTURAL_RULES, lots))


def quotient(e: IndirectElection) -> Fraction:
    """The quotient of a list vote: the electors who voted (void included) ÷ the seats."""
    return Fraction(e.voters, prefecture_council_size(e.population, e.college))
