"""Shared fixtures: a migrated database on SQLite *and* on a real PostgreSQL for every test that
asks for ``db``, and a small hand-built election bundle.

PostgreSQL is at ``$INTIKHAB_TEST_PG`` (default: the local server, database ``test``); each test
gets a schema of its own, dropped afterwards.  A test that needs PostgreSQL fails — it is never
skipped — when the server cannot be reached: ``.ci/run`` makes sure it is up.

The quick run (``make test-fast``: ``pytest -m "not slow"`` with ``INTIKHAB_TEST_FAST=1``) leaves
out the tests marked ``slow`` — real subprocesses, the SIGKILLed importer, schemathesis, the
browser, national-scale data — and the PostgreSQL half of every database test (its ``db_url``
parameter is marked ``slow``), and with ``INTIKHAB_TEST_FAST`` it hashes passwords with argon2's
cheapest parameters and gives hypothesis the ``fast`` profile (fewer examples where a test does
not set its own).  ``make test`` runs everything, as CI does, with none of these shortcuts.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from intikhab.store.db import make_engine, migrate, sessions

PG_URL = os.environ.get("INTIKHAB_TEST_PG", "postgresql+psycopg:///test?host=127.0.0.1")
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))
FAST = os.environ.get("INTIKHAB_TEST_FAST") == "1"

# A write path that leaves authoritative rows without an audit record fails loudly in tests
# (store/binding.py); in production such rows are bound by a system record instead.
os.environ.setdefault("INTIKHAB_STRICT_BINDING", "1")

settings.register_profile("fast", max_examples=25)
if FAST:
    settings.load_profile("fast")


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """In the quick run only: argon2id with its cheapest parameters (a verified hash carries
    its own parameters, so logins behave the same; only the cost differs)."""
    if not FAST:
        yield
        return
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from intikhab.services import users

    saved = users._HASHER
    users._HASHER = PasswordHasher.from_parameters(CHEAPEST)
    try:
        yield
    finally:
        users._HASHER = saved


def pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of each backend (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # pragma: no cover - the environment, not the code
        pytest.fail(f"PostgreSQL is required at {PG_URL}: {exc}")
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database; afterwards, unless the test is marked ``tampers`` (it alters rows
    outside the application on purpose), every authoritative row must match its digest in the
    audit log: a service that writes a row without binding it fails here."""
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    if request.node.get_closest_marker("tampers") is None:
        _assert_bound(eng)
    eng.dispose()


def _assert_bound(eng: Engine) -> None:
    from intikhab.store import audit
    from intikhab.store.integrity import check_data

    with sessions(eng)() as s:
        chain = audit.verify(s, collect=True)
        if chain.ok:
            found = check_data(s.connection(), chain.bound)
            assert not found, "rows not bound to the audit log: " + "; ".join(
                t.line() for t in found[:5])


@pytest.fixture
def Sessions(engine: Engine) -> sessionmaker[Session]:
    return sessions(engine)


def _cand(name: str, born: str, sex: str = "M") -> dict[str, Any]:
    return {"name": name, "birth_date": born, "sex": sex}


