"""Errors services raise for input that must be refused (forged or stale button data, bad values)."""


class Refused(Exception):
    """The request is not allowed or no longer valid; `key` names the text to show the user."""

    def __init__(self, key: str = "error.stale_button") -> None:
        super().__init__(key)
        self.key = key
