"""English mode: said once that quiz questions and statutes stay in Chinese and the FAQ is in English (but for
an answer written only in Chinese; it had said they stay in Chinese, and then answered in English); law names and the
fixed parts around a question (header, type, True/False, feedback words, buttons) in English."""

from __future__ import annotations

import re

import pytest

from bot.content.bundle import Content
from bot.content.questions import QType, Question
from bot.sim import SimMessage, Simulator
from tests.conftest import ADMIN_ID
from tests.handlers.helpers import registered


def asked(content: Content, message: SimMessage) -> Question:
    stem = re.search(r"\] (.+)", message.text or "")
    assert stem, message.text
    [question] = [q for q in content.questions.questions.values() if q.stem == stem.group(1).strip()]
    return question


async def test_english_names_laws_and_words_around_questions_and_says_what_stays_chinese(
    sim: Simulator, content: Content
) -> None:
    user = await registered(sim)
    [told] = await user.send("/language en")
    assert (
        "quiz questions, the statute texts" in told.text
        and "FAQ's questions and answers are in English" in told.text
    )
    [answer] = await user.send("孩子几岁上小学")
    assert "Basis: Compulsory Education Law Article 11" in answer.text and "凡年满六周岁" not in answer.text
    [menu] = await user.send("/quiz")
    assert any(b.startswith("Constitution ") for b in menu.button_texts)
    assert any(b.startswith("Law on the Protection of Minors ") for b in menu.button_texts)
    assert not any("《" in b for b in menu.button_texts)
    await user.press("Law on the Protection of Minors")
    [message] = await user.press("Practice 10 questions")
    assert message.text.startswith("📝 Question 1/10 · Law on the Protection of Minors\n[")
    for _ in range(10):
        question = asked(content, message)
        if question.type is QType.judge:
            assert message.button_texts == ["True", "False"]
            await user.press("False" if question.answer == "对" else "True", message=message)
            assert "❌ Wrong" in message.text and "Your answer: " in message.text
            assert "Correct answer: " + ("True" if question.answer == "对" else "False") in message.text
            # the articles by number, as "Article 39" (it said 第三十九条 in the English sentence)
            basis = next(line for line in message.text.splitlines() if "Basis: " in line)
            cited = "; ".join(f"Article {n}" for n in question.articles)
            assert basis.endswith(f"Basis: Law on the Protection of Minors {cited}") and "第" not in basis
            assert all(re.fullmatch(r"Text of Article \d+|Next ›", b) for b in message.button_texts)
            break
        await user.press(0, message=message)
        [message] = await user.press("Next", message=message)
    else:
        raise AssertionError("no true-or-false question in ten")


async def test_an_admin_in_english_reads_the_campaigns_in_english(sim: Simulator) -> None:
    """/stats, /missing and /chart named campaigns by their Chinese titles for an English-speaking admin
    (title_en was used by /verify only), and the absent schools' line ended in a stray [Took part]."""
    admin = sim.user("admin", user_id=ADMIN_ID)
    await admin.send("/language en")
    [report] = await admin.send("/stats")
    assert report.text.startswith("📊 2026 Constitution Week student contest")
    assert 'Schools with nobody yet under "Took part"' in report.text and "[Took" not in report.text
    [missing] = await admin.send("/missing")
    assert "2026 Constitution Week student contest" in missing.text


@pytest.mark.parametrize(
    "text",
    [
        "The registration website locked me out after 3 wrong passwords",
        "How do I report abuse of school place quotas?",
        "Is the school following me up about the missing documents?",
        "I registered on wechat and it asks for my photo, which size?",
        "I was slapped with a late fee for the school bus",
        "The lottery result hit me hard",
    ],
)
async def test_a_parents_english_about_the_registration_raises_no_alarm(sim: Simulator, text: str) -> None:
    """A parents' pass in English: locked me out, abuse of quotas, following me up and a photo on WeChat had
    been read as harm to a child (⚠️ call 110, or the advice about strangers asking for photos)."""
    [reply] = await sim.user("parent", language_code="en").send(text)
    assert "110" not in reply.text and not reply.text.startswith(("⚠️", "💡")), reply.text


