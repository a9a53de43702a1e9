"""The record of a council's bureau-election session as PDF (``formats.documents.bureau``,
``services.documents.bureau_record``, ``intikhab documents bureau``): the president (art. 13 of
law 113.14), the vice-presidents by list (art. 19), the secretary and his deputy (art. 23) —
candidacies admitted or turned away with their reason, each round's votes, the votes needed,
the ties and how each was settled (a lot entered, a lot drawn from the public seed, the
youngest), the bureau as formed — read in the right order in Arabic and French, look like
their approved images, keep the signatures with what precedes them, are A4; from the
database on SQLite and PostgreSQL; the CLI writes, refuses to overwrite, codes its failures.

Uses Debian's poppler-utils (pdftotext, pdftoppm, pdfinfo); the helpers are the other
documents' (``test_documents``).  Re-approve the images with ``INTIKHAB_APPROVE=1``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from _night import run
from conftest import small_bundle
from sqlalchemy.orm import Session, sessionmaker
from test_bureaus import c1_session
from test_documents import check_images, in_order, pages, text
from typer.testing import CliRunner

from intikhab.formats.documents import CouncilHeader, Seal, bureau_document, render
from intikhab.formats.documents.model import BureauDocument
from intikhab.law.allocation import Sex, seeded_draw
from intikhab.law.bureau import CouncilKind, Member, Standing, VPList
from intikhab.law.bureau_rounds import Round
from intikhab.law.councils import Mode
from intikhab.law.errors import IntikhabError
from intikhab.services import bureaus, documents
from intikhab.services.rosters import Roster, rosters

NAMES = ["محمد العلوي", "فاطمة الزهراء بناني", "يوسف الشرايبي", "سلمى الداودي", "كريم الفاسي",
         "نعيمة الفيلالي", "حسن القصوص", "خديجة الإدريسي", "عمر التازي", "ليلى برادة",
         "رشيد المنصوري", "سعاد العمراني", "إدريس الوزاني", "أمينة السوسي", "زينب الحجوي"]
HEADER = CouncilHeader("commune", "جماعة الرباط", "الانتخابات العامة 2021", date(2021, 9, 8),
                       region="جهة الرباط سلا القنيطرة", prefecture="عمالة الرباط")
SEAL = Seal("cd" * 32, "https://intikhab.invalid/records/bureau/C9.html?sha256=" + "cd" * 32)
PARTIES = {"A": "حزب الأرز", "B": "حزب الزيتون", "C": "حزب النخيل"}
LOT = "president:round3:m01|m07"


def _m(i: int, party: str | None, lst: str, head: bool = False, born: str = "1975-01-01",
       sex: str = "M", in_office: bool = True) -> Member:
    return Member(f"m{i:02d}", NAMES[i - 1], date.fromisoformat(born), Sex(sex), party, lst,
                  head, in_office)


def council() -> Roster:
    """A commune council of 15 elected by list (art. 16 of law 113.14: 4 vice-presidents, two
    women on each list): three parties and an independent list; m12 no longer in office."""
    members = (
        _m(1, "A", "A1", True, "1970-05-01"), _m(2, "A", "A1", born="1980-02-02", sex="F"),
        _m(3, "A", "A1", born="1981-03-03"), _m(4, "A", "A1", born="1982-04-04", sex="F"),
        _m(5, "A", "A1", born="1983-05-05"), _m(6, "A", "A1", born="1984-06-06", sex="F"),
        _m(7, "B", "B1", True, "1970-05-01"), _m(8, "B", "B1", born="1985-07-07", sex="F"),
        _m(9, "B", "B1", born="1986-08-08"), _m(10, "B", "B1", born="1975-03-03", sex="F"),
        _m(11, "C", "C1", True, "1979-09-09", "F"),
        _m(12, "C", "C1", born="1966-10-10", in_office=False), _m(13, "C", "C1"),
        _m(14, None, "I1", True, "1968-11-11"), _m(15, None, "I1", born="1975-03-03", sex="F"))
    return Roster("C9", CouncilKind.COMMUNE, Mode.LIST, members, True, "جماعة الرباط")


def session_input(pending: bool = False) -> bureaus.SessionInput:
    """Round 3 of the president tied between two heads of the same age: a lot the session
    entered; a list without enough women turned away; the deputy secretary's tie drawn from the
    public seed.  ``pending``: the session stopped after round 1 of the president."""
    president = bureaus.OfficeVote(
        (Standing("m01", True), Standing("m07", True), Standing("m11"), Standing("m03", True)),
        rounds=(Round(14, {"m01": 6, "m07": 6}),) if pending else (
            Round(14, {"m01": 6, "m07": 6}), Round(14, {"m01": 7, "m07": 7}),
            Round(13, {"m01": 6, "m07": 6})))
    if pending:
        return bureaus.SessionInput("C9", date(2021, 9, 20), 14, president)
    return bureaus.SessionInput(
        "C9", date(2021, 9, 20), 14, president,
        bureaus.OfficeVote(lists=(VPList("L1", "m01", ("m02", "m03", "m04", "m05")),
                                  VPList("L2", "m09", ("m09", "m08", "m13", "m14"))),
                           rounds=(Round(14, {"L1": 9}),)),
        bureaus.OfficeVote((Standing("m06"), Standing("m02")), rounds=(Round(14, {"m06": 10}),)),
        bureaus.OfficeVote((Standing("m10"), Standing("m15")),
                           rounds=(Round(14, {"m10": 5, "m15": 5}),)),
        lots={LOT: "m01"}, seed="bureau-2021")


def stored(roster: Roster, s: bureaus.SessionInput) -> dict[str, Any]:
    """The session as ``services.bureaus.record`` stores it."""
    status, offices, outcome = bureaus.run_session(roster, s)
    return {"council_id": s.council, "council_kind": roster.kind.value,
            "mode": roster.mode.value, "held_on": s.held_on, "members": len(roster.members),
            "in_office": sum(m.in_office for m in roster.members), "present": s.present,
            "status": status,
            "roster": [{"id": m.id, "name": m.name, "birth_date": m.birth_date.isoformat(),
                        "sex": m.sex.value, "party": m.party, "list": m.list,
                        "list_head": m.list_head, "in_office": m.in_office}
                       for m in roster.members],
            "offices": offices, "outcome": outcome, "lots": dict(s.lots), "lot_seed": s.seed}


def record(pending: bool = False) -> BureauDocument:
    return bureau_document(HEADER, SEAL, stored(council(), session_input(pending)), PARTIES)


# --- the model ------------------------------------------------------------------------------


def test_the_record_explains_each_office_art_13_19_23() -> None:
    doc = record()
    assert (doc.law, doc.members, doc.in_office, doc.present, doc.majority) == (
        "113.14", 15, 14, 14, 8)
    assert doc.vice_presidents == 4 and doc.status == "formed"
    pres, vps, sec, dep = doc.offices
    assert [o.article for o in doc.offices] == ["13", "19", "23", "23"]
    assert [(c.id, c.rejection) for c in pres.contenders] == [
        ("m01", ""), ("m07", ""), ("m11", "E-BUR-025"), ("m03", "E-BUR-022")]
    assert [(r.rule, r.needed, r.outcome) for r in pres.rounds] == [
        ("absolute_in_office", 8, "no_majority"), ("absolute_in_office", 8, "no_majority"),
        ("relative_present", None, "elected")]
    assert pres.rounds[2].votes == (("m01", 6), ("m07", 6)) and pres.rounds[2].present == 13
    assert pres.rounds[2].elected == "m01" and pres.elected == (NAMES[0],)
    tie = pres.ties[-1]
    assert (tie.key, tie.decided_by, tie.lot_source, tie.winner) == (
        LOT, "lot", "entered", NAMES[0])
    assert [(c.id, c.rejection) for c in vps.contenders] == [("L1", ""), ("L2", "E-BUR-028")]
    assert vps.contenders[0].members[1] == (NAMES[2], False)
    assert vps.elected == tuple(NAMES[i] for i in (1, 2, 3, 4))
    assert [(c.id, c.rejection) for c in sec.contenders] == [("m06", ""), ("m02", "E-BUR-026")]
    winner = seeded_draw("bureau-2021", "deputy_secretary:round1:m10|m15", ["m10", "m15"])
    assert dep.ties[0].lot_source == "seed" and dep.elected == (NAMES[int(winner[1:]) - 1],)
    assert [(s.role, s.rank) for s in doc.composition] == [
        ("president", 1), *(("vice_president", i) for i in range(1, 5)),
        ("council_secretary", 1), ("deputy_secretary", 1)]
    assert doc.composition[0].party_name == "حزب الأرز" and doc.lot_seed == "bureau-2021"


def test_a_pending_session_says_what_remains() -> None:
    doc = record(pending=True)
    assert doc.status == "pending" and doc.composition == ()
    assert (doc.offices[0].status, doc.offices[0].next_round) == ("next_round", 2)
    assert [o.status for o in doc.offices[1:]] == ["not_held"] * 3


def test_a_lot_awaited_is_printed_as_such(tmp_path: Path) -> None:
    """Without the lot entered nor a public seed, round 3's tie waits for the lot (art. 13:
    equal votes and equal ages): the record says so and goes no further."""
    s = dataclasses.replace(session_input(), lots={}, seed=None)
    doc = bureau_document(HEADER, SEAL, stored(council(), s), PARTIES)
    pres = doc.offices[0]
    assert (pres.status, pres.elected, doc.status, doc.composition) == (
        "lot_required", (), "pending", ())
    assert (pres.ties[-1].decided_by, pres.ties[-1].winner) == ("pending", "")
    assert pres.rounds[-1].outcome == "no_majority" and doc.lot_seed is None
    got = text(render(doc, "fr"), tmp_path)
    assert in_order(got, ["Égalités", "tirage attendu", "Tirage au sort requis",
                          "Élection non tenue"])


@pytest.mark.parametrize("where", ["offices", "outcome"])
def test_a_session_that_does_not_replay_is_refused(where: str) -> None:
    """The record prints what the law decides from the stored rounds; a stored outcome that
    says otherwise (altered, or decided by other rules) is ``E-DOC-005`` — an office's, or who
    governs (whose digest the record prints)."""
    data = stored(council(), session_input())
    if where == "offices":
        data["offices"]["secretary"]["outcome"]["elected"] = "m02"
    else:
        data["outcome"]["deputy_secretary"] = "m13"
    with pytest.raises(IntikhabError) as err:
        bureau_document(HEADER, SEAL, data, PARTIES)
    field = "offices.secretary" if where == "offices" else "outcome"
    assert (err.value.code, err.value.field) == ("E-DOC-005", field)


# --- the PDF --------------------------------------------------------------------------------


def test_arabic_record_reads_in_order(tmp_path: Path) -> None:
    got = text(render(record(), "ar"), tmp_path)
    assert in_order(got, ["المملكة المغربية", "محضر جلسة انتخاب الرئيس ونوابه", "جماعة الرباط",
                          "113.14", "انتخاب الرئيس", NAMES[0], NAMES[6], "انتخاب نواب الرئيس",
                          NAMES[1], NAMES[4], NAMES[8], "انتخاب كاتب المجلس", NAMES[5],
                          "انتخاب نائب كاتب المجلس", "تشكيلة مكتب المجلس", "التوقيعات"])
    signing = got[got.index("التوقيعات"):]  # three boxes on one line, read left to right
    assert all(in_order(signing, [x]) for x in ("رئيس الجلسة", "ممثل السلطة الإدارية",
                                                "كاتب الجلسة"))
    assert in_order(got, ["غير مرفق بتزكية", "E-BUR-025", "لا يترشح للرئاسة", "E-BUR-022"])
    assert LOT in got and "bureau-2021" in got
    row = next(ln for ln in got.splitlines() if NAMES[6] in ln and "7" in ln)
    assert row.count("6") == 2  # m07: 6, 7, 6 votes on the candidate's line
    assert SEAL.digest in got


def test_french_record_reads_in_order(tmp_path: Path) -> None:
    got = text(render(record(), "fr"), tmp_path)
    assert in_order(got, ["Royaume du Maroc", "Procès-verbal de la séance d'élection du bureau",
                          "Conseil communal", "loi organique n° 113.14",
                          "Élection du président (art. 13)", "Tour 1", "Tour 3",
                          "Membres présents", "Voix requises", "Élection des vice-présidents",
                          "Élection du secrétaire (art. 23)", "Composition du bureau",
                          "Président", "Vice-président 4", "Secrétaire adjoint", "Signatures",
                          "Président de séance", "Représentant de l'autorité"])
    assert "investiture du parti" in got and "tirage au sort" in got
    assert "Majorité absolue des membres en fonctions" in got


def test_pending_record_prints_the_offices_not_held(tmp_path: Path) -> None:
    got = text(render(record(pending=True), "fr"), tmp_path)
    assert in_order(got, ["Bureau non encore constitué", "Tour suivant", "Tour 2",
                          "Élection non tenue lors de la séance", "Signatures"])


def big_record() -> BureauDocument:
    """A commune council of 61 (10 vice-presidents, art. 16 of law 113.14): six parties, the
    sixth under the fifth's seats (its head turned away, art. 13), four lists of ten — a record
    of several pages; the secretary not yet elected."""
    people = []
    for p in range(6):
        for k in range(11 if p < 5 else 6):
            i = len(people) + 1
            people.append(Member(f"x{i:02d}", f"{NAMES[i % 15]} {i}", date(1960 + i % 30, 1, 1),
                                 Sex.F if k % 2 else Sex.M, f"P{p}", f"P{p}", k == 0))
    roster = Roster("C8", CouncilKind.COMMUNE, Mode.LIST, tuple(people), True)
    heads = [m.id for m in people if m.list_head]
    lists = (VPList("LP", heads[0], tuple(m.id for m in people[1:11])),
             *(VPList(f"L{p}", heads[p], tuple(m.id for m in people[11 * p:11 * p + 10]))
               for p in range(1, 4)))
    s = bureaus.SessionInput(
        "C8", date(2021, 9, 20), 60,
        bureaus.OfficeVote(tuple(Standing(h, True) for h in heads), rounds=(
            Round(60, dict(zip(heads, (31, 9, 7, 7, 6), strict=False))),)),
        bureaus.OfficeVote(lists=lists, rounds=(
            Round(60, {"LP": 31, "L1": 10, "L2": 10, "L3": 9}),)))
    return bureau_document(HEADER, SEAL, stored(roster, s), PARTIES)


def test_signature_block_is_never_alone_on_the_last_page(tmp_path: Path) -> None:
    """The last rows of the bureau as formed, the note and the signatures stay together on
    the last page."""
    doc = big_record()
    assert len(doc.composition) == 11 and doc.offices[2].status == "next_round"
    pdf = render(doc, "ar")
    n = len(pages(pdf, tmp_path))
    assert n >= 2
    last = text(pdf, tmp_path, page=n)
    assert in_order(last, [doc.composition[-1].name, "حرر هذا المحضر", "التوقيعات"])
    assert in_order(last, ["كاتب الجلسة"]) and "انتخاب الرئيس" not in last


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_page_is_a4(lang: str, tmp_path: Path) -> None:
    sizes = pages(render(big_record(), lang), tmp_path)
    assert len(sizes) >= 2 and all(s.endswith("(A4)") for s in sizes), sizes


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_pages_look_like_the_approved_images(lang: str, tmp_path: Path) -> None:
    check_images(f"bureau-{lang}", render(record(), lang), tmp_path)


# --- from the database ----------------------------------------------------------------------


@pytest.fixture
def night(Sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The small election declared, and commune C1's bureau elected (``test_bureaus``)."""
    run(Sessions, small_bundle())
    with Sessions() as s:
        roster = rosters(s, ["C1"])["C1"]
    with Sessions.begin() as s:
        bureaus.record(s, "coord", [c1_session(roster)])
    return Sessions


