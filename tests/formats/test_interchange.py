"""The JSON interchange format: parsing, the error codes of every rejection, the published
input schema, the result's shape, and the error catalogue behind the messages."""

from __future__ import annotations

import copy
import json
import re
import string
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from intikhab.formats.allocation_json import (
    INPUT_SCHEMA,
    fraction_str,
    parse_constituency,
    parse_lots,
    parse_rules,
    result_to_json,
)
from intikhab.law.allocation import (
    AllocationStatus,
    Council,
    District,
    ListConstituency,
    Lots,
    Part,
    Sex,
    allocate_district,
    allocate_lists,
)
from intikhab.law.errors import CATALOGUE, InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))

Doc = dict[str, Any]


def load(path: Path) -> Doc:
    doc: Doc = json.loads(path.read_text(encoding="utf-8"))
    return doc


def list_doc() -> Doc:
    """A small valid list constituency: 1000 registered, 600 voters, 20 void, 3 + 2 seats."""
    return {
        "rules": "communal-2021",
        "kind": "list",
        "id": "C-1",
        "name": "commune",
        "registered": 1000,
        "voters": 600,
        "void": 20,
        "groups": [{"part": "general", "seats": 3},
                   {"part": "women", "council": None, "seats": 2}],
        "lists": [
            {"id": "A", "name": "Alpha", "votes": 300, "candidates": {
                "general": [{"name": "a1", "birth_date": "1980-01-01", "sex": "M"},
                            {"name": "a2", "birth_date": "1981-02-03", "eligible": False},
                            {"name": "a3", "birth_date": None, "deceased": False}],
                "women": [{"name": "aw1", "birth_date": "1982-03-04", "sex": "F"},
                          {"name": "aw2", "sex": "F"}]}},
            {"id": "B", "name": "Beta", "votes": 200},
            {"id": "C", "votes": 80, "candidates": None},
        ],
        "lots": {},
        "lot_seed": None,
    }


def district_doc() -> Doc:
    """A valid single-member district with an attached women's seat (art. 128 bis)."""
    return {
        "rules": "communal-2021",
        "kind": "single_member",
        "id": "D1",
        "registered": 1000,
        "voters": 500,
        "void": 10,
        "attached_women_seat": True,
        "candidates": [
            {"id": "x", "name": "X", "votes": 250, "birth_date": "1970-01-01",
             "attached_woman": {"name": "Salma", "sex": "F", "birth_date": "1990-05-06"}},
            {"id": "y", "name": "Y", "votes": 200, "attached_woman": None},
        ],
    }


# --------------------------------------------------------------------------------------------
# valid documents


