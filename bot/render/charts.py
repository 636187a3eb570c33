"""Charts for admins, drawn with matplotlib through `Figure` + `FigureCanvasAgg`, which needs no global
backend and no pyplot state, so they may run in worker processes or threads."""

from __future__ import annotations

import datetime
import io
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties


from bot.domain import ChartData
from bot.render.typeset import clean_name, latin, mpl_font, shorten, units

CHART_WIDTH = 1200  # px, at CHART_DPI
CHART_DPI = 100
MAX_RATE_ROWS = 30


_BAR = "#b83b2e"
_PASS = "#3f7f5f"
_EXCELLENT = "#d4a017"


# ---------------------------------------------------------------- charts


def participation_chart_png(days: list[tuple[datetime.date, int]], *, title: str) -> bytes:
    """Participants per day as bars, 1200x600 PNG; dates as 12-01, each bar labelled with its value."""
    prop = mpl_font()
    fig = _figure(CHART_WIDTH, 600)
    ax = fig.add_subplot()
    heading = _chart_title(title, prop, "Participants per day")
    days = sorted(days, key=lambda item: item[0])
    if not days:
        _no_data(fig, ax, prop, heading)
        return _png(fig)

    values = [int(count) for _, count in days]
    xs = list(range(len(days)))
    bars = ax.bar(xs, values, width=0.7, color=_BAR)
    n = len(days)
    label_size = 11 if n <= 20 else 9 if n <= 40 else 7
    ax.bar_label(
        bars, labels=[str(v) for v in values], padding=2, fontsize=label_size, rotation=90 if n > 45 else 0
    )
    step = max(1, math.ceil(n / 31))
    ax.set_xticks(
        xs[::step], [day.strftime("%m-%d") for day, _ in days][::step], rotation=45 if n > 14 else 0
    )
    ax.set_xlim(-0.6, n - 0.4)
    top = max(values + [0])
    ax.set_ylim(min(values + [0]), top * 1.18 if top > 0 else 1)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("参与人数" if prop is not None else "Participants", **_text_kw(prop, 12))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(heading, **_text_kw(prop, 16))
    fig.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.16 if n > 14 else 0.1)
    return _png(fig)


def rates_chart_png(
    rows: list[tuple[str, float, float]], *, title: str, absent: list[str] | None = None
) -> bytes:
    """Pass and excellence rate (0-100 %) per school as grouped horizontal bars, 1200 px wide, taller
    with more schools; the schools where nobody took part (`absent`) follow them, marked as such (they had
    come first: with 26 of a district's 30 without anyone, the four with figures were squeezed in at the
    bottom, and at a larger district's size would not have been drawn). Only the first 30 rows are drawn;
    a note says how many were left out."""
    prop = mpl_font()
    heading = _chart_title(title, prop, "Pass and excellence rates")
    rows, first_absent, hidden = rate_rows(rows, absent or [])
    n = len(rows)
    height_px = 400 if n == 0 else max(300, round(140 + 42 * n))
    fig = _figure(CHART_WIDTH, height_px)
    ax = fig.add_subplot()
    if not rows:
        _no_data(fig, ax, prop, heading)
        return _png(fig)

    labels = [_row_label(school, prop is not None) for school, _, _ in rows]
    pass_rates = [_rate(p) for _, p, _ in rows]
    excellent_rates = [_rate(e) for _, _, e in rows]
    legend = ("合格率", "优秀率") if prop is not None else ("Pass", "Excellent")
    ys = list(range(n))
    h = 0.38
    pass_bars = ax.barh([y - h / 2 for y in ys], pass_rates, height=h, color=_PASS, label=legend[0])
    excellent_bars = ax.barh(
        [y + h / 2 for y in ys], excellent_rates, height=h, color=_EXCELLENT, label=legend[1]
    )
    nobody = "未参与" if prop is not None else "nobody took part"
    for bars, rates, said in ((pass_bars, pass_rates, nobody), (excellent_bars, excellent_rates, "")):
        # 未参与 once a row, beside its first bar (it had been said twice)
        marks = [said if i >= first_absent else f"{r:.1f}%" for i, r in enumerate(rates)]
        ax.bar_label(bars, labels=marks, padding=3, **_text_kw(prop, 8))
    ax.set_yticks(ys, labels, **_text_kw(prop, 10))
    for tick in ax.get_yticklabels()[first_absent:]:
        tick.set_color(_BAR)
    ax.invert_yaxis()
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 110)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        frameon=False,
        borderaxespad=0.2,
        prop=_prop(prop, 10),
    )
    ax.set_title(heading, loc="left", pad=8, **_text_kw(prop, 15))
    if hidden:
        note = f"另有 {hidden} 所学校未显示" if prop is not None else f"{hidden} more not shown"
        fig.text(0.99, 0.01, note, ha="right", va="bottom", color="#666666", **_text_kw(prop, 9))

    label_inches = max(units(label) for label in labels) * 10 / 72 + 0.3
    left = min(max(label_inches, 0.8), 4.5)
    width_in, height_in = CHART_WIDTH / CHART_DPI, height_px / CHART_DPI
    fig.subplots_adjust(
        left=left / width_in,
        right=0.98,
        top=1 - 0.75 / height_in,
        bottom=(0.55 if hidden else 0.4) / height_in,
    )
    return _png(fig)


