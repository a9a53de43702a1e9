"""From the engine's results (``law.allocation``) to the allocation record's tables, as the
guide prints them (ch. 10): per seat group the quotient (art. 92 §2 regional, art. 139 §2
communal), each list's whole quotas, its remainder and the remainder's rank, the seats by
largest remainder, the elected; then the ties and lots, and the proclamation.  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from intikhab.formats.documents.model import (
    COMMISSION_BUREAU,
    AllocationDocument,
    AllocGroup,
    AllocLine,
    Elected,
    Header,
    ListVotes,
    Seal,
    Signatory,
    TieLine,
)
from intikhab.law.allocation import (
    District,
    DistrictResult,
    GroupResult,
    ListConstituency,
    ListResult,
    Tie,
)


def exact(value: Fraction) -> str:
    """An exact number as the record prints it: ``12100``, or ``19013 1/3`` (never a float)."""
    if value.denominator == 1:
        return str(value.numerator)
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{whole} {rest}/{value.denominator}" if whole else f"{rest}/{value.denominator}"


def _tie(t: Tie) -> TieLine:
    return TieLine(t.key, tuple(t.contenders), t.decided_by.value, t.winner, t.lot_source)


def _ranks(g: GroupResult) -> dict[str, int]:
    """Each competing list's remainder rank (1 = largest; equal remainders share a rank)."""
    competing = sorted((ln.remainder for ln in g.lines if not ln.excluded), reverse=True)
    return {ln.id: 1 + competing.index(ln.remainder) for ln in g.lines if not ln.excluded}


def group(g: GroupResult, names: Mapping[str, str]) -> AllocGroup:
    """One of the guide's tables for one seat group."""
    ranks = _ranks(g)
    lines = tuple(
        AllocLine(ln.id, names.get(ln.id, ""), ln.votes, ln.excluded, ln.by_quotient,
                  ln.forfeited, exact(ln.remainder), ranks.get(ln.id), ln.by_remainder,
                  ln.seats, tuple(ln.elected))
        for ln in g.lines)
    return AllocGroup(g.part.value, None if g.council is None else g.council.value, g.seats,
                      g.base, exact(g.quotient), lines, tuple(_tie(t) for t in g.ties),
                      g.unfilled)


def allocation_document(
    header: Header, seal: Seal, constituency: ListConstituency | District,
    result: ListResult | DistrictResult, *, lot_seed: str | None = None,
    bureau: Sequence[Signatory] = COMMISSION_BUREAU,
) -> AllocationDocument:
    """The allocation record of one constituency from its figures and the engine's result
    (art. 24, 92, 139; guide ch. 10)."""
    if isinstance(constituency, District):
        votes = tuple(ListVotes(i, c.id, c.name, c.votes)
                      for i, c in enumerate(constituency.candidates, 1))
    else:
        votes = tuple(ListVotes(i, x.id, x.name, x.votes)
                      for i, x in enumerate(constituency.lists, 1))
    names = {v.code: v.name for v in votes}
    groups: tuple[AllocGroup, ...] = ()
    elected: tuple[Elected, ...] = ()
    totals: tuple[tuple[str, str, int], ...] = ()
    if isinstance(result, DistrictResult):
        if result.winner is not None:
            elected = tuple(Elected(result.winner, names.get(result.winner, ""),
                                    "attached" if i else "district", name)
                            for i, name in enumerate(result.elected))
            totals = ((result.winner, names.get(result.winner, ""), len(result.elected)),)
    else:
        groups = tuple(group(g, names) for g in result.groups)
        elected = tuple(Elected(ln.code, ln.name, g.part, name)
                        for g in groups for ln in g.lines for name in ln.elected)
        totals = tuple((code, names.get(code, ""), n) for code, n in result.totals.items())
    return AllocationDocument(
        header, seal, result.status.value, result.rules, constituency.registered,
        constituency.voters, constituency.void, votes, groups, totals, elected,
        tuple(_tie(t) for t in result.ties), lot_seed, result.reason, tuple(bureau))
