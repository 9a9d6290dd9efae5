"""The e5 sentiment adapter: the graph of adapted top layers against a numpy reference, and its fallbacks."""

from __future__ import annotations

import importlib
import json
import logging
import math
from pathlib import Path

import numpy as np
import pytest

import moderation
from moderation.e5graph import read_adapter
from moderation.e5onnx import E5Onnx, dequantise_rows, model_file, read_packed
from moderation.multilingual import MULTI_FILE, MultilingualHeads, softmax

TOP, RANK = 2, 3
TEXTS = ["Je suis très déçue, toujours pas de remboursement.", "Cảm ơn bạn rất nhiều!"]


def _write_adapter(path: Path, scale: float) -> dict[str, np.ndarray]:
    """A synthetic adapter of the top two layers: random low-rank updates (scale 0: none), shifted norms."""
    packed = read_packed(model_file())
    hidden, ffn, layers = packed.dims["hidden"], packed.dims["ffn"], packed.dims["layers"]
    rng = np.random.default_rng(7)
    arrays: dict[str, np.ndarray] = {"top": np.asarray(TOP), "rank": np.asarray(RANK)}
    sizes = {"qkv": (hidden, 3 * hidden), "ao": (hidden, hidden), "fi": (hidden, ffn), "fo": (ffn, hidden)}
    for i in range(layers - TOP, layers):
        for key, (cols, rows) in sizes.items():
            arrays[f"l{i}.{key}.down"] = (rng.normal(size=(3 * RANK if key == "qkv" else RANK, cols)) *
                                          scale / math.sqrt(cols)).astype(np.float16)
            arrays[f"l{i}.{key}.up"] = (rng.normal(size=(rows, 3 * RANK if key == "qkv" else RANK)) *
                                        scale).astype(np.float16)
        for name in ("q", "k", "v", "ao", "fi", "fo"):
            arrays[f"l{i}.{name}.b"] = np.asarray(packed.tensors[f"l{i}.{name}.b"], np.float32)
        for name in ("aln", "oln"):
            arrays[f"l{i}.{name}.w"] = np.asarray(packed.tensors[f"l{i}.{name}.w"], np.float32) * (1 + scale / 10)
            arrays[f"l{i}.{name}.b"] = np.asarray(packed.tensors[f"l{i}.{name}.b"], np.float32)
    arrays["head.w"] = rng.normal(size=(3, hidden)).astype(np.float32)
    arrays["head.b"] = np.zeros(3, np.float32)
    np.savez_compressed(path, **arrays)
    return read_adapter(str(path))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * w + b)


