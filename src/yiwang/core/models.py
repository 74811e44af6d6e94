"""The one table every context may need: counters for numbers where the database has no sequences."""

from __future__ import annotations

from django.db import models


class NumberSequence(models.Model):
    """编号计数: a named counter for human-readable numbers on SQLite (PostgreSQL uses native sequences)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
