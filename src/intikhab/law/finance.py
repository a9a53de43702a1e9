"""Campaign finance: accounts, ceilings, the expense period, the filing deadline and the
consequences the law attaches to an account's state (arts. 155–160, law 59.11 as amended;
decree 2.15.452 as amended by decree 2.21.517; guide ch. 12; docs/campaign-finance.md).

Amounts are integer centimes (``parse_amount("1234.50") == 123450``), never floats.

Decision (docs/campaign-finance.md): the decree sets the ceiling *per candidate* (60,000 MAD
communal, 150,000 MAD regional) while a list's account is kept by its agent for the whole list
(art. 156); the texts are silent on a list's total, so a list's ceiling is the per-candidate
ceiling × the number of candidates on the list.  Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from intikhab.law.calendar import (
    at,
    days_after,
    expense_window,
    fmt,
    local,
    vote_of,
)
from intikhab.law.errors import Finding, InputError
from intikhab.law.vote import Vote

MAX_CENTIMES: Final = 2**31 - 1
CEILING_MAD: Final = {Vote.COMMUNAL: 60_000, Vote.REGIONAL: 150_000}  # decree 2.15.452 art. 1


class Category(StrEnum):
    """Expense categories (decree 2.15.452 art. 2)."""

    PRINTING = "printing"
    MEETINGS = "meetings"
    PROMOTION = "promotion"
    INTERNET = "internet"
    POLLING_DAY = "polling_day"
    AFTER_CAMPAIGN = "after_campaign"
    POSTER_REMOVAL = "poster_removal"

    @property
    def ar(self) -> str:
        return CATEGORY_NAMES[self][0]

    @property
    def fr(self) -> str:
        return CATEGORY_NAMES[self][1]


CATEGORY_NAMES: Final[dict[Category, tuple[str, str]]] = {
    Category.PRINTING: ("طبع الإعلانات والوثائق الانتخابية وتعليقها وتوزيعها",
                        "Impression, affichage et distribution des annonces et documents"),
    Category.MEETINGS: ("عقد الاجتماعات الانتخابية ولوازمها بما فيها التنقل",
                        "Réunions électorales, prestataires et fournitures, déplacements compris"),
    Category.PROMOTION: ("اقتناء لوازم الدعاية الانتخابية", "Fournitures de propagande"),
    Category.INTERNET: ("إنجاز وبث وصلات إخبارية عبر الإنترنت",
                        "Réalisation et diffusion de messages sur internet"),
    Category.POLLING_DAY: ("نفقات يوم الاقتراع المرتبطة بممثلي اللوائح",
                           "Dépenses du jour du scrutin liées aux représentants des listes"),
    Category.AFTER_CAMPAIGN: ("مصاريف تؤدى بعد الحملة (كراء أماكن التعليق وغيرها)",
                              "Dépenses payées après la campagne (location d'emplacements…)"),
    Category.POSTER_REMOVAL: ("إزالة الإعلانات الانتخابية وإرجاع الحالة إلى ما كانت عليه",
                              "Enlèvement des affiches et remise en état"),
}


class Source(StrEnum):
    """Sources of funds (art. 156 requires them to be shown; the texts do not list them —
    decision, docs/campaign-finance.md)."""

    OWN = "own"
    PARTY = "party"
    DONATION = "donation"
    OTHER = "other"


class Flag(StrEnum):
    MISSING = "missing"
    LATE = "late"
    UNJUSTIFIED = "unjustified"
    NO_SOURCES = "no_sources"
    OVER_CEILING = "over_ceiling"
    OUTSIDE_PERIOD = "outside_period"


class Consequence(StrEnum):
    """What the law attaches to an account's state."""

    INELIGIBLE_TWO_TERMS = "ineligible_two_terms"  # art. 158 §7
    SEAT_STRIPPING = "seat_stripping"  # art. 159: administrative court, within two months
    NOTICE_PENDING = "notice_pending"  # art. 158: the Court of Accounts' 60-day notice runs


