"""The web application and REST API (``intikhab serve``): ``create_app`` in ``web.app``."""

from __future__ import annotations

from intikhab.web.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
