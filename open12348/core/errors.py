"""The one error type domain services raise."""

from __future__ import annotations


class ApplicationError(Exception):
    """A domain rule said no. `message` is shown to the user as-is, so it must be translated.

    `code` is stable for API clients and tests; `field` names the input the message concerns.
    """

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None,
                 extra: dict | None = None, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}
        self.status = status


class ConflictError(ApplicationError):
    """Someone else changed the record first (two reviewers, two dispatchers)."""

    def __init__(self, message: str, *, code: str = "conflict", **kwargs) -> None:
        super().__init__(message, code=code, status=409, **kwargs)
