"""Chinese typed as pinyin (jifen ruxue, haizi jisui shang xiaoxue, xiǎo xué bào míng, xiao3xue2): read
back into characters, as a phone's input method would, from the words the bot knows (the FAQ's wordings,
the enquiry's everyday words), so that the message is answered as if typed in characters.

A message is read as pinyin only when it holds no Chinese character, every word of it is made of whole
syllables, and the reading is made of words rather than of one character per syllable: English (can he
hang on, I want to die) never is, and a reading the known words cannot make (a syllable sequence nobody
here wrote) is left alone, as the message was before. pypinyin is imported on first use."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.chinese import CHINESE

# Syllables pypinyin knows that are interjections (嗯 n, 呣 m, 哼 hng): an English word ending in n or m
# (on, him) would otherwise be pinyin
INTERJECTIONS = frozenset({"n", "m", "ng", "hm", "hng", "ê"})
LONGEST = 4  # characters at most in a word of the table
SEPARATOR = "'"
# letters at most of a message read as pinyin: 40 syllables and more are a story, not a question typed
# without an input method, and reading 500 letters took 0.15 s
MOST_LETTERS = 240
TONE_DIGIT = re.compile(r"(?<=[a-z])[0-5]")  # xiao3xue2
DIAERESIS = "\u0308"


@dataclass(frozen=True)
class Word:
    characters: str
    count: int  # how often the words it was read from hold it


class PinyinTable:
    """The words (runs of one to LONGEST characters) of some texts by their syllables, each as pypinyin
    reads it in its text (长 in 家长 is zhang), the most frequent word kept for each spelling."""

    def __init__(self, texts: Sequence[str], previous: PinyinTable | None = None, weight: int = 1) -> None:
        """`previous`: a table of mostly the same texts (the FAQ before /reload), whose runs' readings are
        taken rather than asked of pypinyin again (most of the time); `weight`: how much each text counts
        against other tables' (whole messages people send, against fragments of the FAQ's sentences)."""
        from pypinyin import Style, lazy_pinyin

        self.texts = list(texts)
        known = previous.sounds if previous is not None else {}
        self.sounds: dict[str, list[str]] = {}  # each run of characters, its syllables
        counts: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for run in CHINESE.findall(text):
                if (sounds := self.sounds.get(run) or known.get(run)) is None:
                    sounds = [_plain(s) for s in lazy_pinyin(run, style=Style.NORMAL)]
                self.sounds[run] = sounds
                if len(sounds) != len(run):  # not one syllable per character: left out
                    continue
                for size in range(1, min(LONGEST, len(run)) + 1):
                    counts.update((run[i : i + size], SEPARATOR.join(sounds[i : i + size]))
                                  for i in range(len(run) - size + 1))  # fmt: skip
        self.words: dict[str, Word] = {}
        for (characters, spelling), count in counts.items():
            known_word = self.words.get(spelling)
            if known_word is None or count * weight > known_word.count:
                self.words[spelling] = Word(characters, count * weight)

    def get(self, spelling: str) -> Word | None:
        """The word whose syllables are `spelling` (joined by SEPARATOR)."""
        return self.words.get(spelling)


def read(text: str, tables: Callable[[], Sequence[PinyinTable]]) -> str | None:
    """`text` in characters when it is pinyin (see the module's docstring), else None. Words of the
    `tables` (asked for only when the text is whole syllables: they may still be in the making) are
    chosen to make it of as few words as can be, the more frequent of equals; what is not a letter (a
    digit, punctuation) is kept as typed; spaces go."""
    if (spelled := _spelled(text)) is None:
        return None
    pieces, syllables = spelled
    found, known = 0, tuple(tables())
    for at in range(0, len(pieces), 2):
        if not (letters := pieces[at].replace(" ", "")):
            continue
        if (reading := _words(letters, known)) is None:
            return None
        found += len(reading)
        pieces[at] = "".join(word.characters for word in reading)
    # a word per two syllables at most: a reading of single characters is no reading (English that
    # happens to be syllables, or a sequence none of the texts holds)
    if 2 * found > syllables + 1:
        return None
    return re.sub(r"\s+", "", "".join(pieces))


def syllables_only(text: str) -> bool:
    """Whether `text` is whole pinyin syllables, two or more (what `read` reads, if the words it knows spell
    it): a message typed as pinyin that was not read is no English either."""
    return _spelled(text) is not None


def _spelled(text: str) -> tuple[list[str], int] | None:
    """`text` without tone marks or digits, in runs of letters and spaces and what is between them, and how
    many syllables its words are; None when it holds Chinese, more than MOST_LETTERS letters, fewer than two
    syllables, or a word that is not whole syllables."""
    if CHINESE.search(text):
        return None
    plain = TONE_DIGIT.sub("", _toneless(text.lower()))
    pieces = re.split(r"([^a-z ]+)", plain)  # runs of letters and spaces, and what is between them
    words = [word for run in pieces[::2] for word in run.split()]
    if sum(map(len, words)) > MOST_LETTERS:
        return None
    counts = [_syllables(word) for word in words]
    if not words or None in counts or (syllables := sum(filter(None, counts))) < 2:
        return None
    return pieces, syllables


def _words(letters: str, tables: tuple[PinyinTable, ...]) -> list[Word] | None:
    """The fewest words of `tables` that spell `letters` (then the fewest of one character, then the most
    frequent: xiaoxue shenme shihou baoming had been 校 学什么 时候报名, as 校 is in a thousand words), or None."""
    known = _all_syllables()
    # per position of `letters`, the best way there: (words, words of one character, minus their counts,
    # where the last word starts, the last word)
    best: list[tuple[int, int, int, int, Word | None] | None] = [None] * (len(letters) + 1)
    best[0] = (0, 0, 0, 0, None)
    for start in range(len(letters)):
        if (here := best[start]) is None:
            continue
        # every chain of up to LONGEST whole syllables from `start`, as (where it ends, its spelling)
        chains = [(start, "")]
        for _ in range(LONGEST):
            chains = [(end, f"{spelling}{SEPARATOR}{letters[at:end]}" if spelling else letters[at:end])
                      for at, spelling in chains for end in range(at + 1, min(len(letters), at + 6) + 1)
                      if letters[at:end] in known]  # fmt: skip
            for end, spelling in chains:
                found = [w for table in tables if (w := table.get(spelling)) is not None]
                if not found:
                    continue
                word = max(found, key=lambda w: w.count)
                single = len(word.characters) == 1
                option = (here[0] + 1, here[1] + single, here[2] - word.count, start, word)
                if (there := best[end]) is None or option[:3] < there[:3]:
                    best[end] = option
    words, at = [], len(letters)
    while at > 0:
        if (step := best[at]) is None or step[4] is None:
            return None
        words.append(step[4])
        at = step[3]
    return words[::-1]


def _toneless(text: str) -> str:
    """Tone marks taken off (xiǎo → xiao), ü as v (lǘ → lv)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("u:", "v"))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == DIAERESIS)
    return _plain(unicodedata.normalize("NFC", kept))


def _plain(syllable: str) -> str:
    return syllable.replace("ü", "v")


@functools.lru_cache(maxsize=4096)  # words of messages: bounded
def _syllables(word: str) -> int | None:
    """How many syllables `word` (letters) is made of, or None when it is not whole syllables."""
    known = _all_syllables()
    fewest: list[int | None] = [0] + [None] * len(word)
    for end in range(1, len(word) + 1):
        options = [n + 1 for start in range(max(0, end - 6), end)
                   if (n := fewest[start]) is not None and word[start:end] in known]  # fmt: skip
        fewest[end] = min(options, default=None)
    return fewest[-1]


@functools.cache
def _all_syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin has a character for, but interjections."""
    from pypinyin.pinyin_dict import pinyin_dict

    return (
        frozenset(_toneless(p) for readings in pinyin_dict.values() for p in readings.split(","))
        - INTERJECTIONS
    )
