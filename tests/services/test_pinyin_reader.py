"""A message typed as pinyin, read as the characters it spells and answered as if typed in them."""

from __future__ import annotations

import dataclasses

import pytest

from bot.content.bundle import Content
from bot.services.enquiry import Kind, understand
from bot.services.faq import FaqService
from bot.services.pinyin_reader import PinyinTable, Word, read


@pytest.mark.parametrize(
    ("typed", "characters"),
    [("jifen ruxue", "积分入学"), ("haizi jisui shang xiaoxue", "孩子几岁上小学"),
     ("zhuanxue xuyao shenme cailiao", "转学需要什么材料"), ("Xiǎoxué bàomíng", "小学报名"),
     ("xiao3xue2 bao4ming2", "小学报名"), ("suiqian zinv ruxue tiaojian", "随迁子女入学条件"),
     ("wo jia haizi 9 yue chusheng, neng shang yi nianji ma?", "我家孩子9月出生,能上一年级吗?"),
     ("jiazhang", "家长"), ("ruxue", "入学"), ("ni hao", "你好"),
     ("xiaoxue shenme shihou baoming", "小学什么时候报名")],  # not 校 学什么 时候报名: 校 alone is frequent
)  # fmt: skip
def test_pinyin_is_read_as_the_words_it_spells(faq_service: FaqService, typed: str, characters: str) -> None:
    """Spaces or none, tone marks or digits; 家长 as read in context (jia zhang, not chang); digits and
    punctuation as typed."""
    assert read(typed, lambda: (faq_service.pinyin(), PinyinTable(["你好"]))) == characters


@pytest.mark.parametrize(
    "typed",
    ["I want to die", "hello", "can he hang on", "apple", "my son", "long", "孩子 jisui", "hen hao wan",
     "jifen ruxue " * 30],
)  # fmt: skip
def test_what_is_not_pinyin_is_left_alone(faq_service: FaqService, typed: str) -> None:
    """English (can, he, hang are syllables; on is o and the interjection n), a single syllable, characters,
    syllables the words known spell only one character each of (hen hao wan), and a story's length."""
    assert read(typed, lambda: (faq_service.pinyin(),)) is None


def test_the_tables_are_not_asked_for_text_that_is_no_pinyin() -> None:
    def tables() -> tuple[PinyinTable, ...]:
        raise AssertionError("asked for")

    assert read("孩子几岁上小学", tables) is None and read("When does registration open?", tables) is None


def test_a_parent_typing_pinyin_is_answered_and_told_how_it_was_read(
    faq_service: FaqService, content: Content
) -> None:
    """jifen ruxue had been taken for English and offered English titles; a child's words of distress in
    pinyin are heard as in characters."""
    reply = understand(faq_service, content.laws, "jifen ruxue shi shenme yisi")
    assert reply.kind is Kind.answer and reply.language is None and reply.read_as == "积分入学是什么意思"
    assert reply.result.best is not None and reply.result.best.entry_id == "migrant-points"
    assert understand(faq_service, content.laws, "wo bu xiang huo le").kind is Kind.distress
    assert understand(faq_service, content.laws, "xie xie").kind is Kind.thanks
    english = understand(faq_service, content.laws, "What is points-based school admission?")
    assert english.read_as is None and english.language == "en"


def test_the_faqs_table_is_kept_while_its_texts_are_and_made_again_when_content_changes(
    faq_service: FaqService,
) -> None:
    """A curator's new wording keeps the table (its texts are the FAQ's own); a /reload that brings a new
    word makes it again, so the new word is read."""
    faq = faq_service.faq
    table = faq_service.pinyin()
    assert faq_service.serving(faq, {"primary-age": ("孩子能不能早点上学",)}).pinyin() is table
    entry = faq.entries["primary-age"]
    changed = entry.model_copy(update={"question": entry.question + "要跳级吗"})
    reloaded = faq_service.serving(dataclasses.replace(faq, entries={**faq.entries, entry.id: changed}), {})
    assert (
        reloaded.pinyin() is not table and read("yao tiaoji ma", lambda: (reloaded.pinyin(),)) == "要跳级吗"
    )


def test_a_weighted_table_keeps_the_most_frequent_word_of_a_spelling() -> None:
    """With a weight, the first word of a spelling had stayed: its weighted count was compared with the next
    ones' raw counts (市场 kept over 时常, written twice)."""
    table = PinyinTable(["市场", "时常", "时常"], weight=50)
    assert table.get("shi'chang") == Word("时常", 100)
