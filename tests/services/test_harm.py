"""Harm to a child told in words no law topic names (bot/content/harm.py): the model's threshold is the one
cross-validation chooses, and on messages it never learned from (tests/data/harm_blind.yaml, written blind)
it and the topics together hear most messages of harm, alarm on few everyday ones, and never on what
parents ask about enrollment."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.harm import blind_sets, choose_threshold, examples, heard, parents_questions, wordings
from bot.content.bundle import Content
from bot.content.harm import THRESHOLD, HarmModel, load_harm, spread
from bot.content.yamlfile import Report


def test_the_shipped_threshold_is_the_one_cross_validation_chooses(content: Content) -> None:
    chosen = choose_threshold(examples(), wordings(content))
    assert content.harm.threshold == THRESHOLD == chosen.threshold
    assert chosen.everyday[0] <= 0.01 * chosen.everyday[1] and chosen.wordings[0] == 0


@pytest.mark.parametrize("blind", blind_sets(), ids=lambda b: b["name"])
def test_on_messages_it_never_learned_from_most_harm_is_heard_and_few_alarms(
    content: Content, blind: dict
) -> None:
    """Set D, read once: the topics heard 51 of its 150 messages of harm at the start of December 6's night,
    70 after it; with the model 128 (85 %), and 6 of its 150 everyday messages got a line or the warning."""
    h = heard(content, blind["harm"], blind["everyday"])
    assert h.either >= 0.78 * h.harm and h.either > h.topics + 0.2 * h.harm
    assert h.alarmed <= 0.06 * h.everyday


def test_no_parents_enrollment_question_is_taken_for_harm(content: Content) -> None:
    assert not [text for text in parents_questions() if content.harm.hears(text)]


def test_it_learns_from_an_example_a_curator_adds() -> None:
    """What the examples teach: a message of harm in new words is heard once messages like it are added."""
    everyday = ["孩子几岁上小学", "学校午饭好吃吗", "我躲在被子里看书", "晚上写作业到十点"] * 5
    harm = ["继父摸我", "爸爸打我", "我被锁在家里", "同学抢我的钱"] * 5
    told = "他每天晚上都进我房间 我好怕"
    before = HarmModel.learned(harm, everyday, threshold=10)
    after = HarmModel.learned([*harm, "他晚上进我房间", "每天晚上都来我房间 我好怕"], everyday, threshold=10)
    assert not before.hears(told) and after.hears(told)


def test_a_broken_examples_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "harm_examples.yaml"
    path.write_text("harm: [继父摸我]\neveryday: []\nunnamed: 3\n", encoding="utf-8")
    report = Report()
    assert load_harm(path, None, report) is None
    assert any("harm_examples.yaml:1" in str(p) and "at least 20 items" in str(p) for p in report.errors)
    path.write_text("harm: [继父摸我\n", encoding="utf-8")
    report = Report()
    assert load_harm(path, None, report) is None
    assert [str(p) for p in report.errors] == [
        f"{path}:2: YAML syntax error: did not find expected ',' or ']'"
    ]


def test_learning_reads_a_large_faq_evenly_and_no_more() -> None:
    """At 10,000 entries (426,000 wordings) learning from every wording took 5 s of each /reload."""
    wordings = [f"问题{i}" for i in range(12_000)]
    taken = spread(wordings, most=5_000)
    assert len(taken) == 4_000 and taken[0] == "问题0" and taken[-1] == "问题11997"
    assert spread(wordings[:3_000], most=5_000) == wordings[:3_000]
