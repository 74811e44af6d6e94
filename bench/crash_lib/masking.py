"""Server texts may quote what was sent: bench/crash prints them masked, no ID or phone number in clear."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def mask(text: str) -> str:
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from yiwang.core.masking import mask_text  # plain functions: importing them needs no Django

    return mask_text(text)
