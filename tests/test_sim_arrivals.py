"""The simulated Telegram stamps a message when it arrived, by the kernel's stamp, even while its event loop
is busy (benchmarks/load.py's driver also plays 200 users): stamped when the loop got to them, messages
sent apart were stamped together, and the load benchmark counted more in one second than were sent."""

from __future__ import annotations

import asyncio
import socket
import time

from bot.sim.http import BotApiServer
from bot.sim.simulator import SIM_TOKEN
from bot.sim.world import ChatInfo, World

BODY = b"chat_id=7&text=%E5%AE%AA%E6%B3%95"
REQUEST = (
    f"POST /bot{SIM_TOKEN}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(BODY)}\r\n\r\n"
).encode() + BODY


async def send_while_busy(server: BotApiServer) -> tuple[float, float]:
    """A message sent the moment the server is up, while its event loop is busy for 0.3 s: when it was
    sent, and when the loop got free."""
    # the kernel accepts the connection while the loop is busy
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        sent = time.monotonic()
        connection.sendall(REQUEST)
        time.sleep(0.3)  # the server's event loop is busy meanwhile
        busy_until = time.monotonic()
        connection.settimeout(10)
        answer = await asyncio.to_thread(connection.recv, 65536)  # the loop serves it now
    assert answer.startswith(b"HTTP/1.1 200")
    return sent, busy_until


async def test_a_message_is_stamped_when_it_arrived_not_when_the_busy_server_read_it() -> None:
    # Servers in turn, each started after the last closed, as tests and benchmarks start them: Linux then
    # turns its receive stamps off and on again (see FrontDoor.open), and a server that took bytes before
    # they were on stamped them when its loop read them.
    for _ in range(3):
        server = BotApiServer(World(), SIM_TOKEN)
        server.world.chats[7] = ChatInfo(7, "private", first_name="甲")
        await server.start()
        try:
            sent, busy_until = await send_while_busy(server)
        finally:
            await server.close()
        [message] = server.world.bot_messages(7)
        assert message.text == "宪法"
        # when it came (the kernel's clock, converted: within a ms), not when it was read
        assert sent - 0.001 <= message.at < sent + 0.1 < busy_until
        await asyncio.sleep(0.05)  # the next server starts a little later
