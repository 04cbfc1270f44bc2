"""A stand-in for the Telegram Bot API, so the real Application runs offline.

- ``FakeBotAPI`` (server): state, Telegram's validation and errors, fault injection.
- ``FakeRequest`` (request): PTB transport answering in-process.
- ``serve`` (http): the same API on a local port, for a bot in another process.
- ``ChatDriver`` (harness): sends users' updates through an Application.
"""
