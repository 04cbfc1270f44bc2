"""The bot itself: identity, commands, descriptions, and how it receives updates."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from fakeapi.errors import ApiError, bad_request
from fakeapi.registry import api_method

MAX_COMMANDS = 100
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"([a-z]{2})?")
_SCOPES = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
# Telegram delivers webhooks to these ports only; a secret token is 1-256 of these characters.
_WEBHOOK_PORTS = (443, 80, 88, 8443)
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,}")
# The longest text Telegram takes for each part of the bot's profile.
_PROFILE_TEXTS = {"description": 512, "short_description": 120, "name": 64}


def scope_key(scope: dict | None) -> str:
    """One spelling per scope, so the same scope always finds the same commands."""
    scope = scope or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("unsupported bot command scope type")
    fields = _SCOPES[scope["type"]]
    canonical = {"type": scope["type"]}
    for field in fields:
        value = scope.get(field)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if value in (None, ""):
            raise bad_request(f"{field} is empty in the command scope")
        canonical[field] = value
    return json.dumps(canonical, sort_keys=True)


def _language(params: dict) -> str:
    code = params.get("language_code") or ""
    if not _LANGUAGE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


class BotMethods:
    """Mixed into FakeBotAPI; relies on its state and helpers."""

    @api_method("getMe")
    def get_me(self, params: dict) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @api_method("setMyCommands")
    def set_my_commands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (scope_key(params.get("scope")), _language(params))
        stored = [{"command": c["command"], "description": c["description"]} for c in commands]
        if stored:
            self.commands[key] = stored
        else:
            self.commands.pop(key, None)
        return True

    @api_method("getMyCommands")
    def get_my_commands(self, params: dict) -> list[dict]:
        return self.commands.get((scope_key(params.get("scope")), _language(params)), [])

    @api_method("deleteMyCommands")
    def delete_my_commands(self, params: dict) -> bool:
        self.commands.pop((scope_key(params.get("scope")), _language(params)), None)
        return True

    def _set_profile_text(self, field: str, params: dict) -> bool:
        value = params.get(field) or ""
        if len(value) > _PROFILE_TEXTS[field]:
            raise bad_request(f"{field.replace('_', ' ')} is too long")
        self.profile_texts[(field, _language(params))] = value
        return True

    def _get_profile_text(self, field: str, params: dict) -> dict:
        return {field: self.profile_texts.get((field, _language(params)), "")}

    @api_method("setMyDescription")
    def set_my_description(self, params: dict) -> bool:
        return self._set_profile_text("description", params)

    @api_method("getMyDescription")
    def get_my_description(self, params: dict) -> dict:
        return self._get_profile_text("description", params)

    @api_method("setMyShortDescription")
    def set_my_short_description(self, params: dict) -> bool:
        return self._set_profile_text("short_description", params)

    @api_method("getMyShortDescription")
    def get_my_short_description(self, params: dict) -> dict:
        return self._get_profile_text("short_description", params)

    @api_method("setMyName")
    def set_my_name(self, params: dict) -> bool:
        return self._set_profile_text("name", params)

    @api_method("getMyName")
    def get_my_name(self, params: dict) -> dict:
        return self._get_profile_text("name", params)

    @api_method("setChatMenuButton")
    def set_chat_menu_button(self, params: dict) -> bool:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button") or {"type": "default"}
        return True

    @api_method("getChatMenuButton")
    def get_chat_menu_button(self, params: dict) -> dict:
        return self.menu_buttons.get(params.get("chat_id"), {"type": "commands"})

    @api_method("getUpdates")
    def get_updates(self, params: dict) -> list[dict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset") or 0
        # As on Telegram, asking from an offset confirms every update before it.
        self.pending_updates[:] = [u for u in self.pending_updates if u["update_id"] >= offset]
        return self.pending_updates[: params.get("limit") or 100]

    @api_method("setWebhook")
    def set_webhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if not url:  # an empty URL removes the webhook, as deleteWebhook does
            return self.delete_webhook(params)
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        try:
            port = parts.port or 443
        except ValueError:
            port = -1
        if port not in _WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.get("secret_token")
        if secret is not None:
            if not _WEBHOOK_SECRET.fullmatch(str(secret)):
                raise bad_request("secret token contains unallowed characters")
            if len(str(secret)) > 256:
                raise bad_request("secret token is too long")
        self.webhook_url = url
        self.webhook_secret = secret
        self.webhook_error = None
        if params.get("drop_pending_updates"):
            self.pending_updates.clear()
        return True

    @api_method("deleteWebhook")
    def delete_webhook(self, params: dict) -> bool:
        self.webhook_url = ""
        self.webhook_secret = None
        self.webhook_error = None
        if params.get("drop_pending_updates"):
            self.pending_updates.clear()
        return True

    @api_method("getWebhookInfo")
    def get_webhook_info(self, params: dict) -> dict:
        info = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending_updates),
        }
        if self.webhook_url and self.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        return info

    def fail_webhook_delivery(self, message: str) -> None:
        """Telegram could not deliver to the webhook (say "Connection refused"); getWebhookInfo
        reports it, as last_error_date and last_error_message, until the webhook is set again."""
        with self.lock:
            self.webhook_error = (int(self.clock()), message)

    @api_method("close")
    def close(self, params: dict) -> bool:
        return True

    @api_method("logOut")
    def log_out(self, params: dict) -> bool:
        return True
