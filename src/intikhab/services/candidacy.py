"""Candidacy use cases: deposit (one by one or a whole file, all or nothing), the authority's
decisions, withdrawal and replacement, the single ballot, and publication of the registered
candidacies into the ``candidacy`` table the minutes and the allocation use.

Each write runs in the caller's transaction with its audit record (``candidacy.<action>``);
the law is in :mod:`intikhab.law.candidacy` (checks) and :mod:`intikhab.law.registration`
(the state machine and the ballot order); the filing documents and files are read by
:mod:`intikhab.formats.filings` (docs/candidacy.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.formats.filings import read_documents, read_filing, reader_for
from intikhab.formats.rows import ImportRejected, RowError
from intikhab.law import candidacy as law
from intikhab.law import registration as reg
from intikhab.law.candidacy import Filing, Seats
from intikhab.law.errors import CATALOGUE, Finding, InputError
from intikhab.law.registration import BallotEntry, BallotRow, Registration, RegistrationStatus
from intikhab.services.roles import require_role
from intikhab.store import audit
from intikhab.store.models import (
    Candidacy,
    CandidacyFiling,
    Commune,
    Constituency,
    Election,
    Party,
    PartyAlliance,
    Prefecture,
)

Json = Any
CLERKS: Final = frozenset({"clerk", "coordinator", "admin"})
DECIDERS: Final = frozenset({"coordinator", "admin"})


# --- the database side -------------------------------------------------------------------------


def polling_date(session: Session) -> date:
    return session.execute(select(Election.polling_date)).scalar_one()


def deadline(session: Session) -> datetime:
    """12:00 on D−14, Africa/Casablanca, for the election in the database."""
    return reg.filing_deadline(polling_date(session))


def seats_by_constituency(session: Session) -> dict[str, Seats]:
    """Each constituency's :class:`Seats`, from :mod:`intikhab.law.councils` and the territory:
    a region's seats per prefecture, a list commune's council, an arrondissement's communal and
    arrondissement seats (from its ``groups``), a district's attached seat."""
    communes = {c.id: c for c in session.scalars(select(Commune))}
    prefectures: dict[str, list[str]] = {}
    for p in session.scalars(select(Prefecture).order_by(Prefecture.id)):
        prefectures.setdefault(p.region_id, []).append(p.id)
    cons = list(session.scalars(select(Constituency).order_by(Constituency.id)))
    arrondissements: dict[str, set[str]] = {}
    for c in cons:
        if c.vote == "communal" and c.council in communes and communes[
                c.council].kind == "divided":
            arrondissements.setdefault(c.council, set()).add(c.id)
    out: dict[str, Seats] = {}
    rules = int(session.execute(select(Election.rules_communal)).scalar_one()[-4:])
    for c in cons:
        try:
            out[c.id] = _seats(c, communes, prefectures, arrondissements, rules)
        except (InputError, ValueError):  # refused by the councils tables: takes no filing
            continue
    return out


def _seats(c: Constituency, communes: Mapping[str, Commune],
           prefectures: Mapping[str, Sequence[str]], arrondissements: Mapping[str, set[str]],
           rules: int) -> Seats:
    seats = {str(g.get("council") or ""): 0 for g in c.groups or []}
    for g in c.groups or []:
        seats[str(g.get("council") or "")] += int(g["seats"])
    if c.vote == "regional":
        return law.region_list(c.id, c.council, sum(seats.values()) or 1,
                               prefectures.get(c.council, ()))
    if c.kind == "single_member":
        return law.commune_district(c.id, c.council, c.attached_women_seat)
    if c.council in arrondissements:
        return law.arrondissement_list(c.id, c.council, arrondissements[c.council],
                                       seats.get("commune", 0), seats.get("arrondissement", 0))
    population = communes[c.council].population if c.council in communes else 0
    return law.commune_list(c.id, c.council, population, rules)


def alliances(session: Session) -> dict[str, frozenset[str]]:
    return {a.id: frozenset(a.parties) for a in session.scalars(select(PartyAlliance))}


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None)


def _aware(at: datetime | None) -> datetime | None:
    return None if at is None else at.replace(tzinfo=UTC)


