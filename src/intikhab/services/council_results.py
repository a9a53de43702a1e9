"""Council results from the declared results: a council's seats per party out of its total, its
votes and elected members; the national aggregates; an arrondissement council apart (art. 128 and
141 of law 59.11 as amended).  Reads only what the commission declared (``services.results``
writes it); a summary is exact integers, and its pure half (:func:`summary_of`) serves the
publication, which reads every council at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from intikhab.formats.council import CouncilResult, PartyLine
from intikhab.formats.declared import seat_count
from intikhab.formats.outcome import read_figures, read_outcome
from intikhab.services.results import TARGETED
from intikhab.store.models import Candidacy, Constituency, Party, Result


def _party_names(session: Session) -> dict[str, tuple[str, str]]:
    return {p.id: (p.name_ar, p.name_fr) for p in session.execute(select(Party)).scalars()}


def is_arrondissement(groups: Any) -> bool:
    """Whether a constituency's seat groups are an arrondissement's (art. 141 §1 item 2)."""
    return any(isinstance(g, dict) and g.get("council") == "arrondissement"
               for g in groups or ())


def council_result(session: Session, council: str, vote: str) -> CouncilResult:
    """Seats per party out of the council's total, votes, elected members — from declared
    results only.  ``council`` is a region, a commune or (communal vote) an arrondissement's
    constituency id: a divided commune's council counts only its members elected in its
    arrondissements (art. 128 of law 59.11 as amended), an arrondissement council its
    communal members and its own councillors (art. 128, art. 141 §1 item 2)."""
    if vote == "communal":
        own = session.get(Constituency, council)
        if own is not None and own.vote == vote and is_arrondissement(own.groups):
            rows = _seat_rows(session, None, vote, only=own.id)
            return _summarise(session, council, vote, rows, "arrondissement_council")
    return _summarise(session, council, vote, _seat_rows(session, council, vote),
                      council_kind(vote), commune_only=True)


def council_kind(vote: str) -> str:
    """The kind of a council of ``vote`` (its result counts the council's own members only:
    ``commune_only``, art. 128)."""
    return "commune_council" if vote == "communal" else "region_council"


def national_result(session: Session, vote: str) -> CouncilResult:
    """All councils of a vote, by party: the national aggregate the press reports — for the
    communal vote, the commune councils only (a divided commune's arrondissement councillors
    are in :func:`arrondissement_councils_result`)."""
    kind = "commune_councils" if vote == "communal" else "region_councils"
    return _summarise(session, "national", vote, _seat_rows(session, None, vote), kind,
                      commune_only=True)


def arrondissement_councils_result(session: Session) -> CouncilResult:
    """Every arrondissement council, by party: its communal members and its own councillors
    (the 2015 press counts "out of the 40 seats making up the arrondissement council")."""
    rows = [r for r in _seat_rows(session, None, "communal", arrondissements=True)
            if is_arrondissement(r.groups)]
    return _summarise(session, "national", "communal", rows, "arrondissement_councils")


def _seat_rows(session: Session, council: str | None, vote: str,
               only: str | None = None, arrondissements: bool = False) -> list[Any]:
    """``arrondissements``: only the rows whose seat groups may be an arrondissement's (their
    text names one; :func:`is_arrondissement` decides) — the country's other groups are not
    even decoded."""
    q = (select(Constituency.id, Constituency.kind, Constituency.groups,
                Constituency.attached_women_seat).where(Constituency.vote == vote)
         .order_by(Constituency.id))
    if arrondissements:
        q = q.where(cast(Constituency.groups, String).like("%arrondissement%"))
    if council is not None:
        q = q.where(Constituency.council == council)
    if only is not None:
        q = q.where(Constituency.id == only)
    return list(session.execute(q))


@dataclass(frozen=True, slots=True)
class _Share:
    """What one declared result adds to a summary, by list or candidate code."""

    registered: int
    voters: int
    votes: tuple[tuple[str, int], ...]
    seats: tuple[tuple[str, int], ...]
    elected: tuple[tuple[str, tuple[str, ...]], ...]
    commune_seats: tuple[tuple[str, int], ...]
    commune_elected: tuple[tuple[str, tuple[str, ...]], ...]


_SHARES: dict[tuple[Any, ...], _Share] = {}  # a result row never changes: decoded once
_SHARES_MAX = 200_000


def _share(figures: Mapping[str, Any], outcome: Mapping[str, Any]) -> _Share:
    f, o = read_figures(figures), read_outcome(outcome)
    return _Share(f.registered, f.voters, tuple((row.id, row.votes) for row in f.rows),
                  tuple(o.seats_by_code().items()),
                  tuple((code, tuple(names)) for code, names in o.elected_by_code().items()),
                  tuple(o.seats_by_code(True).items()),
                  tuple((code, tuple(names)) for code, names in o.elected_by_code(True).items()))


def _declared_shares(session: Session, ids: set[str]) -> dict[str, tuple[str, _Share]]:
    """(status, share) of each constituency's latest declared result.  The rows' JSON is
    decoded once per process (keyed by database, id, computation time and minutes digest):
    the national aggregate then reads only the newly declared results' JSON."""
    newest_q = (select(Result.constituency_id, func.max(Result.id).label("id"))
                .where(Result.declared_at.is_not(None)))
    if len(ids) <= TARGETED:
        newest_q = newest_q.where(Result.constituency_id.in_(ids))
    newest = newest_q.group_by(Result.constituency_id).subquery()
    heads = [row for row in session.execute(
        select(Result.id, Result.constituency_id, Result.status, Result.computed_at,
               Result.minutes_digest).join(newest, newest.c.id == Result.id))
        if row.constituency_id in ids]
    db = str(session.get_bind().engine.url)
    keys = {row.id: (db, row.id, str(row.computed_at), row.minutes_digest) for row in heads}
    got = {rid: _SHARES.get(key) for rid, key in keys.items()}
    missing = [rid for rid, share in got.items() if share is None]
    if len(_SHARES) + len(missing) > _SHARES_MAX:
        _SHARES.clear()
    for i in range(0, len(missing), 500):
        for rid, figs, outcome in session.execute(
                select(Result.id, Result.figures, Result.outcome)
                .where(Result.id.in_(missing[i:i + 500]))):
            got[rid] = _SHARES[keys[rid]] = _share(figs, outcome)
    return {row.constituency_id: (row.status, share) for row in heads
            if (share := got[row.id]) is not None}


