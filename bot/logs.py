"""Logging helpers: the bot token is cut out of every log line, tracebacks included."""

from __future__ import annotations

import logging

TOKEN_PLACEHOLDER = "<token>"


class RedactToken(logging.Filter):
    """A handler filter that replaces the token with TOKEN_PLACEHOLDER in the message and traceback.

    The token turns up in exception messages (InvalidToken: "The token `…` was rejected") and in Bot
    API URLs (https://api.telegram.org/bot<TOKEN>/getMe) that httpx errors carry. It goes on handlers,
    not on a logger, because a logger's filters do not see records that propagate from its children.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def redact(self, text: str) -> str:
        return text.replace(self.token, TOKEN_PLACEHOLDER)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the handler to report
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the traceback is rendered (and cleaned) once here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
