"""Terminal rendering of allocation results as the guide prints them (Rich tables).

Arabic is the default language (headers as in the guide's chapter 10); ``fr`` and ``en`` give
the alternatives.  Figures use Western digits, as the guide does.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from intikhab.formats.allocation_json import fraction_str
from intikhab.formats.words import LANGS, WORDS, word
from intikhab.law.allocation import AllocationStatus, DistrictResult, GroupResult, ListResult, Tie


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (ar, fr or en; Arabic for any other) from the one catalogue
    of words, in the terminal's own wording (``term.<key>``) where it has one."""
    own = f"term.{key}"
    return word(own if own in WORDS else key, lang if lang in LANGS else "ar")


def _status(result: ListResult | DistrictResult, lang: str) -> Text:
    style = {AllocationStatus.DECLARED: "bold green", AllocationStatus.LOT_REQUIRED: "bold yellow",
             AllocationStatus.RERUN_REQUIRED: "bold red"}[result.status]
    text = Text(f"{t(result.status.value, lang)} — {t('rules', lang)}: {result.rules}", style)
    if result.reason:
        text.append(f" ({result.reason})", style="red")
    lot = result.lot_required
    if lot is not None:
        text.append(f"\n{lot.key}: {' / '.join(lot.contenders)}", style="yellow")
    return text


def _tie_line(tie: Tie, lang: str) -> str:
    how = t(tie.decided_by.value, lang)
    source = f", {tie.lot_source}" if tie.lot_source else ""
    return f"{tie.key}: {' / '.join(tie.contenders)} → {tie.winner} ({how}{source})"


def group_table(g: GroupResult, names: Mapping[str, str], lang: str) -> Table:
    """One of the guide's tables: votes, quotient, whole quotas, remainder, remainder seats."""
    title = t(g.part.value, lang)
    if g.council is not None:
        title += f" — {t(g.council.value, lang)}"
    q = fraction_str(g.quotient)
    title += f"\n{t('quotient', lang)} = {g.base} / {g.seats} = {q}"
    table = Table(title=title, title_justify="center", show_footer=True)
    won = sum(ln.by_quotient for ln in g.lines)
    by_rem = sum(ln.by_remainder for ln in g.lines)
    table.add_column(t("list", lang), footer=f"{t('seats_to_fill', lang)}: {g.seats}")
    table.add_column(t("votes", lang), justify="right")
    table.add_column(t("by_quotient", lang), justify="right", footer=str(won))
    table.add_column(t("remainder", lang), justify="right")
    table.add_column(t("by_remainder", lang), justify="right", footer=str(by_rem))
    table.add_column(t("seats", lang), justify="right", footer=str(won + by_rem))
    table.add_column(t("ranks", lang))
    for ln in g.lines:
        label = ln.id + (f" ({t('excluded', lang)})" if ln.excluded else "")
        table.add_row(
            label, str(ln.votes), str(ln.by_quotient), fraction_str(ln.remainder),
            str(ln.by_remainder or ""), str(ln.seats),
            " ".join(map(str, ln.elected_ranks)),
            style="bold" if ln.seats else None,
        )
    if g.ties or g.unfilled:
        lines = [f"{t('ties', lang)}: {_tie_line(tie, lang)}" for tie in g.ties]
        if g.unfilled:
            lines.append(f"{t('unfilled', lang)}: {g.unfilled}")
        table.caption = "\n".join(lines)
    return table


def totals_table(
    result: ListResult, names: Mapping[str, str], lang: str, *, with_elected: bool = True
) -> Table:
    table = Table(title=t("totals", lang))
    table.add_column(t("list", lang))
    for g in result.groups:
        title = t(g.part.value, lang) + (f" — {t(g.council.value, lang)}" if g.council else "")
        table.add_column(title, justify="right")
    table.add_column(t("seats", lang), justify="right", style="bold")
    if with_elected:
        table.add_column(t("elected", lang))
    for lst_id, total in result.totals.items():
        lines = [next(ln for ln in g.lines if ln.id == lst_id) for g in result.groups]
        name = names.get(lst_id)
        elected = "، ".join(n for ln in lines for n in ln.elected)
        row = [f"{lst_id} {name}" if name else lst_id, *(str(ln.seats) for ln in lines),
               str(total)]
        table.add_row(*row, *([elected] if with_elected else []))
    return table


def render_list_result(
    result: ListResult, names: Mapping[str, str], lang: str = "ar"
) -> RenderableType:
    parts: list[RenderableType] = [_status(result, lang)]
    parts += [group_table(g, names, lang) for g in result.groups]
    if result.groups:
        parts.append(totals_table(result, names, lang))
    return Group(*parts)


def render_district_result(result: DistrictResult, lang: str = "ar") -> RenderableType:
    parts: list[RenderableType] = [_status(result, lang)]
    if result.winner is not None:
        parts.append(Text(f"{t('winner', lang)}: {', '.join(result.elected)}", "bold"))
    parts += [Text(f"{t('ties', lang)}: {_tie_line(tie, lang)}") for tie in result.ties]
    return Group(*parts)


def render_comparison(
    a: ListResult | DistrictResult, b: ListResult | DistrictResult,
    names: Mapping[str, str], lang: str = "ar",
) -> Table:
    """Seats per list under two rule sets, side by side, with the difference."""
    table = Table(title=f"{a.rules}  ↔  {b.rules}")
    table.add_column(t("list", lang))
    table.add_column(a.rules, justify="right")
    table.add_column(b.rules, justify="right")
    table.add_column(t("difference", lang), justify="right")
    ta, tb = comparison_totals(a), comparison_totals(b)
    for key in dict.fromkeys([*ta, *tb]):
        d = tb.get(key, 0) - ta.get(key, 0)
        table.add_row(names.get(key) or key, str(ta.get(key, 0)), str(tb.get(key, 0)),
                      f"{d:+d}" if d else "0", style="bold" if d else None)
    table.caption = f"{a.status.value} / {b.status.value}"
    return table


def comparison_totals(result: ListResult | DistrictResult) -> dict[str, int]:
    if isinstance(result, ListResult):
        return result.totals
    return {} if result.winner is None else {result.winner: 1}


def print_to(console: Console, renderable: RenderableType) -> None:
    console.print(renderable)
