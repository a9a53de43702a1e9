"""Candidacy files and their checks (التصريح بالترشيح وشروط الترشح) — guide ch. 2 and 3.

Organic law 59.11 on the election of members of territorial councils, as amended by organic laws
34.15 and 06.21.  A :class:`Filing` is one declaration: a single-member district candidate (with
the woman for the attached seat where the district has one) or a list (part 1 open to all, part 2
women only; for a divided commune each part holds the communal *and* the arrondissement seats).
:func:`check_set` runs every check on a whole set of filings (the checks that look across
filings — one person on several lists, a voter signing once — need the set) and returns coded
:class:`Finding` s; ``docs/candidacy.md`` lists them with their articles.

Decisions where the texts leave room (documented in docs/candidacy.md):

- the communal bar of art. 132 is an *error* (the text says such a person "may not be elected"
  in that commune); the regional incompatibilities of art. 82 are *warnings* "to resolve within
  8 days of taking office" (art. 83), because the law lets such a person be elected;
- one person on several filings is an error on each of them (art. 8 §1: elected in none);
- a voter's signature counts for the first filing (arrival order) that holds it, and is
  discarded, with a warning, from every later one (art. 85 §4, art. 134 item 6).

Just over 500 lines: the checks of one filing read in article order in one place.
Pure module: no I/O; dates are :class:`datetime.date`, every figure an ``int``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Final

from intikhab.law import councils
from intikhab.law.allocation import Sex
from intikhab.law.errors import Finding, InputError, Level
from intikhab.law.vote import Vote

__all__ = [
    "Filing",
    "Kind",
    "Nominee",
    "Office",
    "OfficeKind",
    "Seats",
    "Signature",
    "add_months",
    "add_years",
    "age_on",
    "arrondissement_list",
    "blocking",
    "check_filing",
    "check_set",
    "commune_district",
    "commune_list",
    "region_list",
    "required_signatures",
]


class Kind(StrEnum):
    """A list (الاقتراع باللائحة) or a single-member district (الاقتراع الفردي)."""

    LIST = "list"
    DISTRICT = "single_member"


class OfficeKind(StrEnum):
    """Offices that bar a candidacy (art. 5 §2), bar it in one commune (art. 132), or are
    incompatible with a regional seat (art. 82)."""

    # art. 5 §2 — barred everywhere while held and for one year after leaving
    JUDGE = "judge"
    AUDIT_COURT_JUDGE = "audit_court_judge"
    INTERIOR_AUTHORITY = "interior_authority"  # central directors … sheikhs and moqaddems
    INSPECTOR = "inspector"  # finance and interior inspectors
    TREASURER = "treasurer"  # treasurer general, regional treasurers, accountants (المحتسبون)
    ARMED_FORCES = "armed_forces"  # royal armed forces and public force agents
    ARMED_AGENT = "armed_agent"  # agents of a public service authorised to bear arms
    OFFICE_ABROAD = "office_abroad"  # Moroccans abroad holding office in their country
    # art. 132 — barred in the commune where held, and for one year after
    COMMUNE_STAFF = "commune_staff"
    COMMUNE_ACCOUNTANT = "commune_accountant"
    COMMUNE_CONCESSION = "commune_concession"
    COLLECTIVE_LANDS = "collective_lands"
    # art. 82 — incompatible with a regional seat (resolve within 8 days, art. 83)
    REGION_PAID = "region_paid"
    REGION_CONCESSION = "region_concession"
    PREFECTURE_COUNCIL = "prefecture_council"
    CHAMBER_PRESIDENT = "chamber_president"


BARRED: Final = frozenset({OfficeKind.JUDGE, OfficeKind.AUDIT_COURT_JUDGE,
                           OfficeKind.INTERIOR_AUTHORITY, OfficeKind.INSPECTOR,
                           OfficeKind.TREASURER, OfficeKind.ARMED_FORCES, OfficeKind.ARMED_AGENT,
                           OfficeKind.OFFICE_ABROAD})
COMMUNAL_BAR: Final = frozenset({OfficeKind.COMMUNE_STAFF, OfficeKind.COMMUNE_ACCOUNTANT,
                                 OfficeKind.COMMUNE_CONCESSION, OfficeKind.COLLECTIVE_LANDS})
REGIONAL_INCOMPATIBLE: Final = frozenset({OfficeKind.REGION_PAID, OfficeKind.REGION_CONCESSION,
                                          OfficeKind.PREFECTURE_COUNCIL,
                                          OfficeKind.CHAMBER_PRESIDENT})

#: Guide ch. 1.2 (a six-year term): a final dismissal bars "one full term" (art. 6).
TERM_YEARS: Final = 6
#: Art. 85 §3 (regional) and art. 134 item 6 (communal): certified signatures per seat.
SIGNATURES_PER_SEAT: Final = {Vote.REGIONAL: 20, Vote.COMMUNAL: 10}
#: Art. 85 §3: at least 10 % of a regional independent's signatories in each prefecture/province.
PREFECTURE_SHARE: Final = Fraction(1, 10)


@dataclass(frozen=True, slots=True)
class Office:
    """An office held (``left_on`` None) or left on ``left_on``; ``place`` is the commune (art.
    132) or region (art. 82) where it is exercised, None where the rule does not look at it."""

    kind: OfficeKind
    place: str | None = None
    left_on: date | None = None


@dataclass(frozen=True, slots=True)
class Nominee:
    """One person on a filing, with the items art. 7 §2 requires and the facts the eligibility
    rules look at.  ``None``/``False`` for a required item means it was not supplied.

    Places (``registered_in``, ``residence``, ``birth_place``, ``taxed_in``, …) are the ids of
    communes, arrondissements or (for a regional signatory) prefectures."""

    national_id: str
    first_name: str
    last_name: str
    sex: Sex | None
    birth_date: date | None
    birth_place: str
    address: str
    profession: str
    registered_in: str | None  # where on the general electoral list (None: not registered)
    party: str | None = None  # political affiliation (None: without affiliation)
    photo: bool = False
    registration_certificate: bool = False
    criminal_record_issued: date | None = None
    signature_certified: bool = False
    naturalised_on: date | None = None
    naturalisation_restriction_lifted: bool = False
    dismissed_on: date | None = None  # the date a dismissal from an elected office became final
    lost_capacity: bool = False  # lost for good a condition for being a voter (art. 6)
    convicted_65_68: bool = False
    offices: tuple[Office, ...] = ()
    residence: str | None = None
    taxed_in: tuple[tuple[str, date], ...] = ()  # (place, taxed there continuously since)
    father_birth_place: str | None = None
    grandfather_birth_place: str | None = None
    line: int = 0  # where it was read (for line-level messages), 0 when not from a file

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Signature:
    """A voter's certified signature for an independent (art. 85 §3–5, art. 134 item 6)."""

    national_id: str
    registered_in: str  # commune/arrondissement (communal) or prefecture/province (regional)
    certified: bool = True
    line: int = 0


