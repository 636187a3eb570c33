"""/law: an article as the user reads it, and the labels of matching articles."""

from __future__ import annotations

from bot.content.laws import Article, LawLibrary
from bot.services.law_lookup import split_message


def short_title(laws: LawLibrary, slug: str) -> str:
    law = laws.get(slug)
    return f"《{law.title.removeprefix('中华人民共和国')}》" if law else slug


def article_messages(laws: LawLibrary, article: Article) -> list[str]:
    """The article with its law, chapter and section, split to fit Telegram's message size."""
    where = " ".join(part for part in (article.chapter, article.section) if part)
    head = f"{short_title(laws, article.law)}{article.label}" + (f"（{where}）" if where else "")
    return split_message(f"📖 {head}\n{article.body}")


def match_label(laws: LawLibrary, article: Article) -> str:
    """The law, the article and its opening words, on one line (a button's label): an article whose first
    paragraph is short went on into the next, line break and all."""
    opening = " ".join(article.body.split())[:14]
    return f"{short_title(laws, article.law)}{article.label} {opening}…"


def law_list(laws: LawLibrary) -> str:
    """Every law in the collection, by the name people use."""
    return "、".join(short_title(laws, slug) for slug in laws.laws)


def candidate_label(laws: LawLibrary, article: Article) -> str:
    return f"{short_title(laws, article.law)}{article.label}"
