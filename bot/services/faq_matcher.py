"""Match a question typed in plain Chinese to the FAQ entry that answers it.

Both the FAQ's wordings (question, alternates, keywords) and the query are normalised the same way
(full-width → half-width, traditional → simplified, punctuation and filler words dropped, synonyms
mapped to one word), then compared as TF-IDF vectors of character bigrams and of pinyin syllable
bigrams; the pinyin side catches the homophone typos of phone keyboards (几分入学 → 积分入学).
The index is built once at load time; a query touches only the postings of its own features.

pypinyin is imported, and the pinyin side of the index built, on first use or when `FaqMatcher.prepare`
is called: its import alone takes about 0.2 s and 45 MB (its phrase dictionary, about 190,000 objects
the garbage collector would otherwise scan at every full collection), and the bot should not wait for it
to start. `python -m bot run` prepares it in the background right after start-up (bot/runtime.py).
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

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
        found = (
            dict.fromkeys(self.synonyms[m.group(0)] for m in self.synonym_re.finditer(text))
            if self.synonym_re
            else {}
        )
        if self.fillers is not None:
            text = self.fillers.sub("", text)
        extra = [c for c in found if c not in text]
        return SEP.join([text, *extra]) if extra and text else text


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
        syllables = _syllables(part)
        features += [f"{a} {b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return features


@functools.lru_cache(maxsize=4096)
def _syllables(part: str) -> tuple[str, ...]:
    """Cached: an entry's wordings come back in its profile, so the index asks for each twice."""
    from pypinyin import Style, lazy_pinyin  # see the module's docstring

    return tuple(lazy_pinyin(part, style=Style.NORMAL, errors="default"))


class _Space:
    """A TF-IDF vector space over one kind of feature, as an inverted index of numpy arrays: a query
    costs one vectorised add per query feature, however many documents share it."""

    def __init__(self, docs: list[list[str]]) -> None:
        df: dict[str, int] = defaultdict(int)
        for features in docs:
            for f in set(features):
                df[f] += 1
        self.size = len(docs)
        limit = max(20, COMMON * self.size)
        self.idf = {f: math.log((1 + self.size) / (1 + c)) + 1 for f, c in df.items() if c <= limit}
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for doc, features in enumerate(docs):
            for f, w in self.vector(features).items():
                postings[f][0].append(doc)
                postings[f][1].append(w)
        self.postings = {
            f: (np.array(d, dtype=np.int32), np.array(w, dtype=np.float32)) for f, (d, w) in postings.items()
        }

    def vector(self, features: Iterable[str]) -> dict[str, float]:
        counts: dict[str, int] = defaultdict(int)
        for f in features:
            if f in self.idf:
                counts[f] += 1
        weights = {f: (1 + math.log(c)) * self.idf[f] for f, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {f: w / norm for f, w in weights.items()}

    def scores(self, features: list[str], weight: float, into: np.ndarray) -> None:
        """Add `weight` × cosine similarity of the query to every document, into `into`."""
        for f, qw in self.vector(features).items():
            docs, weights = self.postings[f]
            into[docs] += (weight * qw) * weights


@dataclass(frozen=True)
class Weights:
    """How the three views of an entry and the two kinds of feature are blended (chosen by evaluation:
    `python -m benchmarks.faq --tune`)."""

    wording: float = 0.1  # the best single wording (question, an alternate or a keyword)
    profile: float = 0.5  # all wordings of the entry together
    answer: float = 0.4  # the answer text
    pinyin: float = 0.2  # share of pinyin (vs character) similarity in each view


class _View:
    """One view of the entries: one or more documents per entry (grouped by entry, in entry order),
    each a vector in two spaces (the pinyin one built by `prepare`)."""

    def __init__(self, docs: list[list[str]], use_pinyin: bool) -> None:
        self.texts = [text for entry_docs in docs for text in entry_docs]
        self.starts = np.cumsum([0] + [len(entry_docs) for entry_docs in docs[:-1]])
        self.chars = _Space([char_features(t) for t in self.texts])
        self.use_pinyin = use_pinyin
        self.pinyin: _Space | None = None

    def prepare(self) -> None:
        if self.use_pinyin and self.pinyin is None:
            self.pinyin = _Space([pinyin_features(t) for t in self.texts])

    def best(self, chars: list[str], pinyin: list[str], pinyin_weight: float) -> np.ndarray:
        """Per entry, the similarity of its best document to the query."""
        scores = np.zeros(self.chars.size, dtype=np.float32)
        self.chars.scores(chars, 1 - pinyin_weight, scores)
        if self.pinyin is not None:
            self.pinyin.scores(pinyin, pinyin_weight, scores)
        return np.maximum.reduceat(scores, self.starts) if len(self.starts) else scores


class FaqMatcher:
    def __init__(self, entries: dict[str, tuple[list[str], str]], normalizer: Normalizer,
                 weights: Weights | None = None, confident: float = CONFIDENT, unsure: float = UNSURE,
                 margin: float = MARGIN) -> None:  # fmt: skip
        """`entries`: id → (every wording that should find it, its answer text)."""
        self.normalize = normalizer
        self.weights = weights or Weights()
        self.confident, self.unsure, self.margin = confident, unsure, margin
        self.ids = list(entries)
        wordings, profiles, answers = [], [], []
        for phrases, answer in entries.values():
            normalized = [n for n in map(normalizer, phrases) if n] or [""]
            wordings.append(normalized)
            profiles.append([SEP.join(normalized)])
            answers.append([normalizer(PLACEHOLDER.sub("", answer))])
        use_pinyin = self.weights.pinyin > 0
        self.views = [(self.weights.wording, _View(wordings, use_pinyin)), (self.weights.profile, _View(profiles, use_pinyin)),
                      (self.weights.answer, _View(answers, use_pinyin))]  # fmt: skip
        self._lock = threading.Lock()
        self._prepared = False

    def prepare(self) -> None:
        """Build the pinyin side of the index (importing pypinyin the first time): about 0.1 s, plus 0.2 s
        for the import. The first search does it if nobody did before; safe to call from another thread."""
        with self._lock:
            for _, view in self.views:
                view.prepare()
            self._prepared = True

    def search(self, text: str, limit: int = 3) -> Result:
        if not self._prepared:
            self.prepare()
        norm = self.normalize(text)
        if not norm or not self.ids:
            return Result(Outcome.none, [], norm)
        chars, pinyin = char_features(norm), pinyin_features(norm) if self.weights.pinyin > 0 else []
        total = np.zeros(len(self.ids), dtype=np.float32)
        for weight, view in self.views:
            if weight > 0:
                total += weight * view.best(chars, pinyin, self.weights.pinyin)
        top = (
            np.argpartition(-total, min(limit, len(total) - 1))[:limit]
            if len(total) > limit
            else np.arange(len(total))
        )
        ranked = sorted(((float(total[i]), self.ids[i]) for i in top), key=lambda item: (-item[0], item[1]))
        matches = [Match(e, round(v, 4)) for v, e in ranked if v > 0]
        return Result(self.decide(matches), matches, norm)

    def decide(self, matches: list[Match]) -> Outcome:
        if not matches or matches[0].score < self.unsure:
            return Outcome.none
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        if matches[0].score >= self.confident and matches[0].score - runner_up >= self.margin:
            return Outcome.confident
        return Outcome.unsure
