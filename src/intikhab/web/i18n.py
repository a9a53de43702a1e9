"""The pages' words in Arabic (the default, right to left) and French — looked up in the one
catalogue, ``formats.words`` — and figures formatted per language with Babel (thousands
separators: ``897,960`` in Arabic, ``897 960`` in French), in Western digits unless the reader
chooses Eastern Arabic ones (``٨٩٧٬٩٦٠``).  Pure: no I/O.

Check messages are not here: they come from the catalogue of codes (``law.errors.CATALOGUE``),
the same one the API and the CLI use.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from babel.numbers import format_decimal

from intikhab.formats.words import WORDS, word

LANGS: Final = ("ar", "fr")
EASTERN: Final = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")
LOCALE: Final = {"ar": "ar", "fr": "fr"}
_DECIMAL: Final = re.compile(r"-?\d+\.\d+")
_RATIO: Final = re.compile(r"(-?\d+)/(\d+)")


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


def _group(value: int | Decimal, lang: str, places: int | None = None) -> str:
    fmt = None if places is None else "#,##0." + "0" * places
    return format_decimal(value, format=fmt, locale=LOCALE.get(lang, "ar"))


def number(value: object, lang: str = "ar", eastern: bool = False) -> str:
    """A figure for a page: an integer with the language's thousands separator, a decimal
    (``"49.62"``, a percentage) with its decimal sign, a fraction ``a/b`` with each part
    grouped; anything else (a code, ranks ``"1 3"``) keeps its text.  Eastern digits when
    ``eastern`` (the Arabic locale then: ``٨٩٧٬٩٦٠``)."""
    text: str
    if isinstance(value, bool) or value is None:
        text = "" if value is None else str(value)
    elif isinstance(value, int):
        text = _group(value, lang)
    elif isinstance(value, Fraction):
        text = f"{_group(value.numerator, lang)}/{_group(value.denominator, lang)}"
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        try:
            text = _group(Decimal(value), lang, len(value.split(".")[1]))
        except InvalidOperation:  # pragma: no cover - the pattern is a decimal
            text = value
    elif isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 16:
        text = _group(int(value), lang)
    elif isinstance(value, str) and _RATIO.fullmatch(value):
        a, b = value.split("/")
        text = f"{_group(int(a), lang)}/{_group(int(b), lang)}"
    else:
        text = str(value)
    return digits(text, eastern)


def decimal(value: Fraction | int | str, lang: str = "ar", eastern: bool = False,
            places: int = 2) -> str:
    """An exact value (``Fraction``, ``"13306/13"``) shown as a decimal rounded half up to
    ``places`` (display only: the exact value decides)."""
    f = Fraction(value) if not isinstance(value, Fraction) else value
    scaled = f * 10**places
    rounded = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    q = Decimal(rounded).scaleb(-places)
    return digits(_group(q, lang, places), eastern)
