"""The bot's pictures (certificate, charts): valid PNGs of the stated size with something drawn on them,
also on a machine without any Chinese font (like CI), and without a warning."""

from __future__ import annotations

import datetime
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bot.domain import ChartData
from bot.render import certificate as certificates
from bot.render import charts, typeset

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render as on a machine without a Chinese font, whatever this one has."""
    for module in (typeset, certificates):  # charts look it up through typeset
        monkeypatch.setattr(module, "find_cjk_font", lambda: None)


@pytest.fixture
def fresh_font_search() -> Iterator[None]:
    """find_cjk_font caches its answer: forget it before the test and after it (before monkeypatch restores
    the environment, so that no later test gets this test's answer)."""
    typeset.find_cjk_font.cache_clear()
    yield
    typeset.find_cjk_font.cache_clear()


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


def colour_count(image: Image.Image) -> int:
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    return 1 << 16 if colours is None else len(colours)


def grey_extrema(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, float]:
    darkest, lightest = image.convert("L").crop(box).getextrema()
    assert isinstance(darkest, int | float) and isinstance(lightest, int | float)
    return darkest, lightest


def has_ink(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Something dark (text) inside box."""
    darkest, _ = grey_extrema(image, box)
    return darkest < 100


def not_plain(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Something drawn inside box: not a single colour."""
    darkest, lightest = grey_extrema(image, box)
    return darkest != lightest


def certificate(**overrides: object) -> Image.Image:
    values: dict[str, object] = {
        "name": "张三",
        "campaign": "2026年宪法宣传周知识竞赛",
        "score": 95,
        "level": "优秀",
        "issued": "2026年12月4日",
        "issuer": "某某区教育局",
    }
    values.update(overrides)
    return open_png(certificates.certificate_png(**values))  # type: ignore[arg-type]


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


# ---------------------------------------------------------------- names


def test_clean_name_drops_control_characters() -> None:
    assert typeset.clean_name("张\x00三\u202e\u200b\x07") == "张三"
    assert typeset.clean_name("  王\n五\t ") == "王 五"


def test_clean_name_cuts_long_names_to_20_characters() -> None:
    assert typeset.clean_name("李" * 30) == "李" * 20
    assert typeset.clean_name("Ann") == "Ann"


# ---------------------------------------------------------------- line breaking


class EmFont:
    """A stand-in for a font: Chinese and full-width characters 10 px wide, anything else 6 px."""

    @staticmethod
    def getlength(text: str) -> float:
        return sum(10 if typeset.units(ch) == 1.0 else 6 for ch in text)


def wrap(text: str, chars: float, **kwargs: object) -> list[str]:
    """`text` broken into lines `chars` Chinese characters wide."""
    return typeset.wrap_lines(text, EmFont(), chars * 10, **kwargs)  # type: ignore[arg-type]


def test_a_quoted_phrase_is_not_broken() -> None:
    assert wrap("在竞赛中评为「优秀」。", 8) == ["在竞赛中评为", "「优秀」。"]
    assert wrap("请阅读《未成年人保护法》第二十条", 10) == ["请阅读", "《未成年人保护法》", "第二十条"]


def test_a_number_is_not_broken() -> None:
    assert wrap("本区共有 12,345 名学生", 7) == ["本区共有", "12,345 名学", "生"]
    assert wrap("成绩为９５．５分", 5) == ["成绩为", "９５．５分"]
    assert wrap("中成绩 95 分，评为优秀", 6) == ["中成绩", "95 分，", "评为优秀"]  # with its unit


def test_lines_break_after_punctuation_and_at_spaces_rather_than_inside_words() -> None:
    assert wrap("特发此证，以资鼓励。", 7) == ["特发此证，", "以资鼓励。"]
    assert wrap("张三 同学：在竞赛中成绩优秀", 8) == ["张三 同学：", "在竞赛中成绩优秀"]


def test_phrases_to_keep_are_not_broken() -> None:
    assert wrap("城关第一小学五年级1班", 8, keep=["城关第一小学", "五年级1班"]) == [
        "城关第一小学",
        "五年级1班",
    ]


def test_what_cannot_fit_a_line_is_still_broken_and_nothing_is_lost() -> None:
    text = "在「第三届全国青少年学生法治知识网络大赛暨国家宪法日主题活动」中成绩 95 分，评为「优秀」。"
    lines = wrap(text, 12)
    assert all(EmFont.getlength(line) <= 120 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(not line.startswith(("，", "。", "」")) and not line.endswith(("「", "《")) for line in lines)
    assert "「优秀」。" in lines[-1]
    assert wrap("Abcdefghijklmnopqrstuvwxyz", 10) == ["Abcdefghijklmnop", "qrstuvwxyz"]


# ---------------------------------------------------------------- certificate


def test_certificate_without_cjk_font_is_a_landscape_png_with_text(no_cjk_font: None) -> None:
    image = certificate()
    assert image.size == (1600, 1131)
    assert colour_count(image) > 50  # anti-aliased text and a border, not a blank page
    assert has_ink(image, (200, 370, 1400, 820))  # the body
    assert has_ink(image, (900, 860, 1400, 1000))  # issuer and date, bottom right


def test_certificate_without_cjk_font_still_shows_which_chinese_name(no_cjk_font: None) -> None:
    """Missing glyphs would draw both names as the same two empty boxes."""
    assert not same_pixels(certificate(name="张三"), certificate(name="李四"))


def test_certificate_draws_the_cleaned_name(no_cjk_font: None) -> None:
    assert same_pixels(certificate(name="张三\x00\u202e"), certificate(name="张三"))
    long_name = "Abcdefghij" * 4
    assert same_pixels(certificate(name=long_name), certificate(name=long_name[:20]))


def test_a_pupil_is_addressed_as_a_pupil_and_a_teacher_as_a_teacher() -> None:
    def body(role: str | None) -> str:
        return certificates.body_text(
            cjk=True, name="张三", role=role, campaign="竞赛", score=95, level="优秀"
        )

    assert body("student").startswith("张三 同学：") and "老师" not in body("student")
    assert body("staff").startswith("张三 老师：") and "同学" not in body("staff")
    assert body("parent").startswith("张三：") and body(None).startswith("张三：")


def test_the_holders_school_and_class_come_before_their_name_on_a_line_of_their_own() -> None:
    words = {"name": "张三", "campaign": "竞赛", "score": 95, "level": "优秀"}
    pupil = certificates.body_text(
        cjk=True, role="student", school="城关第一小学", class_label="五年级1班", **words
    )  # type: ignore[arg-type]
    assert pupil.startswith("城关第一小学 五年级1班 张三 同学：\n在「竞赛」中")
    teacher = certificates.body_text(cjk=True, role="staff", school="城关中学", **words)  # type: ignore[arg-type]
    assert teacher.startswith("城关中学 张三 老师：\n")
    english = certificates.body_text(
        cjk=False, role="student", school="城关第一小学", class_label="Grade 5, class 1", **words
    )  # type: ignore[arg-type]
    assert english.startswith(
        "This certifies that Zhang San (Cheng Guan Di Yi Xiao Xue, Grade 5, class 1) scored 95"
    )


def test_a_certificate_without_cjk_font_shows_the_school(no_cjk_font: None) -> None:
    assert not same_pixels(certificate(), certificate(school="城关第一小学", class_label="五年级1班"))


def test_a_certificate_shows_its_code_at_the_bottom_left(no_cjk_font: None) -> None:
    corner = (200, 930, 700, 1000)
    assert not_plain(certificate(code="K7QM3XPA"), corner) and not not_plain(certificate(), corner)


def test_pictures_with_the_machines_cjk_font(fresh_font_search: None) -> None:
    """Runs where a Chinese font is installed or PUFABOT_CJK_FONT names one."""
    if typeset.find_cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    image = certificate()
    assert image.size == (1600, 1131)
    assert colour_count(image) > 50
    assert has_ink(image, (200, 370, 1400, 820))
    days = [(datetime.date(2026, 12, 1), 12), (datetime.date(2026, 12, 2), 30)]
    chart = open_png(charts.participation_chart_png(days, title="每日参与人数"))
    assert chart.size == (1200, 600)
    assert colour_count(chart) > 20
    rates = open_png(
        charts.rates_chart_png([("第一中学", 90.0, 40.0), ("实验小学", 75.5, 20.0)], title="合格率")
    )
    assert rates.width == 1200
    assert colour_count(rates) > 20
    empty = open_png(charts.participation_chart_png([], title="每日参与人数"))
    assert not_plain(empty, (300, 150, 900, 450))


def test_a_font_file_that_is_not_a_font_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_search: None
) -> None:
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"not a font")
    monkeypatch.setenv(typeset.FONT_ENV, str(broken))
    assert open_png(
        certificates.certificate_png(
            name="张三", campaign="竞赛", score=80, level="合格", issued="2026-12-04", issuer="教育局"
        )
    ).size == (1600, 1131)
    days = [(datetime.date(2026, 12, 1), 3)]
    assert open_png(charts.participation_chart_png(days, title="每日参与")).size == (1200, 600)


# ---------------------------------------------------------------- charts


def test_participation_chart_has_the_stated_size_and_bars(no_cjk_font: None) -> None:
    start = datetime.date(2026, 12, 1)
    days = [(start + datetime.timedelta(days=i), n) for i, n in enumerate([12, 30, 7, 0, 41])]
    image = open_png(charts.participation_chart_png(days, title="每日参与人数"))  # Chinese title, no font
    assert image.size == (1200, 600)
    assert colour_count(image) > 20
    assert has_ink(image, (0, 0, 1200, 600))


def test_participation_chart_without_days_says_no_data(no_cjk_font: None) -> None:
    image = open_png(charts.participation_chart_png([], title="Participants"))
    assert image.size == (1200, 600)
    assert not_plain(image, (300, 150, 900, 450))  # "No data" in the middle


def test_rates_chart_grows_with_the_schools_up_to_30(no_cjk_font: None) -> None:
    def rows(n: int) -> list[tuple[str, float, float]]:
        return [(f"第{i}中学", 50 + i, 10 + i) for i in range(n)]

    few = open_png(charts.rates_chart_png(rows(2), title="各校合格率"))
    many = open_png(charts.rates_chart_png(rows(30), title="Rates $1 and $2"))
    too_many = open_png(charts.rates_chart_png(rows(45), title="Rates"))
    assert few.width == many.width == 1200
    assert few.height < many.height == too_many.height
    assert colour_count(few) > 20
    assert colour_count(many) > 20


def test_rates_chart_accepts_odd_rates(no_cjk_font: None) -> None:
    rows = [("A", float("nan"), -5.0), ("B", 250.0, 100.0), ("", 0.0, 0.0)]
    image = open_png(charts.rates_chart_png(rows, title="Rates"))
    assert image.width == 1200
    assert colour_count(image) > 20


def test_rates_chart_without_rows_says_no_data(no_cjk_font: None) -> None:
    image = open_png(charts.rates_chart_png([], title="合格率"))
    assert image.width == 1200
    assert not_plain(image, (300, image.height // 4, 900, image.height * 3 // 4))


# ---------------------------------------------------------------- finding a font


def test_find_cjk_font_honours_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_search: None
) -> None:
    font = tmp_path / "MyCJK.ttc"
    font.write_bytes(b"\0")
    monkeypatch.setenv(typeset.FONT_ENV, str(font))
    assert typeset.find_cjk_font() == font


def test_find_cjk_font_skips_a_missing_file_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_search: None
) -> None:
    missing = tmp_path / "missing.ttc"
    monkeypatch.setenv(typeset.FONT_ENV, str(missing))
    assert typeset.find_cjk_font() != missing


def fake_fc_match(monkeypatch: pytest.MonkeyPatch, stdout: str) -> None:
    monkeypatch.delenv(typeset.FONT_ENV, raising=False)
    monkeypatch.setattr(typeset, "CJK_FONT_CANDIDATES", ())
    monkeypatch.setattr(typeset.shutil, "which", lambda name: "/usr/bin/fc-match")

    def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert kwargs.get("timeout") == 5
        return subprocess.CompletedProcess(args, 0, stdout=stdout, stderr="")

    monkeypatch.setattr(typeset.subprocess, "run", run)


def test_fontconfig_latin_fallback_is_not_taken_for_a_chinese_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_search: None
) -> None:
    latin = tmp_path / "DejaVuSans.ttf"
    latin.write_bytes(b"\0")
    fake_fc_match(monkeypatch, f"{latin}\taa|de|en|fr\n")
    assert typeset.find_cjk_font() is None


