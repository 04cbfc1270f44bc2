"""Bot API method names mapped to the functions that answer them."""

from __future__ import annotations

from collections.abc import Callable


def api_method(name: str) -> Callable[[Callable], Callable]:
    """Mark a FakeBotAPI method as the answer to the Bot API method ``name``."""

    def mark(function: Callable) -> Callable:
        function.api_name = name  # type: ignore[attr-defined]
        return function

    return mark


def collect(cls: type) -> dict[str, Callable]:
    """Lower-cased method name -> function: Telegram matches method names case-insensitively."""
    found: dict[str, Callable] = {}
    for klass in reversed(cls.__mro__):
        for function in vars(klass).values():
            name = getattr(function, "api_name", None)
            if name:
                found[name.lower()] = function
    return found