def _summarise(session: Session, council: str, vote: str, cons: list[Any], kind: str,
               commune_only: bool = False) -> CouncilResult:
    ids = {c.id for c in cons}
    latest = _declared_shares(session, ids)
    rows_q = select(Candidacy.constituency_id, Candidacy.code, Candidacy.party_id)
    if len(ids) <= TARGETED:  # a council: its own candidacies, not the whole table
        rows_q = rows_q.where(Candidacy.constituency_id.in_(ids))
    else:  # the nation: this vote's candidacies only
        rows_q = rows_q.join(Constituency, Constituency.id == Candidacy.constituency_id).where(
            Constituency.vote == vote)
    party_of = {(cid, code): party or code
                for cid, code, party in session.execute(rows_q) if cid in ids}
    return summary_of(council, vote, cons, latest, party_of, _party_names(session), kind,
                      commune_only)


def summary_of(council: str, vote: str, cons: Sequence[Any],
               latest: Mapping[str, tuple[str, _Share]], party_of: Mapping[tuple[str, str], str],
               party_names: Mapping[str, tuple[str, str]], kind: str = "",
               commune_only: bool = False) -> CouncilResult:
    """The summary of ``cons`` (in the order their elected members are listed) from each one's
    (status, share) of its latest declared result, exact integers: what
    :func:`council_result` and :func:`national_result` return, without the database (the
    publication computes every council at once)."""
    seats: dict[str, int] = defaultdict(int)
    votes: dict[str, int] = defaultdict(int)
    elected: dict[str, list[str]] = defaultdict(list)
    total_seats = declared = registered = voters = 0
    for c in cons:
        total_seats += seat_count(c.kind, c.groups, c.attached_women_seat, commune_only)
        found = latest.get(c.id)
        if found is None or found[0] == "rerun_required":
            continue  # a court's annulment (services/disputes.py) leaves no seat to show
        share = found[1]
        declared += 1
        registered += share.registered
        voters += share.voters
        for code, n in share.votes:
            votes[party_of.get((c.id, code), code)] += n
        for code, n in share.commune_seats if commune_only else share.seats:
            seats[party_of.get((c.id, code), code)] += n
        for code, names in share.commune_elected if commune_only else share.elected:
            elected[party_of.get((c.id, code), code)] += names
    lines = sorted(
        (PartyLine(p, *party_names.get(p, (p, p)), seats.get(p, 0), votes.get(p, 0),
                   tuple(elected.get(p, ()))) for p in set(seats) | set(votes)),
        key=lambda line: (-line.seats, -line.votes, line.party))
    return CouncilResult(council, vote, total_seats, declared, len(cons), registered, voters,
                         tuple(lines), kind)

