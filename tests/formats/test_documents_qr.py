"""The documents' QR codes (``formats.documents.qr``): module for module what ``segno`` draws
for the same text at level M with mask 0 (ISO/IEC 18004), for the addresses the documents carry
and for every version from 1 to 40."""

from __future__ import annotations

import pytest
import segno

from intikhab.formats.documents.qr import _data_capacity, qr_pixels

LIGHT_DARK = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def segno_pixels(text: str, mode: str | None = None) -> tuple[int, bytes, int]:
    code = segno.make(text, error="m", mask=0, boost_error=False, mode=mode, micro=False)
    rows = [bytes(row) for row in code.matrix_iter(border=1)]
    version = code.version
    assert isinstance(version, int)
    return len(rows), b"".join(rows).translate(LIGHT_DARK), version


@pytest.mark.parametrize("ident", ["C1-S1/communal", "06-06.111.01.01-S0001/regional",
                                   "06-06.467.11.09-O003/communal", "06.111.03.19_D01"])
def test_the_documents_addresses_are_the_codes_segno_draws(ident: str) -> None:
    for digest in ("ab" * 32, "0123456789abcdef" * 4):
        url = f"https://intikhab.invalid/records/minute/{ident}.html?sha256={digest}"
        size, pixels = qr_pixels(url)
        assert (size, pixels) == segno_pixels(url)[:2]
        assert size * size == len(pixels) and set(pixels) == {0, 255}


@pytest.mark.slow
def test_every_version_at_its_limits_is_the_code_segno_draws() -> None:
    """The longest text of each version (the terminator cut short, no pad codeword), one
    byte less, and a text half as long: blocks, alignment patterns and version information
    of all forty versions; one byte more takes segno to the next version."""
    for version in range(1, 41):
        longest = (_data_capacity(version) * 8 - 4 - (8 if version < 10 else 16)) // 8
        for n in (longest, longest - 1, longest // 2):
            size, pixels, got = segno_pixels("x" * n, "byte")
            assert qr_pixels("x" * n) == (size, pixels), (version, n)
            assert n < longest or got == version
        if version < 40:
            assert segno_pixels("x" * (longest + 1), "byte")[2] == version + 1


@pytest.mark.parametrize("text", ["", "a", "https://x.test/é?q=ü", "https://x.test/محضر"])
def test_short_and_non_ascii_texts(text: str) -> None:
    """ISO 8859-1 when the text fits in it, else UTF-8, as segno encodes bytes."""
    assert qr_pixels(text) == segno_pixels(text, "byte")[:2]


def test_a_text_too_long_for_any_version_is_refused() -> None:
    qr_pixels("x" * 2331)
    with pytest.raises(ValueError, match="do not fit"):
        qr_pixels("x" * 2332)
