"""The demo's accounts: one per role of the count (docs/records.md), with the demo passwords
``services.users.ensure_demo_accounts`` gives them.  The clerks, the coordinator and the
administrator have the national scope (``*``, ``services/duties.py``)."""

from __future__ import annotations

from typing import Final

DEMO_USERS: Final = (
    {"id": "clerk1", "name": "كاتب الإدخال 1 / Agent de saisie 1", "role": "clerk",
     "scope": "*"},
    {"id": "clerk2", "name": "كاتب الإدخال 2 / Agent de saisie 2", "role": "clerk",
     "scope": "*"},
    {"id": "coord", "name": "رئيس لجنة الإحصاء / Président de commission", "role": "coordinator",
     "scope": "*"},
    {"id": "observer", "name": "وكيل لائحة / Mandataire de liste", "role": "observer"},
    {"id": "admin", "name": "مدير النظام / Administrateur", "role": "admin", "scope": "*"},
)