def test_the_guide_examples_are_there() -> None:
    assert {"marrakech-regional", "commune-35", "gueliz"} <= {p.stem for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_parse(path: Path) -> None:
    doc = load(path)
    c = parse_constituency(doc)
    if doc.get("kind", "list") == "list":
        assert isinstance(c, ListConstituency)
        assert c.groups and c.lists
    else:
        assert isinstance(c, District)
        assert c.candidates
    assert parse_rules(doc).name == doc["rules"]
    assert isinstance(parse_lots(doc), Lots)


def test_list_document_parses_into_the_core_dataclasses() -> None:
    c = parse_constituency(list_doc())
    assert isinstance(c, ListConstituency)
    assert (c.registered, c.voters, c.void) == (1000, 600, 20)
    assert [(g.part, g.seats, g.council) for g in c.groups] == [
        (Part.GENERAL, 3, None), (Part.WOMEN, 2, None)]
    a, b, cc = c.lists
    assert (a.id, a.name, a.votes) == ("A", "Alpha", 300)
    assert a.general is not None and a.women is not None
    assert [x.name for x in a.general] == ["a1", "a2", "a3"]
    assert a.general[0].birth_date == date(1980, 1, 1)
    assert a.general[0].sex is Sex.M
    assert not a.general[1].eligible
    assert a.general[2].birth_date is None and a.general[2].standing
    assert a.women[1].birth_date is None and a.women[1].sex is Sex.F
    assert b.general is None and b.women is None and b.name == "Beta"
    assert cc.general is None and cc.name == ""


def test_kind_defaults_to_list_and_councils_parse() -> None:
    doc = list_doc()
    del doc["kind"]
    doc["groups"] = [{"part": "general", "council": "commune", "seats": 2},
                     {"part": "general", "council": "arrondissement", "seats": 1}]
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    assert [g.council for g in c.groups] == [Council.COMMUNE, Council.ARRONDISSEMENT]


def test_district_document_parses() -> None:
    d = parse_constituency(district_doc())
    assert isinstance(d, District)
    assert d.id == "D1" and d.attached_women_seat
    x, y = d.candidates
    assert x.birth_date == date(1970, 1, 1)
    assert x.attached_woman is not None and x.attached_woman.name == "Salma"
    assert y.attached_woman is None and y.birth_date is None


def test_lots_and_seed_parse() -> None:
    assert parse_lots({"lots": None, "lot_seed": None}) == Lots()
    assert parse_lots({}) == Lots()
    doc = list_doc()
    doc["lots"] = {"general:A|B": "A"}
    doc["lot_seed"] = "public seed"
    assert parse_lots(doc) == Lots({"general:A|B": "A"}, "public seed")


# --------------------------------------------------------------------------------------------
# one rejection per bad input: code and field


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    """Set ``value`` at a dotted path (``lists.0.votes``) of the document."""
    def apply(doc: Doc) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for key in head:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return apply


def _del(path: str) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        *head, last = path.split(".")
        node: Any = doc
        for key in head:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]
    return apply


