"""The fixed dev/test carve of the shared dev data used by the moderation benchmarks."""

from __future__ import annotations

import hashlib


def carve(key: str) -> str:
    """Return "dev" or "test" for a group key; the test half is never used for tuning."""
    return "test" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 else "dev"
