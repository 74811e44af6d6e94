"""No clear ID number or mobile number appears in any log line the test suite produced.

Runs last (tests/conftest.py orders it so) over the file that every configured log handler was
teed into for the whole run: what the suite logged is what production would have written.
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


def test_no_log_line_of_the_suite_holds_a_clear_id_or_mobile_number(suite_log):
    text = Path(suite_log).read_text(encoding="utf-8")
    assert text, "the suite's log file is empty: the tee is not working"
    lines = clear_identifiers(text)
    assert not lines, f"clear ID or mobile numbers in the suite's log, lines {lines[:20]} of {suite_log}"