def _both(*fs: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        for f in fs:
            f(doc)
    return apply


_MAN = {"name": "m", "sex": "M"}
_DUP = {"id": "A", "votes": 1}

LIST_CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("negative registered", _set("registered", -1), "E-ALLOC-004", "registered"),
    ("negative votes", _set("lists.0.votes", -5), "E-ALLOC-004", "lists[0].votes"),
    ("float votes", _set("lists.1.votes", 12.5), "E-ALLOC-004", "lists[1].votes"),
    ("integral float", _set("voters", 600.0), "E-ALLOC-004", "voters"),
    ("string count", _set("void", "20"), "E-ALLOC-004", "void"),
    ("bool count", _set("lists.2.votes", True), "E-ALLOC-004", "lists[2].votes"),
    ("string seats", _set("groups.0.seats", "3"), "E-ALLOC-004", "groups[0].seats"),
    ("bool seats", _set("groups.1.seats", True), "E-ALLOC-004", "groups[1].seats"),
    ("missing count", _del("registered"), "E-ALLOC-003", "registered"),
    ("voters > registered", _set("voters", 1001), "E-ALLOC-005", "voters"),
    ("void > voters", _set("void", 601), "E-ALLOC-006", "void"),
    ("votes + void > voters", _set("void", 21), "E-ALLOC-007", "lists"),
    ("seats 0", _set("groups.1.seats", 0), "E-ALLOC-008", "groups[1].seats"),
    ("empty groups", _set("groups", []), "E-ALLOC-014", "groups"),
    ("groups not an array", _set("groups", {"part": "general"}), "E-ALLOC-003", "groups"),
    ("group not an object", _set("groups.0", 3), "E-ALLOC-003", "groups[0]"),
    ("missing part", _del("groups.0.part"), "E-ALLOC-003", "groups[0].part"),
    ("empty id", _set("lists.1.id", ""), "E-ALLOC-009", "lists[1].id"),
    ("blank id", _set("lists.1.id", "  "), "E-ALLOC-009", "lists[1].id"),
    ("numeric id", _set("lists.1.id", 2), "E-ALLOC-003", "lists[1].id"),
    ("missing id", _del("lists.2.id"), "E-ALLOC-003", "lists[2].id"),
    ("duplicate list id", _set("lists.2", _DUP), "E-ALLOC-010", "lists[2].id"),
    ("man in the women's part", _set("lists.0.candidates.women.1", _MAN),
     "E-ALLOC-011", "lists[0].candidates.women[1]"),
    ("impossible date", _set("lists.0.candidates.general.0.birth_date", "2021-02-30"),
     "E-ALLOC-012", "lists[0].candidates.general[0].birth_date"),
    ("day-first date", _set("lists.0.candidates.general.0.birth_date", "08/09/2021"),
     "E-ALLOC-012", "lists[0].candidates.general[0].birth_date"),
    ("date as a number", _set("lists.0.candidates.women.0.birth_date", 19900101),
     "E-ALLOC-012", "lists[0].candidates.women[0].birth_date"),
    ("ISO week date", _set("lists.0.candidates.general.1.birth_date", "2021-W01-1"),
     "E-ALLOC-012", "lists[0].candidates.general[1].birth_date"),
    ("basic-format date", _set("lists.0.candidates.general.1.birth_date", "19900101"),
     "E-ALLOC-012", "lists[0].candidates.general[1].birth_date"),
    ("basic-format date padded to ten characters",
     _set("lists.0.candidates.general.1.birth_date", "19900101xx"),
     "E-ALLOC-012", "lists[0].candidates.general[1].birth_date"),
    ("date with time", _set("lists.0.candidates.general.1.birth_date", "1990-01-01T00:00"),
     "E-ALLOC-012", "lists[0].candidates.general[1].birth_date"),
    ("unknown part", _set("groups.0.part", "men"), "E-ALLOC-013", "groups[0].part"),
    ("unknown council", _set("groups.0.council", "province"), "E-ALLOC-013",
     "groups[0].council"),
    ("unknown kind", _set("kind", "mixed"), "E-ALLOC-013", "kind"),
    ("unknown sex", _set("lists.0.candidates.general.0.sex", "X"), "E-ALLOC-013",
     "lists[0].candidates.general[0].sex"),
    ("unknown top-level field", _set("colour", "green"), "E-ALLOC-019", "colour"),
    ("unknown group field", _set("groups.0.quotient", 5), "E-ALLOC-019", "groups[0].quotient"),
    ("unknown list field", _set("lists.1.colour", "red"), "E-ALLOC-019", "lists[1].colour"),
    ("unknown part of a list", _set("lists.0.candidates.men", []), "E-ALLOC-019",
     "lists[0].candidates.men"),
    ("unknown candidate field", _set("lists.0.candidates.general.0.age", 40), "E-ALLOC-019",
     "lists[0].candidates.general[0].age"),
    ("district field on a list", _set("attached_women_seat", True), "E-ALLOC-019",
     "attached_women_seat"),
    ("candidate not an object", _set("lists.0.candidates.general.0", "a1"), "E-ALLOC-003",
     "lists[0].candidates.general[0]"),
    ("candidate without name", _del("lists.0.candidates.general.0.name"), "E-ALLOC-003",
     "lists[0].candidates.general[0].name"),
    ("eligible not a boolean", _set("lists.0.candidates.general.0.eligible", "yes"),
     "E-ALLOC-003", "lists[0].candidates.general[0].eligible"),
    ("lists not an array", _set("lists", {"A": 1}), "E-ALLOC-003", "lists"),
]

