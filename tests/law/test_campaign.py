"""Campaign rules (guide ch. 4): every check passes a compliant act and fails a breach, with
its code (decree 2.15.578; art. 36–38, law 59.11; dahir 1.58.377; order 3136.11)."""

from __future__ import annotations

from datetime import date

import pytest

from intikhab.law import campaign as camp
from intikhab.law.calendar import at
from intikhab.law.errors import InputError

D = date(2021, 9, 1)


def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.code for f in findings]


def test_poster_place_size_colours_decree_2_15_578_art_38() -> None:
    assert camp.check_poster(None, 841, 1189, ["other"]) == []
    assert camp.check_poster(None, 1189, 841) == []  # either orientation
    assert len(camp.PosterPlace) == 9 and all(p.ar and p.fr for p in camp.PosterPlace)
    assert codes(camp.check_poster("trees")) == ["E-CAMP-001"]
    assert codes(camp.check_poster(None, 900, 1200)) == ["E-CAMP-002"]
    assert codes(camp.check_poster(None, colours=["green"])) == ["E-CAMP-003"]
    assert codes(camp.check_poster(None, colours=["red", "green"])) == ["E-CAMP-003"] * 2
    with pytest.raises(InputError) as e:
        camp.check_poster("moon")
    assert e.value.code == "E-CAMP-006"


def test_premises_and_removal_after_warning() -> None:
    assert camp.check_premises(2) == []
    assert codes(camp.check_premises(3)) == ["E-CAMP-004"]
    warned = at(D, 10)
    assert camp.check_removal_after_warning(warned, at(date(2021, 9, 2), 9), at(D, 12)) == []
    assert codes(camp.check_removal_after_warning(warned, None, at(date(2021, 9, 2), 11))) == [
        "E-CAMP-005"]


def test_meeting_dahir_1_58_377_arts_3_5() -> None:
    ok = camp.Meeting(starts=at(D, 18), ends=at(D, 23), declared_end=at(D, 23),
                      receipt_at=at(date(2021, 8, 31), 17))
    assert camp.check_meeting(ok) == []
    letter = camp.Meeting(starts=at(D, 18), ends=at(D, 23), declared_end=at(D, 23),
                          letter_at=at(date(2021, 8, 31), 17))  # 48 h needed
    assert codes(camp.check_meeting(letter)) == ["E-CAMP-010"]
    bad = camp.Meeting(starts=at(D, 18), ends=at(date(2021, 9, 2), 1),
                       declared_end=at(D, 23), receipt_at=at(date(2021, 8, 30)),
                       public_road=True, bureau=2, signatories=1)
    assert codes(camp.check_meeting(bad)) == ["E-CAMP-011", "E-CAMP-012", "E-CAMP-013",
                                              "E-CAMP-014", "E-CAMP-015"]


def test_procession_art_37() -> None:
    assert camp.check_procession(at(D, 9), at(date(2021, 9, 2), 10), at(date(2021, 9, 2), 12),
                                 "Bd Mohammed V") == []
    assert codes(camp.check_procession(at(D, 11), at(date(2021, 9, 2), 10), None, " ")) == [
        "E-CAMP-021", "E-CAMP-020"]


def test_public_halls_order_3136_11() -> None:
    assert camp.in_campaign(at(D, 10), date(2021, 9, 8))
    assert not camp.in_campaign(at(date(2021, 8, 20)), date(2021, 9, 8))
    act = at(date(2021, 9, 5), 18)
    assert camp.check_hall_request(at(date(2021, 9, 3), 17), act, during_campaign=True,
                                   answered_at=at(date(2021, 9, 4), 9)) == []
    assert codes(camp.check_hall_request(at(date(2021, 9, 3), 17), act,
                                         during_campaign=False)) == ["E-CAMP-030"]
    late = camp.check_hall_request(at(date(2021, 9, 1)), act, during_campaign=True,
                                   answered_at=at(date(2021, 9, 3)))
    assert codes(late) == ["W-CAMP-031"] and late[0].level == "warning"
    assert camp.check_cancellation(at(date(2021, 9, 4), 17), act) == []
    assert codes(camp.check_cancellation(at(date(2021, 9, 4), 19), act)) == ["E-CAMP-032"]
