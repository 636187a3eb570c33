"""/law: statute articles by name and number, or by keyword; the 原文 buttons of quiz feedback."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.content.laws import Article
from bot.handlers.base import Turn, handles
from bot.keyboards import parse_data, parse_int
from bot.services.errors import Refused
from bot.services.law_lookup import lookup, split_message


def short_title(turn: Turn, slug: str) -> str:
    law = turn.services.content.laws.get(slug)
    return f"《{law.title.removeprefix('中华人民共和国')}》" if law else slug


async def send_article(turn: Turn, article: Article) -> None:
    where = " ".join(part for part in (article.chapter, article.section) if part)
    head = f"{short_title(turn, article.law)}{article.label}" + (f"（{where}）" if where else "")
    for piece in split_message(f"📖 {head}\n{article.body}"):
        await turn.reply(piece)


@handles
async def law_command(turn: Turn) -> None:
    query = " ".join(turn.args())
    if not query:
        await turn.reply(turn.t("law.usage"))
        return
    result = lookup(turn.services.content.laws, query)
    if result.article is not None:
        await send_article(turn, result.article)
    elif result.law is not None and result.missing_number is not None:
        await turn.reply(turn.t("law.no_article", law=short_title(turn, result.law.slug),
                                n=result.missing_number, count=len(result.law.articles)))  # fmt: skip
    elif result.law is not None:
        await turn.reply(turn.t("law.about", law=result.law.title, version=result.law.version,
                                count=len(result.law.articles), alias=result.law.aliases[0] if result.law.aliases else ""))  # fmt: skip
    elif result.matches:
        buttons = [[Button(f"{short_title(turn, a.law)}{a.label} {a.body[:14]}…", callback_data=f"law:art:{a.law}:{a.number}")]
                   for a in result.matches]  # fmt: skip
        await turn.reply(turn.t("law.matches", query=query[:20]), Markup(buttons))
    else:
        await turn.reply(turn.t("law.nothing", query=query[:20]))


@handles
async def article_button(turn: Turn) -> None:
    fields = parse_data(turn.query.data if turn.query else None, "law:art", 2)
    number = parse_int(fields[1], 1, 9999) if fields else None
    article = turn.services.content.laws.article(fields[0], number) if fields and number else None
    if article is None:
        raise Refused()
    await send_article(turn, article)


HANDLERS = [CommandHandler("law", law_command), CallbackQueryHandler(article_button, pattern=r"^law:")]
