"""Candidacy checks (law/candidacy.py): each rule a passing and a failing case, named with its
article of organic law 59.11 as amended; the service (deposit, decision, ballot, publication,
imports all or nothing with line numbers) on SQLite and PostgreSQL; the CLI."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_PASSWORD, small_bundle, with_passwords
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.formats import filings
from intikhab.formats.rows import ImportRejected
from intikhab.law.allocation import Sex
from intikhab.law.candidacy import (
    Filing,
    Nominee,
    Office,
    OfficeKind,
    Signature,
    add_months,
    add_years,
    arrondissement_list,
    check_filing,
    check_set,
    commune_district,
    commune_list,
    region_list,
    required_signatures,
)
from intikhab.law.errors import Level
from intikhab.law.registration import CASABLANCA, RegistrationStatus, filing_deadline
from intikhab.services import candidacy as svc
from intikhab.services.setup import load_bundle
from intikhab.store import audit
from intikhab.store.models import AuditLog, Candidacy, CandidacyFiling

POLL = date(2021, 9, 8)
DEADLINE = filing_deadline(POLL)
AT = datetime(2021, 8, 20, 10, 0, tzinfo=CASABLANCA)
SEATS = {
    "C1": commune_list("C1", "C1", 60_000),  # 31 = 20 + 11 (art. 128 bis §2)
    "D1": commune_district("D1", "C2", True),
    "D2": commune_district("D2", "C2", False),
    "K1": region_list("K1", "R1", 5, ["K1", "K2"]),  # 3 + 2
    "A1": arrondissement_list("A1", "M", ["A1", "A2"], 18, 20),  # (12+13) + (6+7)
}


def person(nid: str, sex: str = "M", **kw: Any) -> Nominee:
    base: dict[str, Any] = dict(
        national_id=nid, first_name="الاسم", last_name=nid, sex=Sex(sex),
        birth_date=date(1980, 1, 1), birth_place="C1", address="Rue 1", profession="Teacher",
        registered_in="C1", party="PA", photo=True, registration_certificate=True,
        criminal_record_issued=date(2021, 8, 1), signature_certified=True, residence="C1")
    return Nominee(**(base | kw))


def a_list(fid: str = "F1", cid: str = "C1", party: str | None = "PA", **kw: Any) -> Filing:
    s = SEATS[cid]
    g = tuple(person(f"{fid}g{i}", party=party, registered_in="M" if cid == "A1" else "C1",
                     residence="M" if cid == "A1" else "C1") for i in range(s.general))
    w = tuple(person(f"{fid}w{i}", "F", party=party, registered_in="M" if cid == "A1" else "C1",
                     residence="M" if cid == "A1" else "C1") for i in range(s.women))
    base: dict[str, Any] = dict(id=fid, constituency=cid, name=f"لائحة {fid}", filed_at=AT,
                                general=g, women=w, party=party, endorsement=party,
                                agent=g[0].national_id)
    return Filing(**(base | kw))


def district(fid: str = "F2", cid: str = "D1", party: str | None = "PA", **kw: Any) -> Filing:
    here = dict(party=party, registered_in="C2", residence="C2")
    women = (person(f"{fid}w", "F", **here),) if SEATS[cid].women else ()
    base: dict[str, Any] = dict(id=fid, constituency=cid, name=f"{fid}", filed_at=AT,
                                general=(person(f"{fid}c", **here),), women=women, party=party,
                                endorsement=party)
    return Filing(**(base | kw))


def codes(filing: Filing, alliances: dict[str, frozenset[str]] | None = None) -> set[str]:
    return {f.code for f in check_filing(filing, SEATS[filing.constituency], POLL, DEADLINE,
                                         alliances)}


def with_person(f: Filing, **kw: Any) -> Filing:
    return replace(f, general=(replace(f.general[0], **kw), *f.general[1:]))


# --- a complete filing passes ------------------------------------------------------------------


@pytest.mark.parametrize("filing", [a_list(), a_list("F9", "K1"), a_list("F8", "A1"),
                                    district(), district("F3", "D2")],
                         ids=["list", "region", "arrondissement", "district+attached", "district"])
def test_complete_filing_has_no_finding_art_7_85_134(filing: Filing) -> None:
    assert codes(filing) == set()


def test_seats_come_from_councils() -> None:
    """Art. 128 bis §2: 31 = 20 + 11; art. 76: 5 → 3 + 2; arrondissement: communal 18 → 12 + 6,
    arrondissement 20 → 13 + 7, part 1 = 25, part 2 = 13 (guide ch. 3.1)."""
    assert (SEATS["C1"].general, SEATS["C1"].women) == (20, 11)
    assert (SEATS["K1"].general, SEATS["K1"].women) == (3, 2)
    assert (SEATS["A1"].general, SEATS["A1"].women) == (25, 13)
    assert (SEATS["D1"].general, SEATS["D1"].women, SEATS["D2"].women) == (1, 1, 0)
    assert region_list("K9", "R1", 1, ["K9"]).women == 0


# --- contents and deposit (art. 7) -------------------------------------------------------------


@pytest.mark.parametrize("kw", [{"photo": False}, {"registration_certificate": False},
                                {"criminal_record_issued": None}, {"profession": ""},
                                {"signature_certified": False}, {"birth_date": None},
                                {"sex": None}, {"address": ""}])
def test_missing_required_item_art_7(kw: dict[str, Any]) -> None:
    assert codes(with_person(a_list(), **kw)) == {"E-CAND-001"}


def test_list_needs_name_and_agent_art_7() -> None:
    assert codes(a_list(agent=None)) == {"E-CAND-001"}
    assert codes(a_list(name="")) == {"E-CAND-001"}


def test_three_copies_in_person_art_7() -> None:
    assert codes(a_list(copies=2)) == {"E-CAND-002"}
    assert codes(a_list(in_person=False)) == {"E-CAND-002"}
    assert codes(a_list(copies=3)) == set()


def test_filed_by_noon_d_minus_14_art_85_134() -> None:
    assert datetime(2021, 8, 25, 12, 0, tzinfo=CASABLANCA) == DEADLINE
    assert codes(a_list(filed_at=DEADLINE)) == set()
    late = a_list(filed_at=datetime(2021, 8, 25, 12, 1, tzinfo=CASABLANCA))
    assert codes(late) == {"E-CAND-003"}


def test_criminal_record_less_than_three_months_art_7() -> None:
    assert codes(with_person(a_list(), criminal_record_issued=date(2021, 5, 21))) == set()
    assert codes(with_person(a_list(), criminal_record_issued=date(2021, 5, 20))) == {
        "E-CAND-004"}
    assert add_months(date(2021, 11, 30), 3) == date(2022, 2, 28)


# --- eligibility (art. 79, art. 6, art. 5) -------------------------------------------------------


def test_age_18_on_polling_day_art_79_constitution_30() -> None:
    assert codes(with_person(a_list(), birth_date=date(2003, 9, 8))) == set()
    assert codes(with_person(a_list(), birth_date=date(2003, 9, 9))) == {"E-CAND-005"}


def test_registered_on_general_list_art_79() -> None:
    assert codes(with_person(a_list(), registered_in=None)) == {"E-CAND-006"}


def test_naturalised_five_years_art_6() -> None:
    assert codes(with_person(a_list(), naturalised_on=date(2016, 9, 8))) == set()
    assert codes(with_person(a_list(), naturalised_on=date(2016, 9, 9))) == {"E-CAND-007"}
    lifted = with_person(a_list(), naturalised_on=date(2020, 1, 1),
                         naturalisation_restriction_lifted=True)
    assert codes(lifted) == set()


def test_dismissal_bars_one_full_term_art_6() -> None:
    assert codes(with_person(a_list(), dismissed_on=date(2015, 9, 8))) == set()
    assert codes(with_person(a_list(), dismissed_on=date(2016, 1, 1))) == {"E-CAND-008"}
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)


def test_lost_capacity_and_convictions_art_6() -> None:
    assert codes(with_person(a_list(), lost_capacity=True)) == {"E-CAND-009"}
    assert codes(with_person(a_list(), convicted_65_68=True)) == {"E-CAND-010"}


@pytest.mark.parametrize("kind", ["judge", "interior_authority", "armed_forces",
                                  "office_abroad", "treasurer"])
def test_barred_office_and_one_year_cooling_off_art_5(kind: str) -> None:
    held = Office(OfficeKind(kind))
    left_recently = Office(OfficeKind(kind), left_on=date(2020, 9, 9))
    left_long_ago = Office(OfficeKind(kind), left_on=date(2020, 9, 8))
    assert codes(with_person(a_list(), offices=(held,))) == {"E-CAND-011"}
    assert codes(with_person(a_list(), offices=(left_recently,))) == {"E-CAND-011"}
    assert codes(with_person(a_list(), offices=(left_long_ago,))) == set()


def test_communal_bar_in_own_commune_art_132() -> None:
    staff = Office(OfficeKind.COMMUNE_STAFF, place="C1")
    assert codes(with_person(a_list(), offices=(staff,))) == {"E-CAND-012"}
    assert codes(with_person(a_list(), offices=(replace(staff, place="C7"),))) == set()
    assert codes(with_person(a_list(), offices=(replace(staff, left_on=date(2020, 1, 1)),))
                 ) == set()
    # the communal bar does not concern a regional candidacy
    assert codes(with_person(a_list("F9", "K1"), offices=(staff,))) == set()


def test_regional_incompatibility_is_a_warning_to_resolve_art_82_83() -> None:
    f = with_person(a_list("F9", "K1"), offices=(Office(OfficeKind.PREFECTURE_COUNCIL),))
    found = check_filing(f, SEATS["K1"], POLL, DEADLINE)
    assert [(x.code, x.level) for x in found] == [("W-CAND-013", Level.WARNING)]
    left = with_person(a_list("F9", "K1"), offices=(
        Office(OfficeKind.REGION_PAID, "R1", date(2021, 1, 1)),))
    assert codes(left) == set()
    assert codes(with_person(a_list(), offices=(Office(OfficeKind.PREFECTURE_COUNCIL),))) == set()


# --- where one may stand (art. 131) ------------------------------------------------------------


NO_TIE = dict(residence="X", birth_place="X", taxed_in=(), father_birth_place=None,
              grandfather_birth_place=None)


@pytest.mark.parametrize("tie", [
    {"residence": "C1"}, {"birth_place": "C1"}, {"taxed_in": (("C1", date(2018, 9, 8)),)},
    {"father_birth_place": "C1", "grandfather_birth_place": "C1"}],
    ids=["residence", "birth", "taxed-3-years", "origin"])
def test_where_one_may_stand_art_131(tie: dict[str, Any]) -> None:
    assert codes(with_person(a_list(), **(NO_TIE | tie))) == set()


@pytest.mark.parametrize("tie", [
    {}, {"taxed_in": (("C1", date(2018, 9, 9)),)}, {"father_birth_place": "C1"}],
    ids=["none", "taxed-under-3-years", "father-only"])
def test_no_tie_to_the_commune_art_131(tie: dict[str, Any]) -> None:
    assert codes(with_person(a_list(), **(NO_TIE | tie))) == {"E-CAND-014"}


def test_any_arrondissement_where_registered_art_131() -> None:
    f = a_list("F8", "A1")
    assert codes(with_person(f, **NO_TIE, registered_in="A2")) == set()
    assert codes(with_person(f, **NO_TIE, registered_in="C1")) == {"E-CAND-014"}


# --- list structure (art. 85 §2, art. 134) -----------------------------------------------------


def test_parts_have_as_many_names_as_seats_art_85_134() -> None:
    f = a_list()
    assert codes(replace(f, general=f.general[:-1])) == {"E-CAND-015"}
    assert codes(replace(f, women=(*f.women, person("extra", "F")))) == {"E-CAND-015"}
    region = a_list("F9", "K1")
    assert codes(replace(region, women=region.women[:1])) == {"E-CAND-015"}
    arr = a_list("F8", "A1")  # divided commune: communal + arrondissement seats in each part
    assert len(arr.general) == 25 and codes(replace(arr, general=arr.general[:12])) == {
        "E-CAND-015"}


def test_district_attached_seat_art_134_item_2() -> None:
    assert codes(replace(district(), women=())) == {"E-CAND-015"}
    assert codes(replace(district("F3", "D2"), women=(person("w", "F", residence="C2"),))) == {
        "E-CAND-015"}


def test_part_two_women_only_art_85_134() -> None:
    f = a_list()
    assert codes(replace(f, women=(person("man", "M"), *f.women[1:]))) == {"E-CAND-016"}
    d = district()
    assert codes(replace(d, women=(replace(d.women[0], sex=Sex.M),))) == {"E-CAND-016"}


def test_one_party_per_list_unless_alliance_art_8() -> None:
    mixed = with_person(a_list(), party="PB")
    assert codes(mixed) == {"E-CAND-017"}
    allied = replace(with_person(a_list(party="AL"), party="PB"), endorsement="AL")
    allied = replace(allied, general=tuple(replace(n, party="PA") if n.party == "AL" else n
                                           for n in allied.general),
                     women=tuple(replace(n, party="PA") for n in allied.women))
    assert codes(allied, {"AL": frozenset({"PA", "PB"})}) == set()
    assert codes(allied) == {"E-CAND-017"}


def test_no_party_and_independent_mix_art_8() -> None:
    assert codes(with_person(a_list(), party=None)) == {"E-CAND-018"}
    ind = district("F3", "D2", party=None, signatures=tuple(
        Signature(f"v{i}", "C2") for i in range(10)), signature_deposits=1)
    assert codes(ind) == set()
    assert codes(with_person(ind, party="PA")) == {"E-CAND-018"}


def test_party_endorsement_art_7() -> None:
    assert codes(a_list(endorsement=None)) == {"E-CAND-019"}
    assert codes(a_list(endorsement="PB")) == {"E-CAND-019"}


def test_same_person_on_several_filings_art_8() -> None:
    one, two = a_list(), district("F3", "D2")
    two = with_person(two, national_id=one.general[5].national_id)
    found = check_set([one, two], SEATS, POLL, DEADLINE)
    assert {f.code for f in found["F1"]} == {"E-CAND-020"}
    assert {f.code for f in found["F3"]} == {"E-CAND-020"}
    twice = replace(one, general=(*one.general[:-1], one.general[0]))
    assert codes(twice) == {"E-CAND-020"}
    assert check_set([one, district("F3", "D2")], SEATS, POLL, DEADLINE) == {"F1": (), "F3": ()}


# --- independents' signatures (art. 85 §3–5, art. 134 item 6) ----------------------------------


def independent(fid: str, cid: str, signers: list[tuple[str, str]], **kw: Any) -> Filing:
    f = a_list(fid, cid, party=None) if SEATS[cid].kind == "list" else district(
        fid, cid, party=None)
    return replace(f, **({"signatures": tuple(Signature(n, p) for n, p in signers),
                          "signature_deposits": 1} | kw))


def test_communal_ten_signatures_per_seat_art_134() -> None:
    assert required_signatures(SEATS["D2"]) == 10
    assert required_signatures(SEATS["D1"]) == 20  # the district seat and its attached seat
    assert required_signatures(SEATS["C1"]) == 310
    assert required_signatures(SEATS["A1"]) == 180  # the arrondissement's communal seats
    assert codes(independent("I1", "D2", [(f"v{i}", "C2") for i in range(10)])) == set()
    assert codes(independent("I1", "D2", [(f"v{i}", "C2") for i in range(9)])) == {
        "E-CAND-021"}


def test_regional_twenty_per_seat_and_ten_percent_per_prefecture_art_85() -> None:
    assert required_signatures(SEATS["K1"]) == 100
    ok = [(f"v{i}", "K1") for i in range(90)] + [(f"w{i}", "K2") for i in range(10)]
    assert codes(independent("I1", "K1", ok)) == set()
    short = [(f"v{i}", "K1") for i in range(95)] + [(f"w{i}", "K2") for i in range(5)]
    assert codes(independent("I1", "K1", short)) == {"E-CAND-022"}


def test_signatures_of_other_voters_or_uncertified_not_counted_art_85_134() -> None:
    signers = [(f"v{i}", "C2") for i in range(9)] + [("x", "C9")]
    f = independent("I1", "D2", signers)
    assert codes(f) == {"W-CAND-023", "E-CAND-021"}
    f = replace(independent("I1", "D2", [(f"v{i}", "C2") for i in range(10)]),
                signatures=(Signature("v0", "C2", certified=False),
                            *(Signature(f"v{i}", "C2") for i in range(1, 10))))
    assert codes(f) == {"W-CAND-023", "E-CAND-021"}


def test_a_voter_signs_once_across_filings_art_85_134() -> None:
    first = independent("I1", "D2", [(f"v{i}", "C2") for i in range(10)])
    second = independent("I2", "D2", [(f"v{i}", "C2") for i in range(5, 15)],
                         filed_at=datetime(2021, 8, 21, tzinfo=CASABLANCA))
    found = check_set([first, second], SEATS, POLL, DEADLINE)
    assert found["I1"] == ()
    assert Counter(f.code for f in found["I2"]) == {"W-CAND-023": 5, "E-CAND-021": 1}


def test_one_deposit_of_signatures_art_85_134() -> None:
    f = independent("I1", "D2", [(f"v{i}", "C2") for i in range(10)], signature_deposits=2)
    assert codes(f) == {"E-CAND-024"}


def test_findings_read_in_three_languages() -> None:
    bad = with_person(a_list(copies=1, endorsement=None), birth_date=date(2010, 1, 1),
                      residence="X", birth_place="X", registered_in=None, lost_capacity=True,
                      offices=(Office(OfficeKind.JUDGE), Office(OfficeKind.COMMUNE_STAFF)))
    found = check_filing(replace(bad, women=bad.women[1:]), SEATS["C1"], POLL, DEADLINE)
    assert len({f.code for f in found}) >= 8
    for f in found:
        for lang in ("ar", "fr", "en"):
            assert "{" not in f.message(lang), (f.code, lang)
        assert str(f).startswith(f"{f.code} F1.")


def test_unknown_constituency() -> None:
    assert {x.code for x in check_set([a_list(constituency="ZZ")], SEATS, POLL)["F1"]} == {
        "E-CAND-025"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=30), min_size=1, max_size=5))
def test_property_a_voters_signature_counts_once(signers: list[list[int]]) -> None:
    """Art. 85 §4 / art. 134 item 6: across any set of independents' filings, the signatures
    counted add up to the number of distinct voters who signed."""
    filings = [independent(f"I{k}", "D2", [(f"v{v}", "C2") for v in vs],
                           filed_at=datetime(2021, 8, 16, k, tzinfo=CASABLANCA))
               for k, vs in enumerate(signers)]
    found = check_set(filings, SEATS, POLL, DEADLINE)
    counted = sum(len(f.signatures) - sum(x.code == "W-CAND-023" for x in found[f.id])
                  for f in filings)
    assert counted == len({v for vs in signers for v in vs})


# --- the service on SQLite and PostgreSQL ------------------------------------------------------


def doc_person(nid: str, sex: str = "M", party: str | None = "PA", place: str = "C1"
               ) -> dict[str, Any]:
    d = {"national_id": nid, "first_name": "الاسم", "last_name": nid, "sex": sex,
         "birth_date": "1980-01-01", "birth_place": place, "address": "Rue 1",
         "profession": "Teacher", "registered_in": place, "photo": True,
         "registration_certificate": True, "criminal_record_issued": "2021-08-01",
         "signature_certified": True, "residence": place}
    return d | ({"party": party} if party else {})


def doc_list(fid: str, cid: str, party: str, general: int, women: int,
             at: str = "2021-08-20T10:00:00") -> dict[str, Any]:
    place = "C1" if cid == "C1" else "K1"
    return {"id": fid, "constituency": cid, "name": f"لائحة {party}", "party": party,
            "endorsement": party, "agent": f"{fid}g0", "filed_at": at,
            "general": [doc_person(f"{fid}g{i}", party=party, place=place)
                        for i in range(general)],
            "women": [doc_person(f"{fid}w{i}", "F", party=party, place=place)
                      for i in range(women)]}


def doc_district(fid: str, cid: str, party: str | None, attached: bool,
                 at: str = "2021-08-20T11:00:00") -> dict[str, Any]:
    d: dict[str, Any] = {"id": fid, "constituency": cid, "name": f"{fid}", "filed_at": at,
                         "general": [doc_person(f"{fid}c", party=party, place="C2")],
                         "women": [doc_person(f"{fid}w", "F", party=party, place="C2")]
                         if attached else []}
    if party:
        d |= {"party": party, "endorsement": party}
    else:
        d["signatures"] = [{"national_id": f"s{fid}{i}", "registered_in": "C2"}
                           for i in range(20 if attached else 10)]
    return d


def documents() -> list[dict[str, Any]]:
    return [doc_list("L-PB", "C1", "PB", 20, 11, "2021-08-18T09:00:00"),
            doc_list("L-PA", "C1", "PA", 20, 11, "2021-08-19T09:00:00"),
            doc_district("D-IND", "D1", None, True, "2021-08-17T09:00:00"),
            doc_district("D-PA", "D1", "PA", True, "2021-08-19T10:00:00"),
            doc_list("R-PA", "K1", "PA", 3, 2)]


@pytest.fixture
def loaded(Sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with Sessions.begin() as s:
        load_bundle(s, small_bundle())
    return Sessions


def test_seats_from_the_territory_and_councils(Sessions: sessionmaker[Session]) -> None:
    """Art. 76–77 (a region's constituencies), art. 128 bis (list communes, arrondissements,
    attached seats): the seats each filing must fill come from law.councils."""
    bundle = small_bundle()
    bundle["communes"].append({"id": "M", "region": "R1", "prefecture": "K1", "name": "Ville",
                               "kind": "divided", "population": 900_000, "council_seats": 81})
    groups = [{"part": "general", "council": "commune", "seats": 12},
              {"part": "general", "council": "arrondissement", "seats": 13},
              {"part": "women", "council": "commune", "seats": 6},
              {"part": "women", "council": "arrondissement", "seats": 7}]
    bundle["constituencies"] += [
        {"id": a, "vote": "communal", "kind": "list", "council": "M", "name": a,
         "groups": groups} for a in ("A1", "A2")]
    with Sessions.begin() as s:
        load_bundle(s, bundle)
        seats = svc.seats_by_constituency(s)
    assert seats["A1"] == arrondissement_list("A1", "M", ["A1", "A2"], 18, 20)
    assert seats["C1"] == commune_list("C1", "C1", 60_000)
    assert seats["K1"] == region_list("K1", "R1", 5, ["K1"])
    assert seats["D1"] == commune_district("D1", "C2", True)
    assert seats["D2"].women == 0


def test_deposit_decide_ballot_publish(loaded: sessionmaker[Session]) -> None:
    """Art. 9 §2: provisional receipts numbered by arrival, final receipts with the same
    number; art. 11 §3 and §8: parties before independents, by registration number; the
    registered filings become the candidacies the minutes use."""
    with loaded.begin() as s:
        rows = svc.file_documents(s, "clerk1", documents())
        assert {r.id: r.arrival for r in rows} == {"L-PB": 1, "L-PA": 2, "D-IND": 1,
                                                   "D-PA": 2, "R-PA": 1}
        assert all(r.status == "provisional" for r in rows)
    with loaded.begin() as s:
        decided = svc.decide(s, "coord", datetime(2021, 8, 21, 9, tzinfo=CASABLANCA))
        assert {r.filing: (r.status, r.number) for r in decided} == {
            "L-PB": (RegistrationStatus.REGISTERED, 1), "L-PA": (RegistrationStatus.REGISTERED, 2),
            "D-IND": (RegistrationStatus.REGISTERED, 1), "D-PA": (RegistrationStatus.REGISTERED, 2),
            "R-PA": (RegistrationStatus.REGISTERED, 1)}
        assert [e.filing for e in svc.ballot(s, "C1")] == ["L-PB", "L-PA"]
        assert [e.filing for e in svc.ballot(s, "D1")] == ["D-PA", "D-IND"]
        rows2 = svc.combined_ballot(s, "C1", "K1")
        assert [(r.party, r.communal and r.communal.filing, r.regional and r.regional.filing)
                for r in rows2] == [("PB", "L-PB", None), ("PA", "L-PA", "R-PA")]
    with loaded.begin() as s:
        published = svc.publish(s, "coord")
        assert len(published) == 5
        c1 = {c.code: c for c in s.scalars(select(Candidacy).where(
            Candidacy.constituency_id == "C1"))}
        assert (c1["PB"].rank, c1["PA"].rank) == (1, 2)
        assert len(c1["PA"].candidates["general"]) == 20
        assert c1["PA"].candidates["women"][0]["sex"] == "F"
        ind = s.execute(select(Candidacy).where(Candidacy.code == "D-IND")).scalar_one()
        assert ind.party_id is None and ind.candidates["attached_woman"]["name"]
        assert audit.verify(s).ok
        actions = Counter(s.scalars(select(AuditLog.action)))
        assert actions["candidacy.file"] == 5 and actions["candidacy.registered"] == 5
        assert actions["candidacy.publish"] == 5


def test_decision_rejects_with_reasons_and_list_stays_valid(
        loaded: sessionmaker[Session]) -> None:
    """Art. 9 §3 (reasoned rejection); art. 8 last paragraph (a list stays valid when a
    candidate proves ineligible after the final receipt)."""
    docs = documents()
    docs[0]["general"][3]["birth_date"] = "2010-01-01"  # E-CAND-005
    with loaded.begin() as s:
        svc.file_documents(s, "clerk1", docs)
        by = {r.filing: r for r in svc.decide(s, "coord", datetime(2021, 8, 24, 9,
                                                                   tzinfo=CASABLANCA))}
    assert by["L-PB"].status is RegistrationStatus.REJECTED
    assert by["L-PB"].reasons == ("E-CAND-005",)
    assert "W-CAND-036" in by["L-PA"].notes  # decided more than 48 h after the deposit
    with loaded.begin() as s:
        with pytest.raises(Exception) as err:
            svc.reject(s, "coord", "L-PA", ["E-CAND-006"])
        assert getattr(err.value, "code", None) == "E-CAND-035"
    with loaded.begin() as s:
        svc.mark_ineligible(s, "coord", "L-PA", "L-PAg0")
        svc.publish(s, "coord")
        pa = s.execute(select(Candidacy).where(Candidacy.constituency_id == "C1",
                                               Candidacy.code == "PA")).scalar_one()
        assert pa.candidates["general"][0]["eligible"] is False
        assert pa.candidates["general"][1]["eligible"] is True
        with pytest.raises(Exception) as err:
            svc.decide(s, "clerk1")
        assert getattr(err.value, "code", None) == "E-ENTRY-004"  # a clerk does not decide


def test_withdraw_and_replace_until_the_deadline(loaded: sessionmaker[Session]) -> None:
    """Guide ch. 3.2 (withdrawal and replacement only within the filing period); art. 134
    item 5 (the attached seat's woman withdraws only herself)."""
    early = datetime(2021, 8, 22, 9, tzinfo=CASABLANCA)
    with loaded.begin() as s:
        svc.file_documents(s, "clerk1", documents())
    with loaded.begin() as s:
        with pytest.raises(Exception) as err:
            svc.withdraw(s, "clerk1", "D-PA", ["D-PAc"], early)
        assert getattr(err.value, "code", None) == "E-CAND-032"
    with loaded.begin() as s:
        assert svc.withdraw(s, "clerk1", "D-PA", ["D-PAc", "D-PAw"], early).status == \
            RegistrationStatus.WITHDRAWN
        new = doc_list("L-PB2", "C1", "PB", 20, 11, "2021-08-22T10:00:00")
        old, row = svc.replace_filing(s, "clerk1", "L-PB", ["L-PBg0"], new, early)
        assert old.status is RegistrationStatus.REPLACED and old.replaced_by == "L-PB2"
        assert row.arrival == 3 and row.status == "provisional"
    with loaded.begin() as s:
        with pytest.raises(Exception) as err:
            svc.withdraw(s, "clerk1", "L-PA", ["L-PAg0"],
                         datetime(2021, 8, 25, 12, 1, tzinfo=CASABLANCA))
        assert getattr(err.value, "code", None) == "E-CAND-031"
    with loaded.begin() as s:
        assert s.get_one(CandidacyFiling, "L-PA").status == "provisional"
        with pytest.raises(Exception) as err:
            svc.withdraw(s, "clerk1", "NOPE", ["x"], early)
        assert getattr(err.value, "code", None) == "E-CAND-037"


def test_import_json_and_csv_all_or_nothing_with_lines(loaded: sessionmaker[Session],
                                                       tmp_path: Path) -> None:
    good = tmp_path / "f.json"
    good.write_text(json.dumps({"filings": documents(), "alliances": [
        {"id": "AL", "name": "Alliance", "parties": ["PA", "PB"]}]}), encoding="utf-8")
    bad_docs = documents()
    bad_docs[2]["general"][0]["birth_date"] = "1980-13-01"
    bad_docs[4]["constituency"] = "ZZ"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_docs), encoding="utf-8")
    with loaded.begin() as s, pytest.raises(ImportRejected) as rej:
        svc.import_file(s, "clerk1", bad)
    assert [(e.row, e.code, e.field) for e in rej.value.errors] == [
        (3, "E-IMP-002", "general[0].birth_date"), (5, "E-CAND-025", "constituency")]
    csv_path = tmp_path / "f.csv"
    csv_path.write_text(to_csv(documents()[2:4]), encoding="utf-8")
    broken = tmp_path / "broken.csv"
    lines = to_csv(documents()[2:4]).splitlines()
    lines[2] = lines[2].replace(",F,", ",X,")  # the woman of D-IND: line 3
    lines[7] = lines[7].replace("signature", "signatur")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with loaded.begin() as s, pytest.raises(ImportRejected) as rej:
        svc.import_file(s, "clerk1", broken)
    assert sorted((e.row, e.field) for e in rej.value.errors) == [(3, "women[0].sex"),
                                                                    (8, "record")]
    with loaded.begin() as s:
        assert s.scalar(select(func.count()).select_from(CandidacyFiling)) == 0
        rows = svc.import_file(s, "clerk1", csv_path)
        assert [(r.id, r.arrival) for r in rows] == [("D-IND", 1), ("D-PA", 2)]
        assert rows[0].document["women"][0]["sex"] == "F"
        assert len(rows[0].document["signatures"]) == 20
    with loaded.begin() as s, pytest.raises(ImportRejected) as rej:
        svc.import_file(s, "clerk1", good)  # D-IND and D-PA again: nothing is written
    assert [(e.row, e.code) for e in rej.value.errors] == [(3, "E-IMP-004"), (4, "E-IMP-004")]
    with loaded.begin() as s:
        assert s.scalar(select(func.count()).select_from(CandidacyFiling)) == 2
        docs, alliances = filings.read_documents(good)
        assert len(svc.file_documents(s, "clerk1", docs[:2] + docs[4:], alliances)) == 3
        assert svc.alliances(s) == {"AL": frozenset({"PA", "PB"})}


