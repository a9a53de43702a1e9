"""The record's integrity on a national night: ``audit verify`` (chain, data, checkpoints) and
the inclusion proofs with stored leaves.

    python benchmarks/integrity.py sqlite:///demo.sqlite demo-keys/checkpoint-signing.pub

Run ``intikhab demo`` first (it writes demo.sqlite and demo-keys/).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from intikhab.records.merkle import MerkleTree
from intikhab.services import integrity, keys, transparency
from intikhab.store import audit
from intikhab.store.db import make_engine, sessions
from intikhab.store.integrity import check_data
from intikhab.store.models import AuditBinding


def main(url: str, public: Path) -> None:
    engine = make_engine(url)
    pub = keys.load_public_key(public)
    with sessions(engine)() as s:
        n_bind = s.scalar(select(func.count()).select_from(AuditBinding))
        t0 = time.perf_counter()
        chain = audit.verify(s, collect=True)
        t1 = time.perf_counter()
        found = check_data(s.connection(), chain.bound)
        t2 = time.perf_counter()
        report = integrity.verify(s, pub)
        t3 = time.perf_counter()
        print(f"records {chain.records:,}, bindings {n_bind:,}, findings {len(found)}, "
              f"ok {report.ok}, checkpoints {report.checkpoints}")
        print(f"chain walk (+ leaves) {t1 - t0:.1f} s; data check {t2 - t1:.1f} s; "
              f"whole audit verify --key {t3 - t2:.1f} s")
        t0 = time.perf_counter()
        leaves = transparency.leaf_hashes(s)
        t1 = time.perf_counter()
        tree = MerkleTree(leaves)
        t2 = time.perf_counter()
        n = tree.size
        idx = [(i * 7919) % n for i in range(2_000)]
        for i in idx:
            tree.inclusion_proof(i)
        t3 = time.perf_counter()
        print(f"tree load: stored leaves {t1 - t0:.2f} s + tree {t2 - t1:.2f} s; "
              f"a proof {1e6 * (t3 - t2) / len(idx):.0f} µs")
        t0 = time.perf_counter()
        transparency.prove(s, n // 2)
        print(f"transparency.prove (load + proof) {time.perf_counter() - t0:.2f} s")
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
