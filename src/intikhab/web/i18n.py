"""The pages' words in Arabic (the default, right to left) and French — looked up in the one
catalogue, ``formats.words`` — and figures in Western digits unless the reader chooses Eastern
Arabic ones.  Pure: no I/O.

Check messages are not here: they come from the catalogue of codes (``law.errors.CATALOGUE``),
the same one the API and the CLI use.
"""

from __future__ import annotations

from typing import Final

from intikhab.formats.words import WORDS, word

LANGS: Final = ("ar", "fr")
EASTERN: Final = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def t(key: str, lang: str = "ar", **params: object) -> str:
    """The label ``key`` in ``lang`` (``ar`` unless ``fr``), formatted with ``params``."""
    return word(key, "fr" if lang == "fr" else "ar", **params)


def value_name(value: object, lang: str = "ar") -> str:
    """The name of a value of the data (``v.<value>``: a dispute's state, a ground…) in
    ``lang``, or the value itself when it has none."""
    key = f"v.{value}"
    return t(key, lang) if key in WORDS else str(value)


def digits(value: object, eastern: bool = False) -> str:
    """A figure as text: Western digits, or Eastern Arabic ones (٠١٢…) when ``eastern``."""
    text = str(value)
    return text.translate(EASTERN) if eastern else text
