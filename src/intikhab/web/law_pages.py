"""The HTML screens of the legal process around the vote (issue 5), rendered with C2's layout
(``web.pages.render``: ``base.html``, Arabic right to left, French by ``/lang/fr``):

- public: the offences search (``/offences``), the electoral calendar from a polling date with
  "is this act on time?" and the iCalendar download (``/calendar``), the campaign checks
  (``/campaign``), the single ballot of a constituency (``/ballot/{id}``, printable with the
  CLI's renderer at ``/ballot/{id}/print``);
- the administration (``/candidacies``): the filings with their status, and the actions —
  import or check a file, decide, reject with reasons, withdraw, publish;
- coordinators and administrators: dispute cases (``/disputes``: open, rule — an annulment
  shows the constituency's re-run) and the campaign-finance report (``/finance``).

Every screen but the public ones checks the role (``auth.require_page``); every form POST
carries the CSRF token (``auth.verify_csrf``); every change goes through the services (which
write it with its audit record in one transaction) and any refusal is shown with its code.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from intikhab.cli.candidacy import ballot_html
from intikhab.formats.filings import read_documents
from intikhab.formats.rows import ImportRejected
from intikhab.law import calendar as cal
from intikhab.law import campaign, offences
from intikhab.law import disputes as dlaw
from intikhab.law.errors import CATALOGUE, IntikhabError
from intikhab.law.finance import Category
from intikhab.services import candidacy as cand
from intikhab.services import disputes, queries
from intikhab.store.models import Election
from intikhab.web import auth
from intikhab.web.auth import Principal
from intikhab.web.errors import status_of
from intikhab.web.law_api import (
    CLERKS,
    CONFLICTS,
    DECIDERS,
    READERS,
    CampaignIn,
    PosterIn,
    ballot_rows,
    campaign_findings,
    events_of,
    finance_report,
)
from intikhab.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(auth.require_page(*READERS))]
Clerk = Annotated[Principal, Depends(auth.require_page(*CLERKS))]
Decider = Annotated[Principal, Depends(auth.require_page(*DECIDERS))]
CSRF: Final = [Depends(auth.verify_csrf)]

_L: Final[dict[str, tuple[str, str]]] = {
    "law": ("المسار الانتخابي", "Procédure électorale"),
    "offences": ("الجرائم الانتخابية", "Infractions électorales"),
    "offences_ph": ("كلمة بالعربية أو الفرنسية، أو رقم المادة",
                    "Un mot en arabe ou en français, ou un numéro d'article"),
    "offence": ("الجريمة", "Infraction"),
    "article": ("المادة", "Article"),
    "prison": ("الحبس", "Emprisonnement"),
    "fine": ("الغرامة (درهم)", "Amende (dirhams)"),
    "or_one": ("أو إحدى العقوبتين فقط", "ou l'une de ces deux peines seulement"),
    "aggravation": ("التشديد", "Aggravation"),
    "consequences": ("الآثار", "Conséquences"),
    "found": ("{n} نتيجة", "{n} résultat(s)"),
    "calendar": ("الجدول الزمني للانتخابات", "Calendrier électoral"),
    "polling_date": ("تاريخ الاقتراع", "Date du scrutin"),
    "single_member": ("جماعة تنتخب بالاقتراع الفردي", "Commune au scrutin uninominal"),
    "show": ("عرض", "Afficher"),
    "event": ("الحدث", "Événement"),
    "opens": ("من", "Du"),
    "closes": ("إلى / آخر أجل", "Au / date limite"),
    "tz": ("بتوقيت الدار البيضاء (Africa/Casablanca)", "Heure de Casablanca (Africa/Casablanca)"),
    "ics": ("تحميل الجدول (iCalendar)", "Télécharger le calendrier (iCalendar)"),
    "on_time": ("هل الإجراء داخل الأجل؟", "Cet acte est-il dans les délais ?"),
    "act": ("الإجراء", "Acte"),
    "when": ("تاريخ وساعة الإجراء", "Date et heure de l'acte"),
    "trigger": ("تاريخ الواقعة المنشئة للأجل (للطعون)",
                "Date du fait qui ouvre le délai (recours)"),
    "check": ("تحقق", "Vérifier"),
    "in_time": ("الإجراء داخل الأجل", "L'acte est dans les délais"),
    "campaign": ("قواعد الحملة الانتخابية", "Règles de la campagne électorale"),
    "poster": ("الإعلان الانتخابي", "Affiche électorale"),
    "place": ("مكان التعليق", "Lieu d'affichage"),
    "allowed_place": ("مكان غير ممنوع", "Lieu non interdit"),
    "width": ("العرض (مم)", "Largeur (mm)"),
    "height": ("الطول (مم)", "Hauteur (mm)"),
    "colours": ("الألوان", "Couleurs"),
    "red": ("الأحمر", "Rouge"),
    "green": ("الأخضر", "Vert"),
    "premises": ("عدد مقرات الحملة", "Nombre de locaux de campagne"),
    "compliant": ("لا مخالفة", "Conforme"),
    "ballot": ("ورقة التصويت الفريدة", "Bulletin unique"),
    "ballot_of": ("ورقة التصويت الفريدة — الدائرة {c}", "Bulletin unique — circonscription {c}"),
    "combined_with": ("مع الدائرة الجهوية", "Avec la circonscription régionale"),
    "communal_frame": ("الاقتراع الجماعي", "Scrutin communal"),
    "regional_frame": ("الاقتراع الجهوي", "Scrutin régional"),
    "independent": ("بدون انتماء سياسي", "Sans appartenance politique"),
    "attached": ("المقعد الملحق", "Siège adjoint"),
    "print_ballot": ("نسخة للطباعة", "Version imprimable"),
    "empty_ballot": ("لا يوجد أي ترشيح مسجل", "Aucune candidature enregistrée"),
    "candidacies": ("التصريحات بالترشيح", "Déclarations de candidature"),
    "receipt": ("رقم الوصل", "N° de récépissé"),
    "number": ("رقم التسجيل", "N° d'enregistrement"),
    "filing": ("التصريح", "Déclaration"),
    "reasons": ("الأسباب", "Motifs"),
    "actions": ("الإجراءات", "Actions"),
    "s_provisional": ("وصل مؤقت", "Récépissé provisoire"),
    "s_registered": ("مسجل (وصل نهائي)", "Enregistrée (récépissé définitif)"),
    "s_rejected": ("مرفوض", "Rejetée"),
    "s_withdrawn": ("مسحوب", "Retirée"),
    "s_replaced": ("معوض", "Remplacée"),
    "import": ("إيداع ملف تصريحات (JSON أو CSV)",
               "Déposer un fichier de déclarations (JSON ou CSV)"),
    "check_only": ("مراقبة فقط دون تسجيل", "Vérifier seulement, sans enregistrer"),
    "decide": ("البت في التصريحات المؤقتة", "Statuer sur les déclarations provisoires"),
    "reject": ("رفض معلل", "Rejet motivé"),
    "withdraw": ("سحب", "Retrait"),
    "by": ("رقم البطاقة الوطنية لصاحب الطلب", "CIN du demandeur"),
    "at": ("التاريخ والساعة", "Date et heure"),
    "publish": ("نشر الترشيحات المسجلة", "Publier les candidatures enregistrées"),
    "published": ("نشر {n} ترشيحا", "{n} candidature(s) publiée(s)"),
    "filed": ("أودع {n} تصريحا", "{n} déclaration(s) déposée(s)"),
    "decided": ("بت في {n} تصريحا", "{n} déclaration(s) tranchée(s)"),
    "checked": ("{n} تصريح: {e} خطأ و{w} تنبيه", "{n} déclaration(s) : {e} erreur(s), "
                                                "{w} avertissement(s)"),
    "no_filing": ("لا يوجد أي تصريح", "Aucune déclaration"),
    "disputes": ("المنازعات الانتخابية", "Contentieux électoral"),
    "case": ("القضية", "Affaire"),
    "kind": ("النوع", "Nature"),
    "court": ("المحكمة", "Tribunal"),
    "deadline": ("أجل الطعن", "Délai de recours"),
    "admissible": ("مقبول شكلا", "Recevable"),
    "yes": ("نعم", "Oui"),
    "no": ("لا", "Non"),
    "open_case": ("تسجيل طعن", "Enregistrer un recours"),
    "filer": ("الطاعن", "Requérant"),
    "filer_kind": ("صفة الطاعن", "Qualité du requérant"),
    "trigger_at": ("تاريخ الواقعة المنشئة للأجل", "Date du fait qui ouvre le délai"),
    "filed_at": ("تاريخ الإيداع", "Date du dépôt"),
    "ruling": ("الحكم", "Jugement"),
    "record_ruling": ("تسجيل الحكم", "Enregistrer le jugement"),
    "outcome": ("منطوق الحكم", "Dispositif"),
    "grounds": ("أسباب البطلان (المادة 32)", "Motifs d'annulation (art. 32)"),
    "replaced": ("العضو المعوض", "Élu remplacé"),
    "replacement": ("العضو الجديد", "Nouvel élu"),
    "result_status": ("وضعية النتيجة", "État du résultat"),
    "no_case": ("لا توجد أي قضية", "Aucune affaire"),
    "finance": ("حسابات الحملة الانتخابية", "Comptes de campagne"),
    "as_of": ("في تاريخ", "À la date du"),
    "account": ("الحساب", "Compte"),
    "holder": ("صاحب الحساب", "Titulaire"),
    "expenses": ("المصاريف (درهم)", "Dépenses (dirhams)"),
    "funds": ("الموارد (درهم)", "Ressources (dirhams)"),
    "ceiling": ("السقف (درهم)", "Plafond (dirhams)"),
    "flags": ("الملاحظات", "Constats"),
    "no_account": ("لا يوجد أي حساب", "Aucun compte"),
    "categories": ("أبواب المصاريف", "Catégories de dépenses"),
    "days": ("أيام", "jours"),
    "months": ("أشهر", "mois"),
    "years": ("سنوات", "ans"),
}
# Names of values shown in the pages (the API keeps the codes).
_V: Final[dict[str, tuple[str, str]]] = {
    "candidacy_appeal": ("طعن في رفض الترشيح", "Recours contre un refus de candidature"),
    "results_petition": ("طعن في نتائج الاقتراع", "Recours contre les résultats"),
    "first_instance": ("المحكمة الابتدائية", "Tribunal de première instance"),
    "administrative": ("المحكمة الإدارية", "Tribunal administratif"),
    "candidate": ("المترشح أو وكيل اللائحة", "Le candidat ou le mandataire"),
    "interested": ("ذو مصلحة", "Toute personne intéressée"),
    "authority": ("السلطة الإدارية", "L'autorité administrative"),
    "filed": ("مسجلة", "Enregistrée"), "instruction": ("في طور التحقيق", "En instruction"),
    "hearing_set": ("حدد تاريخ الجلسة", "Audience fixée"), "ruled": ("صدر الحكم", "Jugée"),
    "appealed": ("مستأنفة", "En appel"), "appeal_ruled": ("صدر القرار الاستئنافي",
                                                          "Arrêt d'appel rendu"),
    "cassation": ("أمام محكمة النقض", "En cassation"), "final": ("نهائية", "Définitive"),
    "accepted": ("قبول الطعن", "Recours accueilli"), "rejected": ("رفض الطعن", "Recours rejeté"),
    "inadmissible": ("عدم القبول", "Irrecevable"),
    "annulled": ("إلغاء الانتخاب: يتعين اقتراع جديد", "Annulation : nouveau scrutin"),
    "member_replaced": ("تعويض منتخب", "Remplacement d'un élu"),
    "procedure": ("عدم احترام الإجراءات القانونية", "Procédure non respectée"),
    "not_free": ("الاقتراع لم يكن حرا أو شابته مناورات تدليسية",
                 "Scrutin non libre ou manœuvres frauduleuses"),
    "ineligible": ("المنتخب غير مؤهل", "Élu inéligible"),
    "missing": ("لم يودع", "Non déposé"), "late": ("أودع متأخرا", "Déposé en retard"),
    "unjustified": ("مصاريف غير مبررة", "Dépenses non justifiées"),
    "no_sources": ("بدون بيان الموارد", "Sans ressources déclarées"),
    "over_ceiling": ("تجاوز السقف", "Plafond dépassé"),
    "outside_period": ("مصاريف خارج الفترة", "Dépenses hors période"),
    "ineligible_two_terms": ("عدم الأهلية لولايتين متتاليتين", "Inéligibilité pour deux mandats"),
    "seat_stripping": ("التجريد من العضوية", "Déchéance du mandat"),
    "notice_pending": ("إعذار الرئيس الأول للمجلس الأعلى للحسابات جار",
                       "Mise en demeure de la Cour des comptes en cours"),
}


def _labels(lang: str) -> dict[str, Callable[..., str]]:
    i = 1 if lang == "fr" else 0

    def label(key: str, **params: object) -> str:
        text = _L[key][i]
        return text.format(**params) if params else text

    def value(key: object) -> str:
        found = _V.get(str(key))
        return str(key) if found is None else found[i]

    return {"l": label, "v": value}


def page(request: Request, name: str, principal: Principal | None, status: int = 200,
         **extra: Any) -> HTMLResponse:
    """``web.pages.render`` of ``law/<name>`` with this module's labels (``l``), value names
    (``v``) and the catalogue's messages (``msg``)."""
    lang = lang_of(request)

    def msg(code: str) -> str:
        check = CATALOGUE.get(code)
        return "" if check is None else str(getattr(check, lang)).split("{")[0].strip(" :(")

    return render(request, f"law/{name}", principal, status=status, msg=msg, fmt=cal.fmt,
                  **_labels(lang), **extra)


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


