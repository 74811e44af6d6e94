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
        # Exception texts carry identifiers too ("… 11010519491231002X already exists"): the
        # traceback is formatted here, masked, and cached where every formatter looks for it.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
