"""Domain errors: raised by services, turned into the API error body or a form error by the caller."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation. `code` is machine-readable, `message` Chinese."""

    status = 400

    def __init__(self, code: str, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    """Input broke one or more field rules; `fields` lists every problem, not only the first."""

    status = 422

    def __init__(
        self,
        fields: dict[str, list[str]],
        message: str = "提交的内容未通过校验",
        code: str = "validation_failed",
    ) -> None:
        super().__init__(code, message, fields)


class Forbidden(DomainError):
    """The caller may not do this (HTTP 403)."""

    status = 403


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "未找到该对象", code: str = "not_found") -> None:
        super().__init__(code, message)


class Conflict(DomainError):
    status = 409
