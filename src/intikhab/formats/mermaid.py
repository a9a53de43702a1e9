"""The state machines as mermaid diagrams, generated from the machines themselves.

``docs/architecture.md`` draws three machines; each block there follows a marker line
``<!-- mermaid:NAME -->`` and is rewritten by :func:`refresh` (``make docs``); a test checks
that refreshing changes nothing, as ``docs/errors.md`` is checked against the catalogue.

- ``registration``: a candidacy filing (``law.registration.TRANSITIONS``; art. 8 and 9 of
  organic law 59.11 as amended);
- ``dispute``: a case before the courts (``law.disputes.TRANSITIONS``; art. 26 and 28);
- ``entry``: the double entry of a minute (``records.entry``; art. 23).  That machine is written as
  functions, not as a table, so its edges are found by running each event of
  :data:`ENTRY_EVENTS` on a state of each status and keeping the ones it does not refuse.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Final

from intikhab.law import disputes, registration
from intikhab.records.entry import (
    EntryError,
    EntryRef,
    EntryState,
    EntryStatus,
    Transition,
    enter,
    open_correction,
    resolve,
    send_back,
)

#: One edge: (state before, label, state after); ``None`` before is the machine's start.
Edge = tuple[str | None, str, str]

_MARKER: Final = re.compile(r"(<!-- mermaid:(?P<name>[a-z_]+) -->\n)```mermaid\n.*?```",
                            re.DOTALL)


def mermaid(edges: Iterable[Edge]) -> str:
    """A ``stateDiagram-v2`` with one line per edge, in the order given (duplicates once)."""
    lines = ["stateDiagram-v2"]
    seen: set[Edge] = set()
    for before, label, after in edges:
        if (before, label, after) in seen:
            continue
        seen.add((before, label, after))
        lines.append(f"    {before or '[*]'} --> {after}" + (f": {label}" if label else ""))
    return "\n".join(lines) + "\n"


def table_edges(table: Iterable[tuple[tuple[StrEnum | None, str], StrEnum]]) -> list[Edge]:
    """The edges of a transition table's items, ``((state, action), state after)``."""
    return [(None if before is None else before.value, str(action), after.value)
            for (before, action), after in table]


_A, _B = "clerk1", "clerk2"
#: A state of each status of the double-entry machine (clerk1 typed first, figures "d1").
ENTRY_SAMPLES: Final = {
    EntryStatus.AWAITING: EntryState(),
    EntryStatus.FIRST: EntryState(EntryStatus.FIRST, first=EntryRef("e1", _A, "d1")),
    EntryStatus.CONFLICT: EntryState(EntryStatus.CONFLICT, first=EntryRef("e1", _A, "d1"),
                                     second=EntryRef("e2", _B, "d2")),
    EntryStatus.ACCEPTED: EntryState(EntryStatus.ACCEPTED, first=EntryRef("e1", _A, "d1"),
                                     second=EntryRef("e2", _B, "d1"),
                                     accepted=EntryRef("e1", _A, "d1")),
}
#: Every event of the double-entry machine, named as the diagram labels it.
ENTRY_EVENTS: Final[tuple[tuple[str, Callable[[EntryState], Transition]], ...]] = (
    ("enter", lambda s: enter(s, EntryRef("e9", _A, "d1"))),  # clerk1 again, same figures
    ("enter", lambda s: enter(s, EntryRef("e9", _B, "d1"))),  # another clerk, same figures
    ("enter", lambda s: enter(s, EntryRef("e9", _B, "d9"))),  # another clerk, other figures
    ("resolve", lambda s: resolve(s, "coord", 1)),
    ("send_back", lambda s: send_back(s, "coord")),
    ("open_correction", lambda s: open_correction(s, "coord")),
)


def entry_edges() -> list[Edge]:
    """The double-entry machine's edges, labelled ``event / outcome``, found by running it."""
    edges: list[Edge] = [(None, "", EntryStatus.AWAITING.value)]
    for status, state in ENTRY_SAMPLES.items():
        for event, run in ENTRY_EVENTS:
            try:
                done = run(state)
            except EntryError:
                continue
            edges.append((status.value, f"{event} / {done.outcome}", done.state.status.value))
    return edges


def machines() -> dict[str, list[Edge]]:
    """Every machine docs/architecture.md draws, by the name of its marker."""
    return {
        "entry": entry_edges(),
        "registration": table_edges(registration.TRANSITIONS.items()),
        "dispute": [(None, "", disputes.State.FILED.value),
                    *table_edges(disputes.TRANSITIONS.items())],
    }


def refresh(markdown: str) -> str:
    """``markdown`` with the mermaid block after each ``<!-- mermaid:NAME -->`` regenerated;
    a name that is not a machine raises ``KeyError``."""
    drawn = machines()

    def block(m: re.Match[str]) -> str:
        return f"{m.group(1)}```mermaid\n{mermaid(drawn[m.group('name')])}```"

    return _MARKER.sub(block, markdown)
