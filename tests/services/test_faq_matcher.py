"""The FAQ matcher, measured on what parents see: the blind set (thresholds chosen on its tuning half,
figures asserted on its held-out half) and the project's own evaluation set."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import yaml

from benchmarks import faq as bench
from bot.chinese import window
from bot.config import ROOT
from bot.content.bundle import Content
from bot.services.faq import FaqService
from bot.services.faq_matcher import (
    MAX_QUERY,
    FaqMatcher,
    Match,
    Normalizer,
    Outcome,
    Thresholds,
    _View,
)

EVAL = yaml.safe_load((ROOT / "tests" / "data" / "faq_eval.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(faq_service: FaqService) -> tuple[list[tuple[list[str], str, Outcome]], list[Outcome]]:
    inside = []
    for item in EVAL["in_scope"]:
        result = faq_service.matcher.search(item["q"])
        inside.append(([m.entry_id for m in result.matches], item["id"], result.outcome))
    outside = [faq_service.matcher.search(q).outcome for q in EVAL["out_of_scope"]]
    return inside, outside


def test_the_evaluation_set_is_big_enough_and_labels_real_entries(content: Content) -> None:
    assert len(EVAL["in_scope"]) >= 200 and len(EVAL["out_of_scope"]) >= 50
    assert {item["id"] for item in EVAL["in_scope"]} <= set(content.faq.entries)


def test_no_evaluation_question_is_a_copy_of_the_content(content: Content, faq_service: FaqService) -> None:
    normalize = faq_service.matcher.normalize
    wordings = {
        normalize(w) for e in content.faq.entries.values() for w in (e.question, *e.alternates, *e.keywords)
    }
    copies = [item["q"] for item in EVAL["in_scope"] if normalize(item["q"]) in wordings]
    assert copies == []


def test_top1_and_top3_accuracy(results) -> None:  # type: ignore[no-untyped-def]
    inside, _ = results
    top1 = sum(ranked[:1] == [want] for ranked, want, _ in inside) / len(inside)
    top3 = sum(want in ranked[:3] for ranked, want, _ in inside) / len(inside)
    assert top1 >= 0.90, top1
    assert top3 >= 0.97, top3


# -- the blind set: what a parent sees -------------------------------------------------------------------

BLIND = bench.blind_set()
TUNING, HELD_OUT = bench.split(BLIND)


@pytest.fixture(scope="module")
def held_out(content: Content) -> bench.Figures:
    faq = content.faq
    return bench.score(bench.run(bench.matcher_for(faq), HELD_OUT), bench.levels_of(faq).get)


def test_the_blind_set_is_labelled_with_real_entries(content: Content) -> None:
    answerable = [i for i in BLIND if i.category != "out_of_scope"]
    assert len(answerable) == 343 and len(BLIND) - len(answerable) == 125
    assert set().union(*(i.entries for i in BLIND)) <= set(content.faq.entries)
    assert sum(bool(i.entries) for i in answerable) >= 280


FRESH = bench.blind_set(bench.FRESH)


def test_the_fresh_blind_set_is_new_and_labelled_with_real_entries(
    content: Content, faq_service: FaqService
) -> None:
    """tests/data/faq_blind_fresh.yaml (its header says how it was made): 191 in scope, 31 not; none of it a
    question of the other two sets, and no more of it in the content than the 16 short wordings the content
    had already (学区房, 免学费 …) when it was written."""
    answerable = [i for i in FRESH if i.category != "out_of_scope"]
    assert len(answerable) == 191 and len(FRESH) - len(answerable) == 31
    assert set().union(*(i.entries for i in FRESH)) <= set(content.faq.entries)
    assert not {i.text for i in FRESH} & ({i.text for i in BLIND} | {item["q"] for item in EVAL["in_scope"]})
    normalize = faq_service.matcher.normalize
    wordings = {
        normalize(w) for e in content.faq.entries.values() for w in (e.question, *e.alternates, *e.keywords)
    }
    assert len([i.text for i in FRESH if normalize(i.text) in wordings]) <= 16


@pytest.mark.xfail(
    strict=True,
    reason="issue 14's targets are not met on questions written after the rounds: 67.1 % confident and right, "
    "3.5 % confidently wrong, 92.4 % shown, 88.5 % of the unanswerable not answered confidently, 1 wrong level",
)
def test_the_fresh_blind_set_meets_the_issue_targets(content: Content) -> None:
    faq = content.faq
    f = bench.score(bench.run(bench.matcher_for(faq), FRESH), bench.levels_of(faq).get)
    assert f.rate("confident_right") >= 0.85 and f.rate("confident_wrong") <= 0.03, f.line()
    assert f.shown / f.answerable >= 0.97 and f.oos_not_confident >= 0.90 and f.wrong_level == 0, f.line()


def test_the_halves_are_disjoint_and_stratified() -> None:
    assert len(TUNING) + len(HELD_OUT) == len(BLIND)
    assert not {i.text for i in TUNING} & {i.text for i in HELD_OUT}
    for category in {i.category for i in BLIND}:
        a, b = (sum(i.category == category for i in part) for part in (TUNING, HELD_OUT))
        assert abs(a - b) <= 1, category


def test_shipped_thresholds_are_the_ones_chosen_on_the_tuning_half(content: Content) -> None:
    """Nobody tunes on the held-out half: the shipped thresholds are what `tune` picks from the other."""
    faq = content.faq
    _, chosen = bench.tune(bench.matcher_for(faq), TUNING)
    assert chosen == Thresholds()


def test_other_thresholds_replace_the_shipped_ones_only_when_clearly_better(content: Content) -> None:
    """The search keeps the thresholds it is given unless the grid's best is worth SETTLED more (round 11:
    one new entry moved an optimum that is flat near its top, and the held-out half fell): thresholds a
    little worse than the best are kept, much worse ones are replaced by the best."""
    matcher = bench.matcher_for(content.faq)
    results = bench.run(matcher, TUNING)
    outside = bench.run(matcher, [i for i in bench.eval_set(matcher.normalize) if not i.entries])
    best_value, best = bench.search_thresholds(results, outside)
    kept = []
    neighbours = [("likely_margin", 0.02), ("likely_margin", 0.06), ("likely_margin", 0.08), ("likely", 0.16),
                  ("agreement", 0.7), ("clear", 0.2)]  # fmt: skip
    for field, moved in neighbours:
        near = dataclasses.replace(best, **{field: moved})
        value, chosen = bench.search_thresholds(results, outside, keep=near)
        if chosen == near:
            assert best_value - bench.SETTLED < value <= best_value
            kept.append(near)
        else:
            assert chosen == best
    assert kept, "no neighbour of the best thresholds was close enough to keep"
    worse = dataclasses.replace(best, confident=0.40, agreed=0.30)  # far fewer confident answers
    assert bench.search_thresholds(results, outside, keep=worse) == (best_value, best)


def test_held_out_half(held_out: bench.Figures) -> None:
    """The best honest figures so far (see docs/faq-matching.md); the issue's target for confident answers is in
    the xfail below."""
    f = held_out
    assert f.wrong_level == 0
    assert f.rate("confident_wrong") <= 0.03, f.line()
    assert f.oos_not_confident >= 0.90 and f.oos_not_answered >= 0.85, f.line()
    assert f.shown / f.answerable >= 0.97, f.line()  # the issue's target: answered, or on a button
    # 109 of 149 (73 %) in round 7; 105 of 150 in round 8, whose thresholds answer more as `likely`; 114 of
    # 151 (75.5 %) in round 20, with the clear-lead rule; 115 of 153 in round 21 (a new entry); 114, then 115, in round 24;
    # 114 in round 25 (the thresholds the search chose after that round's content)
    assert f.rate("confident_right") >= 0.74, f.line()
    # an answer, and right: 117 of 149 (79 %) in round 7, 122 of 150 (81 %) in round 8
    assert (f.confident_right + f.likely_right) / f.answerable >= 0.80, f.line()
    assert f.likely_precision >= 0.85, f.line()


@pytest.mark.xfail(
    strict=True,
    reason="issue 14's target for confident answers is not met yet: 74.5 % (114/153)",
)
def test_held_out_half_meets_the_issue_targets(held_out: bench.Figures) -> None:
    assert held_out.rate("confident_right") >= 0.85


def test_a_question_naming_a_level_gets_no_other_levels_entry(faq_service: FaqService) -> None:
    result = faq_service.matcher.search("上中职需要参加考试吗")
    assert "junior-no-exam" not in [m.entry_id for m in result.matches]
    assert result.matches[0].entry_id.startswith("senior-vocational-vet")
    assert faq_service.matcher.normalize.levels(faq_service.matcher.normalize("小升初能自己选学校吗")) == {
        "初中"
    }
    # the issue's example was answered with 上初中要参加入学考试吗
    assert faq_service.matcher.search("小升初能自己选学校吗").matches[0].entry_id != "junior-no-exam"


def test_a_level_typed_as_a_homophone_still_names_the_level(faq_service: FaqService) -> None:
    normalize = faq_service.matcher.normalize
    assert normalize.levels(normalize("中直要不要考试")) == {"中职"}  # zhong zhi
    assert normalize.levels(normalize("孩子几岁能上小雪")) == {"小学"}
    result = faq_service.matcher.search("中直要不要考试")
    assert all(not m.entry_id.startswith("junior-") for m in result.matches)


def test_a_sound_alike_inside_a_typed_level_names_no_other(faq_service: FaqService) -> None:
    """初中志愿 holds 中志 (zhong zhi, as 中职 is): 六年级学生什么时候填报初中志愿 named 初中 and 中职, and was
    answered confidently with 中考报名 (the fresh blind set's first read). A sound-alike that overlaps a level
    word as typed names nothing."""
    normalize = faq_service.matcher.normalize
    for question, level in (("六年级学生什么时候填报初中志愿", "初中"), ("高中志愿怎么填", "高中")):
        assert normalize.levels(normalize(question)) == {level}, question
    result = faq_service.matcher.search("六年级学生什么时候填报初中志愿")
    assert all(not m.entry_id.startswith("senior-vocational-") for m in result.matches)


def test_a_question_naming_one_sector_gets_no_entry_for_the_other_only(faq_service: FaqService) -> None:
    """公办 and 民办 schools are different audiences: 民办 fees, lotteries, licences (an entry's `sector`)
    are no answer to a 公办 question. 公立小学要交学费吗 was offered 民办学校的收费标准 beside the answer,
    and 公立学校报名的人太多了怎么录取 the 民办 lottery."""
    matcher = faq_service.matcher
    for question in ("公立小学要交学费吗", "公立学校报名的人太多了怎么录取", "公办学校会不会考试挑学生"):
        offered = [m.entry_id for m in matcher.search(question).matches]
        assert offered and not {"private-fees", "private-lottery", "private-no-exam"} & set(offered), question
    assert matcher.search("私立学校怎么摇号").matches[0].entry_id == "private-lottery"
    both = matcher.search("公办和民办能一起报吗")  # names both: rules out neither
    assert both.outcome is Outcome.confident and both.matches[0].entry_id == "private-same-time"


def test_higher_education_gets_no_schools_entry(faq_service: FaqService) -> None:
    """大学 (高考, 考研, 本科 …) is a level no entry is for but 中职's way on: 大学一年学费多少 was answered
    confidently with 民办学校的收费标准, 考研报名时间 with 一年级什么时候报名. Its words count only as typed
    (大雪, 本课 and 高效 sound like 大学, 本科, 高校), and 大学区 (a large school district) names no level."""
    matcher, normalize = faq_service.matcher, faq_service.matcher.normalize
    for question in ("大学一年学费多少", "考研报名时间"):
        assert matcher.search(question).outcome is not Outcome.confident, question
    for question in ("孩子读技校以后还能上大专吗", "上了职校还能考本科吗"):
        result = matcher.search(question)
        assert result.outcome is Outcome.confident, question
        assert result.matches[0].entry_id == "senior-vocational-vet-pathway", question
    for question in ("明天下大雪孩子上学吗", "小学生本课作业", "大学区怎么划分学校"):
        assert "大学" not in normalize.levels(normalize(question)), question
    assert matcher.search("大学区怎么划分学校").matches[0].entry_id in ("junior-zone", "primary-school-zone")


def test_a_sound_alone_names_no_level(faq_service: FaqService) -> None:
    """搞重点班 sounds like 高中 (gao zhong) and 学校以 like 小一, but types neither: a homophone names a
    level only when it keeps one of the word's characters. 学校会搞重点班吗 was answered with nothing,
    every entry but 高中's being ruled out."""
    normalize = faq_service.matcher.normalize
    for question in ("学校会搞重点班吗", "学校以成绩差为由劝转学", "种植专业"):
        assert normalize.levels(normalize(question)) == frozenset(), question
    result = faq_service.matcher.search("学校会搞重点班吗")
    assert result.outcome is Outcome.confident and result.matches[0].entry_id == "junior-key-class"


def test_finishing_primary_school_asks_about_junior_school(faq_service: FaqService) -> None:
    """小学毕业怎么分学校 named 小学 and so ruled out every 初中 entry: it got nothing. 小学毕业 is a 初中
    word in matching.yaml now."""
    normalize = faq_service.matcher.normalize
    assert normalize.levels(normalize("小学毕业怎么分学校")) == {"初中"}
    # a level word inside a longer one is not heard again as a homophone of itself
    assert normalize.levels(normalize("升初中考不考")) == {"初中"}  # 初中考 holds 中考
    assert normalize.levels(normalize("职业高中怎么报志愿")) == {"中职"}
    result = faq_service.matcher.search("小学毕业怎么分学校")
    assert result.outcome is not Outcome.none and result.matches[0].entry_id.startswith("junior-")


@pytest.mark.parametrize(
    ("question", "compulsory_only"),
    [("高中学费多少", {"private-fees", "funding-free-tuition"}), ("高一能转学吗", {"transfer-status-how"}),
     ("外地户口能在这里读高中吗", {"migrant-right", "migrant-no-seat"})],
)  # fmt: skip
def test_an_answer_about_compulsory_schooling_is_not_given_for_high_school(
    question: str, compulsory_only: set[str], faq_service: FaqService
) -> None:
    """Entries whose answers speak of 义务教育 only (free tuition, 民办义务教育, 义务教育阶段转学, 随迁子女
    接受义务教育 …) carry levels [小学, 初中]: 高中学费多少 was answered with 民办学校的收费标准, which cites
    义务教育法."""
    faq = faq_service.faq
    assert all(faq.levels_of(faq.entries[e]) == {"小学", "初中"} for e in compulsory_only)
    found = {m.entry_id for m in faq_service.matcher.search(question, limit=6).matches}
    assert not found & compulsory_only


def test_no_blind_question_is_a_copy_of_the_content(content: Content, faq_service: FaqService) -> None:
    """The blind set measures wordings nobody wrote into the content; a copy would flatter it. 29 short
    ones (入学年龄, 学区查询, 上小学要满几周岁 …) coincided with wordings the content had before the set was
    written; alternates added since must not add any."""
    normalize = faq_service.matcher.normalize
    wordings = {
        normalize(w) for e in content.faq.entries.values() for w in (e.question, *e.alternates, *e.keywords)
    }
    assert len([i.text for i in BLIND if normalize(i.text) in wordings]) <= 29


def test_a_clear_lead_below_confident_is_likely() -> None:
    t = Thresholds(confident=0.5, margin=0.05, likely=0.2, likely_margin=0.1, unsure=0.1, clear=math.inf)
    assert t.decide([Match("a", 0.6), Match("b", 0.3)]) is Outcome.confident
    assert t.decide([Match("a", 0.35), Match("b", 0.2)]) is Outcome.likely
    assert t.decide([Match("a", 0.35), Match("b", 0.3)]) is Outcome.unsure
    assert t.decide([Match("a", 0.05)]) is Outcome.none


def test_an_entry_scoring_several_times_its_runner_up_is_answered_below_the_confident_score() -> None:
    """The clear-lead rule: 0.21 against 0.12 is a plainer lead than 0.45 against 0.40, though its score is
    lower; 0.21 against 0.14 is not (1.5 times), nor is 0.18 against nothing (below `clear`)."""
    t = Thresholds(confident=0.26, margin=0.02, likely=0.14, likely_margin=0.04, clear=0.2, clear_ratio=1.6)
    assert t.decide([Match("a", 0.21), Match("b", 0.12)]) is Outcome.confident
    assert t.decide([Match("a", 0.21), Match("b", 0.14)]) is Outcome.likely
    assert t.decide([Match("a", 0.18)]) is Outcome.likely
    assert t.decide([Match("a", 0.45), Match("b", 0.40)]) is Outcome.confident  # the score rule


def test_an_entry_owning_most_of_the_nearest_wordings_is_answered_below_the_confident_score() -> None:
    """The agreement rule: a question whose nearest wordings mostly belong to the best entry is answered
    with it though its score is below `confident`, if it is above `agreed` and leads the runner-up."""
    t = Thresholds(
        confident=0.5,
        margin=0.05,
        agreed=0.2,
        agreement=0.7,
        likely=0.4,
        likely_margin=0.1,
        unsure=0.1,
        clear=math.inf,
    )
    close = [Match("a", 0.3), Match("b", 0.2)]
    assert t.decide(close) is Outcome.unsure  # no neighbours known: the scores alone
    assert t.decide(close, ["a"] * 7 + ["b"] * 3) is Outcome.confident
    assert t.decide(close, ["a"] * 6 + ["b"] * 4) is Outcome.unsure
    assert t.decide([Match("a", 0.3), Match("b", 0.28)], ["a"] * 10) is Outcome.unsure  # no lead
    assert t.decide([Match("a", 0.15), Match("b", 0.05)], ["a"] * 10) is Outcome.unsure  # below `agreed`


def test_the_nearest_wordings_are_those_of_entries_the_question_may_get(content: Content) -> None:
    """`Result.neighbours`: an entry once per wording of it among the nearest, nearest first; never an
    entry of another level than the question names."""
    entries = {
        "age": (
            ["孩子几岁上小学", "上小学要满几岁", "小学入学年龄是多少", "几岁可以读一年级"],
            "年满六周岁入学。",
        ),
        "fees": (["上小学要交学费吗", "小学收不收费"], "义务教育免收学费。"),
        "vet-exam": (["中职要考试吗", "读中职要不要考试", "中职怎么录取"], "中等职业学校注册入学。"),
        "junior-exam": (["上初中要考试吗", "初中入学考试", "小升初考不考试"], "初中免试就近入学。"),
    }
    levels = {"vet-exam": frozenset({"中职"}), "junior-exam": frozenset({"初中"})}
    matcher = FaqMatcher(entries, Normalizer(content.faq.words), levels=levels)
    near = matcher.search("孩子几岁能上小学").neighbours
    assert near[:2] == ("age", "age") and near.count("age") == 4
    vocational = matcher.search("上中职要考试吗").neighbours
    assert vocational[:3] == ("vet-exam",) * 3 and "junior-exam" not in vocational
    assert "junior-exam" in matcher.search("要考试吗").neighbours


def test_the_nearest_documents_are_found_among_the_nearest_entries() -> None:
    """`_View.nearest` looks only at the documents of the entries whose best documents are nearest: the
    same as sorting every document of the allowed entries."""
    rng = np.random.default_rng(14)
    docs = [[f"问{i}第{j}" for j in range(int(rng.integers(1, 7)))] for i in range(60)]
    view = _View.of(docs, use_pinyin=False)
    entry_of = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    for _ in range(50):
        scores = np.where(rng.random(view.size) < 0.3, 0, rng.random(view.size)).astype(np.float32)
        allowed = rng.random(len(docs)) < 0.8
        order = np.argsort(-scores, kind="stable")
        expected = [entry_of[d] for d in order if allowed[entry_of[d]] and scores[d] > 0][:10]
        assert view.nearest(scores, view.best(scores), allowed, 10).tolist() == expected


def test_out_of_scope_messages_are_not_answered(results) -> None:  # type: ignore[no-untyped-def]
    _, outside = results
    rejected = sum(outcome is not Outcome.confident for outcome in outside) / len(outside)
    assert rejected >= 0.90, rejected


def test_confident_answers_are_rarely_wrong(results) -> None:  # type: ignore[no-untyped-def]
    inside, _ = results
    wrong = sum(o is Outcome.confident and ranked[:1] != [want] for ranked, want, o in inside) / len(inside)
    assert wrong <= 0.05, wrong


def test_normalisation(content: Content) -> None:
    normalize = Normalizer(content.faq.words)
    assert normalize("請問　孩子幾歲上小學？") == normalize(
        "孩子几岁上小学"
    )  # traditional, full width, filler
    assert "初中入学" in normalize("小升初怎么报名")  # synonyms are added, not substituted
    assert normalize("!!! ？？？") == ""


def test_normalising_many_at_once_is_normalising_each(content: Content) -> None:
    """The index normalises all wordings in one pass (`many`): each comes out as it would alone (a
    synonym's canonical word goes to the text it was found in; a line break or a record separator
    inside a text splits nothing). A query is cut at 200 characters; wordings and answers are not.
    Together the texts are long enough to be read through a table of their characters, as an index's
    are, where each alone is not."""
    normalize = Normalizer(content.faq.words)
    texts = [w for e in content.faq.entries.values() for w in (e.question, *e.alternates, e.answer)]
    texts += [
        "請問　孩子幾歲上小學？",
        "小升初\n怎么报名呢",
        "小升初\x1e怎么报名呢🙂",
        "",
        "!!! ？？？",
        "外孙外孙女\n\n小孩儿",
        "孩子" * 300,
        "上学" * 8_000,
    ]
    assert sum(map(len, texts)) > 1 << 16
    assert normalize.many(texts) == [normalize.many([t])[0] for t in texts]
    assert normalize("小升初\x1e怎么报名呢🙂") == normalize("小升初怎么报名呢")
    assert normalize("孩子" * 300) == "孩子" * 100
    assert normalize.many(["孩子" * 300]) == ["孩子" * 300]


def test_pinyin_catches_homophone_typos(faq_service: FaqService) -> None:
    assert faq_service.matcher.search("几分入学怎么算分").matches[0].entry_id.startswith("migrant-points")


@pytest.mark.parametrize(
    ("question", "heard", "entry"),
    [("社宝断了两个月影响孩子上学吗", ["社保"], "migrant-social-insurance"),  # she bao
     ("居主证满一年了能报名吗", ["居住证"], "migrant-residence-permit"),  # ju zhu zheng
     ("小生初是看户口吗", ["初中入学"], None),  # xiao sheng chu: 小升初, a 初中 question
     ("孩子要办转学，收续复杂吗", ["手续"], None)],  # shou xu
)  # fmt: skip
def test_a_key_word_typed_as_a_homophone_counts_as_the_word(
    faq_service: FaqService, question: str, heard: list[str], entry: str | None
) -> None:
    """Phone keyboards type by sound: 社宝 for 社保, a synonym's variant or canonical word. The
    canonical word is added to the question, as for the word typed right. 社宝断了两个月影响孩子上学吗
    got a menu, and 小生初 named no 初中."""
    matcher = faq_service.matcher
    normalize = matcher.normalize
    assert normalize.heard(normalize(question)) == heard
    result = matcher.search(question)
    if entry is not None:
        assert result.outcome in (Outcome.confident, Outcome.likely) and result.matches[0].entry_id == entry
    if "初中入学" in heard:
        assert all(m.entry_id.startswith("junior-") for m in result.matches)


@pytest.mark.parametrize(
    "question",
    ["学籍号在哪里查",  # 籍号 (ji hao) sounds like 几号, inside 学籍号, a word of the list
     "体育特长生中考加几分",  # 几分 (ji fen) is an everyday word, no 积分
     "期末成绩分几档",  # 绩分 (ji fen) straddles the words 成绩 and 分
     "提交材料以后多久审核",  # 交材 (jiao cai) sounds like 教材, straddling 提交 and 材料
     "托班几岁能上",  # 托班 is the canonical word that 拖班 stands for
     "孩子明年要上小学了",  # 要上 sounds like 摇上 (→ 派位), a two-character variant: everyday speech
     "志愿表在哪填"],  # 哪填 sounds like 哪天 (→ 时间)
)  # fmt: skip
def test_a_sound_alike_that_is_no_typo_adds_nothing(faq_service: FaqService, question: str) -> None:
    normalize = faq_service.matcher.normalize
    assert normalize.heard(normalize(question)) == []


def test_english_words_in_a_chinese_question_are_read_in_chinese(faq_service: FaqService) -> None:
    """Parents mix in English (孩子有autism, 小升初middle school): the words english.yaml knows count as
    their Chinese words. A message with no Chinese is left alone: `test` is no 考试."""
    matcher = faq_service.matcher
    normalize = matcher.normalize
    assert "自闭症" in normalize("孩子有autism，能上普通小学吗") and "autism" not in normalize("孩子有autism")
    assert normalize("小升初middle school怎么报名").startswith("小升初初中怎")
    assert normalize("报名系统login不上去") == "报名系统login不上去|网上报名"  # an unknown word stays
    assert normalize("test") == "test" and normalize("free test") == "freetest"
    result = matcher.search("孩子有autism，能上普通小学吗")
    assert result.outcome is Outcome.confident and result.matches[0].entry_id == "special-groups-inclusive"


def test_months_days_and_ages_read_the_same_in_digits_and_in_words(faq_service: FaqService) -> None:
    """The content says 九月份出生 and 满六周岁; parents type 9月1号 and 6岁 (and the other way round)."""
    normalize = faq_service.matcher.normalize
    assert normalize("孩子九月份出生，差三个月满六周岁") == normalize("孩子9月份出生，差3个月满6周岁")
    assert normalize("六年级读完了") == "六年级读完了"  # a grade, not an age
    from bot.services.faq_matcher import _in_digits

    assert _in_digits("十月十二号满十一周岁差两个月") == "10月12号满11周岁差2个月"
    assert _in_digits("二十一岁") == "二11岁" and _in_digits("三一月") == "三1月"  # as the numerals read
    # answered, whether or not other entries are offered below it
    result = faq_service.matcher.search("孩子9月1号出生的，今年能上一年级吗")
    assert result.outcome in (Outcome.confident, Outcome.likely)
    assert result.matches[0].entry_id == "primary-age-cutoff"


def test_a_huge_message_is_cut_not_choked_on(faq_service: FaqService) -> None:
    result = faq_service.ask("孩子几岁上小学" * 2000)
    assert len(result.normalized) <= 400


# A parent's story (its opening names 幼儿园), then what they ask: 236 characters, as a tester sent them
LONG_STORY = ("老师您好！我家孩子在老家上完了幼儿园大班，老家的老师说今年九月就该上一年级了，我们想让孩子跟着我们在身边"
              "读书。我们夫妻俩前年从外省来这边打工，一直在同一个厂里上班，厂里给交了两年社保，去年也办了居住证，住的是"
              "厂子附近租的房子，房东同意配合开证明。可是我们户口都还在老家，在这边也没有买房子。听老乡说没有本地户口的"
              "只能去读民办学校，学费我们负担不起，心里很着急，网上查到的说法也都不一样，不知道该信哪个，所以想问问清楚。"
              "孩子今年能不能在这边报名上公办小学？需要准备什么材料？")  # fmt: skip


def test_a_long_question_is_matched_by_its_end(faq_service: FaqService) -> None:
    """Parents tell the story first and ask last: the matcher reads a long question's end, from a
    sentence or clause that starts within its window (it read the first 200 characters, and offered the
    kindergarten entries its opening named)."""
    assert len(LONG_STORY) > MAX_QUERY
    read = window(LONG_STORY, MAX_QUERY)
    assert LONG_STORY.endswith(read) and len(read) <= MAX_QUERY and read.startswith("我们想让孩子")
    assert (
        window("孩子几岁上小学", MAX_QUERY) == "孩子几岁上小学"
        and window("啊" * 300, MAX_QUERY) == "啊" * MAX_QUERY
    )
    result = faq_service.ask(LONG_STORY)
    assert result.matches and not any(m.entry_id.startswith("kindergarten") for m in result.matches)
    found = {m.entry_id for m in result.matches}
    assert "primary-renting" in found and found & {"primary-documents", "migrant-documents"}


def test_expired_entries_are_never_offered(content: Content, faq_service: FaqService) -> None:
    dated = next(e for e in content.faq.entries.values() if e.valid_until is not None)
    original = faq_service.clock
    try:
        faq_service.clock = lambda: __import__("datetime").datetime(
            2099, 1, 1, tzinfo=__import__("datetime").UTC
        )
        assert faq_service.entry(dated.id) is None
        assert all(m.entry_id != dated.id for m in faq_service.ask(dated.question).matches)
    finally:
        faq_service.clock = original


def test_unknown_placeholders_and_missing_related_are_errors(tmp_path: Path, content: Content) -> None:
    import datetime as dt
    import shutil

    from bot.content.faq import load_faq
    from bot.content.yamlfile import Report

    shutil.copytree(ROOT / "content" / "faq", tmp_path / "faq")
    path = tmp_path / "faq" / "contact.yaml"
    text = path.read_text(encoding="utf-8").replace("{hotline}", "{hotline_typo}", 1)
    text = text.replace("related: [", "related: [no-such-entry, ", 1)
    path.write_text(text, encoding="utf-8")
    report = Report()
    assert (
        load_faq(tmp_path / "faq", ROOT / "content" / "site.yaml", content.laws, report, dt.date(2026, 12, 1))
        is None
    )
    messages = [str(p) for p in report.errors]
    assert any("contact.yaml:" in m and "{hotline_typo} is not in site.yaml" in m for m in messages)
    assert any("no-such-entry" in m and "does not exist" in m for m in messages)
    late = Report()
    load_faq(
        ROOT / "content" / "faq", ROOT / "content" / "site.yaml", content.laws, late, dt.date(2099, 1, 1)
    )
    assert any("expired on" in str(p) for p in late.warnings)


def test_an_english_answer_gives_every_fact_the_chinese_one_gives(tmp_path: Path, content: Content) -> None:
    """A translation that drops the hotline leaves an English reader without it; the district's and
    bureau's names may be said in words. An English answer without its English title (or the other way
    round) is half an entry."""
    import datetime as dt
    import shutil

    from bot.content.faq import load_faq
    from bot.content.yamlfile import Report

    shutil.copytree(ROOT / "content" / "faq", tmp_path / "faq")
    path = tmp_path / "faq" / "primary.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("answer_en:")
    text = text[:at] + text[at:].replace(" Hotline: {hotline}.", "", 1)
    text = text.replace(
        "  question_en: What date is used", "  # What date is used", 1
    )  # primary-age-cutoff's
    path.write_text(text, encoding="utf-8")
    report = Report()
    load_faq(tmp_path / "faq", ROOT / "content" / "site.yaml", content.laws, report, dt.date(2026, 12, 1))
    messages = [str(p) for p in report.errors]
    assert any("primary-age: answer_en leaves out {hotline}" in m for m in messages), messages
    assert any("primary-age-cutoff: answer_en and question_en go together" in m for m in messages), messages
    assert len(messages) == 2, messages


def test_every_shipped_entry_answers_an_english_reader_in_english(content: Content) -> None:
    """77 of 106 had only Chinese: an English-speaking parent got a menu of Chinese titles and Chinese
    answers. A curator may still add an entry in Chinese only (shown in Chinese, with a note)."""
    assert not [e.id for e in content.faq.entries.values() if not (e.answer_en and e.question_en)]


def test_the_faq_covers_what_parents_ask(content: Content) -> None:
    entries = content.faq.entries.values()
    assert len(content.faq.entries) >= 80
    assert all(len(e.alternates) >= 3 for e in entries)
    categories = {e.category for e in entries}
    assert categories == {c.id for c in content.faq.categories}
    assert content.faq.sample_site  # the shipped site file is marked as a sample


def test_a_question_asked_word_for_word_is_answered_with_its_entry(content: Content) -> None:
    """However close other entries come, a wording the content (or a curator) gave one entry answers
    with it; a wording two entries share answers with neither, and a level still rules an entry out."""
    entry = content.faq.entries["junior-no-exam"]
    # a curator's wording may repeat an alternate: the entry's questions are then no longer its first
    # wordings in order, and are found among them
    learned = {
        "primary-age": ["上学那些事问谁"],
        "junior-no-exam": ["上学那些事问谁", "入学考不考", entry.alternates[0]],
    }
    service = FaqService(content.faq, ZoneInfo("Asia/Shanghai"), learned=learned)
    for wording in (entry.question, *entry.alternates[:2], "入学考不考"):
        result = service.matcher.search(wording)
        assert result.outcome is Outcome.confident and result.matches[0].entry_id == entry.id, wording
    assert service.matcher.search("上学那些事问谁").outcome is not Outcome.confident
    before = FaqService(content.faq, ZoneInfo("Asia/Shanghai")).matcher.search("入学考不考")
    assert not (before.outcome is Outcome.confident and before.matches[0].entry_id == entry.id)


def test_a_word_for_word_question_need_not_be_a_wording(content: Content) -> None:
    """The word-for-word table takes any question it is given, not only the entries' own wordings."""
    entries = {"a": (["孩子几岁上小学"], "满6周岁"), "b": (["怎么转学"], "联系学校")}
    exact = {"a": ["孩子几岁上小学", "小朋友多大能读一年级"], "b": ["怎么转学"]}
    matcher = FaqMatcher(entries, Normalizer(content.faq.words), exact=exact)
    result = matcher.search("小朋友多大能读一年级")
    assert result.outcome is Outcome.confident and result.matches[0] == Match("a", 1.0)


def test_a_question_naming_no_level_leans_to_compulsory_schooling(content: Content) -> None:
    """入学, 上学, 报名 without a level mean primary or junior school: entries only for 幼儿园, 高中 or 中职
    are scaled down (not removed), so the compulsory entry's lead grows; naming 幼儿园 undoes it."""
    from bot.services.faq_matcher import Weights

    plain = bench.matcher_for(content.faq, Weights(unnamed_level=1.0))
    shipped = bench.matcher_for(content.faq)
    assert Weights().unnamed_level < 1.0

    def scores(matcher: object, text: str) -> dict[str, float]:
        return {m.entry_id: m.score for m in matcher.search(text, limit=6).matches}  # type: ignore[attr-defined]

    before, after = (
        scores(plain, "外地户口的孩子能在本区入学吗"),
        scores(shipped, "外地户口的孩子能在本区入学吗"),
    )
    assert after["migrant-right"] == before["migrant-right"]
    assert after["kindergarten-non-local"] == pytest.approx(
        before["kindergarten-non-local"] * Weights().unnamed_level, abs=1e-3
    )
    named = "外地户口的孩子能上幼儿园吗"
    assert scores(shipped, named) == scores(plain, named)
    assert shipped.search(named).matches[0].entry_id == "kindergarten-non-local"


def test_the_all_wordings_view_is_built_from_the_wordings_pairs(content: Content) -> None:
    """Each entry's wordings together (one document per entry): their characters are indexed from the
    wording view's own (feature, document) pairs, not by reading and sorting the text again, and their
    pinyin per entry (the wording view keeps none): the same index as from the joined text."""
    from bot.services.faq_matcher import SEP, _View

    normalize = Normalizer(content.faq.words)
    wordings = [
        normalize.many([e.question, *e.alternates, *e.keywords]) for e in content.faq.entries.values()
    ]
    direct = _View.of([[SEP.join(w)] for w in wordings], use_pinyin=True)
    source = _View.of(wordings, use_pinyin=False)  # as built: the single wordings keep no pinyin space
    merged = source.merged(use_pinyin=True)
    for view in (source, merged, direct):
        view.prepare()
    for mine, theirs in ((merged.chars, direct.chars), (merged.pinyin, direct.pinyin)):
        assert mine is not None and theirs is not None
        for name in ("keys", "idf", "docs", "weights", "starts"):
            assert (getattr(mine, name) == getattr(theirs, name)).all(), name


def test_a_rebuilt_faq_normalises_only_its_new_wordings(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/reload and a curator's new wording rebuild the matcher: the wordings the serving one normalised
    are not normalised again (seconds at 10,000 entries), and the rebuilt matcher answers as a new one
    would. New matching words (a curator's synonym) get a new normaliser, so they take effect."""
    tz = ZoneInfo("Asia/Shanghai")
    serving = FaqService(content.faq, tz)
    normalize = serving.matcher.normalize
    normalised: list[str] = []
    many = normalize.many
    monkeypatch.setattr(normalize, "many", lambda texts: normalised.extend(texts) or many(texts))
    learned = {"primary-delay": ["娃想迟一年念小学咋整"]}
    rebuilt = serving.serving(content.faq, learned)
    assert normalised == ["娃想迟一年念小学咋整"]
    fresh = FaqService(content.faq, tz, learned=learned)
    for item in EVAL["in_scope"][:60] + [{"q": q} for q in EVAL["out_of_scope"][:20]]:
        assert rebuilt.matcher.search(item["q"]) == fresh.matcher.search(item["q"]), item["q"]

    synonyms = {**content.faq.words.synonyms, "延缓入学": ("迟一年念",)}
    words = content.faq.words.model_copy(update={"synonyms": synonyms})
    renamed = serving.serving(dataclasses.replace(content.faq, words=words), learned)
    assert renamed.matcher.normalize is not normalize
    assert "延缓入学" in renamed.matcher.normalize("想迟一年念")
    assert "延缓入学" not in rebuilt.matcher.normalize("想迟一年念")


def test_the_postings_are_the_same_however_they_are_sorted(content: Content) -> None:
    """The (feature, document) pairs of an index, each once with its count and sorted by feature then
    document, come out of the fast path (features numbered through tables of their symbols' ranks, a
    16-bit radix sort) as np.unique would give them: for the content's characters and pinyin, and when
    the fast path does not apply (more than 65,536 distinct features, too many distinct symbols for the
    table of their pairs, or documents not rising within a feature)."""
    from bot.services.faq_matcher import _codes, _Grams, _Pairs, char_grams, pinyin_grams

    def reference(features: np.ndarray, doc: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
        keys, dense = np.unique(features, return_inverse=True)
        pairs, counts = np.unique(dense.astype(np.int64) * size + doc, return_counts=True)
        return keys, pairs // size, pairs % size, counts

    normalize = Normalizer(content.faq.words)
    texts = normalize.many([w for e in content.faq.entries.values() for w in (e.question, *e.alternates)])
    codes, doc = _codes(texts)
    rng = np.random.default_rng(14)

    def random_text(symbols: int, length: int) -> _Grams:
        """One long text per 100 symbols, their symbols drawn from the first `symbols` code points."""
        drawn = rng.integers(1, symbols + 1, size=length)
        letter = np.arange(length) % 100 != 99
        return _Grams(drawn, letter, (np.arange(length) // 100).astype(np.int32), singles=True)

    cases = {
        "characters": char_grams(codes, doc),
        "pinyin": pinyin_grams(codes, doc),
        "many features": random_text(5_000, 300_000),  # more distinct pairs than 16 bits number
        "many symbols": random_text(20_000, 50_000),  # a table of all pairs of them would be too large
        "documents not rising": char_grams(codes, doc[::-1].copy()),
    }
    for name, grams in cases.items():
        features, docs = grams.features()
        size = int(docs.max()) + 1
        pairs = _Pairs.of(grams, size)
        for mine, theirs in zip((pairs.keys, pairs.feats, pairs.docs, pairs.counts),
                                reference(features, docs, size), strict=True):  # fmt: skip
            assert np.array_equal(mine, theirs), name

    # the pinyin pairs, made from the characters' distinct pairs (per wording, and per entry as the
    # all-wordings view groups them), are those of the texts' pinyin
    size = int(doc.max()) + 1
    entry_of = np.arange(size, dtype=np.int32) // 7
    for name, (chars, of_doc) in {"per wording": (_Pairs.of(char_grams(codes, doc), size), doc),
                                  "per entry": (_Pairs.of(char_grams(codes, doc), size).grouped(entry_of),
                                                entry_of[doc])}.items():  # fmt: skip
        features, docs = pinyin_grams(codes, of_doc).features()
        sounded = chars.sounded(int(docs.max()) + 1)
        for mine, theirs in zip((sounded.keys, sounded.feats, sounded.docs, sounded.counts),
                                reference(features, docs, int(docs.max()) + 1), strict=True):  # fmt: skip
            assert np.array_equal(mine, theirs), name
