"""Telling apart what the FAQ does not answer: small talk, law questions, English, scope."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.content.bundle import Content
from bot.domain import Role
from bot.services.enquiry import (
    Kind,
    follow_up,
    in_english,
    in_scope,
    rephrased,
    restated,
    small_talk,
    understand,
)
from bot.services.faq import FaqService
from bot.services.faq_matcher import Outcome

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("你好", Kind.greeting), ("您好呀！", Kind.greeting), ("Hi!", Kind.greeting), ("在吗？", Kind.greeting),
     ("谢谢", Kind.thanks), ("OK, thanks", Kind.thanks), ("好的", Kind.ack), ("😀", Kind.noise),
     ("？？？", Kind.noise), ("哈哈", Kind.noise), ("[捂脸]", Kind.noise), ("1", Kind.noise),
     ("你能干什么", Kind.greeting), ("好的好的", Kind.ack), ("太谢谢了🙏", Kind.thanks),
     ("🙏", Kind.thanks), ("👍", Kind.ack), ("👍👍", Kind.ack), ("收到", Kind.ack),
     ("不对", Kind.unhelpful), ("答非所问！", Kind.unhelpful), ("That's not what I asked", Kind.unhelpful),
     ("你好，孩子几岁上小学", None), ("孩子几岁上小学", None), ("你能告诉我孩子几岁上小学吗", None),
     ("转人工", Kind.person), ("人工", Kind.person), ("人工客服", Kind.person), ("找人工", Kind.person),
     ("真人", Kind.person), ("请转人工！", Kind.person), ("Talk to a human", Kind.person),
     ("人工智能课怎么上", None), ("转学", None), ("谢谢你啊闺女 你真好", Kind.thanks), ("谢谢 那学费多少", None),
     ("👎", Kind.unhelpful), ("能不能找个真人说说，我打字太慢了", Kind.person), ("怎么转人工", Kind.person)],
)  # fmt: skip
def test_small_talk_is_the_whole_message(text: str, kind: Kind | None) -> None:
    """好的 and 👍 are agreement (好的 got 不客气！, 👍 and 🙏 我能看懂文字提问), 不对 says the answer was wrong
    (it got 这个问题不在我能回答的范围)."""
    assert small_talk(text) == kind


def test_english_and_scope() -> None:
    assert (
        in_english("When does registration open?") and not in_english("hi") and not in_english("my 孩子 几岁")
    )
    assert in_scope("孩子在学校总是丢东西怎么办") and not in_scope("今天天气怎么样")


def test_the_matchers_answer_comes_first(faq_service: FaqService, content: Content) -> None:
    faq = faq_service
    assert understand(faq, content.laws, "孩子几岁上小学").kind is Kind.answer
    law = understand(faq, content.laws, "民法典第一千一百八十八条")
    assert law.kind is Kind.law and law.law is not None and law.law.article is not None
    assert law.law.article.number == 1188
    assert understand(faq, content.laws, "我家楼下的路灯坏了找谁修").kind is Kind.out_of_scope
    topic = understand(faq, content.laws, "入学？")  # a topic named alone, not a question nothing answers
    assert topic.kind is Kind.broad and topic.topic == "入学" and topic.unanswered
    child = understand(
        faq, content.laws, "孩子"
    )  # it had got the articles on 留守孩子, a topic it is part of
    assert child.kind is Kind.broad and child.law is None
    assert understand(faq, content.laws, "孩子在学校总是丢东西怎么办").kind is Kind.unanswered
    # a pupil's year names no school word, yet asks of schools: passed on, not called out of scope
    assert understand(faq, content.laws, "初三想复读一年可以吗").kind is Kind.unanswered
    # higher education is no district school's (it had been passed to the enrollment staff)
    for beyond in ("清华大学录取分数线多少", "我想考研怎么报名"):
        assert understand(faq, content.laws, beyond).kind is Kind.out_of_scope, beyond
    assert understand(faq, content.laws, "读中职以后还能考大学吗").kind is Kind.answer
    english = understand(faq, content.laws, "What's the enrollment hotline?")
    assert english.kind is Kind.answer and english.language == "en"


BULLYING = [
    ("minors_protection", 39),
    ("juvenile_delinquency_prevention", 20),
    ("public_security_penalties", 60),
]
INJURY_AT_SCHOOL = [("civil_code", 1199), ("civil_code", 1200), ("civil_code", 1201)]  # 校园伤害
CORPORAL_PUNISHMENT = [("minors_protection", 27), ("compulsory_education", 29), ("teachers_law", 37)]  # 体罚
# in a kindergarten: 学前教育法 first
KINDERGARTEN_PUNISHMENT = [("preschool_education", 80), ("minors_protection", 27), ("teachers_law", 37)]


@pytest.mark.parametrize(
    ("text", "articles"),
    [("孩子在学校被欺负了找谁", BULLYING), ("学校里有人霸凌我家孩子怎么办", BULLYING),
     ("孩子在学校摔伤了学校要负责吗", INJURY_AT_SCHOOL), ("孩子体育课受伤谁负责", INJURY_AT_SCHOOL),
     ("老师打孩子怎么办", CORPORAL_PUNISHMENT), ("孩子被老师打了", CORPORAL_PUNISHMENT),
     ("幼儿园老师打孩子怎么办", KINDERGARTEN_PUNISHMENT)],
)  # fmt: skip
def test_a_law_question_in_parents_words_gets_the_articles(
    text: str, articles: list[tuple[str, int]], faq_service: FaqService, content: Content
) -> None:
    """Parents say 被欺负 or 霸凌 (the statute: 学生欺凌), 摔伤, 体育课受伤 (校园伤害) and 老师打孩子 (体罚):
    these used to get 抱歉，这个问题我暂时回答不了, and 幼儿园老师打孩子怎么办 the kindergarten registration
    steps, confidently."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None
    assert [(a.law, a.number) for a in reply.law.matches] == articles


