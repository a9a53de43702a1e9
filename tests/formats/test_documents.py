"""The official documents as PDF (``formats.documents``, ``services.documents``, the CLI): the
minutes of guide ch. 8 (art. 21, 23, 93, 141 of law 59.11) and the allocation record of ch. 10
(art. 24, 92, 139) read in the right order in Arabic and French, look like their approved
images, keep the signatures with what precedes them, are A4 and reproducible byte for byte.

Uses Debian's poppler-utils (pdftotext, pdftoppm, pdfinfo).  Re-approve the images with
``INTIKHAB_APPROVE=1 pytest tests/test_documents.py``.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import small_bundle
from typer.testing import CliRunner

from intikhab.formats.documents import (
    Figures,
    Header,
    ListVotes,
    MinuteDocument,
    MinuteKind,
    Seal,
    allocation_document,
    render,
    render_many,
)
from intikhab.formats.documents.batch import write_all
from intikhab.law.allocation import (
    CandidateList,
    ListConstituency,
    Lots,
    Part,
    SeatGroup,
    allocate_lists,
)
from intikhab.law.rulesets import get_rules
from intikhab.records.minutes import Minute, Vote
from intikhab.services import documents, entry, results
from intikhab.services.setup import load_bundle
from intikhab.store.db import make_engine, migrate, sessions

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NAMES = ["حزب الأصالة والمعاصرة", "التجمع الوطني للأحرار", "حزب الاستقلال",
         "الاتحاد الاشتراكي للقوات الشعبية", "الحركة الشعبية", "حزب التقدم والاشتراكية"]
HEADER = Header("الانتخابات العامة 2021", date(2021, 9, 8), "communal", "جماعة الرباط",
                "الدائرة 1", region="جهة الرباط سلا القنيطرة", prefecture="عمالة الرباط",
                commune="الرباط", central_office="C1-O1", station="C1-S1",
                address="مدرسة ابن خلدون، شارع محمد الخامس")
SEAL = Seal("ab" * 32, "https://intikhab.invalid/records/minute/C1-S1/communal?sha256=" + "ab" * 32)


def minute_doc(n: int = 6) -> MinuteDocument:
    votes = tuple(ListVotes(i + 1, f"P{i + 1:02d}", f"{NAMES[i % 6]} {i + 1}", 1000 - 37 * i)
                  for i in range(n))
    valid = sum(v.votes for v in votes)
    return MinuteDocument(MinuteKind.STATION, HEADER,
                          Figures(9000, valid + 21, valid + 21, 20, 3, 1), votes, SEAL,
                          observations="مر الاقتراع في ظروف عادية.")


def guide_allocation() -> object:
    """The guide's regional example (ch. 10): 9 + 5 seats, quotient 170100 / 9 = 18900."""
    votes = [21500, 20150, 12100, 18610, 3200, 17800, 19335, 10600, 8300, 7050, 11900, 6020,
             9800]
    lists = tuple(CandidateList(f"{i}", v, NAMES[(i - 1) % 6])
                  for i, v in enumerate(votes, 1))
    c = ListConstituency(500000, 170100, 170100 - sum(votes),
                         (SeatGroup(Part.GENERAL, 9), SeatGroup(Part.WOMEN, 5)), lists, id="K")
    result = allocate_lists(c, get_rules("regional-2021"), Lots(seed="guide"))
    return allocation_document(HEADER, SEAL, c, result, lot_seed="guide")


def text(pdf: bytes, tmp: Path, *, layout: bool = True, page: int | None = None) -> str:
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else ["-raw"])]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout
    return BIDI.sub("", out.decode("utf-8"))


def pages(pdf: bytes, tmp: Path) -> list[str]:
    """pdfinfo's size line of every page."""
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return re.findall(r"Page\s+\d+ size:\s+(.*)", out)


def in_order(haystack: str, needles: list[str]) -> bool:
    """Every needle, in this order (spaces ignored: pdftotext splits some kerned Arabic
    letter pairs, such as زي, with a space)."""
    haystack = re.sub(r"\s+", "", haystack)
    at = -1
    for needle in (re.sub(r"\s+", "", n) for n in needles):
        at = haystack.find(needle, at + 1)
        if at < 0:
            return False
    return True


# --------------------------------------------------------------------------------------------


def test_arabic_minute_reads_in_order_art_23(tmp_path: Path) -> None:
    """The station minute (art. 21, 23): header, figures, lists in ballot order with their
    votes on their line, in Arabic shaped and right to left as pdftotext reads it back."""
    doc = minute_doc()
    got = text(render(doc, "ar"), tmp_path)
    assert in_order(got, ["المملكة المغربية", "محضر عمليات التصويت والفرز بمكتب التصويت",
                          "عدد الناخبين المقيدين", "الأصوات التي نالتها"])
    assert in_order(got, [v.name for v in doc.votes])
    lines = got.splitlines()
    for v in doc.votes:
        line = next(ln for ln in lines if v.name in ln)
        assert str(v.votes) in line and v.code in line
    assert "9000" in got and "الرئيس" in got and SEAL.digest in got