def small_bundle() -> dict[str, Any]:
    """One region, one province (regional constituency of 3 + 2 seats), a list commune of 31
    (20 + 11) with 4 stations, and a single-member commune with two districts (one with the
    attached women's seat), 2 stations each."""
    parties = [{"id": p, "name_ar": f"حزب {p}", "name_fr": f"Parti {p}"}
               for p in ("PA", "PB", "PC")]

    def lst(cid: str, code: str, rank: int, general: int, women: int) -> dict[str, Any]:
        return {"constituency": cid, "code": code, "party": code, "name": f"لائحة {code}",
                "rank": rank, "candidates": {
                    "general": [_cand(f"{code}-{cid}-g{i}", f"19{60 + i}-01-0{1 + rank}")
                                for i in range(general)],
                    "women": [_cand(f"{code}-{cid}-w{i}", f"19{70 + i}-02-0{1 + rank}", "F")
                              for i in range(women)]}}

    def dist(cid: str, code: str, rank: int, attached: bool) -> dict[str, Any]:
        return {"constituency": cid, "code": f"{code}:{cid}", "party": code,
                "name": f"{code} {cid}", "rank": rank,
                "candidates": {"candidate": _cand(f"{code}-{cid}", f"197{rank}-05-05"),
                               "attached_woman": _cand(f"{code}-{cid}-f", "1980-01-01", "F")
                               if attached else None}}

    cands = [lst("K1", p, r, 3, 2) for r, p in enumerate(("PA", "PB", "PC"), 1)]
    cands += [lst("C1", p, r, 20, 11) for r, p in enumerate(("PA", "PB", "PC"), 1)]
    cands += [dist(d, p, r, d == "D1") for d in ("D1", "D2")
              for r, p in enumerate(("PA", "PB"), 1)]
    stations = [{"id": f"C1-S{i}", "central_office": "C1-O1", "communal": "C1",
                 "regional": "K1", "registered": 1000} for i in range(1, 5)]
    stations += [{"id": f"{d}-S{i}", "central_office": "C2-O1", "communal": d,
                  "regional": "K1", "registered": 500} for d in ("D1", "D2") for i in (1, 2)]
    return {
        "election": {"id": "test-2021", "name": "Test election", "polling_date": "2021-09-08",
                     "rules_communal": "communal-2021", "rules_regional": "regional-2021",
                     "fragment": True},  # two of C2's thirteen districts (services/setup_law)
        "parties": parties,
        "regions": [{"id": "R1", "name": "Région 1", "population": 200000}],
        "prefectures": [{"id": "K1", "region": "R1", "name": "Province 1"}],
        "communes": [
            {"id": "C1", "region": "R1", "prefecture": "K1", "name": "Commune 1",
             "kind": "list", "population": 60000, "council_seats": 31},
            {"id": "C2", "region": "R1", "prefecture": "K1", "name": "Commune 2",
             "kind": "single_member", "population": 9000, "council_seats": 18},
        ],
        "constituencies": [
            {"id": "K1", "vote": "regional", "kind": "list", "council": "R1",
             "name": "Province 1", "groups": [{"part": "general", "seats": 3},
                                              {"part": "women", "seats": 2}]},
            {"id": "C1", "vote": "communal", "kind": "list", "council": "C1",
             "name": "Commune 1", "groups": [{"part": "general", "seats": 20},
                                             {"part": "women", "seats": 11}]},
            {"id": "D1", "vote": "communal", "kind": "single_member", "council": "C2",
             "name": "District 1", "attached_women_seat": True},
            {"id": "D2", "vote": "communal", "kind": "single_member", "council": "C2",
             "name": "District 2"},
        ],
        "central_offices": [{"id": "C1-O1", "commune": "C1"}, {"id": "C2-O1", "commune": "C2"}],
        "stations": stations,
        "candidacies": cands,
        "users": [{"id": "clerk1", "name": "Clerk 1", "role": "clerk", "scope": "*"},
                  {"id": "clerk2", "name": "Clerk 2", "role": "clerk", "scope": "*"},
                  {"id": "coord", "name": "Coordinator", "role": "coordinator", "scope": "*"},
                  {"id": "observer", "name": "Observer", "role": "observer"}],
    }


TEST_PASSWORD = "test-password-2021"
"""Every bundle user's password after :func:`with_passwords` (the CLI authenticates)."""


def with_passwords(session: Any) -> None:
    """Give every user of the database the password :data:`TEST_PASSWORD` — the CLI acts
    only as an authenticated user (``cli/credentials.py``); pass it as ``$INTIKHAB_PASSWORD``."""
    from intikhab.services.users import hash_password
    from intikhab.store import audit
    from intikhab.store.models import User

    hashed = hash_password(TEST_PASSWORD)
    for user in session.query(User).all():
        user.password_hash = hashed
    audit.append(session, actor="test", role="admin", action="user.password", entity="*")