async def test_stopping_words_in_english_during_the_exam_offer_to_carry_on_or_give_up(sim: Simulator) -> None:
    """An English teacher's pass: stop typed mid-exam had been told "Nothing is under way, so there is nothing to
    cancel", I want to quit "I could not find your question", give up the fallback about laws and enrollment (and
    取消 the Chinese of the first): each now gets the exam's card, Continue or give it up, as 交卷 does."""
    teacher = await registered(sim)
    await teacher.send("/language en")
    await teacher.send("/campaign")
    await teacher.press("2026 staff law exam")
    await teacher.press("Start")
    for typed in (
        "stop",
        "I want to quit",
        "give up",
        "I'd like to stop the exam",
        "Quit!",
        "cancel",
        "取消",
    ):
        [card] = await teacher.send(typed)
        assert card.text.startswith("You have an exam under way: 2026 staff law exam"), typed
        assert card.button_texts == ["▶️ Continue", "🏳️ Give up this exam"], typed
    [question] = await teacher.press("Continue", message=card)
    assert question.text.startswith("📝 Question 1/25")
    [told] = await sim.user("parent", language_code="en").send("stop")  # nothing under way: as before
    assert told.text.startswith("Nothing is under way")


async def test_law_names_the_law_and_its_articles_in_english_around_the_chinese_text(sim: Simulator) -> None:
    """An English teacher's pass: /law constitution 1 had been headed 《宪法》第一条（第一章 总纲）with a 第二条 ▶
    button, and the articles found for a keyword, a number or a parent's question about bullying were buttons
    such as 《未成年人保护法》第三十九条: the law and the article are now named in English (the statute's text, and
    its chapter, stay Chinese), as the quiz's and the FAQ's Basis lines already did."""
    teacher = sim.user("teacher", language_code="en")
    [article] = await teacher.send("/law constitution 1")
    assert article.text.startswith("📖 Constitution Article 1 (第一章 总纲)\n中华人民共和国是")
    assert article.button_texts == ["Article 2 ▶"]
    [article] = await teacher.press("Article 2 ▶")
    assert article.text.startswith("📖 Constitution Article 2 ")
    assert article.button_texts == ["◀ Article 1", "Article 3 ▶"]
    [which] = await teacher.send("/law 1188")
    assert which.button_texts == ["Civil Code Article 1188"]
    [found] = await teacher.send("/law bullying")
    assert found.button_texts[0].startswith("Law on the Protection of Minors Article 39 学校应当")
    assert not any("《" in b or "第" in b.split()[-2] for b in found.button_texts)
    [unknown] = await teacher.send("/law 刑法 3")
    assert unknown.text.startswith(
        '"刑法" is not in this collection. The laws here: Constitution, Civil Code, '
    )
    [answer] = await sim.user("parent", language_code="en").send("My child is being bullied at school")
    assert answer.button_texts[0].startswith("Law on the Protection of Minors Article 39")
    [chinese] = await sim.user("老师").send("/law 宪法 1")  # in Chinese, as before
    assert chinese.text.startswith("📖 《宪法》第一条（第一章 总纲）") and chinese.button_texts == [
        "第二条 ▶"
    ]


async def test_a_law_named_in_english_that_is_not_here_is_said_to_be_missing(sim: Simulator) -> None:
    """An English teacher's pass: /law criminal law 3 (and minors protection law 300) had listed the school-bus
    regulations' articles on fines, whose 1000元以上3000元以下 held the digit typed; now, as /law 刑法 3 does, it
    says the law is not here and lists those that are, by their English names."""
    teacher = sim.user("teacher", language_code="en")
    for typed, name in (
        ("criminal law 3", "criminal law"),
        ("minors protection law 300", "minors protection law"),
    ):
        [reply] = await teacher.send(f"/law {typed}")
        assert reply.text.startswith(f'"{name}" is not in this collection. The laws here: Constitution, ')
        assert "Law on the Protection of Minors" in reply.text and not reply.button_texts, typed
    [reply] = await teacher.send("/law foo 3")
    assert reply.text.startswith('Nothing found for "foo 3"') and not reply.button_texts
    [article] = await teacher.send("/law teachers law 3")  # a law that is here, as before
    assert article.text.startswith("📖 Teachers Law Article 3")


