"""Rendering many documents to files, in parallel processes (a region's minutes and records).

Each worker process keeps one Typst compiler (fonts loaded once); documents go to workers in
chunks, and each document is written to its own file ``OUT/<lang>/<path>.pdf``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from intikhab.formats.documents.render import Document, render

Job = tuple[str, Document]


def write_chunk(jobs: Sequence[Job], langs: Sequence[str], out: Path) -> int:
    """Render and write ``jobs`` in each of ``langs``; returns the number of files written."""
    n = 0
    for lang in langs:
        for path, doc in jobs:
            target = out / lang / f"{path}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render(doc, lang))
            n += 1
    return n


def write_all(docs: Sequence[Job], langs: Sequence[str], out: Path, jobs: int = 1,
              chunk: int = 200) -> int:
    """Write every document in every language, with ``jobs`` processes; returns the count."""
    if jobs <= 1 or len(docs) <= chunk:
        return write_chunk(docs, langs, out)
    chunks = [docs[i:i + chunk] for i in range(0, len(docs), chunk)]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        return sum(pool.map(write_chunk, chunks, [langs] * len(chunks),
                            [out] * len(chunks)))
