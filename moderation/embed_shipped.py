"""Sentence embeddings from the shipped English encoder (mean-pooled, centred): what incident grouping was tuned on."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moderation.int8exact import open_exact

# The shipped graph mean-pools the last hidden layer over the attention mask before its heads;
# that pooled node is the sentence embedding (sentence-transformers' own pooling for MiniLM).
POOLED_OUTPUT = "/Div_output_0"
BACKGROUND_FILE = Path(__file__).resolve().parent / "data" / "embed_background.txt"
BATCH_SIZE = 1  # the int8 graph quantises per batch: alone, a text always gets the same vector


class Embedder:
    """The shipped encoder with its mean-pooled hidden state exposed as an extra graph output."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, threads: int | None = None) -> None:
        import json

        # imported here: moderation/__init__ imports this module before the scorer registry exists
        from moderation.textmodel import META_FILE, THREADS_ENV, _tokenizer, model_dir

        folder = model_dir(path)
        meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        threads = threads or int(os.environ.get(THREADS_ENV, "1"))
        self._session = _session_with_pooled(folder / meta["model"], threads)
        self._tokenizer = _tokenizer(folder / meta["tokenizer"], int(meta.get("max_length", 128)))
        self.dim = 0
        # Every post about a brand shares one large direction in this space (anisotropy); subtracting
        # the mean of ordinary posts lets cosine similarity reflect what a post is about.
        self.background = np.zeros(0, dtype=np.float32)
        self.background = normalise(self._pooled(background_texts())).mean(axis=0)

    def embed(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Return (len(texts), dim) unit vectors, centred on the background mean."""
        vectors = normalise(self._pooled(texts, batch_size))
        self.dim = vectors.shape[1]
        return normalise(vectors - self.background)

    def _pooled(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Mean-pooled hidden states, in input order."""
        encoded = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        parts = [self._run([encoded[i] for i in order[s:s + batch_size]])
                 for s in range(0, len(order), batch_size)]
        return np.concatenate(parts)[np.argsort(np.asarray(order, dtype=np.int64))]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        """Pad one batch and return its pooled vectors."""
        ids = np.zeros((len(batch), max(len(b) for b in batch)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        (pooled,) = self._session.run([POOLED_OUTPUT], {"input_ids": ids, "attention_mask": mask})
        return np.asarray(pooled, dtype=np.float32)


def _session_with_pooled(path: Path, threads: int) -> Any:
    """Open the model with its pooled node added to the outputs (edited in memory, file untouched)."""
    import onnx

    def add_pooled(model: Any) -> None:
        if POOLED_OUTPUT not in {o.name for o in model.graph.output}:
            model.graph.output.append(onnx.helper.make_tensor_value_info(POOLED_OUTPUT, onnx.TensorProto.FLOAT, None))

    return open_exact(path, threads, edit=add_pooled)  # exact int8 products on every CPU


def background_texts() -> list[str]:
    """The ordinary posts whose mean vector is removed (comment lines skipped)."""
    lines = BACKGROUND_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Scale rows to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


_loaded: Embedder | None = None
_lock = threading.Lock()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return L2-normalised float32 sentence vectors, one row per text (models load once)."""
    global _loaded
    texts = list(texts)
    with _lock:
        if _loaded is None:
            _loaded = Embedder()
    if not texts:
        return np.zeros((0, _loaded.dim or 384), dtype=np.float32)
    return _loaded.embed(texts)