def registration(row: CandidacyFiling) -> Registration:
    """The state machine's view of a stored filing."""
    doc = row.document
    women = doc.get("women") or []
    is_list = row.kind == "list"
    holders = {doc.get("agent")} if is_list else {p.get("national_id")
                                                  for p in doc.get("general") or []}
    return Registration(
        row.id, row.constituency_id, RegistrationStatus(row.status), row.arrival,
        _aware(row.filed_at) or row.filed_at, is_list, row.party is None,
        frozenset(str(h) for h in holders if h),
        None if is_list or not women else str(women[0].get("national_id")),
        row.number, _aware(row.decided_at), tuple(row.reasons), tuple(row.notes),
        row.replaced_by, row.attached_withdrawn, frozenset(row.ineligible))


def _store(row: CandidacyFiling, r: Registration) -> None:
    row.status, row.number, row.reasons, row.notes = r.status.value, r.number, list(
        r.reasons), list(r.notes)
    row.decided_at = None if r.decided_at is None else _utc(r.decided_at)
    row.replaced_by, row.attached_withdrawn = r.replaced_by, r.attached_withdrawn
    row.ineligible = sorted(r.ineligible)


def _state(r: Registration | None) -> str | None:
    return None if r is None else audit.digest(asdict(r))


def _get(session: Session, filing: str) -> CandidacyFiling:
    row = session.get(CandidacyFiling, filing, with_for_update=True)
    if row is None:
        raise InputError("E-CAND-037", field="filing", value=filing)
    return row


def _live_filings(session: Session) -> list[tuple[CandidacyFiling, Filing]]:
    rows = session.scalars(select(CandidacyFiling).where(CandidacyFiling.status.in_(
        (RegistrationStatus.PROVISIONAL.value, RegistrationStatus.REGISTERED.value))).order_by(
        CandidacyFiling.filed_at, CandidacyFiling.arrival)).all()
    return [(r, as_filed(r)) for r in rows]


def as_filed(row: CandidacyFiling) -> Filing:
    """The stored document as a :class:`Filing` (without the attached woman once she has
    withdrawn)."""
    f = read_filing(row.document)
    return replace(f, women=()) if row.attached_withdrawn else f


def file_documents(session: Session, actor: str, docs: Sequence[Json],
                   alliance_docs: Sequence[Json] = (), at: datetime | None = None
                   ) -> list[CandidacyFiling]:
    """Deposit filings, all or nothing: each gets its provisional receipt numbered by arrival
    in its constituency (art. 9 §2), in the order of ``filed_at`` then of the file.  ``at`` is
    when the receipt is given (default: each document's ``filed_at``).  A document that cannot
    be read, names an unknown constituency or an id already used, or comes after the deadline
    is a row error and nothing is written."""
    role = require_role(session, actor, CLERKS)
    seats = seats_by_constituency(session)
    limit = deadline(session)
    known = set(session.scalars(select(CandidacyFiling.id)))
    errors: list[RowError] = []
    read: list[tuple[int, Json, Filing]] = []
    for n, doc in enumerate(docs, 1):
        reader = reader_for(doc, n)
        f = reader.filing(doc)
        if f is None:
            errors += reader.errors
            continue
        if f.constituency not in seats:
            reader.err("constituency", "", "E-CAND-025", value=f.constituency)
        if f.id in known:
            reader.err("id", "", "E-IMP-004", value=f.id)
        when = at or f.filed_at
        if when > limit:
            reader.err("filed_at", "", "E-CAND-003", value=when.isoformat(sep=" "),
                       deadline=limit.isoformat(sep=" "))
        known.add(f.id)
        errors += reader.errors
        read.append((n, doc, f))
    new_alliances = _read_alliances(session, alliance_docs, errors)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    chain = audit.Chain(session)
    session.add_all(new_alliances)
    for a in new_alliances:
        chain.append(actor=actor, role=role, action="candidacy.alliance",
                     entity=f"party_alliance:{a.id}", after=audit.digest(a.parties))
    nxt: dict[str, int] = {c: int(n) for c, n in session.execute(select(
        CandidacyFiling.constituency_id, func.max(CandidacyFiling.arrival)).group_by(
        CandidacyFiling.constituency_id))}
    out = []
    for _n, doc, f in sorted(read, key=lambda x: (at or x[2].filed_at, x[0])):
        arrival = nxt.get(f.constituency, 0) + 1
        nxt[f.constituency] = arrival
        r = reg.file(f.id, f.constituency, arrival, at or f.filed_at, limit,
                     is_list=seats[f.constituency].kind is law.Kind.LIST,
                     independent=f.party is None, holders=())
        stored = {k: v for k, v in doc.items() if k != "lines"} | {"id": f.id}
        row = CandidacyFiling(id=f.id, constituency_id=f.constituency, arrival=arrival,
                              status=r.status.value, kind=seats[f.constituency].kind.value,
                              party=f.party, name=f.name or (f.general[0].name if f.general
                                                             else f.id),
                              filed_at=_utc(r.filed_at), reasons=[], notes=[],
                              attached_withdrawn=False, ineligible=[], document=stored)
        session.add(row)
        chain.append(actor=actor, role=role, action="candidacy.file",
                     entity=f"candidacy_filing:{f.id}", after=audit.digest(stored))
        out.append(row)
    session.flush()
    chain.flush()
    return out


