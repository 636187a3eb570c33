"""/law: articles by name and number or by keyword."""

from __future__ import annotations

import pytest

from bot.content.bundle import Content
from bot.services.law_lookup import lookup, split_message
from bot.sim import Simulator


@pytest.mark.parametrize(
    ("query", "law", "number"),
    [("民法典 1188", "civil_code", 1188), ("未成年人保护法 第二十条", "minors_protection", 20),
     ("未保法 20", "minors_protection", 20), ("民法典第1188条", "civil_code", 1188),
     ("义教法 十一", "compulsory_education", 11), ("宪法 33", "constitution", 33),
     ("未成年人保户法 20", "minors_protection", 20),
     # by the English title, whole or short, in any case ('Nothing found' before)
     ("civil code 1188", "civil_code", 1188), ("Law on the Protection of Minors 39", "minors_protection", 39),
     ("Teachers Law of the People's Republic of China 37", "teachers_law", 37)],
)  # fmt: skip
def test_articles_are_found_by_name_and_number(content: Content, query: str, law: str, number: int) -> None:
    result = lookup(content.laws, query)
    assert result.article is not None and (result.article.law, result.article.number) == (law, number)


def test_a_keyword_finds_articles_across_laws(content: Content) -> None:
    result = lookup(content.laws, "强制报告")
    assert result.article is None and result.matches
    assert lookup(content.laws, "监护").matches[0].body.count("监护") >= 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("民法典 1188 1189", [("civil_code", 1188), ("civil_code", 1189)]),
        ("教师法第7、8条", [("teachers_law", 7), ("teachers_law", 8)]),
        ("民法典1188,1189,99999", [("civil_code", 1188), ("civil_code", 1189)]),  # the ones it has
    ],
)
def test_several_numbers_of_a_law_find_each_article(content: Content, query: str, expected: list) -> None:
    """A teachers' pass: /law 民法典 1188 1189 had found nothing."""
    assert [(a.law, a.number) for a in lookup(content.laws, query).matches] == expected


def test_long_text_is_split_within_telegrams_limit() -> None:
    pieces = split_message("\n".join(["法" * 1500] * 5) + "\n" + "律" * 9000)
    assert (
        all(len(p) <= 4096 for p in pieces) and "".join(pieces).replace("\n", "") == "法" * 7500 + "律" * 9000
    )


async def test_law_command_in_chat(sim: Simulator) -> None:
    user = sim.user()
    [article] = await user.send("/law 未保法 20")
    assert article.text.startswith("📖 《未成年人保护法》第二十条") and "强制报告" not in article.text[:5]
    [missing] = await user.send("/law 宪法 999")
    assert "没有第 999 条" in missing.text and "共 143 条" in missing.text
    [found] = await user.send("/law 监护")
    assert found.buttons and "监护" in found.text
    [opened] = await user.press(0, message=found)
    assert opened.text.startswith("📖 《")
    [usage] = await user.send("/law")
    assert "/law 民法典 1188" in usage.text
    [about] = await user.send("/law 民法典")
    assert "1260" in about.text


async def test_an_article_leads_to_the_ones_beside_it(sim: Simulator) -> None:
    """A teacher reading 预防未成年人犯罪法 第三十一条 (a school's measures) reads on to 第三十二条 (the parents
    told) with a button; a law's first and last articles have one button each."""
    user = sim.user("李老师")
    [article] = await user.send("/law 预防未成年人犯罪法 31")
    assert article.button_texts == ["◀ 第三十条", "第三十二条 ▶"]
    [after] = await user.press("第三十二条 ▶", message=article)
    assert after.text.startswith("📖 《预防未成年人犯罪法》第三十二条") and "告知其父母" in after.text
    [before] = await user.press("◀ 第三十条", message=article)  # the first message's buttons still work
    assert before.text.startswith("📖 《预防未成年人犯罪法》第三十条")
    [first] = await user.send("/law 宪法 1")
    assert first.button_texts == ["第二条 ▶"]
    [last] = await user.send("/law 宪法 143")
    assert last.button_texts == ["◀ 第一百四十二条"]


async def test_the_longest_article_arrives_whole_in_pieces(sim: Simulator, content: Content) -> None:
    longest = max(
        (a for law in content.laws.laws.values() for a in law.articles.values()), key=lambda a: len(a.body)
    )
    user = sim.user()
    title = content.laws.get(longest.law).title.removeprefix("中华人民共和国")  # type: ignore[union-attr]
    replies = await user.send(f"/law {title} {longest.number}")
    assert all(len(r.text) <= 4096 for r in replies)
    assert [bool(r.buttons) for r in replies] == [False] * (len(replies) - 1) + [True]  # under the last piece
    assert longest.body.replace("\n", "") in "".join(r.text for r in replies).replace("\n", "")


