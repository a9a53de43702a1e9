"""The documents' QR codes (``formats.documents.qr``): module for module what ``segno`` draws
for the same text at level M with mask 0 (ISO/IEC 18004), for the addresses the documents carry
and for every version from 1 to 40; the SVG draws exactly those modules."""

from __future__ import annotations

import re

import pytest
import segno

from intikhab.formats.documents.qr import _data_capacity, qr_modules, qr_svg


def segno_modules(text: str, mode: str | None = None) -> tuple[int, str, int]:
    code = segno.make(text, error="m", mask=0, boost_error=False, mode=mode, micro=False)
    rows = ["".join(map(str, row)) for row in code.matrix_iter(border=1)]
    version = code.version
    assert isinstance(version, int)
    return len(rows), "".join(rows), version


@pytest.mark.parametrize("ident", ["C1-S1/communal", "06-06.111.01.01-S0001/regional",
                                   "06-06.467.11.09-O003/communal", "06.111.03.19_D01"])
def test_the_documents_addresses_are_the_codes_segno_draws(ident: str) -> None:
    for digest in ("ab" * 32, "0123456789abcdef" * 4):
        url = f"https://intikhab.invalid/records/minute/{ident}.html?sha256={digest}"
        size, modules = qr_modules(url)
        assert (size, modules) == segno_modules(url)[:2]
        assert size * size == len(modules) and set(modules) == {"0", "1"}


@pytest.mark.slow
def test_every_version_at_its_limits_is_the_code_segno_draws() -> None:
    """The longest text of each version (the terminator cut short, no pad codeword), one
    byte less, and a text half as long: blocks, alignment patterns and version information
    of all forty versions; one byte more takes segno to the next version."""
    for version in range(1, 41):
        longest = (_data_capacity(version) * 8 - 4 - (8 if version < 10 else 16)) // 8
        for n in (longest, longest - 1, longest // 2):
            size, modules, got = segno_modules("x" * n, "byte")
            assert qr_modules("x" * n) == (size, modules), (version, n)
            assert n < longest or got == version
        if version < 40:
            assert segno_modules("x" * (longest + 1), "byte")[2] == version + 1


@pytest.mark.parametrize("text", ["", "a", "https://x.test/é?q=ü", "https://x.test/محضر"])
def test_short_and_non_ascii_texts(text: str) -> None:
    """ISO 8859-1 when the text fits in it, else UTF-8, as segno encodes bytes."""
    assert qr_modules(text) == segno_modules(text, "byte")[:2]


def test_a_text_too_long_for_any_version_is_refused() -> None:
    qr_modules("x" * 2331)
    with pytest.raises(ValueError, match="do not fit"):
        qr_modules("x" * 2332)


def test_the_svg_draws_the_dark_modules_and_only_them() -> None:
    """Each row's line: dashes over the dark runs, gaps over the light ones, from x = 0."""
    url = "https://intikhab.invalid/records/minute/C1-S1/communal.html?sha256=" + "ab" * 32
    size, modules = qr_modules(url)
    svg = qr_svg(url)
    assert f'viewBox="0 0 {size} {size}"' in svg
    drawn = ["0" * size] * size
    for y, dashes in re.findall(r'<path d="M0 (\d+)\.5h\d+" stroke-dasharray="([\d ]+)"/>', svg):
        row, dark = "", True
        for n in map(int, dashes.split()):
            row += ("1" if dark else "0") * n
            dark = not dark
        drawn[int(y)] = row
    assert "".join(drawn) == modules
