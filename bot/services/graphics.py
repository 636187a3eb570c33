"""Pictures the bot sends: a completion certificate (Pillow) and two charts (matplotlib).

Chinese text needs a font that has Chinese glyphs. `find_cjk_font` looks for one (PUFABOT_CJK_FONT, the usual
Debian/Ubuntu paths, then fontconfig). Without one every picture switches to English wording and turns the
Chinese it was given (names, schools) into pinyin, so that nothing is drawn as empty boxes.

Nothing happens at import: Pillow, matplotlib and pypinyin are imported by the functions that use them, and
matplotlib is used through `Figure` + `FigureCanvasAgg`, which needs no global backend (and no pyplot state,
so the functions may run in worker threads).
"""

from __future__ import annotations

import datetime
import functools
import io
import math
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

FONT_ENV = "PUFABOT_CJK_FONT"
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FC_MATCH_TIMEOUT = 5  # seconds

MAX_NAME = 20
MAX_CAMPAIGN = 60
MAX_LEVEL = 20
MAX_ISSUER = 40
MAX_ISSUED = 30

CERTIFICATE_SIZE = (1600, 1131)
CHART_WIDTH = 1200  # px, at CHART_DPI
CHART_DPI = 100
MAX_RATE_ROWS = 30

_CREAM = (255, 251, 238)
_RED = (158, 27, 32)
_GOLD = (184, 140, 40)
_INK = (38, 34, 30)
_GREY = (96, 90, 84)

_BAR = "#b83b2e"
_PASS = "#3f7f5f"
_EXCELLENT = "#d4a017"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_CN_PUNCT = str.maketrans(
    {
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "《": '"',
        "》": '"',
        "〈": '"',
        "〉": '"',
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
        "（": "(",
        "）": ")",
        "，": ", ",
        "、": ", ",
        "。": ". ",
        "：": ": ",
        "；": "; ",
        "！": "! ",
        "？": "? ",
        "—": "-",
        "–": "-",
        "…": "...",
        "·": " ",
        "・": " ",
    }
)
# Line breaking: these never start a line / never end one (they are glued to their neighbour).
_NO_LINE_START = frozenset("，。、：；！？」』）》〉】”’,.;:!?)]}%")
_NO_LINE_END = frozenset("「『（《〈【“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f'.\-]+|\s+|.", re.S)

_FONT_LOCK = threading.Lock()


# ---------------------------------------------------------------- fonts


@functools.cache
def find_cjk_font() -> Path | None:
    """The first existing font file that can draw Chinese, or None.

    Order: $PUFABOT_CJK_FONT (trusted as given: the operator chose it), the usual package paths, then
    fontconfig (`fc-match -s :lang=zh`), counting only a font that fontconfig says covers Chinese.
    Cached: call `find_cjk_font.cache_clear()` after installing a font or changing the variable.
    """
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        path = Path(configured).expanduser()
        if path.is_file():
            return path
    for candidate in CJK_FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    return _fontconfig_cjk_font()


