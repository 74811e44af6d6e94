"""No clear ID number or mobile number appears in any log line the test suite produced.

The check itself runs when the whole run has finished (`pytest_sessionfinish` in tests/conftest.py),
over the files every configured log handler was teed into — one per process when the suite runs on
several workers: what the suite logged is what production would have written. Here: that the check
finds what it must, and that the tee sees the masked text.
"""

from __future__ import annotations

import logging
from pathlib import Path

from yiwang.core.masking import ID_NUMBER_RE, MOBILE_RE


def clear_identifiers(text: str) -> list[int]:
    """Line numbers (1-based) holding a clear ID or mobile number: never the numbers themselves."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if ID_NUMBER_RE.search(line) or MOBILE_RE.search(line)
    ]


def test_the_check_finds_a_clear_number_and_passes_masked_ones():
    text = "ok 110105********002X 138****5678\nleak 11010519491231002X\nleak 电话13812345678\n"
    assert clear_identifiers(text) == [2, 3]


def test_an_exception_text_is_masked_in_the_log(suite_log):
    try:
        raise ValueError("公民身份号码 11010519491231002X 已注册")
    except ValueError:
        logging.getLogger("yiwang.test").exception("注册失败")
    text = Path(suite_log).read_text(encoding="utf-8")
    assert "注册失败" in text and "110105********002X 已注册" in text
    assert "11010519491231002X" not in text
