"""Transitional alias: the polling stations now live in :mod:`intikhab.synthetic`."""

from intikhab.synthetic import Election, Station, StationCount, national_election

__all__ = ["Election", "Station", "StationCount", "national_election"]
