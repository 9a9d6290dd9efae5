"""Int8 graphs give exact products on every CPU: unsigned weights where the signed ones saturate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from moderation import int8exact
from moderation.int8exact import open_exact, unsigned_weights


def tiny_graph(path: Path, weights: np.ndarray) -> None:
    """uint8 activations x int8 weights -> int32, the op the shipped graphs use."""
    node = helper.make_node("MatMulInteger", ["a", "w", "a_zero", "w_zero"], ["y"])
    graph = helper.make_graph(
        [node], "tiny", [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, weights.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, weights.shape[1]])],
        initializer=[numpy_helper.from_array(weights.astype(np.int8), "w"),
                     numpy_helper.from_array(np.array(0, dtype=np.uint8), "a_zero"),
                     numpy_helper.from_array(np.array(0, dtype=np.int8), "w_zero")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A REPGUARD_HOME of its own, so the shifted graph is cached under tmp_path."""
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_unsigned_weights_are_the_same_arithmetic(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    weights = rng.integers(-128, 128, size=(64, 16))
    tiny_graph(tmp_path / "m.onnx", weights)
    model = onnx.load(str(tmp_path / "m.onnx"))
    assert unsigned_weights(model) == 1
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    assert inits["w"].dtype == np.uint8 and int(inits["w_zero"]) == 128
    assert np.array_equal(inits["w"].astype(np.int32) - 128, weights)


def test_products_that_saturate_16_bits_come_out_exact(tmp_path: Path, home: Path) -> None:
    # 255 * 127 twice is 64,770: a CPU without VNNI clips such pairs at 32,767 with signed weights
    weights = np.full((32, 4), 127)
    weights[:, 1] = -128
    tiny_graph(tmp_path / "m.onnx", weights)
    session = open_exact(tmp_path / "m.onnx", 1)  # no probe: always the unsigned graph
    acts = np.full((2, 32), 255, dtype=np.uint8)
    acts[1, ::2] = 3
    (got,) = session.run(None, {"a": acts})
    assert np.array_equal(got, acts.astype(np.int64) @ weights)


def test_the_signed_graph_is_kept_when_the_probe_finds_it_exact(tmp_path: Path, home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8exact, "signed_products_exact", lambda: None)  # a CPU we know nothing about
    tiny_graph(tmp_path / "m.onnx", np.ones((8, 2)))
    seen: list[Any] = []

    def probe(session: Any) -> bool:
        seen.append(session)
        return True

    assert open_exact(tmp_path / "m.onnx", 1, probe) is seen[0] and len(seen) == 1
    assert not (home / "cache").exists()  # nothing shifted, nothing cached
    calls: list[int] = []

    def never(session: Any) -> bool:
        calls.append(1)
        return len(calls) > 1  # inexact signed, exact unsigned

    session = open_exact(tmp_path / "m.onnx", 1, never)
    assert len(calls) == 2 and session.run(None, {"a": np.ones((1, 8), dtype=np.uint8)})[0].tolist() == [[8, 8]]
    assert len(list((home / "cache").glob("m-u8-*.onnx"))) == 1


def test_without_vnni_the_cached_unsigned_graph_is_opened_directly(tmp_path: Path, home: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(int8exact, "signed_products_exact", lambda: False)  # x86 without VNNI
    tiny_graph(tmp_path / "m.onnx", np.full((32, 1), 127))
    probed: list[Any] = []
    for _ in range(2):  # the second start reads the cached file
        session = open_exact(tmp_path / "m.onnx", 1, lambda s: probed.append(s) or True)
        (got,) = session.run(None, {"a": np.full((1, 32), 255, dtype=np.uint8)})
        assert got.tolist() == [[255 * 127 * 32]]
    assert len(probed) == 2  # only the shifted graph was probed, once per start
    assert len(list((home / "cache").glob("m-u8-*.onnx"))) == 1