def test_csv_rank_must_run_from_one_art_7(tmp_path: Path) -> None:
    text = to_csv([doc_list("L", "C1", "PA", 2, 1)]).splitlines()
    text[2] = text[2].replace(",general,2,", ",general,5,")
    path = tmp_path / "r.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    docs, _ = filings.read_documents(path)
    with pytest.raises(ImportRejected) as rej:
        filings.read_filing(docs[0])
    assert [(e.code, e.field) for e in rej.value.errors] == [("E-CAND-038", "general")]


def to_csv(docs: list[dict[str, Any]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, filings.CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for d in docs:
        head = {k: d.get(k, "") for k in filings.FILING_FIELDS if k != "id"} | {"filing": d["id"]}
        for part in ("general", "women"):
            for i, p in enumerate(d[part]):
                person_row = {k: ("true" if v is True else v) for k, v in p.items()
                              if k != "party"}
                w.writerow(head | person_row | {"record": "candidate", "part": part,
                                                "rank": i + 1,
                                                "candidate_party": p.get("party", "")})
        for sig in d.get("signatures", []):
            w.writerow(head | {"record": "signature", **sig})
    return buf.getvalue()


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_check_import_decide_ballot(tmp_path: Path) -> None:
    from intikhab.store.db import make_engine, migrate, sessions

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    with sessions(engine).begin() as s:
        load_bundle(s, small_bundle())
        with_passwords(s)
    engine.dispose()
    runner = CliRunner(env={"INTIKHAB_PASSWORD": TEST_PASSWORD})
    docs = documents()
    docs[1]["general"][2]["photo"] = False
    path = tmp_path / "f.json"
    path.write_text(json.dumps(docs), encoding="utf-8")
    res = runner.invoke(app, ["candidacy", "check", str(path), "--db", url])
    assert res.exit_code == 2
    assert "E-CAND-001 L-PA.general[2].photo: required item missing" in res.output
    path.write_text(json.dumps(documents()), encoding="utf-8")
    res = runner.invoke(app, ["candidacy", "check", str(path), "--db", url])
    assert res.exit_code == 0, res.output
    bad = tmp_path / "bad.csv"
    bad.write_text("filing,record\nX,candidate\n", encoding="utf-8")
    res = runner.invoke(app, ["candidacy", "import", str(bad), "--db", url, "--user", "clerk1"])
    assert res.exit_code == 2 and "line 2, E-IMP-002 record" in res.output
    res = runner.invoke(app, ["candidacy", "import", str(path), "--db", url, "--user", "clerk1"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["candidacy", "decide", "--db", url, "--user", "coord",
                              "--at", "2021-08-21T09:00"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["candidacy", "ballot", "C1", "--with", "K1", "--db", url])
    assert res.exit_code == 0 and "لائحة PB" in res.output
    res = runner.invoke(app, ["candidacy", "ballot", "D1", "--format", "html", "--db", url])
    assert res.exit_code == 0 and 'dir=rtl' in res.output and "D-IND" in res.output
    res = runner.invoke(app, ["candidacy", "ballot", "ZZ", "--db", url])
    assert res.exit_code == 2 and "E-CAND-025" in res.output
    res = runner.invoke(app, ["candidacy", "ineligible", "L-PA", "L-PAg3", "--db", url,
                              "--user", "coord"])
    assert res.exit_code == 0 and "L-PAg3" in res.output
    res = runner.invoke(app, ["candidacy", "reject", "R-PA", "--reason", "E-CAND-006", "--db",
                              url, "--user", "coord"])
    assert res.exit_code == 2 and "E-CAND-035" in res.output  # art. 8, last paragraph
    res = runner.invoke(app, ["candidacy", "reject", "D-PA", "--reason", "E-CAND-006", "--db",
                              url, "--user", "coord"])
    assert res.exit_code == 0 and '"rejected"' in res.output  # art. 8 §5
    res = runner.invoke(app, ["candidacy", "withdraw", "L-PB", "--by", "L-PBg0", "--at",
                              "2021-08-26T09:00", "--db", url, "--user", "clerk1"])
    assert res.exit_code == 2 and "E-CAND-031" in res.output
    res = runner.invoke(app, ["candidacy", "withdraw", "D-IND", "--by", "D-INDw", "--attached",
                              "--at", "2021-08-24T09:00", "--db", url, "--user", "clerk1"])
    assert res.exit_code == 0 and '"provisional"' in res.output  # art. 134 item 5
    res = runner.invoke(app, ["candidacy", "publish", "--db", url, "--user", "coord"])
    assert res.exit_code == 0 and '"published": 3' in res.output
    res = runner.invoke(app, ["candidacy", "list", "--json", "--db", url])
    status = {r["filing"]: r["status"] for r in json.loads(res.output)}
    assert status == {"L-PB": "registered", "L-PA": "registered", "D-IND": "provisional",
                      "D-PA": "rejected", "R-PA": "registered"}
    assert runner.invoke(app, ["candidacy", "list", "--db", url]).exit_code == 0
