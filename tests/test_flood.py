"""One chat sending a hundred messages a second: told to slow down once, then ignored
for a while, while everyone else is answered as usual. (bench/bench_flood.py measures
the others' reply times during such a flood.)"""

from __future__ import annotations

from handlers.shared.flood import BURST, GATE_KEY, QUIET_FOR, FloodGate

FLOODER, OTHER = 6006, 7007
SLOW_DOWN = "Slow down, please: this chat sent more messages than I can answer."


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def flooding(app) -> Clock:
    clock = Clock()
    app.bot_data[GATE_KEY] = FloodGate(clock=clock)
    return clock


async def test_a_flooding_chat_is_told_once_then_ignored_for_a_while(app, api, driver):
    clock = flooding(app)
    for _ in range(100):  # a second's worth
        await driver.send("/defender Rabkova", user_id=FLOODER)
        clock.now += 0.01
    received = [record.plain for record in api.messages_to(FLOODER)]
    cards = [text for text in received if text.startswith("Marfa Rabkova")]
    warnings = [text for text in received if text.startswith(SLOW_DOWN)]
    assert BURST <= len(cards) <= BURST + 6  # the burst, and what refilled meanwhile
    assert len(warnings) == 1 and warnings[0].endswith("in 1 minute.")
    assert len(received) == len(cards) + 1  # the other eighty went unanswered

    # Meanwhile anyone else is answered as usual.
    [card] = await driver.send("/defender Rabkova", user_id=OTHER)
    assert card.plain.startswith("Marfa Rabkova")

    # Still quiet a little before the minute is up; answered again after it.
    clock.now += QUIET_FOR - 2
    assert await driver.send("/defender Rabkova", user_id=FLOODER) == []
    clock.now += 3
    [again] = await driver.send("/defender Rabkova", user_id=FLOODER)
    assert again.plain.startswith("Marfa Rabkova")


async def test_pressing_buttons_in_a_flood_gets_one_alert(app, api, driver):
    clock = flooding(app)
    [listing] = await driver.send("/list", user_id=FLOODER)
    answers = []
    for _ in range(60):
        answers += await driver.press_data(listing, "list:held:1", user_id=FLOODER)
        clock.now += 0.01
    alerts = [reply for reply in answers if reply.params.get("show_alert")]
    assert len(alerts) == 1
    assert alerts[0].plain.startswith("Too many at once. I will answer this chat again in 1")


def test_a_person_typing_is_never_slowed():
    clock = Clock()
    gate = FloodGate(clock=clock)
    # Three messages a second for ten minutes: far above anyone's typing.
    for _ in range(1800):
        assert gate.admit(FLOODER).value == "admit"
        clock.now += 1 / 3


def test_idle_chats_are_forgotten_when_many_are_tracked(monkeypatch):
    monkeypatch.setattr("handlers.shared.flood.MAX_TRACKED", 100)
    clock = Clock()
    gate = FloodGate(clock=clock)
    for chat in range(100):
        gate.admit(chat)
    clock.now += 60  # every bucket is full again
    gate.admit(1000)
    assert list(gate.buckets) == [1000]


async def test_a_busy_channels_posts_are_not_a_flood(app, api, driver):
    flooding(app)
    for _ in range(50):
        assert await driver.send("news", chat_id=-100123, chat_type="channel") == []
    assert api.messages_to(-100123) == []  # never told to slow down
