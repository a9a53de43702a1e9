"""Election night end to end, on the synthetic election on the real territory: set-up, every
minute entered twice by two clerks (with realistic typing differences that a coordinator
resolves, and the ballots-vs-signatures warnings accepted explicitly), aggregation, allocation,
declaration.

This is the main job of ``intikhab demo``; it reports progress through a callback so the CLI
can draw a progress bar.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from intikhab.demo.councils import CouncilsReport, form_councils
from intikhab.demo.real import labels
from intikhab.demo.stations import SyntheticElection
from intikhab.demo.users import DEMO_USERS
from intikhab.law.allocation import Candidate, CandidateList, District
from intikhab.records.minutes import Minute
from intikhab.services import entry, results
from intikhab.services.setup import load_bundle
from intikhab.store.db import migrate, sessions
from intikhab.store.models import MinuteState

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _person(c: Candidate | None) -> dict[str, Any] | None:
    if c is None:
        return None
    out: dict[str, Any] = {"name": c.name}
    if c.birth_date is not None:
        out["birth_date"] = c.birth_date.isoformat()
    if c.sex is not None:
        out["sex"] = c.sex.value
    if not c.eligible:
        out["eligible"] = False
    if c.deceased:
        out["deceased"] = True
    return out


def _parts(lst: CandidateList) -> dict[str, Any]:
    return {part: [_person(c) for c in cands]
            for part, cands in (("general", lst.general), ("women", lst.women))
            if cands is not None}


def bundle_from(election: SyntheticElection,
                name: str = "Synthetic national election") -> dict[str, Any]:
    """The synthetic election as an election bundle (the import format, docs/records.md), with
    the territory's names: ``name`` in Arabic, ``name_ar`` and ``name_fr`` beside it
    (:func:`intikhab.demo.real.labels`)."""
    country = election.country
    label = labels(country)

    def named(code: str) -> dict[str, str]:
        ar, fr = label[code]
        return {"name": ar, "name_ar": ar, "name_fr": fr}

    population: dict[str, int] = {}
    for c in country.communes:
        population[c.region] = population.get(c.region, 0) + c.population
    regions = [r for r in country.regions if r.id in population]
    prefectures = dict.fromkeys(
        [(r.id, p) for r in regions for p in r.provinces]
        + [(c.region, c.province) for c in country.communes])
    bundle: dict[str, Any] = {
        "election": {"id": f"synthetic-{country.seed}", "name": name,
                     "polling_date": "2021-09-08", "rules_communal": "communal-2021",
                     "rules_regional": "regional-2021", "seed": country.seed,
                     "census": country.census},
        "parties": [{"id": p.id, "name_ar": p.name_ar, "name_fr": p.name_fr}
                    for p in country.parties],
        "regions": [{"id": r.id, **named(r.id), "population": population[r.id]}
                    for r in regions],
        "prefectures": [{"id": p, "region": r, **named(p)} for r, p in prefectures],
        "communes": [{"id": c.id, "region": c.region, "prefecture": c.province,
                      **named(c.id), "kind": c.kind, "population": c.population,
                      "council_seats": c.seats} for c in country.communes],
        "constituencies": [], "candidacies": [],
        "central_offices": [{"id": o, "commune": c}
                            for o, c in sorted(election.central_offices.items())],
        "stations": [{"id": s.code, "central_office": s.central_office,
                      "communal": s.communal_contest, "regional": s.regional_contest,
                      "registered": s.registered} for s in election.stations],
        "users": list(DEMO_USERS),
    }
    used = {s.communal_contest for s in election.stations} | {
        s.regional_contest for s in election.stations}
    for contest in country.contests:
        if contest.id not in used:
            continue
        k = contest.constituency
        row: dict[str, Any] = {"id": contest.id, "vote": contest.level,
                               "council": contest.council, **named(contest.id)}
        if isinstance(k, District):
            row |= {"kind": "single_member", "attached_women_seat": k.attached_women_seat}
            bundle["candidacies"] += [
                {"constituency": contest.id, "code": cand.id,
                 "party": cand.id.partition(":")[0], "name": cand.name, "rank": rank,
                 "candidates": {"candidate": {"name": cand.name, "birth_date":
                                              cand.birth_date.isoformat()
                                              if cand.birth_date else None},
                                "attached_woman": _person(cand.attached_woman)}}
                for rank, cand in enumerate(k.candidates, 1)]
        else:
            row |= {"kind": "list", "groups": [
                {"part": g.part.value, "seats": g.seats,
                 **({"council": g.council.value} if g.council else {})} for g in k.groups]}
            bundle["candidacies"] += [
                {"constituency": contest.id, "code": lst.id, "party": lst.id,
                 "name": lst.name or lst.id, "rank": rank, "candidates": _parts(lst)}
                for rank, lst in enumerate(k.lists, 1)]
        bundle["constituencies"].append(row)
    return bundle


def minutes_from(election: SyntheticElection) -> list[Minute]:
    """The stations' minutes as the bureaux wrote them."""
    return list(election.counts)


