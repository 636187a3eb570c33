"""Typesetting shared by the pictures: finding a font with Chinese glyphs, and fitting and breaking
text into lines. Chinese text needs such a font. `find_cjk_font` looks for one (PUFABOT_CJK_FONT, the usual
Debian/Ubuntu paths, then fontconfig). Without one every picture switches to English wording and turns the
Chinese it was given (names, schools) into pinyin, so that nothing is drawn as empty boxes.

Nothing happens at import: Pillow, matplotlib and pypinyin are imported by the functions that use them."""

from __future__ import annotations

import functools
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
    from matplotlib.font_manager import FontProperties

FONT_ENV = "PUFABOT_CJK_FONT"
MAX_NAME = 20  # characters of a name on a picture
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FC_MATCH_TIMEOUT = 5  # seconds


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


def pil_fonts(path: Path | None) -> tuple[bool, Callable[[int], Any]]:
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


def mpl_font() -> FontProperties | None:
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


def latin(text: str) -> str:
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


def units(text: str) -> float:
    """Rough width in ems: CJK and full-width characters are square, the rest about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def shorten(text: str, max_units: float, ellipsis: str) -> str:
    if units(text) <= max_units:
        return text
    out = ""
    for ch in text:
        if units(out + ch + ellipsis) > max_units:
            break
        out += ch
    return out.rstrip() + ellipsis


def wrap_lines(text: str, font: Any, width: float) -> list[str]:
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
