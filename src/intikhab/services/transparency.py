"""The audit log as a transparency log (RFC 9162): signed checkpoints and their proofs.

The hash chain (``store/audit.py``) proves order, but whoever can write the database can
re-hash it.  Here every audit record is a leaf of a Merkle tree (its bytes: the canonical JSON
of all its fields, ``records/checkpoint.py``); a checkpoint signs the tree's size and root with
the commission's Ed25519 key, which lives outside the database (``services/keys.py``).  Once a
checkpoint is published, a re-hashed, truncated or rewound log no longer matches it
(:func:`verify_against_checkpoint`), and anyone with the public key can check that a record is in
the log (:func:`prove`) and that a later log extends an earlier one (:func:`prove_consistency`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intikhab.law.errors import InputError
from intikhab.records import checkpoint as cp
from intikhab.records.merkle import MerkleTree, leaf_hash
from intikhab.store import audit
from intikhab.store.models import AuditCheckpoint, AuditLog, Election

_COLUMNS = (AuditLog.seq, AuditLog.at, AuditLog.actor, AuditLog.role, AuditLog.action,
            AuditLog.entity, AuditLog.before_digest, AuditLog.after_digest, AuditLog.prev_hash,
            AuditLog.hash, AuditLog.bound)
_NAMES = tuple(c.key for c in _COLUMNS)


def record_of(row: Any) -> dict[str, Any]:
    """An audit record as the leaf sees it: every field, the time in ISO 8601 (``bound`` only
    when the record binds rows, so records written before rows were bound keep their leaves)."""
    out = dict(zip(_NAMES, row, strict=True))
    out["at"] = out["at"].isoformat()
    if out["bound"] is None:
        del out["bound"]
    return out


def _query(size: int | None) -> Any:
    q = select(*_COLUMNS).order_by(AuditLog.seq)
    return q if size is None else q.limit(size)


def leaf_hashes(session: Session, size: int | None = None,
                recompute: bool = False) -> list[bytes]:
    """The leaf hashes of the first ``size`` records (default: all), in order: the ``leaf``
    stored at append time, or with ``recompute`` (and for records written before leaves were
    stored) hashed from the record itself.  A proof may use the stored leaves (whoever checks
    it hashes the record it carries); a check of the log against a checkpoint must not."""
    q = select(AuditLog.leaf, *_COLUMNS).order_by(AuditLog.seq)
    q = q if size is None else q.limit(size)
    return [bytes.fromhex(row[0]) if row[0] is not None and not recompute
            else leaf_hash(cp.leaf_bytes(record_of(row[1:])))
            for row in session.connection().execute(q)]


def log_tree(session: Session, size: int | None = None,
             recompute: bool = False) -> MerkleTree:
    return MerkleTree(leaf_hashes(session, size, recompute))


def log_size(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(AuditLog)).scalar_one())


def origin_of(session: Session) -> str:
    """The log's name in its checkpoints: ``intikhab/<election id>``."""
    eid = session.execute(select(Election.id).order_by(Election.id).limit(1)).scalar()
    name = "intikhab" if eid is None else f"intikhab/{eid}"
    return "".join("-" if c.isspace() or c == "+" else c for c in name)


@dataclass(frozen=True, slots=True)
class Stored:
    """A checkpoint as stored: its number (the row id) and the signed checkpoint."""

    number: int
    signed: cp.SignedCheckpoint


def sign_checkpoint(session: Session, private_key: bytes, *, actor: str = "system",
                    role: str = "admin", at: datetime | None = None,
                    verify_chain: bool = True) -> Stored:
    """Sign the log as it stands in this transaction and store the checkpoint; then write an
    ``audit.checkpoint`` record (so the log's next checkpoint is one record larger).  Locks the
    chain's head first, so no writer appends while the tree is computed.  Refuses (E-AUD-008)
    to sign a chain that ``audit verify`` would reject."""
    chain = audit.Chain(session)
    if verify_chain:
        report = audit.verify(session)
        if not report.ok:
            raise InputError("E-AUD-008", value=report.first_bad, detail=report.reason)
    tree = log_tree(session, chain.seq, recompute=verify_chain)
    when = (at or audit.now()).replace(microsecond=0)
    signed = cp.sign(cp.Checkpoint(origin_of(session), tree.size, tree.root(), when),
                     private_key)
    row = AuditCheckpoint(origin=signed.checkpoint.origin, tree_size=tree.size,
                          root_hash=tree.root().hex(), signed_at=when,
                          key_id=signed.key_id.hex(), note=signed.note())
    session.add(row)
    session.flush()
    chain.append(actor=actor, role=role, action="audit.checkpoint", entity=f"checkpoint:{row.id}",
                 after=hashlib.sha256(row.note.encode("utf-8")).hexdigest(), at=at)
    chain.flush()
    return Stored(row.id, signed)


def checkpoint(session: Session, number: int | None = None) -> Stored:
    """The stored checkpoint ``number``, or the latest (E-AUD-006 when there is none)."""
    q = select(AuditCheckpoint)
    q = (q.where(AuditCheckpoint.id == number) if number is not None
         else q.order_by(AuditCheckpoint.id.desc()).limit(1))
    row = session.execute(q).scalar_one_or_none()
    if row is None:
        raise InputError("E-AUD-006", value="" if number is None else number)
    return Stored(row.id, cp.parse_note(row.note))


def checkpoint_sizes(session: Session) -> list[tuple[int, int]]:
    """``(tree size, number)`` of every stored checkpoint, smallest log first (the first
    signed of a size first)."""
    return [(size, n) for size, n in session.execute(
        select(AuditCheckpoint.tree_size, AuditCheckpoint.id)
        .order_by(AuditCheckpoint.tree_size, AuditCheckpoint.id))]