def _reference(tap: np.ndarray, adapter: dict[str, np.ndarray]) -> np.ndarray:
    """The adapted top layers in float64 numpy: dequantised 4-bit W plus B A, adapter biases and norms."""
    packed = read_packed(model_file())
    d, eps = packed.dims, packed.eps
    heads, hidden = d["heads"], d["hidden"]

    def linear(x: np.ndarray, i: int, parts: list[str], key: str, cols: int) -> np.ndarray:
        w = np.concatenate([dequantise_rows(np.asarray(packed.tensors[f"l{i}.{p}.w"]), cols) for p in parts])
        b = np.concatenate([adapter[f"l{i}.{p}.b"] for p in parts])
        return np.asarray(x @ w.T + b + (x @ adapter[f"l{i}.{key}.down"].T) @ adapter[f"l{i}.{key}.up"].T)

    x = tap.astype(np.float64)
    gelu = np.vectorize(lambda v: 0.5 * v * (1 + math.erf(v / math.sqrt(2))))
    for i in range(d["layers"] - TOP, d["layers"]):
        q, k, v = np.split(linear(x, i, ["q", "k", "v"], "qkv", hidden), 3, axis=-1)
        split = [m.reshape(len(x), heads, hidden // heads).transpose(1, 0, 2) for m in (q, k, v)]
        att = split[0] @ split[1].transpose(0, 2, 1) / math.sqrt(hidden // heads)
        att = np.exp(att - att.max(-1, keepdims=True))
        ctx = ((att / att.sum(-1, keepdims=True)) @ split[2]).transpose(1, 0, 2).reshape(len(x), hidden)
        x = _layer_norm(x + linear(ctx, i, ["ao"], "ao", hidden), adapter[f"l{i}.aln.w"], adapter[f"l{i}.aln.b"], eps)
        ffn = linear(gelu(linear(x, i, ["fi"], "fi", hidden)), i, ["fo"], "fo", d["ffn"])
        x = _layer_norm(x + ffn, adapter[f"l{i}.oln.w"], adapter[f"l{i}.oln.b"], eps)
    return np.asarray(x.mean(0))


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_an_empty_adapter_gives_the_base_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    _write_adapter(tmp_path / "adapter.npz", 0.0)
    model = E5Onnx(adapter=tmp_path / "adapter.npz")
    base, adapted = model.query_adapted(TEXTS)
    assert model.has_adapter
    np.testing.assert_allclose(adapted, base, atol=1e-5)
    np.testing.assert_allclose(model.query(TEXTS), base, atol=1e-6)


def test_the_adapted_layers_match_a_numpy_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    adapter = _write_adapter(tmp_path / "adapter.npz", 0.5)
    model = E5Onnx(adapter=tmp_path / "adapter.npz")
    window = model.windows(TEXTS[0])[0]
    pooled, tap = model._session.run(["pooled", "tap"], {"x": model._embed_inputs(window)[None]})
    adapted = model._pooled(window, adapted=True)
    reference = _reference(tap[0], adapter)
    assert _cos(adapted[1], reference) > 0.999  # the graph's int8 activations cost a little
    assert _cos(adapted[1], pooled[0]) < 0.99  # and the update really changes the vector
    np.testing.assert_allclose(adapted[0], pooled[0], atol=1e-6)


def test_without_an_adapter_file_there_are_no_adapted_vectors(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    model = E5Onnx(adapter=tmp_path / "missing.npz")
    assert not model.has_adapter
    assert model.query(TEXTS).shape == (2, 384)
    with pytest.raises(RuntimeError, match="no sentiment adapter"):
        model.query_adapted(TEXTS)


def _shipped_heads() -> MultilingualHeads:
    """The shipped multilingual heads without the cue stacker (to compare head outputs)."""
    spec = json.loads((Path(moderation.__file__).parent / "data" / MULTI_FILE).read_text(encoding="utf-8"))
    heads = MultilingualHeads(spec)
    heads.stacker = None
    return heads


def test_spanish_sentiment_reads_the_adapter_and_its_toxicity_the_use_head() -> None:
    heads = _shipped_heads()
    text = "Llevo tres semanas esperando el reembolso y nadie me contesta."
    sentiment, toxicity = heads.predict([text], ["es"])
    assert heads.heads["e5"].adapter_head() is not None
    np.testing.assert_allclose(sentiment, heads.heads["e5"].predict([text])[0], atol=1e-6)
    np.testing.assert_allclose(toxicity, heads.heads["use"].predict([text])[1], atol=1e-6)
    # callers that read toxicity only keep one encoder per language and the frozen heads
    frozen, _ = heads.predict([text], ["es"], adapted=False)
    np.testing.assert_allclose(frozen, heads.heads["use"].predict([text])[0], atol=1e-6)
    assert not np.allclose(sentiment, frozen, atol=1e-3)


def test_without_the_adapter_the_frozen_head_answers_with_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    embed_module = importlib.import_module("moderation.embed")  # the package re-exports a function by that name
    monkeypatch.setattr(embed_module, "adapted_available", lambda: False)
    heads = _shipped_heads()
    text = "Je suis très déçue, toujours pas de remboursement."
    with caplog.at_level(logging.WARNING):
        sentiment, _ = heads.predict([text], ["fr"])
    assert "adapter unavailable" in caplog.text
    e5 = heads.heads["e5"]
    np.testing.assert_allclose(sentiment[0], softmax(embed_module.embed([text]) @ e5.sent_w.T + e5.sent_b)[0],
                               atol=1e-5)
