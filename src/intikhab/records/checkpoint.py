"""Signed checkpoints of the audit log, and the proofs a third party verifies offline.

A checkpoint (a "signed tree head", RFC 9162 §4.10) says: the log named ``origin`` had ``size``
records at ``time`` and its Merkle tree hash (``records/merkle.py``) was ``root``.  Its text
follows the C2SP *checkpoint* layout (origin line, decimal size, base64 root, then one
extension line ``time …Z``) and is signed with Ed25519 as a C2SP *signed note*: the body, a
blank line, then ``— <key name> base64(key id ‖ signature)`` where the key id is the first four
bytes of ``SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)``.  The key name is the origin.

A *proof bundle* is plain JSON that needs nothing but the public key to check:

- ``intikhab/inclusion-proof/v1``: a signed checkpoint, one audit record (all its fields), its
  0-based index and the inclusion path — the record is in the log the checkpoint signs;
- ``intikhab/consistency-proof/v1``: two signed checkpoints and the consistency path — the
  later log extends the earlier one, nothing was rewritten or removed.

Each audit record is a leaf: its bytes are the canonical JSON of every field it carries (sorted
keys, no spaces, UTF-8, no floats).  Pure module: no I/O; keys are given as raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from intikhab.law.errors import InputError
from intikhab.records.merkle import (
    HASH_SIZE,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

INCLUSION = "intikhab/inclusion-proof/v1"
CONSISTENCY = "intikhab/consistency-proof/v1"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_ED25519 = b"\x01"  # the C2SP signed-note signature type of Ed25519
_DASH = "\u2014"  # the em dash that opens a signed-note signature line


def _bad(detail: str) -> InputError:
    return InputError("E-AUD-007", detail=detail)


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_SCALARS = (str, int, bool, type(None))


def canonical_bytes(value: object) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8); floats are refused: a digest must not
    depend on how a number happens to print."""
    if not (isinstance(value, dict) and all(isinstance(v, _SCALARS) for v in value.values())):
        _no_floats(value)  # a flat record (the common case) holds no float by the test above
    return _ENCODER.encode(value).encode("utf-8")


def _no_floats(value: object) -> None:
    if isinstance(value, float):
        raise _bad("a float in canonical data")
    if isinstance(value, Mapping):
        for v in value.values():
            _no_floats(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _no_floats(v)


def leaf_bytes(record: Mapping[str, Any]) -> bytes:
    """The bytes of one audit record as a leaf of the tree: its canonical JSON."""
    return canonical_bytes(dict(record))


def document_digest(document: object) -> str:
    """The hex SHA-256 of a document's canonical JSON: what an audit record's ``after_digest``
    holds for the state it wrote (e.g. a declared result's outcome)."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head: the log ``origin`` had ``size`` records, hashing to ``root``, at ``time``
    (UTC, whole seconds)."""

    origin: str
    size: int
    root: bytes
    time: datetime

    def body(self) -> bytes:
        return (f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"
                f"time {self.time.strftime(TIME_FORMAT)}\n").encode()


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    key_id: bytes
    signature: bytes

    def note(self) -> str:
        """The signed note: the text that is published and that :func:`parse_note` reads."""
        sig = base64.b64encode(self.key_id + self.signature).decode()
        return (f"{self.checkpoint.body().decode('utf-8')}\n"
                f"{_DASH} {self.checkpoint.origin} {sig}\n")


def key_id(name: str, public_key: bytes) -> bytes:
    """The C2SP signed-note key id: ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + _ED25519 + public_key).digest()[:4]


def public_key_of(private_key: bytes) -> bytes:
    """The raw 32-byte Ed25519 public key of a raw 32-byte private key."""
    return Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()


def _check_origin(origin: str) -> None:
    if not origin or any(c.isspace() or c == "+" for c in origin):
        raise _bad(f"origin {origin!r} is empty or holds a space or '+'")


def sign(checkpoint: Checkpoint, private_key: bytes) -> SignedCheckpoint:
    """Sign the checkpoint's body with the raw 32-byte Ed25519 private key."""
    _check_origin(checkpoint.origin)
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    kid = key_id(checkpoint.origin, key.public_key().public_bytes_raw())
    return SignedCheckpoint(checkpoint, kid, key.sign(checkpoint.body()))


def verify(signed: SignedCheckpoint, public_key: bytes) -> bool:
    """Whether ``signed`` was signed by the private half of the raw 32-byte ``public_key``."""
    if len(public_key) != 32 or signed.key_id != key_id(signed.checkpoint.origin, public_key):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signed.signature,
                                                              signed.checkpoint.body())
    except InvalidSignature:
        return False
    return True


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(f"{what} is not base64") from None