def _read_alliances(session: Session, docs: Sequence[Json], errors: list[RowError]
                    ) -> list[PartyAlliance]:
    out = []
    known = set(session.scalars(select(PartyAlliance.id)))
    parties = set(session.scalars(select(Party.id)))
    for n, a in enumerate(docs, 1):
        members = a.get("parties") if isinstance(a, dict) else None
        if (not isinstance(a, dict) or not a.get("id") or not isinstance(members, list)
                or not members):
            errors.append(RowError("alliances", n, "$", "E-IMP-002", InputError(
                "E-IMP-002", field="$", expected="{id, name, parties: [...]}").message("en")))
            continue
        for p in members:
            if p not in parties:
                errors.append(RowError("alliances", n, "parties", "E-IMP-003", InputError(
                    "E-IMP-003", field="parties", value=p, table="parties").message("en")))
        if a["id"] in known:
            errors.append(RowError("alliances", n, "id", "E-IMP-004", InputError(
                "E-IMP-004", field="id", value=a["id"]).message("en")))
        known.add(a["id"])
        out.append(PartyAlliance(id=str(a["id"]), name=str(a.get("name") or a["id"]),
                                 parties=sorted(map(str, members))))
    return out


def import_file(session: Session, actor: str, path: str | Path,
                at: datetime | None = None) -> list[CandidacyFiling]:
    """Deposit every filing of a JSON or CSV file, all or nothing (line-level errors)."""
    docs, alliance_docs = read_documents(path)
    return file_documents(session, actor, docs, alliance_docs, at)


def check_documents(docs: Sequence[Json], seats: Mapping[str, Seats], polling: date,
                    alliance_map: Mapping[str, frozenset[str]] | None = None
                    ) -> tuple[list[Finding], list[RowError]]:
    """Every check on a set of filing documents without a database (``candidacy check``):
    the findings in arrival order, or the row errors of documents that cannot be read."""
    errors: list[RowError] = []
    filings = []
    for n, doc in enumerate(docs, 1):
        reader = reader_for(doc, n)
        f = reader.filing(doc)
        errors += reader.errors
        if f is not None:
            filings.append(f)
    filings.sort(key=lambda f: f.filed_at)
    found = law.check_set(filings, seats, polling, reg.filing_deadline(polling), alliance_map)
    return [x for f in filings for x in found[f.id]], errors


