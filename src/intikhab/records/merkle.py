"""The Merkle tree of a transparency log (RFC 9162 §2.1), its inclusion and consistency proofs.

The tree hash over ``n`` leaves (§2.1.1): ``MTH({}) = SHA-256()``, ``MTH({d0}) =
SHA-256(0x00 ‖ d0)`` and, for ``n > 1`` with ``k`` the largest power of two smaller than ``n``,
``MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))``.  The prefixes 0x00 and 0x01 keep a
leaf from passing as an interior node.

:class:`MerkleTree` keeps every complete, aligned subtree (``levels[h][j]`` is the hash of
leaves ``j·2^h … (j+1)·2^h − 1``): built once in ``n − 1`` hashes, it gives the root of any
prefix and any proof in ``O(log² n)`` hash look-ups, because every subtree the RFC's recursion
visits is either such a complete subtree or splits into them.

Generation follows §2.1.3.1 (``PATH``) and §2.1.4.1 (``PROOF``/``SUBPROOF``); verification follows
the step-by-step algorithms of §2.1.3.2 and §2.1.4.2, which need only the proof, never the tree.

Pure module: standard library only, no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from intikhab.law.errors import InputError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 ‖ data)``: the hash of one leaf (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)``: an interior node (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n > 1``)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """The tree over a list of leaf hashes, with every complete aligned subtree cached."""

    __slots__ = ("levels",)

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        levels: list[list[bytes]] = [list(leaf_hashes)]
        sha = hashlib.sha256
        while len(levels[-1]) > 1:
            lv = levels[-1]
            levels.append([sha(b"\x01" + a + b).digest() for a, b in zip(lv[0::2], lv[1::2],
                                                                          strict=False)])
        self.levels = levels

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def _mth(self, start: int, end: int) -> bytes:
        """``MTH(D[start:end])`` for a range the RFC's recursion visits (``start`` aligned)."""
        n = end - start
        if n & (n - 1) == 0:  # a complete subtree: cached
            height = n.bit_length() - 1
            return self.levels[height][start >> height]
        k = _split(n)
        return node_hash(self._mth(start, start + k), self._mth(start + k, end))

    def _size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise InputError("E-AUD-005", field="size", old=size, new=size, size=self.size)
        return size

    def root(self, size: int | None = None) -> bytes:
        """The tree hash of the first ``size`` leaves (default: all of them)."""
        n = self._size(size)
        return EMPTY_ROOT if n == 0 else self._mth(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> tuple[bytes, ...]:
        """``PATH(index, D[size])`` (RFC 9162 §2.1.3.1), the leaf's sibling first."""
        n = self._size(size)
        if not 0 <= index < n:
            raise InputError("E-AUD-004", field="record", value=index + 1, size=n)
        path: list[bytes] = []
        start, end = 0, n
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._mth(start + k, end))
                end = start + k
            else:
                path.append(self._mth(start, start + k))
                start += k
        return tuple(reversed(path))

    def consistency_proof(self, old: int, new: int | None = None) -> tuple[bytes, ...]:
        """``PROOF(old, D[new])`` (RFC 9162 §2.1.4.1); empty when ``old`` is 0 or ``new``."""
        n = self._size(new)
        if not 0 <= old <= n:
            raise InputError("E-AUD-005", field="size", old=old, new=n, size=self.size)
        if old in (0, n):
            return ()
        path: list[bytes] = []
        start, end, complete = 0, n, True  # SUBPROOF(m, D[start:end], complete)
        m = old
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self._mth(start + k, end))
                end = start + k
            else:
                path.append(self._mth(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            path.append(self._mth(start, end))
        return tuple(reversed(path))


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """The tree hash over the given leaf hashes."""
    return MerkleTree(leaf_hashes).root()


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    """Right-shift ``fn`` and ``sn`` together until ``fn``'s low bit is set or ``fn`` is 0."""
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def root_from_inclusion(leaf: bytes, index: int, size: int,
                        proof: Sequence[bytes]) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2, steps 1–4), or ``None``
    when the proof cannot be one for ``index`` in a tree of ``size`` leaves."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shift_while_even(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """Whether ``proof`` shows the leaf hash ``leaf`` at ``index`` in the tree of ``size``
    leaves whose hash is ``root`` (RFC 9162 §2.1.3.2)."""
    return root_from_inclusion(leaf, index, size, proof) == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` shows the tree of ``old_size`` leaves (hash ``old_root``) is a prefix
    of the tree of ``new_size`` leaves (hash ``new_root``): RFC 9162 §2.1.4.2.  The two cases
    the RFC leaves to the caller: equal sizes need equal roots and an empty proof; an empty
    old tree is a prefix of any tree (its root must be the empty hash)."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of 2: the old root is a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _shift_while_even(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
