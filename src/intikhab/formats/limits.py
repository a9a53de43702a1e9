"""The limits on what enters from outside, and the one rule for a user's identifier
(docs/security.md has the table of limits and their codes).

- A user id: :func:`user_id` — the same rule whether the account is created by the API, the
  administrator's page, ``intikhab users add``, a bundle or the demo.
- A zip archive (a bundle of CSV files): :func:`check_zip` counts its entries and adds up their
  inflated sizes from the archive's directory *before* anything is inflated (a 300 KB archive
  that inflates to 300 MB is refused in microseconds).
- A bundle: :func:`bundle_errors` bounds the rows of each table (300,000 junk parties would
  make every portal page render for 30 s), refuses a women's-part candidate whose sex is not
  ``F`` (art. 76 and 143 of law 59.11 as amended: the additional seats go to women) and a birth
  date in the future.

Pure: the standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final, Protocol

from intikhab.formats.rows import RowError
from intikhab.law.errors import InputError

__all__ = ["MAX_INT", "MAX_ROWS", "MAX_ZIP_ENTRIES", "MAX_ZIP_INFLATED", "USER_ID",
           "bundle_errors", "check_zip", "user_id"]

USER_ID: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
"""A user id: 2 to 32 of ``a-z 0-9 . _ -``, starting with a letter or a digit (ASCII only:
no look-alike letters such as the Cyrillic ``а``, no zero-width characters, no ``/``, no
markup)."""
MAX_ZIP_ENTRIES: Final = 64
"""Files in a bundle's zip archive (a bundle has 10 tables)."""
MAX_ZIP_INFLATED: Final = 128 * 1024 * 1024
"""Bytes a bundle's zip archive may inflate to, all files together (a national bundle: ~20 MB)."""
MAX_INT: Final = 10**12
"""The largest integer a bundle's figure may hold (a population, registered voters, seats)."""
MAX_ROWS: Final[Mapping[str, int]] = {
    "parties": 1_000, "regions": 100, "prefectures": 500, "communes": 5_000,
    "constituencies": 50_000, "central_offices": 50_000, "stations": 200_000,
    "candidacies": 500_000, "users": 100_000}
"""Rows of each bundle table (Morocco: 12 regions, 75 prefectures and provinces, ~1,500
communes, ~40,000 stations, a few dozen parties)."""
MAX_CANDIDATES: Final = 500
"""Candidates on one list (the largest council has 61 seats)."""


def user_id(value: str, field: str = "id") -> str:
    """``value`` if it is a valid user id (:data:`USER_ID`) and NFKC-normal; ``E-SEC-006``
    otherwise — its text shown escaped (``ascii``), so a zero-width or look-alike character
    is visible in the message."""
    ok = (isinstance(value, str) and unicodedata.normalize("NFKC", value) == value
          and USER_ID.fullmatch(value) is not None)
    if not ok:
        raise InputError("E-SEC-006", field=field, value=ascii(value)[:80])
    return value


class _ZipEntry(Protocol):
    filename: str
    file_size: int


def check_zip(entries: Sequence[_ZipEntry], name: str = "zip") -> None:
    """``E-SEC-012`` over :data:`MAX_ZIP_ENTRIES` files, ``E-SEC-013`` when the files' declared
    sizes add up to more than :data:`MAX_ZIP_INFLATED` (``zipfile`` stops at the declared size
    and checks the CRC, so a lying size fails too)."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InputError("E-SEC-012", field=name, value=len(entries), limit=MAX_ZIP_ENTRIES)
    total = sum(max(0, e.file_size) for e in entries)
    if total > MAX_ZIP_INFLATED:
        raise InputError("E-SEC-013", field=name, value=total, limit=MAX_ZIP_INFLATED)


def _error(table: str, row: int, field: str, code: str, **params: Any) -> RowError:
    return RowError(table, row, field, code, InputError(code, field=field, **params).message())


def bundle_errors(bundle: Mapping[str, Any], today: date | None = None) -> list[RowError]:
    """The limits of a bundle: rows per table, candidates' sex and birth dates."""
    errors = [_error(table, 0, table, "E-SEC-014", value=len(rows), limit=limit)
              for table, limit in MAX_ROWS.items()
              if isinstance(rows := bundle.get(table), list) and len(rows) > limit]
    if errors:
        return errors  # do not walk 300,000 junk rows any further
    rows = bundle.get("candidacies")
    if isinstance(rows, list):
        for n, item in enumerate(rows, 1):
            if isinstance(item, dict):
                errors += candidate_errors(item.get("candidates"), n, today or date.today())
    return errors


def _people(candidates: Any) -> Iterator[tuple[str, Any, bool]]:
    """(path, candidate, of the women's part) for each candidate of a list or a district."""
    if not isinstance(candidates, dict):
        return
    for part in ("general", "women"):
        people = candidates.get(part)
        if isinstance(people, list):
            for i, person in enumerate(people[:MAX_CANDIDATES + 1]):
                yield f"candidates.{part}[{i}]", person, part == "women"
    for key in ("candidate", "attached_woman"):
        if isinstance(candidates.get(key), dict):
            yield f"candidates.{key}", candidates[key], key == "attached_woman"


def candidate_errors(candidates: Any, row: int, today: date) -> list[RowError]:
    """``E-SEC-016`` a women's-part candidate (a list's women part, a district's attached
    woman) whose sex is not ``F`` (arts. 76 and 143, law 59.11 as amended); ``E-SEC-017`` a
    birth date after ``today``; ``E-SEC-009`` a list of more than :data:`MAX_CANDIDATES`."""
    errors: list[RowError] = []
    if isinstance(candidates, dict) and any(
            isinstance(candidates.get(p), list) and len(candidates[p]) > MAX_CANDIDATES
            for p in ("general", "women")):
        errors.append(_error("candidacies", row, "candidates", "E-SEC-009",
                             limit=MAX_CANDIDATES))
    for path, person, women in _people(candidates):
        if not isinstance(person, dict):
            continue
        if women and person.get("sex") != "F":
            errors.append(_error("candidacies", row, path + ".sex", "E-SEC-016"))
        born = person.get("birth_date")
        if isinstance(born, str) and _after(born, today):
            errors.append(_error("candidacies", row, path + ".birth_date", "E-SEC-017",
                                 value=born[:20]))
    return errors


def _after(text: str, today: date) -> bool:
    try:
        return date.fromisoformat(text) > today
    except ValueError:
        return False  # an unreadable date is the allocation format's error (E-ALLOC-003)