def test_french_minute_reads_in_order_art_23(tmp_path: Path) -> None:
    doc = minute_doc()
    got = text(render(doc, "fr"), tmp_path)
    assert in_order(got, ["Royaume du Maroc", "Procès-verbal des opérations de vote",
                          "Nombre d'électeurs inscrits", "Voix obtenues", "Président"])
    assert in_order(got, [v.code for v in doc.votes])
    assert re.search(r"Suffrages exprimés\s+5445", got)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_allocation_record_has_the_guides_tables_art_92(lang: str, tmp_path: Path) -> None:
    """Guide ch. 10: quotient 170100 / 9 = 18900, list 1 keeps 21500 − 18900 = 2600, list 4's
    remainder 18610 ranks first; the proclamation names the elected."""
    doc = guide_allocation()
    got = text(render(doc, lang), tmp_path)  # type: ignore[arg-type]
    assert "18900" in got and "170100 / 9" in got
    row1 = next(ln for ln in got.splitlines() if "21500" in ln)  # the first part's table
    assert "2600" in row1
    row4 = re.findall(r"\d+", next(ln for ln in got.splitlines() if "18610" in ln))
    assert sorted(row4) == sorted(["4", "18610", "0", "18610", "1", "1", "1"])  # rank 1
    title = "سجل توزيع المقاعد" if lang == "ar" else "Registre de répartition des sièges"
    proclaim = "إعلان المنتخبين" if lang == "ar" else "Proclamation des élus"
    assert in_order(got, [title, proclaim])
    assert "guide" in got  # the lot seed is printed


def test_signature_block_is_never_alone_on_the_last_page(tmp_path: Path) -> None:
    """With 40 lists the minute runs onto a second page: its last lists, the total and the
    free texts go with the signatures (art. 23: the minute is signed under its figures)."""
    doc = minute_doc(40)
    pdf = render(doc, "ar")
    n = len(pages(pdf, tmp_path))
    assert n >= 2
    last = text(pdf, tmp_path, page=n)
    assert "التوقيعات" in last
    assert doc.votes[-1].name in last and "المجموع" in last
    assert doc.votes[0].name not in last


def test_every_page_is_a4(tmp_path: Path) -> None:
    pdf = render_many([minute_doc(40), guide_allocation(), minute_doc(3)], "fr")  # type: ignore[list-item]
    sizes = pages(pdf, tmp_path)
    assert len(sizes) >= 4
    assert all(s.endswith("(A4)") for s in sizes), sizes


def test_rendering_is_reproducible_byte_for_byte() -> None:
    for lang in ("ar", "fr"):
        a, b = render(minute_doc(), lang), render(minute_doc(), lang)
        assert a == b
        assert b"CreationDate" not in a
    assert render(minute_doc(), "ar") != render(minute_doc(), "fr")


# --- approved images ------------------------------------------------------------------------


def _pgm(pdf: bytes, tmp: Path) -> list[bytes]:
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(path), str(tmp / "p")], check=True)
    return [p.read_bytes() for p in sorted(tmp.glob("p-*.pgm"))]


def _pixels(pgm: bytes) -> tuple[tuple[int, int], bytes]:
    parts = pgm.split(maxsplit=4)  # P5 width height maxval data
    return (int(parts[1]), int(parts[2])), parts[4]


def check_images(name: str, pdf: bytes, tmp: Path) -> None:
    """Each page of ``pdf`` looks like its approved image ``snapshots/<name>-<page>.pgm.gz``
    (fewer than 0.5 % of the pixels differ by more than a quarter of the grey scale), or is
    approved with ``INTIKHAB_APPROVE=1``."""
    images = _pgm(pdf, tmp)
    for i, got in enumerate(images, 1):
        approved = SNAPSHOTS / f"{name}-{i}.pgm.gz"
        if os.environ.get("INTIKHAB_APPROVE") == "1" or not approved.exists():
            if os.environ.get("INTIKHAB_APPROVE") != "1":
                pytest.fail(f"no approved image {approved.name}: run with INTIKHAB_APPROVE=1")
            SNAPSHOTS.mkdir(exist_ok=True)
            approved.write_bytes(gzip.compress(got, mtime=0))
            continue
        size, want = _pixels(gzip.decompress(approved.read_bytes()))
        got_size, have = _pixels(got)
        assert got_size == size, f"{name} page {i}: {got_size} != {size}"
        differing = sum(abs(a - b) > 64 for a, b in zip(want, have, strict=True))
        assert differing / len(want) < 0.005, f"{name} page {i}: {differing} pixels differ"
    assert len(images) == len(list(SNAPSHOTS.glob(f"{name}-*.pgm.gz")))


