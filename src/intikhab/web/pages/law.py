"""The screens of the legal process around the vote, in the pages' layout (``base.html``,
Arabic right to left, French by ``/lang/fr``):

- public: the offences search (``/offences``), the electoral calendar from a polling date with
  "is this act on time?" and the iCalendar download (``/calendar``), the campaign checks
  (``/campaign``), the single ballot of a constituency (``/ballot/{id}``, printable at
  ``/ballot/{id}/print`` with ``formats.ballot``, as ``intikhab candidacy ballot`` prints it);
- the administration (``/candidacies``): the filings with their status, and the actions —
  import or check a file, decide, reject with reasons, withdraw, publish;
- coordinators and administrators: dispute cases (``/disputes``: open, rule — an annulment
  shows the constituency's re-run) and the campaign-finance report (``/finance``).

Every screen but the public ones checks the role (``auth.require_page``); every form POST
carries the CSRF token (``auth.verify_csrf``); every change goes through the services (which
write it with its audit record in one transaction) and any refusal is shown with its code and
the status ``web.errors`` gives it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from intikhab.formats.ballot import ballot_html
from intikhab.formats.filings import read_documents
from intikhab.formats.rows import ImportRejected
from intikhab.law import calendar as cal
from intikhab.law import campaign, offences
from intikhab.law import disputes as dlaw
from intikhab.law.errors import CATALOGUE, Finding, IntikhabError
from intikhab.law.finance import Category
from intikhab.services import candidacy as cand
from intikhab.services import disputes, finance, portal, queries, web_support
from intikhab.web import auth, deps
from intikhab.web.auth import Principal
from intikhab.web.deps import CLERKS, COORDINATORS, READERS
from intikhab.web.errors import status_of
from intikhab.web.i18n import t, value_name
from intikhab.web.pages.common import CSRF, lang_of, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(auth.require_page(*READERS))]
Clerk = Annotated[Principal, Depends(auth.require_page(*CLERKS))]
Decider = Annotated[Principal, Depends(auth.require_page(*COORDINATORS))]


def page(request: Request, name: str, principal: Principal | None, status: int = 200,
         **extra: Any) -> HTMLResponse:
    """``render`` of ``law/<name>`` with the labels (``l``), the names of values (``v``) and
    the catalogue's messages (``msg``) in the page's language."""
    lang = lang_of(request)

    def label(key: str, **params: object) -> str:
        return t(key, lang, **params)

    def msg(code: str) -> str:
        check = CATALOGUE.get(code)
        return "" if check is None else str(getattr(check, lang)).split("{")[0].strip(" :(")

    return render(request, f"law/{name}", principal, status=status, msg=msg, fmt=cal.fmt,
                  l=label, v=lambda value: value_name(value, lang), **extra)


def _done(path: str, **params: object) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode(params)}" if params else path, status_code=303)


def _text(form: Mapping[str, Any], key: str, limit: int = 200) -> str:
    value = form.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _int(raw: str, field: str) -> int | None:
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise IntikhabError("E-API-001", field=field, detail="a whole number")
    return int(raw)


def _at(form: Mapping[str, Any], field: str = "at") -> datetime | None:
    """The instant typed in ``field`` (``web.deps.when``), or None when left empty."""
    raw = _text(form, field, 40)
    return deps.when(raw, field) if raw else None


def _required(form: Mapping[str, Any], field: str) -> datetime:
    raw = _text(form, field, 40)
    if not raw:
        raise IntikhabError("E-CAL-001", field=field, value="")
    return deps.when(raw, field)


# --------------------------------------------------------------------------------------------
# public: offences, calendar, campaign, ballot


@router.get("/offences", response_class=HTMLResponse)
def offences_page(request: Request, q: str = "") -> Response:
    """The offences catalogue, searchable in Arabic or French or by article (guide ch. 11)."""
    lang = lang_of(request)
    rows = offences.search(q[:200])
    return page(request, "offences.html", auth.current_principal(request), rows=rows,
                q=q[:200], duration=lambda d: f"{d.amount} {t(d.unit, lang)}")


def _election_date(request: Request) -> str:
    with deps.read(request) as s:
        found = web_support.election_date(s)
    return "" if found is None else found.isoformat()


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, date: str = "", vote: str = "communal",
                  single_member: str = "", act: str = "", when: str = "",
                  trigger: str = "") -> Response:
    """Every deadline from the polling date (default: the election's), in Casablanca time,
    with the iCalendar download and the "is this act on time?" check (guide ch. 3–6, 12, 13;
    arts. 29, 97, 151 for the courts)."""
    polling = date[:10] or _election_date(request)
    vote = vote if vote in ("communal", "regional") else "communal"
    events: tuple[cal.Event, ...] = ()
    verdict = None
    if polling:
        day = deps.day(polling)
        events = cal.calendar(day, vote, list_vote=not single_member)
        if act and when:
            verdict = cal.on_time(act[:64], deps.when(when[:40]), day, vote,
                                  trigger=deps.when(trigger[:40], "trigger") if trigger
                                  else None, list_vote=not single_member)
    # each act by its name in the page's language (the key is the form's value only)
    names = {e.key: (e.ar, e.fr) for e in events} | {
        k: (v[0], v[1]) for k, v in cal.TRIGGERED.items()}
    acts = sorted((k, names[k][0 if lang_of(request) == "ar" else 1]) for k in names)
    ics = "/api/v1/calendar.ics?" + urlencode(
        {"date": polling, "vote": vote, **({"single_member": "true"} if single_member else {})})
    return page(request, "calendar.html", auth.current_principal(request), events=events,
                polling=polling, vote=vote, single_member=bool(single_member), acts=acts,
                act=act[:64], when=when[:40], trigger=trigger[:40], verdict=verdict,
                finding=verdict.finding() if verdict else None, ics=ics)


def _colour_named(f: Finding, lang: str) -> Finding:
    """A banned colour named in the page's language only (the rule's message names it in
    three languages for the terminal)."""
    if f.code != "E-CAMP-003":
        return f
    colour = "red" if "red" in str(f.params.get("colour", "")) else "green"
    return Finding(f.code, f.field, {**f.params, "colour": t(colour, lang)})


@router.get("/campaign", response_class=HTMLResponse)
def campaign_page(request: Request, place: str = "", width: str = "", height: str = "",
                  colour: Annotated[list[str] | None, Query()] = None,
                  premises: str = "", checked: str = "") -> Response:
    """The campaign checks as a form: a poster's place, size (A0) and colours, the number of
    premises (guide ch. 4; decree 2.15.578 arts. 1 and 3; art. 38)."""
    findings: list[Any] = []
    if checked:
        findings = campaign.check_poster(
            campaign.PosterPlace(place) if place in set(campaign.PosterPlace) else None,
            _int(width, "width"), _int(height, "height"),
            [campaign.Colour(c) for c in colour or () if c in set(campaign.Colour)])
        count = _int(premises, "premises")
        if count is not None:
            findings += campaign.check_premises(count)
        findings = [_colour_named(f, lang_of(request)) for f in findings]
    return page(request, "campaign.html", auth.current_principal(request),
                places=list(campaign.PosterPlace), findings=findings, checked=bool(checked),
                values={"place": place, "width": width[:7], "height": height[:7],
                        "colours": set(colour or ()), "premises": premises[:7]})


@router.get("/ballot/{constituency:path}/print", response_class=HTMLResponse)
def ballot_print(request: Request, constituency: str, regional: str = "") -> Response:
    """The printable ballot (``formats.ballot``, as ``intikhab candidacy ballot --format
    html`` prints it): one equal frame per candidacy (art. 11 §4)."""
    with deps.read(request) as s:
        rows = web_support.ballot_rows(s, constituency[:64], regional[:64] or None)
    return HTMLResponse(ballot_html(constituency[:64], regional[:64] or None, rows))


@router.get("/ballot/{constituency:path}", response_class=HTMLResponse)
def ballot_page(request: Request, constituency: str, regional: str = "") -> Response:
    """The single ballot of a constituency (art. 11), or the combined communal + regional
    one with ``?regional=``."""
    with deps.read(request) as s:
        rows = web_support.ballot_rows(s, constituency[:64], regional[:64] or None)
        if not rows and not regional:  # loaded from a bundle: the published lists, no filings
            rows = [(e.party, e, None) for e in portal.published_ballot(s, constituency[:64])]
        names = portal.party_names(s)
    printable = f"/ballot/{constituency}/print" + (f"?regional={regional}" if regional else "")
    return page(request, "ballot.html", auth.current_principal(request), rows=rows,
                constituency=constituency[:64], regional=regional[:64], printable=printable,
                party_names=names)


# --------------------------------------------------------------------------------------------
# candidacies (administration)


def _filings_page(request: Request, principal: Principal, constituency: str = "",
                  status: int = 200, **extra: Any) -> HTMLResponse:
    with deps.read(request) as s:
        rows = [r for r in cand.listing(s) if principal.can_see(r.constituency_id)
                and (not constituency or r.constituency_id == constituency)]
        cons = sorted({r.constituency_id for r in cand.listing(s)})
    return page(request, "candidacies.html", principal, status=status, rows=rows,
                constituency=constituency, constituencies=cons,
                can_file=principal.role in CLERKS, can_decide=principal.role in COORDINATORS,
                **({"flash": None, "errors": [], "findings": []} | extra))


@router.get("/candidacies", response_class=HTMLResponse)
def candidacies_page(request: Request, principal: Reader, constituency: str = "",
                     done: str = "", n: int = 0) -> Response:
    """The filings with their status, receipt and registration numbers, reasons; the actions
    the role allows (arts. 9–11)."""
    lang = lang_of(request)
    flash = t(done, lang, n=n) if done in ("filed", "decided", "published") else (
        "✓" if done else None)
    return _filings_page(request, principal, constituency[:64], flash=flash)


def _refused(request: Request, principal: Principal, error: IntikhabError) -> HTMLResponse:
    """The list again, with the refusal's code and message (nothing was stored)."""
    lang = lang_of(request)
    errors = [str(e) for e in error.errors[:100]] if isinstance(error, ImportRejected) else []
    return _filings_page(request, principal, status=status_of(error), flash_bad=True,
                         flash=f"{error.code} {error.message(lang)}", errors=errors)