def decide(session: Session, actor: str, at: datetime | None = None,
           only: Iterable[str] | None = None) -> list[Registration]:
    """The authority decides every provisional filing (or those in ``only``), in arrival order:
    the final receipt, or a rejection reasoned by the blocking codes (art. 9 §2–3)."""
    role = require_role(session, actor, DECIDERS)
    when = at or datetime.now(UTC)
    wanted = None if only is None else set(only)
    live = _live_filings(session)
    found = law.check_set([f for _, f in live], seats_by_constituency(session),
                          polling_date(session), deadline(session), alliances(session))
    chain = audit.Chain(session)
    out = []
    for row, f in live:
        if (row.status != RegistrationStatus.PROVISIONAL
                or (wanted is not None and row.id not in wanted)):
            continue
        before = registration(row)
        after = reg.decide(before, when, found[f.id])
        _store(row, after)
        chain.append(actor=actor, role=role, action=f"candidacy.{after.status.value}",
                     entity=f"candidacy_filing:{row.id}", before=_state(before),
                     after=_state(after))
        out.append(after)
    if wanted is not None:
        missing = wanted - {r.filing for r in out}
        for fid in sorted(missing):
            row = _get(session, fid)
            reg.decide(registration(row), when, ())  # raises: not provisional
    session.flush()
    chain.flush()
    return out


def _transition(session: Session, actor: str, filing: str, action: str,
                change: Any, roles: frozenset[str] = CLERKS) -> Registration:
    role = require_role(session, actor, roles)
    row = _get(session, filing)
    before = registration(row)
    after: Registration = change(before)
    _store(row, after)
    audit.append(session, actor=actor, role=role, action=f"candidacy.{action}",
                 entity=f"candidacy_filing:{filing}", before=_state(before),
                 after=_state(after))
    session.flush()
    return after


def withdraw(session: Session, actor: str, filing: str, by: Iterable[str],
             at: datetime | None = None) -> Registration:
    """Record a withdrawal consented by ``by`` (national ids), until the deadline."""
    when, limit, who = at or datetime.now(UTC), deadline(session), tuple(by)
    return _transition(session, actor, filing, "withdraw",
                       lambda r: reg.withdraw(r, when, who, limit))


def withdraw_attached(session: Session, actor: str, filing: str, by: Iterable[str],
                      at: datetime | None = None) -> Registration:
    """Record the attached seat's woman withdrawing her own candidacy (art. 134 item 5)."""
    when, limit, who = at or datetime.now(UTC), deadline(session), tuple(by)
    return _transition(session, actor, filing, "withdraw_attached",
                       lambda r: reg.withdraw_attached(r, when, who, limit))


def replace_filing(session: Session, actor: str, filing: str, by: Iterable[str], doc: Json,
                   at: datetime | None = None) -> tuple[Registration, CandidacyFiling]:
    """Withdraw ``filing`` and deposit ``doc`` in its place, in one transaction (guide ch. 3.2):
    the new filing gets its own provisional receipt."""
    when, limit, who = at or datetime.now(UTC), deadline(session), tuple(by)
    new_id = str(doc.get("id")) if isinstance(doc, dict) else ""
    old = _transition(session, actor, filing, "replace",
                      lambda r: reg.replace_filing(r, when, who, limit, new_id))
    (new,) = file_documents(session, actor, [doc], at=when)
    return old, new


def reject(session: Session, actor: str, filing: str, reasons: Sequence[str],
           at: datetime | None = None) -> Registration:
    """A reasoned rejection, also after the final receipt (art. 8 §5, art. 9 §3)."""
    when = at or datetime.now(UTC)
    unknown = [c for c in reasons if c not in CATALOGUE]
    if unknown:
        raise InputError("E-IMP-002", field="reasons", expected="catalogue codes")
    return _transition(session, actor, filing, "reject",
                       lambda r: reg.reject(r, when, reasons), DECIDERS)


def mark_ineligible(session: Session, actor: str, filing: str, national_id: str
                    ) -> Registration:
    """A candidate of a registered list proves ineligible after the final receipt: the list
    stays valid (art. 8, last paragraph)."""
    row = session.get(CandidacyFiling, filing)
    ids = {str(p.get("national_id")) for part in ("general", "women")
           for p in (row.document.get(part) or [])} if row else set()
    if row is not None and national_id not in ids:
        raise InputError("E-CAND-037", field="national_id", value=national_id)
    return _transition(session, actor, filing, "mark_ineligible",
                       lambda r: reg.mark_ineligible(r, national_id), DECIDERS)