DISTRICT_CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("attached woman without attached seat", _set("attached_women_seat", False),
     "E-ALLOC-018", "candidates[0].attached_woman"),
    ("man on the attached seat", _set("candidates.0.attached_woman.sex", "M"),
     "E-ALLOC-017", "candidates[0].attached_woman"),
    ("votes + void > voters", _set("candidates.1.votes", 241), "E-ALLOC-007", "candidates"),
    ("voters > registered", _set("registered", 499), "E-ALLOC-005", "voters"),
    ("void > voters", _both(_set("voters", 5), _set("candidates.0.votes", 0)),
     "E-ALLOC-006", "void"),
    ("duplicate candidate id", _set("candidates.1.id", "x"), "E-ALLOC-010", "candidates[1].id"),
    ("empty candidate id", _set("candidates.1.id", ""), "E-ALLOC-009", "candidates[1].id"),
    ("bad birth date", _set("candidates.1.birth_date", "1970-13-01"), "E-ALLOC-012",
     "candidates[1].birth_date"),
    ("negative votes", _set("candidates.0.votes", -1), "E-ALLOC-004", "candidates[0].votes"),
    ("groups on a district", _set("groups", []), "E-ALLOC-019", "groups"),
    ("unknown candidate field", _set("candidates.0.party", "P"), "E-ALLOC-019",
     "candidates[0].party"),
    ("attached seat not a boolean", _set("attached_women_seat", "yes"), "E-ALLOC-003",
     "attached_women_seat"),
]


def _reject(doc: Any, code: str, field: str) -> InputError:
    with pytest.raises(InputError) as err:
        parse_constituency(doc)
    assert (err.value.code, err.value.field) == (code, field), str(err.value)
    for lang in ("ar", "fr", "en"):  # every placeholder of the message was supplied
        text = err.value.message(lang)
        assert text and "{" not in text, (lang, text)
    assert err.value.to_dict()["code"] == code
    return err.value


@pytest.mark.parametrize(("case", "mutate", "code", "field"), LIST_CASES,
                         ids=[c[0] for c in LIST_CASES])
def test_bad_list_input(case: str, mutate: Callable[[Doc], None], code: str,
                        field: str) -> None:
    doc = list_doc()
    mutate(doc)
    _reject(doc, code, field)


@pytest.mark.parametrize(("case", "mutate", "code", "field"), DISTRICT_CASES,
                         ids=[c[0] for c in DISTRICT_CASES])
def test_bad_district_input(case: str, mutate: Callable[[Doc], None], code: str,
                            field: str) -> None:
    doc = district_doc()
    mutate(doc)
    _reject(doc, code, field)


@pytest.mark.parametrize("doc", [[], "list", None, 42, [list_doc()]], ids=repr)
def test_non_object_document(doc: Any) -> None:
    _reject(doc, "E-ALLOC-003", "$")


def test_unknown_rule_set() -> None:
    doc = list_doc()
    doc["rules"] = "communal-2030"
    with pytest.raises(InputError) as err:
        parse_rules(doc)
    assert (err.value.code, err.value.field) == ("E-ALLOC-002", "rules")
    assert "communal-2021" in err.value.message("en")  # the known ones are listed
    with pytest.raises(InputError) as err2:
        parse_rules(list_doc(), override="regional-1997")
    assert err2.value.code == "E-ALLOC-002"
    assert parse_rules(doc, override="regional-2015").name == "regional-2015"


def test_missing_or_non_string_rule_set() -> None:
    docs: tuple[Any, ...] = ({"kind": "list"}, {"rules": 2021}, [])
    for doc in docs:
        with pytest.raises(InputError) as err:
            parse_rules(doc)
        assert (err.value.code, err.value.field) == ("E-ALLOC-003", "rules")


@pytest.mark.parametrize(("lots", "seed", "field"), [
    ({"general:A|B": 1}, None, "lots"), (["A"], None, "lots"), ([], None, "lots"),
    (False, None, "lots"), ("", None, "lots"), ({}, 7, "lot_seed")])
def test_bad_lots(lots: Any, seed: Any, field: str) -> None:
    doc = list_doc()
    doc["lots"], doc["lot_seed"] = lots, seed
    with pytest.raises(InputError) as err:
        parse_lots(doc)
    assert (err.value.code, err.value.field) == ("E-ALLOC-003", field)


# --------------------------------------------------------------------------------------------
# the published input schema

