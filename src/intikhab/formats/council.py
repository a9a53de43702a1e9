"""A council's declared result as the press reports it — seats per party out of the council's
total, votes, elected members, turnout — computed by
``services.council_results.council_result`` and ``national_result``, written by
:mod:`intikhab.formats.results_json` and the portal's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CouncilResult", "PartyLine", "percent"]


def percent(part: int, whole: int) -> str:
    """``part / whole`` as a percentage with two decimals, rounded half up, exact integers
    (``"49.62"``); ``"0.00"`` when ``whole`` is 0."""
    if whole <= 0:
        return "0.00"
    hundredths = (part * 10_000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@dataclass(frozen=True, slots=True)
class PartyLine:
    party: str
    name_ar: str
    name_fr: str
    seats: int
    votes: int
    elected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CouncilResult:
    """A council's result as the press reports it: seats per party out of the total."""

    council: str
    vote: str
    seats: int
    declared: int
    constituencies: int
    registered: int
    voters: int
    parties: tuple[PartyLine, ...]
    kind: str = ""
    """Which council(s): ``commune_council``, ``arrondissement_council``, ``region_council``,
    ``prefecture_council``; nationally ``commune_councils``, ``arrondissement_councils``,
    ``region_councils``, ``prefecture_councils`` (a divided commune's council counts only its
    members, its arrondissement councillors sit in the arrondissement councils)."""

    @property
    def turnout(self) -> float:
        """Display only (never decides a seat)."""
        return self.voters / self.registered if self.registered else 0.0
