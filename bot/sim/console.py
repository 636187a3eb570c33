"""`python -m bot console`: chat with the real bot in the terminal through the simulator."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.app import build_application, on_startup
from bot.parsing import whole_number
from bot.runtime import SETTLE, Services
from bot.sim.simulator import SIM_TOKEN, SimRequest, Simulator, SimUser
from bot.sim.world import SimMessage, World

HELP = ("Type text or /commands as in Telegram; a number presses that button of the last message (start a "
        "line with ' to send a number as text: '20230105); files the bot sends are saved under "
        f"{tempfile.gettempdir()}/pufabot-console; :q quits.")  # fmt: skip
FILES = Path(tempfile.gettempdir()) / "pufabot-console"


def saved(message: SimMessage, files: dict[str, bytes]) -> list[str]:
    """The files a message carries (an export, a chart, a QR code), written under FILES so they can be
    opened: a line naming each."""
    lines = []
    for kind, sent in (("file", message.document), ("picture", message.photo)):
        if sent and sent["file_id"] in files:
            FILES.mkdir(parents=True, exist_ok=True)
            # by chat too: each user's chat numbers its messages from 1 (one's chart had overwritten another's
            # certificate)
            name = sent.get("file_name") or sent["file_id"] + ".png"
            path = FILES / f"{message.chat_id}-{message.message_id}-{name}"
            path.write_bytes(files[sent["file_id"]])
            lines.append(f"[{kind}: {path}]")
    return lines


def render(message: SimMessage, edited: bool, attached: Sequence[str] = ()) -> str:
    head = "🤖 (edited)" if edited else "🤖"
    body = "\n".join([*attached, *filter(None, [message.text or message.caption])])
    if message.poll:
        options = "\n".join(f"   ({i}) {o['text']}" for i, o in enumerate(message.poll["options"]))
        body = f"[poll] {message.poll['question']}\n{options}"
    lines = [f"{head} {body}"]
    number = 1
    for row in message.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button['text']}")
            number += 1
        lines.append("   " + "   ".join(cells))
    return "\n".join(lines)


class Console:
    def __init__(self, sim: Simulator, user: SimUser) -> None:
        self.sim = sim
        self.user = user
        self.seen: dict[int, int] = {}  # message id -> edits already shown

    def flush(self) -> None:
        for message in self.sim.world.bot_messages(self.user.id):
            shown = self.seen.get(message.message_id)
            if shown is None or shown != message.edits:
                attached = saved(message, self.sim.world.files) if shown is None else []
                print(render(message, edited=shown is not None, attached=attached), flush=True)
                self.seen[message.message_id] = message.edits
        for key, answer in list(self.sim.world.callback_answers.items()):
            if answer.get("text"):
                print(f"💬 {answer['text']}", flush=True)
            self.sim.world.callback_answers[key] = {}

    async def show_what_jobs_send(self) -> None:
        """Print what the bot sends on its own (a broadcast, the daily reading, a deadline's result)."""
        while True:
            await asyncio.sleep(0.5)
            self.flush()

    async def handle(self, line: str) -> None:
        if line.startswith("'"):  # text, though it may be a number (a 学号)
            await self.user.send(line[1:])
        elif whole_number(line) is not None:
            target = next((m for m in reversed(self.sim.world.bot_messages(self.user.id)) if m.buttons), None)
            if target is None:
                print("(no buttons to press)")
                return
            try:
                button = target.button(int(line) - 1)
            except IndexError:
                print("(no such button)")
                return
            if "url" in button:
                print(f"(link: {button['url']})")
                return
            await self.user.press(int(line) - 1, message=target)
        else:
            await self.user.send(line)


async def run_console(services: Services, user_id: int, language: str) -> None:
    world = World()
    app = build_application(services, request=SimRequest(world), token=SIM_TOKEN)
    sim = Simulator(app, world)
    user = sim.user("Console", language_code=language, user_id=user_id)
    console = Console(sim, user)
    loop = asyncio.get_running_loop()
    # as `run` does: pypinyin and jieba load in a thread, not in the first question's reply, which blocked
    # the loop long enough for the job queue to log its jobs as missed
    app.bot_data[SETTLE] = True
    async with app:
        await on_startup(app)
        await app.start()  # the job queue: broadcasts, the daily reading, group rounds, deadlines
        print(f"PufaBot console (simulated Telegram, user id {user_id}). {HELP}")
        await user.send("/start")
        console.flush()
        printer = asyncio.create_task(console.show_what_jobs_send())
        try:
            while True:
                try:
                    line = await loop.run_in_executor(None, sys.stdin.readline)
                except KeyboardInterrupt:
                    break
                if not line or line.strip() in (":q", ":quit", "exit"):
                    break
                if line.strip():
                    await console.handle(line.strip())
                    console.flush()
        finally:
            printer.cancel()
            await app.stop()