VALIDATOR = jsonschema.Draft202012Validator(
    INPUT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_input_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(INPUT_SCHEMA)
    json.dumps(INPUT_SCHEMA)  # publishable as is


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate_against_the_input_schema(path: Path) -> None:
    VALIDATOR.validate(load(path))


def test_small_documents_validate_against_the_input_schema() -> None:
    VALIDATOR.validate(list_doc())
    VALIDATOR.validate(district_doc())


SCHEMA_REJECTS: list[tuple[str, Callable[[], Doc]]] = [
    ("negative count", lambda: {**list_doc(), "registered": -1}),
    ("string count", lambda: {**list_doc(), "voters": "600"}),
    ("bool count", lambda: {**list_doc(), "voters": True}),
    ("fractional count", lambda: {**list_doc(), "void": 2.5}),
    ("seats 0", lambda: {**list_doc(), "groups": [{"part": "general", "seats": 0}]}),
    ("empty groups", lambda: {**list_doc(), "groups": []}),
    ("unknown part", lambda: {**list_doc(), "groups": [{"part": "men", "seats": 1}]}),
    ("unknown field", lambda: {**list_doc(), "colour": "green"}),
    ("unknown rule set", lambda: {**list_doc(), "rules": "communal-2030"}),
    ("empty id", lambda: {**list_doc(), "lists": [{"id": "", "votes": 1}]}),
    ("missing votes", lambda: {**list_doc(), "lists": [{"id": "A"}]}),
    ("bad date", lambda: _mutated(list_doc(), _set(
        "lists.0.candidates.general.0.birth_date", "2021-02-30"))),
    ("unknown sex", lambda: _mutated(list_doc(), _set(
        "lists.0.candidates.general.0.sex", "X"))),
    ("district without kind", lambda: {k: v for k, v in district_doc().items() if k != "kind"}),
    ("district with groups", lambda: {**district_doc(), "groups": []}),
]


def _mutated(doc: Doc, f: Callable[[Doc], None]) -> Doc:
    f(doc)
    return doc


@pytest.mark.parametrize(("case", "make"), SCHEMA_REJECTS, ids=[c[0] for c in SCHEMA_REJECTS])
def test_schema_rejects_invalid_documents(case: str, make: Callable[[], Doc]) -> None:
    doc = make()
    assert not VALIDATOR.is_valid(doc)
    with pytest.raises(InputError):  # and the parser agrees
        parse_constituency(copy.deepcopy(doc))
        parse_rules(doc)


# --------------------------------------------------------------------------------------------
# the result's shape

_NUM = r"^(0|[1-9][0-9]*)(/[1-9][0-9]*)?$"
_TIE = {
    "type": "object", "additionalProperties": False,
    "required": ["key", "lists", "decided_by", "winner", "lot_source"],
    "properties": {
        "key": {"type": "string"}, "lists": {"type": "array", "items": {"type": "string"}},
        "decided_by": {"enum": ["age", "lot"]}, "winner": {"type": "string"},
        "lot_source": {"enum": [None, "entered", "seed"]},
    },
}
_COMMON = {
    "status": {"enum": ["declared", "lot_required", "rerun_required"]},
    "rules": {"type": "string"},
    "reason": {"type": ["string", "null"]},
    "lot_required": {"oneOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False, "required": ["key", "lists", "group"],
        "properties": {"key": {"type": "string"}, "group": {"type": "string"},
                       "lists": {"type": "array", "minItems": 2,
                                 "items": {"type": "string"}}}}]},
    "lot_seed": {"type": ["string", "null"]},
}
_COUNT = {"type": "integer", "minimum": 0}
RESULT_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "additionalProperties": False,
         "required": [*_COMMON, "groups", "totals"],
         "properties": {**_COMMON,
                        "groups": {"type": "array", "items": {
                            "type": "object", "additionalProperties": False,
                            "required": ["part", "council", "seats", "base", "quotient",
                                         "lists", "ties", "unfilled"],
                            "properties": {
                                "part": {"enum": ["general", "women"]},
                                "council": {"enum": [None, "commune", "arrondissement"]},
                                "seats": {"type": "integer", "minimum": 1},
                                "base": _COUNT,
                                "quotient": {"type": "string", "pattern": _NUM},
                                "lists": {"type": "array", "items": {
                                    "type": "object", "additionalProperties": False,
                                    "required": ["id", "name", "votes", "excluded",
                                                 "by_quotient", "forfeited", "remainder",
                                                 "by_remainder",
                                                 "seats", "elected", "elected_ranks"],
                                    "properties": {
                                        "id": {"type": "string"}, "name": {"type": "string"},
                                        "votes": _COUNT, "excluded": {"type": "boolean"},
                                        "by_quotient": _COUNT, "forfeited": _COUNT,
                                        "by_remainder": _COUNT,
                                        "remainder": {"type": "string", "pattern": _NUM},
                                        "seats": _COUNT,
                                        "elected": {"type": "array",
                                                    "items": {"type": "string"}},
                                        "elected_ranks": {"type": "array", "items": {
                                            "type": "integer", "minimum": 1}},
                                    }}},
                                "ties": {"type": "array", "items": _TIE},
                                "unfilled": _COUNT,
                            }}},
                        "totals": {"type": "object", "additionalProperties": _COUNT}}},
        {"type": "object", "additionalProperties": False,
         "required": [*_COMMON, "winner", "elected", "ties"],
         "properties": {**_COMMON, "winner": {"type": ["string", "null"]},
                        "elected": {"type": "array", "items": {"type": "string"}},
                        "ties": {"type": "array", "items": _TIE}}},
    ],
}