def _check_file(request: Request, principal: Principal, path: Path) -> HTMLResponse:
    """Every check on a file of filings, nothing stored: the findings on the list page."""
    docs, alliances = read_documents(path)
    with deps.read(request) as s:
        amap = cand.alliances(s) | {
            str(a["id"]): frozenset(a.get("parties") or []) for a in alliances
            if isinstance(a, dict) and isinstance(a.get("id"), str)}
        found, errors = cand.check_documents(
            docs, cand.seats_by_constituency(s), cand.polling_date(s), amap)
    if errors:
        raise ImportRejected(errors)
    bad = sum(f.level.value == "error" for f in found)
    return _filings_page(request, principal, findings=found, flash_bad=bool(bad),
                         flash=t("checked", lang_of(request), n=len(docs), e=bad,
                                 w=len(found) - bad))


@router.post("/candidacies/import", response_class=HTMLResponse, dependencies=CSRF)
async def candidacies_import(request: Request, principal: Clerk) -> Response:
    """Deposit (or only check) a JSON or CSV file of filings: all or nothing, every line's
    error listed."""
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise IntikhabError("E-API-001", field="file", detail="a .json or .csv file")
    suffix = ".csv" if (upload.filename or "").lower().endswith(".csv") else ".json"
    data = await upload.read()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"filings{suffix}"
            path.write_bytes(data)
            if form.get("check_only"):
                return _check_file(request, principal, path)
            with deps.write(request) as s:
                rows = cand.import_file(s, principal.id, path)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _done("/candidacies", done="filed", n=len(rows))


