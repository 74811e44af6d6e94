"""`yiwang calendar_check`: what the working-day calendar knows, and what it is missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.calendar.index import ARRANGEMENT_OVERRIDES_PER_YEAR
from yiwang.calendar.selectors import calendar_coverage_warnings, working_calendar


class Command(BaseCommand):
    help = "检查工作日历的覆盖范围：已收录国务院节假日安排的年份、按法定节假日推算的年份、本地调整和需要补录调休的年份。"
    requires_system_checks: list[str] = []  # it prints calendar.W001's findings itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fail-on-warning", action="store_true", help="有警告时以非零状态退出（用于巡检）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = working_calendar()
        known = calendar.known_years
        self.stdout.write(f"计算范围：{calendar.first} 至 {calendar.last}")
        self.stdout.write(f"已收录国务院节假日安排（chinese-calendar）：{known[0]}–{known[-1]} 年")
        self.stdout.write(
            "法定节假日依《全国年节及纪念日放假办法》推算、调休只来自本地调整的年份："
            f"{_ranges(calendar.computed_years)}"
        )
        self.stdout.write(
            f"按周末 + 本地调整计算的年份（2025 年前的旧规则）：{_ranges(calendar.unknown_years)}"
        )
        overrides = calendar.overrides
        if overrides:
            years = sorted({d.year for d in overrides})
            self.stdout.write(f"本地调整：{len(overrides)} 天，涉及 {_ranges(years)} 年")
        else:
            self.stdout.write("本地调整：无")
        self.stdout.write(
            f"（某年录入 {ARRANGEMENT_OVERRIDES_PER_YEAR} 天及以上调休——周末上班或工作日休息——后，"
            "视为已录入国务院安排）"
        )
        warnings = calendar_coverage_warnings()
        for text in warnings:
            self.stdout.write(self.style.WARNING(f"警告：{text}"))
        if not warnings:
            self.stdout.write(self.style.SUCCESS("未来三年的工作日历完整。"))
        if warnings and options["fail_on_warning"]:
            raise CommandError(f"{len(warnings)} 个年份缺少国务院节假日安排（调休）")


def _ranges(years: tuple[int, ...] | list[int]) -> str:
    """(2000, 2001, 2002, 2027) → "2000–2002、2027"."""
    if not years:
        return "无"
    parts, start, prev = [], years[0], years[0]
    for year in [*years[1:], None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if year is not None:
            start = prev = year
    return "、".join(parts)
