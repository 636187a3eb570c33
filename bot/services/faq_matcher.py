"""Match a question typed in plain Chinese to the FAQ entry that answers it.

Both the FAQ's wordings (question, alternates, keywords) and the query are normalised the same way
(full-width → half-width, traditional → simplified, punctuation and filler words dropped, synonyms
mapped to one word), then compared as TF-IDF vectors of characters and character bigrams and of pinyin
syllable bigrams; the pinyin side catches the homophone typos of phone keyboards (几分入学 → 积分入学).

The index is built with numpy over whole arrays of code points (a feature is an integer: a character's
code point, or two of them packed into one int64), so 10,000 entries build in about a second; a query
touches only the postings of its own features. Pinyin is looked up once per distinct character
(`_syllable_of`), not per wording: about 3,000 calls into pypinyin instead of hundreds of thousands.

A question that names a school level (幼儿园, 小学, 初中, 高中, 中职: the words are in matching.yaml)
is never matched to an entry of another level: 上中职要考试吗 must not get the 初中 answer.

pypinyin is imported, and the pinyin side of the index built, on first use or when `FaqMatcher.prepare`
is called: its import alone takes about 0.2 s and 45 MB (its phrase dictionary, about 190,000 objects
the garbage collector would otherwise scan at every full collection), and the bot should not wait for it
to start. `python -m bot run` prepares it in the background right after start-up (bot/runtime.py).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from bot.content.faq import MatchingWords

NON_WORD = re.compile(r"[^\w]+")
SEP = "|"  # joins expansions and wordings; no feature spans it
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MAX_QUERY = 200
# Chosen on the tuning half of tests/data/faq_blind.yaml with `python -m benchmarks.faq --tune`.
# The search and its objective are in `tune` there; tests/services/test_faq_matcher.py checks these
# are still what it chooses.
CONFIDENT = 0.32
MARGIN = 0.06
LIKELY = 0.22  # best score for answering with `likely` (the others offered below) …
LIKELY_MARGIN = 0.10  # … when it is this far ahead of the runner-up
UNSURE = 0.12
COMMON = 0.3  # features in more than this share of documents carry almost no information: skipped
_SHIFT = 21  # code points fit in 21 bits: a bigram is (a << 21) | b
_END, _SEP = 0, ord(SEP)


class Outcome(StrEnum):
    confident = "confident"  # answer
    likely = "likely"  # answer, and offer the runners-up below it
    unsure = "unsure"  # 您是不是想问: a menu of the closest entries
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
        self.fillers = _alternation(words.fillers)
        variants = {v: canonical for canonical, vs in words.synonyms.items() for v in vs}
        self.synonyms = variants
        self.synonym_re = _alternation(variants)
        self.level_words = {word: level for level, ws in words.levels.items() for word in ws}
        self.level_re = _alternation(self.level_words)

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

    def levels(self, normalized: str) -> frozenset[str]:
        """The school levels a (normalised) question names: 中职要考试吗 → {中职}."""
        if self.level_re is None:
            return frozenset()
        return frozenset(self.level_words[m.group(0)] for m in self.level_re.finditer(normalized))


def _alternation(words: Sequence[str] | Mapping[str, object]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None


# -- features: integers computed over arrays of code points ------------------------------------------------


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of all texts, end to end with a 0 after each, and the text each belongs to."""
    codes = np.frombuffer(("\0".join(texts) + "\0").encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    ends = codes == _END
    doc = np.cumsum(ends) - ends  # the 0 closing a text still belongs to it
    return codes, doc.astype(np.int32)


def char_features(codes: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Characters and character pairs (Chinese has no spaces: pairs stand in for words)."""
    letter = (codes != _END) & (codes != _SEP)
    pair = letter[:-1] & letter[1:]
    bigrams = (codes[:-1][pair] << _SHIFT) | codes[1:][pair]
    return np.concatenate([codes[letter], bigrams]), np.concatenate([doc[letter], doc[:-1][pair]])


def pinyin_features(codes: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of toneless syllables: 几分 and 积分 are both ji fen."""
    letter = (codes != _END) & (codes != _SEP)
    distinct, inverse = np.unique(codes, return_inverse=True)
    syllables = np.array([_syllable_of(int(c)) for c in distinct], dtype=np.int64)[inverse.reshape(-1)]
    pair = letter[:-1] & letter[1:]
    return (syllables[:-1][pair] << 20) | syllables[1:][pair], doc[:-1][pair]


_SYLLABLES: dict[str, int] = {}
_SYLLABLE_OF: dict[int, int] = {}


def _syllable_of(code: int) -> int:
    """A number per toneless syllable (几 and 积 share one), cached per character. Characters without a
    reading stand for themselves."""
    if (known := _SYLLABLE_OF.get(code)) is not None:
        return known
    from pypinyin import Style, lazy_pinyin  # see the module's docstring

    char = chr(code)
    syllable = lazy_pinyin(char, style=Style.NORMAL, errors="default")[0] if code > 0x2E80 else char
    number = _SYLLABLES.setdefault(syllable, len(_SYLLABLES) + 1)
    _SYLLABLE_OF[code] = number
    return number


class _Space:
    """A TF-IDF vector space over one kind of feature, as an inverted index of numpy arrays (postings
    sorted by feature): a query costs one vectorised add per query feature, however many documents
    share it."""

    def __init__(self, features: np.ndarray, doc: np.ndarray, size: int) -> None:
        self.size = size
        self.keys, dense = np.unique(features, return_inverse=True)
        dense = dense.reshape(-1)
        pairs, counts = np.unique(doc.astype(np.int64) * len(self.keys) + dense, return_counts=True)
        docs, feats = pairs // max(len(self.keys), 1), pairs % max(len(self.keys), 1)
        df = np.bincount(feats, minlength=len(self.keys))
        limit = max(20, COMMON * size)
        self.idf = np.where(df <= limit, np.log((1 + size) / (1 + df)) + 1, 0.0)
        weights = (1 + np.log(counts)) * self.idf[feats]
        norms = np.sqrt(np.bincount(docs, weights * weights, minlength=size))
        weights = weights / np.where(norms > 0, norms, 1.0)[docs]
        order = np.argsort(feats, kind="stable")
        self.docs = docs[order].astype(np.int32)
        self.weights = weights[order].astype(np.float32)
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(feats, minlength=len(self.keys)))])

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.keys, self.idf, self.docs, self.weights, self.starts))

    def scores(self, features: np.ndarray, weight: float, into: np.ndarray) -> None:
        """Add `weight` × cosine similarity of the query to every document, into `into`."""
        if not len(features) or not len(self.keys):
            return
        found, counts = np.unique(features, return_counts=True)
        where = np.minimum(np.searchsorted(self.keys, found), len(self.keys) - 1)
        known = (self.keys[where] == found) & (self.idf[where] > 0)
        where, counts = where[known], counts[known]
        query = (1 + np.log(counts)) * self.idf[where]
        query /= math.sqrt(float(query @ query)) or 1.0
        for f, qw in zip(where.tolist(), (weight * query).tolist(), strict=True):
            lo, hi = self.starts[f], self.starts[f + 1]
            into[self.docs[lo:hi]] += qw * self.weights[lo:hi]


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
        self.codes, self.doc = _codes(self.texts)
        self.chars = _Space(*char_features(self.codes, self.doc), len(self.texts))
        self.use_pinyin = use_pinyin
        self.pinyin: _Space | None = None

    def prepare(self) -> None:
        if self.use_pinyin and self.pinyin is None:
            self.pinyin = _Space(*pinyin_features(self.codes, self.doc), len(self.texts))
            self.codes = self.doc = np.zeros(0, dtype=np.int64)  # no longer needed

    def nbytes(self) -> int:
        return self.chars.nbytes() + (self.pinyin.nbytes() if self.pinyin else 0) + self.codes.nbytes * 2

    def best(self, chars: np.ndarray, pinyin: np.ndarray, pinyin_weight: float) -> np.ndarray:
        """Per entry, the similarity of its best document to the query."""
        scores = np.zeros(self.chars.size, dtype=np.float32)
        self.chars.scores(chars, 1 - pinyin_weight, scores)
        if self.pinyin is not None:
            self.pinyin.scores(pinyin, pinyin_weight, scores)
        return np.maximum.reduceat(scores, self.starts) if len(self.starts) else scores


