"""Settings read from the environment."""

from __future__ import annotations

from yiwang.core.env import env_str


def test_a_variable_set_but_empty_takes_the_default(monkeypatch):
    monkeypatch.setenv("YIWANG_TEST_SETTING", "")
    assert env_str("YIWANG_TEST_SETTING", "default") == "default"


def test_a_file_setting_wins_over_the_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("YIWANG_TEST_SETTING", "from-variable")
    monkeypatch.setenv("YIWANG_TEST_SETTING_FILE", str(secret))
    assert env_str("YIWANG_TEST_SETTING") == "from-file"