def checkpoint_of_size(session: Session, size: int) -> Stored:
    """The latest stored checkpoint of a log of ``size`` records (E-AUD-006)."""
    row = session.execute(select(AuditCheckpoint).where(AuditCheckpoint.tree_size == size)
                          .order_by(AuditCheckpoint.id.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        raise InputError("E-AUD-006", value=f"(size {size})")
    return Stored(row.id, cp.parse_note(row.note))


@dataclass(frozen=True, slots=True)
class Inclusion:
    record: dict[str, Any]
    index: int
    size: int
    root: bytes
    path: tuple[bytes, ...]


def inclusion_proof(session: Session, record_id: int, size: int | None = None) -> Inclusion:
    """The inclusion path of audit record ``record_id`` (its ``seq``) in the log's first
    ``size`` records (default: all).  E-AUD-004 when the record is not among them."""
    n = log_size(session) if size is None else size
    if not 1 <= record_id <= n:
        raise InputError("E-AUD-004", field="record", value=record_id, size=n)
    tree = log_tree(session, n)
    if tree.size != n:
        raise InputError("E-AUD-005", field="size", old=n, new=n, size=tree.size)
    row = session.execute(_query(None).offset(record_id - 1).limit(1)).one()
    record = record_of(row)
    if record["seq"] != record_id:  # a gap in the chain: ``audit verify`` names it
        raise InputError("E-AUD-008", value=record_id, detail="sequence gap")
    return Inclusion(record, record_id - 1, n, tree.root(), tree.inclusion_proof(record_id - 1))


def consistency_proof(session: Session, old_size: int,
                      new_size: int | None = None) -> tuple[bytes, ...]:
    """The consistency path from the log's first ``old_size`` records to its first
    ``new_size`` (default: all) — RFC 9162 §2.1.4.1.  E-AUD-005 for impossible sizes."""
    n = log_size(session) if new_size is None else new_size
    if not 0 <= old_size <= n:
        raise InputError("E-AUD-005", field="size", old=old_size, new=n, size=log_size(session))
    tree = log_tree(session, n)
    if tree.size != n:
        raise InputError("E-AUD-005", field="size", old=old_size, new=n, size=tree.size)
    return tree.consistency_proof(old_size)


def prove(session: Session, record_id: int, number: int | None = None) -> dict[str, Any]:
    """The inclusion-proof bundle of a record against stored checkpoint ``number`` (default:
    the latest): JSON a third party checks with only the public key
    (``records.checkpoint.check_bundle``)."""
    stored = checkpoint(session, number)
    size = stored.signed.checkpoint.size
    if record_id > size:
        raise InputError("E-AUD-004", field="record", value=record_id, size=size)
    inc = inclusion_proof(session, record_id, size)
    return cp.inclusion_bundle(stored.signed, inc.record, inc.index, inc.path)


def prove_consistency(session: Session, old_size: int,
                      new_size: int | None = None) -> dict[str, Any]:
    """The consistency-proof bundle between the stored checkpoints of ``old_size`` and of
    ``new_size`` records (default: the latest checkpoint)."""
    old = checkpoint_of_size(session, old_size)
    new = checkpoint(session) if new_size is None else checkpoint_of_size(session, new_size)
    n = new.signed.checkpoint.size
    if old_size > n:
        raise InputError("E-AUD-005", field="size", old=old_size, new=n, size=log_size(session))
    return cp.consistency_bundle(old.signed, new.signed, consistency_proof(session, old_size, n))


@dataclass(frozen=True, slots=True)
class Agreement:
    """Whether the log in the database agrees with signed checkpoints, and if not why."""

    ok: bool
    log_size: int
    checked: int = 0
    reason: str | None = None


def _agrees(tree: MerkleTree, signed: cp.SignedCheckpoint, public_key: bytes) -> str | None:
    c = signed.checkpoint
    if not cp.verify(signed, public_key):
        return "the checkpoint's signature does not verify with this public key"
    if tree.size < c.size:
        return (f"the log was truncated: {tree.size:,} records, the checkpoint of "
                f"{c.time:%Y-%m-%d %H:%M:%S} signed {c.size:,}")
    if tree.root(c.size) != c.root:
        return (f"the log's first {c.size:,} records are not those the checkpoint of "
                f"{c.time:%Y-%m-%d %H:%M:%S} signed: the log was rewritten or re-hashed")
    return None


def verify_against_checkpoint(session: Session, signed: cp.SignedCheckpoint,
                              public_key: bytes) -> Agreement:
    """Check the log in the database against a signed checkpoint (typically a published copy,
    not the database's own): the signature holds, the log has at least the checkpoint's
    records, and its first ``size`` records hash to the signed root.  Detects a re-hashed chain
    and a truncated or rewound log, which the chain walk alone cannot."""
    tree = log_tree(session, recompute=True)
    reason = _agrees(tree, signed, public_key)
    return Agreement(reason is None, tree.size, 1, reason)


def verify_stored_checkpoints(session: Session, public_key: bytes) -> Agreement:
    """Check the log against every checkpoint stored in the database (one tree, built once)."""
    tree = log_tree(session, recompute=True)
    count = 0
    for row in session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars():
        try:
            signed = cp.parse_note(row.note)
        except InputError as e:
            return Agreement(False, tree.size, count, f"checkpoint {row.id}: {e.message()}")
        reason = _agrees(tree, signed, public_key)
        if reason is not None:
            return Agreement(False, tree.size, count, f"checkpoint {row.id}: {reason}")
        count += 1
    return Agreement(True, tree.size, count)
