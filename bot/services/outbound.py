"""What background workflows need from the messenger: a send whose outcome they record.

Workflows (broadcasts, the daily reading, group rounds, closing expired attempts) live in the services and
call a `Send` handed to them; bot/jobs.py hands them one over Telegram, tests may hand them their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar


class Outcome(StrEnum):
    sent = "sent"
    blocked = "blocked"  # the user blocked the bot or left Telegram: stop writing to them
    failed = "failed"  # anything else; logged by the sender, the workflow moves on


T = TypeVar("T")
Send = Callable[[T], Awaitable[Outcome]]