def test_a_confident_answer_yields_only_to_a_law_topic_it_never_speaks_of(
    faq_service: FaqService, content: Content
) -> None:
    """寒暑假 带薪 is a law topic (a teacher's paid holidays), and the calendar entry speaks of 寒暑假 but not
    of pay: 老师有寒暑假带薪休假吗 gets the article; 监护人 in a registration question names no topic (监护权
    is one), so its answer stays."""
    assert content.laws.topic_names("老师有寒暑假带薪休假吗")
    holidays = understand(faq_service, content.laws, "老师有寒暑假带薪休假吗")
    assert holidays.kind is Kind.law and holidays.law is not None
    assert [(a.law, a.number) for a in holidays.law.matches] == [("teachers_law", 7)]
    reply = understand(faq_service, content.laws, "一年级报名监护人要什么证件")
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == "primary-documents"


@pytest.mark.parametrize(
    ("text", "articles"),
    [("My son was bullied at school, what can I do?", BULLYING),
     ("Other kids keep bullying my daughter", BULLYING),
     ("My child got hurt at school, is the school responsible?", INJURY_AT_SCHOOL),
     ("The kindergarten teacher hit my daughter", CORPORAL_PUNISHMENT),
     ("My child was hit by a teacher at kindergarten", CORPORAL_PUNISHMENT),
     ("My daughter was sexually harassed at school", [("minors_protection", 54), ("minors_protection", 40),
                                                      ("minors_protection", 11)]),
     ("My dad beats me", [("minors_protection", 17), ("minors_protection", 11)]),
     ("Can a teacher confiscate a student's phone?", [("minors_protection", 70)]),  # had got the hotline
     # a last pass as pupils: the first had got the entry on a missed registration (late), the second nothing
     ("how late can I play games at night", [("minors_protection", 75), ("minors_protection", 74),
                                             ("minors_online_protection", 43)]),
     ("a dog bit me, who pays", [("civil_code", 1245), ("civil_code", 1246), ("civil_code", 1247)]),
     ("Can teachers hit students?", [("minors_protection", 27), ("compulsory_education", 29), ("teachers_law", 37)]),
     ("Someone online keeps asking me to send nude photos", [("minors_protection", 52),
                                                             ("minors_protection", 73), ("minors_online_protection", 38)]),
     # a pupils' pass (December 7, twenty-second session): the phone ones had got the hotline entry, confidently
     ("My classmate took my phone", [("civil_code", 235)]),
     ("Can the teacher take my phone?", [("minors_protection", 70)]),
     ("my phone was stolen", [("public_security_penalties", 58), ("civil_code", 235)]),
     ("I am 13, can I buy things online by myself?", [("civil_code", 19), ("civil_code", 145)])],
)  # fmt: skip
def test_a_law_question_in_english_gets_the_articles(
    text: str, articles: list[tuple[str, int]], faq_service: FaqService, content: Content
) -> None:
    """Asked in English, the same topics lead to the same articles, introduced in English; these got
    'I could not find your question', and the kindergarten ones the registration entries."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.language == "en" and reply.law is not None
    assert [(a.law, a.number) for a in reply.law.matches] == articles


@pytest.mark.parametrize(
    "text",
    ["Someone online wants photos of me without clothes", "A man follows me home from school every day",
     "I'm hiding in the closet, he has a knife", "My teacher slapped my son",
     "My mom locked me out and won't feed me", "An older boy threatens me and takes my money",
     # a last pass as pupils: it had got articles on insults and an online registration entry
     "someone I met online wants me to send pictures of myself and told me not to tell my parents",
     # a pupils' pass (December 7, twenty-second session): "I could not find your question", a registration entry
     "a classmate hit me", "someone online keeps insulting me"],
)  # fmt: skip
def test_harm_told_in_english_gets_the_warning(text: str, faq_service: FaqService, content: Content) -> None:
    """The model of harm reads Chinese only; these were 'I could not find your question' or an FAQ
    answer (photos: the registration entries) until english.yaml gave their words."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and reply.law.urgent and reply.language == "en"


@pytest.mark.parametrize(
    "text",
    ["谢谢，爸爸每天打我", "谢谢你，有陌生人要我的照片", "Thank you. My dad hits me every day",
     "Thanks, someone at school keeps hitting me"],
)  # fmt: skip
def test_harm_told_after_thanks_is_no_thanks(text: str, faq_service: FaqService, content: Content) -> None:
    """Thanks with more words after them (谢谢你啊闺女你真好, Thanks for the info) are thanks; a pupil's harm told
    after a thank-you had been answered 不客气 / "You're welcome!" alone (the English pass copied 谢谢…'s rule)."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and reply.law.urgent, reply


@pytest.mark.parametrize(
    ("text", "entry"),
    [("My child has autism, can he attend a regular school?", "special-groups-inclusive"),
     ("Can my child transfer to another school in the middle of the term?", "transfer-status-timing")],
)  # fmt: skip
def test_english_key_words_find_the_entry(
    faq_service: FaqService, content: Content, text: str, entry: str
) -> None:
    """autism, regular school, attend and the middle of the term are in english.yaml: the first got 'I could
    not find your question', the second a menu."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind in (Kind.answer, Kind.english) and reply.language == "en"
    assert reply.result.outcome is Outcome.confident and reply.result.matches[0].entry_id == entry


