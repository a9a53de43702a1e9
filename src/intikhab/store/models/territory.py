"""The territory and the polling network: regions, prefectures and provinces, communes, the
constituencies of both votes, central offices and polling stations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intikhab.store.models.base import ID, Base


class Region(Base):
    __tablename__ = "region"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))  # ``name`` is the Arabic one
    population: Mapped[int] = mapped_column(Integer)


class Prefecture(Base):
    """A prefecture or province (عمالة أو إقليم): one regional constituency each."""

    __tablename__ = "prefecture"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))  # ``name`` is the Arabic one


class Commune(Base):
    __tablename__ = "commune"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    prefecture_id: Mapped[str | None] = mapped_column(ForeignKey("prefecture.id"), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))  # ``name`` is the Arabic one
    kind: Mapped[str] = mapped_column(String(20))  # single_member | list | divided
    population: Mapped[int] = mapped_column(Integer)
    council_seats: Mapped[int] = mapped_column(Integer)


class Constituency(Base):
    """A district, a list commune, an arrondissement (communal vote) or a prefecture (regional
    vote).  ``groups`` are the seat groups in allocation order."""

    __tablename__ = "constituency"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    vote: Mapped[str] = mapped_column(String(20))  # communal | regional
    kind: Mapped[str] = mapped_column(String(20))  # list | single_member
    council: Mapped[str] = mapped_column(String(64), index=True)  # commune or region id
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))  # ``name`` is the Arabic one
    groups: Mapped[list[Any]] = mapped_column(JSON)
    attached_women_seat: Mapped[bool] = mapped_column(Boolean, default=False)


class CentralOffice(Base):
    __tablename__ = "central_office"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    commune_id: Mapped[str] = mapped_column(ForeignKey("commune.id"), index=True)


class Station(Base):
    __tablename__ = "station"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    central_office_id: Mapped[str] = mapped_column(ForeignKey("central_office.id"), index=True)
    communal_constituency_id: Mapped[str] = mapped_column(
        ForeignKey("constituency.id"), index=True)
    regional_constituency_id: Mapped[str] = mapped_column(
        ForeignKey("constituency.id"), index=True)
    registered: Mapped[int] = mapped_column(Integer)
