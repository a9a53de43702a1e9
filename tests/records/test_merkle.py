"""The Merkle tree of the transparency log (RFC 9162 §2.1): the cached tree against the RFC's
recursive definitions, and the verification algorithms against honest and tampered proofs."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intikhab.law.errors import InputError
from intikhab.records.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    """MTH as RFC 9162 §2.1.1 defines it, over leaf *data*."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) as RFC 9162 §2.1.3.1 defines it."""
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) as RFC 9162 §2.1.4.1 defines it."""
    if m == len(d):
        return [] if b else [ref_mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def data(n: int) -> list[bytes]:
    return [f"record {i}".encode() for i in range(n)]


def tree(n: int) -> MerkleTree:
    return MerkleTree([leaf_hash(x) for x in data(n)])


def flip(h: bytes, at: int = 0) -> bytes:
    return h[:at] + bytes([h[at] ^ 1]) + h[at + 1:]


sizes = st.integers(min_value=1, max_value=70)


def test_known_answers_rfc9162_2_1_1() -> None:
    """The empty tree hashes to SHA-256 of the empty string; one leaf to SHA-256(0x00 ‖ d)."""
    assert root_of([]) == EMPTY_ROOT == bytes.fromhex(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert root_of([leaf_hash(b"")]) == bytes.fromhex(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32
                                                             ).digest()


@settings(max_examples=60, deadline=None)
@given(sizes)
def test_root_matches_the_rfc9162_definition_for_every_prefix(n: int) -> None:
    d, t = data(n), tree(n)
    for size in range(n + 1):
        assert t.root(size) == ref_mth(d[:size])


@settings(max_examples=40, deadline=None)
@given(sizes)
def test_inclusion_every_leaf_every_size_rfc9162_2_1_3(n: int) -> None:
    """Every leaf of every prefix: the proof is PATH, and §2.1.3.2 accepts it."""
    d, t = data(n), tree(n)
    for size in range(1, n + 1):
        root = t.root(size)
        for m in range(size):
            proof = t.inclusion_proof(m, size)
            assert list(proof) == ref_path(m, d[:size])
            assert verify_inclusion(leaf_hash(d[m]), m, size, proof, root)


@settings(max_examples=40, deadline=None)
@given(sizes)
def test_consistency_every_pair_of_sizes_rfc9162_2_1_4(n: int) -> None:
    """Every pair 0 ≤ m ≤ size ≤ n: the proof is PROOF(m, D[size]), and §2.1.4.2 accepts it."""
    d, t = data(n), tree(n)
    for size in range(n + 1):
        for m in range(size + 1):
            proof = t.consistency_proof(m, size)
            if 0 < m < size:
                assert list(proof) == ref_subproof(m, d[:size], True)
            assert verify_consistency(m, size, t.root(m), t.root(size), proof)


@settings(max_examples=60, deadline=None)
@given(sizes, st.data())
def test_tampered_inclusion_proofs_fail_rfc9162_2_1_3(n: int, draw: st.DataObject) -> None:
    """A flipped byte, another index, another size, a shortened or lengthened path: rejected.
    (Another size is checked against that size's own root: a checkpoint binds size and root
    together, so the RFC's algorithm needs to reject only pairs no honest tree has.)"""
    t = tree(n + 3)
    m = draw.draw(st.integers(0, n - 1))
    leaf, root = t.levels[0][m], t.root(n)
    proof = t.inclusion_proof(m, n)
    assert verify_inclusion(leaf, m, n, proof, root)
    assert not verify_inclusion(flip(leaf), m, n, proof, root)
    assert not verify_inclusion(leaf, m, n, proof, flip(root, 31))
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = flip(bad[i], draw.draw(st.integers(0, 31)))
        assert not verify_inclusion(leaf, m, n, bad, root)
    for other in range(n):
        if other != m:
            assert not verify_inclusion(leaf, other, n, proof, root)
    for size in range(1, n + 4):
        if size != n:
            assert not verify_inclusion(leaf, m, size, proof, t.root(size))
    if proof:
        assert not verify_inclusion(leaf, m, n, proof[:-1], root)
        assert not verify_inclusion(leaf, m, n, proof[1:], root)
    assert not verify_inclusion(leaf, m, n, (*proof, root), root)
    assert not verify_inclusion(leaf, m, n, [p[:-1] for p in proof], root) or not proof
    assert root_from_inclusion(leaf, n, n, proof) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=70), st.data())
def test_tampered_consistency_proofs_fail_rfc9162_2_1_4(n: int, draw: st.DataObject) -> None:
    """A flipped byte, other sizes (with their own roots), a shortened or lengthened path, a
    rewritten prefix: rejected."""
    t = tree(n + 2)
    m = draw.draw(st.integers(1, n - 1))
    old, new = t.root(m), t.root(n)
    proof = t.consistency_proof(m, n)
    assert verify_consistency(m, n, old, new, proof)
    assert not verify_consistency(m, n, flip(old), new, proof)
    assert not verify_consistency(m, n, old, flip(new), proof)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = flip(bad[i], draw.draw(st.integers(0, 31)))
        assert not verify_consistency(m, n, old, new, bad)
    for other in range(1, n + 1):
        if other != m:
            assert not verify_consistency(other, n, t.root(other), new, proof)
    for other in (n + 1, n + 2):
        assert not verify_consistency(m, other, old, t.root(other), proof)
    assert not verify_consistency(n, m, new, old, proof)
    assert not verify_consistency(m, n, old, new, proof[:-1])
    assert not verify_consistency(m, n, old, new, (*proof, new))
    # A log whose first m records were rewritten cannot prove it extends the old tree.
    rewritten = MerkleTree([leaf_hash(b"forged"), *t.levels[0][1:n]])
    assert not verify_consistency(m, n, old, rewritten.root(),
                                  rewritten.consistency_proof(m))


def test_equal_and_empty_sizes_rfc9162_2_1_4() -> None:
    t = tree(5)
    assert verify_consistency(5, 5, t.root(), t.root(), ())
    assert not verify_consistency(5, 5, t.root(), t.root(4), ())
    assert not verify_consistency(5, 5, t.root(), t.root(), (t.root(),))
    assert verify_consistency(0, 5, EMPTY_ROOT, t.root(), ())
    assert not verify_consistency(0, 5, t.root(1), t.root(), ())


def test_out_of_range_requests_carry_a_code() -> None:
    t = tree(4)
    with pytest.raises(InputError) as e:
        t.inclusion_proof(4)
    assert e.value.code == "E-AUD-004"
    with pytest.raises(InputError) as e:
        t.consistency_proof(3, 5)
    assert e.value.code == "E-AUD-005"
    with pytest.raises(InputError) as e:
        t.consistency_proof(5, 4)
    assert e.value.code == "E-AUD-005"