def _check_result(out: dict[str, Any]) -> None:
    """Validate the documented shape, and that the numbers agree with each other."""
    out = json.loads(json.dumps(out, ensure_ascii=False))  # plain JSON, no Fraction or enum
    jsonschema.Draft202012Validator(RESULT_SCHEMA).validate(out)
    totals: dict[str, int] = {}
    for g in out.get("groups", []):
        q = Fraction(g["quotient"])
        assert q == Fraction(g["base"], g["seats"])
        assert sum(ln["seats"] for ln in g["lists"]) + g["unfilled"] == g["seats"]
        for ln in g["lists"]:
            assert ln["seats"] == ln["by_quotient"] + ln["by_remainder"]
            assert len(ln["elected"]) == len(ln["elected_ranks"])
            if not ln["excluded"]:
                quotas = ln["by_quotient"] + ln["forfeited"]
                assert Fraction(ln["remainder"]) == ln["votes"] - quotas * q
            totals[ln["id"]] = totals.get(ln["id"], 0) + ln["seats"]
    if "totals" in out:
        assert out["totals"] == totals


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_result_json_of_the_examples(path: Path) -> None:
    doc = load(path)
    c = parse_constituency(doc)
    lots = parse_lots(doc)
    rules = parse_rules(doc)
    if isinstance(c, District):
        out = result_to_json(allocate_district(c, rules, lots), c, lots)
        _check_result(out)
        assert "groups" not in out
    else:
        out = result_to_json(allocate_lists(c, rules, lots), c, lots)
        _check_result(out)
        assert out["status"] == "declared"
        assert [ln["name"] for ln in out["groups"][0]["lists"]] == [
            x.get("name", "") for x in doc["lists"]]
    assert out["rules"] == doc["rules"]


