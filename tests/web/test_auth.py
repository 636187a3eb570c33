"""initData is accepted exactly when Telegram signed it for this bot within the hour; the bot's own
tokens only for their purpose and until they expire."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.services.webapp_auth import BadProof, Signer, validate_init_data
from tests.web.conftest import TOKEN, init_data

NOW = datetime.fromtimestamp(1_800_000_000, tz=UTC)


def test_valid_init_data_names_its_user() -> None:
    user = validate_init_data(init_data(5001, auth_date=int(NOW.timestamp()) - 60, language="en"), TOKEN, NOW)
    assert (user.id, user.language_code) == (5001, "en")


def test_a_documented_example_is_checked_as_telegram_describes() -> None:
    """The hash, computed independently of the code under test: HMAC_SHA256(key=HMAC_SHA256(key="WebAppData",
    msg=token), msg=sorted key=value lines) in hex."""
    import hashlib
    import hmac

    fields = {"auth_date": str(int(NOW.timestamp())), "user": '{"id":42}', "chat_type": "private"}
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join([f"auth_date={fields['auth_date']}", "chat_type=private", 'user={"id":42}'])
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validate_init_data(urlencode(fields), TOKEN, NOW).id == 42


def test_a_tampered_field_is_refused() -> None:
    fields = dict(parse_qsl(init_data(5001, auth_date=int(NOW.timestamp()))))
    fields["user"] = fields["user"].replace("5001", "4242")  # claim to be the super admin
    with pytest.raises(BadProof, match="hash"):
        validate_init_data(urlencode(fields), TOKEN, NOW)


def test_a_wrong_or_missing_hash_is_refused() -> None:
    fields = dict(parse_qsl(init_data(5001, auth_date=int(NOW.timestamp()))))
    for bad in ("0" * 64, fields["hash"].upper(), ""):
        with pytest.raises(BadProof):
            validate_init_data(urlencode({**fields, "hash": bad}), TOKEN, NOW)
    del fields["hash"]
    with pytest.raises(BadProof):
        validate_init_data(urlencode(fields), TOKEN, NOW)


def test_stale_init_data_is_refused() -> None:
    hour = 3600
    assert (
        validate_init_data(init_data(5001, auth_date=int(NOW.timestamp()) - hour + 5), TOKEN, NOW).id == 5001
    )
    with pytest.raises(BadProof, match="stale"):
        validate_init_data(init_data(5001, auth_date=int(NOW.timestamp()) - hour - 5), TOKEN, NOW)
    with pytest.raises(BadProof, match="stale"):  # from the future
        validate_init_data(init_data(5001, auth_date=int(NOW.timestamp()) + hour), TOKEN, NOW)


def test_init_data_signed_for_another_bot_is_refused() -> None:
    with pytest.raises(BadProof, match="hash"):
        validate_init_data(
            init_data(5001, token="654321:ANOTHER-bot", auth_date=int(NOW.timestamp())), TOKEN, NOW
        )


def test_malformed_init_data_is_refused() -> None:
    for bad in ("", "hash", "a=1&a=2&hash=x", "%%%"):
        with pytest.raises(BadProof):
            validate_init_data(bad, TOKEN, NOW)


def test_signed_tokens_hold_for_their_purpose_until_they_expire() -> None:
    signer, now = Signer(TOKEN), datetime.fromtimestamp(time.time(), tz=UTC)
    token = signer.sign("session", "5001", now + timedelta(minutes=5))
    assert signer.verify("session", token, now) == "5001"
    with pytest.raises(BadProof, match="something else"):
        signer.verify("download", token, now)
    with pytest.raises(BadProof, match="expired"):
        signer.verify("session", token, now + timedelta(minutes=6))
    with pytest.raises(BadProof, match="signature"):
        Signer("654321:ANOTHER-bot").verify("session", token, now)
    encoded, _, mac = token.partition(".")
    with pytest.raises(BadProof):
        signer.verify("session", encoded[:-2] + "xx." + mac, now)
