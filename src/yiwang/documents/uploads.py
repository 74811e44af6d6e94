"""An upload handler that refuses a file as soon as it passes the upload limit, while Django is still
receiving it, so an oversized request never fills memory or the temporary directory."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from yiwang.documents.errors import FileTooLarge


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and passes them on to the next handler."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.YIWANG_UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._discard_partial_files()
            raise FileTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _discard_partial_files(self) -> None:
        # The temporary-file handler deletes its half-written file when told the upload was cut short.
        for handler in getattr(self.request, "upload_handlers", []):
            if handler is not self:
                handler.upload_interrupted()
