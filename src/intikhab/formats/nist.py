"""The declared results as a NIST SP 1500-100 version 2 Election Results Reporting
``ElectionReport`` (JSON); the mapping is in docs/formats.md.  Pure: the caller gathers the
territory, the declared contests and the parties (``services.transfer.export_nist``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from intikhab.formats.declared import Contest

__all__ = ["COUNTRY", "NIST", "NIST_SCHEMA", "Report", "Territory", "election_report", "gpu_id"]

NIST: Final = "ElectionResults."
NIST_SCHEMA: Final = ("https://github.com/usnistgov/ElectionResultsReporting/blob/"
                      "version2/NIST_V2_election_results_reporting.json")
COUNTRY: Final = "gpu-MA"
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_VOTE_NAMES: Final = {
    "communal": ("الانتخابات الجماعية", "Élections communales"),
    "regional": ("الانتخابات الجهوية", "Élections régionales"),
}
_COUNCIL_NAMES: Final = {
    "communal": ("مجلس جماعة", "Conseil communal de"),
    "regional": ("مجلس جهة", "Conseil régional de"),
}


@dataclass(frozen=True, slots=True)
class Territory:
    """The reporting units: regions ``(id, name)``, prefectures ``(id, region, name)`` and
    communes ``(id, region, prefecture or None, name)``, each by id; constituencies
    ``(id, name, vote, kind)`` by vote then id."""

    regions: Sequence[tuple[str, str]]
    prefectures: Sequence[tuple[str, str, str]]
    communes: Sequence[tuple[str, str, str | None, str]]
    constituencies: Sequence[tuple[str, str, str, str]]


@dataclass(frozen=True, slots=True)
class Report:
    """What the report says: the election, its territory, the declared contests (communal
    first, by council and id) out of ``total`` constituencies, the parties ``id → (Arabic name,
    French name)`` by id, each list's party ``(constituency, code) → party`` and the engine."""

    name: str
    polling_date: date
    territory: Territory
    contests: Sequence[Contest]
    total: int
    parties: Mapping[str, tuple[str, str]]
    party_of: Mapping[tuple[str, str], str | None]
    engine: str


def _t(kind: str, **fields: Any) -> dict[str, Any]:
    return {"@type": NIST + kind, **fields}


def _itext(ar: str | None = None, fr: str | None = None) -> dict[str, Any]:
    """An ``InternationalizedText``: Arabic and/or French ``LanguageString`` entries."""
    texts = [_t("LanguageString", Content=text, Language=lang)
             for lang, text in (("ar", ar), ("fr", fr)) if text]
    return _t("InternationalizedText", Text=texts)


def _name(text: str) -> dict[str, Any]:
    """A stored name as ``InternationalizedText``: ``"عربي / Français"`` gives both
    languages; otherwise the name's script decides (Arabic script → ``ar``, else ``fr``)."""
    ar, sep, fr = text.partition(" / ")
    if sep and _ARABIC.search(ar) and not _ARABIC.search(fr):
        return _itext(ar.strip(), fr.strip())
    return _itext(ar=text) if _ARABIC.search(text) else _itext(fr=text)


def gpu_id(kind: str, ident: str) -> str:
    """The ``@id`` of a reporting unit: ``gpu-<kind>-<id>`` (a region, a prefecture, a commune
    and a constituency may share an id in the bundle; ``@id`` must be unique)."""
    return f"gpu-{kind}-{ident}"


def _count(n: int, unit: str, kind: str = "total") -> dict[str, Any]:
    return _t("VoteCounts", Count=n, GpUnitId=unit, Type=kind)


