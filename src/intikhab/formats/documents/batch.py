"""Rendering many documents to files, in parallel processes (a region's minutes and records).

Each worker process keeps one Typst compiler (fonts loaded once, and the layouts it has cached
from one document to the next); documents go to the workers in chunks as they are read, so that
reading the database and rendering overlap, and each document is written to its own file
``OUT/<lang>/<path>.pdf``.  A chunk is rendered one language after the other: consecutive
documents of the same language and place share most of their layout.  The bytes of a document
do not depend on the chunk it is in.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from intikhab.formats.documents.render import Document, render

Job = tuple[str, Document]


def write_chunk(jobs: Sequence[Job], langs: Sequence[str], out: Path) -> int:
    """Render and write ``jobs`` in each of ``langs``; returns the number of files written."""
    n = 0
    folders: set[Path] = set()
    for lang in langs:
        for path, doc in jobs:
            target = out / lang / f"{path}.pdf"
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(render(doc, lang))
            n += 1
    return n


def targets(jobs: Sequence[Job], langs: Sequence[str], out: Path) -> list[Path]:
    """The files :func:`write_chunk` writes for ``jobs``."""
    return [out / lang / f"{path}.pdf" for lang in langs for path, _ in jobs]


def _chunks(docs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    it = iter(docs)
    while part := list(islice(it, size)):
        yield part


def write_all(docs: Iterable[Job], langs: Sequence[str], out: Path, jobs: int = 1,
              chunk: int = 100, check: Callable[[list[Path]], None] | None = None) -> int:
    """Write every document in every language, with ``jobs`` processes; returns the count.

    ``docs`` is read as the work goes (at most a few chunks ahead of the workers); ``check``
    sees each chunk's files before any of them is written, and may stop everything by raising
    (what was written before stays)."""
    parts = _chunks(docs, chunk)
    if jobs <= 1:
        n = 0
        for part in parts:
            if check is not None:
                check(targets(part, langs, out))
            n += write_chunk(part, langs, out)
        return n
    ctx = multiprocessing.get_context("spawn")
    n = 0
    pending: deque[Future[int]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        try:
            for part in parts:
                if check is not None:
                    check(targets(part, langs, out))
                pending.append(pool.submit(write_chunk, part, langs, out))
                while len(pending) > 2 * jobs:  # read ahead, but not the whole region
                    n += pending.popleft().result()
            while pending:
                n += pending.popleft().result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return n
