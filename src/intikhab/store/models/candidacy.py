"""Candidacies: the filings as deposited and where their registration stands, the registered
alliances of parties, and the registered lists and candidates the minutes and the allocation use.

``candidacy_filing`` holds each deposited declaration as filed (``document``) and where its
registration stands (the state machine of :mod:`intikhab.law.registration`); every change is
audited.  A registered filing is *published* into the ``candidacy`` table
(``services/candidacy.publish``).  ``party_alliance`` lists the registered alliances of parties
(art. 8 §4, organic law 59.11 as amended).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class Candidacy(Base):
    """A registered list, or a single-member district candidate (with the attached woman)."""

    __tablename__ = "candidacy"
    __table_args__ = (UniqueConstraint("constituency_id", "code"), {"sqlite_strict": True})
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))  # the id the minutes use
    party_id: Mapped[str | None] = mapped_column(ForeignKey("party.id"))
    name: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)  # registration order (ballot order)
    # candidates in list order: {"general": [C…], "women": [C…]} or, for a district,
    # {"candidate": C, "attached_woman": C | null}; C = {name, birth_date, sex, eligible, deceased}
    candidates: Mapped[dict[str, Any]] = mapped_column(JSON)


class CandidacyFiling(Base):
    """One declaration of candidacy: ``arrival`` numbers the provisional receipt (arrival order
    in the constituency), ``number`` the final receipt (the registration number)."""

    __tablename__ = "candidacy_filing"
    __table_args__ = (UniqueConstraint("constituency_id", "arrival"), {"sqlite_strict": True})
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    constituency_id: Mapped[str] = mapped_column(ForeignKey("constituency.id"), index=True)
    arrival: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # list | single_member
    party: Mapped[str | None] = mapped_column(String(64))  # a party or an alliance
    name: Mapped[str] = mapped_column(String(200))
    filed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    number: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    notes: Mapped[list[Any]] = mapped_column(JSON)
    replaced_by: Mapped[str | None] = mapped_column(String(64))
    attached_withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    ineligible: Mapped[list[Any]] = mapped_column(JSON)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class PartyAlliance(Base):
    """A registered alliance of political parties and its member parties (art. 8 §4)."""

    __tablename__ = "party_alliance"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parties: Mapped[list[Any]] = mapped_column(JSON)
