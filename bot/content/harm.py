"""Whether a message may tell of harm to a child in words no law topic names.

content/law/topics.yaml names harm by its words (班主任打我, 继父摸我): a message naming one gets the
warning and the articles. Children tell of harm in words of their own far more often than in those
(我躲在衣柜里不敢出声, 粑粑喝了酒就把我关阳台上): the topics heard under half of the messages of harm
that helpers wrote blind (docs/harm-detection.md). What they miss, a naive Bayes model of Chinese
character pairs, scoring a message by its most harm-like stretch, often hears. It is learned when the
content is loaded, from
content/law/harm_examples.yaml (messages of harm; everyday messages with the same words) and the FAQ's
own wordings (what parents ask, which is never harm), so a curator who adds an example teaches it on the
next /reload. A message it hears gets a line on where to get help above the bot's usual reply: less than
the topics' warning, as it is less sure.

The threshold is chosen by `python -m benchmarks.harm`: the lowest score at which, in five-fold
cross-validation over the examples, at most 1 % of the everyday messages and 0.2 % of the FAQ's wordings
would be heard (tests/services/test_harm.py checks the shipped one is the one chosen); the grams, the
smoothing and the stretch by `--grid`, the setting hearing most at its own threshold."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from bot.chinese import CHINESE, simplified
from bot.content.yamlfile import Report, read_yaml, validate

if TYPE_CHECKING:
    from bot.content.faq import Faq

# Chosen in the cross-validation below (`python -m benchmarks.harm --grid`: pairs, pairs and triples, singles
# and pairs; smoothing 0.02 to 0.5; windows of 12 to 24 characters): character pairs, 0.1 added to every
# count, a stretch of 16 characters hear 565 of the 872 messages of harm at the threshold, where pairs and
# triples with 0.5 over 20 characters (December 6's first choice, with fewer examples) hear 474.
GRAMS = (2,)
SMOOTHING = 0.1
WINDOW = 16
# see the module's docstring (26.8, then 27.0, until the FAQ's wordings of December 7, later)
THRESHOLD = 26.9
# the FAQ's wordings learned from, at most (evenly spread over them): more teach nothing new of what harm is
# not, and at 10,000 entries (426,000 wordings) learning from all took 5 s of every /reload
MAX_WORDINGS = 5000


class HarmExamples(BaseModel):
    """content/law/harm_examples.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    harm: tuple[str, ...] = Field(min_length=20)  # harm, named by the topics' words (asserted by tests)
    unnamed: tuple[str, ...] = ()  # harm in words no topic names (the model learns from it too)
    everyday: tuple[str, ...] = Field(min_length=20)  # no harm, with harm's words


def grams(text: str, sizes: Sequence[int] = GRAMS) -> set[str]:
    """The character grams of `sizes` (pairs) in `text`'s runs of Chinese characters, simplified."""
    runs = CHINESE.findall(simplified(text))
    return {run[i : i + n] for run in runs for n in sizes for i in range(len(run) - n + 1)}


@dataclass(frozen=True)
class HarmModel:
    weights: dict[str, float]  # per gram: log P(gram | harm) − log P(gram | no harm)
    threshold: float = THRESHOLD
    window: int = WINDOW
    sizes: tuple[int, ...] = GRAMS

    @classmethod
    def learned(cls, harm: Iterable[str], other: Sequence[str], threshold: float = THRESHOLD,
                window: int = WINDOW, sizes: tuple[int, ...] = GRAMS, smoothing: float = SMOOTHING) -> HarmModel:  # fmt: skip
        """From messages of `harm` and `other` ones (everyday messages, the FAQ's wordings); a gram
        counts once per message (Bernoulli naive Bayes)."""
        harm = list(harm)
        yes, no = Counter[str](), Counter[str]()
        for text in harm:
            yes.update(grams(text, sizes))
        for text in other:
            no.update(grams(text, sizes))
        p, n = len(harm) + 2 * smoothing, len(other) + 2 * smoothing
        weights = {
            gram: math.log((yes[gram] + smoothing) / p) - math.log((no[gram] + smoothing) / n)
            for gram in yes.keys() | no.keys()
        }
        return cls(weights, threshold, window, sizes)

    def score(self, text: str) -> float:
        """How much more like harm than not the most harm-like stretch of `text` reads: the largest sum of
        the weights of the grams that start within `window` characters of one another. Harm is told in a
        clause or two; summed over a whole long message, the small weights of a family's everyday words
        (我妈, 晚上, 哭) added up to more than a short message of harm."""
        starts: list[tuple[int, float]] = []  # each character's place, and the weight of the grams it starts
        at = 0
        for run in CHINESE.findall(simplified(text)):
            for i in range(len(run)):
                ends = (run[i : i + n] for n in self.sizes if i + n <= len(run))
                starts.append((at + i, sum(self.weights.get(gram, 0.0) for gram in ends)))
            at += len(run) + 1  # what stood between two runs joins no gram
        best = total = 0.0
        first = 0
        for place, weight in starts:
            total += weight
            while starts[first][0] <= place - self.window:
                total -= starts[first][1]
                first += 1
            best = max(best, total)
        return best

    def hears(self, text: str) -> bool:
        return self.score(text) > self.threshold


def spread(wordings: Sequence[str], most: int = MAX_WORDINGS) -> Sequence[str]:
    """At most `most` of `wordings`, evenly spread over them (all of them when there are no more)."""
    step = math.ceil(len(wordings) / most) if len(wordings) > most else 1
    return wordings[::step]


def faq_wordings(faq: Faq | None) -> Sequence[str]:
    """What the model learns of the FAQ: its entries' questions and alternates (`spread`)."""
    entries = faq.entries.values() if faq is not None else ()
    return spread([wording for e in entries for wording in (e.question, *e.alternates)])


def load_harm(path: Path, faq: Faq | None, report: Report) -> HarmModel | None:
    """The model learned from `path`'s examples and the FAQ's wordings; None when the file is wrong."""
    start = report.mark()
    data = read_yaml(path, report)
    if not report.clean_since(start):  # its syntax error is reported already
        return None
    if (examples := validate(HarmExamples, data, path, report)) is None:
        return None
    return HarmModel.learned([*examples.harm, *examples.unnamed], [*examples.everyday, *faq_wordings(faq)])