def _units(t: Territory, declared: Mapping[str, Contest]) -> list[dict[str, Any]]:
    under: dict[str, list[str]] = defaultdict(list)
    for pid, region, _name_p in t.prefectures:
        under[gpu_id("region", region)].append(gpu_id("prefecture", pid))
    for mid, region, prefecture, _name_m in t.communes:
        parent = gpu_id("prefecture", prefecture) if prefecture else gpu_id("region", region)
        under[parent].append(gpu_id("commune", mid))
    units = [_t("ReportingUnit", **{"@id": COUNTRY}, Type="country",
                Name=_itext("المملكة المغربية", "Royaume du Maroc"),
                ComposingGpUnitIds=[gpu_id("region", rid) for rid, _ in t.regions])]

    def unit(kind: str, ident: str, name: str, type_: str, **extra: Any) -> dict[str, Any]:
        uid = gpu_id(kind, ident)
        doc = _t("ReportingUnit", **{"@id": uid}, Type=type_, Name=_name(name), **extra)
        if under.get(uid):
            doc["ComposingGpUnitIds"] = under[uid]
        return doc

    units += [unit("region", rid, name, "state") for rid, name in t.regions]
    units += [unit("prefecture", pid, name, "county") for pid, _r, name in t.prefectures]
    units += [unit("commune", mid, name, "municipality") for mid, _r, _p, name in t.communes]
    for cid, name, vote, kind in t.constituencies:
        extra: dict[str, Any] = {"Number": cid}
        type_ = "ward"  # a single-member district of a commune
        if kind != "single_member":
            type_, extra["OtherType"] = "other", f"{vote}-list-constituency"
        c = declared.get(cid)
        if c is not None:
            extra |= {"VotersRegistered": c.figures.registered,
                      "VotersParticipated": c.figures.voters}
        units.append(unit("constituency", cid, name, type_, **extra))
    return units


