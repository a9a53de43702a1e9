"""The maps' simplified outlines (``services.maps.geometry``) kept on disk between processes.

Simplifying the boundaries takes seconds of a core, and every ``intikhab publish`` (a new
process each time) draws the maps: the result is stored as JSON under
``$INTIKHAB_CACHE_DIR`` (default ``$XDG_CACHE_HOME/intikhab``, else ``~/.cache/intikhab``),
named by a digest of what it is computed from — the boundary files (name, size, modification
time), shapely's and GEOS's versions, the tolerance and the projection — so a new version of
any of them computes it afresh.  A cache that cannot be read or written is ignored: the
outlines are then computed, as without it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intikhab.services.maps import Geometry, MapLevel

FORMAT = 2


def cache_dir() -> Path:
    base = os.environ.get("INTIKHAB_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "intikhab"


def _key(level: str) -> str:
    """The boundary files' names, sizes and times, the tolerance and the shapely release
    (whose wheel carries its GEOS) — read without importing shapely, which costs a
    publication more than the cached outlines save."""
    from importlib.metadata import version

    from intikhab.services import maps

    data = maps._data_dir()
    files = [data / "Maroc.json", *sorted((data / "region").glob("*.json"))]  # maps.features
    parts: list[Any] = [FORMAT, level, maps.TOLERANCE, maps._SCALE, version("shapely")]
    for p in files:
        st = p.stat()
        parts.append((p.relative_to(data).as_posix(), st.st_size, st.st_mtime_ns))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def _encode(geo: Geometry) -> str:
    return json.dumps({"width": geo.width, "height": geo.height,
                       "areas": [[a.code, a.name_ar, a.name_fr, a.path, list(a.label_at)]
                                 for a in geo.areas]}, ensure_ascii=False)


def _decode(text: str) -> Geometry:
    from intikhab.services.maps import Area, Geometry

    doc = json.loads(text)
    return Geometry(tuple(Area(code, ar, fr, path, (float(x), float(y)))
                          for code, ar, fr, path, (x, y) in doc["areas"]),
                    float(doc["width"]), float(doc["height"]))


def load(level: MapLevel, build: Callable[[MapLevel], Geometry]) -> Geometry:
    """The geometry of ``level`` from the cache, else ``build(level)`` (then stored)."""
    try:
        path: Path | None = cache_dir() / f"map-{level}-{_key(level)}.json"
    except (OSError, ValueError):
        path = None
    if path is not None:
        try:
            return _decode(path.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    geo = build(level)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(_encode(geo), "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return geo
