"""What the bot says, per area: message text rendered in the user's language from what a service
returned. No decisions and no database here; handlers and jobs send what a view renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.runtime import Services


class Voice(Protocol):
    """What renders text for a user: the services and the user's language."""

    services: Services

    @property
    def language(self) -> str: ...

    def t(self, key: str, **values: Any) -> str: ...


@dataclass
class Speaker:
    """A Voice outside an update (jobs that message users)."""

    services: Services
    lang: str

    @property
    def language(self) -> str:
        return self.lang

    def t(self, key: str, **values: Any) -> str:
        return self.services.content.i18n.t(self.lang, key, **values)
