"""What a parent sees around the FAQ's answer: small talk, law questions, 👎, pictures and voice notes,
site.yaml's sample facts, and questions in English. Tried as a parent would, through the simulator."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.config import ROOT
from bot.db.models import FaqQuery
from bot.runtime import Services
from bot.services.faq_matcher import Thresholds
from bot.sim import Simulator
from bot.sim.simulator import SimMessage, SimUser
from tests.conftest import ADMIN_ID, Clock
from tests.handlers.helpers import CURATORS, registered, with_curators

PENDING = "请以区教育局公布的信息为准"


async def logged(services: Services) -> list[str]:
    async with services.db.transaction() as session:
        return list((await session.scalars(select(FaqQuery.text).order_by(FaqQuery.id))).all())


async def send_media(user: SimUser, kind: str, caption: str | None = None) -> list[SimMessage]:
    """A photo, voice note, document, sticker, location or contact from `user`, with `caption` if given."""
    payload = user.message_payload("")
    message: dict[str, Any] = payload["message"]
    message.pop("text", None)
    file = {"file_id": f"{kind}-1", "file_unique_id": f"{kind}-u1"}
    media: dict[str, Any] = {
        "photo": [{**file, "width": 90, "height": 90}],
        "voice": {**file, "duration": 3},
        "document": {**file, "file_name": "报名表.pdf"},
        "sticker": {**file, "width": 512, "height": 512, "is_animated": False, "is_video": False,
                    "type": "regular"},
        "location": {"latitude": 31.23, "longitude": 121.47},
        "contact": {"phone_number": "13800000000", "first_name": "张"},
    }  # fmt: skip
    message[kind] = media[kind]
    if caption is not None:
        message["caption"] = caption
    before = len(user.private.bot_messages)
    await user.sim.deliver(payload)
    return user.private.bot_messages[before:]


async def test_greetings_and_noise_are_answered_and_never_passed_to_staff(
    sim: Simulator, services: Services
) -> None:
    with_curators(sim, services)
    parent = sim.user("家长")
    [hello] = await parent.send("你好")
    assert "招生入学政策问题" in hello.text and "工作人员" not in hello.text
    [morning] = await parent.send("早上好！")
    assert morning.text == hello.text
    [thanks] = await parent.send("谢谢")
    assert thanks.text.startswith("不客气")
    [emoji] = await parent.send("😀👍")
    assert "没看明白您的意思" in emoji.text and "工作人员" not in emoji.text
    [ok] = await parent.send("👍")
    assert ok.text.startswith("好的！")
    [wrong] = await parent.send("不对")
    assert wrong.text.startswith("抱歉没答对") and "工作人员" not in wrong.text
    # too hard to read: where to ask a person (it had been 不在我能回答的范围, and /law)
    [hard] = await parent.send("看不懂")
    assert hard.text.startswith("抱歉，说得太复杂了") and "/law" not in hard.text
    assert hard.button_texts == ["浏览常见问题"]
    [weather] = await parent.send("今天天气怎么样")
    assert "不在我能回答的范围" in weather.text and "工作人员" not in weather.text
    assert sim.world.bot_messages(CURATORS) == []  # none of it reached the curators
    assert await logged(services) == ["今天天气怎么样"]  # only the question, for /unanswered


async def test_staff_are_named_only_when_a_question_was_passed_to_them(
    sim: Simulator, services: Services
) -> None:
    parent = sim.user("家长")
    question = "孩子在学校总是丢东西怎么办"
    [alone] = await parent.send(question)  # no curators' group configured
    assert "暂时回答不了" in alone.text and "工作人员" not in alone.text
    assert PENDING in alone.text and "000-" not in alone.text  # the hotline is still a sample
    # something a parent can do, where it read 您可以…咨询电话等具体信息请以区教育局公布的信息为准
    assert "您可以向区教育局招生部门咨询" in alone.text
    with_curators(sim, services)
    [passed] = await parent.send(question)
    assert "已转给工作人员" in passed.text
    [posted] = sim.world.bot_messages(CURATORS)
    assert question in posted.text
    assert await logged(services) == [question, question]


async def test_a_topic_named_alone_is_asked_about_and_shown_the_categories(
    sim: Simulator, services: Services
) -> None:
    """入学 alone is no question the bot cannot answer: the parent is asked what about it and shown the
    categories; the staff are not sent a single word, but it is kept for /unanswered."""
    with_curators(sim, services)
    parent = sim.user("家长")
    [topic] = await parent.send("入学？")
    assert topic.text.startswith("您想了解「入学」的哪方面") and "暂时回答不了" not in topic.text
    assert "小学入学" in topic.button_texts and "资助与减免" in topic.button_texts
    await parent.press("小学入学", message=topic)  # the message turns into that category's questions
    assert topic.text.startswith("本类共") and "小学一年级什么时候报名？" in topic.button_texts
    assert sim.world.bot_messages(CURATORS) == []
    assert await logged(services) == ["入学？"]


async def test_a_law_question_is_answered_with_its_article(sim: Simulator, services: Services) -> None:
    with_curators(sim, services)
    parent = sim.user("家长")
    [reply] = await parent.send("民法典1188条")
    assert "法律问题" in reply.text and "/law" in reply.text
    assert reply.button_texts == ["《民法典》第一千一百八十八条"]
    [article] = await parent.press(0, message=reply)
    assert "由监护人承担侵权责任" in article.text
    [duty] = await parent.send("监护人责任")
    assert any(label.startswith("《民法典》第一千一百八十八条") for label in duty.button_texts)
    [which] = await parent.send("未成年人保护法第几条规定学校不能体罚")
    assert which.button_texts[0].startswith("《未成年人保护法》第二十七条")
    [article] = await parent.press(0, message=which)
    assert "体罚" in article.text
    assert sim.world.bot_messages(CURATORS) == [] and await logged(services) == []


@pytest.mark.parametrize(
    ("text", "first"),
    [("我妈经常打我", "《未成年人保护法》第十七条"), ("被同学欺负了怎么办", "《未成年人保护法》第三十九条"),
     ("有人在网上骂我", "《未成年人保护法》第七十七条"), ("老师骂我", "《未成年人保护法》第二十七条"),
     ("家长打孩子违法吗", "《未成年人保护法》第十七条"), ("老师性骚扰学生怎么办", "《未成年人保护法》第五十四条"),
     ("同学天天骂我", "《未成年人保护法》第三十九条"), ("孩子在学校被老师骂了，怎么投诉", "《未成年人保护法》第二十七条"), ("我被同学孤立了", "《未成年人保护法》第三十九条"),
     ("有人偷拍我", "《民法典》第一千零三十三条"), ("网友让我发照片", "《未成年人保护法》第五十二条")],
)  # fmt: skip
async def test_a_child_who_is_hurt_is_told_where_to_get_help(sim: Simulator, text: str, first: str) -> None:
    """A pupil's own words for harm: 我妈经常打我 was told 这个问题不在我能回答的范围, 被同学欺负了怎么办 got
    抱歉，这个问题我暂时回答不了, 有人在网上骂我 the online registration steps, 老师骂我 the categories, and 家长打孩子违法吗
    three enrollment questions. Now: where to get help at once, then the articles."""
    [reply] = await sim.user("学生").send(text)
    # (a photo asked for: what to do comes first, 💡 …, then the same)
    assert reply.text.startswith(("⚠️", "💡")) and "⚠️" in reply.text, reply.text
    assert "110" in reply.text and "法律问题" in reply.text
    assert reply.button_texts[0].startswith(first)


@pytest.mark.parametrize(
    ("text", "lead", "first"),
    [("家长会开直播吗", "这个问题不在我能回答的范围", "浏览常见问题"),
     ("校服可以自己网购吗", "抱歉，这个问题我暂时回答不了", "浏览常见问题"),
     ("离婚了孩子跟谁的户口上学", "您是不是想问：", "户口和住的房子不在一起，孩子在哪里上小学？")],
)  # fmt: skip
async def test_a_parents_everyday_question_gets_no_articles_first(
    sim: Simulator, text: str, lead: str, first: str
) -> None:
    """家长会开直播吗 had got 未成年人保护法 第七十六条 (no streaming account under sixteen), 校服可以自己网购吗
    民法典 第十九条 (what a child may buy alone) and 离婚了孩子跟谁的户口上学 the custody articles above the FAQ's
    户口 entries, a topic's name found inside a parent's question. Now the FAQ's reply, or the plain one."""
    [reply] = await sim.user("家长").send(text)
    assert reply.text.startswith(lead) and "法律问题" not in reply.text, reply.text
    assert reply.button_texts[0] == first and not any(b.startswith("《") for b in reply.button_texts)
    child = await registered(sim, "学生", "小明")  # a pupil's own question on them still gets the articles
    [law] = await child.send("我13岁可以自己网购吗")
    assert law.button_texts[0].startswith("《民法典》第十九条"), law.button_texts