def parse_amount(value: str | int | Decimal, field: str = "amount") -> int:
    """Dirhams (string, int or Decimal, at most two decimals, > 0) → integer centimes."""
    if isinstance(value, float | bool):
        raise InputError("E-FIN-001", field=field, value=value)
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InputError("E-FIN-001", field=field, value=value) from None
    centimes = d * 100
    if not d.is_finite() or centimes != centimes.to_integral_value() or d <= 0 \
            or centimes > MAX_CENTIMES:
        raise InputError("E-FIN-001", field=field, value=value)
    return int(centimes)


def mad(centimes: int) -> str:
    """``123450`` → ``"1234.50"``."""
    return f"{Decimal(centimes) / 100:.2f}"


def ceiling(vote: Vote | str, candidates: int = 1) -> int:
    """The ceiling in centimes: 60,000 MAD per candidate (communal), 150,000 MAD (regional)
    (art. 155, law 59.11 as amended; decree 2.15.452 art. 1); a list's is the per-candidate
    ceiling × its candidates (decision, see the module docstring)."""
    if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 1:
        raise InputError("E-FIN-010", field="candidates", value=candidates)
    return CEILING_MAD[vote_of(vote)] * 100 * candidates


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the account: a source of funds (``source``) or an expense (``category``)."""

    amount: int  # centimes
    day: date
    category: Category | None = None
    source: Source | None = None
    document: str | None = None  # supporting document reference (expenses)
    label: str = ""

    @property
    def is_expense(self) -> bool:
        return self.category is not None


@dataclass(frozen=True, slots=True)
class Account:
    """A campaign account: kept by the candidate (single-member) or the list agent (lists),
    art. 156 and decree 2.21.517 art. 1."""

    id: str
    holder: str
    vote: Vote
    candidates: int = 1
    list_vote: bool = True
    elected: bool = False
    lines: tuple[Line, ...] = ()
    filed_at: datetime | None = None
    notice_at: datetime | None = None  # the First President's notice (art. 158)
    answered_notice: bool = False

    @property
    def expenses(self) -> int:
        return sum(x.amount for x in self.lines if x.is_expense)

    @property
    def funds(self) -> int:
        return sum(x.amount for x in self.lines if not x.is_expense)

    @property
    def ceiling(self) -> int:
        return ceiling(self.vote, self.candidates)

    @property
    def must_file(self) -> bool:
        """Art. 157: list councils (regions, prefectures/provinces, divided and list communes)
        file with the Court of Accounts; single-member communes only if a judge asks (art. 160)."""
        return self.list_vote


def make_line(*, amount: str | int | Decimal, day: date, category: str | None = None,
              source: str | None = None, document: str | None = None, label: str = "",
              field: str = "line") -> Line:
    """A validated line: exactly one of ``category`` (expense) or ``source`` (funds)."""
    if (category is None) == (source is None):
        raise InputError("E-FIN-002", field=f"{field}.category", value=category or source or "",
                         expected="category XOR source")
    try:
        cat = Category(category) if category is not None else None
        src = Source(source) if source is not None else None
    except ValueError:
        kind = Category if category is not None else Source
        raise InputError("E-FIN-002", field=field, value=category or source,
                         expected=" | ".join(m.value for m in kind)) from None
    return Line(parse_amount(amount, f"{field}.amount"), day, cat, src,
                (document or "").strip() or None, label)


def filing_deadline(results_at: datetime) -> datetime:
    """Within 60 days of the announcement of the results (art. 157)."""
    return days_after(local(results_at), 60)


def check_account(a: Account, polling_date: date, results_at: datetime,
                  as_of: datetime) -> list[Finding]:
    """Every finding on one account as of ``as_of``: filed on time (art. 157), sources shown,
    expenses justified (arts. 156, 158), within the ceiling (art. 155), expenses within D−30 …
    D+15 (decree 2.21.517 art. 1)."""
    out: list[Finding] = []
    deadline = filing_deadline(results_at)
    if a.must_file:
        if a.filed_at is None:
            if local(as_of) > deadline:
                out.append(Finding("E-FIN-006", a.id, {"bound": fmt(deadline)}))
        elif local(a.filed_at) > deadline:
            out.append(Finding("E-FIN-007", a.id, {"when": fmt(a.filed_at),
                                                   "bound": fmt(deadline)}))
    opens, closes = expense_window(polling_date)
    for i, x in enumerate(a.lines):
        if not x.is_expense:
            continue
        if not opens <= at(x.day) < closes:
            out.append(Finding("W-FIN-003", f"{a.id}.lines[{i}]", {
                "date": x.day.isoformat(), "opens": opens.date().isoformat(),
                "closes": (closes - timedelta(days=1)).date().isoformat()}))
        if x.document is None:
            out.append(Finding("E-FIN-004", f"{a.id}.lines[{i}]", {"amount": mad(x.amount)}))
    if a.expenses and not a.funds:
        out.append(Finding("E-FIN-008", a.id))
    elif a.funds < a.expenses:
        out.append(Finding("W-FIN-009", a.id, {"funds": mad(a.funds),
                                               "total": mad(a.expenses)}))
    if a.expenses > a.ceiling:
        out.append(Finding("E-FIN-005", a.id, {"total": mad(a.expenses),
                                               "ceiling": mad(a.ceiling)}))
    return out


_FLAGS: Final = {"E-FIN-006": Flag.MISSING, "E-FIN-007": Flag.LATE,
                 "E-FIN-004": Flag.UNJUSTIFIED, "E-FIN-008": Flag.NO_SOURCES,
                 "E-FIN-005": Flag.OVER_CEILING, "W-FIN-003": Flag.OUTSIDE_PERIOD}


def consequences(a: Account, flags: Iterable[Flag], as_of: datetime) -> tuple[Consequence, ...]:
    """The consequences of an account's state (arts. 158–159, law 59.11 as amended):
    not filed in time → ineligible for two consecutive terms (art. 158 §7); an *elected*
    member who did not file in time, or did not show the sources or justify the expenses and
    left the First President's 60-day notice unanswered, or exceeded the ceiling → stripped of
    the seat by the administrative court (art. 159).  While the notice runs: notice_pending."""
    fs = set(flags)
    out: list[Consequence] = []
    missing_or_late = bool(fs & {Flag.MISSING, Flag.LATE})
    if missing_or_late:
        out.append(Consequence.INELIGIBLE_TWO_TERMS)
    unjustified = bool(fs & {Flag.UNJUSTIFIED, Flag.NO_SOURCES})
    notice_over = a.notice_at is not None and not a.answered_notice and \
        local(as_of) > days_after(a.notice_at, 60)
    if unjustified and not missing_or_late and (a.notice_at is None or not notice_over) \
            and not a.answered_notice:
        out.append(Consequence.NOTICE_PENDING)
    if a.elected and (missing_or_late or (unjustified and notice_over)
                      or Flag.OVER_CEILING in fs):
        out.append(Consequence.SEAT_STRIPPING)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AccountReport:
    account: Account
    findings: tuple[Finding, ...]
    flags: tuple[Flag, ...]
    consequences: tuple[Consequence, ...]

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        a = self.account
        return {"account": a.id, "holder": a.holder, "vote": a.vote.value,
                "candidates": a.candidates, "elected": a.elected,
                "expenses": mad(a.expenses), "funds": mad(a.funds), "ceiling": mad(a.ceiling),
                "filed_at": a.filed_at.isoformat() if a.filed_at else None,
                "flags": [f.value for f in self.flags],
                "consequences": [c.value for c in self.consequences],
                "findings": [f.to_dict(lang) for f in self.findings]}


def report(accounts: Iterable[Account], polling_date: date, results_at: datetime,
           as_of: datetime) -> list[AccountReport]:
    """The Court of Accounts' view (art. 158 §5): accounts missing, late, unjustified, without
    sources or over the ceiling, with their consequences, worst first."""
    out = []
    for a in accounts:
        fs = tuple(check_account(a, polling_date, results_at, as_of))
        flags = tuple(sorted({_FLAGS[f.code] for f in fs if f.code in _FLAGS}))
        out.append(AccountReport(a, fs, flags, consequences(a, flags, as_of)))
    return sorted(out, key=lambda r: (-len(r.consequences), -len(r.flags), r.account.id))
