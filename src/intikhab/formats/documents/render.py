"""Documents to PDF bytes with Typst (the ``typst`` package bundles the compiler).

The templates (``templates/*.typ``) are package data.  Each process keeps one compiler in a
private folder of its own (:class:`_Typst`): a copy of the templates, the words of each language
(``labels-ar.json``, ``labels-fr.json``, written once), and per document its data
(``data.json``) and its QR code(s) (``qr-0.svg``…).
The data goes to Typst as files rather than ``sys.inputs``: a new ``sys.inputs`` rebuilds Typst's
standard library, and every layout cached from the previous document is then thrown away; with
files, the compiler re-lays out only what the new document changes (about twice as fast).

Fonts: Amiri from the ``fontpkg-amiri`` package for Arabic, and the fonts Typst embeds
(Libertinus Serif, DejaVu Sans Mono) for French, digests and codes — never the system's fonts,
so the same input gives the same bytes on every machine.  The PDF carries no creation date
(``document(date: none)``).

Several documents can be compiled in one PDF (:func:`render_many`): each starts on a new page
with its own page count and digest in the footer.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import typst

from intikhab.formats.documents.labels import LANGS, label, labels
from intikhab.formats.documents.model import AllocationDocument, BureauDocument, MinuteDocument
from intikhab.formats.documents.qr import qr_svg

Document = MinuteDocument | AllocationDocument | BureauDocument

TEMPLATES = Path(str(files("intikhab.formats.documents") / "templates"))


def font_dir() -> Path:
    """The folder of the Amiri font files shipped by ``fontpkg-amiri``."""
    return Path(str(files("fontpkg_amiri") / "files"))


class _Typst:
    """One Typst compiler and its private folder (see the module's docstring); one per process,
    used by one thread at a time."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="intikhab-typst-"))
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)
        for template in TEMPLATES.glob("*.typ"):
            shutil.copyfile(template, self.root / template.name)
        for lang in LANGS:
            (self.root / f"labels-{lang}.json").write_text(
                json.dumps(labels(lang), ensure_ascii=False), encoding="utf-8")
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                            font_paths=[str(font_dir())])
        self.compiler = typst.Compiler(root=str(self.root), font_paths=fonts,
                                       ignore_system_fonts=True)
        self.main = str(self.root / "main.typ")
        self.lock = threading.Lock()
        self.files: dict[str, int] = {}

    def _write(self, name: str, content: bytes) -> None:
        """Replace the content of file ``name`` (kept open: truncating a file that is opened
        again costs a hundred times more on some file systems)."""
        fd = self.files.get(name)
        if fd is None:
            fd = self.files[name] = os.open(self.root / name, os.O_RDWR | os.O_CREAT, 0o600)
        os.pwrite(fd, content, 0)
        os.ftruncate(fd, len(content))

    def pdf(self, data: bytes, qrs: Sequence[bytes]) -> bytes:
        with self.lock:
            self._write("data.json", data)
            for i, svg in enumerate(qrs):
                self._write(f"qr-{i}.svg", svg)
            pdf = self.compiler.compile(input=self.main, format="pdf", pdf_tags=False)
        assert isinstance(pdf, bytes)
        return pdf


@cache
def _compiler() -> _Typst:
    return _Typst()


@lru_cache(maxsize=512)
def _qr(url: str) -> bytes:
    """The QR code of ``url`` (kept for the same document's other language)."""
    return qr_svg(url).encode("ascii")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """A model as JSON values (``dataclasses.asdict`` without its deep copies)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(getattr(value, k)) for k in _names(type(value))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def payload(doc: Document) -> dict[str, Any]:
    """A document as the templates read it (its QR code aside: see :func:`render_many`)."""
    out: dict[str, Any] = _plain(doc)
    if isinstance(doc, MinuteDocument):
        out |= {"type": "minute", "kind": doc.kind.value, "valid": doc.valid}
    else:
        out["type"] = "bureau" if isinstance(doc, BureauDocument) else "allocation"
    return out


def title(doc: Document, lang: str) -> str:
    key = (doc.kind.value + "_title" if isinstance(doc, MinuteDocument) else
           "bureau_title" if isinstance(doc, BureauDocument) else "allocation_title")
    return label(key, lang)


def render_many(docs: Sequence[Document], lang: str = "ar") -> bytes:
    """Several documents in one A4 PDF, each from a new page with its own page numbers."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if not docs:
        raise ValueError("no document to render")
    items = [payload(doc) | {"qr": f"qr-{i}.svg"} for i, doc in enumerate(docs)]
    qrs = [_qr(doc.seal.url) for doc in docs]
    data = {"lang": lang, "title": title(docs[0], lang), "docs": items}
    text = json.dumps(data, ensure_ascii=False, default=_json_default)
    return _compiler().pdf(text.encode(), qrs)


def render(doc: Document, lang: str = "ar") -> bytes:
    """One document as an A4 PDF, in Arabic (``ar``, right to left) or French (``fr``)."""
    return render_many([doc], lang)
