"""``intikhab audit verify``: the whole record checked from the database alone (and, given the
commission's public key, against the checkpoints it signed).

Three checks, each reported separately:

1. the hash chain (``store/audit.verify``): every record's hash recomputes from all its fields,
   its stored Merkle leaf is its own, nothing is missing after the head;
2. the data (``store/integrity.check_data``): every authoritative row's digest is the one its
   last binding in the log holds — an edit, insertion or deletion outside the application is
   reported with the table and primary key it touched;
3. with a public key, the signed checkpoints (``services/transparency``): the Merkle tree of the
   recomputed leaves has each signed root — a re-hashed, truncated or rewound log fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from intikhab.law.errors import InputError
from intikhab.records import checkpoint as cp
from intikhab.records.merkle import MerkleTree
from intikhab.store import audit
from intikhab.store.integrity import Tampered, check_data
from intikhab.store.models import AuditCheckpoint


@dataclass(frozen=True, slots=True)
class Report:
    chain: audit.Verification
    tampered: list[Tampered] = field(default_factory=list)
    checkpoints: int = 0
    checkpoint_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.tampered and self.checkpoint_error is None


def _checkpoints(session: Session, tree: MerkleTree, public_key: bytes) -> tuple[int, str | None]:
    from intikhab.services.transparency import _agrees

    count = 0
    for row in session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars():
        try:
            signed = cp.parse_note(row.note)
        except InputError as e:
            return count, f"checkpoint {row.id}: {e.message()}"
        reason = _agrees(tree, signed, public_key)
        if reason is not None:
            return count, f"checkpoint {row.id}: {reason}"
        count += 1
    if count == 0:
        return 0, "no signed checkpoint is stored to check the log against"
    return count, None


def verify(session: Session, public_key: bytes | None = None,
           extra: list[cp.SignedCheckpoint] | None = None) -> Report:
    """Run the checks; ``public_key`` adds the signed checkpoints (stored ones and ``extra``,
    e.g. a published copy)."""
    chain = audit.verify(session, collect=True)
    if not chain.ok:
        return Report(chain)
    tampered = check_data(session.connection(), chain.bound)
    if public_key is None:
        return Report(chain, tampered)
    tree = MerkleTree(chain.leaves)
    count, error = _checkpoints(session, tree, public_key)
    for signed in extra or []:
        from intikhab.services.transparency import _agrees

        error = error or _agrees(tree, signed, public_key)
        count += 1
    return Report(chain, tampered, count, error)
