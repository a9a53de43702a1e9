"""The ``intikhab`` command as a user runs it: a real subprocess, real files and pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the `intikhab` command in a real subprocess

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: str | None = None, password: str | None = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command in a subprocess; ``password`` is given as ``$INTIKHAB_PASSWORD``."""
    return subprocess.run(
        [sys.executable, "-m", "intikhab.cli.main", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "PYTHONIOENCODING": "utf-8",
             **({"INTIKHAB_PASSWORD": password} if password is not None else {}),
             **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}},
    )


def test_allocate_json_matches_the_guide() -> None:
    proc = run("allocate", str(EXAMPLES / "commune-35.json"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"] == "declared"
    assert [g["quotient"] for g in doc["groups"]] == ["11160", "21390"]
    assert doc["totals"] == {"1": 9, "2": 6, "3": 6, "4": 2, "5": 3, "6": 3, "7": 2, "8": 4}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_table_in_each_language(lang: str) -> None:
    proc = run("allocate", str(EXAMPLES / "marrakech-regional.json"), "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    header = {"ar": "القاسم الانتخابي", "fr": "Quotient électoral", "en": "Quotient"}[lang]
    assert f"{header} = 170100 / 9 = 18900" in proc.stdout
    assert "170100 / 5 = 34020" in proc.stdout


def test_standard_input_and_rules_override() -> None:
    text = (EXAMPLES / "marrakech-regional.json").read_text(encoding="utf-8")
    proc = run("allocate", "-", "--rules", "regional-2015", "--format", "json", stdin=text)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["rules"] == "regional-2015"
    # 3 % of 166365 valid votes = 4990.95: list 5 (3200 votes) is excluded
    excluded = {ln["id"] for ln in doc["groups"][0]["lists"] if ln["excluded"]}
    assert excluded == {"5"}
    assert doc["groups"][0]["base"] == 166365 - 3200


def test_compare_two_rule_sets() -> None:
    proc = run("allocate", str(EXAMPLES / "marrakech-regional.json"), "--format", "json",
               "--compare", "legislative-2021")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    a, b = doc["result"]["totals"], doc["compare"]["totals"]
    assert doc["difference"] == {k: b[k] - a[k] for k in a}
    table = run("allocate", str(EXAMPLES / "marrakech-regional.json"), "--lang", "en",
                "--compare", "regional-2015")
    assert "regional-2021  ↔  regional-2015" in table.stdout


def test_district_with_attached_seat_and_age_tie() -> None:
    proc = run("allocate", str(EXAMPLES / "district.json"), "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["winner"] == "P02:1"
    assert doc["elected"] == ["يوسف التازي", "خديجة المنصوري"]
    assert doc["ties"][0]["decided_by"] == "age"


def _bad(stdin: str, *extra: str) -> tuple[int, str]:
    proc = run("allocate", "-", *extra, stdin=stdin)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.returncode, proc.stderr.strip()


@pytest.mark.parametrize(
    ("doc", "code", "field"),
    [
        ("{not json", "E-ALLOC-001", ""),
        ('[1, 2]', "E-ALLOC-003", "$"),
        ('{"rules": "nope", "registered": 1, "voters": 1, "void": 0, "groups": '
         '[{"part": "general", "seats": 1}], "lists": []}', "E-ALLOC-002", "rules"),
        ('{"rules": "regional-2021", "registered": -1, "voters": 1, "void": 0, "groups": [], '
         '"lists": []}', "E-ALLOC-004", "registered"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 1.5, "void": 0, "groups": [], '
         '"lists": []}', "E-ALLOC-004", "voters"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 5, "void": 0, "groups": '
         '[{"part": "general", "seats": 0}], "lists": []}', "E-ALLOC-008", "groups[0].seats"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 5, "void": 0, "groups": '
         '[{"part": "general", "seats": 1}], "lists": [{"id": "a", "votes": 3}, '
         '{"id": "a", "votes": 1}]}', "E-ALLOC-010", "lists[1].id"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 5, "void": 1, "groups": '
         '[{"part": "general", "seats": 1}], "lists": [{"id": "a", "votes": 3}, '
         '{"id": "b", "votes": 2}]}', "E-ALLOC-007", "lists"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 5, "void": 0, "groups": '
         '[{"part": "women", "seats": 1}], "lists": [{"id": "a", "votes": 3, "candidates": '
         '{"women": [{"name": "x", "sex": "M"}]}}]}', "E-ALLOC-011",
         "lists[0].candidates.women[0]"),
        ('{"rules": "regional-2021", "registered": 10, "voters": 5, "void": 0, "groups": '
         '[{"part": "general", "seats": 1}], "lists": [{"id": "a", "votes": 3, "candidates": '
         '{"general": [{"name": "x", "birth_date": "1990-02-30"}]}}]}', "E-ALLOC-012",
         "lists[0].candidates.general[0].birth_date"),
    ],
)
def test_bad_input_is_one_coded_line_and_exit_2(doc: str, code: str, field: str) -> None:
    rc, line = _bad(doc, "--lang", "en")
    assert rc == 2
    assert line.startswith(f"{code} {field}:" if field else f"{code}:"), line


def test_missing_file_and_unknown_rules_option() -> None:
    proc = run("allocate", "no/such/file.json", "--lang", "fr")
    assert proc.returncode == 2 and proc.stderr.startswith("E-IO-001")
    proc = run("allocate", str(EXAMPLES / "gueliz.json"), "--rules", "communal-1999")
    assert proc.returncode == 2 and proc.stderr.startswith("E-ALLOC-002 rules:")
    assert "Traceback" not in proc.stderr


def test_error_messages_follow_the_language() -> None:
    doc = '{"rules": "regional-2021", "registered": 1, "voters": 2, "void": 0, "groups": [], ' \
          '"lists": []}'
    assert "votants" in _bad(doc, "--lang", "fr")[1]
    assert "المصوتين" in _bad(doc, "--lang", "ar")[1]


def test_council_schema_rules_errors_commands() -> None:
    proc = run("council", "commune", "120000", "--format", "json")
    assert json.loads(proc.stdout)["general_seats"] == 23
    table = run("council", "commune", "120000", "--lang", "fr").stdout
    assert "Première partie" in table and "23" in table  # a table in the chosen language
    proc = run("council", "commune", "0")
    assert proc.returncode == 2 and proc.stderr.startswith("E-COUNCIL-001")
    schema = json.loads(run("schema").stdout)
    assert schema == json.loads((ROOT / "docs" / "allocation-input.schema.json").read_text())
    assert "legislative-2016" in run("rules", "--lang", "fr").stdout
    listing = run("errors", "--lang", "fr").stdout
    assert "E-ALLOC-007" in listing and "votants" in listing


def test_docs_are_generated_from_the_catalogue() -> None:
    from intikhab.law.errors import catalogue_markdown

    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_demo_runs_the_guide_and_an_election_night(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    proc = run("demo", "--lang", "en", "--scale", "0.02", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "49140/12 = 4095" in proc.stdout          # Guéliz, first group
    assert "real territory, census 2014" in proc.stdout
    assert "National seats by party" in proc.stdout
    assert "audit log: verified" in proc.stdout
    assert "constituencies: {'declared':" in proc.stdout
    status = json.loads(run("status", "--db", db, "--format", "json").stdout)
    assert set(status) == {"declared"}
    assert "Résultat proclamé" in run("status", "--db", db, "--lang", "fr").stdout
    for bad, code in ((("results", "ZZZ"), "E-API-004"), (("results", "--vote", "regionl"),
                                                          "E-PV-011")):
        refused = run(*bad, "--db", db)
        assert refused.returncode == 2 and refused.stderr.startswith(code), refused.stderr
    assert run("audit", "verify", "--db", db).returncode == 0
    national = json.loads(run("results", "--db", db, "--vote", "regional", "--format",
                              "json").stdout)
    assert "Sièges" in run("results", "--db", db, "--lang", "fr").stdout
    assert national["declared"] == national["constituencies"] > 0
    assert sum(p["seats"] for p in national["parties"]) == national["seats"]


def test_commission_commands_check_roles_and_input(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert run("demo", "--scale", "0.01", "--census", "2024", "--db", db).returncode == 0
    refused = run("commission", "allocate", "--user", "clerk1", "--db", db,
                  password="clerk1-2021")
    assert refused.returncode == 2 and refused.stderr.startswith("E-ENTRY-004 user:")
    bad = run("commission", "allocate", "--user", "coord", "--lot", "no-equals", "--db", db,
              password="coord-2021")
    assert bad.returncode == 2 and bad.stderr.startswith("E-ALLOC-003 --lot:")
    # everything is already declared by the demo: allocating again records fresh results,
    # which the commission may declare again only if the minutes are unchanged
    again = json.loads(run("commission", "allocate", "--user", "coord", "--db", db,
                           password="coord-2021").stdout)
    assert again["allocated"] > 0 and set(again["statuses"]) <= {"declared", "rerun_required"}
    assert again["unallocated"] == []
    assert json.loads(run("commission", "declare", "--user", "coord", "--db", db,
                          password="coord-2021").stdout)[
        "declared"] == again["statuses"].get("declared", 0)


def test_the_command_line_starts_without_sqlalchemy() -> None:
    """The pure commands (allocate, council, rules, errors, schema) start without the store:
    importing the CLI imports no SQLAlchemy (it is 0.24 s of a 0.32 s start)."""
    code = "import sys, intikhab.cli.main; print(sorted(m for m in sys.modules if " \
           "m.split('.')[0] in ('sqlalchemy', 'alembic', 'fastapi')))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60,
                          env={"PATH": "/usr/bin:/bin",
                               **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [("status",), ("results",), ("audit", "verify"),
                                  ("commission", "declare", "--user", "coord"),
                                  ("export", "bundle", "-")])
def test_commands_never_create_a_database(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Reading or writing needs a database already set up: a missing one is E-DB-001, and no
    empty file is left behind (only import bundle, demo and serve create and migrate)."""
    path = tmp_path / "missing.sqlite"
    proc = run(*args, "--db", f"sqlite:///{path}")
    assert proc.returncode == 2 and proc.stderr.startswith("E-DB-001 sqlite:///"), proc.stderr
    assert not path.exists()