def _action(request: Request, principal: Principal, work: Callable[[Any], int],
            done: str) -> Response:
    try:
        with deps.write(request) as s:
            n = work(s)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _done("/candidacies", done=done, n=n)


@router.post("/candidacies/decide", response_class=HTMLResponse, dependencies=CSRF)
async def candidacies_decide(request: Request, principal: Decider) -> Response:
    """Decide every provisional filing: final receipt or reasoned rejection (art. 9 §2–3)."""
    form = await request.form()
    try:
        at = _at(form)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _action(request, principal, lambda s: len(cand.decide(s, principal.id, at)),
                   "decided")


@router.post("/candidacies/publish", response_class=HTMLResponse, dependencies=CSRF)
def candidacies_publish(request: Request, principal: Decider) -> Response:
    """Publish the registered filings as the candidacies of the minutes (art. 11)."""
    return _action(request, principal, lambda s: len(cand.publish(s, principal.id)),
                   "published")


@router.post("/candidacies/{filing}/reject", response_class=HTMLResponse, dependencies=CSRF)
async def candidacies_reject(request: Request, principal: Decider, filing: str) -> Response:
    """A reasoned rejection: the codes of the reasons (art. 9 §3)."""
    form = await request.form()
    reasons = _text(form, "reasons", 500).replace(",", " ").split()
    try:
        at = _at(form)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _action(request, principal,
                   lambda s: len([cand.reject(s, principal.id, filing[:64], reasons, at)]), "1")


