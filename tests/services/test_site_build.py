"""The published data files assembled from per-constituency pieces (services/site_build.py) are
byte for byte the documents ``site_data._json`` and ``csv_text`` write whole; a region's
pieces read back from its files are the pieces written; the manifest's fast writer is
``json.dumps`` with ``indent=1``.  Only declared results are published (art. 24, law 59.11 as
amended)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from intikhab.formats.declared import RESULT_COLUMNS
from intikhab.formats.files import csv_text
from intikhab.records import manifest as mf
from intikhab.services import site_build
from intikhab.services.site_data import _json

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
leaf = st.none() | st.booleans() | st.integers() | text
value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(text, inner, max_size=3), max_leaves=12)
# a constituency id as the bundle allows it: it never opens with a spreadsheet formula's
# sign (=, +, -, @), which every CSV export neutralises (formats/files.py)
ident = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8).filter(
    lambda s: not s.startswith(("=", "+", "-", "@", "\t", "\r")))
entry = st.fixed_dictionaries({"id": text, "figures": value, "outcome": value})


@given(st.dictionaries(ident, entry, max_size=4), text)
def test_a_region_from_pieces_is_the_whole_document_art_24(entries: dict[str, dict[str, object]],
                                                           name: str) -> None:
    docs = [{**e, "id": cid} for cid, e in sorted(entries.items())]
    whole = _json({"region": "R1", "name": name, "constituencies": docs})
    assembled = site_build.region_json("R1", name, [site_build.piece(d) for d in docs])
    assert assembled == whole
    rows = {d["id"]: csv_text(RESULT_COLUMNS, [{"constituency": d["id"], "votes": 3,
                                                "elected": "a, \"b\" | c"}])[
        len(site_build.HEADER):] for d in docs}
    csv = (site_build.HEADER + "".join(rows[d["id"]] for d in docs)).encode()
    back = site_build.region_pieces(whole, csv)
    assert back is not None
    assert back[0] == {d["id"]: site_build.piece(d) for d in docs}
    assert back[1] == rows


@given(st.dictionaries(text.filter(bool), st.tuples(st.text("0123456789abcdef", min_size=64,
                                                            max_size=64),
                                                    st.integers(0, 10**9)), max_size=5))
def test_the_manifest_is_json_indented_by_one(files: dict[str, tuple[str, int]]) -> None:
    m = mf.Manifest("intikhab/x", datetime(2021, 9, 9, tzinfo=UTC), 3, None,
                    {p: mf.Entry(h, n) for p, (h, n) in files.items()})
    doc = {"format": mf.FORMAT, "origin": m.origin, "generated": "2021-09-09T00:00:00Z",
           "log_size": 3, "checkpoint_size": None,
           "files": {p: {"sha256": h, "size": n} for p, (h, n) in sorted(files.items())}}
    assert m.to_bytes() == (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
                            + "\n").encode()