async def test_a_parent_whose_child_is_hurt_is_told_what_to_do_too(sim: Simulator) -> None:
    """我家孩子在学校被同学打了 was told only 如果你正在受到伤害…, words for the child; a parent or teacher is
    told too that they can call the police or report it, and that school staff must (未成年人保护法 第十一条)."""
    [reply] = await sim.user("家长").send("我家孩子在学校被同学打了，学校要负责吗")
    assert reply.text.startswith("⚠️ 家长、老师发现孩子受到伤害") and "第十一条" in reply.text
    assert "如果你正在受到伤害" not in reply.text  # words for the child, which a parents' pass found odd here
    assert reply.button_texts[0].startswith("《未成年人保护法》第三十九条")


CHILDS_WORDS = "⚠️ 如果你正在受到伤害或者有危险，请马上拨打 110 报警"
ADULTS_DUTY = "学校等单位的工作人员应当立即报告"


@pytest.mark.parametrize(
    "text", ["爸爸打我", "有陌生人要我的照片", "班主任今天打了我一巴掌", "我同学被他爸打了想自杀"]
)
async def test_a_registered_pupil_told_of_harm_gets_the_childs_words_alone(sim: Simulator, text: str) -> None:
    """A registered pupil's 爸爸打我 or 有陌生人要我的照片 had been told, below where to get help, the adults'
    paragraph (家长、老师发现孩子受到伤害…学校等单位的工作人员应当立即报告): duties a child does not have. A
    pupil now gets the child's words alone (and the child's advice); someone not registered, who may be
    a child or an adult, still gets both, the child's first."""
    pupil = await registered(sim, "学生", "小明")
    [reply] = await pupil.send(text)
    assert CHILDS_WORDS in reply.text and "这不是你的错" in reply.text, reply.text
    assert ADULTS_DUTY not in reply.text and "家长、老师发现" not in reply.text, reply.text
    assert "请平静地跟孩子谈" not in reply.text  # nor the adults' advice on photos
    [unknown] = await sim.user("没登记的人").send(text)
    assert CHILDS_WORDS in unknown.text and ADULTS_DUTY in unknown.text, unknown.text
    assert unknown.text.index(CHILDS_WORDS) < unknown.text.index(ADULTS_DUTY)


