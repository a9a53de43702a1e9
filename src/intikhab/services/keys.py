"""The commission's checkpoint-signing key pair, kept in files OUTSIDE the database.

Someone who can edit the database can re-hash the audit chain, but cannot forge a checkpoint
without the private key: so the private key lives only in a file (PEM, PKCS#8, mode 0600,
never overwritten), and only the public key (PEM, SubjectPublicKeyInfo) is published.
Keys are handed to ``records/checkpoint.py`` as raw 32-byte Ed25519 keys.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from intikhab.law.errors import InputError

PRIVATE_NAME = "checkpoint-signing.key"
PUBLIC_NAME = "checkpoint-signing.pub"


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode``; never replace an existing file (E-AUD-003)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InputError("E-AUD-003", value=str(path)) from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)  # whatever the umask


def create_key_pair(out_dir: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into ``out_dir``: the private key (mode 0600) and the public
    key (0644).  Refuses (E-AUD-003) when either file exists.  Returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    private, public = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    for path in (private, public):
        if path.exists():
            raise InputError("E-AUD-003", value=str(path))
    key = Ed25519PrivateKey.generate()
    _write_new(private, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()), 0o600)
    _write_new(public, key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo), 0o644)
    return private, public


def _read(path: Path, kind: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("E-AUD-001", value=str(path)) from None
    except OSError as e:
        raise InputError("E-AUD-002", value=str(path), kind=kind, detail=e.strerror) from None


def load_signing_key(path: Path) -> bytes:
    """The raw 32-byte Ed25519 private key of a PEM file (E-AUD-001 missing, E-AUD-002 not
    readable or not an unencrypted Ed25519 private key)."""
    try:
        key = serialization.load_pem_private_key(_read(path, "private"), password=None)
    except (ValueError, TypeError) as e:
        raise InputError("E-AUD-002", value=str(path), kind="private",
                         detail=str(e).splitlines()[0] if str(e) else type(e).__name__) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("E-AUD-002", value=str(path), kind="private",
                         detail=type(key).__name__)
    return key.private_bytes_raw()


def load_public_key(path: Path) -> bytes:
    """The raw 32-byte Ed25519 public key of a PEM file (E-AUD-001, E-AUD-002)."""
    try:
        key = serialization.load_pem_public_key(_read(path, "public"))
    except (ValueError, TypeError) as e:
        raise InputError("E-AUD-002", value=str(path), kind="public",
                         detail=str(e).splitlines()[0] if str(e) else type(e).__name__) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("E-AUD-002", value=str(path), kind="public", detail=type(key).__name__)
    return key.public_bytes_raw()
