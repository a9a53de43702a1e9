"""The two votes held the same day on one ballot paper (art. 21 §6, law 59.11 as amended).

Regional and communal councillors are elected on the same polling day; the communal ballots are
counted, and their minute drawn up, first (art. 21 §8).  Every rule that depends on the vote —
the calendar, the candidacy checks, the campaign ceilings, the minutes — takes this one enum.
Pure module: no I/O.
"""

from __future__ import annotations

from enum import StrEnum


class Vote(StrEnum):
    """Communal (councils of communes and arrondissements) or regional (regional councils)."""

    COMMUNAL = "communal"
    REGIONAL = "regional"
