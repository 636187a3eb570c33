"""/dashboard: the Mini App button, and the button asking for a one-time browser login link."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import WebAppInfo

from bot.callbacks import DashboardLink
from bot.keyboards import T, button


def dashboard(t: T, page_url: str) -> Markup:
    return Markup([
        [Button(t("dashboard.open"), web_app=WebAppInfo(page_url))],
        [button(t("dashboard.get_link"), DashboardLink())],
    ])  # fmt: skip
