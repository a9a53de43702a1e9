"""``intikhab publish OUT`` and ``intikhab publish verify OUT``: exit 0 when every file matches
the signed manifest, 1 naming a changed file or on a wrong key, 2 (coded) when the site cannot
be read; the allocation records of the declared constituencies (art. 24, law 59.11) are
published as PDF with a QR code to their record page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _webapp import build, declare_all
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.services import keys

runner = CliRunner()


@pytest.fixture
def night(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'night.sqlite'}"
    build(url)
    declare_all(url)
    private, _ = keys.create_key_pair(tmp_path / "keys")
    return url, private


def test_publish_then_verify_then_tamper(tmp_path: Path, night: tuple[str, Path]) -> None:
    url, private = night
    out = tmp_path / "site"
    r = runner.invoke(app, ["publish", str(out), "--db", url, "--key", str(private),
                            "--no-pdf"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["incremental"] is False
    r = runner.invoke(app, ["publish", "verify", str(out)])
    assert r.exit_code == 0 and "quick check" in r.stdout
    r = runner.invoke(app, ["publish", "verify", str(out), "--key",
                            str(private.with_name("checkpoint-signing.pub"))])
    assert r.exit_code == 0 and "careful check" in r.stdout
    page = out / "council" / "C2" / "index.html"
    page.write_bytes(page.read_bytes() + b"\n")  # one byte more
    r = runner.invoke(app, ["publish", "verify", str(out)])
    assert r.exit_code == 1 and "E-PUB-005 council/C2/index.html" in r.stdout


def test_verify_with_a_wrong_key_fails(tmp_path: Path, night: tuple[str, Path]) -> None:
    url, private = night
    out = tmp_path / "site"
    assert runner.invoke(app, ["publish", str(out), "--db", url, "--key", str(private),
                               "--no-pdf"]).exit_code == 0
    _, other = keys.create_key_pair(tmp_path / "other")
    r = runner.invoke(app, ["publish", "verify", str(out), "--key", str(other)])
    assert r.exit_code == 1 and "E-PUB-004" in r.stdout


def test_verify_of_no_site_is_a_coded_failure(tmp_path: Path) -> None:
    r = runner.invoke(app, ["publish", "verify", str(tmp_path)])
    assert r.exit_code == 2 and "E-PUB-006" in r.stderr


@pytest.mark.slow
def test_the_allocation_records_are_published_as_pdf(tmp_path: Path,
                                                     night: tuple[str, Path]) -> None:
    """art. 24: each declared constituency's allocation record, in Arabic and French, beside
    its record page (where the QR code points)."""
    url, private = night
    out = tmp_path / "site"
    r = runner.invoke(app, ["publish", str(out), "--db", url, "--key", str(private),
                            "--jobs", "1", "--base-url", "https://results.example"])
    assert r.exit_code == 0, r.output
    for lang in ("ar", "fr"):
        assert (out / "records" / "allocation" / f"D1.{lang}.pdf").read_bytes()[:5] == b"%PDF-"
    page = (out / "records" / "allocation" / "D1.html").read_text()
    assert 'href="D1.ar.pdf"' in page
    assert runner.invoke(app, ["publish", "verify", str(out)]).exit_code == 0
