"""Harm to a child told in a message: how much the law topics and the model of harm in other words hear.

    python -m benchmarks.harm            # threshold, blind sets, parents' questions
    python -m benchmarks.harm --grid     # cross-validated hearing of grams, smoothing and windows

Prints the model's threshold, chosen in five-fold cross-validation over the examples it learns from
(content/law/harm_examples.yaml and the FAQ's wordings), never on the blind sets; then, on each blind set
of tests/data/harm_blind.yaml (messages the model never learns from), how many messages of harm get the
topics' warning, the model's line, or either, and how many everyday messages get either; then how many
of the parents' questions in the FAQ's evaluation sets would get the model's line (none should).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from bot.chinese import simplified
from bot.config import ROOT
from bot.content.bundle import Content, require_content
from bot.content.harm import GRAMS, SMOOTHING, WINDOW, HarmExamples, HarmModel, faq_wordings

FOLDS = 5
EVERYDAY_LIMIT = 0.01  # share of the everyday examples the chosen threshold may hear in cross-validation
WORDING_LIMIT = 0.002  # … and of the FAQ's wordings
EXAMPLES = ROOT / "content" / "law" / "harm_examples.yaml"
BLIND = ROOT / "tests" / "data" / "harm_blind.yaml"


def examples() -> HarmExamples:
    return HarmExamples.model_validate(yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")))


def wordings(content: Content) -> list[str]:
    """The FAQ's wordings as the bot's model learns from them."""
    return list(faq_wordings(content.faq))


@dataclass(frozen=True)
class Validation:
    threshold: float
    harm: tuple[int, int]  # heard, of
    everyday: tuple[int, int]
    wordings: tuple[int, int]


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = GRAMS
    smoothing: float = SMOOTHING
    window: int = WINDOW


def choose_threshold(
    data: HarmExamples, faq_wordings: Sequence[str], settings: Settings = Settings()
) -> Validation:
    """Each message scored by a model learned (with `settings`) without its fold; the lowest threshold at
    which at most EVERYDAY_LIMIT of the everyday messages and WORDING_LIMIT of the wordings score above it."""
    harm = [*data.harm, *data.unnamed]
    other = [(text, True) for text in data.everyday] + [(text, False) for text in faq_wordings]
    harm_scores: list[float] = []
    other_scores: list[tuple[float, bool]] = []
    for fold in range(FOLDS):
        model = HarmModel.learned(
            (t for i, t in enumerate(harm) if i % FOLDS != fold),
            [t for i, (t, _) in enumerate(other) if i % FOLDS != fold],
            window=settings.window,
            sizes=settings.sizes,
            smoothing=settings.smoothing,
        )
        harm_scores += [model.score(t) for i, t in enumerate(harm) if i % FOLDS == fold]
        other_scores += [(model.score(t), day) for i, (t, day) in enumerate(other) if i % FOLDS == fold]
    days = sorted(s for s, day in other_scores if day)
    asked = sorted(s for s, day in other_scores if not day)

    def above(scores: list[float], threshold: float) -> int:
        return sum(s > threshold for s in scores)

    lowest = next(
        t
        for t in sorted(s for s, _ in other_scores if s > 0)
        if above(days, t) <= EVERYDAY_LIMIT * len(days) and above(asked, t) <= WORDING_LIMIT * len(asked)
    )
    threshold = math.ceil(lowest * 10) / 10  # as written in bot/content/harm.py; hears no more than `lowest`
    return Validation(
        threshold,
        (above(harm_scores, threshold), len(harm_scores)),
        (above(days, threshold), len(days)),
        (above(asked, threshold), len(asked)),
    )


@dataclass(frozen=True)
class Heard:
    topics: int  # messages of harm given the topics' warning
    model: int  # … the model's line
    either: int
    harm: int  # messages of harm
    alarmed: int  # everyday messages given either
    everyday: int


def heard(content: Content, harm: Sequence[str], everyday: Sequence[str]) -> Heard:
    def topics(text: str) -> bool:
        return content.laws.urgent_in(simplified(text))

    return Heard(
        sum(topics(t) for t in harm),
        sum(content.harm.hears(t) for t in harm),
        sum(topics(t) or content.harm.hears(t) for t in harm),
        len(harm),
        sum(topics(t) or content.harm.hears(t) for t in everyday),
        len(everyday),
    )


def blind_sets() -> list[dict]:
    return yaml.safe_load(BLIND.read_text(encoding="utf-8"))["sets"]


def parents_questions() -> list[str]:
    data = ROOT / "tests" / "data"
    texts = []
    for name in ("faq_blind.yaml", "faq_blind_fresh.yaml"):
        texts += [q["text"] for q in yaml.safe_load((data / name).read_text(encoding="utf-8"))["questions"]]
    own = yaml.safe_load((data / "faq_eval.yaml").read_text(encoding="utf-8"))
    return texts + [q["q"] for q in own["in_scope"]] + list(own["out_of_scope"])


GRID = [Settings(sizes, smoothing, window) for sizes in ((2,), (2, 3), (1, 2))
        for smoothing in (0.02, 0.05, 0.1, 0.25, 0.5) for window in (12, 16, 20, 24)]  # fmt: skip


def grid(content: Content) -> None:
    """Cross-validated hearing of every setting of GRID, best first; the shipped ones are the best."""
    scored = [(choose_threshold(examples(), wordings(content), s), s) for s in GRID]
    for v, s in sorted(scored, key=lambda pair: -pair[0].harm[0]):
        print(f"  grams {s.sizes}, smoothing {s.smoothing}, window {s.window}: threshold {v.threshold}, "
              f"harm {v.harm[0]}/{v.harm[1]}, everyday {v.everyday[0]}/{v.everyday[1]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="cross-validated hearing of each setting")
    content = require_content(ROOT / "content", ROOT / "quizzes")
    if parser.parse_args().grid:
        grid(content)
        return
    started = time.perf_counter()
    chosen = choose_threshold(examples(), wordings(content))
    took = time.perf_counter() - started
    print(
        f"threshold chosen in {FOLDS}-fold cross-validation: {chosen.threshold} "
        f"(shipped: {content.harm.threshold}); there the model hears {chosen.harm[0]}/{chosen.harm[1]} "
        f"messages of harm, {chosen.everyday[0]}/{chosen.everyday[1]} everyday ones, "
        f"{chosen.wordings[0]}/{chosen.wordings[1]} FAQ wordings ({took:.1f} s)"
    )
    for blind in blind_sets():
        h = heard(content, blind["harm"], blind["everyday"])
        print(
            f"{blind['name']}: harm heard by the topics {h.topics}/{h.harm}, by the model {h.model}, "
            f"by either {h.either} ({h.either / h.harm:.0%}); everyday messages alarmed {h.alarmed}/{h.everyday}"
        )
    asked = parents_questions()
    print(f"parents' questions of the FAQ's evaluation sets given the model's line: "
          f"{sum(content.harm.hears(t) for t in asked)}/{len(asked)}")  # fmt: skip
    started = time.perf_counter()
    for text in asked:
        content.harm.score(text)
    print(f"scoring: {(time.perf_counter() - started) / len(asked) * 1e6:.0f} µs per message")


if __name__ == "__main__":
    main()
