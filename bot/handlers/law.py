"""/law: statute articles by name and number, or by keyword; the 原文 buttons of quiz feedback."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import ShowArticle
from bot.content.laws import Article
from bot.handlers.base import Turn, handles
from bot.keyboards import law as keyboards
from bot.services.errors import Refused
from bot.services.law_lookup import lookup
from bot.views import law as views
from bot.views.labels import article_label


async def send_article(turn: Turn, article: Article) -> None:
    """The article, in as many messages as it takes, the last with buttons to the articles beside it (a
    teacher reads on: 第三十一条 leads to 第三十二条)."""
    laws = turn.services.content.laws
    law = laws.get(article.law)
    around = law.beside(article.number) if law else (None, None)
    markup = keyboards.beside(*((a.law, a.number, article_label(turn, a)) if a else None for a in around))
    *pieces, last = views.article_messages(turn, article)
    for piece in pieces:
        await turn.reply(piece)
    await turn.reply(last, markup)


@handles
async def law_command(turn: Turn) -> None:
    query, laws = " ".join(turn.args()), turn.services.content.laws
    result = lookup(laws, query, in_chinese=turn.services.faq.faq.english.in_chinese) if query else None
    if result is None:
        await turn.reply(turn.t("law.usage"))
    elif result.article is not None:
        await send_article(turn, result.article)
    elif result.law is not None and result.missing_number is not None:
        await turn.reply(turn.t("law.no_article", law=views.short_title(turn, result.law.slug),
                                n=result.missing_number, count=len(result.law.articles)))  # fmt: skip
    elif result.law is not None:
        await turn.reply(turn.t("law.about", law=views.full_title(turn, result.law.slug), version=result.law.version,
                                count=len(result.law.articles), alias=result.law.aliases[0] if result.law.aliases else ""))  # fmt: skip
    elif result.unknown_law is not None:
        await turn.reply(turn.t("law.unknown_law", name=result.unknown_law[:40], laws=views.law_list(turn)))
    elif result.number is not None and result.candidates:
        found = [(a.law, a.number, views.candidate_label(turn, a)) for a in result.candidates]
        await turn.reply(turn.t("law.which_law", n=result.number), keyboards.matches(found))
    elif result.number is not None:
        await turn.reply(turn.t("law.no_law_has", n=result.number))
    elif result.matches:
        found = [(a.law, a.number, views.match_label(turn, a)) for a in result.matches]
        await turn.reply(turn.t("law.matches", query=query[:20]), keyboards.matches(found))
    else:
        await turn.reply(turn.t("law.nothing", query=query[:20]))


@handles
async def article_button(turn: Turn) -> None:
    match callbacks.parse(turn.data):
        case ShowArticle(law, number) if (
            article := turn.services.content.laws.article(law, number)
        ) is not None:
            await send_article(turn, article)
        case _:
            raise Refused()


HANDLERS = [CallbackQueryHandler(article_button, pattern=callbacks.kinds(ShowArticle))]
