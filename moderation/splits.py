"""Deterministic held-out carve of the dev data, shared by training and the benchmark."""

from __future__ import annotations

import hashlib

HELDOUT_BUCKETS = 5  # one bucket in five (20 %) is held out from training


def is_heldout(text: str) -> bool:
    """True when a text belongs to the held-out evaluation part (grouped by lower-cased text)."""
    key = " ".join(text.lower().split()).encode("utf-8")
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % HELDOUT_BUCKETS == 0