def test_an_english_plural_finds_its_word(faq_service: FaqService, content: Content) -> None:
    """english.yaml lists 'foreigner'; 'Can foreigners attend public school?' found only 公办学校 and was
    shown 民办 entries."""
    assert faq_service.faq.english.in_chinese("Can foreigners attend public schools?") == "外籍上公办学校"
    reply = understand(faq_service, content.laws, "Can foreigners attend public school?")
    assert reply.result.matches[0].entry_id == "special-groups-foreign"


@pytest.mark.parametrize(
    "text",
    ["Can non-local children attend public school?", "Can my child go to a public school without hukou?",
     "We don't have local hukou, can my kid attend school here?"],
)  # fmt: skip
def test_a_hukou_from_elsewhere_in_english_finds_the_migrant_entries(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """english.yaml's non-local was never found (the question's words lost their hyphen, the phrase kept
    it), and 'without hukou' read as 户口 alone: these were offered 户口和住的房子不在一起 and 刚迁来的户口."""
    reply = understand(faq_service, content.laws, text)
    assert reply.language == "en" and reply.result.matches
    assert "migrant-right" in [m.entry_id for m in reply.result.matches]
    assert all(m.entry_id.startswith("migrant-") for m in reply.result.matches[:2])


@pytest.mark.parametrize(
    ("text", "language"),
    [("我不想活了", None), ("我想自杀", None), ("活着没意思", None), ("我想离家出走", None),
     ("I want to die", "en"), ("I don't want to live anymore", "en"), ("I feel suicidal", "en"),
     ("我想自殺", None), ("我想割脈", None), ("活着好累", None), ("我好想消失", None),
     ("nobody would miss me if I was gone", "en")],
)  # fmt: skip
def test_a_child_in_distress_is_told_where_to_get_help(
    faq_service: FaqService, content: Content, text: str, language: str | None
) -> None:
    """我想自杀 was offered 在家自己教 and 积分 in a menu, 我想离家出走 the 就近入学 answer, 我不想活了 "not in
    my scope"; in traditional characters (我想自殺) a menu again, and 活着好累 and "nobody would miss me"
    were out of scope. Nothing of it is kept for the curators."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.distress and reply.language == language and not reply.unanswered


@pytest.mark.parametrize(
    ("text", "articles"),
    [("我同学想自杀怎么办", []), ("我妈妈说她不想活了", []), ("我们班有人想跳楼", []),
     ("My friend wants to kill himself", []),
     ("My student is suicidal, what should the school do?", ["minors_protection 30", "minors_protection 90"]),
     ("学生有自杀倾向学校该怎么做", ["minors_protection 30", "minors_protection 90"]),
     ("学生在校自杀学校要承担什么责任", ["minors_protection 30", "minors_protection 90", "civil_code 1199"])],
)  # fmt: skip
def test_someone_else_in_distress_gets_how_to_help_and_a_teacher_the_articles(
    faq_service: FaqService, content: Content, text: str, articles: list[str]
) -> None:
    """A pupil worried for a classmate, or a teacher asking what the school must do, was told 你的感受很重要
    as if they were the one in distress; a teacher got no articles. Not kept for the curators either."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.worried and not reply.unanswered
    assert reply.language == ("en" if text.isascii() else None)
    found = reply.law.matches if reply.law is not None else []
    assert [f"{a.law} {a.number}" for a in found] == articles


@pytest.mark.parametrize(
    ("text", "articles"),
    [("离婚了抚养权怎么判", ["civil_code 1084", "civil_code 1085", "civil_code 1086"]),
     ("抚养费怎么算", ["civil_code 1067", "civil_code 1085"]),
     ("Who gets custody of the child after a divorce?", ["civil_code 1084", "civil_code 1085", "civil_code 1086"])],
)  # fmt: skip
def test_a_parents_family_law_question_gets_its_articles(
    faq_service: FaqService, content: Content, text: str, articles: list[str]
) -> None:
    """No FAQ entry answers custody after a divorce, and 离婚了抚养权怎么判 got a menu of aid entries: the Civil
    Code's articles."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and not reply.law.urgent
    assert [f"{a.law} {a.number}" for a in reply.law.matches] == articles


@pytest.mark.parametrize(
    ("text", "kind"),
    [("同学骂我，我想自杀", Kind.distress), ("自杀", Kind.distress), ("我想死", Kind.distress),
     ("My mom hits me and I want to die", Kind.distress), ("爸妈离婚了，不想活了", Kind.distress),
     ("老师天天批评，想死", Kind.distress), ("考试又没考好，妈妈肯定会骂，不想活了", Kind.distress),
     ("没有其他办法了，只想死", Kind.distress),
     ("想死你了", Kind.out_of_scope), ("外婆，想死我了", Kind.out_of_scope)],
)  # fmt: skip
def test_the_writer_in_distress_is_told_where_to_get_help_and_a_saying_is_no_distress(
    faq_service: FaqService, content: Content, text: str, kind: Kind
) -> None:
    """Words of distress about oneself, even after naming another (同学骂我，我想自杀), are the writer's, and
    so are words whose own clause names nobody: 爸妈离婚了，不想活了 was taken for a parent's distress
    (尽量陪着他（她）), and so was 没有其他办法了，只想死 (他 in 其他). 想死你了 (I missed you so) is nobody's."""
    assert understand(faq_service, content.laws, text).kind is kind


SEXUAL_ABUSE = [("minors_protection", 54), ("minors_protection", 40), ("minors_protection", 11)]
FAMILY_VIOLENCE = [("minors_protection", 17), ("minors_protection", 11)]


@pytest.mark.parametrize(
    ("text", "articles"),
    [("继父摸我", SEXUAL_ABUSE), ("有人摸我", SEXUAL_ABUSE), ("叔叔对我动手动脚", SEXUAL_ABUSE),
     ("my stepdad touches me", SEXUAL_ABUSE), ("我媽經常打我", FAMILY_VIOLENCE),
     ("I am being abused at home", FAMILY_VIOLENCE),
     ("有人要我发裸照", [("minors_protection", 52), ("minors_protection", 73), ("minors_online_protection", 38)]),
     ("有人在网上骂我还P我的照片", [("minors_protection", 77), ("minors_online_protection", 26)])],
)  # fmt: skip
def test_a_child_telling_of_harm_is_told_where_to_get_help_and_offered_no_enrollment_entry(
    text: str, articles: list[tuple[str, int]], faq_service: FaqService, content: Content
) -> None:
    """继父摸我 and 叔叔对我动手动脚 got 这个问题不在我能回答的范围, 我媽經常打我 too (traditional characters),
    and the English ones 'could not find your question'; 有人在网上骂我 was offered 小学网上报名怎么操作 below the
    articles, 有人要我发裸照 the 港澳台 entry."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and reply.law.urgent
    assert [(a.law, a.number) for a in reply.law.matches] == articles
    assert not reply.result.matches


def test_a_parent_telling_of_harm_is_still_offered_the_entries_it_asks_about(
    faq_service: FaqService, content: Content
) -> None:
    reply = understand(faq_service, content.laws, "孩子被欺负了想转学怎么办")
    assert reply.law is not None and reply.law.urgent
    assert reply.result.matches[0].entry_id.startswith("transfer-status-")


GUARDIAN_LIABILITY = [("civil_code", 1188), ("civil_code", 1189)]


@pytest.mark.parametrize(
    ("text", "articles"),
    [("孩子打伤了同学，家长要赔吗", GUARDIAN_LIABILITY), ("孩子把别人打伤了谁赔", GUARDIAN_LIABILITY),
     ("小孩弄坏了别人东西家长要赔吗", GUARDIAN_LIABILITY), ("未成年人打人父母承担责任吗", GUARDIAN_LIABILITY),
     ("孩子在幼儿园受伤幼儿园要负责吗", INJURY_AT_SCHOOL), ("孩子在幼儿园摔伤了谁负责", INJURY_AT_SCHOOL)],
)  # fmt: skip
def test_who_pays_for_harm_a_child_does_or_suffers_gets_the_civil_codes_articles(
    text: str, articles: list[tuple[str, int]], faq_service: FaqService, content: Content
) -> None:
    """The bot's own example of a law question (民法典 1188: a guardian answers for the harm their child
    does) got 抱歉，这个问题我暂时回答不了 when a parent asked it in their words, and a kindergarten injury
    (1199) the kindergarten registration entries."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and not reply.law.urgent
    assert [(a.law, a.number) for a in reply.law.matches] == articles


