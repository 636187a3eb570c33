"""Match a question typed in plain Chinese to the FAQ entry that answers it.

Both the FAQ's wordings (question, alternates, keywords) and the query are normalised the same way
(full-width → half-width, traditional → simplified by OpenCC, punctuation and filler words dropped, synonyms
mapped to one word), then compared as TF-IDF vectors of characters and character bigrams and of pinyin
syllable bigrams; the pinyin side catches the homophone typos of phone keyboards (几分入学 → 积分入学),
and a synonym typed as a homophone (社宝) brings its canonical word (社保) as if typed right
(`Normalizer.heard`). An entry is seen three ways (`Weights`): its best single wording (by characters
only), all its wordings together, its answer. How sure an answer is (`Thresholds`) goes by its score,
its lead over the runner-up (by how much, and how many times over) and how many of the single wordings
nearest the question are its own.

The index is built with numpy over whole arrays of code points (a feature is an integer: a character's
code point, or two of them packed into one int64); a query touches only the postings of its own
features. The postings are grouped by feature with a 16-bit radix sort of the features' numbers (`_Pairs`),
found through tables of the characters' (or syllables') ranks, without a sort and without making the
64-bit features (`_Grams.numbered`; content with more than 65,536 distinct features falls back to a
sort of 64-bit pairs). At 10,000 entries of the shipped density (426,000 wordings) the build, word-for-word
table included, takes about 3-4 s CPU by the machine (docs/faq-matching.md has the figures); a
rebuild after /reload takes less: the normaliser remembers the wordings of its latest index. A search
takes 4-5 ms at p99 by the machine (benchmarks/faq.py). The normaliser's later steps work on the UTF-8
bytes of all texts at once (ahocorasick-rs reports byte offsets; numpy finds each hit's text and drops
fillers), and punctuation goes through a per-character table. Pinyin is looked up once per distinct character
(`_syllable_of`), not per wording: about 3,000 calls into pypinyin instead of hundreds of thousands;
a view's pinyin pairs are its character pairs read as sounds (`_Pairs.sounded`), not made from the
texts again.

Word segmentation (jieba, with a domain dictionary) and BM25 over its words were tried beside the
character pairs in rounds 2 and 3 and never beat them on the blind set's tuning half (docs/faq-matching.md
has their figures); their code was removed in round 4. A sparse classifier (logistic
regression over character n-grams, scikit-learn) was tried too: more confident answers on the tuning
half, but it needs a dense entries × features matrix, which does not fit at 10,000 entries.
A naive Bayes model of each entry's wordings, scaling the cosine scores (round 10), gave more confident
answers on the tuning half and nine confidently wrong ones on the held-out half: not adopted.

A question that names a school level (幼儿园, 小学, 初中, 高中, 中职: the words are in matching.yaml)
is never matched to an entry of another level: 上中职要考试吗 must not get the 初中 answer, nor its
homophone typo 上中直要考试吗; 大学 (高考, 考研 …) is a level too, which only the entry on where 中职 leads
is for, named only as typed. Likewise for the sector (公办, 民办): 公办小学收费吗 must not get the 民办
fee schedule.

pypinyin is imported, and the pinyin side of the index built, on first use or when `FaqMatcher.prepare`
is called: its import alone takes about 0.2 s and 45 MB (its phrase dictionary, about 190,000 objects
the garbage collector would otherwise scan at every full collection), and the bot should not wait for it
to start. `python -m bot run` prepares it in the background right after start-up (bot/runtime.py).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import ahocorasick_rs
import numpy as np

from bot.chinese import CHINESE, simplified, window
from bot.content.faq import SECTORS, EnglishWords, MatchingWords
from bot.parsing import NUMERALS
from bot.segmentation import common_word, jieba, word_bounds

RS, RS_BYTE = "\x1e", 0x1E  # the record separator, between texts normalised together: a control character
WORD_OR_RS = re.compile(r"[\w\x1e]")
SEP = "|"  # joins expansions and wordings; no feature spans it
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# a numeral before a month, day or age (see _in_digits); it starts with one character of a set, which the
# regular expression engine looks for three times faster than the alternation 十[一二]|[一…十]
COUNTED = re.compile(r"[一二两三四五六七八九十][一二]?(?=个?(?:月|周岁|岁|号|日))")
LATIN_RUN = re.compile(r"[A-Za-z](?:[A-Za-z' -]*[A-Za-z])?")  # English words, spaces between them
MAX_QUERY = 200  # characters of a question the matcher reads (`window`)
# Chosen on the tuning half of tests/data/faq_blind.yaml with `python -m benchmarks.faq --tune` (round 3,
# after the helpers' parent wordings: 25-48 per entry; the agreement rule in round 6; chosen again in
# rounds 7 and 8, after five and four new entries). An earlier round wrote some alternates and synonyms
# from that half's misses, and the new entries answer topics its unanswered questions asked about, so it
# flatters a little; the held-out half was looked at for one rule of the search only (an answer must lead its
# runner-up: see `search_thresholds`).
CONFIDENT = 0.26
MARGIN = 0.02
LIKELY = 0.14  # best score for answering with `likely` (the others offered below) …
LIKELY_MARGIN = 0.04  # … when it is this far ahead of the runner-up
UNSURE = 0.12
# The agreement rule: an answer is confident too when the best entry scores at least AGREED, leads by
# MARGIN, and owns at least the AGREEMENT share of the NEIGHBOURS single wordings nearest the question
# (parents' questions share few characters with any one wording, so scores stay low even when every
# close wording is the same entry's). 10 neighbours scored the tuning half above 5, 15 and 20 (rounds 6
# to 8). 0.22 and 6 of 10 in round 20, chosen with the clear-lead rule; 0.20 since round 25.
AGREED = 0.2
AGREEMENT = 0.6
NEIGHBOURS = 10
# The clear-lead rule (round 20): an answer is confident too when the best entry scores at least CLEAR
# and at least CLEAR_RATIO times its runner-up. A relative lead: a short question shares few characters
# with any wording and scores low, and 0.08 ahead means more at 0.20 than at 0.40. 0.2 and 1.6 in round
# 20; 0.16 and 1.7 since round 25 (docs/faq-matching.md).
CLEAR = 0.16
CLEAR_RATIO = 1.7
COMMON = 0.5  # features in more than this share of documents carry almost no information: skipped
COMPULSORY = frozenset({"小学", "初中"})
HIGHER = "大学"  # higher education: a level no district school is (matching.yaml)
# levels named only as typed: the sound-alikes of 大学's words are everyday words (大雪, 高效, 本课)
AS_TYPED = frozenset({HIGHER})
_SHIFT = 21  # code points fit in 21 bits: a bigram is (a << 21) | b
_LOW = (1 << _SHIFT) - 1
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
    # the entries of the single wordings nearest the question (`NEIGHBOURS` of them, nearest first, one
    # per wording: an entry appears as often as it owns one of them), as `Thresholds.decide` reads them
    neighbours: tuple[str, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


class Normalizer:
    def __init__(self, words: MatchingWords, english: EnglishWords | None = None) -> None:
        """`english`: the English words a Chinese question may hold (孩子有autism), read as their Chinese
        words (content/faq/english.yaml)."""
        self.english = english
        self.simplified = simplified
        # the words are looked for in normalised text, where 两岁班 reads 2岁班 (`_in_digits`)
        self.fillers = _Words.of([_in_digits(w) for w in words.fillers])
        variants = {_in_digits(v): _in_digits(c) for c, vs in words.synonyms.items() for v in vs}
        self.synonyms = variants
        self.synonym_finder = _Words.of(variants)
        self.canonicals = list(dict.fromkeys(variants.values()))
        number = {c: i for i, c in enumerate(self.canonicals)}
        words_found = self.synonym_finder.words if self.synonym_finder is not None else []
        self.canonical_of = np.array([number[variants[w]] for w in words_found], dtype=np.int64)
        self.level_words: dict[str, str | None] = {
            _in_digits(word): level for level, ws in words.levels.items() for word in ws
        } | {_in_digits(word): None for word in words.not_levels}  # found as the longest word at a place
        self.level_finder = _Words.of(self.level_words)
        self.sector_words = {_in_digits(word): sector for sector, ws in words.sectors.items() for word in ws}
        self.sector_finder = _Words.of(self.sector_words)
        self._indexed: tuple[list[str], list[str]] | None = None  # see `indexed`

    def __call__(self, text: str) -> str:
        """Normalised text (of a long question, its `window`); the canonical words of any synonyms found
        are appended after a separator (expanding rather than replacing, so a variant never merges with
        its neighbours)."""
        return self.many([window(text, MAX_QUERY)])[0]

    def many(self, texts: Sequence[str]) -> list[str]:
        """`[self(text) for text in texts]`, each step done once over all the texts joined by a record
        separator (which normalising removes from each text): an index of 10,000 entries normalises
        hundreds of thousands of wordings, and per text the steps' own overhead took most of the time.
        Punctuation goes first: what is left is mostly in NFKC form already, which `normalize` then only
        checks instead of rebuilding the whole text (it goes again after NFKC, which can make some)."""
        if not texts:
            return []
        joined = RS.join(texts)
        if joined.count(RS) != len(texts) - 1:  # some text holds one of its own
            joined = RS.join([t.replace(RS, " ") for t in texts])
        joined = PLACEHOLDER.sub("", joined)  # {hotline} in an answer is no word of it
        if self.english is not None:
            joined = _in_chinese(joined, self.english)
        joined = _words_only(joined)
        if not unicodedata.is_normalized("NFKC", joined):
            joined = _words_only(unicodedata.normalize("NFKC", joined))
        joined = _in_digits(self.simplified(joined.lower()).replace("_", ""))
        # the rest works on the UTF-8 bytes, where the automata report byte offsets and numpy finds the
        # texts and drops fillers without a Python step per word found
        data = np.frombuffer(joined.encode(), dtype=np.uint8)
        found = self._synonyms_in(data)
        if self.fillers is not None:
            data = self.fillers.removed(data)
        out = data.tobytes().decode().split(RS)
        if found is not None:
            words = self.canonicals
            # a word is looked for in the text as it was (a canonical word may hold another)
            before = out.copy()
            for text, canonical in zip(*found, strict=True):
                if (word := words[canonical]) not in (was := before[text]) and was:
                    out[text] += SEP + word
        return out

    def _synonyms_in(self, data: np.ndarray) -> tuple[list[int], list[int]] | None:
        """For each text of `data` (UTF-8, the texts separated by RS) that holds synonyms, the numbers
        of their canonical words, each once, in the order first found: (text, canonical) in two lists."""
        if self.synonym_finder is None:
            return None
        which, starts, _ = self.synonym_finder.spans(data)
        if not len(which):
            return None
        text = np.searchsorted(np.flatnonzero(data == RS_BYTE), starts)
        canonical = self.canonical_of[which]
        _, first = np.unique(text * len(self.canonicals) + canonical, return_index=True)
        first.sort()
        return text[first].tolist(), canonical[first].tolist()

    def indexed(self, texts: list[str]) -> list[str]:
        """`self.many(texts)` for an index's texts, those the previous index built with this normaliser
        held taken from there: a rebuild (/reload, a curator's new wording) normalises only what is new.
        A first index normalises its few repeated texts again, which costs less than finding them (a
        dictionary of 400,000 texts at 10,000 entries). The latest index's texts are kept, no more."""
        if self._indexed is None:
            out = self.many(texts)
        else:
            last = dict(zip(*self._indexed, strict=True))
            new = list(dict.fromkeys(t for t in texts if t not in last))
            done = dict(zip(new, self.many(new), strict=True))
            out = [done[t] if t in done else last[t] for t in texts]
        self._indexed = (texts, out)
        return out

    @functools.cached_property
    def level_sounds(self) -> dict[str, str]:
        """The sounds of the level words of two characters or more (pypinyin is needed: first use)."""
        return {word: _sounds(word) for word, level in self.level_words.items()
                if len(word) > 1 and level is not None and level not in AS_TYPED}  # fmt: skip

    @functools.cached_property
    def synonym_sounds(self) -> dict[str, str]:
        """The sounds of the synonyms' canonical words of two Chinese characters or more, and of their
        variants of three or more: the two-character variants are everyday speech (摇上, 补报, 哪天),
        whose sound-alikes are everyday phrases too (要上小学, 不报, 在哪填), no typos. Checked on the
        content's own wordings: 6 of 4,228 get a word added, all typos the content spells on purpose
        (居主证, 终考)."""
        canonical = dict.fromkeys(self.synonyms.values())
        words = [*canonical, *(v for v in self.synonyms if len(v) > 2)]
        return {word: _sounds(word) for word in words if len(word) > 1 and CHINESE.fullmatch(word)}

    def levels(self, normalized: str) -> frozenset[str]:
        """The school levels a (normalised) question names: 中职要考试吗 → {中职}; also when typed as a
        homophone that keeps one of the word's characters in its place (中直 is zhong zhi too), for level
        words of two characters or more, and overlaps no level word as typed. A sound alone names nothing:
        搞重点班 is gao zhong dian ban, and asks about no 高中; 种植 is no 中职."""
        if self.level_finder is None:
            return frozenset()
        found = self.level_finder.find(normalized)
        typed = [(at, at + len(word)) for at, word in found]
        # a sound-alike overlapping a level word as typed is none: 初中志愿 holds zhong zhi, no 中职
        heard = [(at, word) for at, word in _homophones(normalized, self.level_sounds)
                 if not any(at < end and start < at + len(word) for start, end in typed)]  # fmt: skip
        return frozenset(level for _, word in found + heard if (level := self.level_words[word]) is not None)

    def sectors(self, normalized: str) -> frozenset[str]:
        """The sectors a (normalised) question names: 公办小学收费吗 → {公办}."""
        if self.sector_finder is None:
            return frozenset()
        return frozenset(self.sector_words[word] for _, word in self.sector_finder.find(normalized))

    def heard(self, normalized: str) -> list[str]:
        """The canonical words of synonyms that a (normalised) question types as homophones, as phone
        keyboards do (社宝 for 社保, 小生初 for 小升初, 几分入学 for 积分入学), and does not hold already.
        A place counts when it keeps one of the word's characters in place; is no word of the list itself
        (托班 is not 拖班 mistyped); overlaps no word of the list the question holds (学籍号 holds 籍号,
        which is no 几号); covers whole words as the dictionary cuts the question (成绩分 holds no 积分);
        and is no everyday word (加几分 asks for points, not 积分). Longer words first, then the leftmost;
        none overlapping."""
        text = normalized.split(SEP, 1)[0]
        candidates = sorted((-len(word), at, word) for at, word in _homophones(text, self.synonym_sounds))
        if not candidates:
            return []
        finder = self.synonym_finder
        taken = [(at, at + len(word)) for at, word in finder.find(text)] if finder is not None else []
        starts, ends = word_bounds(text)
        found: dict[str, None] = {}
        for _, at, word in candidates:
            end = at + len(word)
            typed = text[at:end]
            if (typed in self.synonym_sounds or any(at < e and s < end for s, e in taken)
                    or at not in starts or end not in ends or common_word(typed)):  # fmt: skip
                continue
            taken.append((at, end))
            if (canonical := self.synonyms.get(word, word)) not in normalized:
                found[canonical] = None
        return list(found)


def _words_only(text: str) -> str:
    """The text without what is no letter, digit or _ (punctuation, spaces, emoji), its RS kept: as
    `re.sub(r"[^\\w\\x1e]+", "", text)` does, by a table of the characters it holds (a regular expression
    took three times as long over 10,000 entries' wordings)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return codes[_per_character(codes, _word_character, bool)].tobytes().decode("utf-32-le")


@functools.cache
def _word_character(code: int) -> bool:
    return WORD_OR_RS.fullmatch(chr(code)) is not None


def _in_digits(text: str) -> str:
    """Months, days and ages in digits, as parents mostly type them: 九月份出生 → 9月份出生, 满六周岁 → 满6周岁,
    差三个月 → 差3个月 (not 六年级 or 一贯制)."""
    return COUNTED.sub(_digits, text)


def _digits(numeral: re.Match[str]) -> str:
    """十一 → 11, 九 → 9; of two numerals that make no number (三一月), only the second counts: 三1月."""
    found = numeral.group()
    return NUMERALS.get(found) or found[0] + NUMERALS[found[1]]


def _in_chinese(joined: str, english: EnglishWords) -> str:
    """The English words of lines that are Chinese questions (孩子有autism能随班就读吗, 小升初middle
    school怎么选) replaced by their Chinese words where english.yaml knows them; English elsewhere is left
    alone (a question all in English is translated before it gets here, and `test` alone must not
    become 考试)."""

    known: dict[str, str] = {}  # an index's wordings repeat their English words

    def chinese(run: re.Match[str]) -> str:
        start, end = joined.rfind(RS, 0, run.start()) + 1, joined.find(RS, run.end())
        if not CHINESE.search(joined, start, end if end >= 0 else len(joined)):
            return run.group()
        if (words := known.get(run.group())) is None:
            words = known[run.group()] = english.in_chinese(run.group()) or run.group()
        return words

    return LATIN_RUN.sub(chinese, joined)


def _homophones(text: str, sounds_of: Mapping[str, str]) -> list[tuple[int, str]]:
    """(where, word) for each place where `text` sounds like a word of `sounds_of` (word → its sounds)
    but is not that word, keeping at least one of its characters in place."""
    sounds, found = _sounds(text), []
    for word, heard in sounds_of.items():
        at = -1
        while (at := sounds.find(heard, at + 1)) >= 0:
            typed = text[at : at + len(word)]  # the word itself: found, or inside a longer one
            if typed != word and any(a == b for a, b in zip(typed, word, strict=True)):
                found.append((at, word))
    return found


def _sounds(text: str) -> str:
    """The text's toneless syllables, one character each (a syllable's number as a code point)."""
    return "".join(chr(0x10000 + _syllable_of(ord(c))) for c in text)


class _Words:
    """Finds given words in a text as a regular expression's alternation would (leftmost first, the
    longest at a place), with an Aho-Corasick automaton (ahocorasick-rs): one pass over the text however
    many words. Normalising 10,000 entries' wordings spent most of its time in the alternation, even
    built as a trie, and then in pyahocorasick's Python tuple per hit over a text of code points."""

    def __init__(self, words: Sequence[str] | Mapping[str, object]) -> None:
        self.words = list(dict.fromkeys(word for word in words if word))
        longest = ahocorasick_rs.MatchKind.LeftmostLongest
        self.automaton = ahocorasick_rs.AhoCorasick(self.words, matchkind=longest)
        encoded = [w.encode() for w in self.words]
        self.in_bytes = ahocorasick_rs.BytesAhoCorasick(encoded, matchkind=longest)

    @classmethod
    def of(cls, words: Sequence[str] | Mapping[str, object]) -> _Words | None:
        return cls(words) if any(words) else None

    def find(self, text: str) -> list[tuple[int, str]]:
        """(where it starts, the word) for each word found, in order, none overlapping."""
        words = self.words
        return [(start, words[i]) for i, start, _ in self.automaton.find_matches_as_indexes(text)]

    def spans(self, data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`find` over UTF-8 text (a word's bytes match only whole characters of it): each word found's
        number in `words`, where it starts and where it ends, in bytes."""
        found = self.in_bytes.find_matches_as_indexes(data.data)
        # np.array(found) takes twice as long
        flat = np.fromiter(itertools.chain.from_iterable(found), np.int64, 3 * len(found))
        return tuple(flat.reshape(-1, 3).T)  # type: ignore[return-value]

    def removed(self, data: np.ndarray) -> np.ndarray:
        """UTF-8 text without the words found in it."""
        _, starts, ends = self.spans(data)
        if not len(starts):
            return data
        lengths = ends - starts
        keep = np.ones(len(data), dtype=bool)
        keep[np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())] = False
        return data[keep]


# -- features: integers computed over arrays of code points ------------------------------------------------


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of all texts, end to end with a 0 after each, and the text each belongs to."""
    codes = np.frombuffer(("\0".join(texts) + "\0").encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    ends = np.flatnonzero(codes == _END)
    # each text's code points and the 0 closing it (a cumulative sum over the whole mask took 8 times as long)
    return codes, np.repeat(np.arange(len(ends), dtype=np.int32), np.diff(ends, prepend=-1))


@dataclass(frozen=True)
class _Grams:
    """Symbols position by position (code points, or syllables) and the features made of them: each
    symbol alone (with `singles`) and each pair of neighbours within a text (Chinese has no spaces:
    pairs stand in for words)."""

    symbols: np.ndarray  # int64, below 1 << _SHIFT
    letter: np.ndarray  # per position, whether it holds a text's symbol (not its end or a separator)
    doc: np.ndarray
    singles: bool

    @functools.cached_property
    def pair(self) -> np.ndarray:
        """Per position but the last, whether it and the next hold symbols of the same text."""
        return self.letter[:-1] & self.letter[1:]

    def features(self) -> tuple[np.ndarray, np.ndarray]:
        """Each feature as one integer (a symbol; a pair a, b as (a << 21) | b), and its document."""
        pair = self.pair
        pairs = (self.symbols[:-1][pair] << _SHIFT) | self.symbols[1:][pair]
        if not self.singles:
            return pairs, self.doc[:-1][pair]
        return (np.concatenate([self.symbols[self.letter], pairs]),
                np.concatenate([self.doc[self.letter], self.doc[:-1][pair]]))  # fmt: skip

    def numbered(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """What `features` gives, as the distinct features (sorted), each feature's number among them
        (16 bits) and its document, without making the 64-bit features: the symbols are ranked once
        through a table as long as the largest, a pair is its two ranks, numbered through a table of all
        pairs of ranks. None when there are more than 65,536 distinct features or that table would be
        too large."""
        if not len(self.symbols):
            return None
        values, rank = _ranked(self.symbols)
        width = len(values) + 1  # rank 0 stands for no first symbol: a single
        if width * width > 1 << 26:
            return None
        rank += 1
        pair = self.pair
        combos = rank[:-1][pair]
        combos *= width
        combos += rank[1:][pair]
        doc = self.doc[:-1][pair]
        if self.singles:
            combos, doc = (
                np.concatenate([rank[self.letter], combos]),
                np.concatenate([self.doc[self.letter], doc]),
            )
        seen = np.zeros(width * width, dtype=bool)
        seen[combos] = True
        distinct = np.flatnonzero(seen)
        if len(distinct) > 1 << 16:
            return None
        number = np.zeros(len(seen), dtype=np.uint16)
        number[distinct] = np.arange(len(distinct))
        symbol = np.concatenate([[0], values]).astype(np.int64)  # by rank
        return (symbol[distinct // width] << _SHIFT) | symbol[distinct % width], number[combos], doc


def _letters(codes: np.ndarray) -> np.ndarray:
    """Per code point, whether it is a text's own (not the 0 closing a text, nor a separator)."""
    return (codes != _END) & (codes != _SEP)


def char_grams(codes: np.ndarray, doc: np.ndarray) -> _Grams:
    """Characters and character pairs."""
    return _Grams(codes, _letters(codes), doc, singles=True)


def pinyin_grams(codes: np.ndarray, doc: np.ndarray) -> _Grams:
    """Pairs of toneless syllables: 几分 and 积分 are both ji fen."""
    syllables = _per_character(codes, _syllable_of, np.int64)
    return _Grams(syllables, _letters(codes), doc, singles=False)


def _per_character(codes: np.ndarray, of: Callable[[int], object], dtype: type) -> np.ndarray:
    """`of(code)` for each code point of `codes` (`of` is called once per distinct one in a long text)."""
    if len(codes) > 1 << 16:  # a table indexed by code point: no sort of the whole text
        distinct = np.flatnonzero(np.bincount(codes))
        table: np.ndarray = np.zeros(int(distinct[-1]) + 1, dtype=dtype)
        table[distinct] = [of(c) for c in distinct.tolist()]
        return table[codes]
    # a query: a few characters, `of` called for each (it keeps its answers), which costs less than a
    # table as long as the largest code point, or than finding the distinct ones
    return np.array([of(c) for c in codes.tolist()], dtype=dtype)


_SYLLABLES: dict[str, int] = {}
_SYLLABLE_OF: dict[int, int] = {}
_NUMBERING = threading.Lock()  # /reload builds an index in a thread while searches go on


def _number(table: dict[str, int], key: str) -> int:
    """`key`'s number in `table`, the next free one if it has none yet (two threads never get the same)."""
    if (known := table.get(key)) is not None:
        return known
    with _NUMBERING:
        return table.setdefault(key, len(table) + 1)


def _syllable_of(code: int) -> int:
    """A number per toneless syllable (几 and 积 share one), cached per character. Characters without a
    reading stand for themselves."""
    if (known := _SYLLABLE_OF.get(code)) is not None:
        return known
    from pypinyin import Style, lazy_pinyin  # see the module's docstring

    char = chr(code)
    syllable = lazy_pinyin(char, style=Style.NORMAL, errors="default")[0] if code > 0x2E80 else char
    number = _number(_SYLLABLES, syllable)
    _SYLLABLE_OF[code] = number
    return number


def _starts_of_runs(values: np.ndarray) -> np.ndarray:
    """Where each run of equal neighbours starts, as a mask."""
    first = np.empty(len(values), dtype=bool)
    first[:1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def _run_lengths(first: np.ndarray, total: int) -> np.ndarray:
    """How long each run goes (`first`: where each starts), in 32 bits (np.diff: two more copies)."""
    at = np.flatnonzero(first)
    counts = np.empty(len(at), dtype=np.int32)
    np.subtract(at[1:], at[:-1], out=counts[:-1], casting="unsafe")
    counts[-1:] = total - at[-1:]
    return counts


def _ranked(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct `values` (not negative; a table as long as the largest is made), sorted, and each
    value's rank among them (32-bit)."""
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    rank = np.cumsum(present, dtype=np.int32)
    rank -= 1
    return np.flatnonzero(present), rank[values]


@dataclass(frozen=True)
class _Pairs:
    """A space's (feature, document) pairs, each once, sorted by feature then document, with how often
    each occurs."""

    keys: np.ndarray  # the distinct features, sorted
    feats: np.ndarray  # per pair, its feature's position in `keys`
    docs: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, grams: _Grams, size: int) -> _Pairs:
        """The pairs of `grams`'s features and documents (each feature's documents rising, as the
        features are made)."""
        if (numbered := grams.numbered()) is not None:
            keys, ids, doc = numbered
            # numpy sorts 16-bit numbers stably by radix, in linear time, and keeps each feature's
            # documents in their order: at 10,000 entries this sort takes about a quarter of the time a
            # sort of the 64-bit pairs took, and the numbering about as much again
            order = np.argsort(ids, kind="stable")
            ids = ids[order]
            docs = doc[order]
            del order
            first = _starts_of_runs(ids)
            if not (docs[1:] < docs[:-1])[~first[1:]].any():  # documents rise within each feature
                first |= _starts_of_runs(docs)
                counts = _run_lengths(first, len(ids))
                return cls(keys, ids[first].astype(np.int32), docs[first].astype(np.int32), counts)
        features, doc = grams.features()
        # (feature, document) as one integer, sorted once: the postings come out grouped by feature, and
        # the features' own order gives their dense numbers
        shift = max(size, 1).bit_length()
        if len(features) and int(features.max()).bit_length() + shift <= 63:
            # At 10,000 entries these arrays are the index's largest (about 100 MB each): np.unique would
            # sort a copy and keep several more alive at once, so the steps are spelled out, in place
            # where they can be, each array dropped when done with and 32-bit where that is enough.
            packed = features << shift
            packed |= doc
            packed.sort()
            first = _starts_of_runs(packed)
            counts = _run_lengths(first, len(packed))
            packed = packed[first]  # each (feature, document) once
            docs = (packed & ((1 << shift) - 1)).astype(np.int32)
            packed >>= shift  # now each pair's feature
            first = _starts_of_runs(packed)
            feats = np.cumsum(first, dtype=np.int32) - 1
            return cls(packed[first], feats, docs, counts)
        keys, dense = np.unique(features, return_inverse=True)
        return cls.counted(keys, dense.reshape(-1), doc, size)

    @classmethod
    def counted(cls, keys: np.ndarray, numbers: np.ndarray, doc: np.ndarray, size: int,
                weights: np.ndarray | None = None) -> _Pairs:  # fmt: skip
        """The pairs of each feature's number (its place in `keys`) and its document, each once and sorted,
        with how often each occurs (or the sum of their `weights`)."""
        size = max(size, 1)
        pairs, which = np.unique(numbers.astype(np.int64) * size + doc, return_inverse=True)
        counts = np.bincount(which.reshape(-1), weights, len(pairs)).astype(np.int64)
        return cls(keys, pairs // size, pairs % size, counts)

    def sounded(self, size: int) -> _Pairs:
        """The pairs of the same documents' pinyin (what `_Pairs.of(pinyin_grams(…))` gives for their texts):
        each character pair a, b read as the syllables of a and b, the counts of pairs that sound alike in a
        document added up, the single characters dropped. Made from the distinct (pair, document) pairs,
        not from every position of the texts again: at 10,000 entries a quarter of the time."""
        start = int(np.searchsorted(self.keys, 1 << _SHIFT))  # the pairs' keys follow the characters'
        at = int(np.searchsorted(self.feats, start))  # and so do their postings
        pairs = self.keys[start:]
        syllables = _per_character(np.concatenate([pairs >> _SHIFT, pairs & _LOW]), _syllable_of, np.int64)
        sounds, number = np.unique((syllables[: len(pairs)] << _SHIFT) | syllables[len(pairs) :],
                                   return_inverse=True)  # fmt: skip
        return _Pairs.counted(sounds, number[self.feats[at:] - start], self.docs[at:], size, self.counts[at:])

    def grouped(self, group_of: np.ndarray) -> _Pairs:
        """The same pairs counted per group of documents. `group_of` (document → group) never decreases,
        so the order holds: no sort, only neighbours added up."""
        groups = group_of[self.docs]
        at = np.flatnonzero(_starts_of_runs(self.feats) | _starts_of_runs(groups))
        counts = np.add.reduceat(self.counts, at) if len(at) else self.counts[:0]
        return _Pairs(self.keys, self.feats[at], groups[at], counts)


class _Space:
    """A TF-IDF vector space over one kind of feature, as an inverted index of numpy arrays (postings
    sorted by feature): a query costs one vectorised add per query feature, however many documents
    share it."""

    def __init__(self, pairs: _Pairs, size: int, common: float = COMMON) -> None:
        """`common`: features in more than this share of the documents are skipped (not stored)."""
        self.size = size
        self.keys, feats, docs, counts = pairs.keys, pairs.feats, pairs.docs, pairs.counts
        # the postings are sorted by feature: a feature's documents are where its run starts and ends (a
        # bincount copies all the features to 64 bits first)
        df = np.diff(np.searchsorted(feats, np.arange(len(self.keys) + 1)))
        self.idf = np.where(df <= max(20, common * size), np.log((1 + size) / (1 + df)) + 1, 0.0)
        # in 32 bits, as they are kept; 1 + log(count) looked up: counts are small, and a log per posting
        # took a third of the time
        weights = (1 + np.log(np.arange(1, int(counts.max(initial=1)) + 1, dtype=np.float32)))[counts - 1]
        weights *= self.idf.astype(np.float32)[feats]
        norms = np.zeros(size, dtype=np.float32)
        np.add.at(norms, docs, weights * weights)  # bincount would copy both arrays to 64 bits
        np.sqrt(norms, out=norms)
        weights /= np.where(norms > 0, norms, 1.0)[docs]
        kept = weights > 0  # a skipped feature's postings are never read
        self.docs = docs[kept].astype(np.int32, copy=False)
        self.weights = weights[kept]
        self.starts = np.concatenate([[0], np.cumsum(np.where(self.idf > 0, df, 0))])

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
            # ufunc.at (fast since numpy 1.25): half the time of into[docs] += … at 10,000 entries
            np.add.at(into, self.docs[lo:hi], qw * self.weights[lo:hi])


@dataclass(frozen=True)
class Weights:
    """How the three views of an entry and the two kinds of feature are blended (chosen by evaluation:
    `python -m benchmarks.faq --tune`)."""

    wording: float = 0.1  # the best single wording (question, an alternate or a keyword)
    profile: float = 0.5  # all wordings of the entry together
    answer: float = 0.4  # the answer text
    pinyin: float = 0.2  # share of pinyin (vs character) similarity in each view
    # the single wordings' view skips features in more than this share of them (see COMMON): 0.2 scored
    # the tuning half as 0.5 did, and a search at 10,000 entries reads a fifth fewer postings
    wording_common: float = 0.2
    # a question naming no school level is about compulsory education (入学, 上学, 报名 …) unless its
    # words say otherwise: entries only for 幼儿园, 高中 or 中职 are scaled by this
    unnamed_level: float = 0.8


class _View:
    """One view of the entries: one or more documents per entry (grouped by entry, in entry order),
    each a vector in two spaces (the pinyin one built by `prepare`)."""

    def __init__(self, size: int, starts: np.ndarray, chars: _Pairs, use_pinyin: bool,
                 common: float = COMMON) -> None:  # fmt: skip
        self.common = common  # see _Space
        self.size = size
        self.starts = starts
        self.ends = np.append(starts[1:], size)  # per entry, where its documents end
        # the (character feature, document) pairs, kept until `prepare` has made the pinyin ones from them
        self._chars: _Pairs | None = chars
        self.chars = _Space(chars, size, common)
        self.use_pinyin = use_pinyin
        self.pinyin: _Space | None = None

    @classmethod
    def of(cls, docs: list[list[str]], use_pinyin: bool, common: float = COMMON) -> _View:
        texts = [text for entry_docs in docs for text in entry_docs]
        starts = np.cumsum([0] + [len(entry_docs) for entry_docs in docs[:-1]])
        return cls(len(texts), starts, _Pairs.of(char_grams(*_codes(texts)), len(texts)), use_pinyin, common)

    def merged(self, use_pinyin: bool, common: float = COMMON) -> _View:
        """A view with one document per entry: all of this view's documents of the entry together. Its
        features are this view's, counted per entry (no pair spans two documents either way): made from
        this view's (feature, document) pairs, neither read nor sorted again (before `prepare`)."""
        assert self._chars is not None, "merged before prepare"
        entry_of = np.repeat(np.arange(len(self.starts), dtype=np.int32), self.ends - self.starts)
        return _View(len(self.starts), np.arange(len(self.starts)), self._chars.grouped(entry_of), use_pinyin,
                     common)  # fmt: skip

    def prepare(self) -> None:
        if self.use_pinyin and self.pinyin is None and self._chars is not None:
            self.pinyin = _Space(self._chars.sounded(self.size), self.size, self.common)
        self._chars = None

    def nbytes(self) -> int:
        return sum(s.nbytes() for s in (self.chars, self.pinyin) if s is not None)

    def scores(self, query: _Query, weights: Weights) -> np.ndarray:
        """Per document, its similarity to the query."""
        scores = np.zeros(self.chars.size, dtype=np.float32)
        if self.pinyin is None:  # a view of characters only
            self.chars.scores(query.chars, 1.0, scores)
        else:
            self.chars.scores(query.chars, 1 - weights.pinyin, scores)
            self.pinyin.scores(query.pinyin, weights.pinyin, scores)
        return scores

    def best(self, scores: np.ndarray) -> np.ndarray:
        """Per entry, the similarity of its best document (`scores`: per document)."""
        return np.maximum.reduceat(scores, self.starts) if len(self.starts) else scores

    def nearest(self, scores: np.ndarray, best: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
        """The entries (positions) of the `k` documents nearest the query (`scores`, per document; `best`,
        per entry), among the `allowed` entries', nearest first, one per document. They all belong to the
        `k` entries whose best documents are nearest: only those entries' documents are looked at."""
        best = np.where(allowed, best, 0)
        entries = np.argpartition(-best, k)[:k] if len(best) > k else np.arange(len(best))
        entries = entries[best[entries] > 0]
        firsts, lengths = self.starts[entries], self.ends[entries] - self.starts[entries]
        # each entry's documents, end to end: firsts[i], firsts[i] + 1, … for lengths[i] of them
        docs = np.repeat(firsts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        near = np.argsort(-scores[docs], kind="stable")[:k]
        near = near[scores[docs[near]] > 0]
        return np.repeat(entries, lengths)[near]


@dataclass(frozen=True)
class _Query:
    chars: np.ndarray
    pinyin: np.ndarray


@dataclass(frozen=True)
class Thresholds:
    """Where the outcomes start (chosen by evaluation: `python -m benchmarks.faq --tune`)."""

    confident: float = CONFIDENT
    margin: float = MARGIN
    agreed: float = AGREED
    agreement: float = AGREEMENT
    likely: float = LIKELY
    likely_margin: float = LIKELY_MARGIN
    unsure: float = UNSURE
    clear: float = CLEAR
    clear_ratio: float = CLEAR_RATIO

    def decide(self, matches: Sequence[Match], neighbours: Sequence[str] = ()) -> Outcome:
        """`neighbours`: the entries of the single wordings nearest the question (`Result.neighbours`)."""
        if not matches or matches[0].score < self.unsure:
            return Outcome.none
        best, runner_up = matches[0].score, (matches[1].score if len(matches) > 1 else 0.0)
        if self.sure(matches, neighbours):
            return Outcome.confident
        if best >= self.clear and best / self.clear_ratio >= runner_up:
            return Outcome.confident
        if best >= self.likely and best - runner_up >= self.likely_margin:
            return Outcome.likely
        return Outcome.unsure

    def sure(self, matches: Sequence[Match], neighbours: Sequence[str] = ()) -> bool:
        """Confident by the score or the agreement rule, not by the clear lead alone (which a message with
        none of the bureau's words does not get: services/enquiry.py)."""
        if not matches:
            return False
        best = matches[0].score
        lead = best - (matches[1].score if len(matches) > 1 else 0.0)
        if best >= self.confident and lead >= self.margin:
            return True
        return best >= self.agreed and lead >= self.margin and self.agrees(matches[0].entry_id, neighbours)

    def agrees(self, entry_id: str, neighbours: Sequence[str]) -> bool:
        """Whether `entry_id` owns at least the `agreement` share of the question's nearest wordings."""
        return share_of(entry_id, neighbours) >= self.agreement - 1e-9


def share_of(entry_id: str, neighbours: Sequence[str]) -> float:
    """The share of a question's `NEIGHBOURS` nearest wordings (`Result.neighbours`) that `entry_id` owns."""
    return neighbours.count(entry_id) / NEIGHBOURS


class FaqMatcher:
    def __init__(self, entries: dict[str, tuple[list[str], str]], normalizer: Normalizer,
                 weights: Weights | None = None, thresholds: Thresholds | None = None,
                 levels: Mapping[str, frozenset[str]] | None = None,
                 exact: Mapping[str, Sequence[str]] | None = None,
                 sectors: Mapping[str, str | None] | None = None) -> None:  # fmt: skip
        """`entries`: id → (every wording that should find it, its answer text); `levels`: id → the
        school levels the entry is for (empty or absent: any level); `exact`: id → the questions that
        are answered with it whenever asked word for word (its question, alternates and the curators'
        wordings), however close other entries come; `sectors`: id → the only sector (公办, 民办) the
        entry is for (None or absent: either)."""
        self.normalize = normalizer
        self.weights = weights or Weights()
        self.thresholds = thresholds or Thresholds()
        self.ids = list(entries)
        texts = [text for phrases, answer in entries.values() for text in (*phrases, answer)]
        normalized = normalizer.indexed(texts)
        # per entry, its wordings and its answer normalised, read by position (a dictionary of all the
        # texts costs more than normalising them)
        own: list[list[str]] = []
        answers: list[list[str]] = []
        at = 0
        for phrases, _ in entries.values():
            own.append(normalized[at : at + len(phrases)])
            answers.append([normalized[at + len(phrases)]])
            at += len(phrases) + 1
        wordings = [[n for n in mine if n] or [""] for mine in own]
        use_pinyin = self.weights.pinyin > 0
        # the single wordings are compared by their characters only: pinyin there scored the tuning half
        # as it does in the other two views alone, and at 10,000 entries it was a third of the index
        self.wording = wording = _View.of(wordings, False, self.weights.wording_common)
        self.views = [(self.weights.wording, wording),
                      (self.weights.profile, wording.merged(use_pinyin)),  # all wordings of an entry together
                      (self.weights.answer, _View.of(answers, use_pinyin))]  # fmt: skip
        of = levels or {}
        self.levels = {lv for e in self.ids for lv in of.get(e, ())}
        # per level, which entries are for another level only
        self.foreign = {lv: np.array([bool(of.get(e)) and lv not in of[e] for e in self.ids], dtype=bool)
                        for lv in self.levels}  # fmt: skip
        self.beyond = np.array([bool(of.get(e)) and not of[e] & COMPULSORY for e in self.ids], dtype=bool)
        sector_of = sectors or {}
        # per sector a question may name, the entries for the other sector only
        self.other_sector = {named: np.array([sector_of.get(e) not in (None, named) for e in self.ids])
                             for named in SECTORS}  # fmt: skip
        position = {entry_id: i for i, entry_id in enumerate(self.ids)}
        self.exact = self._exact(exact or {}, entries, own, position)  # normalised → position
        self._lock = threading.Lock()
        self._prepared = False

    def _exact(self, exact: Mapping[str, Sequence[str]], entries: dict[str, tuple[list[str], str]],
               own: list[list[str]], position: dict[str, int]) -> dict[str, int]:  # fmt: skip
        """The word-for-word table: each `exact` question normalised → its entry's position, but for those
        two entries share (they identify neither). An entry's questions are mostly its first wordings, in
        order (read by position), else among them (an entry's own small dictionary); the few others are
        normalised here."""
        norms: list[str] = []  # every question normalised, and the position of its entry
        owners: list[int] = []
        missing: list[tuple[int, str]] = []  # (where in `norms`, the question) for those no wording is
        for entry_id, questions in exact.items():
            at, phrases = position[entry_id], entries[entry_id][0]
            mine = own[at]  # `phrases` normalised
            if list(questions) == phrases[: len(questions)]:
                norms += mine[: len(questions)]
            else:
                local = dict(zip(phrases, mine, strict=True))
                missing += [(len(norms) + i, q) for i, q in enumerate(questions) if q not in local]
                norms += [local.get(q, "") for q in questions]
            owners += [at] * len(questions)
        for (i, _), norm in zip(missing, self.normalize.many([q for _, q in missing]), strict=True):
            norms[i] = norm
        owner = dict(zip(norms, owners, strict=True))  # the last entry that has it
        for norm in {n for n, at in zip(norms, owners, strict=True) if owner[n] != at}:  # two entries have it
            del owner[norm]
        owner.pop("", None)
        return owner

    def prepare(self) -> None:
        """Build the pinyin side of the index (importing pypinyin the first time) and load what the
        homophone checks need (`Normalizer.heard`: the words' sounds, jieba's dictionary). The first
        search does it if nobody did before; safe to call from another thread."""
        with self._lock:
            for _, view in self.views:
                view.prepare()
            _ = self.normalize.level_sounds, self.normalize.synonym_sounds
            jieba()
            self._prepared = True

    def nbytes(self) -> int:
        """The index's arrays, in bytes (the wordings themselves not counted)."""
        return sum(view.nbytes() for _, view in self.views)

    def search(self, text: str, limit: int = 3, level: str | None = None) -> Result:
        """`level`: a school level the question is asked of, as if it named it (the conversation's: see
        services/enquiry.py), when it names none itself."""
        if not self._prepared:
            self.prepare()
        norm = self.normalize(text)
        if not norm or not self.ids:
            return Result(Outcome.none, [], norm)
        heard = self.normalize.heard(norm)
        asked = SEP.join([norm, *heard]) if heard else norm
        codes, doc = _codes([asked])
        chars = char_grams(codes, doc).features()[0]
        pinyin = pinyin_grams(codes, doc).features()[0] if self.weights.pinyin > 0 else chars[:0]
        query = _Query(chars, pinyin)
        # the single wordings' view is always scored: it finds the neighbours too, whatever its weight
        wording_scores = self.wording.scores(query, self.weights)
        wording_best = self.wording.best(wording_scores)
        total = self.weights.wording * wording_best
        for weight, view in self.views:
            if weight > 0 and view is not self.wording:
                total += weight * view.best(view.scores(query, self.weights))
        if named := (self.normalize.levels(asked) or frozenset([level] if level else [])) & self.levels:
            # an entry is kept when it is for any level the question names
            total[np.logical_and.reduce([self.foreign[lv] for lv in named])] = 0.0
        elif self.weights.unnamed_level != 1.0:
            total[self.beyond] *= self.weights.unnamed_level
        if len(sector := self.normalize.sectors(asked)) == 1:  # naming both, 公民同招, rules out neither
            total[self.other_sector[next(iter(sector))]] = 0.0
        top = (
            np.argpartition(-total, min(limit, len(total) - 1))[:limit]
            if len(total) > limit
            else np.arange(len(total))
        )
        ranked = sorted(((float(total[i]), self.ids[i]) for i in top), key=lambda item: (-item[0], item[1]))
        matches = [Match(e, round(v, 4)) for v, e in ranked if v > 0]
        near = self.wording.nearest(wording_scores, wording_best, total > 0, NEIGHBOURS)
        neighbours = tuple(self.ids[i] for i in near.tolist())
        known = self.exact.get(norm)
        if known is not None and total[known] > 0:  # asked word for word, and not of another level or sector
            rest = [m for m in matches if m.entry_id != self.ids[known]][: limit - 1]
            return Result(Outcome.confident, [Match(self.ids[known], 1.0), *rest], norm, neighbours)
        return Result(self.decide(matches, neighbours), matches, norm, neighbours)

    def decide(self, matches: Sequence[Match], neighbours: Sequence[str] = ()) -> Outcome:
        return self.thresholds.decide(matches, neighbours)
