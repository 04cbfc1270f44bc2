"""The fake Bot API: Telegram's validation, its refusals as PTB sees them, the transports
and the chat driver that feeds a real Application."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from fakeapi.harness import ChatDriver
from fakeapi.http import serve
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from fakeapi.telegram_html import ParseError, TextRejected, parse_html, prepare_text

TOKEN = "123:TEST"
# PTB 22 warns on every RetryAfter that retry_after will become a timedelta in v23.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)
USER = 1001


class SteppedClock:
    """A clock the test moves, so flood limits are tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def api(clock) -> FakeBotAPI:
    return FakeBotAPI(clock=clock)


@pytest.fixture
async def bot(api):
    async with Bot(TOKEN, request=FakeRequest(api), get_updates_request=FakeRequest(api)) as bot:
        yield bot


# -- parse_mode=HTML ---------------------------------------------------------------

ACCEPTED = [
    ("plain", "plain", []),
    ("<b>bold</b> <strong>s</strong>", "bold s", [("bold", 0, 4), ("bold", 5, 1)]),
    ("<i>i</i><em>e</em><u>u</u><ins>n</ins>", "ieun", [("italic", 0, 1), ("italic", 1, 1),
                                                      ("underline", 2, 1), ("underline", 3, 1)]),
    ("<s>a</s><strike>b</strike><del>c</del>", "abc", [("strikethrough", 0, 1),
                                                      ("strikethrough", 1, 1),
                                                      ("strikethrough", 2, 1)]),
    ('<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>', "xy",
     [("spoiler", 0, 1), ("spoiler", 1, 1)]),
    ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link", [("text_link", 0, 4)]),
    ("<code>c</code>", "c", [("code", 0, 1)]),
    ("<pre>p</pre>", "p", [("pre", 0, 1)]),
    ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", 0, 5)]),
    ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
    ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", [("custom_emoji", 0, 2)]),
    ("<b><i>both</i></b>", "both", [("bold", 0, 4), ("italic", 0, 4)]),
    ("😀<b>x</b>", "😀x", [("bold", 2, 1)]),
    ("&lt;&gt;&amp;&quot;&#65;&#x42;", '<>&"AB', []),
    ("1 > 0", "1 > 0", []),
    ("<B>upper</B>", "upper", [("bold", 0, 5)]),
    ("<b>x</>", "x", [("bold", 0, 1)]),
]  # fmt: skip

