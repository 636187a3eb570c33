"""The simulated Telegram stamps a message when it arrived, by the kernel's stamp, even while its event loop
is busy (benchmarks/load.py's driver also plays 200 users): stamped when the loop got to them, messages
sent apart were stamped together, and the load benchmark counted more in one second than were sent."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from bot.sim.http import BotApiServer
from bot.sim.simulator import SIM_TOKEN
from bot.sim.world import ChatInfo, World


def post(port: int, sent: list[float], answers: list[bytes]) -> None:
    """sendMessage over a plain socket, from a thread, while the server's event loop may be busy."""
    body = b"chat_id=7&text=%E5%AE%AA%E6%B3%95"
    head = (f"POST /bot{SIM_TOKEN}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
    with socket.create_connection(("127.0.0.1", port)) as connection:
        sent.append(time.monotonic())
        connection.sendall(head.encode() + body)
        answers.append(connection.recv(65536))


async def test_a_message_is_stamped_when_it_arrived_not_when_the_busy_server_read_it() -> None:
    server = BotApiServer(World(), SIM_TOKEN)
    server.world.chats[7] = ChatInfo(7, "private", first_name="甲")
    await server.start()
    sent: list[float] = []
    answers: list[bytes] = []
    try:
        client = threading.Thread(target=post, args=(server.port, sent, answers))
        client.start()
        time.sleep(0.3)  # the server's event loop is busy meanwhile
        busy_until = time.monotonic()
        await asyncio.to_thread(client.join, 10)  # the loop serves it now
    finally:
        await server.close()
    assert answers and answers[0].startswith(b"HTTP/1.1 200")
    [message] = server.world.bot_messages(7)
    assert message.text == "宪法"
    # when it came (the kernel's clock, converted: within a ms), not when it was read
    assert sent[0] - 0.001 <= message.at < sent[0] + 0.1 < busy_until
