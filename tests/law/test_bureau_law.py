"""The bureau rules of organic laws 111.14 (regions), 112.14 (prefectures/provinces) and 113.14
(communes), as the essay (seeds/004) gives them: each test names its article."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intikhab.law.allocation import Lots, Sex, seeded_draw
from intikhab.law.bureau import (
    BureauCouncil,
    CouncilKind,
    Member,
    Office,
    Standing,
    VPList,
    elect_president,
    elect_secretary,
    elect_vice_presidents,
    elected_vice_presidents,
    fifth_party_seats,
    vice_president_count,
    women_on_vp_list,
)
from intikhab.law.bureau_offices import (
    Committee,
    Consequence,
    Holding,
    bureau_session_deadline,
    check_committees,
    elect_committee_officer,
    incompatibilities,
    vice_president_session_deadline,
)
from intikhab.law.bureau_rounds import (
    OutcomeStatus,
    ResolvedBy,
    Round,
    Rule,
    absolute_majority,
)
from intikhab.law.calendar import fmt
from intikhab.law.councils import Mode
from intikhab.law.errors import InputError

C, P, R = CouncilKind.COMMUNE, CouncilKind.PREFECTURE, CouncilKind.REGION
BORN = date(1980, 1, 1)


def mem(i: str, party: str | None = "A", lst: str | None = None, head: bool = False,
        born: date = BORN, sex: Sex = Sex.M, in_office: bool = True) -> Member:
    return Member(i, i.upper(), born, sex, party, lst, head, in_office)


def council(members: list[Member], kind: CouncilKind = P, mode: Mode = Mode.LIST
            ) -> BureauCouncil:
    return BureauCouncil(kind, mode, tuple(members))


def parties_council(seats: dict[str, int], kind: CouncilKind = P) -> BureauCouncil:
    """One list per party (independents: party ``None`` keyed ``IND…``), heads first."""
    members = []
    for party, n in seats.items():
        for k in range(n):
            members.append(mem(f"{party.lower()}{k}", None if party.startswith("IND") else party,
                               f"L{party}", k == 0, born=date(1970 + k, 1, len(party))))
    return council(members, kind)


def simple(n: int, kind: CouncilKind = P, births: list[date] | None = None) -> BureauCouncil:
    """``n`` members, each the head of its own one-seat list of party ``P<i>``; ``c0`` … ."""
    return council([mem(f"c{i}", f"P{i}", f"L{i}", True,
                        born=(births[i] if births and i < len(births) else BORN))
                    for i in range(n)], kind)


def stand(*ids: str) -> list[Standing]:
    return [Standing(i, True) for i in ids]


# --- vice-presidents' table ------------------------------------------------------------------


@pytest.mark.parametrize(("size", "vps"), [
    (11, 3), (13, 3), (15, 4), (16, 4), (18, 4), (20, 4), (23, 5), (25, 6), (28, 6), (30, 6),
    (31, 6), (34, 6), (35, 7), (39, 7), (42, 7), (43, 8), (47, 8), (51, 9), (55, 9), (60, 9),
    (61, 10), (81, 10), (131, 10)])
def test_art16_law_113_14_commune_vice_presidents(size: int, vps: int) -> None:
    """Art. 16 of law 113.14; 16/18/20/28/30 (single-member communes since law 06.21) take the
    row below them."""
    assert vice_president_count(C, size) == vps


@pytest.mark.parametrize(("size", "vps"), [
    (11, 2), (13, 2), (15, 3), (17, 3), (23, 3), (25, 4), (27, 4), (29, 5), (31, 5), (12, 2),
    (3, 2), (2, 1)])
def test_art17_law_112_14_prefecture_vice_presidents(size: int, vps: int) -> None:
    """Art. 17 of law 112.14: 2 (11–13), 3 (15–23), 4 (25–27), 5 (29–31); never size − 1 or
    more."""
    assert vice_president_count(P, size) == vps


@pytest.mark.parametrize(("size", "vps"), [
    (33, 6), (39, 6), (45, 7), (51, 8), (57, 8), (63, 9), (69, 9), (75, 9)])
def test_law_111_14_region_vice_presidents(size: int, vps: int) -> None:
    """Law 111.14: 6 up to 39 members, 9 from 63 (the essay); 7 and 8 between (decision)."""
    assert vice_president_count(R, size) == vps


def test_vice_presidents_size_must_be_positive() -> None:
    with pytest.raises(InputError) as e:
        vice_president_count(C, 0)
    assert e.value.code == "E-BUR-003"


@pytest.mark.parametrize(("vps", "women"), [(2, 1), (3, 1), (4, 2), (6, 2), (7, 3), (10, 4)])
def test_art19_law_113_14_women_a_third_of_vice_presidents_rounded_up(vps: int,
                                                                      women: int) -> None:
    assert women_on_vp_list(vps) == women


# --- president: who may stand ----------------------------------------------------------------


def test_art15_law_111_14_party_among_first_five_by_seats() -> None:
    """Art. 15 of law 111.14: only heads of lists whose party ranks among the first five."""
    c = parties_council({"A": 6, "B": 5, "C": 4, "D": 3, "E": 2, "F": 1}, R)
    out = elect_president(c, stand("a0", "e0", "f0"))
    assert out.eligible == ("a0", "e0")
    assert [(r.id, r.code) for r in out.rejected] == [("f0", "E-BUR-023")]


def test_art15_law_111_14_tie_at_fifth_place_is_among_the_first_five() -> None:
    """Decision: a party with as many seats as the fifth is among the first five."""
    c = parties_council({"A": 6, "B": 5, "C": 4, "D": 3, "E": 2, "F": 2}, R)
    assert fifth_party_seats(c) == 2
    assert elect_president(c, stand("f0")).eligible == ("f0",)


def test_art15_law_111_14_independent_needs_the_fifth_partys_seats() -> None:
    c = parties_council({"A": 6, "B": 5, "C": 4, "D": 3, "E": 2, "IND1": 2, "IND2": 1})
    out = elect_president(c, [Standing("ind10"), Standing("ind20")])
    assert out.eligible == ("ind10",)  # no endorsement needed for an independent
    assert [(r.id, r.code) for r in out.rejected] == [("ind20", "E-BUR-024")]


def test_art15_law_111_14_fewer_than_five_parties_every_independent_head_may_stand() -> None:
    c = parties_council({"A": 6, "IND1": 1})
    assert elect_president(c, [Standing("ind10")]).eligible == ("ind10",)


def test_art13_law_113_14_head_of_list_endorsement_and_office() -> None:
    """Art. 13 of law 113.14: list head, party endorsement; not in office → rejected."""
    c = council([mem("h", "A", "L", True), mem("x", "A", "L"), mem("g", "B", "M", True),
                 mem("z", "C", "N", True, in_office=False)], C)
    out = elect_president(c, [Standing("h", False), Standing("x", True), Standing("g", True),
                              Standing("z", True)])
    assert out.eligible == ("g",)
    assert {r.id: r.code for r in out.rejected} == {
        "h": "E-BUR-025", "x": "E-BUR-022", "z": "E-BUR-021"}


def test_art13_law_113_14_single_member_commune_any_member_endorsed_if_in_a_party() -> None:
    c = council([mem("a", "A"), mem("b", "B"), mem("i", None)], C, Mode.SINGLE_MEMBER)
    out = elect_president(c, [Standing("a", True), Standing("b", False), Standing("i")])
    assert out.eligible == ("a", "i")
    assert [(r.id, r.code) for r in out.rejected] == [("b", "E-BUR-025")]


def test_no_rounds_says_who_may_stand_in_round_1() -> None:
    out = elect_president(simple(5), stand("c0", "c1"))
    assert out.status is OutcomeStatus.NEXT_ROUND
    assert out.next_round is not None and out.next_round.round == 1
    assert out.next_round.candidates == ("c0", "c1")
    assert out.rounds == () and out.elected is None


# --- president: rounds -----------------------------------------------------------------------


def test_art15_law_111_14_round1_absolute_majority_of_members_in_office() -> None:
    """Absolute majority counts members IN OFFICE, not those present: 9 in office → 5."""
    c = council([*simple(9).members, mem("gone", "Q", "LQ", True, in_office=False)])
    out = elect_president(c, stand("c0", "c1"), [Round(6, {"c0": 5, "c1": 1})])
    assert out.status is OutcomeStatus.ELECTED and out.elected == "c0"
    assert out.rounds[0].needed == 5 and out.rounds[0].rule is Rule.ABSOLUTE_IN_OFFICE
    out = elect_president(c, stand("c0", "c1"), [Round(9, {"c0": 4, "c1": 4})])
    assert out.status is OutcomeStatus.NEXT_ROUND


def test_art15_law_111_14_round2_between_the_first_two_of_round1() -> None:
    out = elect_president(simple(11), stand("c0", "c1", "c2"),
                          [Round(11, {"c0": 3, "c1": 5, "c2": 2})])
    assert out.next_round is not None and out.next_round.round == 2
    assert out.next_round.candidates == ("c1", "c0")
    with pytest.raises(InputError) as e:  # c2 is not in round 2
        elect_president(simple(11), stand("c0", "c1", "c2"),
                        [Round(11, {"c0": 3, "c1": 5, "c2": 2}), Round(11, {"c2": 1})])
    assert e.value.code == "E-BUR-016" and e.value.field == "rounds[1].votes.c2"


def test_art15_law_111_14_round3_relative_majority_of_present() -> None:
    rounds = [Round(10, {"c0": 5, "c1": 5}), Round(10, {"c0": 5, "c1": 5}),
              Round(4, {"c0": 1, "c1": 3})]
    out = elect_president(simple(11), stand("c0", "c1"), rounds)
    assert out.elected == "c1"
    assert [r.rule for r in out.rounds] == [Rule.ABSOLUTE_IN_OFFICE, Rule.ABSOLUTE_IN_OFFICE,
                                            Rule.RELATIVE_PRESENT]
    assert out.rounds[2].needed is None


def test_art15_law_111_14_round3_tie_to_the_youngest() -> None:
    c = simple(4, births=[date(1970, 1, 1), date(1990, 1, 1)])
    rounds = [Round(4, {"c0": 2, "c1": 2})] * 3
    out = elect_president(c, stand("c0", "c1"), rounds)
    assert out.elected == "c1"
    assert out.ties[-1].resolved_by is ResolvedBy.AGE


def test_art15_law_111_14_same_birth_date_lot_never_drawn_silently() -> None:
    rounds = [Round(4, {"c0": 2, "c1": 2})] * 3
    out = elect_president(simple(4), stand("c0", "c1"), rounds)
    assert out.status is OutcomeStatus.LOT_REQUIRED and out.elected is None
    lot = out.lot_required
    assert lot is not None and lot.key == "president:round3:c0|c1" and lot.resolved_by is None
    entered = elect_president(simple(4), stand("c0", "c1"), rounds, Lots({lot.key: "c1"}))
    assert entered.elected == "c1" and entered.ties[-1].resolved_by is ResolvedBy.LOT
    seeded = elect_president(simple(4), stand("c0", "c1"), rounds, Lots(seed="public"))
    assert seeded.elected == seeded_draw("public", lot.key, ("c0", "c1"))
    with pytest.raises(InputError) as e:
        elect_president(simple(4), stand("c0", "c1"), rounds, Lots({lot.key: "c3"}))
    assert e.value.code == "E-BUR-018"


def test_round1_tie_for_second_place_goes_to_the_youngest_then_lot() -> None:
    """Decision (the laws are silent): equal votes for second place → youngest, then lot."""
    c = simple(9, births=[BORN, date(1960, 1, 1), date(1990, 1, 1), date(1990, 1, 1)])
    out = elect_president(c, stand("c0", "c1", "c2"), [Round(9, {"c0": 4, "c1": 2, "c2": 2})])
    assert out.next_round is not None and out.next_round.candidates == ("c0", "c2")
    out = elect_president(c, stand("c0", "c2", "c3"), [Round(9, {"c0": 4, "c2": 2, "c3": 2})])
    assert out.status is OutcomeStatus.LOT_REQUIRED
    assert out.lot_required is not None and out.lot_required.key == "president:round1:c2|c3"


def test_round1_three_tied_first_two_enter_by_age() -> None:
    c = simple(9, births=[date(1950, 1, 1), date(1990, 1, 1), date(1985, 1, 1)])
    out = elect_president(c, stand("c0", "c1", "c2"), [Round(9, {"c0": 3, "c1": 3, "c2": 3})])
    assert out.next_round is not None and set(out.next_round.candidates) == {"c1", "c2"}


@pytest.mark.parametrize(("rounds", "code", "field"), [
    ([Round(10, {"c0": 1})], "E-BUR-014", "rounds[0].present"),
    ([Round(3, {"c0": 2, "c1": 2})], "E-BUR-015", "rounds[0].votes"),
    ([Round(3, {"zz": 1})], "E-BUR-016", "rounds[0].votes.zz"),
    ([Round(3, {"c0": -1})], "E-BUR-003", "rounds[0].votes.c0"),
    ([Round(3, {"c0": True})], "E-BUR-003", "rounds[0].votes.c0"),  # type: ignore[dict-item]
    ([Round(5, {"c0": 5}), Round(5, {})], "E-BUR-017", "rounds[1]"),
    ([Round(5, {})] * 4, "E-BUR-017", "rounds[3]"),
])
def test_hostile_rounds_are_refused(rounds: list[Round], code: str, field: str) -> None:
    with pytest.raises(InputError) as e:
        elect_president(simple(5), stand("c0", "c1"), rounds)
    assert (e.value.code, e.value.field) == (code, field)


def test_council_is_validated() -> None:
    with pytest.raises(InputError, match="E-BUR-007"):
        council([mem("a"), mem("a")])
    with pytest.raises(InputError, match="E-BUR-013"):
        council([mem("a")], R, Mode.SINGLE_MEMBER)
    with pytest.raises(InputError, match="E-BUR-011"):
        council([mem("a", "A", "L", True), mem("b", "A", "L", True)])
    with pytest.raises(InputError, match="E-BUR-012"):
        council([mem("a", "A", "L", True), mem("b", "B", "L")])
    with pytest.raises(InputError, match="E-BUR-009"):
        elect_president(simple(3), stand("nobody"))
    with pytest.raises(InputError, match="E-BUR-007"):
        elect_president(simple(3), stand("c0", "c0"))


# --- vice-presidents -------------------------------------------------------------------------


def vp_council() -> BureauCouncil:
    """An 11-member prefecture council (2 vice-presidents, at least 1 woman per list)."""
    ms = [mem("pres", "A", "LA", True, born=date(1960, 1, 1))]
    ms += [mem(f"a{i}", "A", "LA", sex=Sex.F if i == 0 else Sex.M) for i in range(4)]
    ms += [mem("bh", "B", "LB", True, born=date(1990, 1, 1)), mem("bw", "B", "LB", sex=Sex.F)]
    ms += [mem(f"o{i}", "C", "LC", i == 0, sex=Sex.F if i == 1 else Sex.M) for i in range(4)]
    return council(ms, P)


PRES_LIST = VPList("P", "pres", ("a0", "a1"))
B_LIST = VPList("B", "bh", ("bh", "bw"))


def test_art20_law_112_14_president_list_wins_round3_tie() -> None:
    rounds = [Round(11, {"P": 5, "B": 5})] * 3
    out = elect_vice_presidents(vp_council(), [PRES_LIST, B_LIST], "pres", rounds)
    assert out.elected == "P" and out.vice_presidents == 2
    assert out.ties[-1].resolved_by is ResolvedBy.PRESIDENT_LIST
    assert elected_vice_presidents([PRES_LIST, B_LIST], out) == ("a0", "a1")


def test_art20_law_112_14_round1_absolute_majority_elects_a_list() -> None:
    out = elect_vice_presidents(vp_council(), [PRES_LIST, B_LIST], "pres",
                                [Round(11, {"B": 6, "P": 5})])
    assert out.elected == "B" and out.rounds[0].needed == 6


@pytest.mark.parametrize(("lst", "code"), [
    (VPList("X", "o0", ("o0", "o2")), "E-BUR-028"),        # no woman
    (VPList("X", "o0", ("o0", "o1", "o2")), "E-BUR-027"),  # 3 candidates for 2 places
    (VPList("X", "o0", ("o1", "o0")), "E-BUR-029"),        # not presented by its first
    (VPList("X", "o0", ("o0", "pres")), "E-BUR-030"),      # the president on a list
])
def test_art20_law_112_14_list_admission(lst: VPList, code: str) -> None:
    out = elect_vice_presidents(vp_council(), [PRES_LIST, lst], "pres")
    assert out.eligible == ("P",) and [(r.id, r.code) for r in out.rejected] == [("X", code)]


def test_art20_law_112_14_no_member_on_two_lists() -> None:
    with pytest.raises(InputError) as e:
        elect_vice_presidents(vp_council(), [PRES_LIST, VPList("X", "a1", ("a1", "bw"))],
                              "pres")
    assert (e.value.code, e.value.field) == ("E-BUR-010", "lists[1].members[0]")


def test_vp_lists_tie_without_the_president_list_goes_to_the_youngest_head() -> None:
    lists = [B_LIST, VPList("C", "o0", ("o0", "o1"))]
    out = elect_vice_presidents(vp_council(), lists, "pres", [Round(11, {"B": 4, "C": 4})] * 3)
    assert out.elected == "B" and out.ties[-1].resolved_by is ResolvedBy.AGE


# --- secretary, committees -------------------------------------------------------------------


def test_art24_law_112_14_secretary_relative_majority_outside_the_bureau() -> None:
    c = simple(7, births=[BORN, BORN, date(1995, 1, 1)])
    out = elect_secretary(c, stand("c0", "c1", "c2"), [Round(6, {"c1": 2, "c2": 2})],
                          bureau=("c0",))
    assert out.elected == "c2" and out.rounds[0].rule is Rule.RELATIVE_PRESENT
    assert [(r.id, r.code) for r in out.rejected] == [("c0", "E-BUR-026")]
    with pytest.raises(InputError, match="E-BUR-017"):
        elect_secretary(c, stand("c1"), [Round(6, {"c1": 2}), Round(6, {})])
    deputy = elect_secretary(c, stand("c1", "c2"), [Round(6, {"c1": 3})],
                             bureau=("c0", "c2"), deputy=True)
    assert deputy.office is Office.DEPUTY_SECRETARY and deputy.elected == "c1"


def test_art25_law_113_14_committee_limits() -> None:
    c = simple(40, C)
    ids = [m.id for m in c.members]
    comm = [Committee(f"k{i}", tuple(ids[5 * i:5 * i + 5])) for i in range(3)]
    check_committees(c, comm)
    with pytest.raises(InputError, match="E-BUR-031"):
        check_committees(c, comm[:2])
    with pytest.raises(InputError, match="E-BUR-031"):
        check_committees(c, [Committee(f"k{i}", tuple(ids[5 * i:5 * i + 5])) for i in range(8)])
    check_committees(simple(40, P),  # prefectures: no maximum
                     [Committee(f"k{i}", tuple(ids[5 * i:5 * i + 5])) for i in range(8)])
    with pytest.raises(InputError, match="E-BUR-032"):
        check_committees(c, [*comm[:2], Committee("small", tuple(ids[30:34]))])
    with pytest.raises(InputError, match="E-BUR-033"):
        check_committees(c, [*comm, Committee("dup", (ids[0], *ids[30:34]))])


def test_art26_law_113_14_committee_chair_from_members_outside_the_bureau() -> None:
    c = simple(20, C, births=[BORN, BORN, date(1999, 1, 1), date(1999, 1, 1)])
    k = Committee("budget", ("c1", "c2", "c3", "c4", "c5"))
    out = elect_committee_officer(c, k, ["c0", "c1", "c2", "c3"], [Round(15, {"c2": 4, "c3": 4})],
                                  bureau=("c1",))
    assert {r.id: r.code for r in out.rejected} == {"c0": "E-BUR-034", "c1": "E-BUR-026"}
    assert out.status is OutcomeStatus.LOT_REQUIRED
    assert out.lot_required is not None
    assert out.lot_required.key == "committee_chair:budget:round1:c2|c3"


# --- incompatibilities and sessions ----------------------------------------------------------


def test_art17_law_111_14_region_president_incompatibilities() -> None:
    found = incompatibilities(R, Office.PRESIDENT, [Holding.GOVERNMENT,
                                                    Holding.OTHER_COUNCIL_VICE_PRESIDENT])
    assert {(i.holding, i.consequence) for i in found} == {
        (Holding.GOVERNMENT, Consequence.BARRED),
        (Holding.OTHER_COUNCIL_VICE_PRESIDENT, Consequence.DEEMED_RESIGNED)}
    assert all(i.article == "art. 17 of organic law 111.14" for i in found)
    assert incompatibilities(R, Office.VICE_PRESIDENTS, [Holding.GOVERNMENT]) == ()


def test_art16_law_112_14_and_art15_law_113_14_incompatibilities() -> None:
    assert [i.holding for i in incompatibilities(
        P, Office.VICE_PRESIDENTS, [Holding.ARRONDISSEMENT_VICE_PRESIDENT, Holding.HACA])] == [
        Holding.ARRONDISSEMENT_VICE_PRESIDENT]
    assert [i.holding for i in incompatibilities(P, Office.PRESIDENT, [Holding.HACA])] == [
        Holding.HACA]
    assert incompatibilities(C, Office.PRESIDENT, [Holding.HOUSE_OF_REPRESENTATIVES]) == ()
    assert incompatibilities(C, Office.VICE_PRESIDENTS, [Holding.CHAMBER_PRESIDENT])[0].article \
        == "art. 15 of organic law 113.14"


def test_law_113_14_commune_council_meets_within_15_days() -> None:
    assert fmt(bureau_session_deadline(C, date(2021, 9, 8)), end=True) == "2021-09-23 24:00"
    assert bureau_session_deadline(R, date(2021, 9, 8)) is None
    assert fmt(vice_president_session_deadline(C, date(2021, 9, 20)), end=True) \
        == "2021-10-05 24:00"
    assert fmt(vice_president_session_deadline(R, date(2021, 9, 20)), end=True) \
        == "2021-09-20 24:00"


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 80), st.data())
def test_property_absolute_majority_is_half_plus_one(n: int, data: st.DataObject) -> None:
    """More than half of the members in office: ``n // 2 + 1`` elects in round 1, one fewer
    does not (art. 15 of law 111.14)."""
    assert absolute_majority(n) == n // 2 + 1 and 2 * absolute_majority(n) > n
    c = simple(n)
    need = absolute_majority(n)
    won = elect_president(c, stand("c0"), [Round(n, {"c0": need})])
    assert won.elected == "c0"
    if need - 1 >= 0:
        lost = elect_president(c, stand("c0"), [Round(n, {"c0": need - 1})])
        assert lost.status is OutcomeStatus.NEXT_ROUND


votes_st = st.lists(st.integers(0, 6), min_size=2, max_size=5)


@settings(max_examples=200, deadline=None)
@given(votes_st, st.lists(st.sampled_from([date(1970, 1, 1), date(1980, 1, 1)]), min_size=5,
                          max_size=5), st.booleans())
def test_property_round3_winner_has_most_votes_and_no_silent_lot(
        v3: list[int], births: list[date], seeded: bool) -> None:
    n = 40
    c = simple(n, births=births)
    ids = [f"c{i}" for i in range(len(v3))]
    r1 = Round(n, {i: 1 for i in ids})
    out1 = elect_president(c, stand(*ids), [r1], Lots(seed="s" if seeded else None))
    if out1.status is not OutcomeStatus.NEXT_ROUND:
        assert out1.status is OutcomeStatus.LOT_REQUIRED and not seeded
        return
    assert out1.next_round is not None
    two = out1.next_round.candidates
    r3 = Round(n, dict(zip(two, v3, strict=False)))
    out = elect_president(c, stand(*ids), [r1, Round(n, {}), r3],
                          Lots(seed="s" if seeded else None))
    for tie in out.ties:
        assert tie.resolved_by is not ResolvedBy.LOT or seeded
    if out.status is OutcomeStatus.ELECTED:
        assert out.elected is not None
        assert all(r3.votes.get(out.elected, 0) >= r3.votes.get(o, 0) for o in two)
    else:
        assert out.status is OutcomeStatus.LOT_REQUIRED and not seeded


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_property_invariant_under_permutations(votes: list[int], rnd: random.Random) -> None:
    births = [date(1970 + (i % 2), 1, 1) for i in range(30)]
    c = simple(30, births=births)
    ids = [f"c{i}" for i in range(len(votes))]
    rounds = [Round(30, dict(zip(ids, votes, strict=True)))]
    base = elect_president(c, stand(*ids), rounds, Lots(seed="x"))
    members = list(c.members)
    rnd.shuffle(members)
    order = ids[:]
    rnd.shuffle(order)
    other = elect_president(council(members), stand(*order), rounds, Lots(seed="x"))
    assert (other.status, other.elected) == (base.status, base.elected)
    assert set(other.eligible) == set(base.eligible)
    assert [(t.key, t.winner) for t in other.ties] == [(t.key, t.winner) for t in base.ties]
    if base.next_round is not None:
        assert other.next_round is not None
        assert set(other.next_round.candidates) == set(base.next_round.candidates)