def rate_rows(
    rows: list[tuple[str, float, float]], absent: list[str]
) -> tuple[list[tuple[str, float, float]], int, int]:
    """The rates chart's rows: the schools with figures, then those where nobody took part (at 0), at most
    MAX_RATE_ROWS; where the latter begin, and how many rows were left out."""
    every = list(rows) + [(name, 0.0, 0.0) for name in absent]
    return every[:MAX_RATE_ROWS], len(rows), max(0, len(every) - MAX_RATE_ROWS)


def _figure(width_px: int, height_px: int) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / CHART_DPI, height_px / CHART_DPI), dpi=CHART_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=CHART_DPI, facecolor="white")
    return out.getvalue()


def _no_data(fig: Figure, ax: Any, prop: FontProperties | None, heading: str) -> None:
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        "暂无数据" if prop is not None else "No data",
        ha="center",
        va="center",
        color="#888888",
        transform=ax.transAxes,
        **_text_kw(prop, 28),
    )
    ax.set_title(heading, **_text_kw(prop, 16))


def _chart_title(title: str, prop: FontProperties | None, generic: str) -> str:
    title = clean_name(title, 80)
    if prop is None and not (title.isascii() and title):
        title = generic
    return _mpl_escape(title)


def _row_label(school: str, has_cjk: bool) -> str:
    label = clean_name(school, 60)
    if not has_cjk:
        return _mpl_escape(shorten(latin(label), 26, "...") or "?")
    return _mpl_escape(shorten(label, 16, "…") or "?")


def _rate(value: float) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        return 0.0
    return min(max(rate, 0.0), 100.0) if math.isfinite(rate) else 0.0


def _mpl_escape(text: str) -> str:
    """A lone or paired '$' would switch matplotlib to mathtext."""
    return text.replace("$", r"\$")


def _prop(prop: FontProperties | None, size: float) -> FontProperties | dict[str, float]:
    if prop is None:
        return {"size": size}
    sized = prop.copy()
    sized.set_size(size)
    return sized


def _text_kw(prop: FontProperties | None, size: float) -> dict[str, Any]:
    if prop is None:
        return {"fontsize": size}
    return {"fontproperties": _prop(prop, size)}


def charts(data: ChartData, *, per_day_title: str, rates_title: str) -> list[bytes]:
    """/chart's two pictures: completions per day, and pass and excellence rates by school (PNG)."""
    return [
        participation_chart_png(data.days, title=per_day_title),
        rates_chart_png(data.rates, title=rates_title, absent=data.absent),
    ]
