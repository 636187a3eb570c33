"""A parent asks in their own words, through `python -m bot run`: a key word typed as a homophone, a
question about 公办 schools, a question answered by the wordings nearest it, one of round 7's new entries,
a topic named alone, a question typed as pinyin, and a law question in English."""

from __future__ import annotations

from bot.content.bundle import Content
from tests.blackbox.harness import Bot, RemoteSimulator


async def test_a_parent_is_answered_in_their_own_words(
    bot: Bot, people: RemoteSimulator, content: Content
) -> None:
    entries = content.faq.entries
    await bot.start()
    parent = people.user("家长")
    [typo] = await parent.send("社宝断了两个月影响孩子上学吗")  # 社宝: 社保 typed by sound
    assert typo.text.startswith(f"❓ {entries['migrant-social-insurance'].question}")
    [public] = await parent.send("公立学校报名的人太多了怎么录取")  # 您是不是想问, with the 公办 entry
    offered = " ".join(public.button_texts)
    assert entries["primary-oversubscribed"].question in offered
    assert entries["private-lottery"].question not in offered  # the 民办 lottery: no answer for 公办
    # scored below `confident` and not far ahead of the runner-up, but 7 of the 10 wordings nearest it are
    # the entry's: answered outright, its related questions below (a `likely` answer would offer 其他相关问题)
    [agreed] = await parent.send("孩子几岁能读一年级呀")
    assert agreed.text.startswith(f"❓ {entries['primary-age'].question}")
    assert "相关问题" in agreed.text and "其他相关问题" not in agreed.text
    [fixed] = await parent.send("身份证号填错了还能改吗")  # an entry added in round 7
    assert fixed.text.startswith(f"❓ {entries['primary-registration-correction'].question}")
    [lost] = await parent.send("孩子出生证弄丢了，还能报名上一年级吗")  # one added in round 8
    assert lost.text.startswith(f"❓ {entries['primary-birth-certificate-missing'].question}")
    [topic] = await parent.send("入学")  # a topic alone: asked what about it, the categories below
    assert topic.text.startswith("您想了解「入学」的哪方面") and "小学入学" in topic.button_texts
    [pinyin] = await parent.send("jifen ruxue shi shenme")  # read as 积分入学是什么, not taken for English
    assert pinyin.text.startswith(f"按拼音读作「积分入学是什么」：\n❓ {entries['migrant-points'].question}")
    [law] = await parent.send("My son was bullied at school, what can I do?")  # harm to a child: help first
    # … told as a parent tells it: what a parent may do (it had been "If you are being hurt", the child's words)
    assert law.text.startswith("⚠️ A parent or teacher who finds that a child is being hurt")
    assert "This looks like a legal question" in law.text
    assert law.button_texts[0].startswith("Law on the Protection of Minors Article 39 ")  # named in English
    # a child's own words: a teacher hitting them, then distress (where to get help, nothing else)
    [hit] = await people.user("学生").send("老师打我怎么办")
    assert hit.text.startswith("⚠️") and "110" in hit.text
    assert hit.button_texts[0].startswith("《未成年人保护法》第二十七条")
    [slapped] = await people.user("学生").send(
        "班主任今天打了我一巴掌"
    )  # not 老师 打我's words: a word class
    assert slapped.text.startswith("⚠️") and slapped.button_texts[0].startswith("《未成年人保护法》第二十七条")
    [distress] = await people.user("学生").send("我不想活了")
    assert "12356" in distress.text and distress.button_texts == []
    # in traditional characters, and with a parent named before it: still the writer's own
    [traditional] = await people.user("学生").send("爸媽離婚了，不想活了")
    assert traditional.text == distress.text
    [touched] = await people.user("学生").send("继父摸我")  # harm told by a child: no enrollment entry
    assert touched.text.startswith("⚠️") and all("《" in label for label in touched.button_texts)
    # harm in words no topic names: the model learned at start-up hears it; where to get help comes first
    [room] = await people.user("学生").send("他每天晚上都进我房间 我好怕 妈妈不信我")
    assert room.text.startswith("💬 如果你或身边的孩子正在受到伤害")
    [holiday] = await parent.send("寒假什么时候放")  # round 15's entry: it had the transfer-timing answer
    assert holiday.text.startswith(f"❓ {entries['contact-school-calendar'].question}")
    # a teacher asking what the school must do: how to help, then the articles
    [worried] = await people.user("老师").send("学生有自杀倾向学校该怎么做")
    assert "12356" in worried.text and worried.button_texts[0].startswith("《未成年人保护法》第三十条")
