"""A JSON reader with limits, for everything that enters from outside: the API's bodies, the
CLI's files (a bundle, minutes, an allocation's input) and the bundle import.

Python's ``json.loads`` accepts any depth until the interpreter's recursion limit (a 500, or a
traceback, at ~1,000 levels), any number of keys, repeated keys (the last one silently wins)
and integers of thousands of digits (which overflow the database later).  :func:`loads` refuses
each of these with a coded error naming the limit (docs/security.md):

- ``E-SEC-008`` nesting deeper than :data:`MAX_DEPTH` — counted on the brackets *before*
  parsing, without recursion, so a 100,000-level document costs one regular-expression pass;
- ``E-SEC-009`` an object with more than :data:`MAX_KEYS` keys (a minute with a million vote
  keys) or an array of more than :data:`MAX_ITEMS` items;
- ``E-SEC-010`` a key repeated in one object (``object_pairs_hook``);
- ``E-SEC-011`` an integer of more than :data:`MAX_DIGITS` digits (a 30-digit population);

Malformed text raises ``json.JSONDecodeError`` as ``json.loads`` does (each caller already
reports it in its own way: ``E-ALLOC-001``, ``E-IMP-002`` at a line).

Pure: the standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

from intikhab.law.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_ITEMS", "MAX_KEYS", "check_depth", "loads"]

MAX_DEPTH: Final = 64
"""Levels of nested objects and arrays (the deepest real document, an allocation, has 6)."""
MAX_KEYS: Final = 10_000
"""Keys of one object (a minute's votes has one per list: a few dozen)."""
MAX_ITEMS: Final = 1_000_000
"""Items of one array (a national bundle has ~40,000 stations)."""
MAX_DIGITS: Final = 18
"""Digits of an integer (a population, a count: at most 12 in Morocco; 18 fits 64 bits)."""

_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET: Final = re.compile(r"[\[\]{}]")


def check_depth(text: str, limit: int = MAX_DEPTH, field: str = "$") -> None:
    """``E-SEC-008`` when ``text`` nests more than ``limit`` levels (strings left out)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            raise InputError("E-SEC-008", field=field, limit=limit)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len(pairs) > MAX_KEYS:
        raise InputError("E-SEC-009", field="object", limit=MAX_KEYS)
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError("E-SEC-010", field="object", value=key[:64])
        out[key] = value
    return out


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InputError("E-SEC-011", field="number", limit=MAX_DIGITS)
    return int(text)


def _float(text: str) -> float:
    if len(text) > 64:
        raise InputError("E-SEC-011", field="number", limit=MAX_DIGITS)
    return float(text)


def _arrays(doc: Any) -> Iterator[list[Any]]:
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            yield item
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def loads(text: str) -> Any:
    """Parse JSON ``text`` within the limits above (``json.JSONDecodeError`` when it is not
    JSON)."""
    check_depth(text)
    try:
        doc = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float)
    except RecursionError:  # pragma: no cover - check_depth comes first
        raise InputError("E-SEC-008", field="$", limit=MAX_DEPTH) from None
    for array in _arrays(doc):
        if len(array) > MAX_ITEMS:
            raise InputError("E-SEC-009", field="array", limit=MAX_ITEMS)
    return doc