def listing(session: Session) -> list[CandidacyFiling]:
    """Every filing, by constituency and arrival."""
    return list(session.scalars(select(CandidacyFiling).order_by(
        CandidacyFiling.constituency_id, CandidacyFiling.arrival)))


# --- ballot and publication --------------------------------------------------------------------


def _entry(row: CandidacyFiling) -> BallotEntry:
    doc = row.document
    general, women = doc.get("general") or [{}], doc.get("women") or []

    def name(p: Mapping[str, Any]) -> str:
        return f"{p.get('first_name', '')} {p.get('last_name', '')}".strip()

    if row.kind == "list":
        agent = doc.get("agent")
        head = next((name(p) for p in (*general, *women) if p.get("national_id") == agent),
                    name(general[0]))
        return BallotEntry(row.id, row.number or 0, row.party, row.name, head)
    attached = name(women[0]) if women and not row.attached_withdrawn else None
    return BallotEntry(row.id, row.number or 0, row.party, row.name, name(general[0]),
                       attached)


def ballot(session: Session, constituency: str) -> tuple[BallotEntry, ...]:
    """The single ballot of one constituency: its registered filings, parties first, each by
    registration number (art. 11 §3 and §8)."""
    if session.get(Constituency, constituency) is None:
        raise InputError("E-CAND-025", field="constituency", value=constituency)
    rows = session.scalars(select(CandidacyFiling).where(
        CandidacyFiling.constituency_id == constituency,
        CandidacyFiling.status == RegistrationStatus.REGISTERED.value))
    return reg.ballot_order(_entry(r) for r in rows)


def combined_ballot(session: Session, communal: str, regional: str) -> tuple[BallotRow, ...]:
    """The combined communal + regional ballot of a polling place (art. 11 §8)."""
    return reg.combined_ballot(ballot(session, communal), ballot(session, regional))


def _person(p: Mapping[str, Any], ineligible: Iterable[str]) -> dict[str, Any]:
    return {"name": f"{p.get('first_name', '')} {p.get('last_name', '')}".strip(),
            "birth_date": p.get("birth_date"), "sex": p.get("sex"),
            "eligible": str(p.get("national_id")) not in set(ineligible), "deceased": False}


def publish(session: Session, actor: str) -> list[Candidacy]:
    """Write every registered filing into the ``candidacy`` table (insert or update by
    constituency and code): the lists with their parts in rank order, a district candidate
    with the attached woman.  ``rank`` is the position on the ballot; ``code`` is the party
    (or the filing id for an independent; ``PARTY:DISTRICT`` for a district)."""
    role = require_role(session, actor, DECIDERS)
    parties = set(session.scalars(select(Party.id)))
    chain = audit.Chain(session)
    out = []
    cons = session.scalars(select(CandidacyFiling.constituency_id).where(
        CandidacyFiling.status == RegistrationStatus.REGISTERED.value).distinct()).all()
    for cid in sorted(cons):
        for rank, entry in enumerate(ballot(session, cid), 1):
            row = session.get_one(CandidacyFiling, entry.filing)
            doc, bad = row.document, row.ineligible
            if row.kind == "list":
                cands: dict[str, Any] = {part: [_person(p, bad) for p in doc.get(part) or []]
                                         for part in ("general", "women")}
                code = row.party or row.id
            else:
                women = doc.get("women") or []
                cands = {"candidate": _person(doc["general"][0], bad),
                         "attached_woman": _person(women[0], bad)
                         if women and not row.attached_withdrawn else None}
                code = f"{row.party}:{cid}" if row.party else row.id
            target = session.execute(select(Candidacy).where(
                Candidacy.constituency_id == cid, Candidacy.code == code)).scalar_one_or_none()
            values = {"party_id": row.party if row.party in parties else None,
                      "name": row.name, "rank": rank, "candidates": cands}
            if target is None:
                target = Candidacy(constituency_id=cid, code=code, **values)
                session.add(target)
            else:
                for k, v in values.items():
                    setattr(target, k, v)
            chain.append(actor=actor, role=role, action="candidacy.publish",
                         entity=f"candidacy:{cid}:{code}", after=audit.digest(values))
            out.append(target)
    session.flush()
    chain.flush()
    return out