def test_where_to_register_finds_the_registration_portal_and_high_school_no_compulsory_entry(
    faq_service: FaqService, content: Content
) -> None:
    """孙子上小学在哪报名 (the question parents ask most) had a menu led by 上小学要考试吗; 高中可以休学吗 got the
    休学 entry, whose answer is 义务教育法 第十一条's, for 小学 and 初中 only."""
    where = understand(faq_service, content.laws, "孙子上小学在哪报名")
    assert where.kind is Kind.answer and where.result.matches[0].entry_id == "primary-online-registration"
    high = understand(faq_service, content.laws, "高中可以休学吗")
    assert "transfer-status-suspend" not in [m.entry_id for m in high.result.matches]


@pytest.mark.parametrize(
    ("text", "entry"),
    [("寒假什么时候放", "contact-school-calendar"), ("暑假什么时候开学", "contact-school-calendar"),
     ("小学有课后服务吗", "primary-after-school")],
)  # fmt: skip
def test_the_school_calendar_and_after_school_service_have_their_entries(
    faq_service: FaqService, content: Content, text: str, entry: str
) -> None:
    """寒假什么时候放 and 暑假什么时候开学 were answered confidently with the transfer-timing entry; no entry
    spoke of 校历 or 课后服务 (托管班多少钱 got the nursery-class entry)."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == entry


def test_a_long_message_is_read_for_the_law_question_at_its_end(
    faq_service: FaqService, content: Content
) -> None:
    """The law lookup read a message's first 100 characters; parents tell the story first."""
    story = "我们家孩子今年上三年级，平时在学校表现还可以，老师也经常表扬他，" * 4
    reply = understand(faq_service, content.laws, story + "昨天他和同学打闹，把同学打伤了，家长要赔吗？")
    assert reply.kind is Kind.law and reply.law is not None
    assert [(a.law, a.number) for a in reply.law.matches][:1] == [("civil_code", 1188)]


