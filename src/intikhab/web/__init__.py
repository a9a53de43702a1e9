"""The web application and REST API (``intikhab serve``): ``create_app`` in ``web.app``.

Imported lazily: ``intikhab publish`` renders the public pages with ``web.pages.public`` and
needs neither the application nor its API (a second of imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intikhab.web.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from intikhab.web import app

        return getattr(app, name)
    raise AttributeError(name)