REJECTED = [
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("Hi <div>x</div>", 'Unsupported start tag "div" at byte offset 3'),
    ("ы <div>", 'Unsupported start tag "div" at byte offset 3'),  # offsets count UTF-8 bytes
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("<b", "Unclosed start tag at byte offset 0"),
    ('<a href="x', "Unclosed start tag at byte offset 0"),
    ("<span>s</span>", 'Tag "span" must have class "tg-spoiler"'),
    ('<tg-emoji emoji-id="x">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ("&nbsp;", 'Unsupported HTML entity "&nbsp;"'),
    ("AT&T", 'Unsupported HTML entity "&T"'),
    ("&lt without semicolon", "Unsupported HTML entity"),
]


@pytest.mark.parametrize(("html", "plain", "entities"), ACCEPTED)
def test_parser_accepts_telegram_html(html, plain, entities):
    text, found = parse_html(html)
    assert text == plain
    assert [(e["type"], e["offset"], e["length"]) for e in found] == entities


@pytest.mark.parametrize(("html", "detail"), REJECTED)
def test_parser_rejects_what_telegram_rejects(html, detail):
    with pytest.raises(ParseError) as caught:
        parse_html(html)
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert detail in caught.value.description


def test_lenient_mode_keeps_stray_ampersands_like_telegram():
    assert parse_html("AT&T &nbsp; &lt", strict=False)[0] == "AT&T &nbsp; <"


def test_link_language_and_emoji_details():
    _, entities = parse_html(
        '<a href="https://example.org">l</a><pre><code class="language-go">g</code></pre>'
        '<tg-emoji emoji-id="42">👍</tg-emoji><a href="tg://user?id=7">u</a>'
    )
    assert entities[0]["url"] == "https://example.org"
    assert entities[1]["language"] == "go"
    assert entities[2]["custom_emoji_id"] == "42"
    assert entities[3]["type"] == "text_mention" and entities[3]["user"]["id"] == 7


def test_length_is_counted_on_the_parsed_text_in_utf16_units():
    prepare_text("<b>" + "a" * 4096 + "</b>", "HTML")
    prepare_text("😀" * 2048, "HTML")
    for too_long in ("a" * 4097, "😀" * 2048 + "a"):
        with pytest.raises(TextRejected, match="message is too long"):
            prepare_text(too_long, "HTML")
    prepare_text("c" * 1024, "HTML", caption=True)
    with pytest.raises(TextRejected, match="message caption is too long"):
        prepare_text("c" * 1025, "HTML", caption=True)


def test_whitespace_is_trimmed_and_empty_text_refused():
    bold_x = [{"type": "bold", "offset": 0, "length": 1}]
    assert prepare_text("  <b> x </b>\n", "HTML") == ("x", bold_x)
    with pytest.raises(TextRejected, match="message text is empty"):
        prepare_text("<b> </b>", "HTML")


# -- the API's answers --------------------------------------------------------------


def test_handle_returns_telegram_json(api):
    me = api.handle("getMe", {})
    assert me["ok"] is True
    assert me["result"]["username"] == "casewatch_bot"
    assert me["result"]["is_bot"] and me["result"]["supports_inline_queries"]
    assert api.handle("noSuchMethod", {}) == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }
    refused = api.handle("sendMessage", {"chat_id": 1, "text": "<x>", "parse_mode": "HTML"})
    assert refused["error_code"] == 400
    assert refused["description"].startswith("Bad Request: can't parse entities")


def test_messages_count_per_chat_and_land_in_the_transcript(api, clock):
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    first = api.handle(
        "sendMessage",
        {"chat_id": "7", "text": "<b>Hi</b>", "parse_mode": "HTML", "reply_markup": keyboard},
    )["result"]
    second = api.handle("sendMessage", {"chat_id": 7, "text": "again"})["result"]
    other = api.handle("sendMessage", {"chat_id": -5, "text": "group"})["result"]
    assert (first["message_id"], second["message_id"], other["message_id"]) == (1, 2, 1)
    assert first["from"]["username"] == "casewatch_bot"
    assert first["chat"] == {"id": 7, "type": "private", "first_name": "User7"}
    assert first["date"] == int(clock.now)
    assert first["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    record = api.last_message(7)
    assert (record.text, record.plain, record.message_id) == ("again", "again", 2)
    assert api.messages_to(7)[0].text == "<b>Hi</b>"
    assert api.messages_to(7)[0].button_texts == ["Go"]
    assert other["chat"]["type"] == "group"


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "", "callback_data": "x"}, "Text must be non-empty"),
        ({"text": "No action"}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "Too long", "callback_data": "é" * 33}, "BUTTON_DATA_INVALID"),
        ({"text": "Empty", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "Two", "callback_data": "x", "url": "https://x.org"}, "exactly one"),
        ({"text": "Bad", "url": "not a url"}, "Wrong HTTP URL"),
    ],
)
def test_inline_keyboards_are_validated(api, button, description):
    reply = api.handle(
        "sendMessage",
        {"chat_id": 1, "text": "t", "reply_markup": {"inline_keyboard": [[button]]}},
    )
    assert reply["ok"] is False and description in reply["description"]