def _selections(c: Contest, report: Report, election: dict[str, Any],
                party_docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The contest's ``PartySelection``s (lists) or ``CandidateSelection``s (districts), with
    the elected (or standing) candidates added to ``election`` and any party of its own to
    ``party_docs``."""
    unit = gpu_id("constituency", c.id)
    contest_id = f"contest-{c.id}"
    seats, elected = c.outcome.seats_by_code(), c.outcome.elected_by_code()
    divided = "arrondissement" in c.outcome.councils  # art. 141 §1 item 2
    commune = c.outcome.seats_by_code(commune_only=True)
    selections: list[dict[str, Any]] = []
    for rank, row in enumerate(c.figures.rows, 1):
        code = row.id
        party = report.party_of.get((c.id, code))
        if party is not None:
            party_ref = f"party-{party}"
        else:  # a list or candidate without a party: a party of its own
            party_ref = f"list-{c.id}-{code}"
            party_docs[party_ref] = _t("Party", **{"@id": party_ref},
                                       Name=_name(row.name or code), IsRecognizedParty=False)
        counts = [_count(row.votes, unit), _count(seats.get(code, 0), unit, "seats")]
        if divided:  # an arrondissement: which of the seats sit in the commune council
            counts.append(_t("VoteCounts", Count=commune.get(code, 0), GpUnitId=unit,
                             Type="other", OtherType="commune-council-seats"))
        sel_id = f"sel-{c.id}-{code}"
        if c.kind == "list":
            selections.append(_t("PartySelection", **{"@id": sel_id}, PartyIds=[party_ref],
                                 SequenceOrder=rank, VoteCounts=counts))
            for i, person in enumerate(elected.get(code, []), 1):
                election["Candidate"].append(_t(
                    "Candidate", **{"@id": f"cand-{c.id}-{code}-{i}"},
                    BallotName=_name(person), PartyId=party_ref, PostElectionStatus="winner",
                    ExternalIdentifier=[_t("ExternalIdentifier", Type="other",
                                           OtherType="contest", Value=contest_id)]))
            continue
        won = code in elected
        ticket = [(f"cand-{c.id}-{code}", row.name or code)]
        if row.attached_woman is not None:
            ticket.append((f"cand-{c.id}-{code}-attached", row.attached_woman))
        for i, (cid, person) in enumerate(ticket):
            election["Candidate"].append(_t(
                "Candidate", **{"@id": cid}, BallotName=_name(person), PartyId=party_ref,
                IsTopTicket=i == 0, PostElectionStatus="winner" if won else "defeated"))
        selections.append(_t("CandidateSelection", **{"@id": sel_id},
                             CandidateIds=[cid for cid, _ in ticket],
                             EndorsementPartyIds=[party_ref], SequenceOrder=rank,
                             VoteCounts=counts))
    return selections


def election_report(report: Report, generated: datetime | None = None,
                    issuer: str = "intikhab", issuer_abbreviation: str = "MA") -> dict[str, Any]:
    """The declared results as a NIST SP 1500-100 v2 ``ElectionReport`` (JSON), format
    ``summary-contest``: one ``Election`` per vote, one ``CandidateContest`` per declared
    constituency with a ``PartySelection`` per list (proportional) or a ``CandidateSelection``
    per district candidate (plurality), votes as ``VoteCounts`` of ``Type`` ``total`` and seats
    won as ``VoteCounts`` of ``Type`` ``seats``.  ``Status`` is ``certified`` when every
    constituency is declared, ``unofficial-partial`` otherwise.  Mapping: docs/formats.md."""
    when = (generated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    party_docs = {f"party-{pid}": _t("Party", **{"@id": f"party-{pid}"},
                                     Name=_itext(ar, fr),
                                     Abbreviation=_itext(fr=pid), IsRecognizedParty=True)
                  for pid, (ar, fr) in report.parties.items()}
    day = report.polling_date.isoformat()
    elections = {vote: _t("Election", ElectionScopeId=COUNTRY, StartDate=day, EndDate=day,
                          Type="general",
                          Name=_itext(f"{ar} — {report.name}", f"{fr} — {report.name}"),
                          Candidate=[], Contest=[], BallotCounts=[])
                 for vote, (ar, fr) in _VOTE_NAMES.items()}
    headers: dict[str, dict[str, Any]] = {}
    t = report.territory
    council_names = {rid: name for rid, name in t.regions}
    council_names |= {mid: name for mid, _r, _p, name in t.communes}
    for c in report.contests:
        election = elections[c.vote]
        unit = gpu_id("constituency", c.id)
        selections = _selections(c, report, election, party_docs)
        election["Contest"].append(_t(
            "CandidateContest", **{"@id": f"contest-{c.id}"}, Name=f"{c.id} — {c.name}",
            BallotTitle=_itext(f"الدائرة الانتخابية {c.name}", f"Circonscription {c.name}"),
            ElectionDistrictId=unit, NumberElected=c.seats, VotesAllowed=1,
            VoteVariation="proportional" if c.kind == "list" else "plurality",
            SubUnitsReported=c.stations, TotalSubUnits=c.stations,
            CountStatus=[_t("CountStatus", Status="completed", Type="total")],
            ContestSelection=selections))
        election["BallotCounts"].append(_t(
            "BallotCounts", GpUnitId=unit, Type="total", BallotsCast=c.figures.voters,
            BallotsRejected=c.figures.void))
        hid = f"header-{c.vote}-{c.council}"
        if hid not in headers:
            name = council_names.get(c.council, c.council)
            ar, fr = _COUNCIL_NAMES[c.vote]
            headers[hid] = _t("Header", **{"@id": hid}, Name=_itext(f"{ar} {name}",
                                                                     f"{fr} {name}"))
    complete = bool(report.contests) and len(report.contests) == report.total
    return _t(
        "ElectionReport",
        Format="summary-contest",
        GeneratedDate=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        Issuer=issuer,
        IssuerAbbreviation=issuer_abbreviation,
        VendorApplicationId=report.engine,
        Status="certified" if complete else "unofficial-partial",
        SequenceStart=1,
        SequenceEnd=1,
        Notes=("Declared results only; counts are sums of the accepted polling-station "
               "minutes. Schema: " + NIST_SCHEMA),
        Election=list(elections.values()),
        Party=list(party_docs.values()),
        GpUnit=_units(t, {c.id: c for c in report.contests}),
        Header=list(headers.values()),
    )
