"""Documents to PDF bytes with Typst (the ``typst`` package bundles the compiler).

The templates (``templates/*.typ``) are package data; the data goes to them as JSON in
``sys.inputs``.  Fonts: Amiri from the ``fontpkg-amiri`` package for Arabic, and the fonts
Typst embeds (Libertinus Serif, DejaVu Sans Mono) for French, digests and codes — never the
system's fonts, so the same input gives the same bytes on every machine.  The PDF carries no
creation date (``document(date: none)``).

Several documents can be compiled in one PDF (:func:`render_many`): each starts on a new page
with its own page count and digest in the footer — how a whole region is printed quickly.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import segno
import typst

from intikhab.formats.documents.labels import LANGS, label, labels
from intikhab.formats.documents.model import AllocationDocument, BureauDocument, MinuteDocument

Document = MinuteDocument | AllocationDocument | BureauDocument

TEMPLATES = Path(str(files("intikhab.formats.documents") / "templates"))


def font_dir() -> Path:
    """The folder of the Amiri font files shipped by ``fontpkg-amiri``."""
    return Path(str(files("fontpkg_amiri") / "files"))


@cache
def _compiler() -> typst.Compiler:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                        font_paths=[str(font_dir())])
    return typst.Compiler(root=str(TEMPLATES), font_paths=fonts, ignore_system_fonts=True)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG document (one path: quick to embed)."""
    buf = io.BytesIO()
    # A fixed mask pattern: any of the eight gives a valid code, and choosing the best one
    # (ISO/IEC 18004 §7.8.3) costs five times the rest of the encoding.
    segno.make(url, error="m", mask=0, boost_error=False).save(
        buf, kind="svg", border=1, xmldecl=False)
    return buf.getvalue().decode("ascii")


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
    """A document as the templates read it."""
    out: dict[str, Any] = _plain(doc)
    if isinstance(doc, MinuteDocument):
        out |= {"type": "minute", "kind": doc.kind.value, "valid": doc.valid}
    else:
        out["type"] = "bureau" if isinstance(doc, BureauDocument) else "allocation"
    out["qr"] = qr_svg(doc.seal.url)
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
    data = {"lang": lang, "l": labels(lang), "title": title(docs[0], lang),
            "docs": [payload(d) for d in docs]}
    text = json.dumps(data, ensure_ascii=False, default=_json_default)
    pdf = _compiler().compile(input=str(TEMPLATES / "main.typ"), format="pdf",
                              sys_inputs={"data": text}, pdf_tags=False)
    assert isinstance(pdf, bytes)
    return pdf


def render(doc: Document, lang: str = "ar") -> bytes:
    """One document as an A4 PDF, in Arabic (``ar``, right to left) or French (``fr``)."""
    return render_many([doc], lang)
