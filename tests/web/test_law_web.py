"""The legal process around the vote in the web app (issue 5 × issue 4): the public offences
search, calendar (JSON, iCalendar, "on time?") and campaign checks; candidacies checked,
deposited, decided, withdrawn, imported and published through the API and the pages; the
single ballot; dispute cases (an annulment makes the constituency re-run) and the finance
report.  Role refusals (observers write nothing, anonymous callers reach no administration),
coded 4xx answers, pages in Arabic (``dir="rtl"``) and French.  The quick public checks run on
SQLite; the workflows on SQLite and PostgreSQL (``conftest.engine``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from _webapp import build, declare_all
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from test_candidacy import documents

from intikhab.demo.users import DEMO_USERS
from intikhab.law.errors import CATALOGUE
from intikhab.services.setup import load_bundle
from intikhab.services.users import ensure_demo_accounts
from intikhab.store import audit
from intikhab.store.models import AuditLog
from intikhab.web import create_app
from intikhab.web.auth import COOKIE


def _client(url: str) -> Iterator[TestClient]:
    app = create_app(url, secret="law-test")
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


@pytest.fixture
def public(tmp_path: Path) -> Iterator[TestClient]:
    """SQLite only: the public pages need no database behaviour of their own."""
    url = f"sqlite:///{tmp_path / 'law.sqlite'}"
    build(url)
    yield from _client(url)


@pytest.fixture
def client(engine: Engine, Sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    """SQLite and PostgreSQL."""
    with Sessions.begin() as s:
        from conftest import small_bundle

        load_bundle(s, small_bundle())
        ensure_demo_accounts(s, DEMO_USERS)
    yield from _client(engine.url.render_as_string(hide_password=False))


def token(c: TestClient, user: str) -> dict[str, str]:
    r = c.post("/api/v1/login", json={"user": user, "password": f"{user}-2021"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def coded(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:500])
    body: dict[str, Any] = r.json()
    assert body["code"] in CATALOGUE and set(body["message"]) == {"ar", "fr", "en"}
    if code is not None:
        assert body["code"] == code, body
    return body


def html(r: Any, lang: str = "ar") -> str:
    assert r.status_code == 200, r.text[:500]
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in r.text
    return str(r.text)


# --------------------------------------------------------------------------------------------
# offences (guide ch. 11; arts. 65–69)


def test_offences_search_api_and_page(public: TestClient) -> None:
    c = public
    rows = c.get("/api/v1/offences", params={"q": "هدايا"}).json()
    assert [o["id"] for o in rows] == ["65-1", "65-2", "67-1"]
    assert c.get("/api/v1/offences", params={"q": "dons"}).json() == rows  # French too
    art65 = c.get("/api/v1/offences", params={"q": "art. 65"}).json()
    assert [(o["article"], o["prison"], o["fine_mad"]) for o in art65] == [
        (65, ["1 years", "5 years"], [50000, 100000])] * 2
    assert "(art. 69)" in art65[0]["consequences"]["fr"]  # two years without vote…
    assert len(c.get("/api/v1/offences").json()) == 34
    coded(c.get("/api/v1/offences", params={"q": "x" * 201}), 422, "E-API-001")
    page = html(c.get("/offences", params={"q": "65"}))
    assert "الحرمان من التصويت" in page and "50,000 – 100,000" in page
    fr = html(c.get("/offences", params={"q": "arme", "lang": "fr"}), "fr")
    assert "Infractions électorales" in fr and 'id="57-1"' in fr


# --------------------------------------------------------------------------------------------
# calendar (SPEC §4: the 2021 dates of the guide)


def unfold(ics: str) -> list[dict[str, str]]:
    """The VEVENTs of an RFC 5545 text (CRLF lines, folded lines joined, §3.1)."""
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    lines = ics.replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, _, value = line.partition(":")
            current[key] = value
    return events


def test_calendar_json_ics_and_page_2021(public: TestClient) -> None:
    """Filing 16 Aug → 25 Aug 12:00 (art. 134), campaign 26 Aug → 7 Sep 24:00 (decree
    2.21.354 art. 3), vote 8 Sep 2021 08:00–19:00 (art. 17)."""
    c = public
    q = {"date": "2021-09-08", "vote": "communal"}
    body = c.get("/api/v1/calendar", params=q).json()
    ev = {e["key"]: e for e in body["events"]}
    assert body["timezone"] == "Africa/Casablanca"
    assert (ev["filing"]["opens"], ev["filing"]["closes"]) == (
        "2021-08-16T00:00:00+01:00", "2021-08-25T12:00:00+01:00")
    assert (ev["campaign"]["opens"], ev["campaign"]["closes"]) == (
        "2021-08-26T00:00:00+01:00", "2021-09-08T00:00:00+01:00")
    assert ev["polling"]["closes"] == "2021-09-08T19:00:00+01:00"
    assert "campaign_accounts" not in {e["key"] for e in c.get(
        "/api/v1/calendar", params=q | {"single_member": True}).json()["events"]}
    r = c.get("/api/v1/calendar.ics", params=q)
    assert r.headers["content-type"].startswith("text/calendar")
    assert "attachment" in r.headers["content-disposition"]
    events = {e["CATEGORIES"]: e for e in unfold(r.text)}
    assert (events["filing"]["DTSTART"], events["filing"]["DTEND"]) == (
        "20210815T230000Z", "20210825T110000Z")
    assert events["campaign"]["SUMMARY"] == "الحملة الانتخابية"
    coded(c.get("/api/v1/calendar", params={"date": "2021-02-30"}), 422, "E-CAL-001")
    coded(c.get("/api/v1/calendar", params={"date": "9999-12-31"}), 422, "E-CAL-001")
    coded(c.get("/api/v1/calendar", params={"date": "2021-09-08", "vote": "x"}), 422,
          "E-API-001")
    coded(c.get("/api/v1/calendar.ics"), 422, "E-API-001")
    page = html(c.get("/calendar", params={"date": "2021-09-08"}))
    assert "2021-08-25 12:00" in page and "إيداع التصريحات بالترشيح" in page
    assert "/api/v1/calendar.ics?date=2021-09-08" in page
    fr = html(c.get("/calendar", params={"lang": "fr"}), "fr")  # the election's date
    assert "Dépôt des déclarations de candidature" in fr and "2021-09-08" in fr


def test_is_this_act_on_time(public: TestClient) -> None:
    """Art. 134 (filing until 12:00 on D−14); art. 29 §1 (8 full days for a petition)."""
    c = public
    base = {"act": "filing", "date": "2021-09-08"}
    ok = c.get("/api/v1/calendar/on-time", params=base | {"when": "2021-08-25T11:59"}).json()
    assert ok["on_time"] and ok["finding"] is None and "art. 134" in ok["article"]
    late = c.get("/api/v1/calendar/on-time", params=base | {"when": "2021-08-25T12:01"}).json()
    assert not late["on_time"] and late["finding"]["code"] == "E-CAL-004"
    early = c.get("/api/v1/calendar/on-time", params=base | {"when": "2021-08-15"}).json()
    assert early["finding"]["code"] == "E-CAL-003"
    petition = {"act": "results_petition", "trigger": "2021-09-09T10:00"}
    assert c.get("/api/v1/calendar/on-time", params=petition | {
        "when": "2021-09-18T23:00"}).json()["on_time"]
    assert not c.get("/api/v1/calendar/on-time", params=petition | {
        "when": "2021-09-19T00:01"}).json()["on_time"]
    coded(c.get("/api/v1/calendar/on-time", params={"act": "results_petition",
                                                    "when": "2021-09-10"}), 422, "E-CAL-007")
    coded(c.get("/api/v1/calendar/on-time", params=base | {"act": "nope", "when": "2021-09-01"}),
          422, "E-CAL-006")
    coded(c.get("/api/v1/calendar/on-time", params=base | {"when": "yesterday"}), 422,
          "E-CAL-001")
    page = html(c.get("/calendar", params=base | {"when": "2021-08-25T12:01"}))
    assert "E-CAL-004" in page


# --------------------------------------------------------------------------------------------
# campaign (guide ch. 4)


def test_campaign_checks_api_and_page(public: TestClient) -> None:
    """Decree 2.15.578 art. 1 (nine places) and art. 3 (two premises), A0 size, art. 38 (no
    red or green), art. 37 (procession notice 24 h), dahir 1.58.377 (meetings)."""
    c = public
    assert len(c.get("/api/v1/campaign/places").json()) == 9
    r = c.post("/api/v1/campaign/check", json={
        "poster": {"place": "worship", "width_mm": 900, "height_mm": 1300,
                   "colours": ["red", "other"]}, "premises": 3,
        "procession": {"notice_at": "2021-08-30T10:00", "starts": "2021-08-31T09:00",
                       "ends": "2021-08-31T12:00", "route": "Av. Hassan II"},
        "meeting": {"starts": "2021-08-30T20:00", "ends": "2021-08-31T00:30",
                    "declared_end": "2021-08-30T23:00", "receipt_at": "2021-08-29T10:00"}})
    body = r.json()
    assert not body["ok"]
    assert [f["code"] for f in body["findings"]] == [
        "E-CAMP-001", "E-CAMP-002", "E-CAMP-003", "E-CAMP-004", "E-CAMP-012", "E-CAMP-013",
        "E-CAMP-020"]
    assert body["findings"][0]["message"]["fr"]
    ok = c.post("/api/v1/campaign/check", json={
        "poster": {"width_mm": 841, "height_mm": 1189, "colours": ["other"]}, "premises": 2,
        "hall": {"requested_at": "2021-08-20T10:00", "activity_at": "2021-08-28T18:00"}})
    assert ok.json() == {"ok": True, "findings": []}
    coded(c.post("/api/v1/campaign/check", json={"poster": {"place": "moon"}}), 422,
          "E-API-001")
    coded(c.post("/api/v1/campaign/check", json={"hall": {
        "requested_at": "soon", "activity_at": "2021-08-28"}}), 422, "E-CAL-001")
    page = html(c.get("/campaign", params=[("checked", "1"), ("place", "trees"),
                                           ("colour", "green"), ("width", "100")]))
    assert "E-CAMP-001" in page and "E-CAMP-003" in page
    fr = html(c.get("/campaign", params={"checked": "1", "width": "800", "height": "1000",
                                         "lang": "fr"}), "fr")
    assert "Conforme" in fr
    assert c.get("/campaign", params={"checked": "1", "width": "abc"},
                 headers={"accept": "text/html"}).status_code == 422


# --------------------------------------------------------------------------------------------
# candidacies (arts. 7–11), both databases


def test_candidacies_check_deposit_decide_withdraw_ballot_publish(
        client: TestClient, Sessions: sessionmaker[Session]) -> None:
    c = client
    clerk, coord, obs = token(c, "clerk1"), token(c, "coord"), token(c, "observer")
    docs = documents()
    # roles: anonymous reaches nothing, observers write nothing
    coded(c.post("/api/v1/candidacies/check", json={"filings": docs}), 401, "E-API-002")
    coded(c.post("/api/v1/candidacies", json={"filings": docs}, headers=obs), 403, "E-API-003")
    coded(c.post("/api/v1/candidacies/decide", json={}, headers=clerk), 403, "E-API-003")
    # the check stores nothing: a candidate aged 11 (art. 4 / E-CAND-005)
    bad = json.loads(json.dumps(docs))
    bad[0]["general"][3]["birth_date"] = "2010-01-01"
    r = c.post("/api/v1/candidacies/check", json={"filings": bad}, headers=clerk).json()
    assert not r["acceptable"] and r["filings"] == 5
    assert {f["code"] for f in r["findings"] if f["level"] == "error"} == {"E-CAND-005"}
    good = c.post("/api/v1/candidacies/check", json={"filings": docs}, headers=clerk).json()
    assert good["acceptable"], good
    unreadable = c.post("/api/v1/candidacies/check", json={"filings": [{"id": "X"}]},
                        headers=clerk).json()
    assert not unreadable["acceptable"] and unreadable["row_errors"]
    assert c.get("/api/v1/candidacies", headers=coord).json() == []
    # deposit: provisional receipts by arrival (art. 9 §2), all or nothing
    r = c.post("/api/v1/candidacies", json={"filings": docs}, headers=clerk)
    assert r.status_code == 201, r.text
    assert {f["id"]: f["receipt"] for f in r.json()} == {
        "L-PB": 1, "L-PA": 2, "D-IND": 1, "D-PA": 2, "R-PA": 1}
    again = coded(c.post("/api/v1/candidacies", json={"filings": docs[:1]}, headers=clerk),
                  422, "E-IMP-001")
    assert again["errors"][0]["code"] == "E-IMP-004"
    late = json.loads(json.dumps(docs[:1]))
    late[0]["id"] = "LATE"
    coded(c.post("/api/v1/candidacies", json={"filings": late, "at": "2021-08-25T12:01"},
                 headers=clerk), 422, "E-IMP-001")
    # decide: final receipts with the same numbers
    r = c.post("/api/v1/candidacies/decide", json={"at": "2021-08-21T09:00"}, headers=coord)
    assert {x["filing"]: (x["status"], x["number"]) for x in r.json()} == {
        "L-PB": ("registered", 1), "L-PA": ("registered", 2), "D-IND": ("registered", 1),
        "D-PA": ("registered", 2), "R-PA": ("registered", 1)}
    coded(c.post("/api/v1/candidacies/decide", json={"filings": ["L-PB"]}, headers=coord),
          409, "E-CAND-030")
    # the single ballot is public: parties first, by number (art. 11 §3, §8)
    ballot = c.get("/api/v1/ballot/D1").json()
    assert [(row["party"], row["communal"]["filing"]) for row in ballot["rows"]] == [
        ("PA", "D-PA"), (None, "D-IND")]
    combined = c.get("/api/v1/ballot/C1", params={"with": "K1"}).json()
    assert [(x["party"], x["communal"] and x["communal"]["filing"],
             x["regional"] and x["regional"]["filing"]) for x in combined["rows"]] == [
        ("PB", "L-PB", None), ("PA", "L-PA", "R-PA")]
    coded(c.get("/api/v1/ballot/NOPE"), 404, "E-API-004")
    # district ids hold a "/" (C0051/D09): the route reaches them, the answer names the id
    missing = coded(c.get("/api/v1/ballot/NOPE/D9"), 404, "E-API-004")
    assert "NOPE/D9" in json.dumps(missing, ensure_ascii=False)
    # withdrawal only before the deadline, by the holder (art. 134)
    coded(c.post("/api/v1/candidacies/D-PA/withdraw",
                 json={"by": ["D-PAc"], "at": "2021-08-26T09:00"}, headers=clerk),
          409, "E-CAND-031")
    coded(c.post("/api/v1/candidacies/D-PA/withdraw",
                 json={"by": ["someone"], "at": "2021-08-22T09:00"}, headers=clerk),
          422, "E-CAND-033")
    coded(c.post("/api/v1/candidacies/D-PA/withdraw",
                 json={"by": ["D-PAc"], "at": "2021-08-22T09:00"}, headers=clerk),
          422, "E-CAND-032")  # the attached seat's woman consents herself
    r = c.post("/api/v1/candidacies/D-PA/withdraw",
               json={"by": ["D-PAc", "D-PAw"], "at": "2021-08-22T09:00"}, headers=clerk)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn", r.text
    coded(c.post("/api/v1/candidacies/D-PA/withdraw", json={"by": ["D-PAc"]},
                 headers=obs), 403, "E-API-003")
    # a reasoned rejection (art. 9 §3)
    coded(c.post("/api/v1/candidacies/L-PB/reject", json={"reasons": []}, headers=coord),
          422, "E-API-001")
    coded(c.post("/api/v1/candidacies/NOPE/reject", json={"reasons": ["E-CAND-005"]},
                 headers=coord), 404, "E-API-004")
    # (a registered list stays valid: E-CAND-035 refuses an ineligibility reason, art. 8)
    coded(c.post("/api/v1/candidacies/L-PB/reject", json={"reasons": ["E-CAND-006"]},
                 headers=coord), 409, "E-CAND-035")
    # observers read (their accredited constituencies), publication by the commission
    r = c.put("/api/v1/users/observer/accreditations", json={"constituencies": ["D1", "C1"]},
              headers=token(c, "admin"))
    assert r.status_code == 200, r.text
    coded(c.get("/api/v1/candidacies", params={"constituency": "K1"}, headers=obs), 403,
          "E-API-010")
    assert {f["id"] for f in c.get("/api/v1/candidacies", headers=obs).json()} == {
        "L-PB", "L-PA", "D-IND", "D-PA"}
    listed = c.get("/api/v1/candidacies", params={"constituency": "D1"}, headers=obs).json()
    assert {(f["id"], f["status"]) for f in listed} == {("D-PA", "withdrawn"),
                                                        ("D-IND", "registered")}
    assert c.get("/api/v1/candidacies/L-PA", headers=obs).json()["document"]["party"] == "PA"
    coded(c.post("/api/v1/candidacies/publish", headers=clerk), 403, "E-API-003")
    assert c.post("/api/v1/candidacies/publish", headers=coord).json() == {"published": 4}
    with Sessions() as s:
        actions = list(s.scalars(select(AuditLog.action).where(
            AuditLog.action.like("candidacy.%"))))
        assert actions.count("candidacy.file") == 5 and "candidacy.withdraw" in actions
        assert audit.verify(s).ok


def test_candidacy_import_upload_all_or_nothing(client: TestClient) -> None:
    c = client
    clerk = token(c, "clerk1")
    good = json.dumps({"filings": documents()}).encode()
    bad_csv = b"filing,constituency,record,part\nF1,C1,candidate,general\nF1,C1,oops,\n"
    r = c.post("/api/v1/candidacies/import", files={"file": ("bad.csv", bad_csv)},
               headers=clerk)
    body = coded(r, 422, "E-IMP-001")
    assert any(e["row"] == 3 and e["field"] == "record" for e in body["errors"])
    coded(c.post("/api/v1/candidacies/import", files={"file": ("x.json", b"{oops")},
                 headers=clerk), 422, "E-IMP-001")
    assert c.get("/api/v1/candidacies", headers=clerk).json() == []  # nothing stored
    r = c.post("/api/v1/candidacies/import", files={"file": ("f.json", good)}, headers=clerk)
    assert r.status_code == 201 and len(r.json()) == 5, r.text
    coded(c.post("/api/v1/candidacies/import", files={"file": ("f.json", good)},
                 headers=token(c, "observer")), 403, "E-API-003")


def _cookie(c: TestClient, user: str) -> str:
    """Log ``user`` in with a session cookie; the CSRF token of that session."""
    c.cookies.clear()
    t = token(c, user)["Authorization"].removeprefix("Bearer ")
    c.cookies.set(COOKIE, t)
    return str(c.get("/api/v1/me").json()["csrf_token"])


def test_candidacy_pages(client: TestClient) -> None:
    c = client
    assert c.get("/candidacies", follow_redirects=False).headers["location"].startswith(
        "/login")
    csrf = _cookie(c, "clerk1")
    good = json.dumps(documents()).encode()
    # a form without the CSRF token is refused (E-API-006)
    r = c.post("/candidacies/import", files={"file": ("f.json", good)},
               headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 403 and "E-API-006" in r.text
    r = c.post("/candidacies/import", data={"csrf_token": csrf, "check_only": "1"},
               files={"file": ("f.json", good)})
    assert "5" in html(r) and 'id="f-' not in r.text  # checked, nothing stored
    r = c.post("/candidacies/import", data={"csrf_token": csrf},
               files={"file": ("f.json", good)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = html(c.get("/candidacies"))
    assert 'id="f-L-PB"' in page and "وصل مؤقت" in page and "/candidacies/L-PB/withdraw" in page
    assert "/candidacies/decide" not in page  # a clerk does not decide
    r = c.post("/candidacies/import", data={"csrf_token": csrf},
               files={"file": ("f.json", good)})
    assert r.status_code == 422 and "E-IMP-004" in r.text  # refused, every line listed
    csrf = _cookie(c, "coord")
    r = c.post("/candidacies/decide", data={"csrf_token": csrf, "at": "2021-08-21T09:00"})
    fr = html(c.get("/candidacies", params={"lang": "fr", "constituency": "C1"}), "fr")
    assert "Enregistrée (récépissé définitif)" in fr and 'id="f-D-PA"' not in fr
    r = c.post("/candidacies/L-PA/withdraw",
               data={"csrf_token": csrf, "by": "L-PAg0", "at": "2021-08-30T10:00"})
    assert r.status_code == 409 and "E-CAND-031" in r.text
    r = c.post("/candidacies/publish", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "published" in r.headers["location"]
    ballot = html(c.get("/ballot/C1", params={"regional": "K1"}))
    assert ballot.index("L-PB") < ballot.index("L-PA") and "الاقتراع الجهوي" in ballot
    printed = c.get("/ballot/C1/print")
    assert printed.status_code == 200 and "الورقة الفريدة" in printed.text
    csrf = _cookie(c, "observer")
    r = c.post("/candidacies/decide", data={"csrf_token": csrf},
               headers={"accept": "text/html"})
    assert r.status_code == 403 and "E-API-003" in r.text


# --------------------------------------------------------------------------------------------
# disputes and campaign finance (guide ch. 12–13), both databases


def test_dispute_annulment_makes_a_rerun_and_finance_report(client: TestClient) -> None:
    """Art. 28 (who files), art. 29 §1 (8 full days), art. 32 (annulment: re-run); arts.
    155–158 (accounts: sources, justified expenses, 60 days)."""
    c = client
    declare_all(str(c.app.state.engine.url.render_as_string(  # type: ignore[attr-defined]
        hide_password=False)))
    coord, clerk, obs = token(c, "coord"), token(c, "clerk1"), token(c, "observer")
    c.cookies.clear()
    case = {"kind": "results_petition", "constituency": "D2", "filer": "Voter",
            "filer_kind": "interested", "trigger_at": "2021-09-09T10:00",
            "filed_at": "2021-09-12T10:00"}
    coded(c.post("/api/v1/disputes", json=case, headers=clerk), 403, "E-API-003")
    coded(c.get("/api/v1/disputes"), 401, "E-API-002")
    coded(c.post("/api/v1/disputes", json=case | {"filer_kind": "candidate"}, headers=coord),
          422, "E-DISP-001")
    coded(c.post("/api/v1/disputes", json=case | {"constituency": "NOPE"}, headers=coord),
          404, "E-API-004")
    r = c.post("/api/v1/disputes", json=case, headers=coord)
    assert r.status_code == 201, r.text
    view = r.json()
    assert (view["court"], view["admissible"], view["state"]) == (
        "administrative", True, "filed")
    assert view["constituency_status"] == "declared"
    cid = view["id"]
    assert [x["id"] for x in c.get("/api/v1/disputes", headers=coord).json()] == [cid]
    ruling = {"outcome": "annulled", "at": "2021-09-20T10:00"}
    coded(c.post(f"/api/v1/disputes/{cid}/ruling", json=ruling, headers=coord), 422,
          "E-DISP-004")
    coded(c.post(f"/api/v1/disputes/{cid}/ruling", json=ruling | {"grounds": ["whim"]},
                 headers=coord), 422, "E-API-001")
    r = c.post(f"/api/v1/disputes/{cid}/ruling", json=ruling | {"grounds": ["procedure"]},
               headers=coord)
    assert r.json()["state"] == "ruled" and r.json()["constituency_status"] == "rerun_required"
    assert c.get(f"/api/v1/disputes/{cid}", headers=coord).json()["ruling"]["outcome"] == (
        "annulled")
    coded(c.post(f"/api/v1/disputes/{cid}/ruling", json=ruling | {"grounds": ["procedure"]},
                 headers=coord), 409, "E-DISP-003")  # the case's state refuses it
    r = c.post(f"/api/v1/disputes/{cid}/steps", json={"action": "close",
                                                      "at": "2021-10-20T10:00"}, headers=coord)
    assert r.json()["state"] == "final"
    coded(c.get("/api/v1/disputes/NOPE", headers=coord), 404, "E-API-004")
    # the public results drop the annulled constituency
    national = c.get("/api/v1/results/national/communal").json()
    assert national["declared"] == national["constituencies"] - 1
    # finance: an unjustified account without sources, never deposited (arts. 156–158)
    account = {"id": "ACC-1", "holder": "Candidate D1", "vote": "communal",
               "list_vote": True, "elected": True,
               "lines": [{"amount": "70000.00", "day": "2021-08-30", "category": "printing"}]}
    coded(c.post("/api/v1/finance/accounts", json=account, headers=obs), 403, "E-API-003")
    coded(c.post("/api/v1/finance/accounts", json=account | {"lines": [
        {"amount": "-1", "day": "2021-08-30", "category": "printing"}]}, headers=coord),
        422, "E-FIN-001")
    r = c.post("/api/v1/finance/accounts", json=account, headers=coord)
    assert r.status_code == 201, r.text
    coded(c.post("/api/v1/finance/accounts", json=account, headers=coord), 422, "E-FIN-012")
    r = c.post("/api/v1/finance/accounts", json={
        "id": "ACC-2", "holder": "List PA", "vote": "regional", "candidates": 5,
        "filed_at": "2021-10-01T10:00",
        "lines": [{"amount": "1000", "day": "2021-08-20", "source": "party"},
                  {"amount": "900", "day": "2021-08-30", "category": "meetings",
                   "document": "F-17"}]}, headers=coord)
    assert r.json() == {"account": "ACC-2", "lines": 2}
    report = c.get("/api/v1/finance/report", params={"as_of": "2021-12-01"},
                   headers=coord).json()
    first = report[0]
    assert first["account"] == "ACC-1" and first["ceiling"] == "60000.00"
    assert set(first["flags"]) == {"missing", "unjustified", "no_sources", "over_ceiling"}
    assert set(first["consequences"]) == {"ineligible_two_terms", "seat_stripping"}
    assert report[1] | {"findings": []} == report[1] | {"flags": [], "findings": []}
    assert report[1]["ceiling"] == "750000.00"  # 150,000 MAD × 5 candidates (decision)
    coded(c.get("/api/v1/finance/report", params={"as_of": "soon"}, headers=coord), 422,
          "E-CAL-001")
    coded(c.post("/api/v1/finance/accounts/NOPE/filed", json={"at": "2021-10-01"},
                 headers=coord), 404, "E-API-004")
    # the pages
    csrf = _cookie(c, "coord")
    page = html(c.get("/disputes"))
    assert cid in page and "rerun_required" in page and "المحكمة الإدارية" in page
    r = c.post("/disputes", data={**case, "constituency": "D1", "csrf_token": csrf},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    r = c.post("/disputes/RP-0002/ruling", data={"outcome": "annulled", "at": "2021-09-20T10:00",
                                                 "csrf_token": csrf})
    assert r.status_code == 422 and "E-DISP-004" in r.text
    fr = html(c.get("/finance", params={"lang": "fr", "as_of": "2021-12-01"}), "fr")
    assert "Déchéance du mandat" in fr and "ACC-2" in fr
    _cookie(c, "observer")
    assert c.get("/disputes", headers={"accept": "text/html"}).status_code == 403


def test_law_routes_are_in_the_openapi_document(public: TestClient) -> None:
    doc = public.get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/v1/offences", "/api/v1/calendar.ics", "/api/v1/candidacies/import",
            "/api/v1/disputes/{case}/ruling", "/api/v1/finance/report"} <= paths
    assert {"calendar", "campaign", "candidacies", "disputes"} <= {
        t["name"] for t in doc["tags"]}
    assert datetime.fromisoformat(public.get("/api/v1/calendar", params={
        "date": "2026-09-09"}).json()["events"][0]["closes"]).tzinfo is not None
