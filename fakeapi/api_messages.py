"""Sending, editing and deleting messages."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

from fakeapi.errors import bad_request
from fakeapi.markup import check_reply_markup, inline_only
from fakeapi.params import Upload
from fakeapi.registry import api_method
from fakeapi.telegram_html import prepare_text

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip


class MessageMethods:
    """Mixed into FakeBotAPI; relies on its state and helpers."""

    def _text(self, params: dict, field: str, *, caption: bool) -> tuple[str, list[dict]]:
        entities_field = "caption_entities" if caption else "entities"
        return prepare_text(
            params.get(field),
            params.get("parse_mode"),
            params.get(entities_field),
            caption=caption,
            strict=self.strict_html,
        )

    def _new_message(self, chat: dict, params: dict, **content) -> dict:
        message_id = self.next_message_id(chat["id"])
        message = {"message_id": message_id, "date": int(self.clock()), "chat": chat}
        if chat["type"] == "channel":
            message["sender_chat"] = chat  # channel posts come from the channel, not the bot
        else:
            message["from"] = self.bot_user
        reply_to = params.get("reply_parameters") or {}
        if reply_to.get("message_id"):
            replied = self.messages.get((chat["id"], reply_to["message_id"]))
            if replied is not None:
                message["reply_to_message"] = copy.deepcopy(replied)
            elif not reply_to.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        message.update({key: value for key, value in content.items() if value})
        self.messages[(chat["id"], message_id)] = message
        return message

    @api_method("sendMessage")
    def send_message(self, params: dict) -> dict:
        chat = self._chat(params.get("chat_id"))
        plain, entities = self._text(params, "text", caption=False)
        markup = check_reply_markup(params.get("reply_markup"))
        preview = params.get("link_preview_options")
        if preview is not None and not isinstance(preview, dict):
            raise bad_request("can't parse link preview options JSON object")
        message = self._new_message(
            chat,
            params,
            text=plain,
            entities=entities,
            link_preview_options=preview,
            reply_markup=inline_only(markup),
        )
        self._record("sendMessage", params, chat["id"], params.get("text"), plain, markup, message)
        return message

    @api_method("sendDocument")
    def send_document(self, params: dict) -> dict:
        return self._send_file(params, "document")

    @api_method("sendPhoto")
    def send_photo(self, params: dict) -> dict:
        return self._send_file(params, "photo")

    def _send_file(self, params: dict, kind: str) -> dict:
        chat = self._chat(params.get("chat_id"))
        source = params.get(kind)
        if not source:
            raise bad_request(f"there is no {kind} in the request")
        file_data = self._stored_file(source, kind)
        plain, entities = self._text(params, "caption", caption=True)
        markup = check_reply_markup(params.get("reply_markup"))
        attachment = [{**file_data, "width": 800, "height": 600}] if kind == "photo" else file_data
        message = self._new_message(
            chat,
            params,
            **{kind: attachment},
            caption=plain,
            caption_entities=entities,
            reply_markup=inline_only(markup),
        )
        method = "sendPhoto" if kind == "photo" else "sendDocument"
        self._record(method, params, chat["id"], params.get("caption"), plain, markup, message)
        return message

    def _stored_file(self, source: object, kind: str) -> dict:
        """File metadata for an upload, a file_id sent before, or a URL."""
        if isinstance(source, str) and source in self.files:
            return dict(self.files[source][0])
        if isinstance(source, Upload):
            name, content, mime = source.filename, source.content, source.mime_type
        elif isinstance(source, str) and urlsplit(source).scheme in ("http", "https"):
            name = urlsplit(source).path.rsplit("/", 1)[-1] or "file"
            content, mime = b"", "application/octet-stream"
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        number = len(self.files) + 1
        data = {"file_id": f"{kind.upper()}-{number}", "file_unique_id": f"U{number}"}
        if kind == "document":
            data.update(file_name=name, mime_type=mime)
        data["file_size"] = len(content)
        self.files[data["file_id"]] = (data, content)
        return dict(data)

    @api_method("sendChatAction")
    def send_chat_action(self, params: dict) -> bool:
        chat = self._chat(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat["id"], params["action"]))
        return True

    def _editable(self, params: dict) -> tuple[dict, dict]:
        chat = self._chat(params.get("chat_id"))
        message = self.messages.get((chat["id"], params.get("message_id")))
        if message is None:
            raise bad_request("message to edit not found")
        author = message.get("from", {}).get("id")
        if author is not None and author != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, method: str, params: dict, message: dict, changes: dict) -> dict:
        if all((message.get(key) or None) == (value or None) for key, value in changes.items()):
            raise bad_request(NOT_MODIFIED)
        for key, value in changes.items():
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        message["edit_date"] = int(self.clock())
        field = "caption" if "caption" in message else "text"
        self._record(
            method,
            params,
            message["chat"]["id"],
            params.get(field) if field in params else message.get(field),
            message.get(field),
            message.get("reply_markup"),
            message,
        )
        return message

    @api_method("editMessageText")
    def edit_message_text(self, params: dict) -> dict | bool:
        plain, entities = self._text(params, "text", caption=False)
        markup = inline_only(check_reply_markup(params.get("reply_markup")))
        if params.get("inline_message_id"):
            self._record("editMessageText", params, None, params.get("text"), plain, markup, None)
            return True
        _, message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        changes = {"text": plain, "entities": entities, "reply_markup": markup}
        return self._apply_edit("editMessageText", params, message, changes)

    @api_method("editMessageCaption")
    def edit_message_caption(self, params: dict) -> dict | bool:
        plain, entities = self._text(params, "caption", caption=True)
        markup = inline_only(check_reply_markup(params.get("reply_markup")))
        if params.get("inline_message_id"):
            return True
        _, message = self._editable(params)
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        changes = {"caption": plain, "caption_entities": entities, "reply_markup": markup}
        return self._apply_edit("editMessageCaption", params, message, changes)

    @api_method("editMessageReplyMarkup")
    def edit_message_reply_markup(self, params: dict) -> dict | bool:
        markup = inline_only(check_reply_markup(params.get("reply_markup")))
        if params.get("inline_message_id"):
            return True
        _, message = self._editable(params)
        return self._apply_edit("editMessageReplyMarkup", params, message, {"reply_markup": markup})

    @api_method("deleteMessage")
    def delete_message(self, params: dict) -> bool:
        chat = self._chat(params.get("chat_id"))
        message = self.messages.pop((chat["id"], params.get("message_id")), None)
        if message is None:
            raise bad_request("message to delete not found")
        self._record("deleteMessage", params, chat["id"], None, None, None, message)
        return True

    @api_method("deleteMessages")
    def delete_messages(self, params: dict) -> bool:
        chat = self._chat(params.get("chat_id"))
        for message_id in params.get("message_ids") or []:
            message = self.messages.pop((chat["id"], message_id), None)
            if message is not None:
                self._record("deleteMessage", params, chat["id"], None, None, None, message)
        return True
