"""The registration state machine (law/registration.py): every transition allowed and refused,
with the article it applies (organic law 59.11 as amended), and the single ballot's order
(art. 11 §3 and §8) — with hypothesis properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intikhab.law.errors import Finding
from intikhab.law.registration import (
    CASABLANCA,
    TRANSITIONS,
    Action,
    BallotEntry,
    Registration,
    RegistrationStatus,
    TransitionError,
    ballot_order,
    combined_ballot,
    decide,
    file,
    filing_deadline,
    mark_ineligible,
    reject,
    replace_filing,
    withdraw,
    withdraw_attached,
)

DEADLINE = filing_deadline(date(2021, 9, 8))
AT = datetime(2021, 8, 20, 10, tzinfo=CASABLANCA)
LATE = DEADLINE + timedelta(minutes=1)


def a_list(status: RegistrationStatus = RegistrationStatus.PROVISIONAL) -> Registration:
    r = file("L1", "C1", 4, AT, DEADLINE, is_list=True, independent=False, holders={"agent"})
    return replace(r, status=status)


def a_district(attached: bool = True) -> Registration:
    return file("D1", "D1", 1, AT, DEADLINE, is_list=False, independent=True,
                holders={"cand"}, attached_woman="woman" if attached else None)


def code_of(exc: pytest.ExceptionInfo[TransitionError]) -> str:
    return exc.value.code


def test_deadline_is_noon_d_minus_14_casablanca_art_85_134() -> None:
    assert datetime(2021, 8, 25, 12, tzinfo=CASABLANCA) == DEADLINE
    assert DEADLINE.utcoffset() == timedelta(hours=1)


def test_file_gives_a_provisional_receipt_numbered_by_arrival_art_9() -> None:
    r = a_list()
    assert (r.status, r.arrival, r.number) == (RegistrationStatus.PROVISIONAL, 4, None)
    with pytest.raises(TransitionError) as e:
        file("L1", "C1", 1, LATE, DEADLINE, is_list=True, independent=False, holders=())
    assert code_of(e) == "E-CAND-003"


def test_decide_final_receipt_carries_the_arrival_number_art_9() -> None:
    r = decide(a_list(), AT + timedelta(hours=47), ())
    assert (r.status, r.number, r.notes) == (RegistrationStatus.REGISTERED, 4, ())


def test_decide_late_final_receipt_is_noted_art_9() -> None:
    r = decide(a_list(), AT + timedelta(hours=49), ())
    assert r.status is RegistrationStatus.REGISTERED and r.notes == ("W-CAND-036",)


def test_decide_with_errors_is_a_reasoned_rejection_art_9() -> None:
    found = [Finding("E-CAND-005", "L1.general[0]", filing="L1"),
             Finding("W-CAND-013", "L1.general[1]", filing="L1")]
    r = decide(a_list(), AT, found)
    assert (r.status, r.reasons, r.notes, r.number) == (
        RegistrationStatus.REJECTED, ("E-CAND-005",), ("W-CAND-013",), None)


def test_reject_needs_reasons_art_9() -> None:
    assert reject(a_list(), AT, ["E-CAND-017"]).status is RegistrationStatus.REJECTED
    with pytest.raises(TransitionError) as e:
        reject(a_list(), AT, [])
    assert code_of(e) == "E-CAND-034"


def test_reject_after_final_receipt_art_8_par_5() -> None:
    d = decide(a_district(), AT, ())
    assert reject(d, AT, ["E-CAND-006"]).status is RegistrationStatus.REJECTED
    registered_list = decide(a_list(), AT, ())
    assert reject(registered_list, AT, ["E-CAND-017"]).status is RegistrationStatus.REJECTED


def test_list_stays_valid_when_a_candidate_proves_ineligible_art_8_last() -> None:
    registered = decide(a_list(), AT, ())
    with pytest.raises(TransitionError) as e:
        reject(registered, AT, ["E-CAND-006", "E-CAND-010"])
    assert code_of(e) == "E-CAND-035"
    r = mark_ineligible(registered, "p3")
    assert r.status is RegistrationStatus.REGISTERED and r.ineligible == {"p3"}
    with pytest.raises(TransitionError) as e:
        mark_ineligible(decide(a_district(), AT, ()), "cand")  # a district is rejected instead
    assert code_of(e) == "E-CAND-030"


def test_withdraw_by_agent_until_the_deadline_guide_3_2() -> None:
    assert withdraw(a_list(), DEADLINE, {"agent"}, DEADLINE).status is RegistrationStatus.WITHDRAWN
    assert withdraw(decide(a_list(), AT, ()), AT, {"agent"}, DEADLINE).status is \
        RegistrationStatus.WITHDRAWN
    with pytest.raises(TransitionError) as e:
        withdraw(a_list(), LATE, {"agent"}, DEADLINE)
    assert code_of(e) == "E-CAND-031"
    with pytest.raises(TransitionError) as e:
        withdraw(a_list(), AT, {"someone"}, DEADLINE)
    assert code_of(e) == "E-CAND-033"


def test_attached_seat_withdrawn_only_by_the_woman_herself_art_134_item_5() -> None:
    with pytest.raises(TransitionError) as e:
        withdraw(a_district(), AT, {"cand"}, DEADLINE)
    assert code_of(e) == "E-CAND-032"
    both = withdraw(a_district(), AT, {"cand", "woman"}, DEADLINE)
    assert both.status is RegistrationStatus.WITHDRAWN
    alone = withdraw(a_district(False), AT, {"cand"}, DEADLINE)
    assert alone.status is RegistrationStatus.WITHDRAWN
    with pytest.raises(TransitionError) as e:
        withdraw_attached(a_district(), AT, {"cand"}, DEADLINE)
    assert code_of(e) == "E-CAND-032"
    alone = withdraw_attached(decide(a_district(), AT, ()), AT, {"woman"}, DEADLINE)
    assert (alone.status, alone.attached_withdrawn, alone.number) == (
        RegistrationStatus.PROVISIONAL, True, None)
    assert withdraw(alone, AT, {"cand"}, DEADLINE).status is RegistrationStatus.WITHDRAWN
    with pytest.raises(TransitionError) as e:
        withdraw_attached(alone, AT, {"woman"}, DEADLINE)
    assert code_of(e) == "E-CAND-030"
    with pytest.raises(TransitionError) as e:
        withdraw_attached(a_district(), LATE, {"woman"}, DEADLINE)
    assert code_of(e) == "E-CAND-031"
    with pytest.raises(TransitionError) as e:
        withdraw_attached(a_list(), AT, {"agent"}, DEADLINE)
    assert code_of(e) == "E-CAND-030"


def test_replace_until_the_deadline_guide_3_2() -> None:
    r = replace_filing(a_list(), AT, {"agent"}, DEADLINE, "L2")
    assert (r.status, r.replaced_by) == (RegistrationStatus.REPLACED, "L2")
    with pytest.raises(TransitionError) as e:
        replace_filing(a_list(), LATE, {"agent"}, DEADLINE, "L2")
    assert code_of(e) == "E-CAND-031"
    with pytest.raises(TransitionError) as e:
        replace_filing(a_district(), AT, {"cand"}, DEADLINE, "D2")
    assert code_of(e) == "E-CAND-032"


ACTS = {
    Action.DECIDE: lambda r: decide(r, AT, ()),
    Action.REJECT: lambda r: reject(r, AT, ["E-CAND-017"]),
    Action.WITHDRAW: lambda r: withdraw(r, AT, {"agent"}, DEADLINE),
    Action.WITHDRAW_ATTACHED: lambda r: withdraw_attached(r, AT, {"agent"}, DEADLINE),
    Action.REPLACE: lambda r: replace_filing(r, AT, {"agent"}, DEADLINE, "L2"),
    Action.MARK_INELIGIBLE: lambda r: mark_ineligible(r, "p"),
}


@pytest.mark.parametrize("status", list(RegistrationStatus))
@pytest.mark.parametrize("action", list(ACTS))
def test_every_transition_outside_the_table_is_refused(status: RegistrationStatus,
                                                        action: Action) -> None:
    """The table TRANSITIONS is the whole machine: any other (state, action) is E-CAND-030."""
    if (status, action) in TRANSITIONS:
        if action is not Action.WITHDRAW_ATTACHED:  # needs a district (tested above)
            assert ACTS[action](a_list(status)).status is TRANSITIONS[(status, action)]
        return
    with pytest.raises(TransitionError) as e:
        ACTS[action](a_list(status))
    assert code_of(e) == "E-CAND-030"


def test_terminal_states_have_no_way_out() -> None:
    for status in (RegistrationStatus.REJECTED, RegistrationStatus.WITHDRAWN,
                   RegistrationStatus.REPLACED):
        assert not [a for (s, a) in TRANSITIONS if s is status]


# --- the single ballot (art. 11) ---------------------------------------------------------------


def entry(fid: str, number: int, party: str | None) -> BallotEntry:
    return BallotEntry(fid, number, party, f"name {fid}", f"head {fid}")


def test_parties_before_independents_by_registration_art_11() -> None:
    entries = [entry("i1", 1, None), entry("p3", 3, "PC"), entry("p2", 2, "PB"),
               entry("i4", 4, None)]
    assert [e.filing for e in ballot_order(entries)] == ["p2", "p3", "i1", "i4"]


def test_combined_ballot_follows_the_communal_order_art_11_par_8() -> None:
    communal = [entry("cB", 1, "PB"), entry("cA", 2, "PA"), entry("cI", 3, None)]
    regional = [entry("rA", 1, "PA"), entry("rC", 2, "PC"), entry("rI", 3, None),
                entry("rB", 4, "PB")]
    rows = combined_ballot(communal, regional)
    assert [(r.party, r.communal and r.communal.filing, r.regional and r.regional.filing)
            for r in rows] == [("PB", "cB", "rB"), ("PA", "cA", "rA"), ("PC", None, "rC"),
                               (None, "cI", None), (None, None, "rI")]


ENTRIES = st.lists(st.tuples(st.sampled_from([None, "PA", "PB", "PC", "PD"]),
                             st.booleans()), max_size=12)


@given(ENTRIES, st.randoms())
def test_property_ballot_order_is_total_and_follows_registration(
        spec: list[tuple[str | None, bool]], rnd: object) -> None:
    entries = [entry(f"f{i}", i + 1, party) for i, (party, _) in enumerate(spec)]
    shuffled = list(entries)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    order = ballot_order(shuffled)
    assert order == ballot_order(entries)  # independent of input order: a total order
    parties = [e for e in order if e.party is not None]
    assert list(order) == parties + [e for e in order if e.party is None]
    for group in (parties, [e for e in order if e.party is None]):
        assert [e.number for e in group] == sorted(e.number for e in group)


@given(ENTRIES, ENTRIES)
def test_property_combined_ballot_keeps_every_frame_once(
        com: list[tuple[str | None, bool]], reg: list[tuple[str | None, bool]]) -> None:
    communal = {entry(f"c{i}", i + 1, p) for i, (p, _) in enumerate(com)}
    c_parties = {e.party for e in communal if e.party}
    communal = {e for e in communal if e.party is None or e.party in c_parties}
    # one list per party and constituency
    communal = set({e.party or e.filing: e for e in sorted(communal)}.values())
    regional = set({(p or f"r{i}"): entry(f"r{i}", i + 1, p)
                    for i, (p, _) in enumerate(reg)}.values())
    rows = combined_ballot(communal, regional)
    assert sorted(e.filing for r in rows for e in (r.communal, r.regional) if e) == sorted(
        e.filing for e in communal | regional)
    numbers = [r.communal.number for r in rows if r.communal and r.party]
    assert numbers == sorted(numbers)
