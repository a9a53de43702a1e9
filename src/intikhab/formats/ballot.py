"""The single ballot as text: one frame per candidacy for a terminal table, and the printable
HTML page (right to left, Arabic).  Pure: the rows come from ``services.candidacy.ballot`` /
``combined_ballot`` as ``(party, communal entry, regional entry)``; an entry has ``name``,
``head``, ``number`` and ``attached``.
"""

from __future__ import annotations

import html
from typing import Any


def frame_text(e: Any) -> str:
    """A candidacy's frame on one line: name, head of list, registration number, and the
    attached seat's candidate if any."""
    if e is None:
        return ""
    text = f"{e.name} — {e.head} (n° {e.number})"
    return text + (f" / {e.attached}" if e.attached else "")


def ballot_html(constituency: str, regional: str | None, rows: Any) -> str:
    """A printable single ballot (right to left, Arabic), one equal frame per candidacy
    (art. 11 §4), the communal frame beside the same party's regional frame."""
    cells = []
    for party, c, r in rows:
        frames = "".join(
            f"<td class=frame>{'' if e is None else _html_frame(e)}</td>"
            for e in ((c, r) if regional else (c,)))
        cells.append(f"<tr><th>{html.escape(party or 'بدون انتماء سياسي')}</th>{frames}</tr>")
    head = "<th>الاقتراع الجماعي</th><th>الاقتراع الجهوي</th>" if regional else \
        "<th>الترشيحات</th>"
    title = html.escape(constituency + (f" + {regional}" if regional else ""))
    return ("<!doctype html><html lang=ar dir=rtl><meta charset=utf-8>"
            f"<title>الورقة الفريدة {title}</title><style>body{{font-family:Amiri,serif}}"
            "table{border-collapse:collapse}td,th{border:1px solid #000;padding:1em;"
            "min-width:14em}.box{display:inline-block;width:2em;height:2em;"
            "border:2px solid #000;margin-inline-start:1em;vertical-align:middle}</style>"
            f"<h1>الورقة الفريدة — الدائرة الانتخابية {title}</h1>"
            f"<table><tr><th>الانتماء السياسي</th>{head}</tr>{''.join(cells)}</table>\n")


def _html_frame(e: Any) -> str:
    extra = f"<br>المقعد الملحق: {html.escape(e.attached)}" if e.attached else ""
    return (f"<b>{html.escape(e.name)}</b><br>{html.escape(e.head)}{extra}"
            f"<span class=box></span>")
