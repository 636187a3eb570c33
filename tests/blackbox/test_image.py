"""What the Docker image runs: the bot itself, under an init, so that `docker stop` (SIGTERM) ends it
cleanly, after the updates in hand, instead of a SIGKILL 10 s later. A shell as PID 1 ignores SIGTERM,
and a shell that runs the bot as its child does not pass the signal on.

The image is not built here (the suite does not need Docker): its command is read from the Dockerfile
and started as the image would start it, with tini in front when tini is installed on this machine."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from bot.sim.http import BotApiServer
from tests.blackbox.harness import Bot, RemoteSimulator, eventually
from tests.test_deployment import argv, last

pytestmark = pytest.mark.blackbox


async def test_the_image_command_stops_on_sigterm_after_the_update_in_hand(
    api: BotApiServer, bot: Bot, people: RemoteSimulator
) -> None:
    command = argv(last("CMD"))
    init = argv(last("ENTRYPOINT"))
    if init and shutil.which(init[0]):  # as in the image; without tini here, the bot gets the signal itself
        command = [*init, *command]
    here = str(Path(sys.executable).parent)  # `python` is this environment's, as the image's is its own
    await bot.start(command, PATH=f"{here}{os.pathsep}{os.environ['PATH']}")
    parent = people.user("家长")
    api.round_trip = 0.5  # the reply is still on its way when the signal comes
    update = {"update_id": 1, **parent.message_payload("/help")}
    api.push(update)
    await eventually(lambda: api.fetched_up_to >= 1, 10, "the bot fetched the update")
    assert not api.world.bot_messages(parent.private.id)  # not answered yet when the signal comes
    started = time.monotonic()
    code = await bot.stop()
    stopped = time.monotonic() - started
    assert bot.process is not None and not bot.process.left_behind, "the bot outlived the image's command"
    assert code == 0, f"the image's command exited with {code} on SIGTERM"
    assert stopped < 10  # docker stop waits 10 s, then kills
    # the update in hand was answered, and its end logged, before the bot exited
    assert api.world.bot_messages(parent.private.id) and any("update=1 " in line for line in bot.log.lines)