# --------------------------------------------------------------------------------------------
# public: offences, calendar, campaign, ballot


def _duration(d: offences.Duration, lang: str) -> str:
    return f"{d.amount} {_L[d.unit][1 if lang == 'fr' else 0]}"


@router.get("/offences", response_class=HTMLResponse)
def offences_page(request: Request, q: str = "") -> Response:
    """The offences catalogue, searchable in Arabic or French or by article (guide ch. 11)."""
    lang = lang_of(request)
    rows = offences.search(q[:200])
    return page(request, "offences.html", auth.current_principal(request), rows=rows,
                q=q[:200], duration=lambda d: _duration(d, lang))


def _election_date(request: Request) -> str:
    with request.app.state.Sessions() as s:
        found = s.scalars(select(Election.polling_date)).first()
    return found.isoformat() if isinstance(found, date) else ""


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, date: str = "", vote: str = "communal",
                  single_member: str = "", act: str = "", when: str = "",
                  trigger: str = "") -> Response:
    """Every deadline from the polling date (default: the election's), in Casablanca time,
    with the iCalendar download and the "is this act on time?" check (SPEC §4, §10)."""
    polling = date[:10] or _election_date(request)
    vote = vote if vote in ("communal", "regional") else "communal"
    events: tuple[cal.Event, ...] = ()
    verdict = None
    if polling:
        _, events = events_of(polling, vote, bool(single_member), None)
        if act and when:
            verdict = cal.on_time(act[:64], cal.parse_when(when[:40]),
                                  cal.parse_when(polling).date(), vote,
                                  trigger=cal.parse_when(trigger[:40], "trigger") if trigger
                                  else None, list_vote=not single_member)
    acts = sorted({e.key for e in events} | set(cal.TRIGGERED))
    ics = "/api/v1/calendar.ics?" + urlencode(
        {"date": polling, "vote": vote, **({"single_member": "true"} if single_member else {})})
    return page(request, "calendar.html", auth.current_principal(request), events=events,
                polling=polling, vote=vote, single_member=bool(single_member), acts=acts,
                act=act[:64], when=when[:40], trigger=trigger[:40], verdict=verdict,
                finding=verdict.finding() if verdict else None, ics=ics)


