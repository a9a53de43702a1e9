"""The checks applied to every entered minute — codes, levels and messages in the catalogue
(``law.errors.CATALOGUE``), the same catalogue the API, the forms and docs/errors.md use.

An error blocks the entry; a warning blocks it until the person entering accepts that warning's
code explicitly (``E-ENTRY-005`` names the codes still to accept).  Pure module: no I/O.

| code | level | rule |
|---|---|---|
| E-PV-001 | error | a count is a non-negative integer (``Minute.from_json``) |
| E-PV-002 | error | votes + void + illegal = ballots found in the box (art. 22 §1–4) |
| E-PV-003 | error | voters who signed ≤ registered voters (art. 20) |
| W-PV-004 | warning | ballots in the box ≠ signatures: recorded in the minutes (art. 21 §3) |
| E-PV-005 | error | votes only for lists/candidates of this constituency (art. 21 §4, §6) |
| E-PV-006 | error | contested ballots ≤ valid votes, which include them (art. 22 §3) |
| E-PV-007 | error | one accepted minute per station and vote (service layer; art. 23 §1) |
| W-PV-008 | warning | registered on the minute = the station's voter list (art. 20) |
| E-PV-009 | error | the polling station is known |
| W-PV-010 | warning | every list/candidate of the constituency appears (art. 21 §4) |
| E-PV-011 | error | the vote is communal or regional (art. 21 §6; ``Minute.from_json``) |
| E-PV-012 | error | no figure exceeds the station's registered voters (arts. 20–21) |
| E-PV-013 | error | no figure reaches 2^31 (``Minute.from_json``) |
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from intikhab.law.errors import CATALOGUE, Finding, Level
from intikhab.records.minutes import Minute

_ORDER: Final[dict[str, int]] = {code: i for i, code in enumerate(CATALOGUE)}


@dataclass(frozen=True, slots=True)
class StationContext:
    """What a minute is checked against: the station's voter list (``registered``; ``None``
    when not known, and then not compared) and the ids of the lists or district candidates
    registered in the station's constituency for the minute's vote."""

    station: str
    registered: int | None
    candidates: frozenset[str]


def check_minute(m: Minute, ctx: StationContext | None) -> tuple[Finding, ...]:
    """Every finding on a minute, errors and warnings, in catalogue order (arts. 20–23, law
    59.11 as amended; the table in this module's docstring).

    ``ctx`` is the station's context; ``None`` means the station is unknown, and the only
    finding is then ``E-PV-009`` — nothing else can be checked against a station that does not
    exist.  ``E-PV-001`` and ``E-PV-011`` are raised by :meth:`Minute.from_json` and
    ``E-PV-007`` by the entry service, which know the typed document and the stored states."""
    if ctx is None:
        return (Finding("E-PV-009", "station", {"value": m.station}),)
    out = [*_arithmetic(m), *_against(m, ctx), *_bounded(m, ctx)]
    return tuple(sorted(out, key=lambda f: _ORDER[f.code]))


def _arithmetic(m: Minute) -> list[Finding]:
    """The checks a minute must pass on its own figures (arts. 20–22)."""
    out: list[Finding] = []
    valid = m.valid
    # E-PV-002, art. 22 §1–4: every paper in the box is valid (contested ones included), void
    # or illegal — exactly one of them.
    if valid + m.void + m.illegal != m.ballots:
        out.append(Finding("E-PV-002", "ballots", {"valid": valid, "void": m.void,
                                                   "illegal": m.illegal, "ballots": m.ballots}))
    # E-PV-003, art. 20: a signature is the mark against a name on the station's list.
    if m.signed > m.registered:
        out.append(Finding("E-PV-003", "signed", {"signed": m.signed,
                                                  "registered": m.registered}))
    # W-PV-004, art. 21 §3 (guide 8.1): more or fewer ballots than marked names "must be
    # recorded in the minutes" — a fact to note, not a reason to reject.
    if m.ballots != m.signed:
        out.append(Finding("W-PV-004", "ballots", {"ballots": m.ballots, "signed": m.signed}))
    # E-PV-006, art. 22 §3: contested ballots were validated, so they are among the valid votes.
    if m.contested > valid:
        out.append(Finding("E-PV-006", "contested", {"contested": m.contested,
                                                     "valid": valid}))
    return out


def _against(m: Minute, ctx: StationContext) -> list[Finding]:
    """The checks against the station's voter list and its constituency's candidacies."""
    out: list[Finding] = []
    # E-PV-005, art. 21 §4 and §6: the votes are counted for the lists (or candidates) of the
    # election concerned, in the constituency concerned, only.
    out += [Finding("E-PV-005", f"votes.{code}", {"value": code})
            for code, _ in m.votes if code not in ctx.candidates]
    # W-PV-008, art. 20: the registered voters are those on the station's list.
    if ctx.registered is not None and m.registered != ctx.registered:
        out.append(Finding("W-PV-008", "registered", {"value": m.registered,
                                                      "registered": ctx.registered}))
        # E-PV-003 holds against the station's own list too: a mistyped "registered" on the
        # minute cannot let more signatures through than the list has names.
        if ctx.registered < m.signed <= m.registered:
            out.append(Finding("E-PV-003", "signed", {"signed": m.signed,
                                                      "registered": ctx.registered}))
    # W-PV-010, art. 21 §4: the tally sheets carry every list; one absent is taken as 0.
    present = {code for code, _ in m.votes}
    out += [Finding("W-PV-010", f"votes.{code}", {"value": code})
            for code in sorted(ctx.candidates - present)]
    return out


def _bounded(m: Minute, ctx: StationContext) -> list[Finding]:
    """E-PV-012, arts. 20–21 (guide ch. 8): only the voters on the station's list vote there,
    each with one ballot — so no figure of the minute (ballots found, void, contested, illegal
    papers, any list's votes) can exceed the registered voters: the station's own list when
    known, else the minute's ``registered``.  (``signed`` is E-PV-003's.)"""
    limit = ctx.registered if ctx.registered is not None else m.registered
    figures = [("ballots", m.ballots), ("void", m.void), ("contested", m.contested),
               ("illegal", m.illegal), *((f"votes.{code}", n) for code, n in m.votes)]
    return [Finding("E-PV-012", name, {"value": n, "registered": limit})
            for name, n in figures if n > limit]


def blocking(findings: Collection[Finding], accepted: Collection[str]) -> tuple[Finding, ...]:
    """What stops the entry: every error, and every warning whose code the person entering did
    not accept explicitly (an error's code in ``accepted`` changes nothing)."""
    return tuple(f for f in findings if f.level is Level.ERROR or f.code not in accepted)


def is_acceptable(findings: Collection[Finding], accepted: Collection[str]) -> bool:
    """Whether the minute may be entered: nothing :func:`blocking`."""
    return not blocking(findings, accepted)
