"""Chats and their members, and the queries users send from them."""

from __future__ import annotations

from fakeapi import objects
from fakeapi.errors import bad_request
from fakeapi.markup import check_reply_markup
from fakeapi.registry import api_method
from fakeapi.telegram_html import TextRejected, prepare_text

QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50


class ChatMethods:
    """Mixed into FakeBotAPI; relies on its state and helpers."""

    def _member(self, chat: dict, user_id: int) -> dict:
        stored = self.members.get((chat["id"], user_id))
        if stored is not None:
            return stored
        user_data = self.bot_user if user_id == self.bot_user["id"] else self._user(user_id)
        return objects.member(user_data, "member", chat["type"])

    def _user(self, user_id: int) -> dict:
        return self.users.get(user_id) or objects.user(user_id)

    @api_method("getChat")
    def get_chat(self, params: dict) -> dict:
        return objects.chat_full_info(self._chat(params.get("chat_id")))

    @api_method("getChatMember")
    def get_chat_member(self, params: dict) -> dict:
        chat = self._chat(params.get("chat_id"))
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise bad_request("invalid user_id specified")
        return self._member(chat, user_id)

    @api_method("getChatAdministrators")
    def get_chat_administrators(self, params: dict) -> list[dict]:
        chat = self._chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        return [
            member
            for (chat_id, _), member in self.members.items()
            if chat_id == chat["id"] and member["status"] in ("creator", "administrator")
        ]

    @api_method("getChatMemberCount")
    def get_chat_member_count(self, params: dict) -> int:
        chat = self._chat(params.get("chat_id"))
        present = [
            member
            for (chat_id, _), member in self.members.items()
            if chat_id == chat["id"] and member["status"] not in ("left", "kicked")
        ]
        return max(len(present), 2)

    @api_method("leaveChat")
    def leave_chat(self, params: dict) -> bool:
        chat = self._chat(params.get("chat_id"))
        self.set_member(chat["id"], self.bot_user["id"], "left")
        return True

    @api_method("answerCallbackQuery")
    def answer_callback_query(self, params: dict) -> bool:
        query_id = params.get("callback_query_id")
        query = self.callback_queries.get(query_id)
        if query is None or query.get("answer") is not None:
            raise bad_request(QUERY_EXPIRED)
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answer"] = params
        self._record("answerCallbackQuery", params, query.get("chat_id"), text, text, None, None)
        return True

    @api_method("answerInlineQuery")
    def answer_inline_query(self, params: dict) -> bool:
        query_id = params.get("inline_query_id")
        query = self.inline_queries.get(query_id)
        if query is None or query.get("answer") is not None:
            raise bad_request(QUERY_EXPIRED)
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen = set()
        for result in results:
            self._check_inline_result(result, seen)
        query["answer"] = params
        self._record("answerInlineQuery", params, None, None, None, None, None)
        return True

    def _check_inline_result(self, result: object, seen: set) -> None:
        if not isinstance(result, dict) or "type" not in result:
            raise bad_request("can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        check_reply_markup(result.get("reply_markup"))
        content = result.get("input_message_content")
        if result["type"] == "article" and not content:
            raise bad_request("can't parse InlineQueryResultArticle: input_message_content missing")
        if content and "message_text" in content:
            try:
                prepare_text(
                    content["message_text"],
                    content.get("parse_mode"),
                    content.get("entities"),
                    strict=self.strict_html,
                )
            except TextRejected as error:
                raise bad_request(error.description.removeprefix("Bad Request: ")) from None
