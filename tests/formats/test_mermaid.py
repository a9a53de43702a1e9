"""The state machines drawn in docs/architecture.md are the ones the code runs: each mermaid
block equals the one generated from its transition table (or, for double entry, from running
the machine), as docs/errors.md equals the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intikhab.formats.mermaid import entry_edges, machines, mermaid, refresh
from intikhab.law import registration

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_architecture_md_draws_the_machines_the_code_runs() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert re.findall(r"<!-- mermaid:([a-z_]+) -->", text) == ["entry", "registration", "dispute"]
    assert refresh(text) == text, "docs/architecture.md is stale: run `make docs`"


def test_a_changed_table_changes_the_drawing() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    stale = text.replace("registered --> withdrawn: withdraw", "registered --> withdrawn: quit")
    assert stale != text
    assert refresh(stale) == text


def test_mermaid_one_line_per_edge_start_as_star_duplicates_once() -> None:
    edges = [(None, "file", "a"), ("a", "go", "b"), ("a", "go", "b"), ("b", "", "a")]
    assert mermaid(edges) == ("stateDiagram-v2\n    [*] --> a: file\n    a --> b: go\n"
                              "    b --> a\n")


def test_registration_drawing_is_its_transition_table_art_9() -> None:
    lines = mermaid(machines()["registration"]).splitlines()[1:]
    assert len(lines) == len(registration.TRANSITIONS)
    assert "    [*] --> provisional: file" in lines


@pytest.mark.parametrize(("edge"), [
    ("first", "enter / accepted", "accepted"),  # a second clerk agrees
    ("first", "enter / conflict", "conflict"),  # a second clerk differs
    ("conflict", "resolve / resolved", "accepted"),
    ("conflict", "send_back / sent_back", "awaiting"),
    ("accepted", "open_correction / correction_opened", "awaiting"),
])
def test_double_entry_edges_found_by_running_the_machine_art_23(
        edge: tuple[str, str, str]) -> None:
    assert edge in entry_edges()


def test_double_entry_refusals_are_not_drawn_art_23() -> None:
    edges = entry_edges()
    assert not any(a == "awaiting" and b != "first" for a, _, b in edges)  # nothing to resolve
    assert not any(a == "accepted" and "resolve" in label for a, label, _ in edges)