@dataclass(frozen=True, slots=True)
class Filing:
    """One declaration of candidacy for one constituency.  ``general`` is part 1 in rank order
    (a district: the one candidate), ``women`` part 2 in rank order (a district: the woman for
    the attached seat, if any).  ``party`` is a party or a registered alliance; None for
    independents, who bring ``signatures`` instead of an ``endorsement``."""

    id: str
    constituency: str
    name: str
    filed_at: datetime  # the deposit, timezone-aware (Africa/Casablanca)
    general: tuple[Nominee, ...]
    women: tuple[Nominee, ...] = ()
    party: str | None = None
    endorsement: str | None = None  # the party or alliance that endorsed the filing
    agent: str | None = None  # the list agent (وكيل اللائحة): a national id
    copies: int = 3
    in_person: bool = True
    signatures: tuple[Signature, ...] = ()
    signature_deposits: int = 0
    line: int = 0

    @property
    def nominees(self) -> tuple[tuple[str, Nominee], ...]:
        return tuple((f"general[{i}]", n) for i, n in enumerate(self.general)) + tuple(
            (f"women[{i}]", n) for i, n in enumerate(self.women))


@dataclass(frozen=True, slots=True)
class Seats:
    """What a constituency elects, from :mod:`intikhab.law.councils`, and the places that count
    for where one may stand.  Build with :func:`region_list`, :func:`commune_list`,
    :func:`arrondissement_list` or :func:`commune_district`."""

    id: str
    vote: Vote
    kind: Kind
    general: int  # names in part 1 (a district: 1)
    women: int  # names in part 2 (a district: 1 with an attached seat, else 0)
    signature_seats: int  # seats counted for independents' signatures
    council: str  # the commune or the region
    places: frozenset[str] = frozenset()  # ids meaning "this commune" for art. 131
    registration_area: frozenset[str] = frozenset()  # where being registered lets one stand
    prefectures: tuple[str, ...] = ()  # regional: the region's prefectures/provinces


