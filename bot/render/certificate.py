"""The completion certificate (电子证书), drawn with Pillow: a pure function of its words."""

from __future__ import annotations

import io
from typing import Any

from bot.render.typeset import clean_name, find_cjk_font, latin, pil_fonts, wrap_lines

MAX_CAMPAIGN = 60
MAX_LEVEL = 20
MAX_ISSUER = 40
MAX_ISSUED = 30
MAX_SCHOOL = 40
MAX_CLASS = 20
MAX_CODE = 12

CERTIFICATE_SIZE = (1600, 1131)

_CREAM = (255, 251, 238)
_RED = (158, 27, 32)
_GOLD = (184, 140, 40)
_INK = (38, 34, 30)
_GREY = (96, 90, 84)


# ---------------------------------------------------------------- certificate


# How the holder is addressed, by their registered role (学生 → 同学, 教职工 → 老师; parents: no title).
TITLES = {"student": "同学", "staff": "老师"}


def _holder(name: str, school: str, class_label: str) -> tuple[str, str, str]:
    return clean_name(name), clean_name(school, MAX_SCHOOL), clean_name(class_label, MAX_CLASS)


def body_text(*, cjk: bool, name: str, role: str | None, campaign: str, score: int, level: str, school: str = "",
              class_label: str = "", english: bool = False) -> str:  # fmt: skip
    """The certificate's words: in Chinese with a CJK font, else in English (Chinese turned into pinyin);
    in English for an English reader (`english`: the campaign and level are then given in English; a CJK
    font still draws the school's Chinese name). The holder (school, class, name and title) is a paragraph of
    its own. Pure, for the picture and tests."""
    name, school, class_label = _holder(name, school, class_label)
    campaign = clean_name(campaign, MAX_CAMPAIGN)
    level = clean_name(level, MAX_LEVEL)
    if cjk and not english:
        holder = " ".join(part for part in (school, class_label, name, TITLES.get(role or "", "")) if part)
        return f"{holder}：\n在「{campaign}」中成绩 {score} 分，评为「{level}」。特发此证，以资鼓励。"
    spelt = (lambda text: text) if cjk else latin
    of = ", ".join(part for part in (spelt(school), spelt(class_label)) if part)
    return (
        f"This certifies that {spelt(name) or 'the participant'}{f' ({of})' if of else ''} scored {score} "
        f"in {('the ' + spelt(campaign)) if spelt(campaign) else 'the campaign'}: {spelt(level) or '-'}."
    )


def certificate_png(*, name: str, campaign: str, score: int, level: str, issued: str, issuer: str,
                    role: str | None = None, school: str = "", class_label: str = "", code: str = "",
                    language: str = "zh") -> bytes:  # fmt: skip
    """A landscape completion certificate (电子证书), 1600x1131 PNG. `role` ("student", "staff", ...)
    decides how the holder is addressed; `school` and `class_label` (already worded) are shown when given, and
    `code`, the register's code that admins can look up (/verify), at the bottom left; `language`: the
    holder's, in which `campaign` and `level` are given (English: an English certificate)."""
    from PIL import Image, ImageDraw

    has_cjk, font = pil_fonts(find_cjk_font())
    english = language == "en"
    body = body_text(cjk=has_cjk, name=name, role=role, campaign=campaign, score=score, level=level,
                     school=school, class_label=class_label, english=english)  # fmt: skip
    keep = _holder(name, school, class_label) if has_cjk else ()  # never broken inside
    issuer = clean_name(issuer, MAX_ISSUER)
    issued = clean_name(issued, MAX_ISSUED)
    code = clean_name(code, MAX_CODE)
    if has_cjk and not english:
        title, code_line = "荣誉证书", f"证书编号：{code}"
    else:
        title, code_line = "Certificate", f"No. {latin(code)}"
        if not has_cjk:
            issuer, issued = latin(issuer), latin(issued)

    width, height = CERTIFICATE_SIZE
    image = Image.new("RGB", CERTIFICATE_SIZE, _CREAM)
    draw = ImageDraw.Draw(image)
    _draw_border(draw, width, height)

    # Title, letter-spaced, with a rule and a diamond under it.
    title_font = font(120 if has_cjk and not english else 104)
    spacing = 36 if has_cjk and not english else 6
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
        lines = wrap_lines(body, body_font, box_right - box_left, keep=keep)
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
    if code:  # bottom left, smaller and grey: for checking, not for show
        draw.text((210, 947), code_line, font=font(30), fill=_GREY)

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
