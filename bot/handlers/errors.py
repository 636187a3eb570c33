"""The global error handler: log with the update id, tell the user nothing was lost, keep serving."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.runtime import BotContext

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    update_id = update.update_id if isinstance(update, Update) else "-"
    log.error("update=%s failed: %s", update_id, type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    i18n = context.services.content.i18n
    tg_user = update.effective_user
    lang = i18n.language_for(tg_user.language_code if tg_user else None)
    text = i18n.t(lang, "error.generic")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, text)
    except Forbidden:
        pass  # the user blocked the bot: nobody to tell
    except TelegramError as exc:
        log.warning("update=%s could not report the error: %s", update_id, type(exc).__name__)
