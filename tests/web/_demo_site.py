"""A small real-territory night (the demo at scale 0.02: a few provinces of the real Morocco,
every council declared, every prefecture/province council elected, every bureau recorded),
built once per test module, and a divided commune's night for the arrondissement councils."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from intikhab.demo.councils import form_councils
from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.store.db import make_engine, migrate, sessions

HERE = Path(__file__).resolve().parent


def demo_db(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    engine = make_engine(url)
    run_night(engine, national_election(scale=0.02))
    engine.dispose()
    return url


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem + "_for_web", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def divided_db(folder: Path) -> str:
    """The small bundle with a divided commune ``DV`` and its arrondissement ``DV/A1``, the
    night run and every council's bureau formed."""
    bundles = _load(HERE.parent / "services" / "test_council_results.py")
    night = _load(HERE.parent / "services" / "_night.py")
    url = f"sqlite:///{folder / 'divided.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    S = sessions(engine)
    night.run(S, bundles.divided_bundle())
    form_councils(S)
    engine.dispose()
    return url