async def test_adults_told_of_harm_get_the_adults_words(sim: Simulator) -> None:
    """A teacher, a registered parent and anyone naming their child get the adults' paragraph (the duty to
    report) and advice, without the words for a child (如果你正在受到伤害)."""
    teacher = await registered(sim, "教职工", "王老师")
    parent = sim.user("家长")
    await parent.send("/profile")
    await parent.press("家长 / 市民")
    for user, text in ((teacher, "学生说有陌生人要他的照片"), (parent, "有陌生人要我的照片"),
                       (sim.user("家长2"), "网上有人要我孩子的照片")):  # fmt: skip
        [reply] = await user.send(text)
        assert reply.text.startswith("💡 网上认识的人、陌生人向孩子要照片或视频，请平静地跟孩子谈"), (
            reply.text
        )
        assert ADULTS_DUTY in reply.text and "如果你正在受到伤害" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("text", "language", "lead"),
    [("孙子在学校被别的孩子打了", "zh", "⚠️ 家长、老师发现孩子受到伤害"),
     ("someone hit my son at school", "en", "⚠️ A parent or teacher who finds that a child is being hurt"),
     ("my son is being bullied at school what can i do", "en", "⚠️ A parent or teacher who finds"),
     ("other kids hit me", "en", "⚠️ If you are being hurt")],
)  # fmt: skip
async def test_harm_told_by_whoever_hit_the_child_and_in_english(
    sim: Simulator, text: str, language: str, lead: str
) -> None:
    """A helper's pass as a grandparent and a foreign parent: 孙子在学校被别的孩子打了 and someone hit my son at school
    had got 抱歉，这个问题我暂时回答不了 (别的孩子 was nobody who hurts), and my son is being bullied was told "If you
    are being hurt", words for the child. A child's own English (other kids hit me) keeps them."""
    [reply] = await sim.user("家长", language_code=language).send(text)
    assert reply.text.startswith(lead) and "110" in reply.text, reply.text
    assert any("39" in b or "三十九" in b or "第二十条" in b for b in reply.button_texts), reply.button_texts


async def test_a_stranger_asking_a_child_for_photos_gets_what_to_do_first(sim: Simulator) -> None:
    """A pupils' pass: 网上有人要我照片 had got 这个问题我还答不上来 and the enrollment FAQ's button. Now what to do
    (send nothing, keep the chat, tell an adult) above where to get help and 未成年人保护法 第五十二条."""
    [reply] = await sim.user("学生").send("网上有人要我照片")
    assert reply.text.startswith("💡 网上认识的人、陌生人要你的照片或视频，不要发"), reply.text
    assert "110" in reply.text and any("第五十二条" in b for b in reply.button_texts), reply.button_texts
    assert "浏览常见问题" not in reply.button_texts


@pytest.mark.parametrize("text", ["someone online asked for my pics", "a guy on wechat wants my photo"])
async def test_a_stranger_asking_for_photos_in_english_gets_what_to_do(sim: Simulator, text: str) -> None:
    """A pupils' pass in English: these had got a menu of enrollment questions (register my child online …)
    or nothing found; now what to do, in English, above where to get help."""
    [reply] = await sim.user("student", language_code="en").send(text)
    assert reply.text.startswith("💡 If someone you met online, or a stranger, asks for your photos"), (
        reply.text
    )
    assert "110" in reply.text and not any("register" in b for b in reply.button_texts), reply.button_texts


async def test_a_parent_taking_the_phone_in_english_gets_the_familys_articles(sim: Simulator) -> None:
    """can my mom take my phone away had got "could not find your question" (a pupils' pass in English)."""
    [reply] = await sim.user("student", language_code="en").send("can my mom take my phone away")
    assert any("71" in b or "七十一" in b for b in reply.button_texts), (reply.text, reply.button_texts)


async def test_advice_speaks_to_whoever_asks_and_being_left_out_calls_no_police(sim: Simulator) -> None:
    """A parents' pass: 陌生人要孩子照片怎么办 was told to tell their parents (the child's words), and 孩子刚转学过来，
    同学都不理他正常吗 to call 110. A parent gets the advice for an adult; being left out gets what to do and the
    school's duty, with no 110, for a child and a parent alike."""
    [photos] = await sim.user("家长").send("网上有人要我家孩子照片怎么办")
    assert photos.text.startswith("💡 网上认识的人、陌生人向孩子要照片或视频，请平静地跟孩子谈"), photos.text
    [new_pupil] = await sim.user("家长2").send("孩子刚转学过来，同学都不理他正常吗")
    assert new_pupil.text.startswith("💡 孩子说同学不跟他玩、不理他") and "110" not in new_pupil.text, (
        new_pupil.text
    )
    assert any("第三十九条" in b for b in new_pupil.button_texts)
    [english] = await sim.user("parent", language_code="en").send(
        "Someone online asked for my daughter's pics, what should I do?"
    )
    assert english.text.startswith("💡 If someone met online, or a stranger, asks a child"), english.text
    [alone] = await sim.user("学生").send("同学都不跟我玩")
    assert alone.text.startswith("💡 同学不跟你玩、不理你") and "110" not in alone.text, alone.text


async def test_a_child_in_distress_gets_help_and_nothing_is_kept(sim: Simulator, services: Services) -> None:
    """我想自杀 got a menu of enrollment questions; now where to get help (a trusted adult, 12356, 110 or
    120), no buttons, and the message is neither logged for /unanswered nor passed to the curators."""
    with_curators(sim, services)
    [reply] = await sim.user("学生").send("我想自杀")
    assert "12356" in reply.text and "110" in reply.text and reply.button_texts == []
    [english] = await sim.user("student").send("I want to die")
    assert "12356" in english.text and "trust" in english.text
    assert sim.world.bot_messages(CURATORS) == [] and await logged(services) == []


