"""Pure rules of the record's integrity: no one decides a minute they typed (art. 23 §1–2, law
59.11 as amended; the project's rule, docs/double-entry.md), no figure of a minute above the
station's voter list (arts. 20–21, ``E-PV-012``), none at or beyond 2^31 (``E-PV-013``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intikhab.law.errors import InputError
from intikhab.law.vote import Vote
from intikhab.records import entry as sm
from intikhab.records.checks import StationContext, check_minute
from intikhab.records.minutes import MAX_COUNT, Minute

A, B = sm.EntryRef("e1", "clerk1", "d1"), sm.EntryRef("e2", "coord", "d2")
CONFLICT = sm.EntryState(sm.EntryStatus.CONFLICT, 1, A, B)
ACCEPTED = sm.EntryState(sm.EntryStatus.ACCEPTED, 1, A, sm.EntryRef("e3", "coord", "d1"), A)


@pytest.mark.parametrize("act", [lambda s, u: sm.resolve(s, u, 2),
                                 lambda s, u: sm.send_back(s, u)])
def test_art_23_whoever_typed_an_entry_cannot_resolve_or_send_it_back(act: object) -> None:
    for user in ("clerk1", "coord"):
        with pytest.raises(sm.EntryError) as info:
            act(CONFLICT, user)  # type: ignore[operator]
        assert info.value.code == "E-ENTRY-006"
    assert act(CONFLICT, "coord2").state.status in (  # type: ignore[operator]
        sm.EntryStatus.ACCEPTED, sm.EntryStatus.AWAITING)


def test_art_23_whoever_typed_an_entry_cannot_open_its_correction() -> None:
    with pytest.raises(sm.EntryError) as info:
        sm.open_correction(ACCEPTED, "coord")
    assert info.value.code == "E-ENTRY-006"
    assert sm.open_correction(ACCEPTED, "coord2").state.version == 2
    assert sm.entrants(ACCEPTED) == {"clerk1", "coord"}


def station(registered: int, ballots: int, votes: int) -> Minute:
    return Minute("S1", Vote.COMMUNAL, registered, min(ballots, registered), ballots, 0, 0,
                  ballots - votes, (("PA", votes),))


def test_arts_20_21_5030_ballots_in_a_232_voter_station() -> None:
    found = check_minute(station(232, 5030, 5030), StationContext("S1", 232, frozenset({"PA"})))
    assert {(f.code, f.field) for f in found} >= {("E-PV-012", "ballots"),
                                                 ("E-PV-012", "votes.PA")}


@given(st.integers(1, 5000), st.integers(0, 10_000), st.data())
def test_arts_20_21_no_figure_above_the_voter_list(registered: int, ballots: int,
                                                   data: st.DataObject) -> None:
    votes = data.draw(st.integers(0, ballots))
    found = check_minute(station(registered, ballots, votes),
                         StationContext("S1", registered, frozenset({"PA"})))
    bounded = {f.field for f in found if f.code == "E-PV-012"}
    assert ("ballots" in bounded) == (ballots > registered)
    assert ("votes.PA" in bounded) == (votes > registered)
    assert ("illegal" in bounded) == (ballots - votes > registered)


@pytest.mark.parametrize("value", [2**31, 2**63 + 5, 10**12 * 10**12])
def test_figures_at_or_beyond_2_31_are_refused_naming_the_field(value: int) -> None:
    doc = station(500, 100, 100).to_json()
    doc["votes"] = {"PA": value}
    with pytest.raises(InputError) as info:
        Minute.from_json(doc)
    assert info.value.code == "E-PV-013" and info.value.field == "votes.PA"
    doc = station(500, 100, 100).to_json() | {"ballots": value}
    with pytest.raises(InputError) as info:
        Minute.from_json(doc)
    assert info.value.field == "ballots"
    assert Minute.from_json(station(500, 100, 100).to_json() | {"ballots": MAX_COUNT}).ballots