def region_list(cid: str, region: str, seats: int, prefectures: Sequence[str]) -> Seats:
    """A regional constituency (one prefecture or province, art. 76–77): parts from
    :func:`councils.region_constituency` (a third for women); signatures on every seat."""
    rc = councils.region_constituency(seats)
    if rc.mode is councils.Mode.SINGLE_MEMBER:  # one seat: plurality, one candidate (art. 78)
        return Seats(cid, Vote.REGIONAL, Kind.DISTRICT, 1, 0, 1, region,
                     prefectures=tuple(prefectures))
    return Seats(cid, Vote.REGIONAL, Kind.LIST, rc.general_seats, rc.women_seats, rc.seats,
                 region, prefectures=tuple(prefectures))


def commune_list(cid: str, commune: str, population: int, rules_year: int = 2021) -> Seats:
    """A commune elected by list vote (art. 128 bis §2, art. 130): parts from
    :func:`councils.commune_council`."""
    cc = councils.commune_council(population, rules_year)
    if cc.mode is not councils.Mode.LIST:
        raise InputError("E-COUNCIL-001", field="population", value=population)
    place = frozenset({commune})
    return Seats(cid, Vote.COMMUNAL, Kind.LIST, cc.general_seats, cc.women_seats, cc.members,
                 commune, place, place)


def arrondissement_list(cid: str, commune: str, arrondissements: Iterable[str],
                        communal_seats: int, arrondissement_seats: int) -> Seats:
    """An arrondissement of a divided commune (art. 128 bis, art. 134): part 1 = communal +
    arrondissement general seats, part 2 = the women's seats of both councils, from
    :func:`councils.arrondissement_seats`; independents sign for the communal seats only
    (art. 134 item 6: "each seat allotted to the arrondissement in the communal council")."""
    a = councils.arrondissement_seats(communal_seats, arrondissement_seats)
    area = frozenset({commune, *arrondissements})
    return Seats(cid, Vote.COMMUNAL, Kind.LIST, a.communal_general + a.arrondissement_general,
                 a.communal_women + a.arrondissement_women, a.communal_seats, commune,
                 frozenset({commune, cid}), area)


def commune_district(cid: str, commune: str, attached_women_seat: bool) -> Seats:
    """A single-member district (art. 128 bis §1, art. 134 item 2): one candidate, plus a woman
    for the attached seat in the five districts that have one."""
    place = frozenset({commune})
    n = int(attached_women_seat)
    return Seats(cid, Vote.COMMUNAL, Kind.DISTRICT, 1, n, 1 + n, commune, place, place)


