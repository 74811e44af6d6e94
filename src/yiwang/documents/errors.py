"""Why an upload was refused. Each is a DomainError, so the API turns it into the error body of API.md."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.utils import timezone

from yiwang.core.errors import DomainError

ALLOWED_TYPES_LABEL = "PDF、JPG、PNG、OFD"


def human_size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} 字节"


class FileTooLarge(DomainError, RequestDataTooBig):
    """Also a RequestDataTooBig, so a non-API view that meets it (raised while Django parses the upload)
    answers 400 like any other oversized request instead of 500."""

    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__("file_too_large", f"文件过大，单个文件不能超过 {human_size(limit)}")


class FileEmpty(DomainError):
    status = 422

    def __init__(self) -> None:
        super().__init__("file_empty", "文件为空，请重新选择文件")


class UploadQuotaExceeded(DomainError):
    """The account's uploads of the day reached their count or size limit (services.upload_quota_check)."""

    status = 429

    def __init__(self, detail: str) -> None:
        super().__init__("upload_quota", f"今日上传已达上限（{detail}），请明天再试；已上传的材料仍可使用")
        now = timezone.localtime()
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        self.retry_after = int((midnight - now).total_seconds()) + 1  # the quota starts over at midnight


class FileTypeNotAllowed(DomainError):
    status = 422

    def __init__(self, reason: str = "不支持该文件类型") -> None:
        super().__init__("file_type_not_allowed", f"{reason}，仅支持 {ALLOWED_TYPES_LABEL} 格式的文件")
