"""The catalogue of election offences and their penalties (guide ch. 11): arts. 39,
42–57, 59–63 and 65–70 of law 59.11 as amended, as data (``data/offences.json``).

Each offence has its Arabic and French wording, the article that defines it and the one that
punishes it, the prison range (ISO 8601 durations: ``P6D``, ``P1M``, ``P5Y``), the fine range in
dirhams, whether the two penalties are alternatives ("or one of them only"), its aggravation
(e.g. doubled for officials, art. 68 and 70) and its consequences (art. 69: two years without
vote, two terms without candidacy).  :func:`search` finds offences by words in either language,
insensitive to case, Arabic diacritics and letter variants and French accents.

Pure module: the data ships with the package and is read once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Final

_UNITS: Final = {"D": "days", "M": "months", "Y": "years"}
_AR_FOLD: Final = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                                  "ؤ": "و", "ئ": "ي", "ـ": None})


def normalise(text: str) -> str:
    """Case-, accent- and diacritic-insensitive form: NFKD without combining marks (French
    accents, Arabic harakat), Arabic alef/ya/ta-marbuta variants folded, tatweel dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", bare.translate(_AR_FOLD)).strip()


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: str  # days | months | years

    @classmethod
    def parse(cls, iso: str) -> Duration:
        m = re.fullmatch(r"P(\d+)([DMY])", iso)
        if m is None:  # pragma: no cover - the shipped data is tested
            raise ValueError(iso)
        return cls(int(m.group(1)), _UNITS[m.group(2)])

    @property
    def months(self) -> Fraction | None:
        """In months when the text counts in months or years (days are not converted)."""
        return {"months": Fraction(self.amount), "years": Fraction(12 * self.amount)}.get(
            self.unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True, slots=True)
class Offence:
    id: str
    article: int
    penalty_article: int
    stage: str  # campaign | operations
    ar: str
    fr: str
    prison: tuple[Duration, Duration] | None
    fine_mad: tuple[int, int] | None
    alternative: bool
    aggravation: dict[str, Any] | None
    consequences: dict[str, str] | None
    note: str

    @property
    def prison_months(self) -> tuple[Fraction | None, Fraction | None] | None:
        return None if self.prison is None else (self.prison[0].months, self.prison[1].months)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "article": self.article, "penalty_article": self.penalty_article,
                "stage": self.stage, "ar": self.ar, "fr": self.fr,
                "prison": None if self.prison is None else [str(d) for d in self.prison],
                "fine_mad": None if self.fine_mad is None else list(self.fine_mad),
                "alternative": self.alternative, "aggravation": self.aggravation,
                "consequences": self.consequences, "note": self.note}


def _offence(row: dict[str, Any]) -> Offence:
    prison = row.get("prison")
    fine = row.get("fine_mad")
    return Offence(row["id"], int(row["article"]), int(row["penalty_article"]), row["stage"],
                   row["ar"], row["fr"],
                   None if prison is None else (Duration.parse(prison[0]),
                                                Duration.parse(prison[1])),
                   None if fine is None else (int(fine[0]), int(fine[1])),
                   bool(row.get("alternative", False)), row.get("aggravation"),
                   row.get("consequences"), row.get("note", ""))


@cache
def catalogue() -> tuple[Offence, ...]:
    """Every offence, in article order."""
    text = resources.files("intikhab").joinpath("data/offences.json").read_text("utf-8")
    rows = json.loads(text)["offences"]
    _KEYWORDS.update({r["id"]: r["keywords"] for r in rows if "keywords" in r})
    return tuple(sorted((_offence(r) for r in rows),
                        key=lambda o: (o.article, o.id)))


_KEYWORDS: dict[str, str] = {}  # search words the law's text does not use (رشوة, achat de voix…)


@cache
def _index() -> tuple[tuple[Offence, str], ...]:
    out = []
    for o in catalogue():
        extra = " ".join(str(v) for part in (o.aggravation, o.consequences) if part
                         for k, v in part.items() if k in ("ar", "fr"))
        out.append((o, normalise(f"{o.ar} {o.fr} {extra} {o.note} {_KEYWORDS.get(o.id, '')}")))
    return tuple(out)


def _has(hay: str, term: str) -> bool:
    """A Latin ``term`` starts a word of ``hay`` ("arme" finds "armes", not "charme"); an
    Arabic one may follow clitics (ب، و، ال…), so it matches anywhere."""
    if re.search(r"[\u0600-\u06ff]", term):
        return term in hay
    return re.search(r"(?<!\w)" + re.escape(term), hay) is not None


def search(text: str) -> list[Offence]:
    """Offences whose text (ar or fr, aggravation and consequences included) has a word
    starting with each word of ``text``; a bare number (``65`` or ``art. 65``) matches the
    defining or punishing article.  Empty text: the whole catalogue."""
    words = normalise(text).replace("art.", " ").replace(normalise("المادة"), " ").split()
    if not words:
        return list(catalogue())
    numbers = {int(w) for w in words if w.isdigit()}
    terms = [w for w in words if not w.isdigit()]
    return [o for o, hay in _index()
            if all(_has(hay, t) or (t.startswith("ال") and len(t) > 4
                                    and _has(hay, t[2:]))
                   for t in terms)
            and all(n in (o.article, o.penalty_article) for n in numbers)]


def by_article(article: int) -> list[Offence]:
    return [o for o in catalogue() if article in (o.article, o.penalty_article)]
