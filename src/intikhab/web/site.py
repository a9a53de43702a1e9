"""The published site's addresses, and serving the portal from it (``intikhab serve --site``).

The application's public addresses map to files: Arabic at the root, French under ``fr/``
(``?lang=fr`` in the application)::

    /                              index.html             fr/index.html
    /council/<id>                  council/<id>/index.html
    /search                        search/index.html
    /search?region=<id>            search/region/<id>/index.html
    /search?province=<id>          search/province/<id>/index.html

Links inside the published pages are rewritten to those files' folders (``/council/<id>/``,
``/fr/council/<id>/``), rooted: the site is served at the root of its host.  The free-text
search (``/search?q=…``), the figures in Eastern Arabic digits (a cookie), logging in and every
other screen stay with the application.

:class:`StaticSite` is a pure ASGI middleware in front of the application: an anonymous GET
(or HEAD) of a public address is answered from the file (``?lang=`` or the ``lang`` cookie
choose the language), everything else goes to the application.  No cache of its own, no
warm-up, nothing keyed by ``Host``: the files are the cache, the same for every worker.
"""

from __future__ import annotations

import re
from html import escape, unescape
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

TYPES: Final = {".html": "text/html; charset=utf-8", ".json": "application/json",
                ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf",
                ".svg": "image/svg+xml", ".css": "text/css", ".js": "text/javascript",
                ".ttf": "font/ttf", ".pem": "application/x-pem-file",
                ".txt": "text/plain; charset=utf-8", ".sig": "text/plain; charset=utf-8"}
NO_CACHE: Final = frozenset({"live.json", "manifest.json", "manifest.json.sig"})


def file_of(path: str, query: str | list[tuple[str, str]], lang_cookie: str = "") -> str | None:
    """The file (relative to the site) of an application address, or ``None`` when the
    application must answer it."""
    params = parse_qsl(query) if isinstance(query, str) else query
    q = dict(params)
    lang = q.pop("lang", "") or lang_cookie
    if lang not in ("", "ar", "fr"):
        return None
    prefix = "fr/" if lang == "fr" else ""
    if path.startswith("/fr/") or path == "/fr":  # already a file address
        prefix, path = "fr/", path[3:] or "/"
    if path in ("/", ""):
        return prefix + "index.html" if not q else None
    parts = path.strip("/").split("/")
    if parts[0] == "council" and len(parts) > 1 and not q and ".." not in parts:
        return prefix + "/".join(parts) + "/index.html"
    if parts[0] == "search" and len(parts) == 1:
        if not q:
            return prefix + "search/index.html"
        kind, value = next(iter(q.items()))
        if len(q) == 1 and kind in ("region", "province") and _plain(value):
            return f"{prefix}search/{kind}/{value}/index.html"
        return None
    if parts[0] == "search" and len(parts) == 3 and parts[1] in ("region", "province"):
        return prefix + "/".join(parts) + "/index.html"
    return None


def _plain(value: str) -> bool:
    return bool(value) and "/" not in value and ".." not in value


def href_of(file: str) -> str:
    """The rooted address that serves ``file`` (``council/X/index.html`` → ``/council/X/``)."""
    return "/" + file.removesuffix("index.html")


def static_url(url: str, base: str) -> str:
    """An application link as the published site writes it (unchanged when the application
    must answer it)."""
    absolute = base and url.startswith(base.rstrip("/") + "/")
    rel = url[len(base.rstrip("/")):] if absolute else url
    if not rel.startswith("/") or rel.startswith("//"):
        return url
    parts = urlsplit(rel)
    path, query = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    if path.startswith("/lang/") and path[6:] in ("ar", "fr"):
        target = dict(query).get("next", "/")
        inner = urlsplit(target)
        kept = [(k, v) for k, v in parse_qsl(inner.query) if k != "lang"]
        if path[6:] == "fr":
            kept.append(("lang", "fr"))
        found = file_of(inner.path, kept)
    else:
        found = file_of(path, [(k, v) for k, v in query if v or k != "q"])
    if found is None:
        return url
    return (base.rstrip("/") if absolute else "") + href_of(found)


_LINK = re.compile(r'(href|action)="([^"]*)"')
_SHARE = re.compile(r'(<a class="share" href=")([^"]*)(">)([^<]*)(</a>)')


def rewrite(html: str, base: str, lang: str) -> str:
    """A page as the application rendered it, with its links to the site's files, the maps in
    its menu and the live-update script (from ``/static``: no inline script)."""
    def link(m: re.Match[str]) -> str:
        if m.group(1) == "action":
            return m.group(0)
        return f'{m.group(1)}="{escape(static_url(unescape(m.group(2)), base))}"'

    def share(m: re.Match[str]) -> str:
        url = escape(static_url(unescape(m.group(2)), base))
        return f"{m.group(1)}{url}{m.group(3)}{url}{m.group(5)}"

    html = _SHARE.sub(share, html)
    html = _LINK.sub(link, html)
    maps = "/maps/" if lang == "ar" else "/fr/maps/"
    label = "الخرائط" if lang == "ar" else "Cartes"
    html = html.replace("<nav>", f'<nav>\n    <a href="{maps}">{label}</a>', 1)
    return html.replace("</body>", '<script src="/static/site-live.js" defer></script>\n</body>', 1)


class StaticSite:
    """Pure ASGI: anonymous GETs of public addresses from the published files (see the
    module's docstring); the rest to the application."""

    def __init__(self, app: ASGIApp, root: Path, session_cookie: str) -> None:
        self.app = app
        self.root = root.resolve()
        self.session_cookie = session_cookie
        self.served = self.passed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = self._target(scope) if scope["type"] == "http" else None
        if target is None:
            self.passed += 1
            await self.app(scope, receive, send)
            return
        self.served += 1
        name = target.name
        headers = {"Cache-Control": "no-cache" if name in NO_CACHE else "public, max-age=5"}
        response: Response = FileResponse(target, headers=headers,
                                          media_type=TYPES.get(target.suffix))
        await response(scope, receive, send)

    def _target(self, scope: Scope) -> Path | None:
        if scope["method"] not in ("GET", "HEAD"):
            return None
        cookies: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name == b"authorization":
                return None
            if name == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    k, _, v = part.strip().partition("=")
                    cookies[k] = v
        if self.session_cookie in cookies or cookies.get("digits") == "eastern":
            return None
        path: str = scope["path"]
        query = scope["query_string"].decode("latin-1")
        rel = file_of(path, query, cookies.get("lang", ""))
        if rel is None and not query and ".." not in path:
            rel = path.lstrip("/")  # a file of the site itself (data, records, maps, static)
            if rel.endswith("/") or rel == "":
                rel += "index.html"
        if rel is None:
            return None
        found = (self.root / rel).resolve()
        if not found.is_relative_to(self.root) or not found.is_file():
            return None
        return found
