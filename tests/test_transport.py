"""The Bot API client `run` uses (bot/transport.py): a slow Telegram is PTB's TimedOut and an unreachable
one its NetworkError, so the bot's retry and "nothing lost" paths see what they expect; files go as
multipart; bulk sending hears when each request goes on the wire, in the task that sent it."""

from __future__ import annotations

import asyncio
import socket
import time
from contextvars import ContextVar

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.transport import AiohttpRequest


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(2)
    return web.json_response({"ok": True, "result": True})


async def echo(request: web.Request) -> web.Response:
    """sendDocument, answered with a message whose caption says what arrived."""
    form = await request.post()
    upload = form["document"]
    assert isinstance(upload, web.FileField)
    said = f"{form['chat_id']} {upload.filename} {upload.file.read().decode()} {form['caption']}"
    message = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "caption": said}
    return web.json_response({"ok": True, "result": message})


ARRIVED: list[float] = []


async def answer_later(request: web.Request) -> web.Response:
    """sendMessage, answered after a round trip of 0.2 s."""
    ARRIVED.append(time.monotonic())
    form = await request.post()
    await asyncio.sleep(0.2)
    message = {"message_id": 1, "date": 0, "chat": {"id": int(str(form["chat_id"])), "type": "private"}}
    return web.json_response({"ok": True, "result": message})


@pytest.fixture
async def server() -> TestServer:
    app = web.Application()
    app.router.add_post("/slow", slow)
    app.router.add_post("/bot123:ABC/sendDocument", echo)
    app.router.add_post("/bot123:ABC/sendMessage", answer_later)
    async with TestServer(app) as running:
        yield running


async def test_a_slow_bot_api_is_timed_out_and_an_unreachable_one_a_network_error(server: TestServer) -> None:
    request = AiohttpRequest(connections=2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(str(server.make_url("/slow")), "POST", read_timeout=0.2)
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{port}/x", "POST")
    finally:
        await request.shutdown()


async def test_a_document_goes_as_multipart_with_the_other_fields(server: TestServer) -> None:
    """Through PTB's own Bot, as `run` sends /export's workbook."""
    request = AiohttpRequest(connections=2)
    bot = Bot("123:ABC", base_url=str(server.make_url("/bot")), request=request, get_updates_request=request)
    await request.initialize()
    try:
        message = await bot.send_document(42, document=b"PK...", filename="report.xlsx", caption="报表")
    finally:
        await request.shutdown()
    assert message.caption == "42 report.xlsx PK... 报表"


async def test_the_hook_hears_each_request_go_on_the_wire_in_the_task_that_sent_it(
    server: TestServer,
) -> None:
    sender: ContextVar[int] = ContextVar("sender", default=0)
    heard: list[tuple[int, float]] = []
    request = AiohttpRequest(
        connections=2, on_the_wire=lambda: heard.append((sender.get(), time.monotonic()))
    )
    bot = Bot("123:ABC", base_url=str(server.make_url("/bot")), request=request, get_updates_request=request)
    answered: list[float] = []

    async def send(chat_id: int) -> None:
        sender.set(chat_id)
        await bot.send_message(chat_id, "宪法日")
        answered.append(time.monotonic())

    ARRIVED.clear()
    await request.initialize()
    try:
        await asyncio.gather(send(1), send(2))
    finally:
        await request.shutdown()
    assert sorted(chat for chat, _ in heard) == [1, 2]  # once each, in its sender's context
    # as each was written, before Telegram had both, not as they were answered (a round trip later)
    assert max(at for _, at in heard) <= max(ARRIVED) < min(answered) - 0.15