def test_result_json_with_a_fractional_quotient_and_ties() -> None:
    """1000 voters for 3 seats: quotient "1000/3"; A and B (one quota each) tie for the last
    seat, decided by their second candidates' age, then, born the same day, by a seeded lot
    recorded with its source."""
    doc = list_doc()
    doc.update(voters=1000, void=0, groups=[{"part": "general", "seats": 3}],
               lists=[{"id": "A", "votes": 450, "candidates": {"general": [
                   {"name": "a1", "birth_date": "1970-01-01"},
                   {"name": "a2", "birth_date": "1990-01-01"}]}},
                      {"id": "B", "votes": 450, "candidates": {"general": [
                          {"name": "b1", "birth_date": "1970-01-01"},
                          {"name": "b2", "birth_date": "1980-01-01"}]}},
                      {"id": "C", "votes": 100}])
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    out = result_to_json(allocate_lists(c, parse_rules(doc)), c)
    _check_result(out)
    (group,) = out["groups"]
    assert group["quotient"] == "1000/3"
    assert group["lists"][0]["remainder"] == "350/3"
    assert group["ties"] == [{"key": "C-1:general:A|B", "lists": ["A", "B"], "decided_by": "age",
                              "winner": "A", "lot_source": None}]
    assert out["totals"] == {"A": 2, "B": 1, "C": 0}
    assert out["lot_seed"] is None

    doc["lists"][1]["candidates"]["general"][1]["birth_date"] = "1990-01-01"
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    pending = allocate_lists(c, parse_rules(doc))
    out = result_to_json(pending, c)
    _check_result(out)
    assert out["status"] == "lot_required"
    assert out["lot_required"] == {"key": "C-1:general:A|B", "lists": ["A", "B"],
                                   "group": "general"}
    assert out["groups"] == [] and out["totals"] == {}
    lots = Lots(seed="minutes-2021-09-09")
    out = result_to_json(allocate_lists(c, parse_rules(doc), lots), c, lots)
    _check_result(out)
    assert out["lot_seed"] == "minutes-2021-09-09"
    assert out["groups"][0]["ties"][0]["lot_source"] == "seed"


def test_result_json_of_a_rerun_and_a_threshold() -> None:
    doc = list_doc()
    doc["lists"] = [{"id": "A", "votes": 100}]
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    out = result_to_json(allocate_lists(c, parse_rules(doc)), c)
    _check_result(out)
    assert out["status"] == "rerun_required" and out["reason"]
    assert out["groups"] == []

    doc = list_doc()
    doc["lists"] = [{"id": "A", "votes": 500}, {"id": "B", "votes": 29}, {"id": "C", "votes": 51}]
    c = parse_constituency(doc)
    assert isinstance(c, ListConstituency)
    out = result_to_json(allocate_lists(c, parse_rules(doc, "communal-2015")), c)
    _check_result(out)
    line_b = out["groups"][0]["lists"][1]
    assert line_b["excluded"] is True and line_b["seats"] == 0 and line_b["remainder"] == "0"
    assert out["groups"][0]["base"] == 551


def test_result_json_of_a_district() -> None:
    doc = district_doc()
    d = parse_constituency(doc)
    assert isinstance(d, District)
    result = allocate_district(d, parse_rules(doc))
    assert result.status is AllocationStatus.DECLARED
    out = result_to_json(result, d)
    _check_result(out)
    assert (out["winner"], out["elected"], out["ties"]) == ("x", ["X", "Salma"], [])


def test_fraction_str() -> None:
    assert fraction_str(Fraction(18900)) == "18900"
    assert fraction_str(Fraction(171140, 3)) == "171140/3"
    assert fraction_str(Fraction(0)) == "0"


# --------------------------------------------------------------------------------------------
# the error catalogue

_CODE = re.compile(r"\b[EW]-[A-Z]+-[0-9]{3}\b")


def _codes_in_sources() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "src" / "intikhab").rglob("*.py"):
        if path.name != "errors.py":
            codes |= set(_CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_error_code_used_is_in_the_catalogue() -> None:
    used = _codes_in_sources()
    assert {"E-ALLOC-004", "E-ALLOC-015", "E-ALLOC-016", "E-ALLOC-002"} <= used
    assert used - set(CATALOGUE) == set()


def test_every_catalogue_entry_has_three_messages_with_the_same_placeholders() -> None:
    fmt = string.Formatter()
    for code, check in CATALOGUE.items():
        assert check.code == code and _CODE.fullmatch(code)
        names = []
        for lang in ("ar", "fr", "en"):
            text = getattr(check, lang)
            assert isinstance(text, str) and text.strip(), (code, lang)
            names.append({n for _, n, _, _ in fmt.parse(text) if n})
        assert names[0] == names[1] == names[2], (code, names)
