"""Publishing the declared results as a signed static site (web/publish.py,
services/publication.py): the site verifies; any byte changed, any file deleted or added is
named; a wrong key fails; a later publication after one more declaration (art. 24, law 59.11
as amended: only declared results are public) rewrites only what that declaration touched;
the private key never lands in the site; ``serve --site`` answers the public pages from the
files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _webapp import build, enter_all
from fastapi.testclient import TestClient

from intikhab.law.errors import InputError
from intikhab.services import keys, publication, results
from intikhab.store.db import make_engine, sessions
from intikhab.web import create_app
from intikhab.web.publish import Options, publish
from intikhab.web.site import file_of, static_url

# whole publications of a small election, each a few hundred ms: in the full suite, not the fast set
pytestmark = pytest.mark.slow


@pytest.fixture
def key_pair(tmp_path: Path) -> tuple[Path, Path]:
    return keys.create_key_pair(tmp_path / "keys")


def declare(url: str, only: list[str] | None, enter: bool = False) -> None:
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        if enter:
            enter_all(s)
        results.allocate(s, "coord", only=only, seed="test")
        results.declare(s, "coord", only=only)
    engine.dispose()


@pytest.fixture
def url(tmp_path: Path) -> str:
    u = f"sqlite:///{tmp_path / 'night.sqlite'}"
    build(u)
    declare(u, ["C1", "D1"], enter=True)  # D2 and the regional constituency are declared later
    return u


@pytest.fixture
def site(tmp_path: Path, url: str, key_pair: tuple[Path, Path]) -> Path:
    out = tmp_path / "site"
    publish(Options(out, key_pair[0], url, pdf=False))
    return out


def test_the_published_site_verifies_and_holds_the_public_results(site: Path) -> None:
    v = publication.verify(site)
    assert v.ok and v.quick
    for rel in ("index.html", "fr/index.html", "council/C2/index.html",
                "fr/council/C2/index.html", "search/index.html", "data/national/communal.json",
                "records/allocation/D1.html", "maps/index.html", "public-key.pem",
                "static/live.js", "fonts/Amiri-Regular.ttf"):
        assert (site / rel).is_file(), rel
    manifest = json.loads((site / "manifest.json").read_text())
    assert "records/allocation/D2.html" not in manifest["files"]  # art. 24: not declared yet
    home = (site / "fr" / "index.html").read_text()
    assert 'href="https://intikhab.invalid/fr/">https://intikhab.invalid/fr/</a>' in home
    assert '<script src="/static/live.js" defer></script>' in home
    council = (site / "fr" / "council" / "C2" / "index.html").read_text()
    assert 'href="/fr/search/region/' in council and 'lang="ar"' in council
    assert 'href="/council/C2/"' in council  # the language switch: the Arabic file


@pytest.mark.parametrize("rel", ["index.html", "data/national/communal.json",
                                 "public-key.pem"])
def test_a_changed_byte_is_named(site: Path, rel: str) -> None:
    path = site / rel
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    v = publication.verify(site)
    assert not v.ok and v.comparison.changed == (rel,)


def test_a_deleted_and_an_added_file_are_named(site: Path) -> None:
    (site / "council" / "C2" / "index.html").unlink()
    (site / "extra.html").write_text("<p>not published</p>")
    v = publication.verify(site)
    assert v.comparison.missing == ("council/C2/index.html",)
    assert v.comparison.extra == ("extra.html",)


def test_a_wrong_key_fails_the_careful_check(site: Path, tmp_path: Path) -> None:
    _, other = keys.create_key_pair(tmp_path / "other")
    v = publication.verify(site, other)
    assert not v.signature_ok and not v.quick


def test_a_manifest_edited_after_signing_fails(site: Path) -> None:
    doc = json.loads((site / "manifest.json").read_text())
    doc["log_size"] += 1
    (site / "manifest.json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    assert not publication.verify(site).signature_ok


def test_the_private_key_is_never_published(site: Path, key_pair: tuple[Path, Path],
                                             url: str) -> None:
    secret = key_pair[0].read_bytes()
    for path in site.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes()
            assert b"PRIVATE KEY" not in path.read_bytes()
    inside = site / "k.key"
    inside.write_bytes(secret)
    with pytest.raises(InputError) as caught:
        publish(Options(site, inside, url, pdf=False))
    assert caught.value.code == "E-PUB-002"


def test_a_folder_that_is_not_a_publication_is_refused(tmp_path: Path, url: str,
                                                        key_pair: tuple[Path, Path]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError) as caught:
        publish(Options(out, key_pair[0], url, pdf=False))
    assert caught.value.code == "E-PUB-001"
    assert (out / "notes.txt").read_text() == "keep me" and len(list(out.iterdir())) == 1


def test_nothing_declared_since_means_nothing_written(site: Path, url: str,
                                                      key_pair: tuple[Path, Path]) -> None:
    report = publish(Options(site, key_pair[0], url, pdf=False))
    assert report.incremental and report.written == []


def test_one_more_declaration_rewrites_only_what_it_touches(
        site: Path, url: str, key_pair: tuple[Path, Path]) -> None:
    """art. 24: D2 (council C2, communal) declared: its council's pages and data, its region's
    data and search pages (they show each council's status and seats), the national pages and
    data, the maps and its record — nothing else."""
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    declare(url, ["D2"])
    report = publish(Options(site, key_pair[0], url, pdf=False))
    assert report.incremental and report.touched == 1
    written = set(report.written)
    assert "records/allocation/D2.html" in written
    assert {"council/C2/index.html", "fr/council/C2/index.html",
            "data/national/communal.json"} <= written
    regions = {"R1"}  # D2's region: the small election's only one
    assert all(w.split("/")[2] in regions | {"K1"} for w in written
               if w.startswith(("search/region/", "search/province/")))
    assert not any(w.startswith(("council/C1/", "static/", "fonts/",
                                 "records/allocation/D1", "records/allocation/C1"))
                   for w in written)
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    untouched = site / "council" / "C1" / "index.html"
    if untouched in before:
        assert after[untouched] == before[untouched]
    assert publication.verify(site).ok


@pytest.fixture
def client(site: Path, url: str) -> Iterator[TestClient]:
    app = create_app(url, secret="test", site=site)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def test_serve_site_answers_the_public_pages_from_the_files(site: Path,
                                                            client: TestClient) -> None:
    (site / "council" / "C2" / "index.html").write_text("<p>from the file</p>")
    assert client.get("/council/C2").text == "<p>from the file</p>"
    assert client.get("/council/C2/").text == "<p>from the file</p>"
    fr = client.get("/council/C2?lang=fr")
    assert fr.status_code == 200 and 'lang="fr"' in fr.text
    assert client.get("/live.json").headers["cache-control"] == "no-cache"
    assert client.get("/search?q=C").status_code == 200  # the free-text search: the app
    assert client.get("/api/v1/results/national/communal").json()["vote"] == "communal"


def test_addresses_map_to_files() -> None:
    assert file_of("/", "") == "index.html"
    assert file_of("/", "lang=fr") == "fr/index.html"
    assert file_of("/council/C1", "lang=fr") == "fr/council/C1/index.html"
    assert file_of("/search", "region=R1&lang=fr") == "fr/search/region/R1/index.html"
    assert file_of("/search", "q=abc") is None
    assert file_of("/login", "") is None
    base = "https://results.example"
    assert static_url("/lang/fr?next=/council/C1", base) == "/fr/council/C1/"
    assert static_url(base + "/council/C1?lang=fr", base) == base + "/fr/council/C1/"
    assert static_url("/digits/eastern?next=/", base) == "/digits/eastern?next=/"


def _files(site: Path) -> dict[str, object]:
    return dict(json.loads((site / "manifest.json").read_text())["files"])


@pytest.mark.parametrize("damage", [None, "data/region", "data/council/C1/communal.json"])
def test_an_incremental_publication_equals_a_full_one(
        site: Path, url: str, key_pair: tuple[Path, Path], tmp_path: Path,
        damage: str | None) -> None:
    """art. 24: after D2 and the regional constituency are declared, the incremental
    publication (data patched from the previous files, national figures summed from the
    untouched councils' published JSON) holds exactly the files, byte for byte, of a full
    publication into an empty folder — also when a previous file it reads was altered (it is
    then rebuilt from the database, or the
    national figures read from the database)."""
    if damage is not None:
        path = next(p for p in sorted(site.rglob("*")) if p.is_file()
                    and p.relative_to(site).as_posix().startswith(damage))
        path.write_bytes(path.read_bytes().replace(b"1", b"2"))
    declare(url, None)
    report = publish(Options(site, key_pair[0], url, pdf=False))
    assert report.incremental  # the sizes are intact: the previous files are read
    full = tmp_path / "full"
    publish(Options(full, key_pair[0], url, pdf=False))
    assert _files(site) == _files(full)
    # an altered file that no declaration renews stays altered: verify names it
    assert publication.verify(site).ok == (damage != "data/council/C1/communal.json")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_published_pages_are_the_applications_own(site: Path, url: str,
                                                       lang: str) -> None:
    """The home, council and search pages of the site are, byte for byte, what the
    application answers at the same addresses (links rewritten to the files) — rendered from
    the data read once, not through the application; the French pages name the regions in
    French."""
    from intikhab.web.publish import DEFAULT_URL
    from intikhab.web.site import rewrite

    app = create_app(url, secret="test", cache=False)
    suffix = "" if lang == "ar" else "lang=fr"
    addresses = [("/", suffix), ("/council/C1", suffix), ("/council/C2", suffix),
                 ("/search", suffix), ("/search", "region=R1" + ("&" + suffix if suffix else "")),
                 ("/search", "province=K1" + ("&" + suffix if suffix else ""))]
    with TestClient(app, base_url=DEFAULT_URL) as c:
        for path, query in addresses:
            rel = file_of(path, query)
            assert rel is not None and (site / rel).is_file(), (path, query)
            page = c.get(path + ("?" + query if query else ""))
            assert page.status_code == 200
            assert rewrite(page.text, DEFAULT_URL, lang) == (site / rel).read_text(), rel
    app.state.engine.dispose()


def test_a_bureau_elected_renews_its_council_page(site: Path, url: str,
                                                  key_pair: tuple[Path, Path]) -> None:
    """A council's bureau (art. 13 ff. of law 113.14) is public: the next publication renews
    that council's pages — they now name its president — and nothing declared means no other
    council page is written."""
    from datetime import date

    from intikhab.demo.councils import bureau_session
    from intikhab.services import bureaus
    from intikhab.services.rosters import rosters

    page = site / "council" / "C1" / "index.html"
    engine = make_engine(url)
    with sessions(engine)() as s:
        roster = rosters(s, ["C1"])["C1"]
    with sessions(engine).begin() as s:
        bureaus.record(s, "coord", [bureau_session(roster, date(2021, 9, 22), "t")])
    with sessions(engine)() as s:
        bureau = bureaus.bureau_of(s, "C1")
    engine.dispose()
    assert bureau is not None and bureau.president is not None
    report = publish(Options(site, key_pair[0], url, pdf=False))
    assert report.incremental
    assert {"council/C1/index.html", "fr/council/C1/index.html"} <= set(report.written)
    assert not any(w.startswith("council/C2/") for w in report.written)
    assert bureau.president.name in page.read_text()
    record = site / "records" / "bureau" / "C1.html"
    assert "records/bureau/C1.html" in report.written
    assert "محضر جلسة انتخاب المكتب" in record.read_text()
    assert publication.verify(site).ok


def test_a_record_carries_the_proof_of_its_own_declaration(
        site: Path, url: str, key_pair: tuple[Path, Path]) -> None:
    """The proof beside a record is of that record's latest declaration (art. 24): D1 proved
    under a checkpoint, then declared again after it — its earlier proof is withdrawn, not
    shown beside the new declaration, until a new checkpoint covers it."""
    from intikhab.records import checkpoint as cp
    from intikhab.services import transparency

    private = keys.load_signing_key(key_pair[0])
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        transparency.sign_checkpoint(s, private)
    engine.dispose()
    publish(Options(site, key_pair[0], url, pdf=False))
    proof = site / "records" / "allocation" / "D1.proof.json"
    bundle = json.loads(proof.read_text())
    assert cp.check_bundle(bundle, cp.public_key_of(private)).ok
    first = bundle["index"]
    declare(url, ["D1"])  # again, after the checkpoint
    report = publish(Options(site, key_pair[0], url, pdf=False))
    assert "records/allocation/D1.proof.json" in report.removed and not proof.exists()
    assert publication.verify(site).ok
    engine = make_engine(url)
    with sessions(engine).begin() as s:
        transparency.sign_checkpoint(s, private)
    engine.dispose()
    other = site / "records" / "allocation" / "C1.proof.json"
    kept = other.read_bytes()
    report = publish(Options(site, key_pair[0], url, pdf=False))
    bundle = json.loads(proof.read_text())
    assert cp.check_bundle(bundle, cp.public_key_of(private)).ok and bundle["index"] > first
    assert bundle["record"]["action"] == "result.declare"
    # a proof once published stays as it was: C1's is still in the first checkpoint
    assert other.read_bytes() == kept and "records/allocation/C1.proof.json" not in report.written
    assert cp.check_bundle(json.loads(kept), cp.public_key_of(private)).ok
    full = site.parent / "full"
    publish(Options(full, key_pair[0], url, pdf=False))
    records = {k: v for k, v in _files(site).items() if k.startswith("records/")}
    assert records == {k: v for k, v in _files(full).items() if k.startswith("records/")}
