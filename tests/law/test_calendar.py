"""The calendar against the 2021 dates the guide gives (ch. 3–6), on-time verdicts with codes,
and the iCalendar export parsed back (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intikhab.law import calendar as cal
from intikhab.law.calendar import at
from intikhab.law.dates import parse_instant
from intikhab.law.errors import CATALOGUE, InputError

D = date(2021, 9, 8)


def events() -> dict[str, cal.Event]:
    return {e.key: e for e in cal.calendar(D, "regional")}


def test_2021_dates_from_the_guide() -> None:
    ev = events()
    # filing 16 Aug → 25 Aug 12:00 (art. 85 §1 / 134 §1; decrees 2.21.354-355 art. 2)
    assert (ev["filing"].opens, ev["filing"].closes) == (at(date(2021, 8, 16)),
                                                          at(date(2021, 8, 25), 12))
    assert cal.filing_deadline(D) == at(date(2021, 8, 25), 12)
    # campaign 26 Aug 00:00 → 7 Sep 24:00 (decrees art. 3)
    assert (ev["campaign"].opens, ev["campaign"].closes) == (at(date(2021, 8, 26)),
                                                              at(date(2021, 9, 7), 24))
    # vote 8 Sep 2021 08:00–19:00 (art. 17)
    assert (ev["polling"].opens, ev["polling"].closes) == (at(D, 8), at(D, 19))
    assert ev["representatives"].closes == at(date(2021, 9, 7), 12)  # art. 16 §4
    assert ev["polling_places"].closes == at(date(2021, 8, 29), 24)  # art. 13 §3
    assert ev["voter_lists"].closes == ev["bureau_appointments"].closes == at(date(2021, 9, 6))
    assert (ev["expense_window"].opens, ev["expense_window"].closes) == (
        at(date(2021, 8, 9)), at(date(2021, 9, 23), 24))  # decree 2.21.517
    assert ev["poster_removal"].closes == at(date(2021, 9, 23), 24)  # art. 36
    assert ev["campaign_accounts"].closes == at(date(2021, 11, 7), 24)  # art. 157
    assert str(ev["filing"].closes.tzinfo) == "Africa/Casablanca"
    assert all(e.ar and e.fr and e.article for e in ev.values())
    assert "campaign_accounts" not in {e.key for e in cal.calendar(D, list_vote=False)}


def test_on_time_passing_and_failing_art_134() -> None:
    ok = cal.on_time("filing", at(date(2021, 8, 25), 12), D)
    assert ok.ok and ok.code is None and ok.finding() is None
    late = cal.on_time("filing", at(date(2021, 8, 25), 12, 1), D)
    assert late.code == "E-CAL-004" and not late.ok
    finding = late.finding()
    assert finding is not None and "2021-08-25 12:00" in finding.message("fr")
    early = cal.on_time("campaign", at(date(2021, 8, 25), 23), D)
    assert early.code == "E-CAL-003"
    assert cal.on_time("campaign", at(date(2021, 9, 7), 23, 59), D).ok


def test_triggered_acts_and_errors_art_29() -> None:
    deposit = at(date(2021, 9, 9), 10)
    assert cal.on_time("results_petition", at(date(2021, 9, 18), 23), trigger=deposit).ok
    assert cal.on_time("results_petition", at(date(2021, 9, 19), 0, 1),
                       trigger=deposit).code == "E-CAL-004"
    for call, code in ((lambda: cal.on_time("results_petition", deposit), "E-CAL-007"),
                       (lambda: cal.on_time("filing", deposit), "E-CAL-007"),
                       (lambda: cal.on_time("nap", deposit, D), "E-CAL-006"),
                       (lambda: cal.on_time("filing", datetime(2021, 8, 20), D), "E-CAL-002"),
                       (lambda: cal.calendar(D, "national"), "E-CAL-005"),
                       (lambda: parse_instant("25/08/2021"), "E-CAL-001")):
        with pytest.raises(InputError) as e:
            call()
        assert e.value.code == code and code in CATALOGUE
    assert cal.months_after(at(date(2021, 1, 31)), 1) == at(date(2021, 2, 28), 24)
    assert parse_instant("2021-08-25T12:00") == at(date(2021, 8, 25), 12)


def parse_ics(text: str) -> list[dict[str, str]]:
    assert all(line.endswith("\r\n") for line in text.splitlines(keepends=True))
    raw = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw)
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    out: list[dict[str, str]] = []
    for line in lines:
        key, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            out.append({})
        elif out and line != "END:VEVENT":
            out[-1][key] = value.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    return out


def test_icalendar_round_trip() -> None:
    evs = cal.calendar(D, "communal")
    text = cal.to_ics(evs, datetime(2021, 8, 1, tzinfo=UTC))
    parsed = parse_ics(text)
    assert len(parsed) == len(evs)
    by_cat = {p["CATEGORIES"]: p for p in parsed}
    filing = by_cat["filing"]
    assert filing["DTSTART"] == "20210815T230000Z" and filing["DTEND"] == "20210825T110000Z"
    assert filing["SUMMARY"] == "إيداع التصريحات بالترشيح"
    assert "art. 134 §1" in filing["DESCRIPTION"]
    assert "DTEND" not in by_cat["representatives"]  # a deadline is an instant
    assert len({p["UID"] for p in parsed}) == len(parsed)
    back = datetime.strptime(by_cat["polling"]["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert back == at(D, 8)


def test_cli_calendar_offences_and_finance(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from intikhab.cli.main import app

    run = CliRunner().invoke
    ics = tmp_path / "cal.ics"
    r = run(app, ["calendar", "show", "2021-09-08", "--lang", "fr"])
    assert r.exit_code == 0 and "Campagne électorale" in r.output and "2021-09-07 24:00" in r.output
    r = run(app, ["calendar", "show", "2021-09-08", "--vote", "regional", "--ics", str(ics),
                  "--format", "json"])
    assert r.exit_code == 0, r.output
    assert {e["key"] for e in json.loads(r.output)} >= {"filing", "campaign", "polling"}
    assert len(parse_ics(ics.read_bytes().decode())) == len(json.loads(r.output))
    r = run(app, ["calendar", "check", "filing", "2021-08-25T12:30", "--polling-date",
                  "2021-09-08", "--lang", "fr"])
    assert r.exit_code == 1 and json.loads(r.output)["finding"]["code"] == "E-CAL-004"
    r = run(app, ["calendar", "check", "filing", "soon", "--polling-date", "2021-09-08"])
    assert r.exit_code == 2 and "E-CAL-001" in r.output
    r = run(app, ["offences", "search", "صندوق"])
    assert r.exit_code == 0 and {o["article"] for o in json.loads(r.output)} == {61, 62}
    r = run(app, ["campaign", "poster", "--place", "trees"])
    assert r.exit_code == 1 and json.loads(r.output)[0]["code"] == "E-CAMP-001"
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    from conftest import TEST_PASSWORD, small_bundle, with_passwords

    from intikhab.services.setup import load_bundle
    from intikhab.store.db import make_engine, migrate, sessions

    eng = make_engine(db)
    migrate(eng)
    with sessions(eng).begin() as s:
        load_bundle(s, small_bundle())
        with_passwords(s)
    eng.dispose()
    src = tmp_path / "acc.json"
    src.write_text(json.dumps([{"id": "A1", "vote": "communal", "lines": [
        {"amount": "100", "day": "2021-09-01", "category": "printing"}]}]), encoding="utf-8")
    assert run(app, ["finance", "load", str(src), "--user", "coord", "--db", db],
               env={"INTIKHAB_PASSWORD": TEST_PASSWORD}).exit_code == 0
    r = run(app, ["finance", "report", "--as-of", "2021-12-01", "--db", db, "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert set(json.loads(r.output)[0]["flags"]) == {"missing", "unjustified", "no_sources"}


def test_period_ends_read_as_the_law_writes_them() -> None:
    """The campaign ends "at 24:00 on D−1" (decrees 2.21.354/355 art. 3): shown so, not as
    00:00 of polling day; a start at midnight stays 00:00."""
    start, end = cal.campaign_window(D)
    assert cal.fmt(end, end=True) == "2021-09-07 24:00"
    assert cal.fmt(end) == "2021-09-08 00:00"
    assert cal.fmt(start) == "2021-08-26 00:00"