def test_fontconfig_font_covering_chinese_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_font_search: None
) -> None:
    latin, cjk = tmp_path / "DejaVuSans.ttf", tmp_path / "wqy-microhei.ttc"
    latin.write_bytes(b"\0")
    cjk.write_bytes(b"\0")
    fake_fc_match(monkeypatch, f"{latin}\taa|en\n{cjk}\ten|ja|zh-cn|zh-tw\n")
    assert typeset.find_cjk_font() == cjk


def test_fontconfig_timeout_means_no_font(monkeypatch: pytest.MonkeyPatch, fresh_font_search: None) -> None:
    monkeypatch.delenv(typeset.FONT_ENV, raising=False)
    monkeypatch.setattr(typeset, "CJK_FONT_CANDIDATES", ())
    monkeypatch.setattr(typeset.shutil, "which", lambda name: "/usr/bin/fc-match")

    def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(args, 5)

    monkeypatch.setattr(typeset.subprocess, "run", run)
    assert typeset.find_cjk_font() is None


def test_schools_nobody_took_part_in_follow_those_with_figures(fresh_font_search: None) -> None:
    """Drawn after the schools with figures (an admins' pass: first, 26 of 30 rows had squeezed the four
    with figures in at the bottom), as rows of their own (the chart grows), marked in red; with the
    machine's CJK font the bar labels say 未参与 without a missing-glyph warning (warnings are errors
    here)."""
    rows = [(f"第{i}中学", 90.0, 40.0) for i in range(6)]
    plain = open_png(charts.rates_chart_png(rows, title="合格率"))
    marked = open_png(charts.rates_chart_png(rows, title="合格率", absent=["北坡小学", "河口小学"]))
    assert marked.height > plain.height
    assert colour_count(marked) > 20
    assert charts.charts(ChartData("t", [], rows, ["北坡小学"]), per_day_title="a", rates_title="b")
    # at a district's size, every school with figures is drawn before any without
    absent = [f"第{i}小学" for i in range(26)]
    drawn, first_absent, hidden = charts.rate_rows(rows[:4], absent)
    assert [name for name, *_ in drawn[:4]] == [name for name, *_ in rows[:4]] and first_absent == 4
    assert len(drawn) == charts.MAX_RATE_ROWS and hidden == 0
    drawn, _, hidden = charts.rate_rows(rows[:4], absent + ["甲", "乙"])
    assert hidden == 2 and drawn[-1][0] == "第25小学"
