"""The simulated Telegram behind a loopback HTTP server that speaks the Bot API, so that the real program
(`python -m bot run` with TELEGRAM_API_BASE_URL pointing here) can be driven from outside.

One `World`, two transports: `SimRequest` hands it calls in-process (console, fast tests); this server
hands it calls over HTTP (the black-box suite). Updates pushed with `push` reach the bot by `getUpdates`
long polling with offsets, or, once the bot has called `setWebhook`, as POSTs to its webhook with the
secret header, as Telegram sends them.

aiohttp rather than tornado (which PTB's webhook extra brings): it serves and posts with one library,
reads multipart uploads with `request.post()`, and runs inside a test's event loop without a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from bot.sim.front_door import FrontDoor
from bot.sim.world import ApiError, World, encode, encode_error

log = logging.getLogger(__name__)
# Parameters Telegram reads as strings even when they look like JSON ("123", "true").
TEXT_PARAMS = frozenset({"text", "caption", "question", "explanation", "callback_query_id", "url", "secret_token",
                         "description", "short_description", "name", "title", "language_code"})  # fmt: skip
MAX_LONG_POLL = 50.0


def _decode(key: str, value: str) -> Any:
    if key in TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class BotApiServer:
    """`World` over HTTP at http://127.0.0.1:<port>/bot<token>/<method>."""

    def __init__(self, world: World, token: str, *, round_trip: float = 0.0) -> None:
        self.world = world
        self.token = token
        self.round_trip = round_trip  # seconds each call takes, as a network to Telegram would add
        self.failing: int | None = None  # an HTTP status (502): every call answers it, as Telegram down
        self.updates: list[dict[str, Any]] = []  # pushed, not yet confirmed by an offset
        self.fetched_up_to = 0  # the highest update id handed to the bot
        self.polls = 0  # getUpdates calls served
        self._generation = 0  # bumped by release_polls
        self.webhook: tuple[str, str | None] | None = None  # url, secret
        self._arrived = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._door: FrontDoor | None = None  # stamps each request's arrival (bot/sim/front_door.py)
        self._client: ClientSession | None = None
        self._poster: asyncio.Task[None] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", f"/bot{self.token}/{{method}}", self._api)
        app.router.add_route("*", "/bot{other}/{method}", self._wrong_token)
        app.router.add_get(f"/file/bot{self.token}/{{path:.+}}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        assert self._runner.server is not None  # set up
        self._door = FrontDoor(self._runner.server)
        self.port = await self._door.open("127.0.0.1")
        self._client = ClientSession(timeout=ClientTimeout(total=10))
        self._poster = asyncio.create_task(self._post_updates())

    async def close(self) -> None:
        if self._poster is not None:
            self._poster.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poster
        if self._client is not None:
            await self._client.close()
        if self._door is not None:
            await self._door.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def release_polls(self) -> None:
        """Answer every long poll now (empty), as if its timeout had passed: a bot stopping gracefully
        waits for its last getUpdates."""
        self._generation += 1
        self._arrived.set()

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update (with its update_id) for the bot."""
        self.updates.append(update)
        self._arrived.set()

    # -- serving the Bot API ------------------------------------------------------------------------
    async def _wrong_token(self, _request: web.Request) -> web.Response:
        return web.Response(status=401, body=encode_error(ApiError("Unauthorized", 401)))

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except ConnectionResetError:  # the bot was killed mid-request: nobody is waiting for the answer
            return web.Response(status=400)
        # Telegram counts a message when it arrives (by the kernel's stamp), not when it answers
        assert self._door is not None
        arrived = self._door.arrivals.get(request.protocol, time.monotonic())
        if self.failing is not None:
            error = ApiError("Bad Gateway", self.failing)
            return web.Response(status=error.code, body=encode_error(error), content_type="application/json")
        if self.round_trip:
            await asyncio.sleep(self.round_trip)
        if method.lower() == "getupdates":
            body = encode(await self._get_updates(params))
            return web.Response(body=body, content_type="application/json")
        try:
            result = self._call(method, params)
            if isinstance(result, dict) and "message_id" in result and isinstance(result.get("chat"), dict):
                sent = self.world.messages.get((result["chat"]["id"], result["message_id"]))
                if sent is not None:
                    sent.at = arrived
            body = encode(result)
            return web.Response(body=body, content_type="application/json")
        except ApiError as error:
            return web.Response(status=error.code, body=encode_error(error), content_type="application/json")

    async def _file(self, request: web.Request) -> web.Response:
        try:
            return web.Response(body=self.world.download(request.match_info["path"]))
        except ApiError as error:
            return web.Response(status=error.code, body=encode_error(error), content_type="application/json")

    def _call(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        if name == "setwebhook":
            secret = params.get("secret_token")
            self.webhook = (str(params["url"]), str(secret) if secret else None)
            self._arrived.set()
        elif name == "deletewebhook":
            self.webhook = None
        return self.world.handle(method, params)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = {"file_name": value.filename, "content": value.file.read()}
            else:
                params[key] = _decode(key, str(value))
        return params

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError("Conflict: can't use getUpdates method while webhook is active", 409)
        self.polls += 1
        offset = int(params.get("offset") or 0)
        if offset:  # Telegram forgets every update below the offset: they are confirmed
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = min(float(params.get("timeout") or 0), MAX_LONG_POLL)
        limit = int(params.get("limit") or 100)
        generation = self._generation
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while not self.updates and generation == self._generation:
                    self._arrived.clear()
                    await self._arrived.wait()
        batch = self.updates[:limit]
        if batch:
            self.fetched_up_to = max(self.fetched_up_to, batch[-1]["update_id"])
        return batch

    # -- webhook delivery ---------------------------------------------------------------------------
    async def _post_updates(self) -> None:
        """While a webhook is set, POST each queued update to it in order, as Telegram does."""
        assert self._client is not None
        while True:
            if self.webhook is None or not self.updates:
                self._arrived.clear()
                await self._arrived.wait()
                continue
            url, secret = self.webhook
            update = self.updates[0]
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            try:
                async with self._client.post(url, json=update, headers=headers) as response:
                    delivered = response.status == 200
            except (OSError, TimeoutError) as exc:
                log.debug("webhook %s unreachable: %s", url, exc)
                delivered = False
            if delivered:
                self.updates.pop(0)
                self.fetched_up_to = max(self.fetched_up_to, update["update_id"])
            else:
                await asyncio.sleep(0.2)  # Telegram retries too
