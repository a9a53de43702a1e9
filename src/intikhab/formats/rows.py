"""Where a file's problems are: a :class:`RowError` names the table, the row (a CSV file's
*line*, its header being line 1; a JSON file's item number), the field and the catalogue's code;
:class:`ImportRejected` carries every row error of a file, and then nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from intikhab.law.errors import InputError

__all__ = ["ImportRejected", "RowError", "imp002", "message"]


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: where, which field, and the catalogue's code and message."""

    table: str
    row: int  # 1-based, as a person counts lines (a CSV's header is line 1: data from 2)
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}:{self.row} {self.field}: {self.code} {self.message}"


class ImportRejected(InputError):
    """Raised when any row is wrong; carries every row error found (none is written)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        super().__init__("E-IMP-001", field=f"{first.table}:{first.row}.{first.field}",
                         count=len(errors), detail=str(first))


def message(code: str, **params: Any) -> str:
    """The catalogue's English message for ``code`` (row errors are reported in English)."""
    return InputError(code, **params).message("en")


def imp002(table: str, row: int, name: str, expected: str) -> RowError:
    """``E-IMP-002``: the field ``name`` of ``table``'s row ``row`` is not ``expected``."""
    return RowError(table, row, name, "E-IMP-002", message("E-IMP-002", field=name,
                                                           expected=expected))