@router.get("/campaign", response_class=HTMLResponse)
def campaign_page(request: Request, place: str = "", width: str = "", height: str = "",
                  colour: Annotated[list[str] | None, Query()] = None,
                  premises: str = "", checked: str = "") -> Response:
    """The campaign checks as a form: a poster's place, size (A0) and colours, the number of
    premises (guide ch. 4; decree 2.15.578; art. 38)."""
    findings: list[Any] = []
    if checked:
        body = CampaignIn(poster=PosterIn(
            place=campaign.PosterPlace(place) if place in set(campaign.PosterPlace) else None,
            width_mm=_int(width, "width"), height_mm=_int(height, "height"),
            colours=[campaign.Colour(c) for c in colour or () if c in set(campaign.Colour)]),
            premises=_int(premises, "premises"))
        findings = campaign_findings(body)
    return page(request, "campaign.html", auth.current_principal(request),
                places=list(campaign.PosterPlace), findings=findings, checked=bool(checked),
                values={"place": place, "width": width[:7], "height": height[:7],
                      "colours": set(colour or ()), "premises": premises[:7]})


@router.get("/ballot/{constituency:path}/print", response_class=HTMLResponse)
def ballot_print(request: Request, constituency: str, regional: str = "") -> Response:
    """The printable ballot, from the CLI's renderer (``intikhab candidacy ballot --format
    html``): one equal frame per candidacy (art. 11 §4)."""
    with request.app.state.Sessions() as s:
        rows = ballot_rows(s, constituency[:64], regional[:64] or None)
    return HTMLResponse(ballot_html(constituency[:64], regional[:64] or None, rows))