async def test_harm_told_in_words_no_topic_names_gets_where_to_get_help_first(
    sim: Simulator, services: Services
) -> None:
    """他每天晚上都进我房间 names no topic of harm (no 打, no 摸): it had got 抱歉，这个问题我暂时回答不了 and
    was passed to the curators. The model of harm (bot/content/harm.py) hears it: where to get help comes
    first, the usual reply below; nothing is kept or passed on. Parents' questions get no such line."""
    with_curators(sim, services)
    child = sim.user("学生")
    [told] = await child.send("他每天晚上都进我房间 我好怕 妈妈不信我")
    help_line = (
        "💬 如果你或身边的孩子正在受到伤害、有危险，请马上告诉老师或其他信任的大人，也可以拨打 110 报警。"
    )
    assert told.text == help_line and told.button_texts == []  # not 这个问题不在我能回答的范围 below it
    [secret] = await child.send("那个叔叔说是我们俩的秘密 让我每周去他家")
    assert secret.text.startswith(help_line)
    # above an answer, where the message asks something the FAQ answers as well
    [school] = await child.send("他每天晚上都进我房间 我好怕 能不能转学去住校")
    assert school.text == help_line + "\n\n您是不是想问：" and any("转学" in b for b in school.button_texts)
    [english] = await sim.user("student", language_code="en").send("他每天晚上都进我房间 我好怕")
    assert english.text.startswith("💬 If you or a child you know is being hurt")
    assert sim.world.bot_messages(CURATORS) == [] and await logged(services) == []
    parent = sim.user("家长")
    [answer] = await parent.send("孩子几岁上小学")
    assert answer.text.startswith("❓ 孩子多大可以上小学？")
    [hit] = await child.send("班主任今天打了我一巴掌")  # the topics' warning, not both
    assert hit.text.startswith("⚠️") and "💬" not in hit.text


async def test_someone_else_in_distress_gets_how_to_help_and_a_teacher_the_articles(
    sim: Simulator, services: Services
) -> None:
    """我同学想自杀怎么办 and a teacher's 学生有自杀倾向学校该怎么做 were answered as if the writer were in
    distress (你的感受很重要); now how to help someone else (stay with them, tell an adult, 12356), with
    the articles on what a school must do below a teacher's question; nothing kept or passed on."""
    with_curators(sim, services)
    [friend] = await sim.user("学生").send("我同学想自杀怎么办")
    assert "同学和朋友请马上告诉" in friend.text and "12356" in friend.text and friend.button_texts == []
    [english] = await sim.user("student").send("My friend wants to kill himself")
    assert "A classmate or friend: tell" in english.text and "12356" in english.text
    [teacher] = await sim.user("老师").send("学生有自杀倾向学校该怎么做")
    assert teacher.text.startswith("谢谢你告诉我们") and "相关的法律规定" in teacher.text
    assert teacher.button_texts[0].startswith("《未成年人保护法》第三十条")
    # a parent was told to tell a parent, and that a suicide disclosure was 一个法律问题
    [parent] = await sim.user("家长").send("我是家长，孩子想自杀")
    assert "家长和老师请尽快联系学校的心理老师" in parent.text and "法律问题" not in parent.text
    assert sim.world.bot_messages(CURATORS) == [] and await logged(services) == []


async def test_below_the_articles_on_harm_only_what_else_the_message_asks(sim: Simulator) -> None:
    """幼儿园老师打孩子怎么办 was answered with 幼儿园什么时候报名, then given it below the articles on 体罚, as
    was 俺孙女说幼儿园老师拿针扎她; what the message asks besides the harm (转学) is still offered."""
    for told in ("幼儿园老师打孩子怎么办", "俺孙女说幼儿园老师拿针扎她"):
        [reply] = await sim.user("家长").send(told)
        assert reply.button_texts[0].startswith("《学前教育法》第八十条"), told
        assert all(label.startswith("《") for label in reply.button_texts), told
    [bullied] = await sim.user("家长").send("孩子被欺负了想转学怎么办")
    assert bullied.button_texts[0].startswith("《未成年人保护法》第三十九条")
    assert "孩子转学怎么办理？" in bullied.button_texts


async def test_a_law_topic_named_for_study_gets_no_warning(sim: Simulator) -> None:
    """监护人责任 is no harm to anyone: the articles alone."""
    [reply] = await sim.user("老师").send("监护人责任")
    assert "110" not in reply.text and reply.button_texts[0].startswith("《民法典》第一千一百八十八条")


