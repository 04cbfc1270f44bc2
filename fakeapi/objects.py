"""Bot API objects as the JSON dicts Telegram sends, complete enough for PTB's de_json."""

from __future__ import annotations

CHAT_TYPES = ("private", "group", "supergroup", "channel")
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
}
# Only channel administrators carry these; Telegram omits them elsewhere.
_CHANNEL_ADMIN_RIGHTS = {"can_post_messages": True, "can_edit_messages": True}
_RESTRICTIONS = {
    "is_member": True,
    "can_send_messages": False,
    "can_send_audios": False,
    "can_send_documents": False,
    "can_send_photos": False,
    "can_send_videos": False,
    "can_send_video_notes": False,
    "can_send_voice_notes": False,
    "can_send_polls": False,
    "can_send_other_messages": False,
    "can_add_web_page_previews": False,
    "can_change_info": False,
    "can_invite_users": False,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "can_edit_tag": False,
    "until_date": 0,
}


def chat_type_for(chat_id: int) -> str:
    """The type Telegram's id ranges imply: users positive, supergroups -100..., groups negative."""
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def user(user_id: int, first_name: str | None = None, **extra) -> dict:
    data = {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}"}
    data.update({key: value for key, value in extra.items() if value is not None})
    return data


def chat(
    chat_id: int,
    chat_type: str | None = None,
    *,
    title: str | None = None,
    username: str | None = None,
    first_name: str | None = None,
) -> dict:
    chat_type = chat_type or chat_type_for(chat_id)
    if chat_type not in CHAT_TYPES:
        raise ValueError(f"unknown chat type {chat_type!r}")
    data: dict = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        data["first_name"] = first_name or f"User{chat_id}"
    else:
        data["title"] = title or f"Chat {chat_id}"
    if username:
        data["username"] = username
    return data


def chat_full_info(chat_data: dict) -> dict:
    """getChat's answer: the chat plus the fields ChatFullInfo requires."""
    return {
        **chat_data,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def member(user_data: dict, status: str, chat_type: str = "group", **rights) -> dict:
    """A ChatMember of the given status; ``rights`` override the defaults of that status."""
    if status not in MEMBER_STATUSES:
        raise ValueError(f"unknown member status {status!r}; one of {MEMBER_STATUSES}")
    data: dict = {"status": status, "user": user_data}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(_ADMIN_RIGHTS)
        if chat_type == "channel":
            data.update(_CHANNEL_ADMIN_RIGHTS)
    elif status == "restricted":
        data.update(_RESTRICTIONS)
    elif status == "kicked":
        data["until_date"] = 0
    data.update(rights)
    return data


def poll(
    question: str, options: list[str], *, poll_id: str = "1", bot_api: tuple[int, int] = (10, 0)
) -> dict:
    """A regular anonymous poll as a Bot API server of version ``bot_api`` sends it.

    Before 9.6 a server sends no ``allows_revoting`` and no option
    ``persistent_id``, before 10.0 no ``members_only``: python-telegram-bot
    22.8 requires them, so such a poll (a self-hosted server not yet updated,
    behind BOT_API_URL) is an update the library cannot read.
    """
    data: dict = {
        "id": poll_id,
        "question": question,
        "options": [{"text": text, "voter_count": 0} for text in options],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }
    if bot_api >= (9, 6):
        data["allows_revoting"] = True
        for number, option in enumerate(data["options"]):
            option["persistent_id"] = str(number)
    if bot_api >= (10, 0):
        data["members_only"] = False
    return data
