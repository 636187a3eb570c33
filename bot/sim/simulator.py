"""Drive the real Application as Telegram users would: text, commands, button presses, poll answers."""

from __future__ import annotations

import itertools
import re
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.sim.world import BOT_USERNAME, ApiError, ChatInfo, SimMessage, World, encode, encode_error

SIM_TOKEN = "123456:SIMULATED-TELEGRAM"
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")


class SimRequest(BaseRequest):
    """A `BaseRequest` that answers every Bot API call from the simulated `World`."""

    def __init__(self, world: World) -> None:
        self.world = world

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download (File.download_*): its bytes, not an API call
            try:
                return 200, self.world.download(url.split("/file/bot", 1)[1].split("/", 1)[1])
            except ApiError as error:
                return error.code, encode_error(error)
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        uploads = (request_data.multipart_data if request_data else None) or {}
        for key, (file_name, content, *_mime) in uploads.items():  # as bot/sim/http.py reads multipart parts
            params[key] = {"file_name": file_name, "content": content}
        try:
            return 200, encode(self.world.handle(api_method, params))
        except ApiError as error:
            return error.code, encode_error(error)


class Simulator:
    """People in the simulated Telegram. Their updates go into an Application wired to a `SimRequest`
    over `world`; a subclass may send them another way (the black-box suite: over HTTP, to the bot
    running as its own process), overriding `process`."""

    def __init__(self, app: Application | None, world: World) -> None:  # type: ignore[type-arg]
        self.app = app
        self.world = world
        self._update_ids = itertools.count(1)
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def user(
        self, first_name: str = "小明", language_code: str | None = "zh-hans", user_id: int | None = None
    ) -> SimUser:
        uid = user_id if user_id is not None else next(self._user_ids)
        data = {"id": uid, "is_bot": False, "first_name": first_name}
        if language_code:
            data["language_code"] = language_code
        self.world.users[uid] = data
        self.world.chats.setdefault(uid, ChatInfo(uid, "private", first_name=first_name))
        return SimUser(self, data)

    def group(self, title: str = "三年级二班", admins: list[SimUser] | None = None) -> SimChat:
        chat_id = -1000000000000 - next(self._group_ids)
        chat = ChatInfo(chat_id, "supergroup", title=title, admins={u.id for u in admins or []})
        self.world.chats[chat_id] = chat
        return SimChat(self, chat)

    async def deliver(self, payload: dict[str, Any]) -> None:
        """Process one update (a payload without update_id gets a fresh one)."""
        data = dict(payload)
        data.setdefault("update_id", next(self._update_ids))
        await self.process(data)

    async def process(self, data: dict[str, Any]) -> None:
        """Have the bot handle the update and return when it has."""
        if self.app is None:
            raise RuntimeError("this simulator has no Application to process updates")
        await self.app.process_update(Update.de_json(data, self.app.bot))

    def next_query_id(self) -> str:
        return str(next(self._query_ids))


class SimChat:
    def __init__(self, sim: Simulator, info: ChatInfo) -> None:
        self.sim = sim
        self.info = info
        self.id = info.id

    @property
    def bot_messages(self) -> list[SimMessage]:
        return self.sim.world.bot_messages(self.id)

    @property
    def last(self) -> SimMessage:
        messages = self.bot_messages
        if not messages:
            raise LookupError("the bot has sent nothing in this chat")
        return messages[-1]


class SimUser:
    """A person in the simulated Telegram. `send`/`press` return what the bot sent in reply."""

    def __init__(self, sim: Simulator, data: dict[str, Any]) -> None:
        self.sim = sim
        self.data = data
        self.id: int = data["id"]
        self.private = SimChat(sim, sim.world.chats[self.id])
        self.last_alert: dict[str, Any] | None = None

    @property
    def last(self) -> SimMessage:
        return self.private.last

    def _sent_since(self, mark: int, chat_id: int) -> list[SimMessage]:
        return [m for m in self.sim.world.bot_messages(chat_id) if m.message_id > mark]

    def _mark(self, chat_id: int) -> int:
        messages = self.sim.world.chat_messages(chat_id)
        return messages[-1].message_id if messages else 0

    def message_payload(self, text: str, chat: SimChat | None = None) -> dict[str, Any]:
        """The update a message from this user would produce (not yet delivered)."""
        world = self.sim.world
        target = chat or self.private
        message = world.store(SimMessage(target.id, world.next_message_id(target.id), self.id, text=text))
        data = world.message_dict(message)
        entities = []
        command = _COMMAND.match(text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": len(command.group(0))})
        for mention in re.finditer("@" + BOT_USERNAME, text):
            entities.append({"type": "mention", "offset": mention.start(), "length": len(mention.group(0))})
        if entities:
            data["entities"] = entities
        return {"message": data}

    async def send(self, text: str, chat: SimChat | None = None) -> list[SimMessage]:
        target = chat or self.private
        mark = self._mark(target.id)
        await self.sim.deliver(self.message_payload(text, chat))
        return self._sent_since(mark, target.id)

    async def send_document(self, file_name: str, content: bytes) -> list[SimMessage]:
        """Send a file (a document) in the private chat; the bot may fetch it with getFile."""
        world = self.sim.world
        file_id = f"up{len(world.files) + 1}"
        world.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                    "file_size": len(content)}  # fmt: skip
        mark = self._mark(self.id)
        message = world.store(SimMessage(self.id, world.next_message_id(self.id), self.id, document=document))
        await self.sim.deliver({"message": world.message_dict(message)})
        return self._sent_since(mark, self.id)

    def press_payload(
        self, label: str | int, message: SimMessage | None = None, data: str | None = None
    ) -> dict[str, Any]:
        """The update a button press would produce; `data` forges the callback data."""
        world = self.sim.world
        message = message or self._last_with_buttons()
        callback_data = data if data is not None else message.button(label)["callback_data"]
        return {
            "callback_query": {
                "id": self.sim.next_query_id(),
                "from": self.data,
                "chat_instance": str(message.chat_id),
                "data": callback_data,
                "message": world.message_dict(message),
            }
        }

    async def press(
        self, label: str | int, message: SimMessage | None = None, data: str | None = None
    ) -> list[SimMessage]:
        payload = self.press_payload(label, message, data)
        chat_id = payload["callback_query"]["message"]["chat"]["id"]
        mark = self._mark(chat_id)
        await self.sim.deliver(payload)
        self.last_alert = self.sim.world.callback_answers.get(payload["callback_query"]["id"])
        return self._sent_since(mark, chat_id)

    async def answer_poll(self, message: SimMessage, option: int) -> None:
        assert message.poll is not None
        poll_id = message.poll["id"]
        answer = {"poll_id": poll_id, "user": self.data, "option_ids": [option],
                  "option_persistent_ids": [f"{poll_id}-{option}"]}  # fmt: skip
        await self.sim.deliver({"poll_answer": answer})

    def _last_with_buttons(self) -> SimMessage:
        for message in reversed(self.private.bot_messages):
            if message.buttons:
                return message
        raise LookupError("no bot message with buttons in the private chat")
