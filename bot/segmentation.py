"""Chinese word segmentation (jieba): the /law keyword search cuts articles into words, and the FAQ
normaliser checks that a homophone typo it corrects stands for whole words of the question."""

from __future__ import annotations

import functools
import logging
from typing import Any

COMMON = 3  # jieba's dictionary lists ~200,000 rare compounds at frequency 2-3 (换学, 摇好): no real words


@functools.cache
def jieba() -> Any:
    """jieba with its dictionary loaded (about 0.6 s and 70 MB the first time), quiet."""
    import jieba as module

    module.setLogLevel(logging.WARNING)
    module.initialize()
    return module


def word_bounds(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Where the dictionary's words in `text` start and end; characters it does not know stand alone
    (no guessed words: jieba's guess joins a typo to its neighbours, 社宝断)."""
    cut = jieba().tokenize(text, HMM=False)
    starts, ends = set(), set()
    for _, start, end in cut:
        starts.add(start)
        ends.add(end)
    return frozenset(starts), frozenset(ends)


def common_word(text: str) -> bool:
    """A word of everyday Chinese by the dictionary (几分, 成绩), not one of its rare compounds."""
    return jieba().dt.FREQ.get(text, 0) > COMMON