@router.get("/ballot/{constituency:path}", response_class=HTMLResponse)
def ballot_page(request: Request, constituency: str, regional: str = "") -> Response:
    """The single ballot of a constituency (art. 11), or the combined communal + regional
    one with ``?regional=``."""
    with request.app.state.Sessions() as s:
        rows = ballot_rows(s, constituency[:64], regional[:64] or None)
    printable = f"/ballot/{constituency}/print" + (f"?regional={regional}" if regional else "")
    return page(request, "ballot.html", auth.current_principal(request), rows=rows,
                constituency=constituency[:64], regional=regional[:64], printable=printable)


# --------------------------------------------------------------------------------------------
# candidacies (administration)


def _filings_page(request: Request, principal: Principal, constituency: str = "",
                  status: int = 200, **extra: Any) -> HTMLResponse:
    with request.app.state.Sessions() as s:
        rows = [r for r in cand.listing(s) if principal.can_see(r.constituency_id)
                and (not constituency or r.constituency_id == constituency)]
        cons = sorted({r.constituency_id for r in cand.listing(s)})
    return page(request, "candidacies.html", principal, status=status, rows=rows,
                constituency=constituency, constituencies=cons,
                can_file=principal.role in CLERKS, can_decide=principal.role in DECIDERS,
                **({"flash": None, "errors": [], "findings": []} | extra))


