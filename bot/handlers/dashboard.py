"""/dashboard: the admin dashboard (bot/web/) as a Telegram Mini App, or a one-time browser login link.
Admins only, in a private chat; what the page shows is decided by the grant on every request there."""

from __future__ import annotations

from urllib.parse import urlencode

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import DashboardLink
from bot.handlers.base import Turn, handles
from bot.keyboards.dashboard import dashboard
from bot.services.dashboard import LOGIN_MINUTES
from bot.services.errors import Refused


def _page_url(turn: Turn) -> str:
    url = turn.services.settings.dashboard_url
    if not url:
        raise Refused("dashboard.disabled")
    return f"{url}/?{urlencode({'lang': turn.language})}"


@handles
async def dashboard_command(turn: Turn) -> None:
    await turn.services.access.require(turn.session, turn.user_id)
    await turn.reply(turn.t("dashboard.intro"), dashboard(turn.t, _page_url(turn)))


@handles
async def login_link(turn: Turn) -> None:
    """A one-time link (the token in the URL fragment, which browsers never send to a server)."""
    if not turn.private:
        raise Refused("admin.private_only")
    page = _page_url(turn)
    token = await turn.services.dashboard.create_login(turn.session, turn.user_id)
    await turn.reply(turn.t("dashboard.link", minutes=LOGIN_MINUTES, url=f"{page}#login={token}"))


HANDLERS = [CallbackQueryHandler(login_link, pattern=callbacks.kinds(DashboardLink))]