@dataclass(frozen=True)
class Thresholds:
    """Where the outcomes start (chosen by evaluation: `python -m benchmarks.faq --tune`)."""

    confident: float = CONFIDENT
    margin: float = MARGIN
    likely: float = LIKELY
    likely_margin: float = LIKELY_MARGIN
    unsure: float = UNSURE

    def decide(self, matches: Sequence[Match]) -> Outcome:
        if not matches or matches[0].score < self.unsure:
            return Outcome.none
        best = matches[0].score
        lead = best - (matches[1].score if len(matches) > 1 else 0.0)
        if best >= self.confident and lead >= self.margin:
            return Outcome.confident
        if best >= self.likely and lead >= self.likely_margin:
            return Outcome.likely
        return Outcome.unsure


class FaqMatcher:
    def __init__(self, entries: dict[str, tuple[list[str], str]], normalizer: Normalizer,
                 weights: Weights | None = None, thresholds: Thresholds | None = None,
                 levels: Mapping[str, frozenset[str]] | None = None) -> None:  # fmt: skip
        """`entries`: id → (every wording that should find it, its answer text); `levels`: id → the
        school levels the entry is for (empty or absent: any level)."""
        self.normalize = normalizer
        self.weights = weights or Weights()
        self.thresholds = thresholds or Thresholds()
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
        of = levels or {}
        self.levels = {lv for e in self.ids for lv in of.get(e, ())}
        # per level, which entries are for another level only
        self.foreign = {lv: np.array([bool(of.get(e)) and lv not in of[e] for e in self.ids], dtype=bool)
                        for lv in self.levels}  # fmt: skip
        self._lock = threading.Lock()
        self._prepared = False

    def prepare(self) -> None:
        """Build the pinyin side of the index (importing pypinyin the first time). The first search
        does it if nobody did before; safe to call from another thread."""
        with self._lock:
            for _, view in self.views:
                view.prepare()
            self._prepared = True

    def nbytes(self) -> int:
        """The index's arrays, in bytes (the wordings themselves not counted)."""
        return sum(view.nbytes() for _, view in self.views)

    def search(self, text: str, limit: int = 3) -> Result:
        if not self._prepared:
            self.prepare()
        norm = self.normalize(text)
        if not norm or not self.ids:
            return Result(Outcome.none, [], norm)
        codes, doc = _codes([norm])
        chars = char_features(codes, doc)[0]
        pinyin = pinyin_features(codes, doc)[0] if self.weights.pinyin > 0 else chars[:0]
        total = np.zeros(len(self.ids), dtype=np.float32)
        for weight, view in self.views:
            if weight > 0:
                total += weight * view.best(chars, pinyin, self.weights.pinyin)
        if named := self.normalize.levels(norm) & self.levels:
            # an entry is kept when it is for any level the question names
            total[np.logical_and.reduce([self.foreign[lv] for lv in named])] = 0.0
        top = (
            np.argpartition(-total, min(limit, len(total) - 1))[:limit]
            if len(total) > limit
            else np.arange(len(total))
        )
        ranked = sorted(((float(total[i]), self.ids[i]) for i in top), key=lambda item: (-item[0], item[1]))
        matches = [Match(e, round(v, 4)) for v, e in ranked if v > 0]
        return Result(self.decide(matches), matches, norm)

    def decide(self, matches: Sequence[Match]) -> Outcome:
        return self.thresholds.decide(matches)
