"""The simulated Bot API server: chats, messages and polls, answering the methods a bot calls."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 900000001
BOT_USERNAME = "pufa_sim_bot"
MAX_TEXT = 4096


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]


@dataclass
class SimMessage:
    """A message as the simulated server keeps it (the bot's or a person's)."""

    chat_id: int
    message_id: int
    from_id: int
    text: str | None = None
    reply_markup: dict[str, Any] | None = None
    poll: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    photo: dict[str, Any] | None = None
    caption: str | None = None
    edits: int = 0
    deleted: bool = False
    date: int = field(default_factory=lambda: int(time.time()))
    at: float = field(default_factory=time.monotonic)  # when the server took it, for pace checks

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def button(self, label: str | int) -> dict[str, Any]:
        flat = [b for row in self.buttons for b in row]
        if isinstance(label, int):
            return flat[label]
        matches = [b for b in flat if b["text"] == label] or [b for b in flat if label in b["text"]]
        if not matches:
            raise LookupError(f"no button {label!r} in {[b['text'] for b in flat]}")
        return matches[0]


@dataclass
class ChatInfo:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    admins: set[int] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        return data


class World:
    """State of the simulated Telegram and the Bot API methods over it."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.chats: dict[int, ChatInfo] = {}
        self.messages: dict[tuple[int, int], SimMessage] = {}
        self._by_chat: dict[int, list[SimMessage]] = {}  # in message id order
        self.polls: dict[str, dict[str, Any]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}  # uploads (documents, photos) by file id
        self.failures: dict[str, list[ApiError]] = {}  # see fail()
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._poll_ids = itertools.count(1)

    # -- helpers used by the simulator --------------------------------------------------------
    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def store(self, message: SimMessage) -> SimMessage:
        """Keep a new message (ids only grow within a chat)."""
        self.messages[(message.chat_id, message.message_id)] = message
        self._by_chat.setdefault(message.chat_id, []).append(message)
        return message

    def chat_messages(self, chat_id: int) -> list[SimMessage]:
        return self._by_chat.get(chat_id, [])

    def bot_messages(self, chat_id: int) -> list[SimMessage]:
        return [m for m in self.chat_messages(chat_id) if m.from_id == BOT_ID and not m.deleted]

    def message_dict(self, m: SimMessage) -> dict[str, Any]:
        chat = self.chats[m.chat_id]
        sender = (
            self.bot_user()
            if m.from_id == BOT_ID
            else self.users.get(m.from_id, {"id": m.from_id, "is_bot": False, "first_name": "?"})
        )
        data: dict[str, Any] = {
            "message_id": m.message_id,
            "date": m.date,
            "chat": chat.to_dict(),
            "from": sender,
        }
        for key in ("text", "reply_markup", "poll", "document", "caption"):
            if getattr(m, key) is not None:
                data[key] = getattr(m, key)
        if m.photo is not None:
            data["photo"] = [m.photo]
        if m.edits:
            data["edit_date"] = m.date
        return data

    @staticmethod
    def bot_user() -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "普法助手",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    # -- the Bot API ----------------------------------------------------------------------------
    def fail(self, method: str, error: ApiError, times: int = 1) -> None:
        """Make the next `times` calls of `method` fail with `error`, as Telegram sometimes does (a 400
        for a message that cannot be edited, a 502, a 429 with retry_after)."""
        self.failures.setdefault(method.lower(), []).extend([error] * times)

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append(ApiCall(method, params))
        pending = self.failures.get(method.lower())
        if pending:
            raise pending.pop(0)
        impl = getattr(self, f"api_{method.lower()}", None)
        if impl is None:
            return True
        return impl(params)

    def _chat(self, params: dict[str, Any]) -> ChatInfo:
        chat_id = int(params["chat_id"])
        if chat_id not in self.chats:
            raise ApiError("Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError("Forbidden: bot was blocked by the user", 403)
        return self.chats[chat_id]

    def _new_bot_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = self._chat(params)
        message = SimMessage(
            chat.id, self.next_message_id(chat.id), BOT_ID, reply_markup=params.get("reply_markup"), **content
        )
        return self.message_dict(self.store(message))

    def api_getme(self, _params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user()

    def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        if not text.strip():
            raise ApiError("Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError("Bad Request: message is too long")
        return self._new_bot_message(params, text=text)

    def _upload(self, params: dict[str, Any], field: str, file_id: str) -> str | None:
        """Keep an uploaded file's bytes under `file_id`; its file name (both transports hand the upload
        over as {"file_name", "content"})."""
        upload = params.get(field)
        if isinstance(upload, dict) and "content" in upload:
            self.files[file_id] = upload["content"]
            return str(upload.get("file_name") or "")
        return None

    def api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"photo{len(self.calls)}"
        self._upload(params, "photo", file_id)
        photo = {"file_id": file_id, "file_unique_id": f"p{len(self.calls)}", "width": 1, "height": 1}
        return self._new_bot_message(params, photo=photo, caption=params.get("caption"))

    def api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"doc{len(self.calls)}"
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"d{len(self.calls)}"}
        name = self._upload(params, "document", file_id)
        if name:
            document["file_name"] = name
        return self._new_bot_message(params, document=document, caption=params.get("caption"))

    def api_copymessage(self, params: dict[str, Any]) -> dict[str, Any]:
        """A copy of a message (its text, or its photo or file and caption) sent by the bot; a caption
        given replaces the original's."""
        original = self.messages.get((int(params["from_chat_id"]), int(params["message_id"])))
        if original is None or original.deleted:
            raise ApiError("Bad Request: message to copy not found")
        if original.poll is not None:
            raise ApiError("Bad Request: message can't be copied")
        caption = params.get("caption", original.caption)
        copy = self._new_bot_message(params, text=original.text, document=original.document,
                                     photo=original.photo, caption=caption)  # fmt: skip
        return {"message_id": copy["message_id"]}

    def api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError("Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}"}  # fmt: skip

    def download(self, file_path: str) -> bytes:
        """A file's bytes by the `file_path` getFile gave (what the file URL serves)."""
        file_id = file_path.rsplit("/", 1)[-1]
        if file_id not in self.files:
            raise ApiError("Not Found", 404)
        return self.files[file_id]

    def api_sendpoll(self, params: dict[str, Any]) -> dict[str, Any]:
        poll_id = str(next(self._poll_ids))
        options = params.get("options", [])
        poll = {
            "id": poll_id,
            "question": params["question"],
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": False,
            "total_voter_count": 0,
            "allows_revoting": False,
            "members_only": False,
            "options": [
                {
                    "text": o if isinstance(o, str) else o.get("text"),
                    "voter_count": 0,
                    "persistent_id": f"{poll_id}-{i}",
                }
                for i, o in enumerate(options)
            ],
        }
        if "correct_option_ids" in params:
            poll["correct_option_ids"] = list(params["correct_option_ids"])
        if "open_period" in params:
            poll["open_period"] = params["open_period"]
        self.polls[poll_id] = poll
        return self._new_bot_message(params, poll=poll)

    def api_stoppoll(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        assert message.poll is not None
        message.poll["is_closed"] = True
        return message.poll

    def _find(self, params: dict[str, Any]) -> SimMessage:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None or message.deleted:
            raise ApiError("Bad Request: message to edit not found")
        return message

    def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        text = str(params.get("text", ""))
        if len(text) > MAX_TEXT:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"
            )
        message.text, message.reply_markup = text, markup
        message.edits += 1
        return self.message_dict(message)

    def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = params.get("reply_markup")
        if markup == message.reply_markup:
            raise ApiError("Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return self.message_dict(message)

    def api_deletemessage(self, params: dict[str, Any]) -> bool:
        self._find(params).deleted = True
        return True

    def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id in self.callback_answers:
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_answers[query_id] = params
        return True

    def api_setmycommands(self, params: dict[str, Any]) -> bool:
        """Kept by language code ("" for none); a scoped menu as "<scope type>[:<chat id>]/<language>"."""
        key, scope = str(params.get("language_code", "")), params.get("scope")
        if isinstance(scope, dict):
            chat = f":{scope['chat_id']}" if "chat_id" in scope else ""
            key = f"{scope['type']}{chat}/{key}"
        self.commands[key] = list(params.get("commands", []))
        return True

    def api_getwebhookinfo(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def api_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        user_id = int(params["user_id"])
        status = "administrator" if user_id in chat.admins else "member"
        member: dict[str, Any] = {
            "status": status,
            "user": self.users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "?"}),
        }
        if status == "administrator":
            member.update(
                {
                    k: True
                    for k in (
                        "can_be_edited",
                        "is_anonymous",
                        "can_manage_chat",
                        "can_delete_messages",
                        "can_manage_video_chats",
                        "can_restrict_members",
                        "can_promote_members",
                        "can_change_info",
                        "can_invite_users",
                        "can_post_stories",
                        "can_edit_stories",
                        "can_delete_stories",
                    )
                }
            )
        return member


def encode(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()


def encode_error(error: ApiError) -> bytes:
    return json.dumps({"ok": False, "error_code": error.code, "description": error.description}).encode()
