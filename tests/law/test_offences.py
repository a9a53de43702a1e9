"""The offences catalogue (guide ch. 11): every article required is there with its penalty,
and search is Arabic/French, case-, accent- and diacritic-insensitive."""

from __future__ import annotations

from fractions import Fraction

from intikhab.law import offences


def test_catalogue_covers_the_articles() -> None:
    wanted = {39, *range(42, 58), *range(59, 64), *range(65, 71)}
    assert {o.article for o in offences.catalogue()} == wanted
    for o in offences.catalogue():
        assert o.ar and o.fr
        if o.fine_mad:
            assert 0 < o.fine_mad[0] <= o.fine_mad[1]


def test_penalties_and_consequences() -> None:
    (a47,) = offences.by_article(47)
    assert a47.prison_months == (Fraction(24), Fraction(60)) and a47.alternative
    assert a47.fine_mad == (50_000, 100_000)
    (a48,) = offences.by_article(48)
    assert str(a48.prison[0]) == "6 days" if a48.prison else False  # days are kept as days
    (a70,) = offences.by_article(70)
    assert a70.aggravation and a70.aggravation["factor"] == 2  # doubled for officials
    (a69,) = offences.by_article(69)
    assert a69.consequences and "سنتين" in a69.consequences["ar"]
    assert offences.by_article(45)[0].penalty_article == 45
    assert any(o.article == 39 and o.penalty_article == 45 for o in offences.catalogue())


def test_search_ar_fr_insensitive() -> None:
    assert {o.id for o in offences.search("هدايا")} == {"65-1", "65-2", "67-1"}
    assert [o.id for o in offences.search("الأسلحة")] == ["52-1"]
    assert [o.id for o in offences.search("أَسْلِحَة")] == ["52-1"]  # harakat ignored
    assert [o.id for o in offences.search("ARMES")] == ["52-1", "57-1"]  # 57: armed, aggravated
    assert [o.id for o in offences.search("urne")] == ["61-1", "62-1"]
    assert "44-1" in {o.id for o in offences.search("Vert")}
    assert {o.id for o in offences.search("art. 65")} == {"65-1", "65-2"}
    assert offences.search("") == list(offences.catalogue())
    assert offences.search("licorne") == []


def test_search_finds_the_words_people_use_not_only_the_law_s() -> None:
    """Vote buying (arts. 65–68, law 59.11 as amended) is found as «رشوة», "achat de voix"
    and "vote buying", words the law's own text does not use."""
    from intikhab.law.offences import search

    for words in ("رشوة", "achat de voix", "vote buying", "corruption"):
        assert {o.article for o in search(words)} == {65, 67, 68}, words
    assert search("zzz-nothing") == []
