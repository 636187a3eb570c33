"""FAQ matcher: accuracy on the evaluation set, and per-query latency on the shipped content and on
synthetic knowledge bases of 1,000 and 10,000 entries.

    python -m benchmarks.faq            # figures
    python -m benchmarks.faq --tune     # the weight and threshold grid the shipped values were chosen from
"""

from __future__ import annotations

import argparse
import random
import time

import yaml

from benchmarks.common import percentiles
from bot.config import ROOT
from bot.content.bundle import require_content
from bot.content.faq import Faq
from bot.services.faq_matcher import FaqMatcher, Normalizer, Outcome, Weights

EVAL = yaml.safe_load((ROOT / "tests" / "data" / "faq_eval.yaml").read_text(encoding="utf-8"))
PLACES = ["城关", "东城", "西城", "清河", "双桥", "杨柳", "南湖", "北山", "新区", "老城", "开发区", "高新区"]
TOPICS = ["报名", "材料", "学区", "派位", "转学", "资助", "户籍", "居住证", "社保", "随迁", "学籍", "体检",
          "校车", "午餐", "课后服务", "作息", "校服", "住宿", "特长", "双胞胎"]  # fmt: skip


def entries_of(faq: Faq) -> dict[str, tuple[list[str], str]]:
    return {e.id: ([e.question, *e.alternates, *e.keywords], e.answer) for e in faq.entries.values()}


def synthetic(faq: Faq, size: int, rng: random.Random) -> dict[str, tuple[list[str], str]]:
    """`size` distinct entries made from the real ones with place and topic words mixed in."""
    real = list(entries_of(faq).values())
    out = {}
    for i in range(size):
        phrases, answer = real[i % len(real)]
        place, topic = rng.choice(PLACES), rng.choice(TOPICS)
        variant = [f"{place}{p}{topic}" if j % 2 else f"{p}（{place}{i}）" for j, p in enumerate(phrases)]
        out[f"syn-{i}"] = (variant, f"{place}{topic}：{answer}")
    return out


class RapidfuzzBaseline:
    """The plain approach the issue suggests first: the best rapidfuzz score over an entry's wordings."""

    def __init__(self, entries: dict[str, tuple[list[str], str]], normalizer: Normalizer, scorer) -> None:  # type: ignore[no-untyped-def]
        self.normalize, self.scorer = normalizer, scorer
        self.choices = [(entry, normalizer(p)) for entry, (phrases, _) in entries.items() for p in phrases]
        self.inner = FaqMatcher(entries, normalizer)

    def search(self, text: str):  # type: ignore[no-untyped-def]
        from bot.services.faq_matcher import Match, Result

        query = self.normalize(text)
        best: dict[str, float] = {}
        for entry, choice in self.choices:
            best[entry] = max(best.get(entry, 0.0), self.scorer(query, choice) / 100)
        ranked = sorted(best.items(), key=lambda item: -item[1])[:3]
        matches = [Match(e, v) for e, v in ranked]
        return Result(self.inner.decide(matches), matches, query)


def evaluate(matcher: FaqMatcher) -> dict[str, float]:
    inside = [(matcher.search(item["q"]), item["id"]) for item in EVAL["in_scope"]]
    outside = [matcher.search(q) for q in EVAL["out_of_scope"]]
    n = len(inside)
    return {
        "top1": sum(r.best is not None and r.best.entry_id == want for r, want in inside) / n,
        "top3": sum(want in [m.entry_id for m in r.matches] for r, want in inside) / n,
        "confident_right": sum(
            r.outcome is Outcome.confident and r.best.entry_id == want for r, want in inside
        )
        / n,  # type: ignore[union-attr]
        "confident_wrong": sum(
            r.outcome is Outcome.confident and r.best.entry_id != want for r, want in inside
        )
        / n,  # type: ignore[union-attr]
        "oos_not_answered": sum(r.outcome is not Outcome.confident for r in outside) / len(outside),
        "oos_no_match": sum(r.outcome is Outcome.none for r in outside) / len(outside),
    }


def latency(matcher: FaqMatcher, rounds: int = 3) -> tuple[float, float]:
    queries = [item["q"] for item in EVAL["in_scope"]] + list(EVAL["out_of_scope"])
    samples = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            matcher.search(query)
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tune", action="store_true", help="print the grid the shipped weights came from")
    args = parser.parse_args()
    content = require_content(ROOT / "content", ROOT / "quizzes")
    normalizer = Normalizer(content.faq.words)
    entries = entries_of(content.faq)
    if args.tune:
        from rapidfuzz import fuzz

        for name, scorer in (("ratio", fuzz.ratio), ("partial_ratio", fuzz.partial_ratio), ("WRatio", fuzz.WRatio),
                             ("token_set_ratio", fuzz.token_set_ratio)):  # fmt: skip
            figures = evaluate(RapidfuzzBaseline(entries, normalizer, scorer))  # type: ignore[arg-type]
            print(f"rapidfuzz {name}:", " ".join(f"{k} {v:.3f}" for k, v in list(figures.items())[:2]))
        for w in [Weights(1, 0, 0, 0), Weights(1, 0, 0, 0.2), Weights(0.5, 0.5, 0, 0.2), Weights(0.2, 0.4, 0.4, 0.2),
                  Weights(0.1, 0.5, 0.4, 0.0), Weights(0.1, 0.5, 0.4, 0.2), Weights(0.1, 0.5, 0.4, 0.4)]:  # fmt: skip
            figures = evaluate(FaqMatcher(entries, normalizer, w))
            print(w, " ".join(f"{k} {v:.3f}" for k, v in figures.items()))
        return
    matcher = FaqMatcher(entries, normalizer)
    figures = evaluate(matcher)
    print(f"evaluation: {len(EVAL['in_scope'])} questions, {len(EVAL['out_of_scope'])} out of scope")
    print("  " + "  ".join(f"{k} {v:.1%}" for k, v in figures.items()))
    p50, p99 = latency(matcher)
    print(f"shipped content ({len(entries)} entries): p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    rng = random.Random(7)
    for size in (1_000, 10_000):
        started = time.perf_counter()
        big = FaqMatcher(synthetic(content.faq, size, rng) | entries, normalizer)
        big.prepare()  # the pinyin side, else built by the first timed search
        built = time.perf_counter() - started
        p50, p99 = latency(big, rounds=1)
        print(
            f"synthetic {size:>6} entries: index built in {built:.1f} s; p50 {p50:.2f} ms  p99 {p99:.2f} ms"
        )


if __name__ == "__main__":
    main()
