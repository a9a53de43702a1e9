"""The records layer, pure: the minute (shape, digest, JSON), its checks (every code of
``check_minute`` passing and failing, with its level and field) and the double-entry state
machine (every transition, every refusal, and invariants over random event sequences)."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from intikhab.law.errors import CATALOGUE, Finding, InputError, Level
from intikhab.law.vote import Vote
from intikhab.records import entry as sm
from intikhab.records.checks import StationContext, blocking, check_minute, is_acceptable
from intikhab.records.minutes import COUNTS, Minute

CODES = frozenset({"PA", "PB", "PC"})
CTX = StationContext("S1", 1000, CODES)


def minute(votes: dict[str, int] | None = None, *, void: int = 10, illegal: int = 0,
           contested: int = 2, registered: int = 1000, signed: int | None = None,
           ballots: int | None = None, station: str = "S1",
           vote: Vote = Vote.COMMUNAL) -> Minute:
    """A minute that passes every check unless told otherwise: ballots = votes + void +
    illegal, signed = ballots."""
    votes = {"PA": 300, "PB": 200, "PC": 90} if votes is None else votes
    box = sum(votes.values()) + void + illegal if ballots is None else ballots
    return Minute(station, vote, registered, box if signed is None else signed, box, void,
                  contested, illegal, tuple(votes.items()))


def codes(findings: tuple[Finding, ...]) -> list[tuple[str, Level, str]]:
    return [(f.code, f.level, f.field) for f in findings]


# --------------------------------------------------------------------------------------------
# Checks


def test_a_consistent_minute_has_no_finding() -> None:
    m = minute()
    assert m.valid == 590 and m.ballots == m.signed == 600
    assert check_minute(m, CTX) == ()
    assert blocking(check_minute(m, CTX), ()) == ()


def test_e_pv_002_every_ballot_is_classed_once() -> None:
    assert check_minute(minute(illegal=1), CTX) == ()  # illegal papers are classed too
    bad = replace(minute(), void=11)  # 590 + 11 + 0 ≠ 600
    assert codes(check_minute(bad, CTX)) == [("E-PV-002", Level.ERROR, "ballots")]
    f = check_minute(bad, CTX)[0]
    assert f.params == {"valid": 590, "void": 11, "illegal": 0, "ballots": 600}


def test_e_pv_003_signed_cannot_exceed_registered() -> None:
    assert check_minute(minute({"PA": 990, "PB": 0, "PC": 0}), CTX) == ()  # exactly 1000
    bad = minute({"PA": 991, "PB": 0, "PC": 0})  # 1001 signatures for 1000 registered
    # ... and 1001 ballots: E-PV-012 (no figure above the registered voters) too
    assert codes(check_minute(bad, CTX)) == [("E-PV-003", Level.ERROR, "signed"),
                                             ("E-PV-012", Level.ERROR, "ballots")]


def test_w_pv_004_ballots_differ_from_signatures() -> None:
    for signed in (599, 601):
        found = check_minute(minute(signed=signed), CTX)
        assert codes(found) == [("W-PV-004", Level.WARNING, "ballots")]
        assert found[0].params == {"ballots": 600, "signed": signed}


def test_e_pv_005_unknown_list() -> None:
    bad = minute({"PA": 300, "PB": 200, "PC": 90, "PX": 0})
    assert codes(check_minute(bad, CTX)) == [("E-PV-005", Level.ERROR, "votes.PX")]


def test_e_pv_006_contested_within_valid() -> None:
    assert check_minute(minute(contested=590), CTX) == ()
    bad = minute(contested=591)
    assert codes(check_minute(bad, CTX)) == [("E-PV-006", Level.ERROR, "contested")]


def test_w_pv_008_registered_against_the_voter_list() -> None:
    bad = minute(registered=999)
    assert codes(check_minute(bad, CTX)) == [("W-PV-008", Level.WARNING, "registered")]
    # a station whose list is not known is not compared
    assert check_minute(bad, StationContext("S1", None, CODES)) == ()


def test_e_pv_009_unknown_station() -> None:
    found = check_minute(minute(station="nowhere"), None)
    assert codes(found) == [("E-PV-009", Level.ERROR, "station")]
    assert found[0].params == {"value": "nowhere"}
    assert check_minute(minute(station="S1"), CTX) == ()


def test_w_pv_010_absent_list_counts_zero() -> None:
    found = check_minute(minute({"PA": 300, "PB": 290}), CTX)
    assert codes(found) == [("W-PV-010", Level.WARNING, "votes.PC")]
    assert check_minute(minute({"PA": 300, "PB": 290, "PC": 0}), CTX) == ()


def test_findings_come_in_catalogue_order_with_messages_in_three_languages() -> None:
    m = Minute("S1", Vote.COMMUNAL, 900, 1000, 1001, 0, 2000, 0, (("PA", 1000), ("PX", 0)))
    found = check_minute(m, CTX)
    got = [f.code for f in found]
    assert got == ["E-PV-002", "E-PV-003", "W-PV-004", "E-PV-005", "E-PV-006", "W-PV-008",
                   "W-PV-010", "W-PV-010", "E-PV-012", "E-PV-012"]  # ballots, contested
    order = list(CATALOGUE)
    assert got == sorted(got, key=order.index)
    for f in found:
        for lang in ("ar", "fr", "en"):
            text = f.message(lang)
            assert text and "{" not in text
        d = f.to_dict("fr")
        assert d["code"] == f.code and d["level"] == f.level.value and d["field"] == f.field


def test_blocking_errors_always_warnings_until_accepted() -> None:
    warn = check_minute(minute(signed=601, registered=999), CTX)
    assert [f.code for f in warn] == ["W-PV-004", "W-PV-008"]
    assert [f.code for f in blocking(warn, ())] == ["W-PV-004", "W-PV-008"]
    assert [f.code for f in blocking(warn, {"W-PV-004"})] == ["W-PV-008"]
    assert blocking(warn, {"W-PV-004", "W-PV-008"}) == ()
    assert is_acceptable(warn, ["W-PV-004", "W-PV-008"])
    assert not is_acceptable(warn, ["W-PV-004"])
    err = check_minute(replace(minute(signed=601), void=11), CTX)
    assert [f.code for f in err] == ["E-PV-002", "W-PV-004"]
    # accepting an error's code does not make it pass
    assert [f.code for f in blocking(err, {"E-PV-002", "W-PV-004"})] == ["E-PV-002"]
    assert not is_acceptable(err, {"E-PV-002", "W-PV-004"})


def test_the_catalogue_holds_every_records_code_with_its_level() -> None:
    expected = {
        "E-PV-001": Level.ERROR, "E-PV-002": Level.ERROR, "E-PV-003": Level.ERROR,
        "W-PV-004": Level.WARNING, "E-PV-005": Level.ERROR, "E-PV-006": Level.ERROR,
        "E-PV-007": Level.ERROR, "W-PV-008": Level.WARNING, "E-PV-009": Level.ERROR,
        "W-PV-010": Level.WARNING, "E-PV-011": Level.ERROR, "E-ENTRY-001": Level.ERROR,
        "E-ENTRY-002": Level.ERROR, "E-ENTRY-003": Level.ERROR, "E-ENTRY-004": Level.ERROR,
        "E-ENTRY-005": Level.ERROR,
    }
    for code, level in expected.items():
        check = CATALOGUE[code]
        assert check.level is level, code
        assert check.ar and check.fr and check.en, code
    # the PV codes come in numeric order, so findings sorted by the catalogue read 001, 002…
    pv = [c for c in CATALOGUE if "-PV-" in c]
    assert pv == sorted(pv, key=lambda c: c[-3:])


def test_finding_messages_hashing_and_language_fallback() -> None:
    f = Finding("E-PV-005", "votes.PX", {"value": "PX"})
    assert f.message("en") == "list or candidate 'PX' is not registered in this constituency"
    assert f.message("xx") == f.message("en")
    assert "PX" in f.message("ar") and "PX" in f.message("fr")
    # a params dict carrying "field" does not collide with the finding's field
    assert Finding("E-PV-001", "void", {"field": "void", "value": "-1"}).message() == (
        "field void must be a non-negative integer, got -1")
    assert len({f, Finding("E-PV-005", "votes.PX", {"value": "PX"})}) == 1
    assert f.to_dict("ar") == {"code": "E-PV-005", "level": "error", "field": "votes.PX",
                               "message": f.message("ar")}


def test_ballots_equal_signatures_pass_w_pv_004() -> None:
    m = minute()
    assert m.ballots == m.signed and "W-PV-004" not in [f.code for f in check_minute(m, CTX)]


def test_e_pv_005_passes_for_registered_lists_and_names_each_stranger() -> None:
    assert check_minute(minute(), CTX) == ()
    bad = minute({"PA": 300, "PB": 200, "PC": 90, "PX": 0, "PW": 0})
    assert codes(check_minute(bad, CTX)) == [("E-PV-005", Level.ERROR, "votes.PW"),
                                             ("E-PV-005", Level.ERROR, "votes.PX")]


def test_w_pv_008_passes_when_the_list_matches() -> None:
    assert check_minute(minute(registered=1000), CTX) == ()


def test_an_unknown_station_reports_only_e_pv_009() -> None:
    broken = replace(minute(station="nowhere"), void=99)  # E-PV-002 too, were it known
    assert codes(check_minute(broken, None)) == [("E-PV-009", Level.ERROR, "station")]


def test_district_minutes_are_checked_the_same_way() -> None:
    ctx = StationContext("D1-S1", 400, frozenset({"P01:D1", "P02:D1"}))
    m = Minute("D1-S1", Vote.COMMUNAL, 400, 210, 210, 5, 0, 0,
               (("P01:D1", 120), ("P02:D1", 85)))
    assert check_minute(m, ctx) == ()
    assert codes(check_minute(replace(m, vote=Vote.REGIONAL,
                                      votes=(("R1", 205),)), ctx)) == [
        ("E-PV-005", Level.ERROR, "votes.R1"), ("W-PV-010", Level.WARNING, "votes.P01:D1"),
        ("W-PV-010", Level.WARNING, "votes.P02:D1")]


# --------------------------------------------------------------------------------------------
# Digest and JSON


def test_digest_ignores_the_order_votes_are_given_in() -> None:
    a = Minute("S1", Vote.COMMUNAL, 1000, 600, 600, 10, 2, 0,
               (("PA", 300), ("PB", 200), ("PC", 90)))
    b = Minute("S1", Vote.COMMUNAL, 1000, 600, 600, 10, 2, 0,
               (("PC", 90), ("PA", 300), ("PB", 200)))
    assert a == b and a.votes == b.votes and a.digest() == b.digest()
    c = Minute.from_json({**a.to_json(), "votes": {"PB": 200, "PC": 90, "PA": 300}})
    assert c.digest() == a.digest()


def test_digest_changes_with_every_field() -> None:
    base = minute()
    variants: dict[str, Minute] = {
        "station": replace(base, station="S2"),
        "vote": replace(base, vote=Vote.REGIONAL),
        "votes value": replace(base, votes=(("PA", 301), ("PB", 200), ("PC", 90))),
        "votes moved": replace(base, votes=(("PA", 200), ("PB", 300), ("PC", 90))),
        "votes key": replace(base, votes=(("PA", 300), ("PB", 200), ("PD", 90))),
        "votes extra zero": replace(base, votes=(*base.votes, ("PD", 0))),
        "objections": replace(base, objections="PB objects"),
        "observations": replace(base, observations="late opening"),
    }
    for name in COUNTS:
        variants[name] = replace(base, **{name: getattr(base, name) + 1})
    assert {f.name for f in fields(Minute)} <= {n.split()[0] for n in variants}
    digests = {name: m.digest() for name, m in variants.items()}
    for name, d in digests.items():
        assert d != base.digest(), name
    assert len(set(digests.values())) == len(digests)
    assert len(base.digest()) == 64


def test_json_round_trip() -> None:
    m = Minute("S1", Vote.REGIONAL, 1000, 600, 601, 10, 2, 1,
               (("PB", 200), ("PA", 300), ("PC", 90)), "objection: قبلت", "observation")
    doc = m.to_json()
    assert doc["votes"] == {"PA": 300, "PB": 200, "PC": 90} and doc["vote"] == "regional"
    again = Minute.from_json(json.loads(json.dumps(doc)))
    assert again == m and again.digest() == m.digest()
    # absent texts read as empty
    bare = {k: v for k, v in doc.items() if k not in ("objections", "observations")}
    assert Minute.from_json(bare) == replace(m, objections="", observations="")


def _bad(doc: Any) -> InputError:
    with pytest.raises(InputError) as info:
        Minute.from_json(doc)
    return info.value


@pytest.mark.parametrize("value", [-1, 1.0, 1.5, True, False, "5", None])
def test_from_json_rejects_a_bad_vote_count(value: Any) -> None:
    doc = minute().to_json()
    doc["votes"] = {**doc["votes"], "PA": value}
    err = _bad(doc)
    assert (err.code, err.field) == ("E-PV-001", "votes.PA")


@pytest.mark.parametrize("name", COUNTS)
@pytest.mark.parametrize("value", [-1, 2.0, True, "600", None])
def test_from_json_rejects_a_bad_count(name: str, value: Any) -> None:
    doc = minute().to_json()
    doc[name] = value
    err = _bad(doc)
    assert (err.code, err.field) == ("E-PV-001", name)


@pytest.mark.parametrize("value", ["national", "", None, 1, "Communal"])
def test_from_json_rejects_an_unknown_vote(value: Any) -> None:
    doc = minute().to_json()
    doc["vote"] = value
    err = _bad(doc)
    assert (err.code, err.field) == ("E-PV-011", "vote")


@pytest.mark.parametrize("value", [None, "", "   ", 7])
def test_from_json_rejects_a_missing_station(value: Any) -> None:
    doc = minute().to_json()
    doc["station"] = value
    err = _bad(doc)
    assert (err.code, err.field) == ("E-PV-009", "station")
    del doc["station"]
    assert _bad(doc).code == "E-PV-009"


def test_from_json_rejects_bad_shapes() -> None:
    assert _bad([1, 2]).code == "E-ALLOC-003"
    doc = minute().to_json()
    err = _bad({**doc, "votes": [["PA", 300]]})
    assert (err.code, err.field) == ("E-ALLOC-003", "votes")
    err = _bad({**doc, "objections": 3})
    assert (err.code, err.field) == ("E-ALLOC-003", "objections")


def test_the_constructor_sorts_votes_and_refuses_an_id_given_twice() -> None:
    m = Minute("S1", Vote.COMMUNAL, 10, 3, 3, 0, 0, 0, (("B", 1), ("A", 2)))
    assert m.votes == (("A", 2), ("B", 1)) and m.votes_map() == {"A": 2, "B": 1}
    with pytest.raises(InputError) as info:
        Minute("S1", Vote.COMMUNAL, 10, 3, 3, 0, 0, 0, (("B", 1), ("A", 2), ("B", 0)))
    assert (info.value.code, info.value.field) == ("E-ALLOC-010", "votes")


def test_from_json_accepts_zeros_and_both_votes() -> None:
    for vote in ("communal", "regional"):
        doc = {"station": "S1", "vote": vote, **dict.fromkeys(COUNTS, 0), "votes": {"PA": 0}}
        m = Minute.from_json(doc)
        assert m.vote is Vote(vote) and m.valid == 0 and m.objections == ""
    doc["objections"] = None  # null reads as empty, like an absent text
    assert Minute.from_json(doc).objections == ""


def test_from_json_rejects_an_unknown_key_and_a_non_text_note() -> None:
    doc = minute().to_json()
    err = _bad({**doc, "observation": "typo"})
    assert (err.code, err.field) == ("E-ALLOC-019", "observation")
    err = _bad({**doc, "observations": 0})
    assert (err.code, err.field) == ("E-ALLOC-003", "observations")
    for key in ("votes", "void"):
        missing = {k: v for k, v in doc.items() if k != key}
        assert _bad(missing).field == key


def test_from_json_error_messages_name_the_path() -> None:
    doc = minute().to_json()
    doc["votes"] = {**doc["votes"], "P03": -4}
    err = _bad(doc)
    assert str(err) == "E-PV-001: field votes.P03 must be a non-negative integer, got -4"
    assert "votes.P03" in err.message("ar") and "votes.P03" in err.message("fr")


# --------------------------------------------------------------------------------------------
# The double-entry state machine


def ref(user: str, digest: str, n: int = 0) -> sm.EntryRef:
    return sm.EntryRef(f"{user}-{digest}-{n}", user, digest)


A1, A2, B2, B3, C3 = ref("u1", "a"), ref("u2", "a"), ref("u2", "b"), ref("u3", "b"), ref("u3", "c")


def _raises(code: str, fn: Any, *args: Any) -> None:
    with pytest.raises(sm.EntryError) as info:
        fn(*args)
    assert info.value.code == code


def first() -> sm.EntryState:
    return sm.enter(sm.EntryState(), A1).state


def conflict() -> sm.EntryState:
    return sm.enter(first(), B2).state


def accepted() -> sm.EntryState:
    return sm.enter(first(), A2).state


def test_enter_awaiting_first_accepted() -> None:
    t = sm.enter(sm.EntryState(), A1)
    assert t.outcome == "first_recorded"
    assert t.state == sm.EntryState(sm.EntryStatus.FIRST, 1, A1, None, None)
    t = sm.enter(t.state, A2)
    assert t.outcome == "accepted"
    assert t.state == sm.EntryState(sm.EntryStatus.ACCEPTED, 1, A1, A2, A1)


def test_enter_first_then_different_is_a_conflict() -> None:
    t = sm.enter(first(), B2)
    assert t.outcome == "conflict"
    assert t.state == sm.EntryState(sm.EntryStatus.CONFLICT, 1, A1, B2, None)


def test_same_user_cannot_make_both_entries() -> None:
    _raises("E-ENTRY-001", sm.enter, first(), ref("u1", "b"))


def test_no_third_entry_in_conflict_or_accepted() -> None:
    _raises("E-ENTRY-002", sm.enter, conflict(), C3)
    _raises("E-ENTRY-002", sm.enter, conflict(), ref("u1", "b"))  # u1 with u2's content
    _raises("E-ENTRY-002", sm.enter, accepted(), C3)
    _raises("E-ENTRY-002", sm.enter, accepted(), ref("u1", "z"))


@pytest.mark.parametrize("make", [first, conflict, accepted])
def test_a_resent_entry_is_a_duplicate_in_every_state(make: Any) -> None:
    state = make()
    for e in (state.first, state.second):
        if e is None:
            continue
        resent = sm.EntryRef("another-id", e.user, e.digest)  # the id does not matter
        t = sm.enter(state, resent)
        assert t.outcome == "duplicate" and t.state is state


def test_resolve_keeps_either_entry() -> None:
    t = sm.resolve(conflict(), "coord", 1)
    assert t.outcome == "resolved"
    assert t.state == sm.EntryState(sm.EntryStatus.ACCEPTED, 1, A1, B2, A1)
    t = sm.resolve(conflict(), "coord", 2)
    assert t.state == sm.EntryState(sm.EntryStatus.ACCEPTED, 1, A1, B2, B2)


def test_send_back_discards_both_entries() -> None:
    t = sm.send_back(conflict(), "coord")
    assert t.outcome == "sent_back"
    assert t.state == sm.EntryState(sm.EntryStatus.AWAITING, 1, None, None, None)
    # the same clerk may type the same minute again
    t = sm.enter(t.state, A1)
    assert t.outcome == "first_recorded"


@pytest.mark.parametrize("make", [sm.EntryState, first, accepted])
def test_resolve_and_send_back_need_a_conflict(make: Any) -> None:
    _raises("E-ENTRY-003", sm.resolve, make(), "coord", 1)
    _raises("E-ENTRY-003", sm.resolve, make(), "coord", 2)
    _raises("E-ENTRY-003", sm.send_back, make(), "coord")


@pytest.mark.parametrize("make", [sm.EntryState, first, conflict])
def test_a_correction_needs_an_accepted_minute(make: Any) -> None:
    _raises("E-ENTRY-002", sm.open_correction, make(), "coord")


def test_correction_keeps_the_accepted_entry_and_bumps_the_version() -> None:
    t = sm.open_correction(accepted(), "coord")
    assert t.outcome == "correction_opened"
    assert t.state == sm.EntryState(sm.EntryStatus.AWAITING, 2, None, None, A1)
    # version 2 goes through double entry; version 1 counts meanwhile
    s = sm.enter(t.state, ref("u1", "v2")).state
    assert (s.status, s.version, s.accepted) == (sm.EntryStatus.FIRST, 2, A1)
    c = sm.enter(s, ref("u2", "v2bis")).state
    assert (c.status, c.accepted) == (sm.EntryStatus.CONFLICT, A1)
    back = sm.send_back(c, "coord").state
    assert (back.status, back.version, back.accepted) == (sm.EntryStatus.AWAITING, 2, A1)
    s = sm.enter(sm.enter(back, ref("u1", "v2")).state, ref("u3", "v2")).state
    assert (s.status, s.version, s.accepted) == (sm.EntryStatus.ACCEPTED, 2, ref("u1", "v2"))
    s3 = sm.open_correction(s, "coord").state
    assert (s3.version, s3.accepted) == (3, ref("u1", "v2"))


def test_a_duplicate_in_first_state_changes_nothing() -> None:
    state = first()
    t = sm.enter(state, sm.EntryRef("retry", "u1", "a"))
    assert t.outcome == "duplicate" and t.state is state
    # the same content from another user is no duplicate: it is the agreeing second entry
    assert sm.enter(state, sm.EntryRef("x", "u2", "a")).outcome == "accepted"


def test_an_entry_of_a_previous_version_is_not_a_duplicate() -> None:
    opened = sm.open_correction(accepted(), "coord").state
    t = sm.enter(opened, A1)  # the same user re-typing the same figures in version 2
    assert t.outcome == "first_recorded" and t.state.first == A1 and t.state.version == 2


def test_resolve_refuses_a_keep_other_than_1_or_2() -> None:
    with pytest.raises(ValueError):
        sm.resolve(conflict(), "coord", 3)  # type: ignore[arg-type]


def test_the_package_exports_the_api() -> None:
    import intikhab.records as records

    for name in records.__all__:
        assert getattr(records, name) is not None
    assert records.enter is sm.enter and records.Minute is Minute


def test_refusals_name_the_state() -> None:
    with pytest.raises(sm.EntryError) as info:
        sm.enter(accepted(), C3)
    assert info.value.field == "status" and "accepted" in str(info.value)


# -- random event sequences ------------------------------------------------------------------

USERS = ("u1", "u2", "u3")
DIGESTS = ("a", "b", "c")


def check_invariants(s: sm.EntryState) -> None:
    if s.status is sm.EntryStatus.AWAITING:
        assert s.first is None and s.second is None
    if s.status is sm.EntryStatus.FIRST:
        assert s.first is not None and s.second is None
    if s.status is sm.EntryStatus.CONFLICT:
        assert s.first is not None and s.second is not None
        assert s.first.user != s.second.user and s.first.digest != s.second.digest
    if s.status is sm.EntryStatus.ACCEPTED:
        assert s.accepted is not None and s.first is not None and s.second is not None
        assert s.first.user != s.second.user
        assert s.accepted in (s.first, s.second)
    assert s.version >= 1


class DoubleEntry(RuleBasedStateMachine):
    """Random events against the state machine; refused events must leave the state alone
    and be refused for the documented reason."""

    def __init__(self) -> None:
        super().__init__()
        self.state = sm.EntryState()
        self.n = 0
        self.accepted_once = False

    def _apply(self, t: sm.Transition) -> None:
        before, after = self.state, t.state
        assert after.version >= before.version
        if before.accepted is not None:
            assert after.accepted is not None
        if t.outcome == "duplicate":
            assert after is before
        if after.accepted != before.accepted:
            # a new accepted entry is one of the two entries of the current version
            assert after.accepted in (after.first, after.second)
        if t.outcome == "correction_opened":
            assert after.version == before.version + 1 and after.accepted == before.accepted
        else:
            assert after.version == before.version
        self.state = after
        self.accepted_once |= after.accepted is not None

    @rule(user=st.sampled_from(USERS), digest=st.sampled_from(DIGESTS))
    def enter(self, user: str, digest: str) -> None:
        self.n += 1
        r = sm.EntryRef(f"e{self.n}", user, digest)
        before = self.state
        resend = any(e is not None and (e.user, e.digest) == (user, digest)
                     for e in (before.first, before.second))
        try:
            t = sm.enter(before, r)
        except sm.EntryError as err:
            assert not resend
            if before.status is sm.EntryStatus.FIRST:
                assert before.first is not None and before.first.user == user
                assert err.code == "E-ENTRY-001"
            else:
                assert before.status in (sm.EntryStatus.CONFLICT, sm.EntryStatus.ACCEPTED)
                assert err.code == "E-ENTRY-002"
            return
        if resend:
            assert t.outcome == "duplicate"
        else:
            assert before.status in (sm.EntryStatus.AWAITING, sm.EntryStatus.FIRST)
        self._apply(t)

    @rule(keep=st.sampled_from([1, 2]))
    def resolve(self, keep: Any) -> None:
        before = self.state
        try:
            t = sm.resolve(before, "coord", keep)
        except sm.EntryError as err:
            assert before.status is not sm.EntryStatus.CONFLICT and err.code == "E-ENTRY-003"
            return
        assert t.state.accepted == (before.first if keep == 1 else before.second)
        self._apply(t)

    @rule()
    def send_back(self) -> None:
        before = self.state
        try:
            t = sm.send_back(before, "coord")
        except sm.EntryError as err:
            assert before.status is not sm.EntryStatus.CONFLICT and err.code == "E-ENTRY-003"
            return
        assert t.state.accepted == before.accepted
        self._apply(t)

    @precondition(lambda self: self.n < 1000)
    @rule()
    def open_correction(self) -> None:
        before = self.state
        try:
            t = sm.open_correction(before, "coord")
        except sm.EntryError as err:
            assert before.status is not sm.EntryStatus.ACCEPTED and err.code == "E-ENTRY-002"
            return
        self._apply(t)

    @invariant()
    def consistent(self) -> None:
        check_invariants(self.state)
        if self.accepted_once:
            assert self.state.accepted is not None


TestDoubleEntry = DoubleEntry.TestCase
TestDoubleEntry.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["enter", "resolve1", "resolve2", "send_back",
                                            "correction"]),
                          st.sampled_from(USERS), st.sampled_from(DIGESTS)), max_size=40))
def test_invariants_over_random_event_sequences(events: list[tuple[str, str, str]]) -> None:
    state = sm.EntryState()
    ever_accepted = False
    for n, (kind, user, digest) in enumerate(events):
        before = state
        try:
            if kind == "enter":
                t = sm.enter(state, sm.EntryRef(f"e{n}", user, digest))
            elif kind == "resolve1":
                t = sm.resolve(state, "coord", 1)
            elif kind == "resolve2":
                t = sm.resolve(state, "coord", 2)
            elif kind == "send_back":
                t = sm.send_back(state, "coord")
            else:
                t = sm.open_correction(state, "coord")
        except sm.EntryError:
            continue
        state = t.state
        if t.outcome == "duplicate":
            assert state is before
        assert state.version >= before.version
        ever_accepted |= state.accepted is not None
        if ever_accepted:
            assert state.accepted is not None
        check_invariants(state)


def test_signatures_are_bounded_by_the_station_list_as_well() -> None:
    """Art. 20: a minute claiming more registered voters than the station's list cannot let
    more signatures through than the list has names — E-PV-003, not just W-PV-008."""
    from intikhab.law.vote import Vote
    from intikhab.records.checks import StationContext, check_minute
    from intikhab.records.minutes import Minute

    m = Minute("S1", Vote.COMMUNAL, registered=600, signed=550, ballots=550, void=0,
               contested=0, illegal=0, votes=(("A", 550),))
    codes = {f.code for f in check_minute(m, StationContext("S1", 500, frozenset({"A"})))}
    assert {"E-PV-003", "W-PV-008"} <= codes
    fine = {f.code for f in check_minute(m, StationContext("S1", 600, frozenset({"A"})))}
    assert "E-PV-003" not in fine