def _fontconfig_cjk_font() -> Path | None:
    """fontconfig's preferred font for Chinese. `fc-match` always answers, with DejaVu when no Chinese font
    is installed (and may rank DejaVu first even when one is), so walk its sorted list (-s) and take the
    first font whose languages include Chinese."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        result = subprocess.run(
            [fc_match, "-s", "-f", "%{file}\t%{lang}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=FC_MATCH_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if result.returncode != 0:
        return None
    for line in result.stdout.splitlines():
        file, _, langs = line.partition("\t")
        if file.strip() and any(lang.strip().lower().startswith("zh") for lang in langs.split("|")):
            path = Path(file.strip())
            if path.is_file():
                return path
    return None


@functools.cache
def _pil_face_index(path: str) -> int:
    """For a font collection, the face for Simplified Chinese (Noto CJK puts the Japanese one first)."""
    from PIL import ImageFont

    for index in range(10):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except (OSError, ValueError):
            break
        if " SC" in family or family.endswith("SC") or " CN" in family:
            return index
    return 0


def _pil_fonts(path: Path | None) -> tuple[bool, Callable[[int], Any]]:
    """(has_cjk, size -> font). A CJK font file that Pillow cannot open counts as no CJK font."""
    from PIL import ImageFont

    if path is not None:
        font_file = str(path)
        index = _pil_face_index(font_file)
        try:
            ImageFont.truetype(font_file, 12, index=index)
        except (OSError, ValueError):
            pass
        else:
            return True, lambda size: ImageFont.truetype(font_file, size, index=index)
    return False, lambda size: ImageFont.load_default(size=size)


@functools.cache
def _registered_mpl_font(path: str) -> FontProperties | None:
    from matplotlib import font_manager

    with _FONT_LOCK:
        try:
            font_manager.fontManager.addfont(path)
            font_manager.get_font(path)
        except (OSError, RuntimeError, ValueError):
            return None
    return font_manager.FontProperties(fname=path)


def _mpl_font() -> FontProperties | None:
    path = find_cjk_font()
    return None if path is None else _registered_mpl_font(str(path))


# ---------------------------------------------------------------- text


def clean_name(raw: str, limit: int = MAX_NAME) -> str:
    """What the user typed, safe to draw: control/format characters dropped (NUL, bidi overrides,
    zero-width), line breaks and tabs turned into spaces, runs of spaces collapsed, cut to `limit` chars."""
    text = unicodedata.normalize("NFC", raw or "")
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())[:limit].strip()


def _latin(text: str) -> str:
    """ASCII stand-in for text drawn without a CJK font: 张三 -> Zhang San, 2026年12月1日 -> 2026-12-01."""
    text = _CN_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    text = text.translate(_CN_PUNCT)
    text = unicodedata.normalize("NFKC", text)  # full-width letters and digits
    if _HAN.search(text):
        from pypinyin import lazy_pinyin  # a project dependency; imported only when needed

        text = _HAN.sub(lambda m: " " + " ".join(s.capitalize() for s in lazy_pinyin(m.group())) + " ", text)
    text = unicodedata.normalize("NFKD", text)  # é -> e + accent, the accent is dropped below
    text = "".join(ch for ch in text if ch.isascii() and (ch.isprintable() or ch.isspace()))
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:!?)\]])", r"\1", text)


def _units(text: str) -> float:
    """Rough width in ems: CJK and full-width characters are square, the rest about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def _shorten(text: str, max_units: float, ellipsis: str) -> str:
    if _units(text) <= max_units:
        return text
    out = ""
    for ch in text:
        if _units(out + ch + ellipsis) > max_units:
            break
        out += ch
    return out.rstrip() + ellipsis


def _wrap(text: str, font: Any, width: float) -> list[str]:
    """Greedy line breaking by measured width: Chinese per character, Latin per word, with closing
    punctuation kept off the start of a line and opening punctuation off its end."""
    units: list[str] = []
    opening = ""
    for token in _TOKEN.findall(text):
        if token in _NO_LINE_END:
            opening += token
        elif units and not opening and token[0] in _NO_LINE_START:
            units[-1] += token
        else:
            units.append(opening + token)
            opening = ""
    if opening:
        units.append(opening)

    lines: list[str] = []
    line = ""
    for unit in units:
        pieces = [unit] if font.getlength(unit.strip()) <= width else list(unit)  # an over-long word
        for piece in pieces:
            candidate = line + piece
            if line.strip() and font.getlength(candidate.rstrip()) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


# ---------------------------------------------------------------- certificate


