"""``intikhab serve --site DIR [--key KEY]``: the public portal from a published site, kept up
to date by one publisher in the serving command's own process (not in each worker).

With ``--key``, the site is published (incrementally when it already holds a publication)
before the server starts, then a daemon thread looks at the audit log every two seconds and
publishes again after each declaration — the only work a declaration costs the public side.
Without ``--key``, the folder must already hold a publication (``E-PUB-006``) that something
else keeps up to date (``intikhab publish`` from a cron job, a CI, another machine).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from rich.console import Console

from intikhab.cli.common import fail
from intikhab.law.errors import InputError, IntikhabError

log = logging.getLogger("intikhab.publish")
POLL_S = 2.0


def start_site(out: Console, site: Path, key: Path | None, db: str) -> None:
    """Publish once (with ``key``) and start the publisher thread; else check the folder."""
    from intikhab.web.publish import Options, publish

    if key is None:
        if not (site / "manifest.json").is_file():
            fail(InputError("E-PUB-006", field="--site", value=str(site)))
        out.print(f"public addresses from {site} (published elsewhere)")
        return
    opts = Options(site, key, db)
    try:
        report = publish(opts)
    except IntikhabError as error:
        fail(error)
    out.print(f"published {report.files} files into {site} in {report.seconds:.1f} s "
              f"({len(report.written)} written)")

    def loop() -> None:
        while True:
            time.sleep(POLL_S)
            try:
                r = publish(opts)
                if r.written or r.removed:
                    log.warning("published %d files again in %.2f s", len(r.written),
                                r.seconds)
            except Exception:  # a busy database: try again at the next tick
                log.exception("publishing failed")

    threading.Thread(target=loop, name="intikhab-publisher", daemon=True).start()
