"""The electoral calendar: every deadline of the process as dated, timed events.

Everything is computed from the polling date ``D`` (and, for what runs from a later act, from
that act: the results, the deposit of the minutes, a rejection…) in Africa/Casablanca time.
Guide ch. 3, 4, 5, 6, 12, 13; docs/calendar.md.  Pure module: no I/O, no clock.

Conventions (docs/calendar.md):
- An event is a closed interval ``[opens, closes]`` of aware datetimes; a deadline has
  ``opens = None``.  "24:00 on day X" is ``00:00`` of X+1.
- "Within n days" of an act runs to 24:00 of the n-th day after it (the day of the act is not
  counted).  "n *full* days" (أيام كاملة, art. 29) is a *délai franc*: neither the day of the
  trigger nor the last day counts, so it runs to 24:00 of the (n+1)-th day.
- "At least 48 hours before the polling date" is measured from 00:00 of polling day (the
  strictest reading of "تاريخ الاقتراع").
- Hours are elapsed hours (computed in UTC), days are calendar days in Casablanca.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, NamedTuple

from intikhab.law.dates import TZ
from intikhab.law.errors import Finding, InputError
from intikhab.law.vote import Vote

LAW: Final = "law 59.11 as amended"


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event: a window (``opens`` … ``closes``) or a deadline (``closes`` only)."""

    key: str
    ar: str
    fr: str
    article: str
    closes: datetime
    opens: datetime | None = None
    note: str = ""

    def contains(self, when: datetime) -> bool:
        return (self.opens is None or self.opens <= when) and when <= self.closes


class Verdict(NamedTuple):
    """Whether an act was on time: ``code`` is ``None`` when it was, else E-CAL-003 (too
    early) or E-CAL-004 (too late)."""

    act: str
    when: datetime
    event: Event
    code: str | None

    @property
    def ok(self) -> bool:
        return self.code is None

    def finding(self) -> Finding | None:
        if self.code is None:
            return None
        bound = self.event.opens if self.code == "E-CAL-003" else self.event.closes
        return Finding(self.code, self.act,
                       {"when": fmt(self.when), "article": self.event.article,
                        "bound": fmt(bound, end=bound is self.event.closes)})


def fmt(when: datetime | None, *, end: bool = False) -> str:
    """Casablanca wall-clock time; with ``end``, midnight reads as 24:00 of the day before, as
    the law writes the end of a period ("the campaign ends at 24:00 on D−1")."""
    if when is None:
        return ""
    local_time = when.astimezone(TZ)
    if end and (local_time.hour, local_time.minute) == (0, 0):
        return f"{(local_time - timedelta(days=1)):%Y-%m-%d} 24:00"
    return local_time.strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------------------------
