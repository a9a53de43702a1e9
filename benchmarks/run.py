"""Benchmarks: one 13-list allocation against votelib, and the whole synthetic country (the real
territory with synthetic votes).

Run from the repository root::

    .venv/bin/python benchmarks/run.py            # full run (about a minute)
    .venv/bin/python benchmarks/run.py --quick    # smoke run (a few seconds)

Prints a markdown table and writes ``benchmarks/out/results.json``.  The process is pinned to
one CPU core where the OS allows it.  See ``BENCHMARKS.md`` for the figures and their reading.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
import timeit
from dataclasses import replace
from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import votelib.evaluate.proportional as vl_prop

from intikhab.demo.real import real_country
from intikhab.law.allocation import (
    AllocationStatus,
    CandidateList,
    District,
    ListConstituency,
    ListResult,
    Part,
    SeatGroup,
    allocate_lists,
    largest_remainder,
)
from intikhab.law.national import allocate_country, contest_seats
from intikhab.law.rulesets import get_rules

# The guide's Marrakech prefecture example, part 1 (ch. 10): 13 lists, 9 seats, 170,100 voters.
VOTES = (21500, 20150, 12100, 18610, 3200, 17800, 19335, 10600, 8300, 7050, 11900, 6020, 9800)
SEATS = 9
BASE = 170_100
EXPECTED = {f"L{i}": 1 for i in (1, 2, 3, 4, 6, 7, 8, 11, 13)}

TARGET_SPEEDUP = 10.0
TARGET_COUNTRY_S = 0.5
STRESS_DISTRICTS = 21_000


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pin_one_core() -> str:
    """Pin the process to one CPU (the lowest it may use); say which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def best_us(stmt: Any, number: int, repeat: int = 7) -> float:
    """Best of ``repeat`` timeit runs, in µs per call."""
    return min(timeit.repeat(stmt, number=number, repeat=repeat)) / number * 1e6


