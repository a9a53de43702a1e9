"""The words of the official documents in Arabic and French.  Pure: no I/O.

The titles follow the guide (2021 practical guide, ch. 8 and ch. 10); the articles cited are
those of organic law 59.11 as amended by 34.15 and 06.21.
"""

from __future__ import annotations

from typing import Final

from intikhab.formats.words import WORDS
from intikhab.law.errors import CATALOGUE

LANGS: Final = ("ar", "fr")

REJECTIONS: Final = tuple(f"E-BUR-{n:03d}" for n in range(21, 31))
"""The codes a bureau election turns a candidacy or a list away with (``law.bureau``): the
session's record prints their messages."""


def _words() -> dict[str, tuple[str, str]]:
    """The documents' words from the one catalogue (``formats.words``, keys ``doc.*``), as
    written there: the French of a signed form keeps its own spacing; the bureau's words
    (``bureau.*``, keys kept whole) and the messages of :data:`REJECTIONS` (keyed by code)."""
    out = {k[4:]: (w.ar, w.fr) for k, w in WORDS.items() if k.startswith("doc.")}
    out |= {k: (w.ar, w.fr) for k, w in WORDS.items() if k.startswith("bureau.")}
    return out | {c: (CATALOGUE[c].ar, CATALOGUE[c].fr) for c in REJECTIONS}


_T: Final = _words()


def label(key: str, lang: str) -> str:
    """The word ``key`` in ``lang`` (``ar`` or ``fr``)."""
    return _T[key][1 if lang == "fr" else 0]


def labels(lang: str) -> dict[str, str]:
    """Every word in ``lang``: what the Typst templates read as ``l``."""
    i = 1 if lang == "fr" else 0
    return {k: v[i] for k, v in _T.items()}
