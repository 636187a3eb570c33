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
from collections.abc import Callable, Iterable
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
# Line breaking (see `wrap_lines`). These never start a line / never end one (glued to their neighbour);
# a line may well end after a closing one.
_NO_LINE_START = frozenset("，。、：；！？」』）》〉】”’,.;:!?)]}%")
_NO_LINE_END = frozenset("「『（《〈【“‘([{")
_CLAUSE_END = frozenset("，。、：；！？」』）》〉】”,.;:!?)]")
# Quoted phrases and titles, kept on one line when they fit one.
_PAIRS = {"「": "」", "『": "』", "《": "》", "“": "”"}
# The smallest pieces: a number (1,000  3.5  2026-12-04, also in full-width digits), a latin word, a run of
# spaces, or one character. Nothing inside a piece is ever broken unless it is wider than a line.
_PIECE = re.compile(
    r"\d+(?:[.,:/\-．：／－]\d+)*%?"
    r"|[A-Za-z0-9\u00c0-\u024f]+(?:['.\-][A-Za-z0-9\u00c0-\u024f]+)*"
    r"|\s+|.",
    re.S,
)
NEVER, MAY, GOOD = 0, 1, 2  # how welcome a line break is between two pieces
MIN_FILL = 0.6  # a line ends at a GOOD break rather than a later MAY one if it is at least this full

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


def wrap_lines(text: str, font: Any, width: float, *, keep: Iterable[str] = ()) -> list[str]:
    """Break `text` into lines no wider than `width` (measured with `font.getlength`), for Chinese and
    latin text alike; a newline starts a new paragraph.

    Lines break between pieces (`_PIECE`: numbers and latin words are whole), never inside a quoted phrase
    or title (「…」 『…』 《…》 “…”) nor inside a phrase of `keep` (a name, a school) while it fits a line,
    never before closing punctuation nor after opening punctuation. Without a dictionary a break between
    two Chinese characters is allowed, but one at a space or after punctuation is preferred as long as the
    line stays at least `MIN_FILL` full: lines end between phrases, not inside words. Only what is wider
    than a line on its own is broken inside."""
    phrases = sorted({p for p in keep if p}, key=len, reverse=True)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, font, width, phrases)
    return lines


def _wrap_paragraph(text: str, font: Any, width: float, phrases: list[str]) -> list[str]:
    pieces, groups = _pieces(text, phrases)
    if not pieces:
        return []
    breaks = _break_levels(pieces)
    for start, end in groups:  # a group that fits a line is one piece; a longer one breaks as usual inside
        if font.getlength("".join(pieces[start:end])) <= width:
            breaks[start + 1 : end] = [NEVER] * (end - start - 1)
    pieces, breaks = _split_overlong(pieces, breaks, font, width)

    lines: list[str] = []
    start, count = 0, len(pieces)
    while start < count:
        while start < count and pieces[start].isspace():
            start += 1
        if start == count:
            break
        fits = good = None
        for end in range(start + 1, count + 1):
            if end > start + 1 and font.getlength("".join(pieces[start:end]).rstrip()) > width:
                break
            if end == count:
                fits = good = end
            elif breaks[end] >= MAY:
                fits = end
                if breaks[end] >= GOOD:
                    good = end
        if fits is None:  # glued pieces wider than a line (rare): up to the first break after them
            fits = next((end for end in range(start + 1, count) if breaks[end] >= MAY), count)
        elif (
            good not in (None, fits)
            and font.getlength("".join(pieces[start:good]).rstrip()) >= MIN_FILL * width
        ):
            fits = good
        lines.append("".join(pieces[start:fits]).strip())
        start = fits
    return [line for line in lines if line]


def _pieces(text: str, phrases: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """The text's pieces, and the (start, end) piece ranges of its quoted phrases and `phrases`."""
    pieces: list[str] = []
    groups: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        phrase = next((p for p in phrases if text.startswith(p, position)), None)
        if phrase is not None:
            inner = _PIECE.findall(phrase)
            groups.append((len(pieces), len(pieces) + len(inner)))
            pieces += inner
            position += len(phrase)
            continue
        found = _PIECE.match(text, position)
        assert found is not None  # `.` matches any character
        pieces.append(found.group())
        position = found.end()
    opened: dict[str, int] = {}
    for index, piece in enumerate(pieces):
        if piece in _PAIRS:
            opened.setdefault(_PAIRS[piece], index)
        elif piece in opened:
            groups.append((opened.pop(piece), index + 1))
    return pieces, groups


def _break_levels(pieces: list[str]) -> list[int]:
    """How welcome a break before each piece is (the first piece's entry is unused)."""
    return [NEVER] + [_break_level(pieces, index) for index in range(1, len(pieces))]


def _break_level(pieces: list[str], index: int) -> int:
    """Before pieces[index]. A number keeps the Chinese character after it (2026年, 95 分, 1班), and a
    space beside a number in Chinese text is spacing, not a word boundary."""

    def number(at: int) -> bool:
        return 0 <= at < len(pieces) and pieces[at][0].isdigit()

    def han(at: int) -> bool:
        return 0 <= at < len(pieces) and _HAN.fullmatch(pieces[at]) is not None

    before, piece = pieces[index - 1], pieces[index]
    if piece[0] in _NO_LINE_START or before[-1] in _NO_LINE_END:
        return NEVER
    if number(index - 1) and (han(index) or (piece.isspace() and han(index + 1))):
        return NEVER
    if before.isspace() and number(index - 2) and han(index):
        return NEVER
    if before.isspace() and number(index) and han(index - 2):
        return MAY
    if piece.isspace() and han(index - 1) and number(index + 1):
        return MAY
    if before.isspace() or piece.isspace() or before[-1] in _CLAUSE_END or piece[0] in _NO_LINE_END:
        return GOOD
    return MAY


def _split_overlong(
    pieces: list[str], breaks: list[int], font: Any, width: float
) -> tuple[list[str], list[int]]:
    """A piece wider than a line on its own (a very long word) may break between any two characters."""
    if all(font.getlength(piece) <= width for piece in pieces):
        return pieces, breaks
    out_pieces: list[str] = []
    out_breaks: list[int] = []
    for piece, level in zip(pieces, breaks, strict=True):
        chars = list(piece) if font.getlength(piece) > width else [piece]
        out_pieces += chars
        out_breaks += [level] + [MAY] * (len(chars) - 1)
    return out_pieces, out_breaks
