"""What replacing a statute's text means for the question bank: the articles that changed or vanished
in the new text, and the questions that cite them or whose evidence the new text no longer holds, so
that only those are read again (`python -m bot law-diff SLUG NEW_TEXT`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.laws import Article, parse_statute, squash
from bot.content.questions import Question
from bot.content.yamlfile import Report, display_path, line_of, read_yaml


@dataclass(frozen=True)
class Affected:
    where: str  # file:line of the question
    question_id: str
    reasons: tuple[str, ...]


def changed_articles(old: list[Article], new: list[Article]) -> tuple[set[int], set[int], set[int]]:
    """(changed, vanished, added) article numbers, comparing the text without whitespace."""
    before = {a.number: squash(a.body) for a in old}
    after = {a.number: squash(a.body) for a in new}
    changed = {n for n in before.keys() & after.keys() if before[n] != after[n]}
    return changed, before.keys() - after.keys(), after.keys() - before.keys()


def affected_questions(
    slug: str, old_text: str, new_text: str, quizzes_dir: Path
) -> tuple[list[Affected], set[int], set[int]]:
    """The law's questions to read again, and the changed and vanished article numbers."""
    new = parse_statute(slug, new_text)
    changed, vanished, _ = changed_articles(parse_statute(slug, old_text), new)
    bodies = {a.number: squash(a.body) for a in new}
    found: list[Affected] = []
    report = Report()
    for path in sorted((quizzes_dir / slug).glob("*.yaml")):
        for raw in read_yaml(path, report) or []:
            if not isinstance(raw, dict):
                continue
            question = Question.model_validate(raw)
            reasons = _reasons(question, changed, vanished, bodies)
            if reasons:
                found.append(Affected(f"{display_path(path)}:{line_of(raw)}", question.id, tuple(reasons)))
    return found, changed, vanished


def _reasons(q: Question, changed: set[int], vanished: set[int], bodies: dict[int, str]) -> list[str]:
    reasons = [f"第{n}条 changed" for n in q.articles if n in changed]
    reasons += [f"第{n}条 is gone" for n in q.articles if n in vanished]
    cited = "".join(bodies.get(n, "") for n in q.articles)
    reasons += [f"evidence no longer found: {e[:20]}…" for e in q.evidence if squash(e) not in cited]
    return reasons