async def test_a_parents_thanks_and_complaints_in_a_few_english_words_are_heard_as_such(
    sim: Simulator,
) -> None:
    """An English parent's pass: Thank you very much for your help! and thanks for the info had been told "I could
    not find your question", as had not helpful, That didn't help. and this is not what I asked (useless: "That is
    not something I can answer"); thanks are now welcomed and complaints answered as wrong and 没用 are."""
    parent = sim.user("parent", language_code="en")
    [answer] = await parent.send("How old does my child need to be to start primary school?")
    assert answer.text.startswith("❓ How old must my child be to start primary school?")
    for typed in ("not helpful", "That didn't help.", "useless", "this is not what I asked"):
        [reply] = await parent.send(typed)
        assert reply.text.startswith("Sorry I got that wrong."), typed
    for typed in ("Thank you very much for your help!", "thanks for the info"):
        [reply] = await parent.send(typed)
        assert reply.text.startswith("You're welcome!"), typed
    [answer] = await parent.send("Thanks, what documents do I need?")  # a question after thanks is answered
    assert answer.text.startswith("❓ What documents do I need")


async def test_do_you_speak_english_is_answered_in_english(sim: Simulator) -> None:
    """An English parent's pass: Do you speak English? had been told "I could not find your question. Try other
    words"; it is greeted, in English, with what the bot answers (and so for a parent whose Telegram is Chinese)."""
    for parent in (sim.user("parent", language_code="en"), sim.user("家长")):
        for typed in ("Do you speak English?", "can I ask in English?"):
            [reply] = await parent.send(typed)
            assert reply.text.startswith("Hello! I am the education bureau's automated assistant"), typed
            assert reply.button_texts == ["Browse common questions"]


async def test_law_alone_shows_examples_an_english_reader_can_type(sim: Simulator) -> None:
    """An English teacher's pass: /law alone gave only Chinese names (/law 民法典 1188, /law 监护 by keyword), though
    English names and words are looked up too; its examples now include them, and each finds what it says."""
    teacher = sim.user("teacher", language_code="en")
    [usage] = await teacher.send("/law")
    examples = [line.split(" (")[0] for line in usage.text.splitlines() if line.startswith("/law ")]
    assert examples[:2] == ["/law civil code 1188", "/law Law on the Protection of Minors 20"]
    for example in examples:
        [found] = await teacher.send(example)
        assert found.text.startswith(("📖 ", "Articles most related")), example


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # an English parent's pass: the private schools' fees, and the preschool law's articles first
        ("Are there any fees?", "Do we have to pay tuition fees during compulsory education?"),
        ("How much does it cost?", "Do we have to pay tuition fees during compulsory education?"),
        ("What are the private school fees?", "Where can I find out what a private school charges?"),
        (
            "My son is 5 and a half, can he start primary school this September?",
            "What date is used to decide whether my child has turned six for primary school?",
        ),
    ],
)
async def test_an_english_parents_plain_question_gets_its_entry(
    sim: Simulator, question: str, answered: str
) -> None:
    [answer] = await sim.user("Parent", language_code="en").send(question)
    assert answer.text.startswith("❓ " + answered), answer.text


@pytest.mark.parametrize("told", ["thank you but a stranger wants my photos", "a stranger wants my photos"])
async def test_a_stranger_wanting_a_childs_photos_is_heard_in_english(sim: Simulator, told: str) -> None:
    """It had been thanked for ("You're welcome!") or not understood: what to do and where to get help."""
    [reply] = await sim.user("pupil", language_code="en").send(told)
    assert reply.text.startswith("💡") and "110" in reply.text, reply.text
