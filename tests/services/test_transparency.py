"""The audit log as a transparency log, on SQLite and PostgreSQL: signed checkpoints catch a
re-hashed, truncated or rewound log that the hash-chain walk accepts; proofs verify offline
with only the public key.  (The hash chain itself is ``store/audit.py``, tested in
test_store.py.)"""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

import pytest
from _forge import rehash_from
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from intikhab.law.errors import InputError
from intikhab.records import checkpoint as cp
from intikhab.services import keys, transparency
from intikhab.store import audit
from intikhab.store.models import AuditLog

KEY = Ed25519PrivateKey.generate().private_bytes_raw()
PUB = cp.public_key_of(KEY)
OTHER_PUB = cp.public_key_of(Ed25519PrivateKey.generate().private_bytes_raw())


def _append(Sessions: sessionmaker[Session], n: int, tag: str = "e") -> None:
    with Sessions.begin() as s:
        chain = audit.Chain(s)
        for i in range(n):
            chain.append(actor="clerk1", role="clerk", action="minute.accept",
                         entity=f"{tag}{i}", after=audit.digest({"i": i, "tag": tag}))
        chain.flush()


def _sign(Sessions: sessionmaker[Session]) -> transparency.Stored:
    with Sessions.begin() as s:
        return transparency.sign_checkpoint(s, KEY)


def _rehash_from(s: Session, seq: int) -> None:
    rehash_from(s, seq)


def _chain_ok(Sessions: sessionmaker[Session]) -> bool:
    with Sessions() as s:
        return audit.verify(s).ok


def _against(Sessions: sessionmaker[Session], stored: transparency.Stored,
             public: bytes = PUB) -> transparency.Agreement:
    with Sessions() as s:
        return transparency.verify_against_checkpoint(s, stored.signed, public)


def test_a_checkpoint_signs_the_log_and_is_recorded(Sessions: sessionmaker[Session]) -> None:
    _append(Sessions, 7)
    stored = _sign(Sessions)
    c = stored.signed.checkpoint
    assert c.size == 7 and c.origin == "intikhab"
    assert cp.verify(stored.signed, PUB) and not cp.verify(stored.signed, OTHER_PUB)
    with Sessions() as s:
        assert transparency.checkpoint(s).signed == stored.signed
        assert transparency.log_tree(s, 7).root() == c.root
        last = s.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).scalar_one()
        assert (last.seq, last.action, last.entity) == (8, "audit.checkpoint",
                                                        f"checkpoint:{stored.number}")
        assert transparency.verify_stored_checkpoints(s, PUB).ok
    assert _chain_ok(Sessions) and _against(Sessions, stored).ok
    assert not _against(Sessions, stored, OTHER_PUB).ok


def test_a_rehashed_chain_fails_against_the_signed_checkpoint(
        Sessions: sessionmaker[Session]) -> None:
    """The chain walk accepts a record rewritten with every later hash recomputed; the
    signed root does not."""
    _append(Sessions, 12)
    stored = _sign(Sessions)
    with Sessions.begin() as s:
        row = s.get(AuditLog, 5)
        assert row is not None
        row.actor = "mallory"
        s.flush()
        _rehash_from(s, 5)
    assert _chain_ok(Sessions)
    agreement = _against(Sessions, stored)
    assert not agreement.ok and "rewritten or re-hashed" in str(agreement.reason)
    with Sessions() as s:
        assert not transparency.verify_stored_checkpoints(s, PUB).ok


@pytest.mark.tampers  # deletes audit records (and leaves their bindings)
def test_a_truncated_log_fails_against_the_signed_checkpoint(
        Sessions: sessionmaker[Session]) -> None:
    _append(Sessions, 10)
    stored = _sign(Sessions)
    with Sessions.begin() as s:
        s.execute(delete(AuditLog).where(AuditLog.seq > 6))
        _rehash_from(s, 7)  # only resets the head: the chain walk passes
    assert _chain_ok(Sessions)
    agreement = _against(Sessions, stored)
    assert not agreement.ok and "truncated" in str(agreement.reason)
    assert agreement.log_size == 6


@pytest.mark.tampers  # deletes audit records (and leaves their bindings)
def test_a_rewound_log_fails_against_the_signed_checkpoint(
        Sessions: sessionmaker[Session]) -> None:
    """Truncated, then re-grown past the checkpoint with other records: the chain walk passes,
    the checkpoint's root does not."""
    _append(Sessions, 10)
    stored = _sign(Sessions)
    with Sessions.begin() as s:
        s.execute(delete(AuditLog).where(AuditLog.seq > 6))
        _rehash_from(s, 7)
    _append(Sessions, 9, tag="forged")
    assert _chain_ok(Sessions)
    agreement = _against(Sessions, stored)
    assert not agreement.ok and agreement.log_size == 15
    assert "rewritten" in str(agreement.reason)