def test_the_record_from_the_database(night: sessionmaker[Session], tmp_path: Path) -> None:
    """``bureau_record`` reads the latest session and replays it; its digest is the audit
    log's for the session; the region's documents include it; errors are coded."""
    with night() as s:
        doc = documents.bureau_record(s, "C1", "https://x.test")
        assert documents.bureau_record(s, "C1", "https://x.test") == doc
        listed = list(documents.bureau_records(s, ["R1", "C1", "C2"], "https://x.test"))
        region = [p for p, _ in documents.region_documents(s, "R1") if p.startswith("bureau/")]
        for council, code in (("NOPE", "E-COUNCIL-003"), ("C2", "E-DOC-004")):
            with pytest.raises(IntikhabError) as err:
                documents.bureau_record(s, council)
            assert err.value.code == code
    assert [c for c, _ in listed] == ["C1"] and listed[0][1] == doc and region == ["bureau/C1"]
    assert doc.header.kind == "commune" and doc.header.region and doc.header.prefecture
    assert doc.seal.url == f"https://x.test/records/bureau/C1.html?sha256={doc.seal.digest}"
    assert (doc.members, doc.present, doc.status, doc.vice_presidents) == (31, 29, "formed", 6)
    assert doc.offices[0].ties[-1].decided_by == "age"  # art. 13: the younger head
    assert doc.composition[0].party == "PB" and doc.composition[0].party_name == "حزب PB"
    got = text(render(doc, "ar"), tmp_path)
    assert in_order(got, ["انتخاب الرئيس", "PA-C1-g0", "PB-C1-g0", "تشكيلة مكتب المجلس"])


def test_cli_writes_refuses_to_overwrite_and_codes_its_failures(
        night: sessionmaker[Session], db_url: str, tmp_path: Path) -> None:
    from intikhab.cli.main import app

    runner = CliRunner()
    out = tmp_path / "c1.pdf"
    args = ["documents", "bureau", "C1", "--out", str(out), "--lang", "fr", "--db", db_url]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert out.read_bytes().startswith(b"%PDF") and '"digest"' in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "E-DOC-002" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    for council, code in (("NOPE", "E-COUNCIL-003"), ("R1", "E-DOC-004")):
        bad = runner.invoke(app, ["documents", "bureau", council, "--out",
                                  str(tmp_path / "x.pdf"), "--db", db_url])
        assert bad.exit_code == 2 and code in bad.output, bad.output
    assert not (tmp_path / "x.pdf").exists()