@router.get("/candidacies", response_class=HTMLResponse)
def candidacies_page(request: Request, principal: Reader, constituency: str = "",
                     done: str = "", n: int = 0) -> Response:
    """The filings with their status, receipt and registration numbers, reasons; the actions
    the role allows (arts. 9–11)."""
    label = _labels(lang_of(request))["l"]
    flash = label(done, n=n) if done in ("filed", "decided", "published") else (
        "✓" if done else None)
    return _filings_page(request, principal, constituency[:64], flash=flash)


def _refused(request: Request, principal: Principal, error: IntikhabError) -> HTMLResponse:
    """The list again, with the refusal's code and message (nothing was stored)."""
    lang = lang_of(request)
    errors = [str(e) for e in error.errors[:100]] if isinstance(error, ImportRejected) else []
    status = 409 if error.code in CONFLICTS else status_of(error)
    return _filings_page(request, principal, status=status, flash_bad=True,
                         flash=f"{error.code} {error.message(lang)}", errors=errors)


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
                docs, alliances = read_documents(path)
                with request.app.state.Sessions() as s:
                    amap = cand.alliances(s) | {
                        str(a["id"]): frozenset(a.get("parties") or []) for a in alliances
                        if isinstance(a, dict) and isinstance(a.get("id"), str)}
                    found, errors = cand.check_documents(
                        docs, cand.seats_by_constituency(s), cand.polling_date(s), amap)
                if errors:
                    raise ImportRejected(errors)
                bad = sum(f.level.value == "error" for f in found)
                lang = lang_of(request)
                return _filings_page(
                    request, principal, findings=found, flash_bad=bool(bad),
                    flash=_labels(lang)["l"]("checked", n=len(docs), e=bad,
                                             w=len(found) - bad))
            with request.app.state.Sessions.begin() as s:
                rows = cand.import_file(s, principal.id, path)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _done("/candidacies", done="filed", n=len(rows))