async def test_the_2025_laws_and_the_minors_online_rules_are_found_by_their_short_names(
    sim: Simulator,
) -> None:
    user = sim.user("王老师")
    [article] = await user.send("/law 普法法 13")
    assert "《法治宣传教育法》第十三条" in article.text and "每年12月4日为国家宪法日" in article.text
    [article] = await user.send("/law 治安法 12")
    assert "不满十四周岁的人违反治安管理的，不予处罚" in article.text
    [article] = await user.send("/law 未网条例 26")
    assert "网络欺凌" in article.text
    [found] = await user.send("/law 法治副校长")
    assert any("法治宣传教育法》第四十一条" in label for label in found.button_texts)
    [found] = await user.send("/law 学生欺凌")
    assert any("治安管理处罚法》第六十条" in label for label in found.button_texts)


async def test_a_keyword_shows_the_article_a_teacher_means(sim: Simulator) -> None:
    user = sim.user("李老师")
    [found] = await user.send("/law 监护")
    assert any(label.startswith("《民法典》第二十七条") for label in found.button_texts), found.button_texts
    [found] = await user.send("/law 体罚")
    assert any(label.startswith("《教师法》第三十七条") for label in found.button_texts), found.button_texts
    [opened] = await user.press(
        next(b for b in found.button_texts if b.startswith("《教师法》")), message=found
    )
    assert "体罚学生，经教育不改的" in opened.text


async def test_a_keyword_after_a_laws_name_searches_that_law(sim: Simulator) -> None:
    """/law 教师法 申诉 had shown 《义务教育法》第五十五条 first, /law 法治宣传教育法 学校 likewise; 国家宪法日 names
    a topic, not the 宪法."""
    user = sim.user("李老师")
    [appeal] = await user.send("/law 教师法 申诉")
    assert appeal.button_texts[0].startswith("《教师法》第三十九条"), appeal.button_texts
    [school] = await user.send("/law 法治宣传教育法 学校")
    assert school.button_texts and all(b.startswith("《法治宣传教育法》") for b in school.button_texts)
    [day] = await user.send("/law 国家宪法日")
    assert day.button_texts[0].startswith("《法治宣传教育法》第十三条"), day.button_texts


async def test_a_law_not_in_the_collection_says_so_and_lists_those_that_are(sim: Simulator) -> None:
    user = sim.user("张老师")
    [reply] = await user.send("/law 劳动法 5")
    assert "这里没有《劳动法》" in reply.text and "《未成年人保护法》" in reply.text and not reply.buttons
    assert "📖" not in reply.text and "学前教育法》第" not in reply.text
    for query in ("/law 高等教育法 3", "/law 民办教育促进法", "/law 刑法 17"):
        [reply] = await user.send(query)
        assert reply.text.startswith("这里没有《"), (query, reply.text)
    [typo] = await user.send("/law 未成年人保户法 20")  # a slip in a law that is here still finds it
    assert typo.text.startswith("📖 《未成年人保护法》第二十条")
    [keyword] = await user.send("/law 违法")  # ends in 法 without naming a law: a keyword
    assert keyword.buttons


async def test_a_number_alone_asks_which_law(sim: Simulator) -> None:
    user = sim.user("赵家长")
    [ask] = await user.send("/law 1188")
    assert "第 1188 条" in ask.text and ask.button_texts == ["《民法典》第一千一百八十八条"]
    [article] = await user.press("《民法典》第一千一百八十八条")
    assert article.text.startswith("📖 《民法典》第一千一百八十八条") and "监护人" in article.text
    [ask] = await user.send("/law 第一百四十四条")
    assert ask.button_texts == [
        "《民法典》第一百四十四条",
        "《治安管理处罚法》第一百四十四条",
    ]  # 宪法 has 143
    [ask] = await user.send("/law 60")
    assert ask.button_texts[0] == "《宪法》第六十条" and "《治安管理处罚法》第六十条" in ask.button_texts
    [none] = await user.send("/law 9999")
    assert "没有哪部法律有第 9999 条" in none.text and not none.buttons


async def test_an_articles_button_is_one_line(sim: Simulator) -> None:
    """民法典 第二十七条's first paragraph is short: its button read 父母是未成年子女的监护人。 and, after a line
    break, the next paragraph's first word."""
    [found] = await sim.user().send("/law 监护")
    labels = found.button_texts
    assert any("第二十七条" in label for label in labels)
    assert all("\n" not in label for label in labels)


async def test_law_with_an_english_keyword_reads_it_as_the_chat_does(sim: Simulator) -> None:
    """/law bullying found nothing, where I am being bullied in the chat found the articles (a pupils' pass)."""
    [found] = await sim.user("student", language_code="en").send("/law bullying")
    assert any("39" in b or "三十九" in b for b in found.button_texts), (found.text, found.button_texts)
    [nothing] = await sim.user("student", language_code="en").send("/law qwertyzz")
    assert nothing.button_texts == []
