"""``intikhab bureau``: the example file, the JSON answer, tables in three languages, and one
coded line with exit code 2 for every kind of bad input (art. 13 of law 113.14 and its
counterparts for the rules themselves: tests/test_bureau_law.py)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.formats.bureau_json import decide, parse_bureau
from intikhab.law.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bureau" / "president.json"
runner = CliRunner()


def doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def run(data: dict[str, Any] | str, *args: str) -> Any:
    text = data if isinstance(data, str) else json.dumps(data)
    return runner.invoke(app, ["bureau", "elect", "-", *args], input=text)


def test_example_elects_the_youngest_in_round3_art_of_law_112_14() -> None:
    r = run(doc(), "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["status"] == "elected" and out["elected"] == "m01"
    assert out["eligible"] == ["m01", "m05"]
    assert out["rejected"] == [{"id": "m08", "code": "E-BUR-025"},
                               {"id": "m02", "code": "E-BUR-022"}]
    assert out["vice_presidents"] == 2
    assert [(x["rule"], x["needed"], x["outcome"]) for x in out["rounds"]] == [
        ("absolute_in_office", 7, "no_majority"), ("absolute_in_office", 7, "no_majority"),
        ("relative_present", None, "elected")]
    assert out["ties"] == [{"key": "president:round3:m01|m05", "contenders": ["m01", "m05"],
                            "resolved_by": "age"}]
    assert out["next_round"] is None


@pytest.mark.parametrize(("lang", "word"), [("ar", "انتخاب الرئيس"), ("fr", "Élection du"),
                                            ("en", "Election of the president")])
def test_table_in_three_languages(lang: str, word: str) -> None:
    r = run(doc(), "--lang", lang)
    assert r.exit_code == 0 and word in r.stdout and "E-BUR-025" in r.stdout


def test_no_rounds_says_who_may_stand() -> None:
    d = doc()
    d["rounds"] = []
    out = json.loads(run(d, "--format", "json").stdout)
    assert out["status"] == "next_round"
    assert out["next_round"] == {"round": 1, "candidates": ["m01", "m05"]}


def test_lot_required_then_seed_then_entered() -> None:
    d = doc()
    d["members"][4]["birth_date"] = d["members"][0]["birth_date"]  # same birth date
    out = json.loads(run(d, "--format", "json").stdout)
    assert out["status"] == "lot_required" and out["elected"] is None
    key = out["ties"][-1]["key"]
    assert out["ties"][-1]["resolved_by"] is None
    seeded = json.loads(run(d, "--format", "json", "--seed", "2021-09-20").stdout)
    assert seeded["status"] == "elected" and seeded["ties"][-1]["resolved_by"] == "lot"
    d["lots"] = {key: "m05"}
    assert json.loads(run(d, "--format", "json").stdout)["elected"] == "m05"


def test_vice_presidents_by_list() -> None:
    d = doc()
    d.update(office="vice_presidents", president="m01",
             lists=[{"id": "P", "head": "m01", "members": ["m04", "m03"]},
                    {"id": "B", "head": "m05", "members": ["m05", "m06"]}],
             rounds=[{"present": 12, "votes": {"P": 6, "B": 6}}] * 3)
    del d["candidates"]
    out = json.loads(run(d, "--format", "json").stdout)
    assert out["elected"] == "P" and out["ties"][-1]["resolved_by"] == "president_list"


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    d = copy.deepcopy(doc())
    target = d
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


@pytest.mark.parametrize(("data", "code", "field"), [
    ("{not json", "E-BUR-001", None),
    (mutate(["council"], "county"), "E-BUR-004", "council"),
    (mutate(["office"], KeyError), "E-BUR-002", "office"),
    (mutate(["surprise"], 1), "E-BUR-005", "surprise"),
    (mutate(["lists"], []), "E-BUR-020", "lists"),
    (mutate(["members", 1, "id"], "m01"), "E-BUR-007", "members[1].id"),
    (mutate(["members", 0, "birth_date"], "1975-02-30"), "E-BUR-008", "members[0].birth_date"),
    (mutate(["members", 0, "sex"], "X"), "E-BUR-004", "members[0].sex"),
    (mutate(["members", 0, "in_office"], "yes"), "E-BUR-002", "members[0].in_office"),
    (mutate(["candidates", 0, "member"], "ghost"), "E-BUR-009", "candidates[0].member"),
    (mutate(["rounds", 0, "present"], True), "E-BUR-003", "rounds[0].present"),
    (mutate(["rounds", 0, "present"], 13), "E-BUR-014", "rounds[0].present"),
    (mutate(["rounds", 0, "votes", "m01"], 7.0), "E-BUR-003", "rounds[0].votes.m01"),
    (mutate(["rounds", 0, "votes", "m01"], 8), "E-BUR-015", "rounds[0].votes"),
    (mutate(["rounds", 0, "votes", "m08"], 1), "E-BUR-016", "rounds[0].votes.m08"),
    (mutate(["mode"], "single_member"), "E-BUR-013", "mode"),
    (mutate(["lots"], {"k": 3}), "E-BUR-002", "lots"),
])
def test_bad_input_is_one_coded_line_and_exit_2(data: Any, code: str, field: str | None) -> None:
    r = run(data, "--format", "json")
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(code)
    if field is not None:
        assert lines[0].startswith(f"{code} {field}:")
    if not isinstance(data, str):  # the parser and the law say the same without the CLI
        with pytest.raises(InputError) as e:
            decide(parse_bureau(data))
        assert e.value.code == code


def test_vp_list_member_on_two_lists_and_women_third() -> None:
    d = doc()
    d.update(office="vice_presidents", president="m01",
             lists=[{"id": "P", "head": "m01", "members": ["m04", "m03"]},
                    {"id": "B", "head": "m05", "members": ["m05", "m03"]}])
    del d["candidates"]
    r = run(d)
    assert r.exit_code == 2 and r.stderr.startswith("E-BUR-010 lists[1].members[1]:")
    d["lists"][1]["members"] = ["m05", "m07"]
    d["rounds"] = []
    out = json.loads(run(d, "--format", "json").stdout)
    assert out["rejected"] == [{"id": "B", "code": "E-BUR-028"}]


def test_vice_presidents_lookup() -> None:
    r = runner.invoke(app, ["bureau", "vice-presidents", "commune", "30"])
    assert r.exit_code == 0 and json.loads(r.stdout)["vice_presidents"] == 6
    r = runner.invoke(app, ["bureau", "vice-presidents", "county", "30"])
    assert r.exit_code == 2 and r.stderr.startswith("E-BUR-004 kind:")


def test_real_process_reads_the_example_file() -> None:
    """One subprocess, as a user runs it (the rest use CliRunner: faster)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = subprocess.run([sys.executable, "-m", "intikhab.cli", "bureau", "elect", str(EXAMPLE),
                        "--format", "json"], capture_output=True, text=True, env=env,
                       check=False, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["elected"] == "m01"
