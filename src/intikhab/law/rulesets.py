"""Named, versioned rule sets: what changes between the laws an allocation can be run under.

A rule set fixes the quotient's base, the threshold (if any), who wins an age tie, and the
list-vote limit for communes.  Running the same figures under two rule sets answers "what would
these votes have given under the other law?".  ``docs/rulesets.md`` documents each
one with its sources and the points where a source was not available to us.

Pure module: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Final

from intikhab.law.errors import InputError


class QuotientBase(StrEnum):
    """What the quotient (القاسم الانتخابي) divides by the seats to fill."""

    VOTERS = "voters"
    """All voters (المصوتون), void ballots included — art. 92 §2 / art. 139 §2, law 59.11 as
    amended by law 06.21."""
    VALID_OF_QUALIFIED = "valid_of_qualified"
    """The valid votes of the lists that reached the threshold (law 34.15; law 27.11)."""
    REGISTERED = "registered"
    """The registered voters of the constituency (law 27.11 as amended by law 04.21)."""


class AgeRule(StrEnum):
    """Which candidate an age tie favours."""

    YOUNGEST = "youngest"
    OLDEST = "oldest"


class ElectionKind(StrEnum):
    """Which election a rule set allocates: communal and regional councils (law 59.11), or the
    House of Representatives (organic law 27.11) for the legislative rule sets."""

    COMMUNAL = "communal"
    REGIONAL = "regional"
    LEGISLATIVE = "legislative"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The parameters of one law's allocation rules.

    ``threshold`` is a share of the valid votes cast for lists in the constituency; a list whose
    votes are strictly below it takes no seat.  ``single_list_minimum`` is the share of the
    registered voters a lone list or lone candidate must reach, or the constituency is re-run.
    """

    name: str
    election: ElectionKind
    quotient_base: QuotientBase
    threshold: Fraction | None
    tie_age: AgeRule
    single_list_minimum: Fraction | None
    list_vote_above: int | None
    title_ar: str
    title_fr: str
    sources: tuple[str, ...]


_FIFTH = Fraction(1, 5)

RULE_SETS: Final[dict[str, RuleSet]] = {
    r.name: r
    for r in (
        RuleSet(
            name="communal-2021",
            election=ElectionKind.COMMUNAL,
            quotient_base=QuotientBase.VOTERS,
            threshold=None,
            tie_age=AgeRule.YOUNGEST,
            single_list_minimum=_FIFTH,
            list_vote_above=50_000,
            title_ar="الانتخابات الجماعية 2021 (القانون التنظيمي 06.21)",
            title_fr="Élections communales 2021 (loi organique 06.21)",
            sources=(
                "art. 139 §2, law 59.11 as amended by law 06.21: quotient = voters ÷ seats",
                "art. 139 §3 and last §: one fifth of the registered voters for a single list",
                "art. 24 §4 and last §: ties to the youngest, then lot",
                "art. 130: list vote above 50,000 inhabitants",
                "guide 2021 ch. 9–10 (seeds/003)",
            ),
        ),
        RuleSet(
            name="regional-2021",
            election=ElectionKind.REGIONAL,
            quotient_base=QuotientBase.VOTERS,
            threshold=None,
            tie_age=AgeRule.YOUNGEST,
            single_list_minimum=_FIFTH,
            list_vote_above=None,
            title_ar="الانتخابات الجهوية 2021 (القانون التنظيمي 06.21)",
            title_fr="Élections régionales 2021 (loi organique 06.21)",
            sources=(
                "art. 92 §2, law 59.11 as amended by law 06.21: quotient = voters ÷ seats",
                "art. 92 §3: part 1 then the women's part, each with its own quotient",
                "art. 92 §4 and last §: one fifth of the registered voters for a single list",
                "art. 24 §4 and last §: ties to the youngest, then lot",
                "guide 2021 ch. 9–10 (seeds/003)",
            ),
        ),
        RuleSet(
            name="communal-2015",
            election=ElectionKind.COMMUNAL,
            quotient_base=QuotientBase.VALID_OF_QUALIFIED,
            threshold=Fraction(6, 100),
            tie_age=AgeRule.OLDEST,
            single_list_minimum=_FIFTH,
            list_vote_above=35_000,
            title_ar="الانتخابات الجماعية 2015 (القانون التنظيمي 34.15)",
            title_fr="Élections communales 2015 (loi organique 34.15)",
            sources=(
                "art. 139, law 59.11 as amended by law 34.15: lists under 6 % of the votes cast "
                "take no part (seeds/004, essay, note 27)",
                "art. 24 before law 06.21: ties to the oldest, then lot (seeds/004)",
                "list vote above 35,000 inhabitants (seeds/004, note 24)",
            ),
        ),
        RuleSet(
            name="regional-2015",
            election=ElectionKind.REGIONAL,
            quotient_base=QuotientBase.VALID_OF_QUALIFIED,
            threshold=Fraction(3, 100),
            tie_age=AgeRule.OLDEST,
            single_list_minimum=_FIFTH,
            list_vote_above=None,
            title_ar="الانتخابات الجهوية 2015 (القانون التنظيمي 34.15)",
            title_fr="Élections régionales 2015 (loi organique 34.15)",
            sources=(
                "art. 92, law 59.11 as amended by law 34.15: lists under 3 % of the votes cast "
                "take no part (published text; not in the seeds — see docs/rulesets.md)",
                "art. 24 before law 06.21: ties to the oldest, then lot (seeds/004)",
            ),
        ),
        RuleSet(
            name="legislative-2016",
            election=ElectionKind.LEGISLATIVE,
            quotient_base=QuotientBase.VALID_OF_QUALIFIED,
            threshold=Fraction(3, 100),
            tie_age=AgeRule.YOUNGEST,
            single_list_minimum=None,
            list_vote_above=None,
            title_ar="انتخاب مجلس النواب 2016 (القانون التنظيمي 27.11)",
            title_fr="Chambre des représentants 2016 (loi organique 27.11)",
            sources=(
                "art. 84, law 27.11 as amended by law 20.16: lists under 3 % of the valid votes "
                "cast for lists are excluded; quotient = votes of the remaining lists ÷ seats",
                "tie rule as for the territorial councils (youngest, then lot) — see docs",
            ),
        ),
        RuleSet(
            name="legislative-2021",
            election=ElectionKind.LEGISLATIVE,
            quotient_base=QuotientBase.REGISTERED,
            threshold=None,
            tie_age=AgeRule.YOUNGEST,
            single_list_minimum=None,
            list_vote_above=None,
            title_ar="انتخاب مجلس النواب 2021 (القانون التنظيمي 04.21)",
            title_fr="Chambre des représentants 2021 (loi organique 04.21)",
            sources=(
                "art. 84, law 27.11 as amended by law 04.21: quotient = registered voters ÷ seats",
            ),
        ),
    )
}

DEFAULT_RULES: Final = "regional-2021"


def get_rules(name: str) -> RuleSet:
    """Look a rule set up by name; an unknown name is ``E-ALLOC-002``."""
    try:
        return RULE_SETS[name]
    except KeyError:
        raise InputError(
            "E-ALLOC-002", field="rules", value=name, known=", ".join(RULE_SETS)
        ) from None