def test_a_later_log_is_consistent_with_an_earlier_checkpoint(
        Sessions: sessionmaker[Session]) -> None:
    _append(Sessions, 5)
    first = _sign(Sessions)
    _append(Sessions, 20, tag="later")
    second = _sign(Sessions)
    assert (first.signed.checkpoint.size, second.signed.checkpoint.size) == (5, 26)
    assert _against(Sessions, first).ok and _against(Sessions, second).ok
    with Sessions() as s:
        bundle = json.loads(json.dumps(transparency.prove_consistency(s, 5)))
        assert transparency.verify_stored_checkpoints(s, PUB).checked == 2
    assert cp.check_bundle(bundle, PUB).ok
    assert not cp.check_bundle(bundle, OTHER_PUB).ok
    bundle["proof"][0] = "00" * 32
    assert not cp.check_bundle(bundle, PUB).ok


def test_an_inclusion_proof_verifies_offline_with_only_the_public_key(
        Sessions: sessionmaker[Session]) -> None:
    _append(Sessions, 9)
    _sign(Sessions)
    with Sessions() as s:
        bundles = [json.loads(json.dumps(transparency.prove(s, seq))) for seq in range(1, 10)]
        with pytest.raises(InputError) as e:
            transparency.prove(s, 10)  # the checkpoint's own record: only in the next one
        assert e.value.code == "E-AUD-004"
    for bundle in bundles:
        assert cp.check_bundle(bundle, PUB).ok
        assert not cp.check_bundle(bundle, OTHER_PUB).ok
    forged = dict(bundles[3], record={**bundles[3]["record"], "actor": "mallory"})
    assert not cp.check_bundle(forged, PUB).ok
    moved = dict(bundles[3], index=4, record={**bundles[3]["record"], "seq": 5})
    assert not cp.check_bundle(moved, PUB).ok
    resized = dict(bundles[3], checkpoint=bundles[3]["checkpoint"].replace("\n9\n", "\n10\n"))
    assert not cp.check_bundle(resized, PUB).ok
    doc = {"i": 3, "tag": "e"}
    assert cp.check_bundle(dict(bundles[3], document=doc), PUB).ok
    assert not cp.check_bundle(dict(bundles[3], document={"i": 4, "tag": "e"}), PUB).ok


def test_signing_refuses_a_broken_chain(Sessions: sessionmaker[Session]) -> None:
    _append(Sessions, 4)
    with Sessions.begin() as s:
        row = s.get(AuditLog, 2)
        assert row is not None
        row.actor = "mallory"
    with Sessions.begin() as s, pytest.raises(InputError) as e:
        transparency.sign_checkpoint(s, KEY)
    assert e.value.code == "E-AUD-008"
    with Sessions() as s, pytest.raises(InputError) as e:
        transparency.checkpoint(s)
    assert e.value.code == "E-AUD-006"


# --- pure: notes and keys (no database) ----------------------------------------------------

def test_a_checkpoint_note_round_trips_and_refuses_edits() -> None:
    signed = cp.sign(cp.Checkpoint("intikhab/test-2021", 42, bytes(range(32)),
                                   datetime(2021, 9, 9, 1, 2, 3)), KEY)
    note = signed.note()
    assert note.startswith("intikhab/test-2021\n42\n") and "time 2021-09-09T01:02:03Z" in note
    assert cp.parse_note(note) == signed
    edited = cp.parse_note(note.replace("\n42\n", "\n41\n"))
    assert not cp.verify(edited, PUB)
    for bad in ("", note.replace("time ", "when "), note + "x", note.replace("\u2014", "-")):
        with pytest.raises(InputError) as e:
            cp.parse_note(bad)
        assert e.value.code == "E-AUD-007"


def test_key_files_live_outside_the_database_and_are_never_overwritten(tmp_path: Path) -> None:
    private, public = keys.create_key_pair(tmp_path / "keys")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert cp.public_key_of(keys.load_signing_key(private)) == keys.load_public_key(public)
    before = private.read_bytes()
    with pytest.raises(InputError) as e:
        keys.create_key_pair(tmp_path / "keys")
    assert e.value.code == "E-AUD-003" and private.read_bytes() == before
    with pytest.raises(InputError) as e:
        keys.load_signing_key(tmp_path / "missing.key")
    assert e.value.code == "E-AUD-001"
    with pytest.raises(InputError) as e:
        keys.load_signing_key(public)  # a public key is not a signing key
    assert e.value.code == "E-AUD-002"
    with pytest.raises(InputError) as e:
        keys.load_public_key(private)
    assert e.value.code == "E-AUD-002"


def test_canonical_leaf_bytes_are_sorted_utf8_and_refuse_floats() -> None:
    assert cp.leaf_bytes({"b": 1, "a": "é", "c": None}) == '{"a":"é","b":1,"c":null}'.encode()
    for bad in ({"a": 1.5}, {"a": [0.1]}, {"a": {"b": 2.0}}):
        with pytest.raises(InputError) as e:
            cp.leaf_bytes(bad)
        assert e.value.code == "E-AUD-007"