def bench_single(quick: bool) -> dict[str, Any]:
    ids = [f"L{i + 1}" for i in range(len(VOTES))]
    votes = list(VOTES)
    rules = get_rules("regional-2021")
    constituency = ListConstituency(
        registered=BASE,
        voters=BASE,
        void=BASE - sum(VOTES),
        groups=(SeatGroup(Part.GENERAL, SEATS),),
        lists=tuple(CandidateList(i, v) for i, v in zip(ids, VOTES, strict=True)),
    )
    votelib_votes = dict(zip(ids, VOTES, strict=True))
    evaluator = vl_prop.LargestRemainder(lambda total_votes, seats: Fraction(BASE, seats))

    # the three must agree before anything is timed
    ours = {i: s for i, s in zip(ids, largest_remainder(votes, SEATS, BASE), strict=True) if s}
    result = allocate_lists(constituency, rules)
    assert result.status is AllocationStatus.DECLARED, result
    full = {i: s for i, s in result.totals.items() if s}
    theirs = {i: s for i, s in evaluator.evaluate(votelib_votes, SEATS).items() if s}
    assert all(isinstance(s, int) for s in theirs.values()), theirs  # no votelib Tie
    assert ours == full == theirs == EXPECTED, (ours, full, theirs)

    number = 500 if quick else 5_000
    t_lr = best_us(lambda: largest_remainder(votes, SEATS, BASE), number)
    t_full = best_us(lambda: allocate_lists(constituency, rules), number)
    t_vl = best_us(lambda: evaluator.evaluate(votelib_votes, SEATS), max(number // 10, 50))
    return {
        "lists": len(VOTES),
        "seats": SEATS,
        "base": BASE,
        "seats_by_list": ours,
        "number": number,
        "repeat": 7,
        "largest_remainder_us": t_lr,
        "allocate_lists_us": t_full,
        "votelib_us": t_vl,
        "speedup_largest_remainder": t_vl / t_lr,
        "speedup_allocate_lists": t_vl / t_full,
    }


def bench_country(quick: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    country = real_country()
    build_s = time.perf_counter() - t0
    counts = country.counts()
    contests = country.contests

    repeat = 2 if quick else 5
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = allocate_country(contests)
        times.append(time.perf_counter() - t0)
    assert result is not None

    declared = {"regional": 0, "communal": 0}
    lost = {"regional": 0, "communal": 0}  # seats of contests not declared, or left unfilled
    for contest, res in zip(contests, result.results, strict=True):
        seats = contest_seats(contest)
        declared[contest.level] += seats
        if res.status is not AllocationStatus.DECLARED:
            lost[contest.level] += seats
        elif isinstance(res, ListResult):
            lost[contest.level] += sum(g.unfilled for g in res.groups)
    allocated = {level: result.total(level) for level in declared}
    for level in declared:
        assert allocated[level] == declared[level] - lost[level], (level, allocated, declared)
    assert declared == {"regional": 678, "communal": country.seats("communal")}, declared

    # The stress run tops the districts up to 21,000 with copies under new ids when there are
    # fewer (the invented country had 15,528); the real territory has 21,502, so it adds none.
    districts = [x for x in contests if isinstance(x.constituency, District)]
    copies = tuple(
        replace(x, id=f"{x.id}#copy", constituency=replace(x.constituency, id=f"{x.id}#copy"))
        for x in districts[: max(0, STRESS_DISTRICTS - len(districts))]
    )
    stress = tuple(contests) + copies
    stress_times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        allocate_country(stress)
        stress_times.append(time.perf_counter() - t0)

    top = {
        level: dict(sorted(by_party.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        for level, by_party in result.seats.items()
    }
    return {
        "build_s": build_s,
        "allocate_s": min(times),
        "allocate_runs_s": times,
        "repeat": repeat,
        "counts": counts,
        "status_counts": result.status_counts,
        "declared_seats": declared,
        "lost_seats": lost,
        "allocated_seats": allocated,
        "top_parties": top,
        "contests_per_s": len(contests) / min(times),
        "stress_districts": len(districts) + len(copies),
        "stress_contests": len(stress),
        "stress_allocate_s": min(stress_times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repetitions")
    args = parser.parse_args()

    pinned = pin_one_core()
    try:
        votelib_version = version("votelib")
    except PackageNotFoundError:  # pragma: no cover
        votelib_version = "unknown"
    env = {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "cpu": cpu_model(),
        "cpus_visible": os.cpu_count(),
        "affinity": pinned,
        "platform": platform.platform(),
        "votelib": votelib_version,
        "quick": args.quick,
    }
    single = bench_single(args.quick)
    country = bench_country(args.quick)

    c = country["counts"]
    ok_speed = single["speedup_largest_remainder"] >= TARGET_SPEEDUP
    ok_full = single["speedup_allocate_lists"] >= TARGET_SPEEDUP
    ok_country = country["allocate_s"] < TARGET_COUNTRY_S
    print(f"Python {env['python']} ({env['implementation']}) — CPU: {env['cpu']} "
          f"({env['cpus_visible']} visible, {pinned}) — votelib {votelib_version}"
          + (" — QUICK RUN" if args.quick else ""))
    print()
    print("| benchmark | figure | target | met |")
    print("|---|---|---|---|")
    print(f"| 13 lists / 9 seats: `largest_remainder` | {single['largest_remainder_us']:.2f} µs "
          f"({single['speedup_largest_remainder']:.1f}× votelib) | ≥{TARGET_SPEEDUP:.0f}× | "
          f"{'yes' if ok_speed else 'NO'} |")
    print(f"| 13 lists / 9 seats: `allocate_lists` (full) | {single['allocate_lists_us']:.2f} µs "
          f"({single['speedup_allocate_lists']:.1f}× votelib) | ≥{TARGET_SPEEDUP:.0f}× | "
          f"{'yes' if ok_full else 'NO'} |")
    print(f"| 13 lists / 9 seats: votelib `LargestRemainder` | {single['votelib_us']:.2f} µs "
          "| (peer) | |")
    print(f"| country: build `real_country()` (once) | {country['build_s']:.2f} s | | |")
    print(f"| country: `allocate_country` best of {country['repeat']} | "
          f"{country['allocate_s'] * 1000:.0f} ms ({c['contests']:,} contests, "
          f"{country['contests_per_s']:,.0f}/s) | <{TARGET_COUNTRY_S} s | "
          f"{'yes' if ok_country else 'NO'} |")
    print(f"| country topped up to {country['stress_districts']:,} districts: `allocate_country` "
          f"| {country['stress_allocate_s'] * 1000:.0f} ms ({country['stress_contests']:,} "
          f"contests) | <{TARGET_COUNTRY_S} s | "
          f"{'yes' if country['stress_allocate_s'] < TARGET_COUNTRY_S else 'NO'} |")
    print()
    print(f"Country: {c['communes']:,} communes ({c['single_member_communes']:,} single-member, "
          f"{c['list_communes']} list, {c['divided_communes']} divided / "
          f"{c['arrondissements']} arrondissements), {c['districts']:,} districts, "
          f"{c['list_constituencies']} list constituencies ({c['regional_constituencies']} "
          f"regional), {c['registered']:,} registered.")
    for level in ("regional", "communal"):
        print(f"Seats {level}: declared {country['declared_seats'][level]:,}, allocated "
              f"{country['allocated_seats'][level]:,}, not filled "
              f"{country['lost_seats'][level]:,}; top parties {country['top_parties'][level]}")
    print(f"Statuses: {country['status_counts']}")

    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    payload = {"env": env, "single": single, "country": country,
               "targets": {"speedup": TARGET_SPEEDUP, "country_s": TARGET_COUNTRY_S,
                           "met": {"largest_remainder": ok_speed, "allocate_lists": ok_full,
                                   "country": ok_country}}}
    (out / "results.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
