"""Match a question typed in plain Chinese to the FAQ entry that answers it.

Both the FAQ's wordings (question, alternates, keywords) and the query are normalised the same way
(full-width → half-width, traditional → simplified, punctuation and filler words dropped, synonyms
mapped to one word), then compared as TF-IDF vectors of character bigrams and of pinyin syllable
bigrams; the pinyin side catches the homophone typos of phone keyboards (几分入学 → 积分入学).
The index is built once at load time; a query touches only the postings of its own features.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pypinyin import Style, lazy_pinyin

from bot.content.faq import MatchingWords

NON_WORD = re.compile(r"[^\w]+")
SEP = "|"  # joins expansions and wordings; no feature spans it
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MAX_QUERY = 200
# Chosen on tests/data/faq_eval.yaml with `python -m benchmarks.faq --tune` (see its output).
CONFIDENT = 0.28
UNSURE = 0.18
MARGIN = 0.03
COMMON = 0.3  # features in more than this share of documents carry almost no information: skipped


class Outcome(StrEnum):
    confident = "confident"
    unsure = "unsure"
    none = "none"


@dataclass(frozen=True)
class Match:
    entry_id: str
    score: float


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    matches: list[Match]  # best first, at most 3
    normalized: str

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


class Normalizer:
    def __init__(self, words: MatchingWords) -> None:
        pairs = words.traditional.replace(" ", "")
        self.table = str.maketrans({pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)})
        self.fillers = (
            re.compile("|".join(map(re.escape, sorted(words.fillers, key=len, reverse=True))))
            if words.fillers
            else None
        )
        variants = {v: canonical for canonical, vs in words.synonyms.items() for v in vs}
        self.synonyms = variants
        self.synonym_re = (
            re.compile("|".join(map(re.escape, sorted(variants, key=len, reverse=True))))
            if variants
            else None
        )

    def __call__(self, text: str) -> str:
        """Normalised text; the canonical words of any synonyms found are appended after a separator
        (expanding rather than replacing, so a variant never merges with its neighbours)."""
        text = unicodedata.normalize("NFKC", text[:MAX_QUERY]).lower().translate(self.table)
        text = NON_WORD.sub("", text).replace("_", "")
        if self.fillers is not None:
            text = self.fillers.sub("", text)
        if self.synonym_re is not None and text:
            found = dict.fromkeys(self.synonyms[m.group(0)] for m in self.synonym_re.finditer(text))
            found = {c: None for c in found if c not in text}
            if found:
                text = SEP.join([text, *found])
        return text


def char_features(text: str) -> list[str]:
    """Characters and character pairs (Chinese has no spaces: pairs stand in for words)."""
    features: list[str] = []
    for part in text.split(SEP):
        features += list(part)
        features += [part[i : i + 2] for i in range(len(part) - 1)]
    return features


def pinyin_features(text: str) -> list[str]:
    """Pairs of toneless syllables: 几分 and 积分 are both ji fen."""
    features: list[str] = []
    for part in text.split(SEP):
        syllables = lazy_pinyin(part, style=Style.NORMAL, errors="default")
        features += [f"{a} {b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return features


class _Space:
    """A TF-IDF vector space over one kind of feature, with an inverted index."""

    def __init__(self, docs: list[list[str]]) -> None:
        df: dict[str, int] = defaultdict(int)
        for features in docs:
            for f in set(features):
                df[f] += 1
        n = len(docs)
        limit = max(20, COMMON * n)
        self.idf = {f: math.log((1 + n) / (1 + c)) + 1 for f, c in df.items() if c <= limit}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, features in enumerate(docs):
            for f, w in self.vector(features).items():
                self.postings[f].append((doc, w))

    def vector(self, features: Iterable[str]) -> dict[str, float]:
        counts: dict[str, int] = defaultdict(int)
        for f in features:
            if f in self.idf:
                counts[f] += 1
        weights = {f: (1 + math.log(c)) * self.idf[f] for f, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {f: w / norm for f, w in weights.items()}

    def scores(self, features: list[str]) -> dict[int, float]:
        result: dict[int, float] = defaultdict(float)
        for f, qw in self.vector(features).items():
            for doc, dw in self.postings.get(f, ()):
                result[doc] += qw * dw
        return result


@dataclass(frozen=True)
class Weights:
    """How the three views of an entry and the two kinds of feature are blended (chosen by evaluation:
    `python -m benchmarks.faq --tune`)."""

    wording: float = 0.1  # the best single wording (question, an alternate or a keyword)
    profile: float = 0.5  # all wordings of the entry together
    answer: float = 0.4  # the answer text
    pinyin: float = 0.2  # share of pinyin (vs character) similarity in each view


class _View:
    """One view of the entries: several documents per entry, each a vector in two spaces."""

    def __init__(self, docs: list[tuple[str, str]], use_pinyin: bool) -> None:
        self.entry_of = [entry for entry, _ in docs]
        self.chars = _Space([char_features(text) for _, text in docs])
        self.pinyin = _Space([pinyin_features(text) for _, text in docs]) if use_pinyin else None

    def best(self, chars: list[str], pinyin: list[str], pinyin_weight: float) -> dict[str, float]:
        """Per entry, the score of its best document."""
        combined = {d: (1 - pinyin_weight) * v for d, v in self.chars.scores(chars).items()}
        if self.pinyin is not None:
            for d, v in self.pinyin.scores(pinyin).items():
                combined[d] = combined.get(d, 0.0) + pinyin_weight * v
        best: dict[str, float] = {}
        for doc, score in combined.items():
            entry = self.entry_of[doc]
            if score > best.get(entry, 0.0):
                best[entry] = score
        return best


class FaqMatcher:
    def __init__(self, entries: dict[str, tuple[list[str], str]], normalizer: Normalizer,
                 weights: Weights | None = None, confident: float = CONFIDENT, unsure: float = UNSURE,
                 margin: float = MARGIN) -> None:  # fmt: skip
        """`entries`: id → (every wording that should find it, its answer text)."""
        self.normalize = normalizer
        self.weights = weights or Weights()
        self.confident, self.unsure, self.margin = confident, unsure, margin
        wordings, profiles, answers = [], [], []
        for entry_id, (phrases, answer) in entries.items():
            normalized = [n for n in map(normalizer, phrases) if n]
            wordings += [(entry_id, n) for n in normalized]
            profiles.append((entry_id, SEP.join(normalized)))
            answers.append((entry_id, normalizer(PLACEHOLDER.sub("", answer))))
        use_pinyin = self.weights.pinyin > 0
        self.views = [(self.weights.wording, _View(wordings, use_pinyin)), (self.weights.profile, _View(profiles, use_pinyin)),
                      (self.weights.answer, _View(answers, use_pinyin))]  # fmt: skip

    def search(self, text: str, limit: int = 3) -> Result:
        norm = self.normalize(text)
        if not norm:
            return Result(Outcome.none, [], norm)
        chars, pinyin = char_features(norm), pinyin_features(norm) if self.weights.pinyin > 0 else []
        total: dict[str, float] = defaultdict(float)
        for weight, view in self.views:
            if weight > 0:
                for entry, score in view.best(chars, pinyin, self.weights.pinyin).items():
                    total[entry] += weight * score
        ranked = sorted(total.items(), key=lambda item: -item[1])[:limit]
        matches = [Match(e, round(v, 4)) for e, v in ranked]
        return Result(self.decide(matches), matches, norm)

    def decide(self, matches: list[Match]) -> Outcome:
        if not matches or matches[0].score < self.unsure:
            return Outcome.none
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        if matches[0].score >= self.confident and matches[0].score - runner_up >= self.margin:
            return Outcome.confident
        return Outcome.unsure