@pytest.mark.parametrize(
    ("text", "other"),
    [("那幼儿园呢", "幼儿园"), ("初中的话呢", "初中"), ("民办的呢", "民办"), ("那么高中呢？", "高中"),
     ("幼儿园", None), ("那怎么办呢", None), ("孩子几岁上小学", None)],
)  # fmt: skip
def test_a_follow_up_names_another_level_or_sector_and_nothing_else(
    content: Content, text: str, other: str | None
) -> None:
    assert follow_up(content.faq.words, text) == other


def test_a_follow_up_asks_the_last_answers_question_of_another_level(
    faq_service: FaqService, content: Content
) -> None:
    """那幼儿园呢 after 孩子多大可以上小学 had been read alone (the kindergarten registration steps)."""
    words, previous = content.faq.words, content.faq.entries["primary-age"]
    assert rephrased(words, previous.question, "幼儿园") == "孩子多大可以上幼儿园？"
    assert rephrased(words, "报名要带什么", "初中") == "初中报名要带什么"  # no level named: put before it
    reply = understand(faq_service, content.laws, "那幼儿园呢", previous)
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == "kindergarten-age"
    alone = understand(faq_service, content.laws, "那幼儿园呢")
    assert alone.result.matches[0].entry_id != "kindergarten-age"


def test_a_follow_up_of_another_level_is_not_answered_surely_by_an_entry_for_any_level(
    faq_service: FaqService, content: Content
) -> None:
    """那初中呢 after 小学报名要准备哪些材料 (a parents' exploratory pass, December 7) had been answered with
    随迁子女报名要准备哪些材料, which nobody asked: its question is 初中报名要准备哪些材料 but for one word. The
    candidates are offered instead; a follow-up that an entry of its level answers is still answered."""
    previous = content.faq.entries["primary-documents"]
    alone = faq_service.ask("初中报名要准备哪些材料？")
    assert alone.outcome is Outcome.confident and alone.matches[0].entry_id == "migrant-documents"
    assert understand(faq_service, content.laws, "那初中呢", previous).kind is Kind.unsure
    exams = understand(faq_service, content.laws, "那幼儿园呢", content.faq.entries["primary-no-exam"])
    assert exams.kind is Kind.answer and exams.result.matches[0].entry_id == "kindergarten-no-test"


@pytest.mark.parametrize(
    ("text", "entry", "says"),
    [("特殊学校要钱吗", "special-groups-special-school", "不收学费、杂费"),
     ("幼儿园学前一年免费是真的吗", "funding-preschool", "从2025年秋季学期起"),
     ("在这读到初三能不能考这里的高中", "senior-vocational-migrant-zhongkao", "中考报名条件")],
)  # fmt: skip
def test_what_a_parents_pass_asked_is_answered(
    faq_service: FaqService, content: Content, text: str, entry: str, says: str
) -> None:
    """A parents' exploratory pass (December 7, later): a special school's fees had got who may attend one,
    the free last year of kindergarten (国办发〔2025〕27号) a menu without it, 在这读到初三 nothing."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == entry
    assert says in content.faq.entries[entry].answer


def test_a_complaint_about_the_lottery_is_not_answered_with_how_the_lottery_works(
    faq_service: FaqService, content: Content
) -> None:
    """派位结果不满意咋办 had been answered with 小升初电脑派位是怎么回事; the review entry comes first now."""
    reply = understand(faq_service, content.laws, "派位结果不满意咋办")
    assert reply.result.matches[0].entry_id == "contact-appeal"


@pytest.mark.parametrize("text", ["报名那个网址是多少", "咋整啊报名那个手机上弄不来俺不会弄"])
def test_a_grandparents_words_find_the_registration_entry(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """那个 is said around a question (报名那个网址 is 报名网址), 咋整 is 怎么弄: both had got 抱歉，这个问题我暂时回答不了."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind in (Kind.answer, Kind.unsure)
    assert reply.result.matches[0].entry_id == "primary-online-registration"


