"""The database schema (SQLAlchemy 2, typed declarative), one module per domain.  Alembic
migrations in ``store/migrations`` create exactly this schema (a test compares them on SQLite and
PostgreSQL); importing this package registers every table on ``Base.metadata``.

Design notes (see docs/records.md):
- A polling-station minute is never overwritten. Each typed entry is a row of ``entry``; the
  double-entry state of a (station, vote) lives in ``minute_state``; every accepted version is a
  row of ``minute_version``.  What counts is ``minute_state.accepted_entry_id``.
- Totals above the station (central office, census commission) are never stored as typed
  figures: they are recomputed from accepted minutes.  ``result`` records each allocation with
  its rule set, engine version and lots.
- ``audit_log`` is append-only and hash-chained; ``audit_head`` holds the chain's head and is
  locked by every write that matters, which also serialises concurrent writers.

The package's face: ``from intikhab.store.models import X`` reaches every table.
"""

from intikhab.store.models.audit import AuditBinding, AuditHead, AuditLog
from intikhab.store.models.base import ID, NAMING, Base
from intikhab.store.models.bureaus import BureauSession, IndirectResult
from intikhab.store.models.candidacy import Candidacy, CandidacyFiling, PartyAlliance
from intikhab.store.models.cases import DisputeCase, DisputeStep
from intikhab.store.models.checkpoints import AuditCheckpoint
from intikhab.store.models.duties import DutyScope
from intikhab.store.models.election import Election, Party
from intikhab.store.models.finance import AccountLine, CampaignAccount
from intikhab.store.models.records import Entry, MinuteState, MinuteVersion
from intikhab.store.models.results import Result
from intikhab.store.models.security import LoginThrottle, UserSession
from intikhab.store.models.territory import (
    CentralOffice,
    Commune,
    Constituency,
    Prefecture,
    Region,
    Station,
)
from intikhab.store.models.users import User
from intikhab.store.models.web import Accreditation

__all__ = [
    "ID",
    "NAMING",
    "AccountLine",
    "Accreditation",
    "AuditBinding",
    "AuditCheckpoint",
    "AuditHead",
    "AuditLog",
    "Base",
    "BureauSession",
    "CampaignAccount",
    "Candidacy",
    "CandidacyFiling",
    "CentralOffice",
    "Commune",
    "Constituency",
    "DisputeCase",
    "DisputeStep",
    "DutyScope",
    "Election",
    "Entry",
    "IndirectResult",
    "LoginThrottle",
    "MinuteState",
    "MinuteVersion",
    "Party",
    "PartyAlliance",
    "Prefecture",
    "Region",
    "Result",
    "Station",
    "User",
    "UserSession",
]