# Time arithmetic


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """Wall-clock time in Casablanca on ``day`` (``hour=24`` is 00:00 of the next day)."""
    if hour == 24:
        day, hour = day + timedelta(days=1), 0
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def local(when: datetime) -> datetime:
    """An aware datetime in Casablanca time; a naive one is refused (E-CAL-002)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise InputError("E-CAL-002", field="when", value=when.isoformat())
    return when.astimezone(TZ)


def hours_after(when: datetime, hours: int) -> datetime:
    """``hours`` elapsed hours after ``when`` (negative: before)."""
    return (local(when).astimezone(UTC) + timedelta(hours=hours)).astimezone(TZ)


def days_after(when: datetime | date, days: int, *, full: bool = False) -> datetime:
    """24:00 of the ``days``-th day after ``when`` (the day itself not counted); ``full``
    days (délai franc) also leave the last day out, so one more day is given."""
    day = local(when).date() if isinstance(when, datetime) else when
    return at(day + timedelta(days=days + (1 if full else 0)), 24)


def months_after(when: datetime, months: int) -> datetime:
    """24:00 of the same day ``months`` later (the last day of a shorter month)."""
    d = local(when).date()
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in range(d.day, 27, -1):
        try:
            return at(date(year, month, day), 24)
        except ValueError:
            continue
    return at(date(year, month, min(d.day, 28)), 24)


def vote_of(value: str) -> Vote:
    try:
        return Vote(value)
    except ValueError:
        raise InputError("E-CAL-005", field="vote", value=value,
                         expected="communal | regional") from None


# --------------------------------------------------------------------------------------------
# The events

FILING_OPENS_DAYS_BEFORE: Final = 23  # decrees 2.21.354 / 2.21.355 art. 2 (2021: Mon 16 Aug)


def filing_deadline(polling_date: date) -> datetime:
    """12:00 on the 14th day before the vote (art. 85 §1 regional, art. 134 §1-1 communal,
    law 59.11 as amended)."""
    return at(polling_date - timedelta(days=14), 12)


def campaign_window(polling_date: date) -> tuple[datetime, datetime]:
    """00:00 of D−13 to 24:00 of D−1 (decrees 2.21.354 and 2.21.355 art. 3; 2021: 26 Aug
    00:00 → 7 Sep 24:00)."""
    return at(polling_date - timedelta(days=13)), at(polling_date - timedelta(days=1), 24)


def polling_hours(polling_date: date) -> tuple[datetime, datetime]:
    """08:00 to 19:00 on polling day (art. 17, law 59.11 as amended)."""
    return at(polling_date, 8), at(polling_date, 19)


def expense_window(polling_date: date) -> tuple[datetime, datetime]:
    """From the 30th day before the vote to the 15th day after it (decree 2.15.452 art. 1 as
    amended by decree 2.21.517)."""
    return at(polling_date - timedelta(days=30)), at(polling_date + timedelta(days=15), 24)


def _e(key: str, ar: str, fr: str, article: str, closes: datetime,
       opens: datetime | None = None, note: str = "") -> Event:
    return Event(key, ar, fr, article, closes, opens, note)


def calendar(polling_date: date, vote: Vote | str = Vote.COMMUNAL, *,
             list_vote: bool = True, results_at: datetime | None = None,
             filing_opens: date | None = None) -> tuple[Event, ...]:
    """Every event of the process computed from the polling date, in time order.

    ``results_at`` is when the results were announced (default: 19:00 on polling day — the
    commissions declare on election night; a decision, docs/calendar.md); the poster
    removal and the campaign-account deadlines run from it.  ``list_vote=False`` (communes
    of ≤50,000 inhabitants) drops the deposit of campaign accounts, which art. 157 requires
    only of list councils.  ``filing_opens`` is the decree's opening day (default D−23)."""
    v = vote_of(vote)
    d = polling_date
    res = local(results_at) if results_at is not None else at(d, 19)
    filing_art = "art. 85 §1" if v is Vote.REGIONAL else "art. 134 §1"
    decree = "decree 2.21.355 art. 2" if v is Vote.REGIONAL else "decree 2.21.354 art. 2"
    c_open, c_close = campaign_window(d)
    p_open, p_close = polling_hours(d)
    x_open, x_close = expense_window(d)
    opens = at(filing_opens or d - timedelta(days=FILING_OPENS_DAYS_BEFORE))
    events = [
        _e("expense_window", "فترة احتساب المصاريف الانتخابية",
           "Période des dépenses électorales",
           "decree 2.15.452 art. 1 (as amended by decree 2.21.517)", x_close, x_open),
        _e("filing", "إيداع التصريحات بالترشيح", "Dépôt des déclarations de candidature",
           f"{filing_art}, {LAW}; {decree}", filing_deadline(d), opens),
        _e("campaign", "الحملة الانتخابية", "Campagne électorale",
           "decrees 2.21.354 and 2.21.355 art. 3", c_close, c_open),
        _e("polling_places", "إعلان أماكن مكاتب التصويت",
           "Publication des lieux des bureaux de vote", f"art. 13 §3, {LAW}",
           at(d - timedelta(days=10), 24), note="at least 10 days before the vote"),
        _e("voter_lists", "إيداع لوائح الناخبين بالمكاتب الإدارية",
           "Dépôt des listes électorales par bureau de vote", f"art. 13 §4, {LAW}",
           hours_after(at(d), -48), note="at least 48 hours before the vote"),
        _e("bureau_appointments", "تعيين رؤساء وأعضاء مكاتب التصويت",
           "Nomination des présidents et membres des bureaux de vote", f"art. 15 §1, {LAW}",
           hours_after(at(d), -48), note="at least 48 hours before the vote"),
        _e("representatives", "تبليغ أسماء ممثلي المترشحين",
           "Notification des noms des représentants des candidats", f"art. 16 §4, {LAW}",
           at(d - timedelta(days=1), 12)),
        _e("polling", "الاقتراع", "Scrutin", f"art. 17, {LAW}", p_close, p_open),
        _e("poster_removal", "إزالة الإعلانات الانتخابية", "Enlèvement des affiches électorales",
           f"art. 36, {LAW}", days_after(res, 15), res,
           note="within 15 days of the announcement of the results"),
    ]
    if list_vote:
        events.append(_e(
            "campaign_accounts", "إيداع حساب الحملة الانتخابية لدى المجلس الأعلى للحسابات",
            "Dépôt du compte de campagne à la Cour des comptes", f"art. 157, {LAW}",
            days_after(res, 60), res, note="within 60 days of the announcement of the results"))
    return tuple(sorted(events, key=lambda e: (e.opens or e.closes, e.closes)))


