"""The checks applied to every entered minute — codes, levels and messages in the catalogue
(``law.errors.CATALOGUE``), the same catalogue the API, the forms and docs/errors.md use.

An error blocks; a warning blocks until the person entering accepts it explicitly."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from intikhab.law.errors import CATALOGUE, Level
from intikhab.records.minutes import Minute


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    field: str
    params: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def level(self) -> Level:
        return CATALOGUE[self.code].level

    def message(self, lang: str = "en") -> str:
        check = CATALOGUE[self.code]
        template: str = getattr(check, lang if lang in ("ar", "fr", "en") else "en")
        return template.format(field=self.field, **self.params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"code": self.code, "level": self.level.value, "field": self.field,
                "message": self.message(lang)}


@dataclass(frozen=True, slots=True)
class StationContext:
    """What the minute is checked against: the station's voter list and the candidacies
    registered in its constituency for that vote."""

    station: str
    registered: int | None
    candidates: frozenset[str]


def check_minute(m: Minute, ctx: StationContext | None) -> tuple[Finding, ...]:
    """Every finding on a minute, errors and warnings (arts. 21–23, law 59.11 as amended)."""
    if ctx is None:
        return (Finding("E-PV-009", "station", {"value": m.station}),)
    out: list[Finding] = []
    valid = m.valid
    if valid + m.void + m.illegal != m.ballots:  # art. 22: every ballot is classed once
        out.append(Finding("E-PV-002", "ballots", {"valid": valid, "void": m.void,
                                                   "illegal": m.illegal, "ballots": m.ballots}))
    if m.signed > m.registered:
        out.append(Finding("E-PV-003", "signed", {"signed": m.signed,
                                                  "registered": m.registered}))
    if m.ballots != m.signed:  # art. 23 / guide 8.1: the difference is recorded, not fatal
        out.append(Finding("W-PV-004", "ballots", {"ballots": m.ballots, "signed": m.signed}))
    for code, _ in m.votes:
        if code not in ctx.candidates:
            out.append(Finding("E-PV-005", f"votes.{code}", {"value": code}))
    if m.contested > valid:  # contested ballots are counted in the votes (art. 22 §3)
        out.append(Finding("E-PV-006", "contested", {"contested": m.contested,
                                                     "valid": valid}))
    if ctx.registered is not None and m.registered != ctx.registered:
        out.append(Finding("W-PV-008", "registered", {"value": m.registered,
                                                      "registered": ctx.registered}))
    present = {code for code, _ in m.votes}
    for code in sorted(ctx.candidates - present):
        out.append(Finding("W-PV-010", f"votes.{code}", {"value": code}))
    order = list(CATALOGUE)
    return tuple(sorted(out, key=lambda f: order.index(f.code)))


def blocking(findings: Collection[Finding], accepted: Collection[str]) -> tuple[Finding, ...]:
    """Every error, and every warning whose code the person entering did not accept."""
    return tuple(f for f in findings if f.level is Level.ERROR or f.code not in accepted)


def is_acceptable(findings: Collection[Finding], accepted: Collection[str]) -> bool:
    return not blocking(findings, accepted)
