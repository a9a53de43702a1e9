"""The demo night at a tiny scale ends with every council in place: every prefecture and
province council elected by its college and declared (art. 102 of law 59.11), and every
council's bureau session recorded (laws 111.14, 112.14, 113.14) — deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from intikhab.demo.night import run_night
from intikhab.demo.stations import national_election
from intikhab.services import bureaus, indirect
from intikhab.services.rosters import rosters
from intikhab.store.db import make_engine, sessions
from intikhab.store.models import BureauSession, Commune, Prefecture

pytestmark = pytest.mark.slow


def test_the_night_ends_with_every_council_and_bureau(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    report = run_night(engine, national_election(scale=0.02))
    S = sessions(engine)
    with S() as s:
        prefectures = s.scalar(select(func.count()).select_from(Prefecture))
        communes = s.scalar(select(func.count()).select_from(Commune))
        seated = rosters(s)
        formed = bureaus.bureaus(s)
        sessions_n = s.scalar(select(func.count()).select_from(BureauSession))
        declared = indirect.latest_indirect(s, declared=True)
    assert report.councils.prefecture_councils == prefectures == len(declared)
    assert all(r.declared for r in seated.values())
    assert set(formed) == set(seated) and sessions_n == len(seated)
    assert report.councils.bureaus_formed + report.councils.bureaus_pending == len(seated)
    # every commune and prefecture council is governed; a region cut by the scale may lack
    # members for a secretary outside its bureau
    assert all(formed[c].status == "formed" for c, r in seated.items()
               if r.kind.value in ("commune", "prefecture"))
    assert len([r for r in seated.values() if r.kind.value == "commune"]) == communes
    engine.dispose()