# Acts whose deadline runs from a trigger (guide ch. 12, 13): key → (ar, fr, article, rule)
TRIGGERED: Final[dict[str, tuple[str, str, str, str]]] = {
    "candidacy_appeal.regional": (
        "الطعن في رفض الترشيح (الانتخابات الجهوية)",
        "Recours contre un refus de candidature (régionales)",
        f"art. 97, {LAW}", "days:2"),
    "candidacy_appeal.communal": (
        "الطعن في رفض الترشيح (الانتخابات الجماعية)",
        "Recours contre un refus de candidature (communales)",
        f"art. 151, {LAW}", "days:2"),
    "candidacy_ruling": ("بت المحكمة في الطعن المتعلق بالترشيح",
                         "Jugement du recours en matière de candidature",
                         f"art. 26 §3, {LAW}", "days:3"),
    "results_petition": ("الطعن في نتائج الاقتراع", "Recours contre les résultats du scrutin",
                         f"art. 29 §1, {LAW}", "full_days:8"),
    "rapporteur": ("تعيين القاضي المقرر", "Désignation du juge rapporteur",
                   f"art. 30, {LAW}", "hours:24"),
    "minutes_access": ("اطلاع المطعون في انتخابهم على المحاضر",
                       "Consultation des procès-verbaux par les élus contestés",
                       f"art. 27 §2, {LAW}", "days:8"),
    "results_ruling": ("بت المحكمة الإدارية في الطعن", "Jugement du tribunal administratif",
                       f"art. 31, {LAW}", "days:15"),
    "appeal_ruling": ("بت محكمة الاستئناف الإدارية", "Arrêt de la cour d'appel administrative",
                      f"art. 31 §4, {LAW}", "months:1"),
    "cassation_ruling": ("بت محكمة النقض", "Arrêt de la Cour de cassation",
                         f"art. 31 §4, {LAW}", "months:2"),
    "ruling_notification": ("تبليغ القرار إلى الأطراف", "Notification de la décision aux parties",
                            f"art. 31 §4, {LAW}", "days:15"),
    "account_notice_answer": ("الإدلاء بالوثائق بعد إعذار الرئيس الأول للمجلس الأعلى للحسابات",
                              "Réponse à la mise en demeure du Premier président "
                              "de la Cour des comptes",
                              f"art. 158, {LAW}", "days:60"),
    "stripping_ruling": ("بت المحكمة الإدارية في التجريد من العضوية",
                         "Jugement de déchéance par le tribunal administratif",
                         f"art. 159 §2, {LAW}", "months:2"),
    "poster_removal_notice": ("إزالة الإعلان بعد التنبيه",
                              "Enlèvement de l'affiche après avertissement",
                              "decree 2.15.578 art. 2 §1", "hours:24"),
}