@pytest.mark.parametrize("text", ["电脑中毒了用什么杀毒软件", "猫咪不吃饭怎么办", "公积金怎么提取"])
def test_an_answer_short_of_confident_needs_a_word_of_the_bureaus_questions(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """A `likely` answer to a message with none of SCOPE's words (电脑中毒了 had got 电脑派位, 公积金怎么提取 an
    enrollment entry) is offered among the suggestions instead; with such a word it is still the answer."""
    assert faq_service.ask(text).outcome is Outcome.likely  # what the matcher alone would answer
    assert understand(faq_service, content.laws, text).kind is Kind.unsure
    assert understand(faq_service, content.laws, text, asker=Role.student).kind is Kind.out_of_scope


def test_a_left_behind_policy_question_gets_the_entry_resting_on_the_minors_protection_articles(
    faq_service: FaqService, content: Content
) -> None:
    """留守儿童政策 had got 未成年人保护法 第二十二条、第二十三条 alone; the entry for children whose parents work
    away (round 21) answers it now, and rests on those articles, shown below it."""
    reply = understand(faq_service, content.laws, "留守儿童政策")
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == "special-groups-left-behind"
    basis = content.faq.entries["special-groups-left-behind"].basis
    assert {(b.law, b.article) for b in basis} >= {("minors_protection", 22), ("minors_protection", 23)}


def test_a_clear_lead_alone_answers_no_message_without_the_bureaus_words(
    faq_service: FaqService, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """apple是什么意思 scores 0.20 for 网上报名 (apple: the phone), 1.67 times its runner-up: confident by the
    clear-lead rule alone with round 20's ratio of 1.6, which a message with none of SCOPE's words does not
    get. Such a message confident by the other rules is still answered (8月31号生日的能上一念级吗, the age
    cut-off: most of its nearest wordings are that entry's)."""
    thresholds = faq_service.matcher.thresholds
    monkeypatch.setattr(faq_service.matcher, "thresholds", replace(thresholds, clear=0.2, clear_ratio=1.6))
    stray = faq_service.ask("apple是什么意思")
    assert stray.outcome is Outcome.confident
    assert not faq_service.matcher.thresholds.sure(stray.matches, stray.neighbours)
    assert understand(faq_service, content.laws, "apple是什么意思").kind is Kind.unsure
    birthday = understand(faq_service, content.laws, "8月31号生日的能上一念级吗")
    assert birthday.kind is Kind.answer and birthday.result.matches[0].entry_id == "primary-age-cutoff"


def test_a_law_named_is_not_answered_by_an_entry_that_never_speaks_of_it(
    faq_service: FaqService, content: Content
) -> None:
    """宪法修改过几次 had been answered, confidently, with 报名信息填错了，还能修改吗: its articles come instead,
    with nothing of the FAQ's below them. An entry resting on the law it names still answers."""
    reply = understand(faq_service, content.laws, "宪法修改过几次")
    assert reply.kind is Kind.law and reply.law is not None and not reply.result.matches
    assert {a.law for a in reply.law.matches} == {"constitution"}
    fees = understand(faq_service, content.laws, "义务教育法规定上学要交学费吗")
    assert fees.kind is Kind.answer and fees.result.matches[0].entry_id == "funding-free-tuition"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("今天中午食堂的红烧肉绝了😋", Kind.out_of_scope), ("你几岁啦", Kind.out_of_scope),
     ("证书怎么领", Kind.activities), ("怎么开始答题啊", Kind.activities), ("我的成绩在哪看", Kind.activities),
     ("我考了几分", Kind.activities), ("怎么查我的考试成绩", Kind.activities),  # a teachers' pass: 中考成绩
     ("我不会", Kind.out_of_scope),  # not 民法典 第三百零四条, which says 不会 once
     ("孩子几岁上小学", Kind.answer), ("义务教育阶段要交学费吗", Kind.answer)],
)  # fmt: skip
def test_a_pupil_or_teacher_is_answered_as_one_at_school(
    faq_service: FaqService, content: Content, text: str, kind: Kind
) -> None:
    """Chat with none of SCOPE's words gets no enrollment entry, as answer or menu, from a registered pupil
    or teacher; what they do with the bot (证书, 答题) is pointed to the activities; enrollment questions are
    answered as a parent's."""
    reply = understand(faq_service, content.laws, text, asker=Role.student)
    assert reply.kind is kind and reply.at_school
    assert understand(faq_service, content.laws, text).kind is not Kind.activities


@pytest.mark.parametrize(
    ("text", "first"),
    [("国歌是什么呀", ("constitution", 141)), ("16岁算完全民事行为能力人吗", ("civil_code", 18)),
     ("不满14周岁的违反治安管理，会被处罚吗", ("public_security_penalties", 12))],
)  # fmt: skip
def test_a_pupils_law_question_nothing_else_answers_gets_the_closest_articles(
    faq_service: FaqService, content: Content, text: str, first: tuple[str, int]
) -> None:
    """They had got 这个问题不在我能回答的范围 (or a menu of enrollment entries): the articles that hold most of
    the question's words come, for reference; a parent is answered as before, and chat that shares a word
    with an article (手机好卡啊怎么办: 手机) finds none."""
    reply = understand(faq_service, content.laws, text, asker=Role.student)
    assert reply.kind is Kind.searched and reply.law is not None
    assert (reply.law.matches[0].law, reply.law.matches[0].number) == first
    assert understand(faq_service, content.laws, text).kind is not Kind.searched
    chat = understand(faq_service, content.laws, "手机好卡啊怎么办", asker=Role.student)
    assert chat.kind is Kind.out_of_scope and content.laws.search("手机好卡啊怎么办", 3)


def test_pupils_and_teachers_chat_gets_no_enrollment_entry(faq_service: FaqService, content: Content) -> None:
    """On 160 messages written blind as pupils and teachers (tests/data/pupils_blind.yaml): chat is offered
    no enrollment menu and finds no articles, questions about the bot are mostly pointed to the
    activities, and enrollment questions get what a parent's get (but for being passed to the staff)."""
    items = yaml.safe_load((DATA / "pupils_blind.yaml").read_text(encoding="utf-8"))
    kinds: dict[str, Counter[Kind]] = defaultdict(Counter)
    for item in items:
        reply = understand(faq_service, content.laws, item["text"], asker=Role.student)
        kinds[item["category"]][reply.kind] += 1
        if item["category"] == "enrollment":  # kept for /unanswered, not passed to the enrollment staff
            parent = understand(faq_service, content.laws, item["text"])
            kind = Kind.out_of_scope if parent.kind is Kind.unanswered else parent.kind
            assert (reply.kind, reply.result) == (kind, parent.result), item["text"]
    assert kinds["chat"][Kind.unsure] == kinds["chat"][Kind.searched] == 0
    assert kinds["chat"][Kind.answer] <= 1
    assert kinds["bot"][Kind.activities] >= 12
    assert kinds["law"][Kind.searched] >= 8


