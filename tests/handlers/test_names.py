"""/names: a class teacher, school admin or the district lists the names chosen for rank tables in their
scope and clears an unfit one (/name refuses the insults it knows, not a classmate's or a leader's name)."""

from __future__ import annotations

from bot.callbacks import ClearName
from bot.sim import Simulator, SimUser
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import school_admin


async def named(sim: Simulator, who: str, name: str, grade: str = "五年级", class_no: str = "1班") -> SimUser:
    """A pupil of 城关第一小学 (五年级1班 unless said) who chose `name` for the rank tables."""
    user = sim.user(who)
    await user.send("/profile")
    await user.press("学生")
    await user.send("城关一小")
    await user.press(0)
    await user.press(grade)
    await user.press(class_no)
    await user.send(f"/name {name}")
    return user


async def class_teacher(sim: Simulator) -> SimUser:
    teacher = sim.user("王老师")
    await teacher.send("/myid")
    await sim.user("管理员", user_id=ADMIN_ID).send(f"/grant {teacher.id} class cg-p1 5-1")
    return teacher


async def test_a_class_teacher_clears_an_unfit_name_of_their_class_and_it_is_audited(sim: Simulator) -> None:
    mocking = await named(sim, "甲", "李华考试倒数")
    await mocking.send("/name show")
    await named(sim, "乙", "小星星")
    await named(sim, "丙", "六年级的名字", "六年级", "2班")
    teacher = await class_teacher(sim)

    [listing] = await teacher.send("/names")
    assert "1. 城关第一小学 五年级1班  李华考试倒数（显示全名）" in listing.text
    assert "2. 城关第一小学 五年级1班  小星星（显示为 小*）" in listing.text
    assert "六年级的名字" not in listing.text  # another class: not this teacher's
    assert listing.button_texts == ["清除 1", "清除 2"]
    await teacher.press("清除 1", message=listing)
    assert "已清除" in listing.text and "李华考试倒数" not in listing.text and "小星星" in listing.text

    assert "老师清除了你在排名表里的名字" in mocking.last.text  # told, or the name comes back at once
    [current] = await mocking.send("/name")
    assert "匿名" in current.text  # the tables show the pupil as 匿名; they may choose another
    head = await school_admin(sim)
    [log] = await head.send("/audit")
    assert f"清除排名名字 · {mocking.id}" in log.text and "李华" not in log.text  # the name is not kept


async def test_a_forged_or_stale_clear_button_changes_nothing_outside_the_scope(sim: Simulator) -> None:
    elsewhere = await named(sim, "丙", "小月亮", "六年级", "2班")
    own = await named(sim, "甲", "小太阳")
    teacher = await class_teacher(sim)
    [listing] = await teacher.send("/names")
    await teacher.press(0, message=listing, data=ClearName(elsewhere.id).pack())
    assert teacher.last_alert is not None and "不在您的管理范围" in teacher.last_alert["text"]
    await own.press(0, message=listing, data=ClearName(elsewhere.id).pack())  # a pupil forging it
    assert own.last_alert is not None
    [kept] = await elsewhere.send("/name")
    assert "小*" in kept.text

    await sim.user("管理员", user_id=ADMIN_ID).send(f"/revoke {teacher.id} class cg-p1 5-1")
    await teacher.press("清除 1", message=listing)  # the grant ended after the list was shown
    [still] = await own.send("/name")
    assert "小*" in still.text


async def test_a_school_admin_sees_the_schools_names_and_a_pupil_is_refused(sim: Simulator) -> None:
    own = await named(sim, "甲", "小太阳")
    await named(sim, "丙", "小月亮", "六年级", "2班")
    head = await school_admin(sim)
    [listing] = await head.send("/names")
    assert (
        "城关第一小学 五年级1班  小太阳" in listing.text and "城关第一小学 六年级2班  小月亮" in listing.text
    )
    [refused] = await own.send("/names")
    assert "小月亮" not in refused.text and "管理员" in refused.text
