"""/law: an article as the user reads it, and the labels of matching articles. The statutes' texts are in
Chinese only; around them, the law's name and the article's number are in the reader's language (an English
teacher's pass: /law constitution 1 had been headed 《宪法》第一条, its buttons ◀ 第一千一百八十七条)."""

from __future__ import annotations

from bot.content.laws import Article
from bot.services.law_lookup import split_message
from bot.views import Voice
from bot.views.labels import article_label


def short_title(voice: Voice, slug: str) -> str:
    """《宪法》, or Constitution in English, as quizzes name laws (Law.short_title, quiz.law_name)."""
    law = voice.services.content.laws.get(slug)
    return slug if law is None else voice.t("quiz.law_name", name=law.short_title(voice.language))


def full_title(voice: Voice, slug: str) -> str:
    """中华人民共和国宪法, or the Constitution of the People's Republic of China in English."""
    law = voice.services.content.laws.get(slug)
    if law is None:
        return slug
    return law.title_en if voice.language != "zh" and law.title_en else law.title


def candidate_label(voice: Voice, article: Article) -> str:
    """《民法典》第一千一百八十八条, or Civil Code Article 1188."""
    title, label = short_title(voice, article.law), article_label(voice, article)
    return f"{title}{label}" if voice.language == "zh" else f"{title} {label}"


def article_messages(voice: Voice, article: Article) -> list[str]:
    """The article with its law, chapter and section, split to fit Telegram's message size."""
    where = " ".join(part for part in (article.chapter, article.section) if part)
    head = candidate_label(voice, article)
    if where:
        head += f"（{where}）" if voice.language == "zh" else f" ({where})"
    return split_message(f"📖 {head}\n{article.body}")


def match_label(voice: Voice, article: Article) -> str:
    """The law, the article and its opening words, on one line (a button's label): an article whose first
    paragraph is short went on into the next, line break and all."""
    opening = " ".join(article.body.split())[:14]
    return f"{candidate_label(voice, article)} {opening}…"


def law_list(voice: Voice) -> str:
    """Every law in the collection, by the name people use."""
    laws = voice.services.content.laws.laws
    return ("、" if voice.language == "zh" else ", ").join(short_title(voice, slug) for slug in laws)
