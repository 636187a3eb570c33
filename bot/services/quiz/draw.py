"""Drawing questions for an attempt: weighted by audience, by law or mixed, options shuffled."""

from __future__ import annotations

import random
from collections.abc import Sequence

from bot.content.questions import QType, Question
from bot.db.models import User
from bot.domain import Role

# How strongly each kind of user is drawn towards questions written for each audience.
WEIGHTS: dict[str, dict[str, float]] = {
    "primary": {"primary": 4, "all": 2, "secondary": 0.5, "staff": 0},
    "secondary": {"secondary": 4, "all": 2, "primary": 1, "staff": 0.25},
    "staff": {"staff": 4, "all": 2, "secondary": 1, "primary": 0.5},
    "all": {"all": 3, "primary": 1, "secondary": 1, "staff": 1},
}


def audience_of(user: User) -> str:
    if user.role == Role.student:
        return "primary" if (user.grade or 0) <= 6 else "secondary"
    if user.role in (Role.staff, Role.admin):
        return "staff"
    return "all"


def draw(pool: Sequence[Question], count: int, audience: str, rng: random.Random) -> list[Question]:
    """`count` distinct questions, weighted by audience (weighted sampling without replacement)."""
    weights = WEIGHTS[audience]
    keyed = []
    for question in pool:
        weight = weights.get(question.audience.value, 0)
        if weight > 0:
            keyed.append((rng.random() ** (1 / weight), question.id, question))
    keyed.sort(reverse=True)
    return [question for _, _, question in keyed[:count]]


def draw_mix(
    pool: Sequence[Question], count: int, mix: dict[int, float], audience: str, rng: random.Random
) -> list[Question]:
    """`count` questions in the difficulty mix asked for (shares by difficulty), topped up from any
    difficulty where a level runs short."""
    chosen: list[Question] = []
    for difficulty, share in sorted(mix.items()):
        level = [x for x in pool if x.difficulty == difficulty]
        chosen += draw(level, round(count * share), audience, rng)
    taken = {x.id for x in chosen}
    chosen = chosen[:count]
    if len(chosen) < count:
        chosen += draw([x for x in pool if x.id not in taken], count - len(chosen), audience, rng)
    if len(chosen) < count:  # the audience's own questions ran out: any audience will do
        taken = {x.id for x in chosen}
        rest = [x for x in pool if x.id not in taken]
        chosen += draw(rest, count - len(chosen), "all", rng)
    return chosen


def shuffled_order(question: Question, rng: random.Random) -> list[int]:
    """Display order of the original options; 对/错 keep their order."""
    order = list(range(len(question.choices)))
    if question.type is not QType.judge:
        rng.shuffle(order)
    return order


def encode(indices: Sequence[int]) -> str:
    return "".join(str(i) for i in indices)


def decode(text: str | None) -> list[int]:
    return [int(c) for c in text or ""]
