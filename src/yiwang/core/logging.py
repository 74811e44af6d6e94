"""A logging filter so that no handler ever writes a clear ID or phone number."""

from __future__ import annotations

import logging

from yiwang.core.masking import mask_text


class MaskPersonalDataFilter(logging.Filter):
    """Rewrites the formatted message (args included) with identifiers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True
