"""Who is asking, for the admin dashboard (bot/web/): Telegram's signed Mini App `initData`, and the
bot's own short-lived signed tokens (dashboard sessions and download tickets). Pure: no database, no
Telegram library. Whether that user may see anything is decided afresh on every request
(bot/services/dashboard.py), never from what a token says.

initData is checked as Telegram documents it ("Validating data received via the Mini App"):
data_check_string is every received field but `hash`, sorted by key, as `key=value` lines joined by
"\\n"; secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token); the data are Telegram's when
hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) equals `hash` (compared in constant time).
`auth_date` must be at most an hour old."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

INIT_DATA_MAX_AGE = timedelta(hours=1)
CLOCK_SKEW = timedelta(minutes=5)  # an auth_date this far in the future is still accepted


class BadProof(Exception):
    """initData or a token is forged, tampered with, expired or malformed (the message says which, for
    the log; the client is told only 401)."""


@dataclass(frozen=True)
class WebAppUser:
    id: int
    language_code: str | None


def webapp_secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram would give these fields (for tests and the simulated client)."""
    return hmac.new(webapp_secret(bot_token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def validate_init_data(init_data: str, bot_token: str, now: datetime) -> WebAppUser:
    """The user Telegram vouches for in `init_data` (the query string Telegram.WebApp.initData holds)."""
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise BadProof("initData is not a query string") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise BadProof("initData repeats a field")
    received = fields.get("hash", "")
    expected = sign_init_data(fields, bot_token)
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise BadProof("initData hash does not match")
    auth_date = fields.get("auth_date", "")
    if not (auth_date.isascii() and auth_date.isdigit()):
        raise BadProof("initData has no auth_date")
    age = now - datetime.fromtimestamp(int(auth_date), tz=now.tzinfo)
    if age > INIT_DATA_MAX_AGE or age < -CLOCK_SKEW:
        raise BadProof("initData is stale")
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, TypeError, ValueError) as exc:
        raise BadProof("initData has no user") from exc
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise BadProof("initData user id is not a number")
    language = user.get("language_code")
    return WebAppUser(user_id, language if isinstance(language, str) else None)


class Signer:
    """Short-lived tokens the dashboard hands out: `purpose`, a payload and an expiry, signed with a key
    derived from the bot token (so they outlive a restart, and die with the token when it is revoked)."""

    def __init__(self, bot_token: str) -> None:
        self._key = hmac.new(b"PufaBotDashboard", bot_token.encode(), hashlib.sha256).digest()

    def _mac(self, body: bytes) -> str:
        return (
            base64.urlsafe_b64encode(hmac.new(self._key, body, hashlib.sha256).digest()).decode().rstrip("=")
        )

    def sign(self, purpose: str, payload: str, expires: datetime) -> str:
        if "|" in purpose + payload:
            raise ValueError("purpose and payload must not contain |")
        body = f"{purpose}|{payload}|{int(expires.timestamp())}".encode()
        return f"{base64.urlsafe_b64encode(body).decode().rstrip('=')}.{self._mac(body)}"

    def verify(self, purpose: str, token: str, now: datetime) -> str:
        """The payload of a token signed for `purpose` that has not expired."""
        encoded, _, mac = token.partition(".")
        try:
            body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError as exc:
            raise BadProof("token is not base64") from exc
        if not hmac.compare_digest(mac.encode(), self._mac(body).encode()):
            raise BadProof("token signature does not match")
        parts = body.decode(errors="replace").split("|")
        if len(parts) != 3:
            raise BadProof("token is malformed")
        kind, payload, expiry = parts
        if kind != purpose:
            raise BadProof("token is for something else")
        if not (expiry.isascii() and expiry.isdigit()) or int(expiry) <= now.timestamp():
            raise BadProof("token has expired")
        return payload
