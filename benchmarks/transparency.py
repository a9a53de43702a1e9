"""Benchmark of the transparency log: Merkle root and proofs over 200,000 audit records.

Run from the repository root::

    .venv/bin/python benchmarks/transparency.py              # 200,000 records (about a minute)
    .venv/bin/python benchmarks/transparency.py --n 20000    # smaller

Pure part: leaf bytes and hashes of ``n`` audit records, the cached tree, the root, inclusion
and consistency proofs and their verification.  Database part (SQLite file in a temporary
directory): the whole chain written in one transaction, the tree recomputed from the table,
a checkpoint signed (chain walk included) and one proof bundle built from scratch.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from intikhab.records import checkpoint as cp
from intikhab.records.merkle import MerkleTree, leaf_hash, verify_consistency, verify_inclusion


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def records(n: int) -> list[dict[str, Any]]:
    t0 = datetime(2021, 9, 8, 19)
    return [{"seq": i + 1, "at": (t0 + timedelta(microseconds=37 * i)).isoformat(),
             "actor": f"clerk{i % 400}", "role": "clerk", "action": "minute.accept",
             "entity": f"S{i:06d}:communal", "before_digest": None, "after_digest": f"{i:064x}",
             "prev_hash": f"{i + 1:064x}", "hash": f"{i + 2:064x}"} for i in range(n)]


def pure(n: int, rows: list[tuple[str, str]]) -> None:
    recs = records(n)
    t_leaves, leaves = timed(lambda: [leaf_hash(cp.leaf_bytes(r)) for r in recs])
    t_tree, tree = timed(lambda: MerkleTree(leaves))
    t_root, root = timed(tree.root)
    rng = random.Random(1)
    idx = [rng.randrange(n) for _ in range(1000)]
    proofs = []
    t = time.perf_counter()
    for i in idx:
        proofs.append(tree.inclusion_proof(i))
    t_incl = (time.perf_counter() - t) / len(idx)
    t = time.perf_counter()
    assert all(verify_inclusion(leaves[i], i, n, p, root) for i, p in zip(idx, proofs,
                                                                         strict=True))
    t_vincl = (time.perf_counter() - t) / len(idx)
    olds = [rng.randrange(1, n) for _ in range(1000)]
    t = time.perf_counter()
    cons = [tree.consistency_proof(m) for m in olds]
    t_cons = (time.perf_counter() - t) / len(olds)
    t = time.perf_counter()
    assert all(verify_consistency(m, n, tree.root(m), root, c) for m, c in zip(olds, cons,
                                                                               strict=True))
    t_vcons = (time.perf_counter() - t) / len(olds)
    rows += [
        ("leaf bytes + leaf hashes (canonical JSON, SHA-256)", f"{t_leaves * 1e3:,.0f} ms"),
        ("tree of cached subtrees (n − 1 node hashes)", f"{t_tree * 1e3:,.0f} ms"),
        ("root from the cached tree", f"{t_root * 1e6:,.0f} µs"),
        ("inclusion proof (mean of 1,000)", f"{t_incl * 1e6:,.1f} µs, "
                                            f"{statistics.mean(map(len, proofs)):.1f} hashes"),
        ("inclusion proof verification (mean)", f"{t_vincl * 1e6:,.1f} µs"),
        ("consistency proof (mean of 1,000)", f"{t_cons * 1e6:,.1f} µs"),
        ("consistency proof verification (mean, old root included)", f"{t_vcons * 1e6:,.1f} µs"),
    ]


def database(n: int, rows: list[tuple[str, str]]) -> None:
    from intikhab.services import transparency
    from intikhab.store import audit
    from intikhab.store.db import make_engine, migrate, sessions

    key = Ed25519PrivateKey.generate().private_bytes_raw()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        migrate(engine)
        Sessions = sessions(engine)

        def fill() -> None:
            with Sessions.begin() as s:
                chain = audit.Chain(s)
                for i in range(n):
                    chain.append(actor=f"clerk{i % 400}", role="clerk", action="minute.accept",
                                 entity=f"S{i:06d}:communal", after=f"{i:064x}")
                chain.flush()

        t_fill, _ = timed(fill)
        with Sessions() as s:
            t_tree, _ = timed(lambda: transparency.log_tree(s))
        with Sessions.begin() as s:
            t_sign, _ = timed(lambda: transparency.sign_checkpoint(s, key))
        with Sessions.begin() as s:
            t_fast, _ = timed(lambda: transparency.sign_checkpoint(s, key, verify_chain=False))
        with Sessions() as s:
            t_prove, _ = timed(lambda: transparency.prove(s, n // 2))
        engine.dispose()
    rows += [
        (f"SQLite: write {n:,} chained audit records (one transaction)", f"{t_fill:,.1f} s"),
        ("SQLite: tree recomputed from the audit_log table", f"{t_tree:,.2f} s"),
        ("SQLite: sign a checkpoint, chain walk included", f"{t_sign:,.2f} s"),
        ("SQLite: sign a checkpoint, no chain walk", f"{t_fast:,.2f} s"),
        ("SQLite: one proof bundle from scratch (tree recomputed)", f"{t_prove:,.2f} s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="number of audit records")
    parser.add_argument("--no-db", action="store_true", help="skip the database part")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    pure(args.n, rows)
    if not args.no_db:
        database(args.n, rows)
    print(f"| transparency log, {args.n:,} records | time |\n|---|---|")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