def test_reply_markup_as_a_json_string_like_ptb_sends_it(api):
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    reply = api.handle("sendMessage", {"chat_id": 1, "text": "t", "reply_markup": markup})
    assert reply["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    broken = api.handle("sendMessage", {"chat_id": 1, "text": "t", "reply_markup": "{"})
    assert broken["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_ptb_sees_a_full_message(bot):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="https://example.org")]])
    message = await bot.send_message(
        USER, "<i>Hello</i> &amp; welcome", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert message.text == "Hello & welcome"
    assert message.entities[0].type == "italic"
    assert message.reply_markup == keyboard
    assert message.from_user.id == bot.id


async def test_edits(bot, api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(USER, "one", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("one", USER, sent.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text("<b>two</b>", USER, sent.message_id, parse_mode="HTML")
    assert edited.text == "two" and edited.edit_date is not None
    assert edited.reply_markup is None  # Telegram drops the keyboard an edit does not repeat
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert api.message(USER, sent.message_id)["text"] == "two"
    assert [r.method for r in api.sent] == [
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
    ]


async def test_delete(bot, api):
    sent = await bot.send_message(USER, "bye")
    assert await bot.delete_message(USER, sent.message_id) is True
    assert api.message(USER, sent.message_id) is None
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_documents_and_chat_actions(bot, api):
    sent = await bot.send_document(
        USER, b"id,name\n", filename="cases.csv", caption="<b>Export</b>", parse_mode="HTML"
    )
    assert sent.document.file_name == "cases.csv" and sent.document.file_size == 8
    assert sent.caption == "Export"
    assert api.files[sent.document.file_id][1] == b"id,name\n"
    assert api.last_message(USER).method == "sendDocument"
    assert await bot.send_chat_action(USER, "typing") is True
    assert api.chat_actions == [(USER, "typing")]


async def test_commands_are_validated_and_stored_per_scope_and_language(bot, api):
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand("start", "Begin")], scope=scope, language_code="ru")
    await bot.set_my_commands([BotCommand("help", "Help")])
    assert [c.command for c in await bot.get_my_commands(scope=scope, language_code="ru")] == [
        "start"
    ]
    assert await bot.get_my_commands(scope=scope) == ()
    assert api.commands_for({"type": "all_private_chats"}, "ru")[0]["description"] == "Begin"
    for bad in (BotCommand("Start", "x"), BotCommand("a" * 33, "x"), BotCommand("ok", "")):
        with pytest.raises(BadRequest):
            await bot.set_my_commands([bad])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_chats_and_members(bot, api):
    assert (await bot.get_chat(USER)).type == "private"
    member = await bot.get_chat_member(-1001, USER)
    assert member.status == "member"
    api.add_chat(-1002, "channel", title="News")
    api.set_member(-1002, bot.id, "administrator", can_post_messages=False)
    me = await bot.get_chat_member(-1002, bot.id)
    assert me.status == "administrator" and me.can_post_messages is False
    assert (await bot.get_chat_administrators(-1002))[0].user.id == bot.id
    with pytest.raises(BadRequest, match="no administrators in the private chat"):
        await bot.get_chat_administrators(USER)


async def test_unknown_chats_can_be_refused(clock):
    api = FakeBotAPI(known_chats_only=True, clock=clock)
    async with Bot(TOKEN, request=FakeRequest(api)) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(404, "hello?")
        api.add_chat(-100777, "supergroup", title="Defenders", username="defenders")
        sent = await bot.send_message("@defenders", "hi")
        assert sent.chat.id == -100777


async def test_updates_queue_and_webhook_conflict(bot, api):
    chat = {"id": USER, "type": "private"}
    pushed = api.push_update({"message": {"message_id": 1, "date": 0, "chat": chat}})
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [pushed["update_id"]]
    assert await bot.get_updates(offset=pushed["update_id"] + 1, timeout=0) == ()
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook() is True


# -- faults, as PTB raises them --------------------------------------------------------


async def test_blocked_user(bot, api):
    api.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hello")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(USER, "typing")
    api.unblock(USER)
    await bot.send_message(USER, "hello again")


async def test_kicked_from_a_group(bot, api):
    api.kick(-42)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(-42, "hello")


async def test_group_migrated_to_supergroup(bot, api):
    api.migrate(-42, -100042)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-42, "hello")
    assert caught.value.new_chat_id == -100042
    assert (await bot.send_message(-100042, "hello")).chat.type == "supergroup"


async def test_flood_control_reply(bot, api):
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "x")
    assert caught.value.retry_after == 7
    assert api.calls[-1].reply["description"] == "Too Many Requests: retry after 7"
    await bot.send_message(USER, "fine now")


@pytest.mark.parametrize(
    ("code", "raised", "words"),
    [
        (500, NetworkError, "Internal Server Error"),
        (502, NetworkError, "Bad Gateway"),
        (400, BadRequest, "Bad Request"),
        (403, Forbidden, "Forbidden"),
    ],
)
async def test_scripted_errors(bot, api, code, raised, words):
    api.fail_next("sendMessage", code, times=2, chat_id=USER)
    for _ in range(2):
        with pytest.raises(raised, match=words):
            await bot.send_message(USER, "x")
    await bot.send_message(USER, "third time works")
    if raised is NetworkError:
        assert not issubclass(raised, BadRequest)


async def test_scripted_errors_target_one_chat(bot, api):
    api.fail_next(None, 500, chat_id=USER)
    await bot.send_message(USER + 1, "other chats are fine")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")


async def test_lost_replies_raise_timed_out(bot, api):
    api.timeout_next("sendMessage")
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "lost")
    assert api.messages_to(USER) == []
    api.timeout_next("sendMessage", delivered=True)
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "arrived anyway")
    assert [r.plain for r in api.messages_to(USER)] == ["arrived anyway"]


async def test_rate_limits(bot, api, clock):
    api.rate_limit(per_second=3, per_chat_per_second=1, per_group_per_minute=2)
    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "b")
    assert caught.value.retry_after == 1
    await bot.send_message(2, "c")
    await bot.send_message(3, "d")
    with pytest.raises(RetryAfter):  # 3 per second across all chats
        await bot.send_message(4, "e")
    clock.now += 1
    await bot.send_message(-10, "g1")
    clock.now += 1
    await bot.send_message(-10, "g2")
    clock.now += 1
    with pytest.raises(RetryAfter) as caught:  # 2 per minute in a group
        await bot.send_message(-10, "g3")
    assert caught.value.retry_after == 58
    assert api.too_many_requests == 3
    api.no_rate_limit()
    await bot.send_message(-10, "g3")