def mistyped(m: Minute, rng: random.Random) -> Minute:
    """The same minute with two lists' figures transposed — a second clerk's slip that the
    arithmetic checks cannot see, only double entry can."""
    votes = list(m.votes)
    distinct = [i for i in range(len(votes)) if votes[i][1] != votes[0][1]]
    if not distinct:
        return m
    i = rng.choice(distinct)
    (a, x), (b, y) = votes[0], votes[i]
    votes[0], votes[i] = (a, y), (b, x)
    return Minute(m.station, m.vote, m.registered, m.signed, m.ballots, m.void, m.contested,
                  m.illegal, tuple(votes), m.objections, m.observations)


@dataclass
class NightReport:
    stations: int = 0
    minutes: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    resolved: int = 0
    warnings_accepted: int = 0
    results: int = 0
    declared: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    councils: CouncilsReport = field(default_factory=CouncilsReport)


def run_night(engine: Engine, election: SyntheticElection, *, batch: int = 2_000,
              slip_rate: float = 0.002, seed: str = "intikhab-demo",
              progress: Progress | None = None,
              signing_key: bytes | None = None) -> NightReport:
    """Set up, double-enter every minute, resolve conflicts, allocate and declare (signing a
    checkpoint of the audit log with ``signing_key``, if given, at the declaration)."""
    import time

    say = progress or (lambda _stage, _done, _total: None)
    report = NightReport(stations=len(election.stations))
    t0 = time.perf_counter()
    migrate(engine)
    Sessions = sessions(engine)
    with Sessions.begin() as s:
        load_bundle(s, bundle_from(election), actor="admin")
    report.timings["setup"] = time.perf_counter() - t0

    minutes = minutes_from(election)
    report.minutes = len(minutes)
    rng = random.Random(f"{seed}:slips")
    second = [mistyped(m, rng) if rng.random() < slip_rate else m for m in minutes]
    warn = {"W-PV-004", "W-PV-008", "W-PV-010"}
    with Sessions() as s:
        contexts = entry.Contexts.load(s)
    t0 = time.perf_counter()
    total = 2 * len(minutes)
    done = 0
    for user, batch_minutes in (("clerk1", minutes), ("clerk2", second)):
        for i in range(0, len(batch_minutes), batch):
            chunk = batch_minutes[i:i + batch]
            with Sessions.begin() as s:
                outs = entry.enter_minutes(s, user, chunk, warn, contexts)
            for o in outs:
                report.outcomes[o.outcome] = report.outcomes.get(o.outcome, 0) + 1
                report.warnings_accepted += sum(1 for f in o.findings if f.code in warn)
            done += len(chunk)
            say("entry", done, total)
    report.timings["entry"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with Sessions() as s:
        conflicts = _conflicts(s)
    for n, (station, vote) in enumerate(conflicts, 1):
        with Sessions.begin() as s:
            entry.resolve(s, "coord", station, vote, 1)  # the first entry matches the paper
        report.resolved += 1
        say("resolve", n, len(conflicts))
    report.timings["resolve"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    say("allocate", 0, 1)
    with Sessions.begin() as s:
        report.results = len(results.allocate(s, "coord", seed=seed))
    say("allocate", 1, 1)
    with Sessions.begin() as s:
        report.declared = results.declare(s, "coord", signing_key=signing_key)
    report.timings["allocate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    say("councils", 0, 1)
    report.councils = form_councils(Sessions, seed)  # prefecture councils, then every bureau
    say("councils", 1, 1)
    report.timings["councils"] = time.perf_counter() - t0
    return report


def _conflicts(s: Session) -> Sequence[tuple[str, str]]:
    return [(a, b) for a, b in s.execute(
        select(MinuteState.station_id, MinuteState.vote)
        .where(MinuteState.status == "conflict")
        .order_by(MinuteState.station_id, MinuteState.vote))]