def parse_note(text: str) -> SignedCheckpoint:
    """Read a signed note written by :meth:`SignedCheckpoint.note` (strictly: any other text
    is refused with E-AUD-007)."""
    body, sep, sig_line = text.partition(f"\n\n{_DASH} ")
    lines = body.split("\n")
    if not sep or len(lines) != 4 or not lines[3].startswith("time "):
        raise _bad("not a checkpoint note (origin, size, root, time, signature)")
    origin, size, root, when = lines[0], lines[1], _b64(lines[2], "root"), lines[3][5:]
    name, _, sig = sig_line.rstrip("\n").partition(" ")
    raw = _b64(sig, "signature")
    if not size.isdigit() or len(root) != HASH_SIZE or name != origin or len(raw) != 68:
        raise _bad("malformed size, root or signature line")
    try:
        time = datetime.strptime(when, TIME_FORMAT)
    except ValueError:
        raise _bad(f"time {when!r} is not {TIME_FORMAT}") from None
    signed = SignedCheckpoint(Checkpoint(origin, int(size), root, time), raw[:4], raw[4:])
    if signed.note() != text:
        raise _bad("not in canonical form")
    return signed


@dataclass(frozen=True, slots=True)
class ProofCheck:
    """What checking a proof bundle found: ``ok`` and, when not, why."""

    ok: bool
    kind: str
    reason: str | None = None
    checkpoint: Checkpoint | None = None


def _hashes(items: object) -> list[bytes]:
    if not isinstance(items, list) or not all(isinstance(h, str) for h in items):
        raise _bad("proof must be a list of hex strings")
    try:
        return [bytes.fromhex(h) for h in items]
    except ValueError:
        raise _bad("proof holds a non-hex hash") from None


def inclusion_bundle(signed: SignedCheckpoint, record: Mapping[str, Any], index: int,
                     proof: Sequence[bytes], document: object = None) -> dict[str, Any]:
    """The JSON a third party checks with :func:`check_bundle` and the public key alone."""
    out: dict[str, Any] = {"format": INCLUSION, "checkpoint": signed.note(),
                           "index": index, "record": dict(record),
                           "proof": [h.hex() for h in proof]}
    if document is not None:
        out["document"] = document
    return out


def consistency_bundle(old: SignedCheckpoint, new: SignedCheckpoint,
                       proof: Sequence[bytes]) -> dict[str, Any]:
    return {"format": CONSISTENCY, "old": old.note(), "new": new.note(),
            "proof": [h.hex() for h in proof]}


def check_bundle(bundle: Mapping[str, Any], public_key: bytes) -> ProofCheck:
    """Check a proof bundle with nothing but the raw public key: the signatures of its
    checkpoints, then the inclusion or consistency path (RFC 9162 §2.1.3.2, §2.1.4.2).
    A malformed bundle raises E-AUD-007; a well-formed one that fails returns ``ok=False``."""
    kind = bundle.get("format")
    if kind == INCLUSION:
        return _check_inclusion(bundle, public_key)
    if kind == CONSISTENCY:
        return _check_consistency(bundle, public_key)
    raise _bad(f"unknown format {kind!r}")


def _note(bundle: Mapping[str, Any], key: str) -> SignedCheckpoint:
    text = bundle.get(key)
    if not isinstance(text, str):
        raise _bad(f"{key} must be a checkpoint note")
    return parse_note(text)


def _check_inclusion(bundle: Mapping[str, Any], public_key: bytes) -> ProofCheck:
    signed = _note(bundle, "checkpoint")
    cp, record, index = signed.checkpoint, bundle.get("record"), bundle.get("index")
    if not isinstance(record, dict) or not isinstance(index, int) or isinstance(index, bool):
        raise _bad("record must be an object and index an integer")
    proof = _hashes(bundle.get("proof"))
    if not verify(signed, public_key):
        return ProofCheck(False, INCLUSION, "the checkpoint's signature does not verify", cp)
    if record.get("seq") != index + 1:
        return ProofCheck(False, INCLUSION, "the record's seq is not its index + 1", cp)
    if not verify_inclusion(leaf_hash(leaf_bytes(record)), index, cp.size, proof, cp.root):
        return ProofCheck(False, INCLUSION, "the record is not in the signed log", cp)
    if "document" in bundle and document_digest(bundle["document"]) != record.get(
            "after_digest"):
        return ProofCheck(False, INCLUSION, "the document's digest is not the record's", cp)
    return ProofCheck(True, INCLUSION, None, cp)


def _check_consistency(bundle: Mapping[str, Any], public_key: bytes) -> ProofCheck:
    old, new = _note(bundle, "old"), _note(bundle, "new")
    proof = _hashes(bundle.get("proof"))
    if not (verify(old, public_key) and verify(new, public_key)):
        return ProofCheck(False, CONSISTENCY, "a checkpoint's signature does not verify",
                          new.checkpoint)
    a, b = old.checkpoint, new.checkpoint
    if a.origin != b.origin:
        return ProofCheck(False, CONSISTENCY, "the checkpoints are of different logs", b)
    if not verify_consistency(a.size, b.size, a.root, b.root, proof):
        return ProofCheck(False, CONSISTENCY,
                          f"the log of {b.size} records does not extend the log of {a.size}", b)
    return ProofCheck(True, CONSISTENCY, None, b)
