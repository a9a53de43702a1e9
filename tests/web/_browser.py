"""What the browser tests share: Debian's Chromium (Playwright drives it; no browser is
downloaded), the screenshots folder, and an application served by uvicorn on a free local
port for the length of a module."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("INTIKHAB_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def require_chromium() -> None:
    """Skip the calling module where Chromium is missing — never on CI, which installs it."""
    if not (os.path.exists(CHROMIUM) or os.environ.get("CI")):
        pytest.skip("Chromium is not installed (and this is not CI)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: Any) -> Iterator[str]:
    """``app`` served on 127.0.0.1 in a thread; yields its base address, then stops it and
    disposes of its engine."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        app.state.engine.dispose()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright (the screenshots folder made first)."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM)
        try:
            yield b
        finally:
            b.close()