# -- transports ------------------------------------------------------------------------


async def test_http_transport_serves_a_real_bot(api):
    server, base_url = serve(api)
    try:
        async with Bot(TOKEN, base_url=base_url) as bot:
            assert bot.username == "casewatch_bot"
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
            sent = await bot.send_message(
                USER, "<b>over</b> the wire", parse_mode="HTML", reply_markup=keyboard
            )
            assert sent.text == "over the wire" and sent.reply_markup == keyboard
            document = await bot.send_document(USER, b"\x00\x01", filename="blob.bin")
            assert document.document.file_size == 2
            api.fail_next("sendMessage", 429, retry_after=3)
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "x")
            with pytest.raises(BadRequest, match="unsupported start tag"):
                await bot.send_message(USER, "<p>", parse_mode="HTML")
        assert api.messages_to(USER)[0].plain == "over the wire"
    finally:
        server.shutdown()


async def test_http_transport_checks_the_token(clock):
    api = FakeBotAPI(token=TOKEN, clock=clock)
    server, base_url = serve(api)
    try:
        with pytest.raises(InvalidToken):
            await Bot("999:WRONG", base_url=base_url).initialize()
    finally:
        server.shutdown()


# -- the chat driver against a real Application --------------------------------------


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Yes", callback_data="yes")],
         [InlineKeyboardButton("No", callback_data="no")]]
    )  # fmt: skip
    await update.message.reply_html("<b>Subscribe?</b>", reply_markup=keyboard)


async def _choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("Saved")
    await update.callback_query.edit_message_text(f"You chose {update.callback_query.data}")


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def _inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query.query
    result = InlineQueryResultArticle(
        "1", query, InputTextMessageContent(f"<b>{query}</b>", "HTML")
    )
    await update.inline_query.answer([result])


