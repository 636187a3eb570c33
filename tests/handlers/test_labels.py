"""One class label everywhere (registration, profile, /rank, certificates), and 暂无数据 where a figure has
no data behind it."""

from __future__ import annotations

from bot.domain import Row
from bot.runtime import Services
from bot.sim import Simulator
from bot.views import Speaker
from bot.views.campaign import when
from bot.views.labels import rate_label
from bot.views.rank import table_lines
from tests.handlers.helpers import answer, registered


async def test_rank_labels_classes_as_registration_does_and_says_when_there_is_no_data(
    sim: Simulator, services: Services
) -> None:
    pupil = await registered(sim, role="学生", name="小明")
    registration = pupil.private.bot_messages[-1].text or ""
    await pupil.send("/campaign")
    await pupil.press("宪法宣传周")
    question = (await pupil.press("开始答题"))[-1]
    for number in range(15):
        sent = await answer(pupil, services.content, question)
        if number < 14:
            question = sent[-1]
    [rank] = await pupil.send("/rank")
    assert "班级：五年级1班" in registration
    assert "五年级1班：参与 1 人（参与率 2.2%）" in rank.text  # of the class's 46 (schools.yaml class_sizes)
    # of the school's 1,448 pupils in the contest's grades (3-6 of its grade_students): 0.07 %, not 0 %
    assert "城关第一小学：参与 1 人（参与率 0.1%）" in rank.text
    # one pupil's mean is their score, on a board every pupil of the district sees (an admins' pass)
    assert "满 3 人后显示平均分" in rank.text and "平均分 " not in rank.text
    assert "—" not in rank.text and "5年级" not in rank.text
    [profile] = await pupil.send("/profile")
    assert "班级：五年级1班" in profile.text
    await pupil.send("/language en")
    [rank] = await pupil.send("/rank")
    assert "Grade 5, class 1: 1 took part (participation rate 2.2%)" in rank.text
    assert (
        rate_label(lambda key, **_: services.content.i18n.t("zh", key), None) == "暂无数据"
    )  # no roster figure
    english = rate_label(lambda key, **_: services.content.i18n.t("en", key), None)
    assert english == "unknown"  # 1 took part (participation rate unknown), not (no data yet)
    assert rate_label(lambda key, **_: "", 1 / 2662) == "<0.1%"


def test_a_boards_mean_is_shown_from_three_who_took_part(services: Services) -> None:
    """Pupils see the district's schools and their school's classes: one or two pupils' mean gives away
    their scores."""
    voice = Speaker(services, "zh")
    rows = [Row("cg-p1", "", n, n, n, 0, 91.0, 1000) for n in (2, 3)]
    two, three = (table_lines(voice, [], [], [row])[-1] for row in rows)
    assert two == "城关第一小学：参与 2 人（参与率 0.2%），满 3 人后显示平均分"
    assert three == "城关第一小学：参与 3 人（参与率 0.3%），平均分 91.0"


def test_a_campaigns_dates_carry_the_year_when_it_is_not_this_year(services: Services) -> None:
    """A pupils' pass read next spring's contest as 03-01 08:00 — 06-30 22:00, with no year."""
    voice, campaigns = Speaker(services, "zh"), services.content.campaigns
    assert when(voice, campaigns["constitution-day-2026"]) == "12-01 07:00 — 12-07 22:00"
    assert when(voice, campaigns["spring-term-contest-2027"]).startswith("2027-03-01 08:00 — 2027-")