def triggered(act: str, trigger: datetime) -> Event:
    """The deadline of an act that runs from ``trigger`` (a rejection or its notification, the
    deposit of the minutes, a filing, a ruling, a notice…): guide ch. 13, docs/disputes.md."""
    if act not in TRIGGERED:
        raise InputError("E-CAL-006", field="act", value=act, known=", ".join(sorted(TRIGGERED)))
    ar, fr, article, rule = TRIGGERED[act]
    kind, _, n = rule.partition(":")
    start = local(trigger)
    closes = {"hours": lambda k: hours_after(start, k),
              "days": lambda k: days_after(start, k),
              "full_days": lambda k: days_after(start, k, full=True),
              "months": lambda k: months_after(start, k)}[kind](int(n))
    return Event(act, ar, fr, article, closes, start, rule)


def on_time(act: str, when: datetime, polling_date: date | None = None,
            vote: Vote | str = Vote.COMMUNAL, *, trigger: datetime | None = None,
            list_vote: bool = True, results_at: datetime | None = None) -> Verdict:
    """Is ``act`` done at ``when`` on time?  ``act`` is an event key of :func:`calendar`
    (``filing``, ``campaign``, ``representatives``…: needs ``polling_date``) or a triggered
    act of :data:`TRIGGERED` (``results_petition``…: needs ``trigger``)."""
    when = local(when)
    if act in TRIGGERED:
        if trigger is None:
            raise InputError("E-CAL-007", field="trigger", act=act)
        event = triggered(act, trigger)
    else:
        if polling_date is None:
            raise InputError("E-CAL-007", field="polling_date", act=act)
        events = {e.key: e for e in calendar(polling_date, vote, list_vote=list_vote,
                                             results_at=results_at)}
        if act not in events:
            known = ", ".join(sorted({*events, *TRIGGERED}))
            raise InputError("E-CAL-006", field="act", value=act, known=known)
        event = events[act]
    if event.opens is not None and when < event.opens:
        return Verdict(act, when, event, "E-CAL-003")
    return Verdict(act, when, event, None if when <= event.closes else "E-CAL-004")


# --------------------------------------------------------------------------------------------
# iCalendar (RFC 5545)


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character."""
    out: list[str] = []
    cur = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((cur + ch).encode()) > limit:
            out.append(cur)
            cur = ch
        else:
            cur += ch
    out.append(cur)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(events: tuple[Event, ...] | list[Event], stamp: datetime,
           name: str = "intikhab") -> str:
    """The events as an RFC 5545 calendar (UTC times, CRLF lines, folded at 75 octets).  A
    deadline is an instant (DTSTART only); a window has DTSTART and DTEND.  ``stamp`` is the
    DTSTAMP (the caller's clock: this module has none)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//intikhab//calendar//AR",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(name)}",
             "X-WR-TIMEZONE:Africa/Casablanca"]
    for e in events:
        uid = f"{e.key}-{_utc(e.closes)}@intikhab"
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_utc(stamp)}"]
        if e.opens is None:
            lines.append(f"DTSTART:{_utc(e.closes)}")
        else:
            lines += [f"DTSTART:{_utc(e.opens)}", f"DTEND:{_utc(e.closes)}"]
        desc = f"{e.fr} — {e.article}" + (f" ({e.note})" if e.note else "")
        lines += [f"SUMMARY:{_ics_text(e.ar)}", f"DESCRIPTION:{_ics_text(desc)}",
                  f"CATEGORIES:{_ics_text(e.key)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
