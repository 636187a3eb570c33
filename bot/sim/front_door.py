"""The simulated Telegram's front door: it accepts the bot's connections and passes their bytes to the HTTP
server and back through socket pairs, noting when each request arrived by the kernel's receive stamp
(SO_TIMESTAMPNS).

Telegram counts a message when it arrives. The process that plays Telegram in benchmarks/load.py also plays
200 users, and its busy event loop read requests up to 60 ms after they had arrived, which bunched the
arrival stamps of messages sent apart: in one run, sends that left the bot at least 1,069 ms apart 26 at a
time were stamped 26 within 1,013 ms. The kernel stamps bytes as they reach this machine, whatever the event
loop is doing; a request's stamp is that of its last bytes (a connection carries one request at a time)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from collections.abc import Callable

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux's value; Python names it from 3.12 on
CHUNK = 65536


class FrontDoor:
    """Listens on `host`; each connection is served by a fresh protocol of `serve` (the HTTP server's)."""

    def __init__(self, serve: Callable[[], asyncio.Protocol]) -> None:
        self.serve = serve
        self.arrivals: dict[asyncio.Protocol, float] = {}  # served connection: when its last bytes came
        self._tasks: set[asyncio.Task[None]] = set()

    async def open(self, host: str) -> int:
        """Start accepting; the port."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)  # accepted connections inherit it
        listener.setblocking(False)
        listener.bind((host, 0))
        listener.listen(128)
        await asyncio.to_thread(_until_stamped)
        self._spawn(self._accept(listener))
        return int(listener.getsockname()[1])

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, work: object) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        with listener:
            while True:
                client, _ = await loop.sock_accept(listener)
                self._spawn(self._pass(client))

    async def _pass(self, client: socket.socket) -> None:
        """One connection: bytes in, stamped, and answers out, until either side closes it."""
        inside, outside = socket.socketpair()
        outside.setblocking(False)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        protocol = self.serve()
        with client, outside:
            try:
                await asyncio.get_running_loop().connect_accepted_socket(lambda: protocol, inside)
                inwards = asyncio.create_task(self._inwards(client, outside, protocol))
                outwards = asyncio.create_task(self._outwards(outside, client))
                try:  # either side gone (closed, reset, killed): the other goes too
                    await asyncio.wait([inwards, outwards], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    inwards.cancel()
                    outwards.cancel()
                    await asyncio.gather(inwards, outwards, return_exceptions=True)
            finally:
                self.arrivals.pop(protocol, None)

    async def _inwards(
        self, client: socket.socket, outside: socket.socket, protocol: asyncio.Protocol
    ) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError):
            while data := await self._receive(client, protocol):
                await loop.sock_sendall(outside, data)
            outside.shutdown(socket.SHUT_WR)
            await asyncio.Future()  # the answer may still be on its way out

    async def _outwards(self, outside: socket.socket, client: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(OSError):
            while data := await loop.sock_recv(outside, CHUNK):
                await loop.sock_sendall(client, data)

    async def _receive(self, client: socket.socket, protocol: asyncio.Protocol) -> bytes:
        """The next bytes from the bot (b"" at its end), noting when they arrived."""
        while True:
            try:
                data, ancillary, _, _ = client.recvmsg(CHUNK, socket.CMSG_SPACE(16))
            except BlockingIOError:
                await _readable(client)
                continue
            arrived = time.monotonic()
            for level, kind, stamp in ancillary:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    seconds, nanoseconds = struct.unpack("qq", stamp[:16])
                    arrived -= time.time() - (seconds + nanoseconds / 1e9)  # the kernel's clock is the wall's
            if data:
                self.arrivals[protocol] = arrived
            return data


def _until_stamped(timeout: float = 1.0) -> None:
    """Return once this machine stamps the bytes it receives (or after `timeout`: arrivals then fall back
    to when they were read). Linux turns receive stamps on for all sockets when the first one asks, and
    off when the last one closes, in deferred work that runs when the CPU that asked is free: a server
    started after another had closed, taking bytes at once, stamped 9 of 10 of them only when its busy
    loop read them (tests/test_sim_arrivals.py). Waiting here, in a thread, frees the CPU for that work,
    and a byte sent over loopback shows when it is done."""
    deadline = time.monotonic() + timeout
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        probe.bind(("127.0.0.1", 0))
        probe.listen(1)
        while time.monotonic() < deadline:
            with socket.create_connection(probe.getsockname()) as sender:
                sender.sendall(b".")
                received, _ = probe.accept()
                with received:
                    _, ancillary, _, _ = received.recvmsg(1, socket.CMSG_SPACE(16))
            if any(level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS for level, kind, _ in ancillary):
                return
            time.sleep(0.001)


async def _readable(sock: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    loop.add_reader(sock, _settle, ready)
    try:
        await ready
    finally:
        loop.remove_reader(sock)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