@pytest.mark.parametrize("name", ["minute-ar", "minute-fr", "allocation-ar", "allocation-fr"])
def test_pages_look_like_the_approved_images(name: str, tmp_path: Path) -> None:
    kind, lang = name.split("-")
    doc = minute_doc() if kind == "minute" else guide_allocation()
    check_images(name, render(doc, lang), tmp_path)  # type: ignore[arg-type]


# --- from the database ----------------------------------------------------------------------


def _minute(station: str, vote: str) -> Minute:
    codes = (["PA", "PB", "PC"] if vote == "regional" or station.startswith("C1")
             else [f"PA:{station[:2]}", f"PB:{station[:2]}"])
    n = int(station[-1])
    votes = {c: 40 * (len(codes) - i) + 3 * n for i, c in enumerate(codes)}
    ballots = sum(votes.values()) + 7
    registered = 1000 if station.startswith("C1") else 500
    return Minute(station, Vote(vote), registered, ballots, ballots, 7, 0, 0,
                  tuple(votes.items()), observations="لا شيء")


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The small election of conftest on SQLite, every minute entered twice, allocated and
    declared."""
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'db.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    db = sessions(engine)
    with db.begin() as s:
        load_bundle(s, small_bundle())
    stations = [f"C1-S{i}" for i in range(1, 5)] + [f"{d}-S{i}" for d in ("D1", "D2")
                                                    for i in (1, 2)]
    ms = [_minute(st, v) for st in stations for v in ("communal", "regional")]
    for user in ("clerk1", "clerk2"):
        with db.begin() as s:
            entry.enter_minutes(s, user, ms)
    with db.begin() as s:
        results.allocate(s, "coord")
    with db.begin() as s:
        results.declare(s, "coord")
    engine.dispose()
    return url


def test_documents_from_the_database_art_23_and_24(election: str, tmp_path: Path) -> None:
    """The adapters read what the services hold: the accepted station minute with its lists,
    the central office's and the commission's sums, the declared allocation replayed."""
    with sessions(make_engine(election))() as s:
        m = documents.station_minute(s, "C1-S1", "communal", "https://x.test")
        assert [v.code for v in m.votes] == ["PA", "PB", "PC"]
        assert m.figures.registered == 1000 and m.observations == "لا شيء"
        assert m.seal.url.startswith("https://x.test/records/minute/C1-S1/communal.html?sha256=")
        office = documents.office_minute(s, "C2-O1", "communal")
        assert {v.group for v in office.votes} == {"District 1", "District 2"}
        assert office.figures.stations == 4
        com = documents.commission_minute(s, "C1")
        assert com.figures.registered == 4000 and com.valid == sum(
            v.votes for v in com.votes)
        alloc = documents.allocation_record(s, "C1")
        assert alloc.status == "declared" and sum(n for _, _, n in alloc.totals) == 31
        assert len(alloc.elected) == 31
        district = documents.allocation_record(s, "D1")
        assert [e.part for e in district.elected] == ["district", "attached"]
        everything = list(documents.region_documents(s, "R1"))
    assert len(everything) == 16 + 4 + 2 * 4  # station, office, commission minutes; records
    got = text(render(m, "ar"), tmp_path)
    assert in_order(got, ["لائحة PA", "لائحة PB", "لائحة PC"])


def test_a_document_of_the_region_batch_is_the_document_rendered_alone(
        election: str, tmp_path: Path) -> None:
    """The bytes of a PDF depend only on its record: written with the region (after the
    documents before it, whose layouts Typst keeps) or rendered alone afterwards, in the other
    order, the same bytes."""
    with sessions(make_engine(election))() as s:
        docs = list(documents.region_documents(s, "R1"))
    assert write_all(docs, ["ar", "fr"], tmp_path) == 2 * len(docs)
    for path, doc in reversed(docs):
        for lang in ("fr", "ar"):
            assert render(doc, lang) == (tmp_path / lang / f"{path}.pdf").read_bytes(), path


def test_cli_writes_a_region_and_refuses_to_overwrite(election: str, tmp_path: Path) -> None:
    from intikhab.cli.main import app

    runner = CliRunner()
    args = ["documents", "region", "R1", "--out", str(tmp_path), "--db", election,
            "--lang", "ar", "--lang", "fr", "--jobs", "1"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert len(list(tmp_path.rglob("*.pdf"))) == 2 * 28
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "E-DOC-002" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    out = tmp_path / "one.pdf"
    ok = runner.invoke(app, ["documents", "minute", "C1-S2", "--vote", "regional", "--out",
                             str(out), "--lang", "fr", "--db", election])
    assert ok.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(app, ["documents", "constituency", "C1", "--kind", "bogus",
                                  "--out", str(tmp_path / "x.pdf"), "--db", election])
    assert missing.exit_code == 2 and "E-DOC-003" in missing.output
