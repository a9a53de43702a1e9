"""The published results site on disk: its folder, its signed manifest, what changed since the
previous publication, and the check a journalist runs (``intikhab publish verify``).

- :func:`prepare` refuses a folder that is neither empty nor a previous publication
  (``E-PUB-001``) and a private key inside it (``E-PUB-002``): nothing is ever destroyed, and
  the private key is never published.
- :class:`SiteWriter` writes a file only when its bytes differ from the previous manifest's
  entry (so a re-publication touches only what changed), records every file in the new
  manifest, removes the files the previous manifest listed and this one no longer produces,
  then writes ``manifest.json``, its signed note ``manifest.json.sig``, and ``live.json``.
- :func:`touched_since` reads in the audit log which constituencies were declared (or ruled on
  by a court) since the manifest's log size: a declaration is audited in the same transaction
  (``result.declare``), so the log says exactly which addresses a new publication renews; an
  ``import.bundle`` renews everything; a council's bureau (``bureau.*``) renews its council's
  pages, a prefecture council declared (``indirect.declare``) the home page.
- :func:`verify` checks a folder against its signed manifest (no database).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from intikhab.law.errors import InputError, IntikhabError
from intikhab.records import manifest as mf
from intikhab.records.checkpoint import public_key_of
from intikhab.services import keys, web_support

PUBLIC_KEY = "public-key.pem"
CHECKPOINT = "checkpoint.txt"
#: What changes the public pages: a declaration, a court's ruling, an import, a council's bureau
#: (its page says who governs it), a prefecture or province council declared (the home page
#: counts its seats).
WATCHED = ("result.declare", "dispute.rule", "import.bundle", "bureau.formed", "bureau.pending",
           "indirect.declare")


def prepare(out: Path, key: Path | None) -> mf.Manifest | None:
    """Check the folder ``out`` before anything is written; returns its previous manifest
    (``None`` for a new or empty folder)."""
    if key is not None and key.resolve().is_relative_to(out.resolve()):
        raise InputError("E-PUB-002", field="--key", value=str(key))
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return None
    if not (out / mf.MANIFEST).is_file():
        raise InputError("E-PUB-001", field="OUT", value=str(out))
    return read_manifest(out)


def read_manifest(out: Path) -> mf.Manifest:
    try:
        return mf.parse_manifest((out / mf.MANIFEST).read_bytes())
    except OSError as e:
        raise InputError("E-PUB-003", detail=f"{out / mf.MANIFEST}: {e.strerror}") from None


def touched_since(session: Session, after: int) -> tuple[int, set[str] | None, bool]:
    """The audit log's size now, the constituencies declared (or ruled on, or whose council
    elected its bureau) in the records ``after < seq`` — ``None``: everything (an import of a
    bundle) — and whether anything public moved at all (a prefecture council declared, a
    prefecture council's bureau: the home page only)."""
    top = web_support.last_audit_seq(session)
    seen = web_support.audit_since(session, after, top, WATCHED)
    if any(action == "import.bundle" for _, action, _ in seen):
        return top, None, True
    out = {entity for _, action, entity in seen if action == "result.declare"}
    cases = [entity for _, action, entity in seen if action == "dispute.rule"]
    if cases:
        out |= web_support.constituencies_of_cases(session, cases)
    bureaus = {entity for _, action, entity in seen if action.startswith("bureau.")}
    if bureaus:
        out |= web_support.constituencies_of_councils(session, bureaus)
    return top, out, bool(seen)


def public_pem(private_key: bytes) -> bytes:
    """The PEM of the public half of a raw Ed25519 private key (what ``keys init`` writes)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(public_key_of(private_key)).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _safe(rel: str) -> str:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a relative path inside the site: {rel!r}")
    return rel


@dataclass
class SiteWriter:
    """Writes a publication into ``out`` (see the module's docstring)."""

    out: Path
    previous: mf.Manifest | None
    files: dict[str, mf.Entry] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def put(self, rel: str, data: bytes) -> bool:
        """Record ``rel`` with ``data``; write it only when it differs from the previous
        manifest (or the file is not there).  Returns whether it was written."""
        entry = mf.entry_of(data)
        self.files[_safe(rel)] = entry
        path = self.out / rel
        old = self.previous.files.get(rel) if self.previous else None
        if old == entry and path.is_file() and path.stat().st_size == entry.size:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # a reader never sees half a file
        self.written.append(rel)
        return True

    def keep(self, rel: str) -> None:
        """Carry the previous manifest's entry for ``rel`` (a file this run did not renew)."""
        if self.previous is not None and rel in self.previous.files:
            self.files[rel] = self.previous.files[rel]

    def keep_all_but(self, renewed: Iterable[str], dropped: Iterable[str] = ()) -> None:
        """Carry every previous entry but ``renewed`` (already put) and ``dropped`` (removed)."""
        skip = set(renewed) | set(dropped)
        for rel in (self.previous.files if self.previous else {}):
            if rel not in skip and rel not in self.files:
                self.keep(rel)

    def finish(self, origin: str, log_size: int, checkpoint_size: int | None,
               private_key: bytes, when: datetime | None = None) -> mf.Manifest:
        """Remove what the previous manifest listed and this one does not; write the manifest,
        its signature and ``live.json``.  Returns the new manifest."""
        for rel in sorted(set(self.previous.files if self.previous else ()) - set(self.files)):
            (self.out / rel).unlink(missing_ok=True)
            self.removed.append(rel)
        manifest = mf.Manifest(origin, (when or datetime.now(UTC)).replace(microsecond=0),
                               log_size, checkpoint_size, dict(self.files))
        data = manifest.to_bytes()
        note = mf.sign(manifest, data, private_key)
        live = json.dumps({"manifest": hashlib.sha256(data).hexdigest(),
                           "log_size": log_size}).encode()
        for name, blob in ((mf.MANIFEST, data), (mf.SIGNATURE, note.encode()), (mf.LIVE, live)):
            tmp = self.out / f".{name}.tmp"
            tmp.write_bytes(blob)
            os.replace(tmp, self.out / name)
        return manifest


# --------------------------------------------------------------------------------------------
# verification


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``publish verify`` found: the signature, the files, the key used."""

    signature_ok: bool
    comparison: mf.Comparison
    key: Path
    quick: bool  # the key beside the site (a quick check), not one obtained from the commission
    files: int

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.comparison.ok


def scan(out: Path) -> dict[str, mf.Entry]:
    """Every file under ``out`` (but the unlisted manifest files) with its digest and size."""
    found: dict[str, mf.Entry] = {}
    for path in _walk(out):
        rel = path.relative_to(out).as_posix()
        if rel not in mf.UNLISTED:
            found[rel] = mf.entry_of(path.read_bytes())
    return found


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            yield Path(dirpath) / name


def verify(out: Path, key: Path | None = None) -> Verification:
    """Check ``out`` against its signed manifest with the public key ``key`` (default: the
    key published beside the site — a quick check).  Unreadable: E-PUB-003, E-AUD-001/002."""
    if not (out / mf.MANIFEST).is_file():
        raise InputError("E-PUB-006", field="OUT", value=str(out))
    data = (out / mf.MANIFEST).read_bytes()
    manifest = mf.parse_manifest(data)
    try:
        note = mf.parse_note((out / mf.SIGNATURE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("E-PUB-003", detail=f"{mf.SIGNATURE}: {e}") from None
    used = key or out / PUBLIC_KEY
    try:
        public = keys.load_public_key(used)
    except InputError:
        if key is not None:
            raise  # the careful verifier's own key file: unreadable is E-AUD-001/002
        public = None  # the key beside the site was altered: no signature holds, and the
        # comparison below names the changed file
    signature_ok = (public is not None and mf.note_holds(note, public)
                    and note.digest == hashlib.sha256(data).hexdigest()
                    and note.count == len(manifest.files)
                    and note.name == mf.key_name(manifest.origin))
    return Verification(signature_ok, mf.compare(manifest, scan(out)), used, key is None,
                        len(manifest.files))


def verification_findings(v: Verification) -> list[IntikhabError]:
    """The coded findings of a failed verification, one per file."""
    out: list[IntikhabError] = []
    if not v.signature_ok:
        out.append(IntikhabError("E-PUB-004", value=str(v.key)))
    for kind, paths in (("changed", v.comparison.changed), ("missing", v.comparison.missing),
                        ("extra", v.comparison.extra)):
        out += [IntikhabError("E-PUB-005", field=p, value=p, detail=kind) for p in paths]
    return out
