"""The manifest of a published results site and its signature (pure: no I/O).

A publication (``intikhab publish``) is a folder of static files — the public pages, the data
files, the allocation records' PDFs, the maps — and ``manifest.json``, which lists every file
with its SHA-256 and size, the audit log's size when the site was built and the latest signed
checkpoint's size.  The manifest is signed with the commission's Ed25519 key (the key of the
audit checkpoints, ``records/checkpoint.py``) as a C2SP *signed note*, in
``manifest.json.sig``::

    intikhab/<election>/publication          ← key name (the log's origin + "/publication")
    sha256 <hex SHA-256 of manifest.json>
    files <number of files listed>
    time 2021-09-09T01:02:03Z

    — intikhab/<election>/publication <base64(key id ‖ Ed25519 signature of the 4 lines)>

Anyone with the public key checks the note, then the manifest's bytes against the note's
digest, then every file against the manifest (:func:`compare`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from intikhab.law.errors import InputError
from intikhab.records.checkpoint import TIME_FORMAT, key_id

FORMAT: Final = "intikhab/publication/v1"
MANIFEST: Final = "manifest.json"
SIGNATURE: Final = "manifest.json.sig"
LIVE: Final = "live.json"  # the newest manifest's digest, polled by the pages (not listed)
UNLISTED: Final = frozenset({MANIFEST, SIGNATURE, LIVE})
_DASH: Final = "\u2014"


class Entry(NamedTuple):
    """One published file: its SHA-256 (hex) and its size in bytes (a named tuple: a national
    manifest reads some 50,000 of them at each publication)."""

    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a publication holds: ``files`` by relative path (``/``-separated)."""

    origin: str
    generated: datetime
    log_size: int
    checkpoint_size: int | None
    files: Mapping[str, Entry] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """``json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)`` and a newline —
        the files' part written line by line (the same bytes, without the pure-Python
        indenting encoder: a national site lists some 22,000 files)."""
        doc = {"format": FORMAT, "origin": self.origin,
               "generated": self.generated.strftime(TIME_FORMAT), "log_size": self.log_size,
               "checkpoint_size": self.checkpoint_size, "files": {}}
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if self.files:
            files = ",\n".join(
                f'  {_quoted(p)}: {{\n   "sha256": '
                f'{_quoted(e.sha256)},\n   "size": {int(e.size)}\n  }}'
                for p, e in sorted(self.files.items()))
            text = text.replace('\n "files": {},', '\n "files": {\n' + files + '\n },', 1)
        return text.encode()


_ESCAPED: Final = re.compile(r'["\\\x00-\x1f]')


def _quoted(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without the call for a plain path or digest."""
    return f'"{text}"' if _ESCAPED.search(text) is None else json.dumps(text, ensure_ascii=False)


def _bad(detail: str) -> InputError:
    return InputError("E-PUB-003", detail=detail)


def entry_of(data: bytes) -> Entry:
    return Entry(hashlib.sha256(data).hexdigest(), len(data))


def parse_manifest(data: bytes) -> Manifest:
    """Read ``manifest.json`` (E-PUB-003 when it is not one)."""
    try:
        doc: Any = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise _bad(f"not a manifest of format {FORMAT}")
        files = {str(p): Entry(str(e["sha256"]), int(e["size"]))
                 for p, e in dict(doc["files"]).items()}
        cps = doc.get("checkpoint_size")
        return Manifest(str(doc["origin"]), datetime.strptime(doc["generated"], TIME_FORMAT),
                        int(doc["log_size"]), None if cps is None else int(cps), files)
    except (ValueError, KeyError, TypeError) as e:
        raise _bad(f"malformed manifest: {e}") from None


def key_name(origin: str) -> str:
    return f"{origin}/publication"


def _body(name: str, digest: str, count: int, when: datetime) -> bytes:
    return f"{name}\nsha256 {digest}\nfiles {count}\ntime {when.strftime(TIME_FORMAT)}\n".encode()


def sign(manifest: Manifest, data: bytes, private_key: bytes) -> str:
    """The signed note of ``data`` (the manifest's bytes) with the raw Ed25519 private key."""
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    name = key_name(manifest.origin)
    body = _body(name, hashlib.sha256(data).hexdigest(), len(manifest.files), manifest.generated)
    raw = key_id(name, key.public_key().public_bytes_raw()) + key.sign(body)
    return f"{body.decode()}\n{_DASH} {name} {base64.b64encode(raw).decode()}\n"


@dataclass(frozen=True, slots=True)
class Note:
    name: str
    digest: str
    count: int
    body: bytes
    key_id: bytes
    signature: bytes


def parse_note(text: str) -> Note:
    """Read ``manifest.json.sig`` (E-PUB-003 when it is not a publication note)."""
    body, sep, sig_line = text.partition(f"\n\n{_DASH} ")
    lines = body.split("\n")
    if (not sep or len(lines) != 4 or not lines[1].startswith("sha256 ")
            or not lines[2].startswith("files ") or not lines[3].startswith("time ")):
        raise _bad("not a publication note (name, sha256, files, time, signature)")
    name, _, sig = sig_line.rstrip("\n").partition(" ")
    try:
        raw = base64.b64decode(sig, validate=True)
        count = int(lines[2][6:])
    except (binascii.Error, ValueError):
        raise _bad("malformed signature or file count") from None
    if name != lines[0] or len(raw) != 68:
        raise _bad("malformed signature line")
    return Note(name, lines[1][7:], count, (body + "\n").encode(), raw[:4], raw[4:])


def note_holds(note: Note, public_key: bytes) -> bool:
    """Whether the note was signed by the private half of the raw 32-byte ``public_key``."""
    if len(public_key) != 32 or note.key_id != key_id(note.name, public_key):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(note.signature, note.body)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Comparison:
    """Files that differ from the manifest: changed (digest or size), missing, extra."""

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)


def compare(manifest: Manifest, found: Mapping[str, Entry]) -> Comparison:
    """Compare the files ``found`` (path → entry; the unlisted manifest files excluded) with
    the manifest."""
    listed = manifest.files
    changed = tuple(sorted(p for p, e in found.items() if p in listed and listed[p] != e))
    missing = tuple(sorted(p for p in listed if p not in found))
    extra = tuple(sorted(p for p in found if p not in listed))
    return Comparison(changed, missing, extra)