def blocking(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The errors among ``findings`` (warnings do not block a registration)."""
    return tuple(f for f in findings if f.level is Level.ERROR)


# --- dates -------------------------------------------------------------------------------------


def add_years(d: date, years: int) -> date:
    """``d`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """``d`` plus whole months, the day clamped to the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def age_on(birth: date, on: date) -> int:
    """Age in whole years on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def required_signatures(seats: Seats) -> int:
    """Certified signatures an independent needs: 20 per seat for a region (art. 85 §3), 10 per
    seat for a commune or an arrondissement's communal seats (art. 134 item 6)."""
    return SIGNATURES_PER_SEAT[seats.vote] * seats.signature_seats


# --- checks ------------------------------------------------------------------------------------


class _Out:
    def __init__(self, filing: Filing) -> None:
        self.filing, self.items = filing, list[Finding]()

    def add(self, code: str, field: str, line: int = 0, **params: object) -> None:
        self.items.append(Finding(code, f"{self.filing.id}.{field}" if field else self.filing.id,
                                  params, filing=self.filing.id, line=line or self.filing.line))


def _contents(f: Filing, seats: Seats, out: _Out) -> None:
    """Art. 7 §1–2: deposit in three copies, in person; every required item present."""
    if f.copies != 3 or not f.in_person:
        out.add("E-CAND-002", "copies", copies=f.copies)
    if seats.kind is Kind.LIST:
        for item, value in (("list name", f.name), ("agent", f.agent)):
            if not value:
                out.add("E-CAND-001", item.replace(" ", "_"), item=item)
    for path, n in f.nominees:
        required: tuple[tuple[str, object], ...] = (
            ("national id", n.national_id), ("first name", n.first_name),
            ("last name", n.last_name), ("sex", n.sex), ("birth date", n.birth_date),
            ("birth place", n.birth_place), ("address", n.address),
            ("profession", n.profession), ("photo", n.photo),
            ("registration certificate", n.registration_certificate),
            ("criminal record", n.criminal_record_issued),
            ("certified signature", n.signature_certified))
        for name, given in required:
            if given is None or given is False or given == "":
                out.add("E-CAND-001", f"{path}.{name.replace(' ', '_')}", n.line, item=name)
        issued = n.criminal_record_issued
        if issued is not None and (add_months(issued, 3) <= f.filed_at.date()
                                   or issued > f.filed_at.date()):
            out.add("E-CAND-004", f"{path}.criminal_record", n.line, value=issued.isoformat())


def _eligibility(f: Filing, seats: Seats, polling: date, out: _Out) -> None:
    """Art. 79 and Constitution art. 30 (voter, registered, 18); art. 6 (ineligible); art. 5 §2
    (barred offices); art. 132 (communal bar); art. 82–83 (regional incompatibilities);
    art. 131 (where one may stand in a commune)."""
    for path, n in f.nominees:
        def add(code: str, sub: str, n: Nominee = n, path: str = path, **p: object) -> None:
            out.add(code, f"{path}.{sub}", n.line, name=n.name, **p)

        if n.birth_date is not None and age_on(n.birth_date, polling) < 18:
            add("E-CAND-005", "birth_date", age=age_on(n.birth_date, polling))
        if not n.registered_in:
            add("E-CAND-006", "registered_in")
        if (n.naturalised_on is not None and not n.naturalisation_restriction_lifted
                and polling < add_years(n.naturalised_on, 5)):
            add("E-CAND-007", "naturalised_on", until=add_years(n.naturalised_on, 5).isoformat())
        if n.dismissed_on is not None and polling < add_years(n.dismissed_on, TERM_YEARS):
            add("E-CAND-008", "dismissed_on",
                until=add_years(n.dismissed_on, TERM_YEARS).isoformat())
        if n.lost_capacity:
            add("E-CAND-009", "lost_capacity")
        if n.convicted_65_68:
            add("E-CAND-010", "convicted_65_68")
        for k, o in enumerate(n.offices):
            recent = o.left_on is None or polling < add_years(o.left_on, 1)
            if o.kind in BARRED and recent:
                add("E-CAND-011", f"offices[{k}]", office=o.kind.value)
            elif (o.kind in COMMUNAL_BAR and recent and seats.vote is Vote.COMMUNAL
                  and (o.place is None or o.place in seats.places)):
                add("E-CAND-012", f"offices[{k}]", office=o.kind.value, place=seats.council)
            elif (o.kind in REGIONAL_INCOMPATIBLE and seats.vote is Vote.REGIONAL
                  and (o.left_on is None or o.left_on > polling)
                  and (o.place is None or o.place == seats.council
                       or o.kind in (OfficeKind.PREFECTURE_COUNCIL,
                                     OfficeKind.CHAMBER_PRESIDENT))):
                add("W-CAND-013", f"offices[{k}]", office=o.kind.value)
        if seats.vote is Vote.COMMUNAL and n.registered_in and not _tied(n, seats, polling):
            add("E-CAND-014", "residence", place=seats.council)


def _tied(n: Nominee, seats: Seats, polling: date) -> bool:
    """Art. 131: residence, birth, taxed there ≥ 3 consecutive years on polling day, or origin
    (father *and* grandfather born there); in a divided commune, registration in any of its
    arrondissements lets one stand in any of them."""
    here = seats.places
    return (n.residence in here or n.birth_place in here
            or any(p in here and add_years(since, 3) <= polling for p, since in n.taxed_in)
            or (n.father_birth_place in here and n.grandfather_birth_place in here)
            or (len(seats.registration_area) > 1 and n.registered_in in seats.registration_area))


def _structure(f: Filing, seats: Seats, alliances: Mapping[str, frozenset[str]],
               out: _Out) -> None:
    """Art. 85 §2 (regional lists), art. 134 items 1–2 (communal lists, divided communes,
    districts and their attached seat): as many names as seats in each part, women only in
    part 2; art. 8 §3–4: one party per list unless a registered alliance, no party/independent
    mix; art. 7 §2: the party's (or alliance's) endorsement."""
    for part, names, want in (("general", f.general, seats.general),
                              ("women", f.women, seats.women)):
        if len(names) != want:
            out.add("E-CAND-015", part, part=part, count=len(names), seats=want)
    for i, n in enumerate(f.women):
        if n.sex is not None and n.sex is not Sex.F:
            out.add("E-CAND-016", f"women[{i}].sex", n.line, name=n.name)
    if f.party is None:
        for path, n in f.nominees:
            if n.party is not None:
                out.add("E-CAND-018", f"{path}.party", n.line, name=n.name, party=n.party)
        return
    allowed = alliances.get(f.party, frozenset({f.party}))
    for path, n in f.nominees:
        if n.party is None:
            out.add("E-CAND-018", f"{path}.party", n.line, name=n.name, party=f.party)
        elif n.party != f.party and n.party not in allowed:
            out.add("E-CAND-017", f"{path}.party", n.line, name=n.name, party=n.party,
                    list_party=f.party)
    if f.endorsement != f.party:
        out.add("E-CAND-019", "endorsement", party=f.party)


def _signatures(f: Filing, seats: Seats, counted: Sequence[Signature], out: _Out) -> None:
    """Art. 85 §3–5 and art. 134 item 6: an independent's certified signatures — 20 (region) or
    10 (commune) per seat, one deposit; regional: ≥ 10 % from each prefecture/province."""
    if f.signature_deposits != 1:
        out.add("E-CAND-024", "signature_deposits", value=f.signature_deposits)
    need = required_signatures(seats)
    if len(counted) < need:
        out.add("E-CAND-021", "signatures", count=len(counted), required=need)
    if seats.vote is Vote.REGIONAL and counted:
        per = defaultdict[str, int](int)
        for s in counted:
            per[s.registered_in] += 1
        for p in seats.prefectures:
            if Fraction(per[p], len(counted)) < PREFECTURE_SHARE:
                out.add("E-CAND-022", "signatures", prefecture=p, count=per[p],
                        total=len(counted))


def check_set(filings: Sequence[Filing], seats: Mapping[str, Seats], polling: date,
              deadline: datetime | None = None,
              alliances: Mapping[str, frozenset[str]] | None = None
              ) -> dict[str, tuple[Finding, ...]]:
    """Every check on every filing, ``filings`` in arrival order; returns each filing's findings.

    ``seats`` maps constituency ids to :class:`Seats`; ``deadline`` is the filing deadline
    (12:00 on D−14, local time; art. 85 §1, art. 134 §1), ``alliances`` the registered alliances
    and their parties (art. 8 §4).  Cross-filing checks: the same person on several filings
    (art. 8 §1) and a voter's signature counted once, for the first filing (art. 85 §4,
    art. 134 item 6)."""
    alliances = alliances or {}
    outs = {f.id: _Out(f) for f in filings}
    where = defaultdict[str, list[tuple[Filing, str, Nominee]]](list)
    signed: dict[str, str] = {}
    for f in filings:
        out = outs[f.id]
        s = seats.get(f.constituency)
        if s is None:
            out.add("E-CAND-025", "constituency", value=f.constituency)
            continue
        if deadline is not None and f.filed_at > deadline:
            out.add("E-CAND-003", "filed_at", value=f.filed_at.isoformat(sep=" "),
                    deadline=deadline.isoformat(sep=" "))
        _contents(f, s, out)
        _eligibility(f, s, polling, out)
        _structure(f, s, alliances, out)
        for path, n in f.nominees:
            if n.national_id:
                where[n.national_id].append((f, path, n))
        if f.party is None:
            counted = []
            for k, sig in enumerate(f.signatures):
                reason = _signature_problem(sig, s, signed, f.id)
                if reason:
                    out.add("W-CAND-023", f"signatures[{k}]", sig.line,
                            value=sig.national_id, reason=reason)
                    continue
                signed[sig.national_id] = f.id
                counted.append(sig)
            _signatures(f, s, counted, out)
    for nid, seen in where.items():
        if len(seen) > 1:
            names = ", ".join(f"{g.id}.{p}" for g, p, _ in seen)
            for g, path, n in seen:
                outs[g.id].add("E-CAND-020", f"{path}.national_id", n.line, value=nid,
                               places=names)
    return {fid: tuple(o.items) for fid, o in outs.items()}


def _signature_problem(sig: Signature, seats: Seats, signed: Mapping[str, str],
                       filing: str) -> str | None:
    if not sig.certified:
        return "not certified"
    area = seats.prefectures if seats.vote is Vote.REGIONAL else seats.registration_area
    if sig.registered_in not in area:
        return f"not a voter of {seats.council}"
    if sig.national_id in signed:
        first = signed[sig.national_id]
        return "signed twice" if first == filing else f"already signed for {first}"
    return None


def check_filing(filing: Filing, seats: Seats, polling: date, deadline: datetime | None = None,
                 alliances: Mapping[str, frozenset[str]] | None = None) -> tuple[Finding, ...]:
    """The checks of :func:`check_set` on one filing alone."""
    return check_set([filing], {seats.id: seats}, polling, deadline, alliances)[filing.id]


#: The codes that concern one candidate's eligibility: after the final receipt they do not
#: make a list fall (art. 8, last paragraph) — the candidate is marked ineligible instead.
PERSONAL: Final = frozenset({"E-CAND-005", "E-CAND-006", "E-CAND-007", "E-CAND-008",
                             "E-CAND-009", "E-CAND-010", "E-CAND-011", "E-CAND-012",
                             "E-CAND-014", "E-CAND-020"})