def test_a_teachers_law_question_gets_its_articles_before_any_enrollment_entry(
    faq_service: FaqService, content: Content
) -> None:
    """我对学校的处分不服，可以去哪里申诉 had been answered with the entry on appealing a school place; a teacher's
    question the FAQ cannot answer is not passed to the enrollment staff, and 再见 is a farewell."""
    appeal = understand(faq_service, content.laws, "我对学校的处分不服，可以去哪里申诉？", asker=Role.staff)
    assert appeal.kind is Kind.law and appeal.law is not None
    assert (appeal.law.matches[0].law, appeal.law.matches[0].number) == ("teachers_law", 39)
    assert not appeal.result.matches  # nor the entry on appealing a school place below them
    unanswered = "学生抑郁症的信息能告诉其他家长吗"
    assert understand(faq_service, content.laws, unanswered).kind is Kind.unanswered
    kept = understand(faq_service, content.laws, unanswered, asker=Role.staff)
    assert kept.kind is Kind.out_of_scope and kept.unanswered and not kept.for_curators
    assert understand(faq_service, content.laws, "再见", asker=Role.staff).kind is Kind.farewell
    # the exam's attempts, in Chinese or English, are the bot's own activities (a teachers' pass: the enrollment
    # entries on entrance exams); a parent's 上初中要考试吗 stays the FAQ's
    for asked in ("考试还能考几次", "How do I take the staff exam?"):
        assert understand(faq_service, content.laws, asked, asker=Role.staff).kind is Kind.activities, asked
    assert understand(faq_service, content.laws, "上初中要参加考试吗").kind is Kind.answer


def test_a_teacher_hit_is_a_teacher_hit_not_a_child_hurt_at_home(
    faq_service: FaqService, content: Content
) -> None:
    """A teachers' pass: 家长在学校打了我怎么办 from a teacher had got the line for a child hurt and the
    parents' duties (未成年人保护法 第十七条); a teacher's 我 is the teacher. A pupil's stays their harm."""
    hit = understand(faq_service, content.laws, "家长在学校打了我怎么办", harm=content.harm, asker=Role.staff)
    assert hit.kind is Kind.law and hit.law is not None and not hit.law.urgent and not hit.harm
    assert [(a.law, a.number) for a in hit.law.matches][:2] == [
        ("teachers_law", 35),
        ("public_security_penalties", 51),
    ]
    pupil = understand(
        faq_service, content.laws, "家长在学校打了我怎么办", harm=content.harm, asker=Role.student
    )
    assert pupil.law is not None and pupil.law.urgent


@pytest.mark.parametrize(
    ("text", "kind"),
    [("我今天好难过，考试没考好", Kind.feelings), ("最近压力好大，睡不着", Kind.feelings),
     ("我和爸妈吵架了", Kind.feelings), ("明天要考试了好紧张", Kind.feelings),
     ("孩子压力大怎么办", Kind.unanswered), ("今年学位紧张吗", Kind.answer),
     ("我被同学欺负了好难过", Kind.law)],
)  # fmt: skip
def test_a_pupil_who_feels_low_is_told_whom_to_talk_to(
    faq_service: FaqService, content: Content, text: str, kind: Kind
) -> None:
    """They had got entrance-exam entries or 这个问题我还答不上来; a parent's question about a child, a tight
    school place (学位紧张) and harm a law topic names are not feelings."""
    assert understand(faq_service, content.laws, text).kind is kind