def _action(request: Request, principal: Principal, work: Callable[[Any], int],
            done: str) -> Response:
    try:
        with request.app.state.Sessions.begin() as s:
            n = work(s)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _done("/candidacies", done=done, n=n)


def _when_of(form: Mapping[str, Any], field: str = "at") -> datetime | None:
    raw = _text(form, field, 40)
    if not raw:
        return None
    at = cand.parse_time(raw)
    if at is None:
        raise IntikhabError("E-CAL-001", field=field, value=raw)
    return at


@router.post("/candidacies/decide", response_class=HTMLResponse, dependencies=CSRF)
async def candidacies_decide(request: Request, principal: Decider) -> Response:
    """Decide every provisional filing: final receipt or reasoned rejection (art. 9 §2–3)."""
    form = await request.form()
    try:
        at = _when_of(form)
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
        at = _when_of(form)
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
        at = _when_of(form)
    except IntikhabError as error:
        return _refused(request, principal, error)
    return _action(request, principal,
                   lambda s: len([act(s, principal.id, filing[:64], by, at)]), "1")


# --------------------------------------------------------------------------------------------
# disputes and campaign finance (coordinators, administrators)


def _disputes_page(request: Request, principal: Principal, status: int = 200,
                   **extra: Any) -> HTMLResponse:
    with request.app.state.Sessions() as s:
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
        with request.app.state.Sessions.begin() as s:
            work(s)
    except IntikhabError as error:
        lang = lang_of(request)
        return _disputes_page(request, principal, status=status_of(error), flash_bad=True,
                              flash=f"{error.code} {error.message(lang)}")
    request.app.state.cache.invalidate()
    return _done("/disputes", done=1)


def _required(form: Mapping[str, Any], field: str) -> datetime:
    raw = _text(form, field, 40)
    if not raw:
        raise IntikhabError("E-CAL-001", field=field, value="")
    return cal.parse_when(raw, field)


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
    with request.app.state.Sessions() as s:
        reports = finance_report(s, as_of[:40] or None, None)
    return page(request, "finance.html", principal, reports=reports, as_of=as_of[:40],
                categories=list(Category))
