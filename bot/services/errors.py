"""Errors services raise for input that must be refused (forged or stale button data, bad values)."""

from __future__ import annotations


class Refused(Exception):
    """The request is not allowed or no longer valid; `key` names the text to show the user, `values`
    fill its placeholders; `resume` names an attempt the user may go back to (or give up) instead."""

    def __init__(
        self, key: str = "error.stale_button", *, resume: int | None = None, **values: object
    ) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
        self.resume = resume