@pytest.mark.parametrize("text", ["看不懂", "太长了！", "说简单点", "我不识字多"])
def test_an_answer_too_hard_to_read_is_met_with_where_to_ask(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """看不懂 and 太长了 had been told 这个问题不在我能回答的范围 and pointed to /law, 我不识字多 offered entrance
    exams and 学籍号."""
    assert understand(faq_service, content.laws, text).kind is Kind.plainer


@pytest.mark.parametrize(
    ("text", "kind"),
    [("我要找真人客服", Kind.person), ("有没有人能帮我", Kind.person), ("找人", Kind.person),
     ("人工智能课", None), ("找人代办转学行吗", None)],
)  # fmt: skip
def test_a_person_asked_for_in_other_words_is_a_request_for_a_person(text: str, kind: Kind | None) -> None:
    """我要找真人客服 and 找人 had been told 这个问题不在我能回答的范围."""
    assert small_talk(text) is kind


def test_a_complaint_that_says_the_question_again_gets_it_answered(
    faq_service: FaqService, content: Content
) -> None:
    """你答非所问啊 我问的是… had been offered a menu built from the complaint's words; a question that
    starts with the same characters is no complaint (不对口的学校能报吗)."""
    reply = understand(faq_service, content.laws, "你答非所问啊 我问的是孩子多大可以上小学")
    assert reply.kind is Kind.answer and reply.result.matches[0].entry_id == "primary-age"
    assert restated("不对，我是问初中什么时候报名") == "初中什么时候报名"
    assert restated("不对口的学校能报吗") is None and restated("孩子几岁上小学") is None
    assert restated("不对，我问的是学费") is None  # too short to be asked alone: read whole


def test_a_follow_up_is_asked_of_the_level_just_answered_where_it_has_an_entry(
    faq_service: FaqService, content: Content
) -> None:
    """After the kindergarten age entry, 什么时候报名 and 多少钱 are the kindergarten's (they got primary-school
    registration and 民办学校的收费标准); 转学, which no kindergarten entry is about, keeps its own entries."""
    kindergarten = faq_service.faq.entries["kindergarten-age"]

    def first(text: str) -> str:
        return understand(faq_service, content.laws, text, previous=kindergarten).result.matches[0].entry_id

    assert first("什么时候报名") == "kindergarten-registration"
    assert first("多少钱") == "kindergarten-fees"
    assert first("转学怎么办") == "transfer-status-how"
    assert first("小学什么时候报名") == "primary-registration-period"  # names its own level
    alone = understand(faq_service, content.laws, "什么时候报名")
    assert alone.result.matches[0].entry_id == "primary-registration-period"


def test_paying_asked_in_everyday_words_finds_the_fees(faq_service: FaqService) -> None:
    """幼儿园要钱吗 had been answered with 上幼儿园要考试或者面试吗 (要钱: 多少钱 in matching.yaml)."""
    assert faq_service.ask("幼儿园要钱吗").matches[0].entry_id == "kindergarten-fees"


def test_each_question_of_a_message_is_looked_up(faq_service: FaqService, content: Content) -> None:
    """民办和公办有啥区别 民办要考试吗 学费多少 had been answered on the fees alone; a clause that asks nothing
    (我们是外地的) is no question, and a clause of a message naming a level is asked of it (入园需要哪些材料
    出生证明要吗 had offered the primary-school birth certificate entry)."""
    reply = understand(faq_service, content.laws, "民办和公办有啥区别 民办要考试吗 学费多少")
    assert reply.kind is Kind.answer and "private-no-exam" in reply.also
    assert reply.result.matches[0].entry_id not in reply.also
    assert understand(faq_service, content.laws, "我们是外地的，孩子能上公办小学吗").also == ()
    kindergarten = understand(faq_service, content.laws, "入园需要哪些材料 出生证明要吗")
    assert "primary-birth-certificate-missing" not in kindergarten.also


def test_a_grandparent_raising_a_child_whose_parents_work_away_is_answered(
    faq_service: FaqService, content: Content
) -> None:
    """爸妈不在 奶奶能去报名吗 had been told 这个问题我暂时回答不了 (a pass as a grandmother); 孩子父母都不在了 (the
    parents have died) is no such question: 父母不在了 is 家庭经济困难's word in matching.yaml."""
    for text in ("爸妈不在 奶奶能去报名吗", "孩子爸妈不在身边 谁给孩子报名"):
        reply = understand(faq_service, content.laws, text)
        assert reply.kind is Kind.answer, text
        assert reply.result.matches[0].entry_id == "special-groups-left-behind", text
    orphan = faq_service.ask("孩子爸妈都不在了，上学能减免费用吗")
    assert orphan.matches[0].entry_id != "special-groups-left-behind"
    # the entry rests on the articles on leaving a child in another adult's care, shown as its basis
    entrusted = understand(faq_service, content.laws, "爸妈出去打工了孩子交给奶奶带，委托照护要办什么")
    assert entrusted.kind is Kind.answer
    entry = faq_service.faq.entries[entrusted.result.matches[0].entry_id]
    assert {(b.law, b.article) for b in entry.basis} >= {("minors_protection", 22), ("minors_protection", 23)}


@pytest.mark.parametrize("text", ["20230101", "13800001111", "'20230105"])
def test_a_number_alone_is_no_question_to_keep(faq_service: FaqService, content: Content, text: str) -> None:
    """A 学号 typed where nothing asked for one had been kept for /unanswered: a number alone is noise."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.noise and not reply.unanswered


@pytest.mark.parametrize("text", ["我不想上学了", "I don't want to go to school anymore", "I hate school"])
def test_a_child_who_does_not_want_school_is_heard_not_told_the_rules(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """A pupils' exploratory pass: 我不想上学了 had got the parents' entry on dropping out (the authorities
    order the parents to send the child back); the English one went to the staff as an enrollment question.
    A parent's words stay the entry's, and harm the child names comes first."""
    assert understand(faq_service, content.laws, text).kind is Kind.feelings
    parent = understand(faq_service, content.laws, "我家孩子说不想上学了怎么办")
    assert parent.kind is Kind.answer and parent.result.matches[0].entry_id == "transfer-status-dropout"
    hurt = understand(faq_service, content.laws, "我不想上学了，因为同学天天打我")
    assert hurt.kind is Kind.law and hurt.law is not None and hurt.law.urgent


@pytest.mark.parametrize("text", ["my classmates hit me every day", "a boy in my class keeps hitting me"])
def test_a_child_hit_by_classmates_in_english_is_told_where_to_get_help(
    faq_service: FaqService, content: Content, text: str
) -> None:
    """The same pass: these had got "I could not find your question" and gone to the staff as enrollment
    questions, where "I am being bullied" got the 110 line."""
    reply = understand(faq_service, content.laws, text)
    assert reply.kind is Kind.law and reply.law is not None and reply.law.urgent and reply.language == "en"
