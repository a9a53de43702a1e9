"""The API as a hostile user tries it, on both databases: a coordinator who typed an entry
cannot decide the minute (403 E-ENTRY-006, art. 23 §1–2 and the project's rule), a clerk
outside their constituencies is refused (403 E-ENTRY-007, art. 24), and figures beyond any
voter list are refused with a coded error naming the field (arts. 20–21)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_api import client, coded, minute, submit, token

from intikhab.services import duties
from intikhab.services.users import hash_password
from intikhab.store import audit
from intikhab.store.models import Station, User

__all__ = ["client"]


def test_art_23_a_coordinator_who_typed_an_entry_gets_403_on_resolve(client: TestClient
                                                                      ) -> None:
    c = client
    clerk1, coord, admin = token(c, "clerk1"), token(c, "coord"), token(c, "admin")
    assert submit(c, clerk1, minute("D2-S1", {"PA:D2": 120, "PB:D2": 80})).json()[
        "outcome"] == "first_recorded"
    assert submit(c, coord, minute("D2-S1", {"PA:D2": 121, "PB:D2": 79})).json()[
        "outcome"] == "conflict"
    for path, body in (("resolve", {"keep": 2}), ("send-back", None)):
        r = c.post(f"/api/v1/minutes/D2-S1/communal/{path}", json=body, headers=coord)
        coded(r, 403, "E-ENTRY-006")
    r = c.post("/api/v1/minutes/D2-S1/communal/resolve", json={"keep": 1}, headers=admin)
    assert r.status_code == 200, r.text


def test_art_24_a_clerk_outside_their_scope_gets_403(client: TestClient,
                                                     Sessions: sessionmaker[Session]) -> None:
    with Sessions.begin() as s:
        s.add(User(id="clerkD1", name="D1", role="clerk",
                   password_hash=hash_password("clerkD1-2021")))
        s.flush()
        duties.assign(s, "admin", "clerkD1", ["D1"])
    h = token(client, "clerkD1")
    coded(submit(client, h, minute("D2-S1", {"PA:D2": 120, "PB:D2": 80})), 403, "E-ENTRY-007")
    r = submit(client, h, minute("D1-S1", {"PA:D1": 120, "PB:D1": 80}))
    assert r.status_code == 200 and r.json()["outcome"] == "first_recorded", r.text


def test_arts_20_21_impossible_figures_are_coded_errors(client: TestClient,
                                                        Sessions: sessionmaker[Session]
                                                        ) -> None:
    with Sessions.begin() as s:
        s.execute(update(Station).where(Station.id == "D2-S1").values(registered=232))
        audit.append(s, actor="test", role="admin", action="test.setup", entity="D2-S1")
    h = token(client, "clerk1")
    m = minute("D2-S1", {"PA:D2": 5000, "PB:D2": 25}, registered=232)
    m["signed"] = 232
    r = submit(client, h, m, accept=("W-PV-004",))
    assert r.status_code == 422, r.text
    codes = {(f["code"], f["field"]) for f in r.json()["findings"]}
    assert ("E-PV-012", "ballots") in codes and ("E-PV-012", "votes.PA:D2") in codes
    huge = minute("D2-S1", {"PA:D2": 2**63 + 5, "PB:D2": 1})
    huge["signed"] = huge["ballots"] = 232
    body = coded(submit(client, h, huge), 422, "E-SEC-011")  # over 18 digits: the JSON limit
    assert body["field"] == "number"  # refused while parsing, before any field is read