async def test_not_helpful_offers_the_other_answers_the_hotline_and_a_person(
    sim: Simulator, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a `likely` answer (the others offered below), whatever band the thresholds last chosen give it
    wide = Thresholds(
        confident=0.9, margin=0.06, agreed=0.9, likely=0.2, likely_margin=0.05, unsure=0.1, clear=0.9
    )
    monkeypatch.setattr(services.faq.matcher, "thresholds", wide)
    parent = sim.user("家长")
    [answer] = await parent.send("八月底出生的娃能上一年级吗")  # answered, the others offered below
    [next_step] = await parent.press("👎 没帮助", message=answer)
    assert parent.last_alert is not None and parent.last_alert["text"] == "谢谢反馈！"
    assert "抱歉没能帮上忙" in next_step.text and "· 向区教育局招生部门咨询（" in next_step.text
    assert "小学一年级什么时候报名？" in next_step.button_texts
    assert not any("转人工" in label for label in next_step.button_texts)  # nobody to pass it to
    [menu] = await parent.send("报名")
    assert menu.text == "您是不是想问：" and not any("转人工" in label for label in menu.button_texts)
    [other] = await parent.press("小学一年级什么时候报名？", message=next_step)
    assert other.text.startswith("❓ 小学一年级什么时候报名？")

    with_curators(sim, services)
    [answer] = await parent.send("孩子几岁上小学")  # confident: its related entries are offered
    [next_step] = await parent.press("👎 没帮助", message=answer)
    related = [label for label in answer.button_texts if label in next_step.button_texts]
    assert related and "转人工" in next_step.text
    [prompt] = await parent.press("🙋 转人工", message=next_step)
    assert "写下您的问题" in prompt.text
    [sent] = await parent.send("孩子八月三十一号生日到底能不能上")
    assert "已转给工作人员" in sent.text
    [posted] = sim.world.bot_messages(CURATORS)
    assert "八月三十一号" in posted.text
    # the curators' loop: a reply to the posted question reaches the parent
    curator = sim.user("招生办王老师")
    reply = curator.message_payload("以当年8月31日24时前满六周岁为准。", chat=None)
    reply["message"]["chat"] = {"id": CURATORS, "type": "supergroup", "title": "招生答疑"}
    reply["message"]["reply_to_message"] = sim.world.message_dict(posted)
    await sim.deliver(reply)
    assert "8月31日" in parent.last.text and "工作人员回复" in parent.last.text
    [again] = await parent.send("孩子几岁上小学")  # and the next text is a question again
    assert again.text.startswith("❓ ")
    # a menu of candidates none of which is it offers a person too (its question reached nobody)
    [menu] = await parent.send("报名")
    assert menu.text == "您是不是想问：" and menu.button_texts[-2:] == ["🙋 转人工", "都不是，浏览全部问题"]
    [prompt] = await parent.press("🙋 转人工", message=menu)
    assert "写下您的问题" in prompt.text


async def test_not_helpful_in_a_group_offers_only_what_works_there(
    sim: Simulator, services: Services
) -> None:
    """👎 on the bot's answer in a class group offered 🙋 转人工, and pressing it was refused there (这个功能
    涉及个人信息，请在与我的私聊中使用): a question for the staff and their reply are the asker's own. Now the
    group is offered the other questions, the hotline and a link to the private chat, where 转人工 works;
    @bot 转人工 typed there is shown the same way, where it had been told there was nobody to ask."""
    with_curators(sim, services)
    parent, group = sim.user("家长"), sim.group("三年级二班家长群")
    [answer] = await parent.send("@pufa_sim_bot 孩子几岁上小学", chat=group)
    [next_step] = await parent.press("👎 没帮助", message=answer)
    assert next_step.chat_id == group.id and "抱歉没能帮上忙" in next_step.text
    assert "· 向区教育局招生部门咨询（" in next_step.text and "在与我的私聊中发送「转人工」" in next_step.text
    assert "点「转人工」" not in next_step.text
    assert next_step.button_texts[-2:] == ["🙋 私聊转人工", "浏览常见问题"], next_step.button_texts
    [link] = [b for row in next_step.buttons for b in row if b["text"] == "🙋 私聊转人工"]
    assert link == {"text": "🙋 私聊转人工", "url": "https://t.me/pufa_sim_bot?start=group"}
    for label in next_step.button_texts:  # every button of it works in the group
        if label != "🙋 私聊转人工":
            [shown] = await parent.press(label, message=next_step)
            assert shown.chat_id == group.id and "私聊中使用" not in shown.text, label
    [typed] = await parent.send("@pufa_sim_bot 转人工", chat=group)
    assert typed.text.startswith("转人工请在与我的私聊中进行") and "暂时没有人工服务" not in typed.text
    assert typed.button_texts == ["🙋 私聊转人工", "浏览常见问题"]
    # in the private chat 转人工 is asked for the question, as ever
    [prompt] = await parent.send("转人工")
    assert "写下您的问题" in prompt.text
    # without curators a group is offered no person at all, as a private chat is not
    services.settings = services.settings.model_copy(update={"curator_chat_id": None})
    other = sim.user("另一位家长")
    [answer] = await other.send("@pufa_sim_bot 孩子几岁上小学", chat=group)
    [next_step] = await other.press("👎 没帮助", message=answer)
    assert "转人工" not in next_step.text and not any("转人工" in b for b in next_step.button_texts)


async def test_a_forged_ask_a_person_button_without_curators_is_refused(sim: Simulator) -> None:
    parent = sim.user("家长")
    await parent.send("孩子几岁上小学")
    assert await parent.press(0, data="faq:human") == []
    [answer] = await parent.send("孩子几岁上小学")
    assert answer.text.startswith("❓ ")


async def test_pictures_voice_notes_and_files_are_not_met_with_silence(sim: Simulator) -> None:
    parent = sim.user("家长")
    [answer] = await send_media(parent, "photo", caption="孩子几岁上小学")
    assert answer.text.startswith("❓ 孩子多大可以上小学？")
    for kind in ("photo", "voice", "document", "sticker", "location", "contact"):
        [reply] = await send_media(parent, kind)
        assert "我只能看懂文字" in reply.text, kind


async def test_sample_facts_are_never_shown_and_real_ones_are(
    sim: Simulator, services: Services, tmp_path: Path
) -> None:
    parent = sim.user("家长")
    [answer] = await parent.send("招生咨询电话是多少")
    assert answer.text.startswith("❓ 招生入学问题打哪个电话咨询？")
    assert "000-00000000" not in answer.text and "示例" not in answer.text
    assert "〔待公布〕" in answer.text and PENDING in answer.text
    # the bureau's office and account named as any district's, where it read 到〔待公布〕（〔待公布〕）现场咨询;
    # a sample in brackets of its own is left out (区教育局招生部门（〔待公布〕）现场咨询)
    assert "到区教育局招生部门现场咨询" in answer.text and "区教育局官方公众号" in answer.text
    # two samples side by side are said once (以〔待公布〕和〔待公布〕为准 read as a template never filled in)
    [both] = await parent.send("民办和公办能同时报名吗")
    assert "〔待公布〕和〔待公布〕" not in both.text and "见〔待公布〕。" in both.text
    # the bureau fills in its facts: moved from `samples` to `values`, and reloaded
    shutil.copytree(ROOT / "content", tmp_path / "content")
    site_path = tmp_path / "content" / "site.yaml"
    site = yaml.safe_load(site_path.read_text(encoding="utf-8"))
    real = {key: f"真实{key}" for key in site["samples"]}
    real["hotline"] = "021-12345678"
    site_path.write_text(yaml.safe_dump({"values": real}, allow_unicode=True), encoding="utf-8")
    services.settings = services.settings.model_copy(update={"content_dir": tmp_path / "content"})
    [done] = await sim.user("管理员", user_id=ADMIN_ID).send("/reload")
    assert "内容已重新加载" in done.text
    [answer] = await parent.send("招生咨询电话是多少")
    assert "021-12345678" in answer.text and "〔待公布〕" not in answer.text and PENDING not in answer.text
    assert "真实enrollment_office" in answer.text and "区教育局招生部门" not in answer.text


async def test_a_chinese_answer_to_an_english_reader_names_the_bureau_in_chinese(
    sim: Simulator, services: Services, tmp_path: Path
) -> None:
    """本区小学新生通过the online registration platform the bureau announces（[to be announced]）网上报名: the
    answer's own language decides how its sample facts read; the note below, in English, names its marker.
    Every shipped entry has an English answer; one a curator adds in Chinese only is shown in Chinese."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content" / "faq" / "primary.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["id"] == "primary-online-registration":
            del entry["answer_en"], entry["question_en"]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    services.settings = services.settings.model_copy(update={"content_dir": tmp_path / "content"})
    [done] = await sim.user("管理员", user_id=ADMIN_ID).send("/reload")
    assert "内容已重新加载" in done.text
    [answer] = await sim.user("Parent", language_code="en").send("What documents do I need for 网上报名?")
    assert answer.text.startswith("❓ 小学网上报名怎么操作？")
    assert (
        "区教育局公布的网上报名平台网上报名" in answer.text  # its address（〔待公布〕）left out
        and "announce" not in answer.text.split("⚠️")[0]
    )
    assert "⚠️ Details marked 〔待公布〕" in answer.text


async def test_a_question_in_english_is_answered_in_english_or_pointed_to_the_chinese(
    sim: Simulator,
) -> None:
    parent = sim.user("家长")
    [answer] = await parent.send("What are the primary school registration documents?")
    assert answer.text.startswith("❓ What documents do I need to register my child for primary school?")
    assert "birth certificate" in answer.text and "[to be announced]" in answer.text
    assert "👎 Not helpful" in answer.button_texts
    [exam] = await parent.send("Is there an entrance exam for middle school?")
    title = "❓ Does my child have to take an entrance exam for junior secondary school?"  # it had kept 上初中要参加入学考试吗？
    assert exam.text.startswith(title) and "admitted without entrance" in exam.text
    [closest] = await parent.send("How do I transfer schools?")  # not sure which entry: a menu in English
    assert closest.text.startswith("I am not sure which of these you mean")
    assert "How do I transfer my child to another school?" in closest.button_texts  # its English title
    assert not [b for b in closest.button_texts if re.search(r"[\u4e00-\u9fff]", b)]  # every entry has one
    [nothing] = await parent.send("What is the weather like today?")
    # English, whatever the user's language (a foreign parent's Telegram may be in French): no longer told to
    # ask in Chinese
    assert nothing.text.startswith("I could not find your question") and "ask in Chinese" not in nothing.text


async def test_a_law_named_alone_is_pointed_to_law(sim: Simulator) -> None:
    [reply] = await sim.user("家长").send("宪法")
    assert reply.text.startswith("要查《宪法》的哪一条？") and "/law 宪法 1" in reply.text


async def test_a_double_tap_on_not_helpful_or_a_person_is_answered_once(
    sim: Simulator, services: Services
) -> None:
    """👎 or 🙋 pressed twice in a row sent 抱歉没能帮上忙 (or 请用一句话写下您的问题) twice."""
    with_curators(sim, services)
    parent = sim.user("家长")
    [answer] = await parent.send("孩子几岁上小学")
    before = len(parent.private.bot_messages)
    await asyncio.gather(parent.press("👎 没帮助", message=answer), parent.press("👎 没帮助", message=answer))
    await parent.press("👎 没帮助", message=answer)  # a third, a moment later
    steps = parent.private.bot_messages[before:]
    assert [m.text.startswith("抱歉没能帮上忙") for m in steps] == [True]
    assert parent.last_alert is not None and parent.last_alert["text"] == "谢谢反馈！"
    await parent.press("🙋 转人工", message=steps[0])
    await parent.press("🙋 转人工", message=steps[0])
    prompts = [m for m in parent.private.bot_messages if "写下您的问题" in (m.text or "")]
    assert len(prompts) == 1 and parent.last_alert is not None and "写下您的问题" in parent.last_alert["text"]
    [sent] = await parent.send("孩子八月三十一号生日能不能上")  # the question is still awaited
    assert "已转给工作人员" in sent.text


async def test_a_question_after_faq_is_held_to_the_length_a_typed_one_is(sim: Simulator) -> None:
    [refused] = await sim.user("家长").send("/faq " + "孩" * 1001)
    assert "1000" in refused.text


async def test_a_follow_up_is_read_with_the_answer_before_it_and_only_soon_after(
    sim: Simulator, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """那幼儿园呢 right after the primary-school age answer asks the kindergarten age (it got the
    kindergarten registration steps), and then 什么时候报名, naming no level, the kindergarten's (it got the
    primary-school dates); half an hour later a follow-up is read on its own again."""
    parent = sim.user("家长")
    [age] = await parent.send("孩子几岁上小学")
    assert age.text.startswith("❓ 孩子多大可以上小学？")
    [follow] = await parent.send("那幼儿园呢")
    assert follow.text.startswith("❓ 孩子几岁可以上幼儿园？")
    [alone] = await sim.user("另一位家长").send("那幼儿园呢")
    assert not alone.text.startswith("❓ 孩子几岁可以上幼儿园？")
    [when] = await parent.send("什么时候报名")
    assert when.text.startswith("❓ 幼儿园什么时候报名，怎么报？")
    [asked_alone] = await sim.user("第三位家长").send("什么时候报名")
    assert asked_alone.text.startswith("❓ 小学一年级什么时候报名？")
    await parent.send("孩子几岁上小学")
    later = services.faq.clock() + timedelta(minutes=31)
    monkeypatch.setattr(services.faq, "clock", lambda: later)
    [stale] = await parent.send("那幼儿园呢")
    assert stale.text == alone.text


async def test_an_answer_said_to_be_wrong_is_not_given_again(sim: Simulator) -> None:
    """不对 我问的是… had got the same answer again word for word (a parents' pass); now the others are offered."""
    parent = sim.user("家长")
    [lottery] = await parent.send("小升初电脑派位是怎么回事")
    assert lottery.text.startswith("❓ 小升初电脑派位是怎么回事？")
    [again] = await parent.send("不对 我问的是小学的电脑派位 不是初中")
    assert again.text.startswith("您是不是想问") and "小升初电脑派位是怎么回事？" not in again.button_texts
    [kindergarten] = await parent.send("幼儿园报名要准备哪些材料")
    [offered] = await parent.send("答非所问，我问的是老二上幼儿园要带什么")
    assert (
        offered.text.startswith("您是不是想问")
        and kindergarten.text.splitlines()[0][2:] not in offered.button_texts
    )


async def test_a_follow_up_names_the_level_the_answer_was_not_for(sim: Simulator) -> None:
    """那幼儿园呢 after an answer for 初中 (小学在外地读的，回户籍地上初中怎么办？) had replaced its 小学 and got the
    same 初中 answer again; 那小学呢 after a menu had been answered with the answer before the menu."""
    parent = sim.user("家长")
    [junior] = await parent.send("小学在外地读的，回户籍地上初中怎么办")
    assert junior.text.startswith("❓ 小学在外地读的，回户籍地上初中怎么办？")
    [kindergarten] = await parent.send("那幼儿园呢")
    assert kindergarten.text.startswith("❓ 外地户口的孩子能在这里上幼儿园吗？")
    [menu] = await parent.send("老二今年上中班 想转到离家近的幼儿园 能转吗")
    assert menu.text.startswith("您是不是想问")
    [primary] = await parent.send("那小学呢")
    assert not primary.text.startswith(
        "❓ 外地户口的孩子能在这里上幼儿园吗？"
    ) and "小学" in primary.text + "".join(primary.button_texts)


async def test_a_phone_number_typed_is_told_to_be_unneeded_and_is_never_kept(
    sim: Simulator, services: Services
) -> None:
    """我的电话是13812345678，帮我记住 (a pupils' pass) had got the usual reply alone, and been kept whole for
    /unanswered and the curators."""
    [reply] = await sim.user("学生").send("我的电话是13812345678，帮我记住")
    assert reply.text.startswith("🔒 请不要在这里发送电话号码")
    [asked] = await sim.user("家长").send("孩子户口在外省，身份证110101201801011234，办居住证要多久")
    assert asked.text.startswith("🔒")
    kept = await logged(services)
    assert kept and not any(number in t for t in kept for number in ("13812345678", "110101201801011234"))
    [plain] = await sim.user("家长").send("孩子几岁上小学")
    assert not plain.text.startswith("🔒")


async def test_a_message_asking_two_things_is_offered_the_answer_to_the_other(sim: Simulator) -> None:
    """孩子幾歲可以上小學？報名要準備哪些資料 had been answered on the documents alone, the age among 其他相关问题
    as if it were a guess; a parents' pass counted five of six questions of one message dropped unsaid."""
    parent = sim.user("家长")
    [answer] = await parent.send("孩子幾歲可以上小學？報名要準備哪些資料")
    assert answer.text.startswith("❓ 小学报名要准备哪些材料？")
    assert answer.text.rstrip().endswith("您还问了（点问题看回答）：")
    [age] = await parent.press("孩子多大可以上小学？", message=answer)
    assert age.text.startswith("❓ 孩子多大可以上小学？")
    [one] = await parent.send("我们是外地的，孩子能上公办小学吗")  # one question, a clause before it
    assert "您还问了" not in one.text


async def test_a_question_about_the_bots_own_activities_is_pointed_to_them(sim: Simulator) -> None:
    """学法考试什么时候考 had got 上初中要参加入学考试吗; 竞赛获奖 is still the FAQ's."""
    teacher = sim.user("老师")
    for asked in ("学法考试什么时候考", "怎么订阅宪法晨读"):
        [reply] = await teacher.send(asked)
        assert "/campaign" in reply.text and not reply.text.startswith("❓"), asked
    [certificates] = await teacher.send("竞赛获奖对小升初有用吗")
    assert certificates.text.startswith("❓ 竞赛获奖、考级证书对小升初有用吗？")
    [english] = await sim.user("Teacher", language_code="en").send("学法考试在哪里参加")
    assert english.text.startswith("The staff law exam")


async def test_a_pupil_asking_for_the_reading_after_the_contest_is_told_it_ended(
    sim: Simulator, clock: Clock
) -> None:
    """A pupils' pass, after Constitution Week: 我想订阅晨读 was sent to /campaign, where nothing said the reading
    had ended with the contest, in a reply that spoke of the staff exam and /stats. Now the pupil's version,
    the campaigns with their states below it, and the ended contest's card says the reading stopped too."""
    pupil = await registered(sim, "学生", "小明")
    clock.advance(days=10)
    [reply, campaigns] = await pupil.send("我想订阅晨读")
    assert reply.text.startswith("宪法宣传周竞赛和宪法晨读都在「活动」里") and "/stats" not in reply.text
    assert campaigns.button_texts == ["⚪ 2026年“宪法宣传周”学生法治知识竞赛"], campaigns.button_texts
    await pupil.press(0, message=campaigns)
    assert "活动已结束，每日宪法晨读也随活动停止推送了。" in pupil.last.text, pupil.last.text
    await pupil.press("🎓 领取证书", message=pupil.last)  # not 加油！ when nothing can be done any more
    assert pupil.last_alert is not None and pupil.last_alert["text"].startswith(
        "活动已经结束，没有 60 分以上的成绩"
    )
    [rank] = await pupil.send("/rank")  # nor 还没有您的成绩, as if they could still take part
    assert "活动已经结束，您没有参加这次活动的成绩。" in rank.text, rank.text


async def test_a_pupil_or_teacher_is_answered_as_one_at_school(sim: Simulator, services: Services) -> None:
    """A registered pupil's chat had got enrollment answers (今天中午食堂的红烧肉绝了: the school-meals entry;
    我把弟弟留给奶奶: the siblings' entry); they are told what the bot does for them, and nothing is passed
    to the enrollment staff. Their enrollment questions are still answered, and a parent's chat as before."""
    with_curators(sim, services)
    pupil = await registered(sim, "学生", "小明")
    [hello] = await pupil.send("你好")
    assert "/quiz" in hello.text and "招生入学政策问题" not in hello.text
    for chat in ("今天中午食堂的红烧肉绝了😋", "爸妈都去外地打工了，把我和弟弟留给奶奶，这样合法吗"):
        [reply] = await pupil.send(chat)
        assert reply.text.startswith("这个问题我还答不上来") and "/law" in reply.text, chat
        assert reply.button_texts == [] and "/faq" not in reply.text  # not the parents' FAQ
    # nothing else answers it: the closest articles, for reference
    [adult] = await pupil.send("16岁算完全民事行为能力人吗")
    assert adult.text.startswith("我在法条里找到这些，供参考")
    assert adult.button_texts[0].startswith("《民法典》第十八条")
    [article] = await pupil.press(0, message=adult)
    assert "成年人为完全民事行为能力人" in article.text
    [sad] = await pupil.send("我今天好难过，考试没考好")
    assert "12356" in sad.text and not sad.button_texts
    [certificate, campaigns] = await pupil.send("证书怎么领")  # where they are, and the pupil's campaigns
    assert "/campaign" in certificate.text and not certificate.text.startswith("❓")
    assert "宪法宣传周" in " ".join(campaigns.button_texts)
    [answered] = await pupil.send("义务教育阶段要交学费吗")
    assert answered.text.startswith("❓ 义务教育阶段上学要交学费吗？")
    teacher = await registered(sim, "教职工", "李老师")
    [enrollment] = await teacher.send("孩子几岁上小学")
    assert enrollment.text.startswith("❓")
    [constitution] = await teacher.send("宪法修改过几次")  # 报名信息填错了，还能修改吗 had answered it
    assert constitution.button_texts[0].startswith("《宪法》第六十四条")  # 宪法的修改 …
    assert not any("报名" in label for label in constitution.button_texts)
    # the articles on 体罚 without the words for a child who is hurt (告诉老师或其他信任的大人) above them
    [punishment] = await teacher.send("老师体罚学生要负什么责任")
    assert punishment.button_texts[0].startswith("《未成年人保护法》第二十七条")
    assert "信任的大人" not in punishment.text and "应当立即报告" in punishment.text
    # a teachers' pass: a pupil's disclosure told by their teacher had got three article buttons and no word
    # of 110 or of the duty to report
    [disclosed] = await teacher.send("学生告诉我她被继父性侵了，我该怎么办")
    assert "110" in disclosed.text and "应当立即报告" in disclosed.text and "信任的大人" not in disclosed.text
    [pupils] = await pupil.send("老师体罚学生要负什么责任")
    assert "信任的大人" in pupils.text
    [bye] = await teacher.send("再见")
    assert bye.text.startswith("再见")
    # 取消 with nothing under way (a teachers' pass: it had got a search of the statutes, 遗嘱继承 first)
    [cancelled] = await teacher.send("取消")
    assert cancelled.text.startswith("现在没有进行中的操作") and not cancelled.button_texts
    assert not sim.world.bot_messages(CURATORS)
    [parents] = await sim.user("家长").send("你好")
    assert "招生入学政策问题" in parents.text


@pytest.mark.parametrize(
    ("text", "language", "said"),
    [
        (
            "民法典",
            "zh-hans",
            "要查《民法典》的哪一条？例如 /law 民法典 1",
        ),  # it had offered private schools' entries
        ("什么是宪法？", "zh-hans", "要查《宪法》的哪一条？"),
        ("民法典是什么", "zh-hans", "要查《民法典》的哪一条？"),
        ("what is the constitution?", "en", "Which article of the Constitution? E.g. /law constitution 1"),
    ],
)
async def test_a_laws_name_alone_asks_which_of_its_articles(
    sim: Simulator, text: str, language: str, said: str
) -> None:
    """A law's name alone, or asked what it is, is told how to look up its articles: 民法典 had got 您是不是想问
    with private schools' entries (民, as in 民办), what is the constitution? "I could not find your question"."""
    [reply] = await sim.user("家长", language_code=language).send(text)
    assert reply.text.startswith(said), reply.text


async def test_a_word_close_to_a_laws_name_is_still_an_enrollment_question(sim: Simulator) -> None:
    [reply] = await sim.user("家长").send("学前教育")  # not 学前教育法: the FAQ's entries, as before
    assert "学前教育法" not in reply.text and reply.buttons, reply.text