async def _membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault("membership", []).append(
        (update.my_chat_member.chat.id, update.my_chat_member.new_chat_member.status)
    )


async def _migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message.migrate_to_chat_id:
        context.bot_data["moved"] = (message.chat_id, message.migrate_to_chat_id)


@pytest.fixture
async def app(api):
    application = (
        Application.builder()
        .token(TOKEN)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CallbackQueryHandler(_choice))
    application.add_handler(InlineQueryHandler(_inline))
    application.add_handler(ChatMemberHandler(_membership))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, _migration))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo, block=False))
    await application.initialize()
    yield application
    await application.shutdown()


async def test_driver_sees_replies_and_presses_buttons(app, api):
    driver = ChatDriver(app, api, raise_errors=True)
    [question] = await driver.send("/start")
    assert question.plain == "Subscribe?" and question.button_texts == ["Yes", "No"]
    replies = await driver.press(question, "No")
    assert [r.method for r in replies] == ["answerCallbackQuery", "editMessageText"]
    assert replies[0].text == "Saved"
    assert api.message(USER, question.message_id)["text"] == "You chose no"


async def test_driver_awaits_non_blocking_handlers(app, api):
    driver = ChatDriver(app, api, raise_errors=True)
    [echo] = await driver.send("hello there", language_code="ru")
    assert echo.plain == "hello there"
    assert api.users[USER]["language_code"] == "ru"


async def test_driver_group_commands_and_mentions(app, api):
    driver = ChatDriver(app, api, raise_errors=True)
    replies = await driver.send("/start@casewatch_bot", chat_id=-100500, chat_type="supergroup")
    assert replies[0].chat_id == -100500
    assert await driver.send("/start@another_bot", chat_id=-100500, chat_type="supergroup") == []


async def test_driver_inline_queries(app, api):
    driver = ChatDriver(app, api, raise_errors=True)
    [answer] = await driver.inline("Ales")
    assert answer.method == "answerInlineQuery"
    assert answer.params["results"][0]["title"] == "Ales"


async def test_driver_membership_and_migration(app, api):
    driver = ChatDriver(app, api, raise_errors=True)
    await driver.my_chat_member(-600, "member", title="Friends")
    await driver.my_chat_member(USER, "kicked")
    assert app.bot_data["membership"] == [(-600, "member"), (USER, "kicked")]
    with pytest.raises(Forbidden):  # a user who blocked the bot stays blocked
        await app.bot.send_message(USER, "still there?")
    await driver.migrate(-600, -100600)
    assert app.bot_data["moved"] == (-600, -100600)
    with pytest.raises(ChatMigrated):
        await app.bot.send_message(-600, "hello")


async def test_driver_collects_handler_errors(app, api):
    driver = ChatDriver(app, api)
    api.block(USER)
    assert await driver.send("/start") == []
    assert isinstance(driver.errors[0], Forbidden)


async def test_driver_returns_what_the_update_caused_not_background_sends(app, api):
    """A sender running beside a handler (an alert broadcast) is not part of the reply,
    even when its message lands while the handler is still working."""
    handler_started = asyncio.Event()
    background_sent = asyncio.Event()

    async def slow_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handler_started.set()
        await background_sent.wait()
        await update.message.reply_text("Welcome")

    async def background_sender() -> None:
        await handler_started.wait()
        await app.bot.send_message(-777, "An alert for another chat")
        await app.bot.send_message(USER, "An alert for this chat")
        background_sent.set()

    app.add_handler(CommandHandler("slow", slow_start), group=-1)
    sender = asyncio.create_task(background_sender())
    replies = await ChatDriver(app, api, raise_errors=True).send("/slow")
    await sender
    assert [record.plain for record in replies] == ["Welcome"]
    assert [record.plain for record in api.messages_to(USER)] == [
        "An alert for this chat",
        "Welcome",
    ]
