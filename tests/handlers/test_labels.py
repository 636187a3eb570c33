"""One class label everywhere (registration, profile, /rank, certificates), and 暂无数据 where a figure has
no data behind it."""

from __future__ import annotations

from bot.runtime import Services
from bot.sim import Simulator
from bot.views.labels import rate_label
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
