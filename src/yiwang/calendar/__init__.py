"""工作日历 (working-day calendar): statutory holidays, 调休 and local closures, for legal deadlines."""