@router.post("/candidacies/{filing}/withdraw", response_class=HTMLResponse, dependencies=CSRF)
async def candidacies_withdraw(request: Request, principal: Clerk, filing: str) -> Response:
    """A withdrawal by the list agent or the candidate, before the deadline (art. 134)."""
    form = await request.form()
    by = _text(form, "by", 500).replace(",", " ").split()
    act = cand.withdraw_attached if form.get("attached") else cand.withdraw
    try:
        at = _at(form)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _action(request, principal,
                   lambda s: len([act(s, principal.id, filing[:64], by, at)]), "1")


# --------------------------------------------------------------------------------------------
# disputes and campaign finance (coordinators, administrators)


def _disputes_page(request: Request, principal: Principal, status: int = 200,
                   **extra: Any) -> HTMLResponse:
    with deps.read(request) as s:
        cases = [disputes.case_view(s, c.id, datetime.now(UTC))
                 for c in disputes.list_cases(s)]
        progress = {c["constituency"]: queries.constituency_progress(s, c["constituency"]).status
                    for c in cases}
        cons = [c.id for c in queries.constituencies(s)]
    return page(request, "disputes.html", principal, status=status, cases=cases,
                progress=progress, constituencies=cons, kinds=list(dlaw.Kind),
                filers=list(dlaw.Filer), outcomes=dlaw.OUTCOMES, grounds=list(dlaw.Ground),
                **({"flash": None} | extra))


@router.get("/disputes", response_class=HTMLResponse)
def disputes_page(request: Request, principal: Decider, done: str = "") -> Response:
    """The cases: court, deadline, admissibility, state, ruling, and the constituency's
    result status (``rerun_required`` after an annulment, art. 32)."""
    return _disputes_page(request, principal, flash="✓" if done else None)


def _dispute_action(request: Request, principal: Principal,
                    work: Callable[[Any], object]) -> Response:
    try:
        with deps.write(request) as s:
            work(s)
    except IntikhabError as error:
        lang = lang_of(request)
        return _disputes_page(request, principal, status=status_of(error), flash_bad=True,
                              flash=f"{error.code} {error.message(lang)}")
    request.app.state.cache.invalidate()
    return _done("/disputes", done=1)


@router.post("/disputes", response_class=HTMLResponse, dependencies=CSRF)
async def disputes_open(request: Request, principal: Decider) -> Response:
    """Register a candidacy appeal or a results petition (arts. 28–29, 97, 151, 161)."""
    form = await request.form()

    def work(s: Any) -> object:
        return disputes.file_case(
            s, principal.id, kind=_text(form, "kind"), constituency=_text(form, "constituency"),
            filer=_text(form, "filer") or "?", filer_kind=_text(form, "filer_kind"),
            trigger_at=_required(form, "trigger_at"), filed_at=_required(form, "filed_at"))
    return _dispute_action(request, principal, work)


@router.post("/disputes/{case}/ruling", response_class=HTMLResponse, dependencies=CSRF)
async def disputes_rule(request: Request, principal: Decider, case: str) -> Response:
    """Record a ruling; an annulment makes the constituency's result ``rerun_required``."""
    form = await request.form()

    def work(s: Any) -> object:
        ruling = dlaw.Ruling(
            dlaw.enum_value(dlaw.Outcome, _text(form, "outcome"), "outcome"),
            dlaw.parse_grounds([g for g in form.getlist("grounds") if isinstance(g, str)]),
            _text(form, "replaced", 64) or None, _text(form, "replacement", 64) or None)
        return disputes.rule(s, principal.id, case[:64], ruling, _required(form, "at"))
    return _dispute_action(request, principal, work)


@router.get("/finance", response_class=HTMLResponse)
def finance_page(request: Request, principal: Decider, as_of: str = "") -> Response:
    """Campaign accounts missing, late, unjustified, without sources or over the ceiling,
    with their consequences (arts. 155–160; guide ch. 12)."""
    with deps.read(request) as s:
        reports = finance.report(s, deps.when_or_now(as_of[:40] or None, "as_of"))
    return page(request, "finance.html", principal, reports=reports, as_of=as_of[:40],
                categories=list(Category))
