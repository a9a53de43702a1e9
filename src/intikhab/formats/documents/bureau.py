"""From a stored bureau session to its record (محضر جلسة انتخاب الرئيس ونوابه), replayed with
the law: each office's candidacies or lists, who was admitted and why not, each round's rule,
the votes it needed, the members present and the votes, the ties and how each was settled
(the youngest, the president's list, a lot entered or drawn from the public seed), the bureau
as formed.  Pure: no I/O.

The offices and their articles (``law.bureau``; docs/bureaus.md):

- the president: art. 15 of law 111.14 (regions), law 112.14 (prefectures and provinces; the
  essay gives no article), art. 13 of law 113.14 (communes);
- the vice-presidents, by list: art. 21 of law 111.14, art. 20 of law 112.14, art. 19 of law
  113.14;
- the secretary of the council and his deputy: art. 25 of law 111.14, art. 24 of law 112.14,
  art. 23 of law 113.14.

The stored session holds what the session decided (the roster as the law read it, each office's
candidacies, rounds and outcome, the lots and their seed); the record replays each office with
``law.bureau`` (through ``formats.bureau_json``, the ``intikhab bureau elect`` format) to print
what the stored outcome leaves out (the winner of each tie, whose lot), and refuses to print a
session whose replay differs from what was stored (``E-DOC-005``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final

from intikhab.formats.bureau_json import decide, outcome_to_json, parse_bureau
from intikhab.formats.documents.model import (
    BureauDocument,
    BureauSeat,
    Contender,
    CouncilHeader,
    OfficeRecord,
    RoundLine,
    Seal,
    TieLine,
)
from intikhab.law.bureau import CouncilKind, Office, OfficeOutcome, vice_president_count
from intikhab.law.bureau_rounds import absolute_majority
from intikhab.law.errors import IntikhabError

__all__ = ["ARTICLES", "LAWS", "OFFICES", "bureau_document"]

#: The offices the session elects, in the order it elects them.
OFFICES: Final = (Office.PRESIDENT, Office.VICE_PRESIDENTS, Office.SECRETARY,
                  Office.DEPUTY_SECRETARY)

#: Each office's article by council kind (``""``: the essay gives none) — see the module doc.
ARTICLES: Final[dict[CouncilKind, dict[Office, str]]] = {
    CouncilKind.REGION: {Office.PRESIDENT: "15", Office.VICE_PRESIDENTS: "21",
                         Office.SECRETARY: "25", Office.DEPUTY_SECRETARY: "25"},
    CouncilKind.PREFECTURE: {Office.PRESIDENT: "", Office.VICE_PRESIDENTS: "20",
                             Office.SECRETARY: "24", Office.DEPUTY_SECRETARY: "24"},
    CouncilKind.COMMUNE: {Office.PRESIDENT: "13", Office.VICE_PRESIDENTS: "19",
                          Office.SECRETARY: "23", Office.DEPUTY_SECRETARY: "23"},
}

#: The organic law on each kind of council.
LAWS: Final[dict[CouncilKind, str]] = {CouncilKind.REGION: "111.14",
                                       CouncilKind.PREFECTURE: "112.14",
                                       CouncilKind.COMMUNE: "113.14"}


def _replay(stored: Mapping[str, Any], office: Office, data: Mapping[str, Any],
            president: str | None, bureau: Collection[str]) -> OfficeOutcome:
    """One office decided again from what the session recorded (``bureau elect``'s input)."""
    doc: dict[str, Any] = {
        "council": stored["council_kind"], "mode": stored["mode"],
        "members": list(stored["roster"]), "office": office.value,
        "rounds": list(data.get("rounds") or ()), "lots": dict(stored.get("lots") or {}),
        "lot_seed": stored.get("lot_seed")}
    if office is Office.VICE_PRESIDENTS:
        doc |= {"lists": list(data.get("lists") or ()), "president": president}
    else:
        doc["candidates"] = list(data.get("candidates") or ())
        if office is not Office.PRESIDENT:
            doc["bureau"] = sorted(bureau)
    outcome = decide(parse_bureau(doc))
    if outcome_to_json(outcome) != data.get("outcome"):
        raise IntikhabError("E-DOC-005", field=f"offices.{office.value}",
                            value=str(stored.get("council_id", "")))
    return outcome


class _People:
    """The roster's names, parties and sexes, and each contender's label."""

    def __init__(self, roster: list[Mapping[str, Any]], parties: Mapping[str, str]) -> None:
        self.by_id = {str(m["id"]): m for m in roster}
        self.parties = parties
        self.labels: dict[str, str] = {}

    def name(self, mid: str | None) -> str:
        if mid is None:
            return ""
        return str(self.by_id.get(mid, {}).get("name") or mid)

    def party(self, mid: str) -> tuple[str, str]:
        party = self.by_id.get(mid, {}).get("party") or ""
        return party, self.parties.get(party, "")

    def female(self, mid: str) -> bool:
        return self.by_id.get(mid, {}).get("sex") == "F"

    def seat(self, role: str, rank: int, mid: str) -> BureauSeat:
        return BureauSeat(role, rank, self.name(mid), *self.party(mid))


def _contenders(office: Office, data: Mapping[str, Any], o: OfficeOutcome,
                people: _People) -> tuple[Contender, ...]:
    why = {r.id: r.code for r in o.rejected}
    out: list[Contender] = []
    if office is Office.VICE_PRESIDENTS:
        for lst in data.get("lists") or ():
            lid, head = str(lst["id"]), str(lst["head"])
            people.labels[lid] = f"{lid} — {people.name(head)}"
            out.append(Contender(lid, people.name(head), *people.party(head),
                                 rejection=why.get(lid, ""),
                                 members=tuple((people.name(m), people.female(m))
                                               for m in lst["members"])))
        return tuple(out)
    for c in data.get("candidates") or ():
        mid = str(c["member"])
        people.labels[mid] = people.name(mid)
        out.append(Contender(mid, people.name(mid), *people.party(mid),
                             endorsed=bool(c.get("endorsed")) if office is Office.PRESIDENT
                             else None, rejection=why.get(mid, "")))
    return tuple(out)


def _office(stored: Mapping[str, Any], office: Office, kind: CouncilKind,
            president: str | None, bureau: Collection[str], people: _People
            ) -> tuple[OfficeRecord, tuple[str, ...]]:
    """One office's record, and whom it elected (the vice-presidents in their list's order)."""
    data = (stored.get("offices") or {}).get(office.value)
    article = ARTICLES[kind][office]
    if data is None:
        return OfficeRecord(office.value, article, "not_held"), ()
    o = _replay(stored, office, data, president, bureau)
    contenders = _contenders(office, data, o, people)
    rounds = tuple(
        RoundLine(r.round, r.rule.value, r.needed, int(given["present"]),
                  tuple((c, int(given.get("votes", {}).get(c, 0))) for c in r.contenders),
                  r.outcome.value, (o.elected or "") if r.outcome.value == "elected" else "")
        for r, given in zip(o.rounds, data.get("rounds") or (), strict=False))
    label = people.labels.get
    ties = tuple(TieLine(t.key, tuple(label(c, c) for c in t.contenders),
                         "pending" if t.resolved_by is None else t.resolved_by.value,
                         "" if t.winner is None else label(t.winner, t.winner), t.lot_source)
                 for t in o.ties)
    ids: tuple[str, ...] = ()
    if o.elected is not None:
        ids = (tuple(str(m) for m in next(lst["members"] for lst in data["lists"]
                                            if lst["id"] == o.elected))
               if office is Office.VICE_PRESIDENTS else (o.elected,))
    record = OfficeRecord(office.value, article, o.status.value, contenders, rounds, ties,
                          tuple(people.name(m) for m in ids),
                          None if o.next_round is None else o.next_round.round)
    return record, ids


def bureau_document(header: CouncilHeader, seal: Seal, stored: Mapping[str, Any],
                    parties: Mapping[str, str] | None = None) -> BureauDocument:
    """The record of a stored bureau session (a ``bureau_session`` row as a mapping: its
    ``council_id``, ``council_kind``, ``mode``, ``held_on``, ``members``, ``in_office``,
    ``present``, ``status``, ``roster``, ``offices``, ``outcome``, ``lots``, ``lot_seed``);
    ``parties`` names the parties by id.  The offices are replayed in the session's order:
    the vice-presidents once the president is elected, the secretary and his deputy outside
    the bureau (art. 25 of law 111.14, art. 24 of law 112.14, art. 23 of law 113.14); who
    governs must be what the session stored (``E-DOC-005``): the record's digest is its."""
    kind = CouncilKind(stored["council_kind"])
    people = _People(list(stored["roster"]), parties or {})
    pres, chosen = _office(stored, Office.PRESIDENT, kind, None, (), people)
    president = next(iter(chosen), None)
    vp, vps = _office(stored, Office.VICE_PRESIDENTS, kind, president, (), people)
    bureau = {x for x in (president, *vps) if x}
    sec, secretary = _office(stored, Office.SECRETARY, kind, None, bureau, people)
    dep, deputy = _office(stored, Office.DEPUTY_SECRETARY, kind, None, bureau | set(secretary),
                          people)
    who = {"president": president, "vice_presidents": list(vps),
           "secretary": next(iter(secretary), None), "deputy_secretary": next(iter(deputy), None)}
    if who != stored.get("outcome"):
        raise IntikhabError("E-DOC-005", field="outcome", value=str(stored.get("council_id", "")))
    composition = (*(people.seat("president", 1, x) for x in (president,) if x),
                   *(people.seat("vice_president", i, v) for i, v in enumerate(vps, 1)),
                   *(people.seat("council_secretary", 1, x) for x in secretary),
                   *(people.seat("deputy_secretary", 1, x) for x in deputy))
    in_office = int(stored["in_office"])
    members = int(stored["members"])
    return BureauDocument(
        header, seal, LAWS[kind], stored["held_on"], members, in_office, int(stored["present"]),
        absolute_majority(in_office), vice_president_count(kind, members), str(stored["status"]),
        (pres, vp, sec, dep), composition, stored.get("lot_seed"))