def certificate_png(*, name: str, campaign: str, score: int, level: str, issued: str, issuer: str) -> bytes:
    """A landscape completion certificate (电子证书), 1600x1131 PNG."""
    from PIL import Image, ImageDraw

    has_cjk, font = _pil_fonts(find_cjk_font())
    name = clean_name(name)
    campaign = clean_name(campaign, MAX_CAMPAIGN)
    level = clean_name(level, MAX_LEVEL)
    issuer = clean_name(issuer, MAX_ISSUER)
    issued = clean_name(issued, MAX_ISSUED)
    if has_cjk:
        title = "荣誉证书"
        body = f"{name} 同学/老师：在「{campaign}」中成绩 {score} 分，评为「{level}」。特发此证，以资鼓励。"
    else:
        title = "Certificate"
        body = (
            f"This certifies that {_latin(name) or 'the participant'} scored {score} "
            f"in {_latin(campaign) or 'the campaign'}: {_latin(level) or '-'}."
        )
        issuer, issued = _latin(issuer), _latin(issued)

    width, height = CERTIFICATE_SIZE
    image = Image.new("RGB", CERTIFICATE_SIZE, _CREAM)
    draw = ImageDraw.Draw(image)
    _draw_border(draw, width, height)

    # Title, letter-spaced, with a rule and a diamond under it.
    title_font = font(120 if has_cjk else 104)
    spacing = 36 if has_cjk else 6
    title_width = sum(title_font.getlength(ch) for ch in title) + spacing * (len(title) - 1)
    x = (width - title_width) / 2
    for ch in title:
        draw.text((x, 150), ch, font=title_font, fill=_RED)
        x += title_font.getlength(ch) + spacing
    rule_y = 310
    draw.line((width / 2 - 300, rule_y, width / 2 + 300, rule_y), fill=_GOLD, width=3)
    _diamond(draw, width / 2, rule_y, 12, _GOLD)

    # Body: the largest size at which the wrapped text fits the box, each line centred.
    box_left, box_right, box_top, box_bottom = 210, width - 210, 370, 820
    for size in range(56, 26, -2):
        body_font = font(size)
        line_height = size * 1.75
        lines = _wrap(body, body_font, box_right - box_left)
        if len(lines) * line_height <= box_bottom - box_top:
            break
    y = box_top + (box_bottom - box_top - len(lines) * line_height) / 2 + (line_height - size) / 2
    for line in lines:
        line_width = body_font.getlength(line)
        draw.text(((width - line_width) / 2, y), line, font=body_font, fill=_INK)
        y += line_height

    # Issuer and date, bottom right.
    foot_font = font(40)
    right = width - 210
    for text, top in ((issuer, 870), (issued, 935)):
        if text:
            draw.text((right - foot_font.getlength(text), top), text, font=foot_font, fill=_INK)

    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_border(draw: Any, width: int, height: int) -> None:
    draw.rectangle((28, 28, width - 29, height - 29), outline=_RED, width=14)
    draw.rectangle((60, 60, width - 61, height - 61), outline=_GOLD, width=4)
    draw.rectangle((74, 74, width - 75, height - 75), outline=_GOLD, width=1)
    for cx, cy in ((60, 60), (width - 61, 60), (60, height - 61), (width - 61, height - 61)):
        _diamond(draw, cx, cy, 22, _GOLD)
        _diamond(draw, cx, cy, 10, _RED)
    for mid_y in (60, height - 61):
        _diamond(draw, width / 2, mid_y, 16, _GOLD)


def _diamond(draw: Any, cx: float, cy: float, r: float, fill: tuple[int, int, int]) -> None:
    draw.polygon(((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)), fill=fill)


# ---------------------------------------------------------------- charts


def participation_chart_png(days: list[tuple[datetime.date, int]], *, title: str) -> bytes:
    """Participants per day as bars, 1200x600 PNG; dates as 12-01, each bar labelled with its value."""
    prop = _mpl_font()
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


def rates_chart_png(rows: list[tuple[str, float, float]], *, title: str) -> bytes:
    """Pass and excellence rate (0-100 %) per school as grouped horizontal bars, 1200 px wide, taller
    with more schools. Only the first 30 rows are drawn; a note says how many were left out."""
    prop = _mpl_font()
    heading = _chart_title(title, prop, "Pass and excellence rates")
    rows = list(rows)
    hidden = max(0, len(rows) - MAX_RATE_ROWS)
    rows = rows[:MAX_RATE_ROWS]
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
    for bars, rates in ((pass_bars, pass_rates), (excellent_bars, excellent_rates)):
        ax.bar_label(bars, labels=[f"{r:.1f}%" for r in rates], padding=3, fontsize=8)
    ax.set_yticks(ys, labels, **_text_kw(prop, 10))
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

    label_inches = max(_units(label) for label in labels) * 10 / 72 + 0.3
    left = min(max(label_inches, 0.8), 4.5)
    width_in, height_in = CHART_WIDTH / CHART_DPI, height_px / CHART_DPI
    fig.subplots_adjust(
        left=left / width_in,
        right=0.98,
        top=1 - 0.75 / height_in,
        bottom=(0.55 if hidden else 0.4) / height_in,
    )
    return _png(fig)


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
        return _mpl_escape(_shorten(_latin(label), 26, "...") or "?")
    return _mpl_escape(_shorten(label, 16, "…") or "?")


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


__all__ = [
    "CJK_FONT_CANDIDATES",
    "FONT_ENV",
    "certificate_png",
    "clean_name",
    "find_cjk_font",
    "participation_chart_png",
    "rates_chart_png",
]
