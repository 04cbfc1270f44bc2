"""How the fake answers a call it refuses: an error reply, or no reply at all."""

from __future__ import annotations

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An ``{"ok": false, ...}`` reply, worded as the Bot API words it."""

    def __init__(
        self, error_code: int, description: str | None = None, parameters: dict | None = None
    ) -> None:
        self.error_code = error_code
        self.description = description or default_description(error_code, parameters)
        self.parameters = parameters
        super().__init__(self.description)

    def reply(self) -> dict:
        body: dict = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def default_description(error_code: int, parameters: dict | None = None) -> str:
    if error_code == 429:
        return f"Too Many Requests: retry after {(parameters or {}).get('retry_after', 1)}"
    return _DEFAULT_DESCRIPTIONS.get(error_code, "Internal Server Error")


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


class FakeTimeout(Exception):
    """The transport must behave as if Telegram never answered."""


class FakeUnreachable(Exception):
    """The transport must behave as if Telegram's servers could not be reached at all."""
