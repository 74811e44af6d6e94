"""No clear ID number or mobile number reaches a log line."""

from __future__ import annotations

import io
import logging

from yiwang.core.logging import MaskPersonalDataFilter


def configured_masking_handler() -> logging.Handler:
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)
        and not isinstance(h, logging.FileHandler)  # the suite's own tee (tests/conftest.py)
    ]
    return handler


def test_log_lines_mask_id_numbers_and_mobiles(monkeypatch):
    handler = configured_masking_handler()
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("yiwang.test").warning(
        "申请人 %s 电话 %s 提交失败", "11010519491231002X", "13812345678"
    )
    line = stream.getvalue()
    assert "11010519491231002X" not in line and "13812345678" not in line
    assert "110105********002X" in line and "138****5678" in line


def test_masking_keeps_a_record_without_identifiers_unchanged(monkeypatch):
    handler = configured_masking_handler()
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("yiwang.test").warning("办件 %s 已受理", "ABC-1")
    assert "办件 ABC-1 已受理" in stream.getvalue()
