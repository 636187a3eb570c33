"""Unit tests of the quiz engine's pure parts: draws, shuffling, the mistake book."""

from __future__ import annotations

import collections
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content.bundle import Content
from bot.content.questions import QType
from bot.services.quiz.draw import draw, shuffled_order
from bot.services.quiz.results import mistake_book, percent

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=TZ).astimezone(UTC)


def test_draws_never_repeat_and_follow_the_audience(content: Content) -> None:
    pool = content.questions.pool(None)
    rng = random.Random(1)
    for audience in ("primary", "secondary", "staff", "all"):
        drawn = draw(pool, 20, audience, rng)
        assert len(drawn) == 20 and len({q.id for q in drawn}) == 20
    pupils = collections.Counter(q.audience.value for _ in range(30) for q in draw(pool, 20, "primary", rng))
    assert pupils["staff"] == 0 and pupils["primary"] > pupils["secondary"]


def test_a_small_pool_gives_what_it_has(content: Content) -> None:
    pool = content.questions.pool("school_bus_safety")
    assert len(draw(pool, 50, "staff", random.Random(2))) == len(
        [q for q in pool if q.audience.value != "xx"]
    )


def test_options_are_shuffled_per_attempt_but_true_false_keeps_its_order(content: Content) -> None:
    rng = random.Random(3)
    choice = next(q for q in content.questions.pool(None) if q.type is QType.single)
    orders = {tuple(shuffled_order(choice, rng)) for _ in range(20)}
    assert len(orders) > 5 and all(sorted(o) == list(range(len(choice.options))) for o in orders)
    judge = next(q for q in content.questions.pool(None) if q.type is QType.judge)
    assert {tuple(shuffled_order(judge, rng)) for _ in range(10)} == {(0, 1)}


def test_the_mistake_book_needs_two_later_days_in_a_row() -> None:
    history = [("a", False, at(1)), ("a", True, at(1, 20)), ("a", True, at(2))]
    assert mistake_book(history, TZ) == ["a"]  # the same day does not count; one later day is not enough
    assert mistake_book([*history, ("a", True, at(3))], TZ) == []
    again = [*history, ("a", False, at(3)), ("a", True, at(4))]
    assert mistake_book(again, TZ) == ["a"]  # a new mistake starts the count again
    # days are counted in the bureau's time zone: 23:30 and 00:30 local are two days
    late = [("b", False, at(5, 23) + timedelta(minutes=30)), ("b", True, at(6, 0) + timedelta(minutes=30)),
            ("b", True, at(7))]  # fmt: skip
    assert mistake_book(late, TZ) == []


def test_the_most_recent_mistake_comes_first() -> None:
    history = [("a", False, at(1)), ("b", False, at(2)), ("c", True, at(3))]
    assert mistake_book(history, TZ) == ["b", "a"]


@pytest.mark.parametrize(
    ("correct", "total", "score"),
    [(5, 8, 63), (1, 8, 13), (3, 8, 38), (7, 10, 70), (2, 3, 67), (1, 3, 33), (0, 20, 0), (25, 25, 100)],
)
def test_scores_round_half_up(correct: int, total: int, score: int) -> None:
    """四舍五入: a review of 8 questions with 5 right scores 63 (round() would give 62)."""
    assert percent(correct, total) == score
