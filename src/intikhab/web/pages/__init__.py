"""The HTML screens (server-rendered Jinja2, no JavaScript build step), one module per
audience: the public portal and login (``public``), the clerk (``clerk``), the census
commission's coordinator (``coordinator``), the observer (``observer``), the administrator
(``admin``), and the legal process around the vote (``law``); ``common`` holds what they share
(language, rendering, the public pages' cache).  docs/web.md describes them.

Every screen but the public ones checks the role (``auth.require_page`` with a tuple of
``web.deps``); every form POST carries the CSRF token (``auth.verify_csrf``); every change goes
through the services, which write it with its audit record in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import APIRouter

    ROUTERS: tuple[APIRouter, ...]


def __getattr__(name: str) -> Any:
    """``ROUTERS``, imported when the application asks for it (``intikhab publish`` imports
    ``public`` alone)."""
    if name != "ROUTERS":
        raise AttributeError(name)
    from intikhab.web.pages import (
        admin,
        clerk,
        coordinator,
        councils,
        law,
        observer,
        public,
    )

    return (public.router, councils.router, clerk.router, coordinator.router, observer.router,
            admin.router, law.router)
